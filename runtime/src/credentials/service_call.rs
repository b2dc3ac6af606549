//! What the credential services' own calls (STS, SSO, SSO-OIDC) share: where they go (the
//! SDKs' endpoint overrides), how a request becomes a URL, and sending one with the standard
//! retries. Nothing here logs a header or a body: they carry tokens.

use std::time::Duration;

use super::super::http::{Headers, HttpRequest};
use super::super::profile::Env;
use super::super::retry::{classify, RetryConfig};
use super::super::transport::{
    HttpClient, HttpTimeouts, HyperClient, OutgoingRequest, ProxySettings,
};
use super::CredentialsError;

/// Attempts in all for one credentials call (the SDKs' standard mode).
const MAX_ATTEMPTS: u32 = 3;

/// The endpoint for a service: an explicit URL, else `AWS_ENDPOINT_URL_<ID>`, else
/// `AWS_ENDPOINT_URL` (both ignored when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is `true`),
/// else `default`.
pub(crate) fn endpoint_url(
    env: &Env,
    explicit: Option<&str>,
    env_id: &str,
    default: impl FnOnce() -> String,
) -> String {
    let ignore_env = env
        .get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    explicit
        .map(str::to_string)
        .filter(|u| !u.trim().is_empty())
        .or_else(|| {
            if ignore_env {
                None
            } else {
                env.get(&format!("AWS_ENDPOINT_URL_{env_id}"))
                    .or_else(|| env.get("AWS_ENDPOINT_URL"))
            }
        })
        .unwrap_or_else(default)
        .trim()
        .to_string()
}

/// `https://host:port/prefix` → (`https`, `host:port`, `/prefix` without a trailing `/`).
pub(crate) fn split_url(url: &str) -> (&str, &str, &str) {
    let (scheme, rest) = url.split_once("://").unwrap_or(("https", url));
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    (scheme, host, path.trim_end_matches('/'))
}

/// The request as it goes on the wire, at `endpoint` (whose path, if any, prefixes the
/// request's). `host` and `content-length` are shown as the transport sends them (no
/// `content-length` without a body, as botocore).
pub(crate) fn outgoing(endpoint: &str, request: HttpRequest) -> OutgoingRequest {
    let (scheme, host, prefix) = split_url(endpoint);
    let mut headers = request.headers;
    headers.insert("host", host.to_owned());
    if !request.body.is_empty() {
        headers.insert("content-length", request.body.len().to_string());
    }
    let query = if request.query.is_empty() {
        String::new()
    } else {
        format!("?{}", request.query)
    };
    OutgoingRequest {
        method: request.method,
        url: format!("{scheme}://{host}{prefix}{}{query}", request.path),
        headers,
        body: request.body,
    }
}

/// A whole answer.
pub(crate) struct Answer {
    pub status: u16,
    pub headers: Headers,
    pub body: Vec<u8>,
}

/// Sends `request`, retrying connection failures, throttling, 5xx, and answers that
/// `also_retry(status, body)` names (STS `IDPCommunicationError`), up to three attempts with
/// the standard backoff. The last answer is returned whatever its status.
pub(crate) async fn send(
    env: &Env,
    service: &str,
    request: OutgoingRequest,
    also_retry: fn(u16, &[u8]) -> bool,
) -> Result<Answer, CredentialsError> {
    let client = HyperClient::builder()
        .timeouts(HttpTimeouts {
            connect: Duration::from_millis(3100),
            read: Duration::from_secs(10),
        })
        .proxies(ProxySettings::from_env(env))
        .build()
        .map_err(|e| CredentialsError::provider_error(format!("{service}: {e}")).with_source(e))?;
    send_with(&client, service, request, also_retry).await
}

