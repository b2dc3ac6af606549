//! The model diff (`smithy_lite_codegen::diff`): one pair of small models per kind of change,
//! each with a snapshot of the text report, plus the real Kinesis Video model against itself
//! and against an edited copy.
//!
//! Every pair starts from `base()`, a small restJson1 service written here, and edits its
//! JSON AST; the edit is the change under test.

use serde_json::{json, Map, Value};
use smithy_lite_codegen::diff::{diff, Report, Severity};
use smithy_lite_codegen::{ir, lower, model};

const NS: &str = "example";

fn base() -> Value {
    json!({
        "smithy": "2.0",
        "shapes": {
            "example#Things": {
                "type": "service",
                "version": "2024-01-01",
                "operations": [
                    {"target": "example#GetThing"},
                    {"target": "example#ListThings"}
                ],
                "errors": [{"target": "example#ServiceFault"}],
                "traits": {
                    "aws.protocols#restJson1": {},
                    "aws.api#service": {"sdkId": "Things"},
                    "aws.auth#sigv4": {"name": "things"},
                    "smithy.api#title": "Example Things",
                    "smithy.api#documentation": "<p>Keeps things.</p>",
                    "smithy.rules#endpointRuleSet": {
                        "version": "1.0",
                        "parameters": {
                            "Region": {"type": "String", "builtIn": "AWS::Region", "required": true}
                        },
                        "rules": [{
                            "conditions": [],
                            "endpoint": {"url": "https://things.{Region}.amazonaws.com"},
                            "type": "endpoint"
                        }]
                    }
                }
            },
            "example#GetThing": {
                "type": "operation",
                "input": {"target": "example#GetThingInput"},
                "output": {"target": "example#GetThingOutput"},
                "errors": [{"target": "example#NotFound"}],
                "traits": {
                    "smithy.api#http": {"method": "POST", "uri": "/things/{ThingName}", "code": 200},
                    "smithy.api#documentation": "<p>Gets a thing.</p>"
                }
            },
            "example#GetThingInput": {
                "type": "structure",
                "members": {
                    "ThingName": {
                        "target": "example#ThingName",
                        "traits": {"smithy.api#required": {}, "smithy.api#httpLabel": {}}
                    },
                    "Mode": {"target": "example#Mode", "traits": {"smithy.api#httpQuery": "mode"}},
                    "Limit": {"target": "example#Limit"},
                    "Since": {"target": "smithy.api#Timestamp"},
                    "Note": {"target": "smithy.api#String"},
                    "Requester": {
                        "target": "smithy.api#String",
                        "traits": {"smithy.api#required": {}}
                    },
                    "Token": {
                        "target": "smithy.api#String",
                        "traits": {"smithy.api#idempotencyToken": {}}
                    }
                },
                "traits": {"smithy.api#input": {}}
            },
            "example#GetThingOutput": {
                "type": "structure",
                "members": {
                    "Thing": {"target": "example#Thing", "traits": {"smithy.api#required": {}}},
                    "Status": {"target": "example#Status"}
                },
                "traits": {"smithy.api#output": {}}
            },
            "example#Thing": {
                "type": "structure",
                "members": {
                    "Name": {"target": "example#ThingName"},
                    "CreatedAt": {"target": "smithy.api#Timestamp"},
                    "Secret": {"target": "example#Secret"},
                    "Shape": {"target": "example#ThingShape"},
                    "Count": {"target": "smithy.api#Integer", "traits": {"smithy.api#default": 0}},
                    "Labels": {"target": "example#LabelList"}
                },
                "traits": {"smithy.api#documentation": "<p>A thing.</p>"}
            },
            "example#ThingShape": {
                "type": "union",
                "members": {
                    "Circle": {"target": "smithy.api#Integer"},
                    "Square": {"target": "smithy.api#Integer"}
                }
            },
            "example#LabelList": {
                "type": "list",
                "member": {"target": "example#Label"}
            },
            "example#Label": {
                "type": "string",
                "traits": {"smithy.api#length": {"min": 1, "max": 32}}
            },
            "example#ThingName": {
                "type": "string",
                "traits": {
                    "smithy.api#length": {"min": 1, "max": 64},
                    "smithy.api#pattern": "^[a-z]+$"
                }
            },
            "example#OtherName": {
                "type": "string",
                "traits": {
                    "smithy.api#length": {"min": 1, "max": 64},
                    "smithy.api#pattern": "^[a-z]+$"
                }
            },
            "example#Limit": {
                "type": "integer",
                "traits": {"smithy.api#range": {"min": 1, "max": 100}}
            },
            "example#Mode": {
                "type": "enum",
                "members": {
                    "FAST": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "fast"}},
                    "SLOW": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "slow"}}
                }
            },
            "example#Status": {
                "type": "enum",
                "members": {
                    "ACTIVE": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "ACTIVE"}},
                    "DELETING": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "DELETING"}}
                }
            },
            "example#Secret": {
                "type": "string",
                "traits": {"smithy.api#sensitive": {}}
            },
            "example#NotFound": {
                "type": "structure",
                "members": {"Message": {"target": "smithy.api#String"}},
                "traits": {"smithy.api#error": "client", "smithy.api#httpError": 404}
            },
            "example#Conflict": {
                "type": "structure",
                "members": {"Message": {"target": "smithy.api#String"}},
                "traits": {"smithy.api#error": "client", "smithy.api#httpError": 409}
            },
            "example#ServiceFault": {
                "type": "structure",
                "members": {"Message": {"target": "smithy.api#String"}},
                "traits": {"smithy.api#error": "server"}
            },
            "example#ListThings": {
                "type": "operation",
                "input": {"target": "example#ListThingsInput"},
                "output": {"target": "example#ListThingsOutput"},
                "traits": {
                    "smithy.api#http": {"method": "GET", "uri": "/things"},
                    "smithy.api#readonly": {},
                    "smithy.api#paginated": {
                        "inputToken": "NextToken",
                        "outputToken": "NextToken",
                        "items": "Things",
                        "pageSize": "MaxResults"
                    }
                }
            },
            "example#ListThingsInput": {
                "type": "structure",
                "members": {
                    "NextToken": {"target": "smithy.api#String", "traits": {"smithy.api#httpQuery": "next"}},
                    "MaxResults": {"target": "smithy.api#Integer", "traits": {"smithy.api#httpQuery": "max"}}
                },
                "traits": {"smithy.api#input": {}}
            },
            "example#ListThingsOutput": {
                "type": "structure",
                "members": {
                    "NextToken": {"target": "smithy.api#String"},
                    "Things": {"target": "example#ThingList"},
                    "Stale": {"target": "example#ThingList"}
                },
                "traits": {"smithy.api#output": {}}
            },
            "example#ThingList": {
                "type": "list",
                "member": {"target": "example#Thing"}
            }
        }
    })
}

