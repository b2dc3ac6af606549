//! The runtime of generated Smithy clients.
//!
//! Every generated crate depends on this crate and re-exports it as its `runtime` module, so
//! the crates of a program share one configuration, one credentials cache and one HTTP client.
//! `cargo xtask vendor` copies it beside a vendored crate.

pub mod byte_stream;
pub mod datetime;
pub mod endpoint;
pub mod error;
pub mod event_stream;
pub mod http;
pub mod json;
pub mod json_read;
pub mod operation;
pub mod profile;
pub mod request_body;
pub mod rest;
pub mod retry;
pub mod schema;
pub mod sigv4;
mod sigv4_key;
pub mod validate;

// The client: hyper + rustls transport, retries, timeouts, configuration (feature `client`).
#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "client")]
pub mod config;
#[cfg(feature = "client")]
pub mod credentials;
#[cfg(feature = "client")]
pub mod paginator;
#[cfg(feature = "client")]
pub mod region;
#[cfg(feature = "client")]
pub mod transport;
