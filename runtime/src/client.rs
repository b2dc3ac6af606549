//! The client's orchestrator: turns an input into a signed request at the right endpoint, sends
//! it with retries and timeouts, and parses the answer. The configuration is in `config`.

use std::sync::Arc;
use std::time::{Instant, SystemTime};

use super::byte_stream::ByteStream;
pub use super::config::{Config, ConfigBuilder, ConfigError, ServiceMeta, SharedConfig};
use super::credentials::ProvideCredentials;
use super::endpoint::{ParamValue, Params};
use super::error::{BoxError, ProvideErrorMeta, SdkError};
use super::event_stream::sender::MessageStream;
use super::event_stream::{MessageSigner, STREAMING_EVENTS_PAYLOAD};
use super::http::{HttpRequest, HttpResponse};
pub use super::operation::IdempotencyTokenProvider;
use super::operation::{Auth, Operation};
use super::retry::{classify, RetryReason};
use super::sigv4::{sign_request, Credentials, SigningParams, SigningSettings};
use super::transport::{BodyStream, OutgoingRequest};

impl Config {
    /// The URL, signing region and signing name for this configuration.
    pub fn resolve_endpoint(&self) -> Result<ResolvedEndpoint, BoxError> {
        self.endpoint().map(|e| e.resolved.clone())
    }

    /// The endpoint with what every request to it needs, worked out at the first call and
    /// then reused.
    fn endpoint(&self) -> Result<Arc<PreparedEndpoint>, BoxError> {
        if let Some(e) = self.inner.endpoint.get() {
            return Ok(e.clone());
        }
        let prepared = Arc::new(PreparedEndpoint::new(
            self.evaluate_endpoint_rules()?,
            self.inner.service,
        ));
        Ok(self.inner.endpoint.get_or_init(|| prepared).clone())
    }

    fn evaluate_endpoint_rules(&self) -> Result<ResolvedEndpoint, BoxError> {
        let inner = &self.inner;
        let shared = &inner.shared;
        let mut params = Params::new()
            .set("Region", ParamValue::String(shared.region().to_string()))
            .set("UseFIPS", ParamValue::Bool(shared.use_fips()))
            .set("UseDualStack", ParamValue::Bool(shared.use_dual_stack()));
        if let Some(url) = &inner.endpoint_url {
            params = params.set("Endpoint", ParamValue::String(url.clone()));
        }
        let Some((rules, partitions)) = &inner.rules else {
            // No rule set in the model: the endpoint URL is the endpoint.
            return match &inner.endpoint_url {
                Some(url) => Ok(ResolvedEndpoint {
                    url: url.clone(),
                    signing_region: shared.region().to_string(),
                    signing_name: inner.service.signing_name.to_string(),
                }),
                None => Err(format!(
                    "{} has no endpoint rules in its model: set an endpoint URL",
                    inner.service.sdk_id
                )
                .into()),
            };
        };
        let endpoint = rules.resolve(&params, partitions)?;
        // `authSchemes` may name another signing region or name (sigv4 only here).
        let scheme = endpoint
            .properties
            .get("authSchemes")
            .and_then(|s| s.as_array())
            .and_then(|schemes| {
                schemes
                    .iter()
                    .find(|s| s.get("name").and_then(|n| n.as_str()) == Some("sigv4"))
            });
        let field = |k: &str| {
            scheme
                .and_then(|s| s.get(k))
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        };
        Ok(ResolvedEndpoint {
            url: endpoint.url,
            signing_region: field("signingRegion").unwrap_or_else(|| shared.region().to_string()),
            signing_name: field("signingName")
                .unwrap_or_else(|| inner.service.signing_name.to_string()),
        })
    }

    /// `input` as an unsigned request, idempotency tokens from the configuration's provider.
    fn serialize<O: Operation>(&self, input: &O::Input) -> Result<HttpRequest, SdkError<O::Error>> {
        let mut request = super::operation::with_token_provider(
            self.inner.shared.idempotency_token_provider(),
            || O::serialize_request(input),
        )
        .map_err(SdkError::Validation)?;
        // Compressed, then summed, before it is signed (and before the copy each retry sends).
        if let Some(spec) = &O::REQUEST_COMPRESSION {
            super::request_body::compress(&mut request, spec, self.inner.shared.compression());
        }
        if let Some(checksum) = O::REQUEST_CHECKSUM {
            checksum.apply(&mut request);
        }
        Ok(request)
    }

