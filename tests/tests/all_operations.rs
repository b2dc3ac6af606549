//! Wire format of every Kinesis Video operation, locked by insta snapshots: one request and one
//! response per operation.
//!
//! For each of the 30 operations a representative input (every required member and some
//! optional ones, nested structures, lists and maps included) is read with `input_from_json` and
//! serialized; the request (method, path, query, headers, body) is snapshotted. A representative
//! `200` body is parsed and the output's Debug is snapshotted. Besides the snapshots, each case
//! checks the restJson1 framing (`POST`, the operation's path, no query, `application/json`),
//! that the body is exactly the input document (every member of this service is bound to the
//! body), and that every member of the response body was read (so a typo in a representative
//! body cannot hide behind "unknown fields are ignored"). A last test checks the list below
//! covers every module of `kinesis_video::operation`, so a new operation cannot go unlocked.

use std::fmt::Debug;
use std::path::Path;

use kinesis_video::operation::{self as ops, Operation};
use kinesis_video::primitives::DateTime;
use kinesis_video::runtime::datetime::Format;
use kinesis_video::runtime::http::{Headers, HttpRequest, HttpResponse};
use kinesis_video::runtime::json::DeserializeError;
use serde_json::{json, Value};

/// A request as text: method, path, query, headers in order, body as UTF-8.
fn render_request(request: &HttpRequest) -> String {
    let mut out = format!(
        "method: {}\npath: {}\nquery: {:?}\nheaders:\n",
        request.method, request.path, request.query
    );
    for (name, value) in request.headers.iter() {
        out.push_str(&format!("  {name}: {value}\n"));
    }
    out.push_str(&format!(
        "body: {}\n",
        String::from_utf8(request.body.clone()).expect("request bodies are UTF-8")
    ));
    out
}

fn snapshot(name: &str, description: &str, value: &str) {
    insta::with_settings!({ description => description, omit_expression => true }, {
        insta::assert_snapshot!(name, value);
    });
}

/// Where `ours` (what `output_to_json` wrote back) and `sent` (the response body) differ, other
/// than timestamps being ISO-8601 strings in ours and epoch seconds on the wire.
fn difference(at: &str, ours: &Value, sent: &Value) -> Option<String> {
    match (ours, sent) {
        (Value::Object(a), Value::Object(b)) => {
            let keys_a: Vec<&String> = a.keys().collect();
            let keys_b: Vec<&String> = b.keys().collect();
            if keys_a != keys_b {
                return Some(format!("{at}: members {keys_a:?} read, {keys_b:?} sent"));
            }
            a.iter()
                .find_map(|(k, v)| difference(&format!("{at}.{k}"), v, &b[k]))
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(i, (x, y))| difference(&format!("{at}[{i}]"), x, y)),
        (Value::String(iso), Value::Number(epoch)) => {
            let read = DateTime::parse(iso, Format::DateTime)
                .map(|t| t.as_secs_f64())
                .ok();
            match (read, epoch.as_f64()) {
                (Some(a), Some(b)) if (a - b).abs() < 1e-6 => None,
                _ => Some(format!("{at}: {iso:?} read, {epoch} sent")),
            }
        }
        _ if ours == sent => None,
        _ => Some(format!("{at}: {ours} read, {sent} sent")),
    }
}

