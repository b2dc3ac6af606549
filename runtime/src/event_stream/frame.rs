//! One message of `application/vnd.amazon.eventstream`, as the Amazon event stream
//! specification lays it out (all integers big-endian):
//!
//! ```text
//! total_length: u32 | headers_length: u32 | prelude_crc: u32 | headers | payload | message_crc: u32
//! ```
//!
//! `prelude_crc` is the CRC32 of the first 8 bytes, `message_crc` the CRC32 of everything
//! before it. A header is a name (`u8` length, 1 to 255 UTF-8 bytes), a type byte and a value
//! of that type.

use std::fmt;

/// Total length, headers length and prelude CRC.
pub const PRELUDE_LEN: usize = 12;
/// The smallest message: a prelude and a message CRC, no headers, no payload.
pub const MIN_MESSAGE_LEN: usize = PRELUDE_LEN + 4;
const MAX_HEADER_NAME_LEN: usize = 255;
/// Byte arrays and strings carry a two-byte length; the specification bounds it to 2^15 - 1.
const MAX_HEADER_VALUE_LEN: usize = i16::MAX as usize;

/// A typed header value (the ten wire types; `true` and `false` are one variant here).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HeaderValue {
    /// Types 0 (`true`) and 1 (`false`): no value bytes.
    Bool(bool),
    /// Type 2.
    Byte(i8),
    /// Type 3.
    Int16(i16),
    /// Type 4.
    Int32(i32),
    /// Type 5.
    Int64(i64),
    /// Type 6: a blob.
    ByteArray(Vec<u8>),
    /// Type 7.
    String(String),
    /// Type 8: milliseconds since 1970-01-01T00:00:00Z.
    Timestamp(i64),
    /// Type 9.
    Uuid([u8; 16]),
}

impl HeaderValue {
    /// The wire type byte.
    pub fn type_byte(&self) -> u8 {
        match self {
            HeaderValue::Bool(true) => 0,
            HeaderValue::Bool(false) => 1,
            HeaderValue::Byte(_) => 2,
            HeaderValue::Int16(_) => 3,
            HeaderValue::Int32(_) => 4,
            HeaderValue::Int64(_) => 5,
            HeaderValue::ByteArray(_) => 6,
            HeaderValue::String(_) => 7,
            HeaderValue::Timestamp(_) => 8,
            HeaderValue::Uuid(_) => 9,
        }
    }

    /// The type's name, for error messages (`string`, `timestamp`, ...).
    pub fn type_name(&self) -> &'static str {
        match self {
            HeaderValue::Bool(_) => "boolean",
            HeaderValue::Byte(_) => "byte",
            HeaderValue::Int16(_) => "short",
            HeaderValue::Int32(_) => "integer",
            HeaderValue::Int64(_) => "long",
            HeaderValue::ByteArray(_) => "byte_array",
            HeaderValue::String(_) => "string",
            HeaderValue::Timestamp(_) => "timestamp",
            HeaderValue::Uuid(_) => "uuid",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            HeaderValue::String(s) => Some(s),
            _ => None,
        }
    }
}

/// A header: a name and a typed value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    name: String,
    value: HeaderValue,
}

impl Header {
    pub fn new(name: impl Into<String>, value: HeaderValue) -> Self {
        Header {
            name: name.into(),
            value,
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn value(&self) -> &HeaderValue {
        &self.value
    }
}

/// A message: headers in the order they were added or read, and a payload.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Message {
    headers: Vec<Header>,
    payload: Vec<u8>,
}

impl Message {
    /// A message with `payload` and no headers yet.
    pub fn new(payload: impl Into<Vec<u8>>) -> Self {
        Message {
            headers: Vec::new(),
            payload: payload.into(),
        }
    }

    /// Adds a header (after the ones already there).
    pub fn with_header(mut self, name: impl Into<String>, value: HeaderValue) -> Self {
        self.headers.push(Header::new(name, value));
        self
    }

