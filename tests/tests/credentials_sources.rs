//! Every credentials source against a loopback server speaking its wire format (IMDSv2, the
//! container endpoint), `credential_process` scripts, profile chains, the default chain's
//! error, and the cache driven by a fake clock.

mod credentials_support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use credentials_support::*;
use smithy_lite_runtime::credentials::container::ContainerProvider;
use smithy_lite_runtime::credentials::imds::{ImdsClient, ImdsProvider, ImdsSettings};
use smithy_lite_runtime::credentials::profile::ProfileProvider;
use smithy_lite_runtime::credentials::{
    process, CredentialsCache, CredentialsError, CredentialsErrorKind, DefaultCredentialsChain,
    ProvideCredentials, ProvideFuture, SystemClock,
};
use smithy_lite_runtime::profile::{Env, Profile, ProfileSet};
use smithy_lite_runtime::region::{self, RegionSource};
use smithy_lite_runtime::sigv4::Credentials;

fn env(vars: &[(&str, &str)]) -> Env {
    Env::from_vars(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())))
}

fn no_profile() -> Profile {
    ProfileSet::default().profile("default")
}

// ---- IMDSv2 ----

#[tokio::test]
async fn imds_token_then_role_then_credentials() {
    let server = fake_imds(
        "web-role",
        credentials_json(
            "ASIAIMDS",
            "imds-secret",
            "imds-token",
            "2030-01-01T00:00:00Z",
        ),
        false,
    )
    .await;
    let e = env(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url)]);
    let c = ImdsProvider::new(&e, &no_profile(), ImdsSettings::default())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(c.access_key_id(), "ASIAIMDS");
    assert_eq!(c.secret_access_key(), "imds-secret");
    assert_eq!(c.session_token(), Some("imds-token"));
    assert_eq!(c.provider_name(), "iam-role");
    assert_eq!(
        c.expiry(),
        Some(UNIX_EPOCH + Duration::from_secs(1_893_456_000))
    );
    let seen: Vec<(String, String, Option<String>)> = server
        .requests()
        .iter()
        .map(|r| {
            (
                r.method.clone(),
                r.path.clone(),
                r.header("x-aws-ec2-metadata-token").map(str::to_owned),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("PUT".into(), "/latest/api/token".into(), None),
            (
                "GET".into(),
                "/latest/meta-data/iam/security-credentials/".into(),
                Some("token-1".into())
            ),
            (
                "GET".into(),
                "/latest/meta-data/iam/security-credentials/web-role".into(),
                Some("token-1".into())
            ),
        ]
    );
}

#[tokio::test]
async fn imds_401_renews_the_token() {
    let server = fake_imds(
        "r",
        credentials_json("ASIA2", "s", "t", "2030-01-01T00:00:00Z"),
        true,
    )
    .await;
    let e = env(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url)]);
    let client = ImdsClient::new(&e, &no_profile(), ImdsSettings::default()).unwrap();
    let c = client.credentials().await.unwrap();
    assert_eq!(c.access_key_id(), "ASIA2");
    let reqs = server.requests();
    let puts = reqs.iter().filter(|r| r.method == "PUT").count();
    assert_eq!(puts, 2, "{reqs:?}");
    assert_eq!(reqs[1].header("x-aws-ec2-metadata-token"), Some("token-1"));
    assert_eq!(reqs[3].header("x-aws-ec2-metadata-token"), Some("token-2"));
    // The renewed token is kept for the next call.
    assert_eq!(client.region().await.unwrap(), "eu-central-1");
    assert_eq!(
        server
            .requests()
            .iter()
            .filter(|r| r.method == "PUT")
            .count(),
        2
    );
}

