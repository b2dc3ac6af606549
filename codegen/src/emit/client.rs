//! `src/client.rs` of a generated crate (feature `client`): the `Client`, one fluent builder
//! per operation with `send()`, and paginators.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use crate::ir::{Member, Operation, Service, Type};
use crate::naming;
use crate::tokens::{builder_path, ident, rust_type, type_path};

/// The embedded data the client needs: the endpoint rule set and the partitions table.
pub fn endpoint_data(svc: &Service, partitions_json: &str) -> TokenStream {
    let rules = svc.endpoint_rule_set.clone().unwrap_or_default();
    quote! {
        //! Data the client resolves endpoints with.

        /// The service's `smithy.rules#endpointRuleSet`.
        pub const RULE_SET: &str = #rules;

        /// The AWS partitions table for `aws.partition` (pinned in `model/models.toml`).
        pub const PARTITIONS: &str = #partitions_json;
    }
}

fn fluent_setter(svc: &Service, m: &Member) -> TokenStream {
    let f = ident(&m.field_name);
    let set = ident(&naming::setter_of_option(&m.field_name));
    let plain = rust_type(svc, &m.target);
    let ty = if m.boxed {
        quote!(::std::boxed::Box<#plain>)
    } else {
        plain.clone()
    };
    let d = docs::attrs(m.docs.as_deref());
    quote! {
        #d
        pub fn #f(mut self, input: impl ::std::convert::Into<#plain>) -> Self {
            self.input = self.input.#f(input);
            self
        }
        #d
        pub fn #set(mut self, input: ::std::option::Option<#ty>) -> Self {
            self.input = self.input.#set(input);
            self
        }
    }
}

/// A member path (`a.b`) of an output, as an `Option<&T>` expression over `out`.
fn output_path_expr(svc: &Service, op: &Operation, path: &[String]) -> Option<(TokenStream, Type)> {
    let mut owner = svc.structure(&op.output);
    let mut expr = quote!(out);
    let mut optional_chain = false;
    for (i, seg) in path.iter().enumerate() {
        let m = owner.members.iter().find(|m| &m.name == seg)?;
        let f = ident(&m.field_name);
        expr = if optional_chain {
            quote!(#expr.and_then(|x| x.#f.as_ref()))
        } else {
            quote!(#expr.#f.as_ref())
        };
        optional_chain = true;
        if i + 1 < path.len() {
            match &m.target.ty {
                Type::Named(id) => owner = svc.structure(id),
                _ => return None,
            }
        } else {
            return Some((expr, m.target.ty.clone()));
        }
    }
    None
}

/// The same path over an owned output, as an `Option<T>` expression.
fn owned_path_expr(svc: &Service, op: &Operation, path: &[String]) -> Option<TokenStream> {
    let mut owner = svc.structure(&op.output);
    let mut expr = quote!(out);
    for (i, seg) in path.iter().enumerate() {
        let m = owner.members.iter().find(|m| &m.name == seg)?;
        let f = ident(&m.field_name);
        expr = if i == 0 {
            quote!(#expr.#f)
        } else {
            quote!(#expr.and_then(|x| x.#f))
        };
        if i + 1 < path.len() {
            match &m.target.ty {
                Type::Named(id) => owner = svc.structure(id),
                _ => return None,
            }
        }
    }
    Some(expr)
}

fn paginator(svc: &Service, op: &Operation) -> TokenStream {
    let Some(p) = &op.paginated else {
        return quote!();
    };
    let input = svc.structure(&op.input);
    let Some(token_member) = input.members.iter().find(|m| m.name == p.input_token) else {
        return quote!();
    };
    let Some((token_expr, Type::String)) = output_path_expr(svc, op, &p.output_token) else {
        return quote!();
    };
    let token_field = ident(&token_member.field_name);
    let op_struct = ident(&naming::type_name(&op.name));
    let module = ident(&op.module_name);
    let input_path = type_path(svc, &op.input);
    let output_path = type_path(svc, &op.output);
    let op_error = ident(&op.error_type);
    let items = p.items.as_ref().and_then(|items| {
        let (_, ty) = output_path_expr(svc, op, items)?;
        let Type::List { item, sparse: false } = ty else { return None };
        let item_ty = rust_type(svc, &item);
        let owned = owned_path_expr(svc, op, items)?;
        Some(quote! {
            /// Every item of every page, as a stream.
            pub fn into_items(self) -> impl ::futures_util::Stream<Item = ::std::result::Result<#item_ty, crate::error::SdkError<crate::operation::#module::#op_error>>> {
                self.into_paginator().into_items(|out: #output_path| #owned.unwrap_or_default())
            }
        })
    });
    quote! {
        /// Pages of this operation, following the `#token_field` token.
        pub fn into_paginator(self) -> crate::runtime::paginator::Paginator<crate::operation::#module::#op_struct> {
            crate::runtime::paginator::Paginator::new(
                self.config,
                self.input.build(),
                |input: &mut #input_path, token| input.#token_field = ::std::option::Option::Some(token),
                |out: &#output_path| #token_expr.map(|s| s.as_str()),
            )
        }
        #items
    }
}

fn fluent_builder(svc: &Service, op: &Operation) -> TokenStream {
    let name = ident(&format!("{}Fluent", naming::type_name(&op.name)));
    let input = svc.structure(&op.input);
    let input_builder = builder_path(svc, &op.input);
    let output_path = type_path(svc, &op.output);
    let module = ident(&op.module_name);
    let error = ident(&op.error_type);
    let op_struct = ident(&naming::type_name(&op.name));
    let setters = input.members.iter().map(|m| fluent_setter(svc, m));
    let doc = format!("Builds and sends a `{}` call.", op.name);
    let pages = paginator(svc, op);
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug)]
        pub struct #name {
            config: crate::runtime::client::Config,
            input: #input_builder,
        }
        impl #name {
            #(#setters)*
            /// Sends this call to `url` instead of the client's endpoint (a data-plane
            /// endpoint, say); it is signed for the same service and region.
            pub fn with_endpoint_url(mut self, url: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.config = self.config.with_endpoint_url(url);
                self
            }
            /// Validates, signs and sends the request (retrying what is safe to retry), and
            /// reads the answer.
            pub async fn send(self) -> ::std::result::Result<#output_path, crate::error::SdkError<crate::operation::#module::#error>> {
                self.config.invoke::<crate::operation::#module::#op_struct>(&self.input.build()).await
            }
            /// The exact signed request the first attempt would send, without sending it
            /// (credentials are resolved as for a call).
            pub async fn dry_run(self) -> ::std::result::Result<crate::runtime::transport::OutgoingRequest, crate::error::SdkError<crate::operation::#module::#error>> {
                let id = crate::runtime::client::new_invocation_id();
                self.config.prepare::<crate::operation::#module::#op_struct>(&self.input.build(), &id, 1).await
            }
            #pages
        }
    }
}

