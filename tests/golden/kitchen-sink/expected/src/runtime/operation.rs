// @generated: a verbatim copy of `runtime/src/operation.rs` of smithy-lite-runtime.
// Do not edit: run `cargo xtask codegen`.

//! The sans-I/O contract of an operation: input to request bytes, response bytes to output.
//! Transports and tests sit on top of it.

use super::error::SdkError;
use super::http::{HttpRequest, HttpResponse};
use super::validate::ValidationErrors;

pub trait Operation {
    /// The model name (`DescribeImageGenerationConfiguration`).
    const NAME: &'static str;
    type Input;
    type Output;
    type Error;

    /// Validates the input and builds the request (no host, no signature yet).
    fn serialize_request(input: &Self::Input) -> Result<HttpRequest, ValidationErrors>;

    /// Reads a response: the output on success, the typed error otherwise.
    fn parse_response(response: &HttpResponse) -> Result<Self::Output, SdkError<Self::Error>>;
}
