//! Model → IR. Resolves targets, merges constraints, decides bindings and wire names, assigns
//! every Rust name through `naming`, and refuses what it cannot generate correctly: unknown
//! wire traits, conflicting names, malformed traits; a pattern that does not compile is noted
//! (`Service::notes`) and left unchecked.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{
    Auth, Customization, NamedType, Operation, Protocol, Service, Structure, TypeLocation,
    WireProfile,
};
use crate::model::{traits, Model, Shape, ShapeId, ShapeKind, Traits};
use crate::{naming, Error};

mod checks;
mod operation;
mod shapes;

use checks::{check_event_streams, check_unique_names, codec_stems, mark_boxed};

/// Lowers the service `service_id` (or the model's only service) to the IR.
pub fn lower(model: &Model, service_id: Option<&str>) -> Result<Service, Error> {
    let split = {
        let service = pick_service(model, service_id)?;
        split_streaming_outputs(model, &model.service_operations(service)?)?
    };
    lower_service(split.as_ref().unwrap_or(model), service_id)
}

/// Does structure `id` have a member targeting a `@streaming` blob or union?
fn has_streaming_member(model: &Model, id: &ShapeId) -> bool {
    model.shapes.get(id).is_some_and(|s| {
        s.members().iter().any(|m| {
            model
                .shapes
                .get(&m.target)
                .is_some_and(|t| t.traits.streaming())
        })
    })
}

/// A structure that is an operation's input and also an output cannot hold a streaming
/// blob both ways: an input's is bytes to send, an output's a stream to read. Each operation
/// whose output is such a shape gets a copy of its own, `<Operation>Output` in the
/// operation's namespace, as if the model had declared it. `None` when no shape is shared so.
fn split_streaming_outputs(model: &Model, op_ids: &[ShapeId]) -> Result<Option<Model>, Error> {
    let inputs = io_side(model, op_ids, true);
    let streams = |id: &ShapeId| has_streaming_member(model, id);
    let mut out: Option<Model> = None;
    for op_id in op_ids {
        let Some(Shape {
            kind: ShapeKind::Operation(op),
            ..
        }) = model.shapes.get(op_id)
        else {
            continue;
        };
        let Some(output) = op
            .output
            .as_ref()
            .filter(|o| inputs.contains(*o) && streams(o))
        else {
            continue;
        };
        let copy_id = ShapeId::new(format!("{}#{}Output", op_id.namespace(), op_id.name()));
        if model.shapes.contains_key(&copy_id) {
            return Err(Error::model(
                output,
                format!(
                    "is the input and the output of `{op_id}` and has a `smithy.api#streaming` member; its own output copy would be `{copy_id}`, which the model already has"
                ),
            ));
        }
        let m = out.get_or_insert_with(|| model.clone());
        let mut copy = model.shapes[output].clone();
        copy.id = copy_id.clone();
        m.shapes.insert(copy_id.clone(), copy);
        if let Some(Shape {
            kind: ShapeKind::Operation(op),
            ..
        }) = m.shapes.get_mut(op_id)
        {
            op.output = Some(copy_id);
        }
    }
    Ok(out)
}

