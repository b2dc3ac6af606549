$version: "2"

namespace golden.storage

/// Every HTTP binding of restJson1, with operations bound through resources.
@aws.api#service(sdkId: "Golden Http Bindings", endpointPrefix: "storage")
@aws.auth#sigv4(name: "storage")
@aws.protocols#restJson1
service Storage {
    version: "2023-06-15"
    operations: [GetStatus]
    resources: [Bucket]
}

resource Bucket {
    identifiers: { BucketName: BucketName }
    read: GetBucket
    operations: [UpdateBucketConfig]
    resources: [Object]
}

structure BucketConfig {
    Versioning: Boolean

    @range(min: 0, max: 3650)
    Retention: Integer

    Mode: Mode
    Tags: StringMap
}

@length(min: 3, max: 63)
@pattern("^[a-z0-9][a-z0-9.-]*$")
string BucketName

blob Data

@http(method: "DELETE", uri: "/buckets/{BucketName}/objects/{Key+}", code: 204)
@idempotent
operation DeleteObject {
    input: DeleteObjectInput
    errors: [NoSuchKey]
}

@input
structure DeleteObjectInput {
    @httpLabel
    @required
    BucketName: BucketName

    @httpLabel
    @required
    Key: ObjectKey

    @httpHeader("X-Client-Token")
    @idempotencyToken
    ClientToken: String
}

/// Downloads an object: the body reaches the caller as a stream.
@http(method: "GET", uri: "/buckets/{BucketName}/download/{Key+}")
@readonly
operation DownloadObject {
    input: DownloadObjectInput
    output: DownloadObjectOutput
    errors: [NoSuchKey]
}

@input
structure DownloadObjectInput {
    @httpLabel
    @required
    BucketName: BucketName

    @httpLabel
    @required
    Key: ObjectKey

    @httpHeader("Range")
    Range: String
}

@output
structure DownloadObjectOutput {
    @httpPayload
    Body: StreamingData = ""

    @httpHeader("Content-Type")
    ContentType: String

    @httpHeader("Content-Length")
    ContentLength: Long

    @httpHeader("Last-Modified")
    LastModified: Timestamp
}

@http(method: "GET", uri: "/buckets/{BucketName}")
@readonly
operation GetBucket {
    input: GetBucketInput
    output: GetBucketOutput
    errors: [NoSuchBucket]
}

@input
structure GetBucketInput {
    @httpLabel
    @required
    BucketName: BucketName
}

@output
structure GetBucketOutput {
    Name: BucketName
    Created: Timestamp
    Config: BucketConfig

    @httpHeader("X-Region")
    Region: String
}

/// Reads an object: greedy label, query, headers of every kind, a blob payload.
@http(method: "GET", uri: "/buckets/{BucketName}/objects/{Key+}")
@readonly
operation GetObject {
    input: GetObjectInput
    output: GetObjectOutput
    errors: [NoSuchKey]
}

@input
structure GetObjectInput {
    @httpLabel
    @required
    BucketName: BucketName

    @httpLabel
    @required
    Key: ObjectKey

    @httpQuery("versionId")
    VersionId: String

    @httpQuery("part")
    Parts: IntegerList

    @httpQuery("mode")
    Modes: ModeList

    @httpQuery("verbose")
    Verbose: Boolean

    @httpQuery("since")
    Since: Timestamp

    @httpQuery("sinceEpoch")
    @timestampFormat("epoch-seconds")
    SinceEpoch: Timestamp

    @httpQueryParams
    Extra: StringMap

    @httpHeader("If-Modified-Since")
    IfModifiedSince: Timestamp

    @httpHeader("Range")
    Range: String

    @httpHeader("X-Tags")
    Tags: StringList

    @httpHeader("X-Dates")
    Dates: TimestampList

    @httpHeader("X-Priority")
    Priority: Priority

    @httpHeader("X-Mode")
    Mode: Mode

    @httpHeader("X-Ratio")
    Ratio: Double

    @httpHeader("X-Checksum")
    Checksum: Data

    @httpPrefixHeaders("X-Meta-")
    Metadata: StringMap
}

@output
structure GetObjectOutput {
    @httpPayload
    Body: Data

    @httpHeader("Content-Type")
    ContentType: String

    @httpHeader("Content-Length")
    ContentLength: Long

    @httpHeader("Last-Modified")
    LastModified: Timestamp

    @httpHeader("X-Expires")
    @timestampFormat("date-time")
    Expires: Timestamp

    @httpHeader("X-Dates")
    Dates: TimestampList

    @httpHeader("X-Sizes")
    Sizes: IntegerList

    @httpHeader("X-Tags")
    Tags: StringList

    @httpHeader("X-Deleted")
    Deleted: Boolean

    @httpHeader("X-Mode")
    Mode: Mode

    @httpHeader("X-Priority")
    Priority: Priority

    @httpPrefixHeaders("X-Meta-")
    Metadata: StringMap

    @httpResponseCode
    Status: Integer
}

/// Labels of non-string types; a union payload in the response.
@http(method: "GET", uri: "/status/{Year}/{Day}/{Enabled}/{Mode}?probe")
@readonly
operation GetStatus {
    input: GetStatusInput
    output: GetStatusOutput
}

@input
structure GetStatusInput {
    @httpLabel
    @required
    Year: Integer

    @httpLabel
    @required
    Day: Timestamp

    @httpLabel
    @required
    Enabled: Boolean

    @httpLabel
    @required
    Mode: Mode
}

