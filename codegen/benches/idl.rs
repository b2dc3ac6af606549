//! How long the IDL reader takes on all of Smithy's shared material: the trait definitions
//! with the protocol tests (one model), and every loader test case (one model each).
//! `KVS_MODEL_MIRROR=/abs/path/to/shared/models cargo bench -p smithy-lite-codegen --bench idl`

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion};
use smithy_lite_codegen::idl;

fn smithy_dir() -> PathBuf {
    let mirror = std::env::var_os("KVS_MODEL_MIRROR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/models"));
    mirror.join("../smithy")
}

fn read(paths: &[PathBuf]) -> Vec<(String, String)> {
    idl::model_files(paths)
        .expect("the files are there")
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("readable");
            (p.display().to_string(), text)
        })
        .collect()
}

/// Each loader test case: `X.smithy` (with `__shared.json` for the valid ones).
fn loader_cases(root: &Path) -> Vec<Vec<(String, String)>> {
    let shared = root.join("valid/__shared.json");
    let mut cases = Vec::new();
    for dir in ["valid", "invalid"] {
        for file in idl::model_files(&[root.join(dir)]).expect("listed") {
            if file.extension().is_some_and(|x| x == "smithy") {
                let mut paths = vec![file];
                if dir == "valid" {
                    paths.push(shared.clone());
                }
                cases.push(read(&paths));
            }
        }
    }
    cases
}

fn bench(c: &mut Criterion) {
    let dir = smithy_dir();
    if !dir.join("traits").is_dir() {
        eprintln!("{} is missing; nothing to measure", dir.display());
        return;
    }
    let protocol = read(&[dir.join("traits"), dir.join("protocol-tests")]);
    let bytes: usize = protocol.iter().map(|(_, t)| t.len()).sum();
    eprintln!(
        "traits + protocol tests: {} files, {bytes} bytes",
        protocol.len()
    );
    c.bench_function("traits + protocol tests to JSON AST", |b| {
        b.iter(|| idl::parse_files(&protocol).unwrap().to_json())
    });
    let cases = loader_cases(&dir.join("loader-tests"));
    eprintln!("loader tests: {} cases", cases.len());
    c.bench_function("every loader test case", |b| {
        b.iter(|| {
            for case in &cases {
                let _ = idl::parse_files(case).map(|ast| ast.to_json());
            }
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