fn lower_service(model: &Model, service_id: Option<&str>) -> Result<Service, Error> {
    let service = pick_service(model, service_id)?;
    let ShapeKind::Service(svc) = &service.kind else {
        unreachable!("pick_service returns services")
    };
    let protocol = protocol_of(service)?;
    let closure = model.closure(service)?;
    check_traits(model, service, &closure)?;

    let aws = service
        .traits
        .aws_service()
        .map_err(|e| Error::model(&service.id, e))?
        .unwrap_or_default();
    let sdk_id = aws
        .sdk_id
        .clone()
        .unwrap_or_else(|| service.id.name().to_string());
    let crate_name = naming::crate_name(&sdk_id);

    let op_ids = model.service_operations(service)?;
    let mut cx = Lowering {
        model,
        protocol,
        rename: &svc.rename,
        types: BTreeMap::new(),
        io_shapes: io_shapes(model, &op_ids),
        inputs: io_side(model, &op_ids, true),
        outputs: io_side(model, &op_ids, false),
        notes: Default::default(),
    };
    let locations = locate_types(model, &op_ids, &closure)?;

    // Named types first, so operations can refer to them.
    for id in &closure {
        let shape = model.resolve(id, service.id.as_str())?;
        if let Some(t) = cx.lower_named(shape, &locations)? {
            cx.types.insert(id.clone(), t);
        }
    }

    let service_paginated = service
        .traits
        .paginated()
        .map_err(|e| Error::model(&service.id, e))?;
    let mut operations = BTreeMap::new();
    for op_id in &op_ids {
        let mut op = cx.lower_operation(op_id, &svc.errors, service_paginated.as_ref())?;
        let op_shape = model.resolve(op_id, service.id.as_str())?;
        op.auth = auth_of(service, op_shape)?;
        if let Some(other) = operations.get(&op.name) {
            let other: &Operation = other;
            return Err(Error::model(
                op_id,
                format!(
                    "and `{}` are both operations named `{}` in the service",
                    other.id, op.name
                ),
            ));
        }
        operations.insert(op.name.clone(), op);
    }
    for op in operations.values() {
        for (id, name) in [(&op.input, &op.input_type), (&op.output, &op.output_type)] {
            cx.types.entry(id.clone()).or_insert_with(|| {
                NamedType::Structure(Structure {
                    id: id.clone(),
                    rust_name: name.clone(),
                    location: TypeLocation::Operation(op.module_name.clone()),
                    docs: None,
                    members: vec![],
                    error: None,
                    sensitive: false,
                })
            });
        }
    }
    mark_boxed(&mut cx.types);
    check_event_streams(&cx.types)?;
    check_unique_names(&cx.types, &operations)?;
    let codec_stems = codec_stems(&cx.types)?;

    let rules = |id: &str| {
        service
            .traits
            .get(id)
            .map(|v| serde_json::to_string(v).expect("JSON values serialize"))
    };
    Ok(Service {
        id: service.id.clone(),
        lib_name: naming::lib_name(&crate_name),
        crate_name,
        env_endpoint_id: naming::env_endpoint_id(&sdk_id),
        sdk_id: sdk_id.clone(),
        version: svc.version.clone(),
        title: service
            .traits
            .get("smithy.api#title")
            .and_then(|v| v.as_str())
            .map(str::to_owned),
        docs: service.traits.documentation().map(str::to_owned),
        protocol,
        signing_name: service
            .traits
            .sigv4_name()
            .map_err(|e| Error::model(&service.id, e))?,
        endpoint_prefix: aws.endpoint_prefix,
        endpoint_rule_set: rules("smithy.rules#endpointRuleSet"),
        endpoint_tests: rules("smithy.rules#endpointTests"),
        operations,
        types: cx.types,
        service_errors: svc.errors.clone(),
        codec_stems,
        query_compatible: service.traits.contains("aws.protocols#awsQueryCompatible"),
        notes: cx.notes.take().into_iter().collect(),
        wire: WireProfile::default(),
        customization: Customization::of(&sdk_id),
    })
}

/// Auth-definition traits the model may apply to a service, and whether the generator can
/// authenticate with them.
const AUTH_SCHEMES: &[(&str, bool)] = &[
    ("aws.auth#sigv4", true),
    ("aws.auth#sigv4a", false),
    ("smithy.api#httpBearerAuth", false),
    ("smithy.api#httpBasicAuth", false),
    ("smithy.api#httpDigestAuth", false),
    ("smithy.api#httpApiKeyAuth", false),
];

