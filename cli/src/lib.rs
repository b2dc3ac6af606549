//! `kvs`: call any Kinesis Video operation from the command line, with the AWS CLI's
//! conventions: `kvs <operation> --member-name value`, `--cli-input-json`, `--region`,
//! `--endpoint-url`, JSON output with the model's member names, errors on stderr with the
//! AWS CLI's exit codes (252 usage or invalid input, 254 service error, 255 other).
//! `--dry-run` prints the signed request instead of sending it; `--signing-time` fixes the
//! signing clock so the request can be compared with another SDK's.

use std::time::SystemTime;

use heck::ToKebabCase;
use kinesis_video::client::{Config, SERVICE};
use kinesis_video::dispatch::{self, CallError, OperationInfo};
use kinesis_video::primitives::DateTime;
use kinesis_video::runtime::datetime::Format;
use kinesis_video::runtime::profile::Env;
use serde_json::{Map, Value};

pub const USAGE_ERROR: i32 = 252;
pub const SERVICE_ERROR: i32 = 254;
pub const OTHER_ERROR: i32 = 255;

/// Where settings come from (tests pass their own environment).
#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub env: Option<Env>,
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

/// Services this tool knows, by their AWS CLI names.
const SERVICES: &[&str] = &["kinesisvideo"];

fn find_operation(command: &str) -> Option<&'static OperationInfo> {
    dispatch::OPERATIONS
        .iter()
        .find(|o| o.name.to_kebab_case() == command)
}

fn usage() -> String {
    let mut out = String::from(
        "usage: kvs [kinesisvideo] <operation> [--member-name VALUE ...] [--cli-input-json JSON]\n           [--region REGION] [--endpoint-url URL] [--dry-run] [--signing-time RFC3339]\n\noperations:\n",
    );
    for op in dispatch::OPERATIONS {
        out.push_str(&format!("  {}\n", op.name.to_kebab_case()));
    }
    out
}

fn operation_usage(op: &OperationInfo) -> String {
    let mut out = format!(
        "usage: kvs {} [options]\n\nmembers:\n",
        op.name.to_kebab_case()
    );
    for m in op.members {
        out.push_str(&format!(
            "  --{} <{}>{}\n",
            m.name.to_kebab_case(),
            m.kind,
            if m.required { " (required)" } else { "" }
        ));
    }
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
    op: &'static OperationInfo,
    input: Value,
    region: Option<String>,
    endpoint_url: Option<String>,
    dry_run: bool,
    signing_time: Option<SystemTime>,
}