pub fn client_rs(svc: &Service) -> TokenStream {
    let sdk_id = &svc.sdk_id;
    let signing_name = svc.signing_name.clone().unwrap_or_default();
    let env_id = &svc.env_endpoint_id;
    let methods = svc.operations.values().map(|op| {
        let m = ident(&op.method_name);
        let fluent = ident(&format!("{}Fluent", naming::type_name(&op.name)));
        let d = docs::attrs(op.docs.as_deref());
        quote! {
            #d
            pub fn #m(&self) -> #fluent {
                #fluent { config: self.config.clone(), input: ::std::default::Default::default() }
            }
        }
    });
    let fluents = svc.operations.values().map(|op| fluent_builder(svc, op));
    quote! {
        //! The client: configuration, and one method per operation.
        pub use crate::runtime::client::{Config, ConfigBuilder, ConfigError, SharedConfig};
        pub use crate::runtime::sigv4::Credentials;

        /// What the runtime needs to know about this service.
        pub static SERVICE: crate::runtime::client::ServiceMeta = crate::runtime::client::ServiceMeta {
            sdk_id: #sdk_id,
            signing_name: #signing_name,
            env_endpoint_id: #env_id,
            rule_set: crate::endpoint_data::RULE_SET,
            partitions: crate::endpoint_data::PARTITIONS,
            crate_name: env!("CARGO_PKG_NAME"),
            crate_version: env!("CARGO_PKG_VERSION"),
        };

        /// A client of the service. Cheap to clone; clones share configuration and connections.
        #[derive(Clone, Debug)]
        pub struct Client {
            config: Config,
        }

        impl Client {
            /// A client configured from the environment and the shared AWS files.
            pub fn from_env() -> ::std::result::Result<Self, ConfigError> {
                Self::from_builder(Config::builder())
            }
            /// A client from settings; unset ones come from the environment.
            pub fn from_builder(builder: ConfigBuilder) -> ::std::result::Result<Self, ConfigError> {
                builder.build(&SERVICE).map(Client::new)
            }
            /// A client of this service from a configuration shared with other services'
            /// clients (one credentials cache, region and HTTP client for all of them).
            pub fn from_shared(shared: &SharedConfig) -> ::std::result::Result<Self, ConfigError> {
                Config::new(shared, &SERVICE).map(Client::new)
            }
            pub fn new(config: Config) -> Self {
                Client { config }
            }
            pub fn config(&self) -> &Config {
                &self.config
            }
            /// The same client, sending to another endpoint (a data-plane endpoint, say).
            pub fn with_endpoint_url(&self, url: impl ::std::convert::Into<::std::string::String>) -> Self {
                Client { config: self.config.with_endpoint_url(url) }
            }
            #(#methods)*
        }

        #(#fluents)*
    }
}
