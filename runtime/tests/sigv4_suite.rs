//! SigV4 against the public AWS signing test suite (`<shared>/sigv4-test-suite/v4`) and against
//! botocore's signatures for Kinesis Video requests.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

// The shared-data rule, included by path: the runtime's manifest is vendored as it is, so it
// names no workspace-only crate.
#[allow(dead_code)]
#[path = "../../tests/shared-data/src/lib.rs"]
mod shared_data;

use serde_json::Value;
use smithy_lite_runtime::datetime::{DateTime, Format};
use smithy_lite_runtime::http::HttpRequest;
use smithy_lite_runtime::sigv4::{sign_request, Credentials, SigningParams, SigningSettings};

/// The suite folder, beside the models folder like the other shared data.
fn suite_dir() -> Option<PathBuf> {
    shared_data::require("the SigV4 test suite", "sigv4-test-suite/v4")
}

fn time(rfc3339: &str) -> SystemTime {
    DateTime::parse(rfc3339, Format::DateTime).unwrap().into()
}

/// A `request.txt`: request line, headers (indented lines continue the previous value), body.
fn parse_request(text: &str) -> (HttpRequest, String) {
    let (head, body) = match text.split_once("\n\n") {
        Some((h, b)) => (h, b),
        None => (text, ""),
    };
    let mut lines = head.lines();
    let request_line = lines.next().unwrap();
    let method = request_line.split(' ').next().unwrap();
    // The target may contain spaces (`/example space/`): it ends at the last ` HTTP/`.
    let target = &request_line[method.len() + 1..request_line.rfind(" HTTP/").unwrap()];
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut request = HttpRequest::new(method, path);
    request.query = query.to_string();
    let mut host = String::new();
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.starts_with(' ') || line.starts_with('\t') {
            let last = headers.last_mut().expect("continuation after a header");
            last.1.push('\n');
            last.1.push_str(line);
            continue;
        }
        let (name, value) = line.split_once(':').unwrap();
        if name.eq_ignore_ascii_case("host") {
            host = value.to_string();
        } else {
            headers.push((name.to_string(), value.to_string()));
        }
    }
    for (n, v) in headers {
        request.headers.append(n, v);
    }
    request.body = body.as_bytes().to_vec();
    (request, host)
}

fn read(dir: &Path, name: &str) -> Option<String> {
    std::fs::read_to_string(dir.join(name)).ok()
}

#[test]
fn every_header_signing_case_of_the_suite() {
    let Some(suite) = suite_dir() else { return };
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&suite)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    let (mut passed, mut failures) = (0, Vec::new());
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let (request_text, expected_canonical) = (
            read(case, "request.txt").unwrap(),
            read(case, "header-canonical-request.txt").unwrap(),
        );
        // The two cases migrated from the old suite have no context.json: their canonical
        // requests were made at 2021-05-11T15:40:45Z with plain defaults.
        let context: Value = read(case, "context.json")
            .map(|t| serde_json::from_str(&t).unwrap())
            .unwrap_or_else(|| {
                serde_json::json!({
                    "credentials": {"access_key_id": "AKIDEXAMPLE", "secret_access_key": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"},
                    "region": "us-east-2", "service": "lambda", "timestamp": "2021-05-11T15:40:45Z",
                    "normalize": true, "sign_body": false
                })
            });
        let creds = &context["credentials"];
        let credentials = Credentials::new(
            creds["access_key_id"].as_str().unwrap(),
            creds["secret_access_key"].as_str().unwrap(),
            creds["token"].as_str().map(str::to_owned),
        );
        let settings = SigningSettings {
            uri_path_normalization: context["normalize"].as_bool().unwrap_or(true),
            double_uri_encode: true,
            payload_checksum_header: context["sign_body"].as_bool().unwrap_or(false),
            sign_session_token: !context["omit_session_token"].as_bool().unwrap_or(false),
            // The suite signs every header its requests carry.
            unsigned_headers: &["authorization"],
            unsigned_payload: false,
        };
        let (mut request, host) = parse_request(&request_text);
        // The CRT cases (those with a context.json) give the path as a URI whose decoded form
        // is encoded once for the canonical request (`%20` and a raw space both give `%20`).
        // Our signer encodes the path it is given once, so it gets the decoded path. The two
        // migrated cases give the path exactly as sent, to be encoded again (`%3D` → `%253D`).
        if case.join("context.json").exists() {
            request.path = percent_encoding::percent_decode_str(&request.path)
                .decode_utf8()
                .unwrap()
                .into_owned();
        }
        let out = sign_request(
            &mut request,
            &host,
            &SigningParams {
                credentials: &credentials,
                region: context["region"].as_str().unwrap(),
                service: context["service"].as_str().unwrap(),
                time: time(context["timestamp"].as_str().unwrap()),
                settings,
            },
        );
        let mut problems = Vec::new();
        if out.canonical_request != expected_canonical {
            problems.push(format!(
                "canonical request:\n{}\nexpected:\n{expected_canonical}",
                out.canonical_request
            ));
        }
        if let Some(sts) = read(case, "header-string-to-sign.txt") {
            // Some files end with a newline; the string to sign does not.
            let sts = sts.trim_end_matches('\n');
            if out.string_to_sign != sts {
                problems.push(format!(
                    "string to sign:\n{}\nexpected:\n{sts}",
                    out.string_to_sign
                ));
            }
        }
        // Signatures are only comparable where the suite says which credentials made them.
        if let (Some(sig), true) = (
            read(case, "header-signature.txt"),
            case.join("context.json").exists(),
        ) {
            if out.signature != sig.trim() {
                problems.push(format!(
                    "signature {} expected {}",
                    out.signature,
                    sig.trim()
                ));
            }
        }
        if problems.is_empty() {
            passed += 1;
        } else {
            failures.push(format!("{name}: {}", problems.join("\n")));
        }
    }
    for f in &failures {
        println!("FAILED {f}");
    }
    println!("sigv4 suite: {passed} passed of {}", cases.len());
    assert!(cases.len() >= 40, "expected the 40 cases of the suite");
    assert!(
        failures.is_empty(),
        "{} SigV4 suite case(s) failed",
        failures.len()
    );
}

