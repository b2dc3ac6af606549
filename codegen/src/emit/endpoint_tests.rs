//! `tests/endpoint_tests.rs` of a generated crate: one test per `smithy.rules#endpointTests`
//! case of the model, resolved with the crate's embedded rule set and partitions table.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;
use serde::Deserialize;
use serde_json::Value;

use crate::ir::Service;
use crate::tokens::ident;
use crate::{naming, Error};

/// A test case whose expectation the pinned data legitimately changes (see `model/models.toml`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct EndpointTestOverride {
    /// The case's `documentation`, which identifies it.
    pub documentation: String,
    /// The URL the case resolves to instead of the model's expectation.
    pub expect_url: String,
    pub reason: String,
}

fn param(name: &str, value: &Value) -> Option<TokenStream> {
    let v = match value {
        Value::String(s) => quote!(ParamValue::String(#s.to_string())),
        Value::Bool(b) => quote!(ParamValue::Bool(#b)),
        Value::Array(items) => {
            let items = items.iter().filter_map(Value::as_str);
            quote!(ParamValue::StringArray(vec![#(#items.to_string()),*]))
        }
        _ => return None,
    };
    Some(quote!(.set(#name, #v)))
}

/// `None` when the service has no endpoint tests.
pub fn endpoint_tests(
    svc: &Service,
    overrides: &[EndpointTestOverride],
) -> Result<Option<TokenStream>, Error> {
    let Some(text) = &svc.endpoint_tests else {
        return Ok(None);
    };
    let tests: Value = serde_json::from_str(text).expect("the IR holds valid JSON");
    let cases = tests["testCases"].as_array().cloned().unwrap_or_default();
    if cases.is_empty() {
        return Ok(None);
    }
    let lib = ident(&svc.lib_name);
    let mut used = BTreeSet::new();
    let mut matched = BTreeSet::new();
    let mut fns = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let doc = case["documentation"].as_str().unwrap_or("").to_string();
        let name = naming::unique_test_name(&doc, i, &mut used);
        let f = ident(&name);
        let params = case["params"]
            .as_object()
            .map(|p| {
                p.iter()
                    .filter_map(|(k, v)| param(k, v))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        let expect = &case["expect"];
        let mut note = None;
        let check = if let Some(o) = overrides.iter().find(|o| o.documentation == doc) {
            matched.insert(o.documentation.clone());
            let url = &o.expect_url;
            note = Some(format!(
                " Override: {} (the model expects {expect}).",
                o.reason
            ));
            quote! {
                let endpoint = resolve(params).expect("resolves");
                assert_eq!(endpoint.url, #url);
            }
        } else if let Some(e) = expect.get("endpoint") {
            let url = e["url"].as_str().unwrap_or_default();
            let headers = e
                .get("headers")
                .cloned()
                .unwrap_or(Value::Object(Default::default()))
                .to_string();
            let properties = e
                .get("properties")
                .cloned()
                .unwrap_or(Value::Object(Default::default()))
                .to_string();
            quote! {
                let endpoint = resolve(params).expect("resolves");
                assert_eq!(endpoint.url, #url);
                assert_eq!(headers_json(&endpoint), json(#headers));
                assert_eq!(::serde_json::Value::Object(endpoint.properties), json(#properties));
            }
        } else {
            let message = expect["error"].as_str().unwrap_or_default();
            quote! {
                let error = resolve(params).expect_err("is an error");
                assert_eq!(error.message(), #message);
            }
        };
        let doc_attr = format!(" {doc}");
        let note = note.map(|n| quote!(#[doc = ""] #[doc = #n]));
        fns.push(quote! {
            #[doc = #doc_attr]
            #note
            #[test]
            fn #f() {
                let params = Params::new() #(#params)*;
                #check
            }
        });
    }
    if let Some(stale) = overrides
        .iter()
        .find(|o| !matched.contains(&o.documentation))
    {
        return Err(Error::model(
            &svc.id,
            format!(
                "has no endpoint test case {:?}, which model/models.toml overrides",
                stale.documentation
            ),
        ));
    }
    Ok(Some(quote! {
        //! The model's endpoint rule-set tests, one per case.
        #![allow(clippy::all)]

        #[rustfmt::skip]
        mod cases {
            use #lib::runtime::endpoint::{Endpoint, EndpointError, ParamValue, Params, Partitions, RuleSet};

            fn resolve(params: Params) -> ::std::result::Result<Endpoint, EndpointError> {
                let rules = RuleSet::from_json(#lib::endpoint_data::RULE_SET).expect("rule set");
                let partitions = Partitions::from_json(#lib::endpoint_data::PARTITIONS).expect("partitions");
                rules.resolve(&params, &partitions)
            }

            fn json(text: &str) -> ::serde_json::Value {
                ::serde_json::from_str(text).expect("JSON")
            }

            fn headers_json(endpoint: &Endpoint) -> ::serde_json::Value {
                ::serde_json::Value::Object(
                    endpoint
                        .headers
                        .iter()
                        .map(|(k, v)| (k.clone(), ::serde_json::Value::from(v.clone())))
                        .collect(),
                )
            }

            #(#fns)*
        }
    }))
}
