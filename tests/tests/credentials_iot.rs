//! The AWS IoT credentials provider against a loopback TLS server that requires client
//! certificates, with a test CA, server and client certificates made here (rcgen).

use std::sync::{Arc, Mutex};

use kinesis_video::client::Config;
use kinesis_video::runtime::credentials::iot::IotCredentialsProvider;
use kinesis_video::runtime::credentials::{CredentialsErrorKind, ProvideCredentials};
use kinesis_video::Client;
use rcgen::{
    BasicConstraints, Certificate, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer, ServerName};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const ANSWER: &str = r#"{"credentials":{"accessKeyId":"ASIAIOTEXAMPLE","secretAccessKey":"IOT-SECRET-ACCESS-KEY","sessionToken":"IOT-SESSION-TOKEN","expiration":"2099-01-01T00:00:00Z"}}"#;

struct Pki {
    ca: Certificate,
    ca_key: KeyPair,
}

impl Pki {
    fn new(name: &str) -> Pki {
        let ca_key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let ca = params.self_signed(&ca_key).unwrap();
        Pki { ca, ca_key }
    }

    /// (certificate PEM, its key, the certificate).
    fn issue(
        &self,
        names: &[&str],
        cn: &str,
        eku: ExtendedKeyUsagePurpose,
    ) -> (String, KeyPair, Certificate) {
        let key = KeyPair::generate().unwrap();
        let mut params =
            CertificateParams::new(names.iter().map(|s| s.to_string()).collect::<Vec<_>>())
                .unwrap();
        params.distinguished_name.push(DnType::CommonName, cn);
        params.extended_key_usages = vec![eku];
        let cert = params.signed_by(&key, &self.ca, &self.ca_key).unwrap();
        (cert.pem(), key, cert)
    }
}

#[derive(Clone, Debug, Default)]
struct Seen {
    requests: Vec<(String, Vec<(String, String)>)>,
    refused_handshakes: usize,
}

/// A TLS server that requires a client certificate issued by `pki`; answers `status`/`body`.
async fn serve(pki: &Pki, status: u16, body: &'static str) -> (String, Arc<Mutex<Seen>>) {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    roots.add(pki.ca.der().clone()).unwrap();
    let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
        Arc::new(roots),
        provider.clone(),
    )
    .build()
    .unwrap();
    let (_, server_key, server_cert) = pki.issue(
        &["127.0.0.1", "localhost"],
        "server",
        ExtendedKeyUsagePurpose::ServerAuth,
    );
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_client_cert_verifier(verifier)
        .with_single_cert(
            vec![server_cert.der().clone()],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der())),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Seen::default()));
    let log = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            let log = log.clone();
            tokio::spawn(async move {
                let mut tls = match acceptor.accept(tcp).await {
                    Ok(tls) => tls,
                    Err(_) => {
                        log.lock().unwrap().refused_handshakes += 1;
                        return;
                    }
                };
                let mut buf = Vec::new();
                let mut chunk = [0u8; 2048];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&buf).into_owned();
                let mut lines = head.split("\r\n");
                let target = lines.next().unwrap().split(' ').nth(1).unwrap().to_string();
                let headers = lines
                    .filter_map(|l| l.split_once(':'))
                    .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
                    .collect();
                log.lock().unwrap().requests.push((target, headers));
                let response = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(response.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (url, seen)
}

fn provider(url: &str, pki: &Pki, client: &Pki) -> IotCredentialsProvider {
    let (cert_pem, key, _) = client.issue(&[], "cam-1", ExtendedKeyUsagePurpose::ClientAuth);
    IotCredentialsProvider::builder()
        .endpoint(url)
        .thing_name("cam-1")
        .role_alias("kvs-camera-alias")
        .certificate_pem(cert_pem)
        .private_key_pem(key.serialize_pem())
        .ca_pem(pki.ca.pem())
        .build()
        .unwrap()
}

#[tokio::test]
async fn credentials_over_mutual_tls() {
    let pki = Pki::new("test CA");
    let (url, seen) = serve(&pki, 200, ANSWER).await;
    let iot = provider(&url, &pki, &pki);
    let creds = iot.provide_credentials().await.unwrap();
    assert_eq!(creds.access_key_id(), "ASIAIOTEXAMPLE");
    assert_eq!(creds.secret_access_key(), "IOT-SECRET-ACCESS-KEY");
    assert_eq!(creds.session_token(), Some("IOT-SESSION-TOKEN"));
    assert_eq!(creds.provider_name(), "iot");
    assert!(creds.expiry().is_some());

    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.requests.len(), 1);
    let (target, headers) = &seen.requests[0];
    assert_eq!(target, "/role-aliases/kvs-camera-alias/credentials");
    assert!(
        headers.contains(&("x-amzn-iot-thingname".to_string(), "cam-1".to_string())),
        "{headers:?}"
    );
    assert!(!headers.iter().any(|(k, _)| k == "authorization"));
}

