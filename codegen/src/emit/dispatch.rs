//! `src/dispatch.rs` of a generated crate (feature `client`): every operation callable by name
//! with a JSON document in and a JSON document out, and each operation's input members with
//! their kinds. Command-line tools and other dynamic callers use it; typed code never needs it.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Member, NamedType, Service, Type};
use crate::model::ShapeId;
use crate::naming;
use crate::tokens::ident;

fn kind(svc: &Service, ty: &Type) -> &'static str {
    match ty {
        Type::Boolean => "boolean",
        Type::Byte | Type::Short | Type::Integer | Type::Long => "integer",
        Type::Float | Type::Double => "float",
        Type::BigInteger | Type::BigDecimal => "number",
        Type::String => "string",
        Type::Blob { .. } => "blob",
        Type::Timestamp { .. } => "timestamp",
        Type::Document => "document",
        Type::List { .. } => "list",
        Type::Map { .. } => "map",
        Type::Unit => "structure",
        Type::EventStream { .. } => "event stream",
        Type::Named(id) => match &svc.types[id] {
            NamedType::Enum(_) => "enum",
            NamedType::IntEnum(_) => "integer",
            NamedType::Structure(_) => "structure",
            NamedType::Union(_) => "union",
        },
    }
}

/// The two statics of a named structure or union: its `Shape` and its members.
fn statics(svc: &Service, id: &ShapeId) -> (proc_macro2::Ident, proc_macro2::Ident) {
    let (shape, members) = naming::shape_statics(svc.codec_stem(id));
    (ident(&shape), ident(&members))
}