fn lower_json(v: &Value, service: &str) -> ir::Service {
    let text = serde_json::to_string(v).expect("JSON");
    let m = model::Model::from_json(&text).unwrap_or_else(|e| panic!("model: {e}"));
    lower::lower(&m, Some(service)).unwrap_or_else(|e| panic!("lower: {e}"))
}

/// The report of `base()` against `base()` edited by `edit`.
fn report(edit: impl FnOnce(&mut Value)) -> Report {
    let old = base();
    let mut new = old.clone();
    edit(&mut new);
    let service = format!("{NS}#Things");
    diff(&lower_json(&old, &service), &lower_json(&new, &service))
}

fn shape<'a>(m: &'a mut Value, name: &str) -> &'a mut Value {
    m["shapes"]
        .get_mut(format!("{NS}#{name}"))
        .unwrap_or_else(|| panic!("no shape {name}"))
}

fn members<'a>(m: &'a mut Value, name: &str) -> &'a mut Map<String, Value> {
    shape(m, name)["members"].as_object_mut().expect("members")
}

fn traits(v: &mut Value) -> &mut Map<String, Value> {
    if v.get("traits").is_none() {
        v["traits"] = json!({});
    }
    v["traits"].as_object_mut().expect("traits")
}

fn member<'a>(m: &'a mut Value, shape_name: &str, member: &str) -> &'a mut Value {
    members(m, shape_name)
        .get_mut(member)
        .unwrap_or_else(|| panic!("no member {shape_name}${member}"))
}

/// (id, severity) of every change, for assertions.
fn classes(r: &Report) -> Vec<(&'static str, Severity)> {
    r.changes.iter().map(|c| (c.id, c.severity)).collect()
}

fn only(r: &Report, id: &str) -> Severity {
    let found: Vec<Severity> = r
        .changes
        .iter()
        .filter(|c| c.id == id)
        .map(|c| c.severity)
        .collect();
    assert_eq!(found.len(), 1, "{id} in {:?}", classes(r));
    found[0]
}

#[test]
fn the_same_model_has_no_changes() {
    let r = report(|_| {});
    assert!(r.is_empty(), "{:?}", classes(&r));
    insta::assert_snapshot!("no_changes", r.to_text());
}