#[tokio::test]
async fn the_same_from_files() {
    let pki = Pki::new("test CA");
    let (url, _seen) = serve(&pki, 200, ANSWER).await;
    let (cert_pem, key, _) = pki.issue(&[], "cam-1", ExtendedKeyUsagePurpose::ClientAuth);
    let dir = std::env::temp_dir().join(format!("iot-files-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("cert.pem"), cert_pem).unwrap();
    std::fs::write(dir.join("key.pem"), key.serialize_pem()).unwrap();
    std::fs::write(dir.join("ca.pem"), pki.ca.pem()).unwrap();
    let iot = IotCredentialsProvider::builder()
        .endpoint(&url)
        .thing_name("cam-1")
        .role_alias("kvs-camera-alias")
        .certificate_file(dir.join("cert.pem"))
        .private_key_file(dir.join("key.pem"))
        .ca_file(dir.join("ca.pem"))
        .build()
        .unwrap();
    assert_eq!(
        iot.provide_credentials().await.unwrap().access_key_id(),
        "ASIAIOTEXAMPLE"
    );
    let err = IotCredentialsProvider::builder()
        .endpoint(&url)
        .thing_name("cam-1")
        .role_alias("kvs-camera-alias")
        .certificate_file(dir.join("cert.pem"))
        .private_key_file(dir.join("missing-key.pem"))
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert!(err.to_string().contains("missing-key.pem"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_client_without_a_trusted_certificate_is_refused() {
    let pki = Pki::new("test CA");
    let (url, seen) = serve(&pki, 200, ANSWER).await;
    let addr = url.trim_start_matches("https://").to_string();

    // A TLS client that trusts the server but has no certificate of its own.
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    roots.add(pki.ca.der().clone()).unwrap();
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let tcp = TcpStream::connect(&addr).await.unwrap();
    let mut answered = Vec::new();
    if let Ok(mut tls) = connector
        .connect(ServerName::try_from("127.0.0.1").unwrap(), tcp)
        .await
    {
        // In TLS 1.3 the server's refusal arrives after the client's side of the handshake.
        let _ = tls
            .write_all(b"GET /role-aliases/kvs-camera-alias/credentials HTTP/1.1\r\nhost: x\r\nx-amzn-iot-thingname: cam-1\r\n\r\n")
            .await;
        let _ = tls.read_to_end(&mut answered).await;
    }
    assert!(
        answered.is_empty(),
        "{}",
        String::from_utf8_lossy(&answered)
    );

    // Our provider with a certificate from a CA the server does not trust.
    let stranger = Pki::new("another CA");
    let iot = {
        let (cert_pem, key, _) = stranger.issue(&[], "cam-1", ExtendedKeyUsagePurpose::ClientAuth);
        let key_pem = key.serialize_pem();
        let iot = IotCredentialsProvider::builder()
            .endpoint(&url)
            .thing_name("cam-1")
            .role_alias("kvs-camera-alias")
            .certificate_pem(cert_pem)
            .private_key_pem(key_pem.clone())
            .ca_pem(pki.ca.pem())
            .build()
            .unwrap();
        (iot, key_pem)
    };
    let err = iot.0.provide_credentials().await.unwrap_err();
    println!("refused certificate: {err}");
    // The TLS alert is part of the message, so a user sees why.
    assert!(err.to_string().contains("UnknownCA"), "{err}");
    let shown = format!("{err} {err:?} {:?}", iot.0);
    let key_body: String = iot.1.lines().nth(1).unwrap().to_string();
    assert!(
        !shown.contains(&key_body),
        "the private key leaked: {shown}"
    );

    let seen = seen.lock().unwrap().clone();
    assert!(seen.requests.is_empty(), "{seen:?}");
    assert!(seen.refused_handshakes >= 2, "{seen:?}");
}

#[tokio::test]
async fn a_403_names_the_likely_cause() {
    let pki = Pki::new("test CA");
    let (url, _) = serve(&pki, 403, r#"{"message":"Access Denied"}"#).await;
    let err = provider(&url, &pki, &pki)
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::ProviderError);
    assert!(err.to_string().contains("HTTP 403: Access Denied"), "{err}");
    let (url, _) = serve(&pki, 200, "{\"credentials\": 5}").await;
    let err = provider(&url, &pki, &pki)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("malformed"), "{err}");
}

/// A plain HTTP server standing in for Kinesis Video: records the signed request's headers.
async fn kinesis_video_stand_in() -> (String, Arc<Mutex<Vec<Vec<(String, String)>>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
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
            log.lock().unwrap().push(
                head.split("\r\n")
                    .skip(1)
                    .filter_map(|l| l.split_once(':'))
                    .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
                    .collect(),
            );
            let body = r#"{"StreamInfo":{"StreamName":"cam-1","Status":"ACTIVE"}}"#;
            let _ = tcp
                .write_all(
                    format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    )
                    .as_bytes(),
                )
                .await;
        }
    });
    (url, seen)
}

