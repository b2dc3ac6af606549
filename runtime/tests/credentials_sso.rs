//! SSO `GetRoleCredentials` with the token cache of `aws sso login` in a temporary HOME, and its
//! refresh through SSO-OIDC `CreateToken`, against loopback servers.

mod botocore;
mod loopback;

use std::path::PathBuf;
use std::time::SystemTime;

// The shared-data rule, included by path: the runtime's manifest is vendored as it is, so it
// names no workspace-only crate.
#[allow(dead_code)]
#[path = "../../tests/shared-data/src/lib.rs"]
mod shared_data;

use loopback::{canned, serve, Server};
use serde_json::Value;
use smithy_lite_runtime::credentials::sso::{
    cache_file, create_token_request, get_role_credentials, role_credentials_request, CachedToken,
    SsoRequest,
};
use smithy_lite_runtime::credentials::{CredentialsErrorKind, TimeSource};
use smithy_lite_runtime::datetime::{DateTime, Format};
use smithy_lite_runtime::profile::Env;

#[derive(Debug)]
struct FixedClock(SystemTime);

impl TimeSource for FixedClock {
    fn now(&self) -> SystemTime {
        self.0
    }
}

fn t(s: &str) -> SystemTime {
    DateTime::parse(s, Format::DateTime).unwrap().into()
}

const NOW: &str = "2026-12-02T00:00:00Z";

const ROLE_CREDENTIALS: &str = r#"{"roleCredentials":{"accessKeyId":"ASIASSOEXAMPLE","secretAccessKey":"SSO-SECRET-KEY","sessionToken":"SSO-SESSION-TOKEN","expiration":1796202000000}}"#;

struct Home {
    dir: PathBuf,
}

