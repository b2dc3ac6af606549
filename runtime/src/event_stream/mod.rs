//! Event streams (`application/vnd.amazon.eventstream`): the message framing, an incremental
//! decoder, the chained signing of input streams, and the typed streams generated code hands
//! to callers ([`EventReceiver`] for output streams, [`EventSender`] for input streams).

pub mod decoder;
pub mod frame;
pub mod receiver;
pub mod sender;
pub mod signing;

pub use decoder::MessageDecoder;
pub use frame::{FrameError, Header, HeaderValue, Message};
pub use receiver::{EventReceiver, ReceiveError};
pub use sender::EventSender;
pub use signing::{MessageSigner, STREAMING_EVENTS_PAYLOAD};

use super::datetime::DateTime;
use super::error::{ErrorBody, ErrorMeta};
use super::json::DeserializeError;

/// The media type of an event stream body.
pub const CONTENT_TYPE: &str = "application/vnd.amazon.eventstream";

/// What a received message is, by its `:message-type` header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageKind<'a> {
    /// `event`: `:event-type` names the member of the event union.
    Event(&'a str),
    /// `exception`: `:exception-type` names the member of the union (a modeled error).
    Exception(&'a str),
    /// `error`: an error the model does not describe (`:error-code`, `:error-message`).
    Error {
        code: Option<&'a str>,
        message: Option<&'a str>,
    },
}

/// Reads the `:message-type` of `message` and the header that names it. A message without
/// one of them, with one that is not a string, or of another type is malformed.
pub fn message_kind(message: &Message) -> Result<MessageKind<'_>, FrameError> {
    let string = |name: &str| -> Result<Option<&str>, FrameError> {
        match message.header(name) {
            None => Ok(None),
            Some(HeaderValue::String(s)) => Ok(Some(s)),
            Some(other) => Err(FrameError::Malformed(format!(
                "header `{name}` is a {} where a string is expected",
                other.type_name()
            ))),
        }
    };
    let required = |name: &str| {
        string(name)?
            .ok_or_else(|| FrameError::Malformed(format!("the message has no `{name}` header")))
    };
    match required(":message-type")? {
        "event" => Ok(MessageKind::Event(required(":event-type")?)),
        "exception" => Ok(MessageKind::Exception(required(":exception-type")?)),
        "error" => Ok(MessageKind::Error {
            code: string(":error-code")?,
            message: string(":error-message")?,
        }),
        other => Err(FrameError::Malformed(format!(
            "`:message-type` is {other:?}; expected event, exception or error"
        ))),
    }
}

/// The metadata of an exception message: `code` (the modeled error's code, or the
/// `:exception-type` the model does not know), the message its JSON payload gives, and the
/// status and request id of the response (`base`).
pub fn exception_meta(code: &str, payload: &ErrorBody<'_>, base: &ErrorMeta) -> ErrorMeta {
    ErrorMeta::new(
        Some(code.to_owned()),
        payload.message().map(str::to_owned),
        base.status(),
        base.request_id().map(str::to_owned),
    )
}

/// The metadata of an `error` message (`:error-code`, `:error-message`).
pub fn error_meta(code: Option<&str>, message: Option<&str>, base: &ErrorMeta) -> ErrorMeta {
    ErrorMeta::new(
        code.map(str::to_owned),
        message.map(str::to_owned),
        base.status(),
        base.request_id().map(str::to_owned),
    )
}

/// The header `name` of an event, read by `read` (one of the `HeaderValue::as_*`); absent
/// gives `None`, another type an error naming the header.
pub fn header<T>(
    message: &Message,
    name: &str,
    expected: &str,
    read: fn(&HeaderValue) -> Option<T>,
) -> Result<Option<T>, DeserializeError> {
    match message.header(name) {
        None => Ok(None),
        Some(v) => read(v).map(Some).ok_or_else(|| {
            DeserializeError::new(format!(
                "event header is a {} where a {expected} is expected",
                v.type_name()
            ))
            .at(name)
        }),
    }
}

/// Readers of header values for [`header`].
impl HeaderValue {
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            HeaderValue::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_byte(&self) -> Option<i8> {
        match self {
            HeaderValue::Byte(v) => Some(*v),
            _ => None,
        }
    }

