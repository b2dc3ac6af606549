//! The IDL parser: one `.smithy` file into its [`FileDefs`]. Statements follow the grammar of
//! the specification (`idl.rst`); where the grammar leaves room, the behaviour and the messages
//! are those of Smithy's own loader, so that its loader tests apply unchanged.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::defs::{
    EntityDef, FileDefs, Loc, MemberDef, MetadataDef, Ref, ShapeDef, ShapeType, TraitApp, Version,
};
use super::error::Diagnostic;
use super::lexer::{Lexer, Tok};
use super::node::Node;
use super::values::{ParsedTrait, TraitKind};

type Res<T> = Result<T, Diagnostic>;

pub struct Parser<'a> {
    pub(super) lx: Lexer<'a>,
    pub(super) namespace: Option<Arc<str>>,
    /// `use` statements: shape name to absolute id.
    pub(super) uses: HashMap<String, String>,
    pub(super) nesting: u32,
    pub(super) version: Version,
    pub(super) input_suffix: String,
    pub(super) output_suffix: String,
    pub(super) out: FileDefs,
}

/// Parses one IDL file. The first syntax error ends the file.
pub fn parse(path: Arc<str>, src: &str) -> Result<FileDefs, Diagnostic> {
    let mut p = Parser {
        lx: Lexer::new(path, src),
        namespace: None,
        uses: HashMap::new(),
        nesting: 0,
        // A file without `$version` is IDL 1.0.
        version: Version::V1,
        input_suffix: "Input".into(),
        output_suffix: "Output".into(),
        out: FileDefs {
            version: Version::V1,
            metadata: Vec::new(),
            shapes: Vec::new(),
            traits: Vec::new(),
        },
    };
    p.lx.skip_ws_and_docs();
    p.control_section()?;
    p.out.version = p.version;
    p.lx.skip_ws_and_docs();
    p.metadata_section()?;
    p.shape_section()?;
    Ok(p.out)
}

/// Reads a JSON document with the IDL's node value syntax (a superset of JSON's), for JSON
/// whose numbers are beyond what `serde_json` holds (`1e400`). Unquoted strings are refused.
pub fn parse_json_document(path: Arc<str>, src: &str) -> Result<Node, Diagnostic> {
    let mut p = Parser {
        lx: Lexer::new(path.clone(), src),
        namespace: None,
        uses: HashMap::new(),
        nesting: 0,
        version: Version::V2,
        input_suffix: String::new(),
        output_suffix: String::new(),
        out: FileDefs {
            version: Version::V2,
            metadata: Vec::new(),
            shapes: Vec::new(),
            traits: Vec::new(),
        },
    };
    p.lx.skip_ws();
    let node = p.node()?;
    p.lx.skip_ws();
    p.lx.expect(Tok::Eof)?;
    fn check(node: &Node) -> Result<(), Loc> {
        match node {
            Node::ShapeId(r) => Err(r.loc.clone()),
            Node::Array(items) => items.iter().try_for_each(check),
            Node::Object(entries) => entries.iter().try_for_each(|(_, v)| check(v)),
            _ => Ok(()),
        }
    }
    check(&node).map_err(|loc| Diagnostic::syntax(&loc, "invalid JSON: unquoted string"))?;
    Ok(node)
}

