//! botocore agreement: the five generated Kinesis Video crates build the same requests as
//! botocore and read botocore's random responses to the same values.
//!
//! `tests/fixtures/botocore/<crate>/<Operation>.json` holds, per seed 1..=50, random valid params
//! from the botocore oracle, botocore's request for them, a random valid response and botocore's
//! parse of it; `tests/oracle/record.py` writes them, one folder per generated crate. The offline
//! test replays every case through the crate's `input_from_json` / `serialize_request` /
//! `parse_response` / `output_to_json`; the live test records again with the live botocore and
//! checks the committed files are byte for byte what it produces.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::Value;

/// Seeds recorded per operation (`record.py` default).
const SEEDS: usize = 50;

/// Cases botocore accepts but our client-side validation rightly rejects, because the params
/// break a model constraint botocore does not check (it checks neither `@length` maxima nor
/// `@pattern`): (service folder, operation, seed, why). Each entry must really be rejected;
/// every other case must pass validation.
const EXPECTED_REJECTIONS: &[(&str, &str, u64, &str)] = &[];

/// Top-level input members botocore's own (newer) copy of the model has and the pinned Smithy
/// model lacks, so the generated crate cannot express them: (service folder, operation, member).
/// Such a member is taken out of the params and out of botocore's body before comparing; for a
/// body member of restJson1 that is exactly botocore's request for the params without it.
const BOTOCORE_ONLY_INPUT_MEMBERS: &[(&str, &str, &str)] = &[
    // botocore 1.43.11 adds stream storage tiers (with Describe/UpdateStreamStorageConfiguration,
    // see BOTOCORE_ONLY_OPERATIONS); model kinesis-video-2017-09-30.json@56c8953e87ae predates
    // them.
    (
        "kinesis-video",
        "CreateStream",
        "StreamStorageConfiguration",
    ),
];

/// Operations botocore's copy of the model has and the pinned Smithy model lacks: recorded (the
/// oracle lists them) but not replayed. Any other recorded operation the crate lacks fails.
const BOTOCORE_ONLY_OPERATIONS: &[(&str, &str)] = &[
    // Stream storage tiers, as above.
    ("kinesis-video", "DescribeStreamStorageConfiguration"),
    ("kinesis-video", "UpdateStreamStorageConfiguration"),
];

/// `case` without the members of [`BOTOCORE_ONLY_INPUT_MEMBERS`] (params and botocore's body);
/// `None` when it has none of them.
fn without_botocore_only_members(service: &str, operation: &str, case: &Value) -> Option<Value> {
    let members: Vec<&str> = BOTOCORE_ONLY_INPUT_MEMBERS
        .iter()
        .filter(|(s, op, _)| *s == service && *op == operation)
        .map(|(_, _, m)| *m)
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

fn fixtures_dir() -> PathBuf {
    shared_data::workspace_root().join("tests/fixtures/botocore")
}

/// One generated crate and the botocore service it is held against.
struct Service {
    /// The crate's package name, which is also its fixture folder.
    folder: &'static str,
    /// botocore's name for the service (the oracle's `ORACLE_SERVICE`).
    botocore: &'static str,
    /// The crate's operations.
    operations: &'static [&'static str],
    /// Replays a case through the named operation; `None` if the crate lacks it.
    dispatch: fn(&str, &Value) -> Option<Verdict>,
}

/// What one case showed: `None` where we agree with botocore, else what differs.
#[derive(Default)]
struct Verdict {
    request: Option<String>,
    response: Option<String>,
    /// Our validation refused the input (the message), so no request was built.
    rejected: Option<String>,
}

fn compare_request(
    botocore: &Value,
    method: &str,
    path_and_query: &str,
    content_type: Option<&str>,
    body: &[u8],
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
    let ours = if body.is_empty() {
        Ok(Value::Null)
    } else {
        serde_json::from_slice::<Value>(body)
    };
    match ours {
        Err(e) => diffs.push(format!(
            "our body is not JSON: {e}: {}",
            String::from_utf8_lossy(body)
        )),
        Ok(ours) => {
            if let Some(d) = json_difference("body", &ours, &botocore["body_json"]) {
                diffs.push(d);
            }
        }
    }
    (!diffs.is_empty()).then(|| diffs.join("; "))
}

