//! Checks over the lowered types: unique field, variant and type names, one event stream
//! per operation side, codec stems; boxes for recursive members.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Binding, Member, NamedType, Operation, Type, TypeLocation, Union};
use crate::model::ShapeId;
use crate::{naming, Error};

pub(super) fn check_fields(id: &ShapeId, members: &[Member]) -> Result<(), Error> {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for m in members {
        let bare = naming::bare(&m.field_name)
            .trim_end_matches('_')
            .to_string();
        for name in [bare.clone(), naming::setter_of_option(&m.field_name)] {
            if let Some(other) = seen.insert(name.clone(), &m.name) {
                return Err(Error::model(
                    id,
                    format!(
                        "has members `{other}` and `{}` that both become the Rust name `{name}`",
                        m.name
                    ),
                ));
            }
        }
    }
    Ok(())
}

pub(super) fn check_variants<'a>(
    id: &ShapeId,
    names: impl Iterator<Item = (&'a String, &'a String)>,
) -> Result<(), Error> {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for (model, rust) in names {
        if let Some(other) = seen.insert(rust, model) {
            return Err(Error::model(
                id,
                format!(
                    "has members `{other}` and `{model}` that both become the variant `{rust}`"
                ),
            ));
        }
    }
    Ok(())
}

/// Event structures: a payload member takes the whole payload (every other member is then a
/// header), and members bound to event messages only make sense in events. Errors of a stream
/// are read from their JSON payload, so their members cannot be bound to the message.
pub(super) fn check_event_streams(types: &BTreeMap<ShapeId, NamedType>) -> Result<(), Error> {
    let is_event_bound =
        |m: &Member| matches!(m.binding, Binding::EventHeader | Binding::EventPayload);
    let mut events: BTreeMap<&ShapeId, &ShapeId> = BTreeMap::new();
    let mut stream_errors: BTreeSet<&ShapeId> = BTreeSet::new();
    let mut other_uses: BTreeMap<ShapeId, &ShapeId> = BTreeMap::new();
    for (id, t) in types {
        match t {
            NamedType::Union(u) => match &u.event_stream {
                Some(es) => {
                    for v in &u.variants {
                        events.insert(&v.member.target.shape, id);
                    }
                    for v in &es.errors {
                        stream_errors.insert(&v.member.target.shape);
                    }
                }
                None => {
                    for v in &u.variants {
                        for n in v.member.target.named_types() {
                            other_uses.insert(n, id);
                        }
                    }
                }
            },
            NamedType::Structure(s) => {
                for m in &s.members {
                    if !matches!(m.target.ty, Type::EventStream { .. }) {
                        for n in m.target.named_types() {
                            other_uses.insert(n, id);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    for (id, t) in types {
        let NamedType::Structure(s) = t else { continue };
        // The events are the whole body: restJson1 sends no initial message, so every other
        // member of the input or output must be bound to the HTTP message.
        if let Some(stream) = s
            .members
            .iter()
            .find(|m| matches!(m.target.ty, Type::EventStream { .. }))
        {
            if let Some(body) = s.members.iter().find(|m| m.binding == Binding::Body) {
                return Err(Error::model(
                    id.member(&body.name),
                    format!(
                        "is bound to the body, which the event stream `{}` (`smithy.api#streaming`) takes whole; bind it to a header, label or query",
                        stream.name
                    ),
                ));
            }
        }
        let bound: Vec<&Member> = s.members.iter().filter(|m| is_event_bound(m)).collect();
        let Some(first) = bound.first() else { continue };
        let trait_of = |m: &Member| match m.binding {
            Binding::EventPayload => "smithy.api#eventPayload",
            _ => "smithy.api#eventHeader",
        };
        if stream_errors.contains(id) || !events.contains_key(id) {
            return Err(Error::model(
                id.member(&first.name),
                format!(
                    "has `{}`, which only members of events (non-error members of a `smithy.api#streaming` union) may have",
                    trait_of(first)
                ),
            ));
        }
        if let Some(user) = other_uses.get(id) {
            return Err(Error::model(
                id,
                format!(
                    "is an event of `{}` and is also used by `{user}`, where its `{}` member `{}` would not be bound to a message",
                    events[id], trait_of(first), first.name
                ),
            ));
        }
        let payloads: Vec<&&Member> = bound
            .iter()
            .filter(|m| m.binding == Binding::EventPayload)
            .collect();
        if let Some(p) = payloads.first() {
            if let Some(other) = s
                .members
                .iter()
                .find(|m| m.name != p.name && m.binding != Binding::EventHeader)
            {
                return Err(Error::model(
                    id.member(&other.name),
                    format!(
                        "has no `smithy.api#eventHeader`, but `{}` is the `smithy.api#eventPayload` of the event: every other member must be a header",
                        p.name
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// The stems of codec and validation functions (see `naming::codec_stem`), which must be
/// unique across the crate.
pub(super) fn codec_stems(
    types: &BTreeMap<ShapeId, NamedType>,
) -> Result<BTreeMap<ShapeId, String>, Error> {
    let local = |t: &NamedType| matches!(t.location(), TypeLocation::Operation(_));
    let shared: BTreeSet<String> = types
        .values()
        .filter(|t| !local(t))
        .map(|t| naming::codec_stem(t.rust_name(), false))
        .collect();
    let mut stems = BTreeMap::new();
    let mut seen: BTreeMap<String, &ShapeId> = BTreeMap::new();
    for (id, t) in types {
        let clashes = local(t) && shared.contains(&naming::codec_stem(t.rust_name(), false));
        let stem = naming::codec_stem(t.rust_name(), clashes);
        // Errors have no codecs of their own (`de_error_*` are named apart).
        if !matches!(t.location(), TypeLocation::Errors) {
            if let Some(other) = seen.insert(stem.clone(), id) {
                return Err(Error::model(
                    id,
                    format!("and `{other}` both give the function name stem `{stem}`; rename one in the service's `rename`"),
                ));
            }
        }
        stems.insert(id.clone(), stem);
    }
    Ok(stems)
}

/// Two types in one module, or two operations, may not share a Rust name.
pub(super) fn check_unique_names(
    types: &BTreeMap<ShapeId, NamedType>,
    operations: &BTreeMap<String, Operation>,
) -> Result<(), Error> {
    // Operations first: two operations sharing a method also share their modules and types,
    // and the method is the clearer thing to report.
    let mut methods: BTreeMap<&str, &ShapeId> = BTreeMap::new();
    for op in operations.values() {
        if let Some(other) = methods.insert(&op.method_name, &op.id) {
            return Err(Error::model(
                &op.id,
                format!("and `{other}` both become the method `{}`", op.method_name),
            ));
        }
    }
    let mut seen: BTreeMap<(TypeLocation, String), &ShapeId> = BTreeMap::new();
    for (id, t) in types {
        let key = (t.location().clone(), t.rust_name().to_string());
        let mut names = vec![key];
        // Structures bring a builder named after them into the same module.
        if let NamedType::Structure(_) = t {
            names.push((t.location().clone(), naming::builder_name(t.rust_name())));
        }
        // Event stream unions bring the enum of their errors.
        if let NamedType::Union(Union {
            event_stream: Some(es),
            ..
        }) = t
        {
            names.push((t.location().clone(), es.error_type.clone()));
        }
        for key in names {
            if let Some(other) = seen.insert(key.clone(), id) {
                return Err(Error::model(
                id,
                format!(
                    "and `{other}` both become the Rust type `{}`; rename one in the service's `rename`",
                    key.1
                ),
            ));
            }
        }
    }
    for op in operations.values() {
        let key = (
            TypeLocation::Operation(op.module_name.clone()),
            op.error_type.clone(),
        );
        if let Some(other) = seen.get(&key) {
            return Err(Error::model(
                *other,
                format!(
                    "becomes `{}`, the name of the error type of `{}`",
                    op.error_type, op.id
                ),
            ));
        }
    }
    Ok(())
}

/// Structures and unions that reach themselves through direct members (no list or map in
/// between) would have infinite size: box the members that close such a cycle.
pub(super) fn mark_boxed(types: &mut BTreeMap<ShapeId, NamedType>) {
    fn direct_targets(t: &NamedType) -> Vec<&ShapeId> {
        let members: Vec<&Member> = match t {
            NamedType::Structure(s) => s.members.iter().collect(),
            NamedType::Union(u) => u.variants.iter().map(|v| &v.member).collect(),
            _ => vec![],
        };
        members
            .into_iter()
            .filter_map(|m| match &m.target.ty {
                Type::Named(id) => Some(id),
                _ => None,
            })
            .collect()
    }
    fn reaches(
        types: &BTreeMap<ShapeId, NamedType>,
        from: &ShapeId,
        to: &ShapeId,
        seen: &mut BTreeSet<ShapeId>,
    ) -> bool {
        if from == to {
            return true;
        }
        if !seen.insert(from.clone()) {
            return false;
        }
        types
            .get(from)
            .map(|t| {
                direct_targets(t)
                    .into_iter()
                    .any(|n| reaches(types, n, to, seen))
            })
            .unwrap_or(false)
    }
    let mut to_box: Vec<(ShapeId, String)> = Vec::new();
    for (id, t) in types.iter() {
        let members: Vec<&Member> = match t {
            NamedType::Structure(s) => s.members.iter().collect(),
            NamedType::Union(u) => u.variants.iter().map(|v| &v.member).collect(),
            _ => continue,
        };
        for m in members {
            if let Type::Named(target) = &m.target.ty {
                if reaches(types, target, id, &mut BTreeSet::new()) {
                    to_box.push((id.clone(), m.name.clone()));
                }
            }
        }
    }
    for (id, member) in to_box {
        match types.get_mut(&id) {
            Some(NamedType::Structure(s)) => s
                .members
                .iter_mut()
                .filter(|m| m.name == member)
                .for_each(|m| m.boxed = true),
            Some(NamedType::Union(u)) => u
                .variants
                .iter_mut()
                .filter(|v| v.member.name == member)
                .for_each(|v| v.member.boxed = true),
            _ => {}
        }
    }
}