#[tokio::test]
async fn imds_404_for_the_role_is_a_clear_error_and_no_role_is_not_loaded() {
    let server = serve(|req, _| match req.path.as_str() {
        "/latest/api/token" => ok("tok"),
        "/latest/meta-data/iam/security-credentials/" => ok("gone-role\n"),
        _ => Reply::Status(404, "Not Found".into()),
    })
    .await;
    let e = env(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url)]);
    let err = ImdsProvider::new(&e, &no_profile(), ImdsSettings::default())
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::ProviderError);
    assert!(err.message().contains("role `gone-role` (404)"), "{err}");

    let server = serve(|req, _| match req.path.as_str() {
        "/latest/api/token" => ok("tok"),
        _ => Reply::Status(404, "Not Found".into()),
    })
    .await;
    let e = env(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url)]);
    let err = ImdsProvider::new(&e, &no_profile(), ImdsSettings::default())
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::NotLoaded);
    assert!(err.message().contains("no IAM instance profile"), "{err}");
}

#[tokio::test]
async fn imds_that_never_answers_fails_within_three_seconds() {
    let server = serve(|_, _| Reply::Hang).await;
    let e = env(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url)]);
    let start = Instant::now();
    let err = ImdsProvider::new(&e, &no_profile(), ImdsSettings::default())
        .provide_credentials()
        .await
        .unwrap_err();
    let took = start.elapsed();
    assert!(took < Duration::from_secs(3), "took {took:?}");
    assert!(
        took >= Duration::from_secs(2),
        "two tries of 1 s, took {took:?}"
    );
    assert_eq!(err.kind(), CredentialsErrorKind::NotLoaded);
    assert!(
        err.message().contains("no answer within 1s; 2 attempts"),
        "{err}"
    );
    // One try each: the token PUT was sent twice.
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn imds_absent_or_disabled_fails_at_once() {
    let e = env(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &closed_port_url())]);
    let start = Instant::now();
    let err = ImdsProvider::new(&e, &no_profile(), ImdsSettings::default())
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(1));
    assert_eq!(err.kind(), CredentialsErrorKind::NotLoaded);
    assert!(
        err.message().contains("no instance metadata service at"),
        "{err}"
    );

    let e = env(&[("AWS_EC2_METADATA_DISABLED", "TRUE")]);
    let err = ImdsProvider::new(&e, &no_profile(), ImdsSettings::default())
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.message().contains("AWS_EC2_METADATA_DISABLED"), "{err}");

    let e = env(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv5")]);
    let err = ImdsClient::new(&e, &no_profile(), ImdsSettings::default()).unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
}

#[tokio::test]
async fn region_falls_back_to_imds() {
    let server = fake_imds("r", String::new(), false).await;
    let e = env(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url)]);
    let found = region::resolve_with_imds(&e, &no_profile(), ImdsSettings::default()).await;
    assert_eq!(
        found,
        Some(("eu-central-1".to_string(), RegionSource::InstanceMetadata))
    );
    let e = env(&[
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url),
        ("AWS_REGION", "sa-east-1"),
    ]);
    let found = region::resolve_with_imds(&e, &no_profile(), ImdsSettings::default()).await;
    assert_eq!(
        found,
        Some((
            "sa-east-1".to_string(),
            RegionSource::Environment("AWS_REGION")
        ))
    );
}

// ---- container endpoint ----

fn container_server_json() -> String {
    r#"{"AccessKeyId":"ASIACONT","SecretAccessKey":"cont-secret","Token":"cont-token","Expiration":"2030-01-01T00:00:00Z","RoleArn":"arn:aws:iam::1:role/task"}"#.into()
}

