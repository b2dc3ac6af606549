//! Event streams of the generated `golden-event-streams` crate (`tests/golden/event-streams`):
//!
//! - sans-I/O, against the messages of Smithy's restJson1 event stream protocol tests: each
//!   event encodes to the test's bytes, the test's bytes decode to the event, exceptions and
//!   error messages become typed errors, malformed messages are errors;
//! - through the client against a loopback HTTP server: events reach the caller while the
//!   body is still arriving (frames cut in odd chunk sizes), an exception ends the stream with
//!   its typed error, a cut stream and a bad checksum are errors, and an input stream is sent
//!   as messages signed one by one, chained to the request's signature, also while events
//!   come back on the same call.

use std::sync::{Arc, Mutex};
use std::time::{Duration, UNIX_EPOCH};

use es::operation::{duplex_stream, input_stream, output_stream};
use es::runtime::client::{Config, ServiceMeta};
use es::runtime::error::SdkError;
use es::runtime::event_stream::{
    EventSender, FrameError, HeaderValue, Message, MessageDecoder, MessageSigner, ReceiveError,
};
use es::runtime::http::{Headers, HttpResponse};
use es::runtime::sigv4::Credentials;
use es::types::{
    BlobPayloadEvent, EndEvent, EventStream, EventStreamError, HeadersAndExplicitPayloadEvent,
    HeadersAndImplicitPayloadEvent, HeadersEvent, Mode, PayloadStructure, PayloadUnion,
    StringPayloadEvent, StructurePayloadEvent, UnionPayloadEvent,
};
use golden_event_streams as es;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot};

/// `(id, bytes)` of the protocol tests' messages (`event-stream.smithy` of Smithy's
/// `smithy-aws-protocol-tests`, restJson1); their `...Input` and `...Output` cases carry the
/// same bytes.
const VECTORS: &[(&str, &str)] = &[
    ("BooleanHeader", "AAAASwAAADv7Cl8VDTptZXNzYWdlLXR5cGUHAAVldmVudAs6ZXZlbnQtdHlwZQcAB2hlYWRlcnMNYm9vbGVhbkhlYWRlcgC4J9Ws"),
    ("ByteHeader", "AAAASQAAADlvxG1ZDTptZXNzYWdlLXR5cGUHAAVldmVudAs6ZXZlbnQtdHlwZQcAB2hlYWRlcnMKYnl0ZUhlYWRlcgIBKFTmjg=="),
    ("ShortHeader", "AAAASwAAADv7Cl8VDTptZXNzYWdlLXR5cGUHAAVldmVudAs6ZXZlbnQtdHlwZQcAB2hlYWRlcnMLc2hvcnRIZWFkZXIDAAL1ETsK"),
    ("IntegerHeader", "AAAASwAAADv7Cl8VDTptZXNzYWdlLXR5cGUHAAVldmVudAs6ZXZlbnQtdHlwZQcAB2hlYWRlcnMJaW50SGVhZGVyBAAAAAPlyUrb"),
    ("LongHeader", "AAAAUAAAAEAr7VEyDTptZXNzYWdlLXR5cGUHAAVldmVudAs6ZXZlbnQtdHlwZQcAB2hlYWRlcnMKbG9uZ0hlYWRlcgUAAAAA/////udnd/I="),
    ("BlobHeader", "AAAATQAAAD2dKQ+ADTptZXNzYWdlLXR5cGUHAAVldmVudAs6ZXZlbnQtdHlwZQcAB2hlYWRlcnMKYmxvYkhlYWRlcgYAA2Zvb5sbbGM="),
    ("StringHeader", "AAAATwAAAD8J5z3MDTptZXNzYWdlLXR5cGUHAAVldmVudAs6ZXZlbnQtdHlwZQcAB2hlYWRlcnMMc3RyaW5nSGVhZGVyBwADZm9vxT+2MA=="),
    ("TimestampHeader", "AAAAVQAAAEWTZyrNDTptZXNzYWdlLXR5cGUHAAVldmVudAs6ZXZlbnQtdHlwZQcAB2hlYWRlcnMPdGltZXN0YW1wSGVhZGVyCAAAAZLi7jFQ6uV3Eg=="),
    ("MultipleHeader", "AAAAbwAAAF+FlHOQDTptZXNzYWdlLXR5cGUHAAVldmVudAs6ZXZlbnQtdHlwZQcAB2hlYWRlcnMNYm9vbGVhbkhlYWRlcgAMc3RyaW5nSGVhZGVyBwADZm9vCmJsb2JIZWFkZXIGAANiYXIDXbo7"),
    ("StringPayload", "AAAAYAAAAE30fZUJDTptZXNzYWdlLXR5cGUHAAVldmVudAs6ZXZlbnQtdHlwZQcADXN0cmluZ1BheWxvYWQNOmNvbnRlbnQtdHlwZQcACnRleHQvcGxhaW5mb29G1ELr"),
    ("BlobPayload", "AAAAbAAAAFkrV6x1DTptZXNzYWdlLXR5cGUHAAVldmVudAs6ZXZlbnQtdHlwZQcAC2Jsb2JQYXlsb2FkDTpjb250ZW50LXR5cGUHABhhcHBsaWNhdGlvbi9vY3RldC1zdHJlYW1iYXJv5nGJ"),
    ("StructurePayload", "AAAAfwAAAFacqFy2DTptZXNzYWdlLXR5cGUHAAVldmVudAs6ZXZlbnQtdHlwZQcAEHN0cnVjdHVyZVBheWxvYWQNOmNvbnRlbnQtdHlwZQcAEGFwcGxpY2F0aW9uL2pzb257InN0cnVjdHVyZU1lbWJlciI6ImZvbyJ9rcIRVA=="),
    ("UnionPayload", "AAAAdwAAAFKrtdNuDTptZXNzYWdlLXR5cGUHAAVldmVudAs6ZXZlbnQtdHlwZQcADHVuaW9uUGF5bG9hZA06Y29udGVudC10eXBlBwAQYXBwbGljYXRpb24vanNvbnsidW5pb25NZW1iZXIiOiJiYXIifcZDMD4="),
    ("HeadersAndExplicitPayload", "AAAAlQAAAGw4wFp6DTptZXNzYWdlLXR5cGUHAAVldmVudAs6ZXZlbnQtdHlwZQcAGWhlYWRlcnNBbmRFeHBsaWNpdFBheWxvYWQNOmNvbnRlbnQtdHlwZQcAEGFwcGxpY2F0aW9uL2pzb24GaGVhZGVyBwADZm9veyJzdHJ1Y3R1cmVNZW1iZXIiOiJiYXIifTafKXs="),
    ("HeadersAndImplicitPayload", "AAAAjQAAAGxoUIY5DTptZXNzYWdlLXR5cGUHAAVldmVudAs6ZXZlbnQtdHlwZQcAGWhlYWRlcnNBbmRJbXBsaWNpdFBheWxvYWQNOmNvbnRlbnQtdHlwZQcAEGFwcGxpY2F0aW9uL2pzb24GaGVhZGVyBwADZm9veyJwYXlsb2FkIjoiYmFyIn15lZtT"),
];

