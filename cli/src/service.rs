//! The five generated crates seen the same way: their operations, a call or a dry run by
//! name, and their errors turned into one crate-neutral [`Failure`].

use std::collections::BTreeMap;
use std::time::SystemTime;

use heck::{ToKebabCase, ToShoutySnakeCase};
use kinesis_video::runtime::byte_stream::ByteStream;
use kinesis_video::runtime::client::{new_invocation_id, Config, ServiceMeta, SharedConfig};
use kinesis_video::runtime::credentials::CredentialsCache;
use kinesis_video::runtime::profile::Env;
use serde_json::Value;

use crate::{fail, Outcome, OTHER_ERROR, SERVICE_ERROR, USAGE_ERROR};

/// An operation as the CLI sees it, the same for every service crate (each crate has its own
/// `dispatch::OperationInfo` type).
#[derive(Clone, Debug)]
pub(crate) struct Operation {
    pub(crate) name: &'static str,
    pub(crate) members: Vec<Member>,
    pub(crate) streaming_output: Option<&'static str>,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Member {
    pub(crate) name: &'static str,
    pub(crate) kind: &'static str,
    pub(crate) required: bool,
}

/// What the configuration of a run is built from (the command line and the environment).
#[derive(Clone, Debug, Default)]
pub(crate) struct Connection {
    pub(crate) env: Option<BTreeMap<String, String>>,
    pub(crate) region: Option<String>,
    /// `--profile`: the profile of the shared files, instead of `AWS_PROFILE`.
    pub(crate) profile: Option<String>,
    /// `--endpoint-url`: for the service called, not for the GetDataEndpoint lookup.
    pub(crate) endpoint_url: Option<String>,
    pub(crate) signing_time: Option<SystemTime>,
    /// `--iot-*`: credentials from the AWS IoT credentials provider.
    pub(crate) iot: crate::iot::IotOptions,
    /// A dry run makes no call, so it does not ask the IoT credentials provider.
    pub(crate) dry_run: bool,
}

impl Connection {
    pub(crate) fn env(&self) -> Env {
        match &self.env {
            Some(vars) => Env::from_vars(vars.clone()),
            None => Env::process(),
        }
    }

    /// The configuration every service of the run shares: one region, one credentials
    /// provider (resolved once), one HTTP client.
    pub(crate) fn shared(&self) -> Result<SharedConfig, Failure> {
        let mut builder = SharedConfig::builder().env(self.env());
        if let Some(r) = &self.region {
            builder = builder.region(r.clone());
        }
        if let Some(p) = &self.profile {
            builder = builder.profile_name(p.clone());
        }
        if let Some(t) = self.signing_time {
            builder = builder.signing_time(t);
        }
        if !self.dry_run {
            if let Some(iot) = crate::iot::provider(&self.iot, &self.env())
                .map_err(|e| Failure::Other(format!("kvs: {e}")))?
            {
                builder = builder.credentials_provider(CredentialsCache::new(iot));
            }
        }
        builder
            .build_shared()
            .map_err(|e| Failure::Other(format!("kvs: {e}")))
    }
}

/// The shared configuration bound to one service, sending to `endpoint_url` when one is given.
fn config(
    shared: &SharedConfig,
    service: &'static ServiceMeta,
    endpoint_url: Option<&str>,
) -> Result<Config, Failure> {
    let config = Config::new(shared, service).map_err(|e| Failure::Other(format!("kvs: {e}")))?;
    Ok(match endpoint_url {
        Some(url) => config.with_endpoint_url(url),
        None => config,
    })
}

/// A signed request, as `--dry-run` prints it.
pub(crate) struct Request {
    pub(crate) method: String,
    pub(crate) url: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

pub(crate) struct Response {
    pub(crate) document: Vec<u8>,
    pub(crate) payload: Option<ByteStream>,
}

/// Why a run failed, in the crate-neutral form every service's errors are turned into.
#[derive(Debug)]
pub(crate) enum Failure {
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
    pub(crate) fn service(
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

    pub(crate) fn outcome(self) -> Outcome {
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
pub(crate) trait Service {
    /// The AWS CLI's name of the service.
    const NAME: &'static str;
    /// Calls go to the endpoint `GetDataEndpoint` returns for the stream and API.
    const DATA_PLANE: bool;
    fn meta() -> &'static ServiceMeta;
    fn operations() -> Vec<Operation>;
    /// `AWS_ENDPOINT_URL_<SERVICE>`: the variable that sets an endpoint for this service alone.
    fn endpoint_variable() -> String {
        format!("AWS_ENDPOINT_URL_{}", Self::meta().env_endpoint_id)
    }
    fn endpoint_from_env(conn: &Connection) -> Option<String> {
        conn.env().get(&Self::endpoint_variable())
    }
    async fn prepare(
        shared: &SharedConfig,
        endpoint_url: Option<&str>,
        operation: &str,
        input: &Value,
    ) -> Result<Request, Failure>;
    async fn call(
        shared: &SharedConfig,
        endpoint_url: Option<&str>,
        operation: &str,
        input: &Value,
    ) -> Result<Response, Failure>;
}

/// Implements [`Service`] over a generated crate; the crates' `dispatch` modules have the same
/// shape but their own error types, so one body serves all five.
macro_rules! service {
    ($ty:ident, $krate:ident, $name:literal, data_plane: $data_plane:literal) => {
        pub(crate) struct $ty;

        impl $ty {
            fn failure(operation: &str, e: $krate::dispatch::CallError) -> Failure {
                use $krate::dispatch::CallError;
                match e {
                    CallError::Service(meta, _) => Failure::service(
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

        impl Service for $ty {
            const NAME: &'static str = $name;
            const DATA_PLANE: bool = $data_plane;

            fn meta() -> &'static ServiceMeta {
                &$krate::client::SERVICE
            }

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

            async fn prepare(
                shared: &SharedConfig,
                endpoint_url: Option<&str>,
                operation: &str,
                input: &Value,
            ) -> Result<Request, Failure> {
                let config = config(shared, Self::meta(), endpoint_url)?;
                let id = new_invocation_id();
                let r = $krate::dispatch::prepare(&config, operation, input, &id)
                    .await
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
                shared: &SharedConfig,
                endpoint_url: Option<&str>,
                operation: &str,
                input: &Value,
            ) -> Result<Response, Failure> {
                let config = config(shared, Self::meta(), endpoint_url)?;
                let output = $krate::dispatch::call(&config, operation, input)
                    .await
                    .map_err(|e| Self::failure(operation, e))?;
                Ok(Response {
                    document: output.document,
                    payload: output.payload,
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
pub(crate) fn services() -> [(&'static str, Vec<Operation>); 5] {
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
pub(crate) fn command_name(operation: &str) -> String {
    operation.to_kebab_case()
}

/// The `APIName` GetDataEndpoint takes for a data-plane operation (`GetMedia` → `GET_MEDIA`),
/// if it is one `kinesis_video` knows.
pub(crate) fn api_name(operation: &str) -> Option<&'static str> {
    let name = operation.to_shouty_snake_case();
    kinesis_video::types::ApiName::values()
        .iter()
        .copied()
        .find(|v| *v == name)
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
}