    pub fn as_short(&self) -> Option<i16> {
        match self {
            HeaderValue::Int16(v) => Some(*v),
            _ => None,
        }
    }

    pub fn as_int(&self) -> Option<i32> {
        match self {
            HeaderValue::Int32(v) => Some(*v),
            _ => None,
        }
    }

    pub fn as_long(&self) -> Option<i64> {
        match self {
            HeaderValue::Int64(v) => Some(*v),
            _ => None,
        }
    }

    pub fn as_bytes(&self) -> Option<Vec<u8>> {
        match self {
            HeaderValue::ByteArray(v) => Some(v.clone()),
            _ => None,
        }
    }

    pub fn as_string(&self) -> Option<String> {
        self.as_str().map(str::to_owned)
    }

    pub fn as_timestamp(&self) -> Option<DateTime> {
        match self {
            HeaderValue::Timestamp(ms) => Some(DateTime::from_secs_and_nanos(
                ms.div_euclid(1000),
                (ms.rem_euclid(1000) as u32) * 1_000_000,
            )),
            _ => None,
        }
    }

    /// A timestamp header value, to the millisecond.
    pub fn timestamp(t: &DateTime) -> HeaderValue {
        HeaderValue::Timestamp(
            t.secs()
                .saturating_mul(1000)
                .saturating_add(i64::from(t.subsec_nanos() / 1_000_000)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(headers: &[(&str, HeaderValue)]) -> Message {
        let mut m = Message::new(Vec::new());
        for (n, v) in headers {
            m.add_header(*n, v.clone());
        }
        m
    }

    fn s(v: &str) -> HeaderValue {
        HeaderValue::String(v.into())
    }

    #[test]
    fn message_kinds() {
        let event = with(&[(":message-type", s("event")), (":event-type", s("chunk"))]);
        assert_eq!(message_kind(&event), Ok(MessageKind::Event("chunk")));
        let exception = with(&[
            (":message-type", s("exception")),
            (":exception-type", s("throttlingException")),
        ]);
        assert_eq!(
            message_kind(&exception),
            Ok(MessageKind::Exception("throttlingException"))
        );
        let error = with(&[
            (":message-type", s("error")),
            (":error-code", s("InternalError")),
            (":error-message", s("boom")),
        ]);
        assert_eq!(
            message_kind(&error),
            Ok(MessageKind::Error {
                code: Some("InternalError"),
                message: Some("boom")
            })
        );
    }

    #[test]
    fn malformed_kinds_are_errors() {
        for m in [
            with(&[(":event-type", s("chunk"))]),
            with(&[(":message-type", s("event"))]),
            with(&[(":message-type", s("exception"))]),
            with(&[(":message-type", s("gossip")), (":event-type", s("x"))]),
            with(&[
                (":message-type", HeaderValue::ByteArray(b"event".to_vec())),
                (":event-type", s("x")),
            ]),
            with(&[
                (":message-type", s("event")),
                (":event-type", HeaderValue::Int32(1)),
            ]),
        ] {
            assert!(
                matches!(message_kind(&m), Err(FrameError::Malformed(_))),
                "{m:?}"
            );
        }
    }

    #[test]
    fn typed_headers() {
        let m = with(&[
            ("n", HeaderValue::Int32(7)),
            ("t", HeaderValue::Timestamp(-1)),
        ]);
        assert_eq!(header(&m, "n", "integer", HeaderValue::as_int), Ok(Some(7)));
        assert_eq!(header(&m, "x", "integer", HeaderValue::as_int), Ok(None));
        let err = header(&m, "n", "string", HeaderValue::as_string).unwrap_err();
        assert_eq!(err.path(), "n");
        assert!(err.message().contains("integer"), "{err}");
        let t = header(&m, "t", "timestamp", HeaderValue::as_timestamp)
            .unwrap()
            .unwrap();
        assert_eq!((t.secs(), t.subsec_nanos()), (-1, 999_000_000));
        assert_eq!(HeaderValue::timestamp(&t), HeaderValue::Timestamp(-1));
    }
}
