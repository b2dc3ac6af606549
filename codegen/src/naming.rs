//! Every Rust name the generator emits is decided here, once: type, field, variant, module,
//! method and crate names, keyword escaping and the rules for names that would collide.
//! Emitters never case-convert a model name themselves.

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

/// Strict and reserved keywords of Rust 2021 (raw identifiers escape all but the four below).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "gen", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Methods generated types and builders have besides their members' (and the trait methods
/// they derive): a member whose field would take one of these names is renamed by
/// [`field_name`] (`Default` → `default_value`), never refused.
pub const RESERVED_MEMBER_NAMES: &[&str] = &[
    "build",
    "builder",
    "default",
    "clone",
    "fmt",
    "eq",
    "hash",
    "validate",
    "send",
    "dry_run",
    "with_endpoint_url",
    "into_paginator",
    "into_items",
];

/// Methods of the generated client other than operations.
pub const CLIENT_METHODS: &[&str] = &["new", "config", "from_env", "builder", "clone", "fmt"];

/// Variant names the generator adds to enums and unions.
pub const RESERVED_VARIANTS: &[&str] = &["Unknown"];

/// Type names that generated modules define or rely on besides model types.
pub const RESERVED_TYPES: &[&str] = &["Client", "Config", "Self"];

/// A Rust identifier for a snake-case name: keywords become raw identifiers (`r#type`), the
/// four that cannot be raw get a trailing underscore (`self_`).
pub fn escape_ident(name: &str) -> String {
    if NOT_RAW.contains(&name) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name) {
        format!("r#{name}")
    } else {
        name.to_string()
    }
}

/// `StreamARN` → `stream_arn`, `KMSKeyId` → `kms_key_id`, `type` → `r#type`; a name of
/// [`RESERVED_MEMBER_NAMES`] gets `_value` (`Default` → `default_value`, as the AWS SDK for Rust
/// names it), so that its field, getter and setters never shadow a generated method.
pub fn field_name(member: &str) -> String {
    let snake = member.to_snake_case();
    let snake = if snake.starts_with(|c: char| c.is_ascii_digit()) || snake.is_empty() {
        format!("_{snake}")
    } else if RESERVED_MEMBER_NAMES.contains(&snake.as_str()) {
        format!("{snake}_value")
    } else {
        snake
    };
    escape_ident(&snake)
}

