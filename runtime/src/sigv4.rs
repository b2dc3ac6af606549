//! AWS Signature Version 4, signed in headers (`authorization`), as botocore signs.
//!
//! Checked against the public SigV4 test suite and against botocore itself
//! (`runtime/tests/sigv4_suite.rs`).

use std::borrow::Cow;
use std::fmt;
use std::time::SystemTime;

use hmac::{Hmac, Mac};
use percent_encoding::{percent_decode_str, utf8_percent_encode};
use sha2::{Digest, Sha256};

use super::datetime::DateTime;
use super::http::HttpRequest;
use super::sigv4_key::signing_mac;

const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// What is signed in place of the payload hash for `aws.auth#unsignedPayload`.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// SigV4 encodes everything but `A-Z a-z 0-9 - _ . ~`, as the REST bindings do; paths keep `/`.
use super::rest::{UNRESERVED, UNRESERVED_AND_SLASH as PATH_UNRESERVED};

/// Headers left out of the signature by default. botocore's own blacklist (hop-by-hop headers,
/// `expect`, `user-agent`, `x-amzn-trace-id`), plus those botocore only adds after signing
/// (`amz-sdk-*`, and `content-length` which its HTTP layer sets), plus `authorization`, which the
/// signer replaces. Proxies and the transport may change any of these, so signing them could
/// only break the signature.
pub const DEFAULT_UNSIGNED_HEADERS: &[&str] = &[
    "authorization",
    "amz-sdk-invocation-id",
    "amz-sdk-request",
    "connection",
    "content-length",
    "expect",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "user-agent",
    "x-amzn-trace-id",
];

/// AWS credentials. `Debug` never shows the secret key or the session token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    /// When temporary credentials stop working; `None` for long-lived keys.
    expiry: Option<SystemTime>,
    /// Which source gave them (`environment`, `assume-role`, `iam-role`, ...), for `whoami`.
    provider_name: &'static str,
}

impl Credentials {
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
            expiry: None,
            provider_name: "static",
        }
    }

    /// The same credentials, expiring at `expiry`.
    pub fn with_expiry(mut self, expiry: Option<SystemTime>) -> Self {
        self.expiry = expiry;
        self
    }

    /// The same credentials, naming the source that gave them.
    pub fn with_provider_name(mut self, name: &'static str) -> Self {
        self.provider_name = name;
        self
    }

    pub fn expiry(&self) -> Option<SystemTime> {
        self.expiry
    }

    pub fn provider_name(&self) -> &'static str {
        self.provider_name
    }

    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Credentials end up in logs through `{:?}` of configs; keep the secrets out.
        const REDACTED: &str = "** redacted **";
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &REDACTED)
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| REDACTED),
            )
            .field("expiry", &self.expiry)
            .field("provider_name", &self.provider_name)
            .finish()
    }
}

/// How a request is canonicalized. The default is what botocore does for every service but S3.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SigningSettings {
    /// Remove `.` and `..` segments and empty segments (`//`) from the path before signing.
    /// botocore does for every service but S3 (S3 keys may contain them).
    pub uri_path_normalization: bool,
    /// Percent-encode the (already encoded) path once more. Every service but S3.
    pub double_uri_encode: bool,
    /// Add a signed `x-amz-content-sha256` header with the payload hash (S3 requires it).
    pub payload_checksum_header: bool,
    /// Sign `x-amz-security-token`. When false it is still added to the request, after signing
    /// (what the test suite calls `omit_session_token`).
    pub sign_session_token: bool,
    /// Request headers left out of the signature (lower-case names).
    pub unsigned_headers: &'static [&'static str],
    /// Sign `UNSIGNED-PAYLOAD` instead of the payload's hash, and send it as a signed
    /// `x-amz-content-sha256` header (`aws.auth#unsignedPayload`), as botocore does.
    pub unsigned_payload: bool,
}

impl Default for SigningSettings {
    fn default() -> Self {
        SigningSettings {
            uri_path_normalization: true,
            double_uri_encode: true,
            payload_checksum_header: false,
            sign_session_token: true,
            unsigned_headers: DEFAULT_UNSIGNED_HEADERS,
            unsigned_payload: false,
        }
    }
}

/// What to sign with: who, where, when and how.
#[derive(Clone, Debug)]
pub struct SigningParams<'a> {
    pub credentials: &'a Credentials,
    pub region: &'a str,
    pub service: &'a str,
    pub time: SystemTime,
    pub settings: SigningSettings,
}

