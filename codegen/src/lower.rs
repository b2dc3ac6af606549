//! Model → IR. Resolves targets, merges constraints, decides bindings and wire names, assigns
//! every Rust name through `naming`, and refuses what it cannot generate correctly: unknown
//! wire traits, conflicting names, malformed traits; a pattern that does not compile is noted
//! (`Service::notes`) and left unchecked.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{
    Auth, Binding, Constraints, Customization, Enum, EnumValue, ErrorFault, ErrorInfo,
    EventStreamUnion, HostPrefixPart, HttpRoute, IntEnum, Member, NamedType, Operation, Pagination,
    PathSegment, Protocol, Service, StreamDirection, Structure, Target, TimestampFormat, Type,
    TypeLocation, Union, UnionVariant, WireProfile,
};
use crate::model::{traits, Model, Shape, ShapeId, ShapeKind, SimpleType, Traits};
use crate::{naming, Error};

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

impl Lowering<'_> {
    /// `p` when it is an ECMA-262 regular expression (after the rules of `pattern`). One that
    /// is not (a model's typo) is not checked, and a note says so: client-side patterns are
    /// a courtesy (botocore and the AWS SDKs check none), and the rest of the model is usable.
    fn usable_pattern(&self, subject: &ShapeId, p: String) -> Option<String> {
        match crate::pattern::to_regress(&p).and_then(|c| crate::pattern::check(&c)) {
            Ok(()) => Some(p),
            Err(e) => {
                self.notes.borrow_mut().insert(format!(
                    "`{subject}`: its `smithy.api#pattern` {p:?} is not an ECMA-262 regular expression ({e}); values are not checked against it"
                ));
                None
            }
        }
    }

    /// The name the service gives a shape (after `rename`).
    fn shape_name(&self, id: &ShapeId) -> String {
        self.rename
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.name().to_string())
    }

    fn lower_named(
        &self,
        shape: &Shape,
        locations: &BTreeMap<ShapeId, TypeLocation>,
    ) -> Result<Option<NamedType>, Error> {
        let id = &shape.id;
        let location = locations.get(id).cloned().unwrap_or(TypeLocation::Types);
        let rust_name = match &location {
            TypeLocation::Operation(_) => self.io_type_name(id)?,
            _ => naming::type_name(&self.shape_name(id)),
        };
        let sensitive = shape.traits.sensitive();
        Ok(Some(match &shape.kind {
            ShapeKind::Structure(members) => {
                if shape.traits.contains("smithy.api#unitType") {
                    return Ok(None);
                }
                let error = self.error_info(shape)?;
                let http_bound = self.io_shapes.contains(id) || error.is_some();
                let members = members
                    .iter()
                    .map(|m| self.lower_member(id, m, http_bound))
                    .collect::<Result<Vec<_>, _>>()?;
                if let Some(m) = members.iter().find(|m| m.target.ty == Type::Unit) {
                    return Err(Error::model(
                        id.member(&m.name),
                        "targets `smithy.api#Unit`, which only union members may",
                    ));
                }
                check_fields(id, &members)?;
                NamedType::Structure(Structure {
                    id: id.clone(),
                    rust_name,
                    location,
                    docs: docs(&shape.traits),
                    members,
                    error,
                    sensitive,
                })
            }
            ShapeKind::Union(members) => {
                let streaming = shape.traits.streaming();
                let mut variants = Vec::new();
                let mut errors = Vec::new();
                for m in members {
                    let variant = UnionVariant {
                        variant_name: naming::variant_name(&m.name),
                        member: self.lower_member(id, m, false)?,
                    };
                    if !streaming {
                        variants.push(variant);
                        continue;
                    }
                    // Every member of an event stream is an event structure or an error.
                    let target = self.model.resolve(&m.target, id.as_str())?;
                    if !matches!(target.kind, ShapeKind::Structure(_))
                        || target.traits.contains("smithy.api#unitType")
                    {
                        return Err(Error::model(
                            id.member(&m.name),
                            format!(
                                "is a member of the `smithy.api#streaming` union `{id}` but targets `{}`, not a structure",
                                m.target
                            ),
                        ));
                    }
                    if target.traits.contains("smithy.api#error") {
                        errors.push(variant);
                    } else {
                        variants.push(variant);
                    }
                }
                check_variants(
                    id,
                    variants
                        .iter()
                        .chain(&errors)
                        .map(|v| (&v.member.name, &v.variant_name)),
                )?;
                let event_stream = streaming.then(|| EventStreamUnion {
                    error_type: naming::event_stream_error_name(&rust_name),
                    errors,
                });
                NamedType::Union(Union {
                    id: id.clone(),
                    rust_name,
                    location,
                    docs: docs(&shape.traits),
                    variants,
                    sensitive,
                    event_stream,
                })
            }
            ShapeKind::Enum(members) => {
                let mut values = Vec::new();
                for m in members {
                    let value = match m.traits.enum_value() {
                        None => m.name.clone(),
                        Some(v) => v.as_str().map(str::to_owned).ok_or_else(|| {
                            Error::model(
                                id.member(&m.name),
                                "has a `smithy.api#enumValue` that is not a string",
                            )
                        })?,
                    };
                    values.push(EnumValue {
                        variant_name: naming::variant_name(&m.name),
                        name: m.name.clone(),
                        value,
                        docs: docs(&m.traits),
                    });
                }
                check_variants(id, values.iter().map(|v| (&v.name, &v.variant_name)))?;
                NamedType::Enum(Enum {
                    id: id.clone(),
                    rust_name,
                    location,
                    docs: docs(&shape.traits),
                    values,
                    sensitive,
                })
            }
            ShapeKind::IntEnum(members) => {
                let mut values = Vec::new();
                for m in members {
                    let value = m
                        .traits
                        .enum_value()
                        .and_then(|v| v.as_i64())
                        .and_then(|v| i32::try_from(v).ok())
                        .ok_or_else(|| {
                            Error::model(
                                id.member(&m.name),
                                "needs an integer `smithy.api#enumValue`",
                            )
                        })?;
                    values.push(EnumValue {
                        variant_name: naming::variant_name(&m.name),
                        name: m.name.clone(),
                        value,
                        docs: docs(&m.traits),
                    });
                }
                check_variants(id, values.iter().map(|v| (&v.name, &v.variant_name)))?;
                NamedType::IntEnum(IntEnum {
                    id: id.clone(),
                    rust_name,
                    location,
                    docs: docs(&shape.traits),
                    values,
                })
            }
            // Smithy 1.0: a string with `@enum`.
            ShapeKind::Simple(SimpleType::String) if shape.traits.contains("smithy.api#enum") => {
                let defs = shape
                    .traits
                    .enum_definitions()
                    .map_err(|e| Error::model(id, e))?
                    .unwrap_or_default();
                let values: Vec<EnumValue<String>> = defs
                    .into_iter()
                    .map(|d| {
                        let name = d.name.clone().unwrap_or_else(|| d.value.clone());
                        EnumValue {
                            variant_name: naming::variant_name(&name),
                            name,
                            value: d.value,
                            docs: d.documentation,
                        }
                    })
                    .collect();
                check_variants(id, values.iter().map(|v| (&v.name, &v.variant_name)))?;
                NamedType::Enum(Enum {
                    id: id.clone(),
                    rust_name,
                    location,
                    docs: docs(&shape.traits),
                    values,
                    sensitive,
                })
            }
            _ => return Ok(None),
        }))
    }

    /// Operation inputs and outputs are named after the operation, whatever the shape's name.
    fn io_type_name(&self, id: &ShapeId) -> Result<String, Error> {
        for shape in self.model.shapes.values() {
            if let ShapeKind::Operation(op) = &shape.kind {
                if op.input.as_ref() == Some(id) {
                    return Ok(naming::input_name(&self.shape_name(&shape.id)));
                }
                if op.output.as_ref() == Some(id) {
                    return Ok(naming::output_name(&self.shape_name(&shape.id)));
                }
            }
        }
        Ok(naming::type_name(&self.shape_name(id)))
    }

    fn error_info(&self, shape: &Shape) -> Result<Option<ErrorInfo>, Error> {
        let Some(fault) = shape
            .traits
            .error()
            .map_err(|e| Error::model(&shape.id, e))?
        else {
            return Ok(None);
        };
        let fault = match fault.as_str() {
            "client" => ErrorFault::Client,
            "server" => ErrorFault::Server,
            other => {
                return Err(Error::model(
                    &shape.id,
                    format!("has `smithy.api#error` {other:?}; expected \"client\" or \"server\""),
                ))
            }
        };
        let http_status = shape
            .traits
            .http_error()
            .map_err(|e| Error::model(&shape.id, e))?
            .unwrap_or(match fault {
                ErrorFault::Client => 400,
                ErrorFault::Server => 500,
            });
        #[derive(serde::Deserialize)]
        struct QueryError {
            code: String,
        }
        let query_code = shape
            .traits
            .parse::<QueryError>("aws.protocols#awsQueryError")
            .map_err(|e| Error::model(&shape.id, e))?
            .map(|q| q.code);
        Ok(Some(ErrorInfo {
            fault,
            http_status,
            code: shape.id.name().to_string(),
            query_code,
        }))
    }

    fn lower_member(
        &self,
        parent: &ShapeId,
        m: &crate::model::Member,
        http_bound: bool,
    ) -> Result<Member, Error> {
        let member_id = parent.member(&m.name);
        let err = |e: String| Error::model(&member_id, e);
        let mut target = self.lower_target(&member_id, &m.target, &m.traits)?;
        let binding = if http_bound && self.protocol == Protocol::RestJson1 {
            match binding_of(&m.traits).map_err(err)? {
                Binding::Label | Binding::Query(_) | Binding::QueryParams
                    if self.outputs.contains(parent) && !self.inputs.contains(parent) =>
                {
                    Binding::Body
                }
                b => b,
            }
        } else {
            Binding::Body
        };
        let binding = match self.event_binding(&m.traits, &target).map_err(err)? {
            Some(event) if binding != Binding::Body => {
                return Err(err(format!(
                    "has both an HTTP binding ({binding:?}) and an event stream binding ({event:?})"
                )))
            }
            Some(event) => event,
            None => binding,
        };
        // A `@streaming` union is the whole body of an input or output, as a stream of events.
        if let Type::Named(union) = &target.ty {
            if self.model.shapes[union].traits.streaming() {
                let direction = match (self.inputs.contains(parent), self.outputs.contains(parent))
                {
                    (true, false) => Some(StreamDirection::Input),
                    (false, true) => Some(StreamDirection::Output),
                    _ => None,
                };
                let payload = http_bound && binding == Binding::Payload;
                let (Some(direction), true) = (direction, payload) else {
                    return Err(err(format!(
                        "targets the `smithy.api#streaming` union `{union}`, which only the `smithy.api#httpPayload` member of an operation's input or output may target"
                    )));
                };
                target.ty = Type::EventStream {
                    union: union.clone(),
                    direction,
                };
            }
        }
        // A `@streaming` blob is the whole message body: only an `@httpPayload` can hold it.
        if matches!(target.ty, Type::Blob { streaming: true })
            && !(http_bound && binding == Binding::Payload)
        {
            return Err(err(format!(
                "targets the `smithy.api#streaming` blob `{}`, which only an `smithy.api#httpPayload` member of an operation's input or output may target",
                m.target
            )));
        }
        let json_name = match self.protocol {
            Protocol::RestJson1 => m.traits.json_name().map_err(err)?,
            _ => None,
        }
        .unwrap_or_else(|| m.name.clone());
        let target_shape = &self.model.shapes[&m.target];
        Ok(Member {
            name: m.name.clone(),
            field_name: naming::field_name(&m.name),
            json_name,
            docs: docs(&m.traits).or_else(|| docs(&target_shape.traits)),
            target,
            required: m.traits.required() && !m.traits.client_optional(),
            client_optional: m.traits.client_optional(),
            default: m
                .traits
                .default_value()
                .or_else(|| target_shape.traits.default_value())
                .filter(|v| !v.is_null())
                .cloned(),
            binding,
            idempotency_token: m.traits.idempotency_token(),
            host_label: http_bound && m.traits.contains("smithy.api#hostLabel"),
            boxed: false,
        })
    }

    /// `@eventHeader` or `@eventPayload` of an event structure's member, checked against what
    /// the member holds.
    fn event_binding(&self, traits: &Traits, target: &Target) -> Result<Option<Binding>, String> {
        const HEADER: &str = "smithy.api#eventHeader";
        const PAYLOAD: &str = "smithy.api#eventPayload";
        let kind_of = |id: &ShapeId| self.model.shapes.get(id).map(|s| &s.kind);
        match (traits.contains(HEADER), traits.contains(PAYLOAD)) {
            (false, false) => Ok(None),
            (true, true) => Err(format!("has both `{HEADER}` and `{PAYLOAD}`")),
            (true, false) => match &target.ty {
                Type::Boolean
                | Type::Byte
                | Type::Short
                | Type::Integer
                | Type::Long
                | Type::String
                | Type::Blob { streaming: false }
                | Type::Timestamp { .. } => Ok(Some(Binding::EventHeader)),
                Type::Named(id)
                    if matches!(
                        kind_of(id),
                        Some(ShapeKind::Enum(_) | ShapeKind::IntEnum(_) | ShapeKind::Simple(_))
                    ) =>
                {
                    Ok(Some(Binding::EventHeader))
                }
                _ => Err(format!(
                    "has `{HEADER}` but targets `{}`, which an event header cannot hold (boolean, byte, short, integer, long, blob, string or timestamp)",
                    target.shape
                )),
            },
            (false, true) => match &target.ty {
                Type::String | Type::Blob { streaming: false } => Ok(Some(Binding::EventPayload)),
                Type::Named(id)
                    if matches!(
                        kind_of(id),
                        Some(ShapeKind::Structure(_) | ShapeKind::Union(_))
                    ) =>
                {
                    Ok(Some(Binding::EventPayload))
                }
                _ => Err(format!(
                    "has `{PAYLOAD}` but targets `{}`, which an event payload cannot hold (blob, string, structure or union)",
                    target.shape
                )),
            },
        }
    }

    /// Resolves what `target` holds, with the member's own traits layered over the shape's.
    fn lower_target(
        &self,
        subject: &ShapeId,
        target: &ShapeId,
        member_traits: &Traits,
    ) -> Result<Target, Error> {
        let shape = self.model.resolve(target, subject.as_str())?;
        // A malformed trait is reported on whoever carries it: the member or its target.
        let err = |e: String| Error::model(subject, e);
        let shape_err = |e: String| Error::model(target, e);
        let ty = match &shape.kind {
            ShapeKind::Simple(s) => match s {
                SimpleType::String if shape.traits.contains("smithy.api#enum") => {
                    Type::Named(target.clone())
                }
                SimpleType::Blob => Type::Blob {
                    streaming: shape.traits.streaming(),
                },
                SimpleType::Boolean => Type::Boolean,
                SimpleType::String => Type::String,
                SimpleType::Byte => Type::Byte,
                SimpleType::Short => Type::Short,
                SimpleType::Integer => Type::Integer,
                SimpleType::Long => Type::Long,
                SimpleType::Float => Type::Float,
                SimpleType::Double => Type::Double,
                SimpleType::BigInteger => Type::BigInteger,
                SimpleType::BigDecimal => Type::BigDecimal,
                SimpleType::Timestamp => {
                    let own = member_traits
                        .timestamp_format()
                        .map_err(err)?
                        .map(|f| timestamp_format(subject, &f))
                        .transpose()?;
                    let of_shape = shape
                        .traits
                        .timestamp_format()
                        .map_err(shape_err)?
                        .map(|f| timestamp_format(target, &f))
                        .transpose()?;
                    Type::Timestamp {
                        format: own.or(of_shape),
                    }
                }
                SimpleType::Document => Type::Document,
            },
            ShapeKind::List(item) => Type::List {
                item: Box::new(self.lower_target(
                    &target.member("member"),
                    &item.target,
                    &item.traits,
                )?),
                sparse: shape.traits.sparse(),
            },
            ShapeKind::Map { key, value } => Type::Map {
                key: Box::new(self.lower_target(
                    &target.member("key"),
                    &key.target,
                    &key.traits,
                )?),
                value: Box::new(self.lower_target(
                    &target.member("value"),
                    &value.target,
                    &value.traits,
                )?),
                sparse: shape.traits.sparse(),
            },
            ShapeKind::Structure(_) if shape.traits.contains("smithy.api#unitType") => Type::Unit,
            ShapeKind::Structure(_)
            | ShapeKind::Union(_)
            | ShapeKind::Enum(_)
            | ShapeKind::IntEnum(_) => Type::Named(target.clone()),
            ShapeKind::Operation(_) | ShapeKind::Service(_) | ShapeKind::Resource(_) => {
                return Err(Error::model(
                    subject,
                    format!(
                        "targets `{target}`, a shape of type `{}`, which members cannot target",
                        shape.kind.type_name()
                    ),
                ))
            }
        };
        let mut constraints = Constraints {
            length: shape.traits.length().map_err(shape_err)?,
            range: shape.traits.range().map_err(shape_err)?,
            pattern: shape
                .traits
                .pattern()
                .map_err(shape_err)?
                .and_then(|p| self.usable_pattern(target, p)),
        };
        if let Some(l) = member_traits.length().map_err(err)? {
            constraints.length = Some(l);
        }
        if let Some(r) = member_traits.range().map_err(err)? {
            constraints.range = Some(r);
        }
        if let Some(p) = member_traits.pattern().map_err(err)? {
            constraints.pattern = self.usable_pattern(subject, p);
        }
        Ok(Target {
            shape: target.clone(),
            ty,
            constraints,
            sensitive: shape.traits.sensitive() || member_traits.sensitive(),
            media_type: shape.traits.media_type().map_err(shape_err)?,
        })
    }

    fn lower_operation(
        &self,
        op_id: &ShapeId,
        service_errors: &[ShapeId],
        service_paginated: Option<&traits::Paginated>,
    ) -> Result<Operation, Error> {
        let shape = self.model.resolve(op_id, "<service>")?;
        let ShapeKind::Operation(op) = &shape.kind else {
            unreachable!("checked by locate_types")
        };
        let name = self.shape_name(op_id);
        let io = |t: &Option<ShapeId>, suffix: &str| -> ShapeId {
            match t {
                Some(t) if !t.is_prelude() => t.clone(),
                _ => op_id.member(suffix),
            }
        };
        let input = io(&op.input, "input");
        let output = io(&op.output, "output");
        let type_of = |id: &ShapeId, fallback: String| match self.types.get(id) {
            Some(t) => t.rust_name().to_string(),
            None => fallback,
        };
        let http = match self.protocol {
            Protocol::RestJson1 => {
                let http = shape
                    .traits
                    .http()
                    .map_err(|e| Error::model(op_id, e))?
                    .ok_or_else(|| {
                        Error::model(
                            op_id,
                            "has no `smithy.api#http` trait, which restJson1 requires",
                        )
                    })?;
                route(op_id, &http, self.input_labels(&input))?
            }
            _ => HttpRoute {
                method: "POST".into(),
                path: vec![],
                literal_query: vec![],
                code: 200,
                uri: "/".into(),
            },
        };
        let mut errors: Vec<ShapeId> = Vec::new();
        for e in op.errors.iter().chain(service_errors) {
            let shape = self.model.resolve(e, op_id.as_str())?;
            if !shape.traits.contains("smithy.api#error") {
                return Err(Error::model(
                    e,
                    format!(
                        "is listed as an error of `{op_id}` but has no `smithy.api#error` trait"
                    ),
                ));
            }
            if errors.contains(e) {
                continue;
            }
            // The error code on the wire is the shape's name, whatever its namespace.
            if let Some(other) = errors.iter().find(|o| o.name() == e.name()) {
                return Err(Error::model(
                    op_id,
                    format!(
                        "can return `{other}` and `{e}`, which share the error code `{}` on the wire",
                        e.name()
                    ),
                ));
            }
            errors.push(e.clone());
        }
        let host_prefix = self.host_prefix(op_id, &shape.traits, &input)?;
        let checksum_required = shape.traits.contains("smithy.api#httpChecksumRequired");
        let request_compression = shape
            .traits
            .request_compression()
            .map_err(|e| Error::model(op_id, e))?;
        // Both read the whole body: a streamed one is not sent from memory.
        if (checksum_required || !request_compression.is_empty())
            && has_streaming_member(self.model, &input)
        {
            let t = if checksum_required {
                "smithy.api#httpChecksumRequired"
            } else {
                "smithy.api#requestCompression"
            };
            return Err(Error::model(
                op_id,
                format!("has `{t}` and a streaming input, which is not supported yet (the body is read whole only when it is in memory)"),
            ));
        }
        let paginated = shape
            .traits
            .paginated()
            .map_err(|e| Error::model(op_id, e))?
            .map(|p| pagination(op_id, &p, service_paginated))
            .transpose()?;
        Ok(Operation {
            id: op_id.clone(),
            module_name: naming::module_name(&name),
            method_name: naming::method_name(&name),
            docs: docs(&shape.traits),
            http,
            input_type: type_of(&input, naming::input_name(&name)),
            output_type: type_of(&output, naming::output_name(&name)),
            error_type: naming::error_enum_name(&name),
            input,
            output,
            errors,
            paginated,
            auth: Auth::SigV4,
            host_prefix,
            checksum_required,
            request_compression,
            name,
        })
    }

    /// `@endpoint` `hostPrefix` of an operation, checked against the input's `@hostLabel`s:
    /// every label names one, every such member is a required string named by a label.
    fn host_prefix(
        &self,
        op_id: &ShapeId,
        traits: &Traits,
        input: &ShapeId,
    ) -> Result<Option<Vec<HostPrefixPart>>, Error> {
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Endpoint {
            host_prefix: String,
        }
        let endpoint = traits
            .parse::<Endpoint>("smithy.api#endpoint")
            .map_err(|e| Error::model(op_id, e))?;
        let members: Vec<&crate::model::Member> = match self.model.shapes.get(input) {
            Some(shape) => shape.members().iter().collect(),
            None => Vec::new(),
        };
        let host_labels: Vec<&crate::model::Member> = members
            .iter()
            .copied()
            .filter(|m| m.traits.contains("smithy.api#hostLabel"))
            .collect();
        let Some(endpoint) = endpoint else {
            if let Some(m) = host_labels.first() {
                return Err(Error::model(
                    input.member(&m.name),
                    format!("has `smithy.api#hostLabel` but operation `{op_id}` has no `smithy.api#endpoint` hostPrefix"),
                ));
            }
            return Ok(None);
        };
        let err = |m: String| {
            Error::model(
                op_id,
                format!(
                    "has `smithy.api#endpoint` hostPrefix {:?}: {m}",
                    endpoint.host_prefix
                ),
            )
        };
        let mut parts = Vec::new();
        let mut rest = endpoint.host_prefix.as_str();
        let mut used = BTreeSet::new();
        while !rest.is_empty() {
            match rest.find('{') {
                Some(0) => {
                    let end = rest
                        .find('}')
                        .ok_or_else(|| err("a `{` is not closed".into()))?;
                    let name = &rest[1..end];
                    let member = host_labels.iter().find(|m| m.name == name).ok_or_else(|| {
                        err(format!(
                            "label `{name}` has no input member with `smithy.api#hostLabel`"
                        ))
                    })?;
                    let target = self.model.resolve(&member.target, op_id.as_str())?;
                    if !matches!(target.kind, ShapeKind::Simple(SimpleType::String))
                        || target.traits.contains("smithy.api#enum")
                        || !member.traits.required()
                    {
                        return Err(Error::model(
                            input.member(name),
                            "has `smithy.api#hostLabel` but is not a required string",
                        ));
                    }
                    used.insert(name.to_string());
                    parts.push(HostPrefixPart::Label(name.to_string()));
                    rest = &rest[end + 1..];
                }
                found => {
                    let end = found.unwrap_or(rest.len());
                    let text = &rest[..end];
                    if text.contains('}')
                        || !text
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
                    {
                        return Err(err(format!("{text:?} is not part of a host name")));
                    }
                    parts.push(HostPrefixPart::Literal(text.to_string()));
                    rest = &rest[end..];
                }
            }
        }
        if let Some(m) = host_labels.iter().find(|m| !used.contains(&m.name)) {
            return Err(Error::model(
                input.member(&m.name),
                format!(
                    "has `smithy.api#hostLabel` but the hostPrefix of `{op_id}` has no `{{{}}}`",
                    m.name
                ),
            ));
        }
        Ok(Some(parts))
    }

    fn input_labels(&self, input: &ShapeId) -> Vec<String> {
        match self.types.get(input) {
            Some(NamedType::Structure(s)) => s
                .members
                .iter()
                .filter(|m| m.binding == Binding::Label)
                .map(|m| m.name.clone())
                .collect(),
            _ => vec![],
        }
    }
}

