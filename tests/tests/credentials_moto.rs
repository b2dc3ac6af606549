//! End to end against moto (PyPI `moto[server]`, pinned in tests/oracle/requirements.txt):
//! `AssumeRole` and `AssumeRoleWithWebIdentity` through the runtime's own STS calls, then
//! Kinesis Video calls signed with the session credentials they return.
//!
//! moto runs with request authentication on after the set-up calls
//! (`INITIAL_NO_AUTH_ACTION_COUNT`): from then on it checks every SigV4 signature, that the
//! access key is one it issued, that `x-amz-security-token` is that key's session token, and
//! that the IAM policies allow the action. So the Kinesis Video calls only pass with the exact
//! credentials STS returned, and `AssumeRole` only with a valid signature by the source keys.

use std::time::{Duration, SystemTime};

use kinesis_video::client::{Config, Credentials};
use kinesis_video::runtime::credentials::sts::{
    assume_role, assume_role_with_web_identity, AssumeRoleRequest, StsSettings, WebIdentityRequest,
};
use kinesis_video::runtime::http::HttpRequest;
use kinesis_video::runtime::profile::Env;
use kinesis_video::runtime::sigv4::{sign_request, SigningParams, SigningSettings};
use kinesis_video::runtime::transport::{HttpClient, HttpTimeouts, HyperClient, OutgoingRequest};
use kinesis_video::Client;

/// Requests moto serves unauthenticated: the IAM set-up below and the (unsigned)
/// `AssumeRoleWithWebIdentity`, which moto cannot authenticate.
const SETUP_CALLS: usize = 6;

const ACCOUNT: &str = "123456789012";
const ROLE: &str = "kvs-camera";

/// One IAM query call (signed so that moto routes it to IAM); the answer's body.
async fn iam(url: &str, params: &[(&str, &str)]) -> String {
    let mut body = String::from("Version=2010-05-08");
    for (k, v) in params {
        body.push_str(&format!(
            "&{k}={}",
            kinesis_video::runtime::rest::encode_query(v)
        ));
    }
    let mut request = HttpRequest::new("POST", "/");
    request.headers.insert(
        "content-type",
        "application/x-www-form-urlencoded; charset=utf-8",
    );
    request.body = body.into_bytes();
    let host = url.trim_start_matches("http://");
    sign_request(
        &mut request,
        host,
        &SigningParams {
            credentials: &Credentials::new("AKIDSETUP", "setup", None),
            region: "us-east-1",
            service: "iam",
            time: SystemTime::now(),
            settings: SigningSettings::default(),
        },
    );
    let client = HyperClient::new(HttpTimeouts::default()).unwrap();
    let response = client
        .send(OutgoingRequest {
            method: "POST".into(),
            url: format!("{url}/"),
            headers: request.headers,
            body: request.body,
        })
        .await
        .unwrap();
    let status = response.status;
    let text = String::from_utf8(response.body.collect().await.unwrap()).unwrap();
    assert_eq!(status, 200, "IAM {params:?}: {text}");
    text
}

fn between<'a>(text: &'a str, open: &str, close: &str) -> &'a str {
    let start = text
        .find(open)
        .unwrap_or_else(|| panic!("no {open} in {text}"))
        + open.len();
    let len = text[start..].find(close).unwrap();
    &text[start..start + len]
}

fn kvs_client(url: &str, credentials: Credentials) -> Client {
    Client::from_builder(
        Config::builder()
            .region("us-east-1")
            .credentials(credentials)
            .endpoint_url(url)
            .max_attempts(1),
    )
    .unwrap()
}

