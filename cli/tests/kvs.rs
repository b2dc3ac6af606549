//! `kvs` as a user runs it: dry runs comparable with botocore, flags and `--cli-input-json`,
//! exit codes, and calls against loopback servers (streaming payloads to an outfile, GetImages
//! files, data endpoints looked up with GetDataEndpoint).

use std::future::Future;
use std::path::PathBuf;
use std::time::Duration;

use base64::Engine as _;
use kvs_cli::{run, Outcome, Settings, OTHER_ERROR, SERVICE_ERROR, USAGE_ERROR};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

const VARS: &[(&str, &str)] = &[
    ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
    (
        "AWS_SECRET_ACCESS_KEY",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    ),
    ("AWS_REGION", "us-west-2"),
];

fn settings() -> Settings {
    Settings::from_vars(VARS.iter().copied())
}

/// The test settings plus `extra` variables.
fn settings_with(extra: &[(&str, &str)]) -> Settings {
    Settings::from_vars(VARS.iter().chain(extra).copied())
}

async fn kvs(args: &[&str]) -> Outcome {
    kvs_with(args, settings()).await
}

async fn kvs_with(args: &[&str], settings: Settings) -> Outcome {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    run(&args, settings).await
}

/// An empty directory of its own for a test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("kvs")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `echo '{"operation":"DescribeImageGenerationConfiguration","params":{"StreamName":"cam-1"},
/// "body_override":"{\"StreamName\":\"cam-1\"}"}' | ../shared/oracle/oracle.py request`
const BOTOCORE_AUTHORIZATION: &str = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-west-2/kinesisvideo/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=903f402de206747f1368acc1abf235237b4110765caca72546dfbe4d9fcab745";

const DRY: &[&str] = &["--dry-run", "--signing-time", "2015-08-30T12:36:00Z"];

const CHANNEL_ARN: &str = "arn:aws:kinesisvideo:us-west-2:123456789012:channel/ch-1/1234567890123";

/// The dry-run output without the lines that change from run to run.
fn stable(stdout: &str) -> String {
    stdout
        .lines()
        .filter(|l| !l.starts_with("amz-sdk-invocation-id:") && !l.starts_with("user-agent:"))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Runs a dry run and checks it carries botocore's Authorization for the same bytes.
async fn dry_run(args: &[&str], botocore_authorization: &str) -> Outcome {
    let mut args = args.to_vec();
    args.extend(DRY);
    let out = kvs(&args).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains(&format!("authorization: {botocore_authorization}\n")),
        "{}",
        out.stdout
    );
    out
}

#[tokio::test]
async fn dry_run_prints_the_request_botocore_signs() {
    let out = dry_run(
        &[
            "describe-image-generation-configuration",
            "--stream-name",
            "cam-1",
        ],
        BOTOCORE_AUTHORIZATION,
    )
    .await;
    insta::assert_snapshot!(stable(&out.stdout));
}

/// `echo '{"operation":"GetDASHStreamingSessionURL","params":{"StreamName":"cam-1",
/// "PlaybackMode":"LIVE"},"body_override":"{\"StreamName\":\"cam-1\",\"PlaybackMode\":\"LIVE\"}"}'
/// | ORACLE_SERVICE=kinesis-video-archived-media ../shared/oracle/oracle.py request`
#[tokio::test]
async fn archived_media_dry_run_names_the_data_endpoint_it_skipped() {
    let out = dry_run(
        &[
            "kinesis-video-archived-media",
            "get-dash-streaming-session-url",
            "--stream-name",
            "cam-1",
            "--playback-mode",
            "LIVE",
        ],
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-west-2/kinesisvideo/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=b35b744147399c0a7dd871b13486794f130105e3d41cf9b9bd2c1e2baa6a2b4f",
    )
    .await;
    assert!(
        out.stderr.contains("no GetDataEndpoint lookup was made")
            && out
                .stderr
                .contains("stream cam-1, APIName GET_DASH_STREAMING_SESSION_URL")
            && out.stderr.contains("--endpoint-url"),
        "{}",
        out.stderr
    );
    insta::assert_snapshot!(stable(&out.stdout));
}

