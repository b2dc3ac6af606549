//! `kvs`: call any operation of the five Kinesis Video services from the command line, with
//! the AWS CLI's conventions: `kvs [service] <operation> --member-name value`,
//! `--cli-input-json`, `--region`, `--endpoint-url`, JSON output with the model's member
//! names, errors on stderr with the AWS CLI's exit codes (252 usage or invalid input, 254
//! service error, 255 other). `--dry-run` prints the signed request instead of sending it;
//! `--signing-time` fixes the signing clock so the request can be compared with another SDK's.
//!
//! Streaming payloads (GetClip, GetMediaForFragmentList, GetMedia) go to a positional
//! `outfile`, chunk by chunk. Archived-media and media operations are sent to the stream's data
//! endpoint, looked up with GetDataEndpoint unless an endpoint is given.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::future::Future;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::time::SystemTime;

use base64::Engine as _;
use heck::{ToKebabCase, ToShoutySnakeCase};
use kinesis_video::primitives::DateTime;
use kinesis_video::runtime::datetime::Format;
use serde_json::{Map, Value};

mod iot;

pub const USAGE_ERROR: i32 = 252;
pub const SERVICE_ERROR: i32 = 254;
pub const OTHER_ERROR: i32 = 255;

/// Where settings come from.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// Environment variables to read instead of the process's (tests pass their own);
    /// `None` reads the process environment.
    pub env: Option<BTreeMap<String, String>>,
}

impl Settings {
    /// Settings read from these variables only.
    pub fn from_vars<K: Into<String>, V: Into<String>>(
        vars: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Settings {
            env: Some(
                vars.into_iter()
                    .map(|(k, v)| (k.into(), v.into()))
                    .collect(),
            ),
        }
    }
}

/// What a run printed, and its exit code.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

fn fail(code: i32, message: impl Into<String>) -> Outcome {
    Outcome {
        code,
        stdout: String::new(),
        stderr: format!("{}\n", message.into()),
    }
}

/// Exit 0 with `text` on stdout.
fn printed(text: String) -> Outcome {
    Outcome {
        code: 0,
        stdout: text,
        stderr: String::new(),
    }
}

/// An operation as the CLI sees it, the same for every service crate (each crate has its own
/// `dispatch::OperationInfo` type).
#[derive(Clone, Debug)]
struct Operation {
    name: &'static str,
    members: Vec<Member>,
    streaming_output: Option<&'static str>,
}

#[derive(Clone, Copy, Debug)]
struct Member {
    name: &'static str,
    kind: &'static str,
    required: bool,
}

/// What a client configuration is built from.
#[derive(Clone, Debug, Default)]
struct Connection {
    env: Option<BTreeMap<String, String>>,
    region: Option<String>,
    endpoint_url: Option<String>,
    signing_time: Option<SystemTime>,
    iot: iot::IotOptions,
    /// From the IoT credentials provider, when it is configured (`Debug` hides the secrets).
    credentials: Option<kinesis_video::client::Credentials>,
}

/// A signed request, as `--dry-run` prints it.
struct Request {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// The chunks of a streaming payload, whichever crate's `ByteStream` holds them.
trait Payload {
    fn next_chunk(&mut self) -> ChunkFuture<'_>;
}

type ChunkFuture<'a> = Pin<Box<dyn Future<Output = Option<Result<Vec<u8>, String>>> + Send + 'a>>;

struct Response {
    document: Vec<u8>,
    payload: Option<Box<dyn Payload + Send>>,
}

/// Why a run failed, in the crate-neutral form every service's errors are turned into.
#[derive(Debug)]
enum Failure {
    /// Invalid arguments or input; the text is printed as is.
    Usage(String),
    Service {
        operation: String,
        code: Option<String>,
        message: Option<String>,
        status: u16,
        request_id: Option<String>,
    },
    Other(String),
}

impl Failure {
    fn service(
        operation: &str,
        code: Option<&str>,
        message: Option<&str>,
        status: u16,
        request_id: Option<&str>,
    ) -> Self {
        Failure::Service {
            operation: operation.to_string(),
            code: code.map(str::to_owned),
            message: message.map(str::to_owned),
            status,
            request_id: request_id.map(str::to_owned),
        }
    }

