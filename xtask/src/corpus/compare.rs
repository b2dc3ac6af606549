//! JSON comparison for the agreement phase: the first place two documents differ.

use std::collections::BTreeSet;

use serde_json::Value;
use smithy_lite_codegen::ir::{NamedType, Service, Type};
use smithy_lite_codegen::model::ShapeId;

/// The first place `ours` and `botocore` differ, or `None` when they are equal.
pub fn json_difference(at: &str, ours: &Value, botocore: &Value) -> Option<String> {
    difference(at, ours, botocore)
}

/// What a path of the document holds, for the comparisons that depend on the model.
#[derive(Clone, Copy)]
enum Shape<'a> {
    Structure(&'a ShapeId),
    Type(&'a Type),
}

/// Like [`json_difference`], walking structure `root` of `svc` alongside: a Smithy `float` is
/// 32 bits, so a `float` member agrees when botocore's number (a Python float, 64 bits)
/// rounds to ours.
pub fn typed_difference(
    svc: &Service,
    at: &str,
    ours: &Value,
    botocore: &Value,
    root: &ShapeId,
) -> Option<String> {
    let (d, only_botocore) = typed_difference_beside_model(svc, at, ours, botocore, root);
    d.or_else(|| only_botocore.into_iter().next())
}

/// Like [`typed_difference`], but a member botocore's document has and the Smithy model's
/// structure lacks (botocore's copy of the model is newer) is not a difference: the paths of
/// those come back beside the first real difference.
pub fn typed_difference_beside_model(
    svc: &Service,
    at: &str,
    ours: &Value,
    botocore: &Value,
    root: &ShapeId,
) -> (Option<String>, Vec<String>) {
    let mut only_botocore = Vec::new();
    let d = typed(
        svc,
        at,
        ours,
        botocore,
        Some(Shape::Structure(root)),
        &mut only_botocore,
    );
    (d, only_botocore)
}

fn typed(
    svc: &Service,
    at: &str,
    a: &Value,
    b: &Value,
    shape: Option<Shape>,
    only_botocore: &mut Vec<String>,
) -> Option<String> {
    let ty = match shape {
        Some(Shape::Type(t)) => Some(t),
        _ => None,
    };
    if let (Some(Type::Float), Some(x), Some(y)) = (ty, a.as_f64(), b.as_f64()) {
        return ((x as f32) != (y as f32)).then(|| format!("{at}: ours {a}, botocore {b} (float)"));
    }
    let members_of = |id: &ShapeId| -> Vec<(String, &Type)> {
        match svc.types.get(id) {
            Some(NamedType::Structure(s)) => s
                .members
                .iter()
                .map(|m| (m.name.clone(), &m.target.ty))
                .collect(),
            Some(NamedType::Union(u)) => u
                .variants
                .iter()
                .map(|v| (v.member.name.clone(), &v.member.target.ty))
                .collect(),
            _ => Vec::new(),
        }
    };
    let child = |key: Option<&str>| -> Option<Shape> {
        match shape? {
            Shape::Structure(id) => members_of(id)
                .into_iter()
                .find(|(n, _)| Some(n.as_str()) == key)
                .map(|(_, t)| Shape::Type(t)),
            Shape::Type(Type::Named(id)) => members_of(id)
                .into_iter()
                .find(|(n, _)| Some(n.as_str()) == key)
                .map(|(_, t)| Shape::Type(t)),
            Shape::Type(Type::List { item, .. }) => Some(Shape::Type(&item.ty)),
            Shape::Type(Type::Map { value, .. }) => Some(Shape::Type(&value.ty)),
            Shape::Type(_) => None,
        }
    };
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            keys.into_iter().find_map(|k| {
                let here = format!("{at}.{k}");
                let in_model = child(Some(k)).is_some();
                let a_structure = matches!(
                    shape,
                    Some(Shape::Structure(_)) | Some(Shape::Type(Type::Named(_)))
                );
                match (x.get(k), y.get(k)) {
                    (Some(p), Some(q)) => typed(svc, &here, p, q, child(Some(k)), only_botocore),
                    (Some(p), None) => Some(format!("{here}: ours {p}, botocore has none")),
                    (None, Some(q)) if a_structure && !in_model => {
                        only_botocore.push(format!(
                            "{here}: only botocore's copy of the model has this member (botocore {q})"
                        ));
                        None
                    }
                    (None, Some(q)) => Some(format!("{here}: ours has none, botocore {q}")),
                    (None, None) => None,
                }
            })
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            x.iter().zip(y).enumerate().find_map(|(i, (p, q))| {
                typed(svc, &format!("{at}[{i}]"), p, q, child(None), only_botocore)
            })
        }
        _ => difference(at, a, b),
    }
}

fn difference(at: &str, ours: &Value, botocore: &Value) -> Option<String> {
    match (ours, botocore) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            keys.into_iter().find_map(|k| {
                let here = format!("{at}.{k}");
                match (a.get(k), b.get(k)) {
                    (Some(x), Some(y)) => difference(&here, x, y),
                    (Some(x), None) => Some(format!("{here}: ours {x}, botocore has none")),
                    (None, Some(y)) => Some(format!("{here}: ours has none, botocore {y}")),
                    (None, None) => None,
                }
            })
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(i, (x, y))| difference(&format!("{at}[{i}]"), x, y)),
        // JSON numbers: 1 and 1.0 are the same number.
        (Value::Number(a), Value::Number(b))
            if a.as_f64() == b.as_f64() && a.is_f64() != b.is_f64() =>
        {
            None
        }
        _ if ours == botocore => None,
        _ => Some(format!("{at}: ours {ours}, botocore {botocore}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_the_first_difference() {
        assert_eq!(
            json_difference("x", &json!({"a": [1, 2]}), &json!({"a": [1, 2]})),
            None
        );
        assert_eq!(
            json_difference("x", &json!({"a": [1, 2]}), &json!({"a": [1, 3]})).as_deref(),
            Some("x.a[1]: ours 2, botocore 3")
        );
        assert_eq!(
            json_difference("x", &json!({}), &json!({"b": 1})).as_deref(),
            Some("x.b: ours has none, botocore 1")
        );
        assert_eq!(json_difference("x", &json!(1.0), &json!(1)), None);
        assert!(json_difference("x", &json!(1.5), &json!(1)).is_some());
    }
}
