//! The HTTP bindings of restJson1 on the request and response side, through the crate generated
//! from `tests/golden/http-bindings/model.json` (a model written for this: the Kinesis Video
//! services bind almost everything to the body). Each case asserts the rules of the Smithy HTTP
//! binding traits that it exercises, and the whole request or output is snapshotted.

use golden_http_bindings::operation::{self as ops, Operation};
use golden_http_bindings::runtime::http::{Headers, HttpRequest, HttpResponse};
use serde_json::{json, Value};

fn request<O: Operation>(
    input_from_json: fn(
        &Value,
    )
        -> Result<O::Input, golden_http_bindings::runtime::json::DeserializeError>,
    document: Value,
) -> HttpRequest {
    let input = input_from_json(&document).expect("input_from_json");
    O::serialize_request(&input).expect("valid input")
}

fn render(request: &HttpRequest) -> String {
    let mut out = format!("{} {}\n", request.method, request.path_and_query());
    for (name, value) in request.headers.iter() {
        out.push_str(&format!("{name}: {value}\n"));
    }
    match std::str::from_utf8(&request.body) {
        Ok(text) if !text.chars().any(char::is_control) => out.push_str(&format!("\n{text}")),
        _ => out.push_str(&format!("\n(binary) {:02x?}", request.body)),
    }
    out
}

