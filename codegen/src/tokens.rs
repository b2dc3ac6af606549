//! Token helpers for names already decided by `naming` and types of the IR, shared by
//! `protocol` and `emit` (below both).

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{NamedType, Service, StreamDirection, Target, Type, TypeLocation};
use crate::model::ShapeId;

/// The generated crates' feature of calls by name with JSON in and out: `dispatch.rs`, each
/// operation's `input_from_json` and `output_to_json`, and the codecs only those call.
pub const DISPATCH_FEATURE: &str = "dispatch";

/// Each item of `items` behind `#[cfg(feature = "<feature>")]`.
pub fn behind_feature(feature: &str, items: TokenStream) -> TokenStream {
    if items.is_empty() {
        return items;
    }
    let file: syn::File = syn::parse2(items).expect("generated items parse as items");
    let gated = file
        .items
        .into_iter()
        .map(|item| quote!(#[cfg(feature = #feature)] #item));
    quote!(#(#gated)*)
}

/// An identifier; `r#type` style names become raw identifiers.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The absolute path of a module of the generated crate.
pub fn module_path(location: &TypeLocation) -> TokenStream {
    match location {
        TypeLocation::Types => quote!(crate::types),
        TypeLocation::Errors => quote!(crate::types::error),
        TypeLocation::Operation(m) => {
            let m = ident(m);
            quote!(crate::operation::#m)
        }
    }
}

/// `crate::types::Foo` for a named type.
pub fn type_path(svc: &Service, id: &ShapeId) -> TokenStream {
    let t = &svc.types[id];
    let module = module_path(t.location());
    let name = ident(t.rust_name());
    quote!(#module::#name)
}

/// The builder's path: `FooBuilder` lives beside `Foo`.
pub fn builder_path(svc: &Service, id: &ShapeId) -> TokenStream {
    let t = &svc.types[id];
    let name = ident(&crate::naming::builder_name(t.rust_name()));
    let module = module_path(t.location());
    quote!(#module::#name)
}

/// The Rust type of a target.
pub fn rust_type(svc: &Service, target: &Target) -> TokenStream {
    match &target.ty {
        Type::Boolean => quote!(bool),
        Type::Byte => quote!(i8),
        Type::Short => quote!(i16),
        Type::Integer => quote!(i32),
        Type::Long => quote!(i64),
        Type::Float => quote!(f32),
        Type::Double => quote!(f64),
        Type::BigInteger | Type::BigDecimal | Type::String => quote!(::std::string::String),
        Type::Blob { .. } => quote!(::std::vec::Vec<u8>),
        Type::Timestamp { .. } => quote!(crate::primitives::DateTime),
        Type::Document => quote!(crate::primitives::Document),
        Type::List { item, sparse } => {
            let item = rust_type(svc, item);
            if *sparse {
                quote!(::std::vec::Vec<::std::option::Option<#item>>)
            } else {
                quote!(::std::vec::Vec<#item>)
            }
        }
        Type::Map { key, value, sparse } => {
            let key = rust_type(svc, key);
            let value = rust_type(svc, value);
            if *sparse {
                quote!(::std::collections::BTreeMap<#key, ::std::option::Option<#value>>)
            } else {
                quote!(::std::collections::BTreeMap<#key, #value>)
            }
        }
        Type::Named(id) => type_path(svc, id),
        Type::Unit => quote!(()),
        Type::EventStream { union, direction } => {
            let u = type_path(svc, union);
            match direction {
                StreamDirection::Input => quote!(crate::runtime::event_stream::EventSender<#u>),
                StreamDirection::Output => {
                    let e = event_stream_error_path(svc, union);
                    quote!(crate::runtime::event_stream::EventReceiver<#u, #e>)
                }
            }
        }
    }
}

/// The enum of the errors of event stream union `union`, beside it.
pub fn event_stream_error_path(svc: &Service, union: &ShapeId) -> TokenStream {
    let u = svc.union(union);
    let es = u
        .event_stream
        .as_ref()
        .expect("IR invariant: event streams target @streaming unions");
    let module = module_path(&u.location);
    let name = ident(&es.error_type);
    quote!(#module::#name)
}

/// Is the named type a string enum (its values print with `as_str`)?
pub fn is_string_enum(svc: &Service, target: &Target) -> bool {
    matches!(&target.ty, Type::Named(id) if matches!(svc.types.get(id), Some(NamedType::Enum(_))))
}
