//! Errors shared by every operation: what a call can fail with, and the metadata every service
//! error carries (code, message, HTTP status, request id).

use std::error::Error as StdError;
use std::fmt;

use super::http::HttpResponse;
use super::json::DeserializeError;
use super::validate::ValidationErrors;

pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// Code, message, status and request id of a service error, read from the response.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorMeta {
    code: Option<String>,
    message: Option<String>,
    status: u16,
    request_id: Option<String>,
}

impl ErrorMeta {
    pub fn new(
        code: Option<String>,
        message: Option<String>,
        status: u16,
        request_id: Option<String>,
    ) -> Self {
        ErrorMeta {
            code,
            message,
            status,
            request_id,
        }
    }

    /// The sanitised error code (`ResourceNotFoundException`).
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    pub fn status(&self) -> u16 {
        self.status
    }

    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

impl fmt::Display for ErrorMeta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code.as_deref().unwrap_or("unknown error"))?;
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        write!(f, " (HTTP {}", self.status)?;
        if let Some(id) = &self.request_id {
            write!(f, ", request id {id}")?;
        }
        write!(f, ")")
    }
}

/// `Foo:http://internal.amazon.com/...` and `aws.protocoltests#Foo` both give `Foo`.
pub fn sanitize_error_code(raw: &str) -> &str {
    let before_colon = raw.split(':').next().unwrap_or(raw);
    let after_hash = before_colon.rsplit('#').next().unwrap_or(before_colon);
    after_hash.trim()
}

/// Error metadata as the AWS JSON protocols send it: code from the `x-amzn-ErrorType` header,
/// else the body's `code` or `__type`; message from the body's `message` or `Message`; request
/// id from `x-amzn-RequestId`. A body that is not JSON (an HTML page from a proxy) gives no code.
pub fn json_error_meta(response: &HttpResponse, body: &ErrorBody<'_>) -> ErrorMeta {
    let code = response
        .headers
        .get("x-amzn-errortype")
        .map(str::to_owned)
        .or_else(|| body.code().map(str::to_owned))
        .map(|c| sanitize_error_code(&c).to_owned())
        .filter(|c| !c.is_empty());
    // A body that is not JSON (a proxy's or load balancer's page) is the only explanation
    // there is: keep its start as the message, as botocore does.
    let message = body.message().map(str::to_owned).or_else(|| {
        if body.json().is_some() {
            return None;
        }
        let text = String::from_utf8_lossy(&response.body);
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        (!text.is_empty()).then(|| match text.char_indices().nth(200) {
            Some((i, _)) => format!("{}…", &text[..i]),
            None => text,
        })
    });
    ErrorMeta {
        code,
        message,
        status: response.status,
        request_id: response.headers.get("x-amzn-requestid").map(str::to_owned),
    }
}

/// For `awsQueryCompatible` services: the code of `x-amzn-query-error` (`Code;Sender`), when
/// the header has one, replaces the code of `meta`, as botocore reads it.
pub fn query_compatible_meta(response: &HttpResponse, mut meta: ErrorMeta) -> ErrorMeta {
    if let Some((code, sender)) = response
        .headers
        .get("x-amzn-query-error")
        .and_then(|v| v.split_once(';'))
    {
        if !code.is_empty() && !sender.contains(';') {
            meta.code = Some(code.to_string());
        }
    }
    meta
}

/// An error body, read once without building a tree: whether it is JSON (whitespace alone
/// counts as `{}`), and the string fields that name the error and explain it. The members of
/// the modeled error are read from [`ErrorBody::json`] by its own reader.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorBody<'a> {
    json: Option<&'a [u8]>,
    /// The fields of [`ERROR_FIELDS`], when the body is an object and they are strings.
    fields: [Option<String>; 5],
}

/// `code` and `__type` name the error; `message`, `Message` and `errorMessage` explain it
/// (the first one present wins).
const ERROR_FIELDS: [&str; 5] = ["code", "__type", "message", "Message", "errorMessage"];

impl<'a> ErrorBody<'a> {
    /// The body when it is JSON; `None` for anything else (a proxy's HTML page).
    pub fn json(&self) -> Option<&'a [u8]> {
        self.json
    }

    /// `code`, else `__type`, as sent (not yet sanitized).
    pub fn code(&self) -> Option<&str> {
        self.fields[..2].iter().find_map(Option::as_deref)
    }

    /// `message`, else `Message`, else `errorMessage`.
    pub fn message(&self) -> Option<&str> {
        self.fields[2..].iter().find_map(Option::as_deref)
    }
}

pub fn parse_error_body(body: &[u8]) -> ErrorBody<'_> {
    use serde::de::DeserializeSeed as _;
    if body.iter().all(u8::is_ascii_whitespace) {
        return ErrorBody {
            json: Some(body),
            fields: Default::default(),
        };
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    match error_fields::Fields
        .deserialize(&mut de)
        .and_then(|fields| de.end().map(|()| fields))
    {
        Ok(fields) => ErrorBody {
            json: Some(body),
            fields,
        },
        Err(_) => ErrorBody::default(),
    }
}

