//! STS `AssumeRole` and `AssumeRoleWithWebIdentity` (placeholder until the real client lands).

use super::super::profile::Env;
use super::super::sigv4::Credentials;
use super::CredentialsError;

pub struct StsSettings {
    pub region: Option<String>,
    pub env: Env,
    pub endpoint_url: Option<String>,
}

pub struct AssumeRoleRequest {
    pub role_arn: String,
    pub role_session_name: String,
    pub external_id: Option<String>,
    pub duration_seconds: Option<u32>,
}

pub struct WebIdentityRequest {
    pub role_arn: String,
    pub role_session_name: String,
    pub web_identity_token: String,
}

pub async fn assume_role(
    _settings: &StsSettings,
    _source: &Credentials,
    _req: &AssumeRoleRequest,
) -> Result<Credentials, CredentialsError> {
    Err(CredentialsError::provider_error(
        "STS AssumeRole is not available in this build",
    ))
}

pub async fn assume_role_with_web_identity(
    _settings: &StsSettings,
    _req: &WebIdentityRequest,
) -> Result<Credentials, CredentialsError> {
    Err(CredentialsError::provider_error(
        "STS AssumeRoleWithWebIdentity is not available in this build",
    ))
}
