//! The AWS restJson1 protocol compliance suite (`$KVS_MODEL_MIRROR/../smithy/protocol-tests/
//! restJson1`), run against the crates generated from it (`tests/compliance/rest-json1`, and
//! `apigateway` and `glacier` for the AWS services whose customizations it tests).
//!
//! Every `smithy.test#httpRequestTests` and `httpResponseTests` case of those services that
//! applies to clients (their operations' and their errors') is a case here:
//! - a request case gives its `params` to the operation (`dispatch::prepare`, signed at a fixed
//!   time) and compares method, path, query parameters (listed, forbidden, required), headers
//!   (listed, forbidden, required), host and body (JSON as JSON, other media types as bytes);
//! - a response case reads its status, headers and body (`dispatch::parse_response`) and
//!   compares the output, or the error and its members, with `params`, shape by shape: floats
//!   bit for bit (NaN too), timestamps as instants, blobs as bytes.
//!
//! A case is named `request <id>` or `response <id>` (a request case and a response case
//! may share an id). Cases that still fail are listed with the reason in `compliance_rest_json_failures.txt`: a
//! listed case that passes fails the test (so the list stays true), and so does an unlisted
//! failure. Without the suite the test is skipped, except with `CI` set, where it fails.
//!
//! `cargo test -p wire-tests --test compliance_rest_json -- --nocapture` prints each failure.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::{json, Value};
use smithy_lite_codegen::compliance;
use smithy_lite_runtime::client::{Config, IdempotencyTokenProvider, ServiceMeta};
use smithy_lite_runtime::datetime::{DateTime, Format};
use smithy_lite_runtime::error::ErrorMeta;
use smithy_lite_runtime::http::{Headers, HttpResponse};
use smithy_lite_runtime::sigv4::Credentials;
use smithy_lite_runtime::transport::OutgoingRequest;
use tokio::runtime::Runtime;

/// What a case needs of a generated crate's `dispatch`, whichever crate it is.
struct Generated {
    /// `SuiteSpec::name`: the folder under `tests/compliance/`.
    name: &'static str,
    service: &'static ServiceMeta,
    operations: fn() -> Vec<&'static str>,
    prepare: fn(&Runtime, &Config, &str, &Value) -> Result<OutgoingRequest, String>,
    parse: fn(&str, &HttpResponse) -> Result<Vec<u8>, Answer>,
}

/// A response that did not read into an output.
enum Answer {
    /// The service's error: its metadata and its members as a document.
    Service(ErrorMeta, Vec<u8>),
    Other(String),
}

macro_rules! generated {
    ($name:literal, $krate:ident) => {
        Generated {
            name: $name,
            service: &$krate::client::SERVICE,
            operations: || {
                $krate::dispatch::OPERATIONS
                    .iter()
                    .map(|o| o.name)
                    .collect()
            },
            prepare: |runtime, config, op, input| {
                runtime
                    .block_on($krate::dispatch::prepare(
                        config,
                        op,
                        input,
                        "00000000-0000-4000-8000-000000000000",
                    ))
                    .map_err(|e| e.to_string())
            },
            parse: |op, response| {
                $krate::dispatch::parse_response(op, response).map_err(|e| match e {
                    $krate::dispatch::CallError::Service(meta, document) => {
                        Answer::Service(meta, document)
                    }
                    other => Answer::Other(other.to_string()),
                })
            },
        }
    };
}

/// The generated crates, one a suite of `compliance::SUITES`.
fn generated_crates() -> Vec<Generated> {
    vec![
        generated!("rest-json1", rest_json_protocol),
        generated!("apigateway", api_gateway),
        generated!("glacier", glacier),
    ]
}

const FAILURES_FILE: &str = "tests/compliance_rest_json_failures.txt";

fn smithy_dir() -> Option<PathBuf> {
    shared_data::require("the protocol tests", "smithy/protocol-tests")?;
    Some(shared_data::shared_path("smithy"))
}

/// The flattened model, for the shapes of members.
struct Shapes<'a>(&'a serde_json::Map<String, Value>);