const CLIENT_ERROR: &str = "AAAAdAAAAFObEpkoDTptZXNzYWdlLXR5cGUHAAlleGNlcHRpb24POmV4Y2VwdGlvbi10eXBlBwAFZXJyb3INOmNvbnRlbnQtdHlwZQcAEGFwcGxpY2F0aW9uL2pzb257Im1lc3NhZ2UiOiJmb28ifTua1S8=";
const UNEXPECTED_ERROR: &str = "AAAAbwAAAF+FlHOQDTptZXNzYWdlLXR5cGUHAAVlcnJvcgs6ZXJyb3ItY29kZQcADmludGVybmFsLWVycm9yDjplcnJvci1tZXNzYWdlBwAaQW4gdW5rbm93biBlcnJvciBvY2N1cnJlZC4kun0t";
/// Missing `:message-type`, `:message-type` as a byte array, missing `:event-type`,
/// `:event-type` as a byte array: a client must fail on each.
const MALFORMED: &[(&str, &str)] = &[
    ("MissingMessageType", "AAAAfwAAAFacqFy2CzpldmVudC10eXBlBwAZaGVhZGVyc0FuZEV4cGxpY2l0UGF5bG9hZA06Y29udGVudC10eXBlBwAQYXBwbGljYXRpb24vanNvbgZoZWFkZXIHAANmb297InN0cnVjdHVyZU1lbWJlciI6ImJhciJ98LexJg=="),
    ("MalformedMessageType", "AAAAlQAAAGw4wFp6DTptZXNzYWdlLXR5cGUGAAVldmVudAs6ZXZlbnQtdHlwZQcAGWhlYWRlcnNBbmRFeHBsaWNpdFBheWxvYWQNOmNvbnRlbnQtdHlwZQcAEGFwcGxpY2F0aW9uL2pzb24GaGVhZGVyBwADZm9veyJzdHJ1Y3R1cmVNZW1iZXIiOiJiYXIifVwdfzU="),
    ("MissingEventType", "AAAAbQAAAER1MekcDTptZXNzYWdlLXR5cGUHAAVldmVudA06Y29udGVudC10eXBlBwAQYXBwbGljYXRpb24vanNvbgZoZWFkZXIHAANmb297InN0cnVjdHVyZU1lbWJlciI6ImJhciJ9riy0Gg=="),
    ("MalformedEventType", "AAAAlQAAAGw4wFp6DTptZXNzYWdlLXR5cGUHAAVldmVudAs6ZXZlbnQtdHlwZQYAGWhlYWRlcnNBbmRFeHBsaWNpdFBheWxvYWQNOmNvbnRlbnQtdHlwZQcAEGFwcGxpY2F0aW9uL2pzb24GaGVhZGVyBwADZm9veyJzdHJ1Y3R1cmVNZW1iZXIiOiJiYXIifcP6KLk="),
];

fn decode_base64(text: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .expect("base64 of the protocol tests")
}

