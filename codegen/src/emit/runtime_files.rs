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

#[cfg(test)]
mod tests {
    /// A runtime file missing here would leave generated crates with a `mod` and no file.
    #[test]
    fn every_runtime_file_is_copied() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../runtime/src");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        on_disk.sort();
        let mut listed: Vec<String> = super::RUNTIME_FILES
            .iter()
            .map(|(n, _)| n.to_string())
            .collect();
        listed.sort();
        assert_eq!(listed, on_disk, "runtime/src and RUNTIME_FILES differ");
    }
}