#[test]
fn added_operation() {
    let r = report(|m| {
        m["shapes"]["example#Things"]["operations"]
            .as_array_mut()
            .unwrap()
            .push(json!({"target": "example#DeleteThing"}));
        m["shapes"]["example#DeleteThing"] = json!({
            "type": "operation",
            "input": {"target": "example#DeleteThingInput"},
            "output": {"target": "smithy.api#Unit"},
            "traits": {"smithy.api#http": {"method": "DELETE", "uri": "/things/{ThingName}"}}
        });
        m["shapes"]["example#DeleteThingInput"] = json!({
            "type": "structure",
            "members": {"ThingName": {"target": "example#ThingName", "traits": {"smithy.api#required": {}, "smithy.api#httpLabel": {}}}}
        });
    });
    assert_eq!(classes(&r), vec![("AddedOperation", Severity::Compatible)]);
    insta::assert_snapshot!("added_operation", r.to_text());
}

#[test]
fn removed_operation() {
    let r = report(|m| {
        m["shapes"]["example#Things"]["operations"]
            .as_array_mut()
            .unwrap()
            .retain(|o| o["target"] != "example#ListThings");
    });
    assert_eq!(classes(&r), vec![("RemovedOperation", Severity::Breaking)]);
    insta::assert_snapshot!("removed_operation", r.to_text());
}

#[test]
fn added_and_removed_shapes() {
    let r = report(|m| {
        // The union is no longer used: it goes. A new structure comes with a new member.
        members(m, "Thing").remove("Shape");
        members(m, "Thing").insert("Owner".into(), json!({"target": "example#Owner"}));
        m["shapes"]["example#Owner"] = json!({
            "type": "structure",
            "members": {"Id": {"target": "smithy.api#String"}}
        });
    });
    assert_eq!(only(&r, "AddedShape"), Severity::Compatible);
    assert_eq!(only(&r, "RemovedShape"), Severity::Breaking);
    assert_eq!(only(&r, "RemovedMember"), Severity::Breaking);
    assert_eq!(only(&r, "AddedMember"), Severity::Compatible);
    insta::assert_snapshot!("added_and_removed_shapes", r.to_text());
}

#[test]
fn added_members() {
    let r = report(|m| {
        members(m, "GetThingInput").insert(
            "Region".into(),
            json!({"target": "smithy.api#String", "traits": {"smithy.api#required": {}}}),
        );
        members(m, "GetThingInput")
            .insert("Comment".into(), json!({"target": "smithy.api#String"}));
        members(m, "GetThingOutput").insert(
            "Etag".into(),
            json!({"target": "smithy.api#String", "traits": {"smithy.api#required": {}}}),
        );
    });
    let by_subject = |s: &str| {
        r.changes
            .iter()
            .find(|c| c.subject.ends_with(s))
            .map(|c| (c.id, c.severity))
    };
    assert_eq!(
        by_subject("$Region"),
        Some(("AddedRequiredMember", Severity::Breaking))
    );
    assert_eq!(
        by_subject("$Comment"),
        Some(("AddedMember", Severity::Compatible))
    );
    assert_eq!(
        by_subject("$Etag"),
        Some(("AddedMember", Severity::Compatible))
    );
    insta::assert_snapshot!("added_members", r.to_text());
}

#[test]
fn operation_input_shape_renamed() {
    let r = report(|m| {
        let input = m["shapes"]
            .as_object_mut()
            .unwrap()
            .remove("example#GetThingInput")
            .unwrap();
        m["shapes"]["example#GetThingRequest"] = input;
        shape(m, "GetThing")["input"] = json!({"target": "example#GetThingRequest"});
        members(m, "GetThingRequest").remove("Note");
    });
    // Same Rust type (named after the operation): only the member change matters.
    assert_eq!(
        classes(&r),
        vec![
            ("RemovedMember", Severity::Breaking),
            ("ChangedOperationInput", Severity::Compatible)
        ]
    );
    insta::assert_snapshot!("operation_input_shape_renamed", r.to_text());
}

#[test]
fn removed_member() {
    let r = report(|m| {
        members(m, "GetThingInput").remove("Note");
    });
    assert_eq!(classes(&r), vec![("RemovedMember", Severity::Breaking)]);
    insta::assert_snapshot!("removed_member", r.to_text());
}

#[test]
fn operation_errors() {
    let r = report(|m| {
        shape(m, "GetThing")["errors"] = json!([{"target": "example#Conflict"}]);
    });
    assert_eq!(only(&r, "AddedOperationError"), Severity::Dangerous);
    assert_eq!(only(&r, "RemovedOperationError"), Severity::Breaking);
    insta::assert_snapshot!("operation_errors", r.to_text());
}

