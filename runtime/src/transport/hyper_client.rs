//! The default transport: hyper's pooled client over rustls (ring, the webpki roots), with
//! connect and read timeouts and the proxies of [`ProxySettings`]. Redirects are never
//! followed and nothing is compressed or decompressed implicitly, as in the AWS SDKs.

use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::Duration;

use ::http::uri::Scheme;
use ::http::Uri;
use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::ClientConfig;

use super::super::byte_stream::ByteStream;
use super::super::error::BoxError;
use super::super::http::Headers;
use super::connector::Connector;
use super::{
    BodyStream, HttpClient, HttpTimeouts, IncomingResponse, OutgoingRequest, ProxySettings,
    SendFuture, TransportError, TransportErrorKind,
};

/// How long an idle pooled connection is kept.
const POOL_IDLE: Duration = Duration::from_secs(90);

/// hyper with rustls as the transport. Cloning shares the connection pool.
#[derive(Clone)]
pub struct HyperClient {
    client: Client<HttpsConnector<Connector>, RequestBody>,
    read_timeout: Duration,
    /// For `Proxy-Authorization` on plain HTTP requests sent to a proxy.
    proxies: Option<Arc<Matcher>>,
}

impl fmt::Debug for HyperClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HyperClient")
            .field("read_timeout", &self.read_timeout)
            .field("proxied", &self.proxies.is_some())
            .finish_non_exhaustive()
    }
}

/// Options of a [`HyperClient`] beyond its timeouts.
#[derive(Clone, Default)]
pub struct HyperClientBuilder {
    timeouts: HttpTimeouts,
    proxies: ProxySettings,
    roots: Vec<CertificateDer<'static>>,
    identity: Option<(Vec<CertificateDer<'static>>, Arc<PrivateKeyDer<'static>>)>,
}

impl fmt::Debug for HyperClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HyperClientBuilder")
            .field("timeouts", &self.timeouts)
            .field("proxies", &self.proxies)
            .field("extra_roots", &self.roots.len())
            .field("client_identity", &self.identity.is_some())
            .finish()
    }
}

impl HyperClientBuilder {
    pub fn timeouts(mut self, timeouts: HttpTimeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// The proxies to go through (none by default).
    pub fn proxies(mut self, proxies: ProxySettings) -> Self {
        self.proxies = proxies;
        self
    }

    /// Certificate authorities trusted beside the webpki roots (a private CA).
    pub fn add_root_certificates(
        mut self,
        certificates: impl IntoIterator<Item = CertificateDer<'static>>,
    ) -> Self {
        self.roots.extend(certificates);
        self
    }

    /// The certificate chain and private key this client presents (mutual TLS).
    pub fn client_identity(
        mut self,
        chain: Vec<CertificateDer<'static>>,
        key: PrivateKeyDer<'static>,
    ) -> Self {
        self.identity = Some((chain, Arc::new(key)));
        self
    }

    pub fn build(self) -> Result<HyperClient, TransportError> {
        let tls = if self.roots.is_empty() && self.identity.is_none() {
            default_tls().clone()
        } else {
            tls_config(&self.roots, self.identity)?
        };
        let proxies = self.proxies.matcher()?.map(Arc::new);
        let mut tcp = HttpConnector::new();
        tcp.enforce_http(false);
        tcp.set_nodelay(true);
        tcp.set_connect_timeout(Some(self.timeouts.connect));
        let connector = HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http();
        #[cfg(feature = "http2")]
        let connector = connector.enable_all_versions();
        #[cfg(not(feature = "http2"))]
        let connector = connector.enable_http1();
        let connector = connector.wrap_connector(Connector {
            tcp,
            proxies: proxies.clone(),
        });
        let client = Client::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(POOL_IDLE)
            .build(connector);
        Ok(HyperClient {
            client,
            read_timeout: self.timeouts.read,
            proxies,
        })
    }
}

/// The TLS settings: TLS 1.2 and 1.3 with ring, the webpki roots and `extra_roots`.
fn tls_config(
    extra_roots: &[CertificateDer<'static>],
    identity: Option<(Vec<CertificateDer<'static>>, Arc<PrivateKeyDer<'static>>)>,
) -> Result<ClientConfig, TransportError> {
    let tls_error = |what: &str, e: rustls::Error| {
        TransportError::new(TransportErrorKind::Other, format!("{what}: {e}"))
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| tls_error("TLS settings", e))?;
    let mut roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    for cert in extra_roots {
        roots
            .add(cert.clone())
            .map_err(|e| tls_error("a root certificate cannot be used", e))?;
    }
    let builder = builder.with_root_certificates(roots);
    match identity {
        None => Ok(builder.with_no_client_auth()),
        Some((chain, key)) => builder
            .with_client_auth_cert(chain, key.clone_key())
            .map_err(|e| tls_error("the client certificate and key cannot be used", e)),
    }
}

/// The default client's TLS settings, made once (the roots are parsed on first use).
fn default_tls() -> &'static ClientConfig {
    static TLS: OnceLock<ClientConfig> = OnceLock::new();
    TLS.get_or_init(|| tls_config(&[], None).expect("the built-in TLS settings are valid"))
}

impl HyperClient {
    /// A client with `timeouts`, no proxy and the built-in roots.
    pub fn new(timeouts: HttpTimeouts) -> Result<Self, TransportError> {
        HyperClient::builder().timeouts(timeouts).build()
    }

