//! The default chain picks the source botocore picks, for the same environment and shared
//! files: `botocore.session.Session().get_credentials()`'s `method` and access key against
//! ours, over set-ups covering every source both support (the oracle venv's botocore, found
//! through `KVS_PYTHON`; with `CI` set a missing botocore fails the test).
//!
//! The container endpoint, IMDS and STS are loopback fakes both sides talk to. For sources whose
//! credentials come from STS (roles, web identity), the plan the profile resolves to (or the web
//! identity settings of the environment) must name botocore's `method`, and then the whole
//! chain, calling the fake STS itself, must return botocore's method and access key.

mod credentials_support;

use std::path::PathBuf;
use std::process::Command;

use credentials_support::*;
use serde_json::Value;
use smithy_lite_runtime::credentials::environment::EnvironmentProvider;
use smithy_lite_runtime::credentials::profile::plan;
use smithy_lite_runtime::credentials::web_identity::{self, WebIdentityProvider};
use smithy_lite_runtime::credentials::{CredentialsErrorKind, DefaultCredentialsChain};
use smithy_lite_runtime::profile::{Env, ProfileSet};

const BOTOCORE_SCRIPT: &str = r#"
import json, botocore.session
try:
    c = botocore.session.Session().get_credentials()
    if c is None:
        out = {"method": None, "access_key": None}
    else:
        f = c.get_frozen_credentials()
        out = {"method": c.method, "access_key": f.access_key}
except Exception as e:
    out = {"error": type(e).__name__ + ": " + str(e)}
print(json.dumps(out))
"#;

/// Python with botocore, or `None` outside CI when there is none.
fn python() -> Option<PathBuf> {
    shared_data::python_with("credentials vs botocore", "botocore").map(PathBuf::from)
}

/// What a chain chose: botocore's `method` and the access key (`None`: no credentials).
#[derive(Debug, PartialEq, Eq)]
struct Choice {
    method: Option<String>,
    access_key: Option<String>,
}