/// One operation: request snapshot `<module>__request`, response snapshot `<module>__response`.
fn check<O: Operation>(
    module: &str,
    input_from_json: fn(&Value) -> Result<O::Input, DeserializeError>,
    output_to_json: fn(&O::Output) -> Vec<u8>,
    input: Value,
    response_body: Value,
) where
    O::Output: Debug,
    O::Error: Debug,
{
    let name = O::NAME;

    // Request.
    let typed = input_from_json(&input)
        .unwrap_or_else(|e| panic!("{name}: input_from_json refused {input}: {e}"));
    let request = O::serialize_request(&typed)
        .unwrap_or_else(|e| panic!("{name}: the representative input is invalid: {e}"));
    snapshot(
        &format!("{module}__request"),
        name,
        &render_request(&request),
    );
    assert_eq!(request.method, "POST", "{name}");
    assert!(
        request.path.eq_ignore_ascii_case(&format!("/{name}")),
        "{name}: path {}",
        request.path
    );
    assert_eq!(request.query, "", "{name}");
    assert_eq!(
        request.headers.iter().collect::<Vec<_>>(),
        [("content-type", "application/json")],
        "{name}"
    );
    let body: Value = serde_json::from_slice(&request.body).expect("request body is JSON");
    assert_eq!(body, input, "{name}: the body is not the input document");

    // Response.
    let text = response_body.to_string();
    let headers: Headers = [
        (
            "x-amzn-RequestId",
            "0c5a3c1e-7d2b-4e8f-9a61-3b2d4c5e6f70".to_string(),
        ),
        ("Content-Type", "application/json".to_string()),
        ("Content-Length", text.len().to_string()),
        ("Date", "Tue, 04 Jun 2024 09:15:27 GMT".to_string()),
    ]
    .into_iter()
    .collect();
    let response = HttpResponse::new(200, headers, text.as_bytes());
    let output = O::parse_response(&response)
        .unwrap_or_else(|e| panic!("{name}: the representative response failed: {e:#?}"));
    snapshot(
        &format!("{module}__response"),
        &format!("HTTP 200 {text}"),
        &format!("{output:#?}"),
    );
    let written: Value =
        serde_json::from_slice(&output_to_json(&output)).expect("output_to_json writes JSON");
    if let Some(diff) = difference(name, &written, &response_body) {
        panic!("{name}: the response was not read whole: {diff}");
    }
}

macro_rules! operations {
    ($($module:ident => $op:ident { input: $input:tt, response: $response:tt $(,)? })*) => {
        $(
            #[test]
            fn $module() {
                check::<ops::$module::$op>(
                    stringify!($module),
                    ops::$module::input_from_json,
                    ops::$module::output_to_json,
                    json!($input),
                    json!($response),
                );
            }
        )*

        /// The operation modules this file covers.
        const COVERED: &[&str] = &[$(stringify!($module)),*];
    };
}

// Shared values: ARNs and names that satisfy the model's patterns.
const STREAM_ARN: &str =
    "arn:aws:kinesisvideo:us-west-2:123456789012:stream/demo-stream/1717490000000";
const CHANNEL_ARN: &str =
    "arn:aws:kinesisvideo:us-west-2:123456789012:channel/demo-channel/1717490000001";
const HUB_ARN: &str = "arn:aws:iot:us-west-2:123456789012:thing/demo-hub";
const SECRET_ARN: &str = "arn:aws:secretsmanager:us-west-2:123456789012:secret:camera-rtsp-url";
const KMS_KEY: &str = "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const VERSION: &str = "z7Yw8XWeu4ZRVPfX3Vnz";

