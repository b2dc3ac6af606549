//! botocore agreement of a corpus run, per model and operation, through the botocore oracle
//! (`../shared/oracle/oracle.py`, botocore 1.37.26 in a virtual environment of its own) and
//! the driver of the scratch workspace.
//!
//! For each case (an operation and a seed): the oracle's `params-from-model` gives random valid
//! params, botocore's request for them, a random valid response and botocore's parse of it. The
//! driver gives our signed request for the same params (same time, credentials, region and
//! invocation id) and our parse of the same response. The oracle's `request` then signs *our*
//! body bytes (with our idempotency tokens, which both sides draw at random), so that method,
//! URL, every header and `Authorization` can be compared byte for byte, and the bodies as JSON.
//!
//! A case that does not agree is either a disagreement (the run fails) or, when the oracle
//! cannot build a valid case, an exception listed with its reason (see [`Exception`]).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;

use serde_json::{json, Value};
use smithy_lite_codegen::ir::{Binding, Service, Type};

use super::compare::{json_difference, typed_difference, typed_difference_beside_model};
use super::driver::{driver_binary, DRIVER};
use super::{Model, Options, BOTOCORE_VERSION};

/// Headers that change with every call or release (botocore's oracle calls them volatile).
const VOLATILE_HEADERS: &[&str] = &[
    "user-agent",
    "amz-sdk-invocation-id",
    "amz-sdk-request",
    "x-amz-user-agent",
];

/// A difference between botocore and the generated crate that is not ours to fix: the request
/// agrees once `relax` makes our request what botocore sends (given botocore's signed request;
/// the signature then differs too, since botocore signs what it sends, and is taken from it).
pub struct KnownDifference {
    /// botocore's service name.
    pub botocore: &'static str,
    /// The operation, or `*` for all.
    pub operation: &'static str,
    pub relax: fn(&Value, &Value) -> Value,
    pub why: &'static str,
}

/// Why a response is left out when it sets several members of a Smithy union.
const UNION_IS_A_STRUCTURE: &str = "the two models differ: a Smithy union is a structure in botocore's copy, and the oracle's answer sets several members (our reader refuses a union with two)";

/// Why a request whose only difference is in 32-bit `float` members is left out.
const FLOAT32_WHY: &str = "a 32-bit float: the oracle's value has more digits than a float holds; botocore sends them all, we send the nearest float in its shortest form (a service reading a float gets the same value)";

/// Every listed difference. Each applies only where it is all that differs.
pub const KNOWN_DIFFERENCES: &[KnownDifference] = &[
    KnownDifference {
        botocore: "lambda",
        operation: "*",
        relax: with_trailing_slash,
        why: "the two models differ: botocore's requestUris of lambda's collections end in `/` (`/2015-03-31/functions/`), the Smithy model's do not",
    },
    KnownDifference {
        botocore: "quicksight",
        operation: "CreateIAMPolicyAssignment",
        relax: with_trailing_slash,
        why: "the two models differ: botocore's requestUri is `/accounts/{AwsAccountId}/namespaces/{Namespace}/iam-policy-assignments/`, the Smithy model's has no trailing `/`",
    },
    KnownDifference {
        botocore: "osis",
        operation: "*",
        relax: with_trailing_slash,
        why: "the two models differ: botocore's requestUris of osis end in `/` (`/2022-01-01/osis/tagResource/`), the Smithy model's do not",
    },
    KnownDifference {
        botocore: "efs",
        operation: "DescribeTags",
        relax: with_trailing_slash,
        why: "the two models differ: botocore's requestUri is `/2015-02-01/tags/{FileSystemId}/`, the Smithy model's has no trailing `/`",
    },
    KnownDifference {
        botocore: "iotevents",
        operation: "StartDetectorModelAnalysis",
        relax: with_trailing_slash,
        why: "the two models differ: botocore's requestUri is `/analysis/detector-models/`, the Smithy model's has no trailing `/`",
    },
    KnownDifference {
        botocore: "wellarchitected",
        operation: "ListProfileNotifications",
        relax: with_trailing_slash,
        why: "the two models differ: botocore's requestUri is `/profileNotifications/`, the Smithy model's has no trailing `/`",
    },
];

/// Our request with botocore's `authorization`.
fn with_their_signature(request: &Value, signed: &Value) -> Value {
    let mut r = request.clone();
    let theirs = signed["headers"]["authorization"].clone();
    if let Some(headers) = r["headers"].as_array_mut() {
        for h in headers.iter_mut() {
            if h[0]
                .as_str()
                .is_some_and(|n| n.eq_ignore_ascii_case("authorization"))
            {
                h[1] = theirs.clone();
            }
        }
    }
    r
}

/// Our request with a `/` at the end of its path, and botocore's signature.
fn with_trailing_slash(request: &Value, signed: &Value) -> Value {
    let mut r = with_their_signature(request, signed);
    let url = r["url"].as_str().unwrap_or_default().to_string();
    let url = match url.split_once('?') {
        Some((path, query)) => format!("{path}/?{query}"),
        None => format!("{url}/"),
    };
    r["url"] = json!(url);
    r
}

/// Why a case is left out of the agreement count; each is decided from what the oracle itself
/// reports, never from a list of cases.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exception {
    /// botocore's own validation rejects the params the oracle made.
    OracleParamsInvalid(String),
    /// The oracle could not make a value that matches a `@pattern` (its generator ignores
    /// look-around, back-references...), said so in a warning, and our validation rightly
    /// rejects the value; botocore does not check patterns.
    OraclePatternUnsatisfied(String),
    /// The params set several members of a shape the model makes a union and botocore's copy a
    /// structure: the two models differ; our input reader refuses a union with two members.
    UnionIsAStructureInBotocore,
    /// The params set a member botocore's copy of the model has and the Smithy model lacks
    /// (botocore's copy is newer); our input reader refuses the unknown key.
    BotocoreOnlyMember(String),
    /// A listed difference between botocore and the model ([`KNOWN_DIFFERENCES`]).
    Known(&'static str),
    /// The oracle's random generator fails on the operation's shapes.
    OracleCannotGenerate(String),
    /// The params leave an `@httpLabel` empty: botocore sends a path with an empty segment
    /// (another route); we refuse the input, as the AWS SDKs for Java and Rust do.
    EmptyLabel(String),
}