/// The event each vector holds, per the protocol tests' `params`.
fn expected_event(id: &str) -> EventStream {
    let headers = |h: HeadersEvent| EventStream::Headers(h);
    match id {
        "BooleanHeader" => headers(HeadersEvent::builder().boolean_header(true).build()),
        "ByteHeader" => headers(HeadersEvent::builder().byte_header(1i8).build()),
        "ShortHeader" => headers(HeadersEvent::builder().short_header(2i16).build()),
        "IntegerHeader" => headers(HeadersEvent::builder().int_header(3).build()),
        "LongHeader" => headers(
            HeadersEvent::builder()
                .long_header(4_294_967_294i64)
                .build(),
        ),
        "BlobHeader" => headers(HeadersEvent::builder().blob_header(b"foo".to_vec()).build()),
        "StringHeader" => headers(HeadersEvent::builder().string_header("foo").build()),
        "TimestampHeader" => headers(
            HeadersEvent::builder()
                .timestamp_header(es::primitives::DateTime::from_secs(1_730_384_114))
                .build(),
        ),
        "MultipleHeader" => headers(
            HeadersEvent::builder()
                .boolean_header(true)
                .string_header("foo")
                .blob_header(b"bar".to_vec())
                .build(),
        ),
        "StringPayload" => {
            EventStream::StringPayload(StringPayloadEvent::builder().payload("foo").build())
        }
        "BlobPayload" => {
            EventStream::BlobPayload(BlobPayloadEvent::builder().payload(b"bar".to_vec()).build())
        }
        "StructurePayload" => EventStream::StructurePayload(
            StructurePayloadEvent::builder()
                .payload(PayloadStructure::builder().structure_member("foo").build())
                .build(),
        ),
        "UnionPayload" => EventStream::UnionPayload(
            UnionPayloadEvent::builder()
                .payload(PayloadUnion::UnionMember("bar".into()))
                .build(),
        ),
        "HeadersAndExplicitPayload" => EventStream::HeadersAndExplicitPayload(
            HeadersAndExplicitPayloadEvent::builder()
                .header("foo")
                .payload(PayloadStructure::builder().structure_member("bar").build())
                .build(),
        ),
        "HeadersAndImplicitPayload" => EventStream::HeadersAndImplicitPayload(
            HeadersAndImplicitPayloadEvent::builder()
                .header("foo")
                .payload("bar")
                .build(),
        ),
        other => panic!("no expectation for {other}"),
    }
}

/// Headers sorted by name, and the payload: header order carries no meaning.
fn canonical(m: &Message) -> (Vec<(String, HeaderValue)>, Vec<u8>) {
    let mut h: Vec<(String, HeaderValue)> = m
        .headers()
        .iter()
        .map(|h| (h.name().to_string(), h.value().clone()))
        .collect();
    h.sort_by(|a, b| a.0.cmp(&b.0));
    (h, m.payload().to_vec())
}

#[test]
fn events_encode_to_the_protocol_test_messages() {
    for (id, b64) in VECTORS {
        let bytes = decode_base64(b64);
        let ours = expected_event(id).to_message().unwrap();
        if *id == "MultipleHeader" {
            // The test lists its headers in another order than the model's members.
            assert_eq!(
                canonical(&ours),
                canonical(&Message::decode(&bytes).unwrap()),
                "{id}"
            );
        } else {
            assert_eq!(ours.encode().unwrap(), bytes, "{id}");
        }
    }
}

fn ok_response(body: Vec<u8>) -> HttpResponse {
    let headers: Headers = [
        ("content-type", "application/vnd.amazon.eventstream"),
        ("x-topic", "news"),
        ("x-amzn-requestid", "rid-7"),
    ]
    .into_iter()
    .collect();
    HttpResponse::new(200, headers, body)
}

#[test]
fn protocol_test_messages_decode_to_their_events() {
    let body: Vec<u8> = VECTORS.iter().flat_map(|(_, b)| decode_base64(b)).collect();
    let mut out = output_stream::parse_response(&ok_response(body)).unwrap();
    assert_eq!(out.request_topic.as_deref(), Some("news"));
    for (id, _) in VECTORS {
        let event = out.stream.next_buffered().unwrap().unwrap();
        assert_eq!(event, expected_event(id), "{id}");
    }
    assert!(out.stream.next_buffered().is_none());
}

fn first_error(body: Vec<u8>) -> ReceiveError<EventStreamError> {
    let mut out = output_stream::parse_response(&ok_response(body)).unwrap();
    let err = out.stream.next_buffered().unwrap().unwrap_err();
    assert!(out.stream.next_buffered().is_none(), "the stream ends");
    err
}

