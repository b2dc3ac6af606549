//! Malformed or unsupported models are refused with an error that names the shape, member or
//! trait at fault. Each case starts from a small valid model and breaks one thing; the error's
//! subject and the key part of its message are asserted, and the whole text is snapshotted.

use serde_json::{json, Value};
use smithy_lite_codegen::{generate, CrateOptions, Error};

fn options() -> CrateOptions {
    CrateOptions {
        version: "0.1.0".into(),
        model_source: "malformed.json".into(),
        partitions_json: String::new(),
        endpoint_test_overrides: Vec::new(),
        data_endpoint: None,
        runtime_path: "../../runtime".into(),
        wire: Default::default(),
    }
}

/// A valid model: one restJson1 service, one operation with a label, a query member and a
/// nested structure.
fn base() -> Value {
    json!({
        "smithy": "2.0",
        "shapes": {
            "example.bad#Svc": {
                "type": "service",
                "version": "2020-01-01",
                "operations": [{ "target": "example.bad#GetThing" }],
                "traits": {
                    "aws.api#service": { "sdkId": "Malformed" },
                    "aws.auth#sigv4": { "name": "malformed" },
                    "aws.protocols#restJson1": {}
                }
            },
            "example.bad#GetThing": {
                "type": "operation",
                "input": { "target": "example.bad#GetThingInput" },
                "output": { "target": "example.bad#GetThingOutput" },
                "errors": [{ "target": "example.bad#NotFound" }],
                "traits": {
                    "smithy.api#http": { "method": "GET", "uri": "/things/{Name}" },
                    "smithy.api#readonly": {}
                }
            },
            "example.bad#GetThingInput": {
                "type": "structure",
                "members": {
                    "Name": {
                        "target": "example.bad#ThingName",
                        "traits": { "smithy.api#httpLabel": {}, "smithy.api#required": {} }
                    },
                    "Limit": {
                        "target": "smithy.api#Integer",
                        "traits": { "smithy.api#httpQuery": "limit" }
                    }
                },
                "traits": { "smithy.api#input": {} }
            },
            "example.bad#GetThingOutput": {
                "type": "structure",
                "members": {
                    "Thing": { "target": "example.bad#Thing" }
                },
                "traits": { "smithy.api#output": {} }
            },
            "example.bad#Thing": {
                "type": "structure",
                "members": {
                    "Id": { "target": "smithy.api#String" },
                    "Size": { "target": "smithy.api#Long" }
                }
            },
            "example.bad#ThingName": {
                "type": "string",
                "traits": { "smithy.api#length": { "min": 1, "max": 64 } }
            },
            "example.bad#NotFound": {
                "type": "structure",
                "members": {
                    "Message": { "target": "smithy.api#String" }
                },
                "traits": { "smithy.api#error": "client", "smithy.api#httpError": 404 }
            }
        }
    })
}

/// The base model after `edit`, as JSON text.
fn model(edit: impl FnOnce(&mut Value)) -> String {
    let mut m = base();
    edit(&mut m);
    serde_json::to_string_pretty(&m).expect("JSON values serialize")
}

fn shape<'a>(m: &'a mut Value, id: &str) -> &'a mut Value {
    &mut m["shapes"][id]
}

fn refused(model_json: &str) -> Error {
    match generate(model_json, None, &options()) {
        Err(e) => e,
        Ok((svc, _)) => panic!("the model was accepted (service {})", svc.id),
    }
}

/// Asserts the subject, a key part of the message, and the snapshot of the whole error.
macro_rules! assert_refused {
    ($model:expr, subject: $subject:expr, message: $part:expr) => {{
        let e = refused(&$model);
        assert_eq!(e.subject(), $subject, "wrong subject in: {e}");
        assert!(
            e.message().contains($part),
            "message does not contain {:?}: {e}",
            $part
        );
        insta::assert_snapshot!(e.to_string());
    }};
}