#[tokio::test]
async fn container_endpoint_without_a_token() {
    let server = serve(|req, _| {
        if req.path == "/v2/credentials/abc" && req.header("authorization").is_none() {
            ok(container_server_json())
        } else {
            Reply::Status(400, "unexpected".into())
        }
    })
    .await;
    let e = env(&[(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        &format!("{}/v2/credentials/abc", server.url),
    )]);
    let c = ContainerProvider::new(e)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(c.access_key_id(), "ASIACONT");
    assert_eq!(c.session_token(), Some("cont-token"));
    assert_eq!(c.provider_name(), "container-role");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn container_endpoint_with_a_token_and_a_token_file_read_each_time() {
    let server = serve(|req, _| match req.header("authorization") {
        Some("Bearer one") | Some("Bearer two") | Some("literal") => ok(container_server_json()),
        _ => Reply::Status(401, "{\"message\":\"bad token\"}".into()),
    })
    .await;
    let url = format!("{}/creds", server.url);
    let e = env(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &url),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "literal"),
    ]);
    ContainerProvider::new(e)
        .provide_credentials()
        .await
        .unwrap();

    let dir = TempDir::new("container");
    let file = dir.write("token", "Bearer one");
    let e = env(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &url),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "literal"),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", &file),
    ]);
    let p = ContainerProvider::new(e);
    p.provide_credentials().await.unwrap();
    dir.write("token", "Bearer two");
    p.provide_credentials().await.unwrap();
    dir.write("token", "Bearer wrong");
    let err = p.provide_credentials().await.unwrap_err();
    assert!(err.message().contains("HTTP 401"), "{err}");
    let tokens: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.header("authorization").unwrap_or("").to_string())
        .collect();
    assert_eq!(
        tokens,
        ["literal", "Bearer one", "Bearer two", "Bearer wrong"]
    );
    // The error names the endpoint, never the token.
    assert!(!err.to_string().contains("wrong"));
}

#[tokio::test]
async fn container_endpoint_refuses_other_hosts() {
    let e = env(&[(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "http://192.0.2.10/creds",
    )]);
    let err = ContainerProvider::new(e)
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
}

// ---- credential_process ----

#[tokio::test]
async fn credential_process_runs_without_a_shell_and_reads_version_1() {
    let dir = TempDir::new("process");
    let script = dir.script(
        "creds.sh",
        "#!/bin/sh\n# prints its two arguments back as the key id and secret\nprintf '{\"Version\": 1, \"AccessKeyId\": \"%s\", \"SecretAccessKey\": \"%s\", \"SessionToken\": \"T\", \"Expiration\": \"2030-01-01T00:00:00Z\"}' \"$1\" \"$2\"\n",
    );
    let c = process::run(&format!("{script} 'AKID WITH SPACE' \"sec ret\""))
        .await
        .unwrap();
    assert_eq!(c.access_key_id(), "AKID WITH SPACE");
    assert_eq!(c.secret_access_key(), "sec ret");
    assert_eq!(c.provider_name(), "custom-process");
    assert!(c.expiry().is_some());
    // No shell: `;` is an argument, not a second command.
    let c = process::run(&format!("{script} A ; echo")).await.unwrap();
    assert_eq!(c.access_key_id(), "A");
    assert_eq!(c.secret_access_key(), ";");
}

#[tokio::test]
async fn credential_process_errors() {
    let dir = TempDir::new("process-err");
    let failing = dir.script(
        "fail.sh",
        "#!/bin/sh\necho 'token expired, run login' >&2\nexit 3\n",
    );
    let e = process::run(&failing).await.unwrap_err();
    assert!(e.message().contains("exit status: 3"), "{e}");
    assert!(e.message().contains("token expired, run login"), "{e}");
    let bad = dir.script(
        "bad.sh",
        "#!/bin/sh\necho '{\"Version\": 2, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"S\"}'\n",
    );
    let e = process::run(&bad).await.unwrap_err();
    assert!(e.message().contains("Version 2"), "{e}");
    let e = process::run("/nonexistent/creds-helper --x")
        .await
        .unwrap_err();
    assert!(
        e.message()
            .contains("cannot run `/nonexistent/creds-helper`"),
        "{e}"
    );
    let e = process::run("helper 'unclosed").await.unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
}

// ---- profiles ----

fn files_env(dir: &TempDir, config: &str, credentials: &str, extra: &[(&str, &str)]) -> Env {
    let c = dir.write("config", config);
    let k = dir.write("credentials", credentials);
    let mut vars = vec![
        ("AWS_CONFIG_FILE".to_string(), c),
        ("AWS_SHARED_CREDENTIALS_FILE".to_string(), k),
        (
            "HOME".to_string(),
            dir.path().to_string_lossy().into_owned(),
        ),
    ];
    vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Env::from_vars(vars)
}

fn profile_provider(env: Env, name: &str) -> ProfileProvider {
    ProfileProvider::new(
        env,
        name.to_string(),
        Some("us-east-1".into()),
        Arc::new(SystemClock),
        ImdsSettings::default(),
    )
}

