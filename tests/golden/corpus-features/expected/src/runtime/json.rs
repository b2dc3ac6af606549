// @generated: a verbatim copy of `runtime/src/json.rs` of smithy-lite-runtime.
// Do not edit: run `cargo xtask codegen`.

//! JSON for the AWS JSON protocols: a small streaming writer for request bodies (keys in model
//! order, compact) and typed readers over `serde_json::Value` for response bodies. Readers are
//! strict on types: a wrong type is an error naming the path, never a panic. Tolerance (unknown
//! keys skipped, null read as absent) is the generated code's job, member by member.

use base64::Engine as _;
use std::fmt;

use super::datetime::{DateTime, Format};

pub use serde_json::{Map, Value};

/// Writes compact JSON into a byte buffer. The generated serializers call it in model order.
#[derive(Default)]
pub struct JsonWriter {
    out: Vec<u8>,
    /// One entry per open object/array: has it got an element yet?
    open: Vec<bool>,
    /// A key was just written: its value takes no comma.
    after_key: bool,
    /// Document mode writes every timestamp in this format instead of the wire's.
    timestamps_as: Option<Format>,
}

impl JsonWriter {
    pub fn new() -> Self {
        Self::default()
    }

    /// A writer for documents shown to people (`output_to_json`): timestamps as ISO-8601
    /// strings, the rest as on the wire.
    pub fn for_document() -> Self {
        JsonWriter {
            timestamps_as: Some(Format::DateTime),
            ..Self::default()
        }
    }

    pub fn finish(self) -> Vec<u8> {
        self.out
    }

    fn before_value(&mut self) {
        if std::mem::take(&mut self.after_key) {
            return;
        }
        if let Some(has_element) = self.open.last_mut() {
            if *has_element {
                self.out.push(b',');
            }
            *has_element = true;
        }
    }

    pub fn begin_object(&mut self) {
        self.before_value();
        self.out.push(b'{');
        self.open.push(false);
    }

    pub fn end_object(&mut self) {
        self.open.pop();
        self.out.push(b'}');
    }

    pub fn begin_array(&mut self) {
        self.before_value();
        self.out.push(b'[');
        self.open.push(false);
    }

    pub fn end_array(&mut self) {
        self.open.pop();
        self.out.push(b']');
    }

    /// An object key; the value written next belongs to it.
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
        self.out.extend_from_slice(v.to_string().as_bytes());
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

    /// `bigInteger` / `bigDecimal` text, written as a bare JSON number.
    pub fn number_text(&mut self, v: &str) {
        self.before_value();
        self.out.extend_from_slice(v.as_bytes());
    }

    pub fn blob(&mut self, v: &[u8]) {
        self.string(&base64::engine::general_purpose::STANDARD.encode(v));
    }

