//! SSO `GetRoleCredentials` (placeholder until the real client lands).

use super::super::profile::Env;
use super::super::sigv4::Credentials;
use super::{CredentialsError, TimeSource};

pub struct SsoRequest {
    pub start_url: String,
    pub sso_region: String,
    pub account_id: String,
    pub role_name: String,
    pub session_name: Option<String>,
    pub registration_scopes: Option<String>,
}

pub async fn get_role_credentials(
    _env: &Env,
    _clock: &dyn TimeSource,
    _req: &SsoRequest,
) -> Result<Credentials, CredentialsError> {
    Err(CredentialsError::provider_error(
        "SSO GetRoleCredentials is not available in this build",
    ))
}
