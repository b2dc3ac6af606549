//! Services that need more on the wire than their model says (`Customization`), held to
//! botocore: the signed request of the crates generated from the compliance suite's API Gateway
//! and Glacier models, against what botocore signs for the same call (same time, keys and
//! region). The signature covers the method, path, query, the signed headers and the body, so
//! equal signatures mean equal canonical requests.

use std::time::{Duration, UNIX_EPOCH};

use serde_json::json;
use smithy_lite_runtime::client::{Config, ServiceMeta};
use smithy_lite_runtime::profile::Env;
use smithy_lite_runtime::sigv4::Credentials;
use smithy_lite_runtime::transport::OutgoingRequest;

fn config(service: &'static ServiceMeta, endpoint: &str) -> Config {
    Config::builder()
        .env(Env::from_vars(Vec::<(String, String)>::new()))
        .region("us-west-2")
        .credentials(Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
        ))
        .endpoint_url(endpoint)
        .signing_time(UNIX_EPOCH + Duration::from_secs(1_440_938_160))
        .build(service)
        .expect("config")
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(f)
}

fn header<'a>(r: &'a OutgoingRequest, name: &str) -> &'a str {
    r.headers
        .get(name)
        .unwrap_or_else(|| panic!("no {name} in {:?}", r.headers))
}

/// `echo '{"operation":"UploadArchive","params":{"vaultName":"bar","body":"hello world"},
/// "region":"us-west-2"}' | ORACLE_SERVICE=glacier ../shared/oracle/oracle.py request`
/// (botocore 1.43.11, time 2015-08-30T12:36:00Z, AKIDEXAMPLE).
#[test]
fn glacier_upload_archive_is_signed_as_botocore_signs_it() {
    let config = config(
        &glacier::client::SERVICE,
        "https://glacier.us-west-2.amazonaws.com",
    );
    // No account id: `-`, the caller's. An empty one is `-` too.
    for account in [json!(null), json!("")] {
        let mut input = json!({"vaultName": "bar", "body": "aGVsbG8gd29ybGQ="});
        if !account.is_null() {
            input["accountId"] = account;
        }
        let r = block_on(glacier::dispatch::prepare(
            &config,
            "UploadArchive",
            &input,
            "id",
        ))
        .expect("prepared");
        assert_eq!(
            r.url,
            "https://glacier.us-west-2.amazonaws.com/-/vaults/bar/archives"
        );
        assert_eq!(r.body, b"hello world");
        assert_eq!(header(&r, "x-amz-glacier-version"), "2012-06-01");
        let sha = "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9";
        assert_eq!(header(&r, "x-amz-content-sha256"), sha);
        assert_eq!(header(&r, "x-amz-sha256-tree-hash"), sha);
        assert_eq!(
            header(&r, "authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-west-2/glacier/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-glacier-version;x-amz-sha256-tree-hash, Signature=c7f3df6843e904631b2366620b1aa582c07a52847c2fbae9fe914689f68b498d"
        );
    }
    // A tree hash the caller gives is sent as given.
    let input = json!({"accountId": "123", "vaultName": "bar", "body": "aGVsbG8gd29ybGQ=",
                       "checksum": "given"});
    let r = block_on(glacier::dispatch::prepare(
        &config,
        "UploadArchive",
        &input,
        "id",
    ))
    .unwrap();
    assert_eq!(header(&r, "x-amz-sha256-tree-hash"), "given");
    assert!(r.url.ends_with("/123/vaults/bar/archives"), "{}", r.url);
}

/// `echo '{"operation":"GetRestApis","params":{"limit":5},"region":"us-west-2"}' |
/// ORACLE_SERVICE=apigateway ../shared/oracle/oracle.py request` (botocore 1.43.11).
#[test]
fn api_gateway_requests_accept_json_as_botocore_sends_them() {
    let config = config(
        &api_gateway::client::SERVICE,
        "https://apigateway.us-west-2.amazonaws.com",
    );
    let r = block_on(api_gateway::dispatch::prepare(
        &config,
        "GetRestApis",
        &json!({"limit": 5}),
        "id",
    ))
    .expect("prepared");
    assert_eq!(
        r.url,
        "https://apigateway.us-west-2.amazonaws.com/restapis?limit=5"
    );
    assert_eq!(header(&r, "accept"), "application/json");
    assert_eq!(
        header(&r, "authorization"),
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-west-2/apigateway/aws4_request, SignedHeaders=accept;host;x-amz-date, Signature=7aedfc0a236d19221a505302c08d1e4eceedcaba305e1a26b93fa004982d4a80"
    );
}
