//! `DescribeImageGenerationConfiguration` side by side, in one process, in alternating rounds:
//!
//! (a) the whole client stack per call (sign, endpoint, serialise, send, parse) with an
//!     in-memory transport, for `aws-sdk-kinesisvideo` and for the generated `kinesis-video`;
//! (b) serialise the input and parse the output without I/O, the generated crate against
//!     plain `serde_json` on derive structs (the floor); each input is built once, before the
//!     clock, as a caller's would be.
//!
//! `cargo run --release -- [rounds] [calls per round]` (defaults: 3 rounds of 20,000 calls;
//! within a round the sides take turns every 500 calls).
//! `PROFILE_OURS=N` runs only our stack, N calls; `PROFILE_CODEC=N` only our serialise + parse
//! (for a profiler).

use std::collections::BTreeMap;
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// The answer both transports give: a full image generation configuration.
const BODY: &str = r#"{"ImageGenerationConfiguration":{"Status":"ENABLED","ImageSelectorType":"SERVER_TIMESTAMP","DestinationConfig":{"Uri":"s3://bucket/prefix","DestinationRegion":"us-west-2"},"SamplingInterval":3000,"Format":"JPEG","FormatConfig":{"JPEGQuality":"80"},"WidthPixels":1920,"HeightPixels":1080}}"#;
const REQUEST_ID: &str = "2b1d6f8e-0c1a-4d5e-9f3a-7b6c5d4e3f2a";
const ACCESS_KEY: &str = "AKIDEXAMPLE";
const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const STREAM: &str = "cam-1";

mod official {
    //! `aws-sdk-kinesisvideo` with an `HttpClient` that answers from memory.
    use super::*;
    use aws_sdk_kinesisvideo::config::{BehaviorVersion, Credentials, Region};
    use aws_smithy_runtime_api::client::http::{
        HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
    };
    use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
    use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
    use aws_smithy_types::body::SdkBody;

    #[derive(Debug, Clone)]
    struct Canned;

    impl HttpConnector for Canned {
        fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
            // The request is fully built and signed by now; look at it as a transport would.
            black_box(request.headers().get("authorization"));
            black_box(request.body().bytes());
            let mut response = HttpResponse::new(200u16.try_into().unwrap(), SdkBody::from(BODY));
            response
                .headers_mut()
                .insert("content-type", "application/x-amz-json-1.1");
            response
                .headers_mut()
                .insert("x-amzn-requestid", REQUEST_ID);
            response
                .headers_mut()
                .insert("content-length", BODY.len().to_string());
            HttpConnectorFuture::ready(Ok(response))
        }
    }

    impl HttpClient for Canned {
        fn http_connector(
            &self,
            _: &HttpConnectorSettings,
            _: &RuntimeComponents,
        ) -> SharedHttpConnector {
            SharedHttpConnector::new(self.clone())
        }
    }

    pub fn client() -> aws_sdk_kinesisvideo::Client {
        let config = aws_sdk_kinesisvideo::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-west-2"))
            .credentials_provider(Credentials::new(
                ACCESS_KEY, SECRET_KEY, None, None, "bench",
            ))
            .http_client(Canned)
            .build();
        aws_sdk_kinesisvideo::Client::from_conf(config)
    }

    pub async fn call(client: &aws_sdk_kinesisvideo::Client) {
        let out = client
            .describe_image_generation_configuration()
            .stream_name(STREAM)
            .send()
            .await
            .expect("the canned answer parses");
        assert_eq!(
            out.image_generation_configuration()
                .and_then(|c| c.width_pixels()),
            Some(1920)
        );
        black_box(out);
    }
}

mod ours {
    //! The generated `kinesis-video` client with an in-memory `HttpClient`.
    use super::*;
    use kinesis_video::client::{Config, Credentials};
    use kinesis_video::runtime::byte_stream::ByteStream;
    use kinesis_video::runtime::http::Headers;
    use kinesis_video::runtime::profile::Env;
    use kinesis_video::runtime::transport::{
        HttpClient, IncomingResponse, OutgoingRequest, SendFuture,
    };

    #[derive(Debug)]
    struct Canned;

