//! The checks that make a model invalid whatever reads it: references to shapes that do not
//! exist, members a list or map must have, enum values, what 1.0 and 2.0 each allow, and the
//! restrictions on mixins. (Trait values are not checked against their definitions.)

use super::defs::{ShapeType, Version};
use super::error::Diagnostic;
use super::model::{Model, Shape, ENUM_VALUE, MIXIN, UNIT};
use super::node::{Node, Number};
use super::prelude;

fn exists(model: &Model, id: &str) -> bool {
    let root = id.split('$').next().unwrap_or(id);
    model.shapes.contains_key(root) || prelude::lookup(root).is_some()
}

pub fn validate(model: &Model, errors: &mut Vec<Diagnostic>) {
    for shape in model.shapes.values() {
        for m in &shape.members {
            if !exists(model, &m.target) {
                errors.push(Diagnostic::model(
                    &m.loc,
                    Some(&format!("{}${}", shape.id, m.name)),
                    format!("member targets `{}`, which is not defined", m.target),
                ));
            }
        }
        let mut err = |shape_id: &str, message: String| {
            errors.push(Diagnostic::model(&shape.loc, Some(shape_id), message));
        };
        let id = shape.id.as_str();
        match (shape.version, shape.kind) {
            (Version::V2, ShapeType::Set) | (Version::V1, ShapeType::Enum | ShapeType::IntEnum) => {
                err(
                    id,
                    format!(
                        "{} shapes cannot be used in Smithy version {}",
                        shape.kind, shape.version
                    ),
                )
            }
            _ => {}
        }
        for (property, target) in shape.entity.references() {
            if !exists(model, target) {
                err(
                    id,
                    format!("`{property}` refers to `{target}`, which is not defined"),
                );
            }
        }
        required_members(shape, &mut err);
        enum_members(shape, &mut err);
        if shape.all.contains_key(MIXIN) {
            let e = &shape.entity;
            if shape.kind == ShapeType::Operation
                && (e.input.as_deref().is_some_and(|i| i != UNIT)
                    || e.output.as_deref().is_some_and(|o| o != UNIT))
            {
                err(
                    id,
                    format!(
                        "Operation shapes with the mixin trait MUST target `{UNIT}` for their \
                         input and output. Operation mixin shape `{id}` defines one or both of \
                         these properties."
                    ),
                );
            }
            let has_properties = !e.identifiers.is_empty()
                || !e.properties.is_empty()
                || !e.operations.is_empty()
                || !e.resources.is_empty()
                || e.put.is_some()
                || e.create.is_some()
                || e.read.is_some()
                || e.update.is_some()
                || e.delete.is_some()
                || e.list.is_some();
            if shape.kind == ShapeType::Resource && has_properties {
                err(
                    id,
                    format!(
                        "Resource shapes with the mixin trait may not define any properties. \
                         Resource mixin shape `{id}` defines one or more properties."
                    ),
                );
            }
        }
    }
}

/// Lists have exactly `member`, maps exactly `key` and `value`.
fn required_members(shape: &Shape, err: &mut impl FnMut(&str, String)) {
    let required: &[&str] = match shape.kind {
        ShapeType::List | ShapeType::Set => &["member"],
        ShapeType::Map => &["key", "value"],
        _ => return,
    };
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|r| shape.member(r).is_none())
        .collect();
    if !missing.is_empty() {
        let plural = if missing.len() > 1 { "s" } else { "" };
        err(
            &shape.id,
            format!(
                "Missing required member{plural} of shape `{}`: {}",
                shape.id,
                missing.join(", ")
            ),
        );
    }
    for m in &shape.members {
        if !required.contains(&m.name.as_str()) {
            err(
                &shape.id,
                format!(
                    "{} shapes only have the members {}, not `{}`",
                    shape.kind,
                    required.join(" and "),
                    m.name
                ),
            );
        }
    }
}

fn enum_members(shape: &Shape, err: &mut impl FnMut(&str, String)) {
    if !matches!(shape.kind, ShapeType::Enum | ShapeType::IntEnum) {
        return;
    }
    if shape.members.is_empty() {
        let message = if shape.kind == ShapeType::Enum {
            "enum must have at least one entry"
        } else {
            "intEnum shapes must have at least one member"
        };
        err(&shape.id, message.to_string());
    }
    for m in &shape.members {
        let member_id = format!("{}${}", shape.id, m.name);
        if m.target != UNIT {
            err(
                &member_id,
                format!(
                    "Enum members may only target `{UNIT}`, but found `{}`",
                    m.target
                ),
            );
        }
        let value = m.all.get(ENUM_VALUE);
        match (shape.kind, value) {
            (ShapeType::Enum, Some(Node::String(s))) if s.is_empty() => {
                err(&member_id, "enum values may not be empty".to_string())
            }
            (ShapeType::Enum, Some(Node::String(_))) => {}
            (ShapeType::Enum, Some(other)) => err(
                &member_id,
                format!(
                    "enum members can only be assigned string values, but found: {}",
                    other.to_json()
                ),
            ),
            (ShapeType::IntEnum, Some(Node::Number(Number::Float(_) | Number::BigDecimal(_)))) => {
                err(
                    &member_id,
                    "intEnum members do not support floating point values".to_string(),
                )
            }
            (ShapeType::IntEnum, Some(Node::Number(n)))
                if n.as_i64().and_then(|i| i32::try_from(i).ok()).is_none() =>
            {
                err(
                    &member_id,
                    format!("intEnum members must fit within an integer, but found: {n}"),
                )
            }
            (ShapeType::IntEnum, Some(Node::Number(_))) => {}
            (ShapeType::IntEnum, other) => err(
                &member_id,
                format!(
                    "intEnum members require integer values, but found: {}",
                    other.map_or("nothing".to_string(), Node::to_json)
                ),
            ),
            _ => {}
        }
    }
}