fn timestamp_format(subject: &ShapeId, f: &str) -> Result<TimestampFormat, Error> {
    match f {
        "epoch-seconds" => Ok(TimestampFormat::EpochSeconds),
        "date-time" => Ok(TimestampFormat::DateTime),
        "http-date" => Ok(TimestampFormat::HttpDate),
        other => Err(Error::model(
            subject,
            format!("has `smithy.api#timestampFormat` {other:?}; expected epoch-seconds, date-time or http-date"),
        )),
    }
}

fn binding_of(t: &Traits) -> Result<Binding, String> {
    let mut found = Vec::new();
    if t.http_label() {
        found.push(Binding::Label);
    }
    if let Some(q) = t.http_query()? {
        found.push(Binding::Query(q));
    }
    if t.http_query_params() {
        found.push(Binding::QueryParams);
    }
    if let Some(h) = t.http_header()? {
        found.push(Binding::Header(h));
    }
    if let Some(p) = t.http_prefix_headers()? {
        found.push(Binding::PrefixHeaders(p));
    }
    if t.http_payload() {
        found.push(Binding::Payload);
    }
    if t.http_response_code() {
        found.push(Binding::ResponseCode);
    }
    match found.len() {
        0 => Ok(Binding::Body),
        1 => Ok(found.pop().expect("one binding")),
        _ => Err(format!("has more than one HTTP binding trait ({found:?})")),
    }
}