    pub fn add_header(&mut self, name: impl Into<String>, value: HeaderValue) {
        self.headers.push(Header::new(name, value));
    }

    pub fn headers(&self) -> &[Header] {
        &self.headers
    }

    /// The value of the first header named `name` (names are case-sensitive).
    pub fn header(&self, name: &str) -> Option<&HeaderValue> {
        self.headers
            .iter()
            .find(|h| h.name == name)
            .map(|h| &h.value)
    }

    pub fn payload(&self) -> &[u8] {
        &self.payload
    }

    pub fn into_payload(self) -> Vec<u8> {
        self.payload
    }

    /// The message on the wire. Fails only for what the format cannot hold: an empty or
    /// over-long header name, a byte array or string over 32,767 bytes, or a message over
    /// 4 GiB.
    pub fn encode(&self) -> Result<Vec<u8>, FrameError> {
        let headers = encode_headers(&self.headers)?;
        let total = MIN_MESSAGE_LEN + headers.len() + self.payload.len();
        let too_large = || FrameError::TooLarge(format!("a message of {total} bytes"));
        let total_u32 = u32::try_from(total).map_err(|_| too_large())?;
        let headers_u32 = u32::try_from(headers.len()).map_err(|_| too_large())?;
        let mut out = Vec::with_capacity(total);
        out.extend_from_slice(&total_u32.to_be_bytes());
        out.extend_from_slice(&headers_u32.to_be_bytes());
        out.extend_from_slice(&crc32(&out).to_be_bytes());
        out.extend_from_slice(&headers);
        out.extend_from_slice(&self.payload);
        out.extend_from_slice(&crc32(&out).to_be_bytes());
        Ok(out)
    }

    /// Reads exactly one message from `bytes` (which must hold nothing else).
    pub fn decode(bytes: &[u8]) -> Result<Message, FrameError> {
        let Some(prelude) = bytes.get(..PRELUDE_LEN) else {
            return Err(FrameError::Truncated {
                have: bytes.len(),
                need: MIN_MESSAGE_LEN,
            });
        };
        let prelude = Prelude::read(prelude.try_into().expect("12 bytes"))?;
        if bytes.len() != prelude.total_len {
            return Err(if bytes.len() < prelude.total_len {
                FrameError::Truncated {
                    have: bytes.len(),
                    need: prelude.total_len,
                }
            } else {
                FrameError::InvalidLength(format!(
                    "the prelude says {} bytes but {} were given",
                    prelude.total_len,
                    bytes.len()
                ))
            });
        }
        let crc_at = prelude.total_len - 4;
        let expected = u32::from_be_bytes(bytes[crc_at..].try_into().expect("4 bytes"));
        let computed = crc32(&bytes[..crc_at]);
        if expected != computed {
            return Err(FrameError::MessageCrc { expected, computed });
        }
        let headers_end = PRELUDE_LEN + prelude.headers_len;
        let headers = decode_headers(&bytes[PRELUDE_LEN..headers_end])?;
        Ok(Message {
            headers,
            payload: bytes[headers_end..crc_at].to_vec(),
        })
    }
}

/// The checked prelude of a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Prelude {
    pub(crate) total_len: usize,
    pub(crate) headers_len: usize,
}

impl Prelude {
    /// Checks the prelude CRC and that the lengths can describe a message.
    pub(crate) fn read(bytes: &[u8; PRELUDE_LEN]) -> Result<Prelude, FrameError> {
        let word = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().expect("4 bytes"));
        let (total, headers, expected) = (word(0), word(4), word(8));
        let computed = crc32(&bytes[..8]);
        if expected != computed {
            return Err(FrameError::PreludeCrc { expected, computed });
        }
        let total_len = total as usize;
        let headers_len = headers as usize;
        if total_len < MIN_MESSAGE_LEN {
            return Err(FrameError::InvalidLength(format!(
                "total length {total_len} is less than the {MIN_MESSAGE_LEN} bytes of an empty message"
            )));
        }
        if headers_len > total_len - MIN_MESSAGE_LEN {
            return Err(FrameError::InvalidLength(format!(
                "headers length {headers_len} does not fit in a message of {total_len} bytes"
            )));
        }
        Ok(Prelude {
            total_len,
            headers_len,
        })
    }
}

