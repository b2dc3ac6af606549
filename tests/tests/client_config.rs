//! Configuration the AWS way: builder, environment, shared files; clear errors naming where
//! they looked; endpoint overrides and FIPS/dual-stack; no secret in any output.

use std::path::PathBuf;

use kinesis_video::client::{Config, ConfigBuilder};
use kinesis_video::runtime::profile::Env;
use kinesis_video::Client;

fn home(name: &str, config: &str, credentials: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("client-config-{}-{name}", std::process::id()));
    std::fs::create_dir_all(dir.join(".aws")).unwrap();
    std::fs::write(dir.join(".aws/config"), config).unwrap();
    std::fs::write(dir.join(".aws/credentials"), credentials).unwrap();
    dir
}

fn with_env(vars: &[(&str, &str)]) -> ConfigBuilder {
    Config::builder().env(Env::from_vars(
        vars.iter().map(|(k, v)| (k.to_string(), v.to_string())),
    ))
}

fn url_of(builder: ConfigBuilder) -> String {
    block_on(
        Client::from_builder(builder)
            .unwrap()
            .describe_image_generation_configuration()
            .dry_run(),
    )
    .unwrap()
    .url
}

/// Runs a future to completion (a dry run resolves credentials, which may take I/O).
fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
        .block_on(f)
}

const KEYS: [(&str, &str); 2] = [
    ("AWS_ACCESS_KEY_ID", "AKID"),
    ("AWS_SECRET_ACCESS_KEY", "TOP-SECRET"),
];

#[test]
fn region_from_env_then_profile() {
    let mut vars = KEYS.to_vec();
    vars.push(("AWS_DEFAULT_REGION", "eu-west-1"));
    let c = Client::from_builder(with_env(&vars)).unwrap();
    assert_eq!(c.config().region(), "eu-west-1");
    vars.push(("AWS_REGION", "us-east-2"));
    assert_eq!(
        Client::from_builder(with_env(&vars))
            .unwrap()
            .config()
            .region(),
        "us-east-2"
    );

    let dir = home(
        "profile",
        "[default]\nregion = ap-south-1\n[profile dev]\nregion = sa-east-1\n",
        "[dev]\naws_access_key_id = DEVKEY\naws_secret_access_key = DEV-SECRET\n",
    );
    let h = dir.to_string_lossy().into_owned();
    let c = Client::from_builder(with_env(&[("HOME", &h), ("AWS_PROFILE", "dev")])).unwrap();
    assert_eq!(c.config().region(), "sa-east-1");
    // Credentials are resolved at the first call, from the profile's keys.
    let request = block_on(c.list_streams().dry_run()).unwrap();
    let auth = request.headers.get("authorization").unwrap();
    assert!(auth.contains("Credential=DEVKEY/"), "{auth}");
    let debug = format!("{:?}", c.config());
    assert!(
        debug.contains("DEVKEY") && !debug.contains("DEV-SECRET"),
        "{debug}"
    );
    let c = Client::from_builder(with_env(&[
        ("HOME", &h),
        ("AWS_ACCESS_KEY_ID", "A"),
        ("AWS_SECRET_ACCESS_KEY", "B"),
    ]))
    .unwrap();
    assert_eq!(c.config().region(), "ap-south-1");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn missing_settings_say_where_they_were_looked_for() {
    let err = Client::from_builder(with_env(&KEYS))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("no region")
            && err.contains("AWS_REGION")
            && err.contains("AWS_DEFAULT_REGION")
            && err.contains("profile `default`"),
        "{err}"
    );
    let dir = home("empty", "", "");
    let h = dir.to_string_lossy().into_owned();
    // Credentials are looked for at the first call, through every source of the chain; the
    // error names each (instance metadata is switched off so the test does not wait for it).
    let client = Client::from_builder(with_env(&[
        ("AWS_REGION", "us-west-2"),
        ("HOME", &h),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]))
    .unwrap();
    let err = block_on(client.list_streams().dry_run())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("AWS_ACCESS_KEY_ID")
            && err.contains("profile")
            && err.contains("AWS_EC2_METADATA_DISABLED"),
        "{err}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn endpoint_overrides_and_variants() {
    let mut vars = KEYS.to_vec();
    vars.push(("AWS_REGION", "us-west-2"));
    assert_eq!(
        url_of(with_env(&vars)),
        "https://kinesisvideo.us-west-2.amazonaws.com/describeImageGenerationConfiguration"
    );
    assert_eq!(
        url_of(with_env(&vars).use_fips(true)),
        "https://kinesisvideo-fips.us-west-2.amazonaws.com/describeImageGenerationConfiguration"
    );
    assert_eq!(
        url_of(with_env(&vars).use_dual_stack(true)),
        "https://kinesisvideo.us-west-2.api.aws/describeImageGenerationConfiguration"
    );
    let mut fips_env = vars.clone();
    fips_env.push(("AWS_USE_FIPS_ENDPOINT", "true"));
    assert!(url_of(with_env(&fips_env)).starts_with("https://kinesisvideo-fips."));
    let mut generic = vars.clone();
    generic.push(("AWS_ENDPOINT_URL", "http://localhost:4566"));
    assert_eq!(
        url_of(with_env(&generic)),
        "http://localhost:4566/describeImageGenerationConfiguration"
    );
    // The service-specific variable wins over the generic one.
    generic.push((
        "AWS_ENDPOINT_URL_KINESIS_VIDEO",
        "http://localhost:9999/prefix",
    ));
    assert_eq!(
        url_of(with_env(&generic)),
        "http://localhost:9999/prefix/describeImageGenerationConfiguration"
    );
    // The builder wins over both.
    assert_eq!(
        url_of(with_env(&generic).endpoint_url("http://127.0.0.1:1")),
        "http://127.0.0.1:1/describeImageGenerationConfiguration"
    );
}

#[test]
fn session_tokens_are_sent_but_never_shown() {
    let request = block_on(
        Client::from_builder(with_env(&[
            ("AWS_REGION", "us-west-2"),
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "TOP-SECRET"),
            ("AWS_SESSION_TOKEN", "SESSION-TOKEN"),
        ]))
        .unwrap()
        .describe_image_generation_configuration()
        .dry_run(),
    )
    .unwrap();
    assert_eq!(
        request.headers.get("x-amz-security-token"),
        Some("SESSION-TOKEN")
    );
    assert!(request
        .headers
        .get("authorization")
        .unwrap()
        .contains("x-amz-security-token"));
    assert!(!request
        .headers
        .iter()
        .any(|(_, v)| v.contains("TOP-SECRET")));
}
