// @generated: a verbatim copy of `runtime/src/client.rs` of smithy-lite-runtime.
// Do not edit: run `cargo xtask codegen`.

//! The client: configuration resolved the AWS way, and the orchestrator that turns an input
//! into a signed request at the right endpoint, sends it with retries and timeouts, and parses
//! the answer.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use super::endpoint::{ParamValue, Params, Partitions, RuleSet};
use super::error::{BoxError, ProvideErrorMeta, SdkError};
use super::http::{HttpRequest, HttpResponse};
use super::operation::{Auth, Operation};
use super::profile::{Env, Profile};
use super::retry::{classify, RetryConfig, RetryQuota, RetryReason};
use super::sigv4::{sign_request, Credentials, SigningParams, SigningSettings};
use super::transport::{HttpClient, HttpTimeouts, OutgoingRequest, ReqwestClient};

/// What the generated crate tells the runtime about its service.
#[derive(Debug)]
pub struct ServiceMeta {
    /// `Kinesis Video`
    pub sdk_id: &'static str,
    /// SigV4 signing name (`kinesisvideo`).
    pub signing_name: &'static str,
    /// `KINESIS_VIDEO`, for `AWS_ENDPOINT_URL_KINESIS_VIDEO`.
    pub env_endpoint_id: &'static str,
    /// `smithy.rules#endpointRuleSet` as JSON.
    pub rule_set: &'static str,
    /// The pinned partitions table (`partitions.json`).
    pub partitions: &'static str,
    /// For the `user-agent` header.
    pub crate_name: &'static str,
    pub crate_version: &'static str,
}

/// A setting could not be resolved; says where it looked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

/// Builds a [`Config`]; anything not set here comes from the environment and the profile.
#[derive(Clone, Debug, Default)]
pub struct ConfigBuilder {
    region: Option<String>,
    credentials: Option<Credentials>,
    endpoint_url: Option<String>,
    use_fips: Option<bool>,
    use_dual_stack: Option<bool>,
    retry: Option<RetryConfig>,
    http_timeouts: Option<HttpTimeouts>,
    operation_timeout: Option<Duration>,
    http_client: Option<Arc<dyn HttpClient>>,
    signing_time: Option<SystemTime>,
    env: Option<Env>,
}

impl ConfigBuilder {
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Sends every request to this URL instead of the one the endpoint rules give.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    pub fn use_fips(mut self, on: bool) -> Self {
        self.use_fips = Some(on);
        self
    }

    pub fn use_dual_stack(mut self, on: bool) -> Self {
        self.use_dual_stack = Some(on);
        self
    }

