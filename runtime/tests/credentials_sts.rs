//! STS `AssumeRole` / `AssumeRoleWithWebIdentity`: the request bytes against botocore (the
//! oracle in `<shared>/oracle`, `ORACLE_SERVICE=sts`), and the answers of a loopback STS.

mod botocore;
mod loopback;

use std::time::SystemTime;

// The shared-data rule, included by path: the runtime's manifest is vendored as it is, so it
// names no workspace-only crate.
#[allow(dead_code)]
#[path = "../../tests/shared-data/src/lib.rs"]
mod shared_data;

use botocore::{ask_oracle, oracle};
use loopback::{canned, serve};
use serde_json::{json, Value};
use smithy_lite_runtime::credentials::sts::{
    assume_role, assume_role_request, assume_role_with_web_identity, web_identity_request,
    AssumeRoleRequest, StsSettings, WebIdentityRequest,
};
use smithy_lite_runtime::credentials::CredentialsErrorKind;
use smithy_lite_runtime::datetime::{DateTime, Format};
use smithy_lite_runtime::profile::Env;
use smithy_lite_runtime::sigv4::Credentials;
use smithy_lite_runtime::transport::OutgoingRequest;

const TIME: &str = "2015-08-30T12:36:00Z";

/// Method, URL, body and every header botocore sends but those that identify the sender
/// (user agent, invocation id and attempt, which botocore does not sign for STS) and
/// `accept-encoding`, which only its HTTP library adds.
fn assert_same_request(ours: &OutgoingRequest, boto: &Value) {
    assert!(boto.get("error").is_none(), "oracle: {boto}");
    assert_eq!(ours.method, boto["method"].as_str().unwrap());
    assert_eq!(ours.url, boto["url"].as_str().unwrap());
    assert_eq!(
        String::from_utf8(ours.body.clone()).unwrap(),
        boto["body"].as_str().unwrap()
    );
    let skip = [
        "user-agent",
        "amz-sdk-invocation-id",
        "amz-sdk-request",
        "accept-encoding",
    ];
    let theirs: Vec<(String, String)> = boto["headers"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| !skip.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
        .collect();
    let mut mine: Vec<(String, String)> = ours
        .headers
        .iter()
        .filter(|(k, _)| !skip.contains(k))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    mine.sort();
    assert_eq!(mine, theirs);
    for signed in boto["signed_headers"].as_array().unwrap() {
        assert!(
            !skip.contains(&signed.as_str().unwrap()),
            "botocore signs {signed}, which this comparison leaves out"
        );
    }
}

fn no_env() -> Env {
    Env::from_vars::<&str, &str>([])
}

#[test]
fn requests_match_botocore() {
    let Some((python, script)) = oracle("STS") else {
        return;
    };
    let time: SystemTime = DateTime::parse(TIME, Format::DateTime).unwrap().into();
    let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    let cases = [
        // A source with a session token, every member we send, characters to encode.
        (
            Some("us-west-2"),
            Some("SRC/TOKEN+="),
            AssumeRoleRequest {
                role_arn: "arn:aws:iam::123456789012:role/path/demo".into(),
                role_session_name: "session@host,1=2".into(),
                external_id: Some("ext id/1:2~x".into()),
                duration_seconds: Some(900),
            },
        ),
        // No region: the global endpoint, signed for us-east-1.
        (
            None,
            None,
            AssumeRoleRequest {
                role_arn: "arn:aws:iam::123456789012:role/r".into(),
                role_session_name: "botocore-session-1".into(),
                external_id: None,
                duration_seconds: None,
            },
        ),
        (
            Some("cn-north-1"),
            None,
            AssumeRoleRequest {
                role_arn: "arn:aws-cn:iam::123456789012:role/r".into(),
                role_session_name: "ss".into(),
                external_id: None,
                duration_seconds: Some(3600),
            },
        ),
    ];
    for (region, token, req) in cases {
        let source = Credentials::new("AKIDEXAMPLE", secret, token.map(str::to_string));
        let settings = StsSettings {
            region: region.map(str::to_string),
            env: no_env(),
            endpoint_url: None,
        };
        let ours = assume_role_request(&settings, &source, &req, time);
        // In the order we send them (serde_json's map would sort them).
        let mut params = format!(
            "\"RoleArn\": {}, \"RoleSessionName\": {}",
            json!(req.role_arn),
            json!(req.role_session_name)
        );
        if let Some(d) = req.duration_seconds {
            params.push_str(&format!(", \"DurationSeconds\": {d}"));
        }
        if let Some(e) = &req.external_id {
            params.push_str(&format!(", \"ExternalId\": {}", json!(e)));
        }
        let boto = ask_oracle(
            &python,
            &script,
            "sts",
            &format!(
                "{{\"operation\": \"AssumeRole\", \"params\": {{{params}}}, \"region\": {}, \"time\": \"{TIME}\", \"credentials\": {{\"token\": {}}}}}",
                json!(region),
                json!(token)
            ),
        );
        assert_same_request(&ours, &boto);
        assert_eq!(
            ours.headers.get("authorization").unwrap(),
            boto["headers"]["authorization"].as_str().unwrap()
        );
    }

    let req = WebIdentityRequest {
        role_arn: "arn:aws:iam::123456789012:role/web".into(),
        role_session_name: "web-session".into(),
        web_identity_token: "eyJhbGciOi.Jz+d/x=y ~".into(),
    };
    for region in [Some("eu-central-1"), None] {
        let settings = StsSettings {
            region: region.map(str::to_string),
            env: no_env(),
            endpoint_url: None,
        };
        let ours = web_identity_request(&settings, &req);
        let boto = ask_oracle(
            &python,
            &script,
            "sts",
            &format!(
                "{{\"operation\": \"AssumeRoleWithWebIdentity\", \"region\": {}, \"time\": \"{TIME}\", \"params\": {{\"RoleArn\": {}, \"RoleSessionName\": {}, \"WebIdentityToken\": {}}}}}",
                json!(region),
                json!(req.role_arn),
                json!(req.role_session_name),
                json!(req.web_identity_token)
            ),
        );
        assert_same_request(&ours, &boto);
        assert!(boto["headers"].get("authorization").is_none());
        assert!(!ours.headers.contains("authorization"));
    }
}

const SUCCESS: &str = r#"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <SourceIdentity>Alice</SourceIdentity>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::123456789012:assumed-role/demo/TestAR</Arn>
      <AssumedRoleId>ARO123EXAMPLE123:TestAR</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>
      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
      <SessionToken>AQoDYXdzEPT//////////wEXAMPLEtc764</SessionToken>
      <Expiration>2019-11-09T13:34:41Z</Expiration>
    </Credentials>
    <PackedPolicySize>6</PackedPolicySize>
  </AssumeRoleResult>
  <ResponseMetadata>
    <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
  </ResponseMetadata>
</AssumeRoleResponse>"#;

fn error_doc(code: &str, message: &str) -> String {
    format!(
        r#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>
  <RequestId>4a7b2b0c-0000-0000-0000-000000000000</RequestId>
</ErrorResponse>"#
    )
}

fn at(url: &str) -> StsSettings {
    StsSettings {
        region: Some("us-west-2".into()),
        env: no_env(),
        endpoint_url: Some(url.to_string()),
    }
}

fn role() -> AssumeRoleRequest {
    AssumeRoleRequest {
        role_arn: "arn:aws:iam::123456789012:role/demo".into(),
        role_session_name: "TestAR".into(),
        external_id: Some("123ABC".into()),
        duration_seconds: Some(1800),
    }
}

fn web() -> WebIdentityRequest {
    WebIdentityRequest {
        role_arn: "arn:aws:iam::123456789012:role/web".into(),
        role_session_name: "web".into(),
        web_identity_token: "WEB-IDENTITY-TOKEN-VALUE".into(),
    }
}

fn source() -> Credentials {
    Credentials::new("AKIDSOURCE", "SOURCE-SECRET", None)
}

#[tokio::test]
async fn assume_role_reads_the_xml_answer() {
    let server = serve(vec![canned(200, "text/xml", SUCCESS)]).await;
    let c = assume_role(&at(&server.url), &source(), &role())
        .await
        .unwrap();
    assert_eq!(c.access_key_id(), "ASIAIOSFODNN7EXAMPLE");
    assert_eq!(
        c.secret_access_key(),
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
    );
    assert_eq!(
        c.session_token(),
        Some("AQoDYXdzEPT//////////wEXAMPLEtc764")
    );
    assert_eq!(c.provider_name(), "assume-role");
    assert_eq!(
        DateTime::from(c.expiry().unwrap()).fmt(Format::DateTime),
        "2019-11-09T13:34:41Z"
    );
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!((r.method.as_str(), r.target.as_str()), ("POST", "/"));
    assert_eq!(
        String::from_utf8(r.body.clone()).unwrap(),
        "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo&RoleSessionName=TestAR&DurationSeconds=1800&ExternalId=123ABC"
    );
    let auth = r.header("authorization").unwrap();
    assert!(
        auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDSOURCE/")
            && auth.contains("/us-west-2/sts/aws4_request"),
        "{auth}"
    );
}

#[tokio::test]
async fn web_identity_is_unsigned_and_named() {
    let body = SUCCESS
        .replace("AssumeRoleResponse", "AssumeRoleWithWebIdentityResponse")
        .replace("AssumeRoleResult", "AssumeRoleWithWebIdentityResult");
    let server = serve(vec![canned(200, "text/xml", body)]).await;
    let c = assume_role_with_web_identity(&at(&server.url), &web())
        .await
        .unwrap();
    assert_eq!(c.provider_name(), "assume-role-with-web-identity");
    let r = &server.requests()[0];
    assert!(r.header("authorization").is_none());
    assert!(
        String::from_utf8_lossy(&r.body).ends_with("&WebIdentityToken=WEB-IDENTITY-TOKEN-VALUE")
    );
}

#[tokio::test]
async fn endpoint_overrides_from_the_environment() {
    let server = serve(vec![canned(200, "text/xml", SUCCESS)]).await;
    for vars in [
        vec![("AWS_ENDPOINT_URL_STS", server.url.clone())],
        vec![
            ("AWS_ENDPOINT_URL", server.url.clone()),
            ("AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:9".to_string()),
        ],
    ] {
        let settings = StsSettings {
            region: Some("eu-west-1".into()),
            env: Env::from_vars(vars),
            endpoint_url: None,
        };
        assume_role(&settings, &source(), &role()).await.unwrap();
    }
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn service_errors_carry_code_and_message() {
    let cases = [
        (
            403,
            "AccessDenied",
            "User: arn:aws:iam::123456789012:user/x is not authorized to perform: sts:AssumeRole",
        ),
        (
            400,
            "ExpiredToken",
            "The security token included in the request is expired",
        ),
        (
            400,
            "InvalidIdentityToken",
            "Couldn't retrieve verification key from your identity provider",
        ),
        (
            400,
            "RegionDisabledException",
            "STS is not activated in this region",
        ),
    ];
    for (status, code, message) in cases {
        let server = serve(vec![canned(status, "text/xml", error_doc(code, message))]).await;
        let err = if code == "InvalidIdentityToken" {
            assume_role_with_web_identity(&at(&server.url), &web()).await
        } else {
            assume_role(&at(&server.url), &source(), &role()).await
        }
        .unwrap_err();
        assert_eq!(err.code(), Some(code));
        assert_eq!(err.kind(), CredentialsErrorKind::ProviderError);
        assert!(err.message().contains(message), "{err}");
        assert!(
            err.to_string().starts_with(&format!("{code}: {message}")),
            "{err}"
        );
        // Client errors are not retried.
        assert_eq!(server.requests().len(), 1, "{code}");
    }
}

#[tokio::test]
async fn idp_communication_errors_are_retried() {
    let server = serve(vec![
        canned(
            400,
            "text/xml",
            error_doc("IDPCommunicationError", "unreachable"),
        ),
        canned(
            200,
            "text/xml",
            SUCCESS
                .replace("AssumeRoleResponse", "AssumeRoleWithWebIdentityResponse")
                .replace("AssumeRoleResult", "AssumeRoleWithWebIdentityResult"),
        ),
    ])
    .await;
    let c = assume_role_with_web_identity(&at(&server.url), &web())
        .await
        .unwrap();
    assert_eq!(c.access_key_id(), "ASIAIOSFODNN7EXAMPLE");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn http_500_is_retried_then_reported() {
    let server = serve(vec![canned(
        500,
        "text/html",
        "<html>Internal error</html>",
    )])
    .await;
    let err = assume_role(&at(&server.url), &source(), &role())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::ProviderError);
    assert!(err.to_string().contains("HTTP 500"), "{err}");
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn malformed_answers_are_errors_not_panics() {
    for body in [
        "",
        "<AssumeRoleResponse><AssumeRoleResult>",
        "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>A</AccessKeyId></Credentials></AssumeRoleResult></AssumeRoleResponse>",
        "{\"Credentials\": {}}",
        "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>A</AccessKeyId><SecretAccessKey>LEAKME</SecretAccessKey><SessionToken>T</SessionToken><Expiration>13/13/2020</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>",
    ] {
        let server = serve(vec![canned(200, "text/xml", body)]).await;
        let err = assume_role(&at(&server.url), &source(), &role())
            .await
            .unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::ProviderError, "{body}");
        assert!(err.to_string().contains("malformed"), "{err}");
        assert!(!format!("{err:?}").contains("LEAKME"), "{err:?}");
    }
}

#[tokio::test]
async fn an_unreachable_endpoint_is_an_error() {
    // A port nothing listens on (bound, then released).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = assume_role(&at(&format!("http://127.0.0.1:{port}")), &source(), &role())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("STS AssumeRole"), "{err}");
}
