//! Mutation fuzzing of the response readers: every operation of the five generated crates,
//! parsed by name through each crate's `dispatch::parse_response`, with inputs grown from the
//! recorded responses (`tests/fixtures`): bytes flipped, inserted, cut and spliced, JSON values
//! swapped for values of other types, deep nesting, other status codes and error headers.
//!
//! `cargo run --release -- [inputs] [seed]` (defaults: 10,000,000 inputs, seed 1). A panic is a
//! failure: the input is written to `crashes/` and the run ends with a non-zero status.

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::Instant;

use base64::Engine as _;
use kinesis_video::runtime::http::{Headers, HttpResponse};
use serde_json::Value;

/// One crate's parser by name (each crate has its own `HttpResponse` type, built from ours).
struct Service {
    dir: &'static str,
    operations: Vec<&'static str>,
    parse: fn(&str, u16, &[(String, String)], &[u8]) -> Outcome,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Ok,
    Error,
}

macro_rules! service {
    ($krate:ident, $dir:literal) => {
        Service {
            dir: $dir,
            operations: $krate::dispatch::OPERATIONS
                .iter()
                .map(|o| o.name)
                .collect(),
            parse: |name, status, headers, body| {
                let headers: $krate::runtime::http::Headers = headers
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                let response =
                    $krate::runtime::http::HttpResponse::new(status, headers, body.to_vec());
                match $krate::dispatch::parse_response(name, &response) {
                    Ok(document) => {
                        // The document of what was read is itself JSON.
                        serde_json::from_slice::<Value>(&document)
                            .expect("output_to_json writes JSON");
                        Outcome::Ok
                    }
                    Err($krate::dispatch::CallError::UnknownOperation(n)) => {
                        panic!("dispatch does not know {n}")
                    }
                    Err(_) => Outcome::Error,
                }
            },
        }
    };
}

