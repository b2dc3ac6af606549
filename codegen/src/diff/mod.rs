//! Compares two lowered services and lists every change, classified the way Smithy's own diff
//! tool (smithy-diff) classifies model changes, with each change's effect on the generated
//! Rust API in words.
//!
//! The four classes:
//!
//! * **Breaking**: code written against the old crate stops compiling, or the old crate's
//!   requests and parsing stop matching the service (smithy-diff `ERROR`).
//! * **Dangerous**: it compiles and talks to the service, but behaviour can change under the
//!   caller's feet: new values old code cannot name, a default that means something else
//!   (smithy-diff `DANGER`, and `WARNING` where the generated Rust makes it matter).
//! * **Compatible**: additions old code keeps working with (smithy-diff `NOTE`).
//! * **Documentation**: docs only.
//!
//! The generated crates shape the reasoning: every struct field is an `Option` and every
//! struct and enum is `#[non_exhaustive]`, so adding members and variants never breaks a
//! build; inputs are validated on the client (required, length, range, pattern) before a
//! request is built, outputs are not; enums keep unknown values in `Unknown`; operation
//! errors are an enum with `Unhandled` for errors it does not model; `@default` values are
//! not applied by the generator (fields stay `Option`).
//!
//! "Input" below means reachable from an operation input, "output" reachable from an output
//! or an error; a shape that is both gets the worse of the two classes.
//!
//! | change | class | why (smithy-diff's reasoning, adjusted to the generated Rust) |
//! | --- | --- | --- |
//! | operation added | Compatible | new `Client` method and `operation` module (`AddedShape`, NOTE) |
//! | operation removed | Breaking | method, module and types disappear (`RemovedShape`, ERROR) |
//! | HTTP method, URI or success code changed | Breaking | older crates send to the old route (`http` is `diff.error.const`) |
//! | operation input/output shape changed, same Rust type | Compatible | the Rust names are the operation's; members are compared as usual |
//! | operation input/output shape changed, other Rust type | Breaking | `ChangedOperationInput`/`Output`, ERROR |
//! | error added to an operation (or the service) | Dangerous | new variant; older crates return it as `Unhandled` (`AddedOperationError`, WARNING) |
//! | error removed from an operation (or the service) | Breaking | the variant and its `is_*` method disappear (smithy: WARNING; in Rust a compile error) |
//! | error added to an event stream union | Dangerous | new variant of the stream's error enum; older crates give it as `Unhandled` (`AddedEventStreamError`) |
//! | error removed from an event stream union | Breaking | the variant of the stream's error enum disappears (`RemovedEventStreamError`) |
//! | `@httpChecksumRequired` added / removed | Breaking / Compatible | older crates send no checksum the service now requires / an extra checksum is ignored |
//! | `@requestCompression` added, removed or changed | Compatible | services must keep taking uncompressed bodies and encodings they took |
//! | pagination added | Compatible | new `into_paginator`/`into_items` |
//! | pagination removed | Breaking | paginator methods disappear (`paginated` is `diff.error.remove`) |
//! | pagination tokens or items changed, page size changed or removed | Dangerous | `ChangedPaginatedTrait`, DANGER |
//! | page size added | Compatible | `ChangedPaginatedTrait` allows it |
//! | shape added | Compatible | new type (`AddedShape`, NOTE) |
//! | shape removed | Breaking | the type disappears (`RemovedShape`, ERROR) |
//! | shape type changed (structure → union, ...) | Breaking | `ChangedShapeType`, ERROR |
//! | Rust path of a type changed (moved between modules) | Breaking | every `use` of it breaks |
//! | member added, optional | Compatible | new field and setters; structs are `#[non_exhaustive]` |
//! | required member added to an input | Breaking | validation rejects every call that does not set it (`AddedRequiredMember`, ERROR) |
//! | required member added to an output | Compatible | the field is an `Option` like any other |
//! | union member added, input only | Compatible | new variant of a `#[non_exhaustive]` enum |
//! | union member added, output | Dangerous | older crates read it as `Unknown` (same reasoning as enum values) |
//! | member removed | Breaking | the field and its setters disappear (`RemovedShape`, ERROR) |
//! | member target changed, other Rust type | Breaking | `ChangedMemberTarget`, ERROR |
//! | member target changed, same Rust type | Compatible | constraints and formats are compared on their own |
//! | `@required` added, input | Breaking | validation now rejects inputs without it (`ChangedNullability`, ERROR) |
//! | `@required` added, output | Compatible | output fields stay `Option`; no Rust change |
//! | `@required` removed, input | Compatible | validation accepts more |
//! | `@required` removed, output | Dangerous | the service may now omit it; code that unwraps it can panic (`RemovedRequiredTrait`, ERROR/WARNING) |
//! | `@default` added, removed or changed | Dangerous | smithy-diff says ERROR/DANGER for generators that fill defaults; this one keeps fields `Option`, so no Rust change, but what an unset member means changes |
//! | `@length`/`@range` tightened, input | Breaking | validation rejects values it accepted (`ChangedLengthTrait`/`ChangedRangeTrait`, ERROR) |
//! | `@pattern` added, input | Breaking | validation rejects values it accepted |
//! | `@pattern` changed, input | Dangerous | whether it is tighter cannot be decided |
//! | constraint loosened or removed; any constraint change on outputs only | Compatible | outputs are not validated |
//! | HTTP binding changed (body, label, query, header, ...) | Breaking | wire change (`http*` traits are `diff.error.const`) |
//! | `@jsonName` changed | Breaking | wire change (`diff.error.const`) |
//! | `@timestampFormat` changed | Breaking | wire change (`diff.error.const`) |
//! | `@streaming` changed | Breaking | wire change (`diff.error.const`) |
//! | `@sensitive` added | Compatible | `Debug` output is redacted |
//! | `@sensitive` removed | Dangerous | values show up in `Debug` output and logs |
//! | `@idempotencyToken` added / removed | Compatible / Dangerous | `diff.error.remove`; the generator does not fill tokens, so no Rust change |
//! | enum value added, input only | Compatible | new variant of a `#[non_exhaustive]` enum (`ChangedEnumTrait`, NOTE) |
//! | enum value added, output | Dangerous | older crates see it as `Unknown` |
//! | enum value inserted before existing ones | Dangerous | the enums derive `Ord` by declaration order (`ChangedEnumTrait`: ERROR, for ordinals) |
//! | enum value removed | Breaking | the variant disappears (`ChangedEnumTrait`, ERROR) |
//! | enum name changed, same value (variant renamed) | Breaking | `ChangedEnumTrait`, ERROR |
//! | enum name changed, same value and same Rust variant | Compatible | no Rust change |
//! | enum wire value changed, same name | Breaking | `enumValue` is `diff.error.const` |
//! | error fault changed | Breaking | `error` is `diff.error.const`; `IS_CLIENT_FAULT` flips |
//! | error HTTP status changed | Dangerous | `HTTP_STATUS` changes |
//! | service version changed | Dangerous | not on the wire for restJson1, but a new API version can change behaviour the model does not describe |
//! | sdkId, protocol or signing name changed | Breaking | the crate is renamed, or requests are encoded or signed differently |
//! | endpoint prefix changed | Compatible | not used: endpoints come from the rule set |
//! | endpoint rule set changed | Dangerous | requests may resolve to other endpoints |
//! | endpoint rule set removed | Breaking | the client cannot resolve endpoints |
//! | endpoint tests changed | Compatible | test data only |
//! | documentation or title changed | Documentation | |
//!
//! Output is sorted (class, then subject, then the rest) and deterministic: the same two
//! services always give the same text.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::emit::api_listing::{
    builder_path_string, error_predicate_name, fluent_path_string, member_type_string,
    type_path_string,
};
use crate::ir::{
    Binding, Enum, EnumValue, ErrorFault, IntEnum, Member, NamedType, Operation, Pagination,
    Service, Structure, Target, TimestampFormat, Type, TypeLocation, Union,
};
use crate::model::ShapeId;
use crate::naming;
mod members;
mod report;
mod service;
mod shapes;

