//! The floor: one HTTPS request with hyper's pooled client over rustls (ring, the webpki
//! roots) on tokio, its JSON answer parsed, a string of it matched against an ECMAScript
//! pattern: what the generated client is built on, without any of its code.

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_webpki_roots()
        .https_or_http()
        .enable_http1()
        .build();
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build::<_, Empty<Bytes>>(https);
    let url = std::env::var("FLOOR_URL")
        .unwrap_or_else(|_| "https://kinesisvideo.us-east-1.amazonaws.com/".into());
    let response = client.get(url.parse()?).await?;
    let body = response.into_body().collect().await?.to_bytes();
    let answer: serde_json::Value = serde_json::from_slice(&body)?;
    let pattern = regress::Regex::with_flags(r"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$", "u")?;
    let message = answer["message"].as_str().unwrap_or_default();
    println!("{answer} {}", pattern.find(message).is_some());
    Ok(())
}
