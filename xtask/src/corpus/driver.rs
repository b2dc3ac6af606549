//! The scratch workspace of a corpus run: every generated crate, plus `corpus-driver`, a small
//! binary that links them all and answers, for a crate and an operation, with our signed request
//! for some params and our parse of a response. It is built from the IR, so it reaches every
//! operation of every crate through the crate's public API only.
//!
//! The workspace is built with two `cargo build` runs in one target folder: the sans-I/O layer
//! of every crate (`--no-default-features`, the driver left out since it needs the clients),
//! then everything with default features. `-D warnings` is on for both.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use smithy_lite_codegen::ir::Service;

use super::{Model, Options};

pub const DRIVER: &str = "corpus-driver";

/// Fixed signing inputs, the oracle's defaults (see the oracle README).
pub const ACCESS_KEY: &str = "AKIDEXAMPLE";
pub const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
/// 2015-08-30T12:36:00Z.
pub const SIGNING_TIME_SECS: u64 = 1_440_938_160;
pub const INVOCATION_ID: &str = "00000000-0000-4000-8000-000000000000";
pub const REGION: &str = "us-west-2";

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    if std::fs::read_to_string(path).ok().as_deref() == Some(text) {
        return Ok(());
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The workspace manifest (this run's crates and the driver) and lock file: the lock file is
/// the project's, so the generated crates build against the dependency versions the project's
/// own crates use. Crates of other runs (`--only`) stay on disk, out of the workspace.
fn write_workspace(root: &Path, scratch: &Path, crates: &[&Service]) -> Result<(), String> {
    let members: Vec<String> = crates
        .iter()
        .map(|s| format!("    \"crates/{}\",\n", s.crate_name))
        .collect();
    write(
        &scratch.join("Cargo.toml"),
        &format!(
            "# Written by `cargo xtask corpus`: the generated crates of a corpus run and the driver.\n\
             [workspace]\nresolver = \"2\"\nmembers = [\n{}    \"driver\",\n]\n\n\
             # One build of many crates: no debug info, no incremental state to keep.\n\
             [profile.dev]\ndebug = 0\nincremental = false\n",
            members.concat()
        ),
    )?;
    let lock = std::fs::read_to_string(root.join("Cargo.lock"))
        .map_err(|e| format!("{}: {e}", root.join("Cargo.lock").display()))?;
    if !scratch.join("Cargo.lock").exists() {
        write(&scratch.join("Cargo.lock"), &lock)?;
    }
    Ok(())
}

/// `corpus-driver`: depends on every crate of `services` (crate name → IR).
fn write_driver(scratch: &Path, services: &[&Service]) -> Result<(), String> {
    let mut manifest = String::from(
        "# Written by `cargo xtask corpus`.\n[package]\nname = \"corpus-driver\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\nserde_json = \"1\"\nbase64 = \"0.23\"\ntokio = { version = \"1\", features = [\"rt\"] }\n",
    );
    for svc in services {
        let _ = writeln!(
            manifest,
            "{} = {{ path = \"../crates/{}\", features = [\"dispatch\"] }}",
            svc.crate_name, svc.crate_name
        );
    }
    write(&scratch.join("driver/Cargo.toml"), &manifest)?;
    write(&scratch.join("driver/src/main.rs"), &driver_main(services))
}

fn driver_main(services: &[&Service]) -> String {
    let mut s = String::new();
    s.push_str(&head());
    s.push_str("fn handle(krate: &str, job: &Value) -> Value {\n    match krate {\n");
    for svc in services {
        let _ = writeln!(
            s,
            "        {:?} => m_{}::handle(job),",
            svc.crate_name, svc.lib_name
        );
    }
    s.push_str(
        "        other => json!({\"error\": format!(\"unknown crate {other}\")}),\n    }\n}\n",
    );
    for svc in services {
        s.push_str(&crate_module(svc));
    }
    s
}

/// One crate's module: its client configuration, `dispatch::prepare` for requests, and a
/// match over its operations for responses.
fn crate_module(svc: &Service) -> String {
    let lib = &svc.lib_name;
    let mut arms = String::new();
    for op in svc.operations.values() {
        let module = &op.module_name;
        let _ = writeln!(
            arms,
            "            {:?} => ::{lib}::operation::{module}::parse_response(&response).map(|o| ::{lib}::operation::{module}::output_to_json(&o)).map_err(|e| format!(\"{{e:?}}\")),",
            op.name
        );
    }
    format!(
        r#"
mod m_{lib} {{
    use super::*;
    use ::{lib}::client::{{Config, Credentials}};
    use ::{lib}::runtime::http::{{Headers, HttpResponse}};

    fn config() -> &'static Result<Config, String> {{
        static CONFIG: OnceLock<Result<Config, String>> = OnceLock::new();
        CONFIG.get_or_init(|| {{
            Config::builder()
                .env(::{lib}::runtime::profile::Env::from_vars(Vec::<(String, String)>::new()))
                .region(REGION)
                .credentials(Credentials::new(ACCESS_KEY, SECRET_KEY, None))
                .signing_time(UNIX_EPOCH + Duration::from_secs(SIGNING_TIME_SECS))
                .build(&::{lib}::client::SERVICE)
                .map_err(|e| e.to_string())
        }})
    }}

    pub fn handle(job: &Value) -> Value {{
        let operation = job["operation"].as_str().unwrap_or_default();
        let mut out = json!({{}});
        match config() {{
            Err(e) => out["request_error"] = json!(format!("config: {{e}}")),
            Ok(config) => match block_on(::{lib}::dispatch::prepare(config, operation, &job["params"], INVOCATION_ID)) {{
                Ok(request) => {{
                    let headers: Vec<Value> = request
                        .headers
                        .iter()
                        .map(|(k, v)| json!([k, v]))
                        .collect();
                    out["request"] = json!({{
                        "method": request.method,
                        "url": request.url,
                        "headers": headers,
                        "body_base64": STANDARD.encode(&request.body),
                    }});
                }}
                Err(::{lib}::dispatch::CallError::Validation(e)) => out["rejected"] = json!(e.to_string()),
                Err(e) => out["request_error"] = json!(e.to_string()),
            }},
        }}
        if let Some(r) = job.get("response") {{
            let (status, headers, body) = response_parts(r);
            let headers: Headers = headers.into_iter().collect();
            let response = HttpResponse::new(status, headers, body);
            match parse(operation, response) {{
                Ok(bytes) => match serde_json::from_slice::<Value>(&bytes) {{
                    Ok(v) => out["output"] = v,
                    Err(e) => out["output_error"] = json!(format!("output_to_json is not JSON: {{e}}")),
                }},
                Err(e) => out["output_error"] = json!(e),
            }}
        }}
        out
    }}

    fn parse(operation: &str, response: HttpResponse) -> Result<Vec<u8>, String> {{
        match operation {{
{arms}            other => Err(format!("unknown operation {{other}}")),
        }}
    }}
}}
"#
    )
}