#[test]
fn service_errors() {
    let r = report(|m| {
        shape(m, "Things")["errors"] = json!([{"target": "example#Conflict"}]);
    });
    assert_eq!(only(&r, "AddedServiceError"), Severity::Dangerous);
    assert_eq!(only(&r, "RemovedServiceError"), Severity::Breaking);
    // The fault no operation uses any more goes; the new one comes.
    assert_eq!(only(&r, "RemovedShape"), Severity::Breaking);
    assert_eq!(only(&r, "AddedShape"), Severity::Compatible);
    insta::assert_snapshot!("service_errors", r.to_text());
}

#[test]
fn changed_member_targets() {
    let r = report(|m| {
        // i32 -> i64: another Rust type.
        member(m, "GetThingInput", "Limit")["target"] = json!("smithy.api#Long");
        // Another shape with the same Rust type and constraints.
        member(m, "Thing", "Name")["target"] = json!("example#OtherName");
    });
    let severities: Vec<_> = r
        .changes
        .iter()
        .filter(|c| c.id == "ChangedMemberTarget")
        .map(|c| (c.subject.as_str(), c.severity))
        .collect();
    assert_eq!(
        severities,
        vec![
            ("example#GetThingInput$Limit", Severity::Breaking),
            ("example#Thing$Name", Severity::Compatible)
        ]
    );
    insta::assert_snapshot!("changed_member_targets", r.to_text());
}

#[test]
fn required_added_and_removed() {
    let r = report(|m| {
        traits(member(m, "GetThingInput", "Note")).insert("smithy.api#required".into(), json!({}));
        traits(member(m, "GetThingOutput", "Thing")).remove("smithy.api#required");
        traits(member(m, "GetThingOutput", "Status"))
            .insert("smithy.api#required".into(), json!({}));
        traits(member(m, "GetThingInput", "Requester")).remove("smithy.api#required");
    });
    let required: Vec<_> = r
        .changes
        .iter()
        .filter(|c| c.id.ends_with("RequiredTrait"))
        .map(|c| (c.subject.as_str(), c.id, c.severity))
        .collect();
    assert_eq!(
        required,
        vec![
            (
                "example#GetThingInput$Note",
                "AddedRequiredTrait",
                Severity::Breaking
            ),
            (
                "example#GetThingOutput$Thing",
                "RemovedRequiredTrait",
                Severity::Dangerous
            ),
            (
                "example#GetThingInput$Requester",
                "RemovedRequiredTrait",
                Severity::Compatible
            ),
            (
                "example#GetThingOutput$Status",
                "AddedRequiredTrait",
                Severity::Compatible
            ),
        ]
    );
    insta::assert_snapshot!("required_added_and_removed", r.to_text());
}

#[test]
fn defaults() {
    let r = report(|m| {
        traits(member(m, "Thing", "Count")).insert("smithy.api#default".into(), json!(1));
        traits(member(m, "GetThingInput", "Limit")).insert("smithy.api#default".into(), json!(10));
    });
    assert_eq!(only(&r, "ChangedDefaultTrait"), Severity::Dangerous);
    assert_eq!(only(&r, "AddedDefaultTrait"), Severity::Dangerous);
    let removed = report(|m| {
        traits(member(m, "Thing", "Count")).remove("smithy.api#default");
    });
    assert_eq!(only(&removed, "RemovedDefaultTrait"), Severity::Dangerous);
    insta::assert_snapshot!(
        "defaults",
        format!("{}\n{}", r.to_text(), removed.to_text())
    );
}