    pub fn retry_config(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Attempts in all (1 disables retries).
    pub fn max_attempts(mut self, n: u32) -> Self {
        let mut retry = self.retry.unwrap_or_default();
        retry.max_attempts = n.max(1);
        self.retry = Some(retry);
        self
    }

    pub fn connect_timeout(mut self, t: Duration) -> Self {
        let mut timeouts = self.http_timeouts.unwrap_or_default();
        timeouts.connect = t;
        self.http_timeouts = Some(timeouts);
        self
    }

    pub fn read_timeout(mut self, t: Duration) -> Self {
        let mut timeouts = self.http_timeouts.unwrap_or_default();
        timeouts.read = t;
        self.http_timeouts = Some(timeouts);
        self
    }

    /// Limit for a whole call, retries and backoff included.
    pub fn operation_timeout(mut self, t: Duration) -> Self {
        self.operation_timeout = Some(t);
        self
    }

    /// Another HTTP client (or a replay of recorded exchanges).
    pub fn http_client(mut self, client: Arc<dyn HttpClient>) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Signs with this time instead of the clock (for reproducible dry runs).
    pub fn signing_time(mut self, t: SystemTime) -> Self {
        self.signing_time = Some(t);
        self
    }

    /// Reads settings from these variables instead of the process environment.
    pub fn env(mut self, env: Env) -> Self {
        self.env = Some(env);
        self
    }

    /// Resolves every setting: builder first, then environment variables, then the profile.
    pub fn build(self, service: &'static ServiceMeta) -> Result<Config, ConfigError> {
        let env = self.env.unwrap_or_else(Env::process);
        let profile = Profile::load(&env);
        let looked_in = || {
            let files: Vec<String> = profile
                .sources
                .iter()
                .map(|p| p.display().to_string())
                .collect();
            if files.is_empty() {
                format!("profile `{}` (no shared config files found)", profile.name)
            } else {
                format!("profile `{}` in {}", profile.name, files.join(", "))
            }
        };
        let region = self
            .region
            .or_else(|| env.get("AWS_REGION"))
            .or_else(|| env.get("AWS_DEFAULT_REGION"))
            .or_else(|| profile.get("region").map(str::to_owned))
            .ok_or_else(|| ConfigError {
                message: format!(
                    "no region: set one on the client builder, in AWS_REGION or AWS_DEFAULT_REGION, or as `region` of {}",
                    looked_in()
                ),
            })?;
        let credentials = match self.credentials {
            Some(c) => c,
            None => credentials_from(&env, &profile).ok_or_else(|| ConfigError {
                message: format!(
                    "no credentials: set them on the client builder, in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or as aws_access_key_id/aws_secret_access_key of {}",
                    looked_in()
                ),
            })?,
        };
        let endpoint_url = self
            .endpoint_url
            .or_else(|| env.get(&format!("AWS_ENDPOINT_URL_{}", service.env_endpoint_id)))
            .or_else(|| env.get("AWS_ENDPOINT_URL"))
            .or_else(|| profile.get("endpoint_url").map(str::to_owned));
        let flag = |explicit: Option<bool>, var: &str, key: &str| {
            explicit
                .or_else(|| env.get(var).map(|v| v.eq_ignore_ascii_case("true")))
                .or_else(|| profile.get(key).map(|v| v.eq_ignore_ascii_case("true")))
                .unwrap_or(false)
        };
        let use_fips = flag(self.use_fips, "AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint");
        let use_dual_stack = flag(
            self.use_dual_stack,
            "AWS_USE_DUALSTACK_ENDPOINT",
            "use_dualstack_endpoint",
        );
        let explicit_retry = self.retry.is_some();
        let mut retry = self.retry.unwrap_or_default();
        if !explicit_retry {
            if let Some(n) = env
                .get("AWS_MAX_ATTEMPTS")
                .or_else(|| profile.get("max_attempts").map(str::to_owned))
                .and_then(|v| v.parse::<u32>().ok())
            {
                retry.max_attempts = n.max(1);
            }
        }
        let http_client: Arc<dyn HttpClient> = match self.http_client {
            Some(c) => c,
            None => Arc::new(
                ReqwestClient::new(self.http_timeouts.unwrap_or_default()).map_err(|e| {
                    ConfigError {
                        message: e.to_string(),
                    }
                })?,
            ),
        };
        let rules = RuleSet::from_json(service.rule_set).map_err(|e| ConfigError {
            message: format!(
                "the endpoint rule set of {} is invalid: {e}",
                service.sdk_id
            ),
        })?;
        let partitions = Partitions::from_json(service.partitions).map_err(|e| ConfigError {
            message: format!("the partitions table is invalid: {e}"),
        })?;
        Ok(Config {
            inner: Arc::new(ConfigInner {
                service,
                region,
                credentials,
                endpoint_url,
                use_fips,
                use_dual_stack,
                retry,
                operation_timeout: self.operation_timeout,
                http_client,
                signing_time: self.signing_time,
                rules,
                partitions,
                quota: RetryQuota::default(),
            }),
        })
    }
}

fn credentials_from(env: &Env, profile: &Profile) -> Option<Credentials> {
    if let (Some(id), Some(secret)) = (
        env.get("AWS_ACCESS_KEY_ID"),
        env.get("AWS_SECRET_ACCESS_KEY"),
    ) {
        return Some(Credentials::new(id, secret, env.get("AWS_SESSION_TOKEN")));
    }
    match (
        profile.get("aws_access_key_id"),
        profile.get("aws_secret_access_key"),
    ) {
        (Some(id), Some(secret)) => Some(Credentials::new(
            id.to_string(),
            secret.to_string(),
            profile.get("aws_session_token").map(str::to_owned),
        )),
        _ => None,
    }
}

/// Resolved settings of a client; cheap to clone.
#[derive(Clone, Debug)]
pub struct Config {
    inner: Arc<ConfigInner>,
}

struct ConfigInner {
    service: &'static ServiceMeta,
    region: String,
    credentials: Credentials,
    endpoint_url: Option<String>,
    use_fips: bool,
    use_dual_stack: bool,
    retry: RetryConfig,
    operation_timeout: Option<Duration>,
    http_client: Arc<dyn HttpClient>,
    signing_time: Option<SystemTime>,
    rules: RuleSet,
    partitions: Partitions,
    quota: RetryQuota,
}

impl fmt::Debug for ConfigInner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Credentials print redacted by their own Debug.
        f.debug_struct("Config")
            .field("service", &self.service.sdk_id)
            .field("region", &self.region)
            .field("credentials", &self.credentials)
            .field("endpoint_url", &self.endpoint_url)
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("retry", &self.retry)
            .field("operation_timeout", &self.operation_timeout)
            .finish_non_exhaustive()
    }
}

