//! Every generated crate is vendorable in one step: `cargo xtask vendor CRATE.. DIR` copies the
//! crates and the runtime they share into `DIR`, and each copy builds on its own, outside this
//! workspace.
//!
//! A vendored crate must not lean on anything only this workspace provides: no `workspace = true`
//! inheritance, no `path` dependency but the runtime copy beside it, no build script, and every
//! source file marked `// @generated` so tools and reviewers leave it alone. The build check
//! vendors into a fresh directory under the system temp dir and runs `cargo build --offline`
//! there, with `CARGO_TARGET_DIR=<workspace>/target/vendor-check` so dependencies compiled by
//! earlier runs are reused.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

/// The crates under `generated/`; a test checks the list is complete.
const CRATES: &[&str] = &[
    "kinesis-video",
    "kinesis-video-archived-media",
    "kinesis-video-media",
    "kinesis-video-signaling",
    "kinesis-video-webrtc-storage",
];

fn crate_dirs() -> Vec<PathBuf> {
    CRATES
        .iter()
        .map(|c| shared_data::workspace_root().join("generated").join(c))
        .collect()
}

#[test]
fn the_list_names_every_generated_crate() {
    let mut found: Vec<String> = std::fs::read_dir(shared_data::workspace_root().join("generated"))
        .expect("generated/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    assert_eq!(found, CRATES);
}

/// Every file under `dir`, recursively, sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// A directory under the system temp dir that is removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(prefix: &str) -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("clock after 1970")
            .as_nanos();
        let dir = std::env::temp_dir().join(format!("{prefix}-{}-{nanos}", std::process::id()));
        assert!(!dir.exists(), "{} already exists", dir.display());
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `cargo <args>` in `dir`, with the shared vendor-check target dir; (success, stderr).
fn cargo(dir: &Path, args: &[&str]) -> (bool, String) {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(args)
        .current_dir(dir)
        .env(
            "CARGO_TARGET_DIR",
            shared_data::workspace_root().join("target/vendor-check"),
        )
        // Only whether it builds matters: no debug info, no incremental cache.
        .env("CARGO_PROFILE_DEV_DEBUG", "false")
        .env("CARGO_INCREMENTAL", "0")
        // Nothing of the outer `cargo test` may leak into the vendored build.
        .env_remove("CARGO_MANIFEST_DIR")
        .env_remove("CARGO_MANIFEST_PATH")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .unwrap_or_else(|e| panic!("running cargo {args:?}: {e}"));
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// `cargo xtask vendor` of every crate into one folder outside any workspace.
fn vendor_all(temp: &TempDir) -> PathBuf {
    let dir = temp.0.join("vendor");
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("vendor")
        .args(CRATES)
        .arg(&dir)
        .output()
        .expect("running xtask vendor");
    assert!(
        output.status.success(),
        "xtask vendor failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The copy must not sit inside any Cargo workspace.
    for d in dir.ancestors().skip(1) {
        assert!(
            !d.join("Cargo.toml").exists(),
            "{} is inside a Cargo project ({}); the check would not be alone",
            dir.display(),
            d.display()
        );
    }
    dir
}

#[test]
fn each_vendored_crate_builds_alone_outside_the_workspace() {
    let temp = TempDir::new("vendor-check");
    let dir = vendor_all(&temp);
    let mut found: Vec<String> = std::fs::read_dir(&dir)
        .expect("vendor dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    let mut expected: Vec<String> = CRATES.iter().map(|c| c.to_string()).collect();
    expected.push("smithy-lite-runtime".into());
    expected.sort();
    assert_eq!(found, expected, "what vendor wrote");
    for name in CRATES {
        let vendored = dir.join(name);
        manifest_is_self_contained(&vendored);
        let (mut ok, mut stderr) = cargo(&vendored, &["build", "--offline", "--quiet"]);
        if !ok {
            // Dependencies missing from the local cache: fetch them, then build offline again.
            let (fetched, fetch_stderr) = cargo(&vendored, &["fetch"]);
            assert!(
                fetched,
                "cargo fetch failed:\n{fetch_stderr}\n(offline build:\n{stderr})"
            );
            (ok, stderr) = cargo(&vendored, &["build", "--offline", "--quiet"]);
        }
        assert!(ok, "the vendored copy of {name} does not build:\n{stderr}");
    }
    // The sans-I/O layer alone builds too (no hyper, no tokio).
    let (ok, stderr) = cargo(
        &dir.join("kinesis-video"),
        &["build", "--offline", "--quiet", "--no-default-features"],
    );
    assert!(
        ok,
        "kinesis-video without the client does not build:\n{stderr}"
    );
    manifest_is_self_contained(&dir.join("smithy-lite-runtime"));
}

#[test]
fn vendoring_again_replaces_the_copy_and_refuses_foreign_folders() {
    let temp = TempDir::new("vendor-again");
    let dir = vendor_all(&temp);
    let stale = dir.join("kinesis-video/src/stale.rs");
    std::fs::write(&stale, "// @generated\n").unwrap();
    let again = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["vendor", "kinesis-video"])
        .arg(&dir)
        .output()
        .expect("running xtask vendor");
    assert!(again.status.success());
    assert!(!stale.exists(), "a second vendor leaves old files behind");

    let foreign = temp.0.join("foreign");
    std::fs::create_dir_all(foreign.join("kinesis-video")).unwrap();
    std::fs::write(
        foreign.join("kinesis-video/Cargo.toml"),
        "[package]\nname = \"mine\"\n",
    )
    .unwrap();
    let refused = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["vendor", "kinesis-video"])
        .arg(&foreign)
        .output()
        .expect("running xtask vendor");
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("is not a vendored copy"));
    assert!(foreign.join("kinesis-video/Cargo.toml").exists());

    let unknown = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["vendor", "kinesis-vid"])
        .arg(temp.0.join("x"))
        .output()
        .expect("running xtask vendor");
    let err = String::from_utf8_lossy(&unknown.stderr);
    assert!(!unknown.status.success());
    assert!(
        err.contains("no generated crate `kinesis-vid`") && err.contains("kinesis-video-media"),
        "{err}"
    );
}