pub(crate) async fn send_with(
    client: &dyn HttpClient,
    service: &str,
    request: OutgoingRequest,
    also_retry: fn(u16, &[u8]) -> bool,
) -> Result<Answer, CredentialsError> {
    let retry = RetryConfig::default();
    let mut attempt = 1;
    loop {
        tracing::debug!(service, method = %request.method, attempt, "credentials call");
        let result = match client.send(request.clone()).await {
            Ok(response) => match response.body.collect().await {
                Ok(body) => Ok(Answer {
                    status: response.status,
                    headers: response.headers,
                    body,
                }),
                Err(e) => Err(e),
            },
            Err(e) => Err(e),
        };
        let retryable = match &result {
            Ok(a) => {
                (a.status >= 300
                    && classify(a.status, query_or_json_code(&a.body).as_deref()).is_some())
                    || also_retry(a.status, &a.body)
            }
            Err(e) => e.is_retryable(),
        };
        if !retryable || attempt >= MAX_ATTEMPTS {
            return match result {
                Ok(answer) => {
                    tracing::debug!(service, status = answer.status, "credentials answer");
                    Ok(answer)
                }
                Err(e) => {
                    let message = format!("{service}: {e}{}", causes(&e));
                    Err(match e.kind() {
                        super::super::transport::TransportErrorKind::Timeout => {
                            CredentialsError::timed_out(message)
                        }
                        _ => CredentialsError::provider_error(message),
                    }
                    .with_source(e))
                }
            };
        }
        let wait = retry.backoff(attempt, fastrand::f64());
        tracing::debug!(service, attempt, ?wait, "credentials call retried");
        tokio::time::sleep(wait).await;
        attempt += 1;
    }
}

/// `: cause: deeper cause` of an error's sources (the TLS alert under a refused connection),
/// each once.
fn causes(e: &dyn std::error::Error) -> String {
    let mut out = String::new();
    let mut seen = e.to_string();
    let mut next = e.source();
    while let Some(cause) = next {
        let text = cause.to_string();
        if !seen.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
            seen.push_str(&text);
        }
        next = cause.source();
    }
    out
}

/// The error code of an answer, for retry decisions: `<Code>` of a query-protocol XML error,
/// or `__type`/`code` of a JSON one.
fn query_or_json_code(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    if let Some(start) = text.find("<Code>") {
        let rest = &text[start + 6..];
        return rest
            .find("</Code>")
            .map(|end| rest[..end].trim().to_string());
    }
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let code = value
        .get("__type")
        .or_else(|| value.get("code"))
        .or_else(|| value.get("error"))?
        .as_str()?;
    Some(code.rsplit('#').next().unwrap_or(code).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_precedence() {
        let env = Env::from_vars([
            ("AWS_ENDPOINT_URL_STS", "http://sts.local"),
            ("AWS_ENDPOINT_URL", "http://all.local"),
        ]);
        let d = || "https://default".to_string();
        assert_eq!(endpoint_url(&env, Some("http://x"), "STS", d), "http://x");
        assert_eq!(endpoint_url(&env, None, "STS", d), "http://sts.local");
        assert_eq!(endpoint_url(&env, None, "SSO", d), "http://all.local");
        let env = Env::from_vars([
            ("AWS_ENDPOINT_URL_STS", "http://sts.local"),
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
        ]);
        assert_eq!(endpoint_url(&env, None, "STS", d), "https://default");
        assert_eq!(
            endpoint_url(&Env::from_vars::<&str, &str>([]), None, "STS", d),
            "https://default"
        );
    }

    #[test]
    fn urls_keep_ports_and_prefixes() {
        assert_eq!(
            split_url("http://127.0.0.1:9/p/"),
            ("http", "127.0.0.1:9", "/p")
        );
        let mut r = HttpRequest::new("GET", "/federation/credentials");
        r.query = "a=b".into();
        let out = outgoing("https://h.example/x", r);
        assert_eq!(out.url, "https://h.example/x/federation/credentials?a=b");
        assert_eq!(out.headers.get("host"), Some("h.example"));
    }

    #[test]
    fn codes_of_xml_and_json_errors() {
        assert_eq!(
            query_or_json_code(
                b"<ErrorResponse><Error><Code>Throttling</Code></Error></ErrorResponse>"
            )
            .as_deref(),
            Some("Throttling")
        );
        assert_eq!(
            query_or_json_code(br#"{"__type":"com.amazon#TooManyRequestsException"}"#).as_deref(),
            Some("TooManyRequestsException")
        );
        assert_eq!(query_or_json_code(b"not json"), None);
    }
}