impl Parser<'_> {
    fn control_section(&mut self) -> Res<()> {
        let mut defined: HashSet<String> = HashSet::new();
        while self.lx.tok() == Tok::Dollar {
            self.lx.next();
            self.lx.expect_one(&[Tok::Identifier, Tok::String])?;
            let key = self.string_or_identifier();
            self.lx.next();
            self.lx.skip_spaces();
            self.lx.expect(Tok::Colon)?;
            self.lx.next();
            self.lx.skip_spaces();
            if !defined.insert(key.clone()) {
                return Err(self
                    .lx
                    .syntax(format!("Duplicate control statement `{key}`")));
            }
            let value_loc = self.lx.loc();
            let value = self.node()?;
            match key.as_str() {
                "version" => {
                    let Node::String(v) = &value else {
                        return Err(Diagnostic::model(
                            &value_loc,
                            None,
                            format!(
                                "The $version control statement must have a string value, but found {}",
                                value.to_json()
                            ),
                        ));
                    };
                    self.version = Version::parse(v).ok_or_else(|| {
                        self.lx
                            .syntax(format!("Unsupported Smithy version number: {v}"))
                    })?;
                }
                "operationInputSuffix" | "operationOutputSuffix" => {
                    let Node::String(v) = &value else {
                        return Err(Diagnostic::model(
                            &value_loc,
                            None,
                            format!(
                                "Expected `{key}` to be a string value, but found {}",
                                value.type_name()
                            ),
                        ));
                    };
                    if key == "operationInputSuffix" {
                        self.input_suffix = v.clone();
                    } else {
                        self.output_suffix = v.clone();
                    }
                }
                // Unknown control statements are ignored, as the specification requires.
                _ => {}
            }
            self.lx.expect_and_skip_br()?;
        }
        Ok(())
    }

    fn metadata_section(&mut self) -> Res<()> {
        while self.lx.is_lexeme("metadata") {
            self.lx.next();
            self.lx.expect_and_skip_spaces()?;
            self.lx.expect_one(&[Tok::Identifier, Tok::String])?;
            let key = self.string_or_identifier();
            let loc = self.lx.loc();
            self.lx.next();
            self.lx.skip_spaces();
            self.lx.expect(Tok::Equal)?;
            self.lx.next();
            self.lx.skip_spaces();
            let value = self.node()?;
            self.out.metadata.push(MetadataDef { key, value, loc });
            self.lx.expect_and_skip_br()?;
            self.lx.skip_ws_and_docs();
        }
        Ok(())
    }

    fn shape_section(&mut self) -> Res<()> {
        if !self.lx.is_lexeme("namespace") {
            if self.lx.tok() != Tok::Eof {
                return Err(self.lx.syntax(format!(
                    "Expected a namespace definition but found {}",
                    self.lx.describe_current()
                )));
            }
            return Ok(());
        }
        self.lx.next();
        self.lx.expect_and_skip_spaces()?;
        let ns = self.namespace_text()?;
        self.namespace = Some(Arc::from(ns.as_str()));
        self.lx.expect_and_skip_br()?;
        // Doc comments in front of the first shape are seen before the `use` statements.
        let doc_loc = self.lx.loc();
        self.lx.skip_ws_and_docs();
        self.use_section()?;
        self.first_shape_statement(doc_loc)?;
        while self.lx.tok() != Tok::Eof {
            let has_doc = self.lx.tok() == Tok::DocComment;
            let traits = self.docs_and_traits(false)?;
            if self.statement_follows(&traits, has_doc) {
                self.shape_or_apply(traits)?;
            }
        }
        Ok(())
    }

    fn use_section(&mut self) -> Res<()> {
        while self.lx.tok() == Tok::Identifier && self.lx.is_lexeme("use") {
            self.lx.next();
            self.lx.expect_and_skip_spaces()?;
            let loc = self.lx.loc();
            let id = self.absolute_shape_id_text()?;
            if id.contains('$') {
                return Err(Diagnostic::model(
                    &loc,
                    None,
                    "Use statements cannot use members",
                ));
            }
            let name = id.rsplit_once('#').map_or(id.as_str(), |(_, n)| n);
            if let Some(previous) = self.uses.get(name) {
                return Err(Diagnostic::model(
                    &loc,
                    None,
                    format!("Cannot use name `{id}` because it conflicts with `{previous}`"),
                ));
            }
            self.uses.insert(name.to_string(), id.clone());
            self.lx.expect_and_skip_br()?;
            self.lx.skip_ws_and_docs();
        }
        Ok(())
    }

    fn first_shape_statement(&mut self, doc_loc: Loc) -> Res<()> {
        if self.lx.tok() == Tok::Eof {
            return Ok(());
        }
        self.lx.skip_ws_and_docs();
        let doc = self.lx.take_doc_lines();
        let mut traits = self.docs_and_traits(false)?;
        let has_doc = doc.is_some();
        if let Some(text) = doc {
            traits.push(ParsedTrait {
                name: "smithy.api#documentation".into(),
                value: Node::String(text),
                kind: TraitKind::DocComment,
                loc: doc_loc,
            });
        }
        if self.statement_follows(&traits, has_doc) {
            self.shape_or_apply(traits)?;
        }
        Ok(())
    }

    /// Whether a shape or apply statement must follow: at the end of the file, a lone doc
    /// comment belongs to nothing and is dropped, but traits need a shape.
    fn statement_follows(&self, traits: &[ParsedTrait], has_doc: bool) -> bool {
        if self.lx.tok() != Tok::Eof {
            true
        } else if has_doc {
            traits.len() != 1
        } else {
            !traits.is_empty()
        }
    }

    fn shape_or_apply(&mut self, traits: Vec<ParsedTrait>) -> Res<()> {
        let loc = self.lx.loc();
        self.lx.expect(Tok::Identifier)?;
        let keyword = self.lx.lexeme();
        if keyword == "apply" {
            return self.apply(traits);
        }
        let kind = ShapeType::from_name(keyword)
            .ok_or_else(|| self.lx.syntax(format!("Unknown shape type: {keyword}")))?;
        self.lx.next();
        self.lx.expect_and_skip_spaces()?;
        let id = self.shape_name()?;
        let mut def = self.new_shape(id.clone(), kind, loc);
        match kind {
            ShapeType::List
            | ShapeType::Set
            | ShapeType::Map
            | ShapeType::Union
            | ShapeType::Structure => self.aggregate_shape(&mut def)?,
            ShapeType::Enum | ShapeType::IntEnum => self.enum_shape(&mut def)?,
            ShapeType::Service => self.service(&mut def)?,
            ShapeType::Resource => self.resource(&mut def)?,
            ShapeType::Operation => self.operation(&mut def)?,
            _ => self.mixins(&mut def)?,
        }
        self.out.shapes.push(def);
        self.add_traits(&id, traits);
        self.lx.expect_and_skip_br()
    }

    /// A syntax error about a shape, at the current token.
    pub(super) fn shape_syntax(&self, shape: &str, message: String) -> Diagnostic {
        let mut d = self.lx.syntax(message);
        d.shape = Some(shape.to_string());
        d
    }

    pub(super) fn new_shape(&self, id: String, kind: ShapeType, loc: Loc) -> ShapeDef {
        ShapeDef {
            id,
            kind,
            loc,
            version: self.version,
            members: Vec::new(),
            mixins: Vec::new(),
            for_resource: None,
            entity: EntityDef::default(),
        }
    }

    fn shape_name(&mut self) -> Res<String> {
        let loc = self.lx.loc();
        self.lx.expect(Tok::Identifier)?;
        let name = self.lx.lexeme().to_string();
        let ns = self.namespace.clone().unwrap_or_else(|| Arc::from(""));
        if let Some(previous) = self.uses.get(&name) {
            return Err(Diagnostic::model(
                &loc,
                None,
                format!("Shape name `{name}` conflicts with imported shape `{previous}`"),
            ));
        }
        self.lx.next();
        Ok(format!("{ns}#{name}"))
    }

    pub(super) fn add_traits(&mut self, target: &str, traits: Vec<ParsedTrait>) {
        for t in traits {
            let name = if t.kind == TraitKind::DocComment {
                Ref::absolute(t.name, t.loc.clone())
            } else {
                self.make_ref(&t.name, t.loc.clone())
            };
            self.out.traits.push(TraitApp {
                target: self.target_ref(target, t.loc.clone()),
                name,
                value: t.value,
                annotation: t.kind == TraitKind::Annotation,
                loc: t.loc,
            });
        }
    }

    /// An absolute id of this file as the target of a trait.
    fn target_ref(&self, id: &str, loc: Loc) -> Ref {
        Ref {
            text: id.to_string(),
            namespace: self.namespace.clone(),
            loc,
        }
    }

    pub(super) fn push_trait(&mut self, target: &str, name: &str, value: Node, loc: Loc) {
        self.out.traits.push(TraitApp {
            target: self.target_ref(target, loc.clone()),
            name: Ref::absolute(name, loc.clone()),
            value,
            annotation: false,
            loc,
        });
    }

    fn apply(&mut self, traits: Vec<ParsedTrait>) -> Res<()> {
        if traits.iter().any(|t| t.kind != TraitKind::DocComment) {
            return Err(self.lx.syntax("Traits applied to apply statement"));
        }
        self.lx.next();
        self.lx.expect_and_skip_whitespace()?;
        let target = self.shape_ref()?;
        self.lx.expect_and_skip_whitespace()?;
        let to_apply = if self.lx.expect_one(&[Tok::At, Tok::LBrace])? == Tok::At {
            vec![self.trait_()?]
        } else {
            self.lx.next();
            self.lx.skip_ws_and_docs();
            let traits = self.traits()?;
            self.lx.skip_ws_and_docs();
            self.lx.expect(Tok::RBrace)?;
            self.lx.next();
            traits
        };
        for t in to_apply {
            let name = self.make_ref(&t.name, t.loc.clone());
            self.out.traits.push(TraitApp {
                target: target.clone(),
                name,
                value: t.value,
                annotation: t.kind == TraitKind::Annotation,
                loc: t.loc,
            });
        }
        self.lx.expect_and_skip_br()
    }

    pub(super) fn mixins(&mut self, def: &mut ShapeDef) -> Res<()> {
        self.lx.skip_spaces();
        if !self.lx.is_lexeme("with") {
            return Ok(());
        }
        self.lx.expect(Tok::Identifier)?;
        if self.version == Version::V1 {
            return Err(self.lx.syntax(format!(
                "Mixins can only be used with Smithy version 2 or later. Attempted to use \
                 mixins with version `{}`.",
                self.version
            )));
        }
        self.lx.next();
        self.lx.skip_ws_and_docs();
        self.lx.expect(Tok::LBracket)?;
        self.lx.next();
        self.lx.skip_ws_and_docs();
        loop {
            let r = self.shape_ref()?;
            def.mixins.push(r);
            self.lx.skip_ws_and_docs();
            if self.lx.tok() == Tok::RBracket {
                break;
            }
        }
        self.lx.next();
        Ok(())
    }

    pub(super) fn aggregate_shape(&mut self, def: &mut ShapeDef) -> Res<()> {
        self.for_resource(def)?;
        self.mixins(def)?;
        self.members(def)
    }

    fn for_resource(&mut self, def: &mut ShapeDef) -> Res<()> {
        self.lx.skip_spaces();
        if !self.lx.is_lexeme("for") {
            return Ok(());
        }
        if self.version == Version::V1 {
            return Err(self.lx.syntax(format!(
                "Structures can only be bound to resources with Smithy version 2 or later. \
                 Attempted to bind a structure to a resource with version `{}`.",
                self.version
            )));
        }
        self.lx.next();
        self.lx.expect_and_skip_spaces()?;
        def.for_resource = Some(self.shape_ref()?);
        Ok(())
    }

    fn members(&mut self, def: &mut ShapeDef) -> Res<()> {
        self.lx.skip_ws_and_docs();
        self.lx.clear_doc_lines();
        self.lx.expect(Tok::LBrace)?;
        self.lx.next();
        self.lx.skip_ws();
        while self.lx.tok() != Tok::Eof && self.lx.tok() != Tok::RBrace {
            self.member(def)?;
            self.lx.skip_ws();
        }
        self.lx.expect(Tok::RBrace)?;
        self.lx.next();
        Ok(())
    }

    fn member(&mut self, def: &mut ShapeDef) -> Res<()> {
        let traits = self.docs_and_traits(true)?;
        let loc = self.lx.loc();
        if self.lx.tok() == Tok::RBrace
            && traits.len() == 1
            && traits[0].kind == TraitKind::DocComment
        {
            // A doc comment in front of `}` documents nothing.
            return Ok(());
        }
        let elided = self.lx.tok() == Tok::Dollar;
        if elided {
            self.lx.next();
        }
        self.lx.expect(Tok::Identifier)?;
        let name = self.lx.lexeme().to_string();
        if def.members.iter().any(|m| m.name == name) {
            return Err(self
                .lx
                .syntax(format!("Duplicate member of `{}`: '{name}'", def.id)));
        }
        let member_id = format!("{}${name}", def.id);
        if elided && self.version == Version::V1 {
            return Err(self
                .lx
                .syntax("Members can only elide targets in IDL version 2 or later"));
        }
        self.lx.next();
        let mut target = None;
        if !elided {
            self.lx.skip_spaces();
            self.lx.expect(Tok::Colon)?;
            self.lx.next();
            self.lx.skip_spaces();
            target = Some(self.shape_ref()?);
        }
        self.lx.skip_spaces();
        if self.lx.tok() == Tok::Equal {
            if self.version == Version::V1 {
                return Err(self
                    .lx
                    .syntax("@default assignment is only supported in IDL version 2 or later"));
            }
            let eq_loc = self.lx.loc();
            self.lx.next();
            self.lx.skip_spaces();
            let value = self.node()?;
            self.push_trait(&member_id, "smithy.api#default", value, eq_loc);
            self.lx.skip_spaces();
            self.lx.skip_optional_comma();
            self.lx.expect_and_skip_br()?;
        }
        def.members.push(MemberDef { name, target, loc });
        self.add_traits(&member_id, traits);
        Ok(())
    }

    fn enum_shape(&mut self, def: &mut ShapeDef) -> Res<()> {
        self.mixins(def)?;
        self.lx.skip_ws_and_docs();
        self.lx.expect(Tok::LBrace)?;
        self.lx.next();
        self.lx.skip_ws();
        while self.lx.tok() != Tok::Eof && self.lx.tok() != Tok::RBrace {
            let traits = self.docs_and_traits(true)?;
            let loc = self.lx.loc();
            self.lx.expect(Tok::Identifier)?;
            let name = self.lx.lexeme().to_string();
            if def.members.iter().any(|m| m.name == name) {
                return Err(
                    self.shape_syntax(&def.id, format!("Found conflicting member name, `{name}`"))
                );
            }
            let member_id = format!("{}${name}", def.id);
            def.members.push(MemberDef {
                name,
                target: Some(Ref::absolute("smithy.api#Unit", loc.clone())),
                loc,
            });
            self.add_traits(&member_id, traits);
            self.lx.next();
            self.lx.skip_spaces();
            if self.lx.tok() == Tok::Equal {
                let eq_loc = self.lx.loc();
                self.lx.next();
                self.lx.skip_spaces();
                let value = self.node()?;
                self.push_trait(&member_id, "smithy.api#enumValue", value, eq_loc);
                self.lx.skip_spaces();
                self.lx.skip_optional_comma();
                self.lx.expect_and_skip_br()?;
            } else {
                self.lx.skip_ws();
            }
        }
        self.lx.expect(Tok::RBrace)?;
        self.lx.next();
        Ok(())
    }
}