/// The recorded response: status, headers, and the body bytes, given either as UTF-8 text
/// (`body`) or as base64 (`body_base64`, for binary payloads).
fn recorded_response(recorded: &Value) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let status = recorded["status"].as_u64().expect("response.status") as u16;
    let headers = recorded["headers"]
        .as_object()
        .expect("response.headers")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().expect("header value").to_string()))
        .collect();
    let body = match (recorded.get("body"), recorded.get("body_base64")) {
        (Some(Value::String(text)), None) => text.as_bytes().to_vec(),
        (None, Some(Value::String(b64))) => {
            base64_decode(b64).unwrap_or_else(|e| panic!("response.body_base64 {b64:?}: {e}"))
        }
        _ => panic!("a response needs exactly one of body (a string), body_base64: {recorded}"),
    };
    (status, headers, body)
}

/// Strict standard base64 (padded), kept independent of the crates under test so a bug in
/// their blob coding cannot cancel itself out.
fn base64_decode(text: &str) -> Result<Vec<u8>, String> {
    let sextet = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let chunks = text.as_bytes().chunks_exact(4);
    if !chunks.remainder().is_empty() {
        return Err(format!("length {} is not a multiple of 4", text.len()));
    }
    let quads = chunks.len();
    let mut out = Vec::with_capacity(quads * 3);
    for (i, quad) in chunks.enumerate() {
        let pad = quad.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 2 || (pad > 0 && i + 1 != quads) {
            return Err("misplaced padding".to_string());
        }
        let mut n = 0u32;
        for &c in &quad[..4 - pad] {
            let v = sextet(c).ok_or_else(|| format!("not base64: {:?}", c as char))?;
            n = n << 6 | u32::from(v);
        }
        n <<= 6 * pad;
        out.extend_from_slice(&n.to_be_bytes()[1..4 - pad]);
    }
    Ok(out)
}

/// Compares our `output_to_json` bytes (or why there are none) with botocore's parse.
fn compare_output(ours: Result<Vec<u8>, String>, parsed_response: &Value) -> Option<String> {
    let mut expected = parsed_response.clone();
    expected
        .as_object_mut()
        .expect("parsed_response is an object")
        .remove("ResponseMetadata");
    let bytes = match ours {
        Err(e) => return Some(e),
        Ok(bytes) => bytes,
    };
    match serde_json::from_slice::<Value>(&bytes) {
        Err(e) => Some(format!(
            "output_to_json is not JSON ({e}): {}",
            String::from_utf8_lossy(&bytes)
        )),
        Ok(ours) => json_difference("output", &ours, &expected),
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

/// A module `$module` for generated crate `$krate` (fixture folder `$folder`, botocore service
/// `$botocore`) exporting its [`Service`] as `SERVICE`, with one replay arm per operation
/// (`Type => module`; the operation's model name is its `Operation::NAME`). Every crate carries
/// its own copy of the runtime, so the replay is instantiated per crate.
macro_rules! service {
    (
        mod $module:ident for $krate:ident, folder $folder:literal, botocore $botocore:literal;
        $($name:ident => $op:ident),* $(,)?
    ) => {
        mod $module {
            use super::{compare_output, compare_request, recorded_response, Service, Verdict};
            use serde_json::Value;
            use std::fmt::Debug;
            use $krate::operation::{self as ops, Operation};
            use $krate::runtime::http::{Headers, HttpResponse};
            use $krate::runtime::json::DeserializeError;

            pub const SERVICE: Service = Service {
                folder: $folder,
                botocore: $botocore,
                operations: &[$(<ops::$op::$name as Operation>::NAME),*],
                dispatch,
            };

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
                            verdict.request = compare_request(
                                &case["request"],
                                &request.method,
                                &request.path_and_query(),
                                request.headers.get("content-type"),
                                &request.body,
                            )
                        }
                    },
                }
                let (status, headers, body) = recorded_response(&case["response"]);
                let headers: Headers = headers.into_iter().collect();
                // The whole body is in hand: a streaming payload is read buffered, and
                // `output_to_json` renders it as base64, as the oracle renders botocore's
                // StreamingBody.
                let ours = match O::parse_response(&HttpResponse::new(status, headers, body)) {
                    Err(e) => Err(format!("parse_response failed: {e:?}")),
                    Ok(output) => Ok(output_to_json(&output)),
                };
                verdict.response = compare_output(ours, &case["parsed_response"]);
                verdict
            }

            fn dispatch(operation: &str, case: &Value) -> Option<Verdict> {
                $(if operation == <ops::$op::$name as Operation>::NAME {
                    return Some(check_case::<ops::$op::$name>(
                        ops::$op::input_from_json,
                        ops::$op::output_to_json,
                        case,
                    ));
                })*
                None
            }
        }
    };
}