#[derive(Clone)]
struct Seed {
    service: usize,
    operation: &'static str,
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// xorshift64*: fast, deterministic for a given seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

/// JSON values of every type and the edges of each, put where a value was.
const VALUES: &[&str] = &[
    "null",
    "true",
    "false",
    "0",
    "-0",
    "1",
    "-1",
    "3000",
    "1.5",
    "-1e3",
    "1e999",
    "-1e999",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "123456789012345678901234567890.5",
    "2147483648",
    "256",
    "\"\"",
    "\"x\"",
    "\"NaN\"",
    "\"Infinity\"",
    "\"-Infinity\"",
    "\"ENABLED\"",
    "\"JPEG\"",
    "\"aGk=\"",
    "\"!!\"",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "\"\\u00e9\\n\"",
    "\"2019-03-02T01:27:51.498Z\"",
    "\"Sat, 02 Mar 2019 01:27:51 GMT\"",
    "\"1e3\"",
    "[]",
    "[null]",
    "[1,\"a\",null]",
    "{}",
    "{\"a\":null}",
    "{\"__type\":\"x\"}",
    "[[[[[[[[[[]]]]]]]]]]",
    "{\"Images\":[{}]}",
];

const STATUSES: &[u16] = &[
    200, 200, 200, 201, 204, 206, 299, 300, 400, 403, 404, 409, 500, 503,
];

const ERROR_TYPES: &[&str] = &[
    "ResourceNotFoundException",
    "AccessDeniedException",
    "ClientLimitExceededException",
    "InvalidArgumentException",
    "NotAuthorizedException",
    "ThrottlingException",
    "ResourceNotFoundException:http://internal.amazon.com/",
    "aws.protocoltests#Weird",
    "",
    ":",
];

fn mutate(rng: &mut Rng, seed: &mut Seed, donors: &[Seed]) {
    let body = &mut seed.body;
    match rng.below(14) {
        // Bytes: flip, set, insert, delete a range, duplicate a range, truncate.
        0 if !body.is_empty() => {
            let i = rng.below(body.len());
            body[i] ^= 1 << rng.below(8);
        }
        1 if !body.is_empty() => {
            let i = rng.below(body.len());
            body[i] = *rng.pick(b"{}[]\",:\\0123456789eE.-+ntfu\x00\xff\xc3 \n");
        }
        2 => {
            let i = rng.below(body.len() + 1);
            body.insert(i, rng.next() as u8);
        }
        3 if !body.is_empty() => {
            let i = rng.below(body.len());
            let n = rng.below((body.len() - i).min(64)) + 1;
            body.drain(i..i + n);
        }
        4 if !body.is_empty() => {
            let i = rng.below(body.len());
            let n = rng.below((body.len() - i).min(64)) + 1;
            let piece: Vec<u8> = body[i..i + n].to_vec();
            let at = rng.below(body.len() + 1);
            body.splice(at..at, piece);
        }
        5 if !body.is_empty() => {
            let n = rng.below(body.len());
            body.truncate(n);
        }
        // JSON: replace the value after a `:`, `,` or `[` with one of another type.
        6..=8 => {
            let starts: Vec<usize> = body
                .iter()
                .enumerate()
                .filter(|(_, b)| matches!(b, b':' | b',' | b'['))
                .map(|(i, _)| i + 1)
                .collect();
            if starts.is_empty() {
                *body = rng.pick(VALUES).as_bytes().to_vec();
                return;
            }
            let start = *rng.pick(&starts);
            let end = value_end(body, start);
            body.splice(start..end, rng.pick(VALUES).bytes());
        }
        // Splice another recorded body (of any operation) into this one.
        9 => {
            let donor = &rng.pick(donors).body;
            if !donor.is_empty() {
                let from = rng.below(donor.len());
                let to = from + rng.below(donor.len() - from) + 1;
                let at = rng.below(body.len() + 1);
                let end = (at + rng.below(16)).min(body.len());
                body.splice(at..end, donor[from..to].iter().copied());
            }
        }
        // Deep nesting where a value was.
        10 => {
            let depth = rng.below(300) + 1;
            let (open, close) = if rng.below(2) == 0 {
                (b'[', b']')
            } else {
                (b'{', b'}')
            };
            let mut nest = Vec::new();
            for _ in 0..depth {
                nest.push(open);
                if open == b'{' {
                    nest.extend_from_slice(b"\"a\":");
                }
            }
            nest.extend_from_slice(b"1");
            nest.extend(std::iter::repeat_n(close, depth));
            let at = rng.below(body.len() + 1);
            body.splice(at..at, nest);
        }
        // The head: another status, an error type, a header member's value.
        11 => seed.status = *rng.pick(STATUSES),
        12 => {
            seed.headers.retain(|(k, _)| k != "x-amzn-errortype");
            seed.headers.push((
                "x-amzn-errortype".to_owned(),
                rng.pick(ERROR_TYPES).to_string(),
            ));
            seed.status = *rng.pick(&STATUSES[8..]);
        }
        13 if !seed.headers.is_empty() => {
            let i = rng.below(seed.headers.len());
            let v = rng.pick(VALUES).trim_matches('"').to_owned();
            seed.headers[i].1 = v;
        }
        _ => body.push(b' '),
    }
}

/// The end of the JSON value starting at `start` (roughly: the next `,`, `}` or `]` outside a
/// string and at the same depth).
fn value_end(body: &[u8], start: usize) -> usize {
    let (mut depth, mut in_str, mut esc) = (0i32, false, false);
    for (i, &b) in body.iter().enumerate().skip(start) {
        if in_str {
            match (esc, b) {
                (true, _) => esc = false,
                (false, b'\\') => esc = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'[' | b'{' => depth += 1,
            b']' | b'}' if depth == 0 => return i,
            b']' | b'}' => depth -= 1,
            b',' if depth == 0 => return i,
            _ => {}
        }
    }
    body.len()
}

fn load_seeds(root: &Path, services: &[Service]) -> Vec<Seed> {
    let mut seeds = Vec::new();
    for (si, service) in services.iter().enumerate() {
        let dir = root.join("tests/fixtures/botocore").join(service.dir);
        for op in &service.operations {
            let file = dir.join(format!("{op}.json"));
            let Ok(text) = std::fs::read_to_string(&file) else {
                // Still fuzzed, from an empty object.
                seeds.push(Seed {
                    service: si,
                    operation: op,
                    status: 200,
                    headers: vec![("content-type".into(), "application/json".into())],
                    body: b"{}".to_vec(),
                });
                continue;
            };
            let doc: Value = serde_json::from_str(&text).expect("fixture JSON");
            for case in doc["cases"].as_array().expect("cases") {
                let r = &case["response"];
                let body = match (r["body"].as_str(), r["body_base64"].as_str()) {
                    (Some(b), _) => b.as_bytes().to_vec(),
                    (None, Some(b)) => base64::engine::general_purpose::STANDARD
                        .decode(b)
                        .expect("base64 body"),
                    _ => Vec::new(),
                };
                let headers = r["headers"]
                    .as_object()
                    .map(|h| {
                        h.iter()
                            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_owned()))
                            .collect()
                    })
                    .unwrap_or_default();
                seeds.push(Seed {
                    service: si,
                    operation: op,
                    status: r["status"].as_u64().unwrap_or(200) as u16,
                    headers,
                    body,
                });
            }
        }
    }
    // The hand-written recordings of the seed operation (errors, HTML pages, wrong types).
    let dir = root.join("tests/fixtures/describe_image_generation_configuration");
    for entry in std::fs::read_dir(&dir).expect("fixtures directory") {
        let path = entry.expect("entry").path();
        let raw = std::fs::read(&path).expect("fixture");
        let response = HttpResponse::parse_recorded(&raw).expect("recorded response");
        seeds.push(Seed {
            service: 0,
            operation: "DescribeImageGenerationConfiguration",
            status: response.status,
            headers: headers_of(&response.headers),
            body: response.body,
        });
    }
    seeds
}

