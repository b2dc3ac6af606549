//! The botocore oracle (`<shared>/oracle/oracle.py`, found next to `KVS_MODEL_MIRROR`) run
//! with the Python in `KVS_PYTHON`: the exact request botocore sends.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

/// The oracle script and a Python with botocore, or `None` outside CI when either is missing.
pub fn oracle(what: &str) -> Option<(String, PathBuf)> {
    let what = format!("{what} agreement with botocore");
    let script = super::shared_data::require(&what, "oracle/oracle.py")?;
    let python = super::shared_data::python_with(&what, "botocore")?;
    Some((python, script))
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
