//! serde side of the JSON AST. Shapes are read one at a time (raw JSON first) so that errors can
//! name the shape; member maps keep the model's order.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use super::{
    Member, Model, OperationShape, ResourceShape, ServiceShape, Shape, ShapeId, ShapeKind,
    SimpleType, Traits,
};
use crate::Error;

/// A JSON object read as a list of entries in document order.
struct Ordered<T>(Vec<(String, T)>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Ordered<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Ordered<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, T>()? {
                    entries.push((k, v));
                }
                Ok(Ordered(entries))
            }
        }
        d.deserialize_map(V(PhantomData))
    }
}

#[derive(Deserialize)]
struct RawModel {
    smithy: String,
    #[serde(default)]
    shapes: Option<Ordered<Box<RawValue>>>,
}

#[derive(Deserialize)]
struct Target {
    target: String,
}

#[derive(Deserialize)]
struct RawMember {
    target: String,
    #[serde(default)]
    traits: BTreeMap<String, Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawShape {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    traits: BTreeMap<String, Value>,
    members: Option<Ordered<RawMember>>,
    member: Option<RawMember>,
    key: Option<RawMember>,
    value: Option<RawMember>,
    #[serde(default)]
    mixins: Vec<Target>,
    input: Option<Target>,
    output: Option<Target>,
    #[serde(default)]
    errors: Vec<Target>,
    version: Option<String>,
    #[serde(default)]
    operations: Vec<Target>,
    #[serde(default)]
    collection_operations: Vec<Target>,
    #[serde(default)]
    resources: Vec<Target>,
    #[serde(default)]
    rename: BTreeMap<String, String>,
    create: Option<Target>,
    put: Option<Target>,
    read: Option<Target>,
    update: Option<Target>,
    delete: Option<Target>,
    list: Option<Target>,
}

fn member(name: &str, raw: RawMember) -> Member {
    Member {
        name: name.to_string(),
        target: ShapeId::new(raw.target),
        traits: Traits::new(raw.traits),
    }
}

fn members(raw: Option<Ordered<RawMember>>) -> Vec<Member> {
    raw.map(|o| o.0.into_iter().map(|(n, m)| member(&n, m)).collect())
        .unwrap_or_default()
}

fn ids(targets: Vec<Target>) -> Vec<ShapeId> {
    targets
        .into_iter()
        .map(|t| ShapeId::new(t.target))
        .collect()
}

pub(super) fn parse(text: &str) -> Result<Model, Error> {
    let raw: RawModel = serde_json::from_str(text)
        .map_err(|e| Error::model("<model>", format!("is not a Smithy JSON AST document: {e}")))?;
    if !raw.smithy.starts_with('2') && !raw.smithy.starts_with('1') {
        return Err(Error::model(
            "<model>",
            format!(
                "has Smithy IDL version {:?}; 1.0 and 2.0 are supported",
                raw.smithy
            ),
        ));
    }
    let mut shapes = prelude();
    let mut applies: Vec<(String, BTreeMap<String, Value>)> = Vec::new();
    let mut mixins: Vec<(ShapeId, Vec<ShapeId>)> = Vec::new();
    for (id, raw_shape) in raw.shapes.map(|o| o.0).unwrap_or_default() {
        if !id.contains('#') {
            return Err(Error::model(
                &id,
                "is not an absolute shape id (namespace#Name)",
            ));
        }
        let rs: RawShape = serde_json::from_str(raw_shape.get())
            .map_err(|e| Error::model(&id, format!("is malformed: {e}")))?;
        if rs.kind == "apply" {
            applies.push((id, rs.traits));
            continue;
        }
        let shape_id = ShapeId::new(id.clone());
        if !rs.mixins.is_empty() {
            mixins.push((shape_id.clone(), ids(rs.mixins)));
        }
        let need = |m: Option<RawMember>, what: &str| {
            m.ok_or_else(|| Error::model(&id, format!("is a {} without `{what}`", rs.kind)))
        };
        let kind = match rs.kind.as_str() {
            "blob" => ShapeKind::Simple(SimpleType::Blob),
            "boolean" => ShapeKind::Simple(SimpleType::Boolean),
            "string" => ShapeKind::Simple(SimpleType::String),
            "byte" => ShapeKind::Simple(SimpleType::Byte),
            "short" => ShapeKind::Simple(SimpleType::Short),
            "integer" => ShapeKind::Simple(SimpleType::Integer),
            "long" => ShapeKind::Simple(SimpleType::Long),
            "float" => ShapeKind::Simple(SimpleType::Float),
            "double" => ShapeKind::Simple(SimpleType::Double),
            "bigInteger" => ShapeKind::Simple(SimpleType::BigInteger),
            "bigDecimal" => ShapeKind::Simple(SimpleType::BigDecimal),
            "timestamp" => ShapeKind::Simple(SimpleType::Timestamp),
            "document" => ShapeKind::Simple(SimpleType::Document),
            "enum" => ShapeKind::Enum(members(rs.members)),
            "intEnum" => ShapeKind::IntEnum(members(rs.members)),
            // `set` is Smithy 1.0's list with unique items.
            "list" | "set" => ShapeKind::List(member("member", need(rs.member, "member")?)),
            "map" => ShapeKind::Map {
                key: member("key", need(rs.key, "key")?),
                value: member("value", need(rs.value, "value")?),
            },
            "structure" => ShapeKind::Structure(members(rs.members)),
            "union" => ShapeKind::Union(members(rs.members)),
            "operation" => ShapeKind::Operation(OperationShape {
                input: rs.input.map(|t| ShapeId::new(t.target)),
                output: rs.output.map(|t| ShapeId::new(t.target)),
                errors: ids(rs.errors),
            }),
            "service" => ShapeKind::Service(ServiceShape {
                version: rs.version.unwrap_or_default(),
                operations: ids(rs.operations),
                resources: ids(rs.resources),
                errors: ids(rs.errors),
                rename: rs
                    .rename
                    .into_iter()
                    .map(|(k, v)| (ShapeId::new(k), v))
                    .collect(),
            }),
            "resource" => {
                let mut operations: Vec<ShapeId> =
                    [rs.create, rs.put, rs.read, rs.update, rs.delete, rs.list]
                        .into_iter()
                        .flatten()
                        .map(|t| ShapeId::new(t.target))
                        .collect();
                operations.extend(ids(rs.operations));
                operations.extend(ids(rs.collection_operations));
                ShapeKind::Resource(ResourceShape {
                    operations,
                    resources: ids(rs.resources),
                })
            }
            other => {
                return Err(Error::model(
                    &id,
                    format!("has unknown shape type {other:?}"),
                ))
            }
        };
        shapes.insert(
            shape_id.clone(),
            Shape {
                id: shape_id,
                kind,
                traits: Traits::new(rs.traits),
            },
        );
    }
    for (target, traits) in applies {
        apply(&mut shapes, &target, traits)?;
    }
    for (id, mixin_ids) in mixins {
        flatten_mixins(&mut shapes, &id, &mixin_ids)?;
    }
    Ok(Model {
        smithy_version: raw.smithy,
        shapes,
    })
}

/// `apply` statements add traits to a shape or a member defined elsewhere.
fn apply(
    shapes: &mut BTreeMap<ShapeId, Shape>,
    target: &str,
    traits: BTreeMap<String, Value>,
) -> Result<(), Error> {
    let (shape_part, member_part) = match target.split_once('$') {
        Some((s, m)) => (s, Some(m)),
        None => (target, None),
    };
    let shape = shapes
        .get_mut(&ShapeId::new(shape_part))
        .ok_or_else(|| Error::model(target, "is the target of `apply` but is not defined"))?;
    match member_part {
        None => shape.traits.extend(traits),
        Some(m) => {
            let member = members_mut(&mut shape.kind)
                .iter_mut()
                .find(|x| x.name == m)
                .ok_or_else(|| {
                    Error::model(target, "is the target of `apply` but is not a member")
                })?;
            member.traits.extend(traits);
        }
    }
    Ok(())
}

fn members_mut(kind: &mut ShapeKind) -> &mut [Member] {
    match kind {
        ShapeKind::Enum(m)
        | ShapeKind::IntEnum(m)
        | ShapeKind::Structure(m)
        | ShapeKind::Union(m) => m,
        ShapeKind::List(m) => std::slice::from_mut(m),
        _ => &mut [],
    }
}

/// Copies mixin members (first, in mixin order) and traits into the shape that uses them,
/// for ASTs that were not flattened before they were written.
fn flatten_mixins(
    shapes: &mut BTreeMap<ShapeId, Shape>,
    id: &ShapeId,
    mixin_ids: &[ShapeId],
) -> Result<(), Error> {
    let mut inherited_members = Vec::new();
    let mut inherited_traits = BTreeMap::new();
    for mixin_id in mixin_ids {
        let mixin = shapes.get(mixin_id).ok_or_else(|| {
            Error::model(
                id.as_str(),
                format!("uses mixin `{mixin_id}`, which is not defined"),
            )
        })?;
        inherited_members.extend(mixin.members().iter().cloned());
        for (k, v) in mixin.traits.iter() {
            if k != "smithy.api#mixin" {
                inherited_traits.insert(k.clone(), v.clone());
            }
        }
    }
    let shape = shapes.get_mut(id).expect("shape exists");
    let own = members_mut(&mut shape.kind);
    let mut merged: Vec<Member> = inherited_members
        .into_iter()
        .filter(|m| !own.iter().any(|o| o.name == m.name))
        .collect();
    merged.extend(own.iter().cloned());
    match &mut shape.kind {
        ShapeKind::Enum(m)
        | ShapeKind::IntEnum(m)
        | ShapeKind::Structure(m)
        | ShapeKind::Union(m) => *m = merged,
        _ => {}
    }
    for (k, v) in inherited_traits {
        if !shape.traits.contains(&k) {
            shape.traits.insert(k, v);
        }
    }
    Ok(())
}

/// The prelude shapes every model may target.
fn prelude() -> BTreeMap<ShapeId, Shape> {
    use SimpleType::*;
    let mut out = BTreeMap::new();
    let mut add = |name: &str, kind: ShapeKind, traits: Vec<(&str, Value)>| {
        let id = ShapeId::new(format!("smithy.api#{name}"));
        let traits = Traits::new(
            traits
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        );
        out.insert(id.clone(), Shape { id, kind, traits });
    };
    for (name, t) in [
        ("String", String),
        ("Blob", Blob),
        ("BigInteger", BigInteger),
        ("BigDecimal", BigDecimal),
        ("Timestamp", Timestamp),
        ("Document", Document),
        ("Boolean", Boolean),
        ("Byte", Byte),
        ("Short", Short),
        ("Integer", Integer),
        ("Long", Long),
        ("Float", Float),
        ("Double", Double),
    ] {
        add(name, ShapeKind::Simple(t), vec![]);
    }
    for (name, t, default) in [
        ("PrimitiveBoolean", Boolean, Value::Bool(false)),
        ("PrimitiveByte", Byte, Value::from(0)),
        ("PrimitiveShort", Short, Value::from(0)),
        ("PrimitiveInteger", Integer, Value::from(0)),
        ("PrimitiveLong", Long, Value::from(0)),
        ("PrimitiveFloat", Float, Value::from(0)),
        ("PrimitiveDouble", Double, Value::from(0)),
    ] {
        add(
            name,
            ShapeKind::Simple(t),
            vec![("smithy.api#default", default)],
        );
    }
    add(
        "Unit",
        ShapeKind::Structure(vec![]),
        vec![("smithy.api#unitType", Value::Object(Default::default()))],
    );
    out
}