    fn outcome(self) -> Outcome {
        match self {
            Failure::Usage(text) => fail(USAGE_ERROR, text),
            Failure::Other(text) => fail(OTHER_ERROR, text),
            Failure::Service {
                operation,
                code,
                message,
                status,
                request_id,
            } => {
                let mut text = format!(
                    "\nAn error occurred ({}) when calling the {operation} operation: {}\n",
                    code.as_deref().unwrap_or("Unknown"),
                    message.as_deref().unwrap_or("")
                );
                text.push_str(&format!("HTTP status: {status}\n"));
                if let Some(id) = request_id {
                    text.push_str(&format!("Request ID: {id}\n"));
                }
                Outcome {
                    code: SERVICE_ERROR,
                    stdout: String::new(),
                    stderr: text,
                }
            }
        }
    }
}

/// One generated crate, seen through its `dispatch` module.
trait Service {
    /// The AWS CLI's name of the service.
    const NAME: &'static str;
    /// Calls go to the endpoint `GetDataEndpoint` returns for the stream and API.
    const DATA_PLANE: bool;
    fn operations() -> Vec<Operation>;
    /// `AWS_ENDPOINT_URL_<SERVICE>`: the variable that sets an endpoint for this service alone.
    fn endpoint_variable() -> String;
    fn endpoint_from_env(conn: &Connection) -> Option<String>;
    fn prepare(conn: &Connection, operation: &str, input: &Value) -> Result<Request, Failure>;
    async fn call(conn: &Connection, operation: &str, input: &Value) -> Result<Response, Failure>;
}

/// Implements [`Service`] over a generated crate; the crates have the same API shape but
/// distinct types, so one body serves all five.
macro_rules! service {
    ($ty:ident, $krate:ident, $name:literal, data_plane: $data_plane:literal) => {
        struct $ty;

        impl $ty {
            fn config(conn: &Connection) -> Result<$krate::client::Config, Failure> {
                let mut builder = $krate::client::Config::builder();
                if let Some(vars) = &conn.env {
                    builder = builder.env($krate::runtime::profile::Env::from_vars(vars.clone()));
                }
                if let Some(r) = &conn.region {
                    builder = builder.region(r.clone());
                }
                if let Some(u) = &conn.endpoint_url {
                    builder = builder.endpoint_url(u.clone());
                }
                if let Some(t) = conn.signing_time {
                    builder = builder.signing_time(t);
                }
                if let Some(c) = &conn.credentials {
                    let token = c.session_token().map(str::to_string);
                    let c2 = $krate::client::Credentials::new(
                        c.access_key_id(),
                        c.secret_access_key(),
                        token,
                    );
                    builder = builder.credentials(
                        c2.with_expiry(c.expiry())
                            .with_provider_name(c.provider_name()),
                    );
                }
                builder
                    .build(&$krate::client::SERVICE)
                    .map_err(|e| Failure::Other(format!("kvs: {e}")))
            }

            fn failure(operation: &str, e: $krate::dispatch::CallError) -> Failure {
                use $krate::dispatch::CallError;
                match e {
                    CallError::Service(meta) => Failure::service(
                        operation,
                        meta.code(),
                        meta.message(),
                        meta.status(),
                        meta.request_id(),
                    ),
                    CallError::Validation(_)
                    | CallError::Input(_)
                    | CallError::UnknownOperation(_) => {
                        Failure::Usage(format!("\nParameter validation failed: {e}"))
                    }
                    CallError::Other(text) => Failure::Other(format!("\n{text}")),
                }
            }
        }

        impl Payload for $krate::primitives::ByteStream {
            fn next_chunk(&mut self) -> ChunkFuture<'_> {
                Box::pin(async move { self.next().await.map(|c| c.map_err(|e| e.to_string())) })
            }
        }

        impl Service for $ty {
            const NAME: &'static str = $name;
            const DATA_PLANE: bool = $data_plane;

            fn operations() -> Vec<Operation> {
                $krate::dispatch::OPERATIONS
                    .iter()
                    .map(|o| Operation {
                        name: o.name,
                        members: o
                            .members
                            .iter()
                            .map(|m| Member {
                                name: m.name,
                                kind: m.kind,
                                required: m.required,
                            })
                            .collect(),
                        streaming_output: o.streaming_output,
                    })
                    .collect()
            }

            fn endpoint_variable() -> String {
                format!(
                    "AWS_ENDPOINT_URL_{}",
                    $krate::client::SERVICE.env_endpoint_id
                )
            }

            fn endpoint_from_env(conn: &Connection) -> Option<String> {
                let env = match &conn.env {
                    Some(vars) => $krate::runtime::profile::Env::from_vars(vars.clone()),
                    None => $krate::runtime::profile::Env::process(),
                };
                env.get(&Self::endpoint_variable())
            }

            fn prepare(
                conn: &Connection,
                operation: &str,
                input: &Value,
            ) -> Result<Request, Failure> {
                let config = Self::config(conn)?;
                let id = $krate::runtime::client::new_invocation_id();
                let r = $krate::dispatch::prepare(&config, operation, input, &id)
                    .map_err(|e| Self::failure(operation, e))?;
                Ok(Request {
                    method: r.method,
                    url: r.url,
                    headers: r
                        .headers
                        .iter()
                        .map(|(n, v)| (n.to_string(), v.to_string()))
                        .collect(),
                    body: r.body,
                })
            }

            async fn call(
                conn: &Connection,
                operation: &str,
                input: &Value,
            ) -> Result<Response, Failure> {
                let config = Self::config(conn)?;
                let output = $krate::dispatch::call(&config, operation, input)
                    .await
                    .map_err(|e| Self::failure(operation, e))?;
                Ok(Response {
                    document: output.document,
                    payload: output
                        .payload
                        .map(|p| Box::new(p) as Box<dyn Payload + Send>),
                })
            }
        }
    };
}