impl Home {
    fn new(name: &str) -> Home {
        let dir = std::env::temp_dir().join(format!("sso-test-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join(".aws/sso/cache")).unwrap();
        Home { dir }
    }

    fn env(&self, sso: &Server, oidc: Option<&Server>) -> Env {
        let mut vars = vec![
            ("HOME", self.dir.to_string_lossy().into_owned()),
            ("AWS_ENDPOINT_URL_SSO", sso.url.clone()),
        ];
        if let Some(o) = oidc {
            vars.push(("AWS_ENDPOINT_URL_SSO_OIDC", o.url.clone()));
        }
        Env::from_vars(vars)
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn request(session: Option<&str>) -> SsoRequest {
    SsoRequest {
        start_url: "https://d-1234567890.awsapps.com/start".into(),
        sso_region: "us-east-1".into(),
        account_id: "123456789012".into(),
        role_name: "KvsViewer".into(),
        session_name: session.map(str::to_string),
        registration_scopes: Some("sso:account:access".into()),
    }
}

fn write_token(env: &Env, req: &SsoRequest, json: &str) -> PathBuf {
    let path = cache_file(env, req).unwrap();
    std::fs::write(&path, json).unwrap();
    path
}

/// `hashlib.sha1(name.encode()).hexdigest()`: botocore's cache file names.
const START_URL_SHA1: &str = "7487b5b67d5fa1132cf33fa93ae51ef38cc37752";
const SESSION_SHA1: &str = "0ad374308c5a4e22f723adf10145eafad7c4031c";

#[tokio::test]
async fn a_valid_cached_token_gives_role_credentials() {
    let home = Home::new("valid");
    let sso = serve(vec![canned(200, "application/json", ROLE_CREDENTIALS)]).await;
    let env = home.env(&sso, None);
    let req = request(None);
    // Legacy profile: the cache key is the start URL.
    let path = write_token(
        &env,
        &req,
        r#"{"startUrl":"https://d-1234567890.awsapps.com/start","region":"us-east-1","accessToken":"CACHED-ACCESS-TOKEN","expiresAt":"2026-12-02T08:00:00Z"}"#,
    );
    assert_eq!(
        path,
        home.dir
            .join(".aws/sso/cache")
            .join(format!("{START_URL_SHA1}.json"))
    );
    let c = get_role_credentials(&env, &FixedClock(t(NOW)), &req)
        .await
        .unwrap();
    assert_eq!(c.access_key_id(), "ASIASSOEXAMPLE");
    assert_eq!(c.secret_access_key(), "SSO-SECRET-KEY");
    assert_eq!(c.session_token(), Some("SSO-SESSION-TOKEN"));
    assert_eq!(c.provider_name(), "sso");
    assert_eq!(c.expiry(), Some(t("2026-12-02T09:00:00Z")));
    let reqs = sso.requests();
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].method, "GET");
    assert_eq!(
        reqs[0].target,
        "/federation/credentials?role_name=KvsViewer&account_id=123456789012"
    );
    assert_eq!(
        reqs[0].header("x-amz-sso_bearer_token"),
        Some("CACHED-ACCESS-TOKEN")
    );
    assert!(reqs[0].header("authorization").is_none());
    // No body, no `content-length` (as botocore sends it).
    assert!(reqs[0].header("content-length").is_none());
}

const REFRESHABLE: &str = r#"{"startUrl":"https://d-1234567890.awsapps.com/start","region":"us-east-1","accessToken":"OLD-ACCESS-TOKEN","expiresAt":"2026-12-01T23:00:00UTC","clientId":"CLIENT-ID","clientSecret":"CLIENT-SECRET-VALUE","registrationExpiresAt":"2027-03-01T00:00:00Z","refreshToken":"OLD-REFRESH-TOKEN"}"#;

#[tokio::test]
async fn an_expired_session_token_is_refreshed_and_written_back() {
    let home = Home::new("refresh");
    let sso = serve(vec![canned(200, "application/json", ROLE_CREDENTIALS)]).await;
    let oidc = serve(vec![canned(
        200,
        "application/json",
        r#"{"accessToken":"NEW-ACCESS-TOKEN","tokenType":"Bearer","expiresIn":28800,"refreshToken":"NEW-REFRESH-TOKEN"}"#,
    )])
    .await;
    let env = home.env(&sso, Some(&oidc));
    let req = request(Some("my-sso"));
    let path = write_token(&env, &req, REFRESHABLE);
    assert_eq!(
        path.file_name().unwrap().to_str().unwrap(),
        format!("{SESSION_SHA1}.json")
    );
    let c = get_role_credentials(&env, &FixedClock(t(NOW)), &req)
        .await
        .unwrap();
    assert_eq!(c.access_key_id(), "ASIASSOEXAMPLE");

    let token_calls = oidc.requests();
    assert_eq!(token_calls.len(), 1);
    let call = &token_calls[0];
    assert_eq!(
        (call.method.as_str(), call.target.as_str()),
        ("POST", "/token")
    );
    assert_eq!(call.header("content-type"), Some("application/json"));
    assert!(call.header("authorization").is_none());
    let body: Value = serde_json::from_slice(&call.body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"clientId": "CLIENT-ID", "clientSecret": "CLIENT-SECRET-VALUE",
                           "grantType": "refresh_token", "refreshToken": "OLD-REFRESH-TOKEN"})
    );
    assert_eq!(
        sso.requests()[0].header("x-amz-sso_bearer_token"),
        Some("NEW-ACCESS-TOKEN")
    );