fn parse(args: &[String]) -> Result<Parsed, Outcome> {
    let mut rest = args;
    if rest.first().is_some_and(|s| SERVICES.contains(&s.as_str())) {
        rest = &rest[1..];
    }
    let Some(command) = rest.first() else {
        return Err(fail(USAGE_ERROR, usage()));
    };
    if command == "--help" || command == "help" {
        return Err(Outcome {
            code: 0,
            stdout: usage(),
            stderr: String::new(),
        });
    }
    let op = find_operation(command).ok_or_else(|| {
        fail(
            USAGE_ERROR,
            format!("kvs: unknown operation {command:?}\n\n{}", usage()),
        )
    })?;
    let mut input = Map::new();
    let mut flags: Vec<(String, Value)> = Vec::new();
    let (mut region, mut endpoint_url, mut dry_run, mut signing_time) = (None, None, false, None);
    let mut it = rest[1..].iter();
    let value_of = |it: &mut std::slice::Iter<String>, flag: &str| {
        it.next()
            .cloned()
            .ok_or_else(|| fail(USAGE_ERROR, format!("kvs: {flag} needs a value")))
    };
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--help" => {
                return Err(Outcome {
                    code: 0,
                    stdout: operation_usage(op),
                    stderr: String::new(),
                })
            }
            "--region" => region = Some(value_of(&mut it, arg)?),
            "--endpoint-url" => endpoint_url = Some(value_of(&mut it, arg)?),
            "--dry-run" => dry_run = true,
            "--signing-time" => {
                let text = value_of(&mut it, arg)?;
                let t = DateTime::parse(&text, Format::DateTime)
                    .map_err(|e| fail(USAGE_ERROR, format!("kvs: --signing-time: {e}")))?;
                signing_time = Some(SystemTime::from(t));
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
                    .find(|m| m.name.to_kebab_case() == name)
                    .ok_or_else(|| {
                        fail(
                            USAGE_ERROR,
                            format!("kvs: unknown option {flag}\n\n{}", operation_usage(op)),
                        )
                    })?;
                let text = value_of(&mut it, flag)?;
                let value = flag_value(member.kind, &text)
                    .map_err(|e| fail(USAGE_ERROR, format!("kvs: {flag}: {e}")))?;
                flags.push((member.name.to_string(), value));
            }
            other => {
                return Err(fail(
                    USAGE_ERROR,
                    format!("kvs: unexpected argument {other:?}"),
                ))
            }
        }
    }
    // Flags win over keys of --cli-input-json.
    input.extend(flags);
    Ok(Parsed {
        op,
        input: Value::Object(input),
        region,
        endpoint_url,
        dry_run,
        signing_time,
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

fn call_error(op: &OperationInfo, e: CallError) -> Outcome {
    match e {
        CallError::Service(meta) => {
            let mut text = format!(
                "\nAn error occurred ({}) when calling the {} operation: {}\n",
                meta.code().unwrap_or("Unknown"),
                op.name,
                meta.message().unwrap_or("")
            );
            text.push_str(&format!("HTTP status: {}\n", meta.status()));
            if let Some(id) = meta.request_id() {
                text.push_str(&format!("Request ID: {id}\n"));
            }
            Outcome {
                code: SERVICE_ERROR,
                stdout: String::new(),
                stderr: text,
            }
        }
        CallError::Validation(_) | CallError::Input(_) | CallError::UnknownOperation(_) => {
            fail(USAGE_ERROR, format!("\nParameter validation failed: {e}"))
        }
        CallError::Other(text) => fail(OTHER_ERROR, format!("\n{text}")),
    }
}

/// Runs `kvs` with `args` (without the program name).
pub async fn run(args: &[String], settings: Settings) -> Outcome {
    let parsed = match parse(args) {
        Ok(p) => p,
        Err(outcome) => return outcome,
    };
    let mut builder = Config::builder();
    if let Some(env) = settings.env {
        builder = builder.env(env);
    }
    if let Some(r) = parsed.region {
        builder = builder.region(r);
    }
    if let Some(u) = parsed.endpoint_url {
        builder = builder.endpoint_url(u);
    }
    if let Some(t) = parsed.signing_time {
        builder = builder.signing_time(t);
    }
    let config = match builder.build(&SERVICE) {
        Ok(c) => c,
        Err(e) => return fail(OTHER_ERROR, format!("kvs: {e}")),
    };
    if parsed.dry_run {
        let id = kinesis_video::runtime::client::new_invocation_id();
        return match dispatch::prepare(&config, parsed.op.name, &parsed.input, &id) {
            Ok(request) => {
                let (_, after_scheme) = request.url.split_once("://").unwrap_or(("", &request.url));
                let target = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
                let mut text = format!("{} {target} HTTP/1.1\n", request.method);
                for (name, value) in request.headers.iter() {
                    text.push_str(&format!("{name}: {value}\n"));
                }
                text.push('\n');
                text.push_str(&String::from_utf8_lossy(&request.body));
                text.push('\n');
                Outcome {
                    code: 0,
                    stdout: text,
                    stderr: String::new(),
                }
            }
            Err(e) => call_error(parsed.op, e),
        };
    }
    match dispatch::call(&config, parsed.op.name, &parsed.input).await {
        Ok(output) => Outcome {
            code: 0,
            stdout: pretty(&output.document),
            stderr: String::new(),
        },
        Err(e) => call_error(parsed.op, e),
    }
}
