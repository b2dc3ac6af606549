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
    Ok(ExitCode::SUCCESS)
}