#[tokio::test]
async fn assumed_role_credentials_sign_kinesis_video_calls() {
    let Some(server) = wire_tests::moto::start(
        "moto (credentials)",
        &[("INITIAL_NO_AUTH_ACTION_COUNT", SETUP_CALLS.to_string())],
    ) else {
        return;
    };
    let url = server.url().to_string();
    // Set-up, unauthenticated: a user allowed to assume roles, with keys; a role allowed to
    // use Kinesis Video.
    let allow = |action: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"{action}","Resource":"*"}}]}}"#
        )
    };
    let trust = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{ACCOUNT}:user/operator"}},"Action":"sts:AssumeRole"}}]}}"#
    );
    iam(&url, &[("Action", "CreateUser"), ("UserName", "operator")]).await;
    let keys = iam(
        &url,
        &[("Action", "CreateAccessKey"), ("UserName", "operator")],
    )
    .await;
    let source = Credentials::new(
        between(&keys, "<AccessKeyId>", "</AccessKeyId>"),
        between(&keys, "<SecretAccessKey>", "</SecretAccessKey>"),
        None,
    );
    iam(
        &url,
        &[
            ("Action", "PutUserPolicy"),
            ("UserName", "operator"),
            ("PolicyName", "assume"),
            ("PolicyDocument", &allow("sts:AssumeRole")),
        ],
    )
    .await;
    iam(
        &url,
        &[
            ("Action", "CreateRole"),
            ("RoleName", ROLE),
            ("AssumeRolePolicyDocument", &trust),
        ],
    )
    .await;
    iam(
        &url,
        &[
            ("Action", "PutRolePolicy"),
            ("RoleName", ROLE),
            ("PolicyName", "kvs"),
            ("PolicyDocument", &allow("kinesisvideo:*")),
        ],
    )
    .await;

    let settings = StsSettings {
        region: Some("us-east-1".into()),
        env: Env::from_vars::<&str, &str>([]),
        endpoint_url: Some(url.clone()),
    };
    let role_arn = format!("arn:aws:iam::{ACCOUNT}:role/{ROLE}");

    // The sixth and last unauthenticated call.
    let web = assume_role_with_web_identity(
        &settings,
        &WebIdentityRequest {
            role_arn: role_arn.clone(),
            role_session_name: "web-camera".into(),
            web_identity_token: "eyJhbGciOiJSUzI1NiJ9.e30.c2ln".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(web.provider_name(), "assume-role-with-web-identity");
    assert!(web.session_token().is_some());
    assert!(web.expiry().unwrap() > SystemTime::now());

    // From here on moto authenticates. AssumeRole is signed with the user's keys.
    let assumed = assume_role(
        &settings,
        &source,
        &AssumeRoleRequest {
            role_arn: role_arn.clone(),
            role_session_name: "camera-1".into(),
            external_id: Some("site-7".into()),
            duration_seconds: Some(900),
        },
    )
    .await
    .unwrap();
    assert_eq!(assumed.provider_name(), "assume-role");
    assert_ne!(assumed.access_key_id(), source.access_key_id());
    let left = assumed
        .expiry()
        .unwrap()
        .duration_since(SystemTime::now())
        .unwrap();
    assert!(
        left <= Duration::from_secs(900) && left > Duration::from_secs(800),
        "{left:?}"
    );

    // Wrong source keys: moto refuses the signature, and the error carries its code.
    let err = assume_role(
        &settings,
        &Credentials::new(source.access_key_id(), "not-the-secret", None),
        &AssumeRoleRequest {
            role_arn: role_arn.clone(),
            role_session_name: "camera-1".into(),
            external_id: None,
            duration_seconds: None,
        },
    )
    .await
    .unwrap_err();
    println!("AssumeRole with a wrong secret: {err}");
    assert_eq!(err.code(), Some("SignatureDoesNotMatch"));

    // Kinesis Video with the credentials of each: created, then described.
    for (name, creds) in [("cam-assumed", assumed.clone()), ("cam-web", web.clone())] {
        let client = kvs_client(&url, creds);
        let created = client
            .create_stream()
            .stream_name(name)
            .data_retention_in_hours(24)
            .send()
            .await
            .unwrap();
        assert!(created.stream_arn.unwrap().contains(name));
        let described = client
            .describe_stream()
            .stream_name(name)
            .send()
            .await
            .unwrap();
        assert_eq!(
            described.stream_info.unwrap().stream_name.as_deref(),
            Some(name)
        );
    }

    // Without the session token the same keys are refused: the call above really used them.
    let tokenless = Credentials::new(assumed.access_key_id(), assumed.secret_access_key(), None);
    let err = kvs_client(&url, tokenless)
        .describe_stream()
        .stream_name("cam-assumed")
        .send()
        .await
        .unwrap_err();
    println!("DescribeStream without the session token: {err}");
    assert!(err.to_string().contains("InvalidClientTokenId"), "{err}");
}
