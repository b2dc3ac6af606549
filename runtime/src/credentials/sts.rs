//! AWS STS `AssumeRole` and `AssumeRoleWithWebIdentity`, as botocore sends them.
//!
//! STS speaks `awsQuery`: a form-encoded `POST /` (`Action=AssumeRole&Version=2011-06-15&...`,
//! values encoded as Python's `urlencode` does) and an XML answer. `AssumeRole` is signed
//! (SigV4, service `sts`) with the source credentials; `AssumeRoleWithWebIdentity` is not
//! signed (the model marks it `@optionalAuth`, botocore sends it without `authorization`).
//!
//! The endpoint is regional, `https://sts.{region}.amazonaws.com` (botocore's default), or
//! `AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL`, or [`StsSettings::endpoint_url`]. Without a
//! region the call goes to the global `https://sts.amazonaws.com`, signed for `us-east-1`.

use std::time::SystemTime;

use percent_encoding::utf8_percent_encode;

use super::super::datetime::{DateTime, Format};
use super::super::http::HttpRequest;
use super::super::profile::Env;
use super::super::rest::UNRESERVED;
use super::super::sigv4::{sign_request, Credentials, SigningParams, SigningSettings};
use super::super::transport::OutgoingRequest;
use super::service_call::{endpoint_url, outgoing, send, split_url};
use super::CredentialsError;

const VERSION: &str = "2011-06-15";

/// Where an STS call goes.
#[derive(Clone, Default)]
pub struct StsSettings {
    /// The region of the regional endpoint and of the signature; `None`: the global endpoint.
    pub region: Option<String>,
    /// Where the endpoint overrides (`AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL`) are read.
    pub env: Env,
    /// An explicit endpoint; it wins over the variables.
    pub endpoint_url: Option<String>,
}

/// `Debug` leaves the environment's variables out (they may hold keys).
impl std::fmt::Debug for StsSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StsSettings")
            .field("region", &self.region)
            .field("endpoint_url", &self.endpoint_url)
            .finish_non_exhaustive()
    }
}

/// The `AssumeRole` members the credential sources use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssumeRoleRequest {
    pub role_arn: String,
    pub role_session_name: String,
    pub external_id: Option<String>,
    pub duration_seconds: Option<u32>,
}

/// The `AssumeRoleWithWebIdentity` members the credential sources use. `Debug` leaves the
/// token out.
#[derive(Clone, PartialEq, Eq)]
pub struct WebIdentityRequest {
    pub role_arn: String,
    pub role_session_name: String,
    pub web_identity_token: String,
}

impl std::fmt::Debug for WebIdentityRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebIdentityRequest")
            .field("role_arn", &self.role_arn)
            .field("role_session_name", &self.role_session_name)
            .field("web_identity_token", &"** redacted **")
            .finish()
    }
}

/// Calls `AssumeRole`, signed with `source`.
pub async fn assume_role(
    settings: &StsSettings,
    source: &Credentials,
    req: &AssumeRoleRequest,
) -> Result<Credentials, CredentialsError> {
    let request = assume_role_request(settings, source, req, SystemTime::now());
    tracing::debug!(role_arn = %req.role_arn, url = %request.url, "sts AssumeRole");
    call(
        &settings.env,
        "AssumeRole",
        "assume-role",
        request,
        |_, _| false,
    )
    .await
}

/// Calls `AssumeRoleWithWebIdentity` (unsigned). `IDPCommunicationError` is retried, as the
/// SDKs do.
pub async fn assume_role_with_web_identity(
    settings: &StsSettings,
    req: &WebIdentityRequest,
) -> Result<Credentials, CredentialsError> {
    let request = web_identity_request(settings, req);
    tracing::debug!(role_arn = %req.role_arn, url = %request.url, "sts AssumeRoleWithWebIdentity");
    call(
        &settings.env,
        "AssumeRoleWithWebIdentity",
        "assume-role-with-web-identity",
        request,
        |status, body| {
            status == 400 && parse_error(body).is_some_and(|e| e.code == "IDPCommunicationError")
        },
    )
    .await
}

