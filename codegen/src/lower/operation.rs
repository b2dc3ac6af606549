//! Operations: HTTP routes, host prefixes, pagination, auth and event streams.

use std::collections::BTreeSet;

use crate::ir::{
    Auth, Binding, HostPrefixPart, HttpRoute, NamedType, Operation, Pagination, PathSegment,
    Protocol,
};
use crate::model::{traits, ShapeId, ShapeKind, SimpleType, Traits};
use crate::{naming, Error};

use super::{docs, has_streaming_member, Lowering};

impl Lowering<'_> {
    pub(super) fn lower_operation(
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
