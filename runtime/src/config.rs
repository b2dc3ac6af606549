//! Configuration resolved the AWS way, loaded once for a whole family of services.
//!
//! A [`SharedConfig`] holds what every service's client shares: region, the credentials
//! provider (with its cache), FIPS and dual-stack, retries, timeouts and the HTTP client. A
//! [`Config`] is a shared configuration bound to one service: its endpoint rules and any
//! endpoint URL set for that service alone (`AWS_ENDPOINT_URL_<SERVICE>`). Clients of several
//! services built from one `SharedConfig` resolve credentials once and share connections.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::credentials::imds::ImdsSettings;
use super::credentials::{
    CredentialsCache, DefaultCredentialsChain, ProvideCredentials, SharedCredentialsProvider,
};
use super::endpoint::{Partitions, RuleSet};
use super::operation::IdempotencyTokenProvider;
use super::profile::{Env, Profile, ProfileSet};
use super::region;
use super::request_body::CompressionSettings;
use super::retry::{RetryConfig, RetryQuota};
use super::sigv4::Credentials;
use super::transport::{HttpClient, HttpTimeouts, HyperClient, ProxySettings};

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

impl ConfigError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        ConfigError {
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

/// Builds a [`SharedConfig`] (or a service's [`Config`]); anything not set here comes from the
/// environment and the profile.
#[derive(Clone, Debug, Default)]
pub struct ConfigBuilder {
    region: Option<String>,
    credentials: Option<SharedCredentialsProvider>,
    endpoint_url: Option<String>,
    use_fips: Option<bool>,
    use_dual_stack: Option<bool>,
    retry: Option<RetryConfig>,
    http_timeouts: Option<HttpTimeouts>,
    operation_timeout: Option<Duration>,
    http_client: Option<Arc<dyn HttpClient>>,
    signing_time: Option<SystemTime>,
    env: Option<Env>,
    profile_name: Option<String>,
    idempotency_token_provider: Option<IdempotencyTokenProvider>,
    disable_request_compression: Option<bool>,
    request_min_compression_size_bytes: Option<u32>,
}

impl ConfigBuilder {
    /// The profile of the shared files to read, instead of `AWS_PROFILE` (or `default`).
    pub fn profile_name(mut self, name: impl Into<String>) -> Self {
        self.profile_name = Some(name.into());
        self
    }

    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Fixed credentials (instead of the default chain of sources).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(SharedCredentialsProvider::new(credentials));
        self
    }

    /// Credentials from a source of your own (asked on every call: cache inside it, or wrap it
    /// in the runtime's credentials cache).
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(SharedCredentialsProvider::new(provider));
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

    /// Where tokens for `@idempotencyToken` members left unset come from (random UUIDs
    /// otherwise); `IdempotencyTokenProvider::fixed` makes dry runs reproducible.
    pub fn idempotency_token_provider(mut self, provider: IdempotencyTokenProvider) -> Self {
        self.idempotency_token_provider = Some(provider);
        self
    }

    /// Sends bodies of `@requestCompression` operations uncompressed
    /// (`AWS_DISABLE_REQUEST_COMPRESSION`, `disable_request_compression`).
    pub fn disable_request_compression(mut self, disabled: bool) -> Self {
        self.disable_request_compression = Some(disabled);
        self
    }

