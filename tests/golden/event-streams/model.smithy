$version: "2"

namespace golden.events

/// Event streams in both directions, after the restJson1 event stream protocol tests of Smithy.
@aws.api#service(sdkId: "Golden Event Streams", endpointPrefix: "events")
@aws.auth#sigv4(name: "events")
@aws.protocols#restJson1
@smithy.rules#endpointRuleSet(
    version: "1.0"
    parameters: {
        "Region": {
            "builtIn": "AWS::Region",
            "required": false,
            "documentation": "The region.",
            "type": "String"
        },
        "Endpoint": {
            "builtIn": "SDK::Endpoint",
            "required": false,
            "documentation": "An endpoint override.",
            "type": "String"
        }
    }
    rules: [
        {
            "conditions": [
                {
                    "fn": "isSet",
                    "argv": [
                        {
                            "ref": "Endpoint"
                        }
                    ]
                }
            ],
            "endpoint": {
                "url": {
                    "ref": "Endpoint"
                },
                "properties": {},
                "headers": {}
            },
            "type": "endpoint"
        },
        {
            "conditions": [
                {
                    "fn": "isSet",
                    "argv": [
                        {
                            "ref": "Region"
                        }
                    ]
                }
            ],
            "endpoint": {
                "url": "https://events.{Region}.amazonaws.com",
                "properties": {},
                "headers": {}
            },
            "type": "endpoint"
        },
        {
            "conditions": [],
            "error": "Invalid Configuration: Missing Region",
            "type": "error"
        }
    ]
)
service Events {
    version: "2024-10-31"
    operations: [
        InputStream
        OutputStream
        DuplexStream
        DuplexStreamWithDistinctStreams
        Ping
        Converse
    ]
}

structure BlobPayloadEvent {
    @eventPayload
    payload: Blob
}

/// Its output type is `ConverseOutput`, as is a shared union: their codec functions must not share a name.
@http(method: "POST", uri: "/Converse", code: 200)
operation Converse {
    input: ConverseRequest
    output: ConverseResponse
}

union ConverseOutput {
    text: String
    document: Document
}

@input
structure ConverseRequest {
    text: String
}

@output
structure ConverseResponse {
    output: ConverseOutput
}

@input
structure DistinctInput {
    @httpPayload
    stream: EventStream
}

@output
structure DistinctOutput {
    @httpPayload
    stream: SingletonEventStream
}

/// Sends and receives events of one union.
@http(method: "POST", uri: "/DuplexStream", code: 200)
operation DuplexStream {
    input: DuplexStreamInput
    output: DuplexStreamOutput
    errors: [ServiceUnavailableError]
}

@input
structure DuplexStreamInput {
    @httpHeader("initial-request-member")
    @required
    initialRequestMember: String

    @httpPayload
    stream: EventStream
}

@output
structure DuplexStreamOutput {
    @httpHeader("initial-response-member")
    @required
    initialResponseMember: String

    @httpPayload
    stream: EventStream
}

/// Sends one union, receives another.
@http(method: "POST", uri: "/DuplexStreamWithDistinctStreams", code: 200)
operation DuplexStreamWithDistinctStreams {
    input: DistinctInput
    output: DistinctOutput
}

/// An event without members: no payload.
structure EndEvent {
}

@error("client")
structure ErrorEvent {
    message: String
}

/// Every kind of event: headers, payloads of each type, and errors.
@streaming
union EventStream {
    headers: HeadersEvent
    blobPayload: BlobPayloadEvent
    stringPayload: StringPayloadEvent
    structurePayload: StructurePayloadEvent
    unionPayload: UnionPayloadEvent
    headersAndExplicitPayload: HeadersAndExplicitPayloadEvent
    headersAndImplicitPayload: HeadersAndImplicitPayloadEvent
    end: EndEvent
    error: ErrorEvent
    throttled: ThrottlingError
}

structure HeadersAndExplicitPayloadEvent {
    @eventHeader
    header: String

    @eventPayload
    payload: PayloadStructure
}

structure HeadersAndImplicitPayloadEvent {
    @eventHeader
    header: String

    payload: String
}

structure HeadersEvent {
    @eventHeader
    booleanHeader: Boolean

    @eventHeader
    byteHeader: Byte

    @eventHeader
    shortHeader: Short

    @eventHeader
    intHeader: Integer

    @eventHeader
    longHeader: Long

    @eventHeader
    blobHeader: Blob

    @eventHeader
    stringHeader: String

    @eventHeader
    timestampHeader: Timestamp

    @eventHeader
    modeHeader: Mode
}

/// Sends events.
@http(method: "POST", uri: "/InputStream", code: 200)
operation InputStream {
    input: InputStreamInput
}

@input
structure InputStreamInput {
    @httpHeader("x-session")
    session: String

    @httpPayload
    @required
    stream: EventStream
}

enum Mode {
    FAST = "fast"
    SLOW = "slow"
}

/// Receives events.
@http(method: "POST", uri: "/OutputStream", code: 200)
operation OutputStream {
    input: OutputStreamInput
    output: OutputStreamOutput
    errors: [ServiceUnavailableError]
}

@input
structure OutputStreamInput {
    @httpQuery("topic")
    topic: String
}

@output
structure OutputStreamOutput {
    @httpHeader("x-topic")
    requestTopic: String

    @httpPayload
    stream: EventStream
}

structure PayloadStructure {
    structureMember: ShortString
}

union PayloadUnion {
    unionMember: String
}

/// No events at all.
@http(method: "POST", uri: "/Ping", code: 200)
operation Ping {
    input: PingInput
    output: PingOutput
}

@input
structure PingInput {
    value: String
}

@output
structure PingOutput {
    value: String
}

@error("server")
@httpError(503)
structure ServiceUnavailableError {
    message: String
}

@length(min: 1, max: 10)
string ShortString

structure SingletonEvent {
    value: String
}

@streaming
union SingletonEventStream {
    singleton: SingletonEvent
}

structure StringPayloadEvent {
    @eventPayload
    payload: String
}

structure StructurePayloadEvent {
    @eventPayload
    payload: PayloadStructure
}

@error("client")
@httpError(429)
structure ThrottlingError {
    message: String
    retryAfterSeconds: Integer
}

structure UnionPayloadEvent {
    @eventPayload
    payload: PayloadUnion
}
