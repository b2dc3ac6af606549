//! Streaming payloads against a real HTTP server on loopback: a multi-megabyte body reaches the
//! caller chunk by chunk before the server has finished sending it, a connection cut mid-stream
//! is an error (never a short success), and errors of streaming operations are still typed.
//! Also the data-plane flow: `data_endpoint` looks the endpoint up, and the data-plane call
//! goes there, signed for `kinesisvideo`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use kinesis_video_media::client::{Config, Credentials};
use kinesis_video_media::error::SdkError;
use kinesis_video_media::operation::get_media::GetMediaError;
use kinesis_video_media::types::{StartSelector, StartSelectorType};
use kinesis_video_media::Client;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

const MIB: usize = 1024 * 1024;

/// Deterministic, non-repeating-looking payload bytes.
fn payload(len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect()
}

/// Reads one request (head and Content-Length body); returns the head.
async fn read_request(socket: &mut TcpStream) -> String {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = socket.read(&mut chunk).await.expect("read request");
        assert!(n > 0, "connection closed before the request head");
        buf.extend_from_slice(&chunk[..n]);
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..pos]).into_owned();
            let len: usize = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse().unwrap())
                })
                .unwrap_or(0);
            while buf.len() < pos + 4 + len {
                let n = socket.read(&mut chunk).await.expect("read body");
                assert!(n > 0, "connection closed before the request body");
                buf.extend_from_slice(&chunk[..n]);
            }
            return head;
        }
    }
}

/// How the server frames the body.
#[derive(Clone, Copy)]
enum Framing {
    ContentLength,
    Chunked,
}

/// Serves one streaming response: the head and the first `first` bytes, then waits for
/// `go_on` (sent once the client has read from the stream), then the rest in 64 KiB pieces,
/// unless `cut_after` says to drop the connection after that many bytes.
async fn streaming_server(
    body: Vec<u8>,
    framing: Framing,
    first: usize,
    cut_after: Option<usize>,
) -> (String, oneshot::Sender<()>, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (go_on, wait) = oneshot::channel::<()>();
    let heads = Arc::new(Mutex::new(Vec::new()));
    let log = heads.clone();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let request_head = read_request(&mut socket).await;
        log.lock().unwrap().push(request_head);
        let framing_header = match framing {
            Framing::ContentLength => format!("content-length: {}", body.len()),
            Framing::Chunked => "transfer-encoding: chunked".to_string(),
        };
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: video/webm\r\nx-amzn-requestid: rid-1\r\n{framing_header}\r\n\r\n"
        );
        socket.write_all(head.as_bytes()).await.unwrap();
        let limit = cut_after.unwrap_or(body.len());
        let mut sent = 0;
        let mut waited = false;
        let mut wait = Some(wait);
        while sent < limit {
            if sent >= first && !waited {
                // The client must have a chunk in hand before the body is complete.
                let _ = wait.take().unwrap().await;
                waited = true;
            }
            let end = (sent + 64 * 1024)
                .min(limit)
                .min(if waited { limit } else { first });
            let piece = &body[sent..end];
            let write = match framing {
                Framing::ContentLength => socket.write_all(piece).await,
                Framing::Chunked => {
                    let mut framed = format!("{:x}\r\n", piece.len()).into_bytes();
                    framed.extend_from_slice(piece);
                    framed.extend_from_slice(b"\r\n");
                    socket.write_all(&framed).await
                }
            };
            if write.is_err() {
                return;
            }
            sent = end;
        }
        if cut_after.is_some() {
            // Drop the connection mid-body.
            return;
        }
        if let Framing::Chunked = framing {
            let _ = socket.write_all(b"0\r\n\r\n").await;
        }
        let _ = socket.flush().await;
        // Keep the socket open until the client is done reading.
        let mut rest = [0u8; 16];
        let _ = socket.read(&mut rest).await;
    });
    (url, go_on, heads)
}

fn client(url: &str) -> Client {
    Client::from_builder(
        Config::builder()
            .region("us-west-2")
            .credentials(Credentials::new("AKID", "SECRET", None))
            .endpoint_url(url)
            .max_attempts(1)
            .read_timeout(Duration::from_secs(10)),
    )
    .unwrap()
}