#[test]
fn labels_query_strings_and_headers() {
    let r = request::<ops::get_object::GetObject>(
        ops::get_object::input_from_json,
        json!({
            "BucketName": "my.bucket",
            "Key": "photos/2024 summer/ä+b&c?.jpg",
            "VersionId": "v 1&x=y",
            "Parts": [1, 2],
            "Modes": ["fast", "safe"],
            "Verbose": true,
            "Since": 1576540098,
            "SinceEpoch": 1576540098.5,
            "Extra": {"a": "1", "versionId": "shadowed", "z z": "ü"},
            "IfModifiedSince": 1576540098,
            "Range": "bytes=0-9",
            "Tags": ["a", "b,c", "d\"e"],
            "Dates": [1576540098, 1576626498],
            "Priority": 9,
            "Mode": "fast",
            "Ratio": 1.5,
            "Checksum": "aGVsbG8=",
            "Metadata": {"Color": "red", "Size": "L"}
        }),
    );
    assert_eq!(r.method, "GET");
    // A greedy label keeps its `/`; everything else is percent-encoded as RFC 3986 unreserved.
    assert_eq!(
        r.path,
        "/buckets/my.bucket/objects/photos/2024%20summer/%C3%A4%2Bb%26c%3F.jpg"
    );
    let query: Vec<&str> = r.query.split('&').collect();
    // Lists repeat the key; timestamps in a query are date-time unless the member says else.
    for part in [
        "versionId=v%201%26x%3Dy",
        "part=1",
        "part=2",
        "mode=fast",
        "mode=safe",
        "verbose=true",
        "since=2019-12-16T23%3A48%3A18Z",
        "sinceEpoch=1576540098.5",
        "a=1",
        "z%20z=%C3%BC",
    ] {
        assert!(query.contains(&part), "{part} in {query:?}");
    }
    // `@httpQuery` wins over the same key of `@httpQueryParams`.
    assert!(!query.iter().any(|p| p.contains("shadowed")), "{query:?}");
    let h = &r.headers;
    // Header timestamps are http-date; lists are comma-joined, values with `,` or `"` quoted.
    assert_eq!(
        h.get("If-Modified-Since"),
        Some("Mon, 16 Dec 2019 23:48:18 GMT")
    );
    assert_eq!(h.get("X-Tags"), Some(r#"a, "b,c", "d\"e""#));
    assert_eq!(
        h.get("X-Dates"),
        Some("Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 23:48:18 GMT")
    );
    assert_eq!(h.get("X-Priority"), Some("9"));
    assert_eq!(h.get("X-Mode"), Some("fast"));
    assert_eq!(h.get("X-Ratio"), Some("1.5"));
    // A blob in a header is base64.
    assert_eq!(h.get("X-Checksum"), Some("aGVsbG8="));
    assert_eq!(h.get("X-Meta-Color"), Some("red"));
    assert_eq!(h.get("X-Meta-Size"), Some("L"));
    assert!(r.body.is_empty(), "no body members, no body");
    assert!(!h.contains("content-type"), "no body, no content-type");
    insta::assert_snapshot!(render(&r));
}

#[test]
fn a_literal_query_in_the_uri_comes_first_and_query_params_maps_of_lists_repeat() {
    let r = request::<ops::list_objects::ListObjects>(
        ops::list_objects::input_from_json,
        json!({
            "BucketName": "bkt",
            "MaxKeys": 10,
            "Prefix": "a/b",
            "Filters": {"tag": ["x", "y"], "owner": ["me"]}
        }),
    );
    assert_eq!(r.path, "/buckets/bkt/objects");
    assert!(
        r.query.starts_with("list-type=2&fetch-owner"),
        "{}",
        r.query
    );
    for part in ["max-keys=10", "prefix=a%2Fb", "tag=x", "tag=y", "owner=me"] {
        assert!(
            r.query.split('&').any(|p| p == part),
            "{part} in {}",
            r.query
        );
    }
    insta::assert_snapshot!(render(&r));
}

#[test]
fn labels_of_every_scalar_type() {
    let r = request::<ops::get_status::GetStatus>(
        ops::get_status::input_from_json,
        json!({"Year": 2024, "Day": 1576540098, "Enabled": false, "Mode": "safe"}),
    );
    // Timestamps in labels are date-time, percent-encoded like any label.
    assert_eq!(r.path, "/status/2024/2019-12-16T23%3A48%3A18Z/false/safe");
    assert_eq!(r.query, "probe");
}

#[test]
fn payloads_blob_string_structure_and_streaming() {
    let blob = request::<ops::put_object::PutObject>(
        ops::put_object::input_from_json,
        json!({"BucketName": "bkt", "Key": "k", "Body": "AAEC/w=="}),
    );
    assert_eq!(blob.body, vec![0, 1, 2, 255]);
    // botocore sends a blob or string payload without a content-type of its own.
    assert_eq!(blob.headers.get("content-type"), None);
    let typed = request::<ops::put_object::PutObject>(
        ops::put_object::input_from_json,
        json!({"BucketName": "bkt", "Key": "k", "Body": "AAEC/w==", "ContentType": "image/png"}),
    );
    // A bound Content-Type header is the only one.
    assert_eq!(
        typed.headers.get_all("content-type").collect::<Vec<_>>(),
        ["image/png"]
    );
    let text = request::<ops::put_note::PutNote>(
        ops::put_note::input_from_json,
        json!({"BucketName": "bkt", "Key": "k", "Text": "héllo"}),
    );
    assert_eq!(text.path, "/buckets/bkt/notes/k/");
    assert_eq!(text.body, "héllo".as_bytes());
    assert_eq!(text.headers.get("content-type"), None);
    let structure = request::<ops::update_bucket_config::UpdateBucketConfig>(
        ops::update_bucket_config::input_from_json,
        json!({"BucketName": "bkt", "Config": {"Versioning": true, "Mode": "fast", "Tags": {"a": "b"}},
               "ExpectedOwner": "me"}),
    );
    assert_eq!(
        String::from_utf8(structure.body.clone()).unwrap(),
        r#"{"Versioning":true,"Mode":"fast","Tags":{"a":"b"}}"#
    );
    assert_eq!(
        structure.headers.get("content-type"),
        Some("application/json")
    );
    assert_eq!(structure.headers.get("X-Expected-Owner"), Some("me"));
    let streaming = request::<ops::upload_object::UploadObject>(
        ops::upload_object::input_from_json,
        json!({"BucketName": "bkt", "Key": "a/b", "Body": "AAEC"}),
    );
    assert_eq!(streaming.path, "/buckets/bkt/upload/a/b");
    assert_eq!(streaming.body, vec![0, 1, 2]);
    insta::assert_snapshot!([blob, typed, text, structure, streaming]
        .iter()
        .map(render)
        .collect::<Vec<_>>()
        .join("\n----\n"));
}

fn response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> HttpResponse {
    let headers: Headers = headers
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    HttpResponse::new(status, headers, body.to_vec())
}

#[test]
fn response_headers_status_and_prefix_headers() {
    let out = ops::get_object::GetObject::parse_response(&response(
        206,
        &[
            ("Content-Type", "image/png"),
            ("Content-Length", "4"),
            ("Last-Modified", "Mon, 16 Dec 2019 23:48:18 GMT"),
            ("X-Expires", "2019-12-16T23:48:18Z"),
            (
                "X-Dates",
                "Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 23:48:18 GMT",
            ),
            ("X-Sizes", "1, 2,3"),
            ("X-Tags", r#"a, "b,c""#),
            ("X-Deleted", "true"),
            ("X-Mode", "brand-new"),
            ("X-Priority", "9"),
            ("X-Meta-Color", "red"),
        ],
        &[0, 1, 2, 255],
    ))
    .expect("parses");
    assert_eq!(out.status, Some(206));
    assert_eq!(out.body.as_deref(), Some(&[0u8, 1, 2, 255][..]));
    assert_eq!(out.sizes, Some(vec![1, 2, 3]));
    assert_eq!(out.tags, Some(vec!["a".to_string(), "b,c".to_string()]));
    assert_eq!(out.dates.as_ref().map(Vec::len), Some(2));
    assert_eq!(out.mode.as_ref().map(|m| m.as_str()), Some("brand-new"));
    assert_eq!(
        out.metadata
            .as_ref()
            .and_then(|m| m.get("color"))
            .map(String::as_str),
        Some("red")
    );
    insta::assert_debug_snapshot!(out);
}

#[test]
fn a_streaming_payload_parses_with_its_headers() {
    let out = ops::download_object::DownloadObject::parse_response(&response(
        200,
        &[("Content-Type", "video/mp4"), ("Content-Length", "3")],
        b"abc",
    ))
    .expect("parses");
    assert_eq!(out.content_type.as_deref(), Some("video/mp4"));
    assert_eq!(out.content_length, Some(3));
    assert_eq!(out.body.as_buffered(), Some(&b"abc"[..]));
    let json = ops::download_object::output_to_json(&out);
    assert_eq!(
        String::from_utf8(json).unwrap(),
        r#"{"Body":"YWJj","ContentType":"video/mp4","ContentLength":3}"#
    );
    let err = ops::download_object::DownloadObject::parse_response(&response(
        404,
        &[("X-Amzn-ErrorType", "NoSuchKey")],
        br#"{"Message":"gone","Key":"k"}"#,
    ))
    .unwrap_err();
    assert!(format!("{err:?}").contains("NoSuchKey"), "{err:?}");
}

#[test]
fn defaults_fill_unset_members_without_hiding_them() {
    let out = ops::list_objects::ListObjects::parse_response(&response(
        200,
        &[],
        br#"{"Contents":[{"Key":"a"},{"Key":"b","Size":7,"Archived":true,"Owner":"me","Mode":"fast","Weight":2.0}]}"#,
    ))
    .expect("parses");
    let items = out.contents.expect("contents");
    let (a, b) = (&items[0], &items[1]);
    assert_eq!(a.size, None, "absent on the wire stays absent");
    assert_eq!(
        (
            a.size(),
            a.archived(),
            a.owner(),
            a.mode().as_str(),
            a.weight()
        ),
        (0, false, "nobody", "safe", 1.5)
    );
    assert_eq!(
        (
            b.size(),
            b.archived(),
            b.owner(),
            b.mode().as_str(),
            b.weight()
        ),
        (7, true, "me", "fast", 2.0)
    );
}

#[test]
fn an_empty_label_is_refused_before_a_path_is_built() {
    let input = ops::get_status::input_from_json(
        &json!({"Year": 2024, "Day": 1576540098, "Enabled": true, "Mode": ""}),
    )
    .unwrap();
    let err = ops::get_status::GetStatus::serialize_request(&input).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Mode: must not be empty, it is a segment of the request path (@httpLabel)"
    );
}

/// `PutNote` has `@requestCompression(encodings: ["br", "gzip"])` and `@httpChecksumRequired`:
/// the client compresses a body of at least the threshold with gzip (the first encoding it
/// knows), then sums the body as sent, before signing. The crate follows botocore: a CRC32 in
/// `x-amz-checksum-crc32`, and `,` before an encoding added to `Content-Encoding`.
#[test]
fn request_compression_then_checksum_before_signing() {
    use golden_http_bindings::client::{Config, Credentials, SERVICE};
    use golden_http_bindings::runtime::profile::Env;
    use std::io::Read as _;

    let prepare = |builder: golden_http_bindings::client::ConfigBuilder, text: &str| {
        let config = builder
            .env(Env::from_vars(Vec::<(String, String)>::new()))
            .region("us-east-1")
            .credentials(Credentials::new("AKID", "SECRET", None))
            .endpoint_url("https://storage.example.com")
            .build(&SERVICE)
            .expect("config");
        let input =
            ops::put_note::input_from_json(&json!({"BucketName": "bkt", "Key": "k", "Text": text}))
                .unwrap();
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(config.prepare::<ops::put_note::PutNote>(&input, "id", 1))
            .expect("prepared")
    };

    // Small: sent as it is, summed as it is ("héllo": CRC32 0x9e3b8236, by Python's zlib).
    let small = prepare(Config::builder(), "héllo");
    assert_eq!(small.body, "héllo".as_bytes());
    assert_eq!(small.headers.get("content-encoding"), None);
    assert_eq!(small.headers.get("x-amz-checksum-crc32"), Some("njuCNg=="));

    // At the threshold: gzipped, and the checksum is of the gzipped bytes, which are signed.
    let text = "note ".repeat(2048);
    let big = prepare(Config::builder(), &text);
    assert_eq!(big.headers.get("content-encoding"), Some("gzip"));
    let mut plain = String::new();
    flate2::read::GzDecoder::new(&big.body[..])
        .read_to_string(&mut plain)
        .expect("a gzip body");
    assert_eq!(plain, text);
    assert!(big.body.len() < text.len() / 10);
    assert_eq!(
        big.headers.get("x-amz-checksum-crc32"),
        Some(golden_http_bindings::runtime::rest::checksum_crc32(&big.body).as_str())
    );
    let signed = big.headers.get("authorization").unwrap();
    assert!(signed.contains("x-amz-checksum-crc32"), "{signed}");

    // Turned off, or a threshold above the body: sent as it is.
    let off = prepare(Config::builder().disable_request_compression(true), &text);
    assert_eq!(off.body, text.as_bytes());
    assert_eq!(off.headers.get("content-encoding"), None);
    let higher = prepare(
        Config::builder().request_min_compression_size_bytes(10_241),
        &text,
    );
    assert_eq!(higher.body, text.as_bytes());
    let lower = prepare(
        Config::builder().request_min_compression_size_bytes(0),
        "hi",
    );
    assert_eq!(lower.headers.get("content-encoding"), Some("gzip"));

    // A threshold out of the specification's range, or not a number, is refused.
    for (value, says) in [
        ("10485761", "at most 10485760"),
        ("lots", "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES is \"lots\""),
    ] {
        let err = Config::builder()
            .env(Env::from_vars(vec![(
                "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES",
                value,
            )]))
            .region("us-east-1")
            .build(&SERVICE)
            .unwrap_err();
        assert!(err.to_string().contains(says), "{err}");
    }
}
