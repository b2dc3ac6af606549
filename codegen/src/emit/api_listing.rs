//! `API.md` of a generated crate: its whole public API, one line per item, sorted.
//!
//! The listing is built from the IR, mirroring what the other emitters generate, never by
//! parsing the Rust they print. It exists for review: a model update's effect on the public
//! API is the `git diff` of this one file, and `cargo xtask codegen --check` keeps it in step
//! with the code. Paths are relative to the crate root (`types::StreamInfo`), std types are
//! written short (`Option<String>`), and every line is `<kind> <path><signature>`.
//!
//! The runtime, re-exported as `runtime`, is listed as a module only: it is the same for every
//! generated crate and versioned with `runtime/`.

use super::CrateOptions;
use crate::ir::{
    Enum, IntEnum, Member, NamedType, Operation, Service, StreamDirection, Structure, Target, Type,
    TypeLocation, Union,
};
use crate::model::ShapeId;
use crate::naming;

/// The crate-relative path of a module (`types`, `types::error`, `operation::list_streams`).
pub fn module_path_string(location: &TypeLocation) -> String {
    match location {
        TypeLocation::Types => "types".to_string(),
        TypeLocation::Errors => "types::error".to_string(),
        TypeLocation::Operation(m) => format!("operation::{m}"),
    }
}

/// The crate-relative path of a named type (`types::StreamInfo`).
pub fn type_path_string(svc: &Service, id: &ShapeId) -> String {
    match svc.types.get(id) {
        Some(t) => format!("{}::{}", module_path_string(t.location()), t.rust_name()),
        None => format!("<{id}>"),
    }
}

/// The enum of the errors of event stream union `union` (`types::ResponseStreamError`).
pub fn event_stream_error_path_string(svc: &Service, union: &ShapeId) -> String {
    match svc.types.get(union) {
        Some(NamedType::Union(Union {
            location,
            event_stream: Some(es),
            ..
        })) => format!("{}::{}", module_path_string(location), es.error_type),
        _ => format!("<{union}>Error"),
    }
}

/// The Rust type of a target, written short: `Vec<types::Tag>`, `Option<..>` left out.
pub fn type_string(svc: &Service, target: &Target) -> String {
    match &target.ty {
        Type::Boolean => "bool".into(),
        Type::Byte => "i8".into(),
        Type::Short => "i16".into(),
        Type::Integer => "i32".into(),
        Type::Long => "i64".into(),
        Type::Float => "f32".into(),
        Type::Double => "f64".into(),
        Type::BigInteger | Type::BigDecimal | Type::String => "String".into(),
        Type::Blob { .. } => "Vec<u8>".into(),
        Type::Timestamp { .. } => "primitives::DateTime".into(),
        Type::Document => "primitives::Document".into(),
        Type::List { item, sparse } => {
            let item = type_string(svc, item);
            if *sparse {
                format!("Vec<Option<{item}>>")
            } else {
                format!("Vec<{item}>")
            }
        }
        Type::Map { key, value, sparse } => {
            let key = type_string(svc, key);
            let value = type_string(svc, value);
            if *sparse {
                format!("BTreeMap<{key}, Option<{value}>>")
            } else {
                format!("BTreeMap<{key}, {value}>")
            }
        }
        Type::Named(id) => type_path_string(svc, id),
        Type::Unit => "()".into(),
        Type::EventStream { union, direction } => {
            let u = type_path_string(svc, union);
            match direction {
                StreamDirection::Input => format!("runtime::event_stream::EventSender<{u}>"),
                StreamDirection::Output => {
                    let e = event_stream_error_path_string(svc, union);
                    format!("runtime::event_stream::EventReceiver<{u}, {e}>")
                }
            }
        }
    }
}

/// The type a member's field holds (inside its `Option`): boxed when the IR says so.
pub fn member_type_string(svc: &Service, m: &Member) -> String {
    let ty = type_string(svc, &m.target);
    if m.boxed {
        format!("Box<{ty}>")
    } else {
        ty
    }
}

