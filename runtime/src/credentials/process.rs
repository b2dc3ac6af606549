//! `credential_process`: a command whose standard output is the credentials as JSON.
//!
//! As botocore does: the command line is split with POSIX shell rules (`shlex`) and run
//! without a shell; it must exit 0 and print `{"Version": 1, "AccessKeyId": ...,
//! "SecretAccessKey": ..., "SessionToken": ..., "Expiration": "<ISO 8601>"}`.

use std::process::Stdio;

use super::super::datetime::{DateTime, Format};
use super::super::json::Value;
use super::super::sigv4::Credentials;
use super::CredentialsError;

/// The name credentials from here carry (botocore's `method`).
pub const PROVIDER_NAME: &str = "custom-process";

/// Runs `command` and reads the credentials it prints.
pub async fn run(command: &str) -> Result<Credentials, CredentialsError> {
    let argv = shlex::split(command).ok_or_else(|| {
        CredentialsError::invalid_configuration(
            "credential_process: the command line has an unclosed quote",
        )
    })?;
    let Some((program, args)) = argv.split_first() else {
        return Err(CredentialsError::invalid_configuration(
            "credential_process is empty",
        ));
    };
    let output = tokio::process::Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .output()
        .await
        .map_err(|e| {
            CredentialsError::provider_error(format!(
                "credential_process: cannot run `{program}`: {e}"
            ))
        })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(CredentialsError::provider_error(format!(
            "credential_process `{program}` failed ({}): {}",
            output.status,
            stderr.trim()
        )));
    }
    parse_output(&output.stdout)
}

/// Reads the process's JSON answer.
pub fn parse_output(stdout: &[u8]) -> Result<Credentials, CredentialsError> {
    let err = |what: &str| CredentialsError::provider_error(format!("credential_process: {what}"));
    let doc: Value = serde_json::from_slice(stdout)
        .map_err(|e| err(&format!("the output is not JSON ({e})")))?;
    let Value::Object(map) = &doc else {
        return Err(err("the output is not a JSON object"));
    };
    match map.get("Version") {
        Some(Value::Number(n)) if n.as_u64() == Some(1) => {}
        Some(v) => {
            return Err(err(&format!(
                "unsupported Version {v} (only 1 is supported)"
            )))
        }
        None => return Err(err("the output has no Version (1 is expected)")),
    }
    let string = |key: &str| -> Result<Option<String>, CredentialsError> {
        match map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(err(&format!("{key} is not a string"))),
        }
    };
    let id = string("AccessKeyId")?.ok_or_else(|| err("AccessKeyId is missing"))?;
    let secret = string("SecretAccessKey")?.ok_or_else(|| err("SecretAccessKey is missing"))?;
    let token = string("SessionToken")?;
    let expiry = match string("Expiration")? {
        None => None,
        Some(text) => Some(
            DateTime::parse(&text, Format::DateTime)
                .map_err(|_| err(&format!("Expiration `{text}` is not an ISO 8601 time")))?
                .into(),
        ),
    };
    Ok(Credentials::new(id, secret, token)
        .with_expiry(expiry)
        .with_provider_name(PROVIDER_NAME))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_version_1() {
        let c = parse_output(
            br#"{"Version":1,"AccessKeyId":"AKID","SecretAccessKey":"S","SessionToken":"T","Expiration":"2030-01-01T00:00:00Z"}"#,
        )
        .unwrap();
        assert_eq!(c.access_key_id(), "AKID");
        assert_eq!(c.session_token(), Some("T"));
        assert!(c.expiry().is_some());
    }

    #[test]
    fn refuses_other_versions_missing_keys_and_bad_json() {
        let e =
            parse_output(br#"{"Version":2,"AccessKeyId":"A","SecretAccessKey":"S"}"#).unwrap_err();
        assert!(e.message().contains("Version 2"), "{e}");
        let e = parse_output(br#"{"Version":1,"SecretAccessKey":"S"}"#).unwrap_err();
        assert!(e.message().contains("AccessKeyId"), "{e}");
        let e = parse_output(b"not json").unwrap_err();
        assert!(e.message().contains("not JSON"), "{e}");
    }
}
