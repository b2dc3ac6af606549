//! Client-side validation: one function per structure or union reachable from an input that
//! has something to check (required members, length, range, pattern, unknown union members).

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::ir::{Member, NamedType, Service, Target, Type};
use crate::model::ShapeId;
use crate::naming;
use crate::tokens::{ident, type_path};

/// A `@required` member must be set, unless it has a `@default`: the receiver takes the default
/// for a value that is not sent.
fn must_be_set(m: &Member) -> bool {
    m.required && m.default.is_none()
}

pub struct Validation<'a> {
    svc: &'a Service,
    /// Named types whose values have something to check.
    needed: BTreeSet<ShapeId>,
    /// Pattern text → name of its `static`.
    pub patterns: BTreeMap<String, String>,
}

impl<'a> Validation<'a> {
    pub fn new(svc: &'a Service, input_types: &BTreeSet<ShapeId>) -> Self {
        let mut v = Validation {
            svc,
            needed: BTreeSet::new(),
            patterns: BTreeMap::new(),
        };
        // Iterate to a fixed point: a type needs validation if any member does.
        loop {
            let before = v.needed.len();
            for id in input_types {
                if v.needed.contains(id) {
                    continue;
                }
                let needs = match &svc.types[id] {
                    NamedType::Structure(s) => s.members.iter().any(|m| v.member_needs(m)),
                    NamedType::Union(_) => true,
                    _ => false,
                };
                if needs {
                    v.needed.insert(id.clone());
                }
            }
            if v.needed.len() == before {
                break;
            }
        }
        let mut seen_names = BTreeSet::new();
        for id in input_types {
            let members: Vec<&Member> = match &svc.types[id] {
                NamedType::Structure(s) => s.members.iter().collect(),
                NamedType::Union(u) => u.variants.iter().map(|v| &v.member).collect(),
                _ => vec![],
            };
            for m in members {
                v.collect_patterns(&m.target, &mut seen_names);
            }
        }
        v
    }

    fn collect_patterns(&mut self, t: &Target, seen_names: &mut BTreeSet<String>) {
        if let Some(p) = &t.constraints.pattern {
            if !self.patterns.contains_key(p) {
                let base = naming::pattern_static(t.shape.name(), None);
                let mut name = base.clone();
                let mut n = 2;
                while !seen_names.insert(name.clone()) {
                    name = format!("{base}_{n}");
                    n += 1;
                }
                self.patterns.insert(p.clone(), name);
            }
        }
        match &t.ty {
            Type::List { item, .. } => self.collect_patterns(item, seen_names),
            Type::Map { key, value, .. } => {
                self.collect_patterns(key, seen_names);
                self.collect_patterns(value, seen_names);
            }
            _ => {}
        }
    }

    /// An event stream is checked event by event as it is sent, not with its input.
    fn member_needs(&self, m: &Member) -> bool {
        !matches!(m.target.ty, Type::EventStream { .. })
            && (must_be_set(m) || m.host_label || self.target_needs(&m.target))
    }

    fn target_needs(&self, t: &Target) -> bool {
        !t.constraints.is_empty()
            || match &t.ty {
                Type::List { item, .. } => self.target_needs(item),
                Type::Map { key, value, .. } => self.target_needs(key) || self.target_needs(value),
                Type::Named(id) => self.needed.contains(id),
                _ => false,
            }
    }

    pub fn is_needed(&self, id: &ShapeId) -> bool {
        self.needed.contains(id)
    }

