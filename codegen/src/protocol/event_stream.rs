//! Event stream messages of the AWS JSON protocols: each event of a `@streaming` union becomes
//! one message and back. `:event-type` is the union member's name; `@eventHeader` members are
//! message headers named after the member; the `@eventPayload` member is the payload (a blob
//! as is, a string as UTF-8, a structure or union as JSON); without one, the members that are
//! not headers form a JSON object as the payload. Exceptions (`:exception-type`, the member
//! name) carry their error structure as JSON.

use proc_macro2::TokenStream;
use quote::quote;

use super::json::{read_seed, write_value};
use crate::ir::{Binding, Member, NamedType, Service, StreamDirection, Structure, Type, Union};
use crate::naming;
use crate::tokens::{event_stream_error_path, ident, type_path};

/// The event stream unions the operations use, with the directions they flow in.
pub fn stream_unions(svc: &Service) -> Vec<(&Union, bool, bool)> {
    let mut out: Vec<(&Union, bool, bool)> = Vec::new();
    for op in svc.operations.values() {
        for io in [&op.input, &op.output] {
            if let Some((_, union, direction)) = svc.event_stream_member(io) {
                let u = svc.union(union);
                let input = direction == StreamDirection::Input;
                match out.iter_mut().find(|(o, _, _)| o.id == u.id) {
                    Some(entry) => {
                        entry.1 |= input;
                        entry.2 |= !input;
                    }
                    None => out.push((u, input, !input)),
                }
            }
        }
    }
    out.sort_by(|a, b| a.0.id.cmp(&b.0.id));
    out
}

/// How the payload of an event is made: its `@eventPayload` member, the JSON object of its
/// other members, or nothing (every member is a header).
enum Payload<'a> {
    Member(&'a Member),
    Document,
    None,
}

fn payload_of(s: &Structure) -> Payload<'_> {
    if let Some(m) = s
        .members
        .iter()
        .find(|m| m.binding == Binding::EventPayload)
    {
        Payload::Member(m)
    } else if s.members.iter().any(|m| m.binding == Binding::Body) {
        Payload::Document
    } else {
        Payload::None
    }
}

fn event_structure<'a>(svc: &'a Service, m: &Member) -> &'a Structure {
    let Type::Named(id) = &m.target.ty else {
        panic!("IR invariant: events are structures ({})", m.name)
    };
    svc.structure(id)
}

/// The named types whose JSON codecs the events of `u` use: `(serialize, deserialize)` roots.
pub fn codec_roots(
    svc: &Service,
    u: &Union,
    input: bool,
    output: bool,
) -> (Vec<crate::model::ShapeId>, Vec<crate::model::ShapeId>) {
    let mut roots = Vec::new();
    for v in &u.variants {
        let s = event_structure(svc, &v.member);
        match payload_of(s) {
            Payload::Member(m) => roots.extend(m.target.named_types()),
            Payload::Document => roots.push(s.id.clone()),
            Payload::None => {}
        }
    }
    let mut de = Vec::new();
    if output {
        de.extend(roots.iter().cloned());
        // Exceptions are read by their error parsers, which read the body members.
        for v in u.event_stream.iter().flat_map(|es| &es.errors) {
            de.push(v.member.target.shape.clone());
        }
    }
    (if input { roots } else { Vec::new() }, de)
}

/// `marshall_*` and `unmarshall_*` of every event stream union, as each is used.
pub fn codec_fns(svc: &Service, validated: impl Fn(&crate::model::ShapeId) -> bool) -> TokenStream {
    let mut out = TokenStream::new();
    for (u, input, output) in stream_unions(svc) {
        if input {
            out.extend(marshaller(svc, u, validated(&u.id)));
        }
        if output {
            out.extend(unmarshaller(svc, u));
        }
    }
    out
}