/// The visitors of [`parse_error_body`]: an object's [`ERROR_FIELDS`] that are strings; every
/// other value, at any depth, is skipped.
mod error_fields {
    use std::fmt;

    use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

    use super::ERROR_FIELDS;

    pub(super) struct Fields;

    type Found = [Option<String>; 5];

    /// A scalar (or `null`) gives `$empty`; a sequence is skipped whole.
    macro_rules! skip_others {
        ($value:ty, $empty:expr) => {
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<$value, A::Error> {
                IgnoredAny.visit_seq(seq).map(|_| $empty)
            }
            fn visit_bool<E>(self, _: bool) -> Result<$value, E> {
                Ok($empty)
            }
            fn visit_i64<E>(self, _: i64) -> Result<$value, E> {
                Ok($empty)
            }
            fn visit_u64<E>(self, _: u64) -> Result<$value, E> {
                Ok($empty)
            }
            fn visit_f64<E>(self, _: f64) -> Result<$value, E> {
                Ok($empty)
            }
            fn visit_unit<E>(self) -> Result<$value, E> {
                Ok($empty)
            }
        };
    }

    impl<'de> DeserializeSeed<'de> for Fields {
        type Value = Found;

        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Found, D::Error> {
            d.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for Fields {
        type Value = Found;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON value")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Found, A::Error> {
            let mut found = Found::default();
            while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                match ERROR_FIELDS.iter().position(|f| *f == key) {
                    Some(i) => found[i] = map.next_value_seed(StringOrSkip)?,
                    None => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            Ok(found)
        }

        fn visit_str<E>(self, _: &str) -> Result<Found, E> {
            Ok(Found::default())
        }

        skip_others!(Found, Found::default());
    }

    /// A string value, or `None` for any other value (skipped whole).
    struct StringOrSkip;

    impl<'de> DeserializeSeed<'de> for StringOrSkip {
        type Value = Option<String>;

        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<String>, D::Error> {
            d.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for StringOrSkip {
        type Value = Option<String>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON value")
        }

        fn visit_str<E>(self, v: &str) -> Result<Option<String>, E> {
            Ok(Some(v.to_owned()))
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<String>, A::Error> {
            IgnoredAny.visit_map(map).map(|_| None)
        }

        skip_others!(Option<String>, None);
    }
}

/// A service error's members as a JSON document keyed by member names (what `dispatch`
/// callers see): `{}` for an error the model does not name.
pub trait ErrorDocument {
    fn to_document(&self) -> Vec<u8>;
}

impl ErrorDocument for UnhandledError {
    fn to_document(&self) -> Vec<u8> {
        b"{}".to_vec()
    }
}

/// A service error the model does not describe (or one it could not read).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnhandledError {
    meta: ErrorMeta,
}

impl UnhandledError {
    pub fn new(meta: ErrorMeta) -> Self {
        UnhandledError { meta }
    }

    pub fn meta(&self) -> &ErrorMeta {
        &self.meta
    }
}

impl fmt::Display for UnhandledError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unhandled service error: {}", self.meta)
    }
}

impl StdError for UnhandledError {}

/// Implemented by every operation error enum and every modeled error structure.
pub trait ProvideErrorMeta {
    fn meta(&self) -> &ErrorMeta;
}

/// A response that could not be understood: a success status with a malformed body.
#[derive(Debug)]
pub struct ResponseError {
    status: u16,
    request_id: Option<String>,
    source: DeserializeError,
}

impl ResponseError {
    pub fn new(response: &HttpResponse, source: DeserializeError) -> Self {
        ResponseError {
            status: response.status,
            request_id: response.headers.get("x-amzn-requestid").map(str::to_owned),
            source,
        }
    }

    pub fn status(&self) -> u16 {
        self.status
    }

    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    pub fn source_error(&self) -> &DeserializeError {
        &self.source
    }
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "malformed response (HTTP {}", self.status)?;
        if let Some(id) = &self.request_id {
            write!(f, ", request id {id}")?;
        }
        write!(f, "): {}", self.source)
    }
}

impl StdError for ResponseError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&self.source)
    }
}

/// Everything a call can fail with. `E` is the operation's own error enum.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The input broke constraints of the model; nothing was sent.
    Validation(ValidationErrors),
    /// The request could not be built: endpoint, credentials or signing failed; nothing was sent.
    Construction(BoxError),
    /// The request could not be sent or the response not received (connection, timeout, I/O).
    Dispatch(BoxError),
    /// The response arrived but could not be read.
    Response(ResponseError),
    /// The service answered with an error.
    Service(E),
}

impl<E> SdkError<E> {
    /// The service error, if the service answered with one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            SdkError::Service(e) => Some(e),
            _ => None,
        }
    }

    pub fn into_service_error(self) -> Option<E> {
        match self {
            SdkError::Service(e) => Some(e),
            _ => None,
        }
    }
}

