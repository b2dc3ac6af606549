//! How the tests find the data kept beside the repository (`<shared>`: the models, the SigV4
//! suite, the partitions, Smithy's folder, the botocore oracle, the corpus), and the one rule
//! for when it is missing.
//!
//! `KVS_MODEL_MIRROR` names `<shared>/models` (relative paths from the workspace root), the
//! setting `cargo xtask` uses; without it, `../shared/models` beside the workspace. Missing data
//! fails the test when `CI` is set and is noted on stderr otherwise, where the test skips.
//!
//! The runtime's tests include this file by path instead of depending on the crate: the
//! runtime's manifest is copied as it is by `cargo xtask vendor`.

use std::fmt::Display;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root: the nearest folder above the crate under test with a `Cargo.lock`.
pub fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .ancestors()
        .find(|d| d.join("Cargo.lock").is_file())
        .unwrap_or(manifest_dir)
        .to_path_buf()
}

/// `<shared>/models`: `KVS_MODEL_MIRROR`, else `../shared/models` beside the workspace.
pub fn models_dir() -> PathBuf {
    let root = workspace_root();
    match std::env::var_os("KVS_MODEL_MIRROR") {
        Some(m) if !m.is_empty() => root.join(m),
        _ => root.join("../shared/models"),
    }
}

/// The models folder when it exists, else what [`unavailable`] says.
pub fn require_models(what: &str) -> Option<PathBuf> {
    let dir = models_dir();
    if dir.is_dir() {
        Some(dir)
    } else {
        unavailable(
            what,
            format_args!(
                "no models folder at {} (set KVS_MODEL_MIRROR)",
                dir.display()
            ),
        )
    }
}

/// `<shared>/<relative>`: beside the models folder, taken lexically (not through links).
pub fn shared_path(relative: &str) -> PathBuf {
    let models = models_dir();
    models
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| models.join(".."))
        .join(relative)
}

/// `<shared>/<relative>` when it exists, else what [`unavailable`] says; `what` names the
/// test that needs it.
pub fn require(what: &str, relative: &str) -> Option<PathBuf> {
    let path = shared_path(relative);
    if path.exists() {
        Some(path)
    } else {
        unavailable(
            what,
            format_args!(
                "{} not found (set KVS_MODEL_MIRROR to <shared>/models)",
                path.display()
            ),
        )
    }
}

/// The rule for missing data or tools: with `CI` set the test fails, naming `problem`;
/// otherwise `problem` is noted on stderr and `None` tells the test to skip.
pub fn unavailable<T>(what: &str, problem: impl Display) -> Option<T> {
    if std::env::var_os("CI").is_some() {
        panic!("{what}: {problem} (CI is set, so it must be there)");
    }
    eprintln!("{what}: skipped: {problem}");
    None
}

/// The Python the tests run botocore and moto with (`KVS_PYTHON`, set by `cargo xtask test`,
/// else `python3`) when it imports `modules` (`"botocore"`, `"moto.server, flask"`), else what
/// [`unavailable`] says.
pub fn python_with(what: &str, modules: &str) -> Option<String> {
    let python = std::env::var("KVS_PYTHON").unwrap_or_else(|_| "python3".into());
    match Command::new(&python)
        .args(["-c", &format!("import {modules}")])
        .output()
    {
        Ok(out) if out.status.success() => Some(python),
        Ok(out) => unavailable(
            what,
            format_args!(
                "`{python} -c \"import {modules}\"` failed: {}(set KVS_PYTHON, or run `cargo xtask test`, which installs it)",
                String::from_utf8_lossy(&out.stderr)
            ),
        ),
        Err(e) => unavailable(what, format_args!("cannot run {python} ({e}); set KVS_PYTHON")),
    }
}
