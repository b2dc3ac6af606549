//! Named types, members and targets: the shapes of the service's types, with their
//! constraints, bindings, wire names and Rust names.

use std::collections::BTreeMap;

use crate::ir::{
    Binding, Constraints, Enum, EnumValue, ErrorFault, ErrorInfo, EventStreamUnion, IntEnum,
    Member, NamedType, Protocol, StreamDirection, Structure, Target, TimestampFormat, Type,
    TypeLocation, Union, UnionVariant,
};
use crate::model::{Shape, ShapeId, ShapeKind, SimpleType, Traits};
use crate::{naming, Error};

use super::checks::{check_fields, check_variants};
use super::{docs, Lowering};

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
    pub(super) fn shape_name(&self, id: &ShapeId) -> String {
        self.rename
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.name().to_string())
    }

    pub(super) fn lower_named(
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