/// The signed `AssumeRole` request as it goes on the wire (at `time`).
pub fn assume_role_request(
    settings: &StsSettings,
    source: &Credentials,
    req: &AssumeRoleRequest,
    time: SystemTime,
) -> OutgoingRequest {
    let mut params = vec![
        ("RoleArn", req.role_arn.clone()),
        ("RoleSessionName", req.role_session_name.clone()),
    ];
    if let Some(d) = req.duration_seconds {
        params.push(("DurationSeconds", d.to_string()));
    }
    if let Some(id) = &req.external_id {
        params.push(("ExternalId", id.clone()));
    }
    let (url, region) = endpoint(settings);
    let mut request = form_request("AssumeRole", &params);
    sign_request(
        &mut request,
        split_url(&url).1,
        &SigningParams {
            credentials: source,
            region: &region,
            service: "sts",
            time,
            settings: SigningSettings::default(),
        },
    );
    outgoing(&url, request)
}

/// The (unsigned) `AssumeRoleWithWebIdentity` request as it goes on the wire.
pub fn web_identity_request(settings: &StsSettings, req: &WebIdentityRequest) -> OutgoingRequest {
    let params = [
        ("RoleArn", req.role_arn.clone()),
        ("RoleSessionName", req.role_session_name.clone()),
        ("WebIdentityToken", req.web_identity_token.clone()),
    ];
    let (url, _) = endpoint(settings);
    outgoing(&url, form_request("AssumeRoleWithWebIdentity", &params))
}

/// (endpoint URL, signing region).
fn endpoint(settings: &StsSettings) -> (String, String) {
    let region = settings
        .region
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let url = endpoint_url(
        &settings.env,
        settings.endpoint_url.as_deref(),
        "STS",
        || match region {
            Some(r) => format!("https://sts.{r}.{}", dns_suffix(r)),
            None => "https://sts.amazonaws.com".to_string(),
        },
    );
    (url, region.unwrap_or("us-east-1").to_string())
}

/// The DNS suffix of the partition a region belongs to.
fn dns_suffix(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else if region.starts_with("us-iso-") {
        "c2s.ic.gov"
    } else if region.starts_with("us-isob-") {
        "sc2s.sgov.gov"
    } else {
        "amazonaws.com"
    }
}

/// `POST /` with the form body botocore builds: `Action`, `Version`, then the members.
fn form_request(action: &str, params: &[(&str, String)]) -> HttpRequest {
    let mut body = format!("Action={action}&Version={VERSION}");
    for (name, value) in params {
        body.push('&');
        body.push_str(name);
        body.push('=');
        body.push_str(&form_encode(value));
    }
    let mut request = HttpRequest::new("POST", "/");
    request.headers.insert(
        "content-type",
        "application/x-www-form-urlencoded; charset=utf-8",
    );
    request.headers.insert(
        "user-agent",
        format!(
            "smithy-lite-runtime/{} lang/rust os/{}",
            env!("CARGO_PKG_VERSION"),
            std::env::consts::OS
        ),
    );
    request.body = body.into_bytes();
    request
}

/// Python's `urlencode` (`quote_plus`): unreserved characters kept, space as `+`, the rest
/// percent-encoded in upper-case hex.
fn form_encode(value: &str) -> String {
    utf8_percent_encode(value, UNRESERVED)
        .to_string()
        .replace("%20", "+")
}

async fn call(
    env: &Env,
    action: &'static str,
    provider_name: &'static str,
    request: OutgoingRequest,
    also_retry: fn(u16, &[u8]) -> bool,
) -> Result<Credentials, CredentialsError> {
    let answer = send(env, &format!("STS {action}"), request, also_retry).await?;
    parse_response(action, provider_name, answer.status, &answer.body)
}