/// `echo '{"operation":"GetMedia","params":{"StreamName":"cam-1","StartSelector":
/// {"StartSelectorType":"NOW"}},"body_override":"{\"StreamName\":\"cam-1\",\"StartSelector\":
/// {\"StartSelectorType\":\"NOW\"}}"}' | ORACLE_SERVICE=kinesis-video-media
/// ../shared/oracle/oracle.py request`
#[tokio::test]
async fn media_dry_run_writes_no_outfile() {
    let outfile = scratch("media_dry_run").join("live.mkv");
    let out = dry_run(
        &[
            "kinesis-video-media",
            "get-media",
            "--stream-name",
            "cam-1",
            "--start-selector",
            r#"{"StartSelectorType":"NOW"}"#,
            outfile.to_str().unwrap(),
        ],
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-west-2/kinesisvideo/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=a9322188ae898e51cbe8f171fd32c6c8084de18f8b0597d3c6091a0d95214723",
    )
    .await;
    assert!(!outfile.exists());
    assert!(out.stderr.contains("APIName GET_MEDIA"), "{}", out.stderr);
    insta::assert_snapshot!(stable(&out.stdout));
}

/// `echo '{"operation":"GetIceServerConfig","params":{"ChannelARN":"<CHANNEL_ARN>"},
/// "body_override":"{\"ChannelARN\":\"<CHANNEL_ARN>\"}"}' | ORACLE_SERVICE=kinesis-video-signaling
/// ../shared/oracle/oracle.py request`
#[tokio::test]
async fn signaling_dry_run_prints_the_request_botocore_signs() {
    let out = dry_run(
        &[
            "kinesis-video-signaling",
            "get-ice-server-config",
            "--channel-arn",
            CHANNEL_ARN,
        ],
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-west-2/kinesisvideo/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=23d940458fc56901fca3207edfdcd84162af8b617dddb9f0f519b6bd6f4afa5a",
    )
    .await;
    assert_eq!(out.stderr, "");
    insta::assert_snapshot!(stable(&out.stdout));
}

/// `echo '{"operation":"JoinStorageSession","params":{"channelArn":"<CHANNEL_ARN>"},
/// "body_override":"{\"channelArn\":\"<CHANNEL_ARN>\"}"}' |
/// ORACLE_SERVICE=kinesis-video-webrtc-storage ../shared/oracle/oracle.py request`
#[tokio::test]
async fn webrtc_storage_dry_run_prints_the_request_botocore_signs() {
    let out = dry_run(
        &[
            "kinesis-video-webrtc-storage",
            "join-storage-session",
            "--channel-arn",
            CHANNEL_ARN,
        ],
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-west-2/kinesisvideo/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=38f6cf15d0b539168c0c8f488efa4d77f4e24bc90a8b07408649e08ad568741d",
    )
    .await;
    assert_eq!(out.stderr, "");
    insta::assert_snapshot!(stable(&out.stdout));
}

#[tokio::test]
async fn data_plane_dry_run_with_an_endpoint_prints_the_exact_request() {
    let mut args = vec![
        "kinesis-video-archived-media",
        "get-hls-streaming-session-url",
        "--stream-name",
        "cam-1",
        "--endpoint-url",
        "https://b-1234abcd.kinesisvideo.us-west-2.amazonaws.com",
    ];
    args.extend(DRY);
    let out = kvs(&args).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stderr, "");
    assert!(
        out.stdout
            .starts_with("POST /getHLSStreamingSessionURL HTTP/1.1\n")
            && out
                .stdout
                .contains("host: b-1234abcd.kinesisvideo.us-west-2.amazonaws.com\n"),
        "{}",
        out.stdout
    );
}

