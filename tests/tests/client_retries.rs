//! The client against a real HTTP server on loopback: what it sends, what it retries (and
//! what it must not), timeouts, refused connections, and the invocation id across attempts.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use kinesis_video::client::{Config, Credentials};
use kinesis_video::error::SdkError;
use kinesis_video::operation::describe_image_generation_configuration::DescribeImageGenerationConfigurationError as OpError;
use kinesis_video::runtime::retry::RetryConfig;
use kinesis_video::Client;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// What the server does for one request.
#[derive(Clone)]
enum Reply {
    /// Status, extra headers, body.
    Http(u16, Vec<(&'static str, &'static str)>, &'static str),
    /// Close the connection without answering.
    Drop,
    /// Read the request and never answer.
    Hang,
}

#[derive(Debug, Clone)]
struct Seen {
    head: String,
    body: String,
}

impl Seen {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

/// A server answering the scripted replies in order, one per connection, then stopping.
async fn server(script: Vec<Reply>) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        for reply in script {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            // Read the head, then the body by content-length.
            let (head, body) = loop {
                let n = socket.read(&mut chunk).await.unwrap_or(0);
                if n == 0 {
                    break (String::new(), String::new());
                }
                buf.extend_from_slice(&chunk[..n]);
                if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = String::from_utf8_lossy(&buf[..pos]).into_owned();
                    let len = head
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse::<usize>().unwrap())
                        })
                        .unwrap_or(0);
                    while buf.len() < pos + 4 + len {
                        let n = socket.read(&mut chunk).await.unwrap_or(0);
                        if n == 0 {
                            break;
                        }
                        buf.extend_from_slice(&chunk[..n]);
                    }
                    break (head, String::from_utf8_lossy(&buf[pos + 4..]).into_owned());
                }
            };
            log.lock().unwrap().push(Seen { head, body });
            match reply {
                Reply::Http(status, headers, body) => {
                    let mut out = format!(
                        "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n",
                        body.len()
                    );
                    for (n, v) in headers {
                        out.push_str(&format!("{n}: {v}\r\n"));
                    }
                    out.push_str("\r\n");
                    out.push_str(body);
                    let _ = socket.write_all(out.as_bytes()).await;
                }
                Reply::Drop => drop(socket),
                Reply::Hang => {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                }
            }
        }
    });
    (url, seen)
}

fn client(url: &str, max_attempts: u32) -> Client {
    Client::from_builder(
        Config::builder()
            .region("us-west-2")
            .credentials(Credentials::new("AKID", "SECRET", None))
            .endpoint_url(url)
            .retry_config(RetryConfig {
                max_attempts,
                initial_backoff: Duration::from_millis(5),
                max_backoff: Duration::from_millis(20),
            })
            .read_timeout(Duration::from_millis(300)),
    )
    .unwrap()
}

const OK: &str = r#"{"ImageGenerationConfiguration":{"Status":"ENABLED","SamplingInterval":3000}}"#;

fn ok() -> Reply {
    Reply::Http(
        200,
        vec![
            ("x-amzn-RequestId", "rid-ok"),
            ("content-type", "application/json"),
        ],
        OK,
    )
}

fn error(status: u16, code: &'static str) -> Reply {
    Reply::Http(
        status,
        vec![("x-amzn-ErrorType", code), ("x-amzn-RequestId", "rid-err")],
        r#"{"message":"nope"}"#,
    )
}

async fn call(c: &Client) -> Result<kinesis_video::operation::describe_image_generation_configuration::DescribeImageGenerationConfigurationOutput, SdkError<OpError>>{
    c.describe_image_generation_configuration()
        .stream_name("cam-1")
        .send()
        .await
}