service!(ControlPlane, kinesis_video, "kinesisvideo", data_plane: false);
service!(ArchivedMedia, kinesis_video_archived_media, "kinesis-video-archived-media", data_plane: true);
service!(Media, kinesis_video_media, "kinesis-video-media", data_plane: true);
service!(Signaling, kinesis_video_signaling, "kinesis-video-signaling", data_plane: false);
service!(WebrtcStorage, kinesis_video_webrtc_storage, "kinesis-video-webrtc-storage", data_plane: false);

/// The services, by their AWS CLI names, with their operations (for help texts).
fn services() -> [(&'static str, Vec<Operation>); 5] {
    [
        (ControlPlane::NAME, ControlPlane::operations()),
        (ArchivedMedia::NAME, ArchivedMedia::operations()),
        (Media::NAME, Media::operations()),
        (Signaling::NAME, Signaling::operations()),
        (WebrtcStorage::NAME, WebrtcStorage::operations()),
    ]
}

/// The AWS CLI's name of an operation (`GetHLSStreamingSessionURL` →
/// `get-hls-streaming-session-url`).
fn command_name(operation: &str) -> String {
    operation.to_kebab_case()
}

/// The `APIName` GetDataEndpoint takes for a data-plane operation (`GetMedia` → `GET_MEDIA`),
/// if it is one `kinesis_video` knows.
fn api_name(operation: &str) -> Option<&'static str> {
    let name = operation.to_shouty_snake_case();
    kinesis_video::types::ApiName::values()
        .iter()
        .copied()
        .find(|v| *v == name)
}

const OPTIONS: &str = "options:
  --cli-input-json JSON   members as one JSON object with the model's member names
                          (a flag wins over the same key)
  --region REGION         the AWS region
  --endpoint-url URL      send to this endpoint (for the data-plane services: instead of
                          the one GetDataEndpoint returns)
  --dry-run               print the signed request instead of sending it; makes no
                          network call at all (no GetDataEndpoint lookup either)
  --signing-time TIME     sign as at this RFC 3339 time (with --dry-run: a reproducible
                          signature)
";

fn service_note(service: &str) -> &'static str {
    match service {
        "kinesis-video-archived-media" | "kinesis-video-media" => {
            "data plane: called at the stream's data endpoint (GetDataEndpoint)"
        }
        "kinesis-video-signaling" => {
            "give --endpoint-url from kinesisvideo get-signaling-channel-endpoint (HTTPS)"
        }
        "kinesis-video-webrtc-storage" => {
            "give --endpoint-url from kinesisvideo get-signaling-channel-endpoint (WEBRTC)"
        }
        _ => "control plane; its operations also run without the service name",
    }
}

fn usage() -> String {
    let mut out = String::from(
        "usage: kvs [SERVICE] OPERATION [--member-name VALUE ...] [options] [outfile]
       kvs SERVICE --help
       kvs [SERVICE] OPERATION --help

services:
",
    );
    let all = services();
    for (name, _) in &all {
        out.push_str(&format!("  {name:<30}{}\n", service_note(name)));
    }
    out.push('\n');
    out.push_str(OPTIONS);
    out.push_str(iot::OPTIONS);
    for (name, ops) in &all {
        out.push_str(&format!("\n{name} operations:\n"));
        for op in ops {
            out.push_str(&format!("  {}\n", command_name(op.name)));
        }
    }
    out
}

