// @generated: a verbatim copy of `runtime/src/lib.rs` of smithy-lite-runtime.
// Do not edit: run `cargo xtask codegen`.

//! The runtime of generated Smithy clients.
//!
//! Every generated crate carries a verbatim copy of these files as its `runtime` module, so that
//! the crate builds alone when vendored. Files here therefore refer to each other with `super::`
//! paths only, never `crate::`.

pub mod byte_stream;
pub mod datetime;
pub mod endpoint;
pub mod error;
pub mod http;
pub mod json;
pub mod operation;
pub mod profile;
pub mod rest;
pub mod retry;
pub mod sigv4;
pub mod validate;

// The client: reqwest transport, retries, timeouts, configuration (feature `client`).
#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "client")]
pub mod paginator;
#[cfg(feature = "client")]
pub mod transport;