    /// Bodies of `@requestCompression` operations shorter than this go uncompressed: 0 to
    /// 10485760, 10240 by default (`AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES`,
    /// `request_min_compression_size_bytes`).
    pub fn request_min_compression_size_bytes(mut self, bytes: u32) -> Self {
        self.request_min_compression_size_bytes = Some(bytes);
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

    /// Resolves the settings every service shares: builder first, then environment
    /// variables, then the profile. The region is not looked up in instance metadata here
    /// ([`ConfigBuilder::load`] does); credentials come from the default chain, resolved at
    /// the first call and cached for every client built from this configuration.
    pub fn build_shared(self) -> Result<SharedConfig, ConfigError> {
        let env = self.env.clone().unwrap_or_else(Env::process);
        let profile = self.profile(&env);
        let region = self
            .region
            .clone()
            .or_else(|| region::resolve(&env, &profile).map(|(r, _)| r));
        self.finish(env, profile, region)
    }

    /// [`build_shared`](Self::build_shared), with the region also looked up in EC2 instance
    /// metadata (IMDSv2) when neither the builder, the environment nor the profile gives one.
    pub async fn load(self) -> Result<SharedConfig, ConfigError> {
        let env = self.env.clone().unwrap_or_else(Env::process);
        let profile = self.profile(&env);
        let region = match &self.region {
            Some(r) => Some(r.clone()),
            None => region::resolve_with_imds(&env, &profile, ImdsSettings::default())
                .await
                .map(|(r, _)| r),
        };
        self.finish(env, profile, region)
    }

    fn profile(&self, env: &Env) -> Profile {
        let name = self
            .profile_name
            .clone()
            .unwrap_or_else(|| env.profile_name());
        ProfileSet::load(env).profile(&name)
    }

    fn finish(
        self,
        env: Env,
        profile: Profile,
        region: Option<String>,
    ) -> Result<SharedConfig, ConfigError> {
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
        let region = region.ok_or_else(|| {
            ConfigError::new(format!(
                "no region: set one on the client builder, in AWS_REGION or AWS_DEFAULT_REGION, or as `region` of {}",
                looked_in()
            ))
        })?;
        let credentials = match self.credentials {
            Some(c) => c,
            None => SharedCredentialsProvider::new(CredentialsCache::new(
                DefaultCredentialsChain::builder()
                    .env(env.clone())
                    .profile_name(profile.name.clone())
                    .region(region.clone())
                    .build(),
            )),
        };
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
        let compression = CompressionSettings {
            disabled: flag(
                self.disable_request_compression,
                "AWS_DISABLE_REQUEST_COMPRESSION",
                "disable_request_compression",
            ),
            min_size: match self.request_min_compression_size_bytes {
                Some(n) => n,
                None => match env
                    .get("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES")
                    .map(|v| ("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", v))
                    .or_else(|| {
                        profile
                            .get("request_min_compression_size_bytes")
                            .map(|v| ("request_min_compression_size_bytes", v.to_owned()))
                    }) {
                    Some((name, v)) => v.trim().parse::<u32>().map_err(|_| {
                        ConfigError::new(format!(
                            "{name} is {v:?}: expected a whole number of bytes from 0 to {}",
                            CompressionSettings::MAX_MIN_SIZE
                        ))
                    })?,
                    None => CompressionSettings::DEFAULT_MIN_SIZE,
                },
            },
        };
        if compression.min_size > CompressionSettings::MAX_MIN_SIZE {
            return Err(ConfigError::new(format!(
                "request_min_compression_size_bytes is {}: at most {} is allowed",
                compression.min_size,
                CompressionSettings::MAX_MIN_SIZE
            )));
        }
        let http_client: Arc<dyn HttpClient> = match self.http_client {
            Some(c) => c,
            None => Arc::new(
                HyperClient::builder()
                    .timeouts(self.http_timeouts.unwrap_or_default())
                    .proxies(ProxySettings::from_env(&env))
                    .build()
                    .map_err(|e| ConfigError::new(e.to_string()))?,
            ),
        };
        Ok(SharedConfig {
            inner: Arc::new(SharedInner {
                region,
                credentials,
                endpoint_url: self.endpoint_url,
                profile_endpoint_url: profile.get("endpoint_url").map(str::to_owned),
                use_fips,
                use_dual_stack,
                retry,
                operation_timeout: self.operation_timeout,
                http_client,
                signing_time: self.signing_time,
                idempotency_token_provider: self.idempotency_token_provider,
                compression,
                env,
            }),
        })
    }

    /// Resolves every setting for one service.
    pub fn build(self, service: &'static ServiceMeta) -> Result<Config, ConfigError> {
        Config::new(&self.build_shared()?, service)
    }
}

/// Settings every service's client shares; cheap to clone (clones share the credentials
/// cache and the HTTP client's connections).
#[derive(Clone, Debug)]
pub struct SharedConfig {
    inner: Arc<SharedInner>,
}

struct SharedInner {
    region: String,
    credentials: SharedCredentialsProvider,
    /// Set on the builder: wins over every variable.
    endpoint_url: Option<String>,
    /// `endpoint_url` of the profile: after the variables.
    profile_endpoint_url: Option<String>,
    use_fips: bool,
    use_dual_stack: bool,
    retry: RetryConfig,
    operation_timeout: Option<Duration>,
    http_client: Arc<dyn HttpClient>,
    signing_time: Option<SystemTime>,
    idempotency_token_provider: Option<IdempotencyTokenProvider>,
    compression: CompressionSettings,
    env: Env,
}

impl fmt::Debug for SharedInner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Credentials print redacted by their own Debug.
        f.debug_struct("SharedConfig")
            .field("region", &self.region)
            .field("credentials", &self.credentials)
            .field("endpoint_url", &self.endpoint_url)
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("retry", &self.retry)
            .field("operation_timeout", &self.operation_timeout)
            .field("compression", &self.compression)
            .finish_non_exhaustive()
    }
}

impl SharedConfig {
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// Everything from the environment and the shared AWS files (no instance metadata for
    /// the region; see [`SharedConfig::load`]).
    pub fn from_env() -> Result<SharedConfig, ConfigError> {
        ConfigBuilder::default().build_shared()
    }

    /// Everything from the environment, the shared AWS files and, for the region, EC2
    /// instance metadata.
    pub async fn load() -> Result<SharedConfig, ConfigError> {
        ConfigBuilder::default().load().await
    }

