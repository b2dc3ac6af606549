//! The runtime files copied into every generated crate (`src/runtime/`).

/// `(file name under runtime/src, contents)`; `lib.rs` becomes `mod.rs`.
pub const RUNTIME_FILES: &[(&str, &str)] = &[
    ("lib.rs", include_str!("../../../runtime/src/lib.rs")),
    (
        "datetime.rs",
        include_str!("../../../runtime/src/datetime.rs"),
    ),
    ("error.rs", include_str!("../../../runtime/src/error.rs")),
    ("http.rs", include_str!("../../../runtime/src/http.rs")),
    ("json.rs", include_str!("../../../runtime/src/json.rs")),
    (
        "operation.rs",
        include_str!("../../../runtime/src/operation.rs"),
    ),
    ("rest.rs", include_str!("../../../runtime/src/rest.rs")),
    (
        "validate.rs",
        include_str!("../../../runtime/src/validate.rs"),
    ),
];
