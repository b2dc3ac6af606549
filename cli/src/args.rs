//! The command line of one operation: member flags, `--cli-input-json` and the shared options.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::SystemTime;

use kinesis_video::primitives::DateTime;
use kinesis_video::runtime::datetime::Format;
use serde_json::{Map, Value};

use crate::help::{operation_usage, service_usage};
use crate::service::{command_name, Connection, Operation, Service};
use crate::{fail, printed, Outcome, USAGE_ERROR};

/// A flag's text as the JSON value its member takes.
pub(crate) fn flag_value(kind: &str, text: &str) -> Result<Value, String> {
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

pub(crate) struct Parsed {
    pub(crate) op: Operation,
    pub(crate) input: Value,
    pub(crate) conn: Connection,
    pub(crate) dry_run: bool,
    pub(crate) outfile: Option<PathBuf>,
    pub(crate) images_dir: Option<PathBuf>,
}

/// Parses what follows the service name (`args[0]` is the operation).
pub(crate) fn parse<S: Service>(
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
            "--profile" => conn.profile = Some(value_of(&mut it, arg)?),
            "--endpoint-url" => conn.endpoint_url = Some(value_of(&mut it, arg)?),
            "--dry-run" => dry_run = true,
            flag if crate::iot::IotOptions::is_flag(flag) => {
                conn.iot.set(flag, value_of(&mut it, arg)?)
            }
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
    conn.dry_run = dry_run;
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