#[tokio::test]
async fn service_prefix_and_cli_input_json_give_the_same_request() {
    let mut a = vec![
        "describe-image-generation-configuration",
        "--stream-name",
        "cam-1",
    ];
    a.extend(DRY);
    let mut b = vec![
        "kinesisvideo",
        "describe-image-generation-configuration",
        "--cli-input-json",
        r#"{"StreamName":"cam-1"}"#,
    ];
    b.extend(DRY);
    let strip = |s: String| {
        s.lines()
            .filter(|l| !l.starts_with("amz-sdk-invocation-id:"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip(kvs(&a).await.stdout), strip(kvs(&b).await.stdout));
    // A flag wins over the same key of --cli-input-json.
    let mut c = vec![
        "describe-image-generation-configuration",
        "--cli-input-json",
        r#"{"StreamName":"other"}"#,
        "--stream-name",
        "cam-1",
    ];
    c.extend(DRY);
    assert!(kvs(&c)
        .await
        .stdout
        .ends_with("{\"StreamName\":\"cam-1\"}\n"));
}

#[tokio::test]
async fn usage_and_validation_errors_exit_252() {
    let out = kvs(&["list-streams", "--bogus", "1"]).await;
    assert_eq!(out.code, USAGE_ERROR);
    assert!(
        out.stderr.contains("unknown option --bogus") && out.stderr.contains("--max-results"),
        "{}",
        out.stderr
    );
    let out = kvs(&["no-such-operation"]).await;
    assert_eq!(out.code, USAGE_ERROR);
    let out = kvs(&["list-streams", "--max-results", "many"]).await;
    assert_eq!(out.code, USAGE_ERROR);
    assert!(out.stderr.contains("expected an integer"), "{}", out.stderr);
    let out = kvs(&[
        "describe-image-generation-configuration",
        "--stream-name",
        "",
    ])
    .await;
    assert_eq!(out.code, USAGE_ERROR);
    assert!(
        out.stderr.contains("StreamName: length 0"),
        "{}",
        out.stderr
    );
}

/// A misspelt key of `--cli-input-json` is refused, never dropped: at the top level and deep
/// inside a structure or a list of structures, for a real call as for a dry run.
#[tokio::test]
async fn unknown_input_keys_are_refused_with_the_valid_names() {
    for extra in [&[][..], DRY] {
        let mut args = vec![
            "describe-image-generation-configuration",
            "--cli-input-json",
            r#"{"StreamName":"a","StreamArn":"x"}"#,
        ];
        args.extend(extra);
        let out = kvs(&args).await;
        assert_eq!(out.code, USAGE_ERROR, "{}", out.stdout);
        assert!(
            out.stderr.contains(
                "Unknown parameter in input: \"StreamArn\", must be one of: StreamName, StreamARN"
            ),
            "{}",
            out.stderr
        );
        assert!(out.stdout.is_empty(), "{}", out.stdout);
    }
    let nested = r#"{"StreamName":"a","ImageGenerationConfiguration":{"Status":"ENABLED","ImageSelectorType":"SERVER_TIMESTAMP","DestinationConfig":{"Uri":"u","DestinationRegion":"us-west-2","Region":"x"},"SamplingInterval":3000,"Format":"JPEG"}}"#;
    let out = kvs(&[
        "update-image-generation-configuration",
        "--cli-input-json",
        nested,
        "--dry-run",
    ])
    .await;
    assert_eq!(out.code, USAGE_ERROR);
    assert!(
        out.stderr.contains(
            "Unknown parameter in ImageGenerationConfiguration.DestinationConfig: \"Region\", must be one of: Uri, DestinationRegion"
        ),
        "{}",
        out.stderr
    );
    let in_a_list = r#"{"StreamName":"a","Tags":{"k":"v"},"Formats":[]}"#;
    let out = kvs(&["tag-stream", "--cli-input-json", in_a_list, "--dry-run"]).await;
    assert_eq!(out.code, USAGE_ERROR);
    assert!(out.stderr.contains("\"Formats\""), "{}", out.stderr);
    let list_item = r#"{"ResourceARN":"arn:aws:kinesisvideo:us-west-2:123456789012:channel/c/1","Tags":[{"Key":"k","Value":"v","Vaule":"w"}]}"#;
    let out = kvs(&["tag-resource", "--cli-input-json", list_item, "--dry-run"]).await;
    assert_eq!(out.code, USAGE_ERROR);
    assert!(
        out.stderr
            .contains("Unknown parameter in Tags[0]: \"Vaule\", must be one of: Key, Value"),
        "{}",
        out.stderr
    );
    assert_eq!(
        out.stderr.matches("Unknown parameter").count(),
        1,
        "{}",
        out.stderr
    );
}

/// `--profile` picks the profile of the shared files for credentials and region, over
/// `AWS_PROFILE`.
#[tokio::test]
async fn profile_option_picks_the_shared_files_profile() {
    let dir = scratch("profile-option");
    std::fs::write(
        dir.join("config"),
        "[profile other]\nregion = eu-west-1\n[profile cam]\nregion = ap-northeast-1\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("credentials"),
        "[other]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = s1\n[cam]\naws_access_key_id = AKIDCAM\naws_secret_access_key = s2\n",
    )
    .unwrap();
    let vars = [
        ("AWS_CONFIG_FILE", dir.join("config").display().to_string()),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            dir.join("credentials").display().to_string(),
        ),
        ("AWS_PROFILE", "other".to_string()),
        ("AWS_EC2_METADATA_DISABLED", "true".to_string()),
    ];
    let run_with = |extra: &'static [&'static str]| {
        let vars = vars.clone();
        async move {
            let mut args = vec!["list-streams"];
            args.extend(extra);
            args.extend(DRY);
            kvs_with(&args, Settings::from_vars(vars)).await
        }
    };
    let out = run_with(&[]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("Credential=AKIDOTHER/20150830/eu-west-1/"),
        "{}",
        out.stdout
    );
    let out = run_with(&["--profile", "cam"]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("Credential=AKIDCAM/20150830/ap-northeast-1/"),
        "{}",
        out.stdout
    );
    let out = run_with(&["--profile", "nope"]).await;
    assert_ne!(out.code, 0);
    assert!(out.stderr.contains("nope"), "{}", out.stderr);
}

