// @generated: a verbatim copy of `runtime/src/transport.rs` of smithy-lite-runtime.
// Do not edit: run `cargo xtask codegen`.

//! The HTTP client behind a small trait, so that users can plug in their own (or a replay of
//! recorded exchanges in tests). The default is reqwest with rustls.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use super::byte_stream::ByteStream;
use super::error::BoxError;
use super::http::Headers;

/// A request ready to go: absolute URL, signed headers, body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutgoingRequest {
    pub method: String,
    pub url: String,
    pub headers: Headers,
    pub body: Vec<u8>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransportErrorKind {
    /// The connection could not be made (refused, DNS, TLS).
    Connect,
    /// Connect or read timeout.
    Timeout,
    /// The connection broke while sending or receiving.
    Io,
    /// Anything else (a malformed URL, ...): not retried.
    Other,
}

#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    source: BoxError,
}

impl TransportError {
    pub fn new(kind: TransportErrorKind, source: impl Into<BoxError>) -> Self {
        TransportError {
            kind,
            source: source.into(),
        }
    }

    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Connection failures, broken connections and timeouts may be retried.
    pub fn is_retryable(&self) -> bool {
        self.kind != TransportErrorKind::Other
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportErrorKind::Connect => "connection failed",
            TransportErrorKind::Timeout => "timed out",
            TransportErrorKind::Io => "connection broken",
            TransportErrorKind::Other => "request failed",
        };
        write!(f, "{what}: {}", self.source)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.source.as_ref())
    }
}

/// A response whose head has arrived; its body is read as it comes.
#[derive(Debug)]
pub struct IncomingResponse {
    pub status: u16,
    pub headers: Headers,
    pub body: ByteStream,
}

pub type SendFuture<'a> =
    Pin<Box<dyn Future<Output = Result<IncomingResponse, TransportError>> + Send + 'a>>;

/// Sends one request and returns once the response head is in; the body follows as a stream
/// (a replay can give `ByteStream::from(bytes)`).
pub trait HttpClient: Send + Sync + fmt::Debug {
    fn send(&self, request: OutgoingRequest) -> SendFuture<'_>;
}

/// Connect and read timeouts of the default client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HttpTimeouts {
    pub connect: Duration,
    /// Longest silence while reading a response.
    pub read: Duration,
}

impl Default for HttpTimeouts {
    fn default() -> Self {
        HttpTimeouts {
            connect: Duration::from_secs(3),
            read: Duration::from_secs(30),
        }
    }
}

/// reqwest (rustls) as the transport.
#[derive(Clone, Debug)]
pub struct ReqwestClient {
    client: reqwest::Client,
}

impl ReqwestClient {
    pub fn new(timeouts: HttpTimeouts) -> Result<Self, TransportError> {
        let client = reqwest::Client::builder()
            .connect_timeout(timeouts.connect)
            .read_timeout(timeouts.read)
            // AWS SDKs never follow redirects and never compress implicitly.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| TransportError::new(TransportErrorKind::Other, e))?;
        Ok(ReqwestClient { client })
    }
}

fn classify(e: reqwest::Error) -> TransportError {
    let kind = if e.is_timeout() {
        TransportErrorKind::Timeout
    } else if e.is_connect() {
        TransportErrorKind::Connect
    } else if e.is_request() || e.is_body() || e.is_decode() {
        TransportErrorKind::Io
    } else {
        TransportErrorKind::Other
    };
    TransportError::new(kind, e)
}

impl HttpClient for ReqwestClient {
    fn send(&self, request: OutgoingRequest) -> SendFuture<'_> {
        Box::pin(async move {
            let method = reqwest::Method::from_bytes(request.method.as_bytes())
                .map_err(|e| TransportError::new(TransportErrorKind::Other, e))?;
            let mut builder = self.client.request(method, &request.url);
            for (name, value) in request.headers.iter() {
                builder = builder.header(name, value);
            }
            let response = builder.body(request.body).send().await.map_err(classify)?;
            let status = response.status().as_u16();
            let headers: Headers = response
                .headers()
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().to_string(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect();
            // `chunk()` reads as data arrives; a body cut short (before its Content-Length or
            // last chunk) is an error from hyper, which reaches the reader as `Io`.
            let chunks = futures_util::stream::try_unfold(response, |mut response| async move {
                match response.chunk().await.map_err(classify)? {
                    Some(bytes) => Ok(Some((Vec::from(bytes), response))),
                    None => Ok(None),
                }
            });
            Ok(IncomingResponse {
                status,
                headers,
                body: ByteStream::from_chunks(Box::pin(chunks)),
            })
        })
    }
}
