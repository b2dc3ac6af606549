//! Every generated crate is vendorable: a copy of `generated/<crate>` builds on its own,
//! outside this workspace, one crate at a time.
//!
//! Users are meant to copy the crate into their own tree, so it must not lean on anything only
//! this workspace provides: no `workspace = true` inheritance, no `path` dependencies (the
//! runtime is a module of the crate, not a sibling crate), no build script, and every source
//! file marked `// @generated` so tools and reviewers leave it alone. The build check copies the
//! crate to a fresh directory under the system temp dir and runs `cargo build --offline` there,
//! with `CARGO_TARGET_DIR=<workspace>/target/vendor-check` so dependencies compiled by earlier
//! runs are reused.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ lives in the workspace")
        .to_path_buf()
}

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
        .map(|c| workspace_root().join("generated").join(c))
        .collect()
}

#[test]
fn the_list_names_every_generated_crate() {
    let mut found: Vec<String> = std::fs::read_dir(workspace_root().join("generated"))
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

/// Copies `from` into the new directory `to`, skipping any `target/` build output.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("{}: {e}", to.display()));
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let entry = entry.expect("directory entry");
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if src.is_dir() {
            if entry.file_name() != "target" {
                copy_tree(&src, &dst);
            }
        } else {
            std::fs::copy(&src, &dst)
                .unwrap_or_else(|e| panic!("{} -> {}: {e}", src.display(), dst.display()));
        }
    }
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
            workspace_root().join("target/vendor-check"),
        )
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

#[test]
fn each_copied_crate_builds_alone_outside_the_workspace() {
    for crate_dir in crate_dirs() {
        copied_crate_builds_alone(&crate_dir);
    }
}

fn copied_crate_builds_alone(crate_dir: &Path) {
    let name = crate_dir.file_name().expect("crate dir name");
    let temp = TempDir::new("vendor-check");
    let vendored = temp.0.join(name);
    copy_tree(crate_dir, &vendored);
    // The copy must not sit inside any Cargo workspace.
    for dir in vendored.ancestors().skip(1) {
        assert!(
            !dir.join("Cargo.toml").exists(),
            "{} is inside a Cargo project ({}); the check would not be alone",
            vendored.display(),
            dir.display()
        );
    }

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
    assert!(
        ok,
        "the vendored copy of {} does not build:\n{stderr}",
        name.to_string_lossy()
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
        sources.len() > 25,
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

#[test]
fn manifests_have_no_workspace_or_path_dependencies_and_no_build_script() {
    for crate_dir in crate_dirs() {
        manifest_is_self_contained(&crate_dir);
    }
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
    assert!(!tables.is_empty(), "no [dependencies] at all");
    for (table, deps) in tables {
        for (name, spec) in deps {
            if let Some(spec) = spec.as_table() {
                for key in ["workspace", "path"] {
                    assert!(
                        !spec.contains_key(key),
                        "{table}.{name} has `{key}`: the crate would not build when vendored"
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