pub use report::{Change, Report, Severity};

/// Compares `old` with `new`.
pub fn diff(old: &Service, new: &Service) -> Report {
    let mut cx = Cx {
        old,
        new,
        old_flow: Flow::of(old),
        new_flow: Flow::of(new),
        changes: Vec::new(),
    };
    cx.service();
    cx.operations();
    cx.types();
    let mut changes = cx.changes;
    changes.sort();
    changes.dedup();
    Report {
        service: new.id.to_string(),
        crate_name: new.crate_name.clone(),
        old_version: old.version.clone(),
        new_version: new.version.clone(),
        changes,
    }
}

/// Which named types are reachable from inputs and from outputs (and errors).
struct Flow {
    input: BTreeSet<ShapeId>,
    output: BTreeSet<ShapeId>,
}

impl Flow {
    fn of(svc: &Service) -> Flow {
        Flow {
            input: svc.input_types(),
            output: svc.output_types(),
        }
    }
}

/// Where a shape flows: into requests, out of responses, or both.
#[derive(Clone, Copy, Debug)]
struct Dir {
    input: bool,
    output: bool,
}

impl Dir {
    /// The class of a change that is `on_input` for inputs and `on_output` for outputs: the
    /// worse of the two that apply (both when the flow is unknown).
    fn pick(self, on_input: Severity, on_output: Severity) -> Severity {
        match (self.input, self.output) {
            (true, false) => on_input,
            (false, true) => on_output,
            _ => on_input.min(on_output),
        }
    }
}

