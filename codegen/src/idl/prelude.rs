//! The prelude (`smithy.api`): the shapes every model can refer to by their bare name, with
//! what the reader needs to know about them (their type, whether they are trait definitions,
//! whether they have a zero `@default`). The prelude's own definitions are not part of any
//! model's AST (`smithy ast` leaves them out too).
//!
//! The table follows `prelude.smithy` of Smithy 1.x/2.0; `tests/idl_loader.rs` checks it
//! against the copy in the shared data.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::defs::ShapeType;
use ShapeType::*;

/// How a prelude shape is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A plain shape.
    Plain,
    /// A trait definition (`@trait`).
    Trait,
    /// A `Primitive*` shape with a zero `@default`.
    ZeroDefault,
}

use Role::{Plain as PLAIN, Trait as TRAIT, ZeroDefault as ZERO_DEFAULT};

pub const NAMESPACE: &str = "smithy.api";

/// Every prelude shape: name, type, role.
pub const SHAPES: &[(&str, ShapeType, Role)] = &[
    ("String", String, PLAIN),
    ("Blob", Blob, PLAIN),
    ("BigInteger", BigInteger, PLAIN),
    ("BigDecimal", BigDecimal, PLAIN),
    ("Timestamp", Timestamp, PLAIN),
    ("Document", Document, PLAIN),
    ("Boolean", Boolean, PLAIN),
    ("Byte", Byte, PLAIN),
    ("Short", Short, PLAIN),
    ("Integer", Integer, PLAIN),
    ("Long", Long, PLAIN),
    ("Float", Float, PLAIN),
    ("Double", Double, PLAIN),
    ("PrimitiveBoolean", Boolean, ZERO_DEFAULT),
    ("PrimitiveByte", Byte, ZERO_DEFAULT),
    ("PrimitiveShort", Short, ZERO_DEFAULT),
    ("PrimitiveInteger", Integer, ZERO_DEFAULT),
    ("PrimitiveLong", Long, ZERO_DEFAULT),
    ("PrimitiveFloat", Float, ZERO_DEFAULT),
    ("PrimitiveDouble", Double, ZERO_DEFAULT),
    ("Unit", Structure, PLAIN),
    ("trait", Structure, TRAIT),
    ("TraitDiffRules", List, PLAIN),
    ("TraitDiffRule", Structure, PLAIN),
    ("TraitChangeType", Enum, PLAIN),
    ("Severity", Enum, PLAIN),
    ("StructurallyExclusive", Enum, PLAIN),
    ("deprecated", Structure, TRAIT),
    ("box", Structure, TRAIT),
    ("documentation", String, TRAIT),
    ("externalDocumentation", Map, TRAIT),
    ("auth", List, TRAIT),
    ("AuthTraitReference", String, PLAIN),
    ("protocolDefinition", Structure, TRAIT),
    ("TraitShapeIdList", List, PLAIN),
    ("TraitShapeId", String, PLAIN),
    ("authDefinition", Structure, TRAIT),
    ("httpBasicAuth", Structure, TRAIT),
    ("httpDigestAuth", Structure, TRAIT),
    ("httpBearerAuth", Structure, TRAIT),
    ("httpApiKeyAuth", Structure, TRAIT),
    ("traitValidators", Map, TRAIT),
    ("TraitValidator", Structure, PLAIN),
    ("metadata", Structure, TRAIT),
    ("ShapeClosures", List, PLAIN),
    ("ShapeClosure", Structure, PLAIN),
    ("ClosureId", String, PLAIN),
    ("Namespaces", List, PLAIN),
    ("Renames", Map, PLAIN),
    ("CommonMark", String, PLAIN),
    ("Identifier", String, PLAIN),
    ("default", Document, TRAIT),
    ("addedDefault", Structure, TRAIT),
    ("clientOptional", Structure, TRAIT),
    ("HttpApiKeyLocations", Enum, PLAIN),
    ("optionalAuth", Structure, TRAIT),
    ("examples", List, TRAIT),
    ("Example", Structure, PLAIN),
    ("ExampleError", Structure, PLAIN),
    ("error", Enum, TRAIT),
    ("retryable", Structure, TRAIT),
    ("readonly", Structure, TRAIT),
    ("idempotent", Structure, TRAIT),
    ("IdempotentErrors", List, PLAIN),
    ("idempotencyToken", Structure, TRAIT),
    ("internal", Structure, TRAIT),
    ("jsonName", String, TRAIT),
    ("xmlAttribute", Structure, TRAIT),
    ("xmlFlattened", Structure, TRAIT),
    ("xmlName", String, TRAIT),
    ("xmlNamespace", Structure, TRAIT),
    ("NonEmptyString", String, PLAIN),
    ("noReplace", Structure, TRAIT),
    ("mediaType", String, TRAIT),
    ("references", List, TRAIT),
    ("Reference", Structure, PLAIN),
    ("NonEmptyStringMap", Map, PLAIN),
    ("resourceIdentifier", String, TRAIT),
    ("private", Structure, TRAIT),
    ("sensitive", Structure, TRAIT),
    ("since", String, TRAIT),
    ("streaming", Structure, TRAIT),
    ("requiresLength", Structure, TRAIT),
    ("longPoll", Structure, TRAIT),
    ("tags", List, TRAIT),
    ("title", String, TRAIT),
    ("enum", List, TRAIT),
    ("EnumDefinition", Structure, PLAIN),
    ("EnumConstantBodyName", String, PLAIN),
    ("enumValue", Document, TRAIT),
    ("length", Structure, TRAIT),
    ("range", Structure, TRAIT),
    ("pattern", String, TRAIT),
    ("required", Structure, TRAIT),
    ("property", Structure, TRAIT),
    ("notProperty", Structure, TRAIT),
    ("nestedProperties", Structure, TRAIT),
    ("recommended", Structure, TRAIT),
    ("sparse", Structure, TRAIT),
    ("uniqueItems", Structure, TRAIT),
    ("unstable", Structure, TRAIT),
    ("paginated", Structure, TRAIT),
    ("http", Structure, TRAIT),
    ("httpLabel", Structure, TRAIT),
    ("httpQuery", String, TRAIT),
    ("httpQueryParams", Structure, TRAIT),
    ("httpHeader", String, TRAIT),
    ("httpPrefixHeaders", String, TRAIT),
    ("httpPayload", Structure, TRAIT),
    ("httpError", Integer, TRAIT),
    ("httpResponseCode", Structure, TRAIT),
    ("cors", Structure, TRAIT),
    ("NonEmptyStringList", List, PLAIN),
    ("eventPayload", Structure, TRAIT),
    ("eventHeader", Structure, TRAIT),
    ("idRef", Structure, TRAIT),
    ("timestampFormat", Enum, TRAIT),
    ("endpoint", Structure, TRAIT),
    ("hostLabel", Structure, TRAIT),
    ("suppress", List, TRAIT),
    ("httpChecksumRequired", Structure, TRAIT),
    ("input", Structure, TRAIT),
    ("output", Structure, TRAIT),
    ("unitType", Structure, TRAIT),
    ("mixin", Structure, TRAIT),
    ("LocalMixinTraitList", List, PLAIN),
    ("LocalMixinTrait", String, PLAIN),
    ("RequestCompressionEncodingsList", List, PLAIN),
    ("requestCompression", Structure, TRAIT),
];

/// The type and role of a prelude shape, by absolute id.
pub fn lookup(id: &str) -> Option<(ShapeType, Role)> {
    static BY_NAME: OnceLock<HashMap<&'static str, (ShapeType, Role)>> = OnceLock::new();
    let name = id.strip_prefix("smithy.api#")?;
    BY_NAME
        .get_or_init(|| SHAPES.iter().map(|(n, t, r)| (*n, (*t, *r))).collect())
        .get(name)
        .copied()
}
