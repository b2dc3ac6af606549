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

/// How a change affects users of the generated crate. Sorted most severe first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Breaking,
    Dangerous,
    Compatible,
    Documentation,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Breaking,
        Severity::Dangerous,
        Severity::Compatible,
        Severity::Documentation,
    ];

    /// `breaking`, `dangerous`, `compatible`, `documentation`.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Breaking => "breaking",
            Severity::Dangerous => "dangerous",
            Severity::Compatible => "compatible",
            Severity::Documentation => "documentation",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Severity::Breaking => "Breaking",
            Severity::Dangerous => "Dangerous",
            Severity::Compatible => "Compatible",
            Severity::Documentation => "Documentation",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One change between the two models.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub severity: Severity,
    /// What it is about: a shape, member or operation id of the model.
    pub subject: String,
    /// A smithy-diff style event id (`RemovedOperation`, `AddedRequiredMember`).
    pub id: &'static str,
    /// What changed, in model terms.
    pub model: String,
    /// What it does to the generated crate's API and behaviour.
    pub rust: String,
}

/// Every change between two services.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub service: String,
    pub crate_name: String,
    pub old_version: String,
    pub new_version: String,
    /// Sorted: class, subject, id, then the texts.
    pub changes: Vec<Change>,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.changes
            .iter()
            .filter(|c| c.severity == severity)
            .count()
    }

    /// Is there a change of `severity` or worse?
    pub fn has_at_least(&self, severity: Severity) -> bool {
        self.changes.iter().any(|c| c.severity <= severity)
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// `2 breaking, 1 dangerous, 0 compatible, 0 documentation (3 changes)`.
    pub fn summary(&self) -> String {
        let counts: Vec<String> = Severity::ALL
            .iter()
            .map(|s| format!("{} {}", self.count(*s), s.label()))
            .collect();
        let n = self.changes.len();
        format!(
            "{} ({n} change{})",
            counts.join(", "),
            if n == 1 { "" } else { "s" }
        )
    }

    fn heading(&self) -> String {
        let version = if self.old_version == self.new_version {
            format!("API version {}", self.new_version)
        } else {
            format!("API version {} -> {}", self.old_version, self.new_version)
        };
        format!(
            "`{}` (crate `{}`, {version})",
            self.service, self.crate_name
        )
    }

    /// Plain text for a terminal.
    pub fn to_text(&self) -> String {
        let mut out = format!("Model diff of {}\n", self.heading());
        if self.changes.is_empty() {
            out.push_str("\nNo changes.\n");
        }
        for severity in Severity::ALL {
            let changes: Vec<&Change> = self
                .changes
                .iter()
                .filter(|c| c.severity == severity)
                .collect();
            if changes.is_empty() {
                continue;
            }
            out.push_str(&format!(
                "\n{} ({})\n",
                severity.title().to_uppercase(),
                changes.len()
            ));
            for c in changes {
                out.push_str(&format!("  [{}] {}\n", c.id, c.subject));
                out.push_str(&format!("      model: {}\n", c.model));
                out.push_str(&format!("      rust:  {}\n", c.rust));
            }
        }
        out.push_str(&format!("\nSummary: {}\n", self.summary()));
        out
    }

    /// Markdown for a pull request comment. Documentation changes are folded away.
    pub fn to_markdown(&self) -> String {
        let mut out = format!("## Model diff\n\n{}\n\n", self.heading());
        let counts: Vec<String> = Severity::ALL
            .iter()
            .map(|s| {
                let n = self.count(*s);
                if n > 0 && *s <= Severity::Dangerous {
                    format!("**{n} {}**", s.label())
                } else {
                    format!("{n} {}", s.label())
                }
            })
            .collect();
        out.push_str(&counts.join(" · "));
        out.push('\n');
        if self.changes.is_empty() {
            out.push_str("\nNo changes.\n");
        }
        for severity in Severity::ALL {
            let changes: Vec<&Change> = self
                .changes
                .iter()
                .filter(|c| c.severity == severity)
                .collect();
            if changes.is_empty() {
                continue;
            }
            let fold = severity == Severity::Documentation;
            if fold {
                out.push_str(&format!(
                    "\n<details>\n<summary>{} ({})</summary>\n\n",
                    severity.title(),
                    changes.len()
                ));
            } else {
                out.push_str(&format!(
                    "\n### {} ({})\n\n",
                    severity.title(),
                    changes.len()
                ));
            }
            for c in changes {
                out.push_str(&format!(
                    "- **{}** `{}`: {}<br>Rust: {}\n",
                    c.id,
                    c.subject,
                    md_escape(&c.model),
                    md_escape(&c.rust)
                ));
            }
            if fold {
                out.push_str("\n</details>\n");
            }
        }
        out
    }
}

