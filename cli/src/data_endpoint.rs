//! Data-plane calls go to the endpoint GetDataEndpoint returns for their stream.

use serde_json::Value;

use kinesis_video::runtime::client::{Config, SharedConfig};

use crate::service::{api_name, Failure};

/// The stream a data-plane input names, as `Client::data_endpoint` takes it (an ARN starts
/// with `arn:`, which no name can).
pub(crate) fn stream_of(input: &Value) -> Option<&str> {
    ["StreamARN", "StreamName"]
        .iter()
        .find_map(|k| input.get(*k).and_then(Value::as_str))
        .filter(|s| !s.is_empty())
}

/// GetDataEndpoint for `operation` on `stream`, with the control plane's own endpoint
/// settings (not the data-plane service's `--endpoint-url`).
pub(crate) async fn data_endpoint(
    shared: &SharedConfig,
    operation: &str,
    stream: &str,
) -> Result<String, Failure> {
    use kinesis_video::error::SdkError;
    let api = api_name(operation).ok_or_else(|| {
        Failure::Other(format!(
            "kvs: GetDataEndpoint has no APIName for {operation}; give --endpoint-url"
        ))
    })?;
    let client = kinesis_video::Client::new(
        Config::new(shared, &kinesis_video::client::SERVICE)
            .map_err(|e| Failure::Other(format!("kvs: {e}")))?,
    );
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
