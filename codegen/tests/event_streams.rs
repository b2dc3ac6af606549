//! Event stream models the generator cannot turn into correct code are refused with an error
//! naming the shape or member and the trait at fault (each case breaks one thing of a small
//! valid model with an output event stream), and the model diff classifies changes to a
//! stream's errors.

use serde_json::{json, Value};
use smithy_lite_codegen::diff::{diff, Severity};
use smithy_lite_codegen::{generate, lower, model, CrateOptions};

fn options() -> CrateOptions {
    CrateOptions {
        version: "0.1.0".into(),
        model_source: "event-streams.json".into(),
        partitions_json: String::new(),
        endpoint_test_overrides: Vec::new(),
        data_endpoint: None,
        runtime_path: "../../runtime".into(),
        wire: Default::default(),
    }
}

/// One operation whose output payload is an event stream of one event and one error.
fn base() -> Value {
    json!({
        "smithy": "2.0",
        "shapes": {
            "example.es#Svc": {
                "type": "service",
                "version": "2020-01-01",
                "operations": [{ "target": "example.es#Watch" }],
                "traits": {
                    "aws.api#service": { "sdkId": "Refusals" },
                    "aws.auth#sigv4": { "name": "refusals" },
                    "aws.protocols#restJson1": {}
                }
            },
            "example.es#Watch": {
                "type": "operation",
                "input": { "target": "example.es#WatchInput" },
                "output": { "target": "example.es#WatchOutput" },
                "traits": { "smithy.api#http": { "method": "POST", "uri": "/watch" } }
            },
            "example.es#WatchInput": {
                "type": "structure",
                "members": { "Note": { "target": "example.es#Note" } },
                "traits": { "smithy.api#input": {} }
            },
            "example.es#Note": {
                "type": "structure",
                "members": { "Text": { "target": "smithy.api#String" } }
            },
            "example.es#WatchOutput": {
                "type": "structure",
                "members": {
                    "Events": {
                        "target": "example.es#Events",
                        "traits": { "smithy.api#httpPayload": {} }
                    }
                },
                "traits": { "smithy.api#output": {} }
            },
            "example.es#Events": {
                "type": "union",
                "members": {
                    "tick": { "target": "example.es#Tick" },
                    "failure": { "target": "example.es#Failure" }
                },
                "traits": { "smithy.api#streaming": {} }
            },
            "example.es#Tick": {
                "type": "structure",
                "members": {
                    "Seq": {
                        "target": "smithy.api#Long",
                        "traits": { "smithy.api#eventHeader": {} }
                    },
                    "Body": {
                        "target": "smithy.api#Blob",
                        "traits": { "smithy.api#eventPayload": {} }
                    }
                }
            },
            "example.es#Failure": {
                "type": "structure",
                "members": { "message": { "target": "smithy.api#String" } },
                "traits": { "smithy.api#error": "server" }
            }
        }
    })
}

fn shape<'a>(m: &'a mut Value, id: &str) -> &'a mut Value {
    m["shapes"]
        .get_mut(id)
        .unwrap_or_else(|| panic!("no shape {id}"))
}

/// The error text for the base model changed by `edit`; panics if it generates.
fn refusal(edit: impl FnOnce(&mut Value)) -> String {
    let mut m = base();
    edit(&mut m);
    match generate(&m.to_string(), None, &options()) {
        Ok(_) => panic!("the model generated"),
        Err(e) => e.to_string(),
    }
}

fn assert_names(err: &str, parts: &[&str]) {
    for p in parts {
        assert!(err.contains(p), "{p:?} missing from: {err}");
    }
}

#[test]
fn the_base_model_generates() {
    generate(&base().to_string(), None, &options()).expect("valid");
}

#[test]
fn a_stream_that_is_not_the_payload() {
    let err = refusal(|m| {
        shape(m, "example.es#WatchOutput")["members"]["Events"]["traits"] = json!({});
    });
    assert_names(
        &err,
        &[
            "example.es#WatchOutput$Events",
            "smithy.api#streaming",
            "smithy.api#httpPayload",
        ],
    );
}

