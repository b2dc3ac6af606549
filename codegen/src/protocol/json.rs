//! The JSON document codec shared by the AWS JSON protocols: one serializer per named type
//! reachable from inputs, one deserializer per named type reachable from outputs and errors.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::names::{ident, type_path};
use crate::ir::{Binding, Member, NamedType, Service, Target, TimestampFormat, Type};
use crate::naming;

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
        Type::Float | Type::Double => quote!(w.float(f64::from(*#value));),
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
            let key_str = if crate::emit::names::is_string_enum(svc, key) {
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

/// An expression reading `v: &Value` into `Result<T, DeserializeError>`.
pub fn read_value(svc: &Service, target: &Target) -> TokenStream {
    match &target.ty {
        Type::Boolean => quote!(crate::runtime::json::bool(v)),
        Type::Byte => quote!(crate::runtime::json::integer::<i8>(v)),
        Type::Short => quote!(crate::runtime::json::integer::<i16>(v)),
        Type::Integer => quote!(crate::runtime::json::integer::<i32>(v)),
        Type::Long => quote!(crate::runtime::json::integer::<i64>(v)),
        Type::Float => quote!(crate::runtime::json::float(v).map(|f| f as f32)),
        Type::Double => quote!(crate::runtime::json::float(v)),
        Type::BigInteger | Type::BigDecimal => quote!(crate::runtime::json::number_text(v)),
        Type::String => quote!(crate::runtime::json::string(v)),
        Type::Blob { .. } => quote!(crate::runtime::json::blob(v)),
        Type::Timestamp { format } => {
            let f = timestamp_format(format.unwrap_or(TimestampFormat::EpochSeconds));
            quote!(crate::runtime::json::timestamp(v, #f))
        }
        Type::Document => quote!(::std::result::Result::<
            _,
            crate::runtime::json::DeserializeError,
        >::Ok(v.clone())),
        Type::List { item, sparse } => {
            let inner = read_value(svc, item);
            if *sparse {
                quote!(crate::runtime::json::sparse_list(v, |v| #inner))
            } else {
                quote!(crate::runtime::json::list(v, |v| #inner))
            }
        }
        Type::Map { key, value, sparse } => {
            let inner = read_value(svc, value);
            let key_expr = match &key.ty {
                Type::Named(id) => {
                    let p = type_path(svc, id);
                    quote!(|k: &str| #p::from(k))
                }
                _ => quote!(|k: &str| k.to_string()),
            };
            if *sparse {
                quote!(crate::runtime::json::sparse_map(v, #key_expr, |v| #inner))
            } else {
                quote!(crate::runtime::json::map(v, #key_expr, |v| #inner))
            }
        }
        Type::Named(id) => match &svc.types[id] {
            NamedType::Enum(_) => {
                let p = type_path(svc, id);
                quote!(crate::runtime::json::string(v).map(#p::from))
            }
            NamedType::IntEnum(_) => {
                let p = type_path(svc, id);
                quote!(crate::runtime::json::integer::<i32>(v).map(#p::from))
            }
            _ => {
                let f = ident(&naming::de_fn(svc.codec_stem(id)));
                quote!(crate::protocol::#f(v))
            }
        },
        Type::Unit => quote!(crate::runtime::json::object(v).map(|_| ())),
        Type::EventStream { .. } => {
            panic!("IR invariant: an event stream is never read from a JSON value")
        }
    }
}

/// Writes the body members of a structure as one JSON object.
pub fn write_members<'a>(
    svc: &Service,
    members: impl Iterator<Item = &'a Member>,
    owner: TokenStream,
) -> TokenStream {
    let writes = members.filter(|m| m.binding == Binding::Body).map(|m| {
        let f = ident(&m.field_name);
        let key = &m.json_name;
        let write = write_value(svc, &m.target, quote!(value));
        quote! {
            if let ::std::option::Option::Some(value) = &#owner.#f {
                w.key(#key);
                #write
            }
        }
    });
    quote! {
        w.begin_object();
        #(#writes)*
        w.end_object();
    }
}

/// Reads the body members of a structure from `obj` into `out`.
pub fn read_members<'a>(svc: &Service, members: impl Iterator<Item = &'a Member>) -> TokenStream {
    let reads = members.filter(|m| m.binding == Binding::Body).map(|m| {
        let f = ident(&m.field_name);
        let key = &m.json_name;
        let read = read_value(svc, &m.target);
        let read = if m.boxed {
            quote!((#read).map(::std::boxed::Box::new))
        } else {
            read
        };
        quote! {
            out.#f = crate::runtime::json::member(obj, #key, |v| #read)?;
        }
    });
    quote! { #(#reads)* }
}

/// `ser_*` / `de_*` functions of a structure or union.
pub fn codec_fns(svc: &Service, t: &NamedType, ser: bool, de: bool) -> TokenStream {
    let id = match t {
        NamedType::Structure(s) => &s.id,
        NamedType::Union(u) => &u.id,
        _ => return quote!(),
    };
    let path = type_path(svc, id);
    let ser_name = ident(&naming::ser_fn(svc.codec_stem(id)));
    let de_name = ident(&naming::de_fn(svc.codec_stem(id)));
    let mut out = TokenStream::new();
    match t {
        NamedType::Structure(s) => {
            if ser {
                let body = write_members(svc, s.members.iter(), quote!(value));
                out.extend(quote! {
                    #[allow(unused_variables)]
                    pub(crate) fn #ser_name(w: &mut crate::runtime::json::JsonWriter, value: &#path) {
                        #body
                    }
                });
            }
            if de {
                let reads = read_members(svc, s.members.iter());
                let obj = if s.members.iter().any(|m| m.binding == Binding::Body) {
                    quote!(let obj = crate::runtime::json::object(v)?;)
                } else {
                    quote!(crate::runtime::json::object(v)?;)
                };
                out.extend(quote! {
                    pub(crate) fn #de_name(v: &crate::runtime::json::Value) -> ::std::result::Result<#path, crate::runtime::json::DeserializeError> {
                        #obj
                        #[allow(unused_mut)]
                        let mut out = #path::default();
                        #reads
                        ::std::result::Result::Ok(out)
                    }
                });
            }
        }
        NamedType::Union(u) => {
            if ser {
                let arms = u.variants.iter().map(|var| {
                    let v = ident(&var.variant_name);
                    let key = &var.member.json_name;
                    if var.member.target.ty == Type::Unit {
                        quote! { #path::#v => { w.key(#key); w.begin_object(); w.end_object(); } }
                    } else {
                        let write = write_value(svc, &var.member.target, quote!(inner));
                        quote! { #path::#v(inner) => { w.key(#key); #write } }
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
                let arms = u.variants.iter().map(|var| {
                    let v = ident(&var.variant_name);
                    let key = &var.member.json_name;
                    if var.member.target.ty == Type::Unit {
                        quote! { #key => #path::#v, }
                    } else {
                        let read = read_value(svc, &var.member.target);
                        let wrap = if var.member.boxed { quote!(::std::boxed::Box::new(inner)) } else { quote!(inner) };
                        quote! { #key => { let inner = (#read).map_err(|e| e.at(#key))?; #path::#v(#wrap) } }
                    }
                });
                out.extend(quote! {
                    /// A union is an object with exactly one non-null member.
                    pub(crate) fn #de_name(v: &crate::runtime::json::Value) -> ::std::result::Result<#path, crate::runtime::json::DeserializeError> {
                        let obj = crate::runtime::json::object(v)?;
                        let mut set = obj.iter().filter(|(_, v)| !v.is_null());
                        let (key, v) = match (set.next(), set.next()) {
                            (::std::option::Option::Some(one), ::std::option::Option::None) => one,
                            _ => return ::std::result::Result::Err(crate::runtime::json::DeserializeError::new("a union must have exactly one member set")),
                        };
                        ::std::result::Result::Ok(match key.as_str() {
                            #(#arms)*
                            other => #path::Unknown(other.to_string()),
                        })
                    }
                });
            }
        }
        _ => {}
    }
    out
}