/// A Kinesis Video (control plane) client sending to `url`.
fn control_client(url: &str) -> kinesis_video::Client {
    kinesis_video::Client::from_builder(
        kinesis_video::client::Config::builder()
            .region("us-west-2")
            .credentials(kinesis_video::client::Credentials::new(
                "AKID", "SECRET", None,
            ))
            .endpoint_url(url),
    )
    .unwrap()
}

fn get_media(client: &Client) -> kinesis_video_media::client::GetMediaFluent {
    client.get_media().stream_name("cam").start_selector(
        StartSelector::builder()
            .start_selector_type(StartSelectorType::Now)
            .build(),
    )
}

/// Reads the payload chunk by chunk; sends `go_on` after the first chunk.
async fn read_all(
    mut payload: kinesis_video_media::primitives::ByteStream,
    go_on: oneshot::Sender<()>,
) -> (Vec<u8>, usize, Result<(), String>) {
    let mut got = Vec::new();
    let mut chunks = 0;
    let mut go_on = Some(go_on);
    while let Some(chunk) = payload.next().await {
        match chunk {
            Ok(bytes) => {
                got.extend_from_slice(&bytes);
                chunks += 1;
                if let Some(go) = go_on.take() {
                    let _ = go.send(());
                }
            }
            Err(e) => return (got, chunks, Err(e.to_string())),
        }
    }
    (got, chunks, Ok(()))
}

async fn streams_a_large_body(framing: Framing) {
    let body = payload(6 * MIB);
    let (url, go_on, heads) = streaming_server(body.clone(), framing, MIB, None).await;
    // The server holds back 5 MiB until we have read a chunk: a client that buffered the
    // whole body would never return from `send`.
    let output = tokio::time::timeout(Duration::from_secs(20), get_media(&client(&url)).send())
        .await
        .expect("send returns with the head, before the body is complete")
        .expect("GetMedia");
    assert_eq!(output.content_type.as_deref(), Some("video/webm"));
    assert!(
        output.payload.as_buffered().is_none(),
        "{:?}",
        output.payload
    );
    let (got, chunks, end) = read_all(output.payload, go_on).await;
    end.expect("the whole body arrives");
    assert_eq!(got.len(), body.len());
    assert!(got == body, "bytes differ");
    assert!(chunks > 1, "read in {chunks} chunk(s)");
    let head = heads.lock().unwrap()[0].clone();
    assert!(head.starts_with("POST /getMedia HTTP/1.1"), "{head}");
    assert!(
        head.contains("/us-west-2/kinesisvideo/aws4_request"),
        "signed for kinesisvideo: {head}"
    );
}

#[tokio::test]
async fn a_large_payload_is_read_incrementally_with_content_length() {
    streams_a_large_body(Framing::ContentLength).await;
}

#[tokio::test]
async fn a_large_payload_is_read_incrementally_when_chunked() {
    streams_a_large_body(Framing::Chunked).await;
}

async fn a_cut_connection_is_an_error(framing: Framing) {
    let body = payload(4 * MIB);
    let (url, go_on, _) = streaming_server(body, framing, 256 * 1024, Some(MIB + 12_345)).await;
    let output = get_media(&client(&url))
        .send()
        .await
        .expect("the head arrives");
    let (got, _, end) = read_all(output.payload, go_on).await;
    let error = end.expect_err("a body cut short must not end like a complete one");
    assert!(error.contains("connection broken"), "{error}");
    assert!(got.len() <= MIB + 12_345, "{} bytes", got.len());
}

#[tokio::test]
async fn a_connection_cut_mid_stream_is_an_error_with_content_length() {
    a_cut_connection_is_an_error(Framing::ContentLength).await;
}

#[tokio::test]
async fn a_connection_cut_mid_stream_is_an_error_when_chunked() {
    a_cut_connection_is_an_error(Framing::Chunked).await;
}

