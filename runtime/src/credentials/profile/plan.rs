//! What a profile asks for, worked out from the shared files without calling anything: a base
//! source and the roles to assume from it, in botocore's order of precedence.
//!
//! For the selected profile: `role_arn` (with `source_profile` or `credential_source`, and no
//! `web_identity_token_file`) → assume role; `web_identity_token_file` → web identity; SSO
//! keys → SSO; static keys of the credentials file; `credential_process`; static keys of the
//! config file. A source profile with static keys uses them even when it has a `role_arn`.

use super::super::super::profile::{ProfileFile, ProfileSet};
use super::super::super::sigv4::Credentials;
use super::super::CredentialsError;

/// The sources a `credential_source` names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NamedSource {
    Environment,
    Ec2InstanceMetadata,
    EcsContainer,
}

/// The SSO settings of a profile (`sso_session` section or the legacy `sso_*` keys).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SsoSettings {
    pub start_url: String,
    pub sso_region: String,
    pub account_id: String,
    pub role_name: String,
    pub session_name: Option<String>,
    pub registration_scopes: Option<String>,
}

/// Where the first credentials come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Base {
    /// `aws_access_key_id` / `aws_secret_access_key` (`aws_session_token`) of a profile, in
    /// the credentials file or the config file.
    Static {
        profile: String,
        file: ProfileFile,
        credentials: Credentials,
    },
    /// `credential_process`.
    Process { profile: String, command: String },
    /// `web_identity_token_file` and `role_arn` (`role_session_name`).
    WebIdentity {
        profile: String,
        token_file: String,
        role_arn: String,
        session_name: Option<String>,
    },
    /// SSO `GetRoleCredentials`.
    Sso {
        profile: String,
        settings: SsoSettings,
    },
    /// `credential_source`.
    Named {
        profile: String,
        source: NamedSource,
    },
}

/// One `AssumeRole` call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleStep {
    /// The profile whose `role_arn` this is.
    pub profile: String,
    pub role_arn: String,
    pub session_name: Option<String>,
    pub external_id: Option<String>,
    pub duration_seconds: Option<u32>,
}

/// The base, then the roles to assume in order (each with the credentials of the one before).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    pub base: Base,
    pub roles: Vec<RoleStep>,
}

impl Plan {
    /// The name the credentials of this plan will carry (botocore's `method`).
    pub fn provider_name(&self) -> &'static str {
        if !self.roles.is_empty() {
            return super::ASSUME_ROLE_PROVIDER_NAME;
        }
        match &self.base {
            Base::Static { file, .. } => static_provider_name(*file),
            Base::Process { .. } => super::super::process::PROVIDER_NAME,
            Base::WebIdentity { .. } => super::super::web_identity::PROVIDER_NAME,
            Base::Sso { .. } => super::SSO_PROVIDER_NAME,
            Base::Named { .. } => super::ASSUME_ROLE_PROVIDER_NAME,
        }
    }
}

/// The plan of profile `name`. `NotLoaded` when the profile does not exist or holds no
/// credentials settings at all.
pub fn resolve(set: &ProfileSet, name: &str) -> Result<Plan, CredentialsError> {
    if !set.contains(name) {
        // `default` may well be absent; a profile asked for by name must exist.
        let message = format!("profile `{name}` is not in the shared files");
        return Err(if name == "default" {
            CredentialsError::not_loaded(message)
        } else {
            CredentialsError::invalid_configuration(message)
        });
    }
    let mut visited: Vec<String> = vec![name.to_string()];
    let mut roles = Vec::new();
    let mut current = name.to_string();
    loop {
        let first = roles.is_empty() && current == name;
        let assume = set.get(&current, "role_arn").is_some()
            && set.get(&current, "web_identity_token_file").is_none()
            && (first || !has_static(set, &current));
        if !assume {
            let base = base_of(set, &current)?;
            return match base {
                Some(base) => Ok(Plan { base, roles }),
                None if first => Err(CredentialsError::not_loaded(format!(
                    "profile `{current}` has no credentials settings"
                ))),
                None => Err(CredentialsError::invalid_configuration(format!(
                    "source_profile `{current}` must have static credentials, a role_arn or another credentials source"
                ))),
            };
        }
        roles.push(role_step(set, &current)?);
        let source_profile = set.get(&current, "source_profile");
        let credential_source = set.get(&current, "credential_source");
        match (source_profile, credential_source) {
            (Some(_), Some(_)) => {
                return Err(CredentialsError::invalid_configuration(format!(
                    "profile `{current}` has both source_profile and credential_source; keep one"
                )))
            }
            (None, None) => {
                return Err(CredentialsError::invalid_configuration(format!(
                    "profile `{current}` has a role_arn but neither source_profile nor credential_source"
                )))
            }
            (None, Some(source)) => {
                let source = match source {
                    "Environment" => NamedSource::Environment,
                    "Ec2InstanceMetadata" => NamedSource::Ec2InstanceMetadata,
                    "EcsContainer" => NamedSource::EcsContainer,
                    other => {
                        return Err(CredentialsError::invalid_configuration(format!(
                            "profile `{current}`: credential_source `{other}` is not one of Environment, Ec2InstanceMetadata, EcsContainer"
                        )))
                    }
                };
                return Ok(Plan {
                    base: Base::Named {
                        profile: current,
                        source,
                    },
                    roles,
                });
            }
            (Some(source), None) => {
                let source = source.to_string();
                if !set.contains(&source) {
                    return Err(CredentialsError::invalid_configuration(format!(
                        "profile `{current}`: source_profile `{source}` is not in the shared files"
                    )));
                }
                if visited.contains(&source) {
                    // A profile may name itself when it has static keys: they are the source.
                    if source == current && has_static(set, &current) {
                        let base = base_of(set, &current)?.expect("static keys give a base");
                        return Ok(Plan { base, roles });
                    }
                    visited.push(source);
                    return Err(CredentialsError::invalid_configuration(format!(
                        "source_profile cycle: {}",
                        visited.join(" -> ")
                    )));
                }
                visited.push(source.clone());
                current = source;
            }
        }
    }
}

