//! `@idempotencyToken` members (the golden kitchen-sink model's `ClientToken`): a token the
//! caller leaves unset is filled with a fresh UUID v4 per request; one the caller sets is sent
//! as given.

use golden_kitchen_sink::operation::put_everything as op;
use serde_json::{json, Value};

fn client_token(input: &op::PutEverythingInput) -> Option<String> {
    let request = op::serialize_request(input).expect("valid input");
    let body: Value = serde_json::from_slice(&request.body).expect("JSON body");
    body.get("ClientToken")
        .and_then(Value::as_str)
        .map(str::to_owned)
}

fn minimal() -> Value {
    json!({"Everything": {"Required": "yes", "RequiredWithDefault": 1}})
}

#[test]
fn an_unset_token_is_filled_with_a_fresh_uuid() {
    let input = op::input_from_json(&minimal()).expect("input document");
    assert_eq!(input.client_token, None);
    let first = client_token(&input).expect("token filled");
    let second = client_token(&input).expect("token filled");
    assert_eq!(first.len(), 36, "{first}");
    assert_eq!(&first[14..15], "4", "UUID version 4: {first}");
    assert_ne!(first, second, "each request gets its own token");
    // The caller's input is not changed.
    assert_eq!(input.client_token, None);
}

#[test]
fn a_token_the_caller_sets_is_sent_as_given() {
    let mut doc = minimal();
    doc["ClientToken"] = json!("my-token-123");
    let input = op::input_from_json(&doc).expect("input document");
    assert_eq!(client_token(&input).as_deref(), Some("my-token-123"));
}
