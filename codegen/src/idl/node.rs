//! Node values: the JSON-like values of trait values and metadata, with object keys kept in the
//! order they were written (a `serde_json::Value` without `preserve_order` sorts them, which would
//! reorder structure members).

use std::fmt::{self, Write as _};

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use super::defs::Ref;

/// A number as written: integers stay integers (`1` and `1.0` are different values, as in
/// Smithy's own node model).
#[derive(Clone, Debug)]
pub enum Number {
    Int(i64),
    Float(f64),
    /// An integer too large for `i64`, as written.
    BigInt(String),
    /// A decimal beyond the range of `f64`, as `digitsEexponent` (`2e+308` is `2E308`).
    BigDecimal(String),
}

impl PartialEq for Number {
    fn eq(&self, other: &Number) -> bool {
        match (self, other) {
            (Number::Int(a), Number::Int(b)) => a == b,
            (Number::Float(a), Number::Float(b)) => a.to_bits() == b.to_bits() || a == b,
            (Number::BigInt(a), Number::BigInt(b)) => a == b,
            (Number::BigDecimal(a), Number::BigDecimal(b)) => a == b,
            _ => false,
        }
    }
}

impl Number {
    /// Parses a number lexeme of the IDL grammar (`-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`).
    pub fn from_lexeme(lexeme: &str) -> Number {
        if lexeme.contains(['.', 'e', 'E']) {
            match lexeme.parse::<f64>() {
                Ok(f) if f.is_finite() => Number::Float(f),
                _ => Number::BigDecimal(canonical_decimal(lexeme)),
            }
        } else {
            match lexeme.parse::<i64>() {
                Ok(i) => Number::Int(i),
                Err(_) => Number::BigInt(lexeme.to_string()),
            }
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Number::Int(i) => Some(*i),
            _ => None,
        }
    }

    pub fn is_zero(&self) -> bool {
        match self {
            Number::Int(i) => *i == 0,
            Number::Float(f) => *f == 0.0,
            Number::BigInt(_) | Number::BigDecimal(_) => false,
        }
    }
}

/// `-?digits(.digits)?([eE][+-]?digits)?` as `-?DIGITSEexp` with no leading or trailing zeros
/// in the digits, so that equal numbers written differently compare equal.
fn canonical_decimal(lexeme: &str) -> String {
    let (negative, rest) = match lexeme.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, lexeme),
    };
    let (mantissa, exp) = match rest.find(['e', 'E']) {
        Some(i) => (&rest[..i], rest[i + 1..].parse::<i64>().unwrap_or(0)),
        None => (rest, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut digits: String = format!("{int}{frac}").trim_start_matches('0').to_string();
    let mut exp = exp - frac.len() as i64;
    while digits.ends_with('0') {
        digits.pop();
        exp += 1;
    }
    if digits.is_empty() {
        return "0".to_string();
    }
    format!("{}{digits}E{exp}", if negative { "-" } else { "" })
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Int(i) => write!(f, "{i}"),
            Number::Float(x) => match serde_json::Number::from_f64(*x) {
                Some(n) => write!(f, "{n}"),
                // NaN and infinities have no JSON form; the IDL grammar cannot write them.
                None => f.write_str("null"),
            },
            Number::BigInt(s) | Number::BigDecimal(s) => f.write_str(s),
        }
    }
}

/// A node value.
#[derive(Clone, Debug)]
pub enum Node {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Node>),
    /// Entries in the order written; keys are unique.
    Object(Vec<(String, Node)>),
    /// A syntactic shape id (an unquoted string in the IDL) before the assembler resolves it to
    /// an absolute shape id string. No assembled model contains one.
    ShapeId(Box<Ref>),
}

impl PartialEq for Node {
    /// Objects compare as maps (order does not matter), as in Smithy's node model.
    fn eq(&self, other: &Node) -> bool {
        match (self, other) {
            (Node::Null, Node::Null) => true,
            (Node::Bool(a), Node::Bool(b)) => a == b,
            (Node::Number(a), Node::Number(b)) => a == b,
            (Node::String(a), Node::String(b)) => a == b,
            (Node::Array(a), Node::Array(b)) => a == b,
            (Node::Object(a), Node::Object(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .all(|(k, v)| b.iter().any(|(k2, v2)| k == k2 && v == v2))
            }
            (Node::ShapeId(a), Node::ShapeId(b)) => a.text == b.text,
            _ => false,
        }
    }
}

impl Node {
    pub fn object() -> Node {
        Node::Object(Vec::new())
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::String(s) => Some(s),
            _ => None,
        }
    }