#[tokio::test]
async fn unknown_services_and_operations_are_usage_errors() {
    let out = kvs(&["kinesis-video-nope", "get-media"]).await;
    assert_eq!(out.code, USAGE_ERROR);
    assert!(
        out.stderr
            .starts_with("kvs: unknown service or operation \"kinesis-video-nope\"")
            && out.stderr.contains("  kinesis-video-webrtc-storage "),
        "{}",
        out.stderr
    );
    // Data-plane operations need their service's name.
    let out = kvs(&["get-media", "--stream-name", "cam-1"]).await;
    assert_eq!(out.code, USAGE_ERROR);
    assert!(
        out.stderr
            .contains("unknown service or operation \"get-media\""),
        "{}",
        out.stderr
    );
    let out = kvs(&["kinesis-video-media", "get-clip", "out.mp4"]).await;
    assert_eq!(out.code, USAGE_ERROR);
    assert!(
        out.stderr
            .starts_with("kvs: unknown operation \"get-clip\" of kinesis-video-media")
            && out.stderr.contains("  get-media outfile\n"),
        "{}",
        out.stderr
    );
    let out = kvs(&["kinesis-video-signaling"]).await;
    assert_eq!(out.code, USAGE_ERROR);
    assert!(
        out.stderr.contains("  send-alexa-offer-to-master\n"),
        "{}",
        out.stderr
    );
    // --images-dir belongs to get-images only.
    let out = kvs(&[
        "kinesis-video-archived-media",
        "list-fragments",
        "--stream-name",
        "cam-1",
        "--images-dir",
        "x",
    ])
    .await;
    assert_eq!(out.code, USAGE_ERROR);
    assert!(
        out.stderr.contains("unknown option --images-dir"),
        "{}",
        out.stderr
    );
}

