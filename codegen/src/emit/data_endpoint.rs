//! `Client::data_endpoint(stream, api)`: a helper for services whose data-plane APIs are called
//! at an endpoint another operation looks up per stream (Kinesis Video's `GetDataEndpoint`).
//!
//! No Smithy trait describes such a lookup, so `model/models.toml` names the operation and its
//! members; the generator checks that they exist with the expected types, and names the shape
//! and member when they do not.

use proc_macro2::TokenStream;
use quote::quote;
use serde::Deserialize;

use crate::ir::{Binding, Member, NamedType, Operation, Service, Type};
use crate::tokens::{ident, rust_type};
use crate::Error;

/// The lookup operation and the members the helper fills in and reads.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct DataEndpointHelper {
    /// The lookup operation (`GetDataEndpoint`).
    pub operation: String,
    /// Input member taking a stream name (`StreamName`).
    pub stream_name: String,
    /// Input member taking a stream ARN (`StreamARN`).
    pub stream_arn: String,
    /// Input member naming the data-plane API (`APIName`), an enum.
    pub api: String,
    /// Output member holding the URL (`DataEndpoint`).
    pub endpoint: String,
}

fn member<'a>(
    svc: &'a Service,
    structure: &crate::model::ShapeId,
    name: &str,
) -> Result<&'a Member, Error> {
    svc.structure(structure)
        .members
        .iter()
        .find(|m| m.name == name)
        .ok_or_else(|| {
            Error::model(
                structure,
                format!("has no member `{name}` (named by the data endpoint helper in model/models.toml)"),
            )
        })
}

fn expect_body_string(m: &Member, owner: &crate::model::ShapeId) -> Result<(), Error> {
    if m.target.ty == Type::String && m.binding == Binding::Body {
        Ok(())
    } else {
        Err(Error::model(
            format!("{owner}${}", m.name),
            "must be a string body member for the data endpoint helper",
        ))
    }
}

/// The lookup operation and its members, checked against the model.
pub struct Lookup<'a> {
    pub op: &'a Operation,
    pub name: &'a Member,
    pub arn: &'a Member,
    /// The API name member; a string enum.
    pub api: &'a Member,
    pub endpoint: &'a Member,
}

/// Finds what `spec` names in the model, or an error naming what the model lacks.
pub fn resolve<'a>(svc: &'a Service, spec: &DataEndpointHelper) -> Result<Lookup<'a>, Error> {
    let op: &Operation = svc
        .operations
        .values()
        .find(|o| o.name == spec.operation)
        .ok_or_else(|| {
            Error::model(
                &svc.id,
                format!(
                    "has no operation `{}` (named by the data endpoint helper in model/models.toml)",
                    spec.operation
                ),
            )
        })?;
    let name = member(svc, &op.input, &spec.stream_name)?;
    let arn = member(svc, &op.input, &spec.stream_arn)?;
    let api = member(svc, &op.input, &spec.api)?;
    let endpoint = member(svc, &op.output, &spec.endpoint)?;
    expect_body_string(name, &op.input)?;
    expect_body_string(arn, &op.input)?;
    expect_body_string(endpoint, &op.output)?;
    if !matches!(&api.target.ty, Type::Named(id) if matches!(svc.types.get(id), Some(NamedType::Enum(_))))
    {
        return Err(Error::model(
            format!("{}${}", op.input, api.name),
            "must be a string enum for the data endpoint helper",
        ));
    }
    Ok(Lookup {
        op,
        name,
        arn,
        api,
        endpoint,
    })
}

/// The helper's `impl Client` block, or an error naming what the model lacks.
pub fn helper(svc: &Service, spec: &DataEndpointHelper) -> Result<TokenStream, Error> {
    let Lookup {
        op,
        name,
        arn,
        api,
        endpoint,
    } = resolve(svc, spec)?;
    let api_type = rust_type(svc, &api.target);
    let method = ident(&op.method_name);
    let module = ident(&op.module_name);
    let error = ident(&op.error_type);
    let set_name = ident(&name.field_name);
    let set_arn = ident(&arn.field_name);
    let set_api = ident(&api.field_name);
    let get_endpoint = ident(&endpoint.field_name);
    let op_name = &op.name;
    let endpoint_name = &endpoint.name;
    let doc = format!(
        "The endpoint of data-plane API `api` for `stream`, by `{op_name}`: give it to a \
         data-plane client's `with_endpoint_url` (for every call) or to one call's \
         `with_endpoint_url`.\n\n`stream` is a stream name, or a stream ARN when it starts \
         with `arn:` (names cannot hold `:`)."
    );
    let doc = super::docs::lines(&doc);
    let missing = format!("{op_name} answered without {endpoint_name}");
    Ok(quote! {
        impl Client {
            #doc
            pub async fn data_endpoint(
                &self,
                stream: &str,
                api: #api_type,
            ) -> ::std::result::Result<::std::string::String, crate::error::SdkError<crate::operation::#module::#error>> {
                let call = self.#method().#set_api(api);
                let call = if stream.starts_with("arn:") {
                    call.#set_arn(stream)
                } else {
                    call.#set_name(stream)
                };
                let output = call.send().await?;
                output.#get_endpoint.ok_or_else(|| {
                    // A 2xx answer that lacks the one member asked for is a malformed response.
                    let head = crate::runtime::http::HttpResponse::new(200, ::std::default::Default::default(), ::std::vec::Vec::new());
                    crate::error::SdkError::Response(crate::runtime::error::ResponseError::new(
                        &head,
                        crate::runtime::json::DeserializeError::new(#missing),
                    ))
                })
            }
        }
    })
}