fn headers_of(headers: &Headers) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let inputs: u64 = args
        .next()
        .map_or(10_000_000, |a| a.parse().expect("inputs"));
    let seed: u64 = args.next().map_or(1, |a| a.parse().expect("seed"));
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let services = vec![
        service!(kinesis_video, "kinesis-video"),
        service!(kinesis_video_archived_media, "kinesis-video-archived-media"),
        service!(kinesis_video_media, "kinesis-video-media"),
        service!(kinesis_video_signaling, "kinesis-video-signaling"),
        service!(kinesis_video_webrtc_storage, "kinesis-video-webrtc-storage"),
    ];
    let seeds = load_seeds(&root, &services);
    let operations: usize = services.iter().map(|s| s.operations.len()).sum();

    let recorded_ok = seeds
        .iter()
        .filter(|s| {
            (services[s.service].parse)(s.operation, s.status, &s.headers, &s.body) == Outcome::Ok
        })
        .count();
    println!(
        "{} seeds for {operations} operations; {recorded_ok} read as recorded",
        seeds.len()
    );

    // Panics are caught and reported with their input; keep the default hook quiet.
    panic::set_hook(Box::new(|_| {}));
    let mut rng = Rng(seed.max(1).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let (mut ok, mut errors, mut panics) = (0u64, 0u64, 0u64);
    let started = Instant::now();
    for i in 0..inputs {
        let mut input = rng.pick(&seeds).clone();
        // Now and then, another operation of the same service reads the body.
        if rng.below(8) == 0 {
            let ops = &services[input.service].operations;
            input.operation = *rng.pick(ops);
        }
        for _ in 0..=rng.below(4) {
            mutate(&mut rng, &mut input, &seeds);
        }
        let service = &services[input.service];
        let result = panic::catch_unwind(AssertUnwindSafe(|| {
            (service.parse)(input.operation, input.status, &input.headers, &input.body)
        }));
        match result {
            Ok(Outcome::Ok) => ok += 1,
            Ok(Outcome::Error) => errors += 1,
            Err(cause) => {
                panics += 1;
                let message = cause
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| cause.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                let dir = root.join("fuzz/crashes");
                std::fs::create_dir_all(&dir).expect("crashes directory");
                let file = dir.join(format!("{}-{i}.bin", input.operation));
                std::fs::write(&file, &input.body).expect("write crash input");
                eprintln!(
                    "PANIC on input {i} ({} {} status {}): {message}; body in {}",
                    service.dir,
                    input.operation,
                    input.status,
                    file.display()
                );
            }
        }
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{inputs} inputs over {operations} operations of {} services from {} seeds (seed {seed}): \
         {ok} read, {errors} rejected with an error, {panics} panics; {secs:.1} s ({:.0} inputs/s)",
        services.len(),
        seeds.len(),
        inputs as f64 / secs
    );
    if panics > 0 {
        std::process::exit(1);
    }
}
