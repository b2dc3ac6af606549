//! The intermediate representation: plain data lowered from the model, with every Rust name
//! already decided (by `naming`) and every wire detail already resolved (json names, timestamp
//! formats, HTTP bindings, merged constraints). Emitters and the model diff read only this.
//!
//! Collections are `BTreeMap`s or model-ordered `Vec`s, so everything derived from the IR is
//! deterministic.

use std::collections::BTreeMap;

use crate::model::ShapeId;

#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    pub id: ShapeId,
    /// The crate's package name (`kinesis-video`) and library name (`kinesis_video`).
    pub crate_name: String,
    pub lib_name: String,
    /// `aws.api#service` sdkId (`Kinesis Video`).
    pub sdk_id: String,
    pub version: String,
    pub title: Option<String>,
    pub docs: Option<String>,
    pub protocol: Protocol,
    /// SigV4 signing name (`kinesisvideo`).
    pub signing_name: Option<String>,
    pub endpoint_prefix: Option<String>,
    /// The `AWS_ENDPOINT_URL_<ID>` suffix derived from the sdkId (`KINESIS_VIDEO`).
    pub env_endpoint_id: String,
    /// `smithy.rules#endpointRuleSet` and `smithy.rules#endpointTests`, as JSON text.
    pub endpoint_rule_set: Option<String>,
    pub endpoint_tests: Option<String>,
    /// Keyed by the operation's model name, sorted.
    pub operations: BTreeMap<String, Operation>,
    /// Named types keyed by shape id: structures, unions, enums, int enums.
    pub types: BTreeMap<ShapeId, NamedType>,
    /// Errors every operation can return (the service's `errors`).
    pub service_errors: Vec<ShapeId>,
    /// The stem of each named type's codec and validation functions (`stream_info` gives
    /// `ser_stream_info`, `de_stream_info`, `validate_stream_info`), unique in the crate.
    pub codec_stems: BTreeMap<ShapeId, String>,
    /// `aws.protocols#awsQueryCompatible`: requests say `x-amzn-query-mode: true` and errors
    /// are named by their `awsQueryError` code in `x-amzn-query-error`.
    pub query_compatible: bool,
    /// What the generator left out of the crate, each naming the shape and why (a `@pattern`
    /// that is not ECMA-262): for the person generating, printed by `cargo xtask`.
    pub notes: Vec<String>,
    /// Whose reading of the protocol the code follows where botocore and the Smithy
    /// specification differ (set from `CrateOptions::wire`).
    pub wire: WireProfile,
    /// What the service needs beyond its model, as botocore and the AWS SDKs do it.
    pub customization: Option<Customization>,
}

/// A service that needs more on the wire than its model says, decided by its sdkId (botocore's
/// `handlers.py` keys the same by service name). The compliance suite's cases for these
/// services hold the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Customization {
    /// API Gateway: `Accept: application/json` on every request unless a member binds one
    /// (botocore `add_accept_header`).
    ApiGateway,
    /// Glacier: `x-amz-glacier-version` (the API version) on every request; an unset or empty
    /// `accountId` label is `-`, the caller's account (botocore `inject_account_id`, which fills
    /// only an unset one; an empty one would leave an empty path segment); a request with a
    /// payload carries `x-amz-content-sha256` and `x-amz-sha256-tree-hash` of it unless the
    /// input sets them (botocore `add_glacier_checksums`).
    Glacier,
    /// CloudSearch Domain: `Search`, a GET in the model, goes as a POST whose body is the
    /// query, form-encoded (botocore `change_get_to_post`; long queries do not fit a URL).
    CloudSearchDomain,
}

impl Customization {
    /// The customization of the service with `sdk_id`, if any.
    pub fn of(sdk_id: &str) -> Option<Customization> {
        match sdk_id {
            "API Gateway" => Some(Customization::ApiGateway),
            "Glacier" => Some(Customization::Glacier),
            "CloudSearch Domain" => Some(Customization::CloudSearchDomain),
            _ => None,
        }
    }
}

