$version: "2"

namespace golden.renames.other

@error("server")
@httpError(503)
structure Problem {
    Message: String
    Code: String
}

@http(method: "PUT", uri: "/other-widgets")
@idempotent
operation PutOtherWidget {
    input: PutOtherWidgetInput
    errors: [Problem]
}

@input
structure PutOtherWidgetInput {
    Widget: Widget
    Widgets: WidgetList
}

enum Status {
    ON = "on"
    OFF = "off"
}

/// Renamed to <code>OtherWidget</code> by the service.
structure Widget {
    Id: String
    Status: Status
}

list WidgetList {
    member: Widget
}