/// The intermediate results of signing, kept for debugging and tests. Holds no secrets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SigningOutput {
    pub canonical_request: String,
    pub string_to_sign: String,
    pub signature: String,
    pub signed_headers: Vec<String>,
    pub authorization: String,
}

/// Signs `request` in place for `host` (the `host` header the transport will send, unless the
/// request carries its own). Adds `x-amz-date`, `x-amz-security-token` when the credentials
/// have a token, `x-amz-content-sha256` when the settings ask for it, and `authorization`.
/// `host` itself is signed but not added: the transport sets it.
pub fn sign_request(
    request: &mut HttpRequest,
    host: &str,
    params: &SigningParams,
) -> SigningOutput {
    let settings = &params.settings;
    let amz_date = format_amz_date(params.time);
    let date = &amz_date[..8];
    // A request that carries `x-amz-content-sha256` already (`UNSIGNED-PAYLOAD`, or the
    // `STREAMING-AWS4-HMAC-SHA256-EVENTS` of an event stream whose messages are signed one by
    // one) is signed with that value as its payload hash: the service checks the two agree.
    let payload_hash = match request.headers.get("x-amz-content-sha256") {
        Some(given) => given.to_owned(),
        None if settings.unsigned_payload => UNSIGNED_PAYLOAD.to_owned(),
        None => payload_hash(&request.body),
    };

    // A retry re-signs the same request: drop the previous signature first.
    request.headers.remove("authorization");
    request.headers.insert("x-amz-date", amz_date.clone());
    let token = params.credentials.session_token();
    if let (Some(token), true) = (token, settings.sign_session_token) {
        request
            .headers
            .insert("x-amz-security-token", token.to_owned());
    }
    if (settings.payload_checksum_header || settings.unsigned_payload)
        && !request.headers.contains("x-amz-content-sha256")
    {
        request
            .headers
            .insert("x-amz-content-sha256", payload_hash.clone());
    }

    let (canonical_headers, signed_headers) = canonical_headers(request, host, settings);
    let signed_headers_line = signed_headers.join(";");
    // Methods are upper-case in the signature.
    let method: Cow<str> = if request.method.bytes().any(|b| b.is_ascii_lowercase()) {
        Cow::Owned(request.method.to_ascii_uppercase())
    } else {
        Cow::Borrowed(&request.method)
    };
    let uri = canonical_uri(&request.path, settings);
    let query = canonical_query(&request.query);
    let mut canonical_request = String::with_capacity(
        method.len()
            + uri.len()
            + query.len()
            + canonical_headers.len()
            + signed_headers_line.len()
            + payload_hash.len()
            + 5,
    );
    for (i, part) in [
        method.as_ref(),
        uri.as_str(),
        query.as_str(),
        canonical_headers.as_str(),
        signed_headers_line.as_str(),
        payload_hash.as_str(),
    ]
    .into_iter()
    .enumerate()
    {
        if i > 0 {
            canonical_request.push('\n');
        }
        canonical_request.push_str(part);
    }

    // Joined with `concat` (one allocation each) rather than `format!`: this runs per request.
    let scope = [
        date,
        "/",
        params.region,
        "/",
        params.service,
        "/aws4_request",
    ]
    .concat();
    let canonical_hash = hex_string(&Sha256::digest(canonical_request.as_bytes()));
    let string_to_sign = [
        ALGORITHM,
        "\n",
        &amz_date,
        "\n",
        &scope,
        "\n",
        &canonical_hash,
    ]
    .concat();

    // The signing key changes once a day: derived once, then taken from a small cache.
    let mut mac = signing_mac(
        params.credentials.secret_access_key(),
        date,
        params.region,
        params.service,
    );
    mac.update(string_to_sign.as_bytes());
    let signature = hex_string(&mac.finalize().into_bytes());

    let authorization = [
        ALGORITHM,
        " Credential=",
        params.credentials.access_key_id(),
        "/",
        &scope,
        ", SignedHeaders=",
        &signed_headers_line,
        ", Signature=",
        &signature,
    ]
    .concat();
    // An unsigned token goes on after signing, so it cannot be part of the signature.
    if let (Some(token), false) = (token, settings.sign_session_token) {
        request
            .headers
            .insert("x-amz-security-token", token.to_owned());
    }
    request
        .headers
        .insert("authorization", authorization.clone());

    SigningOutput {
        canonical_request,
        string_to_sign,
        signature,
        signed_headers,
        authorization,
    }
}