#[test]
fn the_base_model_is_valid() {
    let (svc, files) = generate(&model(|_| {}), None, &options()).expect("base model generates");
    assert_eq!(svc.crate_name, "malformed");
    assert!(files.contains_key("src/operation/get_thing.rs"));
}

#[test]
fn bad_json() {
    assert_refused!(
        r#"{ "smithy": "2.0", "shapes": { "example.bad#Svc": "#,
        subject: "<model>",
        message: "is not a Smithy JSON AST document"
    );
}

#[test]
fn unsupported_idl_version() {
    assert_refused!(
        model(|m| m["smithy"] = json!("3.0")),
        subject: "<model>",
        message: "has Smithy IDL version \"3.0\""
    );
}

#[test]
fn relative_shape_id() {
    assert_refused!(
        model(|m| m["shapes"]["Thing"] = json!({ "type": "string" })),
        subject: "Thing",
        message: "is not an absolute shape id"
    );
}

#[test]
fn dangling_member_target() {
    assert_refused!(
        model(|m| {
            shape(m, "example.bad#Thing")["members"]["Owner"] =
                json!({ "target": "example.bad#Missing" });
        }),
        subject: "example.bad#Thing$Owner",
        message: "targets `example.bad#Missing`, which is not defined"
    );
}

#[test]
fn dangling_operation_input() {
    assert_refused!(
        model(|m| {
            shape(m, "example.bad#GetThing")["input"] = json!({ "target": "example.bad#Nope" });
        }),
        subject: "example.bad#GetThing",
        message: "targets `example.bad#Nope`"
    );
}

#[test]
fn unknown_shape_type() {
    assert_refused!(
        model(|m| m["shapes"]["example.bad#Odd"] = json!({ "type": "frobnicate" })),
        subject: "example.bad#Odd",
        message: "has unknown shape type \"frobnicate\""
    );
}

#[test]
fn list_without_member() {
    assert_refused!(
        model(|m| m["shapes"]["example.bad#Things"] = json!({ "type": "list" })),
        subject: "example.bad#Things",
        message: "is a list without `member`"
    );
}

#[test]
fn same_name_in_two_namespaces() {
    assert_refused!(
        model(|m| {
            shape(m, "example.bad#Thing")["members"]["Other"] =
                json!({ "target": "example.other#Thing" });
            m["shapes"]["example.other#Thing"] = json!({
                "type": "structure",
                "members": { "Id": { "target": "smithy.api#String" } }
            });
        }),
        subject: "example.other#Thing",
        message: "and `example.bad#Thing` both become the Rust type `Thing`"
    );
}

#[test]
fn the_service_rename_resolves_a_conflict() {
    let m = model(|m| {
        shape(m, "example.bad#Thing")["members"]["Other"] =
            json!({ "target": "example.other#Thing" });
        m["shapes"]["example.other#Thing"] = json!({
            "type": "structure",
            "members": { "Id": { "target": "smithy.api#String" } }
        });
        shape(m, "example.bad#Svc")["rename"] = json!({ "example.other#Thing": "OtherThing" });
    });
    let (svc, _) = generate(&m, None, &options()).expect("renamed shapes do not conflict");
    let names: Vec<&str> = svc.types.values().map(|t| t.rust_name()).collect();
    assert!(names.contains(&"OtherThing"), "{names:?}");
}

#[test]
fn a_rename_that_creates_a_conflict() {
    assert_refused!(
        model(|m| {
            shape(m, "example.bad#Thing")["members"]["Other"] =
                json!({ "target": "example.other#Gadget" });
            m["shapes"]["example.other#Gadget"] = json!({
                "type": "structure",
                "members": { "Id": { "target": "smithy.api#String" } }
            });
            shape(m, "example.bad#Svc")["rename"] = json!({ "example.other#Gadget": "Thing" });
        }),
        subject: "example.other#Gadget",
        message: "both become the Rust type `Thing`"
    );
}

