$version: "2"

namespace golden.kitchen

/// <p>A service that uses <b>every</b> shape type. See <a href="https://example.com/docs">the docs</a>.</p> <ul><li><p>First item</p></li><li><p>Second item with <code>code</code> and [brackets]</p></li></ul> <note><p>Notes are kept.</p></note>
@aws.api#service(
    sdkId: "Golden Kitchen Sink"
    arnNamespace: "kitchen"
    endpointPrefix: "kitchen"
)
@aws.auth#sigv4(name: "kitchen")
@aws.protocols#restJson1
@title("Golden Kitchen Sink Service")
service KitchenSink {
    version: "2024-01-01"
    operations: [PutEverything, Ping, Reset, ListThings]
    errors: [ServiceFault]
}

/// <p>One member per shape type, trait and naming edge case.</p>
structure AllTypes {
    Blob: Data
    Flag: Boolean
    Text: String
    Tiny: Byte
    Small: Short
    Count: Integer
    Big: Long
    Ratio: Float
    Precise: Double
    Huge: BigInteger
    Exact: BigDecimal
    When: Timestamp

    @timestampFormat("date-time")
    WhenIso: Timestamp

    WhenHttp: HttpDate

    @timestampFormat("epoch-seconds")
    WhenEpoch: HttpDate

    Doc: Document
    Color: Color
    Level: Level
    Strings: StringList
    SparseStrings: SparseStringList
    Nested: ListOfLists
    Items: ItemList
    Times: TimestampList
    Labels: StringMap
    SparseLabels: SparseStringMap
    ByColor: ColorMap
    LevelsByName: LevelMap
    type: String
    match: String
    Self: String
    KMSKeyId: String
    StreamARN: String
    HTTPSEndpoint: String

    @jsonName("renamed_field")
    renamedField: String

    @sensitive
    Password: String

    Secret: SecretString

    @required
    Required: String

    @required
    RequiredWithDefault: Integer = 5

    Defaulted: DefaultedBoolean = false

    @clientOptional
    @required
    ClientOptional: String

    Name: Name

    @range(min: 0, max: 100)
    Percent: Integer

    @range(min: -1.5, max: 1.5)
    Score: Double

    @range(min: 0)
    BigScore: BigDecimal

    @length(max: 3)
    FewStrings: StringList

    @length(min: 1, max: 16)
    SmallBlob: Data

    @length(min: 1)
    FewLabels: StringMap

    @pattern("^\\d{3}$")
    Code: String

    Names: NameList
    NamesByName: NameMap
    ShortColor: ShortColor
}

/// <p>The request was understood but <em>wrong</em>.</p>
@error("client")
@httpError(422)
structure BadThing {
    Message: String
    Reason: Color

    @httpHeader("x-bad-field")
    Field: String
}

/// A union with a unit member, a recursive member and a sensitive one.
union Choice {
    Nothing: Unit
    Text: String
    Number: Integer
    Item: Item
    Nested: Choice
    List: StringList
    Time: Timestamp
    Secret: SecretString
    Unknown: String

    @jsonName("json_named")
    jsonNamed: String
}

/// A shape named like the generated client.
structure Client {
    Name: String
    Config: String
}

/// Colours, with awkward names and values.
enum Color {
    RED

    /// <p>The colour of <b>grass</b>.</p>
    GREEN = "green"

    DARK_BLUE = "dark-blue"
    Unknown = "UNKNOWN"
    _1080p = "1080p"
    UHD_4K = "4k"
    Self = "self"
}

map ColorMap {
    key: Color
    value: StringList
}

@mixin
structure CommonFields {
    @required
    Id: String
}

blob Data

@default(false)
boolean DefaultedBoolean

@timestampFormat("http-date")
timestamp HttpDate

structure Inner {
    @required
    Outer: Outer
}

structure Item with [CommonFields] {
    /// Added by an <code>apply</code> statement.
    Name: Name

    Value: Document
}

list ItemList {
    member: Item
}

intEnum Level {
    LOW = 1
    MEDIUM = 5
    HIGH = 10
    Unknown = -1
}

map LevelMap {
    key: String
    value: Level
}

list ListOfLists {
    member: StringList
}

@http(method: "GET", uri: "/things")
@paginated(
    inputToken: "NextToken"
    outputToken: "NextToken"
    items: "Things"
    pageSize: "MaxResults"
)
@readonly
operation ListThings {
    input: ListThingsInput
    output: ListThingsOutput
}

@input
structure ListThingsInput {
    @httpQuery("nextToken")
    NextToken: String

    @httpQuery("maxResults")
    @range(min: 1, max: 100)
    MaxResults: Integer
}

@output
structure ListThingsOutput {
    NextToken: String
    Things: ItemList
}

/// A name: 1 to 64 characters of <code>[a-zA-Z0-9_.-]</code>.
@length(min: 1, max: 64)
@pattern("^[a-zA-Z0-9_.-]+$")
string Name

list NameList {
    member: Name
}

map NameMap {
    key: Name
    value: Name
}

/// Recursive: <code>Next</code> is boxed, the list and map are not.
structure Node {
    Value: String
    Next: Node
    Children: NodeList
    ChildrenByName: NodeMap
}

list NodeList {
    member: Node
}

map NodeMap {
    key: String
    value: Node
}

structure Outer {
    Inner: Inner
    Label: Name
}

@http(method: "GET", uri: "/ping")
@readonly
operation Ping {
}

/// <p>Sends one of <i>everything</i>.</p><p>Second paragraph &amp; an entity, a &lt;tag&gt; and a <code>Vec&lt;u8&gt;</code>.</p>
@http(method: "POST", uri: "/everything", code: 201)
operation PutEverything {
    input: PutEverythingInput
    output: PutEverythingOutput
    errors: [BadThing]
}

@input
structure PutEverythingInput {
    @required
    Everything: AllTypes

    Client: Client
    Node: Node
    Outer: Outer
    Choice: Choice
    Item: Item

    @idempotencyToken
    ClientToken: String
}

@output
structure PutEverythingOutput {
    Everything: AllTypes
    Choice: Choice
    Node: Node
    Client: Client
}

@http(method: "POST", uri: "/")
@idempotent
operation Reset {
}

@sensitive
string SecretString

@error("server")
structure ServiceFault {
    message: String
}

@length(max: 3)
enum ShortColor {
    RED
    LONG_VALUE = "long-value"
}

@sparse
list SparseStringList {
    member: String
}

@sparse
map SparseStringMap {
    key: String
    value: String
}

list StringList {
    member: String
}

map StringMap {
    key: String
    value: String
}

list TimestampList {
    @timestampFormat("date-time")
    member: Timestamp
}
