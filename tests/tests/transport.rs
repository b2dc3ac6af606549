//! The default transport against servers on loopback: connections kept and reused, a body that
//! stalls, and proxies: HTTPS in a `CONNECT` tunnel (TLS end to end, the proxy's credentials in
//! the `CONNECT` only), plain HTTP sent to the proxy with its absolute URL, `NO_PROXY` hosts
//! reached directly, and the configuration's client reading `HTTPS_PROXY`/`HTTP_PROXY` from its
//! environment.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use kinesis_video::client::{Config, Credentials};
use kinesis_video::runtime::profile::Env;
use kinesis_video::runtime::transport::{
    HttpClient, HttpTimeouts, HyperClient, OutgoingRequest, ProxySettings, TransportErrorKind,
};
use kinesis_video::Client;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// `user:p@ss` in a Basic `Proxy-Authorization`.
const BASIC_USER_PASS: &str = "Basic dXNlcjpwQHNz";

/// Reads up to the end of a request head.
async fn read_head(socket: &mut TcpStream) -> String {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        if socket.read(&mut byte).await.unwrap() == 0 {
            break;
        }
        buf.push(byte[0]);
    }
    String::from_utf8(buf).unwrap()
}

/// A TLS server for `localhost` answering every request on its connection `200 ok:<path>`;
/// its address and certificate.
async fn tls_server() -> (
    std::net::SocketAddr,
    rustls::pki_types::CertificateDer<'static>,
) {
    let (acceptor, cert) = wire_tests::tls::localhost_acceptor(&[]);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut stream) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut buf = Vec::new();
                let mut chunk = [0u8; 1024];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    let n = stream.read(&mut chunk).await.unwrap_or(0);
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                }
                let head = String::from_utf8_lossy(&buf).into_owned();
                let path = head.split(' ').nth(1).unwrap_or("").to_string();
                let body = format!("ok:{path}");
                let answer = format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(answer.as_bytes()).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    (addr, cert)
}

/// A proxy that tunnels every `CONNECT` to where it asks, and answers any other request
/// itself with `answer`; the heads it received, in order.
async fn proxy(answer: &'static str) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            let log = log.clone();
            tokio::spawn(async move {
                let head = read_head(&mut client).await;
                log.lock().unwrap().push(head.clone());
                if let Some(target) = head.strip_prefix("CONNECT ") {
                    let target = target.split(' ').next().unwrap().to_string();
                    let mut upstream = TcpStream::connect(target).await.unwrap();
                    client
                        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                        .await
                        .unwrap();
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
                } else {
                    let reply = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
                        answer.len()
                    );
                    let _ = client.write_all(reply.as_bytes()).await;
                }
            });
        }
    });
    (url, seen)
}