#[test]
fn exceptions_and_error_messages_are_typed_errors_that_end_the_stream() {
    match first_error(decode_base64(CLIENT_ERROR)) {
        ReceiveError::Service(EventStreamError::Error(e)) => {
            assert_eq!(e.message.as_deref(), Some("foo"));
            assert_eq!(e.meta().code(), Some("ErrorEvent"));
            assert_eq!(e.meta().request_id(), Some("rid-7"));
            assert_eq!(e.meta().status(), 200);
        }
        other => panic!("{other:?}"),
    }
    match first_error(decode_base64(UNEXPECTED_ERROR)) {
        ReceiveError::Service(EventStreamError::Unhandled(e)) => {
            assert_eq!(e.meta().code(), Some("internal-error"));
            assert_eq!(e.meta().message(), Some("An unknown error occurred."));
        }
        other => panic!("{other:?}"),
    }
    // An exception the model does not know is still an error, by its type.
    let unknown = Message::new(br#"{"Message":"slow down"}"#.to_vec())
        .with_header(":message-type", HeaderValue::String("exception".into()))
        .with_header(
            ":exception-type",
            HeaderValue::String("newException".into()),
        );
    match first_error(unknown.encode().unwrap()) {
        ReceiveError::Service(e @ EventStreamError::Unhandled(_)) => {
            assert_eq!(e.code(), Some("newException"));
            assert_eq!(e.message(), Some("slow down"));
        }
        other => panic!("{other:?}"),
    }
    for (id, b64) in MALFORMED {
        match first_error(decode_base64(b64)) {
            ReceiveError::Frame(FrameError::Malformed(m)) => assert!(!m.is_empty(), "{id}"),
            other => panic!("{id}: {other:?}"),
        }
    }
}

#[test]
fn unknown_events_are_kept_and_bad_payloads_are_errors_that_do_not_end_the_stream() {
    let event = |ty: &str, payload: &[u8]| {
        Message::new(payload.to_vec())
            .with_header(":message-type", HeaderValue::String("event".into()))
            .with_header(":event-type", HeaderValue::String(ty.into()))
            .encode()
            .unwrap()
    };
    let body = [
        event("brandNewEvent", b"{}"),
        event("structurePayload", b"{not json"),
        event("end", b""),
        Message::new(Vec::new())
            .with_header(":message-type", HeaderValue::String("event".into()))
            .with_header(":event-type", HeaderValue::String("headers".into()))
            .with_header("intHeader", HeaderValue::String("3".into()))
            .encode()
            .unwrap(),
        event("headers", b""),
    ]
    .concat();
    let mut out = output_stream::parse_response(&ok_response(body)).unwrap();
    let mut next = || out.stream.next_buffered();
    assert_eq!(
        next().unwrap().unwrap(),
        EventStream::Unknown("brandNewEvent".into())
    );
    match next().unwrap().unwrap_err() {
        ReceiveError::Event(e) => assert!(e.path().starts_with("structurePayload"), "{e}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        next().unwrap().unwrap(),
        EventStream::End(EndEvent::builder().build())
    );
    match next().unwrap().unwrap_err() {
        ReceiveError::Event(e) => {
            assert_eq!(e.path(), "headers.intHeader");
            assert!(e.to_string().contains("string"), "{e}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        next().unwrap().unwrap(),
        EventStream::Headers(HeadersEvent::builder().build())
    );
    assert!(next().is_none());
}

#[test]
fn enum_headers_empty_events_and_sending_rules() {
    let event = EventStream::Headers(HeadersEvent::builder().mode_header(Mode::Slow).build());
    let m = event.to_message().unwrap();
    assert_eq!(
        m.header("modeHeader"),
        Some(&HeaderValue::String("slow".into()))
    );
    let body = m.encode().unwrap();
    let mut out = output_stream::parse_response(&ok_response(body)).unwrap();
    assert_eq!(out.stream.next_buffered().unwrap().unwrap(), event);

    // An event without members is a message without payload or content type.
    let end = EventStream::End(EndEvent::builder().build())
        .to_message()
        .unwrap();
    assert!(end.payload().is_empty());
    assert!(end.header(":content-type").is_none());

    // Events are checked against the model before they are sent.
    let too_long = EventStream::StructurePayload(
        StructurePayloadEvent::builder()
            .payload(
                PayloadStructure::builder()
                    .structure_member("far too long")
                    .build(),
            )
            .build(),
    );
    let err = too_long.to_message().unwrap_err().to_string();
    assert!(
        err.contains("structurePayload") && err.contains("length"),
        "{err}"
    );
    let err = EventStream::Unknown("x".into()).to_message().unwrap_err();
    assert!(err.to_string().contains('x'), "{err}");
}

#[test]
fn input_stream_requests_and_error_responses() {
    let input = input_stream::InputStreamInput::builder()
        .session("s-1")
        .stream(vec![EventStream::End(EndEvent::builder().build())])
        .build();
    let request = input_stream::serialize_request(&input).unwrap();
    assert_eq!(request.path, "/InputStream");
    assert_eq!(
        request.headers.get("content-type"),
        Some("application/vnd.amazon.eventstream")
    );
    assert_eq!(
        request.headers.get("x-amz-content-sha256"),
        Some("STREAMING-AWS4-HMAC-SHA256-EVENTS")
    );
    assert_eq!(request.headers.get("x-session"), Some("s-1"));
    assert!(request.body.is_empty());
    // The events are still there: serializing the head does not send them.
    assert_eq!(input.stream.events().map(|e| e.len()), Some(1));

    // Errors before the stream starts are the operation's errors (the protocol tests'
    // ModeledProtocolError and UnmodeledProtocolError).
    let headers: Headers = [
        ("content-type", "application/json"),
        ("x-amzn-errortype", "ServiceUnavailableError"),
    ]
    .into_iter()
    .collect();
    let modeled = HttpResponse::new(500, headers, br#"{"message": "foo"}"#.to_vec());
    match output_stream::parse_response(&modeled) {
        Err(SdkError::Service(output_stream::OutputStreamError::ServiceUnavailableError(e))) => {
            assert_eq!(e.message(), Some("foo"))
        }
        other => panic!("{other:?}"),
    }
    let headers: Headers = [("content-type", "text/plain")].into_iter().collect();
    let unmodeled = HttpResponse::new(500, headers, b"service unavailable".to_vec());
    assert!(matches!(
        output_stream::parse_response(&unmodeled),
        Err(SdkError::Service(
            output_stream::OutputStreamError::Unhandled(_)
        ))
    ));
}

// ---------------------------------------------------------------------------------------------
// Through the client, against a loopback server.

const SIGNING_TIME: u64 = 1_730_384_114;

fn config(url: &str) -> Config {
    config_builder(url).build(&META).unwrap()
}

static META: ServiceMeta = ServiceMeta {
    sdk_id: "Golden Event Streams",
    signing_name: "events",
    env_endpoint_id: "GOLDEN_EVENT_STREAMS",
    rule_set: es::endpoint_data::RULE_SET,
    partitions: r#"{"partitions": []}"#,
    crate_name: "golden-event-streams",
    crate_version: "0.1.0",
};

fn config_builder(url: &str) -> es::runtime::client::ConfigBuilder {
    Config::builder()
        .region("us-west-2")
        .credentials(Credentials::new("AKID", "SECRET", None))
        .endpoint_url(url)
        .max_attempts(1)
        .read_timeout(Duration::from_secs(10))
        .signing_time(UNIX_EPOCH + Duration::from_secs(SIGNING_TIME))
}

/// Reads a request head (through the blank line); returns it and what was read after it.
async fn read_head(socket: &mut TcpStream) -> (String, Vec<u8>) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = socket.read(&mut chunk).await.expect("read request");
        assert!(n > 0, "connection closed before the request head");
        buf.extend_from_slice(&chunk[..n]);
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..pos]).into_owned();
            return (head, buf[pos + 4..].to_vec());
        }
    }
}

