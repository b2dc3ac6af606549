//! Data types: structures with builders, enums that keep unknown values, unions.

use proc_macro2::{Literal, TokenStream};
use quote::{quote, ToTokens};

use super::docs;
use super::operation::{error_enum_tokens, ErrorVariant};
use crate::ir::{Enum, IntEnum, Member, NamedType, Service, Structure, Type, Union};
use crate::naming;
use crate::tokens::{builder_path, ident, is_string_enum, rust_type};

const REDACTED: &str = "*** Sensitive Data Redacted ***";

pub fn named_type(svc: &Service, t: &NamedType) -> TokenStream {
    match t {
        NamedType::Structure(s) => structure(svc, s),
        NamedType::Union(u) => union(svc, u),
        NamedType::Enum(e) => string_enum(e),
        NamedType::IntEnum(e) => int_enum(e),
    }
}

fn member_type(svc: &Service, m: &Member) -> TokenStream {
    let ty = rust_type(svc, &m.target);
    if m.boxed {
        quote!(::std::boxed::Box<#ty>)
    } else {
        ty
    }
}

fn member_docs(m: &Member) -> TokenStream {
    let mut tokens = docs::attrs(m.docs.as_deref());
    if m.required {
        let note = if m.docs.is_some() {
            "\nThis member is required."
        } else {
            "This member is required."
        };
        tokens.extend(docs::lines(note));
    }
    tokens
}

pub fn structure(svc: &Service, s: &Structure) -> TokenStream {
    let name = ident(&s.rust_name);
    let builder_name = ident(&naming::builder_name(&s.rust_name));
    let doc = docs::attrs(s.docs.as_deref());
    let streaming = svc.streaming_output_member(&s.id);
    let events = svc.event_stream_member(&s.id);
    let is_events = |m: &Member| events.is_some_and(|(e, _, _)| e == m);
    let fields = s.members.iter().map(|m| {
        let f = ident(&m.field_name);
        let d = member_docs(m);
        if streaming == Some(m) {
            return quote! { #d pub #f: crate::primitives::ByteStream, };
        }
        let ty = member_type(svc, m);
        // An event stream is never absent: unset, it is a stream without events.
        if is_events(m) {
            return quote! { #d pub #f: #ty, };
        }
        quote! { #d pub #f: ::std::option::Option<#ty>, }
    });
    // A byte stream or received event stream is read once: the structure holding one is
    // neither `Clone` nor `PartialEq`.
    let read_once = streaming.is_some()
        || events.is_some_and(|(_, _, d)| d == crate::ir::StreamDirection::Output);
    let (clone, partial_eq) = if read_once {
        (quote!(), quote!())
    } else {
        (quote!(Clone,), quote!(, PartialEq))
    };
    let meta_field = s.error.as_ref().map(|_| {
        quote! { pub(crate) meta: crate::runtime::error::ErrorMeta, }
    });
    let any_sensitive = s.sensitive || s.members.iter().any(|m| m.target.sensitive);
    let derive_debug = if any_sensitive {
        quote!()
    } else {
        quote!(Debug,)
    };
    let debug_impl = any_sensitive.then(|| {
        let name_str = &s.rust_name;
        let entries = s.members.iter().map(|m| {
            let f = ident(&m.field_name);
            let label = naming::bare(&m.field_name);
            if s.sensitive || m.target.sensitive {
                quote! { .field(#label, &#REDACTED) }
            } else {
                quote! { .field(#label, &self.#f) }
            }
        });
        let meta = s
            .error
            .as_ref()
            .map(|_| quote! { .field("meta", &self.meta) });
        quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct(#name_str) #(#entries)* #meta .finish()
                }
            }
        }
    });
    let builder_path_tokens = builder_path(svc, &s.id);
    let default_getters = s.members.iter().filter_map(|m| default_getter(svc, m));
    let setters = s.members.iter().map(|m| {
        if streaming == Some(m) {
            stream_setter(m, quote!(crate::primitives::ByteStream))
        } else if is_events(m) {
            stream_setter(m, member_type(svc, m))
        } else {
            setter(svc, m)
        }
    });
    let builder_doc = format!("A builder for [`{}`].", s.rust_name);
    quote! {
        #doc
        #[derive(#clone #derive_debug Default #partial_eq)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #meta_field
        }
        #debug_impl
        impl #name {
            /// Starts building this type; every member starts unset.
            pub fn builder() -> #builder_path_tokens {
                ::std::default::Default::default()
            }
            #(#default_getters)*
        }
        #[doc = #builder_doc]
        #[derive(#clone Debug, Default #partial_eq)]
        pub struct #builder_name {
            inner: #name,
        }
        impl #builder_name {
            #(#setters)*
            pub fn build(self) -> #name {
                self.inner
            }
        }
    }
}

