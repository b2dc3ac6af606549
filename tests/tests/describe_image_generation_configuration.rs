//! Wire format of `DescribeImageGenerationConfiguration`, the operation at the centre of the
//! project, locked by insta snapshots.
//!
//! What is locked, and why each part matters to a caller:
//! - the requests (restJson1: `POST /describeImageGenerationConfiguration`, no query,
//!   `content-type: application/json`, a compact JSON body of the members that are set, `{}` when
//!   none is) for every combination of the two optional members;
//! - client-side validation: an input that breaks `@length` or `@pattern` builds no request and
//!   reports every failure at once, each naming the member and the constraint;
//! - response parsing of recorded HTTP exchanges (`tests/fixtures/describe_image_generation_configuration/*.http`,
//!   status line, headers and body as AWS sends them): full and minimal configurations, unknown
//!   enum values (kept, round-trip), unknown fields (ignored), explicit nulls (absent), the four
//!   modeled errors with the code in `x-amzn-ErrorType` or only in the body's `__type`, an
//!   unmodeled error code, a 503 HTML page from a proxy, and 200s whose body is malformed or
//!   mistyped (a `Response` error naming the path, never a panic).
//!
//! Every snapshot is backed by explicit assertions of the key facts, so a reviewer accepting a
//! changed snapshot cannot silently accept wrong behaviour.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kinesis_video::error::{Constraint, ResponseError, SdkError, ValidationErrors};
use kinesis_video::operation::describe_image_generation_configuration::{
    self as op, DescribeImageGenerationConfigurationError as OpError,
    DescribeImageGenerationConfigurationInput as Input,
    DescribeImageGenerationConfigurationOutput as Output,
};
use kinesis_video::runtime::http::{HttpRequest, HttpResponse};
use kinesis_video::types::{ConfigurationStatus, Format, FormatConfigKey, ImageSelectorType};
use serde_json::{json, Value};

const STREAM_NAME: &str = "demo-stream";
const STREAM_ARN: &str =
    "arn:aws:kinesisvideo:us-west-2:123456789012:stream/demo-stream/1717490000000";
const NAME_PATTERN: &str = "^[a-zA-Z0-9_.-]+$";
const ARN_PATTERN: &str =
    r"^arn:[a-z\d-]+:kinesisvideo:[a-z0-9-]+:[0-9]+:[a-z]+/[a-zA-Z0-9_.-]+/[0-9]+$";

type ParseResult = Result<Output, SdkError<OpError>>;

// ---------------------------------------------------------------------------------------------
// Helpers

/// Snapshots `value` as `name`, with `description` (what was fed in) in the snapshot header.
fn snapshot(name: &str, description: &str, value: &str) {
    insta::with_settings!({ description => description, omit_expression => true }, {
        insta::assert_snapshot!(name, value);
    });
}

/// A request as text: method, path, query, headers in order, body as UTF-8.
fn render_request(request: &HttpRequest) -> String {
    let mut out = format!(
        "method: {}\npath: {}\nquery: {:?}\nheaders:\n",
        request.method, request.path, request.query
    );
    for (name, value) in request.headers.iter() {
        out.push_str(&format!("  {name}: {value}\n"));
    }
    out.push_str(&format!(
        "body: {}\n",
        String::from_utf8(request.body.clone()).expect("request bodies are UTF-8")
    ));
    out
}

/// Builds the request for `input`, snapshots it as `name`, and checks the restJson1 framing and
/// that the body is exactly `expected_body`.
fn assert_request(name: &str, input: Input, expected_body: &str) {
    let request = op::serialize_request(&input).expect("a valid input builds a request");
    snapshot(name, &describe_input(&input), &render_request(&request));
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/describeImageGenerationConfiguration");
    assert_eq!(request.query, "");
    assert_eq!(
        request.headers.iter().collect::<Vec<_>>(),
        [("content-type", "application/json")]
    );
    assert_eq!(String::from_utf8_lossy(&request.body), expected_body);
}

