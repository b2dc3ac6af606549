//! The model written as IDL 2.0, one file per namespace: what `X.smithy` twins of JSON AST
//! models are made from, and a round trip that checks the reader (JSON AST → IDL → reader →
//! the same JSON AST).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::defs::{is_identifier, ShapeType};
use super::model::{Model, Shape, TraitMap, BOX, DEFAULT, ENUM_VALUE, UNIT};
use super::node::Node;
use super::prelude;

const DOCUMENTATION: &str = "smithy.api#documentation";

/// `(namespace, IDL text)` for every namespace with shapes (the prelude's left out); the
/// model's metadata goes into the first file.
pub fn to_idl(model: &Model) -> Vec<(String, String)> {
    let mut by_ns: BTreeMap<&str, Vec<&Shape>> = BTreeMap::new();
    // Services first, then the other shapes by name.
    let mut shapes: Vec<&Shape> = model.shapes.values().filter(|s| !s.is_prelude()).collect();
    shapes.sort_by_key(|s| (s.kind != ShapeType::Service, s.id.as_str()));
    for shape in shapes {
        let ns = shape.id.split('#').next().unwrap_or("");
        by_ns.entry(ns).or_default().push(shape);
    }
    let mut out = Vec::new();
    for (i, (ns, shapes)) in by_ns.into_iter().enumerate() {
        let names: BTreeSet<&str> = shapes.iter().map(|s| name_of(&s.id)).collect();
        let w = Writer { ns, names };
        let mut text = String::from("$version: \"2\"\n\n");
        if i == 0 && !model.metadata.is_empty() {
            for (key, value) in &model.metadata {
                let _ = writeln!(text, "metadata {} = {}", key_text(key), node_text(value, 0));
            }
            text.push('\n');
        }
        let _ = writeln!(text, "namespace {ns}");
        let mut applies = String::new();
        for shape in shapes {
            text.push('\n');
            w.shape(shape, &mut text, &mut applies);
        }
        if !applies.is_empty() {
            text.push('\n');
            text.push_str(&applies);
        }
        out.push((ns.to_string(), text));
    }
    out
}

fn name_of(id: &str) -> &str {
    id.rsplit_once('#').map_or(id, |(_, n)| n)
}

/// An object key or metadata key: bare when it is an identifier.
fn key_text(key: &str) -> String {
    if is_identifier(key) {
        key.to_string()
    } else {
        string_text(key)
    }
}

fn string_text(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// A node value in IDL syntax (JSON's is a subset of it); long values span lines.
fn node_text(node: &Node, indent: usize) -> String {
    let compact = node.to_json();
    if compact.len() + indent <= 90 {
        return compact;
    }
    let pad = " ".repeat(indent);
    node.to_json_pretty().replace('\n', &format!("\n{pad}"))
}

struct Writer<'a> {
    ns: &'a str,
    /// Names of the shapes of this namespace (they hide prelude names).
    names: BTreeSet<&'a str>,
}