/// Parses `/path/{Label}/{Greedy+}?literal=1&flag` and checks labels against the input.
fn route(
    op: &ShapeId,
    http: &crate::model::traits::HttpTrait,
    labels: Vec<String>,
) -> Result<HttpRoute, Error> {
    let err =
        |m: String| Error::model(op, format!("has `smithy.api#http` uri {:?}: {m}", http.uri));
    if !http.uri.starts_with('/') {
        return Err(err("it must start with `/`".into()));
    }
    let (path, query) = match http.uri.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (http.uri.as_str(), None),
    };
    let mut segments = Vec::new();
    let mut seen = BTreeSet::new();
    // A trailing `/` (and the root `/`) is no segment: the request builder writes it back
    // from `uri`.
    let path = path.strip_suffix('/').unwrap_or(path);
    for seg in path.split('/').skip(1) {
        if let Some(inner) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            let (name, greedy) = match inner.strip_suffix('+') {
                Some(n) => (n, true),
                None => (inner, false),
            };
            if !labels.iter().any(|l| l == name) {
                return Err(err(format!(
                    "label `{name}` has no input member with `smithy.api#httpLabel`"
                )));
            }
            seen.insert(name.to_string());
            segments.push(PathSegment::Label {
                member: name.to_string(),
                greedy,
            });
        } else if seg.contains('{') || seg.contains('}') {
            return Err(err(format!("segment {seg:?} mixes a label with text")));
        } else {
            segments.push(PathSegment::Literal(seg.to_string()));
        }
    }
    if let Some(unbound) = labels.iter().find(|l| !seen.contains(*l)) {
        return Err(err(format!("input member `{unbound}` has `smithy.api#httpLabel` but the uri has no `{{{unbound}}}`")));
    }
    let literal_query = query
        .map(|q| {
            q.split('&')
                .filter(|p| !p.is_empty())
                .map(|p| match p.split_once('=') {
                    Some((k, v)) => (k.to_string(), Some(v.to_string())),
                    None => (p.to_string(), None),
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(HttpRoute {
        method: http.method.clone(),
        path: segments,
        literal_query,
        code: http.code.unwrap_or(200),
        uri: http.uri.clone(),
    })
}

fn pagination(
    op: &ShapeId,
    p: &traits::Paginated,
    service: Option<&traits::Paginated>,
) -> Result<Pagination, Error> {
    let pick = |own: &Option<String>, svc: Option<&Option<String>>| {
        own.clone().or_else(|| svc.and_then(|s| s.clone()))
    };
    let input_token = pick(&p.input_token, service.map(|s| &s.input_token));
    let output_token = pick(&p.output_token, service.map(|s| &s.output_token));
    let (Some(input_token), Some(output_token)) = (input_token, output_token) else {
        return Err(Error::model(
            op,
            "has `smithy.api#paginated` without inputToken and outputToken",
        ));
    };
    let path = |s: String| s.split('.').map(str::to_owned).collect::<Vec<_>>();
    Ok(Pagination {
        input_token,
        output_token: path(output_token),
        items: pick(&p.items, service.map(|s| &s.items)).map(path),
        page_size: pick(&p.page_size, service.map(|s| &s.page_size)),
    })
}

fn check_fields(id: &ShapeId, members: &[Member]) -> Result<(), Error> {
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

fn check_variants<'a>(
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
fn check_event_streams(types: &BTreeMap<ShapeId, NamedType>) -> Result<(), Error> {
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
fn codec_stems(types: &BTreeMap<ShapeId, NamedType>) -> Result<BTreeMap<ShapeId, String>, Error> {
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
fn check_unique_names(
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
fn mark_boxed(types: &mut BTreeMap<ShapeId, NamedType>) {
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