    let written: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(
        written,
        serde_json::json!({
            "startUrl": "https://d-1234567890.awsapps.com/start",
            "region": "us-east-1",
            "accessToken": "NEW-ACCESS-TOKEN",
            "expiresAt": "2026-12-02T08:00:00Z",
            "clientId": "CLIENT-ID",
            "clientSecret": "CLIENT-SECRET-VALUE",
            "registrationExpiresAt": "2027-03-01T00:00:00Z",
            "refreshToken": "NEW-REFRESH-TOKEN"
        })
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[tokio::test]
async fn a_token_inside_the_refresh_window_survives_a_failed_refresh() {
    let home = Home::new("window");
    let sso = serve(vec![canned(200, "application/json", ROLE_CREDENTIALS)]).await;
    let oidc = serve(vec![canned(
        400,
        "application/json",
        r#"{"error":"invalid_grant","error_description":"Refresh token has expired"}"#,
    )])
    .await;
    let env = home.env(&sso, Some(&oidc));
    let req = request(Some("my-sso"));
    // Ten minutes left: inside the 15-minute window, so a refresh is tried; it fails.
    let path = write_token(
        &env,
        &req,
        &REFRESHABLE.replace("2026-12-01T23:00:00UTC", "2026-12-02T00:10:00Z"),
    );
    get_role_credentials(&env, &FixedClock(t(NOW)), &req)
        .await
        .unwrap();
    assert_eq!(oidc.requests().len(), 1);
    assert_eq!(
        sso.requests()[0].header("x-amz-sso_bearer_token"),
        Some("OLD-ACCESS-TOKEN")
    );
    // The file is left as it was.
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .contains("OLD-ACCESS-TOKEN"));

    // Once expired, the failed refresh is an error that says what to do, and names the code.
    let err = get_role_credentials(&env, &FixedClock(t("2026-12-02T00:20:00Z")), &req)
        .await
        .unwrap_err();
    let shown = err.to_string();
    assert!(shown.contains("aws sso login"), "{shown}");
    assert!(shown.contains("invalid_grant"), "{shown}");
    assert_eq!(
        sso.requests().len(),
        1,
        "no GetRoleCredentials with an expired token"
    );
}

#[tokio::test]
async fn expired_tokens_without_a_way_to_refresh_ask_for_a_login() {
    let home = Home::new("expired");
    let sso = serve(vec![canned(200, "application/json", ROLE_CREDENTIALS)]).await;
    let oidc = serve(vec![canned(500, "application/json", "{}")]).await;
    let env = home.env(&sso, Some(&oidc));
    let expired = r#"{"startUrl":"https://d-1234567890.awsapps.com/start","region":"us-east-1","accessToken":"OLD-ACCESS-TOKEN","expiresAt":"2026-12-01T23:00:00Z"}"#;
    for (session, token) in [
        // A session without a refresh token.
        (Some("my-sso"), expired.to_string()),
        // A session whose client registration has expired.
        (
            Some("my-sso"),
            REFRESHABLE.replace("2027-03-01T00:00:00Z", "2026-11-01T00:00:00Z"),
        ),
        // A legacy profile (never refreshed).
        (None, REFRESHABLE.to_string()),
    ] {
        let req = request(session);
        write_token(&env, &req, &token);
        let err = get_role_credentials(&env, &FixedClock(t(NOW)), &req)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert!(err.to_string().contains("aws sso login"), "{err}");
        assert!(err.to_string().contains("expired"), "{err}");
    }
    assert!(oidc.requests().is_empty());
    assert!(sso.requests().is_empty());
}

#[tokio::test]
async fn missing_or_malformed_cache_files_are_clear_errors() {
    let home = Home::new("missing");
    let sso = serve(vec![canned(200, "application/json", ROLE_CREDENTIALS)]).await;
    let env = home.env(&sso, None);
    let req = request(Some("my-sso"));
    let err = get_role_credentials(&env, &FixedClock(t(NOW)), &req)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("aws sso login"), "{err}");
    assert!(err.to_string().contains(SESSION_SHA1), "{err}");
    for bad in [
        "not json",
        r#"{"expiresAt":"2026-12-02T08:00:00Z"}"#,
        r#"{"accessToken":"LEAKED-TOKEN","expiresAt":"next week"}"#,
        r#"{"accessToken":42,"expiresAt":"2026-12-02T08:00:00Z"}"#,
    ] {
        write_token(&env, &req, bad);
        let err = get_role_credentials(&env, &FixedClock(t(NOW)), &req)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("malformed"), "{err}");
        assert!(!format!("{err} {err:?}").contains("LEAKED-TOKEN"));
    }
    assert!(sso.requests().is_empty());
}

#[tokio::test]
async fn service_errors_and_bad_answers() {
    let home = Home::new("errors");
    let valid = r#"{"accessToken":"CACHED-ACCESS-TOKEN","expiresAt":"2026-12-02T08:00:00Z"}"#;
    for (status, body, code) in [
        (
            401,
            r#"{"message":"Session token not found or invalid"}"#,
            None,
        ),
        (
            403,
            r#"{"__type":"com.amazonaws.switchboard.portal#ForbiddenException","message":"No access"}"#,
            Some("ForbiddenException"),
        ),
        (200, "<html>", None),
        (200, r#"{"roleCredentials":null}"#, None),
        (
            200,
            r#"{"roleCredentials":{"accessKeyId":"A","secretAccessKey":"S","sessionToken":"T","expiration":"soon"}}"#,
            None,
        ),
    ] {
        let sso = serve(vec![canned(status, "application/json", body)]).await;
        let env = home.env(&sso, None);
        let req = request(None);
        write_token(&env, &req, valid);
        let err = get_role_credentials(&env, &FixedClock(t(NOW)), &req)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::ProviderError, "{err}");
        assert_eq!(err.code(), code);
        if status == 401 {
            assert!(err.to_string().contains("aws sso login"), "{err}");
        }
        assert!(!err.to_string().contains("CACHED-ACCESS-TOKEN"));
    }
}

