//! Parsing of the IDL's values: shape ids, node values and trait applications.

use super::defs::{Loc, Ref};
use super::error::Diagnostic;
use super::lexer::Tok;
use super::node::Node;
use super::parser::Parser;

/// Object and array nesting allowed in node values.
const MAX_NESTING: u32 = 64;

/// How a trait was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TraitKind {
    Value,
    /// `@foo` or `@foo()`: the value depends on the trait's shape type.
    Annotation,
    /// A `///` comment, i.e. `@documentation`.
    DocComment,
}

/// A trait as parsed, before it is attached to its shape.
#[derive(Clone, Debug)]
pub struct ParsedTrait {
    pub name: String,
    pub value: Node,
    pub kind: TraitKind,
    pub loc: Loc,
}

type Res<T> = Result<T, Diagnostic>;

impl Parser<'_> {
    pub(super) fn enter(&mut self) -> Res<()> {
        self.nesting += 1;
        if self.nesting > MAX_NESTING {
            return Err(self.lx.syntax(format!(
                "Parser exceeded maximum allowed depth of {MAX_NESTING}"
            )));
        }
        Ok(())
    }

    pub(super) fn leave(&mut self) {
        self.nesting -= 1;
    }

    // --- shape ids ---

    /// `Identifier *("." Identifier)`; the text is returned, the tokens consumed.
    pub(super) fn namespace_text(&mut self) -> Res<String> {
        let start = self.lx.cur.start;
        self.skip_namespace()?;
        Ok(self.lx.slice(start, self.lx.cur.start).to_string())
    }

    fn skip_namespace(&mut self) -> Res<()> {
        self.lx.expect(Tok::Identifier)?;
        self.lx.next();
        while self.lx.tok() == Tok::Dot {
            self.lx.next();
            self.lx.expect(Tok::Identifier)?;
            self.lx.next();
        }
        Ok(())
    }

    fn skip_relative_root(&mut self) -> Res<()> {
        self.lx.expect(Tok::Identifier)?;
        self.lx.next();
        if self.lx.tok() == Tok::Dollar {
            self.lx.next();
            self.lx.expect(Tok::Identifier)?;
            self.lx.next();
        }
        Ok(())
    }

    /// A relative or absolute shape id, with an optional member.
    pub(super) fn shape_id_text(&mut self) -> Res<String> {
        let start = self.lx.cur.start;
        self.skip_namespace()?;
        if matches!(self.lx.tok(), Tok::Dollar | Tok::Pound) {
            self.lx.next();
            self.skip_relative_root()?;
        }
        Ok(self.lx.slice(start, self.lx.cur.start).to_string())
    }

    /// `namespace#Name[$member]`.
    pub(super) fn absolute_shape_id_text(&mut self) -> Res<String> {
        let start = self.lx.cur.start;
        self.skip_namespace()?;
        self.lx.expect(Tok::Pound)?;
        self.lx.next();
        self.skip_relative_root()?;
        Ok(self.lx.slice(start, self.lx.cur.start).to_string())
    }

    /// A reference to a shape as written here: `use` statements applied, resolution left to
    /// the assembler.
    pub(super) fn make_ref(&self, text: &str, loc: Loc) -> Ref {
        let text = match text.find('$') {
            Some(i) if i > 0 && i < text.len() - 1 => {
                let (root, member) = text.split_at(i);
                match self.uses.get(root) {
                    Some(used) => format!("{used}{member}"),
                    None => text.to_string(),
                }
            }
            _ => self
                .uses
                .get(text)
                .cloned()
                .unwrap_or_else(|| text.to_string()),
        };
        Ref {
            text,
            namespace: self.namespace.clone(),
            loc,
        }
    }

    /// A shape id, as a reference.
    pub(super) fn shape_ref(&mut self) -> Res<Ref> {
        let loc = self.lx.loc();
        let text = self.shape_id_text()?;
        Ok(self.make_ref(&text, loc))
    }

    // --- node values ---

    /// A node value; unquoted strings other than `true`, `false` and `null` are shape ids.
    pub(super) fn node(&mut self) -> Res<Node> {
        let tok = self.lx.expect_one(&[
            Tok::String,
            Tok::TextBlock,
            Tok::Number,
            Tok::Identifier,
            Tok::LBrace,
            Tok::LBracket,
        ])?;
        match tok {
            Tok::String | Tok::TextBlock => {
                let value = self.lx.cur.string.take().unwrap_or_default();
                self.lx.next();
                Ok(Node::String(value))
            }
            Tok::Number => {
                let n = self.lx.cur.number.take();
                self.lx.next();
                Ok(n.map_or(Node::Null, Node::Number))
            }
            Tok::Identifier => {
                let loc = self.lx.loc();
                let text = self.shape_id_text()?;
                Ok(self.identifier(&text, loc))
            }
            Tok::LBrace => self.object(),
            _ => self.array(),
        }
    }

    fn identifier(&self, text: &str, loc: Loc) -> Node {
        match text {
            "true" => Node::Bool(true),
            "false" => Node::Bool(false),
            "null" => Node::Null,
            _ => Node::ShapeId(Box::new(self.make_ref(text, loc))),
        }
    }

    fn array(&mut self) -> Res<Node> {
        self.enter()?;
        self.lx.expect(Tok::LBracket)?;
        self.lx.next();
        self.lx.skip_ws_and_docs();
        let mut items = Vec::new();
        while self.lx.tok() != Tok::RBracket {
            items.push(self.node()?);
            self.lx.skip_ws_and_docs();
        }
        self.lx.next();
        self.leave();
        Ok(Node::Array(items))
    }

    fn object(&mut self) -> Res<Node> {
        self.lx.expect(Tok::LBrace)?;
        self.lx.next();
        self.lx.skip_ws_and_docs();
        self.enter()?;
        let mut entries: Vec<(String, Node)> = Vec::new();
        while self.lx.tok() != Tok::Eof {
            if self
                .lx
                .expect_one(&[Tok::RBrace, Tok::String, Tok::Identifier])?
                == Tok::RBrace
            {
                break;
            }
            let key = self.string_or_identifier();
            let key_loc = self.lx.loc();
            self.lx.next();
            self.lx.skip_ws_and_docs();
            self.lx.expect(Tok::Colon)?;
            self.lx.next();
            self.lx.skip_ws_and_docs();
            let value = self.node()?;
            if entries.iter().any(|(k, _)| *k == key) {
                return Err(Diagnostic::syntax(
                    &key_loc,
                    format!("Duplicate member: '{key}'"),
                ));
            }
            entries.push((key, value));
            self.lx.skip_ws_and_docs();
        }
        self.lx.expect(Tok::RBrace)?;
        self.lx.next();
        self.leave();
        Ok(Node::Object(entries))
    }

    /// The text of a `String` (its value) or `Identifier` (its lexeme) token.
    pub(super) fn string_or_identifier(&mut self) -> String {
        match self.lx.cur.string.clone() {
            Some(s) => s,
            None => self.lx.lexeme().to_string(),
        }
    }

    // --- traits ---

    /// Documentation comments and traits in front of a shape or member. The doc comment, when
    /// there is one, comes last.
    pub(super) fn docs_and_traits(&mut self, member: bool) -> Res<Vec<ParsedTrait>> {
        self.lx.skip_ws();
        let mut doc = None;
        if self.lx.tok() == Tok::DocComment {
            let loc = self.lx.loc();
            self.lx.skip_ws_and_docs();
            doc = self.lx.take_doc_lines().map(|text| ParsedTrait {
                name: "smithy.api#documentation".into(),
                value: Node::String(text),
                kind: TraitKind::DocComment,
                loc,
            });
        } else {
            self.lx.skip_ws_and_docs();
        }
        self.lx.skip_ws_and_docs();
        let mut traits = self.traits()?;
        traits.extend(doc);
        self.lx.skip_ws_and_docs();
        if member {
            self.lx.clear_doc_lines();
        }
        Ok(traits)
    }

    pub(super) fn traits(&mut self) -> Res<Vec<ParsedTrait>> {
        let mut out = Vec::new();
        while self.lx.tok() == Tok::At {
            out.push(self.trait_()?);
            self.lx.skip_ws_and_docs();
        }
        Ok(out)
    }

    /// `@name`, `@name()`, `@name(value)` or `@name(key: value, ...)`.
    pub(super) fn trait_(&mut self) -> Res<ParsedTrait> {
        let loc = self.lx.loc();
        self.lx.expect(Tok::At)?;
        self.lx.next();
        let name = self.shape_id_text()?;
        let annotation = |name| ParsedTrait {
            name,
            value: Node::Null,
            kind: TraitKind::Annotation,
            loc: loc.clone(),
        };
        if self.lx.tok() != Tok::LParen {
            return Ok(annotation(name));
        }
        self.lx.next();
        self.lx.skip_ws_and_docs();
        if self.lx.tok() == Tok::RParen {
            self.lx.next();
            return Ok(annotation(name));
        }
        let value = self.trait_body(&loc)?;
        self.lx.skip_ws_and_docs();
        self.lx.expect(Tok::RParen)?;
        self.lx.next();
        Ok(ParsedTrait {
            name,
            value,
            kind: TraitKind::Value,
            loc,
        })
    }

    fn trait_body(&mut self, loc: &Loc) -> Res<Node> {
        let tok = self.lx.expect_one(&[
            Tok::LBrace,
            Tok::LBracket,
            Tok::TextBlock,
            Tok::String,
            Tok::Number,
            Tok::Identifier,
        ])?;
        match tok {
            Tok::LBrace | Tok::LBracket | Tok::TextBlock | Tok::Number => {
                let node = self.node()?;
                self.lx.skip_ws_and_docs();
                Ok(node)
            }
            Tok::String => {
                let value = self.lx.cur.string.take().unwrap_or_default();
                self.lx.next();
                self.lx.skip_ws_and_docs();
                if self.lx.tok() == Tok::Colon {
                    self.lx.next();
                    self.lx.skip_ws_and_docs();
                    self.structured_trait(value)
                } else {
                    Ok(Node::String(value))
                }
            }
            _ => {
                let text = self.shape_id_text()?;
                self.lx.skip_ws_and_docs();
                if self.lx.tok() == Tok::RParen || text.contains(['.', '$', '#']) {
                    Ok(self.identifier(&text, loc.clone()))
                } else {
                    self.lx.expect(Tok::Colon)?;
                    self.lx.next();
                    self.lx.skip_ws_and_docs();
                    self.structured_trait(text)
                }
            }
        }
    }

    /// `@foo(a: 1, b: 2)`: the entries of an object, the first key already read.
    fn structured_trait(&mut self, first_key: String) -> Res<Node> {
        self.enter()?;
        let first = self.node()?;
        let mut entries = vec![(first_key, first)];
        self.lx.skip_ws_and_docs();
        while self.lx.tok() != Tok::RParen {
            self.lx.expect_one(&[Tok::Identifier, Tok::String])?;
            let key = self.string_or_identifier();
            let key_loc = self.lx.loc();
            self.lx.next();
            self.lx.skip_ws_and_docs();
            self.lx.expect(Tok::Colon)?;
            self.lx.next();
            self.lx.skip_ws_and_docs();
            let value = self.node()?;
            if entries.iter().any(|(k, _)| *k == key) {
                return Err(Diagnostic::syntax(
                    &key_loc,
                    format!("Duplicate member of trait: '{key}'"),
                ));
            }
            entries.push((key, value));
            self.lx.skip_ws_and_docs();
        }
        self.leave();
        Ok(Node::Object(entries))
    }
}