#[tokio::test]
async fn the_credentials_sign_a_kinesis_video_call() {
    let pki = Pki::new("test CA");
    let (url, _) = serve(&pki, 200, ANSWER).await;
    let creds = provider(&url, &pki, &pki)
        .provide_credentials()
        .await
        .unwrap();
    let (kvs_url, seen) = kinesis_video_stand_in().await;
    let client = Client::from_builder(
        Config::builder()
            .region("us-west-2")
            .credentials(creds)
            .endpoint_url(kvs_url)
            .max_attempts(1),
    )
    .unwrap();
    let out = client
        .describe_stream()
        .stream_name("cam-1")
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.stream_info.unwrap().stream_name.as_deref(),
        Some("cam-1")
    );
    let headers = seen.lock().unwrap()[0].clone();
    let get = |n: &str| {
        headers
            .iter()
            .find(|(k, _)| k == n)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    assert!(
        get("authorization").starts_with("AWS4-HMAC-SHA256 Credential=ASIAIOTEXAMPLE/"),
        "{headers:?}"
    );
    assert!(get("authorization").contains("/us-west-2/kinesisvideo/aws4_request"));
    assert!(get("authorization").contains("x-amz-security-token"));
    assert_eq!(get("x-amz-security-token"), "IOT-SESSION-TOKEN");
}

/// `kvs` on a device: the `--iot-*` options (and the same as `iot_*` profile keys) fetch the
/// credentials over mutual TLS, and the call is signed with them.
#[tokio::test]
async fn kvs_signs_with_iot_credentials_from_options_or_profile() {
    let pki = Pki::new("test CA");
    let (url, iot_seen) = serve(&pki, 200, ANSWER).await;
    let (kvs_url, seen) = kinesis_video_stand_in().await;
    let (cert_pem, key, _) = pki.issue(&[], "cam-1", ExtendedKeyUsagePurpose::ClientAuth);
    let dir = std::env::temp_dir().join(format!("kvs-iot-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("cert.pem"), cert_pem).unwrap();
    std::fs::write(dir.join("key.pem"), key.serialize_pem()).unwrap();
    std::fs::write(dir.join("ca.pem"), pki.ca.pem()).unwrap();
    std::fs::write(
        dir.join("config"),
        format!(
            "[profile camera]\nregion = us-west-2\niot_credentials_endpoint = {url}\niot_thing_name = cam-1\niot_role_alias = kvs-camera-alias\niot_cert_file = ~/cert.pem\niot_key_file = ~/key.pem\niot_ca_file = ~/ca.pem\n"
        ),
    )
    .unwrap();
    let home = dir.to_str().unwrap().to_string();
    let args = |extra: &[&str]| -> Vec<String> {
        [
            "describe-stream",
            "--stream-name",
            "cam-1",
            "--endpoint-url",
            &kvs_url,
        ]
        .iter()
        .chain(extra)
        .map(|s| s.to_string())
        .collect()
    };
    let options = [
        "--iot-endpoint",
        &url,
        "--iot-thing-name",
        "cam-1",
        "--iot-role-alias",
        "kvs-camera-alias",
        "--iot-cert",
        &format!("{home}/cert.pem"),
        "--iot-key",
        &format!("{home}/key.pem"),
        "--iot-ca",
        &format!("{home}/ca.pem"),
    ]
    .map(String::from);
    let options: Vec<&str> = options.iter().map(String::as_str).collect();
    let by_options = kvs_cli::run(
        &args(&options),
        kvs_cli::Settings::from_vars([("AWS_REGION", "us-west-2"), ("HOME", home.as_str())]),
    )
    .await;
    assert_eq!(by_options.code, 0, "{}", by_options.stderr);
    let by_profile = kvs_cli::run(
        &args(&[]),
        kvs_cli::Settings::from_vars([
            ("AWS_PROFILE", "camera"),
            ("AWS_CONFIG_FILE", &format!("{home}/config")),
            ("HOME", home.as_str()),
        ]),
    )
    .await;
    assert_eq!(by_profile.code, 0, "{}", by_profile.stderr);
    assert!(by_profile.stdout.contains("cam-1"), "{}", by_profile.stdout);

    assert_eq!(iot_seen.lock().unwrap().requests.len(), 2);
    for headers in seen.lock().unwrap().iter() {
        let auth = headers
            .iter()
            .find(|(k, _)| k == "authorization")
            .map(|(_, v)| v.as_str())
            .unwrap_or_default();
        assert!(
            auth.starts_with("AWS4-HMAC-SHA256 Credential=ASIAIOTEXAMPLE/"),
            "{auth}"
        );
        assert!(headers.contains(&(
            "x-amz-security-token".to_string(),
            "IOT-SESSION-TOKEN".to_string()
        )));
    }
    assert_eq!(seen.lock().unwrap().len(), 2);

    // A refused IoT call is a clear failure (exit 255), not a call with other credentials.
    let refused = kvs_cli::run(
        &args(&options[..options.len() - 2]),
        kvs_cli::Settings::from_vars([("AWS_REGION", "us-west-2"), ("HOME", home.as_str())]),
    )
    .await;
    assert_eq!(refused.code, kvs_cli::OTHER_ERROR);
    assert!(
        refused.stderr.contains("IoT credentials"),
        "{}",
        refused.stderr
    );
    assert_eq!(seen.lock().unwrap().len(), 2);
    std::fs::remove_dir_all(&dir).unwrap();
}