#[tokio::test]
async fn profile_with_credential_process_and_static_source_profiles() {
    let dir = TempDir::new("profile");
    let script = dir.script(
        "p.sh",
        "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": \"S\"}'\n",
    );
    let e = files_env(
        &dir,
        &format!("[profile proc]\ncredential_process = {script}\n[profile cfg]\naws_access_key_id = AKIDCFG\naws_secret_access_key = S\n"),
        "[keys]\naws_access_key_id = AKIDKEYS\naws_secret_access_key = S\naws_session_token = TOK\n",
        &[],
    );
    let c = profile_provider(e.clone(), "proc")
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(
        (c.access_key_id(), c.provider_name()),
        ("AKIDPROC", "custom-process")
    );
    let c = profile_provider(e.clone(), "cfg")
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(
        (c.access_key_id(), c.provider_name()),
        ("AKIDCFG", "config-file")
    );
    let c = profile_provider(e.clone(), "keys")
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(
        (c.access_key_id(), c.provider_name(), c.session_token()),
        ("AKIDKEYS", "shared-credentials-file", Some("TOK"))
    );
    let err = profile_provider(e, "missing")
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert_eq!(
        err.to_string(),
        "profile `missing` is not in the shared files"
    );
}

#[tokio::test]
async fn profile_cycles_and_mfa_are_refused_before_any_call() {
    let dir = TempDir::new("cycle");
    let e = files_env(
        &dir,
        "[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = a\n[profile m]\nrole_arn = arn:aws:iam::1:role/m\nsource_profile = s\nmfa_serial = arn:aws:iam::1:mfa/me\n[profile s]\naws_access_key_id = AK\naws_secret_access_key = S\n",
        "",
        &[],
    );
    let err = profile_provider(e.clone(), "a")
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert_eq!(err.to_string(), "source_profile cycle: a -> b -> a");
    let err = profile_provider(e.clone(), "m")
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("mfa_serial"), "{err}");
    // Through the chain: the profile error stops it (environment had nothing).
    let chain = DefaultCredentialsChain::builder()
        .env(e)
        .profile_name("a")
        .build();
    let err = chain.provide_credentials().await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "profile: source_profile cycle: a -> b -> a"
    );
}

#[tokio::test]
async fn credential_source_names_a_source_that_must_answer() {
    let dir = TempDir::new("named");
    let e = files_env(
        &dir,
        "[default]\nrole_arn = arn:aws:iam::1:role/r\ncredential_source = Environment\n",
        "",
        &[],
    );
    // No keys in the environment: the profile asked for them, so this is an error.
    let err = profile_provider(e, "default")
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert!(
        err.message().contains("credential_source Environment"),
        "{err}"
    );
}

// ---- the default chain ----

#[tokio::test]
async fn the_chain_names_every_source_it_tried() {
    let dir = TempDir::new("chain");
    let e = files_env(
        &dir,
        "",
        "",
        &[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &closed_port_url())],
    );
    let err = DefaultCredentialsChain::builder()
        .env(e)
        .build()
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::NotLoaded);
    let text = err.to_string();
    for part in [
        "environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
        "profile: profile `default` is not in the shared files",
        "web identity (environment): AWS_WEB_IDENTITY_TOKEN_FILE is not set",
        "container endpoint: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set",
        "instance metadata: no instance metadata service at",
    ] {
        assert!(text.contains(part), "{part:?} missing from {text}");
    }
}