/// Every header but those that identify the sender and `accept-encoding` (added by botocore's
/// HTTP library), sorted.
fn stable_headers(headers: impl Iterator<Item = (String, String)>) -> Vec<(String, String)> {
    let skip = [
        "user-agent",
        "amz-sdk-invocation-id",
        "amz-sdk-request",
        "accept-encoding",
    ];
    let mut out: Vec<_> = headers
        .filter(|(k, _)| !skip.contains(&k.as_str()))
        .collect();
    out.sort();
    out
}

fn boto_headers(boto: &Value) -> Vec<(String, String)> {
    stable_headers(
        boto["headers"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string())),
    )
}

#[test]
fn requests_match_botocore() {
    let Some((python, script)) = botocore::oracle("SSO") else {
        return;
    };
    let env = Env::from_vars::<&str, &str>([]);
    let mut req = request(Some("my-sso"));
    req.sso_region = "eu-west-1".into();
    req.role_name = "Admin Role+1".into();
    let ours = role_credentials_request(&env, &req, "token/with+chars=");
    let boto = botocore::ask_oracle(
        &python,
        &script,
        "sso",
        // In the order botocore's own SSO credential fetcher passes them (serde_json's map
        // would sort them; botocore keeps the caller's order in the query).
        &format!(
            r#"{{"operation": "GetRoleCredentials", "region": "eu-west-1", "params": {{"roleName": {}, "accountId": {}, "accessToken": "token/with+chars="}}}}"#,
            Value::from(req.role_name.clone()),
            Value::from(req.account_id.clone())
        ),
    );
    assert!(boto.get("error").is_none(), "{boto}");
    assert_eq!(ours.method, boto["method"].as_str().unwrap());
    assert_eq!(ours.url, boto["url"].as_str().unwrap());
    assert_eq!(
        stable_headers(
            ours.headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
        ),
        boto_headers(&boto)
    );
    assert!(ours.body.is_empty() && boto["body"] == "");

    let cached = CachedToken {
        access_token: "a".into(),
        expires_at: t(NOW),
        refresh_token: Some("refresh/token+=".into()),
        client_id: Some("client-id".into()),
        client_secret: Some("client.secret".into()),
        registration_expires_at: None,
        region: None,
        start_url: None,
    };
    let ours = create_token_request(&env, "eu-west-1", &cached);
    let boto = botocore::ask_oracle(
        &python,
        &script,
        "sso-oidc",
        &serde_json::json!({"operation": "CreateToken", "region": "eu-west-1",
            "params": {"clientId": "client-id", "clientSecret": "client.secret",
                       "grantType": "refresh_token", "refreshToken": "refresh/token+="}})
        .to_string(),
    );
    assert!(boto.get("error").is_none(), "{boto}");
    assert_eq!(ours.method, boto["method"].as_str().unwrap());
    assert_eq!(ours.url, boto["url"].as_str().unwrap());
    // botocore's JSON has `", "` separators: the same document, other bytes, so another length.
    let headers = |h: Vec<(String, String)>| -> Vec<(String, String)> {
        h.into_iter()
            .filter(|(k, _)| k != "content-length")
            .collect()
    };
    assert_eq!(
        headers(stable_headers(
            ours.headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
        )),
        headers(boto_headers(&boto))
    );
    assert_eq!(
        serde_json::from_slice::<Value>(&ours.body).unwrap(),
        serde_json::from_str::<Value>(boto["body"].as_str().unwrap()).unwrap()
    );
    assert_eq!(
        ours.headers.get("content-length"),
        Some(ours.body.len().to_string().as_str())
    );
}
