//! A JSON AST file as [`FileDefs`], so that `.json` and `.smithy` files can form one model.
//! Unknown keys are refused (never dropped); every reference must be an absolute shape id.

use std::sync::Arc;

use super::defs::{
    is_absolute_shape_id, EntityDef, FileDefs, Loc, MemberDef, MetadataDef, Ref, ShapeDef,
    ShapeType, TraitApp, Version,
};
use super::error::Diagnostic;
use super::node::Node;

type Res<T> = Result<T, Diagnostic>;

/// The keys each shape type allows besides `type`, `traits` and `mixins`.
fn shape_keys(kind: ShapeType) -> &'static [&'static str] {
    match kind {
        ShapeType::Structure | ShapeType::Union | ShapeType::Enum | ShapeType::IntEnum => {
            &["members"]
        }
        ShapeType::List | ShapeType::Set => &["member"],
        ShapeType::Map => &["key", "value"],
        ShapeType::Operation => &["input", "output", "errors"],
        ShapeType::Service => &["version", "operations", "resources", "errors", "rename"],
        ShapeType::Resource => &[
            "create",
            "read",
            "update",
            "delete",
            "list",
            "put",
            "identifiers",
            "resources",
            "operations",
            "collectionOperations",
            "properties",
        ],
        _ => &[],
    }
}

struct Reader {
    path: Arc<str>,
    version: Version,
    out: FileDefs,
}

/// Reads a JSON AST document. Positions inside the document are filled in later, on error
/// (see [`locate`]): the shapes carry line 0.
pub fn parse(path: Arc<str>, text: &str) -> Res<FileDefs> {
    let root: Node = match serde_json::from_str(text) {
        Ok(root) => root,
        // Numbers beyond `f64` (`1e400`, which Smithy reads as big decimals).
        Err(e) if e.to_string().starts_with("number out of range") => {
            super::parser::parse_json_document(path.clone(), text)?
        }
        Err(e) => {
            return Err(Diagnostic::syntax(
                &Loc {
                    file: path.clone(),
                    line: e.line() as u32,
                    column: e.column() as u32,
                },
                format!("invalid JSON: {e}"),
            ))
        }
    };
    let file_loc = Loc {
        file: path.clone(),
        line: 1,
        column: 1,
    };
    let Node::Object(entries) = root else {
        return Err(Diagnostic::syntax(
            &file_loc,
            "a JSON AST model must be an object",
        ));
    };
    let version = match root_get(&entries, "smithy") {
        Some(Node::String(v)) => Version::parse(v).ok_or_else(|| {
            Diagnostic::syntax(&file_loc, format!("Unsupported Smithy version number: {v}"))
        })?,
        Some(other) => {
            return Err(Diagnostic::syntax(
                &file_loc,
                format!("`smithy` must be a string, but found {}", other.to_json()),
            ))
        }
        None => {
            return Err(Diagnostic::syntax(
                &file_loc,
                "a JSON AST model needs a `smithy` version",
            ))
        }
    };
    let mut r = Reader {
        path: path.clone(),
        version,
        out: FileDefs {
            version,
            metadata: Vec::new(),
            shapes: Vec::new(),
            traits: Vec::new(),
        },
    };
    for (key, value) in &entries {
        match key.as_str() {
            "smithy" => {}
            "metadata" => {
                let Node::Object(items) = value else {
                    return Err(Diagnostic::syntax(
                        &file_loc,
                        "`metadata` must be an object",
                    ));
                };
                for (k, v) in items {
                    r.out.metadata.push(MetadataDef {
                        key: k.clone(),
                        value: v.clone(),
                        loc: file_loc.clone(),
                    });
                }
            }
            "shapes" => {
                let Node::Object(shapes) = value else {
                    return Err(Diagnostic::syntax(&file_loc, "`shapes` must be an object"));
                };
                for (id, shape) in shapes {
                    r.shape(id, shape)?;
                }
            }
            other => {
                return Err(Diagnostic::syntax(
                    &file_loc,
                    format!(
                        "unknown top-level key `{other}`; a JSON AST model has `smithy`, \
                         `metadata` and `shapes`"
                    ),
                ))
            }
        }
    }
    Ok(r.out)
}

