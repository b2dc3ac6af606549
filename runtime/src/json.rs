//! JSON for the AWS JSON protocols: a small streaming writer for request bodies (keys in model
//! order, compact), written straight into the body's bytes, and the error every reader gives.
//! Response bodies are read by `json_read`, in one pass.

use base64::Engine as _;
use std::fmt;

use super::datetime::{DateTime, Format};

pub use serde_json::{Map, Value};

/// Writes compact JSON into a byte buffer. The generated serializers call it in model order.
#[derive(Default)]
pub struct JsonWriter {
    out: Vec<u8>,
    /// Objects and arrays open around the next value.
    depth: usize,
    /// A key was just written: its value takes no comma.
    after_key: bool,
    /// A document for people (`for_document`): members under their model names, timestamps
    /// as ISO-8601 strings; the wire's names and formats otherwise.
    document: bool,
}

impl JsonWriter {
    pub fn new() -> Self {
        JsonWriter {
            // Most request bodies fit: one allocation.
            out: Vec::with_capacity(128),
            ..Self::default()
        }
    }

    /// A writer for documents shown to people (`output_to_json`): keyed by member names,
    /// timestamps as ISO-8601 strings, the rest as on the wire.
    pub fn for_document() -> Self {
        JsonWriter {
            document: true,
            ..Self::new()
        }
    }

    pub fn finish(self) -> Vec<u8> {
        self.out
    }

    fn before_value(&mut self) {
        if std::mem::take(&mut self.after_key) || self.depth == 0 {
            return;
        }
        // Inside a container, a value follows either its opening bracket or another value.
        if !matches!(self.out.last(), Some(b'{' | b'[')) {
            self.out.push(b',');
        }
    }

    pub fn begin_object(&mut self) {
        self.before_value();
        self.out.push(b'{');
        self.depth += 1;
    }

    pub fn end_object(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        self.out.push(b'}');
    }

    pub fn begin_array(&mut self) {
        self.before_value();
        self.out.push(b'[');
        self.depth += 1;
    }

    pub fn end_array(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        self.out.push(b']');
    }

    /// An object key; the value written next belongs to it.
    /// The key of a member with a wire name of its own (`@jsonName`): `wire`, or `member` in
    /// a document (`for_document`).
    pub fn member_key(&mut self, wire: &str, member: &str) {
        if self.document {
            self.key(member)
        } else {
            self.key(wire)
        }
    }

    pub fn key(&mut self, key: &str) {
        self.before_value();
        self.write_escaped(key);
        self.out.push(b':');
        self.after_key = true;
    }

    fn write_escaped(&mut self, s: &str) {
        // serde_json's escaping is the reference; writing into a Vec cannot fail.
        serde_json::to_writer(&mut self.out, s).expect("writing JSON into a Vec cannot fail");
    }

    pub fn string(&mut self, s: &str) {
        self.before_value();
        self.write_escaped(s);
    }

    pub fn bool(&mut self, v: bool) {
        self.before_value();
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
    }

    pub fn null(&mut self) {
        self.before_value();
        self.out.extend_from_slice(b"null");
    }

    pub fn integer(&mut self, v: i64) {
        self.before_value();
        // Formatted in place: no string per number.
        use std::io::Write as _;
        write!(self.out, "{v}").expect("writing into a Vec cannot fail");
    }

    /// Non-finite values are strings on the wire: `"NaN"`, `"Infinity"`, `"-Infinity"`.
    pub fn float(&mut self, v: f64) {
        if v.is_nan() {
            self.string("NaN")
        } else if v.is_infinite() {
            self.string(if v > 0.0 { "Infinity" } else { "-Infinity" })
        } else {
            self.before_value();
            serde_json::to_writer(&mut self.out, &v).expect("writing JSON into a Vec cannot fail");
        }
    }

    /// A 32-bit float in its own shortest form (`-420718.62`, as the caller wrote it), not
    /// widened to the `f64` digits of the same value (`-420718.625`).
    pub fn float32(&mut self, v: f32) {
        if v.is_finite() {
            self.before_value();
            serde_json::to_writer(&mut self.out, &v).expect("writing JSON into a Vec cannot fail");
        } else {
            self.float(f64::from(v))
        }
    }

    /// `bigInteger` / `bigDecimal` text, written as a bare JSON number.
    pub fn number_text(&mut self, v: &str) {
        self.before_value();
        self.out.extend_from_slice(v.as_bytes());
    }