#[test]
fn a_body_member_beside_the_stream() {
    let err = refusal(|m| {
        shape(m, "example.es#WatchOutput")["members"]["Count"] =
            json!({ "target": "smithy.api#Integer" });
    });
    assert_names(
        &err,
        &[
            "example.es#WatchOutput$Count",
            "smithy.api#streaming",
            "Events",
        ],
    );
}

#[test]
fn a_stream_inside_another_structure() {
    let err = refusal(|m| {
        shape(m, "example.es#Note")["members"]["Stream"] = json!({ "target": "example.es#Events" });
    });
    assert_names(&err, &["example.es#Note$Stream", "smithy.api#streaming"]);
}

#[test]
fn an_event_stream_member_that_is_not_a_structure() {
    let err = refusal(|m| {
        shape(m, "example.es#Events")["members"]["text"] = json!({ "target": "smithy.api#String" });
    });
    assert_names(
        &err,
        &[
            "example.es#Events$text",
            "smithy.api#streaming",
            "not a structure",
        ],
    );
}

#[test]
fn a_header_of_a_type_headers_cannot_hold() {
    let err = refusal(|m| {
        shape(m, "example.es#Tick")["members"]["Seq"]["target"] = json!("smithy.api#Double");
    });
    assert_names(&err, &["example.es#Tick$Seq", "smithy.api#eventHeader"]);
}

#[test]
fn a_payload_beside_a_member_that_is_no_header() {
    let err = refusal(|m| {
        shape(m, "example.es#Tick")["members"]["Extra"] = json!({ "target": "smithy.api#String" });
    });
    assert_names(
        &err,
        &["example.es#Tick$Extra", "smithy.api#eventPayload", "Body"],
    );
}

#[test]
fn event_bindings_outside_events() {
    let err = refusal(|m| {
        shape(m, "example.es#Note")["members"]["Text"]["traits"] =
            json!({ "smithy.api#eventHeader": {} });
    });
    assert_names(&err, &["example.es#Note$Text", "smithy.api#eventHeader"]);
    // An error of a stream is read from its JSON payload: its members cannot be headers.
    let err = refusal(|m| {
        shape(m, "example.es#Failure")["members"]["message"]["traits"] =
            json!({ "smithy.api#eventHeader": {} });
    });
    assert_names(
        &err,
        &["example.es#Failure$message", "smithy.api#eventHeader"],
    );
}

#[test]
fn an_event_also_used_as_plain_data() {
    let err = refusal(|m| {
        shape(m, "example.es#Note")["members"]["Last"] = json!({ "target": "example.es#Tick" });
    });
    assert_names(
        &err,
        &[
            "example.es#Tick",
            "example.es#Note",
            "smithy.api#eventPayload",
        ],
    );
}

#[test]
fn a_payload_of_a_type_payloads_cannot_hold() {
    let err = refusal(|m| {
        shape(m, "example.es#Tick")["members"]["Body"]["target"] = json!("smithy.api#Integer");
    });
    assert_names(&err, &["example.es#Tick$Body", "smithy.api#eventPayload"]);
}

#[test]
fn the_diff_classifies_added_and_removed_stream_errors() {
    let lowered = |m: &Value| {
        let m = model::Model::from_json(&m.to_string()).unwrap();
        lower::lower(&m, None).unwrap()
    };
    let old = base();
    let mut new = base();
    let events = shape(&mut new, "example.es#Events");
    events["members"]["throttled"] = json!({ "target": "example.es#Throttled" });
    events["members"].as_object_mut().unwrap().remove("failure");
    new["shapes"]["example.es#Throttled"] = json!({
        "type": "structure",
        "members": {},
        "traits": { "smithy.api#error": "client" }
    });
    let report = diff(&lowered(&old), &lowered(&new));
    let find = |id: &str| {
        report
            .changes
            .iter()
            .find(|c| c.id == id)
            .unwrap_or_else(|| panic!("no {id} in {:#?}", report.changes))
    };
    let added = find("AddedEventStreamError");
    assert_eq!(added.severity, Severity::Dangerous);
    assert_eq!(added.subject, "example.es#Events$throttled");
    assert!(added.rust.contains("Throttled"), "{}", added.rust);
    let removed = find("RemovedEventStreamError");
    assert_eq!(removed.severity, Severity::Breaking);
    assert_eq!(removed.subject, "example.es#Events$failure");
}