fn root_get<'a>(entries: &'a [(String, Node)], key: &str) -> Option<&'a Node> {
    entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

impl Reader {
    fn loc(&self) -> Loc {
        Loc {
            file: self.path.clone(),
            line: 0,
            column: 0,
        }
    }

    fn err(&self, id: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::model(&self.loc(), Some(id), message)
    }

    fn shape(&mut self, id: &str, shape: &Node) -> Res<()> {
        let Node::Object(entries) = shape else {
            return Err(self.err(
                id,
                format!("expected an object, but found {}", shape.type_name()),
            ));
        };
        let kind = match shape.get("type") {
            Some(Node::String(t)) => t.as_str(),
            _ => return Err(self.err(id, "missing expected member `type`")),
        };
        if kind == "apply" {
            if !is_absolute_shape_id(id, true) {
                return Err(self.err(id, "is not a valid shape id"));
            }
            for (key, value) in entries {
                match key.as_str() {
                    "type" => {}
                    "traits" => self.traits(id, value)?,
                    other => return Err(self.err(id, format!("unknown key `{other}` of an apply"))),
                }
            }
            return Ok(());
        }
        if !is_absolute_shape_id(id, false) {
            return Err(self.err(id, "is not a valid absolute shape id (namespace#Name)"));
        }
        let kind = ShapeType::from_name(kind)
            .ok_or_else(|| self.err(id, format!("Invalid shape `type`: {kind}")))?;
        let mut def = ShapeDef {
            id: id.to_string(),
            kind,
            loc: self.loc(),
            version: self.version,
            members: Vec::new(),
            mixins: Vec::new(),
            for_resource: None,
            entity: EntityDef::default(),
        };
        let allowed = shape_keys(kind);
        for (key, value) in entries {
            let e = &mut def.entity;
            match key.as_str() {
                "type" => {}
                "traits" => self.traits(id, value)?,
                "mixins" => def.mixins = self.ref_list(id, key, value)?,
                k if !allowed.contains(&k) => {
                    return Err(self.err(id, format!("unknown key `{k}` of a {kind} shape")))
                }
                "members" => {
                    let Node::Object(members) = value else {
                        return Err(self.err(id, "`members` must be an object"));
                    };
                    for (name, m) in members {
                        self.member(&mut def, name, m)?;
                    }
                }
                "member" | "key" | "value" => self.member(&mut def, key, value)?,
                "input" => e.input = Some(self.reference(id, key, value)?),
                "output" => e.output = Some(self.reference(id, key, value)?),
                "errors" => e.errors = self.ref_list(id, key, value)?,
                "operations" => e.operations = self.ref_list(id, key, value)?,
                "resources" => e.resources = self.ref_list(id, key, value)?,
                "collectionOperations" => {
                    e.collection_operations = self.ref_list(id, key, value)?
                }
                "create" => e.create = Some(self.reference(id, key, value)?),
                "read" => e.read = Some(self.reference(id, key, value)?),
                "update" => e.update = Some(self.reference(id, key, value)?),
                "delete" => e.delete = Some(self.reference(id, key, value)?),
                "list" => e.list = Some(self.reference(id, key, value)?),
                "put" => e.put = Some(self.reference(id, key, value)?),
                "identifiers" => e.identifiers = self.ref_map(id, key, value)?,
                "properties" => {
                    if self.version == Version::V1 {
                        return Err(self.err(
                            id,
                            "Resource properties can only be used with Smithy version 2 or \
                             later. Attempted to use resource properties with version `1.0`.",
                        ));
                    }
                    e.properties = self.ref_map(id, key, value)?
                }
                "version" => match value {
                    Node::String(v) => e.version = Some(v.clone()),
                    _ => return Err(self.err(id, "`version` must be a string")),
                },
                "rename" => {
                    let Node::Object(renames) = value else {
                        return Err(self.err(id, "`rename` must be an object"));
                    };
                    for (from, to) in renames {
                        let Node::String(to) = to else {
                            return Err(self.err(id, "`rename` values must be strings"));
                        };
                        if !is_absolute_shape_id(from, false) {
                            return Err(self.err(
                                id,
                                format!("`rename` key `{from}` is not an absolute shape id"),
                            ));
                        }
                        e.rename.push((from.clone(), to.clone()));
                    }
                }
                _ => {}
            }
        }
        self.out.shapes.push(def);
        Ok(())
    }