fn service_usage(service: &str, ops: &[Operation]) -> String {
    let prefix = if service == ControlPlane::NAME {
        "[kinesisvideo]".to_string()
    } else {
        service.to_string()
    };
    let mut out = format!(
        "usage: kvs {prefix} OPERATION [--member-name VALUE ...] [options]\n\n{service}: {}\n\noperations:\n",
        service_note(service)
    );
    for op in ops {
        let outfile = if op.streaming_output.is_some() {
            " outfile"
        } else {
            ""
        };
        out.push_str(&format!("  {}{outfile}\n", command_name(op.name)));
    }
    out.push('\n');
    out.push_str(OPTIONS);
    out.push_str(iot::OPTIONS);
    out
}

fn operation_usage<S: Service>(op: &Operation) -> String {
    let service = S::NAME;
    let prefix = if service == ControlPlane::NAME {
        "[kinesisvideo]".to_string()
    } else {
        service.to_string()
    };
    let outfile = if op.streaming_output.is_some() {
        " outfile"
    } else {
        ""
    };
    let mut out = format!(
        "usage: kvs {prefix} {} [options]{outfile}\n\nmembers:\n",
        command_name(op.name)
    );
    for m in &op.members {
        out.push_str(&format!(
            "  --{} <{}>{}\n",
            command_name(m.name),
            m.kind,
            if m.required { " (required)" } else { "" }
        ));
    }
    if let Some(member) = op.streaming_output {
        out.push_str(&format!(
            "\noutfile (required):\n  the file the {member} is written to, chunk by chunk as it arrives (overwritten if\n  it exists); the rest of the output is printed as JSON.\n"
        ));
    }
    if op.name == "GetImages" {
        out.push_str(
            "
images:
  --images-dir DIR        write each image's decoded ImageContent to a file in DIR
                          (created if missing; existing files are overwritten), named
                          <TimeStamp>.<jpeg|png> with the time's ':' written as '-';
                          a repeated name gets -2, -3, ...; an image without TimeStamp
                          is image-<n>. The printed JSON then has ImageFile (the path)
                          in place of each ImageContent.
",
        );
    }
    if S::DATA_PLANE {
        out.push_str(&format!(
            "
data endpoint:
  kvs first asks kinesisvideo GetDataEndpoint (the input's StreamARN or StreamName,
  APIName {}) where to send the call, unless --endpoint-url or the
  variable {} gives the endpoint.
  --dry-run makes no lookup: it prints the request for the service's default
  endpoint and says so on stderr.
",
            api_name(op.name).unwrap_or("?"),
            S::endpoint_variable()
        ));
    }
    out.push('\n');
    out.push_str(OPTIONS);
    out.push_str(iot::OPTIONS);
    out
}

/// A flag's text as the JSON value its member takes.
fn flag_value(kind: &str, text: &str) -> Result<Value, String> {
    match kind {
        "string" | "enum" | "timestamp" | "blob" => Ok(Value::String(text.to_string())),
        "integer" => text
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| format!("expected an integer, got {text:?}")),
        "float" | "number" => text
            .parse::<f64>()
            .map(Value::from)
            .map_err(|_| format!("expected a number, got {text:?}")),
        "boolean" => match text {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(format!("expected true or false, got {text:?}")),
        },
        _ => serde_json::from_str(text).map_err(|e| format!("expected JSON ({e})")),
    }
}

struct Parsed {
    op: Operation,
    input: Value,
    conn: Connection,
    dry_run: bool,
    outfile: Option<PathBuf>,
    images_dir: Option<PathBuf>,
}

