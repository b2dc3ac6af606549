//! The assembled model: every shape with its references resolved, its traits merged and its
//! mixins applied (members inherited from mixins are marked, so that the AST can be written the
//! way Smithy writes it, with `mixins` kept, or flattened).

use std::collections::{BTreeMap, BTreeSet};

use super::defs::{Loc, ShapeType, Version};
use super::node::Node;

/// Trait id to value, sorted by id.
pub type TraitMap = BTreeMap<String, Node>;

pub const DEFAULT: &str = "smithy.api#default";
pub const BOX: &str = "smithy.api#box";
pub const MIXIN: &str = "smithy.api#mixin";
pub const ENUM_VALUE: &str = "smithy.api#enumValue";
pub const UNIT: &str = "smithy.api#Unit";

#[derive(Clone, Debug)]
pub struct Member {
    pub name: String,
    pub target: String,
    /// The traits applied to this member itself.
    pub local: TraitMap,
    /// `local` plus what it inherits from mixin members.
    pub all: TraitMap,
    /// The member comes from a mixin (possibly with traits of its own added here).
    pub inherited: bool,
    pub loc: Loc,
}

/// The properties of operations, services and resources (what the shape itself says, not what
/// its mixins add).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Entity {
    pub input: Option<String>,
    pub output: Option<String>,
    pub errors: Vec<String>,
    pub version: Option<String>,
    pub operations: Vec<String>,
    pub resources: Vec<String>,
    pub rename: Vec<(String, String)>,
    pub identifiers: Vec<(String, String)>,
    pub properties: Vec<(String, String)>,
    pub create: Option<String>,
    pub put: Option<String>,
    pub read: Option<String>,
    pub update: Option<String>,
    pub delete: Option<String>,
    pub list: Option<String>,
    pub collection_operations: Vec<String>,
}

impl Entity {
    /// Every shape the entity refers to, with the property it is in.
    pub fn references(&self) -> Vec<(&'static str, &str)> {
        let mut out: Vec<(&'static str, &str)> = Vec::new();
        let singles = [
            ("input", &self.input),
            ("output", &self.output),
            ("create", &self.create),
            ("put", &self.put),
            ("read", &self.read),
            ("update", &self.update),
            ("delete", &self.delete),
            ("list", &self.list),
        ];
        for (name, v) in singles {
            if let Some(id) = v {
                out.push((name, id));
            }
        }
        let lists = [
            ("errors", &self.errors),
            ("operations", &self.operations),
            ("resources", &self.resources),
            ("collectionOperations", &self.collection_operations),
        ];
        for (name, ids) in lists {
            out.extend(ids.iter().map(|id| (name, id.as_str())));
        }
        for (name, ids) in [
            ("identifiers", &self.identifiers),
            ("properties", &self.properties),
        ] {
            out.extend(ids.iter().map(|(_, id)| (name, id.as_str())));
        }
        out
    }
}

#[derive(Clone, Debug)]
pub struct Shape {
    pub id: String,
    pub kind: ShapeType,
    pub loc: Loc,
    pub version: Version,
    /// The traits applied to this shape itself.
    pub local: TraitMap,
    /// `local` plus the traits its mixins pass on.
    pub all: TraitMap,
    pub mixins: Vec<String>,
    /// Members inherited from mixins first (in mixin order), then the shape's own.
    pub members: Vec<Member>,
    pub entity: Entity,
    /// IDL 2.0 numbers and booleans without a zero default are nullable in 1.0 terms (a
    /// synthetic `@box`, never written out).
    pub boxed: bool,
}

impl Shape {
    pub fn member(&self, name: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.name == name)
    }

    pub fn is_prelude(&self) -> bool {
        self.id.starts_with("smithy.api#")
    }
}

/// A whole model.
#[derive(Clone, Debug, Default)]
pub struct Model {
    pub shapes: BTreeMap<String, Shape>,
    pub metadata: Vec<(String, Node)>,
    /// Traits applied without a definition among the files (kept as written when unknown
    /// traits are allowed).
    pub unknown_traits: BTreeSet<String>,
}