#[test]
fn names_that_differ_only_in_case() {
    assert_refused!(
        model(|m| {
            shape(m, "example.bad#Thing")["members"]["Other"] =
                json!({ "target": "example.bad#THING" });
            m["shapes"]["example.bad#THING"] = json!({
                "type": "union",
                "members": { "Id": { "target": "smithy.api#String" } }
            });
        }),
        subject: "example.bad#Thing",
        message: "both become the Rust type `Thing`"
    );
}

#[test]
fn members_that_become_the_same_field() {
    assert_refused!(
        model(|m| {
            let members = &mut shape(m, "example.bad#Thing")["members"];
            members["fooBar"] = json!({ "target": "smithy.api#String" });
            members["FooBar"] = json!({ "target": "smithy.api#String" });
        }),
        subject: "example.bad#Thing",
        message: "`fooBar` that both become the Rust name `foo_bar`"
    );
}

#[test]
fn enum_members_that_become_the_same_variant() {
    assert_refused!(
        model(|m| {
            shape(m, "example.bad#Thing")["members"]["Kind"] =
                json!({ "target": "example.bad#Kind" });
            m["shapes"]["example.bad#Kind"] = json!({
                "type": "enum",
                "members": {
                    "FOO_BAR": { "target": "smithy.api#Unit", "traits": { "smithy.api#enumValue": "a" } },
                    "FooBar": { "target": "smithy.api#Unit", "traits": { "smithy.api#enumValue": "b" } }
                }
            });
        }),
        subject: "example.bad#Kind",
        message: "both become the variant `FooBar`"
    );
}

#[test]
fn member_named_like_a_generated_method_is_renamed_not_refused() {
    let m = model(|m| {
        let members = &mut shape(m, "example.bad#Thing")["members"];
        members["Build"] = json!({ "target": "smithy.api#String" });
        members["Default"] = json!({ "target": "smithy.api#String" });
    });
    let (svc, _) = generate(&m, None, &options()).expect("clashing member names are renamed");
    let thing = svc.structure(&smithy_lite_codegen::model::ShapeId::new(
        "example.bad#Thing",
    ));
    let mut fields: Vec<&str> = thing
        .members
        .iter()
        .map(|m| m.field_name.as_str())
        .collect();
    fields.sort();
    assert_eq!(fields, ["build_value", "default_value", "id", "size"]);
}

#[test]
fn auth_scheme_the_generator_cannot_sign_with() {
    assert_refused!(
        model(|m| {
            let traits = &mut shape(m, "example.bad#Svc")["traits"];
            traits["smithy.api#httpBearerAuth"] = json!({});
            traits["smithy.api#auth"] = json!(["smithy.api#httpBearerAuth"]);
        }),
        subject: "example.bad#GetThing",
        message: "authenticates with `smithy.api#httpBearerAuth`, which the generator does not support"
    );
}

#[test]
fn auth_scheme_the_service_does_not_define() {
    assert_refused!(
        model(|m| {
            shape(m, "example.bad#GetThing")["traits"]["smithy.api#auth"] =
                json!(["smithy.api#httpBasicAuth"]);
        }),
        subject: "example.bad#GetThing",
        message: "has `smithy.api#auth` scheme `smithy.api#httpBasicAuth`, which the service does not define"
    );
}

#[test]
fn host_label_without_an_endpoint_trait() {
    assert_refused!(
        model(|m| {
            shape(m, "example.bad#GetThingInput")["members"]["Account"] = json!({
                "target": "smithy.api#String",
                "traits": { "smithy.api#hostLabel": {}, "smithy.api#required": {} }
            });
        }),
        subject: "example.bad#GetThingInput$Account",
        message: "has `smithy.api#hostLabel` but operation `example.bad#GetThing` has no `smithy.api#endpoint` hostPrefix"
    );
}

#[test]
fn host_prefix_label_without_a_host_label_member() {
    assert_refused!(
        model(|m| {
            shape(m, "example.bad#GetThing")["traits"]["smithy.api#endpoint"] =
                json!({ "hostPrefix": "{Account}.data." });
        }),
        subject: "example.bad#GetThing",
        message: "label `Account` has no input member with `smithy.api#hostLabel`"
    );
}

