//! The shape of an operation's input document, for callers that build inputs from JSON (a
//! command line, a config file): which keys each level may have, so that a misspelt key is
//! refused instead of silently dropped.

use super::json::{DeserializeError, Value};

/// What a value of an input document is.
#[derive(Debug)]
pub enum Shape {
    /// A string, number, boolean, timestamp, blob, enum or document: no keys to check.
    Scalar,
    /// A structure or union: an object whose keys are the member names.
    Structure {
        name: &'static str,
        members: &'static [Member],
    },
    /// A list of the item shape.
    List(&'static Shape),
    /// A map with free keys and values of the value shape.
    Map(&'static Shape),
}

/// An input member: model name, kind (`string`, `integer`, `float`, `boolean`, `enum`,
/// `timestamp`, `blob`, `list`, `map`, `structure`, `union`, `document`, `number`), and the
/// shape of its value.
#[derive(Debug)]
pub struct Member {
    pub name: &'static str,
    pub kind: &'static str,
    pub required: bool,
    pub shape: &'static Shape,
}

/// Refuses every key of `value` that `shape` does not have, at any depth, naming each one and
/// the keys that would be valid there (in the AWS CLI's words). Values of the wrong type are
/// left to the input's reader, which names them.
pub fn check_keys(shape: &Shape, value: &Value) -> Result<(), DeserializeError> {
    let mut problems = Vec::new();
    walk(shape, value, "", &mut problems);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(DeserializeError::new(problems.join("\n")))
    }
}

fn walk(shape: &Shape, value: &Value, path: &str, problems: &mut Vec<String>) {
    match (shape, value) {
        (Shape::Structure { members, .. }, Value::Object(map)) => {
            for (key, v) in map {
                match members.iter().find(|m| m.name == key) {
                    Some(m) => {
                        let inner = if path.is_empty() {
                            key.clone()
                        } else {
                            format!("{path}.{key}")
                        };
                        walk(m.shape, v, &inner, problems);
                    }
                    None => {
                        let names: Vec<&str> = members.iter().map(|m| m.name).collect();
                        problems.push(format!(
                            "Unknown parameter in {}: \"{key}\", must be one of: {}",
                            if path.is_empty() { "input" } else { path },
                            names.join(", ")
                        ));
                    }
                }
            }
        }
        (Shape::List(item), Value::Array(items)) => {
            for (i, v) in items.iter().enumerate() {
                walk(item, v, &format!("{path}[{i}]"), problems);
            }
        }
        (Shape::Map(value_shape), Value::Object(map)) => {
            for (key, v) in map {
                walk(value_shape, v, &format!("{path}.{key}"), problems);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static FORMAT: Shape = Shape::Structure {
        name: "Format",
        members: &[Member {
            name: "Quality",
            kind: "integer",
            required: false,
            shape: &Shape::Scalar,
        }],
    };
    static INPUT: Shape = Shape::Structure {
        name: "Input",
        members: &[
            Member {
                name: "StreamName",
                kind: "string",
                required: false,
                shape: &Shape::Scalar,
            },
            Member {
                name: "Formats",
                kind: "list",
                required: false,
                shape: &Shape::List(&FORMAT),
            },
            Member {
                name: "ByName",
                kind: "map",
                required: false,
                shape: &Shape::Map(&FORMAT),
            },
        ],
    };

    fn check(json: &str) -> Result<(), String> {
        check_keys(&INPUT, &serde_json::from_str(json).unwrap()).map_err(|e| e.to_string())
    }

    #[test]
    fn known_keys_pass_at_every_level() {
        assert_eq!(
            check(r#"{"StreamName":"a","Formats":[{"Quality":1}],"ByName":{"x":{"Quality":2}}}"#),
            Ok(())
        );
    }

    #[test]
    fn unknown_keys_are_named_at_every_level() {
        let err = check(r#"{"StreamName":"a","StreamArn":"x"}"#).unwrap_err();
        assert!(
            err.contains(
                "Unknown parameter in input: \"StreamArn\", must be one of: StreamName, Formats, ByName"
            ),
            "{err}"
        );
        let err = check(r#"{"Formats":[{"Quality":1},{"Qualty":2}]}"#).unwrap_err();
        assert!(
            err.contains("Unknown parameter in Formats[1]: \"Qualty\", must be one of: Quality"),
            "{err}"
        );
        let err = check(r#"{"ByName":{"cam":{"quality":2}},"Other":1}"#).unwrap_err();
        assert!(err.contains("in ByName.cam: \"quality\""), "{err}");
        assert!(err.contains("in input: \"Other\""), "{err}");
    }
}
