//! One module per operation: its input and output types, its error enum, and the sans-I/O
//! operation (`serialize_request`, `parse_response`).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::types::named_type;
use super::validate::Validation;
use crate::ir::{Binding, NamedType, Operation, Service, StreamDirection, Type, TypeLocation};
use crate::naming;
use crate::protocol::json::{read_seed, write_value};
use crate::protocol::rest_json;
use crate::tokens::{ident, type_path, DISPATCH_FEATURE};

pub fn operation_module(svc: &Service, op: &Operation, validation: &Validation) -> TokenStream {
    let op_doc = docs::attrs(op.docs.as_deref());
    let local_types = svc
        .types
        .values()
        .filter(|t| *t.location() == TypeLocation::Operation(op.module_name.clone()))
        .map(|t| named_type(svc, t));
    let input_path = type_path(svc, &op.input);
    let output_path = type_path(svc, &op.output);
    // `validate` is emitted once per input type: in the module of the (first) operation that
    // takes it, also when the type is shared and lives in `types`.
    let first_with_input = svc.operations.values().find(|o| o.input == op.input);
    let validate_impl = if first_with_input.map(|o| &o.id) == Some(&op.id) {
        let body = if validation.is_needed(&op.input) {
            let f = ident(&naming::validate_fn(svc.codec_stem(&op.input)));
            quote! {
                let mut val = crate::runtime::validate::Validator::new();
                crate::validation::#f(self, &mut val);
                val.finish()
            }
        } else {
            quote!(::std::result::Result::Ok(()))
        };
        quote! {
            impl #input_path {
                /// Checks the input against the model's constraints (required, length, range,
                /// pattern) and reports every failure at once. Requests are validated before
                /// they are built, so nothing invalid is ever sent.
                pub fn validate(&self) -> ::std::result::Result<(), crate::runtime::validate::ValidationErrors> {
                    #body
                }
            }
        }
    } else {
        quote!()
    };
    let error = error_enum(svc, op);
    let op_struct = ident(&naming::type_name(&op.name));
    let name = &op.name;
    let error_ty = ident(&op.error_type);
    let ser = rest_json::serialize_request(svc, op);
    let de = rest_json::parse_response(svc, op);
    let http_doc = format!("`{} {}`", op.http.method, op.http.uri);
    let from_json = input_from_json_body(svc, op);
    let to_json = output_to_json_body(svc, op);
    let output_events = svc
        .event_stream_member(&op.output)
        .filter(|(_, _, d)| *d == StreamDirection::Output);
    let input_events = svc.event_stream_member(&op.input).and_then(|(m, union, d)| {
        (d == StreamDirection::Input).then(|| {
            let f = ident(&m.field_name);
            let marshall = ident(&naming::marshall_fn(svc.types[union].rust_name()));
            quote! {
                #[cfg(feature = "client")]
                fn event_stream_input(input: &Self::Input) -> ::std::option::Option<::std::result::Result<crate::runtime::event_stream::sender::MessageStream, crate::runtime::error::BoxError>> {
                    ::std::option::Option::Some(input.#f.take_message_stream(crate::protocol::#marshall))
                }
            }
        })
    });
    // SigV4 is the trait's default: only other schemes are spelled out.
    let auth = match op.auth {
        crate::ir::Auth::SigV4 => quote!(),
        crate::ir::Auth::SigV4UnsignedPayload => quote!(
            const AUTH: crate::runtime::operation::Auth =
                crate::runtime::operation::Auth::SigV4UnsignedPayload;
        ),
        crate::ir::Auth::Anonymous => quote!(
            const AUTH: crate::runtime::operation::Auth =
                crate::runtime::operation::Auth::Anonymous;
        ),
    };
    // Where the encoding goes after one the input set: botocore writes `a,gzip`, the Smithy
    // specification `a, gzip`.
    let compression = (!op.request_compression.is_empty()).then(|| {
        let encodings = &op.request_compression;
        let separator = match svc.wire {
            crate::ir::WireProfile::Botocore => ",",
            crate::ir::WireProfile::Smithy => ", ",
        };
        quote! {
            const REQUEST_COMPRESSION: ::std::option::Option<crate::runtime::request_body::RequestCompression> =
                ::std::option::Option::Some(crate::runtime::request_body::RequestCompression {
                    encodings: &[#(#encodings),*],
                    separator: #separator,
                });
        }
    });
    // `@httpChecksumRequired`: botocore (1.36 and later) sends a CRC32, the Smithy
    // specification an MD5 (`Content-MD5`).
    let checksum = op.checksum_required.then(|| {
        let kind = match svc.wire {
            crate::ir::WireProfile::Botocore => quote!(Crc32),
            crate::ir::WireProfile::Smithy => quote!(Md5),
        };
        quote! {
            const REQUEST_CHECKSUM: ::std::option::Option<crate::runtime::request_body::RequestChecksum> =
                ::std::option::Option::Some(crate::runtime::request_body::RequestChecksum::#kind);
        }
    });
    let streaming = (svc.streaming_output_member(&op.output).is_some() || output_events.is_some()).then(|| {
        quote! {
            const STREAMING_OUTPUT: bool = true;
            fn parse_streaming_output(head: &crate::runtime::http::HttpResponse, payload: crate::runtime::byte_stream::ByteStream) -> ::std::result::Result<Self::Output, crate::runtime::error::SdkError<Self::Error>> {
                parse_output(head, payload)
            }
        }
    });
    quote! {
        #op_doc
        ///
        #[doc = #http_doc]
        #[derive(Clone, Copy, Debug, Default)]
        pub struct #op_struct;

        impl crate::runtime::operation::Operation for #op_struct {
            const NAME: &'static str = #name;
            #auth
            #compression
            #checksum
            type Input = #input_path;
            type Output = #output_path;
            type Error = #error_ty;
            fn serialize_request(input: &Self::Input) -> ::std::result::Result<crate::runtime::http::HttpRequest, crate::runtime::validate::ValidationErrors> {
                serialize_request(input)
            }
            fn parse_response(response: &crate::runtime::http::HttpResponse) -> ::std::result::Result<Self::Output, crate::runtime::error::SdkError<Self::Error>> {
                parse_response(response)
            }
            #streaming
            #input_events
        }

        #ser
        #de

        /// Reads an input from a JSON document keyed by the model's member names (the form
        /// `--cli-input-json` takes); timestamps may be epoch seconds or ISO-8601 strings
        /// (feature `dispatch`).
        #[cfg(feature = #DISPATCH_FEATURE)]
        pub fn input_from_json(document: &crate::runtime::json::Value) -> ::std::result::Result<#input_path, crate::runtime::json::DeserializeError> {
            #from_json
        }

        /// Writes an output as a JSON document keyed by the model's member names, with
        /// timestamps as ISO-8601 strings and blobs as base64 (feature `dispatch`).
        #[cfg(feature = #DISPATCH_FEATURE)]
        pub fn output_to_json(output: &#output_path) -> ::std::vec::Vec<u8> {
            #to_json
        }

        #(#local_types)*
        #validate_impl
        #error
    }
}