#[test]
fn host_label_that_is_not_a_required_string() {
    assert_refused!(
        model(|m| {
            shape(m, "example.bad#GetThing")["traits"]["smithy.api#endpoint"] =
                json!({ "hostPrefix": "{Limit}." });
            shape(m, "example.bad#GetThingInput")["members"]["Limit"]["traits"]
                ["smithy.api#hostLabel"] = json!({});
        }),
        subject: "example.bad#GetThingInput$Limit",
        message: "has `smithy.api#hostLabel` but is not a required string"
    );
}

#[test]
fn endpoint_trait_without_a_rule_set() {
    assert_refused!(
        model(|m| {
            shape(m, "example.bad#Svc")["traits"]["aws.endpoints#dualStackOnlyEndpoints"] =
                json!({});
        }),
        subject: "example.bad#Svc",
        message: "has trait `aws.endpoints#dualStackOnlyEndpoints` but no `smithy.rules#endpointRuleSet`"
    );
}

#[test]
fn two_operations_with_the_same_name() {
    assert_refused!(
        model(|m| {
            shape(m, "example.bad#Svc")["operations"]
                .as_array_mut()
                .expect("operations")
                .push(json!({ "target": "example.other#GetThing" }));
            m["shapes"]["example.other#GetThing"] = json!({
                "type": "operation",
                "traits": { "smithy.api#http": { "method": "GET", "uri": "/other" } }
            });
        }),
        subject: "example.other#GetThing",
        message: "and `example.bad#GetThing` are both operations named `GetThing`"
    );
}

#[test]
fn operations_that_become_the_same_method() {
    assert_refused!(
        model(|m| {
            shape(m, "example.bad#Svc")["operations"]
                .as_array_mut()
                .expect("operations")
                .push(json!({ "target": "example.bad#getThing" }));
            m["shapes"]["example.bad#getThing"] = json!({
                "type": "operation",
                "traits": { "smithy.api#http": { "method": "GET", "uri": "/other" } }
            });
        }),
        subject: "example.bad#getThing",
        message: "both become the method `get_thing`"
    );
}

#[test]
fn two_errors_with_the_same_wire_code() {
    assert_refused!(
        model(|m| {
            shape(m, "example.bad#GetThing")["errors"]
                .as_array_mut()
                .expect("errors")
                .push(json!({ "target": "example.other#NotFound" }));
            m["shapes"]["example.other#NotFound"] = json!({
                "type": "structure",
                "members": {},
                "traits": { "smithy.api#error": "server" }
            });
            shape(m, "example.bad#Svc")["rename"] =
                json!({ "example.other#NotFound": "OtherNotFound" });
        }),
        subject: "example.bad#GetThing",
        message: "which share the error code `NotFound` on the wire"
    );
}

#[test]
fn prelude_trait_the_generator_does_not_know() {
    assert_refused!(
        model(|m| {
            shape(m, "example.bad#GetThing")["traits"]["smithy.api#longPoll"] = json!({});
        }),
        subject: "example.bad#GetThing",
        message: "has trait `smithy.api#longPoll`, which the generator does not support"
    );
}

#[test]
fn checksum_or_compression_of_a_streaming_input() {
    for t in [
        "smithy.api#httpChecksumRequired",
        "smithy.api#requestCompression",
    ] {
        let e = refused(&model(|m| {
            m["shapes"]["example.bad#Video"] =
                json!({ "type": "blob", "traits": { "smithy.api#streaming": {} } });
            shape(m, "example.bad#GetThingInput")["members"]["Clip"] = json!({
                "target": "example.bad#Video",
                "traits": { "smithy.api#httpPayload": {} }
            });
            shape(m, "example.bad#GetThing")["traits"][t] = json!({ "encodings": ["gzip"] });
        }));
        assert_eq!(e.subject(), "example.bad#GetThing", "{e}");
        assert!(
            e.message().contains(&format!(
                "has `{t}` and a streaming input, which is not supported yet"
            )),
            "{e}"
        );
    }
}

