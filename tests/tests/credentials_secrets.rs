//! No secret reaches `Debug`, `Display`, errors or tracing: every credentials source runs
//! (successfully and failing) with recognisable secrets in its inputs, under a subscriber
//! that records every event at TRACE, and the Debug/Display of every provider, plan, error,
//! profile and cache state is collected; none of it may contain a secret.

mod credentials_support;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use credentials_support::*;
use smithy_lite_runtime::credentials::container::ContainerProvider;
use smithy_lite_runtime::credentials::environment::EnvironmentProvider;
use smithy_lite_runtime::credentials::imds::{ImdsClient, ImdsProvider, ImdsSettings};
use smithy_lite_runtime::credentials::profile::{plan, ProfileProvider};
use smithy_lite_runtime::credentials::web_identity::WebIdentityProvider;
use smithy_lite_runtime::credentials::{
    process, CredentialsCache, CredentialsError, DefaultCredentialsChain, ProvideCredentials,
    ProvideFuture, SystemClock,
};
use smithy_lite_runtime::profile::{Env, ProfileSet};
use smithy_lite_runtime::sigv4::Credentials;

const SECRET_KEY: &str = "wJalrXUtnFEMI-K7MDENG-SECRETKEYVALUE";
const SESSION_TOKEN: &str = "FQoGZXIvYXdzSESSIONTOKENVALUE";
const WEB_IDENTITY_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.WEBIDENTITYTOKENVALUE";
const SSO_ACCESS_TOKEN: &str = "aoaSSOACCESSTOKENVALUE";
const SSO_REFRESH_TOKEN: &str = "aorSSOREFRESHTOKENVALUE";
const SSO_CLIENT_SECRET: &str = "eyJraWQiOiJSSOCLIENTSECRETVALUE";
const CONTAINER_TOKEN: &str = "Bearer CONTAINERAUTHTOKENVALUE";
const SECRETS: &[&str] = &[
    SECRET_KEY,
    SESSION_TOKEN,
    WEB_IDENTITY_TOKEN,
    SSO_ACCESS_TOKEN,
    SSO_REFRESH_TOKEN,
    SSO_CLIENT_SECRET,
    CONTAINER_TOKEN,
    "CONTAINERAUTHTOKENVALUE",
];

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Everything printed about a step.
#[derive(Default)]
struct Seen(Vec<String>);

impl Seen {
    fn debug(&mut self, what: &str, v: &dyn std::fmt::Debug) {
        self.0.push(format!("{what}: {v:?}"));
    }
    fn result(&mut self, what: &str, r: &Result<Credentials, CredentialsError>) {
        match r {
            Ok(c) => self.0.push(format!("{what}: ok {c:?}")),
            Err(e) => {
                self.0.push(format!("{what}: error {e} / {e:?}"));
                let mut source = std::error::Error::source(e);
                while let Some(s) = source {
                    self.0.push(format!("{what}: caused by {s} / {s:?}"));
                    source = s.source();
                }
            }
        }
    }
}

#[derive(Debug)]
struct Flaky {
    calls: std::sync::atomic::AtomicUsize,
}

impl ProvideCredentials for Flaky {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move {
            if self.calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
                Ok(
                    Credentials::new("AKIDCACHE", SECRET_KEY, Some(SESSION_TOKEN.into()))
                        .with_expiry(Some(
                            std::time::SystemTime::now() + Duration::from_secs(200),
                        )),
                )
            } else {
                Err(CredentialsError::provider_error("refresh failed"))
            }
        })
    }
}

#[test]
fn no_secret_in_debug_display_errors_or_tracing() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let seen = tracing::subscriber::with_default(subscriber, || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(run_every_source())
    });
    let mut all = seen.0.join("\n");
    all.push_str(&String::from_utf8_lossy(&captured.0.lock().unwrap()));
    // The run did exercise things (the text names them), and the subscriber saw events.
    for expected in [
        "AKIDENV",
        "AKIDFILE",
        "AKIDPROC",
        "ASIACONTAINER",
        "ASIAIMDS",
        "AKIDCACHE",
        "refreshing credentials failed",
        "no credentials here",
        "web identity",
        "sso",
    ] {
        assert!(
            all.contains(expected),
            "{expected:?} not in the output:\n{all}"
        );
    }
    for secret in SECRETS {
        if let Some(line) = all.lines().find(|l| l.contains(secret)) {
            panic!("secret {secret:?} printed: {line}");
        }
    }
}

