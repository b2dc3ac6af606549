//! The one-pass response readers on the kitchen-sink golden model: every kind of member (unions,
//! sparse and dense lists and maps, enums, timestamps in each format, blobs, big numbers,
//! documents, recursion), read with the AWS SDKs' tolerance, and failures naming their path.

use golden_kitchen_sink::operation::put_everything::parse_response;
use golden_kitchen_sink::runtime::error::SdkError;
use golden_kitchen_sink::runtime::http::{Headers, HttpResponse};
use golden_kitchen_sink::types::{Choice, Color};

fn response(body: &str) -> HttpResponse {
    let headers: Headers = [("content-type", "application/json")].into_iter().collect();
    HttpResponse::new(200, headers, body.as_bytes().to_vec())
}

/// The path and message of a body that does not fit the model.
fn failure(body: &str) -> (String, String) {
    match parse_response(&response(body)) {
        Err(SdkError::Response(e)) => (
            e.source_error().path(),
            e.source_error().message().to_owned(),
        ),
        other => panic!("{body}: expected a response error, got {other:?}"),
    }
}

#[test]
fn every_kind_of_member_is_read() {
    let body = r#"{
        "Unknown": {"deep": [1, {"x": null}], "more": "skipped"},
        "Everything": {
            "Blob": "aGk=", "Flag": true, "Text": "t\u00e9xt\n", "Tiny": -128, "Small": 32767,
            "Count": -5, "Big": 9223372036854775807, "Ratio": 1.5, "Precise": "-Infinity",
            "Huge": 123456789012345678, "Exact": 1.25,
            "When": 1551490071.498, "WhenIso": "2019-03-02T01:27:51.498Z",
            "WhenHttp": "Sat, 02 Mar 2019 01:27:51 GMT", "WhenEpoch": 1551490071,
            "Doc": {"any": [1, "two", null, {"three": true}]},
            "Color": "ULTRAVIOLET", "Level": 7,
            "Strings": ["a", null, "b"], "SparseStrings": ["a", null, "b"],
            "Nested": [["x"], [], null, ["y", "z"]],
            "Times": ["2019-03-02T01:27:51Z", "1970-01-01T00:00:01.5Z"],
            "Labels": {"k": "v", "gone": null}, "SparseLabels": {"k": "v", "kept": null},
            "ByColor": {"RED": ["r"], "INFRARED": []},
            "Text2": "unknown key", "Password": null
        },
        "Choice": {"Nested": {"Item": {"Name": "n", "Value": [1, {"a": null}]}}},
        "Node": {"Value": "1", "Next": {"Value": "2", "Children": [{"Value": "3"}]},
                 "ChildrenByName": {"c": {"Value": "4"}, "n": null}}
    }"#;
    let out = parse_response(&response(body)).expect("the body fits the model");
    let e = out.everything.expect("Everything");
    assert_eq!(e.blob.as_deref(), Some(&b"hi"[..]));
    assert_eq!(e.flag, Some(true));
    assert_eq!(e.text.as_deref(), Some("t\u{e9}xt\n"));
    assert_eq!(
        (e.tiny, e.small, e.count),
        (Some(-128), Some(32767), Some(-5))
    );
    assert_eq!(e.big, Some(i64::MAX));
    assert_eq!(e.ratio, Some(1.5));
    assert_eq!(e.precise, Some(f64::NEG_INFINITY));
    assert_eq!(e.huge.as_deref(), Some("123456789012345678"));
    assert_eq!(e.exact.as_deref(), Some("1.25"));
    let when = e.when.expect("When");
    assert_eq!(e.when_iso, Some(when));
    assert_eq!(when.secs(), 1_551_490_071);
    assert_eq!(e.when_http.map(|t| t.secs()), Some(1_551_490_071));
    assert_eq!(e.when_epoch.map(|t| t.secs()), Some(1_551_490_071));
    assert_eq!(
        e.doc,
        Some(serde_json::json!({"any": [1, "two", null, {"three": true}]}))
    );
    // Unknown enum values are kept.
    assert_eq!(e.color.as_ref().map(|c| c.as_str()), Some("ULTRAVIOLET"));
    assert_eq!(e.level.map(|l| l.as_i32()), Some(7));
    // Dense lists and maps drop nulls; sparse ones keep them.
    assert_eq!(e.strings, Some(vec!["a".to_owned(), "b".to_owned()]));
    assert_eq!(
        e.sparse_strings,
        Some(vec![Some("a".to_owned()), None, Some("b".to_owned())])
    );
    assert_eq!(
        e.nested,
        Some(vec![
            vec!["x".to_owned()],
            vec![],
            vec!["y".to_owned(), "z".to_owned()]
        ])
    );
    assert_eq!(e.times.as_ref().map(Vec::len), Some(2));
    let labels = e.labels.expect("Labels");
    assert_eq!(labels.len(), 1);
    assert_eq!(labels["k"], "v");
    let sparse = e.sparse_labels.expect("SparseLabels");
    assert_eq!(sparse.get("kept"), Some(&None));
    let by_color = e.by_color.expect("ByColor");
    assert_eq!(by_color[&Color::from("RED")], vec!["r".to_owned()]);
    assert!(by_color.contains_key(&Color::from("INFRARED")));
    assert_eq!(e.password, None);
    match out.choice.expect("Choice") {
        Choice::Nested(inner) => match *inner {
            Choice::Item(item) => {
                assert_eq!(item.name.as_deref(), Some("n"));
                assert_eq!(item.value, Some(serde_json::json!([1, {"a": null}])));
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    let node = out.node.expect("Node");
    let next = node.next.expect("Next");
    assert_eq!(next.value.as_deref(), Some("2"));
    assert_eq!(
        next.children.expect("Children")[0].value.as_deref(),
        Some("3")
    );
    assert_eq!(node.children_by_name.expect("ChildrenByName").len(), 1);
}

#[test]
fn unions_take_exactly_one_member() {
    let out = parse_response(&response(r#"{"Choice": {"Text": null, "Brand new": 1}}"#)).unwrap();
    assert_eq!(out.choice, Some(Choice::Unknown("Brand new".to_owned())));
    let out = parse_response(&response(r#"{"Choice": {"Nothing": {}}}"#)).unwrap();
    assert_eq!(out.choice, Some(Choice::Nothing));
    // A unit member is set by any value but null, as before the one-pass readers.
    let out = parse_response(&response(r#"{"Choice": {"Nothing": 1}}"#)).unwrap();
    assert_eq!(out.choice, Some(Choice::Nothing));
    let out = parse_response(&response(r#"{"Choice": {"Nothing": null, "Text": "a"}}"#)).unwrap();
    assert_eq!(out.choice, Some(Choice::Text("a".to_owned())));
    let out = parse_response(&response(r#"{"Choice": {"json_named": "j"}}"#)).unwrap();
    assert_eq!(out.choice, Some(Choice::JsonNamed("j".to_owned())));
    for body in [
        r#"{"Choice": {"Text": "a", "Number": 1}}"#,
        r#"{"Choice": {}}"#,
        r#"{"Choice": {"Text": null}}"#,
    ] {
        assert_eq!(
            failure(body),
            (
                "Choice".to_owned(),
                "a union must have exactly one member set".to_owned()
            ),
            "{body}"
        );
    }
}

#[test]
fn failures_name_the_path_to_the_bad_value() {
    let cases = [
        (
            r#"{"Everything": {"Nested": [["a"], ["b", 3]]}}"#,
            "Everything.Nested[1][1]",
            "expected a string, found a number",
        ),
        (
            r#"{"Node": {"Next": {"Next": {"Children": [{}, {"Value": false}]}}}}"#,
            "Node.Next.Next.Children[1].Value",
            "expected a string, found a boolean",
        ),
        (
            r#"{"Everything": {"Labels": {"a": "1", "b": []}}}"#,
            "Everything.Labels[\"b\"]",
            "expected a string, found an array",
        ),
        (
            r#"{"Everything": {"Tiny": 128}}"#,
            "Everything.Tiny",
            "128 is out of range for i8",
        ),
        (
            r#"{"Everything": {"Count": 1.5}}"#,
            "Everything.Count",
            "expected an integer, found 1.5",
        ),
        (
            r#"{"Everything": {"Blob": "not base64!"}}"#,
            "Everything.Blob",
            "invalid base64: Invalid symbol 32, offset 3.",
        ),
        (
            r#"{"Everything": {"When": "yesterday"}}"#,
            "Everything.When",
            "expected epoch seconds (a number), found a string",
        ),
        (
            r#"{"Choice": {"List": ["a", {}]}}"#,
            "Choice.List[1]",
            "expected a string, found an object",
        ),
        (
            r#"{"Everything": []}"#,
            "Everything",
            "expected an object, found an array",
        ),
        (r#"[]"#, "", "expected an object, found an array"),
    ];
    for (body, path, message) in cases {
        assert_eq!(
            failure(body),
            (path.to_owned(), message.to_owned()),
            "{body}"
        );
    }
    let (path, message) = failure(r#"{"Everything": {"Text": "a"}"#);
    assert_eq!(path, "");
    assert!(message.starts_with("invalid JSON: "), "{message}");
}