/// Checks `input` is refused, snapshots every failure (text and structure) as `name`, and
/// returns the failures as `(path, constraint)`.
fn assert_rejected(name: &str, input: Input) -> Vec<(String, Constraint)> {
    let errors: ValidationErrors = match op::serialize_request(&input) {
        Ok(request) => panic!(
            "{name}: an invalid input was serialized:\n{}",
            render_request(&request)
        ),
        Err(errors) => errors,
    };
    assert_eq!(input.validate(), Err(errors.clone()));
    let lines: Vec<String> = errors.errors().iter().map(|e| e.to_string()).collect();
    snapshot(
        name,
        &describe_input(&input),
        &format!("{}\n\n{errors:#?}", lines.join("\n")),
    );
    errors
        .errors()
        .iter()
        .map(|e| (e.path.clone(), e.constraint.clone()))
        .collect()
}

/// The input's members, long values shortened (`"aaaa…" (257 chars)`).
fn describe_input(input: &Input) -> String {
    let show = |value: &Option<String>| match value {
        None => "unset".to_string(),
        Some(v) if v.chars().count() > 60 => {
            let head: String = v.chars().take(20).collect();
            format!("{head:?}… ({} chars)", v.chars().count())
        }
        Some(v) => format!("{v:?}"),
    };
    format!(
        "StreamName: {}, StreamARN: {}",
        show(&input.stream_name),
        show(&input.stream_arn)
    )
}

fn length(min: u64, max: u64, actual: u64) -> Constraint {
    Constraint::Length {
        min: Some(min),
        max: Some(max),
        actual,
    }
}

fn pattern(pattern: &'static str) -> Constraint {
    Constraint::Pattern { pattern }
}

fn failure(path: &str, constraint: Constraint) -> (String, Constraint) {
    (path.to_string(), constraint)
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/describe_image_generation_configuration")
}

/// Reads a recorded exchange; a `Content-Length` header must match the body, so fixtures stay
/// what a server would really send.
fn load(path: &Path) -> HttpResponse {
    let raw = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let response = HttpResponse::parse_recorded(&raw)
        .unwrap_or_else(|e| panic!("{}: not a recorded response: {e}", path.display()));
    if let Some(len) = response.headers.get("content-length") {
        assert_eq!(
            len.parse::<usize>().expect("numeric Content-Length"),
            response.body.len(),
            "{}: Content-Length does not match the body",
            path.display()
        );
    }
    response
}

fn fixture(name: &str) -> HttpResponse {
    load(&fixtures_dir().join(format!("{name}.http")))
}

/// Parses fixture `name` and snapshots the result's Debug as `response_<name>`.
fn parse(name: &str) -> (HttpResponse, ParseResult) {
    let response = fixture(name);
    let result = op::parse_response(&response);
    snapshot(
        &format!("response_{name}"),
        &format!("tests/fixtures/describe_image_generation_configuration/{name}.http"),
        &format!("{result:#?}"),
    );
    (response, result)
}

fn parse_ok(name: &str) -> (HttpResponse, Output) {
    match parse(name) {
        (response, Ok(output)) => (response, output),
        (_, Err(e)) => panic!("{name}: expected the output, got {e:#?}"),
    }
}

/// The service error of fixture `name`, after checking the metadata every error carries: the
/// response status and the `x-amzn-RequestId` header.
fn parse_service_error(name: &str) -> OpError {
    let (response, result) = parse(name);
    let error = match result {
        Err(SdkError::Service(e)) => e,
        other => panic!("{name}: expected a service error, got {other:#?}"),
    };
    assert_eq!(error.meta().status(), response.status, "{name}: status");
    assert_eq!(
        error.request_id(),
        response.headers.get("x-amzn-requestid"),
        "{name}: request id"
    );
    error
}