/// The auth of operation `op` of `service`: the operation's `@auth` list, else the service's,
/// else the service's auth traits in shape-id order (Smithy's rule); the first scheme of that
/// list decides. An empty list is anonymous; a scheme the generator cannot sign with is
/// refused, naming it.
fn auth_of(service: &Shape, op: &Shape) -> Result<Auth, Error> {
    let list = |s: &Shape| -> Result<Option<Vec<String>>, Error> {
        s.traits
            .parse::<Vec<String>>("smithy.api#auth")
            .map_err(|e| Error::model(&s.id, e))
    };
    let on_service: Vec<String> = AUTH_SCHEMES
        .iter()
        .map(|(t, _)| t.to_string())
        .filter(|t| service.traits.contains(t))
        .collect();
    let (schemes, subject) = match list(op)? {
        Some(l) => (l, &op.id),
        None => match list(service)? {
            Some(l) => (l, &service.id),
            None => (on_service.clone(), &service.id),
        },
    };
    if let Some(unknown) = schemes.iter().find(|s| !on_service.contains(s)) {
        return Err(Error::model(
            subject,
            format!("has `smithy.api#auth` scheme `{unknown}`, which the service does not define"),
        ));
    }
    let Some(first) = schemes.first() else {
        return Ok(Auth::Anonymous);
    };
    let supported = AUTH_SCHEMES.iter().any(|(t, ok)| t == first && *ok);
    if !supported {
        return Err(Error::model(
            &op.id,
            format!("authenticates with `{first}`, which the generator does not support (it signs with `aws.auth#sigv4`)"),
        ));
    }
    Ok(if op.traits.contains("aws.auth#unsignedPayload") {
        Auth::SigV4UnsignedPayload
    } else {
        Auth::SigV4
    })
}

