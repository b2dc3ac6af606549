//! `kvs` on a device: credentials from the AWS IoT credentials provider (the device's X.509
//! certificate traded for temporary AWS credentials), set with `--iot-*` options or with
//! `iot_*` keys of the profile (`AWS_PROFILE`, else `default`), an option winning over its key:
//!
//! ```ini
//! [profile camera]
//! region = us-west-2
//! iot_credentials_endpoint = c1abc2defgh3ij.credentials.iot.us-west-2.amazonaws.com
//! iot_thing_name = cam-1
//! iot_role_alias = kvs-camera-alias
//! iot_cert_file = ~/certs/cam-1.cert.pem
//! iot_key_file = ~/certs/cam-1.private.key
//! iot_ca_file = ~/certs/AmazonRootCA1.pem   ; optional
//! ```
//!
//! The provider is the credentials source of the run's configuration: its credentials are
//! fetched at the first call. A dry run makes no call, so it signs with the usual sources.

use std::collections::BTreeMap;
use std::path::PathBuf;

use kinesis_video::runtime::credentials::iot::IotCredentialsProvider;
use kinesis_video::runtime::profile::{Env, Profile};

pub(crate) const OPTIONS: &str =
    "IoT credentials (a device's certificate instead of AWS keys; each also a profile key):
  --iot-endpoint HOST     the account's IoT credentials endpoint       iot_credentials_endpoint
                          (aws iot describe-endpoint --endpoint-type iot:CredentialProvider)
  --iot-thing-name NAME   the thing name (x-amzn-iot-thingname)        iot_thing_name
  --iot-role-alias ALIAS  the role alias                                iot_role_alias
  --iot-cert FILE         the device certificate (PEM)                  iot_cert_file
  --iot-key FILE          the device's private key (PEM)                iot_key_file
  --iot-ca FILE           an extra CA for the endpoint (PEM, optional)  iot_ca_file
";

/// Each setting: its option and its profile key.
const SETTINGS: [(&str, &str); 6] = [
    ("--iot-endpoint", "iot_credentials_endpoint"),
    ("--iot-thing-name", "iot_thing_name"),
    ("--iot-role-alias", "iot_role_alias"),
    ("--iot-cert", "iot_cert_file"),
    ("--iot-key", "iot_key_file"),
    ("--iot-ca", "iot_ca_file"),
];

/// The `--iot-*` options given (paths and names only; no secret).
#[derive(Clone, Debug, Default)]
pub(crate) struct IotOptions {
    values: BTreeMap<&'static str, String>,
}

impl IotOptions {
    pub(crate) fn is_flag(flag: &str) -> bool {
        SETTINGS.iter().any(|(f, _)| *f == flag)
    }

    pub(crate) fn set(&mut self, flag: &str, value: String) {
        if let Some((f, _)) = SETTINGS.iter().find(|(f, _)| *f == flag) {
            self.values.insert(f, value);
        }
    }
}

/// The settings from the options and the profile, `None` when neither names any.
fn settings(options: &IotOptions, env: &Env) -> Option<[Option<String>; 6]> {
    let profile = Profile::load(env);
    let values = SETTINGS.map(|(flag, key)| {
        options
            .values
            .get(flag)
            .cloned()
            .or_else(|| profile.get(key).map(str::to_string))
    });
    values.iter().any(Option::is_some).then_some(values)
}

/// `~/x` → `$HOME/x`, as the AWS CLI reads paths of the shared files.
fn path(value: &str, env: &Env) -> PathBuf {
    match (value.strip_prefix("~/"), env.get("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(value),
    }
}

/// The IoT credentials provider, when options or the profile ask for it; its credentials
/// are fetched at the first call (and refreshed before they expire).
pub(crate) fn provider(
    options: &IotOptions,
    env: &Env,
) -> Result<Option<IotCredentialsProvider>, String> {
    let Some([endpoint, thing, alias, cert, key, ca]) = settings(options, env) else {
        return Ok(None);
    };
    let mut builder = IotCredentialsProvider::builder();
    if let Some(v) = endpoint {
        builder = builder.endpoint(v);
    }
    if let Some(v) = thing {
        builder = builder.thing_name(v);
    }
    if let Some(v) = alias {
        builder = builder.role_alias(v);
    }
    if let Some(v) = cert {
        builder = builder.certificate_file(path(&v, env));
    }
    if let Some(v) = key {
        builder = builder.private_key_file(path(&v, env));
    }
    if let Some(v) = ca {
        builder = builder.ca_file(path(&v, env));
    }
    builder.build().map(Some).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[tokio::test]
    async fn nothing_configured_is_no_iot() {
        let none = vars(&[("AWS_CONFIG_FILE", "/nonexistent")]);
        assert!(matches!(
            provider(&IotOptions::default(), &Env::from_vars(none)),
            Ok(None)
        ));
    }

    #[tokio::test]
    async fn options_and_profile_keys_merge_and_missing_ones_are_named() {
        let dir = std::env::temp_dir().join(format!("kvs-iot-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let config = dir.join("config");
        std::fs::write(
            &config,
            "[profile cam]\niot_credentials_endpoint = x.credentials.iot.us-west-2.amazonaws.com\niot_thing_name = cam-1\niot_cert_file = ~/cam.pem\n",
        )
        .unwrap();
        let env = vars(&[
            ("AWS_CONFIG_FILE", config.to_str().unwrap()),
            ("AWS_PROFILE", "cam"),
            ("HOME", dir.to_str().unwrap()),
        ]);
        let env = Env::from_vars(env);
        let err = provider(&IotOptions::default(), &env).unwrap_err();
        assert_eq!(err, "IoT credentials: missing role alias, private key");
        let mut options = IotOptions::default();
        assert!(IotOptions::is_flag("--iot-role-alias") && !IotOptions::is_flag("--region"));
        options.set("--iot-role-alias", "alias".into());
        options.set("--iot-key", "/nonexistent/key.pem".into());
        let err = provider(&options, &env).unwrap_err();
        // The certificate path from the profile, with `~` expanded, is read first.
        assert!(
            err.contains(&format!("{}", dir.join("cam.pem").display())),
            "{err}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