/// A reader of a chunked request body that decodes the event stream messages in it.
struct ChunkedMessages {
    raw: Vec<u8>,
    decoder: MessageDecoder,
    ended: bool,
}

impl ChunkedMessages {
    fn new(already: Vec<u8>) -> Self {
        ChunkedMessages {
            raw: already,
            decoder: MessageDecoder::new(),
            ended: false,
        }
    }

    /// The next message of the body; `None` once the last chunk has come.
    async fn next(&mut self, socket: &mut TcpStream) -> Option<Message> {
        loop {
            if let Some(m) = self.decoder.next_message().expect("valid frames") {
                return Some(m);
            }
            if self.ended {
                self.decoder
                    .finish()
                    .expect("the body ends between messages");
                return None;
            }
            // Move whole chunks from `raw` to the decoder.
            while let Some(line_end) = self.raw.windows(2).position(|w| w == b"\r\n") {
                let size = usize::from_str_radix(
                    std::str::from_utf8(&self.raw[..line_end]).unwrap().trim(),
                    16,
                )
                .unwrap();
                if self.raw.len() < line_end + 2 + size + 2 {
                    break;
                }
                let data = self.raw[line_end + 2..line_end + 2 + size].to_vec();
                self.raw.drain(..line_end + 2 + size + 2);
                if size == 0 {
                    self.ended = true;
                    break;
                }
                self.decoder.push(&data);
            }
            if self.decoder.buffered() > 0 || self.ended {
                if let Some(m) = self.decoder.next_message().expect("valid frames") {
                    return Some(m);
                }
                if self.ended {
                    continue;
                }
            }
            let mut chunk = [0u8; 4096];
            let n = socket.read(&mut chunk).await.expect("read body");
            assert!(n > 0, "connection closed inside the request body");
            self.raw.extend_from_slice(&chunk[..n]);
        }
    }
}

fn event_frame(ty: &str, payload: &str) -> Vec<u8> {
    Message::new(payload.as_bytes().to_vec())
        .with_header(":message-type", HeaderValue::String("event".into()))
        .with_header(":event-type", HeaderValue::String(ty.into()))
        .with_header(":content-type", HeaderValue::String("text/plain".into()))
        .encode()
        .unwrap()
}

fn string_event(s: &str) -> EventStream {
    EventStream::StringPayload(StringPayloadEvent::builder().payload(s).build())
}

/// How the server ends the response body.
#[derive(Clone, Copy, PartialEq)]
enum Ending {
    /// The last chunk, as a complete body ends.
    Complete,
    /// The connection drops without the last chunk.
    Dropped,
}

