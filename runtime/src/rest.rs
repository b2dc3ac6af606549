//! HTTP bindings of the REST protocols: labels, query strings and headers, both ways.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::datetime::{DateTime, Format};
use super::json::DeserializeError;

/// RFC 3986 unreserved characters stay; everything else is percent-encoded.
pub const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Greedy labels keep their `/` separators.
pub const UNRESERVED_AND_SLASH: &AsciiSet = &UNRESERVED.remove(b'/');

/// Encodes a `{Label}` value (`/` is encoded) or a `{Label+}` value (`/` is kept).
pub fn encode_label(value: &str, greedy: bool) -> String {
    let set = if greedy {
        UNRESERVED_AND_SLASH
    } else {
        UNRESERVED
    };
    utf8_percent_encode(value, set).to_string()
}

/// Encodes a query-string key or value.
pub fn encode_query(value: &str) -> String {
    utf8_percent_encode(value, UNRESERVED).to_string()
}

/// Builds a query string from pairs in order (`k=v&k2=v2`, bare `k` when the value is `None`).
#[derive(Default)]
pub struct QueryWriter {
    out: String,
}

impl QueryWriter {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, key: &str, value: Option<&str>) {
        if !self.out.is_empty() {
            self.out.push('&');
        }
        self.out.push_str(&encode_query(key));
        if let Some(v) = value {
            self.out.push('=');
            self.out.push_str(&encode_query(v));
        }
    }

    /// Literal pairs from the URI pattern are already encoded.
    pub fn push_literal(&mut self, key: &str, value: Option<&str>) {
        if !self.out.is_empty() {
            self.out.push('&');
        }
        self.out.push_str(key);
        if let Some(v) = value {
            self.out.push('=');
            self.out.push_str(v);
        }
    }

    pub fn finish(self) -> String {
        self.out
    }
}

/// A list in one header: items joined by `, `; items holding a comma or a quote are quoted.
pub fn header_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    items
        .into_iter()
        .map(|s| {
            if s.contains(',') || s.contains('"') {
                format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
            } else {
                s.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Splits a header list, honouring quoted items.
pub fn split_header_list(value: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '\\' if quoted => {
                if let Some(next) = chars.next() {
                    current.push(next);
                }
            }
            ',' if !quoted => {
                items.push(current.trim().to_string());
                current.clear();
            }
            // Spaces inside quotes are part of the item; outside they are trimmed below.
            _ => current.push(c),
        }
    }
    items.push(current.trim().to_string());
    items
}

/// Header timestamps are HTTP dates unless the member says otherwise.
pub fn header_timestamp(value: &str, format: Format) -> Result<DateTime, DeserializeError> {
    DateTime::parse(value, format).map_err(|e| DeserializeError::new(e.to_string()))
}

/// Parses a header value as a number or boolean.
pub fn header_parse<T: std::str::FromStr>(value: &str) -> Result<T, DeserializeError> {
    value.trim().parse().map_err(|_| {
        DeserializeError::new(format!(
            "header value {value:?} is not a valid {}",
            std::any::type_name::<T>()
        ))
    })
}

/// Floats in labels, queries and headers: `NaN`, `Infinity`, `-Infinity` spelled out; a whole
/// number keeps its `.0` (`12.0`), as botocore writes a float.
pub fn float_text(v: f64) -> String {
    if v.is_nan() {
        "NaN".to_string()
    } else if v.is_infinite() {
        if v > 0.0 { "Infinity" } else { "-Infinity" }.to_string()
    } else {
        with_point(v.to_string())
    }
}

fn with_point(text: String) -> String {
    if text.contains(['.', 'e']) {
        text
    } else {
        text + ".0"
    }
}

/// A 32-bit `float` the same way, in its own shortest form (`17.1`, not the `f64` widening's
/// `17.100000381469727`), as botocore writes the number it was given.
pub fn float32_text(v: f32) -> String {
    if v.is_finite() {
        with_point(v.to_string())
    } else {
        float_text(f64::from(v))
    }
}

pub fn base64(v: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(v)
}

/// `Content-MD5` of a body (`@httpChecksumRequired` under the Smithy profile): its MD5, base64.
pub fn content_md5(body: &[u8]) -> String {
    use md5::Digest as _;
    base64(&md5::Md5::digest(body))
}

/// `x-amz-checksum-crc32` of a body (`@httpChecksumRequired` as botocore 1.36 and later sends
/// it): its CRC32, big-endian, base64.
pub fn checksum_crc32(body: &[u8]) -> String {
    base64(&crc32fast::hash(body).to_be_bytes())
}

/// Glacier's `x-amz-sha256-tree-hash` of a body, in lower-case hex: the SHA-256 of each MiB,
/// then of each pair of hashes, level by level (an odd one out goes up as it is), until one
/// is left. An empty body is the SHA-256 of nothing.
pub fn glacier_tree_hash(body: &[u8]) -> String {
    use sha2::Digest as _;
    const MIB: usize = 1 << 20;
    if body.is_empty() {
        return super::sigv4::payload_hash(body);
    }
    let mut level: Vec<[u8; 32]> = body
        .chunks(MIB)
        .map(|c| sha2::Sha256::digest(c).into())
        .collect();
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|pair| match pair {
                [a, b] => {
                    let mut h = sha2::Sha256::new();
                    h.update(a);
                    h.update(b);
                    h.finalize().into()
                }
                [a] => *a,
                _ => unreachable!("chunks of two"),
            })
            .collect();
    }
    hex::encode(level[0])
}

