//! botocore agreement: the generated Kinesis Video crate builds the same requests as botocore
//! and reads botocore's random responses to the same values.
//!
//! `tests/fixtures/botocore/<Operation>.json` holds, per seed 1..=50, random valid params from
//! the botocore oracle, botocore's request for them, a random valid response and botocore's parse
//! of it; `tests/oracle/record.py` writes them. The offline test replays every case through our
//! `input_from_json` / `serialize_request` / `parse_response` / `output_to_json`; the live test
//! records again with the live botocore and checks the committed files are byte for byte what it
//! produces.

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use kinesis_video::operation::{self as ops, Operation};
use kinesis_video::runtime::http::{Headers, HttpResponse};
use kinesis_video::runtime::json::DeserializeError;
use serde_json::Value;

/// Seeds recorded per operation (`record.py` default).
const SEEDS: usize = 50;

/// Cases botocore accepts but our client-side validation rightly rejects, because the params
/// break a model constraint botocore does not check (it checks neither `@length` maxima nor
/// `@pattern`): (operation, seed, why). Each entry must really be rejected; every other case
/// must pass validation.
const EXPECTED_REJECTIONS: &[(&str, u64, &str)] = &[];

/// Top-level input members botocore's own (newer) copy of the model has and the pinned Smithy
/// model lacks, so the generated crate cannot express them: (operation, member). Such a member is
/// taken out of the params and out of botocore's body before comparing; for a body member of
/// restJson1 that is exactly botocore's request for the params without it.
const BOTOCORE_ONLY_INPUT_MEMBERS: &[(&str, &str)] = &[
    // botocore 1.43.11 adds stream storage tiers (with Describe/UpdateStreamStorageConfiguration,
    // which are skipped for the same reason); model kinesis-video-2017-09-30.json@56c8953e87ae
    // predates them.
    ("CreateStream", "StreamStorageConfiguration"),
];

/// `case` without the members of [`BOTOCORE_ONLY_INPUT_MEMBERS`] (params and botocore's body);
/// `None` when it has none of them.
fn without_botocore_only_members(operation: &str, case: &Value) -> Option<Value> {
    let members: Vec<&str> = BOTOCORE_ONLY_INPUT_MEMBERS
        .iter()
        .filter(|(op, _)| *op == operation)
        .map(|(_, m)| *m)
        .filter(|m| case["params"].get(m).is_some())
        .collect();
    if members.is_empty() {
        return None;
    }
    let mut case = case.clone();
    for m in members {
        case["params"].as_object_mut().expect("params").remove(m);
        if let Some(body) = case["request"]["body_json"].as_object_mut() {
            body.remove(m);
        }
    }
    Some(case)
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ lives in the workspace")
        .to_path_buf()
}

fn fixtures_dir() -> PathBuf {
    workspace_root().join("tests/fixtures/botocore")
}

/// What one case showed: `None` where we agree with botocore, else what differs.
#[derive(Default)]
struct Verdict {
    request: Option<String>,
    response: Option<String>,
    /// Our validation refused the input (the message), so no request was built.
    rejected: Option<String>,
}

/// Replays one recorded case through operation `O`.
fn check_case<O: Operation>(
    input_from_json: fn(&Value) -> Result<O::Input, DeserializeError>,
    output_to_json: fn(&O::Output) -> Vec<u8>,
    case: &Value,
) -> Verdict
where
    O::Error: Debug,
{
    let mut verdict = Verdict::default();
    match input_from_json(&case["params"]) {
        Err(e) => verdict.request = Some(format!("input_from_json failed: {e}")),
        Ok(input) => match O::serialize_request(&input) {
            Err(e) => verdict.rejected = Some(e.to_string()),
            Ok(request) => {
                let ours_body = if request.body.is_empty() {
                    Ok(Value::Null)
                } else {
                    serde_json::from_slice::<Value>(&request.body)
                };
                verdict.request = compare_request(
                    &case["request"],
                    &request.method,
                    &request.path_and_query(),
                    request.headers.get("content-type"),
                    ours_body
                        .map_err(|e| format!("{e}: {}", String::from_utf8_lossy(&request.body))),
                );
            }
        },
    }
    verdict.response = check_response::<O>(output_to_json, case);
    verdict
}