/// `20150830T123600Z`: the UTC time of `time`, to the second.
pub fn format_amz_date(time: SystemTime) -> String {
    DateTime::from(time).amz_date()
}

/// The key of a day (`20150830`), region and service, derived from the secret key.
pub fn signing_key(secret_access_key: &str, date: &str, region: &str, service: &str) -> Vec<u8> {
    let secret = format!("AWS4{secret_access_key}");
    let mut key = hmac_sha256(secret.as_bytes(), date.as_bytes());
    for part in [region, service, "aws4_request"] {
        key = hmac_sha256(&key, part.as_bytes());
    }
    key
}

pub fn hmac_sha256(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// The hash of a body as SigV4 signs it (`x-amz-content-sha256`): its SHA-256, lower-case hex.
pub fn payload_hash(body: &[u8]) -> String {
    hex_string(&Sha256::digest(body))
}

/// Lower-case hex of `bytes`.
fn hex_string(bytes: &[u8]) -> String {
    let mut out = vec![0u8; bytes.len() * 2];
    hex::encode_to_slice(bytes, &mut out).expect("the buffer is twice the input");
    String::from_utf8(out).expect("hex digits are ASCII")
}

/// The path as signed. `path` is already percent-encoded once.
fn canonical_uri(path: &str, settings: &SigningSettings) -> String {
    let path: Cow<str> = if settings.uri_path_normalization && !is_normal_path(path) {
        Cow::Owned(normalize_path(path))
    } else {
        Cow::Borrowed(path)
    };
    let path: Cow<str> = if settings.double_uri_encode {
        match Cow::from(utf8_percent_encode(&path, PATH_UNRESERVED)) {
            Cow::Borrowed(_) => path,
            Cow::Owned(encoded) => Cow::Owned(encoded),
        }
    } else {
        path
    };
    if path.is_empty() {
        "/".to_owned()
    } else {
        path.into_owned()
    }
}

/// A path `normalize_path` leaves as it is: absolute, without empty, `.` or `..` segments.
fn is_normal_path(path: &str) -> bool {
    match path.strip_prefix('/') {
        Some(rest) => !rest
            .split('/')
            .any(|segment| matches!(segment, "" | "." | "..")),
        None => false,
    }
}

/// botocore's `remove_dot_segments`: RFC 3986 dot-segment removal that also drops empty
/// segments (AWS wants `//` collapsed). A trailing `/` stays unless nothing is left.
fn normalize_path(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    let mut normalized = String::with_capacity(path.len());
    if path.starts_with('/') || path.is_empty() {
        normalized.push('/');
    }
    normalized.push_str(&out.join("/"));
    if path.ends_with('/') && !out.is_empty() {
        normalized.push('/');
    }
    normalized
}

/// Query parameters decoded, re-encoded with the unreserved set, sorted by key then value.
fn canonical_query(query: &str) -> String {
    let encode = |s: &str| -> String {
        let bytes: Vec<u8> = percent_decode_str(s).collect();
        percent_encoding::percent_encode(&bytes, UNRESERVED).to_string()
    };
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (encode(key), encode(value))
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// The canonical header block (each line ending in `\n`) and the sorted signed header names.
fn canonical_headers(
    request: &HttpRequest,
    host: &str,
    settings: &SigningSettings,
) -> (String, Vec<String>) {
    // Header names are kept lower-case by `Headers`; sorted by name, values of one name keep
    // their order (a stable sort).
    let mut headers: Vec<(&str, &str)> = request
        .headers
        .iter()
        .map(|(name, value)| (name.trim(), value))
        .filter(|(name, _)| !settings.unsigned_headers.contains(name))
        .collect();
    // Like botocore: a `host` header of the request wins over the endpoint's host.
    if !headers.iter().any(|(name, _)| *name == "host") {
        headers.push(("host", host));
    }
    headers.sort_by(|a, b| a.0.cmp(b.0));

    let mut block = String::with_capacity(256);
    let mut names: Vec<String> = Vec::with_capacity(headers.len());
    for (name, value) in headers {
        if names.last().map(String::as_str) == Some(name) {
            block.pop();
            block.push(',');
        } else {
            block.push_str(name);
            block.push(':');
            names.push(name.to_owned());
        }
        push_canonical_value(&mut block, value);
        block.push('\n');
    }
    (block, names)
}

/// Trimmed, with inner runs of whitespace (folded lines too) collapsed to one space.
fn push_canonical_value(out: &mut String, value: &str) {
    for (i, word) in value.split_ascii_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use std::time::UNIX_EPOCH;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn credentials_debug_is_redacted() {
        let creds = Credentials::new("AKID", "SECRETKEY", Some("SESSIONTOKEN".to_owned()));
        let shown = format!("{creds:?} {creds:#?}");
        assert!(shown.contains("AKID"), "{shown}");
        assert!(!shown.contains("SECRETKEY"), "{shown}");
        assert!(!shown.contains("SESSIONTOKEN"), "{shown}");
        assert!(shown.contains("** redacted **"), "{shown}");
        let no_token = format!("{:?}", Credentials::new("AKID", "SECRETKEY", None));
        assert!(no_token.contains("session_token: None"), "{no_token}");
    }

    #[test]
    fn amz_date() {
        assert_eq!(format_amz_date(at(0)), "19700101T000000Z");
        assert_eq!(format_amz_date(at(1_440_938_160)), "20150830T123600Z");
        assert_eq!(format_amz_date(at(951_782_400)), "20000229T000000Z");
        assert_eq!(format_amz_date(at(4_107_542_399)), "21000228T235959Z");
        assert_eq!(
            format_amz_date(at(1_440_938_160) + Duration::from_millis(999)),
            "20150830T123600Z"
        );
        assert_eq!(
            format_amz_date(UNIX_EPOCH - Duration::from_secs(1)),
            "19691231T235959Z"
        );
    }

    #[test]
    fn path_normalization() {
        for (path, expected) in [
            ("/a/b", "/a/b"),
            ("/a.b/c..d/.e", "/a.b/c..d/.e"),
            ("a/b", "a/b"),
            ("/a/.", "/a"),
            ("", "/"),
            ("/", "/"),
            ("//", "/"),
            ("/a/./b/../c/", "/a/c/"),
            ("/a/..", "/"),
            ("/../a", "/a"),
            ("//a//b", "/a/b"),
        ] {
            assert_eq!(normalize_path(path), expected, "{path}");
            let settings = SigningSettings {
                double_uri_encode: false,
                ..SigningSettings::default()
            };
            assert_eq!(canonical_uri(path, &settings), expected, "{path}");
        }
    }

    #[test]
    fn query_canonicalization() {
        assert_eq!(canonical_query(""), "");
        assert_eq!(canonical_query("b=2&a=1&a=0&c"), "a=0&a=1&b=2&c=");
        assert_eq!(canonical_query("k=a%20b+c&x=%7e"), "k=a%20b%2Bc&x=~");
    }

    #[test]
    fn a_given_payload_hash_header_is_signed_as_the_payload_hash() {
        let creds = Credentials::new("AKIDEXAMPLE", "secret", None);
        let params = SigningParams {
            credentials: &creds,
            region: "us-east-1",
            service: "transcribe",
            time: at(1_440_938_160),
            settings: SigningSettings {
                payload_checksum_header: true,
                ..SigningSettings::default()
            },
        };
        let mut request = HttpRequest::new("POST", "/stream-transcription");
        request.body = b"ignored".to_vec();
        request
            .headers
            .insert("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-EVENTS");
        let out = sign_request(&mut request, "example.com", &params);
        assert!(out.canonical_request.ends_with(
            "\nhost;x-amz-content-sha256;x-amz-date\nSTREAMING-AWS4-HMAC-SHA256-EVENTS"
        ));
        assert_eq!(
            request.headers.get("x-amz-content-sha256"),
            Some("STREAMING-AWS4-HMAC-SHA256-EVENTS")
        );
    }

    #[test]
    fn resigning_replaces_the_previous_signature() {
        let creds = Credentials::new("AKIDEXAMPLE", "secret", None);
        let params = SigningParams {
            credentials: &creds,
            region: "us-east-1",
            service: "service",
            time: at(1_440_938_160),
            settings: SigningSettings::default(),
        };
        let mut request = HttpRequest::new("GET", "/");
        let first = sign_request(&mut request, "example.com", &params);
        let second = sign_request(&mut request, "example.com", &params);
        assert_eq!(first, second);
        assert_eq!(request.headers.get_all("authorization").count(), 1);
        assert_eq!(request.headers.get_all("x-amz-date").count(), 1);
    }
}
