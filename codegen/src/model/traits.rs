//! Typed views of the traits that change the generated code or the wire, and the list of
//! traits that are known not to. Any other trait is refused by the lowering step, so that a
//! model using a wire feature we do not implement fails loudly instead of producing a client
//! that sends the wrong bytes.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

/// Traits of a shape or member, keyed by absolute trait id.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Traits(BTreeMap<String, Value>);

/// Traits the generator implements.
pub const UNDERSTOOD: &[&str] = &[
    "smithy.api#required",
    "smithy.api#default",
    "smithy.api#clientOptional",
    "smithy.api#addedDefault",
    "smithy.api#enumValue",
    "smithy.api#enum",
    "smithy.api#jsonName",
    "smithy.api#timestampFormat",
    "smithy.api#sensitive",
    "smithy.api#error",
    "smithy.api#httpError",
    "smithy.api#http",
    "smithy.api#httpLabel",
    "smithy.api#httpQuery",
    "smithy.api#httpQueryParams",
    "smithy.api#httpHeader",
    "smithy.api#httpPrefixHeaders",
    "smithy.api#httpPayload",
    "smithy.api#httpResponseCode",
    "smithy.api#streaming",
    "smithy.api#eventHeader",
    "smithy.api#eventPayload",
    "smithy.api#requiresLength",
    "smithy.api#mediaType",
    "smithy.api#length",
    "smithy.api#range",
    "smithy.api#pattern",
    "smithy.api#sparse",
    "smithy.api#paginated",
    "smithy.api#idempotencyToken",
    "smithy.api#documentation",
    "smithy.api#input",
    "smithy.api#output",
    "smithy.api#unitType",
    "smithy.api#mixin",
    "smithy.api#title",
    "aws.api#service",
    "aws.auth#sigv4",
    "aws.protocols#restJson1",
    "smithy.rules#endpointRuleSet",
    "smithy.rules#endpointTests",
    "smithy.rules#contextParam",
    "smithy.rules#staticContextParams",
    "smithy.rules#clientContextParams",
    // Auth: which scheme signs an operation (`lower::auth_of`).
    "smithy.api#auth",
    "smithy.api#optionalAuth",
    "aws.auth#unsignedPayload",
    "aws.auth#sigv4a",
    "smithy.api#httpApiKeyAuth",
    "smithy.api#httpBasicAuth",
    "smithy.api#httpBearerAuth",
    "smithy.api#httpDigestAuth",
    // Query-compatible error codes (`ErrorInfo::query_code`, `Service::query_compatible`).
    "aws.protocols#awsQueryCompatible",
    "aws.protocols#awsQueryError",
    // Host prefixes (`Lowering::host_prefix`).
    "smithy.api#endpoint",
    "smithy.api#hostLabel",
    // Request bodies (`Operation::checksum_required`, `Operation::request_compression`).
    "smithy.api#httpChecksumRequired",
    "smithy.api#requestCompression",
];

/// Traits that do not change what is sent or read: documentation, tooling and validation
/// metadata, and XML traits (irrelevant to the JSON protocols).
pub const NO_WIRE_EFFECT: &[&str] = &[
    "smithy.api#deprecated",
    "smithy.api#since",
    "smithy.api#tags",
    "smithy.api#externalDocumentation",
    "smithy.api#examples",
    "smithy.api#readonly",
    "smithy.api#idempotent",
    "smithy.api#retryable",
    "smithy.api#suppress",
    "smithy.api#unstable",
    "smithy.api#internal",
    "smithy.api#private",
    "smithy.api#trait",
    "smithy.api#references",
    "smithy.api#resourceIdentifier",
    "smithy.api#noReplace",
    "smithy.api#cors",
    "smithy.api#recommended",
    "smithy.api#uniqueItems",
    "smithy.api#box",
    "smithy.api#authDefinition",
    "smithy.api#protocolDefinition",
    "smithy.api#property",
    "smithy.api#notProperty",
    "smithy.api#nestedProperties",
    "smithy.api#xmlNamespace",
    "smithy.api#xmlName",
    "smithy.api#xmlFlattened",
    "smithy.api#xmlAttribute",
    "aws.api#arn",
    "aws.api#arnReference",
    "aws.api#data",
    "aws.api#tagEnabled",
    "aws.api#taggable",
    "aws.api#controlPlane",
    "aws.api#dataPlane",
];