service! {
    mod control_plane for kinesis_video, folder "kinesis-video", botocore "kinesisvideo";
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

service! {
    mod archived_media for kinesis_video_archived_media,
        folder "kinesis-video-archived-media", botocore "kinesis-video-archived-media";
    GetClip => get_clip,
    GetDashStreamingSessionUrl => get_dash_streaming_session_url,
    GetHlsStreamingSessionUrl => get_hls_streaming_session_url,
    GetImages => get_images,
    GetMediaForFragmentList => get_media_for_fragment_list,
    ListFragments => list_fragments,
}

service! {
    mod media for kinesis_video_media,
        folder "kinesis-video-media", botocore "kinesis-video-media";
    GetMedia => get_media,
}

service! {
    mod signaling for kinesis_video_signaling,
        folder "kinesis-video-signaling", botocore "kinesis-video-signaling";
    GetIceServerConfig => get_ice_server_config,
    SendAlexaOfferToMaster => send_alexa_offer_to_master,
}

service! {
    mod webrtc_storage for kinesis_video_webrtc_storage,
        folder "kinesis-video-webrtc-storage", botocore "kinesis-video-webrtc-storage";
    JoinStorageSession => join_storage_session,
    JoinStorageSessionAsViewer => join_storage_session_as_viewer,
}

/// Every generated crate, in folder order (as `record.py` writes them).
const SERVICES: &[Service] = &[
    control_plane::SERVICE,
    archived_media::SERVICE,
    media::SERVICE,
    signaling::SERVICE,
    webrtc_storage::SERVICE,
];

/// The botocore version the fixtures are recorded with (`tests/oracle/requirements.txt`).
fn pinned_botocore() -> String {
    let path = shared_data::workspace_root().join("tests/oracle/requirements.txt");
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

/// Every file under `dir`, one folder deep, by path relative to `dir` (`/`-separated), in
/// order; a file directly in `dir` is listed by its name alone.
fn fixture_tree(dir: &Path) -> BTreeMap<String, PathBuf> {
    let entries = |d: &Path| {
        std::fs::read_dir(d)
            .unwrap_or_else(|e| panic!("{}: {e}", d.display()))
            .map(|entry| entry.expect("directory entry").path())
            .collect::<Vec<_>>()
    };
    let name = |p: &Path| p.file_name().unwrap().to_string_lossy().into_owned();
    let mut tree = BTreeMap::new();
    for path in entries(dir) {
        if path.is_dir() {
            for file in entries(&path) {
                tree.insert(format!("{}/{}", name(&path), name(&file)), file);
            }
        } else {
            tree.insert(name(&path), path);
        }
    }
    tree
}

/// Agreement counts for one service.
#[derive(Default)]
struct Tally {
    operations: usize,
    cases: usize,
    requests_equal: usize,
    responses_equal: usize,
}

#[test]
fn requests_and_responses_agree_with_botocore() {
    // Exactly one folder per crate, holding only fixtures (nothing left from another layout).
    let folders: BTreeSet<&str> = SERVICES.iter().map(|s| s.folder).collect();
    let strays: Vec<String> = fixture_tree(&fixtures_dir())
        .into_keys()
        .filter(|rel| match rel.split_once('/') {
            Some((folder, file)) => !folders.contains(folder) || !file.ends_with(".json"),
            None => true,
        })
        .collect();
    assert!(
        strays.is_empty(),
        "tests/fixtures/botocore holds files outside the service folders {folders:?}: {strays:?}"
    );

    let pinned = pinned_botocore();
    let mut tallies: Vec<(&Service, Tally)> = Vec::new();
    let mut skipped = BTreeSet::new();
    let mut failures = Vec::new();
    let mut expected_rejections_seen = BTreeSet::new();
    let mut stripped_cases = 0usize;
    for service in SERVICES {
        let folder = service.folder;
        let files = fixture_files(&fixtures_dir().join(folder));
        let recorded: BTreeSet<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
        let missing: Vec<&&str> = service
            .operations
            .iter()
            .filter(|op| !recorded.contains(**op))
            .collect();
        assert!(
            missing.is_empty(),
            "{folder}: no botocore fixture for {missing:?}; run tests/oracle/record.py"
        );

        let mut tally = Tally::default();
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
                doc["service"].as_str(),
                Some(service.botocore),
                "{}: recorded for another botocore service",
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
                "{folder} {operation}: seeds 1..={SEEDS} expected"
            );
            if !service.operations.contains(&operation.as_str()) {
                skipped.insert((folder, operation.clone()));
                continue;
            }
            tally.operations += 1;
            for case in recorded_cases {
                let seed = case["seed"].as_u64().unwrap();
                let at = format!("{folder} {operation} seed {seed}");
                assert_eq!(
                    case["params_valid"],
                    Value::Bool(true),
                    "{at}: botocore rejects its own params"
                );
                let stripped = without_botocore_only_members(folder, operation, case);
                if stripped.is_some() {
                    stripped_cases += 1;
                }
                let verdict = (service.dispatch)(operation, stripped.as_ref().unwrap_or(case))
                    .unwrap_or_else(|| panic!("{at}: listed operation has no replay arm"));
                tally.cases += 1;
                let expected_rejection = EXPECTED_REJECTIONS
                    .iter()
                    .find(|(s, op, n, _)| *s == folder && op == operation && *n == seed);
                match (&verdict.rejected, expected_rejection) {
                    (None, None) => match verdict.request {
                        None => tally.requests_equal += 1,
                        Some(d) => failures.push(format!("{at} request: {d}")),
                    },
                    (Some(_), Some(_)) => {
                        // Rightly refused (listed with its reason): that is our agreement.
                        tally.requests_equal += 1;
                        expected_rejections_seen.insert((folder, operation.clone(), seed));
                    }
                    (Some(e), None) => failures.push(format!(
                        "{at} request: botocore accepts params {} but our validation rejects them: {e}",
                        case["params"]
                    )),
                    (None, Some((_, _, _, why))) => failures.push(format!(
                        "{at} request: listed as rightly rejected ({why}) but our validation accepts it"
                    )),
                }
                match verdict.response {
                    None => tally.responses_equal += 1,
                    Some(d) => failures.push(format!("{at} response: {d}")),
                }
            }
        }
        tallies.push((service, tally));
    }
    for (service, op, seed, why) in EXPECTED_REJECTIONS {
        assert!(
            expected_rejections_seen.contains(&(*service, op.to_string(), *seed)),
            "EXPECTED_REJECTIONS lists {service} {op} seed {seed} ({why}) but no such case was run"
        );
    }
    let expected_skips: BTreeSet<(&str, String)> = BOTOCORE_ONLY_OPERATIONS
        .iter()
        .map(|(s, op)| (*s, op.to_string()))
        .collect();
    assert_eq!(
        skipped, expected_skips,
        "operations recorded but not replayed (botocore knows them, the generated crate does not) \
         must be exactly BOTOCORE_ONLY_OPERATIONS"
    );

    println!("botocore agreement: skipped (botocore knows them, the generated crate does not): {skipped:?}");
    if stripped_cases > 0 {
        println!(
            "botocore agreement: {stripped_cases} cases compared without botocore-only input members {BOTOCORE_ONLY_INPUT_MEMBERS:?}"
        );
    }
    for f in &failures {
        println!("DISAGREEMENT {f}");
    }
    let mut total = Tally::default();
    for (service, t) in &tallies {
        println!(
            "botocore agreement: {} ({}): {} operations, requests {}/{} equal, responses {}/{} equal",
            service.folder,
            service.botocore,
            t.operations,
            t.requests_equal,
            t.cases,
            t.responses_equal,
            t.cases
        );
        total.operations += t.operations;
        total.cases += t.cases;
        total.requests_equal += t.requests_equal;
        total.responses_equal += t.responses_equal;
    }
    println!(
        "botocore agreement: all {} services: {} operations, requests {}/{} equal, responses {}/{} equal",
        tallies.len(),
        total.operations,
        total.requests_equal,
        total.cases,
        total.responses_equal,
        total.cases
    );
    for (service, t) in &tallies {
        assert!(
            t.operations == service.operations.len() && t.cases >= SEEDS * t.operations,
            "{}: {} cases of {} operations ran; expected at least {SEEDS} x {} operations",
            service.folder,
            t.cases,
            t.operations,
            service.operations.len()
        );
    }
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

#[test]
fn base64_decoding_is_strict_standard_base64() {
    assert_eq!(base64_decode("").unwrap(), b"");
    assert_eq!(base64_decode("Zg==").unwrap(), b"f");
    assert_eq!(base64_decode("Zm8=").unwrap(), b"fo");
    assert_eq!(base64_decode("Zm9v").unwrap(), b"foo");
    assert_eq!(base64_decode("Zm9vYg==").unwrap(), b"foob");
    assert_eq!(base64_decode("/+8A").unwrap(), [0xff, 0xef, 0x00]);
    for bad in ["Zg", "Zg=v", "Z===", "Zg==Zg==", "Zm9-", "Zm9v\n"] {
        assert!(base64_decode(bad).is_err(), "{bad:?} decoded");
    }
}

/// The live oracle: (python, oracle folder), or `None` when it is unavailable outside CI.
fn live_oracle() -> Option<(PathBuf, PathBuf)> {
    const WHAT: &str = "botocore agreement (live)";
    shared_data::require(WHAT, "oracle/oracle.py")?;
    let python = shared_data::python_with(WHAT, "botocore")?;
    Some((PathBuf::from(python), shared_data::shared_path("oracle")))
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
        .arg(shared_data::workspace_root().join("tests/oracle/record.py"))
        .arg(&oracle)
        .arg(&out)
        .status()
        .unwrap_or_else(|e| panic!("running {}: {e}", python.display()));
    assert!(
        status.success(),
        "tests/oracle/record.py failed with {status}"
    );

    let committed = fixture_tree(&fixtures_dir());
    let fresh = fixture_tree(&out);
    let _cleanup = RemoveOnDrop(out.clone());
    // record.py must write every service this test replays.
    let fresh_folders: BTreeSet<&str> = fresh
        .keys()
        .filter_map(|k| k.split_once('/'))
        .map(|(f, _)| f)
        .collect();
    let wanted: BTreeSet<&str> = SERVICES.iter().map(|s| s.folder).collect();
    assert_eq!(
        fresh_folders, wanted,
        "record.py's services are not the crates this test replays"
    );
    let mut problems = Vec::new();
    let only_committed: Vec<&String> = committed
        .keys()
        .filter(|k| !fresh.contains_key(*k))
        .collect();
    let only_fresh: Vec<&String> = fresh
        .keys()
        .filter(|k| !committed.contains_key(*k))
        .collect();
    if !only_committed.is_empty() || !only_fresh.is_empty() {
        problems.push(format!(
            "files differ: only committed {only_committed:?}, only recorded {only_fresh:?}"
        ));
    }
    let mut per_folder: BTreeMap<&str, usize> = BTreeMap::new();
    for (rel, fresh_path) in &fresh {
        let Some(committed_path) = committed.get(rel) else {
            continue;
        };
        let a = std::fs::read(committed_path).expect("committed fixture");
        let b = std::fs::read(fresh_path).expect("recorded fixture");
        if a == b {
            *per_folder
                .entry(rel.split_once('/').map_or("", |(f, _)| f))
                .or_default() += 1;
        } else {
            problems.push(format!(
                "{rel} differs: {}",
                first_line_difference(&String::from_utf8_lossy(&a), &String::from_utf8_lossy(&b))
            ));
        }
    }
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
        "botocore agreement (live): {} fixture files identical to a fresh recording: {per_folder:?}",
        fresh.len()
    );
}

/// Removes a scratch folder however the test ends.
struct RemoveOnDrop(PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