#[tokio::test]
async fn streaming_operations_require_one_outfile() {
    let clip = [
        "kinesis-video-archived-media",
        "get-clip",
        "--stream-name",
        "cam-1",
        "--clip-fragment-selector",
        r#"{"FragmentSelectorType":"SERVER_TIMESTAMP","TimestampRange":{"StartTimestamp":1700000000,"EndTimestamp":1700000060}}"#,
    ];
    let out = kvs(&clip).await;
    assert_eq!(out.code, USAGE_ERROR);
    assert!(
        out.stderr
            .starts_with("kvs: the following arguments are required: outfile\n")
            && out.stderr.contains("get-clip [options] outfile"),
        "{}",
        out.stderr
    );
    let mut two = clip.to_vec();
    two.extend(["a.mp4", "b.mp4"]);
    let out = kvs(&two).await;
    assert_eq!(out.code, USAGE_ERROR);
    assert!(
        out.stderr.contains("unexpected argument \"b.mp4\""),
        "{}",
        out.stderr
    );
    // A positional argument is no outfile for an operation without a payload.
    let out = kvs(&["list-streams", "out.json"]).await;
    assert_eq!(out.code, USAGE_ERROR);
    // Without a stream there is nothing to look the data endpoint up for.
    let out = kvs(&[
        "kinesis-video-media",
        "get-media",
        "--start-selector",
        r#"{"StartSelectorType":"NOW"}"#,
        "out.mkv",
    ])
    .await;
    assert_eq!(out.code, USAGE_ERROR);
    assert!(
        out.stderr
            .contains("give --stream-name or --stream-arn to look it up with GetDataEndpoint"),
        "{}",
        out.stderr
    );
}

#[tokio::test]
async fn help_lists_every_service_and_operation() {
    let out = kvs(&["--help"]).await;
    assert_eq!(out.code, 0);
    for name in [
        "kinesisvideo",
        "kinesis-video-archived-media",
        "kinesis-video-media",
        "kinesis-video-signaling",
        "kinesis-video-webrtc-storage",
    ] {
        assert!(
            out.stdout.contains(&format!("\n  {name} ")),
            "{name}: {}",
            out.stdout
        );
        assert!(out.stdout.contains(&format!("\n{name} operations:\n")));
    }
    // The AWS CLI's names of the operations with acronyms.
    for op in [
        "get-dash-streaming-session-url",
        "get-hls-streaming-session-url",
        "get-ice-server-config",
        "join-storage-session-as-viewer",
        "get-media-for-fragment-list",
        "describe-image-generation-configuration",
    ] {
        assert!(
            out.stdout.contains(&format!("\n  {op}\n")),
            "{op}: {}",
            out.stdout
        );
    }
    let out = kvs(&["kinesis-video-archived-media", "get-images", "--help"]).await;
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.contains("  --images-dir DIR ")
            && out.stdout.contains("APIName GET_IMAGES")
            && out.stdout.contains("  --format <enum> (required)\n"),
        "{}",
        out.stdout
    );
    let out = kvs(&["kinesis-video-signaling", "--help"]).await;
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.contains("  get-ice-server-config\n") && !out.stdout.contains("describe-stream"),
        "{}",
        out.stdout
    );
}

/// Reads one HTTP/1.1 request (head and a `content-length` body) as text.
async fn read_request(socket: &mut TcpStream) -> String {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let n = socket.read(&mut chunk).await.unwrap();
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map_or(0, |v| v.trim().parse::<usize>().unwrap());
            if buf.len() >= end + 4 + length {
                break;
            }
        }
    }
    String::from_utf8_lossy(&buf).into_owned()
}

/// A server taking one connection: it reads the request, lets `reply` answer on the socket,
/// and gives the request's text back.
async fn server<F, Fut>(reply: F) -> (String, JoinHandle<String>)
where
    F: FnOnce(TcpStream) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let request = read_request(&mut socket).await;
        reply(socket).await;
        request
    });
    (url, handle)
}

/// A server answering one request with `status`, extra `headers` and `body`.
async fn one_reply(
    status: u16,
    headers: &'static str,
    body: impl Into<Vec<u8>>,
) -> (String, JoinHandle<String>) {
    let body = body.into();
    server(move |mut socket| async move {
        let head = format!(
            "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n{headers}\r\n",
            body.len()
        );
        let _ = socket.write_all(head.as_bytes()).await;
        let _ = socket.write_all(&body).await;
    })
    .await
}

