//! Shared helpers of the wire tests.
