//! IDL 1.0 models in 2.0 terms, as Smithy upgrades them: in 1.0, numbers and booleans that are
//! not `@box`ed have a zero value, which 2.0 writes as a `@default`; `@box` itself does not
//! exist in 2.0 (it is kept only to decide this, and never written out).

use super::defs::{ShapeType, Version};
use super::model::{Model, BOX, DEFAULT};
use super::node::{Node, Number};
use super::prelude::{self, Role};

/// Shapes that had a zero value in IDL 1.0.
fn had_default_in_v1(kind: ShapeType) -> bool {
    matches!(
        kind,
        ShapeType::Byte
            | ShapeType::Short
            | ShapeType::Integer
            | ShapeType::Long
            | ShapeType::Float
            | ShapeType::Double
            | ShapeType::Boolean
            | ShapeType::IntEnum
    )
}

/// The zero value of a type.
pub fn zero_value(kind: ShapeType) -> Node {
    match kind {
        ShapeType::Boolean => Node::Bool(false),
        ShapeType::Byte
        | ShapeType::Short
        | ShapeType::Integer
        | ShapeType::IntEnum
        | ShapeType::Long
        | ShapeType::Float
        | ShapeType::Double
        | ShapeType::BigDecimal
        | ShapeType::BigInteger => Node::Number(Number::Int(0)),
        ShapeType::Blob | ShapeType::String => Node::String(String::new()),
        ShapeType::List | ShapeType::Set => Node::Array(Vec::new()),
        ShapeType::Map => Node::object(),
        _ => Node::Null,
    }
}

fn is_zero_default(value: Option<&Node>, kind: ShapeType) -> bool {
    match (value, kind) {
        (Some(Node::Bool(b)), ShapeType::Boolean) => !b,
        (Some(Node::Number(n)), k) if k != ShapeType::Boolean => n.is_zero(),
        _ => false,
    }
}

pub fn upgrade(model: &mut Model) {
    // Shapes: 1.0 numbers and booleans get their zero default unless boxed; 2.0 ones without a
    // zero default count as boxed.
    for shape in model.shapes.values_mut() {
        if !had_default_in_v1(shape.kind) {
            continue;
        }
        match shape.version {
            Version::V1 => {
                if !shape.all.contains_key(BOX) {
                    let zero = zero_value(shape.kind);
                    shape.local.insert(DEFAULT.into(), zero.clone());
                    shape.all.insert(DEFAULT.into(), zero);
                }
            }
            Version::V2 => shape.boxed = !is_zero_default(shape.all.get(DEFAULT), shape.kind),
        }
    }
    // Members of 1.0 structures.
    let ids: Vec<String> = model
        .shapes
        .values()
        .filter(|s| s.kind == ShapeType::Structure && s.version == Version::V1 && !s.is_prelude())
        .map(|s| s.id.clone())
        .collect();
    for id in ids {
        let members = model.shapes[&id].members.clone();
        let mut updates = Vec::new();
        for (i, member) in members.iter().enumerate() {
            let target = match model.shapes.get(&member.target) {
                Some(t) => Some((
                    t.kind,
                    t.all.contains_key(BOX) || t.boxed,
                    t.all.contains_key("smithy.api#streaming"),
                )),
                None => prelude::lookup(&member.target).map(|(kind, role)| {
                    let boxed = had_default_in_v1(kind) && role != Role::ZeroDefault;
                    (kind, boxed, false)
                }),
            };
            let Some((kind, target_boxed, streaming)) = target else {
                continue;
            };
            let member_boxed = member.all.contains_key(BOX);
            let needs_default = (had_default_in_v1(kind)
                || (streaming
                    && kind == ShapeType::Blob
                    && !member.all.contains_key("smithy.api#required")))
                && !member.all.contains_key(DEFAULT)
                && !member_boxed
                && !target_boxed;
            if needs_default {
                updates.push((i, zero_value(kind)));
            } else if member_boxed {
                updates.push((i, Node::Null));
            }
        }
        let shape = model.shapes.get_mut(&id).expect("listed above");
        for (i, value) in updates {
            let m = &mut shape.members[i];
            m.local.insert(DEFAULT.into(), value.clone());
            m.all.insert(DEFAULT.into(), value);
        }
    }
}
