//! How long the generator takes on the Kinesis Video model, stage by stage.
//! `KVS_MODEL_MIRROR=../shared/models cargo bench -p smithy-lite-codegen`

use criterion::{criterion_group, criterion_main, Criterion};
use std::path::PathBuf;

fn model_text() -> Option<String> {
    let mirror = std::env::var_os("KVS_MODEL_MIRROR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/models"));
    std::fs::read_to_string(mirror.join("kinesis-video-2017-09-30.json")).ok()
}

fn bench(c: &mut Criterion) {
    let Some(text) = model_text() else {
        eprintln!(
            "KVS_MODEL_MIRROR does not hold kinesis-video-2017-09-30.json; nothing to measure"
        );
        return;
    };
    let options = smithy_lite_codegen::CrateOptions {
        version: "0.1.0".into(),
        model_source: "bench".into(),
        partitions_json: String::new(),
        endpoint_test_overrides: Vec::new(),
        data_endpoint: None,
        runtime_path: "../../runtime".into(),
        wire: Default::default(),
    };
    c.bench_function("parse model", |b| {
        b.iter(|| smithy_lite_codegen::model::Model::from_json(&text).unwrap())
    });
    let model = smithy_lite_codegen::model::Model::from_json(&text).unwrap();
    c.bench_function("lower to IR", |b| {
        b.iter(|| smithy_lite_codegen::lower::lower(&model, None).unwrap())
    });
    let ir = smithy_lite_codegen::lower::lower(&model, None).unwrap();
    c.bench_function("emit crate", |b| {
        b.iter(|| smithy_lite_codegen::emit::emit_crate(&ir, &options).unwrap())
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