const DRIVER_HEAD: &str = r#"//! Written by `cargo xtask corpus`: every generated crate of the corpus run, by crate name.
//!
//! usage: corpus-driver < JOBS   (JSON lines: {"crate", "operation", "params", "response"?})
//! One JSON line out per job: {"request": {method, url, headers, body_base64}} or
//! {"rejected": why} or {"request_error": why}, and {"output": document} or {"output_error": why}.

use std::io::{BufRead, Write};
use std::sync::OnceLock;
use std::time::{Duration, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::{json, Value};

const ACCESS_KEY: &str = "__ACCESS_KEY__";
const SECRET_KEY: &str = "__SECRET_KEY__";
const SIGNING_TIME_SECS: u64 = __SIGNING_TIME_SECS__;
const INVOCATION_ID: &str = "__INVOCATION_ID__";
const REGION: &str = "__REGION__";

fn response_parts(r: &Value) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let status = r["status"].as_u64().unwrap_or(200) as u16;
    let headers = r["headers"]
        .as_object()
        .map(|h| {
            h.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default();
    let body = match (r.get("body"), r.get("body_base64")) {
        (_, Some(Value::String(b))) => STANDARD.decode(b).unwrap_or_default(),
        (Some(Value::String(t)), _) => t.as_bytes().to_vec(),
        _ => Vec::new(),
    };
    (status, headers, body)
}

/// Runs a future to completion on one runtime for the whole run (a dry run resolves credentials).
fn block_on<F: std::future::Future>(f: F) -> F::Output {
    static RUNTIME: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a tokio runtime")
        })
        .block_on(f)
}

fn main() {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for line in stdin.lock().lines() {
        let line = line.expect("stdin");
        if line.trim().is_empty() {
            continue;
        }
        let job: Value = serde_json::from_str(&line).expect("a JSON job per line");
        let krate = job["crate"].as_str().unwrap_or_default().to_string();
        let answer = std::panic::catch_unwind(|| handle(&krate, &job))
            .unwrap_or_else(|_| json!({"error": "the driver panicked"}));
        writeln!(out, "{answer}").expect("stdout");
    }
}

"#;