/// Keeps a one-line text from breaking a Markdown list item (outside code spans, `<` would
/// start HTML).
fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_code = false;
    for c in s.chars() {
        match c {
            '`' => {
                in_code = !in_code;
                out.push(c);
            }
            '<' if !in_code => out.push_str("&lt;"),
            '>' if !in_code => out.push_str("&gt;"),
            '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

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

    // ---------------------------------------------------------------- service

    fn service(&mut self) {
        let (old, new) = (self.old, self.new);
        let id = new.id.clone();
        if old.id != new.id {
            self.push(
                Severity::Breaking,
                "ChangedServiceId",
                &id,
                format!(
                    "the service shape changed from {} to {}",
                    code(&old.id),
                    code(&new.id)
                ),
                "file headers name the new shape; the service may be a different one",
            );
        }
        if old.version != new.version {
            self.push(
                Severity::Dangerous,
                "ChangedServiceVersion",
                &id,
                format!(
                    "API version changed from {} to {}",
                    code(&old.version),
                    code(&new.version)
                ),
                "the crate's docs and description name the new version; restJson1 does not send it, but a new API version can change behaviour the model does not describe",
            );
        }
        if old.sdk_id != new.sdk_id || old.crate_name != new.crate_name {
            self.push(
                Severity::Breaking,
                "ChangedSdkId",
                &id,
                format!("sdkId changed from {} to {}", code(&old.sdk_id), code(&new.sdk_id)),
                format!(
                    "the crate is renamed from {} to {} (library {}), and `AWS_ENDPOINT_URL_{}` becomes `AWS_ENDPOINT_URL_{}`",
                    code(&old.crate_name),
                    code(&new.crate_name),
                    code(&new.lib_name),
                    old.env_endpoint_id,
                    new.env_endpoint_id
                ),
            );
        }
        if old.protocol != new.protocol {
            self.push(
                Severity::Breaking,
                "ChangedProtocol",
                &id,
                format!(
                    "protocol changed from {} to {}",
                    code(old.protocol.trait_id()),
                    code(new.protocol.trait_id())
                ),
                "every request and response is encoded differently",
            );
        }
        if old.signing_name != new.signing_name {
            self.push(
                Severity::Breaking,
                "ChangedSigningName",
                &id,
                format!(
                    "SigV4 signing name changed from {} to {}",
                    code(old.signing_name.as_deref().unwrap_or("none")),
                    code(new.signing_name.as_deref().unwrap_or("none"))
                ),
                "`client::SERVICE.signing_name` changes: older crates sign requests for the old name, which the service rejects",
            );
        }
        if old.endpoint_prefix != new.endpoint_prefix {
            self.push(
                Severity::Compatible,
                "ChangedEndpointPrefix",
                &id,
                format!(
                    "endpoint prefix changed from {} to {}",
                    code(old.endpoint_prefix.as_deref().unwrap_or("none")),
                    code(new.endpoint_prefix.as_deref().unwrap_or("none"))
                ),
                "no effect: the client resolves endpoints with the rule set",
            );
        }
        match (&old.endpoint_rule_set, &new.endpoint_rule_set) {
            (Some(_), None) => self.push(
                Severity::Breaking,
                "RemovedEndpointRules",
                &id,
                "the endpoint rule set was removed",
                "`endpoint_data::RULE_SET` becomes empty: the client can no longer resolve endpoints",
            ),
            (None, Some(_)) => self.push(
                Severity::Compatible,
                "AddedEndpointRules",
                &id,
                "an endpoint rule set was added",
                "`endpoint_data::RULE_SET` is filled: the client can resolve endpoints",
            ),
            (Some(a), Some(b)) if json_differs(a, b) => {
                let detail = rule_set_detail(a, b);
                self.push(
                    Severity::Dangerous,
                    "ChangedEndpointRules",
                    &id,
                    format!("the endpoint rule set changed{detail}"),
                    "`endpoint_data::RULE_SET` changes: requests may resolve to other endpoints for some regions or settings; review the endpoint tests",
                )
            }
            _ => {}
        }
        let tests_differ = match (&old.endpoint_tests, &new.endpoint_tests) {
            (Some(a), Some(b)) => json_differs(a, b),
            (a, b) => a.is_some() != b.is_some(),
        };
        if tests_differ {
            let count = |t: &Option<String>| {
                t.as_deref()
                    .and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok())
                    .and_then(|v| v.get("testCases").and_then(|c| c.as_array()).map(Vec::len))
                    .unwrap_or(0)
            };
            self.push(
                Severity::Compatible,
                "ChangedEndpointTests",
                &id,
                format!(
                    "the endpoint tests changed ({} -> {} test cases)",
                    count(&old.endpoint_tests),
                    count(&new.endpoint_tests)
                ),
                "test data only: the endpoint tests of the test suite change",
            );
        }
        if old.title != new.title {
            self.push(
                Severity::Documentation,
                "ChangedTitle",
                &id,
                format!(
                    "title changed from {} to {}",
                    code(old.title.as_deref().unwrap_or("none")),
                    code(new.title.as_deref().unwrap_or("none"))
                ),
                "the crate's docs and description change",
            );
        }
        self.docs(
            &id,
            "the crate root",
            old.docs.as_deref(),
            new.docs.as_deref(),
        );

        // Service-wide errors are reported once here, not for every operation.
        let (old_errs, new_errs) = (
            old.service_errors.iter().collect::<BTreeSet<_>>(),
            new.service_errors.iter().collect::<BTreeSet<_>>(),
        );
        for e in new_errs.difference(&old_errs) {
            let name = new.types.get(*e).map(|t| t.rust_name()).unwrap_or("?");
            self.push(
                Severity::Dangerous,
                "AddedServiceError",
                &id,
                format!("error {} was added to the service's errors", code(e)),
                format!(
                    "every operation's error enum gets the variant {}; older crates return it as `Unhandled`",
                    code(name)
                ),
            );
        }
        for e in old_errs.difference(&new_errs) {
            let name = old.types.get(*e).map(|t| t.rust_name()).unwrap_or("?");
            self.push(
                Severity::Breaking,
                "RemovedServiceError",
                &id,
                format!("error {} was removed from the service's errors", code(e)),
                format!(
                    "the variant {} and {} are removed from the error enums of operations that do not list it themselves",
                    code(name),
                    code(error_predicate_name(name))
                ),
            );
        }
    }

    // ------------------------------------------------------------- operations

    fn operations(&mut self) {
        let (old, new) = (self.old, self.new);
        for (name, op) in &new.operations {
            if !old.operations.contains_key(name) {
                self.push(
                    Severity::Compatible,
                    "AddedOperation",
                    &op.id,
                    format!("operation {} was added", code(name)),
                    format!(
                        "new method {} ({}) and module {}",
                        code(format!("Client::{}", op.method_name)),
                        code(fluent_path_string(op)),
                        code(format!("operation::{}", op.module_name))
                    ),
                );
            }
        }
        for (name, op) in &old.operations {
            match new.operations.get(name) {
                None => self.push(
                    Severity::Breaking,
                    "RemovedOperation",
                    &op.id,
                    format!("operation {} was removed", code(name)),
                    format!(
                        "removes {}, {} and the module {} ({}, {}, {}, `serialize_request`, `parse_response`)",
                        code(format!("Client::{}", op.method_name)),
                        code(fluent_path_string(op)),
                        code(format!("operation::{}", op.module_name)),
                        code(&op.input_type),
                        code(&op.output_type),
                        code(&op.error_type)
                    ),
                ),
                Some(n) => self.operation(op, n),
            }
        }
    }

    fn operation(&mut self, o: &Operation, n: &Operation) {
        let subject = n.id.clone();
        let module = format!("operation::{}", n.module_name);
        let method = format!("Client::{}", n.method_name);
        if o.http.method != n.http.method {
            self.push(
                Severity::Breaking,
                "ChangedHttpMethod",
                &subject,
                format!(
                    "HTTP method changed from {} to {}",
                    o.http.method, n.http.method
                ),
                format!(
                    "{} sends `{}` instead of `{}`; older crates use the old method",
                    code(format!("{module}::serialize_request")),
                    n.http.method,
                    o.http.method
                ),
            );
        }
        if o.http.uri != n.http.uri {
            self.push(
                Severity::Breaking,
                "ChangedHttpUri",
                &subject,
                format!(
                    "HTTP URI changed from {} to {}",
                    code(&o.http.uri),
                    code(&n.http.uri)
                ),
                format!(
                    "{} builds the new path; older crates send to the old one",
                    code(format!("{module}::serialize_request"))
                ),
            );
        }
        if o.http.code != n.http.code {
            self.push(
                Severity::Breaking,
                "ChangedHttpStatusCode",
                &subject,
                format!(
                    "success status code changed from {} to {}",
                    o.http.code, n.http.code
                ),
                format!(
                    "{} expects {}; older crates treat the new status as an error",
                    code(format!("{module}::parse_response")),
                    n.http.code
                ),
            );
        }
        for (what, oid, nid) in [
            ("input", &o.input, &n.input),
            ("output", &o.output, &n.output),
        ] {
            if oid != nid {
                let (op_path, np_path) = (
                    type_path_string(self.old, oid),
                    type_path_string(self.new, nid),
                );
                let severity = if op_path == np_path {
                    Severity::Compatible
                } else {
                    Severity::Breaking
                };
                self.push(
                    severity,
                    if what == "input" {
                        "ChangedOperationInput"
                    } else {
                        "ChangedOperationOutput"
                    },
                    &subject,
                    format!("{what} shape changed from {} to {}", code(oid), code(nid)),
                    if op_path == np_path {
                        format!(
                            "the Rust type stays {}; its members are compared as usual",
                            code(np_path)
                        )
                    } else {
                        format!(
                            "the {what} type changes from {} to {}",
                            code(op_path),
                            code(np_path)
                        )
                    },
                );
            }
        }

        // Errors, except the service-wide ones reported once.
        let svc_changed: BTreeSet<&ShapeId> = {
            let a: BTreeSet<_> = self.old.service_errors.iter().collect();
            let b: BTreeSet<_> = self.new.service_errors.iter().collect();
            a.symmetric_difference(&b).copied().collect()
        };
        let enum_path = format!("{module}::{}", n.error_type);
        for e in &n.errors {
            if !o.errors.contains(e) && !svc_changed.contains(e) {
                let name = self.new.types.get(e).map(|t| t.rust_name()).unwrap_or("?");
                self.push(
                    Severity::Dangerous,
                    "AddedOperationError",
                    &subject,
                    format!("error {} was added to {}", code(e), code(&n.name)),
                    format!(
                        "new variant {}; older crates return it as `{}::Unhandled`",
                        code(format!("{enum_path}::{name}")),
                        n.error_type
                    ),
                );
            }
        }
        for e in &o.errors {
            if !n.errors.contains(e) && !svc_changed.contains(e) {
                let name = self.old.types.get(e).map(|t| t.rust_name()).unwrap_or("?");
                self.push(
                    Severity::Breaking,
                    "RemovedOperationError",
                    &subject,
                    format!("error {} was removed from {}", code(e), code(&n.name)),
                    format!(
                        "removes the variant {} and {}; the error now arrives as `Unhandled`",
                        code(format!("{enum_path}::{name}")),
                        code(format!("{enum_path}::{}", error_predicate_name(name)))
                    ),
                );
            }
        }

        self.pagination(
            &subject,
            &method,
            o.paginated.as_ref(),
            n.paginated.as_ref(),
        );
        self.request_body_traits(&subject, o, n);
        self.docs(
            &subject,
            &format!("{} and {}", code(&method), code(&module)),
            o.docs.as_deref(),
            n.docs.as_deref(),
        );
    }

    /// `@httpChecksumRequired` and `@requestCompression` of an operation.
    fn request_body_traits(&mut self, subject: &ShapeId, o: &Operation, n: &Operation) {
        match (o.checksum_required, n.checksum_required) {
            (false, true) => self.push(
                Severity::Breaking,
                "AddedHttpChecksumRequired",
                subject,
                "`@httpChecksumRequired` was added",
                "older crates send no checksum, which the service now requires",
            ),
            (true, false) => self.push(
                Severity::Compatible,
                "RemovedHttpChecksumRequired",
                subject,
                "`@httpChecksumRequired` was removed",
                "requests no longer carry a checksum of their body",
            ),
            _ => {}
        }
        if o.request_compression != n.request_compression {
            let show = |e: &[String]| {
                if e.is_empty() {
                    "none".to_string()
                } else {
                    code(e.join(", "))
                }
            };
            // Services keep taking what they took (the Smithy specification requires it).
            self.push(
                Severity::Compatible,
                "ChangedRequestCompression",
                subject,
                format!(
                    "`@requestCompression` encodings changed from {} to {}",
                    show(&o.request_compression),
                    show(&n.request_compression)
                ),
                "request bodies are compressed differently; services take both",
            );
        }
    }

    fn pagination(
        &mut self,
        subject: &ShapeId,
        method: &str,
        o: Option<&Pagination>,
        n: Option<&Pagination>,
    ) {
        let show = |p: &Pagination| {
            format!(
                "inputToken {}, outputToken {}, items {}, pageSize {}",
                code(&p.input_token),
                code(p.output_token.join(".")),
                p.items
                    .as_ref()
                    .map(|i| code(i.join(".")))
                    .unwrap_or_else(|| "none".into()),
                p.page_size
                    .as_deref()
                    .map(code)
                    .unwrap_or_else(|| "none".into())
            )
        };
        match (o, n) {
            (None, Some(p)) => self.push(
                Severity::Compatible,
                "AddedPaginatedTrait",
                subject,
                format!("the operation became paginated ({})", show(p)),
                format!(
                    "the fluent builder of {} gains `into_paginator()` (and `into_items()`)",
                    code(method)
                ),
            ),
            (Some(p), None) => self.push(
                Severity::Breaking,
                "RemovedPaginatedTrait",
                subject,
                format!("the operation is no longer paginated (was {})", show(p)),
                format!(
                    "`into_paginator()` and `into_items()` of {} are removed",
                    code(method)
                ),
            ),
            (Some(a), Some(b)) if a != b => {
                let only_page_size_added = a.input_token == b.input_token
                    && a.output_token == b.output_token
                    && a.items == b.items
                    && a.page_size.is_none();
                let severity = if only_page_size_added {
                    Severity::Compatible
                } else {
                    Severity::Dangerous
                };
                self.push(
                    severity,
                    "ChangedPaginatedTrait",
                    subject,
                    format!("pagination changed from {} to {}", show(a), show(b)),
                    if only_page_size_added {
                        "no Rust change: the paginator does not set a page size".to_string()
                    } else {
                        format!(
                            "the paginator of {} follows other members: pages or items can differ from what older code expects",
                            code(method)
                        )
                    },
                )
            }
            _ => {}
        }
    }

    // ------------------------------------------------------------------ types

    fn types(&mut self) {
        let (old, new) = (self.old, self.new);
        // Operation inputs and outputs whose shape id changed are compared with each other.
        let mut renamed_io: BTreeMap<ShapeId, ShapeId> = BTreeMap::new();
        for (name, o) in &old.operations {
            if let Some(n) = new.operations.get(name) {
                for (a, b) in [(&o.input, &n.input), (&o.output, &n.output)] {
                    if a != b && !new.types.contains_key(a) && !old.types.contains_key(b) {
                        renamed_io.insert(a.clone(), b.clone());
                    }
                }
            }
        }
        let renamed_to: BTreeSet<&ShapeId> = renamed_io.values().collect();
        // Types of operations that were added or removed go with them.
        let op_modules = |a: &Service, b: &Service| -> BTreeSet<String> {
            a.operations
                .iter()
                .filter(|(name, _)| !b.operations.contains_key(*name))
                .map(|(_, op)| op.module_name.clone())
                .collect()
        };
        let added_modules = op_modules(new, old);
        let removed_modules = op_modules(old, new);
        let goes_with_op = |t: &NamedType, modules: &BTreeSet<String>| matches!(t.location(), TypeLocation::Operation(m) if modules.contains(m));

        for (id, t) in &new.types {
            if old.types.contains_key(id)
                || renamed_to.contains(id)
                || goes_with_op(t, &added_modules)
            {
                continue;
            }
            self.push(
                Severity::Compatible,
                "AddedShape",
                id,
                format!("{} {} was added", kind_name(t), code(id.name())),
                format!("new type {}", code(type_path_string(new, id))),
            );
        }
        for (id, t) in &old.types {
            if let Some(n) = new.types.get(id) {
                self.named_type(id, t, id, n);
            } else if let Some(nid) = renamed_io.get(id) {
                self.named_type(id, t, nid, &new.types[nid]);
            } else if !goes_with_op(t, &removed_modules) {
                self.push(
                    Severity::Breaking,
                    "RemovedShape",
                    id,
                    format!("{} {} was removed", kind_name(t), code(id.name())),
                    format!("the type {} is removed", code(type_path_string(old, id))),
                );
            }
        }
    }

    fn named_type(&mut self, oid: &ShapeId, o: &NamedType, nid: &ShapeId, n: &NamedType) {
        let (op, np) = (
            type_path_string(self.old, oid),
            type_path_string(self.new, nid),
        );
        if kind_name(o) != kind_name(n) {
            self.push(
                Severity::Breaking,
                "ChangedShapeType",
                nid,
                format!("changed from {} to {}", kind_name(o), kind_name(n)),
                format!("{} is now a different kind of type", code(&np)),
            );
            return;
        }
        if op != np {
            self.push(
                Severity::Breaking,
                "ChangedRustPath",
                nid,
                "the shape is used differently (the Rust path follows where it is used)",
                format!("{} is now {}", code(&op), code(&np)),
            );
        }
        let dir = self.dir(oid, nid);
        let sensitive = |t: &NamedType| match t {
            NamedType::Structure(s) => s.sensitive,
            NamedType::Union(u) => u.sensitive,
            NamedType::Enum(e) => e.sensitive,
            NamedType::IntEnum(_) => false,
        };
        self.sensitive(nid, &np, sensitive(o), sensitive(n));
        let docs = |t: &NamedType| -> Option<String> {
            match t {
                NamedType::Structure(s) => s.docs.clone(),
                NamedType::Union(u) => u.docs.clone(),
                NamedType::Enum(e) => e.docs.clone(),
                NamedType::IntEnum(e) => e.docs.clone(),
            }
        };
        self.docs(nid, &code(&np), docs(o).as_deref(), docs(n).as_deref());
        match (o, n) {
            (NamedType::Structure(a), NamedType::Structure(b)) => self.structure(a, b, &np, dir),
            (NamedType::Union(a), NamedType::Union(b)) => self.union(a, b, &np, dir),
            (NamedType::Enum(a), NamedType::Enum(b)) => self.string_enum(a, b, &np, dir),
            (NamedType::IntEnum(a), NamedType::IntEnum(b)) => self.int_enum(a, b, &np, dir),
            _ => {}
        }
    }

    fn sensitive(&mut self, subject: impl fmt::Display, path: &str, old: bool, new: bool) {
        if !old && new {
            self.push(
                Severity::Compatible,
                "AddedSensitiveTrait",
                subject,
                "`@sensitive` was added",
                format!("`Debug` of {} now redacts it", code(path)),
            );
        } else if old && !new {
            self.push(
                Severity::Dangerous,
                "RemovedSensitiveTrait",
                subject,
                "`@sensitive` was removed",
                format!(
                    "`Debug` of {} now prints the value: it can end up in logs",
                    code(path)
                ),
            );
        }
    }

    fn structure(&mut self, o: &Structure, n: &Structure, path: &str, dir: Dir) {
        let callers: Vec<&Operation> = self
            .new
            .operations
            .values()
            .filter(|op| op.input == n.id)
            .collect();
        let builder = builder_path_string(self.new, &n.id);
        for m in &n.members {
            if o.members.iter().any(|x| x.name == m.name) {
                continue;
            }
            let field = format!("{path}::{}", m.field_name);
            let ty = member_type_string(self.new, m);
            let fluent = if callers.is_empty() {
                String::new()
            } else {
                format!(
                    " and on {}",
                    list(
                        &callers
                            .iter()
                            .map(|c| code(format!("Client::{}()", c.method_name)))
                            .collect::<Vec<_>>()
                    )
                )
            };
            let setters = format!(
                "setters {}/{} on {}{fluent}",
                code(&m.field_name),
                code(naming::setter_of_option(&m.field_name)),
                code(&builder)
            );
            if m.required && dir.input {
                self.push(
                    Severity::Breaking,
                    "AddedRequiredMember",
                    n.id.member(&m.name),
                    format!(
                        "required member {} targeting {} was added",
                        code(&m.name),
                        code(m.target.shape.name())
                    ),
                    format!(
                        "new field `{field}: Option<{ty}>`, {setters}; validation now rejects inputs without it, so existing calls fail until they set it"
                    ),
                );
            } else {
                let required = if m.required { "required " } else { "" };
                self.push(
                    Severity::Compatible,
                    "AddedMember",
                    n.id.member(&m.name),
                    format!(
                        "{required}member {} targeting {} was added",
                        code(&m.name),
                        code(m.target.shape.name())
                    ),
                    format!("new field `{field}: Option<{ty}>`, {setters}"),
                );
            }
        }
        for m in &o.members {
            match n.members.iter().find(|x| x.name == m.name) {
                None => {
                    let field = format!("{}::{}", type_path_string(self.old, &o.id), m.field_name);
                    self.push(
                        Severity::Breaking,
                        "RemovedMember",
                        n.id.member(&m.name),
                        format!("member {} was removed", code(&m.name)),
                        format!(
                            "removes the field {} and its setters {}/{}",
                            code(field),
                            code(&m.field_name),
                            code(naming::setter_of_option(&m.field_name))
                        ),
                    );
                }
                Some(nm) => {
                    let owner = Owner {
                        subject: n.id.member(&m.name).to_string(),
                        rust: format!("{path}::{}", nm.field_name),
                        dir,
                        callers: callers.clone(),
                    };
                    self.member(&owner, m, nm, "field");
                }
            }
        }
        match (&o.error, &n.error) {
            (Some(a), Some(b)) => {
                if a.fault != b.fault {
                    let show = |f: ErrorFault| match f {
                        ErrorFault::Client => "client",
                        ErrorFault::Server => "server",
                    };
                    self.push(
                        Severity::Breaking,
                        "ChangedErrorFault",
                        &n.id,
                        format!(
                            "`@error` changed from {} to {}",
                            show(a.fault),
                            show(b.fault)
                        ),
                        format!(
                            "{} flips: retry and fault handling treat it differently",
                            code(format!("{path}::IS_CLIENT_FAULT"))
                        ),
                    );
                }
                if a.http_status != b.http_status {
                    self.push(
                        Severity::Dangerous,
                        "ChangedHttpError",
                        &n.id,
                        format!(
                            "`@httpError` changed from {} to {}",
                            a.http_status, b.http_status
                        ),
                        format!("{} changes", code(format!("{path}::HTTP_STATUS"))),
                    );
                }
            }
            (None, Some(_)) | (Some(_), None) => self.push(
                Severity::Breaking,
                "ChangedErrorTrait",
                &n.id,
                if n.error.is_some() {
                    "the structure became an error"
                } else {
                    "the structure is no longer an error"
                },
                format!("{} moves between `types` and `types::error`", code(path)),
            ),
            (None, None) => {}
        }
    }

    fn union(&mut self, o: &Union, n: &Union, path: &str, dir: Dir) {
        for v in &n.variants {
            if o.variants.iter().any(|x| x.member.name == v.member.name) {
                continue;
            }
            let severity = dir.pick(Severity::Compatible, Severity::Dangerous);
            let older = if dir.output {
                "; older crates read it as `Unknown`"
            } else {
                ""
            };
            self.push(
                severity,
                "AddedUnionMember",
                n.id.member(&v.member.name),
                format!("union member {} was added", code(&v.member.name)),
                format!(
                    "new variant {}{older}",
                    code(format!("{path}::{}", v.variant_name))
                ),
            );
        }
        for v in &o.variants {
            match n.variants.iter().find(|x| x.member.name == v.member.name) {
                None => self.push(
                    Severity::Breaking,
                    "RemovedUnionMember",
                    n.id.member(&v.member.name),
                    format!("union member {} was removed", code(&v.member.name)),
                    format!(
                        "removes the variant {}",
                        code(format!(
                            "{}::{}",
                            type_path_string(self.old, &o.id),
                            v.variant_name
                        ))
                    ),
                ),
                Some(nv) => {
                    let owner = Owner {
                        subject: n.id.member(&v.member.name).to_string(),
                        rust: format!("{path}::{}", nv.variant_name),
                        dir,
                        callers: Vec::new(),
                    };
                    self.member(&owner, &v.member, &nv.member, "variant");
                }
            }
        }
        // The exceptions of an event stream: its error enum.
        let errors = |u: &Union| -> Vec<(String, String)> {
            u.event_stream
                .iter()
                .flat_map(|es| &es.errors)
                .map(|v| (v.member.name.clone(), v.variant_name.clone()))
                .collect()
        };
        let (old_errors, new_errors) = (errors(o), errors(n));
        for (name, variant) in &new_errors {
            if !old_errors.iter().any(|(o, _)| o == name) {
                self.push(
                    Severity::Dangerous,
                    "AddedEventStreamError",
                    n.id.member(name),
                    format!("event stream error {} was added", code(name)),
                    format!(
                        "new variant {} of the stream's error enum; older crates give it as `Unhandled`",
                        code(variant)
                    ),
                );
            }
        }
        for (name, variant) in &old_errors {
            if !new_errors.iter().any(|(n, _)| n == name) {
                self.push(
                    Severity::Breaking,
                    "RemovedEventStreamError",
                    n.id.member(name),
                    format!("event stream error {} was removed", code(name)),
                    format!(
                        "removes the variant {} of the stream's error enum",
                        code(variant)
                    ),
                );
            }
        }
    }

    fn string_enum(&mut self, o: &Enum, n: &Enum, path: &str, dir: Dir) {
        self.enum_values(&n.id, path, dir, &o.values, &n.values, |v| format!("{v:?}"));
    }

    fn int_enum(&mut self, o: &IntEnum, n: &IntEnum, path: &str, dir: Dir) {
        self.enum_values(&n.id, path, dir, &o.values, &n.values, |v| v.to_string());
    }

    fn enum_values<T: PartialEq>(
        &mut self,
        id: &ShapeId,
        path: &str,
        dir: Dir,
        old: &[EnumValue<T>],
        new: &[EnumValue<T>],
        show: impl Fn(&T) -> String,
    ) {
        // Values are matched by wire value, as smithy-diff does; an unmatched old and new value
        // with the same name is a value change.
        // `"ACTIVE"`, or `"fast" (`FAST`)` when the name is not the value.
        let label = |v: &EnumValue<T>| {
            let value = show(&v.value);
            if value == format!("{:?}", v.name) {
                value
            } else {
                format!("{value} ({})", code(&v.name))
            }
        };
        let matched_new = |v: &EnumValue<T>| new.iter().find(|n| n.value == v.value);
        let matched_old = |v: &EnumValue<T>| old.iter().find(|o| o.value == v.value);
        let mut old_end = old.len();
        for v in old {
            let subject = id.member(&v.name);
            match matched_new(v) {
                Some(nv) => {
                    if nv.variant_name != v.variant_name {
                        self.push(
                            Severity::Breaking,
                            "RenamedEnumValue",
                            id.member(&nv.name),
                            format!(
                                "the name of value {} changed from {} to {}",
                                show(&v.value),
                                code(&v.name),
                                code(&nv.name)
                            ),
                            format!(
                                "the variant {} is renamed to {}",
                                code(format!("{path}::{}", v.variant_name)),
                                code(format!("{path}::{}", nv.variant_name))
                            ),
                        );
                    } else if nv.name != v.name {
                        self.push(
                            Severity::Compatible,
                            "RenamedEnumValue",
                            id.member(&nv.name),
                            format!(
                                "the name of value {} changed from {} to {}",
                                show(&v.value),
                                code(&v.name),
                                code(&nv.name)
                            ),
                            format!(
                                "no Rust change: the variant stays {}",
                                code(format!("{path}::{}", nv.variant_name))
                            ),
                        );
                    }
                    self.docs(
                        id.member(&nv.name),
                        &code(format!("{path}::{}", nv.variant_name)),
                        v.docs.as_deref(),
                        nv.docs.as_deref(),
                    );
                }
                None => {
                    old_end -= 1;
                    let same_name = new
                        .iter()
                        .find(|n| n.name == v.name && matched_old(n).is_none());
                    match same_name {
                        Some(nv) => self.push(
                            Severity::Breaking,
                            "ChangedEnumValue",
                            subject,
                            format!(
                                "the wire value of {} changed from {} to {}",
                                code(&v.name),
                                show(&v.value),
                                show(&nv.value)
                            ),
                            format!(
                                "{} now stands for {}: older crates send {} and read {} as `Unknown`",
                                code(format!("{path}::{}", nv.variant_name)),
                                show(&nv.value),
                                show(&v.value),
                                show(&nv.value)
                            ),
                        ),
                        None => self.push(
                            Severity::Breaking,
                            "RemovedEnumValue",
                            subject,
                            format!("enum value {} was removed", label(v)),
                            format!(
                                "removes the variant {}; the value now arrives as `Unknown`",
                                code(format!("{path}::{}", v.variant_name))
                            ),
                        ),
                    }
                }
            }
        }
        for (position, v) in new.iter().enumerate() {
            if matched_old(v).is_some()
                || old
                    .iter()
                    .any(|o| o.name == v.name && matched_new(o).is_none())
            {
                continue;
            }
            let variant = code(format!("{path}::{}", v.variant_name));
            let inserted = position < old_end;
            let mut severity = dir.pick(Severity::Compatible, Severity::Dangerous);
            let mut rust = if dir.output {
                format!(
                    "new variant {variant}; older crates read {} as `Unknown`, so code that matches on the enum takes another branch",
                    show(&v.value)
                )
            } else {
                format!("new variant {variant} (the enum is `#[non_exhaustive]`)")
            };
            if inserted {
                severity = severity.min(Severity::Dangerous);
                rust.push_str("; inserted before existing variants, it changes their `Ord` order");
            }
            self.push(
                severity,
                "AddedEnumValue",
                id.member(&v.name),
                format!("enum value {} was added", label(v)),
                rust,
            );
        }
    }

    // ---------------------------------------------------------------- members

    fn member(&mut self, owner: &Owner, o: &Member, n: &Member, what: &str) {
        let subject = owner.subject.as_str();
        let rust = &owner.rust;
        let dir = owner.dir;
        let (ot, nt) = (
            member_type_string(self.old, o),
            member_type_string(self.new, n),
        );
        if ot != nt {
            self.push(
                Severity::Breaking,
                "ChangedMemberTarget",
                subject,
                format!(
                    "target changed from {} to {}",
                    code(&o.target.shape),
                    code(&n.target.shape)
                ),
                format!(
                    "the {what} {} changes type from `{ot}` to `{nt}`",
                    code(rust)
                ),
            );
        } else {
            if o.target.shape != n.target.shape {
                self.push(
                    Severity::Compatible,
                    "ChangedMemberTarget",
                    subject,
                    format!(
                        "target changed from {} to {}",
                        code(&o.target.shape),
                        code(&n.target.shape)
                    ),
                    format!("no Rust change: {} stays `{nt}`", code(rust)),
                );
            }
            self.target(subject, rust, "", &o.target, &n.target, dir);
        }

        if o.required != n.required {
            let inputs = if owner.callers.is_empty() {
                "inputs".to_string()
            } else {
                format!(
                    "calls of {}",
                    list(
                        &owner
                            .callers
                            .iter()
                            .map(|c| code(format!("Client::{}()", c.method_name)))
                            .collect::<Vec<_>>(),
                    )
                )
            };
            if n.required {
                let severity = dir.pick(Severity::Breaking, Severity::Compatible);
                let effect = if dir.input {
                    format!(
                        "validation now rejects {inputs} that do not set {} (the field stays `Option`)",
                        code(rust)
                    )
                } else {
                    format!(
                        "no Rust change: {} stays `Option`; its docs say it is required",
                        code(rust)
                    )
                };
                self.push(
                    severity,
                    "AddedRequiredTrait",
                    subject,
                    "`@required` was added",
                    effect,
                );
            } else {
                let severity = dir.pick(Severity::Compatible, Severity::Dangerous);
                let effect = if dir.output {
                    format!(
                        "the service may now leave {} unset: code that unwraps it can panic",
                        code(rust)
                    )
                } else {
                    format!("validation no longer requires {}", code(rust))
                };
                self.push(
                    severity,
                    "RemovedRequiredTrait",
                    subject,
                    "`@required` was removed",
                    effect,
                );
            }
        }

        if o.default != n.default {
            let show = |v: &Option<serde_json::Value>| {
                v.as_ref()
                    .map(|v| code(v.to_string()))
                    .unwrap_or_else(|| "none".to_string())
            };
            let (id, model) = match (&o.default, &n.default) {
                (None, Some(_)) => (
                    "AddedDefaultTrait",
                    format!("`@default` {} was added", show(&n.default)),
                ),
                (Some(_), None) => (
                    "RemovedDefaultTrait",
                    format!("`@default` {} was removed", show(&o.default)),
                ),
                _ => (
                    "ChangedDefaultTrait",
                    format!(
                        "`@default` changed from {} to {}",
                        show(&o.default),
                        show(&n.default)
                    ),
                ),
            };
            self.push(
                Severity::Dangerous,
                id,
                subject,
                model,
                format!(
                    "no Rust change ({} stays `Option`; defaults are not filled in), but what an unset value means changes",
                    code(rust)
                ),
            );
        }

        if o.binding != n.binding {
            self.push(
                Severity::Breaking,
                "ChangedHttpBinding",
                subject,
                format!(
                    "HTTP binding changed from {} to {}",
                    binding(&o.binding),
                    binding(&n.binding)
                ),
                format!(
                    "{} travels elsewhere: older crates put it where the service no longer reads it (or read it where it no longer is)",
                    code(rust)
                ),
            );
        }
        if o.json_name != n.json_name {
            self.push(
                Severity::Breaking,
                "ChangedJsonName",
                subject,
                format!(
                    "JSON name changed from {} to {}",
                    code(&o.json_name),
                    code(&n.json_name)
                ),
                format!(
                    "{} is written and read under the new key; older crates use the old one",
                    code(rust)
                ),
            );
        }
        if o.idempotency_token != n.idempotency_token {
            if n.idempotency_token {
                self.push(
                    Severity::Compatible,
                    "AddedIdempotencyToken",
                    subject,
                    "`@idempotencyToken` was added",
                    format!(
                        "no Rust change: {} is not filled in automatically",
                        code(rust)
                    ),
                );
            } else {
                self.push(
                    Severity::Dangerous,
                    "RemovedIdempotencyToken",
                    subject,
                    "`@idempotencyToken` was removed",
                    format!(
                        "retried requests that set {} may no longer be deduplicated",
                        code(rust)
                    ),
                );
            }
        }
        self.docs(subject, &code(rust), o.docs.as_deref(), n.docs.as_deref());
    }

    /// Compares what two targets hold when their Rust type is the same: formats, streaming,
    /// constraints and sensitivity, then list items and map keys and values.
    fn target(&mut self, subject: &str, rust: &str, part: &str, o: &Target, n: &Target, dir: Dir) {
        let subject_part = format!("{subject}{part}");
        let what = if part.is_empty() {
            code(rust)
        } else {
            format!("{}{part}", code(rust))
        };
        match (&o.ty, &n.ty) {
            (Type::Timestamp { format: a }, Type::Timestamp { format: b }) if a != b => {
                self.push(
                    Severity::Breaking,
                    "ChangedTimestampFormat",
                    &subject_part,
                    format!("`@timestampFormat` changed from {} to {}", ts(*a), ts(*b)),
                    format!(
                        "{what} is written and read as {}; older crates use {}",
                        ts(*b),
                        ts(*a)
                    ),
                );
            }
            (Type::Blob { streaming: a }, Type::Blob { streaming: b }) if a != b => {
                self.push(
                    Severity::Breaking,
                    "ChangedStreamingTrait",
                    &subject_part,
                    if *b {
                        "the blob became `@streaming`"
                    } else {
                        "the blob is no longer `@streaming`"
                    },
                    format!(
                        "{what} travels as the raw body instead of base64 (or back): a wire change"
                    ),
                );
            }
            _ => {}
        }
        self.constraints(&subject_part, &what, o, n, dir);
        // Named types report their own `@sensitive`; simple shapes are reported where used.
        if !matches!(n.ty, Type::Named(_)) {
            self.sensitive(&subject_part, rust, o.sensitive, n.sensitive);
        }
        match (&o.ty, &n.ty) {
            (Type::List { item: a, .. }, Type::List { item: b, .. }) => {
                self.target(subject, rust, &format!("{part} (list member)"), a, b, dir)
            }
            (
                Type::Map {
                    key: ak, value: av, ..
                },
                Type::Map {
                    key: bk, value: bv, ..
                },
            ) => {
                self.target(subject, rust, &format!("{part} (map key)"), ak, bk, dir);
                self.target(subject, rust, &format!("{part} (map value)"), av, bv, dir);
            }
            _ => {}
        }
    }

    fn constraints(&mut self, subject: &str, what: &str, o: &Target, n: &Target, dir: Dir) {
        let (a, b) = (&o.constraints, &n.constraints);
        let validated = |tightened: bool| -> String {
            if tightened && dir.input {
                format!("validation (run before every request) now rejects values of {what} it accepted")
            } else if dir.input {
                format!("validation accepts more values of {what}")
            } else {
                format!("no effect on {what}: outputs are not validated")
            }
        };
        if a.length != b.length {
            let as_f64 = |l: Option<(Option<u64>, Option<u64>)>| -> Bounds {
                l.map(|(x, y)| (x.map(|v| v as f64), y.map(|v| v as f64)))
            };
            let tight = tightened(as_f64(a.length), as_f64(b.length));
            let severity = if tight {
                dir.pick(Severity::Breaking, Severity::Compatible)
            } else {
                Severity::Compatible
            };
            self.push(
                severity,
                "ChangedLengthTrait",
                subject,
                format!(
                    "`@length` changed from {} to {} ({})",
                    show_bounds(as_f64(a.length)),
                    show_bounds(as_f64(b.length)),
                    if tight { "tightened" } else { "loosened" }
                ),
                validated(tight),
            );
        }
        if a.range != b.range {
            let tight = tightened(a.range, b.range);
            let severity = if tight {
                dir.pick(Severity::Breaking, Severity::Compatible)
            } else {
                Severity::Compatible
            };
            self.push(
                severity,
                "ChangedRangeTrait",
                subject,
                format!(
                    "`@range` changed from {} to {} ({})",
                    show_bounds(a.range),
                    show_bounds(b.range),
                    if tight { "tightened" } else { "loosened" }
                ),
                validated(tight),
            );
        }
        match (&a.pattern, &b.pattern) {
            (None, Some(p)) => self.push(
                dir.pick(Severity::Breaking, Severity::Compatible),
                "AddedPatternTrait",
                subject,
                format!("`@pattern` {} was added", code(p)),
                validated(true),
            ),
            (Some(p), None) => self.push(
                Severity::Compatible,
                "RemovedPatternTrait",
                subject,
                format!("`@pattern` {} was removed", code(p)),
                validated(false),
            ),
            (Some(p), Some(q)) if p != q => self.push(
                dir.pick(Severity::Dangerous, Severity::Compatible),
                "ChangedPatternTrait",
                subject,
                format!("`@pattern` changed from {} to {}", code(p), code(q)),
                if dir.input {
                    format!("validation of {what} checks the new pattern: values the old one accepted may be rejected")
                } else {
                    format!("no effect on {what}: outputs are not validated")
                },
            ),
            _ => {}
        }
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