/// Members an input or output document holds besides those of the JSON body: the ones bound
/// to the HTTP message (labels, query, headers, payload, status). An event stream is no value
/// of a document: it is left out.
fn http_bound(s: &crate::ir::Structure) -> impl Iterator<Item = &crate::ir::Member> {
    s.members
        .iter()
        .filter(|m| m.binding != Binding::Body && !matches!(m.target.ty, Type::EventStream { .. }))
}

/// `input_from_json`: the body members through the input's codec, then the HTTP-bound ones.
fn input_from_json_body(svc: &Service, op: &Operation) -> TokenStream {
    let reader = ident(&naming::de_reader(svc.codec_stem(&op.input)));
    let input = svc.structure(&op.input);
    let read_body = quote! {
        crate::runtime::json_read::from_document(document, crate::runtime::json_read::Object(crate::protocol::#reader))
    };
    if http_bound(input).next().is_none() {
        return read_body;
    }
    let reads = http_bound(input).map(|m| {
        let f = ident(&m.field_name);
        let key = &m.name;
        let seed = read_seed(svc, &m.target);
        let boxed = m.boxed.then(|| quote!(.map(::std::boxed::Box::new)));
        quote! {
            if let ::std::option::Option::Some(v) = document.get(#key) {
                out.#f = crate::runtime::json_read::from_document(v, crate::runtime::json_read::Opt(#seed)).map_err(|e| e.at(#key))? #boxed;
            }
        }
    });
    quote! {
        let mut out = #read_body?;
        // Members bound to the HTTP message are keys of the document too.
        #(#reads)*
        ::std::result::Result::Ok(out)
    }
}

/// `output_to_json`: the output's codec when every member is in the body, else every member
/// written here (the codec writes only the body's).
fn output_to_json_body(svc: &Service, op: &Operation) -> TokenStream {
    let output = svc.structure(&op.output);
    if output.members.iter().all(|m| m.binding == Binding::Body) {
        let ser_output = ident(&naming::ser_fn(svc.codec_stem(&output.id)));
        return quote! {
            let mut w = crate::runtime::json::JsonWriter::for_document();
            crate::protocol::#ser_output(&mut w, output);
            w.finish()
        };
    }
    let streaming = svc.streaming_output_member(&op.output);
    let writes = output
        .members
        .iter()
        .filter(|m| !matches!(m.target.ty, Type::EventStream { .. }))
        .map(|m| {
            let f = ident(&m.field_name);
            let key = &m.name;
            if streaming == Some(m) {
                // A payload still on the wire is left out: the caller reads it from the stream.
                // An empty one is empty bytes to botocore, no payload to Smithy.
                let present = match svc.wire {
                    crate::ir::WireProfile::Botocore => quote!(),
                    crate::ir::WireProfile::Smithy => quote!(.filter(|b| !b.is_empty())),
                };
                return quote! {
                    if let ::std::option::Option::Some(bytes) = output.#f.as_buffered() #present {
                        w.key(#key);
                        w.blob(bytes);
                    }
                };
            }
            document_write(svc, m, quote!(output))
        });
    let writes: Vec<TokenStream> = writes.collect();
    // An output whose only member is an event stream writes an empty document.
    let unused = writes.is_empty().then(|| quote!(let _ = output;));
    let object = document_object(&writes);
    quote! {
        #unused
        #object
    }
}

/// A document object of `writes` (each writes one member into `w`), as its bytes.
fn document_object(writes: &[TokenStream]) -> TokenStream {
    quote! {
        let mut writer = crate::runtime::json::JsonWriter::for_document();
        let w = &mut writer;
        w.begin_object();
        #(#writes)*
        w.end_object();
        writer.finish()
    }
}

/// Writes member `m` of `owner` into a document, under its member name, when it is set.
fn document_write(svc: &Service, m: &crate::ir::Member, owner: TokenStream) -> TokenStream {
    let f = ident(&m.field_name);
    let key = &m.name;
    let write = write_value(svc, &m.target, quote!(value));
    quote! {
        if let ::std::option::Option::Some(value) = &#owner.#f {
            w.key(#key);
            #write
        }
    }
}

fn error_enum(svc: &Service, op: &Operation) -> TokenStream {
    let doc = format!("The errors `{}` can return.", op.name);
    let variants: Vec<ErrorVariant> = op
        .errors
        .iter()
        .map(|e| {
            let s = svc.structure(e);
            ErrorVariant {
                name: s.rust_name.clone(),
                path: type_path(svc, e),
                docs: s.docs.clone(),
            }
        })
        .collect();
    error_enum_tokens(
        &op.error_type,
        &doc,
        "An error the model does not describe for this operation.",
        &variants,
    )
}

/// A variant of an error enum: its name, the error structure it holds, its docs.
pub struct ErrorVariant {
    pub name: String,
    pub path: TokenStream,
    pub docs: Option<String>,
}

/// An enum of modeled errors plus `Unhandled`, with its metadata accessors and predicates.
pub fn error_enum_tokens(
    enum_name: &str,
    doc: &str,
    unhandled_doc: &str,
    errors: &[ErrorVariant],
) -> TokenStream {
    let name = ident(enum_name);
    // `///` comments carry the space after the slashes.
    let unhandled_doc = format!(" {unhandled_doc}");
    let variants = errors.iter().map(|e| {
        let v = ident(&e.name);
        let p = &e.path;
        let d = docs::attrs(e.docs.as_deref());
        quote! { #d #v(#p), }
    });
    let variant_names: Vec<_> = errors.iter().map(|e| ident(&e.name)).collect();
    let is_fns = errors.iter().map(|e| {
        let v = ident(&e.name);
        let f = ident(&format!(
            "is_{}",
            naming::bare(&naming::field_name(&e.name))
        ));
        let d = format!("Is this a `{}`?", e.name);
        quote! {
            #[doc = #d]
            pub fn #f(&self) -> bool {
                matches!(self, #name::#v(_))
            }
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #[doc = #unhandled_doc]
            Unhandled(crate::runtime::error::UnhandledError),
        }
        impl #name {
            /// Code, message, HTTP status and request id of the error.
            pub fn meta(&self) -> &crate::runtime::error::ErrorMeta {
                match self {
                    #(#name::#variant_names(e) => e.meta(),)*
                    #name::Unhandled(e) => e.meta(),
                }
            }
            /// The error code, sanitised (`ResourceNotFoundException`).
            pub fn code(&self) -> ::std::option::Option<&str> {
                self.meta().code()
            }
            pub fn message(&self) -> ::std::option::Option<&str> {
                self.meta().message()
            }
            /// The `x-amzn-RequestId` of the response.
            pub fn request_id(&self) -> ::std::option::Option<&str> {
                self.meta().request_id()
            }
            #(#is_fns)*
        }
        impl crate::runtime::error::ProvideErrorMeta for #name {
            fn meta(&self) -> &crate::runtime::error::ErrorMeta {
                #name::meta(self)
            }
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(#name::#variant_names(e) => ::std::fmt::Display::fmt(e, f),)*
                    #name::Unhandled(e) => ::std::fmt::Display::fmt(e, f),
                }
            }
        }
        impl ::std::error::Error for #name {}
        impl crate::runtime::error::ErrorDocument for #name {
            fn to_document(&self) -> ::std::vec::Vec<u8> {
                match self {
                    #(#name::#variant_names(e) => e.to_document(),)*
                    #name::Unhandled(e) => crate::runtime::error::ErrorDocument::to_document(e),
                }
            }
        }
    }
}