impl Writer<'_> {
    /// A shape id as this file can write it: relative when it resolves back to itself.
    fn id(&self, id: &str) -> String {
        let (root, member) = match id.split_once('$') {
            Some((r, m)) => (r, format!("${m}")),
            None => (id, String::new()),
        };
        let (ns, name) = root.split_once('#').unwrap_or(("", root));
        let relative = if ns == self.ns {
            true
        } else {
            ns == prelude::NAMESPACE
                && !self.names.contains(name)
                && prelude::lookup(root).is_some()
        };
        if relative {
            format!("{name}{member}")
        } else {
            format!("{root}{member}")
        }
    }

    fn docs(&self, traits: &TraitMap, indent: &str, out: &mut String) {
        if let Some(Node::String(doc)) = traits.get(DOCUMENTATION) {
            if !doc.contains('\r') {
                for line in doc.split('\n') {
                    let sep = if line.is_empty() { "" } else { " " };
                    let _ = writeln!(out, "{indent}///{sep}{line}");
                }
            }
        }
    }

    /// Traits in front of a shape or member, except those written another way.
    fn traits(&self, traits: &TraitMap, skip: &[&str], indent: &str, out: &mut String) {
        self.docs(traits, indent, out);
        for (id, value) in traits {
            if skip.contains(&id.as_str()) || id == BOX {
                continue;
            }
            if id == DOCUMENTATION && value.as_str().is_some_and(|d| !d.contains('\r')) {
                continue;
            }
            let _ = writeln!(out, "{indent}{}", self.trait_text(id, value, indent.len()));
        }
    }

    fn trait_text(&self, id: &str, value: &Node, indent: usize) -> String {
        let name = self.id(id);
        match value {
            Node::Object(entries) if entries.is_empty() => format!("@{name}"),
            Node::Object(entries) => {
                let body: Vec<String> = entries
                    .iter()
                    .map(|(k, v)| format!("{}: {}", key_text(k), node_text(v, indent + 4)))
                    .collect();
                let one_line = body.join(", ");
                if one_line.len() + indent + name.len() <= 90 && !one_line.contains('\n') {
                    format!("@{name}({one_line})")
                } else {
                    let pad = " ".repeat(indent + 4);
                    let end = " ".repeat(indent);
                    format!("@{name}(\n{pad}{}\n{end})", body.join(&format!("\n{pad}")))
                }
            }
            other => format!("@{name}({})", node_text(other, indent)),
        }
    }

    fn shape(&self, shape: &Shape, out: &mut String, applies: &mut String) {
        self.traits(&shape.local, &[], "", out);
        let kind = if shape.kind == ShapeType::Set {
            "list"
        } else {
            shape.kind.name()
        };
        let _ = write!(out, "{kind} {}", name_of(&shape.id));
        if !shape.mixins.is_empty() {
            let mixins: Vec<String> = shape.mixins.iter().map(|m| self.id(m)).collect();
            let _ = write!(out, " with [{}]", mixins.join(", "));
        }
        for m in shape.members.iter().filter(|m| m.inherited) {
            for (trait_id, value) in &m.local {
                let _ = writeln!(
                    applies,
                    "apply {}${} {}",
                    name_of(&shape.id),
                    m.name,
                    self.trait_text(trait_id, value, 0)
                );
            }
        }
        match shape.kind {
            ShapeType::Operation | ShapeType::Service | ShapeType::Resource => {
                out.push_str(" {\n");
                self.entity(shape, out);
                out.push_str("}\n");
            }
            k if k.has_named_members()
                || matches!(k, ShapeType::List | ShapeType::Set | ShapeType::Map) =>
            {
                out.push_str(" {\n");
                let mut previous_had_traits = None;
                for m in shape.members.iter().filter(|m| !m.inherited) {
                    let mut text = String::new();
                    self.member(shape.kind, m, &mut text);
                    // A member with traits in front of it is set apart by blank lines.
                    let has_traits = text.lines().count() > 1;
                    if previous_had_traits.is_some_and(|p| p || has_traits) {
                        out.push('\n');
                    }
                    previous_had_traits = Some(has_traits);
                    out.push_str(&text);
                }
                out.push_str("}\n");
            }
            _ => out.push('\n'),
        }
    }

    fn member(&self, kind: ShapeType, m: &super::model::Member, out: &mut String) {
        let enum_like = matches!(kind, ShapeType::Enum | ShapeType::IntEnum);
        let (sugar, skip) = if enum_like {
            (m.local.get(ENUM_VALUE), ENUM_VALUE)
        } else {
            (m.local.get(DEFAULT), DEFAULT)
        };
        self.traits(&m.local, &[skip], "    ", out);
        if enum_like {
            let _ = write!(out, "    {}", m.name);
        } else {
            let _ = write!(out, "    {}: {}", m.name, self.id(&m.target));
        }
        match sugar {
            // An enum member's value is its name unless said otherwise.
            Some(Node::String(v)) if kind == ShapeType::Enum && *v == m.name => {}
            Some(value) => {
                let _ = write!(out, " = {}", node_text(value, 4));
            }
            None => {}
        }
        out.push('\n');
    }

    fn entity(&self, shape: &Shape, out: &mut String) {
        let e = &shape.entity;
        let list = |ids: &[String]| -> String {
            let items: Vec<String> = ids.iter().map(|i| self.id(i)).collect();
            format!("[{}]", items.join(", "))
        };
        let map = |pairs: &[(String, String)]| -> String {
            let items: Vec<String> = pairs
                .iter()
                .map(|(k, v)| format!("{}: {}", key_text(k), self.id(v)))
                .collect();
            format!("{{ {} }}", items.join(", "))
        };
        let mut line = |key: &str, value: String| {
            let _ = writeln!(out, "    {key}: {value}");
        };
        // Long lists and maps one entry a line.
        let spread = |text: String| -> String {
            if text.len() <= 80 {
                return text;
            }
            let (open, close) = (&text[..1], &text[text.len() - 1..]);
            let inner = text[1..text.len() - 1].trim();
            let items: Vec<&str> = inner.split(", ").collect();
            format!("{open}\n        {}\n    {close}", items.join("\n        "))
        };
        if let Some(v) = &e.version {
            line("version", string_text(v));
        }
        for (key, v) in [("input", &e.input), ("output", &e.output)] {
            if let Some(id) = v.as_deref().filter(|id| *id != UNIT) {
                line(key, self.id(id));
            }
        }
        if !e.identifiers.is_empty() {
            line("identifiers", spread(map(&e.identifiers)));
        }
        if !e.properties.is_empty() {
            line("properties", spread(map(&e.properties)));
        }
        for (key, v) in [
            ("create", &e.create),
            ("put", &e.put),
            ("read", &e.read),
            ("update", &e.update),
            ("delete", &e.delete),
            ("list", &e.list),
        ] {
            if let Some(id) = v {
                line(key, self.id(id));
            }
        }
        for (key, ids) in [
            ("operations", &e.operations),
            ("collectionOperations", &e.collection_operations),
            ("resources", &e.resources),
            ("errors", &e.errors),
        ] {
            if !ids.is_empty() {
                line(key, spread(list(ids)));
            }
        }
        if !e.rename.is_empty() {
            let items: Vec<String> = e
                .rename
                .iter()
                .map(|(k, v)| format!("{}: {}", string_text(k), string_text(v)))
                .collect();
            line("rename", spread(format!("{{ {} }}", items.join(", "))));
        }
    }
}