    pub fn builder() -> HyperClientBuilder {
        HyperClientBuilder::default()
    }

    /// Sends the head of `request` with `body`, and reads the answer's head (within the read
    /// timeout when `head_timeout`).
    async fn exchange(
        &self,
        request: OutgoingRequest,
        body: RequestBody,
        head_timeout: bool,
    ) -> Result<IncomingResponse, TransportError> {
        let uri: Uri = request.url.parse().map_err(|e| {
            TransportError::new(
                TransportErrorKind::Other,
                format!("`{}` is not a URL: {e}", request.url),
            )
        })?;
        let scheme = uri.scheme().cloned();
        if !(scheme == Some(Scheme::HTTPS) || scheme == Some(Scheme::HTTP))
            || uri.authority().is_none()
        {
            return Err(TransportError::new(
                TransportErrorKind::Other,
                format!("`{}` is not an http:// or https:// URL", request.url),
            ));
        }
        let proxy_auth = match (&self.proxies, scheme == Some(Scheme::HTTP)) {
            (Some(m), true) => m.intercept(&uri).and_then(|i| i.basic_auth().cloned()),
            _ => None,
        };
        let mut builder = ::http::Request::builder()
            .method(request.method.as_str())
            .uri(uri);
        for (name, value) in request.headers.iter() {
            builder = builder.header(name, value);
        }
        if let Some(auth) = proxy_auth {
            builder = builder.header(::http::header::PROXY_AUTHORIZATION, auth);
        }
        let http_request = builder
            .body(body)
            .map_err(|e| TransportError::new(TransportErrorKind::Other, e))?;
        let answer = self.client.request(http_request);
        let response = if head_timeout {
            match tokio::time::timeout(self.read_timeout, answer).await {
                Ok(r) => r,
                Err(_) => return Err(self.timed_out()),
            }
        } else {
            answer.await
        }
        .map_err(classify)?;
        let (head, body) = response.into_parts();
        let headers: Headers = head
            .headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        // Each chunk as it arrives, within the read timeout; a body cut short (before its
        // Content-Length or last chunk) is an error from hyper, which reaches the reader as `Io`.
        let read_timeout = self.read_timeout;
        let chunks = futures_util::stream::try_unfold(body, move |mut body| async move {
            loop {
                let frame = futures_util::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx));
                let Ok(frame) = tokio::time::timeout(read_timeout, frame).await else {
                    return Err(TransportError::new(
                        TransportErrorKind::Timeout,
                        format!("no data within {read_timeout:?} while reading the answer"),
                    ));
                };
                match frame {
                    None => return Ok(None),
                    Some(Err(e)) => return Err(TransportError::new(TransportErrorKind::Io, e)),
                    // Trailers and empty frames carry no bytes of the body.
                    Some(Ok(frame)) => {
                        if let Ok(data) = frame.into_data() {
                            if !data.is_empty() {
                                return Ok(Some((Vec::from(data), body)));
                            }
                        }
                    }
                }
            }
        });
        Ok(IncomingResponse {
            status: head.status.as_u16(),
            headers,
            body: ByteStream::from_chunks(Box::pin(chunks)),
        })
    }

    fn timed_out(&self) -> TransportError {
        TransportError::new(
            TransportErrorKind::Timeout,
            format!("no answer within {:?}", self.read_timeout),
        )
    }
}

/// A hyper error's kind (a timeout anywhere in its causes, else a failed connection, else a
/// broken one), with its causes in its message (hyper's own says only "client error").
fn classify(e: hyper_util::client::legacy::Error) -> TransportError {
    let mut timed_out = false;
    let mut text = String::new();
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(&e);
    while let Some(c) = cause {
        timed_out |= c
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut);
        let line = c.to_string();
        // An io::Error that wraps another repeats its text.
        if !text.ends_with(&line) {
            if !text.is_empty() {
                text.push_str(": ");
            }
            text.push_str(&line);
        }
        cause = c.source();
    }
    let kind = if timed_out {
        TransportErrorKind::Timeout
    } else if e.is_connect() {
        TransportErrorKind::Connect
    } else {
        TransportErrorKind::Io
    };
    TransportError::new(kind, text)
}

impl HttpClient for HyperClient {
    fn send(&self, mut request: OutgoingRequest) -> SendFuture<'_> {
        let body = std::mem::take(&mut request.body);
        let body = RequestBody::Full((!body.is_empty()).then(|| Bytes::from(body)));
        Box::pin(self.exchange(request, body, true))
    }

    fn send_streaming(&self, request: OutgoingRequest, body: BodyStream) -> SendFuture<'_> {
        // The answer's head may wait for the events; the read timeout applies to its body.
        Box::pin(self.exchange(request, RequestBody::Stream(body), false))
    }
}

/// A request body: all of it at once (its length known), or chunks as they are produced.
enum RequestBody {
    Full(Option<Bytes>),
    Stream(BodyStream),
}

impl Body for RequestBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        match self.get_mut() {
            RequestBody::Full(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            RequestBody::Stream(stream) => stream
                .as_mut()
                .poll_next(cx)
                .map(|item| item.map(|chunk| chunk.map(|c| Frame::data(Bytes::from(c))))),
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, RequestBody::Full(None))
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            RequestBody::Full(bytes) => {
                SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64))
            }
            RequestBody::Stream(_) => SizeHint::default(),
        }
    }
}
