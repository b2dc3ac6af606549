//! `src/dispatch.rs` of a generated crate (feature `client`): every operation callable by name
//! with a JSON document in and a JSON document out, and each operation's input members with
//! their kinds. Command-line tools and other dynamic callers use it; typed code never needs it.

use proc_macro2::TokenStream;
use quote::quote;

use super::names::ident;
use crate::ir::{NamedType, Service, Type};
use crate::naming;

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
        Type::Named(id) => match &svc.types[id] {
            NamedType::Enum(_) => "enum",
            NamedType::IntEnum(_) => "integer",
            NamedType::Structure(_) => "structure",
            NamedType::Union(_) => "union",
        },
    }
}

pub fn dispatch_rs(svc: &Service) -> TokenStream {
    let infos = svc.operations.values().map(|op| {
        let name = &op.name;
        let input = svc.structure(&op.input);
        let members = input.members.iter().map(|m| {
            let (n, k, r) = (&m.name, kind(svc, &m.target.ty), m.required);
            quote!(Member { name: #n, kind: #k, required: #r })
        });
        let streaming = match svc.streaming_output_member(&op.output) {
            Some(m) => {
                let n = &m.name;
                quote!(::std::option::Option::Some(#n))
            }
            None => quote!(::std::option::Option::None),
        };
        quote!(OperationInfo { name: #name, members: &[#(#members),*], streaming_output: #streaming })
    });
    let arms_call = svc.operations.values().map(|op| {
        let name = &op.name;
        let m = ident(&op.module_name);
        let s = ident(&naming::type_name(&op.name));
        // The document is written while a streaming payload is still unread, so it leaves
        // the payload out; the payload is handed over beside it.
        let payload = match svc.streaming_output_member(&op.output) {
            Some(member) => {
                let f = ident(&member.field_name);
                quote!(::std::option::Option::Some(::std::mem::take(&mut output.#f)))
            }
            None => quote!(::std::option::Option::None),
        };
        quote! {
            #name => {
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
        quote! {
            #name => {
                let input = crate::operation::#m::input_from_json(input).map_err(CallError::Input)?;
                config.prepare::<crate::operation::#m::#s>(&input, invocation_id, 1).map_err(CallError::from_sdk)
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
        use crate::runtime::error::{ErrorMeta, ProvideErrorMeta, SdkError};
        use crate::runtime::json::{DeserializeError, Value};
        use crate::runtime::transport::OutgoingRequest;

        /// An input member: model name, kind (`string`, `integer`, `float`, `boolean`, `enum`,
        /// `timestamp`, `blob`, `list`, `map`, `structure`, `union`, `document`, `number`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct Member {
            pub name: &'static str,
            pub kind: &'static str,
            pub required: bool,
        }

        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct OperationInfo {
            /// The model name (`DescribeImageGenerationConfiguration`).
            pub name: &'static str,
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
        pub const OPERATIONS: &[OperationInfo] = &[#(#infos),*];

        /// Why a call by name failed.
        #[derive(Debug)]
        pub enum CallError {
            UnknownOperation(::std::string::String),
            /// The input document does not fit the operation's input.
            Input(DeserializeError),
            /// The input broke the model's constraints; nothing was sent.
            Validation(crate::runtime::validate::ValidationErrors),
            /// The service answered with an error.
            Service(ErrorMeta),
            /// Anything else (transport, endpoint, malformed response), as text.
            Other(::std::string::String),
        }

        impl CallError {
            fn from_sdk<E: ProvideErrorMeta + ::std::fmt::Display>(e: SdkError<E>) -> Self {
                match e {
                    SdkError::Validation(v) => CallError::Validation(v),
                    SdkError::Service(s) => CallError::Service(s.meta().clone()),
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
                    CallError::Service(m) => write!(f, "{m}"),
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
        pub fn prepare(config: &Config, name: &str, input: &Value, invocation_id: &str) -> ::std::result::Result<OutgoingRequest, CallError> {
            match name {
                #(#arms_prepare)*
                other => ::std::result::Result::Err(CallError::UnknownOperation(other.to_string())),
            }
        }
    }
}