/// The name of a structure's builder (`types::TagBuilder`).
pub fn builder_path_string(svc: &Service, id: &ShapeId) -> String {
    match svc.types.get(id) {
        Some(t) => format!(
            "{}::{}",
            module_path_string(t.location()),
            naming::builder_name(t.rust_name())
        ),
        None => format!("<{id}>Builder"),
    }
}

/// `is_resource_not_found_exception`, as the operation error enums name it.
pub fn error_predicate_name(error_rust_name: &str) -> String {
    format!("is_{}", naming::bare(&naming::field_name(error_rust_name)))
}

/// The fluent builder of an operation (`client::ListStreamsFluent`).
pub fn fluent_path_string(op: &Operation) -> String {
    format!("client::{}Fluent", naming::type_name(&op.name))
}

struct Listing {
    items: Vec<(String, &'static str, String)>,
}

impl Listing {
    fn add(&mut self, kind: &'static str, path: impl Into<String>, rest: impl Into<String>) {
        self.items.push((path.into(), kind, rest.into()));
    }
}

/// The contents of `API.md`.
pub fn api_listing(svc: &Service, opts: &CrateOptions) -> String {
    let mut l = Listing { items: Vec::new() };
    crate_root(&mut l);
    for t in svc.types.values() {
        match t {
            NamedType::Structure(s) => structure(&mut l, svc, s),
            NamedType::Union(u) => union(&mut l, svc, u),
            NamedType::Enum(e) => string_enum(&mut l, e),
            NamedType::IntEnum(e) => int_enum(&mut l, e),
        }
    }
    for op in svc.operations.values() {
        operation(&mut l, svc, op);
        fluent_builder(&mut l, svc, op);
    }
    client(&mut l);
    if let Some(spec) = &opts.data_endpoint {
        data_endpoint(&mut l, svc, spec);
    }

    l.items.sort();
    l.items.dedup();
    let mut out = format!(
        "<!-- @generated by smithy-lite-codegen from `{id}` ({src}). Do not edit: run `cargo xtask codegen`. -->\n\n# `{lib}` public API\n\nEvery public item of the crate, one per line, sorted by path (relative to the crate root;\n`Option`, `Vec`, `String`, `Box` and `BTreeMap` are the std types). The listing is built from\nthe model, like the code: a model update's effect on the API is the diff of this file.\nItems of `client` need the `client` feature (on by default), each operation's\n`input_from_json` and `output_to_json` the `dispatch` feature; `runtime` is the re-exported\nsmithy-lite-runtime crate and is not listed.\n\n{ops} operations, {types} named types, {items} items.\n\n```text\n",
        id = svc.id,
        src = opts.model_source,
        lib = svc.lib_name,
        ops = svc.operations.len(),
        types = svc.types.len(),
        items = l.items.len(),
    );
    for (path, kind, rest) in &l.items {
        out.push_str(&format!("{kind:<7} {path}{rest}\n"));
    }
    out.push_str("```\n");
    out
}

fn crate_root(l: &mut Listing) {
    for m in [
        "client",
        "endpoint_data",
        "error",
        "operation",
        "primitives",
        "runtime",
        "types",
        "types::error",
    ] {
        l.add("mod", m, "");
    }
    l.add("use", "Client", " = client::Client");
    for (name, from) in [
        ("ErrorMeta", "runtime::error"),
        ("ProvideErrorMeta", "runtime::error"),
        ("ResponseError", "runtime::error"),
        ("SdkError", "runtime::error"),
        ("UnhandledError", "runtime::error"),
        ("Constraint", "runtime::validate"),
        ("ValidationError", "runtime::validate"),
        ("ValidationErrors", "runtime::validate"),
    ] {
        l.add(
            "use",
            format!("error::{name}"),
            format!(" = {from}::{name}"),
        );
    }
    l.add("const", "endpoint_data::RULE_SET", ": &str");
    l.add("const", "endpoint_data::PARTITIONS", ": &str");
    l.add(
        "use",
        "operation::Operation",
        " = runtime::operation::Operation",
    );
    l.add(
        "use",
        "primitives::DateTime",
        " = runtime::datetime::DateTime",
    );
    l.add("type", "primitives::Document", " = runtime::json::Value");
    l.add(
        "use",
        "primitives::ByteStream",
        " = runtime::byte_stream::ByteStream",
    );
    l.add("struct", "primitives::UnknownVariantValue", "");
    l.add(
        "fn",
        "primitives::UnknownVariantValue::as_str",
        "(&self) -> &str",
    );
}

fn client(l: &mut Listing) {
    l.add("struct", "client::Client", "");
    for (name, from) in [
        ("Config", "runtime::client"),
        ("ConfigBuilder", "runtime::client"),
        ("ConfigError", "runtime::client"),
        ("Credentials", "runtime::sigv4"),
        ("SharedConfig", "runtime::client"),
    ] {
        l.add(
            "use",
            format!("client::{name}"),
            format!(" = {from}::{name}"),
        );
    }
    l.add(
        "static",
        "client::SERVICE",
        ": runtime::client::ServiceMeta",
    );
    for (name, sig) in [
        ("from_env", "() -> Result<Self, client::ConfigError>"),
        (
            "from_builder",
            "(builder: client::ConfigBuilder) -> Result<Self, client::ConfigError>",
        ),
        (
            "from_shared",
            "(shared: &client::SharedConfig) -> Result<Self, client::ConfigError>",
        ),
        ("new", "(config: client::Config) -> Self"),
        ("config", "(&self) -> &client::Config"),
        (
            "with_endpoint_url",
            "(&self, url: impl Into<String>) -> Self",
        ),
    ] {
        l.add("fn", format!("client::Client::{name}"), sig);
    }
}

/// `Client::data_endpoint`, as `emit::data_endpoint` writes it (generation fails before this
/// when the model lacks what the helper needs).
fn data_endpoint(l: &mut Listing, svc: &Service, spec: &super::DataEndpointHelper) {
    let Ok(lookup) = super::data_endpoint::resolve(svc, spec) else {
        return;
    };
    l.add(
        "fn",
        "client::Client::data_endpoint",
        format!(
            "(&self, stream: &str, api: {}) -> Result<String, error::SdkError<operation::{}::{}>> (async)",
            type_string(svc, &lookup.api.target),
            lookup.op.module_name,
            lookup.op.error_type
        ),
    );
}

fn setters(l: &mut Listing, svc: &Service, owner: &str, members: &[Member]) {
    for m in members {
        let plain = type_string(svc, &m.target);
        let held = member_type_string(svc, m);
        l.add(
            "fn",
            format!("{owner}::{}", m.field_name),
            format!("(self, input: impl Into<{plain}>) -> Self"),
        );
        l.add(
            "fn",
            format!("{owner}::{}", naming::setter_of_option(&m.field_name)),
            format!("(self, input: Option<{held}>) -> Self"),
        );
    }
}

fn structure(l: &mut Listing, svc: &Service, s: &Structure) {
    let path = type_path_string(svc, &s.id);
    let builder = builder_path_string(svc, &s.id);
    let streaming = svc.streaming_output_member(&s.id);
    let events = svc.event_stream_member(&s.id);
    let read_once =
        streaming.is_some() || events.is_some_and(|(_, _, d)| d == StreamDirection::Output);
    let (derives, builder_derives) = match (
        read_once,
        s.sensitive || s.members.iter().any(|m| m.target.sensitive),
    ) {
        (false, false) => (
            "Clone, Debug, Default, PartialEq",
            "Clone, Debug, Default, PartialEq",
        ),
        (false, true) => (
            "Clone, Default, PartialEq; Debug redacts sensitive members",
            "Clone, Debug, Default, PartialEq",
        ),
        (true, false) => ("Debug, Default", "Debug, Default"),
        (true, true) => ("Default; Debug redacts sensitive members", "Debug, Default"),
    };
    l.add("struct", &path, format!(" (non_exhaustive; {derives})"));
    for m in &s.members {
        let required = if m.required { " (required)" } else { "" };
        let held = if streaming == Some(m) {
            "primitives::ByteStream".to_string()
        } else if events.is_some_and(|(e, _, _)| e == m) {
            member_type_string(svc, m)
        } else {
            format!("Option<{}>", member_type_string(svc, m))
        };
        l.add(
            "field",
            format!("{path}::{}", m.field_name),
            format!(": {held}{required}"),
        );
        if let Some((ty, value)) = super::types::default_getter_signature(svc, m) {
            l.add(
                "fn",
                format!("{path}::{}", m.field_name),
                format!("(&self) -> {ty} (default {value})"),
            );
        }
    }
    l.add("fn", format!("{path}::builder"), format!("() -> {builder}"));
    l.add("struct", &builder, format!(" ({builder_derives})"));
    for m in &s.members {
        if streaming == Some(m) {
            let owner = &builder;
            l.add(
                "fn",
                format!("{owner}::{}", m.field_name),
                "(self, input: impl Into<primitives::ByteStream>) -> Self",
            );
            l.add(
                "fn",
                format!("{owner}::{}", naming::setter_of_option(&m.field_name)),
                "(self, input: Option<primitives::ByteStream>) -> Self",
            );
        } else {
            setters(l, svc, &builder, std::slice::from_ref(m));
        }
    }
    l.add(
        "fn",
        format!("{builder}::build"),
        format!("(self) -> {path}"),
    );
    if let Some(info) = &s.error {
        l.add(
            "const",
            format!("{path}::CODE"),
            format!(": &str = {:?}", info.code),
        );
        l.add(
            "const",
            format!("{path}::HTTP_STATUS"),
            format!(": u16 = {}", info.http_status),
        );
        l.add(
            "const",
            format!("{path}::IS_CLIENT_FAULT"),
            format!(": bool = {}", info.fault == crate::ir::ErrorFault::Client),
        );
        l.add(
            "fn",
            format!("{path}::meta"),
            "(&self) -> &error::ErrorMeta",
        );
        l.add("fn", format!("{path}::message"), "(&self) -> Option<&str>");
    }
}

fn union(l: &mut Listing, svc: &Service, u: &Union) {
    let path = type_path_string(svc, &u.id);
    l.add("enum", &path, " (non_exhaustive; union)");
    for v in &u.variants {
        let data = if v.member.target.ty == Type::Unit {
            String::new()
        } else {
            format!("({})", member_type_string(svc, &v.member))
        };
        l.add("variant", format!("{path}::{}", v.variant_name), data);
    }
    l.add("variant", format!("{path}::Unknown"), "(String)");
    let sent = crate::protocol::event_stream::stream_unions(svc)
        .iter()
        .any(|(s, input, _)| s.id == u.id && *input);
    if sent {
        l.add(
            "fn",
            format!("{path}::to_message"),
            "(&self) -> Result<runtime::event_stream::Message, runtime::error::BoxError>",
        );
    }
    if let Some(es) = &u.event_stream {
        let error = format!("{}::{}", module_path_string(&u.location), es.error_type);
        l.add(
            "enum",
            &error,
            " (non_exhaustive; errors of an event stream)",
        );
        for v in &es.errors {
            l.add(
                "variant",
                format!("{error}::{}", v.variant_name),
                format!("({})", type_string(svc, &v.member.target)),
            );
            l.add(
                "fn",
                format!("{error}::{}", error_predicate_name(&v.variant_name)),
                "(&self) -> bool",
            );
        }
        l.add(
            "variant",
            format!("{error}::Unhandled"),
            "(error::UnhandledError)",
        );
        for (name, sig) in [
            ("meta", "(&self) -> &error::ErrorMeta"),
            ("code", "(&self) -> Option<&str>"),
            ("message", "(&self) -> Option<&str>"),
            ("request_id", "(&self) -> Option<&str>"),
        ] {
            l.add("fn", format!("{error}::{name}"), sig);
        }
    }
}

fn string_enum(l: &mut Listing, e: &Enum) {
    let path = format!("{}::{}", module_path_string(&e.location), e.rust_name);
    l.add("enum", &path, " (non_exhaustive; string enum)");
    for v in &e.values {
        l.add(
            "variant",
            format!("{path}::{}", v.variant_name),
            format!(" = {:?}", v.value),
        );
    }
    l.add(
        "variant",
        format!("{path}::Unknown"),
        "(primitives::UnknownVariantValue)",
    );
    l.add("fn", format!("{path}::as_str"), "(&self) -> &str");
    l.add(
        "fn",
        format!("{path}::values"),
        "() -> &'static [&'static str]",
    );
}

fn int_enum(l: &mut Listing, e: &IntEnum) {
    let path = format!("{}::{}", module_path_string(&e.location), e.rust_name);
    l.add("enum", &path, " (non_exhaustive; int enum)");
    for v in &e.values {
        l.add(
            "variant",
            format!("{path}::{}", v.variant_name),
            format!(" = {}", v.value),
        );
    }
    l.add("variant", format!("{path}::Unknown"), "(i32)");
    l.add("fn", format!("{path}::as_i32"), "(&self) -> i32");
    l.add("fn", format!("{path}::values"), "() -> &'static [i32]");
}

fn operation(l: &mut Listing, svc: &Service, op: &Operation) {
    let module = format!("operation::{}", op.module_name);
    let input = type_path_string(svc, &op.input);
    let output = type_path_string(svc, &op.output);
    let error = format!("{module}::{}", op.error_type);
    let op_struct = format!("{module}::{}", naming::type_name(&op.name));
    l.add(
        "mod",
        &module,
        format!(" ({} {})", op.http.method, op.http.uri),
    );
    l.add("struct", &op_struct, "");
    l.add(
        "impl",
        &op_struct,
        format!(": Operation<Input = {input}, Output = {output}, Error = {error}>"),
    );
    l.add(
        "fn",
        format!("{module}::serialize_request"),
        format!("(input: &{input}) -> Result<runtime::http::HttpRequest, error::ValidationErrors>"),
    );
    l.add(
        "fn",
        format!("{module}::parse_response"),
        format!(
            "(response: &runtime::http::HttpResponse) -> Result<{output}, error::SdkError<{error}>>"
        ),
    );
    if svc.streaming_output_member(&op.output).is_some()
        || svc
            .event_stream_member(&op.output)
            .is_some_and(|(_, _, d)| d == StreamDirection::Output)
    {
        l.add(
            "fn",
            format!("{module}::parse_output"),
            format!(
                "(head: &runtime::http::HttpResponse, payload: primitives::ByteStream) -> Result<{output}, error::SdkError<{error}>>"
            ),
        );
    }
    l.add(
        "fn",
        format!("{module}::input_from_json"),
        format!(
            "(document: &runtime::json::Value) -> Result<{input}, runtime::json::DeserializeError>"
        ),
    );
    l.add(
        "fn",
        format!("{module}::output_to_json"),
        format!("(output: &{output}) -> Vec<u8>"),
    );
    if matches!(
        svc.types.get(&op.input).map(|t| t.location()),
        Some(TypeLocation::Operation(_))
    ) {
        l.add(
            "fn",
            format!("{input}::validate"),
            "(&self) -> Result<(), error::ValidationErrors>",
        );
    }

    // The error enum.
    l.add("enum", &error, " (non_exhaustive)");
    for e in &op.errors {
        let name = svc.types.get(e).map(|t| t.rust_name()).unwrap_or("?");
        l.add(
            "variant",
            format!("{error}::{name}"),
            format!("({})", type_path_string(svc, e)),
        );
        l.add(
            "fn",
            format!("{error}::{}", error_predicate_name(name)),
            "(&self) -> bool",
        );
    }
    l.add(
        "variant",
        format!("{error}::Unhandled"),
        "(error::UnhandledError)",
    );
    for (name, sig) in [
        ("meta", "(&self) -> &error::ErrorMeta"),
        ("code", "(&self) -> Option<&str>"),
        ("message", "(&self) -> Option<&str>"),
        ("request_id", "(&self) -> Option<&str>"),
    ] {
        l.add("fn", format!("{error}::{name}"), sig);
    }
}

/// The member at a path (`NextToken`, `a.b`) of an output, and the type it holds, as the
/// client's paginators resolve it (every step but the last is a structure).
fn output_path<'a>(svc: &'a Service, op: &Operation, path: &[String]) -> Option<&'a Member> {
    let mut owner = match svc.types.get(&op.output) {
        Some(NamedType::Structure(s)) => s,
        _ => return None,
    };
    for (i, seg) in path.iter().enumerate() {
        let m = owner.members.iter().find(|m| &m.name == seg)?;
        if i + 1 == path.len() {
            return Some(m);
        }
        owner = match &m.target.ty {
            Type::Named(id) => match svc.types.get(id) {
                Some(NamedType::Structure(s)) => s,
                _ => return None,
            },
            _ => return None,
        };
    }
    None
}