fn has_static(set: &ProfileSet, profile: &str) -> bool {
    set.get(profile, "aws_access_key_id").is_some()
}

fn role_step(set: &ProfileSet, profile: &str) -> Result<RoleStep, CredentialsError> {
    if set.get(profile, "mfa_serial").is_some() {
        return Err(CredentialsError::invalid_configuration(format!(
            "profile `{profile}` has mfa_serial: roles that need an MFA code are not supported (no code can be asked for); use credentials obtained with the code"
        )));
    }
    let duration_seconds = match set.get(profile, "duration_seconds") {
        None => None,
        Some(d) => Some(d.trim().parse::<u32>().map_err(|_| {
            CredentialsError::invalid_configuration(format!(
                "profile `{profile}`: duration_seconds `{d}` is not a whole number of seconds"
            ))
        })?),
    };
    Ok(RoleStep {
        profile: profile.to_string(),
        role_arn: set.get(profile, "role_arn").unwrap_or_default().to_string(),
        session_name: set.get(profile, "role_session_name").map(str::to_owned),
        external_id: set.get(profile, "external_id").map(str::to_owned),
        duration_seconds,
    })
}

/// The non-role source of a profile, in botocore's order; `None` when it has none.
fn base_of(set: &ProfileSet, profile: &str) -> Result<Option<Base>, CredentialsError> {
    let p = profile.to_string();
    if let Some(token_file) = set.get(profile, "web_identity_token_file") {
        let role_arn = set.get(profile, "role_arn").ok_or_else(|| {
            CredentialsError::invalid_configuration(format!(
                "profile `{profile}` has web_identity_token_file but no role_arn"
            ))
        })?;
        return Ok(Some(Base::WebIdentity {
            profile: p,
            token_file: token_file.to_string(),
            role_arn: role_arn.to_string(),
            session_name: set.get(profile, "role_session_name").map(str::to_owned),
        }));
    }
    if let Some(settings) = sso(set, profile)? {
        return Ok(Some(Base::Sso {
            profile: p,
            settings,
        }));
    }
    if let Some(credentials) = static_keys(set, ProfileFile::Credentials, profile)? {
        return Ok(Some(Base::Static {
            profile: p,
            file: ProfileFile::Credentials,
            credentials,
        }));
    }
    if let Some(command) = set.get(profile, "credential_process") {
        return Ok(Some(Base::Process {
            profile: p,
            command: command.to_string(),
        }));
    }
    if let Some(credentials) = static_keys(set, ProfileFile::Config, profile)? {
        return Ok(Some(Base::Static {
            profile: p,
            file: ProfileFile::Config,
            credentials,
        }));
    }
    Ok(None)
}

/// The name credentials from a file's static keys carry (botocore's `method`).
pub fn static_provider_name(file: ProfileFile) -> &'static str {
    match file {
        ProfileFile::Credentials => "shared-credentials-file",
        ProfileFile::Config => "config-file",
    }
}

