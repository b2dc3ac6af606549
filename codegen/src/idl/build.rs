//! Builds the shapes of the model from their definitions: member targets (elided ones from the
//! `for` resource or a mixin), traits, and what mixins pass on. Shapes are built after the
//! shapes they depend on (their mixins and `for` resource).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::assemble::{mixin_local_traits, Assembler};
use super::defs::{Ref, ShapeDef, ShapeType};
use super::error::Diagnostic;
use super::model::{Entity, Member, Shape, TraitMap, ENUM_VALUE};
use super::node::Node;

type Built = BTreeMap<String, Shape>;

impl Assembler {
    /// Builds every defined shape. Definitions of the same id must agree.
    pub(super) fn build_all(&mut self) -> Built {
        let mut built = Built::new();
        for id in self.build_order() {
            let indices = self.by_id.get(&id).cloned().unwrap_or_default();
            let mut result: Option<Shape> = None;
            for i in indices {
                let def = self.defs[i].clone();
                let Some(shape) = self.build_shape(&def, &built) else {
                    continue;
                };
                match &result {
                    None => result = Some(shape),
                    Some(previous) => {
                        if let Some(why) = differences(previous, &shape) {
                            self.errors.push(Diagnostic::model(
                                &shape.loc,
                                Some(&id),
                                format!(
                                    "Conflicting shape definition for `{id}` found at `{}` and \
                                     `{}`. {why}",
                                    previous.loc, shape.loc
                                ),
                            ));
                        }
                    }
                }
            }
            if let Some(shape) = result {
                built.insert(id, shape);
            }
        }
        built
    }

    /// Shape ids sorted so that mixins and `for` resources come before the shapes using them.
    fn build_order(&mut self) -> Vec<String> {
        let ids: BTreeSet<String> = self.by_id.keys().cloned().collect();
        let mut deps: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for id in &ids {
            let mut d = BTreeSet::new();
            for &i in &self.by_id[id] {
                let def = &self.defs[i];
                for r in def.mixins.iter().chain(&def.for_resource) {
                    let (dep, found) = self.resolve(r);
                    if found && self.by_id.contains_key(&dep) && dep != *id {
                        d.insert(dep);
                    }
                }
            }
            deps.insert(id.clone(), d);
        }
        let mut order = Vec::with_capacity(ids.len());
        let mut done: BTreeSet<String> = BTreeSet::new();
        let mut pending: Vec<String> = ids.iter().cloned().collect();
        loop {
            let before = pending.len();
            pending.retain(|id| {
                if deps[id].iter().all(|d| done.contains(d)) {
                    done.insert(id.clone());
                    order.push(id.clone());
                    false
                } else {
                    true
                }
            });
            if pending.is_empty() {
                break;
            }
            if pending.len() == before {
                for id in &pending {
                    let others: Vec<&String> =
                        deps[id].iter().filter(|d| pending.contains(d)).collect();
                    let def = &self.defs[self.by_id[id][0]];
                    self.errors.push(Diagnostic::model(
                        &def.loc,
                        Some(id),
                        format!(
                            "Unable to resolve mixins; cycles detected between this shape and {others:?}"
                        ),
                    ));
                }
                break;
            }
        }
        order
    }

    fn resolve_opt(&self, r: &Option<Ref>) -> Option<String> {
        r.as_ref().map(|r| self.resolve(r).0)
    }

    fn resolve_all(&self, refs: &[Ref]) -> Vec<String> {
        refs.iter().map(|r| self.resolve(r).0).collect()
    }