fn fluent_builder(l: &mut Listing, svc: &Service, op: &Operation) {
    let fluent = fluent_path_string(op);
    let output = type_path_string(svc, &op.output);
    let error = format!("operation::{}::{}", op.module_name, op.error_type);
    l.add(
        "fn",
        format!("client::Client::{}", op.method_name),
        format!("(&self) -> {fluent}"),
    );
    l.add("struct", &fluent, " (Clone, Debug)");
    if let Some(NamedType::Structure(input)) = svc.types.get(&op.input) {
        setters(l, svc, &fluent, &input.members);
    }
    l.add(
        "fn",
        format!("{fluent}::send"),
        format!("(self) -> Result<{output}, error::SdkError<{error}>> (async)"),
    );
    l.add(
        "fn",
        format!("{fluent}::with_endpoint_url"),
        "(self, url: impl Into<String>) -> Self",
    );
    l.add(
        "fn",
        format!("{fluent}::dry_run"),
        format!(
            "(self) -> Result<runtime::transport::OutgoingRequest, error::SdkError<{error}>> (async)"
        ),
    );
    // The same conditions as the client emitter's paginator.
    let Some(p) = &op.paginated else { return };
    let has_token_member = matches!(
        svc.types.get(&op.input),
        Some(NamedType::Structure(s)) if s.members.iter().any(|m| m.name == p.input_token)
    );
    let token_is_string =
        output_path(svc, op, &p.output_token).is_some_and(|m| m.target.ty == Type::String);
    if !has_token_member || !token_is_string {
        return;
    }
    l.add(
        "fn",
        format!("{fluent}::into_paginator"),
        format!(
            "(self) -> runtime::paginator::Paginator<operation::{}::{}>",
            op.module_name,
            naming::type_name(&op.name)
        ),
    );
    let items = p
        .items
        .as_ref()
        .and_then(|items| output_path(svc, op, items))
        .and_then(|m| match &m.target.ty {
            Type::List {
                item,
                sparse: false,
            } => Some(type_string(svc, item)),
            _ => None,
        });
    if let Some(item) = items {
        l.add(
            "fn",
            format!("{fluent}::into_items"),
            format!("(self) -> impl Stream<Item = Result<{item}, error::SdkError<{error}>>>"),
        );
    }
}