#[tokio::test]
async fn success_sends_a_signed_request_and_reads_the_output() {
    let (url, seen) = server(vec![ok()]).await;
    let out = call(&client(&url, 3)).await.unwrap();
    let config = out.image_generation_configuration.unwrap();
    assert_eq!(config.status.unwrap().as_str(), "ENABLED");
    assert_eq!(config.sampling_interval, Some(3000));
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    let r = &seen[0];
    assert!(
        r.head
            .starts_with("POST /describeImageGenerationConfiguration HTTP/1.1"),
        "{}",
        r.head
    );
    assert_eq!(r.body, r#"{"StreamName":"cam-1"}"#);
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("application/json")
    );
    let auth = r.header("authorization").unwrap();
    assert!(
        auth.starts_with("AWS4-HMAC-SHA256 Credential=AKID/")
            && auth.contains("/us-west-2/kinesisvideo/aws4_request"),
        "{auth}"
    );
    assert_eq!(
        r.header("amz-sdk-request").as_deref(),
        Some("attempt=1; max=3")
    );
    assert!(r
        .header("user-agent")
        .unwrap()
        .starts_with("kinesis-video/"));
    assert!(!r.head.contains("SECRET"));
}

#[tokio::test]
async fn each_modeled_error_arrives_typed_and_is_not_retried() {
    for (status, code) in [
        (400, "InvalidArgumentException"),
        (400, "ClientLimitExceededException"),
        (404, "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.kinesisvideo/"),
        (401, "AccessDeniedException"),
    ] {
        let (url, seen) = server(vec![error(status, code), ok()]).await;
        let err = call(&client(&url, 3)).await.unwrap_err();
        let SdkError::Service(e) = err else { panic!("{code}: {err:?}") };
        assert!(code.starts_with(e.code().unwrap()), "{code} vs {:?}", e.code());
        assert!(!matches!(e, OpError::Unhandled(_)), "{e:?}");
        assert_eq!((e.meta().status(), e.request_id(), e.message()), (status, Some("rid-err"), Some("nope")));
        assert_eq!(seen.lock().unwrap().len(), 1, "{code} must not be retried");
    }
}

#[tokio::test]
async fn transient_errors_are_retried_with_the_same_invocation_id() {
    let (url, seen) = server(vec![error(500, "InternalFailure"), ok()]).await;
    call(&client(&url, 3)).await.unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    assert_eq!(
        seen[0].header("amz-sdk-invocation-id"),
        seen[1].header("amz-sdk-invocation-id")
    );
    assert_eq!(
        seen[1].header("amz-sdk-request").as_deref(),
        Some("attempt=2; max=3")
    );
    assert_ne!(seen[0].header("amz-sdk-invocation-id"), None);
}