    /// The exact signed request attempt `attempt` of a call would send (what `--dry-run` prints).
    /// Credentials are asked of the provider as for a call; nothing is sent to the service.
    pub async fn prepare<O: Operation>(
        &self,
        input: &O::Input,
        invocation_id: &str,
        attempt: u32,
    ) -> Result<OutgoingRequest, SdkError<O::Error>> {
        let request = self.serialize::<O>(input)?;
        self.prepare_request(request, O::AUTH, invocation_id, attempt)
            .await
            .map_err(CallFailure::into_sdk)
    }

    async fn prepare_request(
        &self,
        request: HttpRequest,
        auth: Auth,
        invocation_id: &str,
        attempt: u32,
    ) -> Result<OutgoingRequest, CallFailure> {
        let endpoint = self.endpoint().map_err(CallFailure::Construction)?;
        let credentials = self.credentials_for(auth).await?;
        Ok(self
            .sign(
                request,
                &endpoint,
                credentials.as_ref(),
                auth,
                invocation_id,
                attempt,
            )
            .0)
    }

    /// The credentials an operation with `auth` is signed with (none for an anonymous one).
    async fn credentials_for(&self, auth: Auth) -> Result<Option<Credentials>, CallFailure> {
        if auth == Auth::Anonymous {
            return Ok(None);
        }
        self.credentials().await.map(Some)
    }

    /// The credentials for the next attempt, from the shared provider (and its cache).
    async fn credentials(&self) -> Result<Credentials, CallFailure> {
        self.inner
            .shared
            .credentials_provider()
            .provide_credentials()
            .await
            .map_err(|e| CallFailure::Construction(Box::new(e)))
    }

    /// The signed request, and its signature (the seed of an input event stream's chain).
    fn sign(
        &self,
        mut request: HttpRequest,
        endpoint: &PreparedEndpoint,
        credentials: Option<&Credentials>,
        auth: Auth,
        invocation_id: &str,
        attempt: u32,
    ) -> (OutgoingRequest, String) {
        let inner = &self.inner;
        let shared = &inner.shared;
        // The endpoint may carry a path prefix (`https://host/prefix`).
        if !endpoint.base_path.is_empty() {
            request
                .path
                .insert_str(0, endpoint.base_path.trim_end_matches('/'));
        }
        request
            .headers
            .insert("user-agent", endpoint.user_agent.clone());
        request
            .headers
            .insert("amz-sdk-invocation-id", invocation_id.to_owned());
        request.headers.insert(
            "amz-sdk-request",
            format!(
                "attempt={attempt}; max={}",
                shared.retry_config().max_attempts
            ),
        );
        let time = shared.signing_time().unwrap_or_else(SystemTime::now);
        // An `@endpoint` host prefix (`data.` for `data.service.amazonaws.com`).
        let host = match &request.host_prefix {
            Some(prefix) => format!("{prefix}{}", endpoint.host),
            None => endpoint.host.clone(),
        };
        // An anonymous operation goes out unsigned, as botocore sends it.
        let signature = match (credentials, auth) {
            (Some(credentials), Auth::SigV4 | Auth::SigV4UnsignedPayload) => {
                sign_request(
                    &mut request,
                    &host,
                    &SigningParams {
                        credentials,
                        region: &endpoint.resolved.signing_region,
                        service: &endpoint.resolved.signing_name,
                        time,
                        settings: SigningSettings {
                            unsigned_payload: auth == Auth::SigV4UnsignedPayload,
                            ..SigningSettings::default()
                        },
                    },
                )
                .signature
            }
            _ => String::new(),
        };
        let mut headers = request.headers;
        // Shown in dry runs as they travel; the transport would add them itself. An event
        // stream body has no length: it is sent chunked as the events come. A GET, HEAD or
        // OPTIONS says nothing of its length here (as botocore prepares it; the HTTP layer
        // gives the length of a body it sends).
        headers.insert("host", host);
        let lengthless = matches!(request.method.as_str(), "GET" | "HEAD" | "OPTIONS");
        if headers.get("x-amz-content-sha256") != Some(STREAMING_EVENTS_PAYLOAD) && !lengthless {
            headers.insert("content-length", request.body.len().to_string());
        }
        let mut url = String::with_capacity(
            endpoint.scheme_and_host.len() + request.path.len() + request.query.len() + 16,
        );
        match &request.host_prefix {
            Some(prefix) => {
                let (scheme, rest) = endpoint
                    .scheme_and_host
                    .split_once("://")
                    .unwrap_or(("https", endpoint.scheme_and_host.as_str()));
                url.push_str(scheme);
                url.push_str("://");
                url.push_str(prefix);
                url.push_str(rest);
            }
            None => url.push_str(&endpoint.scheme_and_host),
        }
        url.push_str(&request.path);
        if !request.query.is_empty() {
            url.push('?');
            url.push_str(&request.query);
        }
        let outgoing = OutgoingRequest {
            method: request.method,
            url,
            headers,
            body: request.body,
        };
        (outgoing, signature)
    }

