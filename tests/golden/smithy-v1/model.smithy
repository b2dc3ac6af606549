$version: "1.0"

namespace golden.legacy

/// A Smithy 1.0 model: <code>set</code>, the <code>@enum</code> trait, <code>@box</code>, metadata-only traits and a trait the model defines.
@aws.api#service(sdkId: "Golden Smithy One", cloudFormationName: "Legacy")
@aws.auth#sigv4(name: "legacy")
@aws.protocols#restJson1
service Legacy {
    version: "2015-05-05"
    operations: [PutRecord, DescribeRecords]
}

@box
long BoxedLong

@http(method: "GET", uri: "/records")
@paginated(inputToken: "Marker", outputToken: "Page.NextMarker", items: "Page.Records")
@readonly
@smithy.waiters#waitable(
    RecordExists: {"acceptors":[{"state":"success","matcher":{"success":true}}]}
)
operation DescribeRecords {
    input: DescribeRecordsRequest
    output: DescribeRecordsResponse
}

structure DescribeRecordsRequest {
    @httpQuery("marker")
    Marker: String

    @httpQuery("kind")
    Kinds: KindList
}

structure DescribeRecordsResponse {
    Page: RecordPage
}

list KindList {
    member: RecordKind
}

map KindMap {
    key: Tag
    value: RecordKind
}

@aws.iam#actionPermissionDescription("Puts a record")
@internalNote("reviewed")
@examples([{"title":"Put one record","input":{"Kind":"a-b"},"output":{"Id":"1"}}])
@externalDocumentation("API Reference": "https://example.com/put-record")
@http(method: "POST", uri: "/records")
@idempotent
@since("2016")
@tags(["write"])
operation PutRecord {
    input: PutRecordRequest
    output: PutRecordResponse
    errors: [ThrottlingException]
}

structure PutRecordRequest {
    @required
    Kind: RecordKind

    Tags: TagSet
    Count: PrimitiveInteger
    Enabled: PrimitiveBoolean
    Size: BoxedLong

    @box
    Weight: Double

    @deprecated(message: "Use Kind.")
    OldField: String

    KindsByTag: KindMap
}

structure PutRecordResponse {
    Id: String
    Kind: RecordKind
    Tags: TagSet
}

structure Record {
    Id: String
    Kind: RecordKind
}

@enum([
    {
        "value": "a-b",
        "name": "A_B",
        "documentation": "The <b>first</b> kind."
    },
    {
        "value": "plain"
    },
    {
        "value": "2x",
        "name": "TWO_X"
    }
])
string RecordKind

list RecordList {
    member: Record
}

structure RecordPage {
    NextMarker: String
    Records: RecordList
}

@length(min: 1, max: 128)
@pattern("^[\\w\\s.:/=+@-]*$")
string Tag

set TagSet {
    member: Tag
}

@error("client")
@httpError(429)
@retryable(throttling: true)
structure ThrottlingException {
    message: String
}

@trait(selector: "*")
string internalNote
