//! Web identity (EKS IRSA and the like): a token file and a role, exchanged through STS
//! `AssumeRoleWithWebIdentity`. The token file is read again on every refresh, as the token
//! is rotated by whoever writes it.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use super::super::profile::Env;
use super::super::sigv4::Credentials;
use super::sts::{self, StsSettings, WebIdentityRequest};
use super::{CredentialsError, ProvideCredentials, ProvideFuture};

/// The name credentials from here carry (botocore's `method`).
pub const PROVIDER_NAME: &str = "assume-role-with-web-identity";

/// What a web identity exchange needs (from the environment or a profile).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebIdentityConfig {
    pub token_file: PathBuf,
    pub role_arn: String,
    pub session_name: Option<String>,
}

/// Web identity from `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN` and
/// `AWS_ROLE_SESSION_NAME`.
#[derive(Clone, Debug)]
pub struct WebIdentityProvider {
    env: Env,
    region: Option<String>,
}

impl WebIdentityProvider {
    /// `region` is the one STS is called in (`None`: STS's global endpoint rules decide).
    pub fn new(env: Env, region: Option<String>) -> Self {
        WebIdentityProvider { env, region }
    }

    /// The settings the environment gives, `NotLoaded` without a token file.
    pub fn config(&self) -> Result<WebIdentityConfig, CredentialsError> {
        let Some(token_file) = self.env.get("AWS_WEB_IDENTITY_TOKEN_FILE") else {
            return Err(CredentialsError::not_loaded(
                "AWS_WEB_IDENTITY_TOKEN_FILE is not set",
            ));
        };
        let role_arn = self.env.get("AWS_ROLE_ARN").ok_or_else(|| {
            CredentialsError::invalid_configuration(
                "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not",
            )
        })?;
        Ok(WebIdentityConfig {
            token_file: token_file.into(),
            role_arn,
            session_name: self.env.get("AWS_ROLE_SESSION_NAME"),
        })
    }
}

impl ProvideCredentials for WebIdentityProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move {
            let config = self.config()?;
            assume_role_with_web_identity(&self.env, self.region.clone(), &config).await
        })
    }
}

/// Reads the token file and calls STS.
pub async fn assume_role_with_web_identity(
    env: &Env,
    region: Option<String>,
    config: &WebIdentityConfig,
) -> Result<Credentials, CredentialsError> {
    let token = read_token(&config.token_file)?;
    let settings = StsSettings {
        region,
        env: env.clone(),
        endpoint_url: None,
    };
    let request = WebIdentityRequest {
        role_arn: config.role_arn.clone(),
        role_session_name: config
            .session_name
            .clone()
            .unwrap_or_else(default_session_name),
        web_identity_token: token,
    };
    let creds = sts::assume_role_with_web_identity(&settings, &request).await?;
    Ok(creds.with_provider_name(PROVIDER_NAME))
}

fn read_token(path: &Path) -> Result<String, CredentialsError> {
    std::fs::read_to_string(path).map_err(|e| {
        CredentialsError::invalid_configuration(format!(
            "cannot read the web identity token file {}: {e}",
            path.display()
        ))
    })
}

/// A role session name when none is configured, unique per second as botocore's.
pub fn default_session_name() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format!("smithy-lite-session-{secs}")
}