#[tokio::test]
async fn service_errors_go_to_stderr_with_254() {
    let (url, _) = one_reply(
        404,
        "x-amzn-ErrorType: ResourceNotFoundException\r\nx-amzn-RequestId: rid-404\r\n",
        r#"{"message":"Stream not found"}"#,
    )
    .await;
    let out = kvs(&[
        "describe-image-generation-configuration",
        "--stream-name",
        "cam-1",
        "--endpoint-url",
        &url,
    ])
    .await;
    assert_eq!(out.code, SERVICE_ERROR);
    assert!(out.stdout.is_empty());
    assert!(out.stderr.contains("An error occurred (ResourceNotFoundException) when calling the DescribeImageGenerationConfiguration operation: Stream not found"), "{}", out.stderr);
    assert!(out.stderr.contains("Request ID: rid-404"), "{}", out.stderr);
}

#[tokio::test]
async fn output_is_pretty_json_with_member_names() {
    let (url, _) = one_reply(200, "", r#"{"StreamInfo":{"StreamName":"cam-1","CreationTime":1.551490071498E9,"Status":"ACTIVE"}}"#).await;
    let out = kvs(&[
        "describe-stream",
        "--stream-name",
        "cam-1",
        "--endpoint-url",
        &url,
    ])
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "{\n    \"StreamInfo\": {\n        \"StreamName\": \"cam-1\",\n        \"Status\": \"ACTIVE\",\n        \"CreationTime\": \"2019-03-02T01:27:51.498Z\"\n    }\n}\n"
    );
}

/// Bytes that do not repeat in short cycles, so a misplaced chunk shows.
fn payload_bytes(len: usize) -> Vec<u8> {
    let mut x: u32 = 0x1234_5678;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        })
        .collect()
}

