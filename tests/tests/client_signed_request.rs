//! The exact signed request of the seed operation at a fixed time with the test-suite
//! credentials, as `--dry-run` shows it, locked by a snapshot and checked against botocore; and
//! one call of each data-plane service at a data endpoint, checked against botocore.

use std::time::{Duration, UNIX_EPOCH};

use kinesis_video::client::{Config, Credentials};
use kinesis_video::runtime::profile::Env;
use kinesis_video::Client;

/// `echo '{"operation":"DescribeImageGenerationConfiguration","params":{"StreamName":"demo"},
/// "body_override":"{\"StreamName\":\"demo\"}"}' | ../shared/oracle/oracle.py request`
/// (botocore 1.43.11, time 2015-08-30T12:36:00Z, AKIDEXAMPLE, us-west-2).
const BOTOCORE_AUTHORIZATION: &str = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-west-2/kinesisvideo/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=bac00d820c9d7692d75d672021f4fb62f76e601ece1dac943eac2855252445ef";

/// Runs a future to completion (a dry run resolves credentials, which may take I/O).
fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
        .block_on(f)
}

#[test]
fn the_signed_seed_request() {
    let client = Client::from_builder(
        Config::builder()
            .env(Env::from_vars(Vec::<(String, String)>::new()))
            .region("us-west-2")
            .credentials(Credentials::new(
                "AKIDEXAMPLE",
                "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                None,
            ))
            .signing_time(UNIX_EPOCH + Duration::from_secs(1_440_938_160)),
    )
    .unwrap();
    let request = block_on(
        client
            .describe_image_generation_configuration()
            .stream_name("demo")
            .dry_run(),
    )
    .unwrap();
    assert_eq!(
        request.headers.get("authorization"),
        Some(BOTOCORE_AUTHORIZATION)
    );
    let mut text = format!("{} {}\n", request.method, request.url);
    for (name, value) in request.headers.iter() {
        // Different on every run or every release: shown, not locked.
        if matches!(name, "amz-sdk-invocation-id" | "user-agent") {
            continue;
        }
        text.push_str(&format!("{name}: {value}\n"));
    }
    text.push('\n');
    text.push_str(std::str::from_utf8(&request.body).unwrap());
    insta::assert_snapshot!(text);
}

/// The signed request's Authorization header and body of a data-plane call at a data endpoint.
macro_rules! signed_data_plane_call {
    ($krate:ident, $url:expr, |$client:ident| $call:expr) => {{
        use $krate::client::{Config, Credentials};
        let $client = $krate::Client::from_builder(
            Config::builder()
                .env($krate::runtime::profile::Env::from_vars(Vec::<(
                    String,
                    String,
                )>::new(
                )))
                .region("us-west-2")
                .credentials(Credentials::new(
                    "AKIDEXAMPLE",
                    "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                    None,
                ))
                .signing_time(UNIX_EPOCH + Duration::from_secs(1_440_938_160)),
        )
        .unwrap();
        let request = block_on($call.with_endpoint_url($url).dry_run()).unwrap();
        assert!(request.url.starts_with($url), "{}", request.url);
        (
            request.headers.get("authorization").unwrap().to_string(),
            String::from_utf8(request.body).unwrap(),
        )
    }};
}

/// One call per data-plane service, sent to a data endpoint (as `GetDataEndpoint` or
/// `GetSignalingChannelEndpoint` give them): signed for `kinesisvideo` exactly as botocore signs
/// the same bytes. The botocore values come from
/// `echo '{"operation":OP,"params":P,"endpoint_url":URL,"body_override":BODY}' |
/// ORACLE_SERVICE=SERVICE ../shared/oracle/oracle.py request` (botocore 1.43.11, the oracle's
/// fixed time and credentials, us-west-2), BODY being the body printed here.
#[test]
fn data_plane_calls_are_signed_as_botocore_signs_them() {
    let selector = kinesis_video_media::types::StartSelector::builder()
        .start_selector_type(kinesis_video_media::types::StartSelectorType::Now)
        .build();
    let media = signed_data_plane_call!(
        kinesis_video_media,
        "https://s-1234abcd.kinesisvideo.us-west-2.amazonaws.com",
        |c| c.get_media().stream_name("demo").start_selector(selector)
    );
    let range = kinesis_video_archived_media::types::ClipTimestampRange::builder()
        .start_timestamp(
            kinesis_video_archived_media::primitives::DateTime::from_secs(1_440_938_100),
        )
        .end_timestamp(kinesis_video_archived_media::primitives::DateTime::from_secs(1_440_938_160))
        .build();
    let clip_selector = kinesis_video_archived_media::types::ClipFragmentSelector::builder()
        .fragment_selector_type(
            kinesis_video_archived_media::types::ClipFragmentSelectorType::ServerTimestamp,
        )
        .timestamp_range(range)
        .build();
    let clip = signed_data_plane_call!(
        kinesis_video_archived_media,
        "https://b-1234abcd.kinesisvideo.us-west-2.amazonaws.com",
        |c| c
            .get_clip()
            .stream_name("demo")
            .clip_fragment_selector(clip_selector)
    );
    let ice = signed_data_plane_call!(
        kinesis_video_signaling,
        "https://r-1234abcd.kinesisvideo.us-west-2.amazonaws.com",
        |c| c
            .get_ice_server_config()
            .channel_arn("arn:aws:kinesisvideo:us-west-2:123456789012:channel/demo/1")
    );
    let join = signed_data_plane_call!(
        kinesis_video_webrtc_storage,
        "https://w-1234abcd.kinesisvideo.us-west-2.amazonaws.com",
        |c| c
            .join_storage_session()
            .channel_arn("arn:aws:kinesisvideo:us-west-2:123456789012:channel/demo/1")
    );
    let expected = [
        (
            "GetMedia",
            media,
            r#"{"StreamName":"demo","StartSelector":{"StartSelectorType":"NOW"}}"#,
            "03a154075d1775a74e3dad67daa2e58be2065f6f393c6143392885ac3f17b18d",
        ),
        (
            "GetClip",
            clip,
            r#"{"StreamName":"demo","ClipFragmentSelector":{"FragmentSelectorType":"SERVER_TIMESTAMP","TimestampRange":{"StartTimestamp":1440938100,"EndTimestamp":1440938160}}}"#,
            "136542ef2e94e8c9a3738e7072e31bda1ffe1ac6e272b498a0e5ab9cc165f626",
        ),
        (
            "GetIceServerConfig",
            ice,
            r#"{"ChannelARN":"arn:aws:kinesisvideo:us-west-2:123456789012:channel/demo/1"}"#,
            "de8f27115324f35a20e8c931e903df75ac84721d0c13dcd18ecd6b8112385514",
        ),
        (
            "JoinStorageSession",
            join,
            r#"{"channelArn":"arn:aws:kinesisvideo:us-west-2:123456789012:channel/demo/1"}"#,
            "6f4674daf467647cf91b2a28e277a36f8f135e9927a249655f724e96308ccdd1",
        ),
    ];
    for (name, (authorization, body), botocore_body, botocore_signature) in expected {
        assert_eq!(body, botocore_body, "{name}: body");
        assert_eq!(
            authorization,
            format!(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-west-2/kinesisvideo/aws4_request, \
                 SignedHeaders=content-type;host;x-amz-date, Signature={botocore_signature}"
            ),
            "{name}: Authorization"
        );
    }
}