    /// Calls operation `O`: validate, build, sign, send (with retries), parse. Only the
    /// serialising and the parsing are `O`'s own; the rest is one function for every
    /// operation ([`Config::call`]).
    pub async fn invoke<O>(&self, input: &O::Input) -> Result<O::Output, SdkError<O::Error>>
    where
        O: Operation,
        O::Error: ProvideErrorMeta,
    {
        let request = self.serialize::<O>(input)?;
        let messages = match O::event_stream_input(input) {
            Some(messages) => Some(messages.map_err(SdkError::Construction)?),
            None => None,
        };
        let mut outcome = None;
        let mut parse = |answer: Answer| {
            let result = match answer {
                Answer::Streaming(head, body) => O::parse_streaming_output(&head, body),
                Answer::Buffered(response) => O::parse_response(&response),
            };
            let verdict = match &result {
                Ok(_) => Verdict::Success,
                Err(SdkError::Service(e)) => {
                    let meta = e.meta();
                    classify(meta.status(), meta.code()).map_or(Verdict::Failure, Verdict::Retry)
                }
                Err(_) => Verdict::Failure,
            };
            outcome = Some(result);
            verdict
        };
        let op = CallMeta {
            name: O::NAME,
            auth: O::AUTH,
            streaming_output: O::STREAMING_OUTPUT,
        };
        let sent = self.call(op, request, messages, &mut parse).await;
        match (sent, outcome) {
            (Ok(()), Some(result)) => result,
            (Err(failure), _) => Err(failure.into_sdk()),
            (Ok(()), None) => Err(SdkError::Dispatch(
                "the call ended without an answer".into(),
            )),
        }
    }

    /// A call, whatever its operation, within the operation timeout and the tracing span.
    /// `Ok` when the last attempt's answer went to `parse` (which keeps what it made of it).
    async fn call(
        &self,
        op: CallMeta,
        request: HttpRequest,
        messages: Option<MessageStream>,
        parse: &mut Parse<'_>,
    ) -> Result<(), CallFailure> {
        use tracing::Instrument as _;
        let span = tracing::info_span!(
            "call",
            service = self.inner.service.sdk_id,
            operation = op.name,
            region = %self.region()
        );
        let call = async {
            let endpoint = self.endpoint().map_err(CallFailure::Construction)?;
            match messages {
                Some(messages) => {
                    self.send_event_stream(op, request, &endpoint, messages, parse)
                        .await
                }
                None => self.send_with_retries(op, request, &endpoint, parse).await,
            }
        }
        .instrument(span);
        match self.inner.shared.operation_timeout() {
            Some(limit) => match tokio::time::timeout(limit, call).await {
                Ok(result) => result,
                Err(_) => Err(CallFailure::Dispatch(
                    format!(
                        "{} did not finish within the operation timeout of {limit:?}",
                        op.name
                    )
                    .into(),
                )),
            },
            None => call.await,
        }
    }

