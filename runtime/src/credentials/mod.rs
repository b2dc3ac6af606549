//! Where credentials come from: the provider trait every source implements, and its errors.
//!
//! A source that is not configured in the environment it looks at (no variables, no profile
//! keys, no metadata service) answers [`CredentialsError::not_loaded`], and a chain moves on to
//! the next source. Any other error (a configured source that failed: a malformed file, an STS
//! error, a refused certificate) stops the chain, as in the AWS SDKs.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

use super::error::BoxError;
use super::sigv4::Credentials;

/// What [`ProvideCredentials::provide_credentials`] returns.
pub type ProvideFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// A source of credentials. Implement it once and every generated client can use it.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    fn provide_credentials(&self) -> ProvideFuture<'_>;
}

/// Fixed credentials are a provider too.
impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        let c = self.clone();
        Box::pin(async move { Ok(c) })
    }
}

/// A provider shared by clients (cheap to clone).
#[derive(Clone, Debug)]
pub struct SharedCredentialsProvider(Arc<dyn ProvideCredentials>);

impl SharedCredentialsProvider {
    pub fn new(provider: impl ProvideCredentials + 'static) -> Self {
        SharedCredentialsProvider(Arc::new(provider))
    }

    pub fn from_arc(provider: Arc<dyn ProvideCredentials>) -> Self {
        SharedCredentialsProvider(provider)
    }
}

impl ProvideCredentials for SharedCredentialsProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        self.0.provide_credentials()
    }
}

/// The clock that expiry is judged by; tests drive refreshes with their own.
pub trait TimeSource: Send + Sync + fmt::Debug {
    fn now(&self) -> SystemTime;
}

/// The system clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl TimeSource for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CredentialsErrorKind {
    /// The source is not configured here; a chain tries the next one.
    NotLoaded,
    /// The source is configured but its settings are wrong (a profile cycle, a missing key,
    /// `mfa_serial`, an unsafe container URL).
    InvalidConfiguration,
    /// The source answered with an error (STS `AccessDenied`, an HTTP 500, bad JSON).
    ProviderError,
    /// The source could not be reached in time.
    ProviderTimedOut,
}

/// Why no credentials came from a source. Never holds a secret: messages name settings and
/// sources, not their values.
#[derive(Debug)]
pub struct CredentialsError {
    kind: CredentialsErrorKind,
    message: String,
    /// The service's error code (`ExpiredToken`, `AccessDenied`), when a service gave one.
    code: Option<String>,
    source: Option<BoxError>,
}

impl CredentialsError {
    pub fn new(kind: CredentialsErrorKind, message: impl Into<String>) -> Self {
        CredentialsError {
            kind,
            message: message.into(),
            code: None,
            source: None,
        }
    }

    pub fn not_loaded(message: impl Into<String>) -> Self {
        Self::new(CredentialsErrorKind::NotLoaded, message)
    }

    pub fn invalid_configuration(message: impl Into<String>) -> Self {
        Self::new(CredentialsErrorKind::InvalidConfiguration, message)
    }

    pub fn provider_error(message: impl Into<String>) -> Self {
        Self::new(CredentialsErrorKind::ProviderError, message)
    }

    pub fn timed_out(message: impl Into<String>) -> Self {
        Self::new(CredentialsErrorKind::ProviderTimedOut, message)
    }

    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }

    pub fn with_source(mut self, source: impl Into<BoxError>) -> Self {
        self.source = Some(source.into());
        self
    }

    pub fn kind(&self) -> CredentialsErrorKind {
        self.kind
    }

    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            Some(code) => write!(f, "{code}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for CredentialsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|s| s.as_ref() as &(dyn std::error::Error + 'static))
    }
}

pub mod cache;
pub mod chain;
pub mod container;
pub mod environment;
pub mod imds;
pub mod iot;
pub mod metadata_json;
pub mod process;
pub mod profile;
mod service_call;
pub mod sso;
pub mod sts;
pub mod web_identity;

pub use cache::CredentialsCache;
pub use chain::DefaultCredentialsChain;