    /// The name of the value's type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Node::Null => "null",
            Node::Bool(_) => "boolean",
            Node::Number(_) => "number",
            Node::String(_) | Node::ShapeId(_) => "string",
            Node::Array(_) => "array",
            Node::Object(_) => "object",
        }
    }

    /// Compact JSON, as in Smithy's messages.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        write_json(self, None, 0, &mut out);
        out
    }

    /// JSON indented by four spaces (the layout of `smithy ast`), keys in the node's order.
    pub fn to_json_pretty(&self) -> String {
        let mut out = String::new();
        write_json(self, Some(4), 0, &mut out);
        out
    }

    /// The same value as a `serde_json::Value` (object keys then sort, see the module docs).
    pub fn to_value(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Number(Number::Int(i)) => Value::from(*i),
            Node::Number(Number::Float(f)) => {
                serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number)
            }
            Node::Number(Number::BigInt(s) | Number::BigDecimal(s)) => s
                .parse::<serde_json::Number>()
                .map_or_else(|_| Value::String(s.clone()), Value::Number),
            Node::String(s) => Value::String(s.clone()),
            Node::ShapeId(r) => Value::String(r.text.clone()),
            Node::Array(items) => Value::Array(items.iter().map(Node::to_value).collect()),
            Node::Object(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_value()))
                    .collect(),
            ),
        }
    }

    /// The node with the keys of every object sorted (Smithy sorts metadata this way).
    pub fn deep_sorted(&self) -> Node {
        match self {
            Node::Array(items) => Node::Array(items.iter().map(Node::deep_sorted).collect()),
            Node::Object(entries) => {
                let mut sorted: Vec<(String, Node)> = entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.deep_sorted()))
                    .collect();
                sorted.sort_by(|a, b| a.0.cmp(&b.0));
                Node::Object(sorted)
            }
            other => other.clone(),
        }
    }
}

fn write_json(node: &Node, indent: Option<usize>, depth: usize, out: &mut String) {
    let newline = |out: &mut String, depth: usize| {
        if let Some(n) = indent {
            out.push('\n');
            out.push_str(&" ".repeat(n * depth));
        }
    };
    match node {
        Node::Null => out.push_str("null"),
        Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Node::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Node::String(s) => write_string(s, out),
        Node::ShapeId(r) => write_string(&r.text, out),
        Node::Array(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                write_json(item, indent, depth + 1, out);
            }
            newline(out, depth);
            out.push(']');
        }
        Node::Object(entries) => {
            if entries.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                write_string(k, out);
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                write_json(v, indent, depth + 1, out);
            }
            newline(out, depth);
            out.push('}');
        }
    }
}

fn write_string(s: &str, out: &mut String) {
    // serde_json's escaping of a plain string cannot fail.
    out.push_str(&serde_json::to_string(s).unwrap_or_default());
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Node, D::Error> {
        struct NodeVisitor;
        impl<'de> Visitor<'de> for NodeVisitor {
            type Value = Node;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
                Ok(Node::Null)
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<Node, E> {
                Ok(Node::Bool(b))
            }
            fn visit_i64<E: de::Error>(self, i: i64) -> Result<Node, E> {
                Ok(Node::Number(Number::Int(i)))
            }
            fn visit_u64<E: de::Error>(self, u: u64) -> Result<Node, E> {
                Ok(Node::Number(i64::try_from(u).map_or_else(
                    |_| Number::BigInt(u.to_string()),
                    Number::Int,
                )))
            }
            fn visit_f64<E: de::Error>(self, f: f64) -> Result<Node, E> {
                Ok(Node::Number(Number::Float(f)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Node, E> {
                Ok(Node::String(s.to_string()))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Node, E> {
                Ok(Node::String(s))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Node::Array(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
                let mut entries: Vec<(String, Node)> = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Node>()? {
                    if entries.iter().any(|(e, _)| *e == k) {
                        return Err(de::Error::custom(format!("duplicate key `{k}`")));
                    }
                    entries.push((k, v));
                }
                Ok(Node::Object(entries))
            }
        }
        d.deserialize_any(NodeVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trip_keeps_key_order_and_number_kinds() {
        let text = r#"{"b": 1, "a": [1.5, -2, true, null, "x\n"], "c": {}}"#;
        let node: Node = serde_json::from_str(text).unwrap();
        assert_eq!(
            node.to_json(),
            r#"{"b":1,"a":[1.5,-2,true,null,"x\n"],"c":{}}"#
        );
        assert_ne!(
            Node::Number(Number::Int(1)),
            Node::Number(Number::Float(1.0))
        );
    }

    #[test]
    fn objects_compare_as_maps() {
        let a: Node = serde_json::from_str(r#"{"a": 1, "b": 2}"#).unwrap();
        let b: Node = serde_json::from_str(r#"{"b": 2, "a": 1}"#).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn duplicate_keys_are_refused() {
        assert!(serde_json::from_str::<Node>(r#"{"a": 1, "a": 2}"#).is_err());
    }
}
