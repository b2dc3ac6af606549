//! ```sh
//! cargo run --example kvs -- describe-image-generation-configuration --stream-name cam-1
//! cargo run --example kvs -- kinesis-video-media get-media --stream-name cam-1 \
//!     --start-selector '{"StartSelectorType":"NOW"}' live.mkv
//! ```

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let out = runtime.block_on(kvs_cli::run(&args, kvs_cli::Settings::default()));
    print!("{}", out.stdout);
    eprint!("{}", out.stderr);
    std::process::exit(out.code);
}
