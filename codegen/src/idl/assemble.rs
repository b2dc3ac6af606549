//! Puts the files of a model together: resolves shape references, merges trait applications
//! and metadata, then builds the shapes ([`super::build`]), upgrades IDL 1.0 shapes
//! ([`super::upgrade`]) and checks the result ([`super::validate`]).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::defs::{FileDefs, Loc, Ref, ShapeDef, ShapeType, Version};
use super::error::{Diagnostic, IdlError};
use super::model::{Model, TraitMap, BOX, DEFAULT, MIXIN};
use super::node::Node;
use super::prelude;

/// How strict the reader is.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Keep traits whose definition is not in the model (Smithy's `--allow-unknown-traits`):
    /// without it, such a trait is an error.
    pub allow_unknown_traits: bool,
}

/// A trait value as applied, with where it was applied.
#[derive(Clone, Debug)]
pub struct Applied {
    pub value: Node,
    pub loc: Loc,
}

pub struct Assembler {
    pub(super) defs: Vec<ShapeDef>,
    /// Definitions of each shape id, in load order.
    pub(super) by_id: HashMap<String, Vec<usize>>,
    /// Traits per target (shape or member id), in the order first applied.
    traits: HashMap<String, Vec<(String, Applied)>>,
    claimed: HashSet<String>,
    pub(super) errors: Vec<Diagnostic>,
    pub(super) options: Options,
    /// Trait ids applied anywhere, with a place they were applied (for the definition check).
    used_traits: BTreeMap<String, (Loc, String)>,
    unknown_traits: BTreeSet<String>,
}

/// Assembles the files into one model.
pub fn assemble(files: Vec<FileDefs>, options: Options) -> Result<Model, IdlError> {
    let mut a = Assembler {
        defs: Vec::new(),
        by_id: HashMap::new(),
        traits: HashMap::new(),
        claimed: HashSet::new(),
        errors: Vec::new(),
        options,
        used_traits: BTreeMap::new(),
        unknown_traits: BTreeSet::new(),
    };
    let mut metadata_defs = Vec::new();
    let mut trait_apps = Vec::new();
    for file in files {
        for shape in file.shapes {
            a.by_id
                .entry(shape.id.clone())
                .or_default()
                .push(a.defs.len());
            a.defs.push(shape);
        }
        metadata_defs.push(file.metadata);
        trait_apps.push((file.version, file.traits));
    }
    let mut model = Model::default();
    let mut metadata: Vec<(String, Node, Loc)> = Vec::new();
    for entries in metadata_defs {
        for m in entries {
            let value = a.resolve_node(m.value);
            a.put_metadata(&mut metadata, m.key, value, m.loc);
        }
    }
    model.metadata = metadata.into_iter().map(|(k, v, _)| (k, v)).collect();
    for (version, apps) in trait_apps {
        for app in apps {
            a.apply_trait(version, app);
        }
    }
    model.shapes = a.build_all();
    model.unknown_traits = std::mem::take(&mut a.unknown_traits);
    a.report_unclaimed_traits();
    a.check_trait_definitions(&model);
    super::upgrade::upgrade(&mut model);
    super::validate::validate(&model, &mut a.errors);
    if a.errors.is_empty() {
        Ok(model)
    } else {
        let mut seen = HashSet::new();
        a.errors.retain(|d| seen.insert(d.clone()));
        Err(IdlError {
            diagnostics: std::mem::take(&mut a.errors),
        })
    }
}

impl Assembler {
    /// The type of a shape id in the model or the prelude (`None`: not defined). Member ids
    /// count as defined when their shape is.
    pub(super) fn type_of(&self, id: &str) -> Option<ShapeType> {
        let root = id.split('$').next().unwrap_or(id);
        if let Some(indices) = self.by_id.get(root) {
            return Some(self.defs[indices[0]].kind);
        }
        prelude::lookup(root).map(|(t, _)| t)
    }

    /// Resolves a reference the way the IDL specifies: an absolute id is itself; a relative
    /// one names a shape of the file's namespace, else of the prelude, else (undefined) of the
    /// file's namespace. Returns the absolute id and whether it is defined.
    pub(super) fn resolve(&self, r: &Ref) -> (String, bool) {
        let text = r.text.as_str();
        if let Some(i) = text.find('$').filter(|i| *i > 0 && *i < text.len() - 1) {
            let (root, member) = text.split_at(i);
            let (id, found) = self.resolve_root(root, r.namespace.as_deref());
            return (format!("{id}{member}"), found);
        }
        self.resolve_root(text, r.namespace.as_deref())
    }

