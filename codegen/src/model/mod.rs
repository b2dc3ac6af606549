//! The Smithy 2.0 JSON AST, read with serde, plus the service closure walk.
//!
//! Shapes are parsed one by one so that every error names the shape it is about. Member order
//! is the model's (it is the order fields and JSON keys are emitted in).

mod ast;
pub mod traits;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

pub use traits::Traits;

use crate::Error;

/// `namespace#Name`, or `namespace#Name$member` for a member.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ShapeId(String);

impl ShapeId {
    pub fn new(id: impl Into<String>) -> Self {
        ShapeId(id.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part after `#` (and before `$`).
    pub fn name(&self) -> &str {
        let after = self.0.rsplit_once('#').map_or(self.0.as_str(), |(_, n)| n);
        after.split('$').next().unwrap_or(after)
    }

    pub fn namespace(&self) -> &str {
        self.0.split_once('#').map_or("", |(ns, _)| ns)
    }

    pub fn is_prelude(&self) -> bool {
        self.namespace() == "smithy.api"
    }

    pub fn member(&self, member: &str) -> ShapeId {
        ShapeId(format!("{}${member}", self.0))
    }
}

impl fmt::Display for ShapeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SimpleType {
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
}

#[derive(Clone, Debug)]
pub struct Member {
    pub name: String,
    pub target: ShapeId,
    pub traits: Traits,
}

#[derive(Clone, Debug, Default)]
pub struct ServiceShape {
    pub version: String,
    pub operations: Vec<ShapeId>,
    pub resources: Vec<ShapeId>,
    pub errors: Vec<ShapeId>,
    /// Shape id to the name the service uses for it (disambiguates conflicting names).
    pub rename: BTreeMap<ShapeId, String>,
}

#[derive(Clone, Debug)]
pub struct OperationShape {
    pub input: Option<ShapeId>,
    pub output: Option<ShapeId>,
    pub errors: Vec<ShapeId>,
}

#[derive(Clone, Debug, Default)]
pub struct ResourceShape {
    /// Lifecycle operations (create, put, read, update, delete, list) and plain operations.
    pub operations: Vec<ShapeId>,
    pub resources: Vec<ShapeId>,
}

#[derive(Clone, Debug)]
pub enum ShapeKind {
    Simple(SimpleType),
    Enum(Vec<Member>),
    IntEnum(Vec<Member>),
    List(Member),
    Map { key: Member, value: Member },
    Structure(Vec<Member>),
    Union(Vec<Member>),
    Operation(OperationShape),
    Service(ServiceShape),
    Resource(ResourceShape),
}

impl ShapeKind {
    pub fn type_name(&self) -> &'static str {
        match self {
            ShapeKind::Simple(_) => "simple",
            ShapeKind::Enum(_) => "enum",
            ShapeKind::IntEnum(_) => "intEnum",
            ShapeKind::List(_) => "list",
            ShapeKind::Map { .. } => "map",
            ShapeKind::Structure(_) => "structure",
            ShapeKind::Union(_) => "union",
            ShapeKind::Operation(_) => "operation",
            ShapeKind::Service(_) => "service",
            ShapeKind::Resource(_) => "resource",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Shape {
    pub id: ShapeId,
    pub kind: ShapeKind,
    pub traits: Traits,
}

impl Shape {
    pub fn members(&self) -> &[Member] {
        match &self.kind {
            ShapeKind::Enum(m)
            | ShapeKind::IntEnum(m)
            | ShapeKind::Structure(m)
            | ShapeKind::Union(m) => m,
            ShapeKind::List(m) => std::slice::from_ref(m),
            _ => &[],
        }
    }
}

#[derive(Clone, Debug)]
pub struct Model {
    pub smithy_version: String,
    pub shapes: BTreeMap<ShapeId, Shape>,
}

impl Model {
    /// Parses a JSON AST document. Errors name the shape (and member) that is wrong.
    pub fn from_json(text: &str) -> Result<Model, Error> {
        ast::parse(text)
    }

    /// A shape of the model, or of the prelude (`smithy.api#String`, `smithy.api#Unit`, ...).
    pub fn shape(&self, id: &ShapeId) -> Option<&Shape> {
        self.shapes.get(id)
    }

    /// Looks a target up for `referrer`; a dangling target is an error naming both.
    pub fn resolve(&self, target: &ShapeId, referrer: &str) -> Result<&Shape, Error> {
        self.shapes.get(target).ok_or_else(|| {
            Error::model(
                referrer,
                format!("targets `{target}`, which is not defined in the model or the prelude"),
            )
        })
    }

    /// The service shapes of the model, sorted by id.
    pub fn services(&self) -> Vec<&Shape> {
        self.shapes
            .values()
            .filter(|s| matches!(s.kind, ShapeKind::Service(_)))
            .collect()
    }

    /// Every operation of the service, through its resources too, sorted by id.
    pub fn service_operations(&self, service: &Shape) -> Result<Vec<ShapeId>, Error> {
        let ShapeKind::Service(svc) = &service.kind else {
            return Err(Error::model(service.id.as_str(), "is not a service"));
        };
        let mut ops = BTreeSet::new();
        ops.extend(svc.operations.iter().cloned());
        let mut resources: Vec<ShapeId> = svc.resources.clone();
        let mut seen = BTreeSet::new();
        while let Some(r) = resources.pop() {
            if !seen.insert(r.clone()) {
                continue;
            }
            let shape = self.resolve(&r, service.id.as_str())?;
            let ShapeKind::Resource(res) = &shape.kind else {
                return Err(Error::model(
                    r.as_str(),
                    "is bound as a resource but is not one",
                ));
            };
            ops.extend(res.operations.iter().cloned());
            resources.extend(res.resources.iter().cloned());
        }
        Ok(ops.into_iter().collect())
    }

    /// Every shape reachable from the service (operations, their inputs, outputs, errors and
    /// everything their members target), sorted by id. Dangling targets are errors.
    pub fn closure(&self, service: &Shape) -> Result<BTreeSet<ShapeId>, Error> {
        let ShapeKind::Service(svc) = &service.kind else {
            return Err(Error::model(service.id.as_str(), "is not a service"));
        };
        let mut todo: Vec<(ShapeId, String)> = Vec::new();
        for op in self.service_operations(service)? {
            todo.push((op, service.id.to_string()));
        }
        for e in &svc.errors {
            todo.push((e.clone(), service.id.to_string()));
        }
        let mut out = BTreeSet::new();
        while let Some((id, referrer)) = todo.pop() {
            if out.contains(&id) {
                continue;
            }
            let shape = self.resolve(&id, &referrer)?;
            out.insert(id.clone());
            match &shape.kind {
                ShapeKind::Operation(op) => {
                    for t in op.input.iter().chain(&op.output).chain(&op.errors) {
                        todo.push((t.clone(), id.to_string()));
                    }
                }
                ShapeKind::Map { key, value } => {
                    todo.push((key.target.clone(), id.member("key").to_string()));
                    todo.push((value.target.clone(), id.member("value").to_string()));
                }
                _ => {
                    for m in shape.members() {
                        todo.push((m.target.clone(), id.member(&m.name).to_string()));
                    }
                }
            }
        }
        Ok(out)
    }
}