fn get_media_args(outfile: &std::path::Path, url: &str) -> Vec<String> {
    [
        "kinesis-video-media",
        "get-media",
        "--stream-name",
        "cam-1",
        "--start-selector",
        r#"{"StartSelectorType":"NOW"}"#,
        outfile.to_str().unwrap(),
        "--endpoint-url",
        url,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_media_writes_a_multi_megabyte_payload_to_the_outfile_as_it_arrives() {
    let outfile = scratch("get_media_outfile").join("live.mkv");
    let body = payload_bytes(6 * 1024 * 1024 + 17);
    let first = 1024 * 1024;
    let (sent, watched) = (body.clone(), outfile.clone());
    let (url, request) = server(move |mut socket| async move {
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: video/webm\r\ncontent-length: {}\r\n\r\n",
            sent.len()
        );
        socket.write_all(head.as_bytes()).await.unwrap();
        socket.write_all(&sent[..first]).await.unwrap();
        // The rest is held back until the outfile has grown: a client that collected the
        // whole payload before writing would never get it, and the test would time out.
        let grown = async {
            while std::fs::metadata(&watched).map_or(0, |m| m.len()) == 0 {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        };
        tokio::time::timeout(Duration::from_secs(20), grown)
            .await
            .expect("the outfile grew before the payload ended");
        socket.write_all(&sent[first..]).await.unwrap();
    })
    .await;
    let out = run(&get_media_args(&outfile, &url), settings()).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "{\n    \"ContentType\": \"video/webm\"\n}\n");
    let written = std::fs::read(&outfile).unwrap();
    assert_eq!(written.len(), body.len());
    assert!(written == body, "the outfile differs from the payload sent");
    let request = request.await.unwrap();
    assert!(
        request.starts_with("POST /getMedia HTTP/1.1\r\n")
            && request.ends_with(
                "\r\n\r\n{\"StreamName\":\"cam-1\",\"StartSelector\":{\"StartSelectorType\":\"NOW\"}}"
            ),
        "{request}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_cut_mid_stream_exits_255_and_says_how_much_was_written() {
    let outfile = scratch("get_media_cut").join("live.mkv");
    let body = payload_bytes(1024 * 1024);
    let sent = body.clone();
    let (url, _) = server(move |mut socket| async move {
        // Promises 4 MiB, sends 1 MiB, then closes.
        let head = "HTTP/1.1 200 OK\r\ncontent-type: video/webm\r\ncontent-length: 4194304\r\n\r\n";
        socket.write_all(head.as_bytes()).await.unwrap();
        socket.write_all(&sent).await.unwrap();
        socket.shutdown().await.unwrap();
    })
    .await;
    let out = run(&get_media_args(&outfile, &url), settings()).await;
    assert_eq!(out.code, OTHER_ERROR, "{}", out.stderr);
    assert_eq!(out.stdout, "");
    let written = std::fs::read(&outfile).unwrap();
    assert!(
        out.stderr.contains(&format!(
            "kvs: the Payload stream broke after {} bytes were written to {} (an incomplete file): connection broken",
            written.len(),
            outfile.display()
        )),
        "{}",
        out.stderr
    );
    assert!(written.len() <= body.len() && written[..] == body[..written.len()]);
}

#[tokio::test]
async fn get_images_writes_decoded_images_to_the_images_dir() {
    let dir = scratch("get_images").join("frames");
    let images: [&[u8]; 3] = [
        b"\xff\xd8\xff\xe0first",
        b"\xff\xd8\xff\xe0second\x00\x80",
        b"\xff\xd8third",
    ];
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let body = format!(
        r#"{{"NextToken":"page-2","Images":[{{"ImageContent":"{}","TimeStamp":1700000000.5}},{{"TimeStamp":1700000000.5,"ImageContent":"{}"}},{{"TimeStamp":1700000001,"Error":"NO_MEDIA"}},{{"ImageContent":"{}"}}]}}"#,
        b64(images[0]),
        b64(images[1]),
        b64(images[2])
    );
    let args = |url: &str, images_dir: Option<&str>| {
        let mut a = vec![
            "kinesis-video-archived-media".to_string(),
            "get-images".into(),
            "--stream-name".into(),
            "cam-1".into(),
            "--image-selector-type".into(),
            "SERVER_TIMESTAMP".into(),
            "--start-timestamp".into(),
            "2023-11-14T22:13:20Z".into(),
            "--end-timestamp".into(),
            "2023-11-14T22:13:30Z".into(),
            "--format".into(),
            "JPEG".into(),
            "--endpoint-url".into(),
            url.into(),
        ];
        if let Some(d) = images_dir {
            a.extend(["--images-dir".to_string(), d.to_string()]);
        }
        a
    };
    let (url, _) = one_reply(200, "", body.clone()).await;
    let out = run(&args(&url, Some(dir.to_str().unwrap())), settings()).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let names = [
        "2023-11-14T22-13-20.5Z.jpeg",
        "2023-11-14T22-13-20.5Z-2.jpeg",
        "image-4.jpeg",
    ];
    for (name, bytes) in names.iter().zip(images) {
        assert_eq!(std::fs::read(dir.join(name)).unwrap(), bytes, "{name}");
    }
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 3);
    let path = |name: &str| dir.join(name).display().to_string();
    assert_eq!(
        out.stdout,
        format!(
            r#"{{
    "Images": [
        {{
            "TimeStamp": "2023-11-14T22:13:20.5Z",
            "ImageFile": "{}"
        }},
        {{
            "TimeStamp": "2023-11-14T22:13:20.5Z",
            "ImageFile": "{}"
        }},
        {{
            "TimeStamp": "2023-11-14T22:13:21Z",
            "Error": "NO_MEDIA"
        }},
        {{
            "ImageFile": "{}"
        }}
    ],
    "NextToken": "page-2"
}}
"#,
            path(names[0]),
            path(names[1]),
            path(names[2])
        )
    );
    // Without --images-dir the output is the plain JSON.
    let (url, _) = one_reply(200, "", body).await;
    let out = run(&args(&url, None), settings()).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains(&format!("\"ImageContent\": \"{}\"", b64(images[1])))
            && !out.stdout.contains("ImageFile"),
        "{}",
        out.stdout
    );
}