/// Reads an STS answer: the credentials of a 2xx, or the service's error.
pub fn parse_response(
    action: &str,
    provider_name: &'static str,
    status: u16,
    body: &[u8],
) -> Result<Credentials, CredentialsError> {
    if !(200..300).contains(&status) {
        return Err(match parse_error(body) {
            Some(e) => {
                let mut message = format!("STS {action} failed (HTTP {status})");
                if let Some(m) = &e.message {
                    message = format!("{m} (STS {action}, HTTP {status})");
                }
                if let Some(id) = &e.request_id {
                    message.push_str(&format!(", request id {id}"));
                }
                CredentialsError::provider_error(message).with_code(e.code)
            }
            None => CredentialsError::provider_error(format!(
                "STS {action} failed with HTTP {status} and no STS error document"
            )),
        });
    }
    parse_credentials(action, body)
        .map(|c| c.with_provider_name(provider_name))
        .map_err(|what| {
            CredentialsError::provider_error(format!(
                "STS {action} answered HTTP {status} with a malformed document: {what}"
            ))
        })
}

/// `<{action}Response><{action}Result><Credentials>...`; the error names what was wrong, never
/// a value.
fn parse_credentials(action: &str, body: &[u8]) -> Result<Credentials, String> {
    let text = std::str::from_utf8(body).map_err(|_| "not UTF-8".to_string())?;
    let doc = roxmltree::Document::parse(text).map_err(|e| format!("not XML ({e})"))?;
    let root = doc.root_element();
    let response = format!("{action}Response");
    if root.tag_name().name() != response {
        return Err(format!(
            "root element is <{}>, not <{response}>",
            root.tag_name().name()
        ));
    }
    let result = format!("{action}Result");
    let creds = child(root, &result)
        .ok_or_else(|| format!("no <{result}>"))
        .and_then(|r| child(r, "Credentials").ok_or_else(|| "no <Credentials>".to_string()))?;
    let field = |name: &str| {
        child(creds, name)
            .and_then(|n| n.text())
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .ok_or_else(|| format!("no <Credentials><{name}>"))
    };
    let access_key_id = field("AccessKeyId")?;
    let secret = field("SecretAccessKey")?;
    let token = field("SessionToken")?;
    let expiration = field("Expiration")?;
    let expiry = DateTime::parse(&expiration, Format::DateTime)
        .map_err(|_| format!("<Expiration> {expiration:?} is not an ISO-8601 date-time"))?;
    Ok(Credentials::new(access_key_id, secret, Some(token)).with_expiry(Some(expiry.into())))
}

fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

/// An STS error answer: `<ErrorResponse><Error><Code>..</Code><Message>..</Message></Error>`.
struct StsError {
    code: String,
    message: Option<String>,
    request_id: Option<String>,
}

