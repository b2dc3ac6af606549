//! No secret of the remote credential sources (secret keys, session tokens, web identity
//! tokens, SSO access and refresh tokens and client secrets, the IoT private key) reaches
//! `Debug` or `Display` of their types and errors, or the tracing output: each flow runs with
//! a subscriber at TRACE that captures everything, against loopback servers, and every secret
//! is looked for in all of it.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

use kinesis_video::client::Credentials;
use kinesis_video::runtime::credentials::iot::IotCredentialsProvider;
use kinesis_video::runtime::credentials::sso::{
    cache_file, get_role_credentials, CachedToken, SsoRequest,
};
use kinesis_video::runtime::credentials::sts::{
    assume_role, assume_role_with_web_identity, AssumeRoleRequest, StsSettings, WebIdentityRequest,
};
use kinesis_video::runtime::credentials::{ProvideCredentials, SystemClock, TimeSource};
use kinesis_video::runtime::datetime::{DateTime, Format};
use kinesis_video::runtime::profile::Env;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const SECRETS: &[&str] = &[
    "SOURCE-SECRET-KEY-1",
    "SOURCE-SESSION-TOKEN-2",
    "STS-SECRET-KEY-3",
    "STS-SESSION-TOKEN-4",
    "WEB-IDENTITY-TOKEN-5",
    "SSO-ACCESS-TOKEN-6",
    "SSO-REFRESH-TOKEN-7",
    "SSO-CLIENT-SECRET-8",
    "SSO-NEW-ACCESS-TOKEN-9",
    "SSO-NEW-REFRESH-TOKEN-10",
    "SSO-ROLE-SECRET-11",
    "SSO-ROLE-TOKEN-12",
    "IOT-SECRET-KEY-13",
    "IOT-SESSION-TOKEN-14",
    "IOTPRIVATEKEYBODY15",
];

/// Everything every subscriber event wrote, process-wide.
fn log() -> &'static Arc<Mutex<Vec<u8>>> {
    static LOG: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOG.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let sink = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || Sink(sink.clone()))
            .finish();
        tracing::subscriber::set_global_default(subscriber).unwrap();
        buffer
    })
}

struct Sink(Arc<Mutex<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A loopback server answering each path prefix with its (status, body); others 404.
async fn serve(routes: Vec<(&'static str, u16, String)>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut tcp, _)) = listener.accept().await {
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                match tcp.read(&mut chunk).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                }
            }
            let head = String::from_utf8_lossy(&buf).into_owned();
            let target = head.split(' ').nth(1).unwrap_or("/").to_string();
            let (status, body) = routes
                .iter()
                .find(|(prefix, _, _)| target.starts_with(prefix))
                .map(|(_, s, b)| (*s, b.clone()))
                .unwrap_or((404, String::new()));
            // Read the rest of a body so the client sees a clean exchange.
            let _ =
                tokio::time::timeout(std::time::Duration::from_millis(20), tcp.read(&mut chunk))
                    .await;
            let _ = tcp
                .write_all(
                    format!(
                        "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    )
                    .as_bytes(),
                )
                .await;
        }
    });
    url
}

fn sts_answer(action: &str) -> String {
    format!(
        "<{action}Response><{action}Result><Credentials><AccessKeyId>ASIASTS</AccessKeyId><SecretAccessKey>STS-SECRET-KEY-3</SecretAccessKey><SessionToken>STS-SESSION-TOKEN-4</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration></Credentials></{action}Result></{action}Response>"
    )
}

#[derive(Debug)]
struct Fixed(SystemTime);

impl TimeSource for Fixed {
    fn now(&self) -> SystemTime {
        self.0
    }
}