fn get_clip_args(outfile: &std::path::Path) -> Vec<String> {
    [
        "kinesis-video-archived-media",
        "get-clip",
        "--stream-name",
        "cam-1",
        "--clip-fragment-selector",
        r#"{"FragmentSelectorType":"SERVER_TIMESTAMP","TimestampRange":{"StartTimestamp":1700000000,"EndTimestamp":1700000060}}"#,
        outfile.to_str().unwrap(),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

#[tokio::test]
async fn data_plane_calls_go_to_the_endpoint_get_data_endpoint_returns() {
    let outfile = scratch("data_endpoint").join("clip.mp4");
    let clip = payload_bytes(300_000);
    let (data_url, data_request) =
        one_reply(200, "content-type: video/mp4\r\n", clip.clone()).await;
    let (control_url, control_request) =
        one_reply(200, "", format!(r#"{{"DataEndpoint":"{data_url}"}}"#)).await;
    // AWS_ENDPOINT_URL moves every service (a local emulator, say); the data endpoint is still
    // looked up there.
    let out = run(
        &get_clip_args(&outfile),
        settings_with(&[("AWS_ENDPOINT_URL", &control_url)]),
    )
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "{\n    \"ContentType\": \"video/mp4\"\n}\n");
    assert!(std::fs::read(&outfile).unwrap() == clip);
    let control = control_request.await.unwrap();
    assert!(
        control.starts_with("POST /getDataEndpoint HTTP/1.1\r\n")
            && control.ends_with("\r\n\r\n{\"StreamName\":\"cam-1\",\"APIName\":\"GET_CLIP\"}")
            && control.contains("/us-west-2/kinesisvideo/aws4_request"),
        "{control}"
    );
    let data = data_request.await.unwrap();
    let data_host = data_url.trim_start_matches("http://");
    assert!(
        data.starts_with("POST /getClip HTTP/1.1\r\n")
            && data.contains(&format!("\r\nhost: {data_host}\r\n"))
            && data.contains("authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
            && data.contains("/us-west-2/kinesisvideo/aws4_request, SignedHeaders=")
            && data.contains("\"FragmentSelectorType\":\"SERVER_TIMESTAMP\""),
        "{data}"
    );
}

#[tokio::test]
async fn an_endpoint_for_the_data_plane_service_skips_the_lookup() {
    let outfile = scratch("data_endpoint_env").join("clip.mp4");
    let (data_url, data_request) = one_reply(200, "content-type: video/mp4\r\n", "mp4").await;
    // Nothing listens at the control-plane endpoint: a lookup would fail with 255.
    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let closed_url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let out = run(
        &get_clip_args(&outfile),
        settings_with(&[
            ("AWS_ENDPOINT_URL", &closed_url),
            ("AWS_ENDPOINT_URL_KINESIS_VIDEO_ARCHIVED_MEDIA", &data_url),
        ]),
    )
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(std::fs::read(&outfile).unwrap(), b"mp4");
    assert!(data_request
        .await
        .unwrap()
        .starts_with("POST /getClip HTTP/1.1\r\n"));
}

#[tokio::test]
async fn a_failed_lookup_is_a_get_data_endpoint_error() {
    let outfile = scratch("data_endpoint_error").join("clip.mp4");
    let (control_url, _) = one_reply(
        404,
        "x-amzn-ErrorType: ResourceNotFoundException\r\nx-amzn-RequestId: rid-gde\r\n",
        r#"{"message":"The stream cam-1 does not exist"}"#,
    )
    .await;
    let out = run(
        &get_clip_args(&outfile),
        settings_with(&[("AWS_ENDPOINT_URL", &control_url)]),
    )
    .await;
    assert_eq!(out.code, SERVICE_ERROR, "{}", out.stderr);
    assert!(
        out.stderr.contains("An error occurred (ResourceNotFoundException) when calling the GetDataEndpoint operation: The stream cam-1 does not exist")
            && out.stderr.contains("Request ID: rid-gde"),
        "{}",
        out.stderr
    );
    assert!(!outfile.exists());
}