const AKID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

fn kvs_request(extra_headers: &[(&'static str, &'static str)]) -> HttpRequest {
    let mut request = HttpRequest::new("POST", "/describeImageGenerationConfiguration");
    request.headers.insert("content-type", "application/json");
    for (n, v) in extra_headers {
        request.headers.insert(*n, *v);
    }
    request.body = br#"{"StreamName":"demo"}"#.to_vec();
    request
}

fn sign_kvs(request: &mut HttpRequest, token: Option<&str>) -> String {
    let credentials = Credentials::new(AKID, SECRET, token.map(str::to_owned));
    sign_request(
        request,
        "kinesisvideo.us-west-2.amazonaws.com",
        &SigningParams {
            credentials: &credentials,
            region: "us-west-2",
            service: "kinesisvideo",
            time: UNIX_EPOCH + Duration::from_secs(1_440_938_160), // 2015-08-30T12:36:00Z
            settings: SigningSettings::default(),
        },
    )
    .authorization
}

/// Expected values recorded from botocore 1.43.11 with:
/// `echo '{"operation":"DescribeImageGenerationConfiguration","params":{"StreamName":"demo"},
///   "body_override":"{\"StreamName\":\"demo\"}"}' | ../shared/oracle/oracle.py request`
/// (plus `"credentials":{..,"token":"TOKEN"}` for the session-token case).
#[test]
fn kinesis_video_signatures_match_botocore() {
    let mut plain = kvs_request(&[]);
    assert_eq!(sign_kvs(&mut plain, None), BOTOCORE_PLAIN);
    // Headers botocore does not sign change nothing.
    let mut with_extras = kvs_request(&[
        ("content-length", "21"),
        ("user-agent", "kinesis-video/0.1.0"),
        (
            "amz-sdk-invocation-id",
            "00000000-0000-4000-8000-000000000000",
        ),
        ("amz-sdk-request", "attempt=1; max=3"),
    ]);
    assert_eq!(sign_kvs(&mut with_extras, None), BOTOCORE_PLAIN);
    let mut with_token = kvs_request(&[]);
    assert_eq!(sign_kvs(&mut with_token, Some("TOKEN")), BOTOCORE_TOKEN);
    assert_eq!(
        with_token.headers.get("x-amz-security-token"),
        Some("TOKEN")
    );
}

const BOTOCORE_PLAIN: &str = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-west-2/kinesisvideo/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=bac00d820c9d7692d75d672021f4fb62f76e601ece1dac943eac2855252445ef";
const BOTOCORE_TOKEN: &str = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-west-2/kinesisvideo/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=9c5bc378ca17e8d94413b70fa129a496cdbdcf463a8fb0414db88fb7397b14b6";

#[test]
fn credentials_never_print_their_secrets() {
    let c = Credentials::new(AKID, SECRET, Some("TOKEN-SECRET".to_string()));
    let debug = format!("{c:?}");
    assert!(
        !debug.contains(SECRET) && !debug.contains("TOKEN-SECRET"),
        "{debug}"
    );
    assert!(debug.contains(AKID));
}