impl<'a> Shapes<'a> {
    /// The shape `id`; `null` for prelude shapes (`smithy.api#String`), which the flattened
    /// model leaves out.
    fn get(&self, id: &str) -> &'a Value {
        self.0.get(id).unwrap_or(&Value::Null)
    }

    /// The shape type of `id` (`structure`, `string`, …), prelude shapes included.
    fn kind(&self, id: &str) -> String {
        if let Some(name) = id.strip_prefix("smithy.api#") {
            return match name {
                "PrimitiveBoolean" => "boolean".into(),
                "PrimitiveByte" => "byte".into(),
                "PrimitiveShort" => "short".into(),
                "PrimitiveInteger" => "integer".into(),
                "PrimitiveLong" => "long".into(),
                "PrimitiveFloat" => "float".into(),
                "PrimitiveDouble" => "double".into(),
                "Unit" => "structure".into(),
                other => other.to_ascii_lowercase(),
            };
        }
        self.get(id)["type"]
            .as_str()
            .unwrap_or("unknown")
            .to_string()
    }

    /// `(member name, target)` of a structure or union.
    fn members(&self, id: &str) -> Vec<(String, String)> {
        self.get(id)["members"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(name, m)| (name.clone(), m["target"].as_str().unwrap_or("").to_string()))
            .collect()
    }

    /// The target of a structure's or union's member, or of a list's `member` or a map's
    /// `key` and `value`.
    fn member_target(&self, id: &str, member: &str) -> String {
        let shape = self.get(id);
        let m = match shape["type"].as_str() {
            Some("list" | "set" | "map") => &shape[member],
            _ => &shape["members"][member],
        };
        m["target"].as_str().unwrap_or("").to_string()
    }
}

/// A test case's `params` (Smithy node values) as the input document `dispatch` takes: blobs
/// as base64; everything else as it is.
fn to_input(shapes: &Shapes, target: &str, node: &Value) -> Value {
    match (shapes.kind(target).as_str(), node) {
        ("blob", Value::String(s)) => Value::String(STANDARD.encode(s.as_bytes())),
        ("structure" | "union", Value::Object(o)) => Value::Object(
            o.iter()
                .map(|(k, v)| {
                    let t = shapes.member_target(target, k);
                    (k.clone(), to_input(shapes, &t, v))
                })
                .collect(),
        ),
        ("list" | "set", Value::Array(items)) => {
            let t = shapes.member_target(target, "member");
            Value::Array(items.iter().map(|v| to_input(shapes, &t, v)).collect())
        }
        ("map", Value::Object(o)) => {
            let t = shapes.member_target(target, "value");
            Value::Object(
                o.iter()
                    .map(|(k, v)| (k.clone(), to_input(shapes, &t, v)))
                    .collect(),
            )
        }
        _ => node.clone(),
    }
}

/// A float in a test case or an output document: a number, or `NaN`, `Infinity`, `-Infinity`.
fn float_of(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => match s.as_str() {
            "NaN" => Some(f64::NAN),
            "Infinity" => Some(f64::INFINITY),
            "-Infinity" => Some(f64::NEG_INFINITY),
            _ => None,
        },
        _ => None,
    }
}

/// Compares the expected `params` with an output (or error) document, shape by shape.
fn compare(
    shapes: &Shapes,
    target: &str,
    expected: &Value,
    actual: &Value,
    path: &str,
) -> Result<(), String> {
    let differ = || {
        Err(format!(
            "{path}: expected {expected}, got {actual}",
            path = if path.is_empty() { "(top)" } else { path }
        ))
    };
    let kind = shapes.kind(target);
    match kind.as_str() {
        "structure" | "union" => {
            let (Some(e), Some(a)) = (expected.as_object(), actual.as_object()) else {
                return differ();
            };
            for (name, t) in shapes.members(target) {
                let ev = e.get(&name).filter(|v| !v.is_null());
                let av = a.get(&name).filter(|v| !v.is_null());
                let p = format!("{path}.{name}");
                match (ev, av) {
                    (None, None) => {}
                    (Some(ev), Some(av)) => compare(shapes, &t, ev, av, &p)?,
                    (Some(ev), None) => return Err(format!("{p}: expected {ev}, absent")),
                    (None, Some(av)) => return Err(format!("{p}: expected absent, got {av}")),
                }
            }
            for k in a.keys() {
                if shapes.get(target)["members"].get(k).is_none() {
                    return Err(format!("{path}.{k}: not a member, got {}", a[k]));
                }
            }
            Ok(())
        }
        "list" | "set" => {
            let (Some(e), Some(a)) = (expected.as_array(), actual.as_array()) else {
                return differ();
            };
            if e.len() != a.len() {
                return differ();
            }
            let t = shapes.member_target(target, "member");
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                let p = format!("{path}[{i}]");
                match (ev.is_null(), av.is_null()) {
                    (true, true) => {}
                    (false, false) => compare(shapes, &t, ev, av, &p)?,
                    _ => return Err(format!("{p}: expected {ev}, got {av}")),
                }
            }
            Ok(())
        }
        "map" => {
            let (Some(e), Some(a)) = (expected.as_object(), actual.as_object()) else {
                return differ();
            };
            if e.len() != a.len() || e.keys().any(|k| !a.contains_key(k)) {
                return differ();
            }
            let t = shapes.member_target(target, "value");
            for (k, ev) in e {
                let av = &a[k];
                let p = format!("{path}[{k:?}]");
                match (ev.is_null(), av.is_null()) {
                    (true, true) => {}
                    (false, false) => compare(shapes, &t, ev, av, &p)?,
                    _ => return Err(format!("{p}: expected {ev}, got {av}")),
                }
            }
            Ok(())
        }
        "blob" => {
            let want = expected.as_str().map(str::as_bytes);
            let got = actual.as_str().and_then(|s| STANDARD.decode(s).ok());
            if want.is_some() && want == got.as_deref() {
                Ok(())
            } else {
                differ()
            }
        }
        "timestamp" => {
            let want = expected.as_f64();
            let got = actual
                .as_str()
                .and_then(|s| DateTime::parse(s, Format::DateTime).ok())
                .map(|t| t.as_secs_f64());
            match (want, got) {
                (Some(w), Some(g)) if (w - g).abs() < 1e-6 => Ok(()),
                _ => differ(),
            }
        }
        "float" => match (float_of(expected), float_of(actual)) {
            (Some(w), Some(g)) if (w as f32).to_bits() == (g as f32).to_bits() => Ok(()),
            _ => differ(),
        },
        "double" => match (float_of(expected), float_of(actual)) {
            (Some(w), Some(g)) if w.to_bits() == g.to_bits() => Ok(()),
            _ => differ(),
        },
        "bigdecimal" | "biginteger" => {
            if json_equal(expected, actual) {
                Ok(())
            } else {
                differ()
            }
        }
        _ => {
            if expected == actual {
                Ok(())
            } else {
                differ()
            }
        }
    }
}