/// The driver's source with the signing constants filled in.
fn head() -> String {
    DRIVER_HEAD
        .replace("__ACCESS_KEY__", ACCESS_KEY)
        .replace("__SECRET_KEY__", SECRET_KEY)
        .replace("__SIGNING_TIME_SECS__", &SIGNING_TIME_SECS.to_string())
        .replace("__INVOCATION_ID__", INVOCATION_ID)
        .replace("__REGION__", REGION)
}

/// What one `cargo build` said about each package (by its folder name under `crates/`, or
/// `corpus-driver`): `Ok` when its library (or binary) was built, else its first error.
fn cargo_build(
    scratch: &Path,
    args: &[&str],
) -> Result<BTreeMap<String, Result<(), String>>, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(scratch)
        .arg("build")
        .args(args)
        .args([
            "--keep-going",
            "--message-format=json-diagnostic-rendered-ansi",
        ])
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        .env("RUSTFLAGS", "-D warnings")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .env("CARGO_TERM_COLOR", "never")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    let output = cmd
        .output()
        .map_err(|e| format!("running cargo build: {e}"))?;
    let mut result: BTreeMap<String, Result<(), String>> = BTreeMap::new();
    let package_of = |manifest: &str| -> Option<String> {
        let dir = Path::new(manifest).parent()?;
        let name = dir.file_name()?.to_string_lossy().into_owned();
        Some(if name == "driver" {
            DRIVER.to_string()
        } else {
            name
        })
    };
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let Some(pkg) = msg["manifest_path"].as_str().and_then(package_of) else {
            continue;
        };
        if !msg["manifest_path"]
            .as_str()
            .is_some_and(|m| Path::new(m).starts_with(scratch))
        {
            continue;
        }
        match msg["reason"].as_str() {
            Some("compiler-artifact") => {
                result.entry(pkg).or_insert(Ok(()));
            }
            Some("compiler-message") if msg["message"]["level"] == "error" => {
                let text = msg["message"]["message"]
                    .as_str()
                    .unwrap_or("error")
                    .to_string();
                let entry = result.entry(pkg).or_insert(Ok(()));
                if entry.is_ok() {
                    *entry = Err(text);
                }
            }
            _ => {}
        }
    }
    Ok(result)
}

/// Phase 2: writes the workspace and builds it; sets `build` of every generated model.
pub fn build_all(root: &Path, opts: &Options, models: &mut [Model]) -> Result<(), String> {
    let scratch = &opts.scratch;
    let services: Vec<&Service> = models.iter().filter_map(Model::service).collect();
    write_workspace(root, scratch, &services)?;
    write_driver(scratch, &services)?;

    println!(
        "build: sans-I/O (--no-default-features) of {} crates",
        services.len()
    );
    let sans_io = cargo_build(
        scratch,
        &["--workspace", "--exclude", DRIVER, "--no-default-features"],
    )?;
    println!("build: clients (default features) and the driver");
    let mut clients = cargo_build(scratch, &["--workspace"])?;

    let mut broken = Vec::new();
    for m in models.iter_mut() {
        let Some(svc) = m.service() else { continue };
        let name = svc.crate_name.clone();
        let outcome = |r: &BTreeMap<String, Result<(), String>>, what: &str| match r.get(&name) {
            Some(Ok(())) => Ok(()),
            Some(Err(e)) => Err(format!("{what}: {e}")),
            None => Err(format!("{what}: not built")),
        };
        let result = outcome(&sans_io, "sans-I/O").and(outcome(&clients, "client"));
        if result.is_err() {
            broken.push(name);
        }
        m.build = Some(result);
    }
    // A crate that does not build keeps the driver from building: leave it out and build the
    // driver again, so the others can still be compared.
    if !broken.is_empty() && !matches!(clients.get(DRIVER), Some(Ok(()))) {
        let services: Vec<&Service> = models
            .iter()
            .filter(|m| matches!(m.build, Some(Ok(()))))
            .filter_map(Model::service)
            .collect();
        write_driver(scratch, &services)?;
        println!("build: the driver again, without {broken:?}");
        clients = cargo_build(scratch, &["-p", DRIVER])?;
    }
    match clients.get(DRIVER) {
        Some(Ok(())) => Ok(()),
        Some(Err(e)) if opts.agree => Err(format!("{DRIVER} does not build: {e}")),
        _ if opts.agree => Err(format!("{DRIVER} was not built")),
        _ => Ok(()),
    }
}

/// The built driver binary.
pub fn driver_binary(scratch: &Path) -> std::path::PathBuf {
    scratch.join("target/debug").join(DRIVER)
}