fn compare_request(
    botocore: &Value,
    method: &str,
    path_and_query: &str,
    content_type: Option<&str>,
    body: Result<Value, String>,
) -> Option<String> {
    let mut diffs = Vec::new();
    let b_method = botocore["method"].as_str().unwrap_or_default();
    if method != b_method {
        diffs.push(format!("method: ours {method}, botocore {b_method}"));
    }
    let b_path = botocore["path"].as_str().unwrap_or_default();
    let b_query = botocore["query"].as_str().unwrap_or_default();
    let b_path_and_query = if b_query.is_empty() {
        b_path.to_string()
    } else {
        format!("{b_path}?{b_query}")
    };
    if path_and_query != b_path_and_query {
        diffs.push(format!(
            "path: ours {path_and_query:?}, botocore {b_path_and_query:?}"
        ));
    }
    let b_content_type = botocore["content_type"].as_str();
    if content_type != b_content_type {
        diffs.push(format!(
            "content-type: ours {content_type:?}, botocore {b_content_type:?}"
        ));
    }
    match body {
        Err(e) => diffs.push(format!("our body is not JSON: {e}")),
        Ok(ours) => {
            if let Some(d) = json_difference("body", &ours, &botocore["body_json"]) {
                diffs.push(d);
            }
        }
    }
    (!diffs.is_empty()).then(|| diffs.join("; "))
}

fn check_response<O: Operation>(
    output_to_json: fn(&O::Output) -> Vec<u8>,
    case: &Value,
) -> Option<String>
where
    O::Error: Debug,
{
    let recorded = &case["response"];
    let status = recorded["status"].as_u64().expect("response.status") as u16;
    let headers: Headers = recorded["headers"]
        .as_object()
        .expect("response.headers")
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str().expect("header value").to_string()))
        .collect();
    let body = recorded["body"].as_str().expect("response.body");
    let response = HttpResponse::new(status, headers, body.as_bytes().to_vec());
    let mut expected = case["parsed_response"].clone();
    expected
        .as_object_mut()
        .expect("parsed_response is an object")
        .remove("ResponseMetadata");
    match O::parse_response(&response) {
        Err(e) => Some(format!("parse_response failed: {e:?}")),
        Ok(output) => {
            let bytes = output_to_json(&output);
            match serde_json::from_slice::<Value>(&bytes) {
                Err(e) => Some(format!(
                    "output_to_json is not JSON ({e}): {}",
                    String::from_utf8_lossy(&bytes)
                )),
                Ok(ours) => json_difference("output", &ours, &expected),
            }
        }
    }
}

/// The first place two JSON values differ, or `None` when they are equal.
fn json_difference(at: &str, ours: &Value, botocore: &Value) -> Option<String> {
    match (ours, botocore) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            keys.into_iter().find_map(|k| {
                let here = format!("{at}.{k}");
                match (a.get(k), b.get(k)) {
                    (Some(x), Some(y)) => json_difference(&here, x, y),
                    (Some(x), None) => Some(format!("{here}: ours {x}, botocore has none")),
                    (None, Some(y)) => Some(format!("{here}: ours has none, botocore {y}")),
                    (None, None) => None,
                }
            })
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(i, (x, y))| json_difference(&format!("{at}[{i}]"), x, y)),
        _ if ours == botocore => None,
        _ => Some(format!("{at}: ours {ours}, botocore {botocore}")),
    }
}

macro_rules! operations {
    ($($name:ident => $module:ident),* $(,)?) => {
        /// The operations of the generated crate.
        const OPERATIONS: &[&str] = &[$(stringify!($name)),*];

        /// Replays `case` through the operation named `operation`; `None` if the crate lacks it.
        fn dispatch(operation: &str, case: &Value) -> Option<Verdict> {
            match operation {
                $(stringify!($name) => {
                    assert_eq!(<ops::$module::$name as Operation>::NAME, stringify!($name));
                    Some(check_case::<ops::$module::$name>(
                        ops::$module::input_from_json,
                        ops::$module::output_to_json,
                        case,
                    ))
                })*
                _ => None,
            }
        }
    };
}

operations! {
    CreateSignalingChannel => create_signaling_channel,
    CreateStream => create_stream,
    DeleteEdgeConfiguration => delete_edge_configuration,
    DeleteSignalingChannel => delete_signaling_channel,
    DeleteStream => delete_stream,
    DescribeEdgeConfiguration => describe_edge_configuration,
    DescribeImageGenerationConfiguration => describe_image_generation_configuration,
    DescribeMappedResourceConfiguration => describe_mapped_resource_configuration,
    DescribeMediaStorageConfiguration => describe_media_storage_configuration,
    DescribeNotificationConfiguration => describe_notification_configuration,
    DescribeSignalingChannel => describe_signaling_channel,
    DescribeStream => describe_stream,
    GetDataEndpoint => get_data_endpoint,
    GetSignalingChannelEndpoint => get_signaling_channel_endpoint,
    ListEdgeAgentConfigurations => list_edge_agent_configurations,
    ListSignalingChannels => list_signaling_channels,
    ListStreams => list_streams,
    ListTagsForResource => list_tags_for_resource,
    ListTagsForStream => list_tags_for_stream,
    StartEdgeConfigurationUpdate => start_edge_configuration_update,
    TagResource => tag_resource,
    TagStream => tag_stream,
    UntagResource => untag_resource,
    UntagStream => untag_stream,
    UpdateDataRetention => update_data_retention,
    UpdateImageGenerationConfiguration => update_image_generation_configuration,
    UpdateMediaStorageConfiguration => update_media_storage_configuration,
    UpdateNotificationConfiguration => update_notification_configuration,
    UpdateSignalingChannel => update_signaling_channel,
    UpdateStream => update_stream,
}