/// A field name without its raw-identifier prefix, for deriving other names from it.
pub fn bare(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// The builder setter that takes an `Option` (`set_stream_name`).
pub fn setter_of_option(field: &str) -> String {
    format!("set_{}", bare(field).trim_end_matches('_'))
}

/// `ImageGenerationConfiguration` stays; `fooBar` → `FooBar`; `Result`, `Option`... are kept
/// (generated code uses fully qualified std paths, so they cannot shadow anything).
pub fn type_name(shape_name: &str) -> String {
    let pascal = shape_name.to_upper_camel_case();
    let pascal = if pascal.starts_with(|c: char| c.is_ascii_digit()) || pascal.is_empty() {
        format!("Shape{pascal}")
    } else {
        pascal
    };
    if RESERVED_TYPES.contains(&pascal.as_str()) {
        format!("{pascal}Shape")
    } else {
        pascal
    }
}

/// `SERVER_TIMESTAMP` → `ServerTimestamp`; `Unknown` → `UnknownValue` (the generator's own
/// `Unknown` variant keeps unrecognised wire values); `1080p` → `V1080p`.
pub fn variant_name(member: &str) -> String {
    let pascal = member.to_lowercase_if_shouty().to_upper_camel_case();
    let pascal = if pascal.starts_with(|c: char| c.is_ascii_digit()) || pascal.is_empty() {
        format!("V{pascal}")
    } else {
        pascal
    };
    if RESERVED_VARIANTS.contains(&pascal.as_str()) || pascal == "Self" {
        format!("{pascal}Value")
    } else {
        pascal
    }
}

trait ShoutyExt {
    fn to_lowercase_if_shouty(&self) -> String;
}

impl ShoutyExt for str {
    /// `AES256` and `SERVER_TIMESTAMP` are all caps: PascalCase them word by word rather than
    /// letter by letter. Mixed-case names are left for heck to split.
    fn to_lowercase_if_shouty(&self) -> String {
        if self.chars().any(|c| c.is_ascii_lowercase()) {
            self.to_string()
        } else {
            self.to_lowercase()
        }
    }
}

/// Module name of an operation (`describe_image_generation_configuration`).
pub fn module_name(operation: &str) -> String {
    escape_ident(&operation.to_snake_case())
}

/// Client method of an operation; clashes with the client's own methods get `_operation`.
pub fn method_name(operation: &str) -> String {
    let snake = operation.to_snake_case();
    if CLIENT_METHODS.contains(&snake.as_str()) {
        format!("{snake}_operation")
    } else {
        escape_ident(&snake)
    }
}

/// `Kinesis Video WebRTC Storage` → `kinesis-video-webrtc-storage` (package) and
/// `kinesis_video_webrtc_storage` (library): the sdkId's words, lowercased, as the AWS CLI
/// names the service (word case is not split, so `WebRTC` stays one word).
pub fn crate_name(sdk_id: &str) -> String {
    sdk_id
        .split_whitespace()
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

pub fn lib_name(crate_name: &str) -> String {
    crate_name.replace('-', "_")
}

/// `Kinesis Video WebRTC Storage` → `KINESIS_VIDEO_WEBRTC_STORAGE`, for
/// `AWS_ENDPOINT_URL_KINESIS_VIDEO_WEBRTC_STORAGE`: the SDKs' rule is the sdkId with spaces
/// (and hyphens) turned into underscores, uppercased.
pub fn env_endpoint_id(sdk_id: &str) -> String {
    sdk_id
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_uppercase)
        .collect::<Vec<_>>()
        .join("_")
}

pub fn input_name(operation: &str) -> String {
    format!("{}Input", type_name(operation))
}

pub fn output_name(operation: &str) -> String {
    format!("{}Output", type_name(operation))
}

pub fn error_enum_name(operation: &str) -> String {
    format!("{}Error", type_name(operation))
}

/// The enum of the errors of an event stream union (`ResponseStreamError`).
pub fn event_stream_error_name(union_type: &str) -> String {
    format!("{union_type}Error")
}

/// The functions that turn events of an event stream union into messages and back.
pub fn marshall_fn(union_type: &str) -> String {
    format!("marshall_{}", union_type.to_snake_case())
}

pub fn unmarshall_fn(union_type: &str) -> String {
    format!("unmarshall_{}", union_type.to_snake_case())
}

pub fn builder_name(type_name: &str) -> String {
    format!("{type_name}Builder")
}

/// A `static` holding a compiled `@pattern`: `PATTERN_STREAM_NAME`.
pub fn pattern_static(shape_name: &str, member: Option<&str>) -> String {
    match member {
        Some(m) => format!(
            "PATTERN_{}_{}",
            shape_name.to_shouty_snake_case(),
            m.to_shouty_snake_case()
        ),
        None => format!("PATTERN_{}", shape_name.to_shouty_snake_case()),
    }
}

/// The `static`s of a named type's input shape in `dispatch.rs`, from its codec stem (unique in
/// the crate, unlike type names, which two modules may share): `SHAPE_IMAGE_GENERATION_CONFIGURATION`
/// and `MEMBERS_IMAGE_GENERATION_CONFIGURATION`.
pub fn shape_statics(codec_stem: &str) -> (String, String) {
    let base = codec_stem.to_shouty_snake_case();
    (format!("SHAPE_{base}"), format!("MEMBERS_{base}"))
}

/// The stem of a named type's codec and validation functions: its Rust name in snake case.
/// Functions share one module, types do not: an operation's own input or output whose stem a
/// shared type has too (Bedrock's union `ConverseOutput` and the output of `Converse`) gets
/// `op_` before it.
pub fn codec_stem(type_name: &str, clashes_with_shared: bool) -> String {
    let stem = type_name.to_snake_case();
    if clashes_with_shared {
        format!("op_{stem}")
    } else {
        stem
    }
}

/// Serializer and deserializer function names of a named type (from its codec stem).
pub fn ser_fn(type_name: &str) -> String {
    format!("ser_{}", type_name.to_snake_case())
}

/// The reader of an error structure from a response or an exception event
/// (`de_error_resource_not_found_exception`).
pub fn de_error_fn(type_name: &str) -> String {
    format!("de_error_{}", bare(&field_name(type_name)))
}

/// The reader of a named type's JSON object (`DeImageGenerationConfiguration`), a unit struct
/// implementing the runtime's `ReadObject`.
pub fn de_reader(type_name: &str) -> String {
    format!("De{}", type_name.to_upper_camel_case())
}

pub fn validate_fn(type_name: &str) -> String {
    format!("validate_{}", type_name.to_snake_case())
}

/// A test function name from a test case's description (`For region us-east-1 with FIPS
/// enabled` → `for_region_us_east_1_with_fips_enabled`), unique among `used`.
pub fn unique_test_name(
    description: &str,
    index: usize,
    used: &mut std::collections::BTreeSet<String>,
) -> String {
    let mut base = description.to_snake_case();
    if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
        base = format!("case_{index}_{base}")
            .trim_end_matches('_')
            .to_string();
    }
    let base = escape_ident(&base).trim_start_matches("r#").to_string();
    let mut name = base.clone();
    let mut n = 2;
    while !used.insert(name.clone()) {
        name = format!("{base}_{n}");
        n += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_split_acronyms_and_escape_keywords() {
        assert_eq!(field_name("StreamARN"), "stream_arn");
        assert_eq!(field_name("KMSKeyId"), "kms_key_id");
        assert_eq!(
            field_name("DataRetentionInHours"),
            "data_retention_in_hours"
        );
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("Self"), "self_");
        assert_eq!(field_name("Match"), "r#match");
        assert_eq!(setter_of_option("r#type"), "set_type");
        assert_eq!(setter_of_option("self_"), "set_self");
        assert_eq!(field_name("Default"), "default_value");
        assert_eq!(field_name("Build"), "build_value");
        assert_eq!(field_name("Eq"), "eq_value");
        assert_eq!(field_name("Builder"), "builder_value");
        assert_eq!(field_name("BuildId"), "build_id");
    }

    #[test]
    fn variants_and_types() {
        assert_eq!(variant_name("SERVER_TIMESTAMP"), "ServerTimestamp");
        assert_eq!(variant_name("AES256"), "Aes256");
        assert_eq!(variant_name("Unknown"), "UnknownValue");
        assert_eq!(variant_name("fooBar"), "FooBar");
        assert_eq!(type_name("fooBar"), "FooBar");
        assert_eq!(type_name("Client"), "ClientShape");
        assert_eq!(crate_name("Kinesis Video"), "kinesis-video");
        assert_eq!(
            crate_name("Kinesis Video WebRTC Storage"),
            "kinesis-video-webrtc-storage"
        );
        assert_eq!(
            env_endpoint_id("Kinesis Video WebRTC Storage"),
            "KINESIS_VIDEO_WEBRTC_STORAGE"
        );
        assert_eq!(lib_name("kinesis-video"), "kinesis_video");
        assert_eq!(
            env_endpoint_id("Kinesis Video Archived Media"),
            "KINESIS_VIDEO_ARCHIVED_MEDIA"
        );
        assert_eq!(method_name("New"), "new_operation");
    }
}
