//! The HTTP client behind a small trait, so that users can plug in their own (or a replay of
//! recorded exchanges in tests). The default is hyper with rustls ([`HyperClient`]).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

mod connector;
mod hyper_client;
mod proxy;

pub use hyper_client::{HyperClient, HyperClientBuilder};
pub use proxy::ProxySettings;
/// Certificate and key types for [`HyperClientBuilder::add_root_certificates`] and
/// [`HyperClientBuilder::client_identity`].
pub use rustls::pki_types;

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

impl OutgoingRequest {
    /// `method url` with no header and no body (add them through the fields).
    pub fn new(method: impl Into<String>, url: impl Into<String>) -> Self {
        OutgoingRequest {
            method: method.into(),
            url: url.into(),
            headers: Headers::new(),
            body: Vec::new(),
        }
    }
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

/// A request body sent chunk by chunk as it is produced (the messages of an input event
/// stream); an error aborts the request.
pub type BodyStream = Pin<Box<dyn futures_util::Stream<Item = Result<Vec<u8>, BoxError>> + Send>>;

/// Sends one request and returns once the response head is in; the body follows as a stream
/// (a replay can give `ByteStream::from(bytes)`).
pub trait HttpClient: Send + Sync + fmt::Debug {
    fn send(&self, request: OutgoingRequest) -> SendFuture<'_>;

    /// Sends `request` with `body` as its body, chunk by chunk as it comes (`request.body` is
    /// not sent), and returns once the response head is in, which may be before the body has
    /// all been sent. A client that cannot stream request bodies keeps this default, which
    /// refuses: only operations with an input event stream need it.
    fn send_streaming(&self, request: OutgoingRequest, body: BodyStream) -> SendFuture<'_> {
        let _ = (request, body);
        Box::pin(async {
            Err(TransportError::new(
                TransportErrorKind::Other,
                "this HTTP client cannot stream request bodies (input event streams need it)",
            ))
        })
    }
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

/// Sends `request` and reads the whole answer, all within `limit` (the metadata
/// endpoints' timeout); a `Timeout` error when it is not in by then.
pub(crate) async fn fetch_within(
    client: &dyn HttpClient,
    request: OutgoingRequest,
    limit: Duration,
) -> Result<(u16, Vec<u8>), TransportError> {
    let exchange = async {
        let response = client.send(request).await?;
        Ok((response.status, response.body.collect().await?))
    };
    tokio::time::timeout(limit, exchange)
        .await
        .unwrap_or_else(|_| {
            Err(TransportError::new(
                TransportErrorKind::Timeout,
                format!("no answer within {limit:?}"),
            ))
        })
}