impl Config {
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    pub fn region(&self) -> &str {
        &self.inner.region
    }

    pub fn retry_config(&self) -> &RetryConfig {
        &self.inner.retry
    }

    /// A copy of this configuration that sends to `url` (for data-plane endpoints).
    pub fn with_endpoint_url(&self, url: impl Into<String>) -> Config {
        let inner = &self.inner;
        Config {
            inner: Arc::new(ConfigInner {
                service: inner.service,
                region: inner.region.clone(),
                credentials: inner.credentials.clone(),
                endpoint_url: Some(url.into()),
                use_fips: inner.use_fips,
                use_dual_stack: inner.use_dual_stack,
                retry: inner.retry.clone(),
                operation_timeout: inner.operation_timeout,
                http_client: inner.http_client.clone(),
                signing_time: inner.signing_time,
                rules: inner.rules.clone(),
                partitions: inner.partitions.clone(),
                quota: RetryQuota::default(),
            }),
        }
    }

    /// The URL, signing region and signing name for this configuration.
    pub fn resolve_endpoint(&self) -> Result<ResolvedEndpoint, BoxError> {
        let inner = &self.inner;
        let mut params = Params::new()
            .set("Region", ParamValue::String(inner.region.clone()))
            .set("UseFIPS", ParamValue::Bool(inner.use_fips))
            .set("UseDualStack", ParamValue::Bool(inner.use_dual_stack));
        if let Some(url) = &inner.endpoint_url {
            params = params.set("Endpoint", ParamValue::String(url.clone()));
        }
        let endpoint = inner.rules.resolve(&params, &inner.partitions)?;
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
            signing_region: field("signingRegion").unwrap_or_else(|| inner.region.clone()),
            signing_name: field("signingName")
                .unwrap_or_else(|| inner.service.signing_name.to_string()),
        })
    }

    /// The exact signed request attempt `attempt` of a call would send (what `--dry-run` prints).
    pub fn prepare<O: Operation>(
        &self,
        input: &O::Input,
        invocation_id: &str,
        attempt: u32,
    ) -> Result<OutgoingRequest, SdkError<O::Error>> {
        let request = O::serialize_request(input).map_err(SdkError::Validation)?;
        let endpoint = self.resolve_endpoint().map_err(SdkError::Construction)?;
        Ok(self.sign(request, &endpoint, O::AUTH, invocation_id, attempt))
    }

    fn sign(
        &self,
        mut request: HttpRequest,
        endpoint: &ResolvedEndpoint,
        auth: Auth,
        invocation_id: &str,
        attempt: u32,
    ) -> OutgoingRequest {
        let inner = &self.inner;
        let (host, base_path) = split_url(&endpoint.url);
        let host = match &request.host_prefix {
            Some(prefix) => format!("{prefix}{host}"),
            None => host,
        };
        // The endpoint may carry a path prefix (`https://host/prefix`).
        if !base_path.is_empty() {
            request.path = format!("{}{}", base_path.trim_end_matches('/'), request.path);
        }
        request.headers.insert(
            "user-agent",
            format!(
                "{}/{} lang/rust os/{}",
                inner.service.crate_name,
                inner.service.crate_version,
                std::env::consts::OS
            ),
        );
        request
            .headers
            .insert("amz-sdk-invocation-id", invocation_id);
        request.headers.insert(
            "amz-sdk-request",
            format!("attempt={attempt}; max={}", inner.retry.max_attempts),
        );
        let time = inner.signing_time.unwrap_or_else(SystemTime::now);
        if auth != Auth::Anonymous {
            sign_request(
                &mut request,
                &host,
                &SigningParams {
                    credentials: &inner.credentials,
                    region: &endpoint.signing_region,
                    service: &endpoint.signing_name,
                    time,
                    settings: SigningSettings {
                        unsigned_payload: auth == Auth::SigV4UnsignedPayload,
                        ..SigningSettings::default()
                    },
                },
            );
        }
        let scheme_and_host = endpoint
            .url
            .split_once("://")
            .map(|(scheme, _)| format!("{scheme}://{host}"))
            .unwrap_or_else(|| format!("https://{host}"));
        let mut headers = request.headers;
        // Shown in dry runs as they travel; the transport would add them itself.
        headers.insert("host", host.clone());
        headers.insert("content-length", request.body.len().to_string());
        OutgoingRequest {
            method: request.method,
            url: format!(
                "{scheme_and_host}{}{}",
                request.path,
                if request.query.is_empty() {
                    String::new()
                } else {
                    format!("?{}", request.query)
                }
            ),
            headers,
            body: request.body,
        }
    }

    /// Calls operation `O`: validate, build, sign, send (with retries), parse.
    pub async fn invoke<O>(&self, input: &O::Input) -> Result<O::Output, SdkError<O::Error>>
    where
        O: Operation,
        O::Error: ProvideErrorMeta,
    {
        use tracing::Instrument as _;
        let span = tracing::info_span!(
            "call",
            service = self.inner.service.sdk_id,
            operation = O::NAME,
            region = %self.inner.region
        );
        let call = self.invoke_with_retries::<O>(input).instrument(span);
        match self.inner.operation_timeout {
            Some(limit) => match tokio::time::timeout(limit, call).await {
                Ok(result) => result,
                Err(_) => Err(SdkError::Dispatch(
                    format!(
                        "{} did not finish within the operation timeout of {limit:?}",
                        O::NAME
                    )
                    .into(),
                )),
            },
            None => call.await,
        }
    }

    async fn invoke_with_retries<O>(
        &self,
        input: &O::Input,
    ) -> Result<O::Output, SdkError<O::Error>>
    where
        O: Operation,
        O::Error: ProvideErrorMeta,
    {
        let inner = &self.inner;
        let request = O::serialize_request(input).map_err(SdkError::Validation)?;
        let endpoint = self.resolve_endpoint().map_err(SdkError::Construction)?;
        let invocation_id = new_invocation_id();
        let max = inner.retry.max_attempts.max(1);
        let mut spent = 0;
        let mut attempt = 1;
        loop {
            let outgoing = self.sign(request.clone(), &endpoint, O::AUTH, &invocation_id, attempt);
            let started = Instant::now();
            let result = inner.http_client.send(outgoing).await;
            let elapsed = started.elapsed();
            let (retry, outcome): AttemptOutcome<O> = match result {
                Err(e) => {
                    tracing::debug!(operation = O::NAME, attempt, error = %e, duration_ms = elapsed.as_millis() as u64, "attempt failed to send");
                    let reason = e.is_retryable().then_some(RetryReason::Connection);
                    (reason, Err(SdkError::Dispatch(Box::new(e) as BoxError)))
                }
                Ok(incoming) => {
                    let request_id = incoming.headers.get("x-amzn-requestid").map(str::to_owned);
                    tracing::debug!(
                        operation = O::NAME,
                        attempt,
                        status = incoming.status,
                        request_id = request_id.as_deref().unwrap_or(""),
                        duration_ms = elapsed.as_millis() as u64,
                        "attempt answered"
                    );
                    let status = incoming.status;
                    if O::STREAMING_OUTPUT && (200..300).contains(&status) {
                        // The payload goes to the caller unread; nothing after this is retried.
                        let head = HttpResponse::new(status, incoming.headers, Vec::new());
                        let output = O::parse_streaming_output(&head, incoming.body);
                        if output.is_ok() {
                            inner.quota.release(spent);
                        }
                        return output;
                    }
                    match incoming.body.collect().await {
                        Err(e) => {
                            tracing::debug!(operation = O::NAME, attempt, error = %e, "reading the response body failed");
                            let reason = e.is_retryable().then_some(RetryReason::Connection);
                            (reason, Err(SdkError::Dispatch(Box::new(e) as BoxError)))
                        }
                        Ok(body) => {
                            let response = HttpResponse::new(status, incoming.headers, body);
                            match O::parse_response(&response) {
                                Ok(output) => {
                                    inner.quota.release(spent);
                                    return Ok(output);
                                }
                                Err(SdkError::Service(e)) => {
                                    let meta = e.meta();
                                    (
                                        classify(meta.status(), meta.code()),
                                        Err(SdkError::Service(e)),
                                    )
                                }
                                Err(other) => (None, Err(other)),
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
                tracing::debug!(operation = O::NAME, attempt, "retry quota exhausted");
                return outcome;
            };
            spent += cost;
            let delay = inner.retry.backoff(attempt, fastrand::f64());
            tracing::debug!(
                operation = O::NAME,
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

/// Whether (and why) an attempt may be retried, and what it gave.
type AttemptOutcome<O> = (
    Option<RetryReason>,
    Result<<O as Operation>::Output, SdkError<<O as Operation>::Error>>,
);

/// The endpoint a call goes to, and how to sign for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvedEndpoint {
    pub url: String,
    pub signing_region: String,
    pub signing_name: String,
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
