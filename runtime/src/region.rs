//! The region the AWS way: `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`, then
//! (asynchronously, when nothing else gives one) EC2 instance metadata. A region set on a
//! client builder comes before all of these; that is the builder's business.

use std::fmt;

use super::credentials::imds::{ImdsClient, ImdsSettings};
use super::profile::{Env, Profile};

/// Where the region came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RegionSource {
    /// An environment variable (`AWS_REGION` or `AWS_DEFAULT_REGION`).
    Environment(&'static str),
    /// The `region` of the named profile.
    Profile(String),
    /// `/latest/meta-data/placement/region` of the instance metadata service.
    InstanceMetadata,
}

impl fmt::Display for RegionSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegionSource::Environment(var) => write!(f, "env ({var})"),
            RegionSource::Profile(name) => write!(f, "profile `{name}` (region)"),
            RegionSource::InstanceMetadata => f.write_str("instance metadata"),
        }
    }
}

/// The region from the environment or the profile, without I/O beyond the files.
pub fn resolve(env: &Env, profile: &Profile) -> Option<(String, RegionSource)> {
    for var in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
        if let Some(r) = env.get(var) {
            return Some((r.trim().to_string(), RegionSource::Environment(var)));
        }
    }
    profile.get("region").map(|r| {
        (
            r.trim().to_string(),
            RegionSource::Profile(profile.name.clone()),
        )
    })
}

/// [`resolve`], then the instance metadata service (unless `AWS_EC2_METADATA_DISABLED`).
pub async fn resolve_with_imds(
    env: &Env,
    profile: &Profile,
    settings: ImdsSettings,
) -> Option<(String, RegionSource)> {
    if let Some(found) = resolve(env, profile) {
        return Some(found);
    }
    let client = ImdsClient::new(env, profile, settings).ok()?;
    match client.region().await {
        Ok(region) => Some((region, RegionSource::InstanceMetadata)),
        Err(e) => {
            tracing::debug!(error = %e, "no region from instance metadata");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_before_profile() {
        let mut set = super::super::profile::ProfileSet::default();
        set.add_config("[profile p]\nregion = eu-west-3\n");
        let profile = set.profile("p");
        let env = Env::from_vars([("AWS_DEFAULT_REGION", "us-east-2")]);
        assert_eq!(
            resolve(&env, &profile),
            Some((
                "us-east-2".into(),
                RegionSource::Environment("AWS_DEFAULT_REGION")
            ))
        );
        let env = Env::from_vars([("AWS_REGION", "ap-south-1"), ("AWS_DEFAULT_REGION", "x")]);
        assert_eq!(resolve(&env, &profile).unwrap().0, "ap-south-1");
        let env = Env::from_vars([("HOME", "/nonexistent")]);
        assert_eq!(
            resolve(&env, &profile),
            Some(("eu-west-3".into(), RegionSource::Profile("p".into())))
        );
    }
}