fn parse_response_error(name: &str) -> ResponseError {
    match parse(name) {
        (_, Err(SdkError::Response(e))) => e,
        (_, other) => panic!("{name}: expected a response error, got {other:#?}"),
    }
}

fn body_json(response: &HttpResponse) -> Value {
    serde_json::from_slice(&response.body).expect("fixture body is JSON")
}

fn output_json(output: &Output) -> Value {
    serde_json::from_slice(&op::output_to_json(output)).expect("output_to_json writes JSON")
}

// ---------------------------------------------------------------------------------------------
// Requests

#[test]
fn request_with_stream_name_only() {
    assert_request(
        "request_stream_name_only",
        Input::builder().stream_name(STREAM_NAME).build(),
        r#"{"StreamName":"demo-stream"}"#,
    );
}

#[test]
fn request_with_stream_arn_only() {
    assert_request(
        "request_stream_arn_only",
        Input::builder().stream_arn(STREAM_ARN).build(),
        &format!(r#"{{"StreamARN":"{STREAM_ARN}"}}"#),
    );
}

#[test]
fn request_with_both_members() {
    assert_request(
        "request_both",
        Input::builder()
            .stream_name(STREAM_NAME)
            .stream_arn(STREAM_ARN)
            .build(),
        &format!(r#"{{"StreamName":"demo-stream","StreamARN":"{STREAM_ARN}"}}"#),
    );
}

/// Both members are optional in the model, so no member is a valid input; restJson1 still sends
/// an empty JSON object (as botocore and the AWS SDKs do for inputs with body members).
#[test]
fn request_with_neither_member() {
    assert_request("request_neither", Input::builder().build(), "{}");
}

/// The body is byte for byte what AWS expects, not merely equivalent JSON.
#[test]
fn request_body_is_byte_exact() {
    let request =
        op::serialize_request(&Input::builder().stream_name("demo").build()).expect("valid input");
    assert_eq!(request.body, br#"{"StreamName":"demo"}"#);
    assert_eq!(
        request.headers.get("content-type"),
        Some("application/json")
    );
    assert_eq!(
        request.headers.get("Content-Type"),
        Some("application/json")
    );
    assert_eq!(
        request.path_and_query(),
        "/describeImageGenerationConfiguration"
    );
}

/// `input_from_json` (the `--cli-input-json` form) builds the same input as the builder.
#[test]
fn input_from_json_matches_the_builder() {
    let input = op::input_from_json(&json!({"StreamName": STREAM_NAME, "StreamARN": STREAM_ARN}))
        .expect("valid document");
    assert_eq!(
        input,
        Input::builder()
            .stream_name(STREAM_NAME)
            .stream_arn(STREAM_ARN)
            .build()
    );
}

// ---------------------------------------------------------------------------------------------
// Validation

#[test]
fn rejects_empty_stream_name() {
    let failures = assert_rejected(
        "invalid_stream_name_empty",
        Input::builder().stream_name("").build(),
    );
    assert_eq!(
        failures,
        [
            failure("StreamName", length(1, 256, 0)),
            failure("StreamName", pattern(NAME_PATTERN)),
        ]
    );
}

#[test]
fn rejects_too_long_stream_name() {
    let failures = assert_rejected(
        "invalid_stream_name_too_long",
        Input::builder().stream_name("a".repeat(257)).build(),
    );
    assert_eq!(failures, [failure("StreamName", length(1, 256, 257))]);
}

#[test]
fn rejects_stream_name_breaking_the_pattern() {
    let failures = assert_rejected(
        "invalid_stream_name_pattern",
        Input::builder().stream_name("demo stream/1").build(),
    );
    assert_eq!(failures, [failure("StreamName", pattern(NAME_PATTERN))]);
}

#[test]
fn rejects_empty_stream_arn() {
    let failures = assert_rejected(
        "invalid_stream_arn_empty",
        Input::builder().stream_arn("").build(),
    );
    assert_eq!(
        failures,
        [
            failure("StreamARN", length(1, 1024, 0)),
            failure("StreamARN", pattern(ARN_PATTERN)),
        ]
    );
}

#[test]
fn rejects_too_long_stream_arn() {
    // Well-formed (matches the pattern) but 1025 characters long.
    let prefix = "arn:aws:kinesisvideo:us-west-2:123456789012:stream/";
    let suffix = "/1717490000000";
    let arn = format!(
        "{prefix}{}{suffix}",
        "a".repeat(1025 - prefix.len() - suffix.len())
    );
    assert_eq!(arn.len(), 1025);
    let failures = assert_rejected(
        "invalid_stream_arn_too_long",
        Input::builder().stream_arn(arn).build(),
    );
    assert_eq!(failures, [failure("StreamARN", length(1, 1024, 1025))]);
}

#[test]
fn rejects_stream_arn_breaking_the_pattern() {
    let failures = assert_rejected(
        "invalid_stream_arn_pattern",
        Input::builder()
            .stream_arn("arn:aws:s3:::demo-bucket/demo-stream")
            .build(),
    );
    assert_eq!(failures, [failure("StreamARN", pattern(ARN_PATTERN))]);
}

/// Every broken constraint of every member is reported by one call, in model order.
#[test]
fn reports_every_failure_at_once() {
    let failures = assert_rejected(
        "invalid_everything_at_once",
        Input::builder()
            .stream_name(format!("{}!", "a".repeat(256)))
            .stream_arn("x".repeat(1025))
            .build(),
    );
    assert_eq!(
        failures,
        [
            failure("StreamName", length(1, 256, 257)),
            failure("StreamName", pattern(NAME_PATTERN)),
            failure("StreamARN", length(1, 1024, 1025)),
            failure("StreamARN", pattern(ARN_PATTERN)),
        ]
    );
}

/// The bounds themselves are valid; `$` ends the value (no trailing newline, as in ECMA-262),
/// and lengths count characters.
#[test]
fn constraint_boundaries() {
    let prefix = "arn:aws:kinesisvideo:us-west-2:123456789012:stream/";
    let suffix = "/1717490000000";
    let arn_1024 = format!(
        "{prefix}{}{suffix}",
        "a".repeat(1024 - prefix.len() - suffix.len())
    );
    for input in [
        Input::builder().stream_name("a").build(),
        Input::builder().stream_name("a".repeat(256)).build(),
        Input::builder().stream_name("A_b.c-9").build(),
        Input::builder().stream_arn(arn_1024).build(),
    ] {
        assert!(
            op::serialize_request(&input).is_ok(),
            "{input:?} should be valid"
        );
    }
    for bad_name in ["demo-stream\n", "\ndemo-stream", "démo", "demo*"] {
        let input = Input::builder().stream_name(bad_name).build();
        let errors = op::serialize_request(&input).expect_err(bad_name);
        assert_eq!(
            errors
                .errors()
                .iter()
                .map(|e| (e.path.as_str(), &e.constraint))
                .collect::<Vec<_>>(),
            [("StreamName", &pattern(NAME_PATTERN))],
            "{bad_name:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Responses: success

#[test]
fn parses_the_full_configuration() {
    let (response, output) = parse_ok("ok_full");
    let config = output
        .image_generation_configuration
        .as_ref()
        .expect("configuration present");
    assert_eq!(config.status, Some(ConfigurationStatus::Enabled));
    assert_eq!(
        config.image_selector_type,
        Some(ImageSelectorType::ServerTimestamp)
    );
    let destination = config.destination_config.as_ref().expect("destination");
    assert_eq!(
        destination.uri.as_deref(),
        Some("s3://demo-bucket/images/demo-stream")
    );
    assert_eq!(destination.destination_region.as_deref(), Some("us-west-2"));
    assert_eq!(config.sampling_interval, Some(3000));
    assert_eq!(config.format, Some(Format::Jpeg));
    assert_eq!(
        config.format_config,
        Some(BTreeMap::from([(
            FormatConfigKey::JpegQuality,
            "80".to_string()
        )]))
    );
    assert_eq!(config.width_pixels, Some(1280));
    assert_eq!(config.height_pixels, Some(720));
    // Nothing was lost: writing the output back gives the body that was received.
    assert_eq!(output_json(&output), body_json(&response));
}

#[test]
fn parses_minimal_responses_as_no_configuration() {
    for name in ["ok_empty_object", "ok_null_configuration", "ok_empty_body"] {
        let (_, output) = parse_ok(name);
        assert_eq!(output, Output::builder().build(), "{name}");
        assert_eq!(output.image_generation_configuration, None, "{name}");
        assert_eq!(op::output_to_json(&output), b"{}", "{name}");
    }
}

/// Enum values newer than the model are kept exactly as sent and written back unchanged.
#[test]
fn keeps_unknown_enum_values() {
    let (response, output) = parse_ok("ok_unknown_enum_values");
    let config = output
        .image_generation_configuration
        .as_ref()
        .expect("configuration");
    let status = config.status.as_ref().expect("status");
    assert!(
        matches!(status, ConfigurationStatus::Unknown(_)),
        "{status:?}"
    );
    assert_eq!(status.as_str(), "PAUSED");
    assert_eq!(status.to_string(), "PAUSED");
    assert_eq!(ConfigurationStatus::from(status.as_str()), *status);
    let format = config.format.as_ref().expect("format");
    assert!(matches!(format, Format::Unknown(_)), "{format:?}");
    assert_eq!(format.as_str(), "WEBP");
    let keys: Vec<&str> = config
        .format_config
        .as_ref()
        .expect("format config")
        .keys()
        .map(FormatConfigKey::as_str)
        .collect();
    assert_eq!(keys, ["JPEGQuality", "WEBPQuality"]);
    assert_eq!(output_json(&output), body_json(&response));
}

/// Members the model does not have (at any depth, of any JSON type) are skipped.
#[test]
fn ignores_unknown_fields() {
    let (_, output) = parse_ok("ok_unknown_fields");
    assert_eq!(
        output_json(&output),
        json!({"ImageGenerationConfiguration": {
            "Status": "ENABLED",
            "ImageSelectorType": "SERVER_TIMESTAMP",
            "DestinationConfig": {"Uri": "s3://demo-bucket/images", "DestinationRegion": "us-west-2"},
            "SamplingInterval": 1000,
            "Format": "PNG",
            "FormatConfig": {"JPEGQuality": "80"},
        }})
    );
}

/// `null` reads as an absent member, at every depth.
#[test]
fn reads_explicit_nulls_as_absent() {
    let (_, output) = parse_ok("ok_explicit_nulls");
    let config = output
        .image_generation_configuration
        .as_ref()
        .expect("configuration");
    assert_eq!(config.status, Some(ConfigurationStatus::Disabled));
    assert_eq!(config.image_selector_type, None);
    let destination = config.destination_config.as_ref().expect("destination");
    assert_eq!(destination.uri.as_deref(), Some("s3://demo-bucket/images"));
    assert_eq!(destination.destination_region, None);
    assert_eq!(config.sampling_interval, None);
    assert_eq!(config.format, Some(Format::Png));
    assert_eq!(config.format_config, None);
    assert_eq!(config.width_pixels, None);
    assert_eq!(config.height_pixels, Some(640));
}

// ---------------------------------------------------------------------------------------------
// Responses: modeled errors

/// The four modeled errors as AWS sends them: the code in `x-amzn-ErrorType` (with the Coral
/// namespace suffix), the message in the body's `message`.
#[test]
fn parses_modeled_errors_from_the_error_type_header() {
    let e = parse_service_error("err_invalid_argument");
    assert!(e.is_invalid_argument_exception(), "{e:?}");
    assert_eq!(e.code(), Some("InvalidArgumentException"));
    assert_eq!(e.meta().status(), 400);
    assert_eq!(
        e.message(),
        Some("1 validation error detected: Value 'demo stream' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")
    );
    assert_eq!(e.request_id(), Some("6f0f9d5e-2b1c-4c1e-9a3b-0c7d0000000a"));

    let e = parse_service_error("err_client_limit_exceeded");
    assert!(e.is_client_limit_exceeded_exception(), "{e:?}");
    assert_eq!(e.code(), Some("ClientLimitExceededException"));
    assert_eq!(e.meta().status(), 400);
    assert_eq!(
        e.message(),
        Some("Kinesis Video Streams has throttled the request because you have exceeded the limit of allowed client calls. Try making the call later.")
    );

    let e = parse_service_error("err_resource_not_found");
    assert!(e.is_resource_not_found_exception(), "{e:?}");
    assert_eq!(e.code(), Some("ResourceNotFoundException"));
    assert_eq!(e.meta().status(), 404);
    assert_eq!(
        e.message(),
        Some("The requested stream is not found or not active.")
    );
    assert_eq!(e.request_id(), Some("6f0f9d5e-2b1c-4c1e-9a3b-0c7d0000000e"));
    assert_eq!(
        e.to_string(),
        "ResourceNotFoundException: The requested stream is not found or not active. \
         (HTTP 404, request id 6f0f9d5e-2b1c-4c1e-9a3b-0c7d0000000e)"
    );

    let e = parse_service_error("err_access_denied");
    assert!(e.is_access_denied_exception(), "{e:?}");
    assert_eq!(e.code(), Some("AccessDeniedException"));
    assert_eq!(e.meta().status(), 401);
    assert_eq!(
        e.message(),
        Some("User: arn:aws:iam::123456789012:user/demo is not authorized to perform: kinesisvideo:DescribeImageGenerationConfiguration on resource: arn:aws:kinesisvideo:us-west-2:123456789012:stream/demo-stream/1717490000000")
    );
}

/// The same errors with no `x-amzn-ErrorType` header: the code comes from the body's `__type`
/// (plain or namespaced `com.amazonaws.kinesisvideo#...`), the message from `Message`.
#[test]
fn parses_modeled_errors_from_the_body_only() {
    let e = parse_service_error("err_invalid_argument_body_only");
    assert!(e.is_invalid_argument_exception(), "{e:?}");
    assert_eq!(e.code(), Some("InvalidArgumentException"));
    assert_eq!(e.meta().status(), 400);
    assert!(e
        .message()
        .unwrap()
        .starts_with("1 validation error detected"));

    let e = parse_service_error("err_client_limit_exceeded_body_only");
    assert!(e.is_client_limit_exceeded_exception(), "{e:?}");
    assert_eq!(e.code(), Some("ClientLimitExceededException"));
    assert_eq!(e.meta().status(), 400);
    assert!(e
        .message()
        .unwrap()
        .starts_with("Kinesis Video Streams has throttled"));

    let e = parse_service_error("err_resource_not_found_body_only");
    assert!(e.is_resource_not_found_exception(), "{e:?}");
    assert_eq!(e.code(), Some("ResourceNotFoundException"));
    assert_eq!(e.meta().status(), 404);
    assert_eq!(
        e.message(),
        Some("The requested stream is not found or not active.")
    );
    match &e {
        OpError::ResourceNotFoundException(inner) => assert_eq!(
            inner.message.as_deref(),
            Some("The requested stream is not found or not active.")
        ),
        other => panic!("{other:?}"),
    }

    let e = parse_service_error("err_access_denied_body_only");
    assert!(e.is_access_denied_exception(), "{e:?}");
    assert_eq!(e.code(), Some("AccessDeniedException"));
    assert_eq!(e.meta().status(), 401);
    assert!(e
        .message()
        .unwrap()
        .starts_with("User: arn:aws:iam::123456789012:user/demo"));
}

// ---------------------------------------------------------------------------------------------
// Responses: everything else

/// An error code the operation does not model is still an error with its code and message.
#[test]
fn unmodeled_error_code_is_unhandled_with_that_code() {
    let e = parse_service_error("err_throttling_unmodeled");
    assert!(matches!(e, OpError::Unhandled(_)), "{e:?}");
    assert_eq!(e.code(), Some("ThrottlingException"));
    assert_eq!(e.message(), Some("Rate exceeded"));
    assert_eq!(e.meta().status(), 400);
    assert_eq!(e.request_id(), Some("6f0f9d5e-2b1c-4c1e-9a3b-0c7d00000012"));
}

/// A proxy's HTML error page: no code, no message, but the status is kept.
#[test]
fn html_503_is_unhandled_without_a_code() {
    let e = parse_service_error("err_503_html");
    assert!(matches!(e, OpError::Unhandled(_)), "{e:?}");
    assert_eq!(e.code(), None);
    // The page's text is the only explanation there is; it becomes the message.
    let message = e.message().expect("the page's text");
    assert!(message.starts_with("<html>"), "{message}");
    assert!(!message.contains('\n'));
    assert_eq!(e.request_id(), None);
    assert_eq!(e.meta().status(), 503);
}

#[test]
fn malformed_json_is_a_response_error() {
    let e = parse_response_error("ok_malformed_json");
    assert_eq!(e.status(), 200);
    assert_eq!(e.request_id(), Some("6f0f9d5e-2b1c-4c1e-9a3b-0c7d00000008"));
    assert_eq!(e.source_error().path(), "");
    assert!(
        e.source_error().message().starts_with("invalid JSON: "),
        "{e}"
    );
}

#[test]
fn wrong_member_type_is_a_response_error_naming_the_path() {
    let e = parse_response_error("ok_wrong_type");
    assert_eq!(e.status(), 200);
    assert_eq!(
        e.source_error().path(),
        "ImageGenerationConfiguration.SamplingInterval"
    );
    assert_eq!(
        e.source_error().message(),
        "expected an integer, found a string"
    );
    assert_eq!(
        e.to_string(),
        "malformed response (HTTP 200, request id 6f0f9d5e-2b1c-4c1e-9a3b-0c7d00000009): \
         ImageGenerationConfiguration.SamplingInterval: expected an integer, found a string"
    );
}

/// Every fixture is a well-formed recording (Content-Length matches) and parsing it never
/// panics; non-2xx fixtures are errors and 2xx fixtures are not service errors.
#[test]
fn every_fixture_is_a_valid_recording() {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(fixtures_dir()).expect("fixtures directory") {
        let path = entry.expect("directory entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("http") {
            continue;
        }
        names.push(path.file_stem().unwrap().to_string_lossy().into_owned());
        let response = load(&path);
        let result = op::parse_response(&response);
        if (200..300).contains(&response.status) {
            assert!(
                !matches!(result, Err(SdkError::Service(_))),
                "{}: {result:?}",
                path.display()
            );
        } else {
            assert!(
                matches!(result, Err(SdkError::Service(_))),
                "{}: {result:?}",
                path.display()
            );
        }
    }
    names.sort();
    assert_eq!(names.len(), 20, "fixtures: {names:?}");
}

/// A modeled error whose body does not fit the model (`Message` is a number) still arrives as
/// that error, with its code and status: only the members that could not be read are lost.
#[test]
fn modeled_error_with_a_malformed_body_keeps_its_code() {
    let error = parse_service_error("err_resource_not_found_bad_body");
    assert!(error.is_resource_not_found_exception(), "{error:#?}");
    assert_eq!(error.code(), Some("ResourceNotFoundException"));
    assert_eq!(error.meta().status(), 404);
    let OpError::ResourceNotFoundException(inner) = &error else {
        unreachable!()
    };
    assert_eq!(inner.message, None);
}