    async fn send_with_retries(
        &self,
        op: CallMeta,
        request: HttpRequest,
        endpoint: &PreparedEndpoint,
        parse: &mut Parse<'_>,
    ) -> Result<(), CallFailure> {
        let inner = &self.inner;
        let shared = &inner.shared;
        let invocation_id = new_invocation_id();
        let max = shared.retry_config().max_attempts.max(1);
        let mut spent = 0;
        let mut attempt = 1;
        loop {
            let credentials = self.credentials_for(op.auth).await?;
            let (outgoing, _) = self.sign(
                request.clone(),
                endpoint,
                credentials.as_ref(),
                op.auth,
                &invocation_id,
                attempt,
            );
            // Timed only for a subscriber that listens: the clock is read twice otherwise.
            let started = tracing::enabled!(tracing::Level::DEBUG).then(Instant::now);
            let result = shared.http_client().send(outgoing).await;
            let elapsed = started.map(|t| t.elapsed()).unwrap_or_default();
            let (retry, outcome) = match result {
                Err(e) => {
                    tracing::debug!(operation = op.name, attempt, error = %e, duration_ms = elapsed.as_millis() as u64, "attempt failed to send");
                    let reason = e.is_retryable().then_some(RetryReason::Connection);
                    (reason, Err(CallFailure::Dispatch(Box::new(e))))
                }
                Ok(incoming) => {
                    let request_id = incoming.headers.get("x-amzn-requestid").map(str::to_owned);
                    tracing::debug!(
                        operation = op.name,
                        attempt,
                        status = incoming.status,
                        request_id = request_id.as_deref().unwrap_or(""),
                        duration_ms = elapsed.as_millis() as u64,
                        "attempt answered"
                    );
                    let status = incoming.status;
                    if op.streaming_output && (200..300).contains(&status) {
                        // The payload goes to the caller unread; nothing after this is retried.
                        let head = HttpResponse::new(status, incoming.headers, Vec::new());
                        if let Verdict::Success = parse(Answer::Streaming(head, incoming.body)) {
                            inner.quota.release(spent);
                        }
                        return Ok(());
                    }
                    match incoming.body.collect().await {
                        Err(e) => {
                            tracing::debug!(operation = op.name, attempt, error = %e, "reading the response body failed");
                            let reason = e.is_retryable().then_some(RetryReason::Connection);
                            (reason, Err(CallFailure::Dispatch(Box::new(e))))
                        }
                        Ok(body) => {
                            let response = HttpResponse::new(status, incoming.headers, body);
                            match parse(Answer::Buffered(response)) {
                                Verdict::Success => {
                                    inner.quota.release(spent);
                                    return Ok(());
                                }
                                Verdict::Failure => return Ok(()),
                                Verdict::Retry(reason) => (Some(reason), Ok(())),
                            }
                        }
                    }
                }
            };
            let Some(reason) = retry else { return outcome };
            if attempt >= max {
                return outcome;
            }
            let Some(cost) = inner.quota.acquire(reason) else {
                tracing::debug!(operation = op.name, attempt, "retry quota exhausted");
                return outcome;
            };
            spent += cost;
            let delay = shared.retry_config().backoff(attempt, fastrand::f64());
            tracing::debug!(
                operation = op.name,
                attempt,
                ?reason,
                delay_ms = delay.as_millis() as u64,
                "retrying"
            );
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }
}

impl Config {
    /// A call whose input is an event stream: the request head, signed with the payload hash
    /// of a signed event stream, then each message as it comes, signed and chained to the
    /// request's signature, then a signed empty message. It is not retried: the events are
    /// sent once.
    async fn send_event_stream(
        &self,
        op: CallMeta,
        request: HttpRequest,
        endpoint: &PreparedEndpoint,
        messages: MessageStream,
        parse: &mut Parse<'_>,
    ) -> Result<(), CallFailure> {
        let shared = &self.inner.shared;
        let credentials = self.credentials().await?;
        let (outgoing, seed) = self.sign(
            request,
            endpoint,
            Some(&credentials),
            Auth::SigV4,
            &new_invocation_id(),
            1,
        );
        let signer = MessageSigner::new(
            seed,
            credentials,
            endpoint.resolved.signing_region.clone(),
            endpoint.resolved.signing_name.clone(),
        );
        let body = signed_messages(messages, signer, shared.signing_time());
        let incoming = shared
            .http_client()
            .send_streaming(outgoing, body)
            .await
            .map_err(|e| CallFailure::Dispatch(Box::new(e)))?;
        tracing::debug!(
            operation = op.name,
            status = incoming.status,
            "event stream call answered"
        );
        if op.streaming_output && (200..300).contains(&incoming.status) {
            let head = HttpResponse::new(incoming.status, incoming.headers, Vec::new());
            parse(Answer::Streaming(head, incoming.body));
            return Ok(());
        }
        let body = incoming
            .body
            .collect()
            .await
            .map_err(|e| CallFailure::Dispatch(Box::new(e)))?;
        parse(Answer::Buffered(HttpResponse::new(
            incoming.status,
            incoming.headers,
            body,
        )));
        Ok(())
    }
}

/// The body of an input event stream: each message signed as it comes (at the configured
/// signing time, or now), then the signed empty message that ends the stream.
fn signed_messages(
    messages: MessageStream,
    signer: MessageSigner,
    signing_time: Option<SystemTime>,
) -> BodyStream {
    use futures_util::StreamExt as _;
    Box::pin(futures_util::stream::unfold(
        Some((messages, signer)),
        move |state| async move {
            let (mut messages, mut signer) = state?;
            let now = signing_time.unwrap_or_else(SystemTime::now);
            let (chunk, next) = match messages.next().await {
                Some(Ok(message)) => match signer.sign(&message, now).and_then(|e| e.encode()) {
                    Ok(bytes) => (Ok(bytes), Some((messages, signer))),
                    Err(e) => (Err(Box::new(e) as BoxError), None),
                },
                // An event that cannot be sent aborts the request.
                Some(Err(e)) => (Err(e), None),
                None => (
                    signer
                        .sign_end(now)
                        .encode()
                        .map_err(|e| Box::new(e) as BoxError),
                    None,
                ),
            };
            Some((chunk, next))
        },
    ))
}

/// What a call needs of its operation beyond its types.
#[derive(Clone, Copy)]
struct CallMeta {
    name: &'static str,
    auth: Auth,
    streaming_output: bool,
}

/// An answer for the operation's parser: read whole, or (a success of an operation with a
/// streaming output) its head with the body unread.
enum Answer {
    Buffered(HttpResponse),
    Streaming(HttpResponse, ByteStream),
}

/// What the operation's parser made of an answer.
enum Verdict {
    Success,
    /// An error that is not retried.
    Failure,
    Retry(RetryReason),
}

/// The operation's parser: keeps what it made of the answer, and says what it was.
type Parse<'a> = dyn FnMut(Answer) -> Verdict + Send + 'a;

/// Why a call ended without an answer, for any operation's [`SdkError`].
enum CallFailure {
    Construction(BoxError),
    Dispatch(BoxError),
}

impl CallFailure {
    fn into_sdk<E>(self) -> SdkError<E> {
        match self {
            CallFailure::Construction(e) => SdkError::Construction(e),
            CallFailure::Dispatch(e) => SdkError::Dispatch(e),
        }
    }
}

/// The endpoint a call goes to, and how to sign for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvedEndpoint {
    pub url: String,
    pub signing_region: String,
    pub signing_name: String,
}