impl Exception {
    fn reason(&self) -> String {
        match self {
            Exception::OracleParamsInvalid(e) => {
                format!("oracle cannot build a case: botocore rejects its params ({e})")
            }
            Exception::Known(why) => why.to_string(),
            Exception::UnionIsAStructureInBotocore => "the two models differ: the params set several members of a shape the Smithy model makes a union (botocore's copy: a structure)".to_string(),
            Exception::BotocoreOnlyMember(e) => format!("the two models differ: the params set a member only botocore's copy has ({e})"),
            Exception::OracleCannotGenerate(e) => {
                format!("oracle cannot build a case: its generator fails ({e})")
            }
            Exception::EmptyLabel(why) => format!(
                "an empty @httpLabel: botocore sends a path with an empty segment, we refuse it ({why})"
            ),
            Exception::OraclePatternUnsatisfied(w) => format!(
                "oracle cannot build a case: its value breaks a @pattern it could not satisfy ({w}); our validation rejects it, botocore does not check patterns"
            ),
        }
    }
}

#[derive(Default)]
pub struct Outcome {
    /// botocore's name of the service.
    pub botocore: Option<String>,
    pub operations: usize,
    pub cases: usize,
    pub requests_agreed: usize,
    pub responses_agreed: usize,
    /// (where, exception).
    pub exceptions: Vec<(String, Exception)>,
    /// (where, what differs).
    pub disagreements: Vec<(String, String)>,
    /// Operations one side has and the other lacks: (operation, which side has it).
    pub one_sided: Vec<(String, &'static str)>,
    /// Responses left out of the count, with the reason: (where, why).
    pub response_exceptions: Vec<(String, &'static str)>,
    /// Responses that agree but for members only botocore's copy of the model has (it is
    /// newer): (where, those members). They count as agreed.
    pub responses_models_differ: Vec<(String, String)>,
    /// Operations with an event stream, not compared: the oracle cannot print an event
    /// stream (the event stream codec is held against `botocore.eventstream` in
    /// `tests/tests/event_streams.rs`).
    pub event_streams: Vec<String>,
    /// The comparison could not run.
    pub error: Option<String>,
    /// botocore has no such service (Transcribe Streaming speaks only HTTP/2 event streams,
    /// which botocore does not): nothing to compare with, which is not a failure.
    pub not_in_botocore: Option<String>,
}

impl Outcome {
    pub fn all_agree(&self) -> bool {
        self.error.is_none() && self.disagreements.is_empty()
    }

    pub fn summary(&self) -> String {
        if let Some(e) = &self.error {
            return format!("AGREEMENT NOT RUN: {e}");
        }
        if let Some(why) = &self.not_in_botocore {
            return format!("not compared: {why}");
        }
        let compared = self.cases - self.exceptions.len();
        let mut s = format!(
            "botocore `{}`: {} ops, requests {}/{compared} agreed | responses {}/{} agreed",
            self.botocore.as_deref().unwrap_or("?"),
            self.operations,
            self.requests_agreed,
            self.responses_agreed,
            self.cases - self.response_exceptions.len()
        );
        if !self.response_exceptions.is_empty() {
            s.push_str(&format!(
                " | {} response exceptions",
                self.response_exceptions.len()
            ));
        }
        if !self.exceptions.is_empty() {
            s.push_str(&format!(" | {} exceptions", self.exceptions.len()));
        }
        if !self.responses_models_differ.is_empty() {
            s.push_str(&format!(
                " | {} responses agreed but for members only botocore's model has",
                self.responses_models_differ.len()
            ));
        }
        if !self.event_streams.is_empty() {
            s.push_str(&format!(
                " | {} event-stream ops not compared",
                self.event_streams.len()
            ));
        }
        if !self.one_sided.is_empty() {
            s.push_str(&format!(" | {} one-sided ops", self.one_sided.len()));
        }
        s
    }

    pub fn details(&self, verbose: bool) -> Vec<String> {
        let mut out = Vec::new();
        let limit = if verbose { usize::MAX } else { 3 };
        for (at, d) in self.disagreements.iter().take(limit) {
            out.push(format!("DISAGREEMENT {at}: {d}"));
        }
        if self.disagreements.len() > limit {
            out.push(format!(
                "... {} more disagreements (--verbose shows all)",
                self.disagreements.len() - limit
            ));
        }
        for (at, e) in self.exceptions.iter().take(limit) {
            out.push(format!("exception {at}: {}", e.reason()));
        }
        if self.exceptions.len() > limit {
            out.push(format!(
                "... {} more exceptions (--verbose shows all)",
                self.exceptions.len() - limit
            ));
        }
        for (op, side) in &self.one_sided {
            out.push(format!("not compared: {op} (only {side} has it)"));
        }
        out
    }
}

/// A Python with `botocore==BOTOCORE_VERSION`: `--python`, else a venv in the target folder.
fn python(opts: &Options) -> Result<PathBuf, String> {
    let python = match &opts.python {
        Some(p) => p.clone(),
        None => {
            let venv = opts
                .scratch
                .parent()
                .unwrap_or(&opts.scratch)
                .join("corpus-venv");
            let python = venv.join("bin/python");
            if !python.exists() {
                println!(
                    "agree: creating {} with botocore=={BOTOCORE_VERSION}",
                    venv.display()
                );
                run_ok(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
                run_ok(Command::new(&python).args([
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                    &format!("botocore=={BOTOCORE_VERSION}"),
                ]))?;
            }
            python
        }
    };
    let version = Command::new(&python)
        .args(["-c", "import botocore; print(botocore.__version__)"])
        .output()
        .map_err(|e| format!("running {}: {e}", python.display()))?;
    let version = String::from_utf8_lossy(&version.stdout).trim().to_string();
    if version != BOTOCORE_VERSION {
        return Err(format!(
            "{} has botocore {version:?}; the corpus is compared with botocore=={BOTOCORE_VERSION}, the release of the models' week (pass --python or KVS_CORPUS_PYTHON)",
            python.display()
        ));
    }
    Ok(python)
}

fn run_ok(cmd: &mut Command) -> Result<(), String> {
    let status = cmd.status().map_err(|e| format!("{cmd:?}: {e}"))?;
    status
        .success()
        .then_some(())
        .ok_or_else(|| format!("{cmd:?} failed with {status}"))
}

/// The oracle script, next to the models folder.
fn oracle_script(root: &Path) -> Result<PathBuf, String> {
    let mirror = match std::env::var_os("KVS_MODEL_MIRROR") {
        Some(m) if !m.is_empty() => root.join(m),
        _ => root.join("../shared/models"),
    };
    let oracle = mirror
        .parent()
        .map(|p| p.join("oracle/oracle.py"))
        .unwrap_or_default();
    if oracle.is_file() {
        Ok(oracle)
    } else {
        Err(format!(
            "no botocore oracle at {} (found next to KVS_MODEL_MIRROR)",
            oracle.display()
        ))
    }
}

struct Oracle {
    python: PathBuf,
    script: PathBuf,
}

impl Oracle {
    /// Runs `oracle.py <command>` for botocore service `service` with `input` on stdin.
    fn run(&self, service: &str, command: &str, input: &Value) -> Result<Value, String> {
        let mut child = Command::new(&self.python)
            .arg(&self.script)
            .arg(command)
            .env("ORACLE_SERVICE", service)
            .env("PYTHONHASHSEED", "0")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("running the oracle: {e}"))?;
        let text = input.to_string();
        let mut stdin = child.stdin.take().expect("piped");
        let writer = std::thread::spawn(move || stdin.write_all(text.as_bytes()));
        let out = child
            .wait_with_output()
            .map_err(|e| format!("the oracle: {e}"))?;
        let _ = writer.join();
        if !out.status.success() {
            return Err(format!(
                "oracle.py {command} for {service} failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
                    .lines()
                    .last()
                    .unwrap_or_default()
            ));
        }
        // A binary body is also echoed as text (`body`, undecodable bytes kept as they are):
        // read lossily, the comparisons use `body_base64`.
        serde_json::from_str(&String::from_utf8_lossy(&out.stdout))
            .map_err(|e| format!("oracle.py {command} for {service}: not JSON: {e}"))
    }
}

/// botocore's service name for each sdkId (botocore's `metadata.serviceId`), looked up among
/// botocore's own models: the likely names first, every model only for what is left.
const SERVICE_NAMES: &str = r#"
import json, sys
import botocore.session
wanted = json.load(sys.stdin)
session = botocore.session.get_session()
loader = session.get_component('data_loader')
available = set(session.get_available_services())
def service_id(name):
    try:
        return loader.load_service_model(name, 'service-2')['metadata'].get('serviceId')
    except Exception:
        return None
found = {}
for sdk_id, candidates in wanted.items():
    for c in candidates:
        if c in available and service_id(c) == sdk_id:
            found[sdk_id] = c
            break
left = [s for s in wanted if s not in found]
if left:
    for name in sorted(available):
        sid = service_id(name)
        if sid in left and sid not in found:
            found[sid] = name
print(json.dumps(found, sort_keys=True))
"#;

fn botocore_names(
    oracle: &Oracle,
    services: &[&Service],
) -> Result<BTreeMap<String, String>, String> {
    let wanted: BTreeMap<&str, Vec<String>> = services
        .iter()
        .map(|s| {
            let mut c = vec![s.crate_name.clone(), s.crate_name.replace('-', "")];
            c.extend(s.endpoint_prefix.clone());
            c.extend(s.signing_name.clone());
            (s.sdk_id.as_str(), c)
        })
        .collect();
    let mut child = Command::new(&oracle.python)
        .args(["-c", SERVICE_NAMES])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("looking up botocore's service names: {e}"))?;
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(json!(wanted).to_string().as_bytes())
        .map_err(|e| e.to_string())?;
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    serde_json::from_slice(&out.stdout).map_err(|e| format!("botocore service names: {e}"))
}

/// Phase 3: agreement of every model that built.
pub fn agree_all(root: &Path, opts: &Options, models: &mut [Model]) -> Result<(), String> {
    let oracle = Oracle {
        python: python(opts)?,
        script: oracle_script(root)?,
    };
    let driver = driver_binary(&opts.scratch);
    if !driver.is_file() {
        return Err(format!("{DRIVER} is not built ({})", driver.display()));
    }
    let ready: Vec<usize> = (0..models.len())
        .filter(|&i| matches!(models[i].build, Some(Ok(()))))
        .collect();
    let services: Vec<&Service> = ready.iter().filter_map(|&i| models[i].service()).collect();
    let names = botocore_names(&oracle, &services)?;
    println!(
        "agree: {} models, {} cases per operation, {} at once",
        ready.len(),
        opts.cases,
        opts.jobs
    );
    let queue = Mutex::new(ready.clone());
    let results: Mutex<BTreeMap<usize, Outcome>> = Mutex::new(BTreeMap::new());
    let models_ref: &[Model] = models;
    std::thread::scope(|scope| {
        for _ in 0..opts.jobs {
            scope.spawn(|| loop {
                let Some(i) = queue.lock().unwrap().pop() else {
                    break;
                };
                let model = &models_ref[i];
                let svc = model.service().expect("built models generated");
                let outcome = match names.get(&svc.sdk_id) {
                    None => Outcome {
                        not_in_botocore: Some(format!(
                            "botocore {BOTOCORE_VERSION} has no service with serviceId {:?}",
                            svc.sdk_id
                        )),
                        ..Outcome::default()
                    },
                    Some(name) => agree_model(&oracle, &driver, svc, name, opts.cases)
                        .unwrap_or_else(|e| Outcome {
                            botocore: Some(name.clone()),
                            error: Some(e),
                            ..Outcome::default()
                        }),
                };
                println!("agree: {}: {}", model.name, outcome.summary());
                results.lock().unwrap().insert(i, outcome);
            });
        }
    });
    for (i, outcome) in results.into_inner().unwrap() {
        models[i].agreement = Some(outcome);
    }
    Ok(())
}

/// Top-level input members with `@idempotencyToken`: (model name, binding, wire name).
fn idempotency_tokens(
    svc: &Service,
    input: &smithy_lite_codegen::model::ShapeId,
) -> Vec<(String, Binding, String)> {
    svc.structure(input)
        .members
        .iter()
        .filter(|m| m.idempotency_token)
        .map(|m| (m.name.clone(), m.binding.clone(), m.json_name.clone()))
        .collect()
}

/// The operations whose output payload is a blob: the oracle's random response carries it as
/// base64 text, a service sends the bytes (as `tests/oracle/record.py` records them).
fn blob_payload(svc: &Service, output: &smithy_lite_codegen::model::ShapeId) -> bool {
    svc.structure(output)
        .members
        .iter()
        .any(|m| m.binding == Binding::Payload && matches!(m.target.ty, Type::Blob { .. }))
}

fn agree_model(
    oracle: &Oracle,
    driver: &Path,
    svc: &Service,
    botocore: &str,
    cases: u32,
) -> Result<Outcome, String> {
    let mut outcome = Outcome {
        botocore: Some(botocore.to_string()),
        ..Outcome::default()
    };
    let theirs: BTreeSet<String> =
        serde_json::from_value(oracle.run(botocore, "operations", &Value::Null)?)
            .map_err(|e| format!("oracle operations: {e}"))?;
    let ours: BTreeSet<String> = svc.operations.keys().cloned().collect();
    for op in theirs.difference(&ours) {
        outcome.one_sided.push((op.clone(), "botocore"));
    }
    for op in ours.difference(&theirs) {
        outcome.one_sided.push((op.clone(), "the model"));
    }
    let mut ops: Vec<&String> = ours.intersection(&theirs).collect();
    ops.retain(|name| {
        let op = &svc.operations[*name];
        let streams = svc.event_stream_member(&op.input).is_some()
            || svc.event_stream_member(&op.output).is_some();
        if streams {
            outcome.event_streams.push(name.to_string());
        }
        !streams
    });
    outcome.operations = ops.len();

    // 1. Random cases from botocore's model, with botocore's request and parse.
    let asked: Vec<Value> = ops
        .iter()
        .flat_map(|op| {
            (1..=cases)
                .map(move |seed| json!({"operation": op, "seed": seed, "with_request": true}))
        })
        .collect();
    let mut generated =
        match oracle.run(botocore, "params-from-model", &Value::Array(asked.clone())) {
            Ok(all) => as_list(all, asked.len())?,
            // The oracle's generator fails on some shapes (a blob whose @length minimum is above
            // what it draws): ask operation by operation, and list the cases of those it cannot
            // build.
            Err(_) => {
                let mut ok = Vec::new();
                for op in &ops {
                    let one: Vec<Value> = asked
                        .iter()
                        .filter(|a| a["operation"] == json!(op))
                        .cloned()
                        .collect();
                    match oracle.run(botocore, "params-from-model", &Value::Array(one.clone())) {
                        Ok(v) => ok.extend(as_list(v, one.len())?),
                        Err(e) => {
                            for a in &one {
                                outcome.cases += 1;
                                outcome.exceptions.push((
                                    format!("{op} seed {}", a["seed"]),
                                    Exception::OracleCannotGenerate(e.clone()),
                                ));
                            }
                        }
                    }
                }
                ok
            }
        };
    // 2. Parse again, with the case's params, what botocore could not parse without them (the
    //    oracle parses through a client call, which needs the URI's labels), and blob payloads,
    //    which travel as bytes, not as the base64 text the oracle's random response holds.
    let mut reparse: Vec<usize> = Vec::new();
    for (i, g) in generated.iter_mut().enumerate() {
        let op = &svc.operations[g["operation"].as_str().unwrap_or_default()];
        let mut again = g["parsed_response"].get("exception").is_some();
        if blob_payload(svc, &op.output) {
            if let Some(text) = g["response"].get("body").and_then(Value::as_str) {
                let raw = base64_decode(text)
                    .map_err(|e| format!("a blob payload is not base64 text ({e}): {text:?}"))?;
                let obj = g["response"].as_object_mut().expect("response object");
                obj.remove("body");
                obj.insert("body_base64".into(), json!(base64_encode(&raw)));
                // The random `Content-Length` of an output member would not be the body's:
                // a service sends the body's length (botocore checks it while reading).
                if let Some(headers) = obj.get_mut("headers").and_then(Value::as_object_mut) {
                    if headers.contains_key("content-length") {
                        headers.insert("content-length".into(), json!(raw.len().to_string()));
                    }
                }
                again = true;
            }
        }
        if again {
            reparse.push(i);
        }
    }
    if !reparse.is_empty() {
        let mut inputs = Vec::new();
        for &i in &reparse {
            let mut input = generated[i]["response"].clone();
            input["operation"] = generated[i]["operation"].clone();
            input["params"] = generated[i]["params"].clone();
            inputs.push(input);
        }
        let parsed = as_list(
            oracle.run(botocore, "response", &Value::Array(inputs))?,
            reparse.len(),
        )?;
        for (&i, p) in reparse.iter().zip(parsed) {
            generated[i]["parsed_response"] = p;
        }
    }
    // 3. Our requests and parses. botocore takes a blob param given as text as its UTF-8
    //    bytes; `input_from_json` reads blobs as base64: the same bytes go in both ways.
    let jobs: Vec<Value> = generated
        .iter()
        .map(|g| {
            let op = &svc.operations[g["operation"].as_str().unwrap_or_default()];
            let mut params = g["params"].clone();
            blobs_as_base64(svc, &mut params, &Type::Named(op.input.clone()));
            json!({
                "crate": svc.crate_name,
                "operation": g["operation"],
                "params": params,
                "response": g["response"],
            })
        })
        .collect();
    let ours = run_driver(driver, &jobs)?;
    // 4. botocore signs our body bytes, with our idempotency tokens.
    let mut sign_inputs = Vec::new();
    let mut signed_for = Vec::new();
    for (i, (g, o)) in generated.iter().zip(&ours).enumerate() {
        let Some(request) = o.get("request") else {
            continue;
        };
        let op = &svc.operations[g["operation"].as_str().unwrap_or_default()];
        let mut params = g["params"].clone();
        for (member, binding, wire) in idempotency_tokens(svc, &op.input) {
            if params.get(&member).is_some() {
                continue;
            }
            if let Some(token) = token_in_request(request, &binding, &wire) {
                params[member] = json!(token);
            }
        }
        sign_inputs.push(json!({
            "operation": g["operation"],
            "params": params,
            "body_override_base64": request["body_base64"],
        }));
        signed_for.push(i);
    }
    let signed = as_list(
        oracle.run(botocore, "request", &Value::Array(sign_inputs))?,
        signed_for.len(),
    )?;
    let mut signed_by_case: BTreeMap<usize, Value> = signed_for.into_iter().zip(signed).collect();

    // 5. Compare.
    for (i, (g, o)) in generated.iter().zip(&ours).enumerate() {
        let op_name = g["operation"].as_str().unwrap_or_default();
        let at = format!("{op_name} seed {}", g["seed"]);
        let op = &svc.operations[op_name];
        outcome.cases += 1;
        if let Some(e) = o.get("error") {
            outcome.disagreements.push((at, format!("driver: {e}")));
            continue;
        }
        // The response.
        let parsed = &g["parsed_response"];
        // A parse has botocore's `ResponseMetadata`; a failure of the oracle has none (an
        // output may have a member named `error`).
        let oracle_failed = parsed.get("ResponseMetadata").is_none()
            && (parsed.get("exception").is_some() || parsed.get("error").is_some());
        let our_error = o
            .get("output_error")
            .map(Value::to_string)
            .unwrap_or_default();
        // The oracle's answer sets several members of what botocore's copy of the model makes
        // a structure and the Smithy model a union: left out of the count.
        let union_as_structure =
            !oracle_failed && our_error.contains("a union must have exactly one member set");
        let response_diff = if oracle_failed {
            Some(format!(
                "botocore could not parse the oracle's response: {parsed}"
            ))
        } else if union_as_structure {
            None
        } else {
            match (o.get("output"), o.get("output_error")) {
                (Some(ours), _) => {
                    let mut expected = parsed.clone();
                    if let Some(obj) = expected.as_object_mut() {
                        obj.remove("ResponseMetadata");
                    }
                    let (d, only_botocore) =
                        typed_difference_beside_model(svc, "output", ours, &expected, &op.output);
                    if d.is_none() && !only_botocore.is_empty() {
                        outcome
                            .responses_models_differ
                            .push((at.clone(), only_botocore.join("; ")));
                    }
                    d
                }
                (None, Some(e)) => Some(format!("we could not parse it: {e}")),
                _ => Some("no output".to_string()),
            }
        };
        match response_diff {
            None if union_as_structure => outcome
                .response_exceptions
                .push((at.clone(), UNION_IS_A_STRUCTURE)),
            None => outcome.responses_agreed += 1,
            Some(d) => outcome
                .disagreements
                .push((at.clone(), format!("response: {d}"))),
        }
        // The request.
        let theirs = &g["request"];
        if g["params_valid"] != json!(true) {
            outcome.exceptions.push((
                at,
                Exception::OracleParamsInvalid(g["params_errors"].to_string()),
            ));
            continue;
        }
        if let Some(why) = o.get("rejected").and_then(Value::as_str) {
            let warnings = g["warnings"].as_array().cloned().unwrap_or_default();
            let unsatisfied: Vec<&str> = warnings
                .iter()
                .filter_map(Value::as_str)
                .filter(|w| w.contains("could not satisfy pattern"))
                .collect();
            if only_broken(why, "(@pattern)") && theirs.get("error").is_none() {
                let cause = if unsatisfied.is_empty() {
                    format!("no warning: botocore's copy of the model lacks the pattern or the oracle reads it otherwise; {why}")
                } else {
                    unsatisfied.join("; ")
                };
                outcome
                    .exceptions
                    .push((at, Exception::OraclePatternUnsatisfied(cause)));
            } else if only_broken(why, "(@httpLabel)") && theirs.get("error").is_none() {
                outcome
                    .exceptions
                    .push((at, Exception::EmptyLabel(why.to_string())));
            } else if theirs.get("error").is_some() {
                // Both refuse.
                outcome.requests_agreed += 1;
            } else {
                outcome.disagreements.push((
                    at,
                    format!("request: botocore accepts params {} but our validation rejects them: {why}", g["params"]),
                ));
            }
            continue;
        }
        // Params with a member botocore's copy of the model has and the Smithy model lacks:
        // our input reader refuses the unknown key.
        let unknown_member = o
            .get("request_error")
            .and_then(Value::as_str)
            .filter(|e| e.starts_with("invalid input: Unknown parameter"));
        if let (Some(e), None) = (unknown_member, theirs.get("error")) {
            outcome
                .exceptions
                .push((at, Exception::BotocoreOnlyMember(e.to_string())));
            continue;
        }
        let union_as_structure = o
            .get("request_error")
            .and_then(Value::as_str)
            .is_some_and(|e| e.ends_with("a union must have exactly one member set"));
        if union_as_structure && theirs.get("error").is_none() {
            outcome
                .exceptions
                .push((at, Exception::UnionIsAStructureInBotocore));
            continue;
        }
        let diff = match (o.get("request"), theirs.get("error")) {
            (None, None) => Some(Ok(format!(
                "request: ours failed ({}), botocore built one",
                o.get("request_error").unwrap_or(&Value::Null)
            ))),
            (None, Some(_)) => None,
            (Some(_), Some(e)) => Some(Ok(format!(
                "request: botocore refused it ({e}), we built one"
            ))),
            (Some(ours_req), None) => {
                let signed = signed_by_case.remove(&i);
                compare_request(svc, op, ours_req, theirs, signed.as_ref()).map(|d| {
                    let d = match d {
                        RequestDifference::OnlyFloat32 => return Err(FLOAT32_WHY),
                        RequestDifference::Differs(d) => d,
                    };
                    // A listed difference, if that is all there is.
                    match KNOWN_DIFFERENCES.iter().find(|k| {
                        k.botocore == botocore
                            && (k.operation == "*" || k.operation == op_name)
                            && signed.as_ref().is_some_and(|sig| {
                                compare_request(
                                    svc,
                                    op,
                                    &(k.relax)(ours_req, sig),
                                    theirs,
                                    Some(sig),
                                )
                                .is_none()
                            })
                    }) {
                        Some(k) => Err(k.why),
                        None => Ok(d),
                    }
                })
            }
        };
        match diff {
            None => outcome.requests_agreed += 1,
            Some(Err(why)) => outcome.exceptions.push((at, Exception::Known(why))),
            Some(Ok(d)) => outcome.disagreements.push((at, d)),
        }
    }
    Ok(outcome)
}

fn as_list(v: Value, expected: usize) -> Result<Vec<Value>, String> {
    match v {
        Value::Array(items) if items.len() == expected => Ok(items),
        Value::Array(items) => Err(format!(
            "the oracle answered {} items for {expected}",
            items.len()
        )),
        other => Err(format!("the oracle did not answer a list: {other}")),
    }
}

fn run_driver(driver: &Path, jobs: &[Value]) -> Result<Vec<Value>, String> {
    let mut child = Command::new(driver)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("running {}: {e}", driver.display()))?;
    let mut text = String::new();
    for j in jobs {
        text.push_str(&j.to_string());
        text.push('\n');
    }
    let mut stdin = child.stdin.take().expect("piped");
    let writer = std::thread::spawn(move || stdin.write_all(text.as_bytes()));
    let out = child
        .wait_with_output()
        .map_err(|e| format!("{DRIVER}: {e}"))?;
    let _ = writer.join();
    if !out.status.success() {
        return Err(format!(
            "{DRIVER} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let answers: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).map_err(|e| format!("{DRIVER}: {e}: {l}")))
        .collect::<Result<_, _>>()?;
    if answers.len() != jobs.len() {
        return Err(format!(
            "{DRIVER} answered {} of {} jobs",
            answers.len(),
            jobs.len()
        ));
    }
    Ok(answers)
}

/// Our request's value of an idempotency token bound to `binding`.
fn token_in_request(request: &Value, binding: &Binding, wire: &str) -> Option<String> {
    match binding {
        Binding::Body => {
            let body = base64_decode(request["body_base64"].as_str()?).ok()?;
            let doc: Value = serde_json::from_slice(&body).ok()?;
            doc.get(wire)?.as_str().map(str::to_owned)
        }
        Binding::Header(name) => header_values(request)
            .into_iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v),
        Binding::Query(name) => {
            let url = request["url"].as_str()?;
            let (_, query) = url.split_once('?')?;
            query.split('&').find_map(|pair| {
                let (k, v) = pair.split_once('=')?;
                (percent_decode(k) == *name).then(|| percent_decode(v))
            })
        }
        _ => None,
    }
}

fn header_values(request: &Value) -> Vec<(String, String)> {
    request["headers"]
        .as_array()
        .map(|hs| {
            hs.iter()
                .filter_map(|h| {
                    Some((
                        h.get(0)?.as_str()?.to_ascii_lowercase(),
                        h.get(1)?.as_str()?.to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What differs between our request and botocore's: method, URL and headers against the
/// request botocore signs over our body (`signed`), the body against botocore's own.
fn compare_request(
    svc: &Service,
    op: &smithy_lite_codegen::ir::Operation,
    ours: &Value,
    theirs: &Value,
    signed: Option<&Value>,
) -> Option<RequestDifference> {
    let mut diffs = Vec::new();
    let mut float32 = false;
    let Some(signed) = signed else {
        return Some(RequestDifference::Differs(
            "request: botocore did not sign our body".into(),
        ));
    };
    if let Some(e) = signed.get("error") {
        return Some(RequestDifference::Differs(format!(
            "request: botocore refused our body and tokens: {e}"
        )));
    }
    if ours["method"] != signed["method"] {
        diffs.push(format!(
            "method: ours {}, botocore {}",
            ours["method"], signed["method"]
        ));
    }
    // The query is compared as a multiset of pairs: botocore writes parameters in the order
    // of the caller's params (a dict), so no order is botocore's own; the signature sorts them.
    let (our_base, our_query) = split_query(ours["url"].as_str().unwrap_or_default());
    let (their_base, their_query) = split_query(signed["url"].as_str().unwrap_or_default());
    if our_base != their_base || our_query != their_query {
        diffs.push(format!(
            "url: ours {}, botocore {}",
            ours["url"], signed["url"]
        ));
    }
    // Headers.
    let mut our_headers: BTreeMap<String, String> = BTreeMap::new();
    for (k, v) in header_values(ours) {
        our_headers
            .entry(k)
            .and_modify(|e| {
                e.push(',');
                e.push_str(&v);
            })
            .or_insert(v);
    }
    let transport_added: Vec<&str> = signed["transport_added_headers"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut their_headers: BTreeMap<String, String> = signed["headers"]
        .as_object()
        .map(|h| {
            h.iter()
                .map(|(k, v)| {
                    (
                        k.to_ascii_lowercase(),
                        v.as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    for h in VOLATILE_HEADERS {
        our_headers.remove(*h);
        their_headers.remove(*h);
    }
    // urllib3 adds `accept-encoding: identity` on the wire; our transport sends none.
    if transport_added.contains(&"accept-encoding") {
        their_headers.remove("accept-encoding");
    }
    // botocore leaves `content-length` out of an empty body; the transport sends none or 0.
    if !their_headers.contains_key("content-length")
        && our_headers.get("content-length").map(String::as_str) == Some("0")
    {
        our_headers.remove("content-length");
    }
    let names: BTreeSet<&String> = our_headers.keys().chain(their_headers.keys()).collect();
    for name in names {
        match (our_headers.get(name), their_headers.get(name)) {
            (Some(a), Some(b)) if a == b => {}
            (a, b) => diffs.push(format!("header {name}: ours {a:?}, botocore {b:?}")),
        }
    }
    // The body, against botocore's own serialization of the params.
    let ours_body =
        base64_decode(ours["body_base64"].as_str().unwrap_or_default()).unwrap_or_default();
    let theirs_body =
        base64_decode(theirs["body_base64"].as_str().unwrap_or_default()).unwrap_or_default();
    let as_json = |b: &[u8]| -> Option<Value> {
        if b.is_empty() {
            Some(Value::Null)
        } else {
            serde_json::from_slice(b).ok()
        }
    };
    match (as_json(&ours_body), as_json(&theirs_body)) {
        (Some(mut a), Some(mut b)) if !ours_body.is_empty() || !theirs_body.is_empty() => {
            // Idempotency tokens both sides drew at random (absent from the params).
            for (member, binding, wire) in idempotency_tokens(svc, &op.input) {
                let absent = theirs["params"].get(&member).is_none();
                if binding == Binding::Body && absent {
                    for doc in [&mut a, &mut b] {
                        if let Some(v) = doc.get_mut(&wire) {
                            if v.as_str().is_some_and(is_uuid) {
                                *v = json!("<random idempotency token>");
                            }
                        }
                    }
                }
            }
            if let Some(d) = json_difference("body", &a, &b) {
                // Only 32-bit floats that botocore sends with more digits than they hold?
                // The body is the input's body members, or its structure payload.
                let input = svc.structure(&op.input);
                let root = input
                    .members
                    .iter()
                    .find(|m| m.binding == Binding::Payload)
                    .and_then(|m| match &m.target.ty {
                        Type::Named(id) => Some(id),
                        _ => None,
                    })
                    .unwrap_or(&op.input);
                if typed_difference(svc, "body", &a, &b, root).is_none() {
                    float32 = true;
                } else {
                    diffs.push(d);
                }
            }
        }
        (Some(_), Some(_)) => {}
        _ if ours_body == theirs_body => {}
        // A form-encoded body (a query moved into the body) is a multiset of pairs, as a
        // query is.
        _ if our_headers.get("content-type").map(String::as_str)
            == Some("application/x-www-form-urlencoded")
            && form_pairs(&ours_body) == form_pairs(&theirs_body) => {}
        _ => diffs.push(format!(
            "body bytes: ours {:?}, botocore {:?}",
            String::from_utf8_lossy(&ours_body),
            String::from_utf8_lossy(&theirs_body)
        )),
    }
    if !diffs.is_empty() {
        Some(RequestDifference::Differs(format!(
            "request: {}",
            diffs.join("; ")
        )))
    } else if float32 {
        Some(RequestDifference::OnlyFloat32)
    } else {
        None
    }
}

/// The `key=value` pairs of a form-encoded body, sorted.
fn form_pairs(body: &[u8]) -> Vec<String> {
    let mut pairs: Vec<String> = String::from_utf8_lossy(body)
        .split('&')
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    pairs.sort();
    pairs
}

/// How our request differs from botocore's.
enum RequestDifference {
    Differs(String),
    /// Only in `float` members of the body: the oracle's value has more digits than a 32-bit
    /// float holds; botocore sends them all, we the nearest float (in its shortest form).
    OnlyFloat32,
}

/// Blob values of `value` (params of type `ty`) from text to the base64 of its UTF-8 bytes.
fn blobs_as_base64(svc: &Service, value: &mut Value, ty: &Type) {
    match (ty, value) {
        (Type::Blob { .. }, v @ Value::String(_)) => {
            let text = v.as_str().unwrap_or_default().to_string();
            *v = json!(base64_encode(text.as_bytes()));
        }
        (Type::List { item, .. }, Value::Array(items)) => {
            for v in items {
                blobs_as_base64(svc, v, &item.ty);
            }
        }
        (Type::Map { value: vt, .. }, Value::Object(entries)) => {
            for v in entries.values_mut() {
                blobs_as_base64(svc, v, &vt.ty);
            }
        }
        (Type::Named(id), Value::Object(entries)) => {
            let members: Vec<(&String, &Type)> = match svc.types.get(id) {
                Some(smithy_lite_codegen::ir::NamedType::Structure(st)) => {
                    st.members.iter().map(|m| (&m.name, &m.target.ty)).collect()
                }
                Some(smithy_lite_codegen::ir::NamedType::Union(u)) => u
                    .variants
                    .iter()
                    .map(|v| (&v.member.name, &v.member.target.ty))
                    .collect(),
                _ => Vec::new(),
            };
            for (name, t) in members {
                if let Some(v) = entries.get_mut(name) {
                    blobs_as_base64(svc, v, t);
                }
            }
        }
        _ => {}
    }
}

/// Every failure of a validation message (`a: ...; b: ...`) is of `constraint`.
fn only_broken(message: &str, constraint: &str) -> bool {
    message.split("; ").all(|e| e.ends_with(constraint))
}

/// A URL without its query, and the query's `key=value` pairs, sorted.
fn split_query(url: &str) -> (&str, Vec<&str>) {
    match url.split_once('?') {
        None => (url, Vec::new()),
        Some((base, query)) => {
            let mut pairs: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
            pairs.sort_unstable();
            (base, pairs)
        }
    }
}

fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn base64_decode(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut n = 0u32;
    let mut bits = 0;
    for c in text.bytes() {
        if c == b'=' {
            break;
        }
        let v = B64
            .iter()
            .position(|&b| b == c)
            .ok_or_else(|| format!("not base64: {:?}", c as char))? as u32;
        n = n << 6 | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((n >> bits) as u8);
        }
    }
    Ok(out)
}

/// The summary lines of the agreement phase.
pub fn summary(models: &[Model]) {
    let mut total = Outcome::default();
    let mut compared = 0;
    let mut failed = Vec::new();
    let mut unknown = Vec::new();
    for m in models {
        let Some(a) = &m.agreement else { continue };
        if a.error.is_some() {
            failed.push(m.name.as_str());
            continue;
        }
        if a.not_in_botocore.is_some() {
            unknown.push(m.name.as_str());
            continue;
        }
        compared += 1;
        total.operations += a.operations;
        total.cases += a.cases;
        total.requests_agreed += a.requests_agreed;
        total.responses_agreed += a.responses_agreed;
        total.exceptions.extend(a.exceptions.iter().cloned());
        total.disagreements.extend(a.disagreements.iter().cloned());
        total.one_sided.extend(a.one_sided.iter().cloned());
        total.event_streams.extend(a.event_streams.iter().cloned());
        total
            .responses_models_differ
            .extend(a.responses_models_differ.iter().cloned());
        total
            .response_exceptions
            .extend(a.response_exceptions.iter().cloned());
    }
    let agreeing = models
        .iter()
        .filter(|m| {
            m.agreement
                .as_ref()
                .is_some_and(|a| a.all_agree() && a.not_in_botocore.is_none())
        })
        .count();
    println!(
        "summary: agreement on {compared} models ({agreeing} agree fully), {} operations, {} cases: requests {}/{} agreed, responses {}/{} agreed, {} exceptions, {} disagreements, {} one-sided operations not compared",
        total.operations,
        total.cases,
        total.requests_agreed,
        total.cases - total.exceptions.len(),
        total.responses_agreed,
        total.cases - total.response_exceptions.len(),
        total.exceptions.len(),
        total.disagreements.len(),
        total.one_sided.len()
    );
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    for (_, e) in &total.exceptions {
        let kind = match e {
            Exception::OracleParamsInvalid(_) => "oracle cannot build a case: botocore rejects its own params",
            Exception::OraclePatternUnsatisfied(_) => "oracle cannot build a case: its value breaks the model's @pattern (it warned it could not satisfy it, or botocore's copy lacks the pattern, or it reads a Java-only class otherwise); our validation rejects it, botocore checks no pattern",
            Exception::OracleCannotGenerate(_) => "oracle cannot build a case: its generator fails on the operation's shapes",
            Exception::Known(why) => why,
            Exception::UnionIsAStructureInBotocore => "the two models differ: a Smithy union is a structure in botocore's copy, and the params set several members",
            Exception::BotocoreOnlyMember(_) => "the two models differ: the params set a member only botocore's copy of the model has (our input reader refuses the unknown key)",
            Exception::EmptyLabel(_) => "an empty @httpLabel: botocore sends a path with an empty segment, we refuse the input (as the AWS SDKs for Java and Rust do)",
        };
        *reasons.entry(kind.to_string()).or_default() += 1;
    }
    for (why, n) in reasons {
        println!("  exceptions: {n} x {why}");
    }
    let mut response_reasons: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, why) in &total.response_exceptions {
        *response_reasons.entry(why).or_default() += 1;
    }
    for (why, n) in response_reasons {
        println!("  response exceptions: {n} x {why}");
    }
    if !total.responses_models_differ.is_empty() {
        println!(
            "  responses agreed but for members only botocore's copy of the model has (it is newer): {}",
            total.responses_models_differ.len()
        );
    }
    if !total.event_streams.is_empty() {
        println!(
            "  not compared: {} operations with an event stream (the oracle cannot print one; the codec is held against botocore.eventstream in tests/tests/event_streams.rs)",
            total.event_streams.len()
        );
    }
    if !unknown.is_empty() {
        println!("  not compared, botocore {BOTOCORE_VERSION} has no such service: {unknown:?}");
    }
    if !failed.is_empty() {
        println!("  agreement not run: {failed:?}");
    }
}