    fn resolve_root(&self, name: &str, namespace: Option<&str>) -> (String, bool) {
        if name.contains('#') {
            return (name.to_string(), self.type_of(name).is_some());
        }
        let Some(ns) = namespace else {
            let id = format!("{}#{name}", prelude::NAMESPACE);
            let found = self.type_of(&id).is_some();
            return (id, found);
        };
        let local = format!("{ns}#{name}");
        if self.by_id.contains_key(&local) {
            return (local, true);
        }
        let in_prelude = format!("{}#{name}", prelude::NAMESPACE);
        if prelude::lookup(&in_prelude).is_some() {
            return (in_prelude, true);
        }
        (local, false)
    }

    /// Replaces the syntactic shape ids in a node value by the absolute ids they resolve to.
    /// One that resolves to nothing is an error (Smithy rates it DANGER, which fails a load).
    pub(super) fn resolve_node(&mut self, node: Node) -> Node {
        match node {
            Node::ShapeId(r) => {
                let (id, found) = self.resolve(&r);
                if !found {
                    self.errors.push(Diagnostic::model(
                        &r.loc,
                        None,
                        format!(
                            "Syntactic shape ID `{}` does not resolve to a valid shape ID: `{id}`. \
                             Did you mean to quote this string? Are you missing a model file?",
                            r.text
                        ),
                    ));
                }
                Node::String(id)
            }
            Node::Array(items) => {
                Node::Array(items.into_iter().map(|n| self.resolve_node(n)).collect())
            }
            Node::Object(entries) => Node::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, self.resolve_node(v)))
                    .collect(),
            ),
            other => other,
        }
    }

    /// Metadata keys merge across files: arrays are concatenated, equal values are kept once,
    /// anything else is a conflict.
    fn put_metadata(
        &mut self,
        data: &mut Vec<(String, Node, Loc)>,
        key: String,
        value: Node,
        loc: Loc,
    ) {
        let Some(i) = data.iter().position(|(k, _, _)| *k == key) else {
            data.push((key, value, loc));
            return;
        };
        let (_, previous, previous_loc) = &mut data[i];
        if *previous_loc == loc && *previous == value {
            return;
        }
        match (previous, value) {
            (Node::Array(items), Node::Array(more)) => items.extend(more),
            (p, v) if *p == v => {}
            _ => {
                let message = format!(
                    "Metadata conflict for key `{key}`. Defined in both `{loc}` and `{previous_loc}`"
                );
                self.errors.push(Diagnostic::model(&loc, None, message));
            }
        }
    }

    fn apply_trait(&mut self, version: Version, app: super::defs::TraitApp) {
        let (target, _) = self.resolve(&app.target);
        let (trait_id, trait_found) = self.resolve(&app.name);
        let trait_type = if trait_found {
            self.type_of(&trait_id)
        } else {
            None
        };
        let mut value = self.resolve_node(app.value);
        if app.annotation && value == Node::Null {
            value = match trait_type {
                None | Some(ShapeType::Structure | ShapeType::Map) => Node::object(),
                Some(ShapeType::List | ShapeType::Set) => Node::Array(Vec::new()),
                Some(_) => Node::Null,
            };
        }
        if trait_id == MIXIN {
            value = normalize_mixin(&value);
        }
        let problem = match (version, trait_id.as_str()) {
            (Version::V1, MIXIN) => Some(format!(
                "Mixins can only be used in Smithy 2.0 or later. Attempted to apply a @mixin \
                 trait to `{target}` in a model file using version `1.0`."
            )),
            (Version::V1, DEFAULT) => {
                Some("The @default trait can only be used in Smithy 2.0 or later".to_string())
            }
            (Version::V2, BOX) => Some("@box is not supported in Smithy IDL 2.0".to_string()),
            _ => None,
        };
        if let Some(message) = problem {
            self.errors
                .push(Diagnostic::model(&app.loc, Some(&target), message));
        }
        let file_ns = app.target.namespace.as_deref();
        if file_ns.is_some_and(|ns| ns != prelude::NAMESPACE) && target.starts_with("smithy.api#") {
            self.errors.push(Diagnostic::model(
                &app.loc,
                Some(&target),
                format!(
                    "Cannot apply `{trait_id}` to an immutable prelude shape defined in `smithy.api`."
                ),
            ));
            return;
        }
        if !trait_found {
            self.unknown_traits.insert(trait_id.clone());
        }
        if !trait_found && !self.options.allow_unknown_traits {
            self.errors.push(Diagnostic::model(
                &app.loc,
                Some(&target),
                format!(
                    "Unable to resolve trait `{trait_id}`. If this is a custom trait, then it \
                     must be defined before it can be used in a model."
                ),
            ));
        }
        self.used_traits
            .entry(trait_id.clone())
            .or_insert_with(|| (app.loc.clone(), target.clone()));
        self.merge_trait(target, trait_id, value, app.loc);
    }

    /// A trait applied twice: equal values are kept once, arrays are concatenated, anything
    /// else is a conflict.
    fn merge_trait(&mut self, target: String, trait_id: String, value: Node, loc: Loc) {
        let applied = self.traits.entry(target.clone()).or_default();
        let Some((_, previous)) = applied.iter_mut().find(|(t, _)| *t == trait_id) else {
            applied.push((trait_id, Applied { value, loc }));
            return;
        };
        if previous.loc == loc && previous.value == value {
            return;
        }
        match (&mut previous.value, value) {
            (Node::Array(items), Node::Array(more)) => items.extend(more),
            (p, v) if *p == v => {}
            _ => {
                let message = format!(
                    "Conflicting `{trait_id}` trait found on shape `{target}`. The previous trait \
                     was defined at `{}`, and a conflicting trait was defined at `{loc}`.",
                    previous.loc
                );
                self.errors
                    .push(Diagnostic::model(&loc, Some(&target), message));
            }
        }
    }

    /// The traits applied to a shape or member (they count as used).
    pub(super) fn traits_for(&mut self, target: &str) -> TraitMap {
        match self.traits.get(target) {
            Some(applied) => {
                self.claimed.insert(target.to_string());
                applied
                    .iter()
                    .map(|(k, a)| (k.clone(), a.value.clone()))
                    .collect()
            }
            None => TraitMap::new(),
        }
    }

    pub(super) fn has_traits(&self, target: &str) -> bool {
        self.traits.contains_key(target)
    }

    fn report_unclaimed_traits(&mut self) {
        let mut unclaimed: Vec<(&String, &Vec<(String, Applied)>)> = self
            .traits
            .iter()
            .filter(|(t, _)| !self.claimed.contains(*t))
            .collect();
        unclaimed.sort_by(|a, b| a.0.cmp(b.0));
        let mut errors = Vec::new();
        for (target, applied) in unclaimed {
            for (trait_id, a) in applied {
                errors.push(Diagnostic::model(
                    &a.loc,
                    None,
                    format!("Trait `{trait_id}` applied to unknown shape `{target}`"),
                ));
            }
        }
        self.errors.extend(errors);
    }

    /// A shape applied as a trait must be a trait definition (`@trait`).
    fn check_trait_definitions(&mut self, model: &Model) {
        for (trait_id, (loc, target)) in &self.used_traits {
            let is_definition = match model.shapes.get(trait_id) {
                Some(shape) => shape.all.contains_key("smithy.api#trait"),
                None => match prelude::lookup(trait_id) {
                    Some((_, role)) => role == prelude::Role::Trait,
                    // Unknown traits were reported when they were applied.
                    None => true,
                },
            };
            if !is_definition {
                self.errors.push(Diagnostic::model(
                    loc,
                    Some(target),
                    format!(
                        "Shape `{trait_id}` cannot be applied as a trait. If this is a custom \
                         trait, please add `@trait` to this shape."
                    ),
                ));
            }
        }
    }
}

/// `@mixin` keeps only `localTraits` other than `smithy.api#mixin` itself (which is always
/// local), and is `{}` without them.
fn normalize_mixin(value: &Node) -> Node {
    let mut local: Vec<Node> = Vec::new();
    if let Some(Node::Array(items)) = value.get("localTraits") {
        for item in items {
            if item.as_str() != Some(MIXIN) && !local.contains(item) {
                local.push(item.clone());
            }
        }
    }
    if local.is_empty() {
        Node::object()
    } else {
        Node::Object(vec![("localTraits".into(), Node::Array(local))])
    }
}

/// The trait ids a mixin keeps to itself: `@mixin` and its `localTraits`.
pub fn mixin_local_traits(traits: &TraitMap) -> Vec<String> {
    let mut out = vec![MIXIN.to_string()];
    if let Some(Node::Array(items)) = traits.get(MIXIN).and_then(|m| m.get("localTraits")) {
        out.extend(items.iter().filter_map(|i| i.as_str().map(str::to_string)));
    }
    out
}