/// Parses what follows the service name (`args[0]` is the operation).
fn parse<S: Service>(
    args: &[String],
    env: Option<BTreeMap<String, String>>,
) -> Result<Parsed, Outcome> {
    let ops = S::operations();
    let Some(command) = args.first() else {
        return Err(fail(USAGE_ERROR, service_usage(S::NAME, &ops)));
    };
    if command == "--help" || command == "help" {
        return Err(printed(service_usage(S::NAME, &ops)));
    }
    let op = ops
        .iter()
        .find(|o| command_name(o.name) == *command)
        .cloned()
        .ok_or_else(|| {
            fail(
                USAGE_ERROR,
                format!(
                    "kvs: unknown operation {command:?} of {}\n\n{}",
                    S::NAME,
                    service_usage(S::NAME, &ops)
                ),
            )
        })?;
    let op_usage = || operation_usage::<S>(&op);
    let mut input = Map::new();
    let mut flags: Vec<(String, Value)> = Vec::new();
    let mut conn = Connection {
        env,
        ..Connection::default()
    };
    let (mut dry_run, mut outfile, mut images_dir) = (false, None, None);
    let mut it = args[1..].iter();
    let value_of = |it: &mut std::slice::Iter<String>, flag: &str| {
        it.next()
            .cloned()
            .ok_or_else(|| fail(USAGE_ERROR, format!("kvs: {flag} needs a value")))
    };
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--help" => return Err(printed(op_usage())),
            "--region" => conn.region = Some(value_of(&mut it, arg)?),
            "--endpoint-url" => conn.endpoint_url = Some(value_of(&mut it, arg)?),
            "--dry-run" => dry_run = true,
            flag if iot::IotOptions::is_flag(flag) => conn.iot.set(flag, value_of(&mut it, arg)?),
            "--signing-time" => {
                let text = value_of(&mut it, arg)?;
                let t = DateTime::parse(&text, Format::DateTime)
                    .map_err(|e| fail(USAGE_ERROR, format!("kvs: --signing-time: {e}")))?;
                conn.signing_time = Some(SystemTime::from(t));
            }
            "--images-dir" if op.name == "GetImages" => {
                images_dir = Some(PathBuf::from(value_of(&mut it, arg)?));
            }
            "--cli-input-json" => {
                let text = value_of(&mut it, arg)?;
                match serde_json::from_str::<Value>(&text) {
                    Ok(Value::Object(map)) => input.extend(map),
                    _ => {
                        return Err(fail(
                            USAGE_ERROR,
                            "kvs: --cli-input-json must be a JSON object",
                        ))
                    }
                }
            }
            flag if flag.starts_with("--") => {
                let name = &flag[2..];
                let member = op
                    .members
                    .iter()
                    .find(|m| command_name(m.name) == name)
                    .ok_or_else(|| {
                        fail(
                            USAGE_ERROR,
                            format!("kvs: unknown option {flag}\n\n{}", op_usage()),
                        )
                    })?;
                let text = value_of(&mut it, flag)?;
                let value = flag_value(member.kind, &text)
                    .map_err(|e| fail(USAGE_ERROR, format!("kvs: {flag}: {e}")))?;
                flags.push((member.name.to_string(), value));
            }
            other if op.streaming_output.is_some() && outfile.is_none() => {
                outfile = Some(PathBuf::from(other));
            }
            other => {
                return Err(fail(
                    USAGE_ERROR,
                    format!("kvs: unexpected argument {other:?}"),
                ))
            }
        }
    }
    if op.streaming_output.is_some() && outfile.is_none() {
        return Err(fail(
            USAGE_ERROR,
            format!(
                "kvs: the following arguments are required: outfile\n\n{}",
                op_usage()
            ),
        ));
    }
    // Flags win over keys of --cli-input-json.
    input.extend(flags);
    Ok(Parsed {
        op,
        input: Value::Object(input),
        conn,
        dry_run,
        outfile,
        images_dir,
    })
}