    fn member(&mut self, def: &mut ShapeDef, name: &str, value: &Node) -> Res<()> {
        let member_id = format!("{}${name}", def.id);
        if !is_absolute_shape_id(&member_id, true) {
            return Err(self.err(&member_id, "is not a valid member name"));
        }
        let Node::Object(entries) = value else {
            return Err(self.err(&member_id, "a member must be an object"));
        };
        let mut target = None;
        for (key, v) in entries {
            match key.as_str() {
                "target" => target = Some(self.target(&member_id, v)?),
                "traits" => self.traits(&member_id, v)?,
                other => {
                    return Err(self.err(&member_id, format!("unknown key `{other}` of a member")))
                }
            }
        }
        let Some(target) = target else {
            return Err(self.err(&member_id, "Missing expected member `target`."));
        };
        def.members.push(MemberDef {
            name: name.to_string(),
            target: Some(target),
            loc: self.loc(),
        });
        Ok(())
    }

    fn target(&self, id: &str, value: &Node) -> Res<Ref> {
        match value {
            Node::String(t) if is_absolute_shape_id(t, true) => {
                Ok(Ref::absolute(t.clone(), self.loc()))
            }
            other => Err(self.err(
                id,
                format!(
                    "`target` must be an absolute shape id, but found {}",
                    other.to_json()
                ),
            )),
        }
    }

    /// `{"target": "ns#Name"}`.
    fn reference(&self, id: &str, key: &str, value: &Node) -> Res<Ref> {
        let Node::Object(entries) = value else {
            return Err(self.err(id, format!("`{key}` must be an object with a `target`")));
        };
        let mut target = None;
        for (k, v) in entries {
            if k != "target" {
                return Err(self.err(id, format!("unknown key `{k}` in `{key}`")));
            }
            target = Some(self.target(id, v)?);
        }
        target.ok_or_else(|| self.err(id, format!("`{key}` is missing its `target`")))
    }

    fn ref_list(&self, id: &str, key: &str, value: &Node) -> Res<Vec<Ref>> {
        let Node::Array(items) = value else {
            return Err(self.err(id, format!("`{key}` must be an array")));
        };
        items.iter().map(|v| self.reference(id, key, v)).collect()
    }

    fn ref_map(&self, id: &str, key: &str, value: &Node) -> Res<Vec<(String, Ref)>> {
        let Node::Object(items) = value else {
            return Err(self.err(id, format!("`{key}` must be an object")));
        };
        items
            .iter()
            .map(|(name, v)| Ok((name.clone(), self.reference(id, key, v)?)))
            .collect()
    }

    fn traits(&mut self, target: &str, value: &Node) -> Res<()> {
        let Node::Object(traits) = value else {
            return Err(self.err(target, "`traits` must be an object"));
        };
        for (name, v) in traits {
            if !is_absolute_shape_id(name, false) {
                return Err(self.err(
                    target,
                    format!("trait `{name}` is not an absolute shape id"),
                ));
            }
            self.out.traits.push(TraitApp {
                target: Ref::absolute(target, self.loc()),
                name: Ref::absolute(name.clone(), self.loc()),
                value: v.clone(),
                annotation: false,
                loc: self.loc(),
            });
        }
        Ok(())
    }
}

/// The position of a shape's key in a JSON AST text (`"ns#Name"`), for messages.
pub fn locate(text: &str, shape_id: &str) -> Option<(u32, u32)> {
    let root = shape_id.split('$').next().unwrap_or(shape_id);
    let needle = format!("\"{root}\"");
    let at = text.find(&needle)?;
    let before = &text[..at];
    let line = before.matches('\n').count() as u32 + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
    Some((line, column))
}