fn pick_service<'m>(model: &'m Model, id: Option<&str>) -> Result<&'m Shape, Error> {
    let services = model.services();
    match id {
        Some(id) => services
            .into_iter()
            .find(|s| s.id.as_str() == id)
            .ok_or_else(|| Error::model(id, "is not a service of the model")),
        None => match services.as_slice() {
            [one] => Ok(one),
            [] => Err(Error::model("<model>", "has no service shape")),
            many => Err(Error::model(
                "<model>",
                format!(
                    "has {} services; name one ({})",
                    many.len(),
                    many.iter()
                        .map(|s| s.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        },
    }
}

fn protocol_of(service: &Shape) -> Result<Protocol, Error> {
    for p in [
        Protocol::RestJson1,
        Protocol::AwsJson1_0,
        Protocol::AwsJson1_1,
    ] {
        if service.traits.contains(p.trait_id()) {
            if p != Protocol::RestJson1 {
                return Err(Error::model(
                    &service.id,
                    format!(
                        "uses protocol trait `{}`, which is not supported yet (restJson1 is)",
                        p.trait_id()
                    ),
                ));
            }
            return Ok(p);
        }
    }
    Err(Error::model(
        &service.id,
        "has no supported protocol trait (expected `aws.protocols#restJson1`)",
    ))
}

/// Every trait on the closure must be understood or known to have no wire effect.
fn check_traits(model: &Model, service: &Shape, closure: &BTreeSet<ShapeId>) -> Result<(), Error> {
    let custom: BTreeSet<&str> = model
        .shapes
        .values()
        .filter(|s| s.traits.contains("smithy.api#trait"))
        .map(|s| s.id.as_str())
        .collect();
    let is_custom = |t: &str| custom.contains(t);
    let has_rules = service.traits.contains("smithy.rules#endpointRuleSet");
    let check = |subject: &str, traits: &Traits| -> Result<(), Error> {
        for (t, _) in traits.iter() {
            if traits::ENDPOINT_RULE_HINTS.contains(&t.as_str()) {
                if has_rules {
                    continue;
                }
                return Err(Error::model(
                    subject,
                    format!("has trait `{t}` but no `smithy.rules#endpointRuleSet`: the generator resolves endpoints from the rule set only"),
                ));
            }
            if !traits::is_known(t, &is_custom) {
                return Err(Error::model(
                    subject,
                    format!("has trait `{t}`, which the generator does not support and which may change the wire format"),
                ));
            }
        }
        Ok(())
    };
    check(service.id.as_str(), &service.traits)?;
    for id in closure {
        let shape = &model.shapes[id];
        check(id.as_str(), &shape.traits)?;
        match &shape.kind {
            ShapeKind::Map { key, value } => {
                check(id.member("key").as_str(), &key.traits)?;
                check(id.member("value").as_str(), &value.traits)?;
            }
            _ => {
                for m in shape.members() {
                    check(id.member(&m.name).as_str(), &m.traits)?;
                }
            }
        }
    }
    Ok(())
}

/// Inputs and outputs used by exactly one operation, and nowhere else, live in that
/// operation's module; errors in `types::error`; everything else in `types`.
fn locate_types(
    model: &Model,
    op_ids: &[ShapeId],
    closure: &BTreeSet<ShapeId>,
) -> Result<BTreeMap<ShapeId, TypeLocation>, Error> {
    let mut uses: BTreeMap<ShapeId, usize> = BTreeMap::new();
    for id in closure {
        let shape = &model.shapes[id];
        let targets: Vec<&ShapeId> = match &shape.kind {
            ShapeKind::Operation(op) => op.input.iter().chain(&op.output).collect(),
            ShapeKind::Map { key, value } => vec![&key.target, &value.target],
            _ => shape.members().iter().map(|m| &m.target).collect(),
        };
        for t in targets {
            *uses.entry(t.clone()).or_default() += 1;
        }
    }
    let mut out = BTreeMap::new();
    for op_id in op_ids {
        let ShapeKind::Operation(op) = &model.resolve(op_id, "<service>")?.kind else {
            return Err(Error::model(
                op_id,
                "is bound as an operation but is not one",
            ));
        };
        let module = naming::module_name(op_id.name());
        for io in op.input.iter().chain(&op.output) {
            if !io.is_prelude() && uses.get(io) == Some(&1) {
                out.insert(io.clone(), TypeLocation::Operation(module.clone()));
            }
        }
    }
    for id in closure {
        if out.contains_key(id) {
            continue;
        }
        let shape = &model.shapes[id];
        let loc = if shape.traits.contains("smithy.api#error") {
            TypeLocation::Errors
        } else {
            TypeLocation::Types
        };
        out.insert(id.clone(), loc);
    }
    Ok(out)
}

struct Lowering<'m> {
    model: &'m Model,
    protocol: Protocol,
    rename: &'m BTreeMap<ShapeId, String>,
    types: BTreeMap<ShapeId, NamedType>,
    /// Inputs and outputs of the service's operations: their members carry HTTP bindings
    /// wherever the type lives (a shared input is emitted in `types`, yet still bound).
    io_shapes: BTreeSet<ShapeId>,
    /// Inputs, and outputs, of the service's operations: which way an event stream flows.
    inputs: BTreeSet<ShapeId>,
    outputs: BTreeSet<ShapeId>,
    /// What the generator left out and says so (`Service::notes`).
    notes: std::cell::RefCell<BTreeSet<String>>,
}

/// The input (`inputs`) or output shapes of `op_ids` (prelude `Unit`s left out).
fn io_side(model: &Model, op_ids: &[ShapeId], inputs: bool) -> BTreeSet<ShapeId> {
    op_ids
        .iter()
        .filter_map(|id| match &model.shapes.get(id)?.kind {
            ShapeKind::Operation(op) => {
                if inputs {
                    op.input.clone()
                } else {
                    op.output.clone()
                }
            }
            _ => None,
        })
        .filter(|id| !id.is_prelude())
        .collect()
}

/// The input and output shapes of `op_ids` (prelude `Unit`s left out).
fn io_shapes(model: &Model, op_ids: &[ShapeId]) -> BTreeSet<ShapeId> {
    op_ids
        .iter()
        .filter_map(|id| match &model.shapes.get(id)?.kind {
            ShapeKind::Operation(op) => Some(op.input.iter().chain(&op.output).cloned()),
            _ => None,
        })
        .flatten()
        .filter(|id| !id.is_prelude())
        .collect()
}

fn docs(traits: &Traits) -> Option<String> {
    traits.documentation().map(str::to_owned)
}