#[tokio::test]
async fn collect_and_write_to_read_the_rest() {
    let body = payload(3 * MIB + 7);
    let (url, go_on, _) = streaming_server(body.clone(), Framing::Chunked, usize::MAX, None).await;
    drop(go_on);
    let output = get_media(&client(&url)).send().await.unwrap();
    let mut sink = Vec::new();
    let written = output.payload.write_to(&mut sink).await.unwrap();
    assert_eq!(written as usize, body.len());
    assert!(sink == body);
}

/// A one-connection server answering `status` with a JSON body.
async fn json_server(status: u16, headers: &'static str, body: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        read_request(&mut socket).await;
        let out = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n{headers}content-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        let _ = socket.write_all(out.as_bytes()).await;
    });
    url
}

#[tokio::test]
async fn errors_of_streaming_operations_are_typed() {
    let url = json_server(
        404,
        "x-amzn-errortype: ResourceNotFoundException:http://internal/\r\nx-amzn-requestid: rid-9\r\n",
        r#"{"Message":"no stream cam"}"#,
    )
    .await;
    let err = get_media(&client(&url)).send().await.unwrap_err();
    match err {
        SdkError::Service(GetMediaError::ResourceNotFoundException(e)) => {
            assert_eq!(e.message.as_deref(), Some("no stream cam"));
            assert_eq!(e.meta().request_id(), Some("rid-9"));
        }
        other => panic!("expected ResourceNotFoundException, got {other:?}"),
    }
}

#[tokio::test]
async fn data_endpoint_lookup_then_a_per_call_endpoint() {
    // The control plane answers GetDataEndpoint with the data-plane server's URL.
    let body = payload(2 * MIB);
    let (data_url, go_on, heads) =
        streaming_server(body.clone(), Framing::ContentLength, usize::MAX, None).await;
    drop(go_on);
    let answer: &'static str =
        Box::leak(format!(r#"{{"DataEndpoint":"{data_url}"}}"#).into_boxed_str());
    let control_url = json_server(200, "", answer).await;
    let control = control_client(&control_url);
    let endpoint = control
        .data_endpoint("cam", kinesis_video::types::ApiName::GetMedia)
        .await
        .expect("GetDataEndpoint");
    assert_eq!(endpoint, data_url);
    // The media client itself points elsewhere; one call goes to the looked-up endpoint.
    let media = client("http://127.0.0.1:9");
    let output = get_media(&media)
        .with_endpoint_url(&endpoint)
        .send()
        .await
        .expect("GetMedia at the data endpoint");
    let got = output.payload.collect().await.unwrap();
    assert!(got == body);
    let head = heads.lock().unwrap()[0].clone();
    assert!(
        head.contains("/us-west-2/kinesisvideo/aws4_request"),
        "{head}"
    );
}

#[tokio::test]
async fn data_endpoint_sends_a_name_or_an_arn() {
    for (stream, key) in [
        ("cam", "StreamName"),
        (
            "arn:aws:kinesisvideo:us-west-2:123456789012:stream/cam/1",
            "StreamARN",
        ),
    ] {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut buf = vec![0u8; 64 * 1024];
            let mut got = Vec::new();
            // Head and the small JSON body.
            loop {
                let n = socket.read(&mut buf).await.unwrap();
                got.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&got);
                if let Some((_, body)) = text.split_once("\r\n\r\n") {
                    if body.ends_with('}') {
                        break;
                    }
                }
            }
            let body = r#"{}"#;
            let out = format!(
                "HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n{body}",
                body.len()
            );
            socket.write_all(out.as_bytes()).await.unwrap();
            String::from_utf8_lossy(&got).into_owned()
        });
        let control = control_client(&url);
        let result = control
            .data_endpoint(stream, kinesis_video::types::ApiName::GetClip)
            .await;
        let request = seen.await.unwrap();
        let body = request.split_once("\r\n\r\n").unwrap().1;
        assert_eq!(
            body,
            format!(r#"{{"{key}":"{stream}","APIName":"GET_CLIP"}}"#)
        );
        // An answer without DataEndpoint is a malformed response, not an empty URL.
        let err = result.unwrap_err();
        assert!(
            matches!(err, kinesis_video::error::SdkError::Response(_)),
            "{err:?}"
        );
        assert!(err.to_string().contains("without DataEndpoint"), "{err}");
    }
}
