// @generated: a verbatim copy of `runtime/src/profile.rs` of smithy-lite-runtime.
// Do not edit: run `cargo xtask codegen`.

//! Configuration the AWS way: environment variables and the shared `config` and `credentials`
//! files (`~/.aws/config`, `~/.aws/credentials`, `AWS_CONFIG_FILE`,
//! `AWS_SHARED_CREDENTIALS_FILE`, `AWS_PROFILE`).

use std::collections::BTreeMap;
use std::path::PathBuf;

/// Where settings are read from. Tests pass their own variables instead of the process's.
#[derive(Clone, Debug, Default)]
pub struct Env {
    /// `None`: the process environment.
    vars: Option<BTreeMap<String, String>>,
}

impl Env {
    /// The process environment.
    pub fn process() -> Self {
        Env { vars: None }
    }

    /// A fixed set of variables (and nothing from the process).
    pub fn from_vars<K: Into<String>, V: Into<String>>(
        vars: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Env {
            vars: Some(
                vars.into_iter()
                    .map(|(k, v)| (k.into(), v.into()))
                    .collect(),
            ),
        }
    }

    /// A variable, treating an empty value as unset.
    pub fn get(&self, name: &str) -> Option<String> {
        let v = match &self.vars {
            Some(vars) => vars.get(name).cloned(),
            None => std::env::var(name).ok(),
        };
        v.filter(|v| !v.trim().is_empty())
    }

    fn home(&self) -> Option<PathBuf> {
        self.get("HOME")
            .or_else(|| self.get("USERPROFILE"))
            .map(PathBuf::from)
    }

    pub fn config_file(&self) -> Option<PathBuf> {
        self.get("AWS_CONFIG_FILE")
            .map(PathBuf::from)
            .or_else(|| self.home().map(|h| h.join(".aws").join("config")))
    }

    pub fn credentials_file(&self) -> Option<PathBuf> {
        self.get("AWS_SHARED_CREDENTIALS_FILE")
            .map(PathBuf::from)
            .or_else(|| self.home().map(|h| h.join(".aws").join("credentials")))
    }

    /// `AWS_PROFILE`, else `default`.
    pub fn profile_name(&self) -> String {
        self.get("AWS_PROFILE")
            .unwrap_or_else(|| "default".to_string())
    }
}

/// The settings of one profile, merged from both files (the credentials file wins).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Profile {
    pub name: String,
    settings: BTreeMap<String, String>,
    /// The files that were read, for error messages.
    pub sources: Vec<PathBuf>,
}

impl Profile {
    /// A setting by its (case-insensitive) key: `region`, `aws_access_key_id`, ...
    pub fn get(&self, key: &str) -> Option<&str> {
        self.settings
            .get(&key.to_ascii_lowercase())
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// Loads the profile named by `AWS_PROFILE` (or `default`) from the shared files.
    /// Missing files are not an error: they just contribute nothing.
    pub fn load(env: &Env) -> Profile {
        let name = env.profile_name();
        let mut profile = Profile {
            name: name.clone(),
            ..Profile::default()
        };
        if let Some(path) = env.config_file() {
            if let Ok(text) = std::fs::read_to_string(&path) {
                let sections = parse_ini(&text);
                // In the config file, profiles other than `default` are `[profile name]`.
                let wanted = if name == "default" {
                    vec!["default".to_string(), "profile default".to_string()]
                } else {
                    vec![format!("profile {name}")]
                };
                for section in wanted {
                    if let Some(s) = sections.get(&section) {
                        profile.settings.extend(s.clone());
                    }
                }
                profile.sources.push(path);
            }
        }
        if let Some(path) = env.credentials_file() {
            if let Ok(text) = std::fs::read_to_string(&path) {
                if let Some(s) = parse_ini(&text).get(&name) {
                    profile.settings.extend(s.clone());
                }
                profile.sources.push(path);
            }
        }
        profile
    }
}

/// A minimal INI reader for the AWS shared files: `[section]`, `key = value`, `#`/`;`
/// comments, and indented continuation lines (nested settings such as `s3 =` are kept as
/// their raw text).
pub fn parse_ini(text: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut out: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut section: Option<String> = None;
    let mut last_key: Option<String> = None;
    for raw in text.lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if trimmed.starts_with('[') {
            let name = trimmed
                .trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or("")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            out.entry(name.clone()).or_default();
            section = Some(name);
            last_key = None;
            continue;
        }
        let Some(sec) = &section else { continue };
        let indented = line.starts_with(' ') || line.starts_with('\t');
        if indented {
            if let Some(k) = &last_key {
                if let Some(v) = out.get_mut(sec).and_then(|s| s.get_mut(k)) {
                    v.push('\n');
                    v.push_str(trimmed);
                }
            }
            continue;
        }
        if let Some((k, v)) = trimmed.split_once('=') {
            let key = k.trim().to_ascii_lowercase();
            // An inline comment needs whitespace before it, as in the AWS CLI.
            let value = match v.find(" #").or_else(|| v.find(" ;")) {
                Some(i) => &v[..i],
                None => v,
            };
            out.entry(sec.clone())
                .or_default()
                .insert(key.clone(), value.trim().to_string());
            last_key = Some(key);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sections_keys_and_comments() {
        let ini = parse_ini(
            "# top\n[default]\nregion = us-west-2 # inline\n[profile dev]\nregion=eu-west-1\ns3 =\n  max_concurrent_requests = 10\n[  profile   spaced  ]\nk = v\n",
        );
        assert_eq!(ini["default"]["region"], "us-west-2");
        assert_eq!(ini["profile dev"]["region"], "eu-west-1");
        assert_eq!(ini["profile dev"]["s3"], "\nmax_concurrent_requests = 10");
        assert_eq!(ini["profile spaced"]["k"], "v");
    }

    #[test]
    fn merges_config_and_credentials_for_the_selected_profile() {
        let dir = std::env::temp_dir().join(format!("profile-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("config"),
            "[default]\nregion = us-east-1\n[profile dev]\nregion = eu-west-1\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("credentials"),
            "[dev]\naws_access_key_id = AKID\naws_secret_access_key = SECRET\n",
        )
        .unwrap();
        let env = Env::from_vars([
            (
                "AWS_CONFIG_FILE",
                dir.join("config").to_string_lossy().into_owned(),
            ),
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                dir.join("credentials").to_string_lossy().into_owned(),
            ),
            ("AWS_PROFILE", "dev".to_string()),
        ]);
        let p = Profile::load(&env);
        assert_eq!(p.get("region"), Some("eu-west-1"));
        assert_eq!(p.get("AWS_ACCESS_KEY_ID"), Some("AKID"));
        assert_eq!(p.sources.len(), 2);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