fn static_keys(
    set: &ProfileSet,
    file: ProfileFile,
    profile: &str,
) -> Result<Option<Credentials>, CredentialsError> {
    let id = set.get_in(file, profile, "aws_access_key_id");
    let secret = set.get_in(file, profile, "aws_secret_access_key");
    match (id, secret) {
        (None, _) => Ok(None),
        (Some(_), None) => Err(CredentialsError::invalid_configuration(format!(
            "profile `{profile}` has aws_access_key_id but no aws_secret_access_key"
        ))),
        (Some(id), Some(secret)) => {
            let token = set
                .get_in(file, profile, "aws_session_token")
                .or_else(|| set.get_in(file, profile, "aws_security_token"))
                .map(str::to_owned);
            Ok(Some(
                Credentials::new(id, secret, token).with_provider_name(static_provider_name(file)),
            ))
        }
    }
}

/// SSO settings: `sso_session` (with its `[sso-session]` section) or the legacy keys.
fn sso(set: &ProfileSet, profile: &str) -> Result<Option<SsoSettings>, CredentialsError> {
    let get = |k: &str| set.get(profile, k).map(str::to_owned);
    let (start_url, sso_region, session_name, scopes) = if let Some(session) = get("sso_session") {
        if !set.has_sso_session(&session) {
            return Err(CredentialsError::invalid_configuration(format!(
                "profile `{profile}`: sso_session `{session}` has no [sso-session {session}] section"
            )));
        }
        let from_session = |k: &str| set.sso_session(&session, k).map(str::to_owned);
        for key in ["sso_start_url", "sso_region"] {
            if let (Some(in_profile), Some(in_session)) = (get(key), from_session(key)) {
                if in_profile != in_session {
                    return Err(CredentialsError::invalid_configuration(format!(
                        "profile `{profile}`: {key} differs from the one of sso_session `{session}`"
                    )));
                }
            }
        }
        (
            from_session("sso_start_url"),
            from_session("sso_region"),
            Some(session.clone()),
            from_session("sso_registration_scopes"),
        )
    } else if [
        "sso_start_url",
        "sso_region",
        "sso_account_id",
        "sso_role_name",
    ]
    .iter()
    .any(|k| get(k).is_some())
    {
        (get("sso_start_url"), get("sso_region"), None, None)
    } else {
        return Ok(None);
    };
    let account_id = get("sso_account_id");
    let role_name = get("sso_role_name");
    let missing: Vec<&str> = [
        ("sso_start_url", start_url.is_none()),
        ("sso_region", sso_region.is_none()),
        ("sso_account_id", account_id.is_none()),
        ("sso_role_name", role_name.is_none()),
    ]
    .iter()
    .filter(|(_, m)| *m)
    .map(|(k, _)| *k)
    .collect();
    if !missing.is_empty() {
        return Err(CredentialsError::invalid_configuration(format!(
            "profile `{profile}` is configured for SSO but lacks {}",
            missing.join(", ")
        )));
    }
    Ok(Some(SsoSettings {
        start_url: start_url.unwrap_or_default(),
        sso_region: sso_region.unwrap_or_default(),
        account_id: account_id.unwrap_or_default(),
        role_name: role_name.unwrap_or_default(),
        session_name,
        registration_scopes: scopes,
    }))
}

#[cfg(test)]
mod tests {
    use super::super::super::CredentialsErrorKind;
    use super::*;

    fn set(config: &str, credentials: &str) -> ProfileSet {
        let mut s = ProfileSet::default();
        s.add_config(config);
        s.add_credentials(credentials);
        s
    }