#[tokio::test]
async fn three_503s_use_up_the_attempts() {
    let (url, seen) = server(vec![error(503, "ServiceUnavailable"); 3]).await;
    let err = call(&client(&url, 3)).await.unwrap_err();
    assert_eq!(err.as_service_error().map(|e| e.meta().status()), Some(503));
    assert_eq!(seen.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn throttling_is_retried() {
    let (url, seen) = server(vec![error(400, "ThrottlingException"), ok()]).await;
    call(&client(&url, 3)).await.unwrap();
    assert_eq!(seen.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn a_dropped_connection_is_retried() {
    let (url, seen) = server(vec![Reply::Drop, ok()]).await;
    call(&client(&url, 3)).await.unwrap();
    assert_eq!(seen.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn a_read_timeout_is_a_dispatch_error() {
    let (url, _) = server(vec![Reply::Hang]).await;
    let err = call(&client(&url, 1)).await.unwrap_err();
    assert!(matches!(err, SdkError::Dispatch(_)), "{err:?}");
    assert!(err.to_string().contains("timed out"), "{err}");
}

#[tokio::test]
async fn the_operation_timeout_bounds_the_whole_call() {
    let (url, _) = server(vec![Reply::Hang, Reply::Hang, Reply::Hang]).await;
    let c = Client::from_builder(
        Config::builder()
            .region("us-west-2")
            .credentials(Credentials::new("AKID", "SECRET", None))
            .endpoint_url(&url)
            .operation_timeout(Duration::from_millis(150)),
    )
    .unwrap();
    let started = std::time::Instant::now();
    let err = call(&c).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(err.to_string().contains("operation timeout"), "{err}");
}

#[tokio::test]
async fn connection_refused_is_retried_then_reported() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let err = call(&client(&format!("http://127.0.0.1:{port}"), 2))
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::Dispatch(_)), "{err:?}");
    assert!(err.to_string().contains("connection failed"), "{err}");
}

#[tokio::test]
async fn invalid_input_sends_nothing() {
    let (url, seen) = server(vec![ok()]).await;
    let err = client(&url, 3)
        .describe_image_generation_configuration()
        .stream_name("")
        .send()
        .await
        .unwrap_err();
    let SdkError::Validation(v) = err else {
        panic!("{err:?}")
    };
    assert_eq!(v.errors()[0].path, "StreamName");
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert!(seen.lock().unwrap().is_empty());
}

#[tokio::test]
async fn the_list_streams_paginator_follows_tokens() {
    let pages = vec![
        Reply::Http(
            200,
            vec![],
            r#"{"StreamInfoList":[{"StreamName":"a"},{"StreamName":"b"}],"NextToken":"t1"}"#,
        ),
        Reply::Http(
            200,
            vec![],
            r#"{"StreamInfoList":[{"StreamName":"c"}],"NextToken":"t2"}"#,
        ),
        Reply::Http(200, vec![], r#"{"StreamInfoList":[{"StreamName":"d"}]}"#),
    ];
    let (url, seen) = server(pages).await;
    use futures_util::StreamExt;
    let names: Vec<String> = client(&url, 1)
        .list_streams()
        .max_results(2)
        .into_items()
        .map(|item| item.unwrap().stream_name.unwrap())
        .collect()
        .await;
    assert_eq!(names, ["a", "b", "c", "d"]);
    let bodies: Vec<String> = seen
        .lock()
        .unwrap()
        .iter()
        .map(|s| s.body.clone())
        .collect();
    assert_eq!(
        bodies,
        [
            r#"{"MaxResults":2}"#,
            r#"{"MaxResults":2,"NextToken":"t1"}"#,
            r#"{"MaxResults":2,"NextToken":"t2"}"#
        ]
    );
}

#[tokio::test]
async fn a_paginator_stops_when_the_service_repeats_the_token() {
    let pages = vec![
        Reply::Http(
            200,
            vec![],
            r#"{"StreamInfoList":[{"StreamName":"a"}],"NextToken":"t1"}"#,
        ),
        Reply::Http(
            200,
            vec![],
            r#"{"StreamInfoList":[{"StreamName":"b"}],"NextToken":"t1"}"#,
        ),
        // Never asked for: the repeated token ends the pages.
        Reply::Http(200, vec![], r#"{"StreamInfoList":[{"StreamName":"c"}]}"#),
    ];
    let (url, seen) = server(pages).await;
    use futures_util::StreamExt;
    let names: Vec<String> = client(&url, 1)
        .list_streams()
        .into_items()
        .map(|item| item.unwrap().stream_name.unwrap())
        .collect()
        .await;
    assert_eq!(names, ["a", "b"]);
    assert_eq!(seen.lock().unwrap().len(), 2);
}

/// A writer the tracing subscriber prints into.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn each_attempt_is_traced_without_secrets() {
    let captured = Captured::default();
    let sink = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || sink.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let (url, _) = server(vec![error(503, "ServiceUnavailable"), ok()]).await;
    call(&client(&url, 3)).await.unwrap();
    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        text.contains("operation=\"DescribeImageGenerationConfiguration\"")
            || text.contains("operation=DescribeImageGenerationConfiguration"),
        "{text}"
    );
    assert!(
        text.contains("attempt=1") && text.contains("attempt=2"),
        "{text}"
    );
    assert!(
        text.contains("status=503") && text.contains("status=200"),
        "{text}"
    );
    assert!(
        text.contains("request_id=\"rid-ok\"") || text.contains("request_id=rid-ok"),
        "{text}"
    );
    assert!(text.contains("duration_ms="), "{text}");
    assert!(!text.contains("SECRET"), "{text}");
}