/// Where botocore (the reference of every AWS service's wire) and the Smithy protocol
/// specification (held by its compliance suite) disagree, which one the generated code follows.
/// Each difference is decided by asking this, in the protocol code:
///
/// | | `Botocore` | `Smithy` |
/// | --- | --- | --- |
/// | blob, string or enum `@httpPayload` | no `Content-Type` | its `@mediaType`, else `application/octet-stream` or `text/plain` |
/// | unset union `@httpPayload` | `{}` | no body |
/// | empty blob `@httpPayload` in a response | empty bytes | absent |
/// | `@default` members | sent only when set; read only when present | filled in (nested input members, every output member) |
/// | `@httpChecksumRequired` | CRC32 in `x-amz-checksum-crc32` | MD5 in `Content-MD5` |
/// | an empty streaming payload in a response's document | `""` | left out |
/// | `Content-Encoding` after `@requestCompression` | `custom,gzip` | `custom, gzip` |
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum WireProfile {
    /// As botocore sends and reads: every AWS service (the corpus and the agreement tests).
    #[default]
    Botocore,
    /// As the Smithy specification says: services of one's own, and the compliance suite.
    Smithy,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    RestJson1,
    AwsJson1_0,
    AwsJson1_1,
}

impl Protocol {
    pub fn trait_id(self) -> &'static str {
        match self {
            Protocol::RestJson1 => "aws.protocols#restJson1",
            Protocol::AwsJson1_0 => "aws.protocols#awsJson1_0",
            Protocol::AwsJson1_1 => "aws.protocols#awsJson1_1",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    pub id: ShapeId,
    /// The model name (`DescribeImageGenerationConfiguration`).
    pub name: String,
    /// `describe_image_generation_configuration`: the module and the client method.
    pub module_name: String,
    pub method_name: String,
    pub docs: Option<String>,
    pub http: HttpRoute,
    /// Always a structure (the `smithy.api#Unit` input/output becomes an empty one).
    pub input: ShapeId,
    pub output: ShapeId,
    /// Rust names of the operation's own types.
    pub input_type: String,
    pub output_type: String,
    pub error_type: String,
    /// Modeled errors of the operation, then the service's, without duplicates.
    pub errors: Vec<ShapeId>,
    pub paginated: Option<Pagination>,
    /// How requests are authenticated (`@auth`, `@optionalAuth`, `aws.auth#unsignedPayload`).
    pub auth: Auth,
    /// `@endpoint` `hostPrefix`: put before the endpoint's host, with `{Label}`s filled from
    /// the input's `@hostLabel` members.
    pub host_prefix: Option<Vec<HostPrefixPart>>,
    /// `@httpChecksumRequired`: the request carries a checksum of its body.
    pub checksum_required: bool,
    /// `@requestCompression` `encodings`, in the model's order of preference.
    pub request_compression: Vec<String>,
}

/// The auth scheme an operation's requests use, resolved from the service's and the
/// operation's traits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Auth {
    /// `aws.auth#sigv4`: signed, the payload hashed.
    SigV4,
    /// `aws.auth#sigv4` with `aws.auth#unsignedPayload`: signed, with the payload hash replaced
    /// by `UNSIGNED-PAYLOAD` (sent as `x-amz-content-sha256`).
    SigV4UnsignedPayload,
    /// `@auth([])`: sent without a signature.
    Anonymous,
}

