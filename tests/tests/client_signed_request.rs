//! The exact signed request of the seed operation at a fixed time with the test-suite
//! credentials, as `--dry-run` shows it, locked by a snapshot and checked against botocore.

use std::time::{Duration, UNIX_EPOCH};

use kinesis_video::client::{Config, Credentials};
use kinesis_video::runtime::profile::Env;
use kinesis_video::Client;

/// `echo '{"operation":"DescribeImageGenerationConfiguration","params":{"StreamName":"demo"},
/// "body_override":"{\"StreamName\":\"demo\"}"}' | ../shared/oracle/oracle.py request`
/// (botocore 1.43.11, time 2015-08-30T12:36:00Z, AKIDEXAMPLE, us-west-2).
const BOTOCORE_AUTHORIZATION: &str = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-west-2/kinesisvideo/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=bac00d820c9d7692d75d672021f4fb62f76e601ece1dac943eac2855252445ef";

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
    let request = client
        .describe_image_generation_configuration()
        .stream_name("demo")
        .dry_run()
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