async fn run_every_source() -> Seen {
    let mut seen = Seen::default();
    let dir = TempDir::new("secrets");
    let home = dir.path().to_string_lossy().into_owned();

    // The environment.
    let env = Env::from_vars([
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", SECRET_KEY),
        ("AWS_SESSION_TOKEN", SESSION_TOKEN),
        ("HOME", home.as_str()),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]);
    let p = EnvironmentProvider::new(env.clone());
    seen.debug("env provider", &p);
    seen.result("env", &p.provide_credentials().await);
    let chain = DefaultCredentialsChain::builder().env(env.clone()).build();
    seen.debug("chain", &chain);
    seen.result("chain env", &chain.provide_credentials().await);
    let half = EnvironmentProvider::new(Env::from_vars([("AWS_SECRET_ACCESS_KEY", SECRET_KEY)]));
    seen.result("env half", &half.provide_credentials().await);

    // Profiles: static keys, SSO with a cached token, web identity, a process.
    std::fs::create_dir_all(dir.path().join(".aws/sso/cache")).unwrap();
    for name in ["a", "b"] {
        dir.write(
            &format!(".aws/sso/cache/{name}.json"),
            &format!(
                r#"{{"startUrl":"https://corp.awsapps.com/start","region":"us-east-1","accessToken":"{SSO_ACCESS_TOKEN}","expiresAt":"2020-01-01T00:00:00Z","refreshToken":"{SSO_REFRESH_TOKEN}","clientId":"cid","clientSecret":"{SSO_CLIENT_SECRET}","registrationExpiresAt":"2030-01-01T00:00:00Z"}}"#
            ),
        );
    }
    let token_file = dir.write("web-token", WEB_IDENTITY_TOKEN);
    let proc_ok = dir.script(
        "ok.sh",
        &format!("#!/bin/sh\necho '{{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": \"{SECRET_KEY}\", \"SessionToken\": \"{SESSION_TOKEN}\"}}'\n"),
    );
    let proc_bad = dir.script(
        "bad.sh",
        &format!("#!/bin/sh\necho '{{\"Version\": 2, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"{SECRET_KEY}\"}}'\n"),
    );
    let proc_typo = dir.script(
        "typo.sh",
        &format!("#!/bin/sh\necho '{{\"Version\": 1, \"AccessKeyId\": 7, \"SecretAccessKey\": \"{SECRET_KEY}\"'\n"),
    );
    let sts = serve(|_, _| {
        Reply::Status(
            400,
            "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code><Message>Couldn't retrieve verification key from your identity provider</Message></Error><RequestId>r</RequestId></ErrorResponse>".into(),
        )
    })
    .await;
    let config = dir.write(
        "config",
        &format!(
            "[default]\nregion = us-east-1\n[profile sso]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n[profile legacy-sso]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 111122223333\nsso_role_name = Dev\n[profile web]\nrole_arn = arn:aws:iam::1:role/web\nweb_identity_token_file = {token_file}\n[profile proc]\ncredential_process = {proc_ok}\n[profile procbad]\ncredential_process = {proc_bad}\n[profile proctypo]\ncredential_process = {proc_typo}\n[profile role]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = default\n"
        ),
    );
    let credentials = dir.write(
        "credentials",
        &format!("[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = {SECRET_KEY}\naws_session_token = {SESSION_TOKEN}\n[half]\naws_access_key_id = AKIDHALF\n"),
    );
    let files = Env::from_vars([
        ("HOME", home.as_str()),
        ("AWS_CONFIG_FILE", config.as_str()),
        ("AWS_SHARED_CREDENTIALS_FILE", credentials.as_str()),
        ("AWS_EC2_METADATA_DISABLED", "true"),
        ("AWS_ENDPOINT_URL_STS", sts.url.as_str()),
        ("AWS_ENDPOINT_URL_SSO", sts.url.as_str()),
    ]);
    let set = ProfileSet::load(&files);
    seen.debug("profile set", &set);
    seen.debug("profile", &set.profile("default"));
    for name in [
        "default",
        "sso",
        "legacy-sso",
        "web",
        "proc",
        "procbad",
        "proctypo",
        "role",
        "half",
    ] {
        let plan = plan::resolve(&set, name);
        seen.debug(&format!("plan {name}"), &plan);
        let p = ProfileProvider::new(
            files.clone(),
            name.to_string(),
            Some("us-east-1".into()),
            Arc::new(SystemClock),
            ImdsSettings::default(),
        );
        seen.debug(&format!("profile provider {name}"), &p);
        seen.result(&format!("profile {name}"), &p.provide_credentials().await);
        let chain = DefaultCredentialsChain::builder()
            .env(files.clone())
            .profile_name(name)
            .build();
        seen.result(&format!("chain {name}"), &chain.provide_credentials().await);
    }
    seen.result("process", &process::run(&proc_ok).await);

    // Web identity from the environment.
    let web = Env::from_vars([
        ("AWS_WEB_IDENTITY_TOKEN_FILE", token_file.as_str()),
        ("AWS_ROLE_ARN", "arn:aws:iam::1:role/web"),
        ("AWS_ENDPOINT_URL_STS", sts.url.as_str()),
        ("AWS_REGION", "us-east-1"),
    ]);
    let p = WebIdentityProvider::new(web.clone(), Some("us-east-1".into()));
    seen.debug("web identity provider", &p);
    seen.result("web identity", &p.provide_credentials().await);

    // The container endpoint: a token file, a good answer, then a malformed one.
    let container = serve(|req, n| {
        if req.header("authorization") != Some(CONTAINER_TOKEN) {
            return Reply::Status(401, "{}".into());
        }
        if n == 0 {
            ok(format!(r#"{{"AccessKeyId":"ASIACONTAINER","SecretAccessKey":"{SECRET_KEY}","Token":"{SESSION_TOKEN}","Expiration":"2030-01-01T00:00:00Z"}}"#))
        } else {
            ok(format!(r#"{{"AccessKeyId":5,"SecretAccessKey":"{SECRET_KEY}"}}"#))
        }
    })
    .await;
    let auth = dir.write("auth", CONTAINER_TOKEN);
    let full = format!("{}/creds", container.url);
    let cenv = Env::from_vars([
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", full.as_str()),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", auth.as_str()),
    ]);
    let p = ContainerProvider::new(cenv);
    seen.debug("container provider", &p);
    seen.result("container", &p.provide_credentials().await);
    seen.result("container malformed", &p.provide_credentials().await);
    let p = ContainerProvider::new(Env::from_vars([
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://192.0.2.1/x"),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", CONTAINER_TOKEN),
    ]));
    seen.result("container refused", &p.provide_credentials().await);

    // IMDS.
    let imds = fake_imds(
        "role",
        credentials_json(
            "ASIAIMDS",
            SECRET_KEY,
            SESSION_TOKEN,
            "2030-01-01T00:00:00Z",
        ),
        true,
    )
    .await;
    let ienv = Env::from_vars([("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url.as_str())]);
    let profile = ProfileSet::default().profile("default");
    let client = ImdsClient::new(&ienv, &profile, ImdsSettings::default()).unwrap();
    seen.result("imds", &client.credentials().await);
    seen.debug("imds client", &client);
    let p = ImdsProvider::new(&ienv, &profile, ImdsSettings::default());
    seen.result("imds provider", &p.provide_credentials().await);
    seen.debug("imds provider", &p);

    // The cache: cached state, then a failing refresh that keeps the cached credentials.
    let cache = CredentialsCache::new(Flaky {
        calls: Default::default(),
    });
    seen.result("cache", &cache.get().await);
    seen.debug("cache", &cache);
    seen.result("cache refresh", &cache.get().await);
    seen.debug("cache after", &cache);

    // The chain with nothing configured.
    let none = Env::from_vars([
        ("HOME", home.as_str()),
        ("AWS_CONFIG_FILE", "/nonexistent/config"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url.as_str()),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", CONTAINER_TOKEN),
    ]);
    seen.result(
        "chain imds",
        &DefaultCredentialsChain::builder()
            .env(none)
            .build()
            .provide_credentials()
            .await,
    );
    seen
}
