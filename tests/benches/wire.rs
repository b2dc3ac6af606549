//! The per-call cost of the seed operation without I/O: build the request, sign it, parse a
//! full response. `cargo bench -p wire-tests --bench wire`

use std::time::{Duration, UNIX_EPOCH};

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use kinesis_video::operation::describe_image_generation_configuration as op;
use kinesis_video::runtime::http::{Headers, HttpResponse};
use kinesis_video::runtime::sigv4::{sign_request, Credentials, SigningParams, SigningSettings};

const FULL: &str = r#"{"ImageGenerationConfiguration":{"Status":"ENABLED","ImageSelectorType":"SERVER_TIMESTAMP","DestinationConfig":{"Uri":"s3://bucket/prefix","DestinationRegion":"us-west-2"},"SamplingInterval":3000,"Format":"JPEG","FormatConfig":{"JPEGQuality":"80"},"WidthPixels":1920,"HeightPixels":1080}}"#;

fn bench(c: &mut Criterion) {
    let input = op::DescribeImageGenerationConfigurationInput::builder()
        .stream_name("cam-1")
        .build();
    c.bench_function("serialize_request (validate + JSON)", |b| {
        b.iter(|| op::serialize_request(black_box(&input)).unwrap())
    });
    let credentials = Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
    );
    let request = op::serialize_request(&input).unwrap();
    c.bench_function("sign (SigV4)", |b| {
        b.iter(|| {
            let mut r = request.clone();
            sign_request(
                &mut r,
                "kinesisvideo.us-west-2.amazonaws.com",
                &SigningParams {
                    credentials: &credentials,
                    region: "us-west-2",
                    service: "kinesisvideo",
                    time: UNIX_EPOCH + Duration::from_secs(1_440_938_160),
                    settings: SigningSettings::default(),
                },
            )
        })
    });
    let headers: Headers = [
        ("content-type", "application/json"),
        ("x-amzn-requestid", "rid"),
    ]
    .into_iter()
    .collect();
    let response = HttpResponse::new(200, headers, FULL.as_bytes().to_vec());
    c.bench_function("parse_response (full configuration)", |b| {
        b.iter(|| op::parse_response(black_box(&response)).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