/// A resolved endpoint with what every request to it needs, worked out once.
#[derive(Debug)]
pub(crate) struct PreparedEndpoint {
    resolved: ResolvedEndpoint,
    /// `host[:port]`, for the `host` header and the signature.
    host: String,
    /// The URL's path prefix (`/prefix`), empty when it has none.
    base_path: String,
    /// `https://host[:port]`
    scheme_and_host: String,
    user_agent: String,
}

impl PreparedEndpoint {
    fn new(resolved: ResolvedEndpoint, service: &ServiceMeta) -> Self {
        let (host, base_path) = split_url(&resolved.url);
        let scheme_and_host = resolved
            .url
            .split_once("://")
            .map(|(scheme, _)| format!("{scheme}://{host}"))
            .unwrap_or_else(|| format!("https://{host}"));
        let user_agent = format!(
            "{}/{} lang/rust os/{}",
            service.crate_name,
            service.crate_version,
            std::env::consts::OS
        );
        PreparedEndpoint {
            resolved,
            host,
            base_path,
            scheme_and_host,
            user_agent,
        }
    }
}

/// `https://host:port/path` → (`host:port`, `/path`).
fn split_url(url: &str) -> (String, String) {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    match rest.find('/') {
        Some(i) => (rest[..i].to_string(), rest[i..].to_string()),
        None => (rest.to_string(), String::new()),
    }
}

/// A random UUID v4, constant across the attempts of one call.
pub fn new_invocation_id() -> String {
    super::operation::idempotency_token()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_urls() {
        assert_eq!(
            split_url("https://a.b:8443/x/y"),
            ("a.b:8443".into(), "/x/y".into())
        );
        assert_eq!(
            split_url("http://127.0.0.1:9"),
            ("127.0.0.1:9".into(), String::new())
        );
    }

    #[test]
    fn invocation_ids_are_uuid_v4() {
        let id = new_invocation_id();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert_ne!(id, new_invocation_id());
    }
}
