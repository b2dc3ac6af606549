//! IAM Identity Center (SSO): role credentials from the token `aws sso login` caches.
//!
//! The token is read from `~/.aws/sso/cache/<sha1 hex>.json`, keyed by the `sso_session` name
//! (or, for a legacy profile without one, by the start URL). With an `sso_session`, a token that
//! expires within 15 minutes is refreshed through SSO-OIDC `CreateToken` (`POST /token`,
//! `grantType=refresh_token`, unsigned) when the file has a refresh token and a registration that
//! has not expired, and the file is written back; as in botocore, a failed refresh keeps a token
//! that is still valid. Then SSO `GetRoleCredentials` (`GET /federation/credentials`, the token in
//! `x-amz-sso_bearer_token`, unsigned) gives the credentials.
//!
//! Endpoints: `https://portal.sso.{region}.amazonaws.com` (`AWS_ENDPOINT_URL_SSO`,
//! `AWS_ENDPOINT_URL`) and `https://oidc.{region}.amazonaws.com` (`AWS_ENDPOINT_URL_SSO_OIDC`,
//! `AWS_ENDPOINT_URL`). Tokens never reach an error, a log or `Debug`.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde_json::{Map, Value};
use sha1::{Digest, Sha1};

use super::super::datetime::{DateTime, Format};
use super::super::http::{Headers, HttpRequest};
use super::super::profile::Env;
use super::super::rest::UNRESERVED;
use super::super::sigv4::Credentials;
use super::super::transport::OutgoingRequest;
use super::service_call::{endpoint_url, outgoing, send};
use super::{CredentialsError, TimeSource};

/// A token expiring sooner than this is refreshed (botocore's window).
const REFRESH_WINDOW: Duration = Duration::from_secs(15 * 60);

const LOGIN_HINT: &str = "run `aws sso login` (with the same profile) to sign in again";

/// What an SSO profile names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SsoRequest {
    pub start_url: String,
    pub sso_region: String,
    pub account_id: String,
    pub role_name: String,
    /// The `sso_session` name; `None` for a legacy profile (`sso_start_url` in the profile), whose
    /// token is keyed by the start URL and never refreshed.
    pub session_name: Option<String>,
    /// `sso_registration_scopes` of the session (used by `aws sso login`; a refresh keeps the
    /// registration's scopes).
    pub registration_scopes: Option<String>,
}

/// The cached token's file: `~/.aws/sso/cache/<sha1 hex of the session name or start URL>.json`.
pub fn cache_file(env: &Env, req: &SsoRequest) -> Option<PathBuf> {
    let key = req.session_name.as_deref().unwrap_or(&req.start_url);
    let name = format!("{}.json", hex::encode(Sha1::digest(key.as_bytes())));
    let home = env.get("HOME").or_else(|| env.get("USERPROFILE"))?;
    Some(
        PathBuf::from(home)
            .join(".aws")
            .join("sso")
            .join("cache")
            .join(name),
    )
}

/// Role credentials for `req`, with the cached (and, if due, refreshed) token.
pub async fn get_role_credentials(
    env: &Env,
    clock: &dyn TimeSource,
    req: &SsoRequest,
) -> Result<Credentials, CredentialsError> {
    let path = cache_file(env, req).ok_or_else(|| {
        CredentialsError::invalid_configuration(
            "SSO: no home directory (HOME) to find the token cache ~/.aws/sso/cache in",
        )
    })?;
    let token = load_token(env, clock, req, &path).await?;
    let request = role_credentials_request(env, req, &token);
    tracing::debug!(account_id = %req.account_id, role_name = %req.role_name, url = %request.url, "sso GetRoleCredentials");
    let answer = send(env, "SSO GetRoleCredentials", request, |_, _| false).await?;
    parse_role_credentials(answer.status, &answer.headers, &answer.body)
}

/// `GET /federation/credentials?role_name=..&account_id=..` with the bearer token.
pub fn role_credentials_request(env: &Env, req: &SsoRequest, token: &str) -> OutgoingRequest {
    let url = endpoint_url(env, None, "SSO", || {
        format!("https://portal.sso.{}.amazonaws.com", req.sso_region)
    });
    let mut request = HttpRequest::new("GET", "/federation/credentials");
    request.query = format!(
        "role_name={}&account_id={}",
        percent_encoding::utf8_percent_encode(&req.role_name, UNRESERVED),
        percent_encoding::utf8_percent_encode(&req.account_id, UNRESERVED)
    );
    request
        .headers
        .insert("x-amz-sso_bearer_token", token.to_owned());
    outgoing(&url, request)
}

