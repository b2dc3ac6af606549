//! Credentials from the environment, as botocore reads them: `AWS_ACCESS_KEY_ID`,
//! `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` (or the older `AWS_SECURITY_TOKEN`) and
//! `AWS_CREDENTIAL_EXPIRATION`.

use super::super::datetime::{DateTime, Format};
use super::super::profile::Env;
use super::super::sigv4::Credentials;
use super::{CredentialsError, ProvideCredentials, ProvideFuture};

/// The name credentials from here carry (botocore's `method`).
pub const PROVIDER_NAME: &str = "env";

#[derive(Clone, Debug, Default)]
pub struct EnvironmentProvider {
    env: Env,
}

impl EnvironmentProvider {
    pub fn new(env: Env) -> Self {
        EnvironmentProvider { env }
    }

    pub fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let env = &self.env;
        let id = env.get("AWS_ACCESS_KEY_ID");
        let secret = env.get("AWS_SECRET_ACCESS_KEY");
        let (id, secret) = match (id, secret) {
            (Some(id), Some(secret)) => (id, secret),
            (None, None) => {
                return Err(CredentialsError::not_loaded(
                    "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
                ))
            }
            (Some(_), None) => {
                return Err(CredentialsError::invalid_configuration(
                    "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
                ))
            }
            (None, Some(_)) => {
                return Err(CredentialsError::invalid_configuration(
                    "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not",
                ))
            }
        };
        let token = env
            .get("AWS_SESSION_TOKEN")
            .or_else(|| env.get("AWS_SECURITY_TOKEN"));
        let expiry = match env.get("AWS_CREDENTIAL_EXPIRATION") {
            None => None,
            Some(text) => Some(
                DateTime::parse(text.trim(), Format::DateTime)
                    .map_err(|_| {
                        CredentialsError::invalid_configuration(format!(
                            "AWS_CREDENTIAL_EXPIRATION `{text}` is not an ISO 8601 time"
                        ))
                    })?
                    .into(),
            ),
        };
        Ok(Credentials::new(id, secret, token)
            .with_expiry(expiry)
            .with_provider_name(PROVIDER_NAME))
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move { self.credentials() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_keys_token_and_expiry() {
        let p = EnvironmentProvider::new(Env::from_vars([
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "SECRET"),
            ("AWS_SECURITY_TOKEN", "TOKEN"),
            ("AWS_CREDENTIAL_EXPIRATION", "2030-01-01T00:00:00Z"),
        ]));
        let c = p.credentials().unwrap();
        assert_eq!(c.access_key_id(), "AKID");
        assert_eq!(c.session_token(), Some("TOKEN"));
        assert!(c.expiry().is_some());
        assert_eq!(c.provider_name(), "env");
    }

    #[test]
    fn absent_is_not_loaded_and_partial_is_an_error() {
        let none = EnvironmentProvider::new(Env::from_vars([("X", "1")]));
        assert_eq!(
            none.credentials().unwrap_err().kind(),
            super::super::CredentialsErrorKind::NotLoaded
        );
        let half = EnvironmentProvider::new(Env::from_vars([("AWS_ACCESS_KEY_ID", "AKID")]));
        let e = half.credentials().unwrap_err();
        assert_eq!(
            e.kind(),
            super::super::CredentialsErrorKind::InvalidConfiguration
        );
        assert!(e.message().contains("AWS_SECRET_ACCESS_KEY"));
    }
}