/// Compares a case's `params` with an output or error document (`dispatch`'s bytes).
fn compare_document(
    shapes: &Shapes,
    shape: &str,
    case: &Value,
    document: &[u8],
) -> Result<(), String> {
    let doc: Value =
        serde_json::from_slice(document).map_err(|e| format!("the document is not JSON: {e}"))?;
    compare(
        shapes,
        shape,
        &case["params"].clone().into_object_or_empty(),
        &doc,
        "",
    )
}

/// The client as a case runs it: the case's `host` (else `example.com`) as the endpoint, a
/// fixed signing time, and the idempotency token the suite expects.
fn config(service: &'static ServiceMeta, host: Option<&str>) -> Config {
    Config::builder()
        .env(rest_json_protocol::runtime::profile::Env::from_vars(
            Vec::<(String, String)>::new(),
        ))
        .region("us-east-1")
        .credentials(Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
        ))
        .endpoint_url(format!("https://{}", host.unwrap_or("example.com")))
        .idempotency_token_provider(IdempotencyTokenProvider::fixed(
            "00000000-0000-4000-8000-000000000000",
        ))
        .signing_time(UNIX_EPOCH + Duration::from_secs(1_576_540_098))
        .build(service)
        .expect("the configuration builds")
}

/// `(path, query pairs as sent)` of a URL.
fn split_url(url: &str) -> (String, String, Vec<String>) {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let (host, path_query) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let (path, query) = path_query.split_once('?').unwrap_or((path_query, ""));
    let pairs = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    (host.to_string(), path.to_string(), pairs)
}