fn get(url: String) -> OutgoingRequest {
    OutgoingRequest::new("GET", url)
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|l| {
        let (n, v) = l.split_once(':')?;
        n.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

#[tokio::test]
async fn https_goes_through_a_connect_tunnel_unless_no_proxy_names_the_host() {
    let (server, cert) = tls_server().await;
    let (proxy_url, seen) = proxy("").await;
    let authority = format!("localhost:{}", server.port());
    let proxied = HyperClient::builder()
        .add_root_certificates([cert.clone()])
        .proxies(ProxySettings::none().https(proxy_url.replace("http://", "http://user:p%40ss@")))
        .build()
        .unwrap();
    let answer = proxied
        .send(get(format!("https://{authority}/through?x=1")))
        .await
        .unwrap();
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body.collect().await.unwrap(), b"ok:/through?x=1");
    {
        let heads = seen.lock().unwrap();
        assert_eq!(heads.len(), 1, "{heads:?}");
        assert!(
            heads[0].starts_with(&format!("CONNECT {authority} HTTP/1.1\r\n")),
            "{}",
            heads[0]
        );
        assert_eq!(
            header(&heads[0], "proxy-authorization"),
            Some(BASIC_USER_PASS)
        );
    }

    let direct = HyperClient::builder()
        .add_root_certificates([cert])
        .proxies(
            ProxySettings::none()
                .https(proxy_url.clone())
                .no_proxy("example.com, localhost"),
        )
        .build()
        .unwrap();
    let answer = direct
        .send(get(format!("https://{authority}/direct")))
        .await
        .unwrap();
    assert_eq!(answer.body.collect().await.unwrap(), b"ok:/direct");
    assert_eq!(seen.lock().unwrap().len(), 1, "NO_PROXY went to the proxy");
}

#[tokio::test]
async fn plain_http_is_sent_to_the_proxy_with_its_absolute_url() {
    let (proxy_url, seen) = proxy("from the proxy").await;
    let client = HyperClient::builder()
        .proxies(ProxySettings::none().http(proxy_url.replace("http://", "user:p%40ss@")))
        .build()
        .unwrap();
    let answer = client
        .send(get("http://metadata.example.invalid:8080/a/b?c=d".into()))
        .await
        .unwrap();
    assert_eq!(answer.body.collect().await.unwrap(), b"from the proxy");
    let heads = seen.lock().unwrap();
    assert!(
        heads[0].starts_with("GET http://metadata.example.invalid:8080/a/b?c=d HTTP/1.1\r\n"),
        "{}",
        heads[0]
    );
    assert_eq!(
        header(&heads[0], "proxy-authorization"),
        Some(BASIC_USER_PASS)
    );
    assert_eq!(
        header(&heads[0], "host"),
        Some("metadata.example.invalid:8080")
    );
}

/// The configuration's client takes its proxies from the configuration's environment; the
/// signed request reaches the proxy unchanged (its `Proxy-Authorization` unsigned).
#[tokio::test]
async fn the_configured_client_reads_the_proxy_from_its_environment() {
    let (proxy_url, seen) = proxy(r#"{"ImageGenerationConfiguration":null}"#).await;
    let client = Client::from_builder(
        Config::builder()
            .env(Env::from_vars([
                ("HTTP_PROXY", proxy_url.replace("http://", "user:p%40ss@")),
                ("NO_PROXY", "169.254.169.254".to_string()),
            ]))
            .region("us-east-1")
            .credentials(Credentials::new("AKIDEXAMPLE", "secret", None))
            .endpoint_url("http://kinesisvideo.example.invalid"),
    )
    .unwrap();
    let out = client
        .describe_image_generation_configuration()
        .stream_name("cam-1")
        .send()
        .await
        .unwrap();
    assert!(out.image_generation_configuration.is_none());
    let heads = seen.lock().unwrap();
    assert_eq!(heads.len(), 1, "{heads:?}");
    let head = &heads[0];
    assert!(
        head.starts_with(
            "POST http://kinesisvideo.example.invalid/describeImageGenerationConfiguration HTTP/1.1\r\n"
        ),
        "{head}"
    );
    assert_eq!(header(head, "proxy-authorization"), Some(BASIC_USER_PASS));
    let authorization = header(head, "authorization").unwrap();
    assert!(
        authorization.contains("SignedHeaders=") && !authorization.contains("proxy-authorization"),
        "{authorization}"
    );
}

/// Three calls in a row go over one connection: the pool keeps it between calls.
#[tokio::test]
async fn a_connection_is_kept_and_reused() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                loop {
                    let head = read_head(&mut socket).await;
                    if head.is_empty() {
                        return;
                    }
                    let reply = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
                    if socket.write_all(reply.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    let client = HyperClient::new(HttpTimeouts::default()).unwrap();
    for i in 0..3 {
        let answer = client.send(get(format!("{url}/{i}"))).await.unwrap();
        assert_eq!(answer.body.collect().await.unwrap(), b"ok");
    }
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
}

/// A body that stops arriving for longer than the read timeout ends in a `Timeout` error, not
/// in a short body.
#[tokio::test]
async fn a_body_that_stalls_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        read_head(&mut socket).await;
        socket
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf")
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_secs(5)).await;
    });
    let client = HyperClient::new(HttpTimeouts {
        connect: Duration::from_secs(1),
        read: Duration::from_millis(200),
    })
    .unwrap();
    let mut answer = client.send(get(format!("{url}/slow"))).await.unwrap();
    assert_eq!(answer.body.next().await.unwrap().unwrap(), b"half");
    let e = answer.body.next().await.unwrap().unwrap_err();
    assert_eq!(e.kind(), TransportErrorKind::Timeout, "{e}");
}