@output
structure GetStatusOutput {
    @httpPayload
    Status: Status
}

list IntegerList {
    member: Integer
}

@http(method: "GET", uri: "/buckets/{BucketName}/objects?list-type=2&fetch-owner")
@paginated(
    inputToken: "ContinuationToken"
    outputToken: "NextContinuationToken"
    items: "Contents"
    pageSize: "MaxKeys"
)
@readonly
operation ListObjects {
    input: ListObjectsInput
    output: ListObjectsOutput
}

@input
structure ListObjectsInput {
    @httpLabel
    @required
    BucketName: BucketName

    @httpQuery("max-keys")
    @range(min: 1, max: 1000)
    MaxKeys: Integer

    @httpQuery("continuation-token")
    ContinuationToken: String

    @httpQuery("prefix")
    Prefix: String

    @httpQueryParams
    Filters: StringListMap
}

@output
structure ListObjectsOutput {
    Contents: ObjectSummaryList
    NextContinuationToken: String
    KeyCount: Integer

    @httpHeader("x-amz-request-id")
    RequestId: String
}

enum Mode {
    FAST = "fast"
    SAFE = "safe"
}

list ModeList {
    member: Mode
}

@error("client")
@httpError(404)
structure NoSuchBucket {
    Message: String

    @httpHeader("X-Bucket")
    BucketName: String
}

@error("client")
@httpError(404)
structure NoSuchKey {
    Message: String
    Key: ObjectKey
}

resource Object {
    identifiers: { BucketName: BucketName, Key: ObjectKey }
    put: PutObject
    read: GetObject
    delete: DeleteObject
    list: ListObjects
    operations: [PutNote, DownloadObject, UploadObject]
    collectionOperations: [SearchObjects]
}

@length(min: 1)
string ObjectKey

structure ObjectSummary {
    @required
    Key: ObjectKey

    Size: Long = 0
    LastModified: Timestamp
    Archived: Boolean = false
    Owner: String = "nobody"
    Mode: Mode = "safe"
    Weight: Double = 1.5
}

list ObjectSummaryList {
    member: ObjectSummary
}

structure Outage {
    Since: Timestamp
    Reason: String
}

intEnum Priority {
    LOW = 0
    HIGH = 9
}

@http(method: "PUT", uri: "/buckets/{BucketName}/notes/{Key}/")
@idempotent
@httpChecksumRequired
@requestCompression(encodings: ["br", "gzip"])
operation PutNote {
    input: PutNoteInput
    output: PutNoteOutput
}

@input
structure PutNoteInput {
    @httpLabel
    @required
    BucketName: BucketName

    @httpLabel
    @required
    Key: ObjectKey

    @httpPayload
    Text: String
}

@output
structure PutNoteOutput {
    @httpPayload
    Text: String

    @httpResponseCode
    Status: Integer
}

@http(method: "PUT", uri: "/buckets/{BucketName}/objects/{Key+}")
@idempotent
operation PutObject {
    input: PutObjectInput
    output: PutObjectOutput
}

@input
structure PutObjectInput {
    @httpLabel
    @required
    BucketName: BucketName

    @httpLabel
    @required
    Key: ObjectKey

    @httpHeader("Content-Type")
    ContentType: String

    @httpPayload
    Body: Data
}

@output
structure PutObjectOutput {
    @httpHeader("ETag")
    ETag: String
}

@http(method: "POST", uri: "/buckets/{BucketName}/search")
@readonly
operation SearchObjects {
    input: SearchObjectsInput
    output: SearchObjectsOutput
}

@input
structure SearchObjectsInput {
    @httpLabel
    @required
    BucketName: BucketName

    @required
    Query: String

    @httpQuery("limit")
    Limit: Integer
}

@output
structure SearchObjectsOutput {
    Results: ObjectSummaryList

    @httpHeader("X-Took")
    Took: Long
}

union Status {
    Healthy: Unit
    Degraded: String
    Down: Outage
}

@streaming
blob StreamingData

list StringList {
    member: String
}

map StringListMap {
    key: String
    value: StringList
}

map StringMap {
    key: String
    value: String
}

list TimestampList {
    member: Timestamp
}

@http(method: "PUT", uri: "/buckets/{BucketName}/config")
@idempotent
operation UpdateBucketConfig {
    input: UpdateBucketConfigInput
    output: UpdateBucketConfigOutput
    errors: [NoSuchBucket]
}

@input
structure UpdateBucketConfigInput {
    @httpLabel
    @required
    BucketName: BucketName

    @httpPayload
    @required
    Config: BucketConfig

    @httpHeader("X-Expected-Owner")
    ExpectedOwner: String
}

@output
structure UpdateBucketConfigOutput {
    @httpPayload
    Config: BucketConfig
}

/// Uploads an object from a streaming blob, which is sent from memory.
@http(method: "PUT", uri: "/buckets/{BucketName}/upload/{Key+}")
@idempotent
operation UploadObject {
    input: UploadObjectInput
    output: UploadObjectOutput
}

@input
structure UploadObjectInput {
    @httpLabel
    @required
    BucketName: BucketName

    @httpLabel
    @required
    Key: ObjectKey

    @httpHeader("Content-Type")
    ContentType: String

    @httpPayload
    Body: StreamingData = ""
}

@output
structure UploadObjectOutput {
    @httpHeader("ETag")
    ETag: String
}