fn check(shown: &[String]) {
    let logs = String::from_utf8(log().lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("credentials call"),
        "nothing was captured: {logs}"
    );
    for secret in SECRETS {
        assert!(
            !logs.contains(secret),
            "{secret} in the tracing output:\n{logs}"
        );
        for text in shown {
            assert!(!text.contains(secret), "{secret} shown in: {text}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_in_debug_display_errors_or_tracing() {
    log();
    let mut shown: Vec<String> = Vec::new();
    let mut show = |d: &dyn std::fmt::Debug, s: Option<&dyn std::fmt::Display>| {
        shown.push(format!("{d:?}"));
        shown.push(format!("{d:#?}"));
        if let Some(s) = s {
            shown.push(s.to_string());
        }
    };

    // STS: a source with a token, the answer's keys, the web identity token; then errors.
    let source = Credentials::new(
        "AKIDSOURCE",
        "SOURCE-SECRET-KEY-1",
        Some("SOURCE-SESSION-TOKEN-2".into()),
    );
    let url = serve(vec![("/", 200, sts_answer("AssumeRole"))]).await;
    let settings = StsSettings {
        region: Some("us-west-2".into()),
        // Keys in the environment the settings carry do not show through them.
        env: Env::from_vars([("AWS_SECRET_ACCESS_KEY", "SOURCE-SECRET-KEY-1")]),
        endpoint_url: Some(url),
    };
    let role = AssumeRoleRequest {
        role_arn: "arn:aws:iam::123456789012:role/r".into(),
        role_session_name: "s1".into(),
        external_id: None,
        duration_seconds: None,
    };
    let assumed = assume_role(&settings, &source, &role).await.unwrap();
    assert_eq!(assumed.secret_access_key(), "STS-SECRET-KEY-3");
    show(&assumed, None);
    show(&source, None);
    show(&settings, None);
    show(&role, None);
    let web = WebIdentityRequest {
        role_arn: role.role_arn.clone(),
        role_session_name: "s2".into(),
        web_identity_token: "WEB-IDENTITY-TOKEN-5".into(),
    };
    show(&web, None);
    let url = serve(vec![("/", 200, sts_answer("AssumeRoleWithWebIdentity"))]).await;
    let web_settings = StsSettings {
        endpoint_url: Some(url),
        ..settings.clone()
    };
    show(
        &assume_role_with_web_identity(&web_settings, &web)
            .await
            .unwrap(),
        None,
    );
    for (status, body) in [
        (400, "<ErrorResponse><Error><Code>InvalidIdentityToken</Code><Message>bad token</Message></Error></ErrorResponse>".to_string()),
        (200, sts_answer("AssumeRoleWithWebIdentity").replace("<Expiration>2030-01-01T00:00:00Z", "<Expiration>never")),
        (200, sts_answer("AssumeRoleWithWebIdentity").replace("</Credentials>", "")),
    ] {
        let url = serve(vec![("/", status, body)]).await;
        let settings = StsSettings { endpoint_url: Some(url), ..settings.clone() };
        let err = assume_role_with_web_identity(&settings, &web).await.unwrap_err();
        show(&err, Some(&err));
        let err = assume_role(&settings, &source, &role).await.unwrap_err();
        show(&err, Some(&err));
    }

    // SSO: a cached token refreshed through SSO-OIDC, then role credentials; then failures.
    let home = std::env::temp_dir().join(format!("secrets-sso-{}", std::process::id()));
    std::fs::create_dir_all(home.join(".aws/sso/cache")).unwrap();
    let role_answer = r#"{"roleCredentials":{"accessKeyId":"ASIASSO","secretAccessKey":"SSO-ROLE-SECRET-11","sessionToken":"SSO-ROLE-TOKEN-12","expiration":1893456000000}}"#;
    let url = serve(vec![
        ("/token", 200, r#"{"accessToken":"SSO-NEW-ACCESS-TOKEN-9","expiresIn":3600,"refreshToken":"SSO-NEW-REFRESH-TOKEN-10"}"#.to_string()),
        ("/federation", 200, role_answer.to_string()),
    ])
    .await;
    let env = Env::from_vars([
        ("HOME", home.to_string_lossy().into_owned()),
        ("AWS_ENDPOINT_URL", url),
    ]);
    let req = SsoRequest {
        start_url: "https://d-1.awsapps.com/start".into(),
        sso_region: "us-east-1".into(),
        account_id: "123456789012".into(),
        role_name: "R".into(),
        session_name: Some("s".into()),
        registration_scopes: None,
    };
    let cached = r#"{"accessToken":"SSO-ACCESS-TOKEN-6","expiresAt":"2020-01-01T00:00:00Z","refreshToken":"SSO-REFRESH-TOKEN-7","clientId":"cid","clientSecret":"SSO-CLIENT-SECRET-8","registrationExpiresAt":"2099-01-01T00:00:00Z"}"#;
    let path = cache_file(&env, &req).unwrap();
    std::fs::write(&path, cached).unwrap();
    show(&CachedToken::parse(cached).unwrap(), None);
    let c = get_role_credentials(&env, &SystemClock, &req)
        .await
        .unwrap();
    assert_eq!(c.secret_access_key(), "SSO-ROLE-SECRET-11");
    show(&c, None);
    show(&req, None);
    show(&env, None);
    // A refused refresh of an expired token, and an unauthorized GetRoleCredentials.
    let url = serve(vec![
        (
            "/token",
            400,
            r#"{"error":"invalid_grant","error_description":"no"}"#.to_string(),
        ),
        (
            "/federation",
            401,
            r#"{"message":"Session token not found or invalid"}"#.to_string(),
        ),
    ])
    .await;
    let env = Env::from_vars([
        ("HOME", home.to_string_lossy().into_owned()),
        ("AWS_ENDPOINT_URL", url),
    ]);
    std::fs::write(&path, cached).unwrap();
    let err = get_role_credentials(&env, &SystemClock, &req)
        .await
        .unwrap_err();
    show(&err, Some(&err));
    std::fs::write(&path, cached.replace("2020-01-01", "2099-01-01")).unwrap();
    let err = get_role_credentials(
        &env,
        &Fixed(
            DateTime::parse("2030-01-01T00:00:00Z", Format::DateTime)
                .unwrap()
                .into(),
        ),
        &req,
    )
    .await
    .unwrap_err();
    show(&err, Some(&err));
    std::fs::write(
        &path,
        r#"{"accessToken":"SSO-ACCESS-TOKEN-6","expiresAt":"garbage"}"#,
    )
    .unwrap();
    let err = get_role_credentials(&env, &SystemClock, &req)
        .await
        .unwrap_err();
    show(&err, Some(&err));
    std::fs::remove_dir_all(&home).unwrap();

    // IoT: the private key in the builder, the provider, errors; the answer's keys.
    let key_pem = "-----BEGIN PRIVATE KEY-----\nIOTPRIVATEKEYBODY15\n-----END PRIVATE KEY-----\n";
    let builder = IotCredentialsProvider::builder()
        .endpoint("127.0.0.1:1")
        .thing_name("cam")
        .role_alias("alias")
        .certificate_pem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
        .private_key_pem(key_pem);
    show(&builder, None);
    let err = builder.clone().build().unwrap_err();
    show(&err, Some(&err));
    let err = builder
        .clone()
        .certificate_pem("not a certificate")
        .build()
        .unwrap_err();
    show(&err, Some(&err));
    let iot_answer = r#"{"credentials":{"accessKeyId":"ASIAIOT","secretAccessKey":"IOT-SECRET-KEY-13","sessionToken":"IOT-SESSION-TOKEN-14","expiration":"2030-01-01T00:00:00Z"}}"#;
    let (cert, key) = test_identity();
    let url = serve(vec![
        ("/role-aliases/alias/", 200, iot_answer.to_string()),
        (
            "/role-aliases/denied/",
            403,
            r#"{"message":"Access Denied"}"#.to_string(),
        ),
    ])
    .await;
    let provider = IotCredentialsProvider::builder()
        .endpoint(&url)
        .thing_name("cam")
        .role_alias("alias")
        .certificate_pem(cert.clone())
        .private_key_pem(key.clone())
        .build()
        .unwrap();
    show(&provider, None);
    let c = provider.provide_credentials().await.unwrap();
    assert_eq!(c.secret_access_key(), "IOT-SECRET-KEY-13");
    show(&c, None);
    let denied = IotCredentialsProvider::builder()
        .endpoint(&url)
        .thing_name("cam")
        .role_alias("denied")
        .certificate_pem(cert)
        .private_key_pem(key.clone())
        .build()
        .unwrap();
    let err = denied.provide_credentials().await.unwrap_err();
    show(&err, Some(&err));
    // The generated key's own body must not show either.
    let key_line = key.lines().nth(1).unwrap().to_string();
    shown
        .iter()
        .for_each(|s| assert!(!s.contains(&key_line), "{s}"));

    // What is shown is really there (the access key ids are not secret)...
    for id in ["ASIASTS", "ASIASSO", "ASIAIOT", "AKIDSOURCE"] {
        assert!(shown.iter().any(|s| s.contains(id)), "{id} never shown");
    }
    check(&shown);
    // ...and the check does catch a secret.
    let leaked = vec![format!("x {} y", SECRETS[10])];
    assert!(std::panic::catch_unwind(|| check(&leaked)).is_err());
}

/// A real certificate and key (the transport checks they load), generated for this test.
fn test_identity() -> (String, String) {
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = rcgen::CertificateParams::new(vec!["cam".to_string()])
        .unwrap()
        .self_signed(&key)
        .unwrap();
    (cert.pem(), key.serialize_pem())
}