fn setter(svc: &Service, m: &Member) -> TokenStream {
    let f = ident(&m.field_name);
    let set = ident(&naming::setter_of_option(&m.field_name));
    let ty = member_type(svc, m);
    let plain = rust_type(svc, &m.target);
    let d = docs::attrs(m.docs.as_deref());
    let wrap = if m.boxed {
        quote!(::std::boxed::Box::new(input.into()))
    } else {
        quote!(input.into())
    };
    quote! {
        #d
        pub fn #f(mut self, input: impl ::std::convert::Into<#plain>) -> Self {
            self.inner.#f = ::std::option::Option::Some(#wrap);
            self
        }
        #d
        pub fn #set(mut self, input: ::std::option::Option<#ty>) -> Self {
            self.inner.#f = input;
            self
        }
    }
}

/// How a member's `@default` is given back by its getter, for the kinds that have one.
enum DefaultGetter {
    /// A `Copy` scalar: `self.x.unwrap_or(literal)`.
    Scalar(TokenStream),
    /// `self.x.as_deref().unwrap_or("...")`, returning `&str`.
    Str(String),
    /// `self.x.clone().unwrap_or(Enum::from("..."))`.
    Enum(String),
}

/// The getter a member with a `@default` gets: scalars, strings and enums (other defaults are
/// empty collections or blobs, which the `Option` field already says enough about).
fn default_getter_kind(svc: &Service, m: &Member) -> Option<DefaultGetter> {
    use serde_json::Value;
    Some(match (&m.target.ty, m.default.as_ref()?) {
        (Type::Boolean, Value::Bool(b)) => DefaultGetter::Scalar(quote!(#b)),
        (Type::Byte | Type::Short | Type::Integer | Type::Long, Value::Number(n)) => {
            DefaultGetter::Scalar(Literal::i64_unsuffixed(n.as_i64()?).into_token_stream())
        }
        (Type::Float | Type::Double, Value::Number(n)) => {
            DefaultGetter::Scalar(Literal::f64_unsuffixed(n.as_f64()?).into_token_stream())
        }
        (Type::String, Value::String(v)) => DefaultGetter::Str(v.clone()),
        (Type::Named(_), Value::String(v)) if is_string_enum(svc, &m.target) => {
            DefaultGetter::Enum(v.clone())
        }
        _ => return None,
    })
}

/// The return type (as `API.md` writes it) and default of [`default_getter`], when there is one.
pub fn default_getter_signature(svc: &Service, m: &Member) -> Option<(String, String)> {
    let ty = match default_getter_kind(svc, m)? {
        DefaultGetter::Str(_) => "&str".to_string(),
        DefaultGetter::Scalar(_) | DefaultGetter::Enum(_) => {
            super::api_listing::type_string(svc, &m.target)
        }
    };
    Some((ty, m.default.as_ref()?.to_string()))
}

/// `x()` for a member with a `@default`: the value, or the default when it is unset (Smithy
/// treats an absent member with a default as holding it). The field keeps telling the two
/// apart.
fn default_getter(svc: &Service, m: &Member) -> Option<TokenStream> {
    let f = ident(&m.field_name);
    let ty = rust_type(svc, &m.target);
    let (ty, fallback, read) = match default_getter_kind(svc, m)? {
        DefaultGetter::Scalar(lit) => (ty, lit, quote!(self.#f)),
        DefaultGetter::Str(v) => (quote!(&str), quote!(#v), quote!(self.#f.as_deref())),
        DefaultGetter::Enum(v) => (ty.clone(), quote!(#ty::from(#v)), quote!(self.#f.clone())),
    };
    let doc = docs::lines(&format!(
        "`{}`, or its default `{}` when unset.",
        m.name,
        m.default.as_ref()?
    ));
    Some(quote! {
        #doc
        pub fn #f(&self) -> #ty {
            #read.unwrap_or(#fallback)
        }
    })
}

/// Setters of a streaming payload or an event stream (`ty`): unset is an empty stream.
fn stream_setter(m: &Member, ty: TokenStream) -> TokenStream {
    let f = ident(&m.field_name);
    let set = ident(&naming::setter_of_option(&m.field_name));
    let d = docs::attrs(m.docs.as_deref());
    quote! {
        #d
        pub fn #f(mut self, input: impl ::std::convert::Into<#ty>) -> Self {
            self.inner.#f = input.into();
            self
        }
        #d
        pub fn #set(mut self, input: ::std::option::Option<#ty>) -> Self {
            self.inner.#f = input.unwrap_or_default();
            self
        }
    }
}

fn string_enum(e: &Enum) -> TokenStream {
    let name = ident(&e.rust_name);
    let doc = docs::attrs(e.docs.as_deref());
    let variants = e.values.iter().map(|v| {
        let var = ident(&v.variant_name);
        let d = docs::attrs(v.docs.as_deref());
        let wire = format!("`{}`", v.value);
        quote! { #d #[doc = #wire] #var, }
    });
    let as_str = e.values.iter().map(|v| {
        let var = ident(&v.variant_name);
        let val = &v.value;
        quote! { #name::#var => #val, }
    });
    let from = e.values.iter().map(|v| {
        let var = ident(&v.variant_name);
        let val = &v.value;
        quote! { #val => #name::#var, }
    });
    let values = e.values.iter().map(|v| &v.value);
    let debug = if e.sensitive {
        quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(#REDACTED)
                }
            }
        }
    } else {
        quote!()
    };
    let derive_debug = if e.sensitive {
        quote!()
    } else {
        quote!(Debug,)
    };
    quote! {
        #doc
        #[derive(Clone, #derive_debug PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the crate does not know; it is kept as sent.
            Unknown(crate::primitives::UnknownVariantValue),
        }
        #debug
        impl #name {
            /// The value as it travels on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    #name::Unknown(v) => v.as_str(),
                }
            }
            /// Every value this version of the crate knows, in model order.
            pub const fn values() -> &'static [&'static str] {
                &[#(#values),*]
            }
        }
        impl ::std::convert::From<&str> for #name {
            fn from(s: &str) -> Self {
                match s {
                    #(#from)*
                    other => #name::Unknown(crate::primitives::UnknownVariantValue::new(other)),
                }
            }
        }
        impl ::std::convert::From<::std::string::String> for #name {
            fn from(s: ::std::string::String) -> Self {
                #name::from(s.as_str())
            }
        }
        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(#name::from(s))
            }
        }
        impl ::std::convert::AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

fn int_enum(e: &IntEnum) -> TokenStream {
    let name = ident(&e.rust_name);
    let doc = docs::attrs(e.docs.as_deref());
    let variants = e.values.iter().map(|v| {
        let var = ident(&v.variant_name);
        let d = docs::attrs(v.docs.as_deref());
        let wire = format!("`{}`", v.value);
        quote! { #d #[doc = #wire] #var, }
    });
    let to_int = e.values.iter().map(|v| {
        let var = ident(&v.variant_name);
        let val = Literal::i32_unsuffixed(v.value);
        quote! { #name::#var => #val, }
    });
    let from = e.values.iter().map(|v| {
        let var = ident(&v.variant_name);
        let val = Literal::i32_unsuffixed(v.value);
        quote! { #val => #name::#var, }
    });
    let values = e.values.iter().map(|v| Literal::i32_unsuffixed(v.value));
    quote! {
        #doc
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the crate does not know; it is kept as sent.
            Unknown(i32),
        }
        impl #name {
            /// The value as it travels on the wire.
            pub fn as_i32(&self) -> i32 {
                match self {
                    #(#to_int)*
                    #name::Unknown(v) => *v,
                }
            }
            /// Every value this version of the crate knows, in model order.
            pub const fn values() -> &'static [i32] {
                &[#(#values),*]
            }
        }
        impl ::std::convert::From<i32> for #name {
            fn from(v: i32) -> Self {
                match v {
                    #(#from)*
                    other => #name::Unknown(other),
                }
            }
        }
    }
}

fn union(svc: &Service, u: &Union) -> TokenStream {
    let name = ident(&u.rust_name);
    let doc = docs::attrs(u.docs.as_deref());
    let variants = u.variants.iter().map(|v| {
        let var = ident(&v.variant_name);
        let d = docs::attrs(v.member.docs.as_deref());
        if v.member.target.ty == Type::Unit {
            quote! { #d #var, }
        } else {
            let ty = member_type(svc, &v.member);
            quote! { #d #var(#ty), }
        }
    });
    let any_sensitive = u.sensitive || u.variants.iter().any(|v| v.member.target.sensitive);
    let derive_debug = if any_sensitive {
        quote!()
    } else {
        quote!(Debug,)
    };
    let debug = any_sensitive.then(|| {
        let arms = u.variants.iter().map(|v| {
            let var = ident(&v.variant_name);
            let label = &v.variant_name;
            if v.member.target.ty == Type::Unit {
                quote! { #name::#var => f.write_str(#label), }
            } else if u.sensitive || v.member.target.sensitive {
                quote! { #name::#var(_) => f.debug_tuple(#label).field(&#REDACTED).finish(), }
            } else {
                quote! { #name::#var(x) => f.debug_tuple(#label).field(x).finish(), }
            }
        });
        quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match self {
                        #(#arms)*
                        #name::Unknown(member) => f.debug_tuple("Unknown").field(member).finish(),
                    }
                }
            }
        }
    });
    let errors = u.event_stream.as_ref().map(|es| {
        let variants: Vec<ErrorVariant> = es
            .errors
            .iter()
            .map(|v| ErrorVariant {
                name: v.variant_name.clone(),
                path: rust_type(svc, &v.member.target),
                docs: v.member.docs.clone(),
            })
            .collect();
        let doc = format!(
            "The errors the event stream [`{}`] can end with.",
            u.rust_name
        );
        error_enum_tokens(
            &es.error_type,
            &doc,
            "An exception the model does not describe for this stream, or an error message.",
            &variants,
        )
    });
    // Events a caller sends can be turned into messages without the client.
    let sent = crate::protocol::event_stream::stream_unions(svc)
        .iter()
        .any(|(s, input, _)| s.id == u.id && *input);
    let to_message = sent.then(|| {
        let f = ident(&naming::marshall_fn(&u.rust_name));
        quote! {
            impl #name {
                /// The message of this event (unsigned), checked against the model's
                /// constraints first. The client signs and sends events itself; this serves
                /// callers with a transport of their own (sign with
                /// `runtime::event_stream::MessageSigner`).
                pub fn to_message(&self) -> ::std::result::Result<crate::runtime::event_stream::Message, crate::runtime::error::BoxError> {
                    crate::protocol::#f(self)
                }
            }
        }
    });
    let unknown_doc = if u.event_stream.is_some() {
        quote! {
            /// An event this version of the crate does not know (its `:event-type` is kept).
        }
    } else {
        quote! {
            /// A member this version of the crate does not know (its name is kept); it cannot
            /// be sent.
        }
    };
    quote! {
        #doc
        #[derive(Clone, #derive_debug PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #unknown_doc
            Unknown(::std::string::String),
        }
        #debug
        #to_message
        #errors
    }
}