/// `POST /token` (SSO-OIDC `CreateToken`) with the refresh token.
pub fn create_token_request(env: &Env, region: &str, cached: &CachedToken) -> OutgoingRequest {
    let url = endpoint_url(env, None, "SSO_OIDC", || {
        format!("https://oidc.{region}.amazonaws.com")
    });
    let mut request = HttpRequest::new("POST", "/token");
    request.headers.insert("content-type", "application/json");
    let body = serde_json::json!({
        "clientId": cached.client_id.clone().unwrap_or_default(),
        "clientSecret": cached.client_secret.clone().unwrap_or_default(),
        "grantType": "refresh_token",
        "refreshToken": cached.refresh_token.clone().unwrap_or_default(),
    });
    request.body = serde_json::to_vec(&body).unwrap_or_default();
    outgoing(&url, request)
}

/// A token cache file's contents. `Debug` shows none of the tokens or the client secret.
#[derive(Clone, PartialEq, Eq)]
pub struct CachedToken {
    pub access_token: String,
    pub expires_at: SystemTime,
    pub refresh_token: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    /// As written by `aws sso login`, kept verbatim.
    pub registration_expires_at: Option<String>,
    pub region: Option<String>,
    pub start_url: Option<String>,
}

impl std::fmt::Debug for CachedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const REDACTED: &str = "** redacted **";
        f.debug_struct("CachedToken")
            .field("access_token", &REDACTED)
            .field("expires_at", &DateTime::from(self.expires_at))
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| REDACTED),
            )
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| REDACTED),
            )
            .field("registration_expires_at", &self.registration_expires_at)
            .field("region", &self.region)
            .field("start_url", &self.start_url)
            .finish()
    }
}

impl CachedToken {
    /// Reads a cache file's JSON; the error names the key, never a value.
    pub fn parse(text: &str) -> Result<CachedToken, String> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| format!("not JSON (line {})", e.line()))?;
        let obj = value.as_object().ok_or("not a JSON object")?;
        let string = |key: &str| -> Result<Option<String>, String> {
            match obj.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(format!("`{key}` is not a string")),
            }
        };
        let access_token = string("accessToken")?.ok_or("no `accessToken`")?;
        let expires_at = string("expiresAt")?.ok_or("no `expiresAt`")?;
        let expires_at =
            parse_time(&expires_at).ok_or("`expiresAt` is not an ISO-8601 date-time")?;
        Ok(CachedToken {
            access_token,
            expires_at,
            refresh_token: string("refreshToken")?,
            client_id: string("clientId")?,
            client_secret: string("clientSecret")?,
            registration_expires_at: string("registrationExpiresAt")?,
            region: string("region")?,
            start_url: string("startUrl")?,
        })
    }

    /// The file's JSON, with botocore's keys.
    pub fn to_json(&self) -> String {
        let mut obj = Map::new();
        let mut put = |k: &str, v: &Option<String>| {
            if let Some(v) = v {
                obj.insert(k.to_string(), Value::String(v.clone()));
            }
        };
        put("startUrl", &self.start_url);
        put("region", &self.region);
        put("accessToken", &Some(self.access_token.clone()));
        put("expiresAt", &Some(format_time(self.expires_at)));
        put("clientId", &self.client_id);
        put("clientSecret", &self.client_secret);
        put("registrationExpiresAt", &self.registration_expires_at);
        put("refreshToken", &self.refresh_token);
        Value::Object(obj).to_string()
    }
}

/// ISO-8601 as the CLI writes it (`2026-12-02T01:00:00Z`), or as botocore's refresh writes it
/// (`2026-12-02T01:00:00UTC`), or with an offset.
fn parse_time(s: &str) -> Option<SystemTime> {
    let s = s.trim();
    let s = match s.strip_suffix("UTC") {
        Some(base) => format!("{base}Z"),
        None => s.to_string(),
    };
    DateTime::parse(&s, Format::DateTime).ok().map(Into::into)
}