/// Extra impls of an error structure: metadata accessors, `Display`, `Error`.
pub fn error_impls(svc: &Service, t: &NamedType) -> TokenStream {
    let NamedType::Structure(s) = t else {
        return quote!();
    };
    let Some(info) = &s.error else {
        return quote!();
    };
    let name = ident(&s.rust_name);
    let code = &info.code;
    let status = info.http_status;
    let fault = match info.fault {
        crate::ir::ErrorFault::Client => quote!(true),
        crate::ir::ErrorFault::Server => quote!(false),
    };
    // A modeled `Message`/`message` member is the message; else the one read from the body.
    let message_member = s
        .members
        .iter()
        .find(|m| m.name.eq_ignore_ascii_case("message") && m.target.ty == crate::ir::Type::String)
        .map(|m| ident(&m.field_name));
    let message = match message_member {
        Some(f) => quote!(self.#f.as_deref().or(self.meta.message())),
        None => quote!(self.meta.message()),
    };
    let writes: Vec<TokenStream> = s
        .members
        .iter()
        .map(|m| document_write(svc, m, quote!(self)))
        .collect();
    let object = document_object(&writes);
    quote! {
        impl #name {
            /// The members as a JSON document keyed by member names (timestamps as ISO-8601
            /// strings, blobs as base64).
            pub fn to_document(&self) -> ::std::vec::Vec<u8> {
                #object
            }
            /// The code of this error on the wire.
            pub const CODE: &'static str = #code;
            /// The status the model gives this error.
            pub const HTTP_STATUS: u16 = #status;
            /// `true` for errors the caller caused (`@error("client")`).
            pub const IS_CLIENT_FAULT: bool = #fault;
            /// Code, message, HTTP status and request id as received.
            pub fn meta(&self) -> &crate::runtime::error::ErrorMeta {
                &self.meta
            }
            pub fn message(&self) -> ::std::option::Option<&str> {
                #message
            }
        }
        impl crate::runtime::error::ProvideErrorMeta for #name {
            fn meta(&self) -> &crate::runtime::error::ErrorMeta {
                &self.meta
            }
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(Self::CODE)?;
                if let ::std::option::Option::Some(m) = self.message() {
                    write!(f, ": {m}")?;
                }
                write!(f, " (HTTP {}", self.meta.status())?;
                if let ::std::option::Option::Some(id) = self.meta.request_id() {
                    write!(f, ", request id {id}")?;
                }
                f.write_str(")")
            }
        }
        impl ::std::error::Error for #name {}
    }
}