/// A piece of an `@endpoint` `hostPrefix`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostPrefixPart {
    Literal(String),
    /// `{Name}`: the value of input member `Name` (a `@hostLabel` string).
    Label(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpRoute {
    pub method: String,
    /// The URI pattern split at `?`: path segments, then literal query pairs.
    pub path: Vec<PathSegment>,
    pub literal_query: Vec<(String, Option<String>)>,
    /// Success status code.
    pub code: u16,
    /// The raw pattern, as in the model (`/streams/{StreamName}`).
    pub uri: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathSegment {
    Literal(String),
    /// `{Name}` or greedy `{Name+}`; `member` is the model name of the bound input member.
    Label {
        member: String,
        greedy: bool,
    },
}

/// `@paginated`, with the operation's and the service's values merged, as member paths.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pagination {
    pub input_token: String,
    pub output_token: Vec<String>,
    pub items: Option<Vec<String>>,
    pub page_size: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NamedType {
    Structure(Structure),
    Union(Union),
    Enum(Enum),
    IntEnum(IntEnum),
}

impl NamedType {
    pub fn rust_name(&self) -> &str {
        match self {
            NamedType::Structure(s) => &s.rust_name,
            NamedType::Union(u) => &u.rust_name,
            NamedType::Enum(e) => &e.rust_name,
            NamedType::IntEnum(e) => &e.rust_name,
        }
    }

    pub fn location(&self) -> &TypeLocation {
        match self {
            NamedType::Structure(s) => &s.location,
            NamedType::Union(u) => &u.location,
            NamedType::Enum(e) => &e.location,
            NamedType::IntEnum(e) => &e.location,
        }
    }
}

/// The module a type is emitted in.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeLocation {
    /// `crate::types`: shared structures, unions and enums.
    Types,
    /// `crate::types::error`: error structures.
    Errors,
    /// `crate::operation::<module>`: the input or output of exactly one operation.
    Operation(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Structure {
    pub id: ShapeId,
    pub rust_name: String,
    pub location: TypeLocation,
    pub docs: Option<String>,
    pub members: Vec<Member>,
    pub error: Option<ErrorInfo>,
    /// `@sensitive` on the structure: its whole `Debug` output is redacted.
    pub sensitive: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorInfo {
    pub fault: ErrorFault,
    /// `@httpError`, or the protocol default (400 client, 500 server).
    pub http_status: u16,
    /// The code that identifies this error on the wire (the shape name).
    pub code: String,
    /// `aws.protocols#awsQueryError` code: under `awsQueryCompatible`, a service names the error
    /// with it in `x-amzn-query-error` (`Code;Sender`).
    pub query_code: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorFault {
    Client,
    Server,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// The model's member name (`StreamName`): used in error paths and messages.
    pub name: String,
    /// The Rust field and method name (`stream_name`).
    pub field_name: String,
    /// The JSON key: `@jsonName` under restJson1, else the member name.
    pub json_name: String,
    pub docs: Option<String>,
    pub target: Target,
    pub required: bool,
    /// `@default` value (JSON), when the model gives one.
    pub default: Option<serde_json::Value>,
    /// `@clientOptional`: optional to clients whatever `@required` or `@default` say.
    pub client_optional: bool,
    pub binding: Binding,
    pub idempotency_token: bool,
    /// `@hostLabel`: the value goes into the operation's host prefix, so it must be a valid
    /// host label.
    pub host_label: bool,
    /// The member holds its own structure again without a list or map in between: it is
    /// boxed in Rust.
    pub boxed: bool,
}

/// What a member, list item or map key/value holds, with the constraints of the target shape
/// merged with those of the member (the member's win).
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub shape: ShapeId,
    pub ty: Type,
    pub constraints: Constraints,
    pub sensitive: bool,
    /// `@mediaType` of a string or blob (a string with one travels base64-encoded in a header).
    pub media_type: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Type {
    Boolean,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    /// Kept as text so that no precision is lost.
    BigInteger,
    BigDecimal,
    String,
    Blob {
        streaming: bool,
    },
    /// `format` is the resolved `@timestampFormat`, if any (else the binding's default).
    Timestamp {
        format: Option<TimestampFormat>,
    },
    Document,
    List {
        item: Box<Target>,
        sparse: bool,
    },
    Map {
        key: Box<Target>,
        value: Box<Target>,
        sparse: bool,
    },
    /// A structure, union, enum or int enum of `Service::types`.
    Named(ShapeId),
    /// `smithy.api#Unit`: only union members hold it (a variant without data).
    Unit,
    /// A `@streaming` union bound to the body of an operation's input or output: events sent
    /// or received one message at a time (`application/vnd.amazon.eventstream`).
    EventStream {
        union: ShapeId,
        direction: StreamDirection,
    },
}

/// Which way an event stream flows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamDirection {
    /// The caller sends the events (a member of an operation's input).
    Input,
    /// The caller receives the events (a member of an operation's output).
    Output,
}

impl Target {
    /// The named types this target holds, through lists and maps.
    pub fn named_types(&self) -> Vec<ShapeId> {
        match &self.ty {
            Type::Named(id) | Type::EventStream { union: id, .. } => vec![id.clone()],
            Type::List { item, .. } => item.named_types(),
            Type::Map { key, value, .. } => {
                let mut out = key.named_types();
                out.extend(value.named_types());
                out
            }
            _ => vec![],
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimestampFormat {
    EpochSeconds,
    DateTime,
    HttpDate,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Constraints {
    pub length: Option<(Option<u64>, Option<u64>)>,
    pub range: Option<(Option<f64>, Option<f64>)>,
    pub pattern: Option<String>,
}

impl Constraints {
    pub fn is_empty(&self) -> bool {
        self.length.is_none() && self.range.is_none() && self.pattern.is_none()
    }
}

/// Where a member travels in the HTTP message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Binding {
    /// A key of the JSON body document.
    Body,
    /// `@httpLabel`: a `{Name}` of the URI.
    Label,
    /// `@httpQuery("name")`.
    Query(String),
    /// `@httpQueryParams`: a map spread into the query string.
    QueryParams,
    /// `@httpHeader("name")`.
    Header(String),
    /// `@httpPrefixHeaders("prefix")`: a map of headers sharing a prefix.
    PrefixHeaders(String),
    /// `@httpPayload`: the member is the whole body.
    Payload,
    /// `@httpResponseCode`: the status code of the response.
    ResponseCode,
    /// `@eventHeader`: a member of an event, sent as a header of its message.
    EventHeader,
    /// `@eventPayload`: the member of an event that is the whole payload of its message.
    EventPayload,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Union {
    pub id: ShapeId,
    pub rust_name: String,
    pub location: TypeLocation,
    pub docs: Option<String>,
    /// Each member's `field_name` is unused; `variant_name` is its Rust variant. The events
    /// of an event stream union (its errors are in `event_stream`).
    pub variants: Vec<UnionVariant>,
    pub sensitive: bool,
    /// Set for a `@streaming` union.
    pub event_stream: Option<EventStreamUnion>,
}

/// What a `@streaming` union has beyond its events.
#[derive(Clone, Debug, PartialEq)]
pub struct EventStreamUnion {
    /// The Rust name of the enum of its errors (`ResponseStreamError`).
    pub error_type: String,
    /// Members that target `@error` structures: exceptions that end the stream.
    pub errors: Vec<UnionVariant>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct UnionVariant {
    pub variant_name: String,
    pub member: Member,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Enum {
    pub id: ShapeId,
    pub rust_name: String,
    pub location: TypeLocation,
    pub docs: Option<String>,
    pub values: Vec<EnumValue<String>>,
    pub sensitive: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct IntEnum {
    pub id: ShapeId,
    pub rust_name: String,
    pub location: TypeLocation,
    pub docs: Option<String>,
    pub values: Vec<EnumValue<i32>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnumValue<T> {
    /// The model's member name (`SERVER_TIMESTAMP`).
    pub name: String,
    /// The Rust variant (`ServerTimestamp`).
    pub variant_name: String,
    /// The wire value (`"SERVER_TIMESTAMP"`, or an integer).
    pub value: T,
    pub docs: Option<String>,
}

impl Service {
    /// Named types reachable from `roots` through members, list items and map entries.
    pub fn reachable(
        &self,
        roots: impl IntoIterator<Item = ShapeId>,
    ) -> std::collections::BTreeSet<ShapeId> {
        self.reachable_via(roots, |_| true)
    }

    /// Like `reachable`, following only the structure members `follow` accepts.
    pub fn reachable_via(
        &self,
        roots: impl IntoIterator<Item = ShapeId>,
        follow: impl Fn(&Member) -> bool,
    ) -> std::collections::BTreeSet<ShapeId> {
        fn visit(t: &Target, todo: &mut Vec<ShapeId>) {
            todo.extend(t.named_types());
        }
        let mut out = std::collections::BTreeSet::new();
        let mut todo: Vec<ShapeId> = roots.into_iter().collect();
        while let Some(id) = todo.pop() {
            if !out.insert(id.clone()) {
                continue;
            }
            match self.types.get(&id) {
                Some(NamedType::Structure(s)) => s
                    .members
                    .iter()
                    .filter(|m| follow(m))
                    .for_each(|m| visit(&m.target, &mut todo)),
                Some(NamedType::Union(u)) => u
                    .variants
                    .iter()
                    .for_each(|v| visit(&v.member.target, &mut todo)),
                _ => {}
            }
        }
        out
    }

    /// Named types that travel in requests (reachable from an operation input).
    pub fn input_types(&self) -> std::collections::BTreeSet<ShapeId> {
        self.reachable(self.operations.values().map(|o| o.input.clone()))
    }

    /// Named types that travel in responses (reachable from an output or an error).
    pub fn output_types(&self) -> std::collections::BTreeSet<ShapeId> {
        self.reachable(
            self.operations
                .values()
                .flat_map(|o| std::iter::once(o.output.clone()).chain(o.errors.iter().cloned())),
        )
    }

    /// The member of structure `id` that reaches the user as a byte stream read incrementally:
    /// the `@httpPayload` `@streaming` blob of an operation's output. (A streaming payload of a
    /// request is sent from memory, so it stays a plain blob.)
    pub fn streaming_output_member(&self, id: &ShapeId) -> Option<&Member> {
        if !self.operations.values().any(|o| &o.output == id) {
            return None;
        }
        let Some(NamedType::Structure(s)) = self.types.get(id) else {
            return None;
        };
        s.members.iter().find(|m| {
            m.binding == Binding::Payload && matches!(m.target.ty, Type::Blob { streaming: true })
        })
    }

    /// The member of structure `id` that is an event stream, with its union and direction.
    pub fn event_stream_member(
        &self,
        id: &ShapeId,
    ) -> Option<(&Member, &ShapeId, StreamDirection)> {
        let Some(NamedType::Structure(s)) = self.types.get(id) else {
            return None;
        };
        s.members.iter().find_map(|m| match &m.target.ty {
            Type::EventStream { union, direction } => Some((m, union, *direction)),
            _ => None,
        })
    }

    /// The union `id` (panics when it is not one: an IR invariant of the caller).
    pub fn union(&self, id: &ShapeId) -> &Union {
        match self.types.get(id) {
            Some(NamedType::Union(u)) => u,
            other => panic!("IR invariant: {id} is not a union ({other:?})"),
        }
    }

    /// See `codec_stems`.
    pub fn codec_stem(&self, id: &ShapeId) -> &str {
        self.codec_stems
            .get(id)
            .map(String::as_str)
            .unwrap_or_else(|| panic!("IR invariant: {id} has no codec stem"))
    }

    pub fn structure(&self, id: &ShapeId) -> &Structure {
        match self.types.get(id) {
            Some(NamedType::Structure(s)) => s,
            other => panic!("IR invariant: {id} is not a structure ({other:?})"),
        }
    }

    /// Paths of every structure, union and enum, for `use` statements.
    pub fn type_path(&self, id: &ShapeId) -> (TypeLocation, String) {
        let t = &self.types[id];
        (t.location().clone(), t.rust_name().to_string())
    }
}