    fn build_shape(&mut self, def: &ShapeDef, built: &Built) -> Option<Shape> {
        let id = def.id.as_str();
        let mut mixins: Vec<&Shape> = Vec::new();
        for r in &def.mixins {
            let (mixin_id, _) = self.resolve(r);
            match built.get(&mixin_id) {
                Some(m) => mixins.push(m),
                None => {
                    self.errors.push(Diagnostic::model(
                        &r.loc,
                        Some(id),
                        format!("Cannot apply mixin to {id}: {mixin_id} not found"),
                    ));
                    return None;
                }
            }
        }
        let wrong: Vec<&str> = mixins
            .iter()
            .filter(|m| m.kind != def.kind)
            .map(|m| m.id.as_str())
            .collect();
        if !wrong.is_empty() {
            self.errors.push(Diagnostic::model(
                &def.loc,
                Some(id),
                format!(
                    "Mixins may only be mixed into shapes of the same type. The following mixins \
                     were applied to the {kind} shape `{id}` which are not {kind} shapes: [`{}`]",
                    wrong.join("`, `"),
                    kind = def.kind
                ),
            ));
            return None;
        }
        let resource = self.resolve_opt(&def.for_resource);

        // The shape's own members.
        let mut locals: Vec<Member> = Vec::new();
        for m in &def.members {
            let member_id = format!("{id}${}", m.name);
            let target = match &m.target {
                Some(r) => Some(self.resolve(r).0),
                None => {
                    self.elided_target(&member_id, &m.name, resource.as_deref(), &mixins, built)
                }
            };
            let Some(target) = target else {
                self.errors.push(Diagnostic::model(
                    &m.loc,
                    Some(&member_id),
                    "Member target was elided, but no bound resource or mixin contained a \
                     matching identifier or member name.",
                ));
                continue;
            };
            let local = self.traits_for(&member_id);
            locals.push(Member {
                name: m.name.clone(),
                target,
                all: local.clone(),
                local,
                inherited: false,
                loc: m.loc.clone(),
            });
        }

        // Members that come from mixins.
        let mut members: Vec<Member> = Vec::new();
        let mut overridden: Vec<String> = Vec::new();
        for mixin in &mixins {
            for mm in &mixin.members {
                let member_id = format!("{id}${}", mm.name);
                if let Some(pos) = members.iter().position(|x| x.name == mm.name) {
                    let existing = &mut members[pos];
                    if existing.target != mm.target {
                        // Named as the mixin's member when this shape redefines it, else as
                        // the member the mixins before this one gave this shape.
                        let conflicting = if overridden.contains(&mm.name) {
                            format!("{}${}", mixin.id, mm.name)
                        } else {
                            member_id.clone()
                        };
                        let message = format!(
                            "Member conflicts with an inherited mixin member: `{conflicting}`"
                        );
                        self.errors.push(Diagnostic::model(
                            &existing.loc,
                            Some(&member_id),
                            message,
                        ));
                    }
                    inherit(&mut existing.all, &mm.all, &existing.local);
                    continue;
                }
                let member = if let Some(i) = locals.iter().position(|l| l.name == mm.name) {
                    let mut local = locals.remove(i);
                    overridden.push(local.name.clone());
                    if local.target != mm.target {
                        self.errors.push(Diagnostic::model(
                            &local.loc,
                            Some(&member_id),
                            format!(
                                "Member conflicts with an inherited mixin member: `{}${}`",
                                mixin.id, mm.name
                            ),
                        ));
                    }
                    local.inherited = true;
                    local.all = mm.all.clone();
                    local.all.extend(local.local.clone());
                    local
                } else {
                    let local = if self.has_traits(&member_id) {
                        self.traits_for(&member_id)
                    } else {
                        TraitMap::new()
                    };
                    let mut all = mm.all.clone();
                    all.extend(local.clone());
                    Member {
                        name: mm.name.clone(),
                        target: mm.target.clone(),
                        local,
                        all,
                        inherited: true,
                        loc: mm.loc.clone(),
                    }
                };
                members.push(member);
            }
        }
        members.extend(locals);

        if def.kind == ShapeType::Enum {
            for m in &mut members {
                if !m.all.contains_key(ENUM_VALUE) {
                    let value = Node::String(m.name.clone());
                    m.local.insert(ENUM_VALUE.into(), value.clone());
                    m.all.insert(ENUM_VALUE.into(), value);
                }
            }
        }

        let local = self.traits_for(id);
        let mut all = TraitMap::new();
        for mixin in &mixins {
            let keep_local = mixin_local_traits(&mixin.all);
            for (k, v) in &mixin.all {
                if !keep_local.contains(k) {
                    all.insert(k.clone(), v.clone());
                }
            }
        }
        all.extend(local.clone());

        let e = &def.entity;
        let entity = Entity {
            input: self.resolve_opt(&e.input),
            output: self.resolve_opt(&e.output),
            errors: self.resolve_all(&e.errors),
            version: e.version.clone(),
            operations: self.resolve_all(&e.operations),
            resources: self.resolve_all(&e.resources),
            rename: e.rename.clone(),
            identifiers: e
                .identifiers
                .iter()
                .map(|(n, r)| (n.clone(), self.resolve(r).0))
                .collect(),
            properties: e
                .properties
                .iter()
                .map(|(n, r)| (n.clone(), self.resolve(r).0))
                .collect(),
            create: self.resolve_opt(&e.create),
            put: self.resolve_opt(&e.put),
            read: self.resolve_opt(&e.read),
            update: self.resolve_opt(&e.update),
            delete: self.resolve_opt(&e.delete),
            list: self.resolve_opt(&e.list),
            collection_operations: self.resolve_all(&e.collection_operations),
        };
        Some(Shape {
            id: id.to_string(),
            kind: def.kind,
            loc: def.loc.clone(),
            version: def.version,
            local,
            all,
            mixins: mixins.iter().map(|m| m.id.clone()).collect(),
            members,
            entity,
            boxed: false,
        })
    }