pub(crate) fn crc32(bytes: &[u8]) -> u32 {
    crc32fast::hash(bytes)
}

/// The header block of `headers`, as it travels.
pub(crate) fn encode_headers(headers: &[Header]) -> Result<Vec<u8>, FrameError> {
    let mut out = Vec::new();
    for h in headers {
        encode_header(h, &mut out)?;
    }
    Ok(out)
}

fn encode_header(h: &Header, out: &mut Vec<u8>) -> Result<(), FrameError> {
    let name = h.name.as_bytes();
    if name.is_empty() || name.len() > MAX_HEADER_NAME_LEN {
        return Err(FrameError::TooLarge(format!(
            "header name {:?} has {} bytes; names have 1 to {MAX_HEADER_NAME_LEN}",
            h.name,
            name.len()
        )));
    }
    out.push(name.len() as u8);
    out.extend_from_slice(name);
    out.push(h.value.type_byte());
    let mut sized = |bytes: &[u8]| {
        if bytes.len() > MAX_HEADER_VALUE_LEN {
            return Err(FrameError::TooLarge(format!(
                "header {:?} has a {} of {} bytes; at most {MAX_HEADER_VALUE_LEN} fit",
                h.name,
                h.value.type_name(),
                bytes.len()
            )));
        }
        out.extend_from_slice(&(bytes.len() as u16).to_be_bytes());
        out.extend_from_slice(bytes);
        Ok(())
    };
    match &h.value {
        HeaderValue::Bool(_) => {}
        HeaderValue::ByteArray(b) => sized(b)?,
        HeaderValue::String(s) => sized(s.as_bytes())?,
        HeaderValue::Byte(v) => out.extend_from_slice(&v.to_be_bytes()),
        HeaderValue::Int16(v) => out.extend_from_slice(&v.to_be_bytes()),
        HeaderValue::Int32(v) => out.extend_from_slice(&v.to_be_bytes()),
        HeaderValue::Int64(v) | HeaderValue::Timestamp(v) => {
            out.extend_from_slice(&v.to_be_bytes())
        }
        HeaderValue::Uuid(u) => out.extend_from_slice(u),
    }
    Ok(())
}

/// A reader over the header block that fails, never panics, when the block ends early.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], FrameError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|end| *end <= self.bytes.len())
            .ok_or_else(|| {
                FrameError::InvalidHeader(format!(
                    "the header block ends inside {what} (at byte {} of {})",
                    self.at,
                    self.bytes.len()
                ))
            })?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn array<const N: usize>(&mut self, what: &str) -> Result<[u8; N], FrameError> {
        Ok(self.take(N, what)?.try_into().expect("took N bytes"))
    }
}