/// A `&'static Shape` expression for a member's value.
fn shape_expr(svc: &Service, ty: &Type) -> TokenStream {
    match ty {
        Type::List { item, .. } => {
            let inner = shape_expr(svc, &item.ty);
            quote!(&Shape::List(#inner))
        }
        Type::Map { value, .. } => {
            let inner = shape_expr(svc, &value.ty);
            quote!(&Shape::Map(#inner))
        }
        Type::Named(id)
            if matches!(svc.types[id], NamedType::Structure(_) | NamedType::Union(_)) =>
        {
            let (shape, _) = statics(svc, id);
            quote!(&#shape)
        }
        _ => quote!(&Shape::Scalar),
    }
}

/// `SHAPE_X` and `MEMBERS_X` for every structure and union an input reaches.
fn input_shapes(svc: &Service) -> TokenStream {
    // An event stream is not part of an input document (dispatch refuses those calls).
    let reached = svc.reachable_via(svc.operations.values().map(|o| o.input.clone()), |m| {
        !matches!(m.target.ty, Type::EventStream { .. })
    });
    let shapes = reached.into_iter().filter_map(|id| {
        let members: Vec<&Member> = match &svc.types[&id] {
            NamedType::Structure(s) => s.members.iter().collect(),
            NamedType::Union(u) => u.variants.iter().map(|v| &v.member).collect(),
            _ => return None,
        };
        let (shape, members_static) = statics(svc, &id);
        let name = id.name();
        let count = members.len();
        let members = members.iter().map(|m| {
            let (n, k, r) = (&m.name, kind(svc, &m.target.ty), m.required);
            let s = shape_expr(svc, &m.target.ty);
            quote!(Member { name: #n, kind: #k, required: #r, shape: #s })
        });
        Some(quote! {
            static #shape: Shape = Shape::Structure { name: #name, members: &#members_static };
            static #members_static: [Member; #count] = [#(#members),*];
        })
    });
    quote!(#(#shapes)*)
}

pub fn dispatch_rs(svc: &Service) -> TokenStream {
    let shapes = input_shapes(svc);
    let infos = svc.operations.values().map(|op| {
        let name = &op.name;
        let (shape, members) = statics(svc, &op.input);
        let streaming = match svc.streaming_output_member(&op.output) {
            Some(m) => {
                let n = &m.name;
                quote!(::std::option::Option::Some(#n))
            }
            None => quote!(::std::option::Option::None),
        };
        quote!(OperationInfo { name: #name, input: &#shape, members: &#members, streaming_output: #streaming })
    });
    let arms_call = svc.operations.values().map(|op| {
        let name = &op.name;
        let m = ident(&op.module_name);
        let s = ident(&naming::type_name(&op.name));
        // Events are no JSON document: such a call needs the typed client.
        if svc.event_stream_member(&op.input).is_some()
            || svc.event_stream_member(&op.output).is_some()
        {
            let why = format!("{name} sends or receives an event stream; call it with the typed client");
            return quote! {
                #name => {
                    let _ = (config, input);
                    ::std::result::Result::Err(CallError::Other(#why.to_string()))
                }
            };
        }
        // The document is written while a streaming payload is still unread, so it leaves
        // the payload out; the payload is handed over beside it.
        let payload = match svc.streaming_output_member(&op.output) {
            Some(member) => {
                let f = ident(&member.field_name);
                quote!(::std::option::Option::Some(::std::mem::take(&mut output.#f)))
            }
            None => quote!(::std::option::Option::None),
        };
        let (shape, _) = statics(svc, &op.input);
        quote! {
            #name => {
                check_keys(&#shape, input).map_err(CallError::Input)?;
                let input = crate::operation::#m::input_from_json(input).map_err(CallError::Input)?;
                #[allow(unused_mut)]
                let mut output = config.invoke::<crate::operation::#m::#s>(&input).await.map_err(CallError::from_sdk)?;
                let document = crate::operation::#m::output_to_json(&output);
                ::std::result::Result::Ok(CallOutput { document, payload: #payload })
            }
        }
    });
    let arms_prepare = svc.operations.values().map(|op| {
        let name = &op.name;
        let m = ident(&op.module_name);
        let s = ident(&naming::type_name(&op.name));
        let (shape, _) = statics(svc, &op.input);
        quote! {
            #name => {
                check_keys(&#shape, input).map_err(CallError::Input)?;
                let input = crate::operation::#m::input_from_json(input).map_err(CallError::Input)?;
                config.prepare::<crate::operation::#m::#s>(&input, invocation_id, 1).await.map_err(CallError::from_sdk)
            }
        }
    });
    let arms_parse = svc.operations.values().map(|op| {
        let name = &op.name;
        let m = ident(&op.module_name);
        quote! {
            #name => {
                let output = crate::operation::#m::parse_response(response).map_err(CallError::from_sdk)?;
                ::std::result::Result::Ok(crate::operation::#m::output_to_json(&output))
            }
        }
    });
    quote! {
        //! Every operation by name, JSON in and JSON out (for command-line tools).
        use crate::runtime::client::Config;
        use crate::runtime::error::{ErrorDocument, ErrorMeta, ProvideErrorMeta, SdkError};
        use crate::runtime::json::{DeserializeError, Value};
        use crate::runtime::transport::OutgoingRequest;
        pub use crate::runtime::schema::{check_keys, Member, Shape};

        #[derive(Clone, Copy, Debug)]
        pub struct OperationInfo {
            /// The model name (`DescribeImageGenerationConfiguration`).
            pub name: &'static str,
            /// The input document's shape: the keys each level may have.
            pub input: &'static Shape,
            /// The input's members.
            pub members: &'static [Member],
            /// The output member that is a streaming payload, if any (`Payload`).
            pub streaming_output: ::std::option::Option<&'static str>,
        }

        /// What a call gives: the output document, and a streaming payload (not in the document)
        /// still to be read.
        #[derive(Debug)]
        pub struct CallOutput {
            pub document: ::std::vec::Vec<u8>,
            pub payload: ::std::option::Option<crate::runtime::byte_stream::ByteStream>,
        }

        /// The service's operations, sorted by name.
        pub static OPERATIONS: &[OperationInfo] = &[#(#infos),*];

        #shapes

        /// Why a call by name failed.
        #[derive(Debug)]
        pub enum CallError {
            UnknownOperation(::std::string::String),
            /// The input document does not fit the operation's input.
            Input(DeserializeError),
            /// The input broke the model's constraints; nothing was sent.
            Validation(crate::runtime::validate::ValidationErrors),
            /// The service answered with an error: its code, message and status, and its
            /// members as a document keyed by member names (`{}` for an error the model does
            /// not name).
            Service(ErrorMeta, ::std::vec::Vec<u8>),
            /// Anything else (transport, endpoint, malformed response), as text.
            Other(::std::string::String),
        }

        impl CallError {
            fn from_sdk<E: ProvideErrorMeta + ErrorDocument + ::std::fmt::Display>(e: SdkError<E>) -> Self {
                match e {
                    SdkError::Validation(v) => CallError::Validation(v),
                    SdkError::Service(s) => CallError::Service(s.meta().clone(), s.to_document()),
                    other => CallError::Other(other.to_string()),
                }
            }
        }

        impl ::std::fmt::Display for CallError {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    CallError::UnknownOperation(n) => write!(f, "unknown operation {n:?}"),
                    CallError::Input(e) => write!(f, "invalid input: {e}"),
                    CallError::Validation(e) => write!(f, "invalid input: {e}"),
                    CallError::Service(m, _) => write!(f, "{m}"),
                    CallError::Other(e) => f.write_str(e),
                }
            }
        }

        impl ::std::error::Error for CallError {}

        /// Calls operation `name` with `input` (keyed by member names).
        pub async fn call(config: &Config, name: &str, input: &Value) -> ::std::result::Result<CallOutput, CallError> {
            match name {
                #(#arms_call)*
                other => ::std::result::Result::Err(CallError::UnknownOperation(other.to_string())),
            }
        }

        /// Reads a whole response of operation `name` (no I/O): the output document on success,
        /// the service's error or why the response could not be read otherwise.
        pub fn parse_response(name: &str, response: &crate::runtime::http::HttpResponse) -> ::std::result::Result<::std::vec::Vec<u8>, CallError> {
            match name {
                #(#arms_parse)*
                other => ::std::result::Result::Err(CallError::UnknownOperation(other.to_string())),
            }
        }

        /// The signed request the first attempt of a call would send.
        pub async fn prepare(config: &Config, name: &str, input: &Value, invocation_id: &str) -> ::std::result::Result<OutgoingRequest, CallError> {
            match name {
                #(#arms_prepare)*
                other => ::std::result::Result::Err(CallError::UnknownOperation(other.to_string())),
            }
        }
    }
}