    #[test]
    fn chains_of_source_profiles_end_at_static_keys() {
        let s = set(
            "[profile a]\nrole_arn = arn:a\nsource_profile = b\nexternal_id = ext\nrole_session_name = sess\nduration_seconds = 900\n[profile b]\nrole_arn = arn:b\nsource_profile = c\n",
            "[c]\naws_access_key_id = AKIDC\naws_secret_access_key = S\n",
        );
        let plan = resolve(&s, "a").unwrap();
        let roles: Vec<_> = plan.roles.iter().map(|r| r.role_arn.as_str()).collect();
        assert_eq!(roles, ["arn:a", "arn:b"]);
        assert_eq!(plan.roles[0].external_id.as_deref(), Some("ext"));
        assert_eq!(plan.roles[0].session_name.as_deref(), Some("sess"));
        assert_eq!(plan.roles[0].duration_seconds, Some(900));
        match plan.base {
            Base::Static {
                profile,
                file,
                credentials,
            } => {
                assert_eq!(profile, "c");
                assert_eq!(file, ProfileFile::Credentials);
                assert_eq!(credentials.access_key_id(), "AKIDC");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_cycle_is_named() {
        let s = set(
            "[profile a]\nrole_arn = arn:a\nsource_profile = b\n[profile b]\nrole_arn = arn:b\nsource_profile = c\n[profile c]\nrole_arn = arn:c\nsource_profile = a\n",
            "",
        );
        let e = resolve(&s, "a").unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert_eq!(e.message(), "source_profile cycle: a -> b -> c -> a");
    }

    #[test]
    fn a_profile_naming_itself_with_static_keys_uses_them() {
        let s = set(
            "[profile a]\nrole_arn = arn:a\nsource_profile = a\naws_access_key_id = AK\naws_secret_access_key = S\n",
            "",
        );
        let plan = resolve(&s, "a").unwrap();
        assert_eq!(plan.roles.len(), 1);
        assert!(matches!(
            plan.base,
            Base::Static {
                file: ProfileFile::Config,
                ..
            }
        ));
        let s = set("[profile a]\nrole_arn = arn:a\nsource_profile = a\n", "");
        assert!(resolve(&s, "a")
            .unwrap_err()
            .message()
            .contains("cycle: a -> a"));
    }

    #[test]
    fn credential_source_mfa_and_missing_profiles() {
        let s = set(
            "[profile e]\nrole_arn = arn:e\ncredential_source = Ec2InstanceMetadata\n[profile m]\nrole_arn = arn:m\nsource_profile = e\nmfa_serial = arn:mfa\n[profile x]\nrole_arn = arn:x\ncredential_source = Nowhere\n[profile y]\nrole_arn = arn:y\nsource_profile = nope\n",
            "",
        );
        let plan = resolve(&s, "e").unwrap();
        assert_eq!(
            plan.base,
            Base::Named {
                profile: "e".into(),
                source: NamedSource::Ec2InstanceMetadata
            }
        );
        let e = resolve(&s, "m").unwrap_err();
        assert!(e.message().contains("mfa_serial"), "{e}");
        assert!(resolve(&s, "x").unwrap_err().message().contains("Nowhere"));
        assert!(resolve(&s, "y").unwrap_err().message().contains("`nope`"));
        assert_eq!(
            resolve(&s, "zzz").unwrap_err().kind(),
            CredentialsErrorKind::InvalidConfiguration
        );
    }

    #[test]
    fn precedence_within_a_profile_follows_botocore() {
        // The credentials file's keys beat credential_process, which beats the config file's.
        let s = set(
            "[default]\ncredential_process = /bin/creds\naws_access_key_id = CONFIG\naws_secret_access_key = S\n",
            "[default]\naws_access_key_id = CREDS\naws_secret_access_key = S\n",
        );
        assert!(matches!(
            resolve(&s, "default").unwrap().base,
            Base::Static {
                file: ProfileFile::Credentials,
                ..
            }
        ));
        let s = set(
            "[default]\ncredential_process = /bin/creds\naws_access_key_id = CONFIG\naws_secret_access_key = S\n",
            "",
        );
        assert!(matches!(
            resolve(&s, "default").unwrap().base,
            Base::Process { .. }
        ));
        // role_arn with web_identity_token_file is web identity, not assume role.
        let s = set(
            "[default]\nrole_arn = arn:w\nweb_identity_token_file = /t\n",
            "",
        );
        let plan = resolve(&s, "default").unwrap();
        assert!(plan.roles.is_empty());
        assert!(matches!(plan.base, Base::WebIdentity { .. }));
    }

    #[test]
    fn sso_session_and_legacy_keys() {
        let s = set(
            "[profile new]\nsso_session = corp\nsso_account_id = 111\nsso_role_name = Dev\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n[profile old]\nsso_start_url = https://old/start\nsso_region = us-east-1\nsso_account_id = 222\nsso_role_name = Ops\n[profile half]\nsso_start_url = https://x\n",
            "",
        );
        match resolve(&s, "new").unwrap().base {
            Base::Sso { settings, .. } => {
                assert_eq!(settings.start_url, "https://corp.awsapps.com/start");
                assert_eq!(settings.sso_region, "eu-west-1");
                assert_eq!(settings.session_name.as_deref(), Some("corp"));
                assert_eq!(
                    settings.registration_scopes.as_deref(),
                    Some("sso:account:access")
                );
            }
            other => panic!("{other:?}"),
        }
        match resolve(&s, "old").unwrap().base {
            Base::Sso { settings, .. } => {
                assert_eq!(settings.account_id, "222");
                assert_eq!(settings.session_name, None);
            }
            other => panic!("{other:?}"),
        }
        let e = resolve(&s, "half").unwrap_err();
        assert!(
            e.message()
                .contains("sso_region, sso_account_id, sso_role_name"),
            "{e}"
        );
    }
}
