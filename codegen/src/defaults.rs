//! `@default` values as Rust expressions of the member's type: what the Smithy profile fills
//! in for an unset member (`WireProfile::Smithy`).

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::ir::{Member, NamedType, Service, Target, Type, WireProfile};
use crate::model::ShapeId;
use crate::tokens::type_path;

/// Does the code of structure `id` fill in its members' defaults? Under the Smithy profile,
/// yes, except at the top level of an operation's input: a client sends only what the caller
/// set there (and reads an input document as the caller gave it).
pub fn fills_defaults(svc: &Service, id: &ShapeId) -> bool {
    svc.wire == WireProfile::Smithy && !svc.operations.values().any(|op| op.input == *id)
}

/// The Rust value (not `Option`) member `m`'s `@default` stands for, when it has one that
/// clients fill in: not under `@clientOptional`, and of a kind the generator can write.
pub fn filled_default(svc: &Service, m: &Member) -> Option<TokenStream> {
    if m.client_optional {
        return None;
    }
    let value = value(svc, &m.target, m.default.as_ref()?)?;
    Some(if m.boxed {
        quote!(::std::boxed::Box::new(#value))
    } else {
        value
    })
}

/// `default` as a value of `target`'s Rust type. `None` for what Smithy does not allow as a
/// default (a non-empty list, say) and for timestamps given as text.
fn value(svc: &Service, target: &Target, default: &Value) -> Option<TokenStream> {
    Some(match (&target.ty, default) {
        (Type::Boolean, Value::Bool(b)) => quote!(#b),
        (Type::Byte | Type::Short | Type::Integer | Type::Long, Value::Number(n)) => {
            let lit = Literal::i64_unsuffixed(n.as_i64()?);
            quote!(#lit)
        }
        (Type::Float | Type::Double, Value::Number(n)) => {
            let lit = Literal::f64_unsuffixed(n.as_f64()?);
            quote!(#lit)
        }
        (Type::BigInteger | Type::BigDecimal, Value::Number(n)) => {
            let text = n.to_string();
            quote!(::std::string::String::from(#text))
        }
        (Type::String, Value::String(s)) => quote!(::std::string::String::from(#s)),
        // The model gives a blob's default base64-encoded.
        (Type::Blob { streaming: false }, Value::String(s)) => {
            use base64::Engine as _;
            let bytes = base64::engine::general_purpose::STANDARD.decode(s).ok()?;
            let lit = Literal::byte_string(&bytes);
            quote!(#lit.to_vec())
        }
        (Type::Timestamp { .. }, Value::Number(n)) => match n.as_i64() {
            Some(secs) => quote!(crate::primitives::DateTime::from_secs(#secs)),
            None => {
                let secs = n.as_f64()?;
                quote!(crate::primitives::DateTime::from_secs_f64(#secs))
            }
        },
        (Type::Document, v) => document(v),
        (Type::List { .. }, Value::Array(a)) if a.is_empty() => quote!(::std::vec::Vec::new()),
        (Type::Map { .. }, Value::Object(o)) if o.is_empty() => {
            quote!(::std::collections::BTreeMap::new())
        }
        (Type::Named(id), v) => {
            let path = type_path(svc, id);
            match (&svc.types[id], v) {
                (NamedType::Enum(_), Value::String(s)) => quote!(#path::from(#s)),
                (NamedType::IntEnum(_), Value::Number(n)) => {
                    let n = i32::try_from(n.as_i64()?).ok()?;
                    quote!(#path::from(#n))
                }
                _ => return None,
            }
        }
        _ => return None,
    })
}

/// A document value, built without parsing at run time.
fn document(v: &Value) -> TokenStream {
    let json = quote!(crate::runtime::json);
    match v {
        Value::Null => quote!(#json::Value::Null),
        Value::Bool(b) => quote!(#json::Value::Bool(#b)),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => quote!(#json::Value::from(#i)),
            (None, Some(f)) => quote!(#json::Value::from(#f)),
            (None, None) => quote!(#json::Value::Null),
        },
        Value::String(s) => quote!(#json::Value::String(::std::string::String::from(#s))),
        Value::Array(items) => {
            let items = items.iter().map(document);
            quote!(#json::Value::Array(::std::vec![#(#items),*]))
        }
        Value::Object(o) => {
            let entries = o.iter().map(|(k, v)| {
                let v = document(v);
                quote!(map.insert(::std::string::String::from(#k), #v);)
            });
            quote!({
                #[allow(unused_mut)]
                let mut map = #json::Map::new();
                #(#entries)*
                #json::Value::Object(map)
            })
        }
    }
}