fn decode_headers(bytes: &[u8]) -> Result<Vec<Header>, FrameError> {
    let mut c = Cursor { bytes, at: 0 };
    let mut headers = Vec::new();
    while c.at < bytes.len() {
        let [name_len] = c.array::<1>("a header name length")?;
        if name_len == 0 {
            return Err(FrameError::InvalidHeader(
                "a header has an empty name".to_string(),
            ));
        }
        let name = c.take(name_len as usize, "a header name")?;
        let name = std::str::from_utf8(name)
            .map_err(|_| FrameError::InvalidHeader("a header name is not UTF-8".to_string()))?
            .to_string();
        let [ty] = c.array::<1>("a header type")?;
        let value = match ty {
            0 => HeaderValue::Bool(true),
            1 => HeaderValue::Bool(false),
            2 => HeaderValue::Byte(i8::from_be_bytes(c.array("a byte header")?)),
            3 => HeaderValue::Int16(i16::from_be_bytes(c.array("a short header")?)),
            4 => HeaderValue::Int32(i32::from_be_bytes(c.array("an integer header")?)),
            5 => HeaderValue::Int64(i64::from_be_bytes(c.array("a long header")?)),
            6 | 7 => {
                let len = u16::from_be_bytes(c.array("a header value length")?);
                let data = c.take(len as usize, "a header value")?;
                if ty == 6 {
                    HeaderValue::ByteArray(data.to_vec())
                } else {
                    HeaderValue::String(
                        std::str::from_utf8(data)
                            .map_err(|_| {
                                FrameError::InvalidHeader(format!(
                                    "the string header {name:?} is not UTF-8"
                                ))
                            })?
                            .to_string(),
                    )
                }
            }
            8 => HeaderValue::Timestamp(i64::from_be_bytes(c.array("a timestamp header")?)),
            9 => HeaderValue::Uuid(c.array("a uuid header")?),
            other => {
                return Err(FrameError::InvalidHeader(format!(
                    "header {name:?} has unknown type {other}"
                )))
            }
        };
        // Names are unique in a message (botocore refuses a repeated one too).
        if headers.iter().any(|h: &Header| h.name == name) {
            return Err(FrameError::InvalidHeader(format!(
                "header {name:?} appears twice"
            )));
        }
        headers.push(Header { name, value });
    }
    Ok(headers)
}

/// A message could not be read or written. Any reading error ends the stream: the
/// specification requires it for checksum failures, and after a bad length nothing that
/// follows can be trusted.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FrameError {
    /// The prelude's CRC32 does not match its first 8 bytes.
    PreludeCrc { expected: u32, computed: u32 },
    /// The message CRC32 does not match the message.
    MessageCrc { expected: u32, computed: u32 },
    /// The prelude's lengths cannot describe a message.
    InvalidLength(String),
    /// The header block is malformed (cut short, empty name, unknown type, bad UTF-8).
    InvalidHeader(String),
    /// The stream ended inside a message.
    Truncated { have: usize, need: usize },
    /// Encoding: a name, value or message larger than the format holds.
    TooLarge(String),
    /// A well-framed message whose headers do not say what it is (no `:message-type`, an
    /// event without `:event-type`, a header of the wrong type).
    Malformed(String),
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameError::PreludeCrc { expected, computed } => write!(
                f,
                "event stream prelude checksum mismatch (message says {expected:#010x}, bytes give {computed:#010x})"
            ),
            FrameError::MessageCrc { expected, computed } => write!(
                f,
                "event stream message checksum mismatch (message says {expected:#010x}, bytes give {computed:#010x})"
            ),
            FrameError::InvalidLength(m) => write!(f, "invalid event stream message: {m}"),
            FrameError::InvalidHeader(m) => write!(f, "invalid event stream header: {m}"),
            FrameError::Truncated { have, need } => write!(
                f,
                "the event stream ended inside a message ({have} of {need} bytes received)"
            ),
            FrameError::TooLarge(m) => write!(f, "cannot encode event stream message: {m}"),
            FrameError::Malformed(m) => write!(f, "malformed event stream message: {m}"),
        }
    }
}

impl std::error::Error for FrameError {}

#[cfg(test)]
mod tests {
    use super::*;

    /// The empty message, byte by byte: total length 16, headers length 0, then the CRC32 of
    /// those 8 bytes and the CRC32 of the 12 before it (values checked with Python's
    /// `zlib.crc32`).
    const EMPTY: [u8; 16] = [
        0, 0, 0, 0x10, 0, 0, 0, 0, 0x05, 0xc2, 0x48, 0xeb, 0x7d, 0x98, 0xc8, 0xff,
    ];

    #[test]
    fn crc32_is_the_ieee_polynomial() {
        // The standard check value of CRC-32/ISO-HDLC.
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
    }