/// `2026-12-02T01:00:00Z`, to the second (what `aws sso login` writes; every SDK reads it).
fn format_time(t: SystemTime) -> String {
    DateTime::from_secs(DateTime::from(t).secs()).fmt(Format::DateTime)
}

fn read_cache(path: &Path) -> Result<CachedToken, CredentialsError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        CredentialsError::invalid_configuration(format!(
            "SSO: no token in the cache ({}: {e}); {LOGIN_HINT}",
            path.display()
        ))
    })?;
    CachedToken::parse(&text).map_err(|what| {
        CredentialsError::invalid_configuration(format!(
            "SSO: the token cache {} is malformed: {what}; {LOGIN_HINT}",
            path.display()
        ))
    })
}

/// Writes `token` to `path` (mode 0600 where it means something), through a temporary file.
fn write_cache(path: &Path, token: &CachedToken) -> std::io::Result<()> {
    let tmp = path.with_extension(format!("json.{}.tmp", std::process::id()));
    {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        use std::io::Write;
        let mut file = options.open(&tmp)?;
        file.write_all(token.to_json().as_bytes())?;
    }
    std::fs::rename(&tmp, path)
}

/// The access token to use: the cached one, refreshed first when due and possible.
async fn load_token(
    env: &Env,
    clock: &dyn TimeSource,
    req: &SsoRequest,
    path: &Path,
) -> Result<String, CredentialsError> {
    let cached = read_cache(path)?;
    let now = clock.now();
    let due = cached
        .expires_at
        .duration_since(now)
        .map_or(true, |left| left < REFRESH_WINDOW);
    if due && req.session_name.is_some() {
        match refresh(env, clock, req, &cached).await {
            Ok(Some(fresh)) => {
                if let Err(e) = write_cache(path, &fresh) {
                    tracing::warn!(path = %path.display(), error = %e, "SSO token refreshed but not written back");
                }
                return Ok(fresh.access_token);
            }
            Ok(None) => {}
            Err(e) => {
                tracing::warn!(error = %e, "SSO token refresh failed");
                if cached.expires_at <= now {
                    return Err(CredentialsError::invalid_configuration(format!(
                        "SSO: the token of session `{}` has expired and its refresh failed ({e}); {LOGIN_HINT}",
                        req.session_name.as_deref().unwrap_or_default()
                    ))
                    .with_source(e));
                }
            }
        }
    }
    if cached.expires_at <= now {
        return Err(CredentialsError::invalid_configuration(format!(
            "SSO: the token for {} expired at {}{}; {LOGIN_HINT}",
            match &req.session_name {
                Some(s) => format!("session `{s}`"),
                None => format!("start URL {}", req.start_url),
            },
            DateTime::from(cached.expires_at),
            if req.session_name.is_some() {
                " and it cannot be refreshed (no refresh token, or the client registration expired)"
            } else {
                ""
            }
        )));
    }
    Ok(cached.access_token)
}

/// `Ok(None)`: nothing to refresh with (no refresh token or client, or an expired
/// registration), as botocore decides.
async fn refresh(
    env: &Env,
    clock: &dyn TimeSource,
    req: &SsoRequest,
    cached: &CachedToken,
) -> Result<Option<CachedToken>, CredentialsError> {
    if cached.refresh_token.is_none()
        || cached.client_id.is_none()
        || cached.client_secret.is_none()
    {
        return Ok(None);
    }
    let registration_alive = cached
        .registration_expires_at
        .as_deref()
        .and_then(parse_time)
        .is_some_and(|t| t > clock.now());
    if !registration_alive {
        return Ok(None);
    }
    let request = create_token_request(env, &req.sso_region, cached);
    tracing::debug!(url = %request.url, "sso-oidc CreateToken (refresh)");
    let answer = send(env, "SSO-OIDC CreateToken", request, |_, _| false).await?;
    if !(200..300).contains(&answer.status) {
        let (code, message) = json_error(&answer.headers, &answer.body);
        let mut err = CredentialsError::provider_error(format!(
            "SSO-OIDC CreateToken failed (HTTP {}){}",
            answer.status,
            message.map(|m| format!(": {m}")).unwrap_or_default()
        ));
        if let Some(code) = code {
            err = err.with_code(code);
        }
        return Err(err);
    }
    let malformed = |what: &str| {
        CredentialsError::provider_error(format!(
            "SSO-OIDC CreateToken answered with a malformed document: {what}"
        ))
    };
    let value: Value = serde_json::from_slice(&answer.body).map_err(|_| malformed("not JSON"))?;
    let access_token = value
        .get("accessToken")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| malformed("no `accessToken`"))?;
    let expires_in = match value.get("expiresIn") {
        None | Some(Value::Null) => 0,
        Some(v) => v
            .as_u64()
            .ok_or_else(|| malformed("`expiresIn` is not a whole number of seconds"))?,
    };
    let refresh_token = value
        .get("refreshToken")
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| cached.refresh_token.clone());
    Ok(Some(CachedToken {
        access_token: access_token.to_string(),
        expires_at: clock.now() + Duration::from_secs(expires_in),
        refresh_token,
        client_id: cached.client_id.clone(),
        client_secret: cached.client_secret.clone(),
        registration_expires_at: cached.registration_expires_at.clone(),
        region: Some(req.sso_region.clone()),
        start_url: Some(req.start_url.clone()),
    }))
}

