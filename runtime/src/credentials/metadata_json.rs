//! The credentials document the container endpoint and EC2 instance metadata answer with:
//! `{"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}` (IMDS adds `"Code": "Success"`).

use super::super::datetime::{DateTime, Format};
use super::super::json::Value;
use super::super::sigv4::Credentials;
use super::CredentialsError;

/// Reads the document; `source` names the endpoint in errors (never the body, which holds
/// secrets).
pub fn parse(
    body: &[u8],
    source: &str,
    provider_name: &'static str,
) -> Result<Credentials, CredentialsError> {
    let err = |what: String| CredentialsError::provider_error(format!("{source}: {what}"));
    let doc: Value =
        serde_json::from_slice(body).map_err(|e| err(format!("the answer is not JSON ({e})")))?;
    let Value::Object(map) = &doc else {
        return Err(err("the answer is not a JSON object".into()));
    };
    if let Some(Value::String(code)) = map.get("Code") {
        if code != "Success" {
            let message = match map.get("Message") {
                Some(Value::String(m)) => m.as_str(),
                _ => "",
            };
            return Err(err(format!("Code {code}: {message}")).with_code(code.clone()));
        }
    }
    let string = |key: &str| -> Result<Option<String>, CredentialsError> {
        match map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(err(format!("{key} is not a string"))),
        }
    };
    let id = string("AccessKeyId")?.ok_or_else(|| err("AccessKeyId is missing".into()))?;
    let secret =
        string("SecretAccessKey")?.ok_or_else(|| err("SecretAccessKey is missing".into()))?;
    let token = string("Token")?;
    let expiry = match string("Expiration")? {
        None => None,
        Some(text) => Some(
            DateTime::parse(&text, Format::DateTime)
                .map_err(|_| err(format!("Expiration `{text}` is not an ISO 8601 time")))?
                .into(),
        ),
    };
    Ok(Credentials::new(id, secret, token)
        .with_expiry(expiry)
        .with_provider_name(provider_name))
}