    /// The target of `$name`: the `for` resource's identifier or property of that name, else
    /// the member of that name of a mixin.
    fn elided_target(
        &mut self,
        member_id: &str,
        name: &str,
        resource: Option<&str>,
        mixins: &[&Shape],
        built: &Built,
    ) -> Option<String> {
        if let Some(resource_id) = resource {
            match built.get(resource_id) {
                Some(r) if r.kind == ShapeType::Resource => {
                    let found = r
                        .entity
                        .properties
                        .iter()
                        .chain(&r.entity.identifiers)
                        .find(|(n, _)| n == name);
                    if let Some((_, target)) = found {
                        return Some(target.clone());
                    }
                }
                Some(other) => {
                    let loc = other.loc.clone();
                    self.errors.push(Diagnostic::model(
                        &loc,
                        Some(member_id),
                        format!(
                            "The target of the `for` production must be a resource shape, but \
                             found a {} shape: {resource_id}",
                            other.kind
                        ),
                    ));
                }
                None => {}
            }
        }
        mixins
            .iter()
            .find_map(|m| m.member(name).map(|mm| mm.target.clone()))
    }
}

/// Adds what a further mixin member passes on to an inherited member (its own traits still win).
fn inherit(all: &mut TraitMap, from_mixin: &TraitMap, local: &TraitMap) {
    for (k, v) in from_mixin {
        all.insert(k.clone(), v.clone());
    }
    for (k, v) in local {
        all.insert(k.clone(), v.clone());
    }
}

/// Why two definitions of a shape differ, or `None` when they are the same shape.
fn differences(a: &Shape, b: &Shape) -> Option<String> {
    let mut why = Vec::new();
    if a.kind != b.kind {
        why.push(format!("Left is {}, right is {}", b.kind, a.kind));
    }
    if a.mixins != b.mixins {
        why.push(format!(
            "Left mixins: {:?}, right mixins: {:?}",
            b.mixins, a.mixins
        ));
    }
    if a.all != b.all {
        why.push("The traits differ".to_string());
    }
    let members = |s: &Shape| -> HashMap<String, (String, TraitMap)> {
        s.members
            .iter()
            .map(|m| (m.name.clone(), (m.target.clone(), m.all.clone())))
            .collect()
    };
    if members(a) != members(b) {
        why.push("Members differ".to_string());
    }
    if a.entity != b.entity {
        why.push("Properties differ".to_string());
    }
    if why.is_empty() {
        None
    } else {
        Some(why.join("; "))
    }
}
