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

mod args;
mod data_endpoint;
mod help;
mod iot;
mod output;
mod service;
mod whoami;

use std::collections::BTreeMap;

use args::{parse, Parsed};
use data_endpoint::{data_endpoint, stream_of};
use help::usage;
use output::{pretty, render_request, write_images, write_payload};
use service::{
    api_name, command_name, ArchivedMedia, ControlPlane, Media, Service, Signaling, WebrtcStorage,
};

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

async fn run_service<S: Service>(args: &[String], settings: Settings) -> Outcome {
    let Parsed {
        op,
        input,
        conn,
        dry_run,
        outfile,
        images_dir,
    } = match parse::<S>(args, settings.env) {
        Ok(p) => p,
        Err(outcome) => return outcome,
    };
    // One configuration for every call of the run (the lookup and the call itself).
    let shared = match conn.shared() {
        Ok(s) => s,
        Err(f) => return f.outcome(),
    };
    let mut endpoint_url = conn.endpoint_url.clone();
    // Validated and signed locally first, so that bad input is reported before any lookup.
    let request = match S::prepare(&shared, endpoint_url.as_deref(), op.name, &input).await {
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
        match data_endpoint(&shared, op.name, stream).await {
            Ok(url) => endpoint_url = Some(url),
            Err(f) => return f.outcome(),
        }
    }
    let response = match S::call(&shared, endpoint_url.as_deref(), op.name, &input).await {
        Ok(r) => r,
        Err(f) => return f.outcome(),
    };
    let mut document = response.document;
    if let (Some(path), Some(member)) = (&outfile, op.streaming_output) {
        let mut payload = response.payload.unwrap_or_default();
        if let Err(f) = write_payload(&mut payload, path, member).await {
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
        Some(whoami::NAME) => whoami::run(rest, settings).await,
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