    pub fn region(&self) -> &str {
        &self.inner.region
    }

    pub fn credentials_provider(&self) -> &SharedCredentialsProvider {
        &self.inner.credentials
    }

    pub fn retry_config(&self) -> &RetryConfig {
        &self.inner.retry
    }

    pub fn use_fips(&self) -> bool {
        self.inner.use_fips
    }

    pub fn use_dual_stack(&self) -> bool {
        self.inner.use_dual_stack
    }

    pub(crate) fn operation_timeout(&self) -> Option<Duration> {
        self.inner.operation_timeout
    }

    pub(crate) fn http_client(&self) -> &Arc<dyn HttpClient> {
        &self.inner.http_client
    }

    pub(crate) fn signing_time(&self) -> Option<SystemTime> {
        self.inner.signing_time
    }

    /// `@requestCompression` settings.
    pub fn compression(&self) -> &CompressionSettings {
        &self.inner.compression
    }

    pub(crate) fn idempotency_token_provider(&self) -> Option<&IdempotencyTokenProvider> {
        self.inner.idempotency_token_provider.as_ref()
    }

    /// The endpoint URL for `service`: the builder's, then `AWS_ENDPOINT_URL_<SERVICE>`, then
    /// `AWS_ENDPOINT_URL`, then the profile's `endpoint_url`.
    pub fn endpoint_url_for(&self, service: &ServiceMeta) -> Option<String> {
        let inner = &self.inner;
        inner
            .endpoint_url
            .clone()
            .or_else(|| {
                inner
                    .env
                    .get(&format!("AWS_ENDPOINT_URL_{}", service.env_endpoint_id))
            })
            .or_else(|| inner.env.get("AWS_ENDPOINT_URL"))
            .or_else(|| inner.profile_endpoint_url.clone())
    }
}

/// A shared configuration bound to one service; cheap to clone.
#[derive(Clone, Debug)]
pub struct Config {
    pub(crate) inner: Arc<ConfigInner>,
}

pub(crate) struct ConfigInner {
    pub(crate) shared: SharedConfig,
    pub(crate) service: &'static ServiceMeta,
    pub(crate) endpoint_url: Option<String>,
    /// The endpoint rules and partitions; `None` for a service whose model has no rule set
    /// (then every request goes to the endpoint URL, which must be set).
    pub(crate) rules: Option<(RuleSet, Partitions)>,
    pub(crate) quota: RetryQuota,
    /// The endpoint, resolved by the rules at the first call and then reused: its inputs
    /// (region, FIPS, dual-stack, endpoint URL) do not change within a configuration.
    pub(crate) endpoint: std::sync::OnceLock<Arc<super::client::PreparedEndpoint>>,
}

impl fmt::Debug for ConfigInner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("service", &self.service.sdk_id)
            .field("shared", &self.shared)
            .field("endpoint_url", &self.endpoint_url)
            .finish_non_exhaustive()
    }
}

impl Config {
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// `shared` for `service`.
    pub fn new(
        shared: &SharedConfig,
        service: &'static ServiceMeta,
    ) -> Result<Config, ConfigError> {
        let rules = if service.rule_set.is_empty() {
            None
        } else {
            let rules = RuleSet::from_json(service.rule_set).map_err(|e| {
                ConfigError::new(format!(
                    "the endpoint rule set of {} is invalid: {e}",
                    service.sdk_id
                ))
            })?;
            let partitions = Partitions::from_json(service.partitions)
                .map_err(|e| ConfigError::new(format!("the partitions table is invalid: {e}")))?;
            Some((rules, partitions))
        };
        Ok(Config {
            inner: Arc::new(ConfigInner {
                shared: shared.clone(),
                service,
                endpoint_url: shared.endpoint_url_for(service),
                rules,
                quota: RetryQuota::default(),
                endpoint: std::sync::OnceLock::new(),
            }),
        })
    }

    /// The shared settings this configuration was made from.
    pub fn shared(&self) -> &SharedConfig {
        &self.inner.shared
    }

    pub fn service(&self) -> &'static ServiceMeta {
        self.inner.service
    }

    pub fn region(&self) -> &str {
        self.inner.shared.region()
    }

    pub fn retry_config(&self) -> &RetryConfig {
        self.inner.shared.retry_config()
    }

    /// A copy of this configuration that sends to `url` (for data-plane endpoints).
    pub fn with_endpoint_url(&self, url: impl Into<String>) -> Config {
        let inner = &self.inner;
        Config {
            inner: Arc::new(ConfigInner {
                shared: inner.shared.clone(),
                service: inner.service,
                endpoint_url: Some(url.into()),
                rules: inner.rules.clone(),
                quota: RetryQuota::default(),
                endpoint: std::sync::OnceLock::new(),
            }),
        }
    }
}
