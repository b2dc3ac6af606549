$version: "2"

namespace golden.renames

/// Shapes from two namespaces whose names only differ after the service's <code>rename</code>, and names the generator reserves.
@aws.api#service(sdkId: "Golden Renames")
@aws.auth#sigv4(name: "renamer")
@aws.protocols#restJson1
service Renamer {
    version: "2022-02-02"
    operations: [
        GetWidget
        New
        DescribeWidget
        DescribeOtherWidget
        golden.renames.other#PutOtherWidget
    ]
    rename: {
        "golden.renames.other#Widget": "OtherWidget"
        "golden.renames.other#Status": "OtherStatus"
        "golden.renames.other#WidgetList": "OtherWidgetList"
        "golden.renames.other#Problem": "OtherProblem"
    }
}

/// Becomes <code>ClientShape</code>: <code>Client</code> is the generated client.
structure Client {
    Id: String
}

structure Config {
    Verbose: Boolean
}

@http(method: "GET", uri: "/other-widgets/{Name}")
@readonly
operation DescribeOtherWidget {
    input: WidgetQuery
    output: DescribeOtherWidgetOutput
}

@output
structure DescribeOtherWidgetOutput {
    Widget: golden.renames.other#Widget
}

/// Shares its input shape with <code>DescribeOtherWidget</code>.
@http(method: "GET", uri: "/widgets/{Name}")
@readonly
operation DescribeWidget {
    input: WidgetQuery
    output: DescribeWidgetOutput
}

@output
structure DescribeWidgetOutput {
    Widget: Widget
}

/// Input and output named unlike the operation: they become <code>GetWidgetInput</code> and <code>GetWidgetOutput</code>.
@http(method: "POST", uri: "/widgets/get")
operation GetWidget {
    input: WidgetRequest
    output: WidgetResponse
    errors: [Problem]
}

/// Named like the client's constructor: the method is <code>new_operation</code>.
@http(method: "POST", uri: "/new")
operation New {
    input: NewInput
    output: NewOutput
}

@input
structure NewInput {
    Widget: Widget
}

@output
structure NewOutput {
    Widget: Widget
}

@error("client")
structure Problem {
    Message: String
}

enum Status {
    ACTIVE
    RETIRED
}

structure Widget {
    Name: String
    Status: Status
    Other: golden.renames.other#Widget
}

@length(min: 1, max: 32)
string WidgetName

structure WidgetQuery {
    @httpLabel
    @required
    Name: WidgetName

    @httpQuery("verbose")
    Verbose: Boolean
}

structure WidgetRequest {
    @required
    Name: String

    Status: Status
    OtherStatus: golden.renames.other#Status
    Client: Client
    Config: Config
}

structure WidgetResponse {
    Widget: Widget
    Others: golden.renames.other#WidgetList
}
