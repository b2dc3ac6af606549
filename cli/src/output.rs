//! What `kvs` prints and writes: JSON in the AWS CLI's layout, a dry run's request, streaming
//! payloads and images written to files.

use std::collections::BTreeSet;
use std::fmt;
use std::io::Write;
use std::path::Path;

use base64::Engine as _;
use serde_json::Value;

use kinesis_video::runtime::byte_stream::ByteStream;

use crate::service::{Failure, Request};

/// Compact JSON re-indented with the AWS CLI's 4 spaces, keys kept in model order (a
/// `serde_json::Value` would sort them).
pub(crate) fn pretty(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::with_capacity(text.len() * 2);
    let mut depth = 0usize;
    let (mut in_string, mut escaped) = (false, false);
    let mut chars = text.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.push_str(&"    ".repeat(depth));
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                // Empty containers stay on one line: `{}`, `[]`.
                if matches!(chars.peek(), Some('}') | Some(']')) {
                    out.push(chars.next().expect("peeked"));
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out.push('\n');
    out
}

pub(crate) fn render_request(request: &Request) -> String {
    let (_, after_scheme) = request.url.split_once("://").unwrap_or(("", &request.url));
    let target = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
    let mut text = format!("{} {target} HTTP/1.1\n", request.method);
    for (name, value) in &request.headers {
        text.push_str(&format!("{name}: {value}\n"));
    }
    text.push('\n');
    text.push_str(&String::from_utf8_lossy(&request.body));
    text.push('\n');
    text
}

/// Copies the payload into `path` chunk by chunk; never holds it whole.
pub(crate) async fn write_payload(
    payload: &mut ByteStream,
    path: &Path,
    member: &str,
) -> Result<u64, Failure> {
    let mut file = std::fs::File::create(path).map_err(|e| {
        Failure::Other(format!(
            "\nkvs: cannot create outfile {}: {e}",
            path.display()
        ))
    })?;
    let mut written = 0u64;
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| {
            Failure::Other(format!(
                "\nkvs: the {member} stream broke after {written} bytes were written to {} (an incomplete file): {e}",
                path.display()
            ))
        })?;
        file.write_all(&chunk).map_err(|e| {
            Failure::Other(format!(
                "\nkvs: writing {} failed after {written} bytes: {e}",
                path.display()
            ))
        })?;
        written += chunk.len() as u64;
    }
    file.flush()
        .map_err(|e| Failure::Other(format!("\nkvs: writing {} failed: {e}", path.display())))?;
    Ok(written)
}

/// JSON that keeps its object keys in document order (`serde_json::Value` sorts them without
/// the `preserve_order` feature, which would change the generated crates' maps too).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Json {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl<'de> serde::Deserialize<'de> for Json {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Json;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("JSON")
            }
            fn visit_unit<E>(self) -> Result<Json, E> {
                Ok(Json::Null)
            }
            fn visit_bool<E>(self, b: bool) -> Result<Json, E> {
                Ok(Json::Bool(b))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Json, E> {
                Ok(Json::Number(n.into()))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Json, E> {
                Ok(Json::Number(n.into()))
            }
            fn visit_f64<E>(self, n: f64) -> Result<Json, E> {
                Ok(serde_json::Number::from_f64(n).map_or(Json::Null, Json::Number))
            }
            fn visit_str<E>(self, s: &str) -> Result<Json, E> {
                Ok(Json::String(s.to_string()))
            }
            fn visit_string<E>(self, s: String) -> Result<Json, E> {
                Ok(Json::String(s))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Json, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = a.next_element()? {
                    items.push(item);
                }
                Ok(Json::Array(items))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> Result<Json, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = a.next_entry()? {
                    entries.push(entry);
                }
                Ok(Json::Object(entries))
            }
        }
        d.deserialize_any(V)
    }
}

impl Json {
    fn get_mut(&mut self, key: &str) -> Option<&mut Json> {
        match self {
            Json::Object(entries) => entries.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// Compact JSON, keys in their order.
    fn write(&self, out: &mut String) {
        let quoted = |s: &str| serde_json::to_string(s).expect("a string serializes");
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Number(n) => out.push_str(&n.to_string()),
            Json::String(s) => out.push_str(&quoted(s)),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Object(entries) => {
                out.push('{');
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&quoted(k));
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// A file name made only of characters safe on every file system (a timestamp's `:` becomes
/// `-`), so a service's answer cannot name a path outside the directory.
pub(crate) fn safe_name(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '-'
            }
        })
        .collect::<String>()
        .trim_start_matches('.')
        .to_string()
}

/// Writes each image's decoded `ImageContent` into `dir` and puts `ImageFile` (the path) in
/// its place; returns the document to print.
pub(crate) fn write_images(document: &[u8], dir: &Path, input: &Value) -> Result<Vec<u8>, Failure> {
    let mut doc: Json = serde_json::from_slice(document)
        .map_err(|e| Failure::Other(format!("\nkvs: the GetImages output is not JSON: {e}")))?;
    let ext = input
        .get("Format")
        .and_then(Value::as_str)
        .map(|f| safe_name(&f.to_ascii_lowercase()))
        .filter(|f| !f.is_empty())
        .unwrap_or_else(|| "img".to_string());
    std::fs::create_dir_all(dir)
        .map_err(|e| Failure::Other(format!("\nkvs: cannot create {}: {e}", dir.display())))?;
    let mut used = BTreeSet::new();
    if let Some(Json::Array(images)) = doc.get_mut("Images") {
        for (index, image) in images.iter_mut().enumerate() {
            let Json::Object(entries) = image else {
                continue;
            };
            let Some(at) = entries.iter().position(|(k, _)| k == "ImageContent") else {
                // An image with an Error has no content.
                continue;
            };
            let content = entries[at].1.as_str().unwrap_or_default();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(content)
                .map_err(|e| {
                    Failure::Other(format!(
                        "\nkvs: the ImageContent of image {} is not base64: {e}",
                        index + 1
                    ))
                })?;
            let stem = entries
                .iter()
                .find(|(k, _)| k == "TimeStamp")
                .and_then(|(_, v)| v.as_str())
                .map(safe_name)
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| format!("image-{}", index + 1));
            let mut name = format!("{stem}.{ext}");
            let mut n = 2;
            while !used.insert(name.clone()) {
                name = format!("{stem}-{n}.{ext}");
                n += 1;
            }
            let path = dir.join(&name);
            std::fs::write(&path, &bytes).map_err(|e| {
                Failure::Other(format!("\nkvs: cannot write {}: {e}", path.display()))
            })?;
            entries[at] = (
                "ImageFile".to_string(),
                Json::String(path.display().to_string()),
            );
        }
    }
    let mut out = String::new();
    doc.write(&mut out);
    Ok(out.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordered_json_round_trips_in_document_order() {
        let text = r#"{"b":1,"a":[true,null,"x\"y",2.5,-3],"c":{"z":{},"y":[]}}"#;
        let doc: Json = serde_json::from_str(text).unwrap();
        let mut out = String::new();
        doc.write(&mut out);
        assert_eq!(out, text);
    }

    #[test]
    fn image_names_are_safe() {
        assert_eq!(
            safe_name("2024-01-02T03:04:05.678Z"),
            "2024-01-02T03-04-05.678Z"
        );
        assert_eq!(safe_name("../../etc/passwd"), "-..-etc-passwd");
    }
}