    impl HttpClient for Canned {
        fn send(&self, request: OutgoingRequest) -> SendFuture<'_> {
            black_box(request.headers.get("authorization"));
            black_box(&request.body);
            let mut headers = Headers::new();
            headers.append("content-type", "application/x-amz-json-1.1");
            headers.append("x-amzn-requestid", REQUEST_ID);
            headers.append("content-length", BODY.len().to_string());
            let response = IncomingResponse {
                status: 200,
                headers,
                body: ByteStream::from(BODY.as_bytes()),
            };
            Box::pin(std::future::ready(Ok(response)))
        }
    }

    pub fn client() -> kinesis_video::Client {
        kinesis_video::Client::from_builder(
            Config::builder()
                .env(Env::from_vars(Vec::<(String, String)>::new()))
                .region("us-west-2")
                .credentials(Credentials::new(ACCESS_KEY, SECRET_KEY, None))
                .http_client(Arc::new(Canned)),
        )
        .expect("a complete configuration")
    }

    pub async fn call(client: &kinesis_video::Client) {
        let out = client
            .describe_image_generation_configuration()
            .stream_name(STREAM)
            .send()
            .await
            .expect("the canned answer parses");
        assert_eq!(
            out.image_generation_configuration
                .as_ref()
                .and_then(|c| c.width_pixels),
            Some(1920)
        );
        black_box(out);
    }
}

#[allow(dead_code)] // Fields are read into, as the generated types are, and not looked at.
mod floor {
    //! Plain `serde_json` on derive structs: the least a JSON codec can do here.
    use super::*;

    #[derive(Serialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct Input<'a> {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub stream_name: Option<&'a str>,
        #[serde(rename = "StreamARN", skip_serializing_if = "Option::is_none")]
        pub stream_arn: Option<&'a str>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct Output {
        pub image_generation_configuration: Option<Configuration>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct Configuration {
        pub status: Option<String>,
        pub image_selector_type: Option<String>,
        pub destination_config: Option<Destination>,
        pub sampling_interval: Option<i32>,
        pub format: Option<String>,
        pub format_config: Option<BTreeMap<String, String>>,
        pub width_pixels: Option<i32>,
        pub height_pixels: Option<i32>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct Destination {
        pub uri: Option<String>,
        pub destination_region: Option<String>,
    }

    pub fn input() -> Input<'static> {
        Input {
            stream_name: Some(STREAM),
            stream_arn: None,
        }
    }

    /// Serialises `input` (built before, as the caller's) and parses the answer.
    pub fn round_trip(input: &Input) {
        let body = serde_json::to_vec(black_box(input)).unwrap();
        black_box(body);
        let out: Output = serde_json::from_slice(black_box(BODY.as_bytes())).unwrap();
        assert_eq!(
            out.image_generation_configuration
                .as_ref()
                .and_then(|c| c.width_pixels),
            Some(1920)
        );
        black_box(out);
    }
}

mod ours_codec {
    //! The generated crate's sans-I/O layer: `serialize_request` (validation included) and
    //! `parse_response`.
    use super::*;
    use kinesis_video::operation::describe_image_generation_configuration as op;
    use kinesis_video::runtime::http::{Headers, HttpResponse};

    pub fn response() -> HttpResponse {
        let mut headers = Headers::new();
        headers.append("content-type", "application/x-amz-json-1.1");
        headers.append("x-amzn-requestid", REQUEST_ID);
        HttpResponse::new(200, headers, BODY.as_bytes().to_vec())
    }

    pub fn input() -> op::DescribeImageGenerationConfigurationInput {
        op::DescribeImageGenerationConfigurationInput::builder()
            .stream_name(STREAM)
            .build()
    }

    /// Serialises `input` (built before, as the caller's; validation included) and parses the
    /// answer.
    pub fn round_trip(
        input: &op::DescribeImageGenerationConfigurationInput,
        response: &HttpResponse,
    ) {
        let request = op::serialize_request(black_box(input)).unwrap();
        black_box(request);
        let out = op::parse_response(black_box(response)).unwrap();
        assert_eq!(
            out.image_generation_configuration
                .as_ref()
                .and_then(|c| c.width_pixels),
            Some(1920)
        );
        black_box(out);
    }
}

/// Mean time per call of `n` calls.
fn per_call(n: u32, mut f: impl FnMut()) -> Duration {
    let start = Instant::now();
    for _ in 0..n {
        f();
    }
    start.elapsed() / n
}