fn strings(case: &Value, key: &str) -> Vec<String> {
    case[key]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

fn body_matches(case: &Value, body: &[u8]) -> Result<(), String> {
    let Some(want) = case["body"].as_str() else {
        return Ok(());
    };
    let media = case["bodyMediaType"].as_str().unwrap_or("");
    if media.contains("json") && !want.is_empty() {
        let w: Value = serde_json::from_str(want).map_err(|e| format!("the case's body: {e}"))?;
        let g: Value = serde_json::from_slice(body).map_err(|e| {
            format!(
                "body is not JSON ({e}): {:?}",
                String::from_utf8_lossy(body)
            )
        })?;
        if !json_equal(&w, &g) {
            return Err(format!("body: expected {w}, got {g}"));
        }
        return Ok(());
    }
    if want.as_bytes() != body {
        return Err(format!(
            "body: expected {want:?}, got {:?}",
            String::from_utf8_lossy(body)
        ));
    }
    Ok(())
}

/// JSON equality with numbers compared as numbers (`1` and `1.0` are one value).
fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_equal(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

/// Compares the request `op_name` built with what `case` expects.
fn check_request(op_name: &str, case: &Value, request: &OutgoingRequest) -> Result<(), String> {
    let (host, path, query) = split_url(&request.url);
    let mut problems = Vec::new();
    if let Some(m) = case["method"].as_str() {
        if !m.eq_ignore_ascii_case(&request.method) {
            problems.push(format!("method: expected {m}, got {}", request.method));
        }
    }
    if let Some(uri) = case["uri"].as_str() {
        if uri != path {
            problems.push(format!("path: expected {uri}, got {path}"));
        }
    }
    for q in strings(case, "queryParams") {
        if !query.contains(&q) {
            problems.push(format!("query: {q:?} missing from {query:?}"));
        }
    }
    let keys: Vec<&str> = query
        .iter()
        .map(|p| p.split('=').next().unwrap_or(""))
        .collect();
    for q in strings(case, "forbidQueryParams") {
        if keys.contains(&q.as_str()) {
            problems.push(format!("query: {q:?} is forbidden, got {query:?}"));
        }
    }
    for q in strings(case, "requireQueryParams") {
        if !keys.contains(&q.as_str()) {
            problems.push(format!("query: {q:?} is required, got {query:?}"));
        }
    }
    if let Some(headers) = case["headers"].as_object() {
        for (name, want) in headers {
            let want = want.as_str().unwrap_or_default();
            match request.headers.get(name) {
                Some(got) if got == want => {}
                got => problems.push(format!("header {name}: expected {want:?}, got {got:?}")),
            }
        }
    }
    for name in strings(case, "forbidHeaders") {
        if let Some(got) = request.headers.get(&name) {
            problems.push(format!("header {name} is forbidden, got {got:?}"));
        }
    }
    for name in strings(case, "requireHeaders") {
        if request.headers.get(&name).is_none() {
            problems.push(format!("header {name} is required"));
        }
    }
    if let Some(want) = case["resolvedHost"].as_str() {
        if want != host {
            problems.push(format!("host: expected {want}, got {host}"));
        }
    }
    if let Err(e) = body_matches(case, &request.body) {
        problems.push(e);
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{op_name}: {}", problems.join("; ")))
    }
}

fn response_of(case: &Value) -> HttpResponse {
    let mut headers = Headers::new();
    for (k, v) in case["headers"].as_object().into_iter().flatten() {
        headers.append(k.clone(), v.as_str().unwrap_or_default().to_owned());
    }
    let code = case["code"].as_u64().unwrap_or(200) as u16;
    HttpResponse::new(
        code,
        headers,
        case["body"].as_str().unwrap_or("").as_bytes().to_vec(),
    )
}

/// Runs every client case of the suite's service through its crate, into `outcomes`
/// (`case id -> outcome`).
fn run_suite(
    spec: &compliance::SuiteSpec,
    model: &Value,
    krate: &Generated,
    runtime: &Runtime,
    outcomes: &mut BTreeMap<String, Result<(), String>>,
) {
    let shapes = Shapes(model["shapes"].as_object().expect("shapes"));
    let service = shapes.get(spec.service);
    let generated = (krate.operations)();
    let config = config(krate.service, None);

    let client = |c: &&Value| c["appliesTo"].as_str() != Some("server");
    let mut record = |id: &str, outcome: Result<(), String>| {
        if outcomes.insert(id.to_string(), outcome).is_some() {
            panic!("two cases are named {id}");
        }
    };
    let mut errors_seen: BTreeMap<String, String> = BTreeMap::new();
    for op_ref in service["operations"].as_array().expect("operations") {
        let op_id = op_ref["target"].as_str().expect("target");
        let op = shapes.get(op_id);
        let op_name = op_id.rsplit('#').next().unwrap_or(op_id);
        let available = generated.contains(&op_name);
        // The generator refused the operation (`cargo xtask codegen` prints why).
        let why_not = || format!("{op_name} is not in the generated crate");
        for e in op["errors"].as_array().into_iter().flatten() {
            if let Some(e) = e["target"].as_str() {
                errors_seen
                    .entry(e.to_string())
                    .or_insert_with(|| op_name.to_string());
            }
        }
        let input = op["input"]["target"].as_str().unwrap_or("smithy.api#Unit");
        let output = op["output"]["target"].as_str().unwrap_or("smithy.api#Unit");
        for case in op["traits"]["smithy.test#httpRequestTests"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(client)
        {
            let id = &format!("request {}", case["id"].as_str().expect("id"));
            if !available {
                record(id, Err(why_not()));
                continue;
            }
            let params = to_input(
                &shapes,
                input,
                &case["params"].clone().into_object_or_empty(),
            );
            let config = match case["host"].as_str() {
                Some(host) => self::config(krate.service, Some(host)),
                None => config.clone(),
            };
            let prepared = (krate.prepare)(runtime, &config, op_name, &params);
            let outcome = match prepared {
                Ok(request) => check_request(op_name, case, &request),
                Err(e) => Err(format!("{op_name}: the request was not built: {e}")),
            };
            record(id, outcome);
        }
        for case in op["traits"]["smithy.test#httpResponseTests"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(client)
        {
            let id = &format!("response {}", case["id"].as_str().expect("id"));
            if !available {
                record(id, Err(why_not()));
                continue;
            }
            let outcome = match (krate.parse)(op_name, &response_of(case)) {
                Ok(document) => compare_document(&shapes, output, case, &document),
                Err(Answer::Service(meta, _)) => Err(format!(
                    "{op_name}: the response was not read: the error {:?}",
                    meta.code()
                )),
                Err(Answer::Other(e)) => Err(format!("{op_name}: the response was not read: {e}")),
            };
            record(id, outcome);
        }
    }
    // Error cases: read through the first operation that names the error.
    for (error_id, op_name) in &errors_seen {
        let error_name = error_id.rsplit('#').next().unwrap_or(error_id);
        for case in shapes.get(error_id)["traits"]["smithy.test#httpResponseTests"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(client)
        {
            let id = &format!("response {}", case["id"].as_str().expect("id"));
            let outcome = match (krate.parse)(op_name, &response_of(case)) {
                Ok(document) => Err(format!(
                    "{op_name}: expected the error {error_name}, got the output {}",
                    String::from_utf8_lossy(&document)
                )),
                Err(Answer::Service(meta, document)) => {
                    if meta.code() != Some(error_name) {
                        Err(format!(
                            "{op_name}: expected the error {error_name}, got {:?}",
                            meta.code()
                        ))
                    } else {
                        compare_document(&shapes, error_id, case, &document)
                    }
                }
                Err(Answer::Other(e)) => Err(format!("{op_name}: the error was not read: {e}")),
            };
            record(id, outcome);
        }
    }
}

trait ObjectOrEmpty {
    fn into_object_or_empty(self) -> Value;
}

impl ObjectOrEmpty for Value {
    fn into_object_or_empty(self) -> Value {
        if self.is_null() {
            json!({})
        } else {
            self
        }
    }
}

/// `case id -> reason` from the failures file.
fn known_failures() -> BTreeMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(FAILURES_FILE);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| match l.split_once(": ") {
            Some((case, why)) => (case.trim().to_string(), why.trim().to_string()),
            None => (l.trim().to_string(), String::new()),
        })
        .collect()
}

#[test]
fn rest_json1_compliance_suite() {
    let Some(smithy) = smithy_dir() else {
        return;
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let crates = generated_crates();
    let mut outcomes = BTreeMap::new();
    let mut models: BTreeMap<&str, Value> = BTreeMap::new();
    for spec in compliance::SUITES {
        let krate = crates
            .iter()
            .find(|c| c.name == spec.name)
            .unwrap_or_else(|| panic!("no crate for the suite {}", spec.name));
        let model = models
            .entry(spec.folder)
            .or_insert_with(|| compliance::read(&smithy, spec).unwrap_or_else(|e| panic!("{e}")));
        let before = outcomes.len();
        run_suite(spec, model, krate, &runtime, &mut outcomes);
        eprintln!("{}: {} client cases", spec.service, outcomes.len() - before);
    }
    let known = known_failures();
    let mut problems = Vec::new();
    let mut passed = 0;
    for (case, outcome) in &outcomes {
        match (outcome, known.get(case)) {
            (Ok(()), None) => passed += 1,
            (Ok(()), Some(_)) => problems.push(format!(
                "{case}: passes now; remove it from {FAILURES_FILE}"
            )),
            (Err(why), None) => problems.push(format!("{case}: {why}")),
            (Err(why), Some(_)) => eprintln!("known failure {case}: {why}"),
        }
    }
    for case in known.keys() {
        if !outcomes.contains_key(case) {
            problems.push(format!("{case}: listed in {FAILURES_FILE} but not a case"));
        }
    }
    let total = outcomes.len();
    eprintln!(
        "restJson1 compliance: {passed} of {total} client cases pass ({:.1}%), {} listed failures",
        100.0 * passed as f64 / total as f64,
        known.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The list above is exact, so the figure cannot fall without this test failing.
    assert_eq!(passed + known.len(), total);
}