fn botocore_choice(python: &PathBuf, vars: &[(String, String)]) -> Choice {
    let out = Command::new(python)
        .args(["-c", BOTOCORE_SCRIPT])
        .env_clear()
        .envs(vars.iter().map(|(k, v)| (k, v)))
        .output()
        .expect("run python");
    let text = String::from_utf8_lossy(&out.stdout);
    let v: Value = serde_json::from_str(text.trim()).unwrap_or_else(|e| {
        panic!(
            "botocore printed {text:?} ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    if let Some(e) = v.get("error") {
        panic!("botocore failed: {e}");
    }
    Choice {
        method: v["method"].as_str().map(str::to_owned),
        access_key: v["access_key"].as_str().map(str::to_owned),
    }
}

/// How our side is compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Compare {
    /// Run the whole chain; method and access key must match.
    Chain,
    /// The credentials come from STS: the source the profile resolves to must match.
    ProfilePlan,
    /// The credentials come from STS through the environment's web identity settings.
    EnvWebIdentity,
}

struct Setup {
    name: &'static str,
    config: String,
    credentials: String,
    env: Vec<(&'static str, String)>,
    compare: Compare,
}

fn setup(
    name: &'static str,
    config: &str,
    credentials: &str,
    env: &[(&'static str, &str)],
    compare: Compare,
) -> Setup {
    Setup {
        name,
        config: config.into(),
        credentials: credentials.into(),
        env: env.iter().map(|(k, v)| (*k, v.to_string())).collect(),
        compare,
    }
}

fn sts_xml(action: &str, key: &str) -> String {
    format!(
        r#"<{action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <{action}Result>
    <Credentials>
      <AccessKeyId>{key}</AccessKeyId>
      <SecretAccessKey>sts-secret</SecretAccessKey>
      <SessionToken>sts-session-token</SessionToken>
      <Expiration>2030-01-01T00:00:00Z</Expiration>
    </Credentials>
    <AssumedRoleUser>
      <AssumedRoleId>AROAEXAMPLE:session</AssumedRoleId>
      <Arn>arn:aws:sts::123456789012:assumed-role/role/session</Arn>
    </AssumedRoleUser>
  </{action}Result>
  <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
</{action}Response>"#
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_chain_chooses_what_botocore_chooses() {
    let Some(python) = python() else {
        return;
    };
    let dir = TempDir::new("botocore");
    let imds = fake_imds(
        "instance-role",
        credentials_json(
            "ASIAIMDS",
            "imds-secret",
            "imds-token",
            "2030-01-01T00:00:00Z",
        ),
        false,
    )
    .await;
    let container = serve(|req, _| {
        if req.path != "/creds" {
            return Reply::Status(404, String::new());
        }
        match req.header("authorization") {
            None | Some("Bearer from-file") => ok(r#"{"AccessKeyId":"ASIACONTAINER","SecretAccessKey":"c-secret","Token":"c-token","Expiration":"2030-01-01T00:00:00Z"}"#),
            Some(_) => Reply::Status(401, String::new()),
        }
    })
    .await;
    let sts = serve(|req, _| {
        let body = String::from_utf8_lossy(&req.body);
        if body.contains("Action=AssumeRoleWithWebIdentity") {
            ok(sts_xml("AssumeRoleWithWebIdentity", "ASIASTSWEB"))
        } else if body.contains("Action=AssumeRole") {
            ok(sts_xml("AssumeRole", "ASIASTSROLE"))
        } else {
            Reply::Status(400, String::new())
        }
    })
    .await;
    let process = dir.script(
        "process.sh",
        "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROCESS\", \"SecretAccessKey\": \"p-secret\", \"SessionToken\": \"p-token\", \"Expiration\": \"2030-01-01T00:00:00Z\"}'\n",
    );
    let token_file = dir.write("web-identity-token", "eyJhbGciOi.web-identity.token");
    let auth_file = dir.write("container-auth", "Bearer from-file");
    let full_uri = format!("{}/creds", container.url);
    let env_keys: [(&'static str, &str); 2] = [
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", "env-secret"),
    ];
    let creds_default = "[default]\naws_access_key_id = AKIDCREDS\naws_secret_access_key = s\n";
    use Compare::*;
    let setups = vec![
        setup("environment keys", "", "", &env_keys, Chain),
        setup(
            "environment keys and session token before the shared files",
            "",
            creds_default,
            &[env_keys[0], env_keys[1], ("AWS_SESSION_TOKEN", "env-token")],
            Chain,
        ),
        setup("credentials file, default profile", "", creds_default, &[], Chain),
        setup(
            "AWS_PROFILE selects a profile",
            "",
            "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s\n[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = s\n",
            &[("AWS_PROFILE", "dev")],
            Chain,
        ),
        setup(
            "credentials file before config file",
            "[default]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = s\n",
            creds_default,
            &[],
            Chain,
        ),
        setup(
            "config file only, named profile",
            "[profile cfg]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = s\n",
            "",
            &[("AWS_PROFILE", "cfg")],
            Chain,
        ),
        setup(
            "credential_process",
            &format!("[default]\ncredential_process = {process}\n"),
            "",
            &[],
            Chain,
        ),
        setup(
            "credential_process before the config file's keys",
            &format!("[default]\ncredential_process = {process}\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = s\n"),
            "",
            &[],
            Chain,
        ),
        setup(
            "the credentials file's keys before credential_process",
            &format!("[default]\ncredential_process = {process}\n"),
            creds_default,
            &[],
            Chain,
        ),
        setup(
            "container endpoint on loopback",
            "",
            "",
            &[("AWS_CONTAINER_CREDENTIALS_FULL_URI", &full_uri)],
            Chain,
        ),
        setup(
            "container endpoint with a token file",
            "",
            "",
            &[
                ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &full_uri),
                ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", &auth_file),
            ],
            Chain,
        ),
        setup(
            "instance metadata",
            "",
            "",
            &[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &imds.url)],
            Chain,
        ),
        setup(
            "profile before the container endpoint",
            "",
            creds_default,
            &[("AWS_CONTAINER_CREDENTIALS_FULL_URI", &full_uri)],
            Chain,
        ),
        setup(
            "container endpoint before instance metadata",
            "",
            "",
            &[
                ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &full_uri),
                ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &imds.url),
            ],
            Chain,
        ),
        setup(
            "assume role from a source profile",
            "[profile app]\nrole_arn = arn:aws:iam::123456789012:role/app\nsource_profile = base\nexternal_id = ext-1\nrole_session_name = s1\n",
            "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = s\n",
            &[("AWS_PROFILE", "app")],
            ProfilePlan,
        ),
        setup(
            "a chain of two roles",
            "[default]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = mid\n[profile mid]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = base\n",
            "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = s\n",
            &[],
            ProfilePlan,
        ),
        setup(
            "assume role with credential_source EcsContainer (before the container source)",
            "[profile app]\nrole_arn = arn:aws:iam::123456789012:role/app\ncredential_source = EcsContainer\n",
            "",
            &[("AWS_PROFILE", "app"), ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &full_uri)],
            ProfilePlan,
        ),
        setup(
            "web identity from the profile",
            &format!("[default]\nrole_arn = arn:aws:iam::123456789012:role/web\nweb_identity_token_file = {token_file}\n"),
            "",
            &[],
            ProfilePlan,
        ),
        setup(
            "web identity from the environment",
            "",
            "",
            &[
                ("AWS_WEB_IDENTITY_TOKEN_FILE", &token_file),
                ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/web"),
                ("AWS_ROLE_SESSION_NAME", "pod"),
            ],
            EnvWebIdentity,
        ),
        setup("nothing configured", "", "", &[], Chain),
    ];
    let mut compared = 0;
    // The fake STS's requests that came from our chain (the rest are botocore's).
    let mut ours_sts_calls: Vec<std::ops::Range<usize>> = Vec::new();
    for s in &setups {
        let config = dir.write("config", &s.config);
        let credentials = dir.write("credentials", &s.credentials);
        let mut vars: Vec<(String, String)> = vec![
            ("HOME".into(), dir.path().to_string_lossy().into_owned()),
            ("AWS_CONFIG_FILE".into(), config),
            ("AWS_SHARED_CREDENTIALS_FILE".into(), credentials),
            ("AWS_DEFAULT_REGION".into(), "us-east-1".into()),
            ("AWS_ENDPOINT_URL_STS".into(), sts.url.clone()),
        ];
        if !s
            .env
            .iter()
            .any(|(k, _)| *k == "AWS_EC2_METADATA_SERVICE_ENDPOINT")
        {
            vars.push(("AWS_EC2_METADATA_DISABLED".into(), "true".into()));
        }
        vars.extend(s.env.iter().map(|(k, v)| (k.to_string(), v.clone())));
        let theirs = tokio::task::spawn_blocking({
            let python = python.clone();
            let vars = vars.clone();
            move || botocore_choice(&python, &vars)
        })
        .await
        .unwrap();
        let env = Env::from_vars(vars.clone());
        let ours = match s.compare {
            Chain => match DefaultCredentialsChain::builder()
                .env(env)
                .build()
                .credentials()
                .await
            {
                Ok(c) => Choice {
                    method: Some(c.provider_name().to_string()),
                    access_key: Some(c.access_key_id().to_string()),
                },
                Err(e) => {
                    assert_eq!(e.kind(), CredentialsErrorKind::NotLoaded, "{}: {e}", s.name);
                    Choice {
                        method: None,
                        access_key: None,
                    }
                }
            },
            ProfilePlan | EnvWebIdentity => {
                // The sources before it have nothing; botocore's key is the fake STS's.
                assert_eq!(
                    EnvironmentProvider::new(env.clone())
                        .credentials()
                        .unwrap_err()
                        .kind(),
                    CredentialsErrorKind::NotLoaded,
                    "{}",
                    s.name
                );
                let method = if s.compare == ProfilePlan {
                    let name = env.profile_name();
                    plan::resolve(&ProfileSet::load(&env), &name)
                        .unwrap_or_else(|e| panic!("{}: {e}", s.name))
                        .provider_name()
                } else {
                    let set = ProfileSet::load(&env);
                    assert!(
                        plan::resolve(&set, &env.profile_name()).is_err(),
                        "{}: the profile has credentials",
                        s.name
                    );
                    WebIdentityProvider::new(env.clone(), None)
                        .config()
                        .unwrap_or_else(|e| panic!("{}: {e}", s.name));
                    web_identity::PROVIDER_NAME
                };
                // Then the whole chain, which calls the fake STS itself.
                let before = sts.requests().len();
                let c = DefaultCredentialsChain::builder()
                    .env(env)
                    .build()
                    .credentials()
                    .await
                    .unwrap_or_else(|e| panic!("{}: {e}", s.name));
                assert_eq!(c.provider_name(), method, "{}", s.name);
                ours_sts_calls.push(before..sts.requests().len());
                assert!(
                    sts.requests().len() > before,
                    "{}: the chain made no STS call",
                    s.name
                );
                Choice {
                    method: Some(c.provider_name().to_string()),
                    access_key: Some(c.access_key_id().to_string()),
                }
            }
        };
        assert_eq!(ours, theirs, "set-up {:?}", s.name);
        compared += 1;
    }
    assert_eq!(compared, 20);

    // The one known difference: botocore asks web identity from the environment before the
    // profile's static keys; the AWS SDKs' order (ours) asks the whole profile first.
    let config = dir.write("config", "");
    let credentials = dir.write("credentials", creds_default);
    let vars: Vec<(String, String)> = [
        ("HOME", dir.path().to_string_lossy().into_owned()),
        ("AWS_CONFIG_FILE", config),
        ("AWS_SHARED_CREDENTIALS_FILE", credentials),
        ("AWS_DEFAULT_REGION", "us-east-1".into()),
        ("AWS_ENDPOINT_URL_STS", sts.url.clone()),
        ("AWS_EC2_METADATA_DISABLED", "true".into()),
        ("AWS_WEB_IDENTITY_TOKEN_FILE", token_file.clone()),
        ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/web".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let theirs = tokio::task::spawn_blocking({
        let python = python.clone();
        let vars = vars.clone();
        move || botocore_choice(&python, &vars)
    })
    .await
    .unwrap();
    assert_eq!(
        theirs.method.as_deref(),
        Some("assume-role-with-web-identity")
    );
    let ours = DefaultCredentialsChain::builder()
        .env(Env::from_vars(vars))
        .build()
        .credentials()
        .await
        .unwrap();
    assert_eq!(
        (ours.provider_name(), ours.access_key_id()),
        ("shared-credentials-file", "AKIDCREDS")
    );
    // botocore did call the fake STS for the role and web identity set-ups (our chain's calls,
    // counted apart, are left out).
    let requests = sts.requests();
    let actions: Vec<String> = requests
        .iter()
        .enumerate()
        .filter(|(i, _)| !ours_sts_calls.iter().any(|r| r.contains(i)))
        .map(|(_, r)| r)
        .map(|r| {
            let body = String::from_utf8_lossy(&r.body).to_string();
            body.split('&')
                .find(|p| p.starts_with("Action="))
                .unwrap_or("")
                .to_string()
        })
        .collect();
    assert_eq!(
        actions.iter().filter(|a| *a == "Action=AssumeRole").count(),
        4,
        "{actions:?}"
    );
    assert_eq!(
        actions
            .iter()
            .filter(|a| *a == "Action=AssumeRoleWithWebIdentity")
            .count(),
        3,
        "{actions:?}"
    );
}
