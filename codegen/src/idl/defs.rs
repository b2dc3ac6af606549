//! What one model file says, before the files are put together: shape definitions, trait
//! applications and metadata, with shape references still as written (the IDL resolves relative
//! names against the whole model, so resolution waits until every file is read).

use std::fmt;
use std::sync::Arc;

use super::node::Node;

/// A position in a model file (line and column start at 1; 0 when unknown).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loc {
    pub file: Arc<str>,
    pub line: u32,
    pub column: u32,
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// The IDL / JSON AST version a file declares (`$version`, `"smithy"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    V1,
    V2,
}

impl Version {
    pub fn parse(text: &str) -> Option<Version> {
        match text {
            "1" | "1.0" => Some(Version::V1),
            "2" | "2.0" => Some(Version::V2),
            _ => None,
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Version::V1 => "1.0",
            Version::V2 => "2.0",
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ShapeType {
    Blob,
    Boolean,
    String,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    BigInteger,
    BigDecimal,
    Timestamp,
    Document,
    Enum,
    IntEnum,
    List,
    Set,
    Map,
    Structure,
    Union,
    Service,
    Resource,
    Operation,
}

impl ShapeType {
    pub const ALL: [ShapeType; 23] = [
        ShapeType::Blob,
        ShapeType::Boolean,
        ShapeType::String,
        ShapeType::Byte,
        ShapeType::Short,
        ShapeType::Integer,
        ShapeType::Long,
        ShapeType::Float,
        ShapeType::Double,
        ShapeType::BigInteger,
        ShapeType::BigDecimal,
        ShapeType::Timestamp,
        ShapeType::Document,
        ShapeType::Enum,
        ShapeType::IntEnum,
        ShapeType::List,
        ShapeType::Set,
        ShapeType::Map,
        ShapeType::Structure,
        ShapeType::Union,
        ShapeType::Service,
        ShapeType::Resource,
        ShapeType::Operation,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ShapeType::Blob => "blob",
            ShapeType::Boolean => "boolean",
            ShapeType::String => "string",
            ShapeType::Byte => "byte",
            ShapeType::Short => "short",
            ShapeType::Integer => "integer",
            ShapeType::Long => "long",
            ShapeType::Float => "float",
            ShapeType::Double => "double",
            ShapeType::BigInteger => "bigInteger",
            ShapeType::BigDecimal => "bigDecimal",
            ShapeType::Timestamp => "timestamp",
            ShapeType::Document => "document",
            ShapeType::Enum => "enum",
            ShapeType::IntEnum => "intEnum",
            ShapeType::List => "list",
            ShapeType::Set => "set",
            ShapeType::Map => "map",
            ShapeType::Structure => "structure",
            ShapeType::Union => "union",
            ShapeType::Service => "service",
            ShapeType::Resource => "resource",
            ShapeType::Operation => "operation",
        }
    }

    pub fn from_name(name: &str) -> Option<ShapeType> {
        ShapeType::ALL.into_iter().find(|t| t.name() == name)
    }

    /// Shapes whose members are named by the model (structure, union, enum, intEnum).
    pub fn has_named_members(self) -> bool {
        matches!(
            self,
            ShapeType::Structure | ShapeType::Union | ShapeType::Enum | ShapeType::IntEnum
        )
    }
}

impl fmt::Display for ShapeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A shape reference as written: absolute (`ns#Name`, `ns#Name$member`) or relative to the
/// namespace of the file it was written in (after `use` statements were applied).
#[derive(Clone, Debug)]
pub struct Ref {
    pub text: String,
    /// The namespace of the file (`None` before the namespace statement: metadata, whose
    /// relative ids resolve to the prelude).
    pub namespace: Option<Arc<str>>,
    pub loc: Loc,
}

impl Ref {
    pub fn absolute(id: impl Into<String>, loc: Loc) -> Ref {
        Ref {
            text: id.into(),
            namespace: None,
            loc,
        }
    }
}

/// A trait applied to a shape or member (in a shape statement, an `apply`, a doc comment or the
/// `= value` sugar).
#[derive(Clone, Debug)]
pub struct TraitApp {
    /// The shape or member the trait is applied to.
    pub target: Ref,
    pub name: Ref,
    pub value: Node,
    /// Written without a value (`@foo`, `@foo()`): the value follows the trait's shape type.
    pub annotation: bool,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub struct MemberDef {
    pub name: String,
    /// `None` for an elided target (`$name`), taken from the `for` resource or a mixin.
    pub target: Option<Ref>,
    pub loc: Loc,
}

/// The properties of operations, services and resources.
#[derive(Clone, Debug, Default)]
pub struct EntityDef {
    pub input: Option<Ref>,
    pub output: Option<Ref>,
    pub errors: Vec<Ref>,
    pub version: Option<String>,
    pub operations: Vec<Ref>,
    pub resources: Vec<Ref>,
    /// Absolute shape id to the name a service uses for it.
    pub rename: Vec<(String, String)>,
    pub identifiers: Vec<(String, Ref)>,
    pub properties: Vec<(String, Ref)>,
    pub create: Option<Ref>,
    pub put: Option<Ref>,
    pub read: Option<Ref>,
    pub update: Option<Ref>,
    pub delete: Option<Ref>,
    pub list: Option<Ref>,
    pub collection_operations: Vec<Ref>,
}

#[derive(Clone, Debug)]
pub struct ShapeDef {
    /// Absolute shape id.
    pub id: String,
    pub kind: ShapeType,
    pub loc: Loc,
    pub version: Version,
    pub members: Vec<MemberDef>,
    pub mixins: Vec<Ref>,
    /// `structure X for Resource`.
    pub for_resource: Option<Ref>,
    pub entity: EntityDef,
}

#[derive(Clone, Debug)]
pub struct MetadataDef {
    pub key: String,
    pub value: Node,
    pub loc: Loc,
}

/// Everything one file defines.
#[derive(Clone, Debug)]
pub struct FileDefs {
    pub version: Version,
    pub metadata: Vec<MetadataDef>,
    pub shapes: Vec<ShapeDef>,
    pub traits: Vec<TraitApp>,
}

/// `Identifier`: `_*` then a letter (or, after underscores, a digit), then letters, digits
/// and underscores.
pub fn is_identifier(s: &str) -> bool {
    let b = s.as_bytes();
    let rest = b.iter().position(|c| *c != b'_').unwrap_or(b.len());
    match b.get(rest) {
        None => false,
        Some(c) if rest == 0 && !c.is_ascii_alphabetic() => false,
        Some(c) if !c.is_ascii_alphanumeric() => false,
        _ => b[rest..]
            .iter()
            .all(|c| *c == b'_' || c.is_ascii_alphanumeric()),
    }
}

/// `namespace#Name`, and `namespace#Name$member` when `allow_member`.
pub fn is_absolute_shape_id(s: &str, allow_member: bool) -> bool {
    let Some((ns, rest)) = s.split_once('#') else {
        return false;
    };
    let (name, member) = match rest.split_once('$') {
        Some((n, m)) => (n, Some(m)),
        None => (rest, None),
    };
    ns.split('.').all(is_identifier)
        && is_identifier(name)
        && match member {
            None => true,
            Some(m) => allow_member && is_identifier(m),
        }
}