/// (code, message) of a restJson1 error answer.
fn json_error(headers: &Headers, body: &[u8]) -> (Option<String>, Option<String>) {
    let value: Option<Value> = serde_json::from_slice(body).ok();
    let from_body = |k: &str| {
        value
            .as_ref()
            .and_then(|v| v.get(k))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let code = headers
        .get("x-amzn-errortype")
        .map(str::to_string)
        .or_else(|| from_body("__type"))
        .or_else(|| from_body("code"))
        .or_else(|| from_body("error"))
        .map(|c| {
            let c = c.split(':').next().unwrap_or(&c);
            c.rsplit('#').next().unwrap_or(c).to_string()
        });
    let message = from_body("message")
        .or_else(|| from_body("Message"))
        .or_else(|| from_body("error_description"));
    (code, message)
}

/// Reads a `GetRoleCredentials` answer.
pub fn parse_role_credentials(
    status: u16,
    headers: &Headers,
    body: &[u8],
) -> Result<Credentials, CredentialsError> {
    if !(200..300).contains(&status) {
        let (code, message) = json_error(headers, body);
        let hint = if status == 401 || code.as_deref() == Some("UnauthorizedException") {
            format!("; {LOGIN_HINT}")
        } else {
            String::new()
        };
        let mut err = CredentialsError::provider_error(format!(
            "SSO GetRoleCredentials failed (HTTP {status}){}{hint}",
            message.map(|m| format!(": {m}")).unwrap_or_default()
        ));
        if let Some(code) = code {
            err = err.with_code(code);
        }
        return Err(err);
    }
    let malformed = |what: &str| {
        CredentialsError::provider_error(format!(
            "SSO GetRoleCredentials answered with a malformed document: {what}"
        ))
    };
    let value: Value = serde_json::from_slice(body).map_err(|_| malformed("not JSON"))?;
    let rc = value
        .get("roleCredentials")
        .filter(|v| v.is_object())
        .ok_or_else(|| malformed("no `roleCredentials` object"))?;
    let field = |k: &str| {
        rc.get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .ok_or_else(|| malformed(&format!("no `roleCredentials.{k}`")))
    };
    let access_key_id = field("accessKeyId")?;
    let secret = field("secretAccessKey")?;
    let token = field("sessionToken")?;
    let millis = rc
        .get("expiration")
        .and_then(Value::as_i64)
        .ok_or_else(|| malformed("`roleCredentials.expiration` is not epoch milliseconds"))?;
    let expiry = DateTime::from_secs_and_nanos(
        millis.div_euclid(1000),
        (millis.rem_euclid(1000) * 1_000_000) as u32,
    );
    Ok(Credentials::new(access_key_id, secret, Some(token))
        .with_expiry(Some(expiry.into()))
        .with_provider_name("sso"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(session: Option<&str>) -> SsoRequest {
        SsoRequest {
            start_url: "https://d-123.awsapps.com/start".into(),
            sso_region: "us-east-1".into(),
            account_id: "123456789012".into(),
            role_name: "Admin Role".into(),
            session_name: session.map(str::to_string),
            registration_scopes: None,
        }
    }

    #[test]
    fn cache_file_is_keyed_by_session_or_start_url() {
        let env = Env::from_vars([("HOME", "/h")]);
        // sha1("dev") and sha1("https://d-123.awsapps.com/start"), as botocore names them.
        assert_eq!(
            cache_file(&env, &req(Some("dev"))).unwrap(),
            PathBuf::from("/h/.aws/sso/cache/34c6fceca75e456f25e7e99531e2425c6c1de443.json")
        );
        let legacy = cache_file(&env, &req(None)).unwrap();
        assert_eq!(
            legacy.file_name().unwrap().to_str().unwrap(),
            format!(
                "{}.json",
                hex::encode(Sha1::digest(b"https://d-123.awsapps.com/start"))
            )
        );
    }

    #[test]
    fn request_shape() {
        let env = Env::from_vars::<&str, &str>([]);
        let r = role_credentials_request(&env, &req(None), "tok");
        assert_eq!(r.method, "GET");
        assert_eq!(
            r.url,
            "https://portal.sso.us-east-1.amazonaws.com/federation/credentials?role_name=Admin%20Role&account_id=123456789012"
        );
        assert_eq!(r.headers.get("x-amz-sso_bearer_token"), Some("tok"));
        assert!(!r.headers.contains("authorization"));
    }

    #[test]
    fn token_times_in_both_formats() {
        let a = parse_time("2026-12-02T01:00:00Z").unwrap();
        assert_eq!(parse_time("2026-12-02T01:00:00UTC"), Some(a));
        assert_eq!(parse_time("2026-12-02T01:00:00+00:00"), Some(a));
        assert_eq!(format_time(a), "2026-12-02T01:00:00Z");
        assert!(parse_time("tomorrow").is_none());
    }

    #[test]
    fn cached_token_debug_hides_secrets() {
        let t = CachedToken::parse(
            r#"{"accessToken":"AT-SECRET","expiresAt":"2026-12-02T01:00:00Z","refreshToken":"RT-SECRET","clientId":"cid","clientSecret":"CS-SECRET","registrationExpiresAt":"2027-01-01T00:00:00Z","region":"us-east-1","startUrl":"https://x"}"#,
        )
        .unwrap();
        let shown = format!("{t:?}");
        for secret in ["AT-SECRET", "RT-SECRET", "CS-SECRET"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert_eq!(CachedToken::parse(&t.to_json()).unwrap(), t);
        assert!(
            CachedToken::parse(r#"{"expiresAt":"2026-12-02T01:00:00Z"}"#)
                .unwrap_err()
                .contains("accessToken")
        );
    }

    #[test]
    fn role_credentials_answers() {
        let none = Headers::new();
        let c = parse_role_credentials(
            200,
            &none,
            br#"{"roleCredentials":{"accessKeyId":"ASIA","secretAccessKey":"s","sessionToken":"t","expiration":1798160400123}}"#,
        )
        .unwrap();
        assert_eq!(c.provider_name(), "sso");
        assert_eq!(
            DateTime::from(c.expiry().unwrap()).fmt(Format::DateTime),
            "2026-12-25T01:00:00.123Z"
        );
        let e = parse_role_credentials(
            401,
            &none,
            br#"{"message":"Session token not found or invalid","__type":"com.amazonaws.switchboard.portal#UnauthorizedException"}"#,
        )
        .unwrap_err();
        assert_eq!(e.code(), Some("UnauthorizedException"));
        let mut h = Headers::new();
        h.insert(
            "x-amzn-errortype",
            "UnauthorizedException:http://internal.amazon.com/coral/com.amazonaws.switchboard.portal/",
        );
        let e = parse_role_credentials(401, &h, br#"{"message":"expired"}"#).unwrap_err();
        assert_eq!(e.code(), Some("UnauthorizedException"));
        assert!(e.to_string().contains("aws sso login"), "{e}");
        for bad in [
            &b"nope"[..],
            b"{}",
            br#"{"roleCredentials":{"accessKeyId":"A"}}"#,
        ] {
            assert!(parse_role_credentials(200, &none, bad).is_err());
        }
    }
}