#[tokio::test]
async fn the_chain_takes_the_first_source_in_order() {
    let dir = TempDir::new("order");
    let imds = fake_imds(
        "r",
        credentials_json("ASIAIMDS", "s", "t", "2030-01-01T00:00:00Z"),
        false,
    )
    .await;
    let container = serve(|_, _| ok(container_server_json())).await;
    let base = [("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url.as_str())];
    let chain = |e: Env| DefaultCredentialsChain::builder().env(e).build();
    // Only IMDS.
    let c = chain(files_env(&dir, "", "", &base))
        .credentials()
        .await
        .unwrap();
    assert_eq!(c.provider_name(), "iam-role");
    // Container before IMDS.
    let full = format!("{}/c", container.url);
    let with_container = [
        base[0],
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", full.as_str()),
    ];
    let c = chain(files_env(&dir, "", "", &with_container))
        .credentials()
        .await
        .unwrap();
    assert_eq!(c.provider_name(), "container-role");
    // The profile before the container.
    let c = chain(files_env(
        &dir,
        "",
        "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = S\n",
        &with_container,
    ))
    .credentials()
    .await
    .unwrap();
    assert_eq!(c.access_key_id(), "AKIDFILE");
    // The environment before the profile.
    let mut all = with_container.to_vec();
    all.extend([
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", "S"),
    ]);
    let c = chain(files_env(
        &dir,
        "",
        "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = S\n",
        &all,
    ))
    .credentials()
    .await
    .unwrap();
    assert_eq!((c.access_key_id(), c.provider_name()), ("AKIDENV", "env"));
}

// ---- the cache ----

/// Hands out credentials expiring `lifetime` after the clock's now, counting calls; fails
/// while `failing` is set.
#[derive(Debug)]
struct Counting {
    clock: Arc<FakeClock>,
    lifetime: Option<Duration>,
    calls: AtomicUsize,
    failing: std::sync::atomic::AtomicBool,
    delay: Duration,
}

impl Counting {
    fn new(clock: Arc<FakeClock>, lifetime: Option<Duration>) -> Arc<Self> {
        Arc::new(Counting {
            clock,
            lifetime,
            calls: AtomicUsize::new(0),
            failing: false.into(),
            delay: Duration::from_millis(50),
        })
    }
}

impl ProvideCredentials for Counting {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            tokio::time::sleep(self.delay).await;
            if self.failing.load(Ordering::SeqCst) {
                return Err(CredentialsError::provider_error("the source is down"));
            }
            use smithy_lite_runtime::credentials::TimeSource;
            Ok(
                Credentials::new(format!("AKID{n}"), "secret", Some("token".into()))
                    .with_expiry(self.lifetime.map(|l| self.clock.now() + l)),
            )
        })
    }
}

#[derive(Debug)]
struct Shared(Arc<Counting>);

impl ProvideCredentials for Shared {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        self.0.provide_credentials()
    }
}

fn t0() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_800_000_000)
}