impl<E: fmt::Display> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::Validation(e) => write!(f, "invalid input: {e}"),
            SdkError::Construction(e) => write!(f, "failed to build the request: {e}"),
            SdkError::Dispatch(e) => write!(f, "failed to send the request: {e}"),
            SdkError::Response(e) => write!(f, "{e}"),
            SdkError::Service(e) => write!(f, "{e}"),
        }
    }
}

impl<E: StdError + 'static> StdError for SdkError<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            SdkError::Validation(e) => Some(e),
            SdkError::Construction(e) | SdkError::Dispatch(e) => Some(e.as_ref()),
            SdkError::Response(e) => Some(e),
            SdkError::Service(e) => Some(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::http::Headers;
    use super::*;

    #[test]
    fn sanitizes_codes_like_aws_sdks() {
        assert_eq!(
            sanitize_error_code(
                "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.kinesisvideo/"
            ),
            "ResourceNotFoundException"
        );
        assert_eq!(
            sanitize_error_code("aws.protocoltests.restjson#FooError"),
            "FooError"
        );
        assert_eq!(
            sanitize_error_code("aws.protocoltests.restjson#FooError:http://x/"),
            "FooError"
        );
        assert_eq!(sanitize_error_code("FooError"), "FooError");
    }

    #[test]
    fn reads_meta_from_header_then_body() {
        let headers: Headers = [
            ("X-Amzn-ErrorType", "Foo:http://x/"),
            ("x-amzn-RequestId", "rid"),
        ]
        .into_iter()
        .collect();
        let resp = HttpResponse::new(404, headers, &br#"{"__type":"Bar","message":"m"}"#[..]);
        let meta = json_error_meta(&resp, &parse_error_body(&resp.body));
        assert_eq!(meta.code(), Some("Foo"));
        assert_eq!(meta.message(), Some("m"));
        assert_eq!(meta.request_id(), Some("rid"));
        let resp = HttpResponse::new(
            400,
            Headers::new(),
            &br#"{"__type":"ns#Bar","Message":"M"}"#[..],
        );
        let meta = json_error_meta(&resp, &parse_error_body(&resp.body));
        assert_eq!((meta.code(), meta.message()), (Some("Bar"), Some("M")));
        let resp = HttpResponse::new(503, Headers::new(), &b"<html>busy</html>"[..]);
        let meta = json_error_meta(&resp, &parse_error_body(&resp.body));
        assert_eq!((meta.code(), meta.status()), (None, 503));
        assert_eq!(meta.message(), Some("<html>busy</html>"));
    }

    /// One pass over the body: string fields at the top level only, anything else skipped;
    /// JSON that is not an object is JSON with no fields; broken JSON is not JSON.
    #[test]
    fn the_error_body_is_read_without_a_tree() {
        let body = parse_error_body(
            br#"{"code":7,"__type":"T","nested":{"message":"deep"},"Message":["x"],"errorMessage":"E","message":null}"#,
        );
        assert!(body.json().is_some());
        assert_eq!((body.code(), body.message()), (Some("T"), Some("E")));
        let body = parse_error_body(br#"{"code":"C","__type":"T","message":"m","Message":"M"}"#);
        assert_eq!((body.code(), body.message()), (Some("C"), Some("m")));
        for json in [&b"[1,{\"code\":\"x\"}]"[..], b"\"text\"", b"null", b"  "] {
            let body = parse_error_body(json);
            assert!(body.json().is_some(), "{json:?}");
            assert_eq!((body.code(), body.message()), (None, None));
        }
        for broken in [&b"{\"code\":\"x\""[..], b"{} trailing", b"<html>"] {
            assert_eq!(parse_error_body(broken), ErrorBody::default(), "{broken:?}");
        }
    }

    #[test]
    fn query_compatible_code_comes_from_x_amzn_query_error() {
        let headers: Headers = [
            ("x-amzn-ErrorType", "QueueDoesNotExist"),
            (
                "x-amzn-query-error",
                "AWS.SimpleQueueService.NonExistentQueue;Sender",
            ),
        ]
        .into_iter()
        .collect();
        let resp = HttpResponse::new(400, headers, &b"{}"[..]);
        let meta =
            query_compatible_meta(&resp, json_error_meta(&resp, &parse_error_body(&resp.body)));
        assert_eq!(meta.code(), Some("AWS.SimpleQueueService.NonExistentQueue"));
        for odd in [";Sender", "A;B;C", "NoSemicolon"] {
            let headers: Headers = [("x-amzn-ErrorType", "Foo"), ("x-amzn-query-error", odd)]
                .into_iter()
                .collect();
            let resp = HttpResponse::new(400, headers, &b"{}"[..]);
            let meta =
                query_compatible_meta(&resp, json_error_meta(&resp, &parse_error_body(&resp.body)));
            assert_eq!(meta.code(), Some("Foo"), "{odd}");
        }
    }
}