    pub fn timestamp(&mut self, v: &DateTime, format: Format) {
        let format = self.timestamps_as.unwrap_or(format);
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

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn wrong_type(expected: &str, v: &Value) -> DeserializeError {
    DeserializeError::new(format!("expected {expected}, found {}", type_name(v)))
}

/// Parses a whole body. An empty body reads as `{}` (AWS sends none for empty outputs).
pub fn parse_body(body: &[u8]) -> Result<Value, DeserializeError> {
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(Value::Object(Map::new()));
    }
    serde_json::from_slice(body).map_err(|e| DeserializeError::new(format!("invalid JSON: {e}")))
}

pub fn object(v: &Value) -> Result<&Map<String, Value>, DeserializeError> {
    v.as_object().ok_or_else(|| wrong_type("an object", v))
}

pub fn array(v: &Value) -> Result<&Vec<Value>, DeserializeError> {
    v.as_array().ok_or_else(|| wrong_type("an array", v))
}

pub fn string(v: &Value) -> Result<String, DeserializeError> {
    v.as_str()
        .map(str::to_owned)
        .ok_or_else(|| wrong_type("a string", v))
}

pub fn bool(v: &Value) -> Result<bool, DeserializeError> {
    v.as_bool().ok_or_else(|| wrong_type("a boolean", v))
}

/// An integral JSON number that fits `T` (`i8` .. `i64`).
pub fn integer<T: TryFrom<i64>>(v: &Value) -> Result<T, DeserializeError> {
    let n = match v {
        Value::Number(n) => n
            .as_i64()
            .ok_or_else(|| DeserializeError::new(format!("expected an integer, found {n}")))?,
        _ => return Err(wrong_type("an integer", v)),
    };
    T::try_from(n).map_err(|_| {
        DeserializeError::new(format!(
            "{n} is out of range for {}",
            std::any::type_name::<T>()
        ))
    })
}

/// A JSON number, or one of the strings `NaN`, `Infinity`, `-Infinity`.
pub fn float(v: &Value) -> Result<f64, DeserializeError> {
    match v {
        Value::Number(n) => n
            .as_f64()
            .ok_or_else(|| DeserializeError::new(format!("{n} is not a finite number"))),
        Value::String(s) => match s.as_str() {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            _ => Err(DeserializeError::new(format!(
                "expected a number, found the string {s:?}"
            ))),
        },
        _ => Err(wrong_type("a number", v)),
    }
}

/// `bigInteger` / `bigDecimal`: the number's text, exactly as sent.
pub fn number_text(v: &Value) -> Result<String, DeserializeError> {
    match v {
        Value::Number(n) => Ok(n.to_string()),
        _ => Err(wrong_type("a number", v)),
    }
}

pub fn blob(v: &Value) -> Result<Vec<u8>, DeserializeError> {
    let s = v.as_str().ok_or_else(|| wrong_type("a base64 string", v))?;
    base64::engine::general_purpose::STANDARD
        .decode(s)
        .map_err(|e| DeserializeError::new(format!("invalid base64: {e}")))
}

/// Epoch seconds are numbers on the wire; the other formats are strings.
pub fn timestamp(v: &Value, format: Format) -> Result<DateTime, DeserializeError> {
    match (format, v) {
        (Format::EpochSeconds, Value::Number(n)) => {
            let f = n
                .as_f64()
                .ok_or_else(|| DeserializeError::new(format!("{n} is not a timestamp")))?;
            Ok(DateTime::from_secs_f64(f))
        }
        // Documents written by people (`--cli-input-json`) spell timestamps as ISO-8601.
        (Format::EpochSeconds, Value::String(s)) => DateTime::parse(s, Format::DateTime)
            .map_err(|_| wrong_type("epoch seconds (a number)", v)),
        (Format::EpochSeconds, _) => Err(wrong_type("epoch seconds (a number)", v)),
        (_, Value::String(s)) => {
            DateTime::parse(s, format).map_err(|e| DeserializeError::new(e.to_string()))
        }
        _ => Err(wrong_type("a timestamp string", v)),
    }
}

/// A dense list: nulls are skipped, as AWS SDKs do.
pub fn list<T>(
    v: &Value,
    item: impl Fn(&Value) -> Result<T, DeserializeError>,
) -> Result<Vec<T>, DeserializeError> {
    array(v)?
        .iter()
        .enumerate()
        .filter(|(_, x)| !x.is_null())
        .map(|(i, x)| item(x).map_err(|e| e.at(format!("[{i}]"))))
        .collect()
}

/// A `@sparse` list: nulls are kept as `None`.
pub fn sparse_list<T>(
    v: &Value,
    item: impl Fn(&Value) -> Result<T, DeserializeError>,
) -> Result<Vec<Option<T>>, DeserializeError> {
    array(v)?
        .iter()
        .enumerate()
        .map(|(i, x)| {
            if x.is_null() {
                Ok(None)
            } else {
                item(x).map(Some).map_err(|e| e.at(format!("[{i}]")))
            }
        })
        .collect()
}

/// A dense map: entries with a null value are skipped.
pub fn map<K: Ord, T>(
    v: &Value,
    key: impl Fn(&str) -> K,
    value: impl Fn(&Value) -> Result<T, DeserializeError>,
) -> Result<std::collections::BTreeMap<K, T>, DeserializeError> {
    object(v)?
        .iter()
        .filter(|(_, x)| !x.is_null())
        .map(|(k, x)| Ok((key(k), value(x).map_err(|e| e.at(format!("[{k:?}]")))?)))
        .collect()
}

/// A `@sparse` map: null values are kept as `None`.
pub fn sparse_map<K: Ord, T>(
    v: &Value,
    key: impl Fn(&str) -> K,
    value: impl Fn(&Value) -> Result<T, DeserializeError>,
) -> Result<std::collections::BTreeMap<K, Option<T>>, DeserializeError> {
    object(v)?
        .iter()
        .map(|(k, x)| {
            let parsed = if x.is_null() {
                None
            } else {
                Some(value(x).map_err(|e| e.at(format!("[{k:?}]")))?)
            };
            Ok((key(k), parsed))
        })
        .collect()
}

/// Reads member `name` of a structure: absent and null both give `None`.
pub fn member<T>(
    obj: &Map<String, Value>,
    name: &str,
    read: impl Fn(&Value) -> Result<T, DeserializeError>,
) -> Result<Option<T>, DeserializeError> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => read(v).map(Some).map_err(|e| e.at(name)),
    }
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
    fn readers_reject_wrong_types_with_a_path() {
        let v: Value = serde_json::json!({"n": "12"});
        let err = integer::<i32>(&v["n"]).unwrap_err().at("n").at("Outer");
        assert_eq!(
            err.to_string(),
            "Outer.n: expected an integer, found a string"
        );
        assert!(integer::<i32>(&serde_json::json!(1e3)).is_err());
        assert!(integer::<i8>(&serde_json::json!(300)).is_err());
        assert_eq!(integer::<i64>(&serde_json::json!(-5)).unwrap(), -5);
        assert!(float(&serde_json::json!("Infinity")).unwrap().is_infinite());
        assert!(blob(&serde_json::json!("!!")).is_err());
        assert_eq!(parse_body(b"").unwrap(), serde_json::json!({}));
        assert!(parse_body(b"<html>").is_err());
    }
}