operations! {
    create_signaling_channel => CreateSignalingChannel {
        input: {
            "ChannelName": "demo-channel",
            "ChannelType": "SINGLE_MASTER",
            "SingleMasterConfiguration": {"MessageTtlSeconds": 60},
            "Tags": [{"Key": "env", "Value": "test"}, {"Key": "team", "Value": "video"}]
        },
        response: {"ChannelARN": CHANNEL_ARN},
    }
    create_stream => CreateStream {
        input: {
            "DeviceName": "camera-1",
            "StreamName": "demo-stream",
            "MediaType": "video/h264",
            "KmsKeyId": KMS_KEY,
            "DataRetentionInHours": 24,
            "Tags": {"env": "test", "team": "video"}
        },
        response: {"StreamARN": STREAM_ARN},
    }
    delete_edge_configuration => DeleteEdgeConfiguration {
        input: {"StreamName": "demo-stream"},
        response: {},
    }
    delete_signaling_channel => DeleteSignalingChannel {
        input: {"ChannelARN": CHANNEL_ARN, "CurrentVersion": VERSION},
        response: {},
    }
    delete_stream => DeleteStream {
        input: {"StreamARN": STREAM_ARN, "CurrentVersion": VERSION},
        response: {},
    }
    describe_edge_configuration => DescribeEdgeConfiguration {
        input: {"StreamARN": STREAM_ARN},
        response: {
            "StreamName": "demo-stream",
            "StreamARN": STREAM_ARN,
            "CreationTime": 1717490000.123,
            "LastUpdatedTime": 1717493600,
            "SyncStatus": "IN_SYNC",
            "EdgeConfig": {
                "HubDeviceArn": HUB_ARN,
                "RecorderConfig": {
                    "MediaSourceConfig": {"MediaUriSecretArn": SECRET_ARN, "MediaUriType": "RTSP_URI"},
                    "ScheduleConfig": {"ScheduleExpression": "0 0/5 * * * ?", "DurationInSeconds": 300}
                },
                "UploaderConfig": {
                    "ScheduleConfig": {"ScheduleExpression": "0 0/10 * * * ?", "DurationInSeconds": 600}
                },
                "DeletionConfig": {
                    "EdgeRetentionInHours": 72,
                    "LocalSizeConfig": {"MaxLocalMediaSizeInMB": 2048, "StrategyOnFullSize": "DELETE_OLDEST_MEDIA"},
                    "DeleteAfterUpload": true
                }
            },
            "EdgeAgentStatus": {
                "LastRecorderStatus": {
                    "JobStatusDetails": "recording",
                    "LastCollectedTime": 1717493000.5,
                    "LastUpdatedTime": 1717493001,
                    "RecorderStatus": "SUCCESS"
                },
                "LastUploaderStatus": {
                    "JobStatusDetails": "upload failed: access denied",
                    "LastCollectedTime": 1717493100,
                    "LastUpdatedTime": 1717493101.25,
                    "UploaderStatus": "USER_ERROR"
                }
            }
        },
    }
    describe_image_generation_configuration => DescribeImageGenerationConfiguration {
        input: {"StreamName": "demo-stream"},
        response: {
            "ImageGenerationConfiguration": {
                "Status": "ENABLED",
                "ImageSelectorType": "SERVER_TIMESTAMP",
                "DestinationConfig": {"Uri": "s3://demo-bucket/images", "DestinationRegion": "us-west-2"},
                "SamplingInterval": 3000,
                "Format": "JPEG",
                "FormatConfig": {"JPEGQuality": "80"},
                "WidthPixels": 1280,
                "HeightPixels": 720
            }
        },
    }
    describe_mapped_resource_configuration => DescribeMappedResourceConfiguration {
        input: {"StreamName": "demo-stream", "MaxResults": 1, "NextToken": "AAEAAQ=="},
        response: {
            "MappedResourceConfigurationList": [{"Type": "MEDIA_STORAGE", "ARN": CHANNEL_ARN}],
            "NextToken": "AAEAAg=="
        },
    }
    describe_media_storage_configuration => DescribeMediaStorageConfiguration {
        input: {"ChannelName": "demo-channel"},
        response: {"MediaStorageConfiguration": {"StreamARN": STREAM_ARN, "Status": "ENABLED"}},
    }
    describe_notification_configuration => DescribeNotificationConfiguration {
        input: {"StreamName": "demo-stream"},
        response: {
            "NotificationConfiguration": {
                "Status": "ENABLED",
                "DestinationConfig": {"Uri": "arn:aws:sns:us-west-2:123456789012:demo-topic"}
            }
        },
    }
    describe_signaling_channel => DescribeSignalingChannel {
        input: {"ChannelARN": CHANNEL_ARN},
        response: {
            "ChannelInfo": {
                "ChannelName": "demo-channel",
                "ChannelARN": CHANNEL_ARN,
                "ChannelType": "SINGLE_MASTER",
                "ChannelStatus": "ACTIVE",
                "CreationTime": 1717490000.001,
                "SingleMasterConfiguration": {"MessageTtlSeconds": 60},
                "Version": VERSION
            }
        },
    }
    describe_stream => DescribeStream {
        input: {"StreamName": "demo-stream"},
        response: {
            "StreamInfo": {
                "DeviceName": "camera-1",
                "StreamName": "demo-stream",
                "StreamARN": STREAM_ARN,
                "MediaType": "video/h264",
                "KmsKeyId": KMS_KEY,
                "Version": VERSION,
                "Status": "ACTIVE",
                "CreationTime": 1717490000,
                "DataRetentionInHours": 24
            }
        },
    }
    get_data_endpoint => GetDataEndpoint {
        input: {"StreamName": "demo-stream", "APIName": "GET_MEDIA"},
        response: {"DataEndpoint": "https://s-1a2b3c4d.kinesisvideo.us-west-2.amazonaws.com"},
    }
    get_signaling_channel_endpoint => GetSignalingChannelEndpoint {
        input: {
            "ChannelARN": CHANNEL_ARN,
            "SingleMasterChannelEndpointConfiguration": {"Protocols": ["WSS", "HTTPS"], "Role": "MASTER"}
        },
        response: {
            "ResourceEndpointList": [
                {"Protocol": "WSS", "ResourceEndpoint": "wss://m-1a2b3c4d.kinesisvideo.us-west-2.amazonaws.com"},
                {"Protocol": "HTTPS", "ResourceEndpoint": "https://r-1a2b3c4d.kinesisvideo.us-west-2.amazonaws.com"}
            ]
        },
    }
    list_edge_agent_configurations => ListEdgeAgentConfigurations {
        input: {"HubDeviceArn": HUB_ARN, "MaxResults": 5},
        response: {
            "EdgeConfigs": [{
                "StreamName": "demo-stream",
                "StreamARN": STREAM_ARN,
                "CreationTime": 1717490000,
                "LastUpdatedTime": 1717490060.5,
                "SyncStatus": "SYNC_FAILED",
                "FailedStatusDetails": "The hub device is offline.",
                "EdgeConfig": {
                    "HubDeviceArn": HUB_ARN,
                    "RecorderConfig": {
                        "MediaSourceConfig": {"MediaUriSecretArn": SECRET_ARN, "MediaUriType": "FILE_URI"}
                    }
                }
            }],
            "NextToken": "AAEAAw=="
        },
    }
    list_signaling_channels => ListSignalingChannels {
        input: {
            "MaxResults": 10,
            "ChannelNameCondition": {"ComparisonOperator": "BEGINS_WITH", "ComparisonValue": "demo"}
        },
        response: {
            "ChannelInfoList": [
                {
                    "ChannelName": "demo-channel",
                    "ChannelARN": CHANNEL_ARN,
                    "ChannelType": "SINGLE_MASTER",
                    "ChannelStatus": "ACTIVE",
                    "CreationTime": 1717490000,
                    "SingleMasterConfiguration": {"MessageTtlSeconds": 60},
                    "Version": VERSION
                },
                {
                    "ChannelName": "demo-mesh",
                    "ChannelType": "FULL_MESH",
                    "ChannelStatus": "CREATING"
                }
            ],
            "NextToken": "AAEABA=="
        },
    }
    list_streams => ListStreams {
        input: {
            "MaxResults": 100,
            "NextToken": "AAEABQ==",
            "StreamNameCondition": {"ComparisonOperator": "BEGINS_WITH", "ComparisonValue": "demo"}
        },
        response: {
            "StreamInfoList": [{
                "StreamName": "demo-stream",
                "StreamARN": STREAM_ARN,
                "MediaType": "video/h264",
                "Version": VERSION,
                "Status": "UPDATING",
                "CreationTime": 1717490000,
                "DataRetentionInHours": 0
            }]
        },
    }
    list_tags_for_resource => ListTagsForResource {
        input: {"ResourceARN": CHANNEL_ARN},
        response: {"Tags": {"env": "test", "team": "video"}},
    }
    list_tags_for_stream => ListTagsForStream {
        input: {"StreamName": "demo-stream", "NextToken": "AAEABg=="},
        response: {"Tags": {"env": "test"}, "NextToken": "AAEABw=="},
    }
    start_edge_configuration_update => StartEdgeConfigurationUpdate {
        input: {
            "StreamName": "demo-stream",
            "EdgeConfig": {
                "HubDeviceArn": HUB_ARN,
                "RecorderConfig": {
                    "MediaSourceConfig": {"MediaUriSecretArn": SECRET_ARN, "MediaUriType": "RTSP_URI"},
                    "ScheduleConfig": {"ScheduleExpression": "0 0/5 * * * ?", "DurationInSeconds": 300}
                },
                "UploaderConfig": {
                    "ScheduleConfig": {"ScheduleExpression": "0 0/10 * * * ?", "DurationInSeconds": 600}
                },
                "DeletionConfig": {
                    "EdgeRetentionInHours": 72,
                    "LocalSizeConfig": {"MaxLocalMediaSizeInMB": 2048, "StrategyOnFullSize": "DENY_NEW_MEDIA"},
                    "DeleteAfterUpload": false
                }
            }
        },
        response: {
            "StreamName": "demo-stream",
            "StreamARN": STREAM_ARN,
            "CreationTime": 1717490000,
            "LastUpdatedTime": 1717490000,
            "SyncStatus": "SYNCING",
            "EdgeConfig": {
                "HubDeviceArn": HUB_ARN,
                "RecorderConfig": {
                    "MediaSourceConfig": {"MediaUriSecretArn": SECRET_ARN, "MediaUriType": "RTSP_URI"}
                }
            }
        },
    }
    tag_resource => TagResource {
        input: {
            "ResourceARN": CHANNEL_ARN,
            "Tags": [{"Key": "env", "Value": "test"}, {"Key": "owner", "Value": ""}]
        },
        response: {},
    }
    tag_stream => TagStream {
        input: {"StreamName": "demo-stream", "Tags": {"env": "test"}},
        response: {},
    }
    untag_resource => UntagResource {
        input: {"ResourceARN": CHANNEL_ARN, "TagKeyList": ["env", "owner"]},
        response: {},
    }
    untag_stream => UntagStream {
        input: {"StreamARN": STREAM_ARN, "TagKeyList": ["env"]},
        response: {},
    }
    update_data_retention => UpdateDataRetention {
        input: {
            "StreamName": "demo-stream",
            "CurrentVersion": VERSION,
            "Operation": "INCREASE_DATA_RETENTION",
            "DataRetentionChangeInHours": 48
        },
        response: {},
    }
    update_image_generation_configuration => UpdateImageGenerationConfiguration {
        input: {
            "StreamName": "demo-stream",
            "ImageGenerationConfiguration": {
                "Status": "ENABLED",
                "ImageSelectorType": "PRODUCER_TIMESTAMP",
                "DestinationConfig": {"Uri": "s3://demo-bucket/images", "DestinationRegion": "us-west-2"},
                "SamplingInterval": 200,
                "Format": "JPEG",
                "FormatConfig": {"JPEGQuality": "90"},
                "WidthPixels": 3840,
                "HeightPixels": 2160
            }
        },
        response: {},
    }
    update_media_storage_configuration => UpdateMediaStorageConfiguration {
        input: {
            "ChannelARN": CHANNEL_ARN,
            "MediaStorageConfiguration": {"StreamARN": STREAM_ARN, "Status": "ENABLED"}
        },
        response: {},
    }
    update_notification_configuration => UpdateNotificationConfiguration {
        input: {
            "StreamARN": STREAM_ARN,
            "NotificationConfiguration": {
                "Status": "DISABLED",
                "DestinationConfig": {"Uri": "arn:aws:sns:us-west-2:123456789012:demo-topic"}
            }
        },
        response: {},
    }
    update_signaling_channel => UpdateSignalingChannel {
        input: {
            "ChannelARN": CHANNEL_ARN,
            "CurrentVersion": VERSION,
            "SingleMasterConfiguration": {"MessageTtlSeconds": 120}
        },
        response: {},
    }
    update_stream => UpdateStream {
        input: {
            "StreamName": "demo-stream",
            "CurrentVersion": VERSION,
            "DeviceName": "camera-2",
            "MediaType": "video/h265"
        },
        response: {},
    }
}

/// Every module of `kinesis_video::operation` has a case above, and nothing else does.
#[test]
fn every_operation_is_covered() {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/kinesis-video/src/operation");
    let mut modules: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("rs"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    modules.sort();
    let mut covered: Vec<String> = COVERED.iter().map(|m| m.to_string()).collect();
    covered.sort();
    assert_eq!(covered, modules);
    assert_eq!(modules.len(), 30);
}