#[test]
fn every_source_file_is_marked_generated() {
    for crate_dir in crate_dirs() {
        source_files_are_marked_generated(&crate_dir);
    }
}

fn source_files_are_marked_generated(crate_dir: &Path) {
    let sources: Vec<PathBuf> = files(crate_dir)
        .into_iter()
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("rs"))
        .collect();
    assert!(
        sources.len() >= 8,
        "only {} .rs files in {}",
        sources.len(),
        crate_dir.display()
    );
    let unmarked: Vec<String> = sources
        .iter()
        .filter(|p| {
            !std::fs::read_to_string(p)
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
                .starts_with("// @generated")
        })
        .map(|p| p.display().to_string())
        .collect();
    assert!(
        unmarked.is_empty(),
        "not starting with `// @generated`: {unmarked:?}"
    );
}

fn manifest_is_self_contained(crate_dir: &Path) {
    let path = crate_dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let manifest: toml::Table = text.parse().expect("Cargo.toml is TOML");

    assert!(
        !manifest.contains_key("workspace"),
        "a vendored crate must not declare a [workspace]"
    );
    let package = manifest["package"].as_table().expect("[package]");
    for (key, value) in package {
        assert!(
            !value
                .as_table()
                .is_some_and(|t| t.contains_key("workspace")),
            "package.{key} is inherited from the workspace"
        );
    }
    assert!(
        !package.contains_key("build"),
        "package.build names a build script"
    );
    assert!(
        !crate_dir.join("build.rs").exists(),
        "the generated crate has a build.rs"
    );

    // Every dependency table, including target-specific ones.
    let mut tables: Vec<(String, &toml::Table)> = Vec::new();
    for kind in ["dependencies", "dev-dependencies", "build-dependencies"] {
        if let Some(t) = manifest.get(kind).and_then(|v| v.as_table()) {
            tables.push((kind.to_string(), t));
        }
    }
    if let Some(targets) = manifest.get("target").and_then(|v| v.as_table()) {
        for (cfg, target) in targets {
            for kind in ["dependencies", "dev-dependencies", "build-dependencies"] {
                if let Some(t) = target.get(kind).and_then(|v| v.as_table()) {
                    tables.push((format!("target.{cfg}.{kind}"), t));
                }
            }
        }
    }
    if crate_dir
        .file_name()
        .is_some_and(|n| n != "smithy-lite-runtime")
    {
        assert!(!tables.is_empty(), "no [dependencies] at all");
    }
    for (table, deps) in tables {
        for (name, spec) in deps {
            if let Some(spec) = spec.as_table() {
                assert!(
                    !spec.contains_key("workspace"),
                    "{table}.{name} has `workspace`: the crate would not build when vendored"
                );
                if let Some(path) = spec.get("path") {
                    assert!(
                        name == "smithy-lite-runtime"
                            && path.as_str() == Some("../smithy-lite-runtime"),
                        "{table}.{name} has path {path}: only the runtime, beside the crate"
                    );
                }
            } else {
                assert!(
                    spec.is_str(),
                    "{table}.{name}: unexpected dependency spec {spec}"
                );
            }
        }
    }
}
