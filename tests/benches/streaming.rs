//! Throughput of a streaming payload through the client: `GetMedia` against a loopback server
//! that sends 64 MiB, read chunk by chunk with `ByteStream::next` (nothing kept but a count).
//! `cargo bench -p wire-tests --bench streaming`

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use kinesis_video_media::client::{Config, Credentials};
use kinesis_video_media::types::{StartSelector, StartSelectorType};
use kinesis_video_media::Client;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const PAYLOAD: usize = 64 * 1024 * 1024;

/// A server answering every connection with a `PAYLOAD`-byte body, written in 256 KiB pieces.
async fn server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let piece = vec![0x5au8; 256 * 1024];
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let piece = piece.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 64 * 1024];
                loop {
                    // One request per connection: read until the JSON body's closing brace.
                    let n = socket.read(&mut buf).await.unwrap_or(0);
                    if n == 0 || buf[..n].ends_with(b"}") {
                        break;
                    }
                }
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: video/webm\r\ncontent-length: {PAYLOAD}\r\n\r\n"
                );
                let _ = socket.write_all(head.as_bytes()).await;
                for _ in 0..PAYLOAD / piece.len() {
                    if socket.write_all(&piece).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    url
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let url = rt.block_on(server());
    let client = rt.block_on(async {
        Client::from_builder(
            Config::builder()
                .region("us-west-2")
                .credentials(Credentials::new("AKID", "SECRET", None))
                .endpoint_url(&url),
        )
        .unwrap()
    });
    let selector = StartSelector::builder()
        .start_selector_type(StartSelectorType::Now)
        .build();
    let mut group = c.benchmark_group("streaming");
    group.throughput(Throughput::Bytes(PAYLOAD as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("GetMedia 64 MiB, read with next()", |b| {
        b.iter(|| {
            rt.block_on(async {
                let mut out = client
                    .get_media()
                    .stream_name("cam")
                    .start_selector(selector.clone())
                    .send()
                    .await
                    .unwrap();
                let mut total = 0usize;
                while let Some(chunk) = out.payload.next().await {
                    total += chunk.unwrap().len();
                }
                assert_eq!(total, PAYLOAD);
            })
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
