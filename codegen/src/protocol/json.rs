//! The JSON document codec shared by the AWS JSON protocols: one serializer per named type
//! reachable from inputs, one deserializer per named type reachable from outputs and errors.

use proc_macro2::TokenStream;
use quote::quote;

use crate::defaults::{filled_default, fills_defaults};
use crate::ir::{Binding, Member, NamedType, Service, Structure, Target, TimestampFormat, Type};
use crate::naming;
use crate::tokens::{ident, rust_type, type_path};

pub fn timestamp_format(f: TimestampFormat) -> TokenStream {
    match f {
        TimestampFormat::EpochSeconds => quote!(crate::runtime::datetime::Format::EpochSeconds),
        TimestampFormat::DateTime => quote!(crate::runtime::datetime::Format::DateTime),
        TimestampFormat::HttpDate => quote!(crate::runtime::datetime::Format::HttpDate),
    }
}

/// Statements writing `value` (an expression of type `&T`) to the writer `w`.
pub fn write_value(svc: &Service, target: &Target, value: TokenStream) -> TokenStream {
    match &target.ty {
        Type::Boolean => quote!(w.bool(*#value);),
        Type::Byte | Type::Short | Type::Integer | Type::Long => {
            quote!(w.integer(i64::from(*#value));)
        }
        Type::Float => quote!(w.float32(*#value);),
        Type::Double => quote!(w.float(*#value);),
        Type::BigInteger | Type::BigDecimal => quote!(w.number_text(#value);),
        Type::String => quote!(w.string(#value);),
        Type::Blob { .. } => quote!(w.blob(#value);),
        Type::Timestamp { format } => {
            let f = timestamp_format(format.unwrap_or(TimestampFormat::EpochSeconds));
            quote!(w.timestamp(#value, #f);)
        }
        Type::Document => quote!(w.document(#value);),
        Type::List { item, sparse } => {
            let inner = write_value(svc, item, quote!(item));
            let body = if *sparse {
                quote! { match item { ::std::option::Option::Some(item) => { #inner } ::std::option::Option::None => w.null(), } }
            } else {
                inner
            };
            quote! {
                w.begin_array();
                for item in #value { #body }
                w.end_array();
            }
        }
        Type::Map {
            key,
            value: v,
            sparse,
        } => {
            let key_str = if crate::tokens::is_string_enum(svc, key) {
                quote!(key.as_str())
            } else {
                quote!(key)
            };
            let inner = write_value(svc, v, quote!(value));
            let body = if *sparse {
                quote! { match value { ::std::option::Option::Some(value) => { #inner } ::std::option::Option::None => w.null(), } }
            } else {
                inner
            };
            quote! {
                w.begin_object();
                for (key, value) in #value {
                    w.key(#key_str);
                    #body
                }
                w.end_object();
            }
        }
        Type::Named(id) => match &svc.types[id] {
            NamedType::Enum(_) => quote!(w.string(#value.as_str());),
            NamedType::IntEnum(_) => quote!(w.integer(i64::from(#value.as_i32()));),
            _ => {
                let f = ident(&naming::ser_fn(svc.codec_stem(id)));
                quote!(crate::protocol::#f(w, #value);)
            }
        },
        Type::Unit => quote! { w.begin_object(); w.end_object(); },
        Type::EventStream { .. } => {
            panic!("IR invariant: an event stream is never written as a JSON value")
        }
    }
}

/// A seed (`crate::runtime::json_read`) reading a value of `target` in one pass.
pub fn read_seed(svc: &Service, target: &Target) -> TokenStream {
    let r = quote!(crate::runtime::json_read);
    match &target.ty {
        Type::Boolean => quote!(#r::Bool),
        Type::Byte => quote!(#r::Int::<i8>::new()),
        Type::Short => quote!(#r::Int::<i16>::new()),
        Type::Integer => quote!(#r::Int::<i32>::new()),
        Type::Long => quote!(#r::Int::<i64>::new()),
        Type::Float => quote!(#r::Float),
        Type::Double => quote!(#r::Double),
        Type::BigInteger | Type::BigDecimal => quote!(#r::NumberText),
        Type::String => quote!(#r::Str),
        Type::Blob { .. } => quote!(#r::Blob),
        Type::Timestamp { format } => {
            let f = timestamp_format(format.unwrap_or(TimestampFormat::EpochSeconds));
            quote!(#r::Timestamp(#f))
        }
        Type::Document => quote!(#r::Document),
        Type::List { item, sparse } => {
            let inner = read_seed(svc, item);
            if *sparse {
                quote!(#r::SparseList(#inner))
            } else {
                quote!(#r::List(#inner))
            }
        }
        Type::Map { key, value, sparse } => {
            let inner = read_seed(svc, value);
            let key_ty = match &key.ty {
                Type::Named(id) => type_path(svc, id),
                _ => quote!(::std::string::String),
            };
            if *sparse {
                quote!(#r::SparseMap::<#key_ty, _>::new(#inner))
            } else {
                quote!(#r::Map::<#key_ty, _>::new(#inner))
            }
        }
        Type::Named(id) => match &svc.types[id] {
            NamedType::Enum(_) => {
                let p = type_path(svc, id);
                quote!(#r::Enum::<#p>::new())
            }
            NamedType::IntEnum(_) => {
                let p = type_path(svc, id);
                quote!(#r::IntEnum::<#p>::new())
            }
            _ => {
                let reader = ident(&naming::de_reader(svc.codec_stem(id)));
                quote!(#r::Object(crate::protocol::#reader))
            }
        },
        Type::Unit => quote!(#r::Object(#r::Unit)),
        Type::EventStream { .. } => {
            panic!("IR invariant: an event stream is never read from a JSON document")
        }
    }
}

/// Writes the body members of a structure as one JSON object; with `fill_defaults`, an unset
/// member with a `@default` is written with it (the Smithy profile, below the top level).
pub fn write_members<'a>(
    svc: &Service,
    members: impl Iterator<Item = &'a Member>,
    owner: TokenStream,
    fill_defaults: bool,
) -> TokenStream {
    let writes = members.filter(|m| m.binding == Binding::Body).map(|m| {
        let f = ident(&m.field_name);
        let key = member_key(m);
        let write = write_value(svc, &m.target, quote!(value));
        match fill_defaults.then(|| filled_default(svc, m)).flatten() {
            Some(default) => {
                let ty = rust_type(svc, &m.target);
                quote! {
                    #key
                    match &#owner.#f {
                        ::std::option::Option::Some(value) => { #write }
                        ::std::option::Option::None => {
                            let value: &#ty = &#default;
                            #write
                        }
                    }
                }
            }
            None => quote! {
                if let ::std::option::Option::Some(value) = &#owner.#f {
                    #key
                    #write
                }
            },
        }
    });
    quote! {
        w.begin_object();
        #(#writes)*
        w.end_object();
    }
}

/// Writes the key of member `m`: its wire name, or its member name in a document when the two
/// differ (`@jsonName`).
fn member_key(m: &Member) -> TokenStream {
    let wire = &m.json_name;
    if m.json_name == m.name {
        quote!(w.key(#wire);)
    } else {
        let member = &m.name;
        quote!(w.member_key(#wire, #member);)
    }
}

/// The `ReadObject` impl of reader `reader` for structure type `path`: the members bound to
/// the body, by their JSON names; other keys are skipped.
pub fn structure_reader(
    svc: &Service,
    reader: &proc_macro2::Ident,
    path: &TokenStream,
    s: &Structure,
) -> TokenStream {
    let body: Vec<&Member> = s
        .members
        .iter()
        .filter(|m| m.binding == Binding::Body)
        .collect();
    let keys = body.iter().map(|m| &m.json_name);
    let arms = body.iter().enumerate().map(|(i, m)| {
        let f = ident(&m.field_name);
        let key = &m.json_name;
        let seed = read_seed(svc, &m.target);
        let boxed = m.boxed.then(|| quote!(.map(::std::boxed::Box::new)));
        quote! {
            ::std::option::Option::Some(#i) => {
                out.#f = crate::runtime::json_read::member(&mut map, #key, #seed)? #boxed;
            }
        }
    });
    let read = if body.is_empty() {
        quote! {
            while map.next_key::<crate::runtime::json_read::IgnoredAny>()?.is_some() {
                crate::runtime::json_read::skip(&mut map)?;
            }
        }
    } else {
        let (seed, members_const) = if body.iter().any(|m| m.json_name != m.name) {
            let names = body.iter().map(|m| &m.name);
            (
                quote!(crate::runtime::json_read::NamedKey {
                    wire: KEYS,
                    members: MEMBERS
                }),
                quote!(const MEMBERS: &[&str] = &[#(#names),*];),
            )
        } else {
            (quote!(crate::runtime::json_read::Key(KEYS)), quote!())
        };
        quote! {
            const KEYS: &[&str] = &[#(#keys),*];
            #members_const
            while let ::std::option::Option::Some(key) = map.next_key_seed(#seed)? {
                match key {
                    #(#arms)*
                    _ => crate::runtime::json_read::skip(&mut map)?,
                }
            }
        }
    };
    // A member the body leaves out holds its `@default` (`fills_defaults`).
    let fill = fills_defaults(svc, &s.id);
    let fills = body.iter().filter(|_| fill).filter_map(|m| {
        let f = ident(&m.field_name);
        let default = filled_default(svc, m)?;
        Some(quote! {
            if out.#f.is_none() {
                out.#f = ::std::option::Option::Some(#default);
            }
        })
    });
    quote! {
        #[derive(Clone, Copy)]
        pub(crate) struct #reader;

        impl<'de> crate::runtime::json_read::ReadObject<'de> for #reader {
            type Value = #path;
            fn read<A: crate::runtime::json_read::MapAccess<'de>>(self, mut map: A) -> ::std::result::Result<#path, A::Error> {
                #[allow(unused_mut)]
                let mut out = #path::default();
                #read
                #(#fills)*
                ::std::result::Result::Ok(out)
            }
        }
    }
}

/// The `ser_*` function and `De*` reader of a structure or union.
pub fn codec_fns(svc: &Service, t: &NamedType, ser: bool, de: bool) -> TokenStream {
    let id = match t {
        NamedType::Structure(s) => &s.id,
        NamedType::Union(u) => &u.id,
        _ => return quote!(),
    };
    let path = type_path(svc, id);
    let ser_name = ident(&naming::ser_fn(svc.codec_stem(id)));
    let mut out = TokenStream::new();
    match t {
        NamedType::Structure(s) => {
            if ser {
                let fill = fills_defaults(svc, &s.id);
                let body = write_members(svc, s.members.iter(), quote!(value), fill);
                out.extend(quote! {
                    #[allow(unused_variables)]
                    pub(crate) fn #ser_name(w: &mut crate::runtime::json::JsonWriter, value: &#path) {
                        #body
                    }
                });
            }
            if de {
                let reader = ident(&naming::de_reader(svc.codec_stem(id)));
                out.extend(structure_reader(svc, &reader, &path, s));
            }
        }
        NamedType::Union(u) => {
            if ser {
                let arms = u.variants.iter().map(|var| {
                    let v = ident(&var.variant_name);
                    let key = member_key(&var.member);
                    if var.member.target.ty == Type::Unit {
                        quote! { #path::#v => { #key w.begin_object(); w.end_object(); } }
                    } else {
                        let write = write_value(svc, &var.member.target, quote!(inner));
                        quote! { #path::#v(inner) => { #key #write } }
                    }
                });
                out.extend(quote! {
                    /// Unknown members cannot be sent: validation rejects them before this runs.
                    pub(crate) fn #ser_name(w: &mut crate::runtime::json::JsonWriter, value: &#path) {
                        w.begin_object();
                        match value {
                            #(#arms)*
                            #path::Unknown(_) => {}
                        }
                        w.end_object();
                    }
                });
            }
            if de {
                let reader = ident(&naming::de_reader(svc.codec_stem(id)));
                let arms = u.variants.iter().map(|var| {
                    let v = ident(&var.variant_name);
                    let key = &var.member.json_name;
                    if var.member.target.ty == Type::Unit {
                        // Any value but null sets a unit member.
                        return quote! {
                            #key => {
                                if map.next_value::<::std::option::Option<crate::runtime::json_read::IgnoredAny>>()?.is_some() {
                                    set += 1;
                                    value = ::std::option::Option::Some(#path::#v);
                                }
                            }
                        };
                    }
                    let seed = read_seed(svc, &var.member.target);
                    let variant = if var.member.boxed {
                        quote!(#path::#v(::std::boxed::Box::new(inner)))
                    } else {
                        quote!(#path::#v(inner))
                    };
                    quote! {
                        #key => {
                            if let ::std::option::Option::Some(inner) = crate::runtime::json_read::member(&mut map, #key, #seed)? {
                                set += 1;
                                value = ::std::option::Option::Some(#variant);
                            }
                        }
                    }
                });
                let renamed: Vec<TokenStream> = u
                    .variants
                    .iter()
                    .filter(|var| var.member.json_name != var.member.name)
                    .map(|var| {
                        let (member, wire) = (&var.member.name, &var.member.json_name);
                        quote!((#member, #wire))
                    })
                    .collect();
                // `__type` names the union's shape in some services' answers: not a member.
                let skip_type = (!u.variants.iter().any(|v| v.member.json_name == "__type"))
                    .then(|| quote!("__type" => crate::runtime::json_read::skip(&mut map)?,));
                let wire_key = if renamed.is_empty() {
                    quote!(key.as_str())
                } else {
                    quote!(crate::runtime::json_read::wire_key(key.as_str(), &[#(#renamed),*]))
                };
                out.extend(quote! {
                    #[derive(Clone, Copy)]
                    pub(crate) struct #reader;

                    /// A union is an object with exactly one non-null member.
                    impl<'de> crate::runtime::json_read::ReadObject<'de> for #reader {
                        type Value = #path;
                        fn read<A: crate::runtime::json_read::MapAccess<'de>>(self, mut map: A) -> ::std::result::Result<#path, A::Error> {
                            let mut set = 0usize;
                            let mut value = ::std::option::Option::None;
                            while let ::std::option::Option::Some(key) = map.next_key::<::std::string::String>()? {
                                match #wire_key {
                                    #(#arms)*
                                    #skip_type
                                    _ => {
                                        if map.next_value::<::std::option::Option<crate::runtime::json_read::IgnoredAny>>()?.is_some() {
                                            set += 1;
                                            value = ::std::option::Option::Some(#path::Unknown(key));
                                        }
                                    }
                                }
                            }
                            crate::runtime::json_read::one_member(set, value)
                        }
                    }
                });
            }
        }
        _ => {}
    }
    out
}