    pub fn blob(&mut self, v: &[u8]) {
        self.string(&base64::engine::general_purpose::STANDARD.encode(v));
    }

    pub fn timestamp(&mut self, v: &DateTime, format: Format) {
        let format = if self.document {
            Format::DateTime
        } else {
            format
        };
        match format {
            Format::EpochSeconds => {
                let text = v.fmt(format);
                self.number_text(&text)
            }
            _ => self.string(&v.fmt(format)),
        }
    }

    pub fn document(&mut self, v: &Value) {
        self.before_value();
        serde_json::to_writer(&mut self.out, v).expect("writing JSON into a Vec cannot fail");
    }
}

/// Why a response body could not be read: where (a path of model member names) and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeserializeError {
    path: Vec<String>,
    message: String,
}

impl DeserializeError {
    pub fn new(message: impl Into<String>) -> Self {
        DeserializeError {
            path: Vec::new(),
            message: message.into(),
        }
    }

    /// Prefixes a path segment (a member name, `[3]` or `["key"]`) as the error bubbles up.
    pub fn at(mut self, segment: impl Into<String>) -> Self {
        self.path.push(segment.into());
        self
    }

    pub fn path(&self) -> String {
        let mut out = String::new();
        for seg in self.path.iter().rev() {
            if !out.is_empty() && !seg.starts_with('[') {
                out.push('.');
            }
            out.push_str(seg);
        }
        out
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for DeserializeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path(), self.message)
        }
    }
}

impl std::error::Error for DeserializeError {}

/// Parses a whole body. An empty body reads as `{}` (AWS sends none for empty outputs).
pub fn parse_body(body: &[u8]) -> Result<Value, DeserializeError> {
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(Value::Object(Map::new()));
    }
    serde_json::from_slice(body).map_err(|e| DeserializeError::new(format!("invalid JSON: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writer_places_commas_and_colons() {
        let mut w = JsonWriter::new();
        w.begin_object();
        w.key("a");
        w.string("x\"y");
        w.key("b");
        w.begin_array();
        w.integer(1);
        w.float(f64::NAN);
        w.begin_object();
        w.end_object();
        w.end_array();
        w.key("c");
        w.begin_object();
        w.key("d");
        w.bool(true);
        w.end_object();
        w.key("t");
        w.timestamp(
            &DateTime::from_secs_and_nanos(1, 500_000_000),
            Format::EpochSeconds,
        );
        w.key("e");
        w.blob(b"hi");
        w.end_object();
        assert_eq!(
            String::from_utf8(w.finish()).unwrap(),
            r#"{"a":"x\"y","b":[1,"NaN",{}],"c":{"d":true},"t":1.5,"e":"aGk="}"#
        );
    }

    #[test]
    fn brackets_inside_strings_do_not_look_like_open_containers() {
        let mut w = JsonWriter::new();
        w.begin_array();
        w.string("[");
        w.string("{");
        w.begin_object();
        w.key("[");
        w.begin_array();
        w.end_array();
        w.key("k");
        w.string("");
        w.end_object();
        w.end_array();
        assert_eq!(
            String::from_utf8(w.finish()).unwrap(),
            r#"["[","{",{"[":[],"k":""}]"#
        );
    }

    #[test]
    fn floats_32_bits_wide_keep_their_own_shortest_form() {
        let mut w = JsonWriter::new();
        w.begin_array();
        w.float32(-420_718.62);
        w.float32(1.0);
        w.float32(f32::NAN);
        w.end_array();
        assert_eq!(w.finish(), br#"[-420718.62,1.0,"NaN"]"#);
    }

    #[test]
    fn document_writer_spells_timestamps_in_iso_8601() {
        let mut w = JsonWriter::for_document();
        w.timestamp(
            &DateTime::from_secs_and_nanos(1_551_490_071, 498_000_000),
            Format::EpochSeconds,
        );
        assert_eq!(
            String::from_utf8(w.finish()).unwrap(),
            r#""2019-03-02T01:27:51.498Z""#
        );
    }

    #[test]
    fn empty_bodies_read_as_an_empty_object() {
        assert_eq!(parse_body(b"").unwrap(), serde_json::json!({}));
        assert_eq!(parse_body(b" \n").unwrap(), serde_json::json!({}));
        assert!(parse_body(b"<html>").is_err());
    }
}
