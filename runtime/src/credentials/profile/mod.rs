//! Credentials from a profile of the shared files: the [`plan`] says what the profile asks
//! for, and [`ProfileProvider`] carries it out (static keys, `credential_process`, web
//! identity, SSO, a `credential_source`, then each `AssumeRole` in turn).

pub mod plan;

use std::sync::Arc;

use super::super::profile::{Env, ProfileSet};
use super::super::sigv4::Credentials;
use super::imds::{ImdsProvider, ImdsSettings};
use super::sso::{self, SsoRequest};
use super::sts::{self, AssumeRoleRequest, StsSettings};
use super::web_identity::{self, WebIdentityConfig};
use super::{
    container::ContainerProvider, environment::EnvironmentProvider, process, CredentialsError,
    ProvideCredentials, ProvideFuture, TimeSource,
};
use plan::{Base, NamedSource, Plan};

/// The name credentials from a role carry (botocore's `method`).
pub const ASSUME_ROLE_PROVIDER_NAME: &str = "assume-role";
/// The name credentials from SSO carry (botocore's `method`).
pub const SSO_PROVIDER_NAME: &str = "sso";

/// What assumes a role with given credentials: STS, or a test's fake.
pub trait AssumeRole: Send + Sync {
    fn assume_role<'a>(
        &'a self,
        source: &'a Credentials,
        request: &'a AssumeRoleRequest,
    ) -> ProvideFuture<'a>;
}

/// STS `AssumeRole`.
struct Sts(StsSettings);

impl AssumeRole for Sts {
    fn assume_role<'a>(
        &'a self,
        source: &'a Credentials,
        request: &'a AssumeRoleRequest,
    ) -> ProvideFuture<'a> {
        Box::pin(sts::assume_role(&self.0, source, request))
    }
}

/// Credentials of one profile (`AWS_PROFILE`, or the name given).
#[derive(Debug)]
pub struct ProfileProvider {
    env: Env,
    profile_name: String,
    region: Option<String>,
    clock: Arc<dyn TimeSource>,
    imds: ImdsSettings,
}

impl ProfileProvider {
    /// `region` is the one STS is called in.
    pub fn new(
        env: Env,
        profile_name: String,
        region: Option<String>,
        clock: Arc<dyn TimeSource>,
        imds: ImdsSettings,
    ) -> Self {
        ProfileProvider {
            env,
            profile_name,
            region,
            clock,
            imds,
        }
    }

    pub fn profile_name(&self) -> &str {
        &self.profile_name
    }

    /// What the profile asks for (the files are read again on every call).
    pub fn plan(&self) -> Result<Plan, CredentialsError> {
        plan::resolve(&ProfileSet::load(&self.env), &self.profile_name)
    }

    /// Carries a plan out, calling STS for each role.
    pub async fn execute(&self, plan: &Plan) -> Result<Credentials, CredentialsError> {
        let sts = Sts(StsSettings {
            region: self.region.clone(),
            env: self.env.clone(),
            endpoint_url: None,
        });
        self.execute_with(plan, &sts).await
    }

    /// Carries a plan out with `roles` assuming each role (tests pass a fake).
    pub async fn execute_with(
        &self,
        plan: &Plan,
        roles: &dyn AssumeRole,
    ) -> Result<Credentials, CredentialsError> {
        let mut credentials = self.base(&plan.base).await?;
        // The plan lists roles from the selected profile down to the source: assume the
        // deepest first, each with the credentials of the one before.
        for role in plan.roles.iter().rev() {
            let request = AssumeRoleRequest {
                role_arn: role.role_arn.clone(),
                role_session_name: role
                    .session_name
                    .clone()
                    .unwrap_or_else(web_identity::default_session_name),
                external_id: role.external_id.clone(),
                duration_seconds: role.duration_seconds,
            };
            credentials = roles
                .assume_role(&credentials, &request)
                .await?
                .with_provider_name(ASSUME_ROLE_PROVIDER_NAME);
        }
        Ok(credentials)
    }

    async fn base(&self, base: &Base) -> Result<Credentials, CredentialsError> {
        match base {
            Base::Static { credentials, .. } => Ok(credentials.clone()),
            Base::Process { command, .. } => process::run(command).await,
            Base::WebIdentity {
                token_file,
                role_arn,
                session_name,
                ..
            } => {
                let config = WebIdentityConfig {
                    token_file: token_file.into(),
                    role_arn: role_arn.clone(),
                    session_name: session_name.clone(),
                };
                web_identity::assume_role_with_web_identity(&self.env, self.region.clone(), &config)
                    .await
            }
            Base::Sso { settings, .. } => {
                let request = SsoRequest {
                    start_url: settings.start_url.clone(),
                    sso_region: settings.sso_region.clone(),
                    account_id: settings.account_id.clone(),
                    role_name: settings.role_name.clone(),
                    session_name: settings.session_name.clone(),
                    registration_scopes: settings.registration_scopes.clone(),
                };
                Ok(
                    sso::get_role_credentials(&self.env, self.clock.as_ref(), &request)
                        .await?
                        .with_provider_name(SSO_PROVIDER_NAME),
                )
            }
            Base::Named { source, .. } => {
                let result = match source {
                    NamedSource::Environment => {
                        EnvironmentProvider::new(self.env.clone())
                            .provide_credentials()
                            .await
                    }
                    NamedSource::EcsContainer => {
                        ContainerProvider::new(self.env.clone())
                            .provide_credentials()
                            .await
                    }
                    NamedSource::Ec2InstanceMetadata => {
                        let profile = ProfileSet::load(&self.env).profile(&self.profile_name);
                        ImdsProvider::new(&self.env, &profile, self.imds)
                            .provide_credentials()
                            .await
                    }
                };
                // The profile asked for this source: its absence is an error here.
                result.map_err(|e| {
                    if e.kind() == super::CredentialsErrorKind::NotLoaded {
                        CredentialsError::invalid_configuration(format!(
                            "credential_source {source:?}: {}",
                            e.message()
                        ))
                    } else {
                        e
                    }
                })
            }
        }
    }
}

impl ProvideCredentials for ProfileProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move {
            let plan = self.plan()?;
            self.execute(&plan).await
        })
    }
}