/// Text sent base64-encoded (a string with a `@mediaType` in a header).
pub fn from_base64_text(v: &str) -> Result<String, DeserializeError> {
    String::from_utf8(from_base64(v)?)
        .map_err(|_| DeserializeError::new("base64 text is not UTF-8"))
}

pub fn from_base64(v: &str) -> Result<Vec<u8>, DeserializeError> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(v.trim())
        .map_err(|e| DeserializeError::new(format!("invalid base64: {e}")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn floats_are_written_as_botocore_writes_them() {
        assert_eq!(super::float32_text(17.1), "17.1");
        assert_eq!(super::float32_text(12.0), "12.0");
        assert_eq!(super::float_text(-0.5), "-0.5");
        assert_eq!(super::float_text(3.0), "3.0");
        assert_eq!(super::float_text(f64::NAN), "NaN");
        assert_eq!(super::float32_text(f32::NEG_INFINITY), "-Infinity");
    }

    #[test]
    fn glacier_tree_hashes_are_botocores() {
        // `botocore.utils.calculate_tree_hash` of the same bytes (botocore 1.43.11).
        let body: Vec<u8> = (0..3 * 1024 * 1024 + 512 * 1024)
            .map(|i: u32| (i % 251) as u8)
            .collect();
        assert_eq!(
            super::glacier_tree_hash(&body),
            "390f48176c50ae5a31f92724791e509d8f66d26ba3305714d153f6d01be83289"
        );
        assert_eq!(
            super::glacier_tree_hash(&body[..1024 * 1024]),
            "631b84027d6b9e52b539c4e8373622d23032dfadc64d60af87339c9037e4f769"
        );
        assert_eq!(
            super::glacier_tree_hash(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn body_checksums_are_base64_of_the_digest() {
        // RFC 1321's empty input; CRC-32/ISO-HDLC of "hello world" is 0x0d4a1185.
        assert_eq!(super::content_md5(b""), "1B2M2Y8AsgTpgAmY7PhCfg==");
        assert_eq!(super::checksum_crc32(b"hello world"), "DUoRhQ==");
        assert_eq!(super::checksum_crc32(b""), "AAAAAA==");
    }

    use super::*;

    #[test]
    fn encodes_labels_and_queries() {
        assert_eq!(encode_label("a b/c", false), "a%20b%2Fc");
        assert_eq!(encode_label("a b/c", true), "a%20b/c");
        let mut q = QueryWriter::new();
        q.push("k", Some("v&w"));
        q.push("flag", None);
        assert_eq!(q.finish(), "k=v%26w&flag");
    }

    #[test]
    fn header_lists_round_trip() {
        let joined = header_list(["a", "b,c", "d\"e"]);
        assert_eq!(joined, r#"a, "b,c", "d\"e""#);
        assert_eq!(split_header_list(&joined), ["a", "b,c", "d\"e"]);
    }
}
