//! Large answers: a `ListStreams` page of 10,000 streams and a `GetImages` answer of 100 images
//! of 100 kB, parsed by the generated `parse_response`. Besides the time (criterion), a counting
//! global allocator measures the peak of memory allocated during one parse, which must stay at
//! most twice the body (the run fails otherwise).
//!
//! `cargo bench -p wire-tests --bench large_answers`

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use kinesis_video::operation::list_streams;
use kinesis_video_archived_media::operation::get_images;

/// The system allocator, counting bytes in use and their peak. A `realloc` counts as the change
/// of size (the system grows large blocks in place or by remapping them).
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = IN_USE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                IN_USE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f` and returns what it gave and the most memory allocated while it ran, beyond what
/// was in use when it started.
fn peak_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = IN_USE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let out = f();
    (out, PEAK.load(Ordering::Relaxed) - base)
}

/// A 200 answer with `body`, as crate `$krate` types it (each generated crate has its own).
macro_rules! response {
    ($krate:ident, $body:expr) => {{
        let headers: $krate::runtime::http::Headers = [
            ("content-type", "application/json"),
            ("x-amzn-requestid", "6f0f9d5e-2b1c-4c1e-9a3b-0c7d00000001"),
        ]
        .into_iter()
        .collect();
        $krate::runtime::http::HttpResponse::new(200, headers, $body)
    }};
}

/// A `ListStreams` page of `n` streams, each with every member set.
fn list_streams_body(n: usize) -> Vec<u8> {
    let mut body = String::from("{\"StreamInfoList\":[");
    for i in 0..n {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&format!(
            "{{\"DeviceName\":\"camera-{i}\",\"StreamName\":\"stream-{i:05}\",\
             \"StreamARN\":\"arn:aws:kinesisvideo:us-west-2:123456789012:stream/stream-{i:05}/1588201234567\",\
             \"MediaType\":\"video/h264\",\
             \"KmsKeyId\":\"arn:aws:kms:us-west-2:123456789012:alias/aws/kinesisvideo\",\
             \"Version\":\"abcdefghijklmnopqrst\",\"Status\":\"ACTIVE\",\
             \"CreationTime\":1588201234.567,\"DataRetentionInHours\":{}}}",
            i % 8760
        ));
    }
    body.push_str("],\"NextToken\":\"token-of-the-next-page\"}");
    body.into_bytes()
}

/// A `GetImages` answer of `n` images of `size` bytes (base64 in the body).
fn get_images_body(n: usize, size: usize) -> Vec<u8> {
    use base64::Engine as _;
    let encode = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    let mut body = String::from("{\"Images\":[");
    for i in 0..n {
        if i > 0 {
            body.push(',');
        }
        let image: Vec<u8> = (0..size).map(|b| (b * 31 + i) as u8).collect();
        body.push_str(&format!(
            "{{\"TimeStamp\":{}.5,\"ImageContent\":\"{}\"}}",
            1_588_201_234 + i,
            encode(&image)
        ));
    }
    body.push_str("],\"NextToken\":\"next\"}");
    body.into_bytes()
}

fn report(name: &str, body: usize, peak: usize) {
    let ratio = peak as f64 / body as f64;
    println!(
        "{name}: body {:.2} MB, peak allocated during the parse {:.2} MB ({ratio:.2}x the body)",
        body as f64 / 1e6,
        peak as f64 / 1e6
    );
    assert!(
        ratio <= 2.0,
        "{name}: the parse took {ratio:.2}x the body's size"
    );
}

fn bench(c: &mut Criterion) {
    let streams = response!(kinesis_video, list_streams_body(10_000));
    let (out, peak) = peak_during(|| list_streams::parse_response(&streams).unwrap());
    assert_eq!(out.stream_info_list.as_ref().map(Vec::len), Some(10_000));
    drop(out);
    report("ListStreams, 10,000 streams", streams.body.len(), peak);

    let images = response!(kinesis_video_archived_media, get_images_body(100, 100_000));
    let (out, peak) = peak_during(|| get_images::parse_response(&images).unwrap());
    assert_eq!(out.images.as_ref().map(Vec::len), Some(100));
    drop(out);
    report("GetImages, 100 images of 100 kB", images.body.len(), peak);

    // For comparison: the same bodies read into a `serde_json::Value` tree only.
    let (tree, peak) =
        peak_during(|| serde_json::from_slice::<serde_json::Value>(&streams.body).unwrap());
    drop(tree);
    println!(
        "(a serde_json::Value tree of the ListStreams body alone: {:.2} MB, {:.2}x the body)",
        peak as f64 / 1e6,
        peak as f64 / streams.body.len() as f64
    );

    let mut group = c.benchmark_group("large answers");
    group.sample_size(10);
    group.bench_function("ListStreams, 10,000 streams", |b| {
        b.iter(|| list_streams::parse_response(black_box(&streams)).unwrap())
    });
    group.bench_function("GetImages, 100 images of 100 kB", |b| {
        b.iter(|| get_images::parse_response(black_box(&images)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