/// Traits that describe the endpoints a service has (dual-stack only, regional or
/// partitional patterns). They only inform the endpoint rule set the model carries, which the
/// generated client evaluates: they change nothing on their own when the rule set is there.
pub const ENDPOINT_RULE_HINTS: &[&str] = &[
    "aws.endpoints#dualStackOnlyEndpoints",
    "aws.endpoints#standardRegionalEndpoints",
    "aws.endpoints#standardPartitionalEndpoints",
    "aws.endpoints#rulesBasedEndpoints",
];

/// Whole namespaces of metadata-only traits.
pub const NO_WIRE_EFFECT_NAMESPACES: &[&str] = &[
    "aws.iam#",
    "aws.cloudformation#",
    "smithy.test#",
    "smithy.waiters#",
];

/// `(min, max)` bounds of `@length` and `@range`.
pub type Bounds<T> = (Option<T>, Option<T>);

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpTrait {
    pub method: String,
    pub uri: String,
    pub code: Option<u16>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Paginated {
    pub input_token: Option<String>,
    pub output_token: Option<String>,
    pub items: Option<String>,
    pub page_size: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AwsService {
    pub sdk_id: Option<String>,
    pub arn_namespace: Option<String>,
    pub endpoint_prefix: Option<String>,
    pub cloud_formation_name: Option<String>,
}

/// Smithy 1.0's `@enum` trait entry.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct EnumDefinition {
    pub value: String,
    pub name: Option<String>,
    pub documentation: Option<String>,
}

impl Traits {
    pub fn new(map: BTreeMap<String, Value>) -> Self {
        Traits(map)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.0.iter()
    }

    pub fn contains(&self, id: &str) -> bool {
        self.0.contains_key(id)
    }

    pub fn get(&self, id: &str) -> Option<&Value> {
        self.0.get(id)
    }

    pub fn insert(&mut self, id: String, value: Value) {
        self.0.insert(id, value);
    }

    pub fn extend(&mut self, other: BTreeMap<String, Value>) {
        self.0.extend(other);
    }

    /// Reads trait `id` as `T`; a value of the wrong form is an error naming the trait.
    pub fn parse<T: for<'de> Deserialize<'de>>(&self, id: &str) -> Result<Option<T>, String> {
        self.0
            .get(id)
            .map(|v| T::deserialize(v).map_err(|e| format!("has a malformed `{id}` trait: {e}")))
            .transpose()
    }

    fn string(&self, id: &str) -> Result<Option<String>, String> {
        self.parse::<String>(id)
    }

    pub fn documentation(&self) -> Option<&str> {
        self.0
            .get("smithy.api#documentation")
            .and_then(Value::as_str)
    }

    pub fn required(&self) -> bool {
        self.contains("smithy.api#required")
    }

    pub fn client_optional(&self) -> bool {
        self.contains("smithy.api#clientOptional")
    }

    pub fn default_value(&self) -> Option<&Value> {
        self.0.get("smithy.api#default")
    }

    pub fn sensitive(&self) -> bool {
        self.contains("smithy.api#sensitive")
    }

    pub fn sparse(&self) -> bool {
        self.contains("smithy.api#sparse")
    }

    pub fn streaming(&self) -> bool {
        self.contains("smithy.api#streaming")
    }

    pub fn idempotency_token(&self) -> bool {
        self.contains("smithy.api#idempotencyToken")
    }

    pub fn http_label(&self) -> bool {
        self.contains("smithy.api#httpLabel")
    }

    pub fn http_payload(&self) -> bool {
        self.contains("smithy.api#httpPayload")
    }

    pub fn http_query_params(&self) -> bool {
        self.contains("smithy.api#httpQueryParams")
    }

    pub fn http_response_code(&self) -> bool {
        self.contains("smithy.api#httpResponseCode")
    }

    pub fn enum_value(&self) -> Option<&Value> {
        self.0.get("smithy.api#enumValue")
    }

    pub fn json_name(&self) -> Result<Option<String>, String> {
        self.string("smithy.api#jsonName")
    }

    pub fn timestamp_format(&self) -> Result<Option<String>, String> {
        self.string("smithy.api#timestampFormat")
    }

    /// `@requestCompression` `encodings` (empty without the trait).
    pub fn request_compression(&self) -> Result<Vec<String>, String> {
        #[derive(Deserialize)]
        struct RequestCompression {
            encodings: Vec<String>,
        }
        match self.get("smithy.api#requestCompression") {
            None => Ok(Vec::new()),
            Some(v) => serde_json::from_value::<RequestCompression>(v.clone())
                .map(|r| r.encodings)
                .map_err(|e| format!("has an invalid `smithy.api#requestCompression`: {e}")),
        }
    }

    pub fn media_type(&self) -> Result<Option<String>, String> {
        self.string("smithy.api#mediaType")
    }

    pub fn http_query(&self) -> Result<Option<String>, String> {
        self.string("smithy.api#httpQuery")
    }

    pub fn http_header(&self) -> Result<Option<String>, String> {
        self.string("smithy.api#httpHeader")
    }

    pub fn http_prefix_headers(&self) -> Result<Option<String>, String> {
        self.string("smithy.api#httpPrefixHeaders")
    }

    /// `client` or `server`.
    pub fn error(&self) -> Result<Option<String>, String> {
        self.string("smithy.api#error")
    }

    pub fn http_error(&self) -> Result<Option<u16>, String> {
        self.parse("smithy.api#httpError")
    }

    pub fn http(&self) -> Result<Option<HttpTrait>, String> {
        self.parse("smithy.api#http")
    }

    pub fn paginated(&self) -> Result<Option<Paginated>, String> {
        self.parse("smithy.api#paginated")
    }

    pub fn pattern(&self) -> Result<Option<String>, String> {
        self.string("smithy.api#pattern")
    }

    /// `(min, max)` of `@length`.
    pub fn length(&self) -> Result<Option<Bounds<u64>>, String> {
        #[derive(Deserialize)]
        struct L {
            min: Option<u64>,
            max: Option<u64>,
        }
        Ok(self
            .parse::<L>("smithy.api#length")?
            .map(|l| (l.min, l.max)))
    }

    /// `(min, max)` of `@range`; bounds may be any JSON number.
    pub fn range(&self) -> Result<Option<Bounds<f64>>, String> {
        #[derive(Deserialize)]
        struct R {
            min: Option<f64>,
            max: Option<f64>,
        }
        Ok(self.parse::<R>("smithy.api#range")?.map(|r| (r.min, r.max)))
    }

    pub fn aws_service(&self) -> Result<Option<AwsService>, String> {
        self.parse("aws.api#service")
    }

    /// The SigV4 signing name of `aws.auth#sigv4`.
    pub fn sigv4_name(&self) -> Result<Option<String>, String> {
        #[derive(Deserialize)]
        struct S {
            name: String,
        }
        Ok(self.parse::<S>("aws.auth#sigv4")?.map(|s| s.name))
    }

    pub fn enum_definitions(&self) -> Result<Option<Vec<EnumDefinition>>, String> {
        self.parse("smithy.api#enum")
    }
}

/// Is this trait one the generator may ignore or handles? `custom` holds the ids of traits the
/// model defines itself (shapes with `@trait`), which carry no wire meaning.
pub fn is_known(trait_id: &str, custom: &dyn Fn(&str) -> bool) -> bool {
    UNDERSTOOD.contains(&trait_id)
        || NO_WIRE_EFFECT.contains(&trait_id)
        || NO_WIRE_EFFECT_NAMESPACES
            .iter()
            .any(|ns| trait_id.starts_with(ns))
        || custom(trait_id)
}
