//! Shared helpers of the wire tests.

pub mod moto;
pub mod tls;