/// The botocore version the fixtures are recorded with (`tests/oracle/requirements.txt`).
fn pinned_botocore() -> String {
    let path = workspace_root().join("tests/oracle/requirements.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .find_map(|l| l.trim().strip_prefix("botocore=="))
        .unwrap_or_else(|| panic!("{} pins no botocore==VERSION", path.display()))
        .trim()
        .to_string()
}

/// The recorded fixture files, by operation name, in name order.
fn fixture_files(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut files: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (name, p)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn requests_and_responses_agree_with_botocore() {
    let files = fixture_files(&fixtures_dir());
    let recorded: BTreeSet<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    let missing: Vec<&&str> = OPERATIONS
        .iter()
        .filter(|op| !recorded.contains(**op))
        .collect();
    assert!(
        missing.is_empty(),
        "no botocore fixture for {missing:?}; run tests/oracle/record.py"
    );

    let (mut cases, mut requests_equal, mut responses_equal) = (0usize, 0usize, 0usize);
    let mut skipped = Vec::new();
    let mut failures = Vec::new();
    let mut expected_rejections_seen = BTreeSet::new();
    let mut stripped_cases = 0usize;
    let pinned = pinned_botocore();
    for (operation, path) in &files {
        let text =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let doc: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(
            doc["operation"].as_str(),
            Some(operation.as_str()),
            "{}",
            path.display()
        );
        assert_eq!(
            doc["botocore_version"].as_str(),
            Some(pinned.as_str()),
            "{}: recorded with another botocore than tests/oracle/requirements.txt pins",
            path.display()
        );
        let recorded_cases = doc["cases"].as_array().expect("cases");
        let seeds: Vec<u64> = recorded_cases
            .iter()
            .map(|c| c["seed"].as_u64().expect("seed"))
            .collect();
        assert_eq!(
            seeds,
            (1..=SEEDS as u64).collect::<Vec<_>>(),
            "{operation}: seeds 1..={SEEDS} expected"
        );
        for case in recorded_cases {
            let seed = case["seed"].as_u64().unwrap();
            assert_eq!(
                case["params_valid"],
                Value::Bool(true),
                "{operation} seed {seed}: botocore rejects its own params"
            );
            let stripped = without_botocore_only_members(operation, case);
            if stripped.is_some() {
                stripped_cases += 1;
            }
            let Some(verdict) = dispatch(operation, stripped.as_ref().unwrap_or(case)) else {
                skipped.push(operation.clone());
                break;
            };
            cases += 1;
            let expected_rejection = EXPECTED_REJECTIONS
                .iter()
                .find(|(op, s, _)| op == operation && *s == seed);
            match (&verdict.rejected, expected_rejection) {
                (None, None) => match verdict.request {
                    None => requests_equal += 1,
                    Some(d) => failures.push(format!("{operation} seed {seed} request: {d}")),
                },
                (Some(_), Some(_)) => {
                    // Rightly refused (listed with its reason): that is our agreement.
                    requests_equal += 1;
                    expected_rejections_seen.insert((operation.clone(), seed));
                }
                (Some(e), None) => failures.push(format!(
                    "{operation} seed {seed} request: botocore accepts params {} but our validation rejects them: {e}",
                    case["params"]
                )),
                (None, Some((_, _, why))) => failures.push(format!(
                    "{operation} seed {seed} request: listed as rightly rejected ({why}) but our validation accepts it"
                )),
            }
            match verdict.response {
                None => responses_equal += 1,
                Some(d) => failures.push(format!("{operation} seed {seed} response: {d}")),
            }
        }
    }
    for (op, seed, why) in EXPECTED_REJECTIONS {
        assert!(
            expected_rejections_seen.contains(&(op.to_string(), *seed)),
            "EXPECTED_REJECTIONS lists {op} seed {seed} ({why}) but no such case was run"
        );
    }

    if !skipped.is_empty() {
        println!("botocore agreement: skipped (botocore knows them, the generated crate does not): {skipped:?}");
    }
    if stripped_cases > 0 {
        println!(
            "botocore agreement: {stripped_cases} cases compared without botocore-only input members {BOTOCORE_ONLY_INPUT_MEMBERS:?}"
        );
    }
    for f in &failures {
        println!("DISAGREEMENT {f}");
    }
    println!(
        "botocore agreement: requests {requests_equal}/{cases} equal, responses {responses_equal}/{cases} equal"
    );
    assert!(
        cases >= SEEDS * OPERATIONS.len(),
        "only {cases} cases ran; expected at least {SEEDS} x {} operations",
        OPERATIONS.len()
    );
    assert!(
        failures.is_empty(),
        "{} disagreements with botocore (all printed above as DISAGREEMENT lines); the first:\n{}",
        failures.len(),
        failures
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The live oracle: (python, oracle folder), or `None` when it is unavailable outside CI.
fn live_oracle() -> Option<(PathBuf, PathBuf)> {
    let root = workspace_root();
    let mirror = match std::env::var_os("KVS_MODEL_MIRROR") {
        Some(m) if !m.is_empty() => root.join(m),
        _ => root.join("../shared/models"),
    };
    let oracle = mirror
        .parent()
        .map(|shared| shared.join("oracle"))
        .unwrap_or_else(|| PathBuf::from("oracle"));
    let python = PathBuf::from(std::env::var_os("KVS_PYTHON").unwrap_or_else(|| "python3".into()));
    let problem = if !oracle.join("oracle.py").is_file() {
        Some(format!(
            "no botocore oracle at {} (it is found next to the models folder, KVS_MODEL_MIRROR or ../shared/models)",
            oracle.join("oracle.py").display()
        ))
    } else {
        match Command::new(&python)
            .args(["-c", "import botocore"])
            .output()
        {
            Ok(out) if out.status.success() => None,
            Ok(out) => Some(format!(
                "`{} -c \"import botocore\"` failed: {}(set KVS_PYTHON, or run `cargo xtask test`)",
                python.display(),
                String::from_utf8_lossy(&out.stderr)
            )),
            Err(e) => Some(format!(
                "cannot run {} ({e}); set KVS_PYTHON",
                python.display()
            )),
        }
    };
    match problem {
        None => Some((python, oracle)),
        Some(p) if std::env::var_os("CI").is_some() => {
            panic!("botocore agreement (live): {p}")
        }
        Some(p) => {
            eprintln!("botocore agreement (live): skipped: {p}");
            None
        }
    }
}

/// First line where `a` and `b` differ (1-based), with both lines.
fn first_line_difference(a: &str, b: &str) -> String {
    let (mut la, mut lb) = (a.lines(), b.lines());
    let mut n = 1;
    loop {
        match (la.next(), lb.next()) {
            (None, None) => return "same lines, different bytes (line endings?)".to_string(),
            (x, y) if x == y => n += 1,
            (x, y) => return format!("line {n}: committed {x:?}, recorded {y:?}"),
        }
    }
}

#[test]
fn committed_fixtures_are_what_live_botocore_records() {
    let Some((python, oracle)) = live_oracle() else {
        return;
    };
    let live_version = Command::new(&python)
        .args(["-c", "import botocore; print(botocore.__version__)"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    assert_eq!(
        live_version,
        pinned_botocore(),
        "{} has botocore {live_version}, but the fixtures are recorded with the version \
         tests/oracle/requirements.txt pins; run `cargo xtask test` (a venv with the pin) or set \
         KVS_PYTHON to a Python that has it",
        python.display()
    );
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let out = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("botocore-fixtures-{}-{stamp}", std::process::id()));
    let status = Command::new(&python)
        .arg(workspace_root().join("tests/oracle/record.py"))
        .arg(&oracle)
        .arg(&out)
        .status()
        .unwrap_or_else(|e| panic!("running {}: {e}", python.display()));
    assert!(
        status.success(),
        "tests/oracle/record.py failed with {status}"
    );

    let committed = fixture_files(&fixtures_dir());
    let fresh = fixture_files(&out);
    let names =
        |files: &[(String, PathBuf)]| files.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    let mut problems = Vec::new();
    if names(&committed) != names(&fresh) {
        problems.push(format!(
            "operations differ: committed {:?}, recorded {:?}",
            names(&committed),
            names(&fresh)
        ));
    }
    for (name, fresh_path) in &fresh {
        let Some((_, committed_path)) = committed.iter().find(|(n, _)| n == name) else {
            continue;
        };
        let a = std::fs::read(committed_path).expect("committed fixture");
        let b = std::fs::read(fresh_path).expect("recorded fixture");
        if a != b {
            problems.push(format!(
                "{name}.json differs: {}",
                first_line_difference(&String::from_utf8_lossy(&a), &String::from_utf8_lossy(&b))
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&out);
    assert!(
        problems.is_empty(),
        "the committed botocore fixtures are not what the live botocore records \
         (re-record with `{} tests/oracle/record.py {} tests/fixtures/botocore` after checking \
         the botocore version against tests/oracle/requirements.txt):\n{}",
        python.display(),
        oracle.display(),
        problems.join("\n")
    );
    println!(
        "botocore agreement (live): {} fixture files identical to a fresh recording",
        fresh.len()
    );
}
