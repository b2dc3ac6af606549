//! Turns a Smithy JSON AST model into a small, vendorable Rust client crate.
//!
//! The pipeline is `model` (serde of the JSON AST, typed traits) → `lower` (to the plain-data
//! `ir`, with every Rust name decided by `naming`) → `protocol` + `emit` (tokens with `quote`,
//! printed by `prettyplease`). `tokens` turns the IR's names and types into paths for both; the
//! protocol layer does not call into `emit`. The same model always gives the same bytes.

pub mod compliance;
mod defaults;
pub mod diff;
pub mod emit;
mod error;
pub mod idl;
pub mod ir;
pub mod lower;
pub mod model;
pub mod naming;
pub mod pattern;
pub mod protocol;
pub mod tokens;

pub use emit::{CrateOptions, DataEndpointHelper, EndpointTestOverride, Files, RUNTIME_VERSION};
pub use error::Error;
pub use ir::WireProfile;

/// Parses `model_json`, lowers its service (or `service_id`) and emits the crate's files.
pub fn generate(
    model_json: &str,
    service_id: Option<&str>,
    options: &CrateOptions,
) -> Result<(ir::Service, Files), Error> {
    let model = model::Model::from_json(model_json)?;
    let mut service = lower::lower(&model, service_id)?;
    // The crate's profile, so the returned service says what the files follow.
    service.wire = options.wire;
    let files = emit::emit_crate(&service, options)?;
    Ok((service, files))
}