/// Serves one OutputStream call: the head, then `body` in pieces of `sizes` (cycled), pausing
/// after `pause_after` bytes until `go_on` fires.
async fn output_server(
    body: Vec<u8>,
    sizes: Vec<usize>,
    pause_after: usize,
    ending: Ending,
) -> (String, oneshot::Sender<()>, Arc<Mutex<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (go_on, wait) = oneshot::channel::<()>();
    let seen = Arc::new(Mutex::new(String::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let (head, _) = read_head(&mut socket).await;
        *log.lock().unwrap() = head;
        socket
            .write_all(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/vnd.amazon.eventstream\r\n\
                  x-topic: news\r\nx-amzn-requestid: rid-9\r\ntransfer-encoding: chunked\r\n\r\n",
            )
            .await
            .unwrap();
        let mut wait = Some(wait);
        let (mut at, mut i) = (0, 0);
        while at < body.len() {
            if at >= pause_after {
                if let Some(w) = wait.take() {
                    let _ = w.await;
                }
            }
            let mut n = sizes[i % sizes.len()].min(body.len() - at);
            if at < pause_after {
                n = n.min(pause_after - at);
            }
            i += 1;
            let mut framed = format!("{n:x}\r\n").into_bytes();
            framed.extend_from_slice(&body[at..at + n]);
            framed.extend_from_slice(b"\r\n");
            if socket.write_all(&framed).await.is_err() {
                return;
            }
            socket.flush().await.unwrap();
            at += n;
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        if ending == Ending::Complete {
            let _ = socket.write_all(b"0\r\n\r\n").await;
            let _ = socket.flush().await;
            let mut rest = [0u8; 16];
            let _ = socket.read(&mut rest).await;
        }
    });
    (url, go_on, seen)
}

async fn call_output(url: &str) -> output_stream::OutputStreamOutput {
    let input = output_stream::OutputStreamInput::builder()
        .topic("news")
        .build();
    tokio::time::timeout(
        Duration::from_secs(10),
        config(url).invoke::<output_stream::OutputStream>(&input),
    )
    .await
    .expect("the call returns with the response head")
    .expect("OutputStream")
}

async fn next_event(
    out: &mut output_stream::OutputStreamOutput,
) -> Option<Result<EventStream, ReceiveError<EventStreamError>>> {
    tokio::time::timeout(Duration::from_secs(10), out.stream.next())
        .await
        .expect("an event or the end within 10 s")
}

#[tokio::test]
async fn events_arrive_as_the_body_does_and_an_exception_ends_the_stream() {
    let throttled = Message::new(br#"{"message":"slow down","retryAfterSeconds":3}"#.to_vec())
        .with_header(":message-type", HeaderValue::String("exception".into()))
        .with_header(":exception-type", HeaderValue::String("throttled".into()))
        .with_header(
            ":content-type",
            HeaderValue::String("application/json".into()),
        )
        .encode()
        .unwrap();
    let first = event_frame("stringPayload", "one");
    let body = [
        first.clone(),
        event_frame("stringPayload", "two"),
        event_frame("stringPayload", &"three".repeat(1000)),
        throttled,
        event_frame("stringPayload", "never read"),
    ]
    .concat();
    // The server stops after the first message until we have read it: a client that waited
    // for the whole body would hang.
    let (url, go_on, head) =
        output_server(body, vec![7, 1, 13, 300], first.len(), Ending::Complete).await;
    let mut out = call_output(&url).await;
    assert_eq!(out.request_topic.as_deref(), Some("news"));
    let request = head.lock().unwrap().clone();
    assert!(
        request.starts_with("POST /OutputStream?topic=news HTTP/1.1"),
        "{request}"
    );
    assert_eq!(
        next_event(&mut out).await.unwrap().unwrap(),
        string_event("one")
    );
    let _ = go_on.send(());
    assert_eq!(
        next_event(&mut out).await.unwrap().unwrap(),
        string_event("two")
    );
    assert_eq!(
        next_event(&mut out).await.unwrap().unwrap(),
        string_event(&"three".repeat(1000))
    );
    match next_event(&mut out).await.unwrap() {
        Err(ReceiveError::Service(EventStreamError::Throttled(e))) => {
            assert_eq!(e.message(), Some("slow down"));
            assert_eq!(e.retry_after_seconds, Some(3));
            assert_eq!(e.meta().code(), Some("ThrottlingError"));
            assert_eq!(e.meta().request_id(), Some("rid-9"));
        }
        other => panic!("{other:?}"),
    }
    assert!(
        next_event(&mut out).await.is_none(),
        "nothing after the exception"
    );
}

#[tokio::test]
async fn a_stream_cut_inside_a_message_is_an_error() {
    let whole = event_frame("stringPayload", "whole");
    let cut = event_frame("stringPayload", "cut short");
    for ending in [Ending::Complete, Ending::Dropped] {
        let body = [whole.clone(), cut[..cut.len() - 5].to_vec()].concat();
        let (url, go_on, _) = output_server(body, vec![3, 11], usize::MAX, ending).await;
        drop(go_on);
        let mut out = call_output(&url).await;
        assert_eq!(
            next_event(&mut out).await.unwrap().unwrap(),
            string_event("whole")
        );
        match next_event(&mut out).await.unwrap() {
            // The body ended cleanly, inside a message.
            Err(ReceiveError::Frame(FrameError::Truncated { .. }))
                if ending == Ending::Complete => {}
            // The connection dropped before the body's end.
            Err(ReceiveError::Transport(_)) if ending == Ending::Dropped => {}
            other => panic!("{other:?}"),
        }
        assert!(next_event(&mut out).await.is_none());
    }
}

#[tokio::test]
async fn a_bad_checksum_is_an_error() {
    let mut second = event_frame("stringPayload", "corrupt");
    let n = second.len();
    second[n - 6] ^= 0x01;
    let body = [event_frame("stringPayload", "fine"), second].concat();
    let (url, go_on, _) = output_server(body, vec![5], usize::MAX, Ending::Complete).await;
    drop(go_on);
    let mut out = call_output(&url).await;
    assert_eq!(
        next_event(&mut out).await.unwrap().unwrap(),
        string_event("fine")
    );
    assert!(matches!(
        next_event(&mut out).await.unwrap(),
        Err(ReceiveError::Frame(FrameError::MessageCrc { .. }))
    ));
    assert!(next_event(&mut out).await.is_none());
}

/// The `Signature=` of an `authorization` header.
fn request_signature(head: &str) -> String {
    let auth = head
        .lines()
        .find_map(|l| l.strip_prefix("authorization: "))
        .expect("an authorization header");
    assert!(
        auth.contains("SignedHeaders=") && auth.contains("x-amz-content-sha256"),
        "{auth}"
    );
    auth.rsplit("Signature=").next().unwrap().to_string()
}

/// Checks the envelopes: each is the signature of its payload chained from the one before,
/// starting at the request's signature, and the last has an empty payload. Returns the inner
/// messages.
fn check_chain(seed: &str, envelopes: &[Message]) -> Vec<Message> {
    let mut signer = MessageSigner::new(
        seed,
        Credentials::new("AKID", "SECRET", None),
        "us-west-2",
        "events",
    );
    let time = UNIX_EPOCH + Duration::from_secs(SIGNING_TIME);
    let (last, messages) = envelopes.split_last().expect("at least the end message");
    let mut inner = Vec::new();
    for e in messages {
        assert_eq!(
            e.header(":date"),
            Some(&HeaderValue::Timestamp(SIGNING_TIME as i64 * 1000))
        );
        let m = Message::decode(e.payload()).expect("an envelope holds a message");
        assert_eq!(&signer.sign(&m, time).unwrap(), e, "chained signature");
        inner.push(m);
    }
    assert!(
        last.payload().is_empty(),
        "the stream ends with an empty message"
    );
    assert_eq!(
        &signer.sign_end(time),
        last,
        "the end message is signed too"
    );
    inner
}

/// Events sent as a live stream: what the test pushes into the returned sender.
fn live_events() -> (mpsc::UnboundedSender<EventStream>, EventSender<EventStream>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let stream =
        futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|e| (e, rx)) });
    (tx, EventSender::from_stream(stream))
}

