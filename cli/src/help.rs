//! The help texts: every service, a service's operations, an operation's members.

use crate::service::{api_name, command_name, services, ControlPlane, Operation, Service};

pub(crate) const OPTIONS: &str = "options:
  --cli-input-json JSON   members as one JSON object with the model's member names
                          (a flag wins over the same key)
  --region REGION         the AWS region
  --profile NAME          the profile of the shared config and credentials files (instead
                          of AWS_PROFILE, else default)
  --endpoint-url URL      send to this endpoint (for the data-plane services: instead of
                          the one GetDataEndpoint returns)
  --dry-run               print the signed request instead of sending it; makes no
                          network call at all (no GetDataEndpoint lookup either)
  --signing-time TIME     sign as at this RFC 3339 time (with --dry-run: a reproducible
                          signature)
";

pub(crate) fn service_note(service: &str) -> &'static str {
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

pub(crate) fn usage() -> String {
    let mut out = String::from(
        "usage: kvs [SERVICE] OPERATION [--member-name VALUE ...] [options] [outfile]
       kvs SERVICE --help
       kvs [SERVICE] OPERATION --help
       kvs whoami [--profile NAME] [--region REGION]   (where credentials and region come from)

services:
",
    );
    let all = services();
    for (name, _) in &all {
        out.push_str(&format!("  {name:<30}{}\n", service_note(name)));
    }
    out.push('\n');
    out.push_str(OPTIONS);
    out.push_str(crate::iot::OPTIONS);
    for (name, ops) in &all {
        out.push_str(&format!("\n{name} operations:\n"));
        for op in ops {
            out.push_str(&format!("  {}\n", command_name(op.name)));
        }
    }
    out
}

pub(crate) fn service_usage(service: &str, ops: &[Operation]) -> String {
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
    out.push_str(crate::iot::OPTIONS);
    out
}

pub(crate) fn operation_usage<S: Service>(op: &Operation) -> String {
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
    out.push_str(crate::iot::OPTIONS);
    out
}