#[test]
fn undefined_custom_trait() {
    assert_refused!(
        model(|m| {
            shape(m, "example.bad#Thing")["members"]["Id"]["traits"] =
                json!({ "com.example#mystery": {} });
        }),
        subject: "example.bad#Thing$Id",
        message: "has trait `com.example#mystery`"
    );
}

#[test]
fn unknown_trait_on_the_service() {
    assert_refused!(
        model(|m| {
            shape(m, "example.bad#Svc")["traits"]["aws.protocols#httpChecksum"] = json!({});
        }),
        subject: "example.bad#Svc",
        message: "has trait `aws.protocols#httpChecksum`"
    );
}

#[test]
fn custom_trait_defined_in_the_model_is_accepted() {
    let m = model(|m| {
        shape(m, "example.bad#Thing")["members"]["Id"]["traits"] =
            json!({ "com.example#mystery": { "level": 3 } });
        m["shapes"]["com.example#mystery"] = json!({
            "type": "structure",
            "members": { "level": { "target": "smithy.api#Integer" } },
            "traits": { "smithy.api#trait": { "selector": "member" } }
        });
    });
    generate(&m, None, &options()).expect("a trait the model defines is accepted");
}

#[test]
fn operation_without_http_trait() {
    assert_refused!(
        model(|m| {
            shape(m, "example.bad#GetThing")["traits"]
                .as_object_mut()
                .expect("traits")
                .remove("smithy.api#http");
        }),
        subject: "example.bad#GetThing",
        message: "has no `smithy.api#http` trait, which restJson1 requires"
    );
}

#[test]
fn malformed_http_trait() {
    assert_refused!(
        model(|m| {
            shape(m, "example.bad#GetThing")["traits"]["smithy.api#http"] =
                json!({ "method": "GET" });
        }),
        subject: "example.bad#GetThing",
        message: "has a malformed `smithy.api#http` trait"
    );
}

#[test]
fn length_with_a_non_numeric_min() {
    assert_refused!(
        model(|m| {
            shape(m, "example.bad#ThingName")["traits"]["smithy.api#length"] =
                json!({ "min": "one" });
        }),
        subject: "example.bad#ThingName",
        message: "has a malformed `smithy.api#length` trait"
    );
}

#[test]
fn range_with_a_non_numeric_max_on_a_member() {
    assert_refused!(
        model(|m| {
            shape(m, "example.bad#GetThingInput")["members"]["Limit"]["traits"]
                ["smithy.api#range"] = json!({ "max": "ten" });
        }),
        subject: "example.bad#GetThingInput$Limit",
        message: "has a malformed `smithy.api#range` trait"
    );
}

#[test]
fn unknown_timestamp_format() {
    assert_refused!(
        model(|m| {
            shape(m, "example.bad#Thing")["members"]["When"] = json!({
                "target": "smithy.api#Timestamp",
                "traits": { "smithy.api#timestampFormat": "unix-millis" }
            });
        }),
        subject: "example.bad#Thing$When",
        message: "has `smithy.api#timestampFormat` \"unix-millis\""
    );
}

#[test]
fn uri_label_without_http_label_member() {
    assert_refused!(
        model(|m| {
            shape(m, "example.bad#GetThing")["traits"]["smithy.api#http"]["uri"] =
                json!("/things/{Name}/parts/{Part}");
        }),
        subject: "example.bad#GetThing",
        message: "label `Part` has no input member with `smithy.api#httpLabel`"
    );
}

#[test]
fn http_label_member_missing_from_the_uri() {
    assert_refused!(
        model(|m| {
            shape(m, "example.bad#GetThing")["traits"]["smithy.api#http"]["uri"] =
                json!("/things");
        }),
        subject: "example.bad#GetThing",
        message: "input member `Name` has `smithy.api#httpLabel` but the uri has no `{Name}`"
    );
}