#[tokio::test]
async fn an_input_stream_is_sent_as_chained_signed_messages() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (got_tx, got_rx) = oneshot::channel::<(String, Vec<Message>)>();
    let (first_in, first_seen) = oneshot::channel::<()>();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let (head, rest) = read_head(&mut socket).await;
        let mut body = ChunkedMessages::new(rest);
        let mut envelopes = Vec::new();
        let mut first_in = Some(first_in);
        while let Some(m) = body.next(&mut socket).await {
            envelopes.push(m);
            if let Some(f) = first_in.take() {
                let _ = f.send(());
            }
        }
        socket
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
            .await
            .unwrap();
        let _ = got_tx.send((head, envelopes));
    });

    let (tx, sender) = live_events();
    let input = input_stream::InputStreamInput::builder()
        .session("s-1")
        .stream(sender)
        .build();
    let config = config(&url);
    let call = tokio::spawn(async move {
        config
            .invoke::<input_stream::InputStream>(&input)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    });
    // Events go out as they are produced: the server has the first before the second exists.
    tx.send(string_event("hello")).unwrap();
    tokio::time::timeout(Duration::from_secs(10), first_seen)
        .await
        .expect("the first event is sent on its own")
        .unwrap();
    tx.send(EventStream::Headers(
        HeadersEvent::builder()
            .int_header(7)
            .mode_header(Mode::Fast)
            .build(),
    ))
    .unwrap();
    tx.send(EventStream::End(EndEvent::builder().build()))
        .unwrap();
    drop(tx);
    tokio::time::timeout(Duration::from_secs(10), call)
        .await
        .expect("the call ends after the stream")
        .unwrap()
        .expect("InputStream");
    let (head, envelopes) = got_rx.await.unwrap();
    assert!(head.starts_with("POST /InputStream HTTP/1.1"), "{head}");
    for header in [
        "content-type: application/vnd.amazon.eventstream",
        "x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-EVENTS",
        "transfer-encoding: chunked",
        "x-session: s-1",
    ] {
        assert!(
            head.lines().any(|l| l.eq_ignore_ascii_case(header)),
            "{header}: {head}"
        );
    }
    assert!(
        !head.to_ascii_lowercase().contains("content-length"),
        "{head}"
    );
    let inner = check_chain(&request_signature(&head), &envelopes);
    let sent: Vec<EventStream> = vec![
        string_event("hello"),
        EventStream::Headers(
            HeadersEvent::builder()
                .int_header(7)
                .mode_header(Mode::Fast)
                .build(),
        ),
        EventStream::End(EndEvent::builder().build()),
    ];
    let expected: Vec<Message> = sent.iter().map(|e| e.to_message().unwrap()).collect();
    assert_eq!(inner, expected);
}

#[tokio::test]
async fn a_duplex_call_receives_events_while_it_still_sends() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (done_tx, done_rx) = oneshot::channel::<(String, Vec<Message>)>();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let (head, rest) = read_head(&mut socket).await;
        let mut body = ChunkedMessages::new(rest);
        // Answer after the first input event, while the request body is still open.
        let first = body.next(&mut socket).await.expect("a first event");
        let chunk = |frame: Vec<u8>| {
            let mut c = format!("{:x}\r\n", frame.len()).into_bytes();
            c.extend_from_slice(&frame);
            c.extend_from_slice(b"\r\n");
            c
        };
        socket
            .write_all(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/vnd.amazon.eventstream\r\n\
                  initial-response-member: hi\r\ntransfer-encoding: chunked\r\n\r\n",
            )
            .await
            .unwrap();
        socket
            .write_all(&chunk(event_frame("stringPayload", "echo 1")))
            .await
            .unwrap();
        let mut envelopes = vec![first];
        while let Some(m) = body.next(&mut socket).await {
            envelopes.push(m);
        }
        socket
            .write_all(&chunk(event_frame("stringPayload", "echo 2")))
            .await
            .unwrap();
        socket.write_all(b"0\r\n\r\n").await.unwrap();
        let _ = done_tx.send((head, envelopes));
        let mut rest = [0u8; 16];
        let _ = socket.read(&mut rest).await;
    });

    let (tx, sender) = live_events();
    let input = duplex_stream::DuplexStreamInput::builder()
        .initial_request_member("ready")
        .stream(sender)
        .build();
    tx.send(string_event("ping 1")).unwrap();
    let mut out = tokio::time::timeout(
        Duration::from_secs(10),
        config(&url).invoke::<duplex_stream::DuplexStream>(&input),
    )
    .await
    .expect("the head arrives while the input stream is open")
    .expect("DuplexStream");
    assert_eq!(out.initial_response_member.as_deref(), Some("hi"));
    async fn next(
        out: &mut duplex_stream::DuplexStreamOutput,
    ) -> Option<Result<EventStream, ReceiveError<EventStreamError>>> {
        tokio::time::timeout(Duration::from_secs(10), out.stream.next())
            .await
            .expect("an event within 10 s")
    }
    assert_eq!(
        next(&mut out).await.unwrap().unwrap(),
        string_event("echo 1")
    );
    tx.send(string_event("ping 2")).unwrap();
    drop(tx);
    assert_eq!(
        next(&mut out).await.unwrap().unwrap(),
        string_event("echo 2")
    );
    assert!(next(&mut out).await.is_none());
    let (head, envelopes) = done_rx.await.unwrap();
    assert!(head.contains("initial-request-member: ready"), "{head}");
    let inner = check_chain(&request_signature(&head), &envelopes);
    let expected: Vec<Message> = [string_event("ping 1"), string_event("ping 2")]
        .iter()
        .map(|e| e.to_message().unwrap())
        .collect();
    assert_eq!(inner, expected);
}

