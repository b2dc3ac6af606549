//! The botocore oracle (`<shared>/oracle/oracle.py`, found next to `KVS_MODEL_MIRROR`) run
//! with the Python in `KVS_PYTHON`: the exact request botocore sends.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

/// The oracle script and a Python with botocore, or `None` outside CI when either is missing.
pub fn oracle(what: &str) -> Option<(String, PathBuf)> {
    let models = std::env::var_os("KVS_MODEL_MIRROR")
        .map(PathBuf::from)
        .map(|p| {
            if p.is_relative() {
                Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(p)
            } else {
                p
            }
        })
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/models"));
    let script = models.join("../oracle/oracle.py");
    let python = std::env::var("KVS_PYTHON").unwrap_or_else(|_| "python3".into());
    let has_botocore = Command::new(&python)
        .args(["-c", "import botocore"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let problem = if !script.is_file() {
        Some(format!("no oracle at {}", script.display()))
    } else if !has_botocore {
        Some(format!("{python} cannot import botocore (set KVS_PYTHON)"))
    } else {
        None
    };
    match problem {
        None => Some((python, script)),
        Some(p) if std::env::var_os("CI").is_some() => {
            panic!("{what} agreement with botocore: {p}")
        }
        Some(p) => {
            eprintln!("note: {p}; {what} agreement with botocore not run");
            None
        }
    }
}

/// `input` is JSON text: botocore serializes members in the order the text gives them.
pub fn ask_oracle(python: &str, script: &Path, service: &str, input: &str) -> Value {
    use std::io::Write;
    let mut child = Command::new(python)
        .arg(script)
        .arg("request")
        .env("ORACLE_SERVICE", service)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "oracle failed");
    serde_json::from_slice(&out.stdout).unwrap()
}