#[test]
fn member_with_two_http_bindings() {
    assert_refused!(
        model(|m| {
            shape(m, "example.bad#GetThingInput")["members"]["Limit"]["traits"]
                ["smithy.api#httpHeader"] = json!("X-Limit");
        }),
        subject: "example.bad#GetThingInput$Limit",
        message: "has more than one HTTP binding trait"
    );
}

#[test]
fn error_without_error_trait() {
    assert_refused!(
        model(|m| {
            shape(m, "example.bad#NotFound")["traits"] = json!({});
        }),
        subject: "example.bad#NotFound",
        message: "is listed as an error of `example.bad#GetThing` but has no `smithy.api#error` trait"
    );
}

#[test]
fn structure_member_targeting_unit() {
    assert_refused!(
        model(|m| {
            shape(m, "example.bad#Thing")["members"]["Nothing"] =
                json!({ "target": "smithy.api#Unit" });
        }),
        subject: "example.bad#Thing$Nothing",
        message: "targets `smithy.api#Unit`, which only union members may"
    );
}

#[test]
fn member_targeting_an_operation() {
    assert_refused!(
        model(|m| {
            shape(m, "example.bad#Thing")["members"]["Op"] =
                json!({ "target": "example.bad#GetThing" });
        }),
        subject: "example.bad#Thing$Op",
        message: "targets `example.bad#GetThing`, a shape of type `operation`, which members cannot target"
    );
}

#[test]
fn int_enum_with_a_string_value() {
    assert_refused!(
        model(|m| {
            shape(m, "example.bad#Thing")["members"]["Level"] =
                json!({ "target": "example.bad#Level" });
            m["shapes"]["example.bad#Level"] = json!({
                "type": "intEnum",
                "members": {
                    "LOW": { "target": "smithy.api#Unit", "traits": { "smithy.api#enumValue": "1" } }
                }
            });
        }),
        subject: "example.bad#Level$LOW",
        message: "needs an integer `smithy.api#enumValue`"
    );
}

#[test]
fn service_without_a_protocol() {
    assert_refused!(
        model(|m| {
            shape(m, "example.bad#Svc")["traits"]
                .as_object_mut()
                .expect("traits")
                .remove("aws.protocols#restJson1");
        }),
        subject: "example.bad#Svc",
        message: "has no supported protocol trait"
    );
}

#[test]
fn service_with_an_unsupported_protocol() {
    assert_refused!(
        model(|m| {
            let traits = shape(m, "example.bad#Svc")["traits"]
                .as_object_mut()
                .expect("traits");
            traits.remove("aws.protocols#restJson1");
            traits.insert("aws.protocols#awsJson1_1".into(), json!({}));
        }),
        subject: "example.bad#Svc",
        message: "uses protocol trait `aws.protocols#awsJson1_1`, which is not supported yet"
    );
}

#[test]
fn two_services_and_none_named() {
    assert_refused!(
        model(|m| {
            m["shapes"]["example.bad#Svc2"] = m["shapes"]["example.bad#Svc"].clone();
        }),
        subject: "<model>",
        message: "has 2 services; name one"
    );
}

#[test]
fn apply_to_a_missing_shape() {
    assert_refused!(
        model(|m| {
            m["shapes"]["example.bad#Gone$Id"] = json!({
                "type": "apply",
                "traits": { "smithy.api#documentation": "x" }
            });
        }),
        subject: "example.bad#Gone$Id",
        message: "is the target of `apply` but is not defined"
    );
}

#[test]
fn paginated_without_tokens() {
    assert_refused!(
        model(|m| {
            shape(m, "example.bad#GetThing")["traits"]["smithy.api#paginated"] =
                json!({ "items": "Things" });
        }),
        subject: "example.bad#GetThing",
        message: "has `smithy.api#paginated` without inputToken and outputToken"
    );
}

