//! The runtime files copied into every generated crate (`src/runtime/`).

/// `(path under runtime/src, contents)`; `lib.rs` becomes `mod.rs`.
pub const RUNTIME_FILES: &[(&str, &str)] = &[
    ("lib.rs", include_str!("../../../runtime/src/lib.rs")),
    (
        "byte_stream.rs",
        include_str!("../../../runtime/src/byte_stream.rs"),
    ),
    ("client.rs", include_str!("../../../runtime/src/client.rs")),
    (
        "datetime.rs",
        include_str!("../../../runtime/src/datetime.rs"),
    ),
    (
        "endpoint/eval.rs",
        include_str!("../../../runtime/src/endpoint/eval.rs"),
    ),
    (
        "endpoint/functions.rs",
        include_str!("../../../runtime/src/endpoint/functions.rs"),
    ),
    (
        "endpoint/mod.rs",
        include_str!("../../../runtime/src/endpoint/mod.rs"),
    ),
    (
        "endpoint/partitions.rs",
        include_str!("../../../runtime/src/endpoint/partitions.rs"),
    ),
    (
        "endpoint/rules.rs",
        include_str!("../../../runtime/src/endpoint/rules.rs"),
    ),
    ("error.rs", include_str!("../../../runtime/src/error.rs")),
    ("http.rs", include_str!("../../../runtime/src/http.rs")),
    ("json.rs", include_str!("../../../runtime/src/json.rs")),
    (
        "json_read.rs",
        include_str!("../../../runtime/src/json_read.rs"),
    ),
    ("memo.rs", include_str!("../../../runtime/src/memo.rs")),
    (
        "operation.rs",
        include_str!("../../../runtime/src/operation.rs"),
    ),
    (
        "paginator.rs",
        include_str!("../../../runtime/src/paginator.rs"),
    ),
    (
        "profile.rs",
        include_str!("../../../runtime/src/profile.rs"),
    ),
    ("rest.rs", include_str!("../../../runtime/src/rest.rs")),
    ("retry.rs", include_str!("../../../runtime/src/retry.rs")),
    ("sigv4.rs", include_str!("../../../runtime/src/sigv4.rs")),
    (
        "sigv4_key.rs",
        include_str!("../../../runtime/src/sigv4_key.rs"),
    ),
    (
        "transport.rs",
        include_str!("../../../runtime/src/transport.rs"),
    ),
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
        fn walk(dir: &std::path::Path, base: &std::path::Path, out: &mut Vec<String>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    walk(&p, base, out);
                } else {
                    out.push(
                        p.strip_prefix(base)
                            .unwrap()
                            .to_string_lossy()
                            .replace('\\', "/"),
                    );
                }
            }
        }
        let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../runtime/src"));
        let mut on_disk = Vec::new();
        walk(dir, dir, &mut on_disk);
        on_disk.sort();
        let mut listed: Vec<String> = super::RUNTIME_FILES
            .iter()
            .map(|(n, _)| n.to_string())
            .collect();
        listed.sort();
        assert_eq!(listed, on_disk, "runtime/src and RUNTIME_FILES differ");
    }
}