#[test]
fn enum_values_added_to_an_output_and_an_input() {
    let r = report(|m| {
        members(m, "Status").insert(
            "SUSPENDED".into(),
            json!({"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "SUSPENDED"}}),
        );
        members(m, "Mode").insert(
            "WARP".into(),
            json!({"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "warp"}}),
        );
    });
    let added: Vec<_> = r
        .changes
        .iter()
        .map(|c| (c.subject.as_str(), c.id, c.severity))
        .collect();
    assert_eq!(
        added,
        vec![
            (
                "example#Status$SUSPENDED",
                "AddedEnumValue",
                Severity::Dangerous
            ),
            ("example#Mode$WARP", "AddedEnumValue", Severity::Compatible),
        ]
    );
    insta::assert_snapshot!("enum_values_added", r.to_text());
}

#[test]
fn enum_values_removed_renamed_and_changed() {
    let r = report(|m| {
        let status = members(m, "Status");
        // DELETING: name kept, wire value changed.
        status["DELETING"]["traits"]["smithy.api#enumValue"] = json!("BEING_DELETED");
        // ACTIVE is renamed (value kept): the variant is renamed.
        let active = status.remove("ACTIVE").unwrap();
        status.insert("ENABLED".into(), active);
        // Mode: SLOW goes.
        members(m, "Mode").remove("SLOW");
    });
    assert_eq!(only(&r, "RenamedEnumValue"), Severity::Breaking);
    assert_eq!(only(&r, "ChangedEnumValue"), Severity::Breaking);
    assert_eq!(only(&r, "RemovedEnumValue"), Severity::Breaking);
    insta::assert_snapshot!("enum_values_removed_renamed_changed", r.to_text());
}

#[test]
fn an_enum_value_renamed_to_the_same_rust_variant_is_compatible() {
    let r = report(|m| {
        let status = members(m, "Status");
        // `ACTIVE` and `Active` are both the variant `Active`.
        let active = status.remove("ACTIVE").unwrap();
        status.insert("Active".into(), active);
    });
    assert_eq!(only(&r, "RenamedEnumValue"), Severity::Compatible);
    assert!(
        r.to_text().contains("no Rust change: the variant stays"),
        "{}",
        r.to_text()
    );
}

#[test]
fn enum_value_inserted_before_existing_ones() {
    let r = report(|m| {
        let mode = members(m, "Mode");
        let rest = std::mem::take(mode);
        mode.insert(
            "AUTO".into(),
            json!({"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "auto"}}),
        );
        mode.extend(rest);
    });
    assert_eq!(only(&r, "AddedEnumValue"), Severity::Dangerous);
    insta::assert_snapshot!("enum_value_inserted", r.to_text());
}

#[test]
fn constraints_tightened_and_loosened() {
    let r = report(|m| {
        // Input: length tightened, range loosened, pattern changed.
        member(m, "GetThingInput", "ThingName")["traits"]["smithy.api#length"] =
            json!({"min": 3, "max": 64});
        member(m, "GetThingInput", "Limit")["traits"] =
            json!({"smithy.api#range": {"min": 1, "max": 1000}});
        member(m, "GetThingInput", "ThingName")["traits"]["smithy.api#pattern"] =
            json!("^[a-z0-9]+$");
        // Input: a pattern where there was none.
        traits(member(m, "GetThingInput", "Note"))
            .insert("smithy.api#pattern".into(), json!("^\\S+$"));
        // Output only: tightened, which outputs do not check.
        traits(member(m, "ListThingsOutput", "NextToken"))
            .insert("smithy.api#length".into(), json!({"max": 10}));
    });
    let got: Vec<_> = r
        .changes
        .iter()
        .map(|c| (c.subject.as_str(), c.id, c.severity))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "example#GetThingInput$Note",
                "AddedPatternTrait",
                Severity::Breaking
            ),
            (
                "example#GetThingInput$ThingName",
                "ChangedLengthTrait",
                Severity::Breaking
            ),
            (
                "example#GetThingInput$ThingName",
                "ChangedPatternTrait",
                Severity::Dangerous
            ),
            (
                "example#GetThingInput$Limit",
                "ChangedRangeTrait",
                Severity::Compatible
            ),
            (
                "example#ListThingsOutput$NextToken",
                "ChangedLengthTrait",
                Severity::Compatible
            ),
        ]
    );
    insta::assert_snapshot!("constraints", r.to_text());
}

#[test]
fn constraints_of_list_members() {
    let r = report(|m| {
        // Label is reachable from outputs only (Thing): loosened and tightened, both no-ops.
        shape(m, "Label")["traits"]["smithy.api#length"] = json!({"min": 1, "max": 8});
    });
    assert_eq!(only(&r, "ChangedLengthTrait"), Severity::Compatible);
    insta::assert_snapshot!("list_member_constraints", r.to_text());
}

#[test]
fn http_route_and_bindings() {
    let r = report(|m| {
        shape(m, "GetThing")["traits"]["smithy.api#http"] =
            json!({"method": "PUT", "uri": "/v2/things/{ThingName}", "code": 201});
        member(m, "GetThingInput", "Mode")["traits"] = json!({"smithy.api#httpHeader": "x-mode"});
    });
    assert_eq!(only(&r, "ChangedHttpMethod"), Severity::Breaking);
    assert_eq!(only(&r, "ChangedHttpUri"), Severity::Breaking);
    assert_eq!(only(&r, "ChangedHttpStatusCode"), Severity::Breaking);
    assert_eq!(only(&r, "ChangedHttpBinding"), Severity::Breaking);
    insta::assert_snapshot!("http_route_and_bindings", r.to_text());
}

#[test]
fn wire_names_and_formats() {
    let r = report(|m| {
        traits(member(m, "GetThingInput", "Since"))
            .insert("smithy.api#timestampFormat".into(), json!("date-time"));
        traits(member(m, "Thing", "CreatedAt"))
            .insert("smithy.api#jsonName".into(), json!("createdAt"));
    });
    assert_eq!(only(&r, "ChangedTimestampFormat"), Severity::Breaking);
    assert_eq!(only(&r, "ChangedJsonName"), Severity::Breaking);
    insta::assert_snapshot!("wire_names_and_formats", r.to_text());
}

#[test]
fn request_checksum_and_compression() {
    let checksum = report(|m| {
        traits(shape(m, "ListThings")).insert("smithy.api#httpChecksumRequired".into(), json!({}));
    });
    assert_eq!(
        only(&checksum, "AddedHttpChecksumRequired"),
        Severity::Breaking
    );
    let compression = report(|m| {
        traits(shape(m, "ListThings")).insert(
            "smithy.api#requestCompression".into(),
            json!({"encodings": ["gzip"]}),
        );
    });
    assert_eq!(
        only(&compression, "ChangedRequestCompression"),
        Severity::Compatible
    );
    assert!(compression.to_text().contains("from none to `gzip`"));
}

#[test]
fn pagination() {
    let changed = report(|m| {
        shape(m, "ListThings")["traits"]["smithy.api#paginated"] =
            json!({"inputToken": "NextToken", "outputToken": "NextToken", "items": "Stale"});
    });
    assert_eq!(only(&changed, "ChangedPaginatedTrait"), Severity::Dangerous);
    let removed = report(|m| {
        traits(shape(m, "ListThings")).remove("smithy.api#paginated");
    });
    assert_eq!(only(&removed, "RemovedPaginatedTrait"), Severity::Breaking);
    let page_size_added = {
        let mut old = base();
        shape(&mut old, "ListThings")["traits"]["smithy.api#paginated"]
            .as_object_mut()
            .unwrap()
            .remove("pageSize");
        let new = base();
        let s = format!("{NS}#Things");
        diff(&lower_json(&old, &s), &lower_json(&new, &s))
    };
    assert_eq!(
        only(&page_size_added, "ChangedPaginatedTrait"),
        Severity::Compatible
    );
    insta::assert_snapshot!(
        "pagination",
        format!(
            "{}\n{}\n{}",
            changed.to_text(),
            removed.to_text(),
            page_size_added.to_text()
        )
    );
}

#[test]
fn sensitive() {
    let r = report(|m| {
        traits(shape(m, "Secret")).remove("smithy.api#sensitive");
        traits(shape(m, "Status")).insert("smithy.api#sensitive".into(), json!({}));
    });
    assert_eq!(only(&r, "RemovedSensitiveTrait"), Severity::Dangerous);
    assert_eq!(only(&r, "AddedSensitiveTrait"), Severity::Compatible);
    insta::assert_snapshot!("sensitive", r.to_text());
}

#[test]
fn union_members() {
    let r = report(|m| {
        members(m, "ThingShape").insert("Triangle".into(), json!({"target": "smithy.api#Integer"}));
        members(m, "ThingShape").remove("Square");
    });
    assert_eq!(only(&r, "AddedUnionMember"), Severity::Dangerous);
    assert_eq!(only(&r, "RemovedUnionMember"), Severity::Breaking);
    insta::assert_snapshot!("union_members", r.to_text());
}

#[test]
fn idempotency_token() {
    let r = report(|m| {
        traits(member(m, "GetThingInput", "Token")).remove("smithy.api#idempotencyToken");
    });
    assert_eq!(only(&r, "RemovedIdempotencyToken"), Severity::Dangerous);
    insta::assert_snapshot!("idempotency_token", r.to_text());
}

#[test]
fn service_version_and_endpoint_rules() {
    let r = report(|m| {
        let svc = shape(m, "Things");
        svc["version"] = json!("2025-06-01");
        let rules = &mut svc["traits"]["smithy.rules#endpointRuleSet"];
        rules["parameters"]["UseFIPS"] = json!({"type": "Boolean", "builtIn": "AWS::UseFIPS", "required": true, "default": false});
        rules["rules"][0]["endpoint"]["url"] = json!("https://things-api.{Region}.amazonaws.com");
    });
    assert_eq!(only(&r, "ChangedServiceVersion"), Severity::Dangerous);
    assert_eq!(only(&r, "ChangedEndpointRules"), Severity::Dangerous);
    insta::assert_snapshot!("service_version_and_endpoint_rules", r.to_text());
}

#[test]
fn documentation_only() {
    let r = report(|m| {
        shape(m, "Things")["traits"]["smithy.api#documentation"] =
            json!("<p>Keeps many things.</p>");
        shape(m, "GetThing")["traits"]["smithy.api#documentation"] = json!("<p>Reads a thing.</p>");
        traits(shape(m, "Thing")).remove("smithy.api#documentation");
        traits(member(m, "GetThingInput", "Note"))
            .insert("smithy.api#documentation".into(), json!("<p>A note.</p>"));
    });
    assert!(r
        .changes
        .iter()
        .all(|c| c.severity == Severity::Documentation));
    // The field `GetThingOutput::thing` shows the docs of `Thing`: they change with it.
    assert_eq!(r.changes.len(), 5);
    assert!(!r.has_at_least(Severity::Compatible));
    insta::assert_snapshot!("documentation_only", r.to_text());
}

/// Several kinds at once, as Markdown for a pull request comment.
#[test]
fn markdown_report() {
    let r = report(|m| {
        m["shapes"]["example#Things"]["operations"]
            .as_array_mut()
            .unwrap()
            .retain(|o| o["target"] != "example#ListThings");
        members(m, "Status").insert(
            "SUSPENDED".into(),
            json!({"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "SUSPENDED"}}),
        );
        members(m, "GetThingInput")
            .insert("Comment".into(), json!({"target": "smithy.api#String"}));
        shape(m, "GetThing")["traits"]["smithy.api#documentation"] = json!("<p>Reads a thing.</p>");
    });
    assert_eq!(
        (
            r.count(Severity::Breaking),
            r.count(Severity::Dangerous),
            r.count(Severity::Compatible),
            r.count(Severity::Documentation)
        ),
        (1, 1, 1, 1)
    );
    assert!(r.has_at_least(Severity::Breaking));
    assert_eq!(
        r.summary(),
        "1 breaking, 1 dangerous, 1 compatible, 1 documentation (4 changes)"
    );
    insta::assert_snapshot!("markdown_report", r.to_markdown());
}

/// `API.md` (built from the IR like the diff) shows the same changes as lines.
#[test]
fn api_listing_shows_what_the_diff_names() {
    let listing = |m: &Value| {
        let options = smithy_lite_codegen::CrateOptions {
            version: "0.1.0".into(),
            model_source: "test".into(),
            partitions_json: String::new(),
            endpoint_test_overrides: Vec::new(),
            data_endpoint: None,
            runtime_path: "../../runtime".into(),
            wire: Default::default(),
        };
        let text = serde_json::to_string(m).unwrap();
        let (_, files) = smithy_lite_codegen::generate(&text, None, &options).unwrap();
        files["API.md"].clone()
    };
    let old = base();
    let mut new = base();
    new["shapes"]["example#Things"]["operations"]
        .as_array_mut()
        .unwrap()
        .retain(|o| o["target"] != "example#ListThings");
    members(&mut new, "Status").insert(
        "SUSPENDED".into(),
        json!({"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "SUSPENDED"}}),
    );
    let (a, b) = (listing(&old), listing(&new));
    assert!(a.starts_with("<!-- @generated"));
    let lines =
        |t: &str| -> std::collections::BTreeSet<String> { t.lines().map(str::to_owned).collect() };
    let (a, b) = (lines(&a), lines(&b));
    let removed: Vec<&String> = a.difference(&b).collect();
    let added: Vec<&String> = b.difference(&a).collect();
    assert!(removed
        .iter()
        .any(|l| l.starts_with("fn      client::Client::list_things(")));
    assert!(removed
        .iter()
        .any(|l| l.as_str() == "mod     operation::list_things (GET /things)"));
    assert!(added
        .iter()
        .any(|l| l.as_str() == "variant types::Status::Suspended = \"SUSPENDED\""));
    insta::assert_snapshot!("api_listing_of_base", listing(&old));
}

#[test]
fn reports_are_deterministic() {
    let edit = |m: &mut Value| {
        members(m, "Status").remove("DELETING");
        members(m, "Thing").remove("Labels");
        traits(member(m, "GetThingInput", "Note")).insert("smithy.api#required".into(), json!({}));
    };
    let a = report(edit);
    let b = report(edit);
    assert_eq!(a.to_text(), b.to_text());
    let mut sorted = a.changes.clone();
    sorted.sort();
    assert_eq!(sorted, a.changes);
}

// ------------------------------------------------------------- Kinesis Video
//
// The real model is edited as text, so that everything else keeps its order (serde_json's
// `Value` would sort object keys, and the order of enum values matters to the diff).

/// The byte index just past the JSON object, array or string that starts at `start`.
fn value_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, &b) in bytes.iter().enumerate().skip(start) {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => {
                    in_string = false;
                    if depth == 0 {
                        return i + 1;
                    }
                }
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
    }
    panic!("unterminated JSON value at {start}")
}

/// Where the value of the first `"key":` at or after `from` starts.
fn value_of(text: &str, from: usize, key: &str) -> usize {
    let quoted = format!("\"{key}\"");
    let mut at = from;
    loop {
        let i = at
            + text[at..]
                .find(&quoted)
                .unwrap_or_else(|| panic!("no key {key:?}"));
        let rest = text[i + quoted.len()..].trim_start();
        if let Some(value) = rest.strip_prefix(':') {
            return text.len() - value.trim_start().len();
        }
        at = i + quoted.len();
    }
}

/// Adds `"name": value` as the last member of the `members` object of shape `shape_id`.
fn append_member(text: &mut String, shape_id: &str, name: &str, value: &Value) {
    let shape = value_of(text, 0, shape_id);
    let members = value_of(text, shape, "members");
    let close = value_end(text, members) - 1;
    text.insert_str(close, &format!(",\n\"{name}\": {value}\n"));
}

/// Removes `{"target": op}` from the `operations` of service `service_id`.
fn remove_operation(text: &mut String, service_id: &str, op: &str) {
    let service = value_of(text, 0, service_id);
    let ops = value_of(text, service, "operations");
    let ops_end = value_end(text, ops);
    let target = ops
        + text[ops..ops_end]
            .find(&format!("\"{op}\""))
            .unwrap_or_else(|| panic!("{op} is not an operation of {service_id}"));
    let start = text[..target].rfind('{').expect("the reference object");
    let mut end = value_end(text, start);
    // Take the comma that follows, or else the one before.
    let after = text[end..].trim_start();
    let start = if let Some(rest) = after.strip_prefix(',') {
        end = text.len() - rest.len();
        start
    } else {
        text[..start]
            .rfind(',')
            .expect("a comma before the last element")
    };
    text.replace_range(start..end, "");
}

fn lower_text(text: &str, service: &str) -> ir::Service {
    let m = model::Model::from_json(text).unwrap_or_else(|e| panic!("model: {e}"));
    lower::lower(&m, Some(service)).unwrap_or_else(|e| panic!("lower: {e}"))
}

fn kinesis_video_model() -> Option<String> {
    let path = shared_data::models_dir().join("kinesis-video-2017-09-30.json");
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) => shared_data::unavailable(
            "the Kinesis Video model",
            format_args!("{}: {e}", path.display()),
        ),
    }
}

const KVS: &str = "com.amazonaws.kinesisvideo#KinesisVideo_20170930";

#[test]
fn kinesis_video_against_itself_and_an_edited_copy() {
    let Some(text) = kinesis_video_model() else {
        return;
    };
    let old = lower_text(&text, KVS);

    let same = diff(&old, &lower_text(&text, KVS));
    assert!(same.is_empty(), "{}", same.to_text());
    insta::assert_snapshot!("kinesis_video_itself", same.to_text());

    // A plausible update: DeleteStream goes, CreateStream needs a new member, and streams can
    // be in a new status.
    let mut edited = text.clone();
    remove_operation(&mut edited, KVS, "com.amazonaws.kinesisvideo#DeleteStream");
    append_member(
        &mut edited,
        "com.amazonaws.kinesisvideo#CreateStreamInput",
        "StorageTier",
        &json!({
            "target": "smithy.api#String",
            "traits": {
                "smithy.api#required": {},
                "smithy.api#documentation": "<p>Where the stream's media is stored.</p>"
            }
        }),
    );
    append_member(
        &mut edited,
        "com.amazonaws.kinesisvideo#Status",
        "SUSPENDED",
        &json!({"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "SUSPENDED"}}),
    );
    let r = diff(&old, &lower_text(&edited, KVS));
    let got: Vec<_> = r
        .changes
        .iter()
        .map(|c| (c.id, c.subject.as_str(), c.severity))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "AddedRequiredMember",
                "com.amazonaws.kinesisvideo#CreateStreamInput$StorageTier",
                Severity::Breaking
            ),
            (
                "RemovedOperation",
                "com.amazonaws.kinesisvideo#DeleteStream",
                Severity::Breaking
            ),
            (
                "AddedEnumValue",
                "com.amazonaws.kinesisvideo#Status$SUSPENDED",
                Severity::Dangerous
            ),
        ]
    );
    assert!(r.has_at_least(Severity::Breaking));
    assert_eq!(
        r.summary(),
        "2 breaking, 1 dangerous, 0 compatible, 0 documentation (3 changes)"
    );
    insta::assert_snapshot!("kinesis_video_edited", r.to_text());
    insta::assert_snapshot!("kinesis_video_edited_markdown", r.to_markdown());
}