#[tokio::test]
async fn input_events_are_sent_once_and_invalid_ones_abort_the_call() {
    // An input whose events were sent already cannot be sent again.
    let input = input_stream::InputStreamInput::builder()
        .stream(EventSender::from(vec![string_event("x")]))
        .build();
    let _ = input
        .stream
        .take_messages(|e: &EventStream| e.to_message())
        .unwrap();
    let err = config("http://127.0.0.1:9")
        .invoke::<input_stream::InputStream>(&input)
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::Construction(_)), "{err:?}");
    assert!(err.to_string().contains("sent already"), "{err}");

    // An event that breaks the model's constraints aborts the request body: the call fails
    // and the server never sees the end of the stream.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (seen_tx, seen_rx) = oneshot::channel::<(usize, bool)>();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut raw = Vec::new();
        let mut chunk = [0u8; 4096];
        // Read until the client gives up on the body.
        while let Ok(n) = socket.read(&mut chunk).await {
            if n == 0 {
                break;
            }
            raw.extend_from_slice(&chunk[..n]);
        }
        let complete = raw.windows(5).any(|w| w == b"0\r\n\r\n");
        let _ = seen_tx.send((raw.len(), complete));
    });
    let too_long = EventStream::StructurePayload(
        StructurePayloadEvent::builder()
            .payload(
                PayloadStructure::builder()
                    .structure_member("far too long")
                    .build(),
            )
            .build(),
    );
    let input = input_stream::InputStreamInput::builder()
        .stream(EventSender::from_stream(futures_util::stream::iter(vec![
            string_event("fine"),
            too_long,
            string_event("never sent"),
        ])))
        .build();
    let err = tokio::time::timeout(
        Duration::from_secs(10),
        config(&url).invoke::<input_stream::InputStream>(&input),
    )
    .await
    .expect("the call fails quickly")
    .unwrap_err();
    assert!(matches!(err, SdkError::Dispatch(_)), "{err:?}");
    let (bytes, complete) = tokio::time::timeout(Duration::from_secs(10), seen_rx)
        .await
        .unwrap()
        .unwrap();
    // Whether the head and the first event went out before the abort is up to the HTTP
    // stack; a complete stream never does.
    assert!(
        !complete,
        "the body ended as a complete stream ({bytes} bytes)"
    );
}

/// An input event stream over HTTP/2: the crate turns on the runtime's `http2` feature (AWS
/// services that take events speak only HTTP/2), ALPN picks `h2`, and the events go out as
/// DATA frames of one stream, still signed in a chain.
#[tokio::test]
async fn an_input_stream_goes_over_http2_when_the_server_speaks_it() {
    let (acceptor, cert) = wire_tests::tls::localhost_acceptor(&[b"h2", b"http/1.1"]);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "https://localhost:{}",
        listener.local_addr().unwrap().port()
    );
    let (got_tx, got_rx) = oneshot::channel::<(http::Request<()>, Vec<Message>)>();
    tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        let stream = acceptor.accept(tcp).await.unwrap();
        assert_eq!(stream.get_ref().1.alpn_protocol(), Some(&b"h2"[..]));
        let mut conn = h2::server::handshake(stream).await.unwrap();
        let (request, mut respond) = conn.accept().await.unwrap().unwrap();
        tokio::spawn(async move { while conn.accept().await.is_some() {} });
        let (head, mut body) = request.into_parts();
        let mut decoder = MessageDecoder::new();
        let mut envelopes = Vec::new();
        while let Some(data) = body.data().await {
            let data = data.unwrap();
            body.flow_control().release_capacity(data.len()).unwrap();
            decoder.push(&data);
            while let Some(m) = decoder.next_message().unwrap() {
                envelopes.push(m);
            }
        }
        decoder.finish().expect("the body ends between messages");
        let response = http::Response::builder().status(200).body(()).unwrap();
        respond.send_response(response, true).unwrap();
        let _ = got_tx.send((http::Request::from_parts(head, ()), envelopes));
    });

    let client = es::runtime::transport::HyperClient::builder()
        .add_root_certificates([cert])
        .build()
        .unwrap();
    let config = config_builder(&url)
        .http_client(Arc::new(client))
        .build(&META)
        .unwrap();
    let (tx, sender) = live_events();
    let input = input_stream::InputStreamInput::builder()
        .session("s-2")
        .stream(sender)
        .build();
    tx.send(string_event("over h2")).unwrap();
    tx.send(EventStream::End(EndEvent::builder().build()))
        .unwrap();
    drop(tx);
    tokio::time::timeout(
        Duration::from_secs(10),
        config.invoke::<input_stream::InputStream>(&input),
    )
    .await
    .expect("the call ends after the stream")
    .expect("InputStream over HTTP/2");

    let (request, envelopes) = got_rx.await.unwrap();
    assert_eq!(request.version(), http::Version::HTTP_2);
    assert_eq!(request.method(), "POST");
    assert_eq!(request.uri().path(), "/InputStream");
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
    };
    assert_eq!(
        header("content-type").as_deref(),
        Some("application/vnd.amazon.eventstream")
    );
    assert_eq!(header("x-session").as_deref(), Some("s-2"));
    assert_eq!(header("transfer-encoding"), None);
    let auth = header("authorization").expect("a signed request");
    let inner = check_chain(auth.rsplit("Signature=").next().unwrap(), &envelopes);
    let expected: Vec<Message> = [
        string_event("over h2"),
        EventStream::End(EndEvent::builder().build()),
    ]
    .iter()
    .map(|e| e.to_message().unwrap())
    .collect();
    assert_eq!(inner, expected);
}