#[tokio::test]
async fn temporary_credentials_are_kept_until_five_minutes_before_expiry() {
    let clock = FakeClock::new(t0());
    let source = Counting::new(clock.clone(), Some(Duration::from_secs(3600)));
    let cache = CredentialsCache::new(Shared(source.clone())).with_clock(clock.clone());
    assert_eq!(cache.get().await.unwrap().access_key_id(), "AKID1");
    clock.advance(Duration::from_secs(3600 - 301));
    assert_eq!(cache.get().await.unwrap().access_key_id(), "AKID1");
    assert_eq!(source.calls.load(Ordering::SeqCst), 1);
    clock.advance(Duration::from_secs(2)); // now 299 s before expiry
    assert_eq!(cache.get().await.unwrap().access_key_id(), "AKID2");
    assert_eq!(source.calls.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_concurrent_calls_with_expired_credentials_refresh_once() {
    let clock = FakeClock::new(t0());
    let source = Counting::new(clock.clone(), Some(Duration::from_secs(900)));
    let cache = Arc::new(CredentialsCache::new(Shared(source.clone())).with_clock(clock.clone()));
    cache.get().await.unwrap();
    clock.advance(Duration::from_secs(3600)); // long expired
    let calls: Vec<_> = (0..20)
        .map(|_| {
            let cache = cache.clone();
            tokio::spawn(async move { cache.get().await.unwrap().access_key_id().to_string() })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap(), "AKID2");
    }
    assert_eq!(
        source.calls.load(Ordering::SeqCst),
        2,
        "one initial load, one refresh"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_failed_refresh_keeps_unexpired_credentials_and_is_shared_by_waiters() {
    let clock = FakeClock::new(t0());
    let source = Counting::new(clock.clone(), Some(Duration::from_secs(600)));
    let cache = Arc::new(CredentialsCache::new(Shared(source.clone())).with_clock(clock.clone()));
    cache.get().await.unwrap();
    source.failing.store(true, Ordering::SeqCst);
    clock.advance(Duration::from_secs(400)); // inside the 5 minute window, not expired
    let calls: Vec<_> = (0..20)
        .map(|_| {
            let cache = cache.clone();
            tokio::spawn(async move { cache.get().await.map(|c| c.access_key_id().to_string()) })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap().unwrap(), "AKID1");
    }
    assert_eq!(source.calls.load(Ordering::SeqCst), 2);
    clock.advance(Duration::from_secs(300)); // expired now
    let err = cache.get().await.unwrap_err();
    assert_eq!(err.to_string(), "the source is down");
    source.failing.store(false, Ordering::SeqCst);
    assert_eq!(cache.get().await.unwrap().access_key_id(), "AKID4");
}

#[tokio::test]
async fn static_credentials_are_never_read_again() {
    let clock = FakeClock::new(t0());
    let source = Counting::new(clock.clone(), None);
    let cache = CredentialsCache::new(Shared(source.clone())).with_clock(clock.clone());
    for _ in 0..5 {
        assert_eq!(cache.get().await.unwrap().access_key_id(), "AKID1");
        clock.advance(Duration::from_secs(10 * 365 * 86_400));
    }
    assert_eq!(source.calls.load(Ordering::SeqCst), 1);
}

// ---- carrying a profile's plan out ----

/// Records each AssumeRole call (source key, role, session, external id) and answers with
/// `ASIA-<role name>`.
#[derive(Default)]
struct FakeSts(std::sync::Mutex<Vec<Call>>);

/// (source access key, role ARN, session name, external id, duration).
type Call = (String, String, String, Option<String>, Option<u32>);

impl smithy_lite_runtime::credentials::profile::AssumeRole for FakeSts {
    fn assume_role<'a>(
        &'a self,
        source: &'a Credentials,
        request: &'a smithy_lite_runtime::credentials::sts::AssumeRoleRequest,
    ) -> ProvideFuture<'a> {
        Box::pin(async move {
            self.0.lock().unwrap().push((
                source.access_key_id().to_string(),
                request.role_arn.clone(),
                request.role_session_name.clone(),
                request.external_id.clone(),
                request.duration_seconds,
            ));
            let name = request.role_arn.rsplit('/').next().unwrap();
            Ok(Credentials::new(
                format!("ASIA-{name}"),
                "s",
                Some("t".into()),
            ))
        })
    }
}

#[tokio::test]
async fn roles_are_assumed_from_the_source_up_each_with_the_previous_credentials() {
    let dir = TempDir::new("execute");
    let e = files_env(
        &dir,
        "[profile app]\nrole_arn = arn:aws:iam::1:role/app\nsource_profile = mid\nexternal_id = ext-app\nrole_session_name = app-session\n[profile mid]\nrole_arn = arn:aws:iam::1:role/mid\nsource_profile = base\nduration_seconds = 1800\n",
        "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = S\n",
        &[],
    );
    let provider = profile_provider(e, "app");
    let plan = provider.plan().unwrap();
    let sts = FakeSts::default();
    let c = provider.execute_with(&plan, &sts).await.unwrap();
    assert_eq!(
        (c.access_key_id(), c.provider_name()),
        ("ASIA-app", "assume-role")
    );
    let calls = sts.0.lock().unwrap().clone();
    assert_eq!(calls.len(), 2);
    assert_eq!(
        (calls[0].0.as_str(), calls[0].1.as_str(), calls[0].4),
        ("AKIDBASE", "arn:aws:iam::1:role/mid", Some(1800))
    );
    assert!(
        calls[0].2.starts_with("smithy-lite-session-"),
        "{:?}",
        calls[0]
    );
    assert_eq!(
        calls[1],
        (
            "ASIA-mid".to_string(),
            "arn:aws:iam::1:role/app".to_string(),
            "app-session".to_string(),
            Some("ext-app".to_string()),
            None
        )
    );
}

#[tokio::test]
async fn credential_source_feeds_the_role() {
    let dir = TempDir::new("execute-named");
    let e = files_env(
        &dir,
        "[default]\nrole_arn = arn:aws:iam::1:role/r\ncredential_source = Environment\n",
        "",
        &[
            ("AWS_ACCESS_KEY_ID", "AKIDENV"),
            ("AWS_SECRET_ACCESS_KEY", "S"),
        ],
    );
    let provider = profile_provider(e, "default");
    let sts = FakeSts::default();
    let c = provider
        .execute_with(&provider.plan().unwrap(), &sts)
        .await
        .unwrap();
    assert_eq!(c.access_key_id(), "ASIA-r");
    assert_eq!(sts.0.lock().unwrap()[0].0, "AKIDENV");
}

// ---- web identity ----

#[tokio::test]
async fn web_identity_settings_and_the_token_file_read_on_every_call() {
    use smithy_lite_runtime::credentials::web_identity::WebIdentityProvider;
    let none = WebIdentityProvider::new(env(&[("AWS_ROLE_ARN", "arn:r")]), None);
    assert_eq!(
        none.provide_credentials().await.unwrap_err().kind(),
        CredentialsErrorKind::NotLoaded
    );
    let no_role = WebIdentityProvider::new(env(&[("AWS_WEB_IDENTITY_TOKEN_FILE", "/t")]), None);
    let err = no_role.provide_credentials().await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert!(err.message().contains("AWS_ROLE_ARN"), "{err}");

    let dir = TempDir::new("web");
    let token = dir.write("token", "eyJ.first.token");
    let sts = serve(|req, _| {
        let body = String::from_utf8_lossy(&req.body);
        if body.contains("Action=AssumeRoleWithWebIdentity") {
            ok("<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>ASIAWEB</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>")
        } else {
            Reply::Status(400, String::new())
        }
    })
    .await;
    let p = WebIdentityProvider::new(
        env(&[
            ("AWS_WEB_IDENTITY_TOKEN_FILE", &token),
            ("AWS_ROLE_ARN", "arn:aws:iam::1:role/web"),
            ("AWS_ROLE_SESSION_NAME", "pod-1"),
            ("AWS_ENDPOINT_URL_STS", &sts.url),
        ]),
        Some("us-east-1".into()),
    );
    let config = p.config().unwrap();
    assert_eq!(config.session_name.as_deref(), Some("pod-1"));
    // The first call reads the file (whatever STS makes of it); once the file is gone the
    // next call says so: nothing of the token was kept.
    if let Err(e) = p.provide_credentials().await {
        assert!(!e.message().contains("token file"), "{e}");
    }
    std::fs::remove_file(&token).unwrap();
    let err = p.provide_credentials().await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert!(
        err.message()
            .contains("cannot read the web identity token file"),
        "{err}"
    );
}

#[tokio::test]
async fn a_configured_source_that_fails_stops_the_chain() {
    let dir = TempDir::new("stops");
    let container = serve(|_, _| ok(container_server_json())).await;
    let full = format!("{}/c", container.url);
    let failing = dir.script("fail.sh", "#!/bin/sh\necho 'login expired' >&2\nexit 1\n");
    let chain = |e: Env| DefaultCredentialsChain::builder().env(e).build();
    // Half the environment's keys: an error, not a fall-through to the container.
    let e = files_env(
        &dir,
        "",
        "",
        &[
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &full),
        ],
    );
    let err = chain(e).credentials().await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert_eq!(
        err.to_string(),
        "environment: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"
    );
    // A failing credential_process: its error, not the container's credentials.
    let e = files_env(
        &dir,
        &format!("[default]\ncredential_process = {failing}\n"),
        "",
        &[("AWS_CONTAINER_CREDENTIALS_FULL_URI", &full)],
    );
    let err = chain(e).credentials().await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::ProviderError);
    assert!(
        err.to_string().starts_with("profile: credential_process"),
        "{err}"
    );
    assert!(err.to_string().contains("login expired"), "{err}");
    assert!(container.requests().is_empty());
}
