//! `cargo xtask corpus` on a subset of the corpus that fits a test run: every step (generate,
//! build sans-I/O and with the client, botocore agreement) on models that carry the features
//! the corpus brought in:
//!
//! - `sso`: operations with `@auth([])` and `@optionalAuth`, sent unsigned;
//! - `signer`: an `@endpoint` host prefix (`verification.`);
//! - `workspaces-thin-client`: host prefixes on every operation, a look-ahead `TagKey` pattern;
//! - `repostspace`: look-ahead `@pattern`s;
//! - `mediastore-data`: `aws.auth#unsignedPayload` and streaming payloads.
//!
//! The whole corpus is a documented command (README, BENCHMARKS.md): it takes too long for a
//! test run. The corpus and the oracle are found next to the models folder (`KVS_MODEL_MIRROR`,
//! else `../shared/models`); with `CI` set, missing data fails the test instead of skipping it.
//! botocore 1.37.26 comes from `KVS_CORPUS_PYTHON`, else a virtual environment the corpus run
//! creates under the test's scratch folder.

use std::path::Path;
use std::process::Command;

const SUBSET: &[&str] = &[
    "sso",
    "signer",
    "workspaces-thin-client",
    "repostspace",
    "mediastore-data",
];

/// The corpus and the oracle are there (else the test skips, or fails under CI).
fn shared_data_present() -> bool {
    ["corpus/restjson1", "oracle/oracle.py"]
        .iter()
        .all(|p| shared_data::require("corpus subset", p).is_some())
}

#[test]
fn corpus_subset_generates_builds_and_agrees_with_botocore() {
    if !shared_data_present() {
        return;
    }
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpus-subset");
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args([
            "corpus",
            "--only",
            &SUBSET.join(","),
            "--jobs",
            "2",
            "--scratch",
        ])
        .arg(&scratch)
        .output()
        .expect("running xtask corpus");
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    eprintln!("{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        out.status.success(),
        "cargo xtask corpus failed: {}",
        out.status
    );
    let n = SUBSET.len();
    for expected in [
        format!("summary: {n}/{n} generated"),
        format!("summary: {n}/{n} build (sans-I/O and client, -D warnings)"),
        format!("summary: agreement on {n} models ({n} agree fully)"),
    ] {
        assert!(stdout.contains(&expected), "no {expected:?} in the report");
    }
    // Every operation was compared, with requests and responses.
    for line in stdout
        .lines()
        .filter(|l| l.starts_with("agree: ") && l.contains("botocore `"))
    {
        assert!(!line.contains(" 0 ops"), "{line}");
    }
}