    #[test]
    fn the_empty_message() {
        assert_eq!(Message::new(Vec::new()).encode().unwrap(), EMPTY);
        assert_eq!(Message::decode(&EMPTY).unwrap(), Message::default());
    }

    #[test]
    fn a_string_header_and_payload_laid_out_by_hand() {
        let msg = Message::new(b"hi".to_vec()).with_header("a", HeaderValue::String("b".into()));
        let bytes = msg.encode().unwrap();
        // headers: len 1, "a", type 7, len 0x0001, "b" = 6 bytes; payload 2; total 12+6+2+4.
        let mut expected = vec![0, 0, 0, 24, 0, 0, 0, 6];
        expected.extend_from_slice(&crc32(&expected).to_be_bytes());
        expected.extend_from_slice(&[1, b'a', 7, 0, 1, b'b', b'h', b'i']);
        expected.extend_from_slice(&crc32(&expected).to_be_bytes());
        assert_eq!(bytes, expected);
        assert_eq!(Message::decode(&bytes).unwrap(), msg);
    }

    #[test]
    fn every_header_type_round_trips_with_its_wire_layout() {
        let cases: Vec<(HeaderValue, Vec<u8>)> = vec![
            (HeaderValue::Bool(true), vec![0]),
            (HeaderValue::Bool(false), vec![1]),
            (HeaderValue::Byte(-2), vec![2, 0xfe]),
            (HeaderValue::Int16(-2), vec![3, 0xff, 0xfe]),
            (HeaderValue::Int32(0x0102_0304), vec![4, 1, 2, 3, 4]),
            (
                HeaderValue::Int64(-1),
                vec![5, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
            ),
            (
                HeaderValue::ByteArray(vec![0, 0xff]),
                vec![6, 0, 2, 0, 0xff],
            ),
            (HeaderValue::String("é".into()), vec![7, 0, 2, 0xc3, 0xa9]),
            (
                HeaderValue::Timestamp(1_730_384_114_000),
                [vec![8], 1_730_384_114_000i64.to_be_bytes().to_vec()].concat(),
            ),
            (HeaderValue::Uuid([7; 16]), [vec![9], vec![7; 16]].concat()),
        ];
        for (value, layout) in cases {
            let msg = Message::new(Vec::new()).with_header("h", value.clone());
            let bytes = msg.encode().unwrap();
            assert_eq!(&bytes[12..14], &[1, b'h'], "{value:?}");
            assert_eq!(&bytes[14..bytes.len() - 4], &layout[..], "{value:?}");
            assert_eq!(
                u32::from_be_bytes(bytes[4..8].try_into().unwrap()) as usize,
                2 + layout.len()
            );
            let back = Message::decode(&bytes).unwrap();
            assert_eq!(back.header("h"), Some(&value));
        }
    }

    #[test]
    fn header_order_and_payload_are_kept() {
        let msg = Message::new(b"{}".to_vec())
            .with_header(":message-type", HeaderValue::String("event".into()))
            .with_header(":event-type", HeaderValue::String("x".into()))
            .with_header("n", HeaderValue::Int32(3));
        let back = Message::decode(&msg.encode().unwrap()).unwrap();
        let names: Vec<&str> = back.headers().iter().map(|h| h.name()).collect();
        assert_eq!(names, [":message-type", ":event-type", "n"]);
        assert_eq!(back.payload(), b"{}");
    }

    #[test]
    fn encoding_refuses_what_the_format_cannot_hold() {
        let empty_name = Message::new(Vec::new()).with_header("", HeaderValue::Bool(true));
        assert!(matches!(empty_name.encode(), Err(FrameError::TooLarge(_))));
        let long_name =
            Message::new(Vec::new()).with_header("n".repeat(256), HeaderValue::Bool(true));
        assert!(matches!(long_name.encode(), Err(FrameError::TooLarge(_))));
        let long_value = Message::new(Vec::new()).with_header(
            "v",
            HeaderValue::ByteArray(vec![0; MAX_HEADER_VALUE_LEN + 1]),
        );
        let err = long_value.encode().unwrap_err();
        assert!(err.to_string().contains("32767"), "{err}");
        let longest = Message::new(Vec::new())
            .with_header("v", HeaderValue::String("x".repeat(MAX_HEADER_VALUE_LEN)));
        assert!(Message::decode(&longest.encode().unwrap()).is_ok());
    }

    #[test]
    fn decoding_checks_both_checksums_and_the_lengths() {
        let good = Message::new(b"payload".to_vec())
            .with_header("k", HeaderValue::String("v".into()))
            .encode()
            .unwrap();
        let mut bad_prelude = good.clone();
        bad_prelude[9] ^= 1;
        assert!(matches!(
            Message::decode(&bad_prelude),
            Err(FrameError::PreludeCrc { .. })
        ));
        let mut bad_payload = good.clone();
        let at = good.len() - 6;
        bad_payload[at] ^= 0x20;
        assert!(matches!(
            Message::decode(&bad_payload),
            Err(FrameError::MessageCrc { .. })
        ));
        let mut bad_crc = good.clone();
        let last = good.len() - 1;
        bad_crc[last] ^= 0x80;
        assert!(matches!(
            Message::decode(&bad_crc),
            Err(FrameError::MessageCrc { .. })
        ));
        assert!(matches!(
            Message::decode(&good[..good.len() - 1]),
            Err(FrameError::Truncated { .. })
        ));
        assert!(matches!(
            Message::decode(&good[..5]),
            Err(FrameError::Truncated { .. })
        ));
        let mut extra = good.clone();
        extra.push(0);
        assert!(matches!(
            Message::decode(&extra),
            Err(FrameError::InvalidLength(_))
        ));
    }

    /// A message with a valid prelude and message CRC around an arbitrary header block.
    fn framed(headers: &[u8], payload: &[u8]) -> Vec<u8> {
        let total = (MIN_MESSAGE_LEN + headers.len() + payload.len()) as u32;
        let mut out = total.to_be_bytes().to_vec();
        out.extend_from_slice(&(headers.len() as u32).to_be_bytes());
        out.extend_from_slice(&crc32(&out).to_be_bytes());
        out.extend_from_slice(headers);
        out.extend_from_slice(payload);
        out.extend_from_slice(&crc32(&out).to_be_bytes());
        out
    }

    #[test]
    fn malformed_header_blocks_are_errors() {
        for (headers, why) in [
            (&[0u8, 7, 0, 0][..], "empty name"),
            (&[1, b'a', 10][..], "unknown type"),
            (&[1, b'a', 7, 0, 5, b'x'][..], "string cut short"),
            (&[1, b'a', 4, 0, 0][..], "integer cut short"),
            (&[3, b'a'][..], "name cut short"),
            (&[1, 0xff, 0][..], "name not UTF-8"),
            (&[1, b'a', 7, 0, 1, 0xff][..], "value not UTF-8"),
            (&[1, b'a', 9, 1, 2, 3][..], "uuid cut short"),
            (&[1, b'a', 0, 1, b'a', 1][..], "a name twice"),
        ] {
            let bytes = framed(headers, b"");
            assert!(
                matches!(Message::decode(&bytes), Err(FrameError::InvalidHeader(_))),
                "{why}: {:?}",
                Message::decode(&bytes)
            );
        }
    }

    #[test]
    fn prelude_lengths_that_cannot_be_a_message_are_errors() {
        for (total, headers) in [(15u32, 0u32), (16, 1), (20, 5), (0, 0)] {
            let mut prelude = total.to_be_bytes().to_vec();
            prelude.extend_from_slice(&headers.to_be_bytes());
            prelude.extend_from_slice(&crc32(&prelude).to_be_bytes());
            let prelude: [u8; 12] = prelude.try_into().unwrap();
            assert!(
                matches!(Prelude::read(&prelude), Err(FrameError::InvalidLength(_))),
                "{total}/{headers}"
            );
        }
    }
}