/// A header value of member `m` (`x: &T`).
fn header_value(svc: &Service, m: &Member, x: TokenStream) -> TokenStream {
    let hv = quote!(crate::runtime::event_stream::HeaderValue);
    match &m.target.ty {
        Type::Boolean => quote!(#hv::Bool(*#x)),
        Type::Byte => quote!(#hv::Byte(*#x)),
        Type::Short => quote!(#hv::Int16(*#x)),
        Type::Integer => quote!(#hv::Int32(*#x)),
        Type::Long => quote!(#hv::Int64(*#x)),
        Type::Blob { .. } => quote!(#hv::ByteArray(#x.clone())),
        Type::String => quote!(#hv::String(#x.clone())),
        Type::Timestamp { .. } => quote!(#hv::timestamp(#x)),
        Type::Named(id) => match &svc.types[id] {
            NamedType::IntEnum(_) => quote!(#hv::Int32(#x.as_i32())),
            _ => quote!(#hv::String(#x.as_str().to_string())),
        },
        other => panic!("IR invariant: event header of type {other:?}"),
    }
}

/// Reads member `m` from the header of its name, as `Result<Option<T>, DeserializeError>`.
fn read_header(svc: &Service, m: &Member) -> TokenStream {
    let name = &m.name;
    let hv = quote!(crate::runtime::event_stream::HeaderValue);
    let read = |expected: &str, f: TokenStream| quote!(crate::runtime::event_stream::header(message, #name, #expected, #f));
    match &m.target.ty {
        Type::Boolean => read("boolean", quote!(#hv::as_bool)),
        Type::Byte => read("byte", quote!(#hv::as_byte)),
        Type::Short => read("short", quote!(#hv::as_short)),
        Type::Integer => read("integer", quote!(#hv::as_int)),
        Type::Long => read("long", quote!(#hv::as_long)),
        Type::Blob { .. } => read("byte_array", quote!(#hv::as_bytes)),
        Type::String => read("string", quote!(#hv::as_string)),
        Type::Timestamp { .. } => read("timestamp", quote!(#hv::as_timestamp)),
        Type::Named(id) => {
            let p = type_path(svc, id);
            match &svc.types[id] {
                NamedType::IntEnum(_) => {
                    let r = read("integer", quote!(#hv::as_int));
                    quote!(#r.map(|v| v.map(#p::from)))
                }
                _ => {
                    let r = read("string", quote!(#hv::as_string));
                    quote!(#r.map(|v| v.map(#p::from)))
                }
            }
        }
        other => panic!("IR invariant: event header of type {other:?}"),
    }
}

fn marshaller(svc: &Service, u: &Union, validated: bool) -> TokenStream {
    let path = type_path(svc, &u.id);
    let f = ident(&naming::marshall_fn(&u.rust_name));
    let hv = quote!(crate::runtime::event_stream::HeaderValue);
    let arms = u.variants.iter().map(|v| {
        let var = ident(&v.variant_name);
        let event_type = &v.member.name;
        let s = event_structure(svc, &v.member);
        let (payload, content_type) = match payload_of(s) {
            Payload::Member(m) => {
                let field = ident(&m.field_name);
                match &m.target.ty {
                    Type::Blob { .. } => (
                        quote!(e.#field.clone().unwrap_or_default()),
                        Some("application/octet-stream"),
                    ),
                    Type::String => (
                        quote!(e.#field.clone().unwrap_or_default().into_bytes()),
                        Some("text/plain"),
                    ),
                    _ => {
                        let write = write_value(svc, &m.target, quote!(value));
                        (
                            quote! {{
                                let w = &mut crate::runtime::json::JsonWriter::new();
                                match &e.#field {
                                    ::std::option::Option::Some(value) => { #write }
                                    // An unset structure payload is an empty document.
                                    ::std::option::Option::None => { w.begin_object(); w.end_object(); }
                                }
                                ::std::mem::take(w).finish()
                            }},
                            Some("application/json"),
                        )
                    }
                }
            }
            Payload::Document => {
                let ser = ident(&naming::ser_fn(svc.codec_stem(&s.id)));
                (
                    quote! {{
                        let mut w = crate::runtime::json::JsonWriter::new();
                        crate::protocol::#ser(&mut w, e);
                        w.finish()
                    }},
                    Some("application/json"),
                )
            }
            Payload::None => (quote!(::std::vec::Vec::new()), None),
        };
        let content_type = content_type.map(|ct| {
            quote!(message.add_header(":content-type", #hv::String(#ct.to_string()));)
        });
        let headers: Vec<TokenStream> = s
            .members
            .iter()
            .filter(|m| m.binding == Binding::EventHeader)
            .map(|m| {
                let field = ident(&m.field_name);
                let name = &m.name;
                let value = header_value(svc, m, quote!(value));
                quote! {
                    if let ::std::option::Option::Some(value) = &e.#field {
                        message.add_header(#name, #value);
                    }
                }
            })
            .collect();
        // An event without members has nothing to read.
        let binding = if headers.is_empty() && matches!(payload_of(s), Payload::None) {
            quote!(_)
        } else {
            quote!(e)
        };
        quote! {
            #path::#var(#binding) => {
                let mut message = crate::runtime::event_stream::Message::new(#payload);
                message.add_header(":message-type", #hv::String("event".to_string()));
                message.add_header(":event-type", #hv::String(#event_type.to_string()));
                #content_type
                #(#headers)*
                message
            }
        }
    });
    let validate = validated.then(|| {
        let v = ident(&naming::validate_fn(svc.codec_stem(&u.id)));
        quote! {
            let mut val = crate::runtime::validate::Validator::new();
            crate::validation::#v(event, &mut val);
            val.finish()?;
        }
    });
    let doc = format!(
        "The message of an event of `{}` (checked against the model's constraints first).",
        u.rust_name
    );
    quote! {
        #[doc = #doc]
        pub(crate) fn #f(event: &#path) -> ::std::result::Result<crate::runtime::event_stream::Message, crate::runtime::error::BoxError> {
            #validate
            ::std::result::Result::Ok(match event {
                #(#arms)*
                #path::Unknown(name) => {
                    return ::std::result::Result::Err(format!("the event `{name}` is unknown to this crate and cannot be sent").into());
                }
            })
        }
    }
}

fn unmarshaller(svc: &Service, u: &Union) -> TokenStream {
    let path = type_path(svc, &u.id);
    let error_path = event_stream_error_path(svc, &u.id);
    let f = ident(&naming::unmarshall_fn(&u.rust_name));
    let events = u.variants.iter().map(|v| {
        let var = ident(&v.variant_name);
        let event_type = &v.member.name;
        let s = event_structure(svc, &v.member);
        let spath = type_path(svc, &s.id);
        let headers = s
            .members
            .iter()
            .filter(|m| m.binding == Binding::EventHeader)
            .map(|m| {
                let field = ident(&m.field_name);
                let read = read_header(svc, m);
                quote!(out.#field = #read?;)
            });
        let payload = match payload_of(s) {
            Payload::Member(m) => {
                let field = ident(&m.field_name);
                let name = &m.name;
                match &m.target.ty {
                    Type::Blob { .. } => {
                        quote!(out.#field = ::std::option::Option::Some(message.payload().to_vec());)
                    }
                    Type::String => quote! {
                        out.#field = ::std::option::Option::Some(
                            ::std::string::String::from_utf8(message.payload().to_vec())
                                .map_err(|_| crate::runtime::json::DeserializeError::new("payload is not UTF-8").at(#name))?,
                        );
                    },
                    _ => {
                        let seed = read_seed(svc, &m.target);
                        quote! {
                            if !message.payload().iter().all(|b| b.is_ascii_whitespace()) {
                                out.#field = ::std::option::Option::Some(
                                    crate::runtime::json_read::from_body(message.payload(), #seed)
                                        .map_err(|e| e.at(#name))?,
                                );
                            }
                        }
                    }
                }
            }
            Payload::Document => quote!(),
            Payload::None => quote!(),
        };
        let start = match payload_of(s) {
            Payload::Document => {
                let reader = ident(&naming::de_reader(svc.codec_stem(&s.id)));
                quote! {
                    // An empty payload is an event without body members.
                    if message.payload().iter().all(|b| b.is_ascii_whitespace()) {
                        #spath::default()
                    } else {
                        crate::runtime::json_read::from_body(
                            message.payload(),
                            crate::runtime::json_read::Object(crate::protocol::#reader),
                        )?
                    }
                }
            }
            _ => quote!(#spath::default()),
        };
        quote! {
            #event_type => {
                #[allow(unused_mut)]
                let mut out = #start;
                #(#headers)*
                #payload
                #path::#var(out)
            }
        }
    });
    let errors = u.event_stream.iter().flat_map(|es| &es.errors).map(|v| {
        let var = ident(&v.variant_name);
        let exception_type = &v.member.name;
        let s = event_structure(svc, &v.member);
        let code = &s.error.as_ref().expect("stream errors are errors").code;
        let de = ident(&naming::de_error_fn(&s.rust_name));
        quote! {
            #exception_type => {
                let meta = crate::runtime::event_stream::exception_meta(#code, &body, base);
                let response = crate::runtime::http::HttpResponse::new(base.status(), ::std::default::Default::default(), message.payload().to_vec());
                #error_path::#var(crate::protocol::#de(&response, body.json(), meta))
            }
        }
    });
    let doc = format!(
        "An event of `{}` from its message, `None` to skip it, or the error the stream ends with.",
        u.rust_name
    );
    quote! {
        #[doc = #doc]
        pub(crate) fn #f(
            message: &crate::runtime::event_stream::Message,
            base: &crate::runtime::error::ErrorMeta,
        ) -> ::std::result::Result<::std::option::Option<#path>, crate::runtime::event_stream::ReceiveError<#error_path>> {
            use crate::runtime::event_stream::{MessageKind, ReceiveError};
            match crate::runtime::event_stream::message_kind(message).map_err(ReceiveError::Frame)? {
                MessageKind::Event(event_type) => {
                    let read = || -> ::std::result::Result<#path, crate::runtime::json::DeserializeError> {
                        ::std::result::Result::Ok(match event_type {
                            #(#events)*
                            // An event this version of the crate does not know is kept by name.
                            other => #path::Unknown(other.to_string()),
                        })
                    };
                    read().map(::std::option::Option::Some).map_err(|e| ReceiveError::Event(e.at(event_type)))
                }
                MessageKind::Exception(exception_type) => {
                    let body = crate::runtime::error::parse_error_body(message.payload());
                    ::std::result::Result::Err(ReceiveError::Service(match exception_type {
                        #(#errors)*
                        other => #error_path::Unhandled(crate::runtime::error::UnhandledError::new(
                            crate::runtime::event_stream::exception_meta(other, &body, base),
                        )),
                    }))
                }
                MessageKind::Error { code, message: text } => ::std::result::Result::Err(ReceiveError::Service(
                    #error_path::Unhandled(crate::runtime::error::UnhandledError::new(
                        crate::runtime::event_stream::error_meta(code, text, base),
                    )),
                )),
            }
        }
    }
}