fn us(d: Duration) -> String {
    format!("{:.2} µs", d.as_secs_f64() * 1e6)
}

fn range(xs: &[f64]) -> String {
    let lo = xs.iter().cloned().fold(f64::INFINITY, f64::min);
    let hi = xs.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    format!("{lo:.3}–{hi:.3}")
}

fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: u32 = args.next().map_or(3, |a| a.parse().expect("rounds"));
    let calls: u32 = args.next().map_or(20_000, |a| a.parse().expect("calls"));
    // `PROFILE_CODEC=N`: only our serialise + parse, N times, for a profiler.
    if let Some(n) = std::env::var("PROFILE_CODEC")
        .ok()
        .and_then(|v| v.parse::<u32>().ok())
    {
        let response = ours_codec::response();
        let input = ours_codec::input();
        for _ in 0..n {
            ours_codec::round_trip(&input, &response);
        }
        return;
    }
    // `PROFILE_OURS=N`: only our stack, N calls, for a profiler.
    if let Some(n) = std::env::var("PROFILE_OURS")
        .ok()
        .and_then(|v| v.parse::<u32>().ok())
    {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let client = ours::client();
        rt.block_on(async {
            for _ in 0..n {
                ours::call(&client).await;
            }
        });
        return;
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let sdk = official::client();
    let ours = ours::client();
    let response = ours_codec::response();
    let (floor_input, codec_input) = (floor::input(), ours_codec::input());

    // Warm up: first calls build caches, connectors, identity resolvers.
    rt.block_on(async {
        for _ in 0..1_000 {
            official::call(&sdk).await;
            ours::call(&ours).await;
        }
    });
    for _ in 0..1_000 {
        floor::round_trip(&floor_input);
        ours_codec::round_trip(&codec_input, &response);
    }

    println!("DescribeImageGenerationConfiguration, {rounds} alternating rounds of {calls} calls");
    println!();
    println!("| round | official SDK stack | ours stack | ratio | serde floor | ours ser+parse | × floor |");
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    let (mut stack_ratios, mut codec_ratios) = (Vec::new(), Vec::new());
    // Within a round the two sides take turns in blocks of `BLOCK` calls, so that both see
    // the same machine (a VM's clock speed and neighbours change within seconds).
    const BLOCK: u32 = 500;
    let blocks = calls.div_ceil(BLOCK);
    for round in 1..=rounds {
        let (mut sdk_t, mut ours_t, mut floor_t, mut codec_t) = (
            Duration::ZERO,
            Duration::ZERO,
            Duration::ZERO,
            Duration::ZERO,
        );
        for _ in 0..blocks {
            sdk_t += rt.block_on(async {
                let start = Instant::now();
                for _ in 0..BLOCK {
                    official::call(&sdk).await;
                }
                start.elapsed()
            });
            ours_t += rt.block_on(async {
                let start = Instant::now();
                for _ in 0..BLOCK {
                    ours::call(&ours).await;
                }
                start.elapsed()
            });
            floor_t += per_call(BLOCK, || floor::round_trip(&floor_input)) * BLOCK;
            codec_t += per_call(BLOCK, || ours_codec::round_trip(&codec_input, &response)) * BLOCK;
        }
        let n = blocks * BLOCK;
        let (sdk_t, ours_t, floor_t, codec_t) = (sdk_t / n, ours_t / n, floor_t / n, codec_t / n);
        let stack_ratio = ours_t.as_secs_f64() / sdk_t.as_secs_f64();
        let codec_ratio = codec_t.as_secs_f64() / floor_t.as_secs_f64();
        stack_ratios.push(stack_ratio);
        codec_ratios.push(codec_ratio);
        println!(
            "| {round} | {} | {} | {stack_ratio:.3} | {} | {} | {codec_ratio:.2} |",
            us(sdk_t),
            us(ours_t),
            us(floor_t),
            us(codec_t)
        );
    }
    println!();
    println!(
        "whole stack, ours / official SDK: {} (target <= 0.125)",
        range(&stack_ratios)
    );
    println!(
        "serialise + parse, ours / serde floor: {} (target <= 1.5)",
        range(&codec_ratios)
    );
}
