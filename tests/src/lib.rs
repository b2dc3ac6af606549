//! Shared helpers of the wire tests.

pub mod moto;
