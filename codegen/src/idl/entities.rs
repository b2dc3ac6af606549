//! Parsing of the shapes with properties: services and resources (whose bodies are node
//! objects) and operations (with inline input and output structures).

use std::collections::HashSet;

use super::defs::{Ref, ShapeDef, ShapeType, Version};
use super::error::Diagnostic;
use super::lexer::Tok;
use super::node::Node;
use super::parser::Parser;

type Res<T> = Result<T, Diagnostic>;

const SERVICE_PROPERTIES: [&str; 6] = [
    "type",
    "version",
    "operations",
    "resources",
    "rename",
    "errors",
];
const RESOURCE_PROPERTIES: [&str; 12] = [
    "type",
    "create",
    "read",
    "update",
    "delete",
    "list",
    "identifiers",
    "resources",
    "operations",
    "put",
    "properties",
    "collectionOperations",
];

impl Parser<'_> {
    /// The object body of a service or resource.
    fn entity_body(&mut self, def: &mut ShapeDef, allowed: &[&str]) -> Res<Vec<(String, Node)>> {
        self.mixins(def)?;
        self.lx.skip_ws_and_docs();
        self.lx.expect(Tok::LBrace)?;
        let loc = self.lx.loc();
        let Node::Object(entries) = self.node()? else {
            return Err(self.lx.syntax("Expected an object"));
        };
        if let Some((key, _)) = entries.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
            return Err(Diagnostic::model(
                &loc,
                Some(&def.id),
                format!(
                    "Unknown property `{key}` of {} `{}`; expected one of {}",
                    def.kind,
                    def.id,
                    allowed[1..].join(", ")
                ),
            ));
        }
        Ok(entries)
    }

    pub(super) fn service(&mut self, def: &mut ShapeDef) -> Res<()> {
        let entries = self.entity_body(def, &SERVICE_PROPERTIES)?;
        for (key, value) in &entries {
            match key.as_str() {
                "version" => def.entity.version = Some(self.expect_string(def, key, value)?),
                "operations" => def.entity.operations = self.id_list(def, key, value)?,
                "resources" => def.entity.resources = self.id_list(def, key, value)?,
                "errors" => def.entity.errors = self.id_list(def, key, value)?,
                "rename" => {
                    let Node::Object(renames) = value else {
                        return Err(self.property_error(def, key, "an object", value));
                    };
                    for (from, to) in renames {
                        if !from.contains('#') {
                            return Err(self.property_error(
                                def,
                                key,
                                "keys that are absolute shape ids",
                                &Node::String(from.clone()),
                            ));
                        }
                        let to = self.expect_string(def, key, to)?;
                        def.entity.rename.push((from.clone(), to));
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    pub(super) fn resource(&mut self, def: &mut ShapeDef) -> Res<()> {
        let entries = self.entity_body(def, &RESOURCE_PROPERTIES)?;
        for (key, value) in &entries {
            if matches!(
                key.as_str(),
                "put" | "create" | "read" | "update" | "delete" | "list"
            ) {
                let r = self
                    .value_ref(value)
                    .ok_or_else(|| self.property_error(def, key, "a shape id", value))?;
                let e = &mut def.entity;
                let slot = match key.as_str() {
                    "put" => &mut e.put,
                    "create" => &mut e.create,
                    "read" => &mut e.read,
                    "update" => &mut e.update,
                    "delete" => &mut e.delete,
                    _ => &mut e.list,
                };
                *slot = Some(r);
                continue;
            }
            match key.as_str() {
                "operations" => def.entity.operations = self.id_list(def, key, value)?,
                "resources" => def.entity.resources = self.id_list(def, key, value)?,
                "collectionOperations" => {
                    def.entity.collection_operations = self.id_list(def, key, value)?
                }
                "identifiers" => def.entity.identifiers = self.id_map(def, key, value)?,
                "properties" => {
                    if self.version == Version::V1 {
                        return Err(self.shape_syntax(
                            &def.id,
                            format!(
                                "Resource properties can only be used with Smithy version 2 or \
                                 later. Attempted to use resource properties with version `{}`.",
                                self.version
                            ),
                        ));
                    }
                    def.entity.properties = self.id_map(def, key, value)?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn property_error(
        &self,
        def: &ShapeDef,
        key: &str,
        expected: &str,
        found: &Node,
    ) -> Diagnostic {
        Diagnostic::model(
            &def.loc,
            Some(&def.id),
            format!(
                "`{key}` of {} `{}` must be {expected}, but found {}",
                def.kind,
                def.id,
                found.to_json()
            ),
        )
    }

    fn expect_string(&self, def: &ShapeDef, key: &str, value: &Node) -> Res<String> {
        match value {
            Node::String(s) => Ok(s.clone()),
            Node::ShapeId(r) => Ok(r.text.clone()),
            other => Err(self.property_error(def, key, "a string", other)),
        }
    }

    /// A shape reference written as a string or a syntactic shape id.
    fn value_ref(&self, value: &Node) -> Option<Ref> {
        match value {
            Node::ShapeId(r) => Some((**r).clone()),
            Node::String(s) => Some(self.make_ref(s, self.lx.loc())),
            _ => None,
        }
    }

    fn id_list(&self, def: &ShapeDef, key: &str, value: &Node) -> Res<Vec<Ref>> {
        let Node::Array(items) = value else {
            return Err(self.property_error(def, key, "an array of shape ids", value));
        };
        items
            .iter()
            .map(|item| {
                self.value_ref(item)
                    .ok_or_else(|| self.property_error(def, key, "an array of shape ids", value))
            })
            .collect()
    }

    fn id_map(&self, def: &ShapeDef, key: &str, value: &Node) -> Res<Vec<(String, Ref)>> {
        let Node::Object(entries) = value else {
            return Err(self.property_error(def, key, "an object of shape ids", value));
        };
        entries
            .iter()
            .map(|(name, v)| {
                self.value_ref(v)
                    .map(|r| (name.clone(), r))
                    .ok_or_else(|| self.property_error(def, key, "an object of shape ids", value))
            })
            .collect()
    }

    pub(super) fn operation(&mut self, def: &mut ShapeDef) -> Res<()> {
        self.mixins(def)?;
        self.lx.skip_ws_and_docs();
        self.lx.expect(Tok::LBrace)?;
        self.lx.next();
        self.lx.skip_ws_and_docs();
        let mut seen: HashSet<String> = HashSet::new();
        while self.lx.tok() != Tok::Eof && self.lx.tok() != Tok::RBrace {
            self.lx.expect(Tok::Identifier)?;
            let key = self.lx.lexeme().to_string();
            if !seen.insert(key.clone()) {
                return Err(self.lx.syntax(format!(
                    "Duplicate operation {key} property for `{}`",
                    def.id
                )));
            }
            self.lx.next();
            self.lx.skip_ws_and_docs();
            match key.as_str() {
                "input" | "output" => {
                    let tok = self.lx.expect_one(&[Tok::Colon, Tok::Walrus])?;
                    self.lx.next();
                    let target = if tok == Tok::Walrus {
                        self.inline_structure(def, &key)?
                    } else {
                        self.lx.skip_ws_and_docs();
                        self.shape_ref()?
                    };
                    if key == "input" {
                        def.entity.input = Some(target);
                    } else {
                        def.entity.output = Some(target);
                    }
                }
                "errors" => {
                    self.lx.expect(Tok::Colon)?;
                    self.lx.next();
                    def.entity.errors = self.shape_id_list()?;
                }
                _ => {
                    return Err(self
                        .lx
                        .syntax(format!("Unknown property {key} for {}", def.id)))
                }
            }
            self.lx.expect_and_skip_whitespace()?;
            self.lx.skip_ws_and_docs();
        }
        self.lx.expect(Tok::RBrace)?;
        self.lx.next();
        Ok(())
    }

    /// `input := ...` / `output := ...`: a structure named after the operation.
    fn inline_structure(&mut self, op: &ShapeDef, which: &str) -> Res<Ref> {
        if self.version == Version::V1 {
            return Err(self.shape_syntax(
                &op.id,
                format!(
                    "Inlined operation inputs and outputs can only be used with Smithy version \
                     2 or later. Attempted to use inlined IO with version `{}`.",
                    self.version
                ),
            ));
        }
        self.lx.take_doc_lines();
        self.lx.skip_ws();
        let traits = self.docs_and_traits(true)?;
        let suffix = if which == "input" {
            &self.input_suffix
        } else {
            &self.output_suffix
        };
        let name = op.id.rsplit_once('#').map_or("", |(_, n)| n);
        let id = format!("{}#{name}{suffix}", self.namespace.as_deref().unwrap_or(""));
        let loc = self.lx.loc();
        let mut def = self.new_shape(id.clone(), ShapeType::Structure, loc.clone());
        self.aggregate_shape(&mut def)?;
        self.out.shapes.push(def);
        self.add_traits(&id, traits);
        self.push_trait(
            &id,
            &format!("smithy.api#{which}"),
            Node::object(),
            loc.clone(),
        );
        Ok(Ref::absolute(id, loc))
    }

    fn shape_id_list(&mut self) -> Res<Vec<Ref>> {
        self.enter()?;
        self.lx.skip_ws_and_docs();
        self.lx.expect(Tok::LBracket)?;
        self.lx.next();
        self.lx.skip_ws_and_docs();
        let mut out = Vec::new();
        while self.lx.tok() != Tok::Eof && self.lx.tok() != Tok::RBracket {
            self.lx.expect(Tok::Identifier)?;
            out.push(self.shape_ref()?);
            self.lx.skip_ws_and_docs();
        }
        self.lx.expect(Tok::RBracket)?;
        self.lx.next();
        self.leave();
        Ok(out)
    }
}