    pub fn pattern_statics(&self) -> TokenStream {
        let statics = self.patterns.iter().map(|(p, name)| {
            let name = ident(name);
            let c = crate::pattern::to_regress(p).expect("checked when lowering");
            let (regex, flags) = (&c.regex, &c.flags);
            quote! { pub(crate) static #name: crate::runtime::validate::Pattern = crate::runtime::validate::Pattern::new(#p, #regex, #flags); }
        });
        quote! { #(#statics)* }
    }

    /// Checks of one value `x: &T` against its target's constraints, then inside it.
    fn check_value(&self, t: &Target, x: TokenStream) -> TokenStream {
        let mut out = TokenStream::new();
        let opt = |b: Option<u64>| match b {
            Some(n) => {
                let n = Literal::u64_unsuffixed(n);
                quote!(::std::option::Option::Some(#n))
            }
            None => quote!(::std::option::Option::None),
        };
        let optf = |b: Option<f64>| match b {
            Some(n) => {
                let n = Literal::f64_unsuffixed(n);
                quote!(::std::option::Option::Some(#n))
            }
            None => quote!(::std::option::Option::None),
        };
        if let Some((min, max)) = t.constraints.length {
            let (min, max) = (opt(min), opt(max));
            let call = match &t.ty {
                Type::String => quote!(val.string_length(#x, #min, #max);),
                Type::Named(_) => quote!(val.string_length(#x.as_str(), #min, #max);),
                _ => quote!(val.length(#x.len(), #min, #max);),
            };
            out.extend(call);
        }
        if let Some((min, max)) = t.constraints.range {
            let (min, max) = (optf(min), optf(max));
            let call = match &t.ty {
                Type::BigInteger | Type::BigDecimal => {
                    quote!(val.range(#x.parse::<f64>().unwrap_or(f64::NAN), #min, #max);)
                }
                Type::Long => quote!(val.range_i64(*#x, #min, #max);),
                _ => quote!(val.range(f64::from(*#x), #min, #max);),
            };
            out.extend(call);
        }
        if let Some(p) = &t.constraints.pattern {
            let name = ident(&self.patterns[p]);
            let s = match &t.ty {
                Type::Named(_) => quote!(#x.as_str()),
                _ => quote!(#x),
            };
            out.extend(quote!(val.pattern(#s, &crate::validation::#name);));
        }
        match &t.ty {
            Type::List { item, sparse } if self.target_needs(item) => {
                let inner = self.check_value(item, quote!(item));
                let inner = if *sparse {
                    quote! { if let ::std::option::Option::Some(item) = item { #inner } }
                } else {
                    inner
                };
                out.extend(quote! {
                    for (i, item) in #x.iter().enumerate() {
                        val.index(i, |val| { #inner });
                    }
                });
            }
            Type::Map { key, value, sparse }
                if self.target_needs(key) || self.target_needs(value) =>
            {
                // String keys and string-enum keys both have `as_str`.
                let key_str = quote!(key.as_str());
                let kc = self.check_value(key, quote!(key));
                let vc = self.check_value(value, quote!(value));
                let vc = if *sparse {
                    quote! { if let ::std::option::Option::Some(value) = value { #vc } }
                } else {
                    vc
                };
                out.extend(quote! {
                    for (key, value) in #x.iter() {
                        val.key(#key_str, |val| { #kc #vc });
                    }
                });
            }
            Type::Named(id) if self.needed.contains(id) => {
                let f = ident(&naming::validate_fn(self.svc.codec_stem(id)));
                out.extend(quote!(crate::validation::#f(#x, val);));
            }
            _ => {}
        }
        out
    }

    fn check_member(&self, m: &Member, owner: TokenStream) -> TokenStream {
        if !self.member_needs(m) {
            return quote!();
        }
        let f = ident(&m.field_name);
        let name = &m.name;
        let required = must_be_set(m).then(|| quote!(val.required(&#owner.#f);));
        let mut inner = self.check_value(&m.target, quote!(x));
        if m.host_label {
            inner.extend(quote!(val.host_label(x);));
        }
        let inner = if inner.is_empty() {
            quote!()
        } else {
            let deref = if m.boxed {
                quote!(let x = &**x;)
            } else {
                quote!()
            };
            quote! { if let ::std::option::Option::Some(x) = &#owner.#f { #deref #inner } }
        };
        quote! {
            val.member(#name, |val| { #required #inner });
        }
    }

    /// `validate_*` for every type that needs one.
    pub fn functions(&self) -> TokenStream {
        let fns = self.needed.iter().map(|id| {
            let t = &self.svc.types[id];
            let f = ident(&naming::validate_fn(self.svc.codec_stem(id)));
            let path = type_path(self.svc, id);
            let body = match t {
                NamedType::Structure(s) => {
                    let checks = s.members.iter().map(|m| self.check_member(m, quote!(value)));
                    quote! { #(#checks)* }
                }
                NamedType::Union(u) => {
                    let arms = u.variants.iter().map(|v| {
                        let var = ident(&v.variant_name);
                        let name = &v.member.name;
                        if v.member.target.ty == Type::Unit {
                            return quote! { #path::#var => {} };
                        }
                        let inner = self.check_value(&v.member.target, quote!(x));
                        let deref = if v.member.boxed { quote!(let x = &**x;) } else { quote!() };
                        quote! { #path::#var(x) => { #deref val.member(#name, |val| { #inner }); } }
                    });
                    quote! {
                        match value {
                            #(#arms)*
                            #path::Unknown(member) => val.member(member, |val| val.unknown_union_member()),
                        }
                    }
                }
                _ => quote!(),
            };
            quote! {
                #[allow(unused_variables)]
                pub(crate) fn #f(value: &#path, val: &mut crate::runtime::validate::Validator) {
                    #body
                }
            }
        });
        quote! { #(#fns)* }
    }
}
