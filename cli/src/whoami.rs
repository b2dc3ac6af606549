//! `kvs whoami`: which source gives the credentials and the region, without calling any AWS
//! service.

use std::time::SystemTime;

use kinesis_video::runtime::credentials::imds::ImdsSettings;
use kinesis_video::runtime::credentials::DefaultCredentialsChain;
use kinesis_video::runtime::datetime::{DateTime, Format};
use kinesis_video::runtime::profile::{Env, ProfileSet};
use kinesis_video::runtime::region;
use serde_json::{json, Value};

use super::{fail, printed, Outcome, Settings, OTHER_ERROR, USAGE_ERROR};

pub const NAME: &str = "whoami";

pub const HELP: &str = "usage: kvs whoami [--profile NAME] [--region REGION]

Prints where the credentials and the region come from, as the clients resolve them: the
source (env, shared-credentials-file, config-file, custom-process, assume-role,
assume-role-with-web-identity, sso, container-role, iam-role), the profile, the last four
characters of the access key id, the expiry of temporary credentials, and the region with
its source (--region, AWS_REGION, AWS_DEFAULT_REGION, the profile's region, instance
metadata).

No request is sent to a Kinesis Video service or to STS GetCallerIdentity. Obtaining the
credentials may itself need a call: STS for roles and web identity, SSO for SSO profiles,
the container endpoint, EC2 instance metadata, or running credential_process.

options:
  --profile NAME    the profile to use instead of AWS_PROFILE (or default)
  --region REGION   the region to report instead of the resolved one
";

/// Runs `kvs whoami ARGS`.
pub async fn run(args: &[String], settings: Settings) -> Outcome {
    let mut profile_flag = None;
    let mut region_flag = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--help" | "help" => return printed(HELP.to_string()),
            "--profile" | "--region" => {
                let Some(value) = it.next() else {
                    return fail(USAGE_ERROR, format!("kvs whoami: {arg} needs a value"));
                };
                if arg == "--profile" {
                    profile_flag = Some(value.clone());
                } else {
                    region_flag = Some(value.clone());
                }
            }
            other => {
                return fail(
                    USAGE_ERROR,
                    format!("kvs whoami: unknown argument {other:?}\n\n{HELP}"),
                )
            }
        }
    }
    let env = match &settings.env {
        Some(vars) => Env::from_vars(vars.clone()),
        None => Env::process(),
    };
    let profile_name = profile_flag.unwrap_or_else(|| env.profile_name());
    let profile = ProfileSet::load(&env).profile(&profile_name);

    let (region, region_source) = match region_flag {
        Some(r) => (Some(r), "--region".to_string()),
        None => match region::resolve_with_imds(&env, &profile, ImdsSettings::default()).await {
            Some((r, source)) => (Some(r), source.to_string()),
            None => (None, "none found".to_string()),
        },
    };
    let mut chain = DefaultCredentialsChain::builder()
        .env(env)
        .profile_name(profile_name.clone());
    if let Some(r) = &region {
        chain = chain.region(r.clone());
    }
    let credentials = match chain.build().credentials().await {
        Ok(c) => c,
        Err(e) => return fail(OTHER_ERROR, format!("kvs whoami: {e}")),
    };
    let id = credentials.access_key_id();
    let last_four: String = id
        .chars()
        .skip(id.chars().count().saturating_sub(4))
        .collect();
    let expiry = credentials.expiry().map(|t| {
        let left = t
            .duration_since(SystemTime::now())
            .map(|d| d.as_secs())
            .unwrap_or(0);
        json!({
            "Time": DateTime::from(t).fmt(Format::DateTime),
            "SecondsLeft": left,
        })
    });
    let out = json!({
        "Credentials": {
            "Source": credentials.provider_name(),
            "AccessKeyId": format!("****************{last_four}"),
            "Temporary": credentials.session_token().is_some(),
            "Expiration": expiry.unwrap_or(Value::Null),
        },
        "Profile": profile_name,
        "Region": {
            "Name": region,
            "Source": region_source,
        },
    });
    printed(format!(
        "{}\n",
        serde_json::to_string_pretty(&out).expect("JSON")
    ))
}
