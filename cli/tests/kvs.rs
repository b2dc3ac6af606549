//! `kvs` as a user runs it: dry runs comparable with botocore, flags and `--cli-input-json`,
//! exit codes, and calls against a loopback server.

use kinesis_video::runtime::profile::Env;
use kvs_cli::{run, Outcome, Settings, SERVICE_ERROR, USAGE_ERROR};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

fn settings() -> Settings {
    Settings {
        env: Some(Env::from_vars([
            ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
            (
                "AWS_SECRET_ACCESS_KEY",
                "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            ),
            ("AWS_REGION", "us-west-2"),
        ])),
    }
}

async fn kvs(args: &[&str]) -> Outcome {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    run(&args, settings()).await
}

/// `echo '{"operation":"DescribeImageGenerationConfiguration","params":{"StreamName":"cam-1"},
/// "body_override":"{\"StreamName\":\"cam-1\"}"}' | ../shared/oracle/oracle.py request`
const BOTOCORE_AUTHORIZATION: &str = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-west-2/kinesisvideo/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=903f402de206747f1368acc1abf235237b4110765caca72546dfbe4d9fcab745";

const DRY: &[&str] = &["--dry-run", "--signing-time", "2015-08-30T12:36:00Z"];

#[tokio::test]
async fn dry_run_prints_the_request_botocore_signs() {
    let mut args = vec![
        "describe-image-generation-configuration",
        "--stream-name",
        "cam-1",
    ];
    args.extend(DRY);
    let out = kvs(&args).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains(&format!("authorization: {BOTOCORE_AUTHORIZATION}\n")),
        "{}",
        out.stdout
    );
    let stable: String = out
        .stdout
        .lines()
        .filter(|l| !l.starts_with("amz-sdk-invocation-id:") && !l.starts_with("user-agent:"))
        .map(|l| format!("{l}\n"))
        .collect();
    insta::assert_snapshot!(stable);
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

/// A server answering one request with `status` and `body`.
async fn one_reply(status: u16, headers: &'static str, body: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buf = [0u8; 8192];
        let _ = socket.read(&mut buf).await;
        let reply = format!(
            "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n{headers}\r\n{body}",
            body.len()
        );
        let _ = socket.write_all(reply.as_bytes()).await;
    });
    url
}

#[tokio::test]
async fn service_errors_go_to_stderr_with_254() {
    let url = one_reply(
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
    let url = one_reply(200, "", r#"{"StreamInfo":{"StreamName":"cam-1","CreationTime":1.551490071498E9,"Status":"ACTIVE"}}"#).await;
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