#[test]
fn streaming_blob_outside_an_http_payload() {
    assert_refused!(
        model(|m| {
            m["shapes"]["example.bad#Video"] =
                json!({ "type": "blob", "traits": { "smithy.api#streaming": {} } });
            shape(m, "example.bad#Thing")["members"]["Clip"] =
                json!({ "target": "example.bad#Video" });
        }),
        subject: "example.bad#Thing$Clip",
        message: "only an `smithy.api#httpPayload` member"
    );
}

fn refused_data_endpoint(spec: smithy_lite_codegen::DataEndpointHelper) -> Error {
    let options = CrateOptions {
        data_endpoint: Some(spec),
        ..options()
    };
    match generate(&model(|_| {}), None, &options) {
        Err(e) => e,
        Ok(_) => panic!("the data endpoint helper was accepted"),
    }
}

fn data_endpoint_spec() -> smithy_lite_codegen::DataEndpointHelper {
    smithy_lite_codegen::DataEndpointHelper {
        operation: "GetThing".into(),
        stream_name: "Name".into(),
        stream_arn: "Limit".into(),
        api: "Name".into(),
        endpoint: "Thing".into(),
    }
}

#[test]
fn data_endpoint_helper_names_a_missing_operation() {
    let e = refused_data_endpoint(smithy_lite_codegen::DataEndpointHelper {
        operation: "GetDataEndpoint".into(),
        ..data_endpoint_spec()
    });
    assert_eq!(e.subject(), "example.bad#Svc");
    assert!(
        e.message().contains("has no operation `GetDataEndpoint`"),
        "{e}"
    );
}

#[test]
fn data_endpoint_helper_names_a_member_of_the_wrong_kind() {
    // `Name` is an HTTP label, not a body string.
    let e = refused_data_endpoint(data_endpoint_spec());
    assert_eq!(e.subject(), "example.bad#GetThingInput$Name");
    assert!(e.message().contains("must be a string body member"), "{e}");
    let e = refused_data_endpoint(smithy_lite_codegen::DataEndpointHelper {
        stream_arn: "Nope".into(),
        ..data_endpoint_spec()
    });
    assert_eq!(e.subject(), "example.bad#GetThingInput");
    assert!(e.message().contains("has no member `Nope`"), "{e}");
}

/// A `@pattern` that is not an ECMA-262 regular expression (on a shape or a member) is a typo
/// of the model's: the crate generates, the pattern goes unchecked, and a note names the shape.
#[test]
fn patterns_that_cannot_compile_are_noted_and_not_checked() {
    for (subject, pattern, why) in [
        ("example.bad#ThingName", "^(abc$", "Unbalanced parenthesis"),
        (
            "example.bad#ThingName",
            "^\\p{IsLatin}+$",
            "uses Java's property \\p{IsLatin}",
        ),
        ("example.bad#Thing$Id", "[a-z", ""),
    ] {
        let m = model(|m| {
            if let Some((shape_id, member)) = subject.split_once('$') {
                shape(m, shape_id)["members"][member]["traits"] =
                    json!({ "smithy.api#pattern": pattern });
            } else {
                shape(m, subject)["traits"]["smithy.api#pattern"] = json!(pattern);
            }
        });
        let (svc, files) = generate(&m, None, &options())
            .unwrap_or_else(|e| panic!("{pattern:?} refused the model: {e}"));
        assert_eq!(svc.notes.len(), 1, "{pattern:?}: {:?}", svc.notes);
        let note = &svc.notes[0];
        assert!(
            note.starts_with(&format!(
                "`{subject}`: its `smithy.api#pattern` {pattern:?}"
            )) && note.contains(why)
                && note.ends_with("values are not checked against it"),
            "{note}"
        );
        let pattern_in_code = files.values().any(|f| f.contains(&format!("{pattern:?}")));
        assert!(!pattern_in_code, "{pattern:?} is still checked");
    }
}
