//! The default credentials chain, in the AWS SDKs' order: the environment, the profile, web
//! identity from the environment, the container endpoint, EC2 instance metadata. The first
//! source that is configured answers; a configured source that fails stops the chain; when
//! none is configured, one error names every source tried and why it had nothing.

use std::sync::Arc;

use super::super::profile::{Env, ProfileSet};
use super::super::region;
use super::super::sigv4::Credentials;
use super::container::ContainerProvider;
use super::environment::EnvironmentProvider;
use super::imds::{ImdsProvider, ImdsSettings};
use super::profile::ProfileProvider;
use super::web_identity::WebIdentityProvider;
use super::{
    CredentialsError, CredentialsErrorKind, ProvideCredentials, ProvideFuture, SystemClock,
    TimeSource,
};

/// The chain's sources, in order, by the names its errors use.
pub const SOURCES: &[&str] = &[
    "environment",
    "profile",
    "web identity (environment)",
    "container endpoint",
    "instance metadata",
];

#[derive(Debug)]
pub struct DefaultCredentialsChain {
    env: Env,
    profile_name: Option<String>,
    region: Option<String>,
    clock: Arc<dyn TimeSource>,
    imds: ImdsSettings,
}

/// Builds a [`DefaultCredentialsChain`].
#[derive(Debug, Default)]
pub struct Builder {
    env: Option<Env>,
    profile_name: Option<String>,
    region: Option<String>,
    clock: Option<Arc<dyn TimeSource>>,
    imds: ImdsSettings,
}

impl Builder {
    /// Where variables and files are read from (default: the process environment).
    pub fn env(mut self, env: Env) -> Self {
        self.env = Some(env);
        self
    }

    /// The profile to use instead of `AWS_PROFILE` / `default` (`--profile`).
    pub fn profile_name(mut self, name: impl Into<String>) -> Self {
        self.profile_name = Some(name.into());
        self
    }

    /// The region STS is called in for roles and web identity (default: the resolved one).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The clock (SSO token expiry is judged by it).
    pub fn clock(mut self, clock: Arc<dyn TimeSource>) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Timeouts and tries of the instance metadata calls (default 1 s, 2 tries).
    pub fn imds_settings(mut self, settings: ImdsSettings) -> Self {
        self.imds = settings;
        self
    }

    pub fn build(self) -> DefaultCredentialsChain {
        DefaultCredentialsChain {
            env: self.env.unwrap_or_else(Env::process),
            profile_name: self.profile_name,
            region: self.region,
            clock: self.clock.unwrap_or_else(|| Arc::new(SystemClock)),
            imds: self.imds,
        }
    }
}

impl DefaultCredentialsChain {
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// The profile the chain reads.
    pub fn profile_name(&self) -> String {
        self.profile_name
            .clone()
            .unwrap_or_else(|| self.env.profile_name())
    }

    /// Asks each source in turn.
    pub async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let profile_name = self.profile_name();
        let profile = ProfileSet::load(&self.env).profile(&profile_name);
        let region = self
            .region
            .clone()
            .or_else(|| region::resolve(&self.env, &profile).map(|(r, _)| r));
        let providers: [Box<dyn ProvideCredentials>; 5] = [
            Box::new(EnvironmentProvider::new(self.env.clone())),
            Box::new(ProfileProvider::new(
                self.env.clone(),
                profile_name.clone(),
                region.clone(),
                self.clock.clone(),
                self.imds,
            )),
            Box::new(WebIdentityProvider::new(self.env.clone(), region)),
            Box::new(ContainerProvider::new(self.env.clone())),
            Box::new(ImdsProvider::new(&self.env, &profile, self.imds)),
        ];
        let mut tried = Vec::new();
        for (name, provider) in SOURCES.iter().zip(providers.iter()) {
            match provider.provide_credentials().await {
                Ok(c) => {
                    tracing::debug!(
                        source = name,
                        provider = c.provider_name(),
                        "credentials found"
                    );
                    return Ok(c);
                }
                Err(e) if e.kind() == CredentialsErrorKind::NotLoaded => {
                    tracing::debug!(source = name, reason = %e, "no credentials here");
                    tried.push(format!("{name}: {e}"));
                }
                Err(e) => {
                    let message = format!("{name}: {}", e.message());
                    let mut out = CredentialsError::new(e.kind(), message);
                    if let Some(code) = e.code() {
                        out = out.with_code(code.to_string());
                    }
                    return Err(out.with_source(e));
                }
            }
        }
        Err(CredentialsError::not_loaded(format!(
            "no credentials found; tried {}",
            tried.join("; ")
        )))
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.credentials())
    }
}
