//! `cargo xtask test`: everything the test suite needs on a fresh machine, then the suite.
//!
//! The botocore agreement tests run botocore itself; it is installed, at the pinned version of
//! `tests/oracle/requirements.txt`, into a virtual environment under `target/` (never into the
//! system Python), and handed to the tests through `KVS_PYTHON`.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

fn run(cmd: &mut Command) -> Result<(), String> {
    let status = cmd.status().map_err(|e| format!("running {cmd:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{cmd:?} failed with {status}"))
    }
}

/// A Python with the pinned botocore: `KVS_PYTHON` if set, else a venv in `target/`.
fn oracle_python(root: &Path) -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("KVS_PYTHON") {
        return Ok(PathBuf::from(p));
    }
    let venv = root.join("target/oracle-venv");
    let python = venv.join("bin/python");
    let requirements = root.join("tests/oracle/requirements.txt");
    let stamp = venv.join("requirements.installed");
    let wanted = std::fs::read_to_string(&requirements)
        .map_err(|e| format!("{}: {e}", requirements.display()))?;
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) && python.exists() {
        return Ok(python);
    }
    println!(
        "setting up {} with {}",
        venv.display(),
        requirements.display()
    );
    run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    run(Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
        ])
        .arg(&requirements))?;
    std::fs::write(&stamp, wanted).map_err(|e| format!("{}: {e}", stamp.display()))?;
    Ok(python)
}

pub fn test(root: &Path, extra_args: &[String]) -> Result<ExitCode, String> {
    let python = oracle_python(root)?;
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(root)
        .args(["test", "--workspace"])
        .args(extra_args)
        .env("KVS_PYTHON", &python);
    if std::env::var_os("KVS_MODEL_MIRROR").is_none() {
        let default_mirror = root.join("../shared/models");
        if default_mirror.is_dir() {
            cmd.env("KVS_MODEL_MIRROR", default_mirror);
        }
    }
    run(&mut cmd)?;
    if extra_args.is_empty() {
        check_as_users_build(root)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The workspace builds every generated crate with `dispatch` (the CLI and the tests turn it
/// on), but users build them with their default features, or with none (the sans-I/O layer).
/// Both are checked here, warnings included: code behind a feature must be exactly what the
/// other features leave unused.
fn check_as_users_build(root: &Path) -> Result<(), String> {
    let mut packages = Vec::new();
    for pattern in ["generated", "tests/golden", "tests/compliance"] {
        let dir = root.join(pattern);
        let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for entry in entries {
            let mut manifest = entry.map_err(|e| e.to_string())?.path();
            if pattern == "tests/golden" {
                manifest.push("expected");
            }
            manifest.push("Cargo.toml");
            if let Ok(text) = std::fs::read_to_string(&manifest) {
                packages.push(
                    package_name(&text)
                        .ok_or_else(|| format!("{}: no package name", manifest.display()))?,
                );
            }
        }
    }
    packages.sort();
    for features in [None, Some("--no-default-features")] {
        println!(
            "checking {} generated crates with {}",
            packages.len(),
            features.unwrap_or("their default features")
        );
        let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        cmd.current_dir(root)
            .args(["check", "--quiet", "--message-format", "short"]);
        for p in &packages {
            cmd.args(["-p", p]);
        }
        cmd.args(features);
        let out = cmd.output().map_err(|e| format!("running {cmd:?}: {e}"))?;
        let stderr = String::from_utf8_lossy(&out.stderr);
        if !out.status.success() || stderr.contains("warning") {
            return Err(format!("{cmd:?}:\n{stderr}"));
        }
    }
    Ok(())
}

/// `package.name` of a manifest.
fn package_name(manifest: &str) -> Option<String> {
    let table: toml::Table = manifest.parse().ok()?;
    Some(table.get("package")?.get("name")?.as_str()?.to_string())
}
