//! The assembled model as a JSON AST, laid out as `smithy ast` lays it out (shapes sorted, the
//! prelude left out, mixins kept, traits a member adds to what it inherits written as `apply`),
//! and the model with its mixins flattened into the shapes that use them.

use std::collections::HashMap;

use super::assemble::mixin_local_traits;
use super::defs::ShapeType;
use super::model::{Entity, Model, Shape, TraitMap, BOX, MIXIN, UNIT};
use super::node::Node;

/// Traits that exist in the loaded model only (`@box` of IDL 1.0).
fn is_synthetic(trait_id: &str) -> bool {
    trait_id == BOX
}

fn traits_node(traits: &TraitMap) -> Option<Node> {
    let entries: Vec<(String, Node)> = traits
        .iter()
        .filter(|(k, _)| !is_synthetic(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    (!entries.is_empty()).then_some(Node::Object(entries))
}

fn reference(id: &str) -> Node {
    Node::Object(vec![("target".into(), Node::String(id.to_string()))])
}

/// How lists of shape references are written.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Sorted, as `smithy ast` writes them.
    Sorted,
    /// In the order the model declares them (an operation's errors become error variants in
    /// that order).
    ModelOrder,
}

fn refs(ids: &[String], layout: Layout) -> Option<Node> {
    if ids.is_empty() {
        return None;
    }
    let mut list: Vec<&String> = Vec::with_capacity(ids.len());
    for id in ids {
        if !list.contains(&id) {
            list.push(id);
        }
    }
    if layout == Layout::Sorted {
        list.sort();
    }
    Some(Node::Array(
        list.into_iter().map(|i| reference(i)).collect(),
    ))
}

fn ref_map(entries: &[(String, String)]) -> Option<Node> {
    (!entries.is_empty()).then(|| {
        Node::Object(
            entries
                .iter()
                .map(|(name, id)| (name.clone(), reference(id)))
                .collect(),
        )
    })
}

/// The JSON AST of the model (Smithy 2.0); prelude shapes the files define are left out unless
/// `include_prelude`.
pub fn to_ast(model: &Model, include_prelude: bool, layout: Layout) -> Node {
    let mut root = vec![("smithy".to_string(), Node::String("2.0".into()))];
    if !model.metadata.is_empty() {
        let mut metadata = model.metadata.clone();
        metadata.sort_by(|a, b| a.0.cmp(&b.0));
        root.push(("metadata".into(), Node::Object(metadata).deep_sorted()));
    }
    let mut shapes: Vec<(String, Node)> = Vec::new();
    for shape in model
        .shapes
        .values()
        .filter(|s| include_prelude || !s.is_prelude())
    {
        let mut applies = Vec::new();
        shapes.push((shape.id.clone(), shape_node(shape, layout, &mut applies)));
        shapes.extend(applies);
    }
    shapes.sort_by(|a, b| a.0.cmp(&b.0));
    root.push(("shapes".into(), Node::Object(shapes)));
    Node::Object(root)
}

fn shape_node(shape: &Shape, layout: Layout, applies: &mut Vec<(String, Node)>) -> Node {
    let mut out = vec![(
        "type".to_string(),
        Node::String(
            // Sets are lists in IDL 2.0.
            if shape.kind == ShapeType::Set {
                "list"
            } else {
                shape.kind.name()
            }
            .into(),
        ),
    )];
    if !shape.mixins.is_empty() {
        out.push((
            "mixins".into(),
            Node::Array(shape.mixins.iter().map(|m| reference(m)).collect()),
        ));
    }
    let mut members = Vec::new();
    for m in &shape.members {
        if m.inherited {
            // Traits added to an inherited member are written as an `apply`.
            if let Some(traits) = traits_node(&m.local) {
                applies.push((
                    format!("{}${}", shape.id, m.name),
                    Node::Object(vec![
                        ("type".into(), Node::String("apply".into())),
                        ("traits".into(), traits),
                    ]),
                ));
            }
            continue;
        }
        let mut node = vec![("target".to_string(), Node::String(m.target.clone()))];
        if let Some(traits) = traits_node(&m.local) {
            node.push(("traits".into(), traits));
        }
        members.push((m.name.clone(), Node::Object(node)));
    }
    match shape.kind {
        k if k.has_named_members() => out.push(("members".into(), Node::Object(members))),
        ShapeType::List | ShapeType::Set | ShapeType::Map => out.extend(members),
        ShapeType::Operation => entity_properties(shape, layout, &mut out),
        ShapeType::Service | ShapeType::Resource => entity_properties(shape, layout, &mut out),
        _ => {}
    }
    if let Some(traits) = traits_node(&shape.local) {
        out.push(("traits".into(), traits));
    }
    Node::Object(out)
}

fn entity_properties(shape: &Shape, layout: Layout, out: &mut Vec<(String, Node)>) {
    let e = &shape.entity;
    let sorted_refs = |ids: &[String]| refs(ids, layout);
    let mut push = |key: &str, value: Option<Node>| {
        if let Some(v) = value {
            out.push((key.to_string(), v));
        }
    };
    match shape.kind {
        ShapeType::Operation => {
            push("input", Some(reference(e.input.as_deref().unwrap_or(UNIT))));
            push(
                "output",
                Some(reference(e.output.as_deref().unwrap_or(UNIT))),
            );
            push("errors", sorted_refs(&e.errors));
        }
        ShapeType::Service => {
            push(
                "version",
                e.version
                    .as_ref()
                    .filter(|v| !v.trim().is_empty())
                    .map(|v| Node::String(v.clone())),
            );
            push("operations", sorted_refs(&e.operations));
            push("resources", sorted_refs(&e.resources));
            push("errors", sorted_refs(&e.errors));
            push(
                "rename",
                (!e.rename.is_empty()).then(|| {
                    Node::Object(
                        e.rename
                            .iter()
                            .map(|(k, v)| (k.clone(), Node::String(v.clone())))
                            .collect(),
                    )
                }),
            );
        }
        _ => {
            push("identifiers", ref_map(&e.identifiers));
            push("properties", ref_map(&e.properties));
            for (key, v) in [
                ("put", &e.put),
                ("create", &e.create),
                ("read", &e.read),
                ("update", &e.update),
                ("delete", &e.delete),
                ("list", &e.list),
            ] {
                push(key, v.as_deref().map(reference));
            }
            push("operations", sorted_refs(&e.operations));
            push(
                "collectionOperations",
                sorted_refs(&e.collection_operations),
            );
            push("resources", sorted_refs(&e.resources));
        }
    }
}

/// The model with every mixin copied into the shapes that use it and the mixins themselves
/// removed (Smithy's `flattenAndRemoveMixins`): what a code generator wants.
pub fn flatten(model: &Model) -> Model {
    let mut entities: HashMap<String, Entity> = HashMap::new();
    let mut out = Model {
        shapes: Default::default(),
        metadata: model.metadata.clone(),
        unknown_traits: model.unknown_traits.clone(),
    };
    for shape in model.shapes.values() {
        if shape.local.contains_key(MIXIN) {
            continue;
        }
        let mut flat = shape.clone();
        if !shape.mixins.is_empty() {
            let mut traits = shape.local.clone();
            for mixin_id in &shape.mixins {
                let Some(mixin) = model.shapes.get(mixin_id) else {
                    continue;
                };
                let keep = mixin_local_traits(&mixin.all);
                for (k, v) in &mixin.all {
                    if !keep.contains(k) && !traits.contains_key(k) {
                        traits.insert(k.clone(), v.clone());
                    }
                }
            }
            flat.local = traits.clone();
            flat.all = traits;
            flat.entity = flat_entity(model, &shape.id, &mut entities);
            flat.mixins.clear();
            for m in &mut flat.members {
                m.local = m.all.clone();
                m.inherited = false;
            }
        }
        out.shapes.insert(flat.id.clone(), flat);
    }
    out
}

/// The properties of an operation, service or resource with what its mixins add.
fn flat_entity(model: &Model, id: &str, memo: &mut HashMap<String, Entity>) -> Entity {
    if let Some(e) = memo.get(id) {
        return e.clone();
    }
    let Some(shape) = model.shapes.get(id) else {
        return Entity::default();
    };
    let mut e = Entity::default();
    for mixin in &shape.mixins {
        let m = flat_entity(model, mixin, memo);
        extend_unique(&mut e.errors, &m.errors);
        extend_unique(&mut e.operations, &m.operations);
        extend_unique(&mut e.resources, &m.resources);
        extend_unique(&mut e.collection_operations, &m.collection_operations);
        if m.version.as_deref().is_some_and(|v| !v.is_empty()) {
            e.version = m.version.clone();
        }
        merge_pairs(&mut e.rename, &m.rename);
        merge_pairs(&mut e.identifiers, &m.identifiers);
        merge_pairs(&mut e.properties, &m.properties);
    }
    let own = &shape.entity;
    extend_unique(&mut e.errors, &own.errors);
    extend_unique(&mut e.operations, &own.operations);
    extend_unique(&mut e.resources, &own.resources);
    extend_unique(&mut e.collection_operations, &own.collection_operations);
    if own.version.as_deref().is_some_and(|v| !v.is_empty()) {
        e.version = own.version.clone();
    }
    merge_pairs(&mut e.rename, &own.rename);
    merge_pairs(&mut e.identifiers, &own.identifiers);
    merge_pairs(&mut e.properties, &own.properties);
    e.input = own.input.clone();
    e.output = own.output.clone();
    e.create = own.create.clone();
    e.put = own.put.clone();
    e.read = own.read.clone();
    e.update = own.update.clone();
    e.delete = own.delete.clone();
    e.list = own.list.clone();
    memo.insert(id.to_string(), e.clone());
    e
}

fn extend_unique(into: &mut Vec<String>, from: &[String]) {
    for id in from {
        if !into.contains(id) {
            into.push(id.clone());
        }
    }
}

fn merge_pairs(into: &mut Vec<(String, String)>, from: &[(String, String)]) {
    for (k, v) in from {
        match into.iter_mut().find(|(key, _)| key == k) {
            Some(entry) => entry.1 = v.clone(),
            None => into.push((k.clone(), v.clone())),
        }
    }
}
