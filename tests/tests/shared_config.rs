//! One configuration for the family: clients of different generated crates built from one
//! `SharedConfig` use the same credentials provider, region and endpoint settings, and a
//! credentials source written once serves every crate.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use kinesis_video::client::{Credentials, SharedConfig};
use kinesis_video::runtime::credentials::{ProvideCredentials, ProvideFuture};
use kinesis_video::runtime::profile::Env;

/// A source of credentials of the user's own, counting how often it is asked.
#[derive(Clone, Debug, Default)]
struct Counting {
    asked: Arc<AtomicUsize>,
}

impl ProvideCredentials for Counting {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        let n = self.asked.fetch_add(1, Ordering::SeqCst);
        Box::pin(async move {
            Ok(
                Credentials::new(format!("AKIDUSER{n}"), "user-secret", None)
                    .with_provider_name("custom"),
            )
        })
    }
}

fn shared(vars: &[(&str, &str)], provider: Counting) -> SharedConfig {
    SharedConfig::builder()
        .env(Env::from_vars(
            vars.iter().map(|(k, v)| (k.to_string(), v.to_string())),
        ))
        .region("eu-west-1")
        .credentials_provider(provider)
        .signing_time(UNIX_EPOCH + Duration::from_secs(1_440_938_160))
        .build_shared()
        .expect("a shared configuration")
}

#[tokio::test]
async fn clients_of_two_crates_share_one_provider_and_region() {
    let provider = Counting::default();
    let shared = shared(&[], provider.clone());
    let control = kinesis_video::Client::from_shared(&shared).unwrap();
    let archived = kinesis_video_archived_media::Client::from_shared(&shared).unwrap();
    assert_eq!(control.config().region(), "eu-west-1");
    assert_eq!(archived.config().region(), "eu-west-1");

    let a = control
        .describe_image_generation_configuration()
        .stream_name("cam-1")
        .dry_run()
        .await
        .unwrap();
    let b = archived
        .list_fragments()
        .stream_name("cam-1")
        .dry_run()
        .await
        .unwrap();
    assert!(
        a.url
            .starts_with("https://kinesisvideo.eu-west-1.amazonaws.com/"),
        "{}",
        a.url
    );
    assert!(
        b.url
            .starts_with("https://kinesisvideo.eu-west-1.amazonaws.com/"),
        "{}",
        b.url
    );
    let auth_a = a.headers.get("authorization").unwrap();
    let auth_b = b.headers.get("authorization").unwrap();
    assert!(
        auth_a.contains("Credential=AKIDUSER0/20150830/eu-west-1/kinesisvideo/"),
        "{auth_a}"
    );
    assert!(
        auth_b.contains("Credential=AKIDUSER1/20150830/eu-west-1/kinesisvideo/"),
        "{auth_b}"
    );
    // The one provider answered both crates' calls.
    assert_eq!(provider.asked.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn an_endpoint_for_one_service_stays_with_that_service() {
    let shared = shared(
        &[
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:1001"),
            (
                "AWS_ENDPOINT_URL_KINESIS_VIDEO_MEDIA",
                "http://127.0.0.1:1002",
            ),
        ],
        Counting::default(),
    );
    let control = kinesis_video::Client::from_shared(&shared).unwrap();
    let media = kinesis_video_media::Client::from_shared(&shared).unwrap();
    let signaling = kinesis_video_signaling::Client::from_shared(&shared).unwrap();
    let url = |r: kinesis_video::runtime::transport::OutgoingRequest| r.url;
    assert!(
        url(control.list_streams().dry_run().await.unwrap()).starts_with("http://127.0.0.1:1001/")
    );
    assert!(url(media
        .get_media()
        .stream_name("cam-1")
        .start_selector(
            kinesis_video_media::types::StartSelector::builder()
                .start_selector_type(kinesis_video_media::types::StartSelectorType::Now)
                .build()
        )
        .dry_run()
        .await
        .unwrap())
    .starts_with("http://127.0.0.1:1002/"));
    assert!(url(signaling
        .get_ice_server_config()
        .channel_arn("arn:aws:kinesisvideo:eu-west-1:123456789012:channel/c/1")
        .dry_run()
        .await
        .unwrap())
    .starts_with("http://127.0.0.1:1001/"));
}

#[tokio::test]
async fn a_failing_provider_is_an_error_of_the_call_and_sends_nothing() {
    #[derive(Debug)]
    struct Refusing;
    impl ProvideCredentials for Refusing {
        fn provide_credentials(&self) -> ProvideFuture<'_> {
            Box::pin(async {
                Err(
                    kinesis_video::runtime::credentials::CredentialsError::provider_error(
                        "the token service said no",
                    ),
                )
            })
        }
    }
    let shared = SharedConfig::builder()
        .env(Env::from_vars(Vec::<(String, String)>::new()))
        .region("eu-west-1")
        .credentials_provider(Refusing)
        .endpoint_url("http://127.0.0.1:9")
        .build_shared()
        .unwrap();
    let client = kinesis_video::Client::from_shared(&shared).unwrap();
    let err = client.list_streams().send().await.unwrap_err();
    let text = format!("{err}");
    assert!(text.contains("the token service said no"), "{text}");
}
