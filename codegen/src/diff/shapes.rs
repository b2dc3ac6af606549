//! Named types: structures, unions and enums, and their members by name.

use super::*;

impl Cx<'_> {
    pub(super) fn types(&mut self) {
        let (old, new) = (self.old, self.new);
        // Operation inputs and outputs whose shape id changed are compared with each other.
        let mut renamed_io: BTreeMap<ShapeId, ShapeId> = BTreeMap::new();
        for (name, o) in &old.operations {
            if let Some(n) = new.operations.get(name) {
                for (a, b) in [(&o.input, &n.input), (&o.output, &n.output)] {
                    if a != b && !new.types.contains_key(a) && !old.types.contains_key(b) {
                        renamed_io.insert(a.clone(), b.clone());
                    }
                }
            }
        }
        let renamed_to: BTreeSet<&ShapeId> = renamed_io.values().collect();
        // Types of operations that were added or removed go with them.
        let op_modules = |a: &Service, b: &Service| -> BTreeSet<String> {
            a.operations
                .iter()
                .filter(|(name, _)| !b.operations.contains_key(*name))
                .map(|(_, op)| op.module_name.clone())
                .collect()
        };
        let added_modules = op_modules(new, old);
        let removed_modules = op_modules(old, new);
        let goes_with_op = |t: &NamedType, modules: &BTreeSet<String>| matches!(t.location(), TypeLocation::Operation(m) if modules.contains(m));

        for (id, t) in &new.types {
            if old.types.contains_key(id)
                || renamed_to.contains(id)
                || goes_with_op(t, &added_modules)
            {
                continue;
            }
            self.push(
                Severity::Compatible,
                "AddedShape",
                id,
                format!("{} {} was added", kind_name(t), code(id.name())),
                format!("new type {}", code(type_path_string(new, id))),
            );
        }
        for (id, t) in &old.types {
            if let Some(n) = new.types.get(id) {
                self.named_type(id, t, id, n);
            } else if let Some(nid) = renamed_io.get(id) {
                self.named_type(id, t, nid, &new.types[nid]);
            } else if !goes_with_op(t, &removed_modules) {
                self.push(
                    Severity::Breaking,
                    "RemovedShape",
                    id,
                    format!("{} {} was removed", kind_name(t), code(id.name())),
                    format!("the type {} is removed", code(type_path_string(old, id))),
                );
            }
        }
    }

    pub(super) fn named_type(
        &mut self,
        oid: &ShapeId,
        o: &NamedType,
        nid: &ShapeId,
        n: &NamedType,
    ) {
        let (op, np) = (
            type_path_string(self.old, oid),
            type_path_string(self.new, nid),
        );
        if kind_name(o) != kind_name(n) {
            self.push(
                Severity::Breaking,
                "ChangedShapeType",
                nid,
                format!("changed from {} to {}", kind_name(o), kind_name(n)),
                format!("{} is now a different kind of type", code(&np)),
            );
            return;
        }
        if op != np {
            self.push(
                Severity::Breaking,
                "ChangedRustPath",
                nid,
                "the shape is used differently (the Rust path follows where it is used)",
                format!("{} is now {}", code(&op), code(&np)),
            );
        }
        let dir = self.dir(oid, nid);
        let sensitive = |t: &NamedType| match t {
            NamedType::Structure(s) => s.sensitive,
            NamedType::Union(u) => u.sensitive,
            NamedType::Enum(e) => e.sensitive,
            NamedType::IntEnum(_) => false,
        };
        self.sensitive(nid, &np, sensitive(o), sensitive(n));
        let docs = |t: &NamedType| -> Option<String> {
            match t {
                NamedType::Structure(s) => s.docs.clone(),
                NamedType::Union(u) => u.docs.clone(),
                NamedType::Enum(e) => e.docs.clone(),
                NamedType::IntEnum(e) => e.docs.clone(),
            }
        };
        self.docs(nid, &code(&np), docs(o).as_deref(), docs(n).as_deref());
        match (o, n) {
            (NamedType::Structure(a), NamedType::Structure(b)) => self.structure(a, b, &np, dir),
            (NamedType::Union(a), NamedType::Union(b)) => self.union(a, b, &np, dir),
            (NamedType::Enum(a), NamedType::Enum(b)) => self.string_enum(a, b, &np, dir),
            (NamedType::IntEnum(a), NamedType::IntEnum(b)) => self.int_enum(a, b, &np, dir),
            _ => {}
        }
    }

    pub(super) fn sensitive(
        &mut self,
        subject: impl fmt::Display,
        path: &str,
        old: bool,
        new: bool,
    ) {
        if !old && new {
            self.push(
                Severity::Compatible,
                "AddedSensitiveTrait",
                subject,
                "`@sensitive` was added",
                format!("`Debug` of {} now redacts it", code(path)),
            );
        } else if old && !new {
            self.push(
                Severity::Dangerous,
                "RemovedSensitiveTrait",
                subject,
                "`@sensitive` was removed",
                format!(
                    "`Debug` of {} now prints the value: it can end up in logs",
                    code(path)
                ),
            );
        }
    }

    pub(super) fn structure(&mut self, o: &Structure, n: &Structure, path: &str, dir: Dir) {
        let callers: Vec<&Operation> = self
            .new
            .operations
            .values()
            .filter(|op| op.input == n.id)
            .collect();
        let builder = builder_path_string(self.new, &n.id);
        for m in &n.members {
            if o.members.iter().any(|x| x.name == m.name) {
                continue;
            }
            let field = format!("{path}::{}", m.field_name);
            let ty = member_type_string(self.new, m);
            let fluent = if callers.is_empty() {
                String::new()
            } else {
                format!(
                    " and on {}",
                    list(
                        &callers
                            .iter()
                            .map(|c| code(format!("Client::{}()", c.method_name)))
                            .collect::<Vec<_>>()
                    )
                )
            };
            let setters = format!(
                "setters {}/{} on {}{fluent}",
                code(&m.field_name),
                code(naming::setter_of_option(&m.field_name)),
                code(&builder)
            );
            if m.required && dir.input {
                self.push(
                    Severity::Breaking,
                    "AddedRequiredMember",
                    n.id.member(&m.name),
                    format!(
                        "required member {} targeting {} was added",
                        code(&m.name),
                        code(m.target.shape.name())
                    ),
                    format!(
                        "new field `{field}: Option<{ty}>`, {setters}; validation now rejects inputs without it, so existing calls fail until they set it"
                    ),
                );
            } else {
                let required = if m.required { "required " } else { "" };
                self.push(
                    Severity::Compatible,
                    "AddedMember",
                    n.id.member(&m.name),
                    format!(
                        "{required}member {} targeting {} was added",
                        code(&m.name),
                        code(m.target.shape.name())
                    ),
                    format!("new field `{field}: Option<{ty}>`, {setters}"),
                );
            }
        }
        for m in &o.members {
            match n.members.iter().find(|x| x.name == m.name) {
                None => {
                    let field = format!("{}::{}", type_path_string(self.old, &o.id), m.field_name);
                    self.push(
                        Severity::Breaking,
                        "RemovedMember",
                        n.id.member(&m.name),
                        format!("member {} was removed", code(&m.name)),
                        format!(
                            "removes the field {} and its setters {}/{}",
                            code(field),
                            code(&m.field_name),
                            code(naming::setter_of_option(&m.field_name))
                        ),
                    );
                }
                Some(nm) => {
                    let owner = Owner {
                        subject: n.id.member(&m.name).to_string(),
                        rust: format!("{path}::{}", nm.field_name),
                        dir,
                        callers: callers.clone(),
                    };
                    self.member(&owner, m, nm, "field");
                }
            }
        }
        match (&o.error, &n.error) {
            (Some(a), Some(b)) => {
                if a.fault != b.fault {
                    let show = |f: ErrorFault| match f {
                        ErrorFault::Client => "client",
                        ErrorFault::Server => "server",
                    };
                    self.push(
                        Severity::Breaking,
                        "ChangedErrorFault",
                        &n.id,
                        format!(
                            "`@error` changed from {} to {}",
                            show(a.fault),
                            show(b.fault)
                        ),
                        format!(
                            "{} flips: retry and fault handling treat it differently",
                            code(format!("{path}::IS_CLIENT_FAULT"))
                        ),
                    );
                }
                if a.http_status != b.http_status {
                    self.push(
                        Severity::Dangerous,
                        "ChangedHttpError",
                        &n.id,
                        format!(
                            "`@httpError` changed from {} to {}",
                            a.http_status, b.http_status
                        ),
                        format!("{} changes", code(format!("{path}::HTTP_STATUS"))),
                    );
                }
            }
            (None, Some(_)) | (Some(_), None) => self.push(
                Severity::Breaking,
                "ChangedErrorTrait",
                &n.id,
                if n.error.is_some() {
                    "the structure became an error"
                } else {
                    "the structure is no longer an error"
                },
                format!("{} moves between `types` and `types::error`", code(path)),
            ),
            (None, None) => {}
        }
    }

    pub(super) fn union(&mut self, o: &Union, n: &Union, path: &str, dir: Dir) {
        for v in &n.variants {
            if o.variants.iter().any(|x| x.member.name == v.member.name) {
                continue;
            }
            let severity = dir.pick(Severity::Compatible, Severity::Dangerous);
            let older = if dir.output {
                "; older crates read it as `Unknown`"
            } else {
                ""
            };
            self.push(
                severity,
                "AddedUnionMember",
                n.id.member(&v.member.name),
                format!("union member {} was added", code(&v.member.name)),
                format!(
                    "new variant {}{older}",
                    code(format!("{path}::{}", v.variant_name))
                ),
            );
        }
        for v in &o.variants {
            match n.variants.iter().find(|x| x.member.name == v.member.name) {
                None => self.push(
                    Severity::Breaking,
                    "RemovedUnionMember",
                    n.id.member(&v.member.name),
                    format!("union member {} was removed", code(&v.member.name)),
                    format!(
                        "removes the variant {}",
                        code(format!(
                            "{}::{}",
                            type_path_string(self.old, &o.id),
                            v.variant_name
                        ))
                    ),
                ),
                Some(nv) => {
                    let owner = Owner {
                        subject: n.id.member(&v.member.name).to_string(),
                        rust: format!("{path}::{}", nv.variant_name),
                        dir,
                        callers: Vec::new(),
                    };
                    self.member(&owner, &v.member, &nv.member, "variant");
                }
            }
        }
        // The exceptions of an event stream: its error enum.
        let errors = |u: &Union| -> Vec<(String, String)> {
            u.event_stream
                .iter()
                .flat_map(|es| &es.errors)
                .map(|v| (v.member.name.clone(), v.variant_name.clone()))
                .collect()
        };
        let (old_errors, new_errors) = (errors(o), errors(n));
        for (name, variant) in &new_errors {
            if !old_errors.iter().any(|(o, _)| o == name) {
                self.push(
                    Severity::Dangerous,
                    "AddedEventStreamError",
                    n.id.member(name),
                    format!("event stream error {} was added", code(name)),
                    format!(
                        "new variant {} of the stream's error enum; older crates give it as `Unhandled`",
                        code(variant)
                    ),
                );
            }
        }
        for (name, variant) in &old_errors {
            if !new_errors.iter().any(|(n, _)| n == name) {
                self.push(
                    Severity::Breaking,
                    "RemovedEventStreamError",
                    n.id.member(name),
                    format!("event stream error {} was removed", code(name)),
                    format!(
                        "removes the variant {} of the stream's error enum",
                        code(variant)
                    ),
                );
            }
        }
    }

    pub(super) fn string_enum(&mut self, o: &Enum, n: &Enum, path: &str, dir: Dir) {
        self.enum_values(&n.id, path, dir, &o.values, &n.values, |v| format!("{v:?}"));
    }

    pub(super) fn int_enum(&mut self, o: &IntEnum, n: &IntEnum, path: &str, dir: Dir) {
        self.enum_values(&n.id, path, dir, &o.values, &n.values, |v| v.to_string());
    }

    pub(super) fn enum_values<T: PartialEq>(
        &mut self,
        id: &ShapeId,
        path: &str,
        dir: Dir,
        old: &[EnumValue<T>],
        new: &[EnumValue<T>],
        show: impl Fn(&T) -> String,
    ) {
        // Values are matched by wire value, as smithy-diff does; an unmatched old and new value
        // with the same name is a value change.
        // `"ACTIVE"`, or `"fast" (`FAST`)` when the name is not the value.
        let label = |v: &EnumValue<T>| {
            let value = show(&v.value);
            if value == format!("{:?}", v.name) {
                value
            } else {
                format!("{value} ({})", code(&v.name))
            }
        };
        let matched_new = |v: &EnumValue<T>| new.iter().find(|n| n.value == v.value);
        let matched_old = |v: &EnumValue<T>| old.iter().find(|o| o.value == v.value);
        let mut old_end = old.len();
        for v in old {
            let subject = id.member(&v.name);
            match matched_new(v) {
                Some(nv) => {
                    if nv.name != v.name || nv.variant_name != v.variant_name {
                        // A new name breaks code only where it renames the Rust variant.
                        let (severity, rust) = if nv.variant_name != v.variant_name {
                            (
                                Severity::Breaking,
                                format!(
                                    "the variant {} is renamed to {}",
                                    code(format!("{path}::{}", v.variant_name)),
                                    code(format!("{path}::{}", nv.variant_name))
                                ),
                            )
                        } else {
                            (
                                Severity::Compatible,
                                format!(
                                    "no Rust change: the variant stays {}",
                                    code(format!("{path}::{}", nv.variant_name))
                                ),
                            )
                        };
                        self.push(
                            severity,
                            "RenamedEnumValue",
                            id.member(&nv.name),
                            format!(
                                "the name of value {} changed from {} to {}",
                                show(&v.value),
                                code(&v.name),
                                code(&nv.name)
                            ),
                            rust,
                        );
                    }
                    self.docs(
                        id.member(&nv.name),
                        &code(format!("{path}::{}", nv.variant_name)),
                        v.docs.as_deref(),
                        nv.docs.as_deref(),
                    );
                }
                None => {
                    old_end -= 1;
                    let same_name = new
                        .iter()
                        .find(|n| n.name == v.name && matched_old(n).is_none());
                    match same_name {
                        Some(nv) => self.push(
                            Severity::Breaking,
                            "ChangedEnumValue",
                            subject,
                            format!(
                                "the wire value of {} changed from {} to {}",
                                code(&v.name),
                                show(&v.value),
                                show(&nv.value)
                            ),
                            format!(
                                "{} now stands for {}: older crates send {} and read {} as `Unknown`",
                                code(format!("{path}::{}", nv.variant_name)),
                                show(&nv.value),
                                show(&v.value),
                                show(&nv.value)
                            ),
                        ),
                        None => self.push(
                            Severity::Breaking,
                            "RemovedEnumValue",
                            subject,
                            format!("enum value {} was removed", label(v)),
                            format!(
                                "removes the variant {}; the value now arrives as `Unknown`",
                                code(format!("{path}::{}", v.variant_name))
                            ),
                        ),
                    }
                }
            }
        }
        for (position, v) in new.iter().enumerate() {
            if matched_old(v).is_some()
                || old
                    .iter()
                    .any(|o| o.name == v.name && matched_new(o).is_none())
            {
                continue;
            }
            let variant = code(format!("{path}::{}", v.variant_name));
            let inserted = position < old_end;
            let mut severity = dir.pick(Severity::Compatible, Severity::Dangerous);
            let mut rust = if dir.output {
                format!(
                    "new variant {variant}; older crates read {} as `Unknown`, so code that matches on the enum takes another branch",
                    show(&v.value)
                )
            } else {
                format!("new variant {variant} (the enum is `#[non_exhaustive]`)")
            };
            if inserted {
                severity = severity.min(Severity::Dangerous);
                rust.push_str("; inserted before existing variants, it changes their `Ord` order");
            }
            self.push(
                severity,
                "AddedEnumValue",
                id.member(&v.name),
                format!("enum value {} was added", label(v)),
                rust,
            );
        }
    }
}