/// Compact JSON re-indented with the AWS CLI's 4 spaces, keys kept in model order (a
/// `serde_json::Value` would sort them).
fn pretty(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::with_capacity(text.len() * 2);
    let mut depth = 0usize;
    let (mut in_string, mut escaped) = (false, false);
    let mut chars = text.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.push_str(&"    ".repeat(depth));
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                // Empty containers stay on one line: `{}`, `[]`.
                if matches!(chars.peek(), Some('}') | Some(']')) {
                    out.push(chars.next().expect("peeked"));
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out.push('\n');
    out
}

fn render_request(request: &Request) -> String {
    let (_, after_scheme) = request.url.split_once("://").unwrap_or(("", &request.url));
    let target = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
    let mut text = format!("{} {target} HTTP/1.1\n", request.method);
    for (name, value) in &request.headers {
        text.push_str(&format!("{name}: {value}\n"));
    }
    text.push('\n');
    text.push_str(&String::from_utf8_lossy(&request.body));
    text.push('\n');
    text
}

/// The stream a data-plane input names, as `Client::data_endpoint` takes it (an ARN starts
/// with `arn:`, which no name can).
fn stream_of(input: &Value) -> Option<&str> {
    ["StreamARN", "StreamName"]
        .iter()
        .find_map(|k| input.get(*k).and_then(Value::as_str))
        .filter(|s| !s.is_empty())
}

/// GetDataEndpoint for `operation` on `stream`, with the control plane's own endpoint
/// settings (not the data-plane service's).
async fn data_endpoint(
    conn: &Connection,
    operation: &str,
    stream: &str,
) -> Result<String, Failure> {
    use kinesis_video::error::SdkError;
    let api = api_name(operation).ok_or_else(|| {
        Failure::Other(format!(
            "kvs: GetDataEndpoint has no APIName for {operation}; give --endpoint-url"
        ))
    })?;
    let control = Connection {
        endpoint_url: None,
        ..conn.clone()
    };
    let client = kinesis_video::Client::new(ControlPlane::config(&control)?);
    client
        .data_endpoint(stream, kinesis_video::types::ApiName::from(api))
        .await
        .map_err(|e| match e {
            SdkError::Service(s) => {
                let m = s.meta();
                Failure::service(
                    "GetDataEndpoint",
                    m.code(),
                    m.message(),
                    m.status(),
                    m.request_id(),
                )
            }
            SdkError::Validation(v) => {
                Failure::Usage(format!("\nParameter validation failed (GetDataEndpoint): {v}"))
            }
            other => Failure::Other(format!(
                "\nkvs: looking up the data endpoint of {operation} (GetDataEndpoint) failed: {other}"
            )),
        })
}

/// Copies the payload into `path` chunk by chunk; never holds it whole.
async fn write_payload(
    payload: &mut (dyn Payload + Send),
    path: &Path,
    member: &str,
) -> Result<u64, Failure> {
    let mut file = std::fs::File::create(path).map_err(|e| {
        Failure::Other(format!(
            "\nkvs: cannot create outfile {}: {e}",
            path.display()
        ))
    })?;
    let mut written = 0u64;
    while let Some(chunk) = payload.next_chunk().await {
        let chunk = chunk.map_err(|e| {
            Failure::Other(format!(
                "\nkvs: the {member} stream broke after {written} bytes were written to {} (an incomplete file): {e}",
                path.display()
            ))
        })?;
        file.write_all(&chunk).map_err(|e| {
            Failure::Other(format!(
                "\nkvs: writing {} failed after {written} bytes: {e}",
                path.display()
            ))
        })?;
        written += chunk.len() as u64;
    }
    file.flush()
        .map_err(|e| Failure::Other(format!("\nkvs: writing {} failed: {e}", path.display())))?;
    Ok(written)
}

/// JSON that keeps its object keys in document order (`serde_json::Value` sorts them without
/// the `preserve_order` feature, which would change the generated crates' maps too).
#[derive(Clone, Debug, PartialEq)]
enum Json {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl<'de> serde::Deserialize<'de> for Json {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Json;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("JSON")
            }
            fn visit_unit<E>(self) -> Result<Json, E> {
                Ok(Json::Null)
            }
            fn visit_bool<E>(self, b: bool) -> Result<Json, E> {
                Ok(Json::Bool(b))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Json, E> {
                Ok(Json::Number(n.into()))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Json, E> {
                Ok(Json::Number(n.into()))
            }
            fn visit_f64<E>(self, n: f64) -> Result<Json, E> {
                Ok(serde_json::Number::from_f64(n).map_or(Json::Null, Json::Number))
            }
            fn visit_str<E>(self, s: &str) -> Result<Json, E> {
                Ok(Json::String(s.to_string()))
            }
            fn visit_string<E>(self, s: String) -> Result<Json, E> {
                Ok(Json::String(s))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Json, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = a.next_element()? {
                    items.push(item);
                }
                Ok(Json::Array(items))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> Result<Json, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = a.next_entry()? {
                    entries.push(entry);
                }
                Ok(Json::Object(entries))
            }
        }
        d.deserialize_any(V)
    }
}

impl Json {
    fn get_mut(&mut self, key: &str) -> Option<&mut Json> {
        match self {
            Json::Object(entries) => entries.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// Compact JSON, keys in their order.
    fn write(&self, out: &mut String) {
        let quoted = |s: &str| serde_json::to_string(s).expect("a string serializes");
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Number(n) => out.push_str(&n.to_string()),
            Json::String(s) => out.push_str(&quoted(s)),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Object(entries) => {
                out.push('{');
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&quoted(k));
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// A file name made only of characters safe on every file system (a timestamp's `:` becomes
/// `-`), so a service's answer cannot name a path outside the directory.
fn safe_name(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '-'
            }
        })
        .collect::<String>()
        .trim_start_matches('.')
        .to_string()
}

/// Writes each image's decoded `ImageContent` into `dir` and puts `ImageFile` (the path) in
/// its place; returns the document to print.
fn write_images(document: &[u8], dir: &Path, input: &Value) -> Result<Vec<u8>, Failure> {
    let mut doc: Json = serde_json::from_slice(document)
        .map_err(|e| Failure::Other(format!("\nkvs: the GetImages output is not JSON: {e}")))?;
    let ext = input
        .get("Format")
        .and_then(Value::as_str)
        .map(|f| safe_name(&f.to_ascii_lowercase()))
        .filter(|f| !f.is_empty())
        .unwrap_or_else(|| "img".to_string());
    std::fs::create_dir_all(dir)
        .map_err(|e| Failure::Other(format!("\nkvs: cannot create {}: {e}", dir.display())))?;
    let mut used = BTreeSet::new();
    if let Some(Json::Array(images)) = doc.get_mut("Images") {
        for (index, image) in images.iter_mut().enumerate() {
            let Json::Object(entries) = image else {
                continue;
            };
            let Some(at) = entries.iter().position(|(k, _)| k == "ImageContent") else {
                // An image with an Error has no content.
                continue;
            };
            let content = entries[at].1.as_str().unwrap_or_default();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(content)
                .map_err(|e| {
                    Failure::Other(format!(
                        "\nkvs: the ImageContent of image {} is not base64: {e}",
                        index + 1
                    ))
                })?;
            let stem = entries
                .iter()
                .find(|(k, _)| k == "TimeStamp")
                .and_then(|(_, v)| v.as_str())
                .map(safe_name)
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| format!("image-{}", index + 1));
            let mut name = format!("{stem}.{ext}");
            let mut n = 2;
            while !used.insert(name.clone()) {
                name = format!("{stem}-{n}.{ext}");
                n += 1;
            }
            let path = dir.join(&name);
            std::fs::write(&path, &bytes).map_err(|e| {
                Failure::Other(format!("\nkvs: cannot write {}: {e}", path.display()))
            })?;
            entries[at] = (
                "ImageFile".to_string(),
                Json::String(path.display().to_string()),
            );
        }
    }
    let mut out = String::new();
    doc.write(&mut out);
    Ok(out.into_bytes())
}

async fn run_service<S: Service>(args: &[String], settings: Settings) -> Outcome {
    let Parsed {
        op,
        input,
        mut conn,
        dry_run,
        outfile,
        images_dir,
    } = match parse::<S>(args, settings.env) {
        Ok(p) => p,
        Err(outcome) => return outcome,
    };
    // IoT credentials, when configured (not for a dry run, which makes no call).
    if !dry_run {
        match iot::credentials(&conn.iot, conn.env.as_ref()).await {
            Ok(c) => conn.credentials = c,
            Err(message) => return fail(OTHER_ERROR, message),
        }
    }
    // Validated and signed locally first, so that bad input is reported before any lookup.
    let request = match S::prepare(&conn, op.name, &input) {
        Ok(r) => r,
        Err(f) => return f.outcome(),
    };
    let lookup =
        S::DATA_PLANE && conn.endpoint_url.is_none() && S::endpoint_from_env(&conn).is_none();
    let stream = stream_of(&input).map(str::to_owned);
    if lookup && stream.is_none() {
        return fail(
            USAGE_ERROR,
            format!(
                "kvs: {} is sent to the stream's data endpoint: give --stream-name or --stream-arn to look it up with GetDataEndpoint, or --endpoint-url",
                op.name
            ),
        );
    }
    if dry_run {
        let mut out = printed(render_request(&request));
        if lookup {
            out.stderr = format!(
                "kvs: dry run: no GetDataEndpoint lookup was made. A real call first asks GetDataEndpoint (stream {}, APIName {}) for the data endpoint and sends this request there, so its host and signature differ from the ones above; give --endpoint-url to print the exact request.\n",
                stream.as_deref().unwrap_or_default(),
                api_name(op.name).unwrap_or("?")
            );
        }
        return out;
    }
    if lookup {
        let stream = stream.as_deref().unwrap_or_default();
        match data_endpoint(&conn, op.name, stream).await {
            Ok(url) => conn.endpoint_url = Some(url),
            Err(f) => return f.outcome(),
        }
    }
    let response = match S::call(&conn, op.name, &input).await {
        Ok(r) => r,
        Err(f) => return f.outcome(),
    };
    let mut document = response.document;
    if let (Some(path), Some(member)) = (&outfile, op.streaming_output) {
        let mut payload = response
            .payload
            .unwrap_or_else(|| Box::new(kinesis_video::primitives::ByteStream::new()) as Box<_>);
        if let Err(f) = write_payload(payload.as_mut(), path, member).await {
            return f.outcome();
        }
    }
    if let Some(dir) = &images_dir {
        document = match write_images(&document, dir, &input) {
            Ok(d) => d,
            Err(f) => return f.outcome(),
        };
    }
    printed(pretty(&document))
}

/// Runs `kvs` with `args` (without the program name).
pub async fn run(args: &[String], settings: Settings) -> Outcome {
    let first = args.first().map(String::as_str);
    let rest = args.get(1..).unwrap_or_default();
    match first {
        Some(ControlPlane::NAME) => run_service::<ControlPlane>(rest, settings).await,
        Some(ArchivedMedia::NAME) => run_service::<ArchivedMedia>(rest, settings).await,
        Some(Media::NAME) => run_service::<Media>(rest, settings).await,
        Some(Signaling::NAME) => run_service::<Signaling>(rest, settings).await,
        Some(WebrtcStorage::NAME) => run_service::<WebrtcStorage>(rest, settings).await,
        None => fail(USAGE_ERROR, usage()),
        Some("--help" | "help") => printed(usage()),
        Some(command) => {
            let known = ControlPlane::operations()
                .iter()
                .any(|o| command_name(o.name) == command);
            if known {
                run_service::<ControlPlane>(args, settings).await
            } else {
                fail(
                    USAGE_ERROR,
                    format!(
                        "kvs: unknown service or operation {command:?}\n\n{}",
                        usage()
                    ),
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_data_plane_operation_has_a_known_api_name() {
        let ops = ArchivedMedia::operations()
            .into_iter()
            .chain(Media::operations());
        let names: Vec<(&str, Option<&str>)> = ops.map(|o| (o.name, api_name(o.name))).collect();
        assert_eq!(
            names,
            [
                ("GetClip", Some("GET_CLIP")),
                (
                    "GetDASHStreamingSessionURL",
                    Some("GET_DASH_STREAMING_SESSION_URL")
                ),
                (
                    "GetHLSStreamingSessionURL",
                    Some("GET_HLS_STREAMING_SESSION_URL")
                ),
                ("GetImages", Some("GET_IMAGES")),
                (
                    "GetMediaForFragmentList",
                    Some("GET_MEDIA_FOR_FRAGMENT_LIST")
                ),
                ("ListFragments", Some("LIST_FRAGMENTS")),
                ("GetMedia", Some("GET_MEDIA")),
            ]
        );
        assert_eq!(api_name("DescribeStream"), None);
    }

    #[test]
    fn command_names_are_the_aws_cli_names() {
        assert_eq!(
            command_name("GetDASHStreamingSessionURL"),
            "get-dash-streaming-session-url"
        );
        assert_eq!(
            command_name("GetHLSStreamingSessionURL"),
            "get-hls-streaming-session-url"
        );
        assert_eq!(command_name("GetIceServerConfig"), "get-ice-server-config");
        assert_eq!(command_name("channelArn"), "channel-arn");
        assert_eq!(
            command_name("DASHFragmentSelector"),
            "dash-fragment-selector"
        );
    }

    #[test]
    fn ordered_json_round_trips_in_document_order() {
        let text = r#"{"b":1,"a":[true,null,"x\"y",2.5,-3],"c":{"z":{},"y":[]}}"#;
        let doc: Json = serde_json::from_str(text).unwrap();
        let mut out = String::new();
        doc.write(&mut out);
        assert_eq!(out, text);
    }

    #[test]
    fn image_names_are_safe() {
        assert_eq!(
            safe_name("2024-01-02T03:04:05.678Z"),
            "2024-01-02T03-04-05.678Z"
        );
        assert_eq!(safe_name("../../etc/passwd"), "-..-etc-passwd");
    }
}