fn parse_error(body: &[u8]) -> Option<StsError> {
    let text = std::str::from_utf8(body).ok()?;
    let doc = roxmltree::Document::parse(text).ok()?;
    let root = doc.root_element();
    // `<ErrorResponse><Error>` (STS), or a bare `<Error>` / `<Response><Errors><Error>`.
    let error = if root.tag_name().name() == "Error" {
        root
    } else {
        root.descendants()
            .find(|n| n.is_element() && n.tag_name().name() == "Error")?
    };
    let text_of = |node: roxmltree::Node, name: &str| {
        child(node, name)
            .and_then(|n| n.text())
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
    };
    Some(StsError {
        code: text_of(error, "Code")?,
        message: text_of(error, "Message"),
        request_id: text_of(root, "RequestId").or_else(|| {
            root.descendants()
                .find(|n| n.is_element() && n.tag_name().name() == "RequestId")
                .and_then(|n| n.text())
                .map(str::to_string)
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(region: Option<&str>) -> StsSettings {
        StsSettings {
            region: region.map(str::to_string),
            env: Env::from_vars::<&str, &str>([]),
            endpoint_url: None,
        }
    }

    #[test]
    fn regional_and_global_endpoints() {
        assert_eq!(
            endpoint(&settings(Some("eu-west-1"))),
            (
                "https://sts.eu-west-1.amazonaws.com".to_string(),
                "eu-west-1".to_string()
            )
        );
        assert_eq!(
            endpoint(&settings(Some("cn-north-1"))).0,
            "https://sts.cn-north-1.amazonaws.com.cn"
        );
        assert_eq!(
            endpoint(&settings(None)),
            (
                "https://sts.amazonaws.com".to_string(),
                "us-east-1".to_string()
            )
        );
    }

    #[test]
    fn form_values_are_encoded_as_python_urlencode() {
        assert_eq!(
            form_encode("arn:aws:iam::1:role/a b+c~d.e_f-g"),
            "arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fa+b%2Bc~d.e_f-g"
        );
        assert_eq!(form_encode("é"), "%C3%A9");
    }

    #[test]
    fn web_identity_request_is_unsigned() {
        let r = web_identity_request(
            &settings(Some("us-west-2")),
            &WebIdentityRequest {
                role_arn: "arn:aws:iam::123456789012:role/r".into(),
                role_session_name: "s".into(),
                web_identity_token: "tok en".into(),
            },
        );
        assert_eq!(r.url, "https://sts.us-west-2.amazonaws.com/");
        assert!(!r.headers.contains("authorization"));
        assert_eq!(
            String::from_utf8(r.body).unwrap(),
            "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fr&RoleSessionName=s&WebIdentityToken=tok+en"
        );
    }

    #[test]
    fn parses_credentials_and_expiry() {
        let body = br#"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser><Arn>arn:aws:sts::1:assumed-role/r/s</Arn><AssumedRoleId>A:s</AssumedRoleId></AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIAEXAMPLE</AccessKeyId>
      <SecretAccessKey>secret</SecretAccessKey>
      <SessionToken>token</SessionToken>
      <Expiration>2026-12-02T01:00:00.5Z</Expiration>
    </Credentials>
    <Unknown>ignored</Unknown>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>
</AssumeRoleResponse>"#;
        let c = parse_response("AssumeRole", "assume-role", 200, body).unwrap();
        assert_eq!(c.access_key_id(), "ASIAEXAMPLE");
        assert_eq!(c.secret_access_key(), "secret");
        assert_eq!(c.session_token(), Some("token"));
        assert_eq!(c.provider_name(), "assume-role");
        let expiry = DateTime::from(c.expiry().unwrap());
        assert_eq!(expiry.fmt(Format::DateTime), "2026-12-02T01:00:00.5Z");
    }

    #[test]
    fn errors_keep_code_and_message() {
        let body = br#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>ExpiredToken</Code><Message>The security token included in the request is expired</Message></Error>
  <RequestId>req-9</RequestId>
</ErrorResponse>"#;
        let e = parse_response("AssumeRole", "assume-role", 400, body).unwrap_err();
        assert_eq!(e.code(), Some("ExpiredToken"));
        assert_eq!(e.kind(), super::super::CredentialsErrorKind::ProviderError);
        let shown = e.to_string();
        assert!(
            shown
                .starts_with("ExpiredToken: The security token included in the request is expired"),
            "{shown}"
        );
        assert!(shown.contains("req-9"), "{shown}");
    }

    #[test]
    fn malformed_answers_are_errors() {
        for (status, body) in [
            (200, &b"not xml"[..]),
            (200, b"<AssumeRoleResponse><AssumeRoleResult/></AssumeRoleResponse>"),
            (200, b"<Other/>"),
            (
                200,
                b"<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>A</AccessKeyId><SecretAccessKey>S</SecretAccessKey><SessionToken>T</SessionToken><Expiration>soon</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>",
            ),
            (500, b""),
            (500, b"<html>oops</html>"),
            (200, b"\xff\xfe"),
        ] {
            let e = parse_response("AssumeRole", "assume-role", status, body).unwrap_err();
            assert_eq!(e.kind(), super::super::CredentialsErrorKind::ProviderError);
            assert!(!e.to_string().contains("S</"), "{e}");
        }
    }
}