struct Cx<'a> {
    old: &'a Service,
    new: &'a Service,
    old_flow: Flow,
    new_flow: Flow,
    changes: Vec<Change>,
}

/// Where a member lives, for messages.
struct Owner<'a> {
    /// The model id of the member (`ns#Shape$Member`).
    subject: String,
    /// `types::Shape::field` (or `types::Union::Variant`).
    rust: String,
    dir: Dir,
    /// Client methods whose input is the owning structure.
    callers: Vec<&'a Operation>,
}

fn code(s: impl fmt::Display) -> String {
    format!("`{s}`")
}

fn list(items: &[String]) -> String {
    items.join(", ")
}

impl<'a> Cx<'a> {
    fn push(
        &mut self,
        severity: Severity,
        id: &'static str,
        subject: impl fmt::Display,
        model: impl Into<String>,
        rust: impl Into<String>,
    ) {
        self.changes.push(Change {
            severity,
            subject: subject.to_string(),
            id,
            model: model.into(),
            rust: rust.into(),
        });
    }

    fn dir(&self, old_id: &ShapeId, new_id: &ShapeId) -> Dir {
        Dir {
            input: self.old_flow.input.contains(old_id) || self.new_flow.input.contains(new_id),
            output: self.old_flow.output.contains(old_id) || self.new_flow.output.contains(new_id),
        }
    }

    fn docs(
        &mut self,
        subject: impl fmt::Display,
        what: &str,
        old: Option<&str>,
        new: Option<&str>,
    ) {
        let norm = |d: Option<&str>| {
            d.map(str::trim)
                .filter(|d| !d.is_empty())
                .map(str::to_owned)
        };
        let (old, new) = (norm(old), norm(new));
        if old == new {
            return;
        }
        let model = match (&old, &new) {
            (None, Some(_)) => "documentation added",
            (Some(_), None) => "documentation removed",
            _ => "documentation changed",
        };
        self.push(
            Severity::Documentation,
            "ChangedDocumentation",
            subject,
            model,
            format!("rustdoc of {what} changes"),
        );
    }
}

fn kind_name(t: &NamedType) -> &'static str {
    match t {
        NamedType::Structure(s) if s.error.is_some() => "error structure",
        NamedType::Structure(_) => "structure",
        NamedType::Union(_) => "union",
        NamedType::Enum(_) => "enum",
        NamedType::IntEnum(_) => "intEnum",
    }
}

fn binding(b: &Binding) -> String {
    match b {
        Binding::Body => "the JSON body".into(),
        Binding::Label => "a URI label".into(),
        Binding::Query(q) => format!("query parameter `{q}`"),
        Binding::QueryParams => "the query parameters map".into(),
        Binding::Header(h) => format!("header `{h}`"),
        Binding::PrefixHeaders(p) => format!("headers prefixed `{p}`"),
        Binding::Payload => "the whole body (`@httpPayload`)".into(),
        Binding::ResponseCode => "the response status code".into(),
        Binding::EventHeader => "a header of its event message (`@eventHeader`)".into(),
        Binding::EventPayload => "the payload of its event message (`@eventPayload`)".into(),
    }
}

fn ts(f: Option<TimestampFormat>) -> &'static str {
    match f {
        None => "the protocol default",
        Some(TimestampFormat::EpochSeconds) => "`epoch-seconds`",
        Some(TimestampFormat::DateTime) => "`date-time`",
        Some(TimestampFormat::HttpDate) => "`http-date`",
    }
}

type Bounds = Option<(Option<f64>, Option<f64>)>;

/// Does `new` reject a value `old` accepted? Absent bounds are open.
fn tightened(old: Bounds, new: Bounds) -> bool {
    let lo = |b: Bounds| b.and_then(|(l, _)| l).unwrap_or(f64::NEG_INFINITY);
    let hi = |b: Bounds| b.and_then(|(_, h)| h).unwrap_or(f64::INFINITY);
    lo(new) > lo(old) || hi(new) < hi(old)
}

fn show_bounds(b: Bounds) -> String {
    let num = |v: f64| {
        if v.fract() == 0.0 && v.abs() < 1e15 {
            format!("{}", v as i64)
        } else {
            format!("{v}")
        }
    };
    match b {
        None | Some((None, None)) => "none".into(),
        Some((Some(l), Some(h))) => format!("`{}..={}`", num(l), num(h)),
        Some((Some(l), None)) => format!("`{}..`", num(l)),
        Some((None, Some(h))) => format!("`..={}`", num(h)),
    }
}

/// Two JSON texts that hold different values (key order and spacing aside).
fn json_differs(a: &str, b: &str) -> bool {
    match (
        serde_json::from_str::<serde_json::Value>(a),
        serde_json::from_str::<serde_json::Value>(b),
    ) {
        (Ok(x), Ok(y)) => x != y,
        _ => a != b,
    }
}

/// `: parameters added X; removed Y` for two rule sets.
fn rule_set_detail(a: &str, b: &str) -> String {
    let params = |t: &str| -> BTreeSet<String> {
        serde_json::from_str::<serde_json::Value>(t)
            .ok()
            .and_then(|v| v.get("parameters").and_then(|p| p.as_object()).cloned())
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default()
    };
    let (pa, pb) = (params(a), params(b));
    let added: Vec<String> = pb.difference(&pa).map(code).collect();
    let removed: Vec<String> = pa.difference(&pb).map(code).collect();
    let mut parts = Vec::new();
    if !added.is_empty() {
        parts.push(format!("parameters added: {}", list(&added)));
    }
    if !removed.is_empty() {
        parts.push(format!("parameters removed: {}", list(&removed)));
    }
    if parts.is_empty() {
        " (same parameters; rules differ)".to_string()
    } else {
        format!(" ({})", parts.join("; "))
    }
}
