//! One member: its binding, wire name, target type, constraints, default and flags.

use super::*;

impl Cx<'_> {
    pub(super) fn member(&mut self, owner: &Owner, o: &Member, n: &Member, what: &str) {
        let subject = owner.subject.as_str();
        let rust = &owner.rust;
        let dir = owner.dir;
        let (ot, nt) = (
            member_type_string(self.old, o),
            member_type_string(self.new, n),
        );
        if ot != nt {
            self.push(
                Severity::Breaking,
                "ChangedMemberTarget",
                subject,
                format!(
                    "target changed from {} to {}",
                    code(&o.target.shape),
                    code(&n.target.shape)
                ),
                format!(
                    "the {what} {} changes type from `{ot}` to `{nt}`",
                    code(rust)
                ),
            );
        } else {
            if o.target.shape != n.target.shape {
                self.push(
                    Severity::Compatible,
                    "ChangedMemberTarget",
                    subject,
                    format!(
                        "target changed from {} to {}",
                        code(&o.target.shape),
                        code(&n.target.shape)
                    ),
                    format!("no Rust change: {} stays `{nt}`", code(rust)),
                );
            }
            self.target(subject, rust, "", &o.target, &n.target, dir);
        }

        if o.required != n.required {
            let inputs = if owner.callers.is_empty() {
                "inputs".to_string()
            } else {
                format!(
                    "calls of {}",
                    list(
                        &owner
                            .callers
                            .iter()
                            .map(|c| code(format!("Client::{}()", c.method_name)))
                            .collect::<Vec<_>>(),
                    )
                )
            };
            if n.required {
                let severity = dir.pick(Severity::Breaking, Severity::Compatible);
                let effect = if dir.input {
                    format!(
                        "validation now rejects {inputs} that do not set {} (the field stays `Option`)",
                        code(rust)
                    )
                } else {
                    format!(
                        "no Rust change: {} stays `Option`; its docs say it is required",
                        code(rust)
                    )
                };
                self.push(
                    severity,
                    "AddedRequiredTrait",
                    subject,
                    "`@required` was added",
                    effect,
                );
            } else {
                let severity = dir.pick(Severity::Compatible, Severity::Dangerous);
                let effect = if dir.output {
                    format!(
                        "the service may now leave {} unset: code that unwraps it can panic",
                        code(rust)
                    )
                } else {
                    format!("validation no longer requires {}", code(rust))
                };
                self.push(
                    severity,
                    "RemovedRequiredTrait",
                    subject,
                    "`@required` was removed",
                    effect,
                );
            }
        }

        if o.default != n.default {
            let show = |v: &Option<serde_json::Value>| {
                v.as_ref()
                    .map(|v| code(v.to_string()))
                    .unwrap_or_else(|| "none".to_string())
            };
            let (id, model) = match (&o.default, &n.default) {
                (None, Some(_)) => (
                    "AddedDefaultTrait",
                    format!("`@default` {} was added", show(&n.default)),
                ),
                (Some(_), None) => (
                    "RemovedDefaultTrait",
                    format!("`@default` {} was removed", show(&o.default)),
                ),
                _ => (
                    "ChangedDefaultTrait",
                    format!(
                        "`@default` changed from {} to {}",
                        show(&o.default),
                        show(&n.default)
                    ),
                ),
            };
            self.push(
                Severity::Dangerous,
                id,
                subject,
                model,
                format!(
                    "no Rust change ({} stays `Option`; defaults are not filled in), but what an unset value means changes",
                    code(rust)
                ),
            );
        }

        if o.binding != n.binding {
            self.push(
                Severity::Breaking,
                "ChangedHttpBinding",
                subject,
                format!(
                    "HTTP binding changed from {} to {}",
                    binding(&o.binding),
                    binding(&n.binding)
                ),
                format!(
                    "{} travels elsewhere: older crates put it where the service no longer reads it (or read it where it no longer is)",
                    code(rust)
                ),
            );
        }
        if o.json_name != n.json_name {
            self.push(
                Severity::Breaking,
                "ChangedJsonName",
                subject,
                format!(
                    "JSON name changed from {} to {}",
                    code(&o.json_name),
                    code(&n.json_name)
                ),
                format!(
                    "{} is written and read under the new key; older crates use the old one",
                    code(rust)
                ),
            );
        }
        if o.idempotency_token != n.idempotency_token {
            if n.idempotency_token {
                self.push(
                    Severity::Compatible,
                    "AddedIdempotencyToken",
                    subject,
                    "`@idempotencyToken` was added",
                    format!(
                        "no Rust change: {} is not filled in automatically",
                        code(rust)
                    ),
                );
            } else {
                self.push(
                    Severity::Dangerous,
                    "RemovedIdempotencyToken",
                    subject,
                    "`@idempotencyToken` was removed",
                    format!(
                        "retried requests that set {} may no longer be deduplicated",
                        code(rust)
                    ),
                );
            }
        }
        self.docs(subject, &code(rust), o.docs.as_deref(), n.docs.as_deref());
    }

    /// Compares what two targets hold when their Rust type is the same: formats, streaming,
    /// constraints and sensitivity, then list items and map keys and values.
    pub(super) fn target(
        &mut self,
        subject: &str,
        rust: &str,
        part: &str,
        o: &Target,
        n: &Target,
        dir: Dir,
    ) {
        let subject_part = format!("{subject}{part}");
        let what = if part.is_empty() {
            code(rust)
        } else {
            format!("{}{part}", code(rust))
        };
        match (&o.ty, &n.ty) {
            (Type::Timestamp { format: a }, Type::Timestamp { format: b }) if a != b => {
                self.push(
                    Severity::Breaking,
                    "ChangedTimestampFormat",
                    &subject_part,
                    format!("`@timestampFormat` changed from {} to {}", ts(*a), ts(*b)),
                    format!(
                        "{what} is written and read as {}; older crates use {}",
                        ts(*b),
                        ts(*a)
                    ),
                );
            }
            (Type::Blob { streaming: a }, Type::Blob { streaming: b }) if a != b => {
                self.push(
                    Severity::Breaking,
                    "ChangedStreamingTrait",
                    &subject_part,
                    if *b {
                        "the blob became `@streaming`"
                    } else {
                        "the blob is no longer `@streaming`"
                    },
                    format!(
                        "{what} travels as the raw body instead of base64 (or back): a wire change"
                    ),
                );
            }
            _ => {}
        }
        self.constraints(&subject_part, &what, o, n, dir);
        // Named types report their own `@sensitive`; simple shapes are reported where used.
        if !matches!(n.ty, Type::Named(_)) {
            self.sensitive(&subject_part, rust, o.sensitive, n.sensitive);
        }
        match (&o.ty, &n.ty) {
            (Type::List { item: a, .. }, Type::List { item: b, .. }) => {
                self.target(subject, rust, &format!("{part} (list member)"), a, b, dir)
            }
            (
                Type::Map {
                    key: ak, value: av, ..
                },
                Type::Map {
                    key: bk, value: bv, ..
                },
            ) => {
                self.target(subject, rust, &format!("{part} (map key)"), ak, bk, dir);
                self.target(subject, rust, &format!("{part} (map value)"), av, bv, dir);
            }
            _ => {}
        }
    }

    pub(super) fn constraints(
        &mut self,
        subject: &str,
        what: &str,
        o: &Target,
        n: &Target,
        dir: Dir,
    ) {
        let (a, b) = (&o.constraints, &n.constraints);
        let validated = |tightened: bool| -> String {
            if tightened && dir.input {
                format!("validation (run before every request) now rejects values of {what} it accepted")
            } else if dir.input {
                format!("validation accepts more values of {what}")
            } else {
                format!("no effect on {what}: outputs are not validated")
            }
        };
        if a.length != b.length {
            let as_f64 = |l: Option<(Option<u64>, Option<u64>)>| -> Bounds {
                l.map(|(x, y)| (x.map(|v| v as f64), y.map(|v| v as f64)))
            };
            let tight = tightened(as_f64(a.length), as_f64(b.length));
            let severity = if tight {
                dir.pick(Severity::Breaking, Severity::Compatible)
            } else {
                Severity::Compatible
            };
            self.push(
                severity,
                "ChangedLengthTrait",
                subject,
                format!(
                    "`@length` changed from {} to {} ({})",
                    show_bounds(as_f64(a.length)),
                    show_bounds(as_f64(b.length)),
                    if tight { "tightened" } else { "loosened" }
                ),
                validated(tight),
            );
        }
        if a.range != b.range {
            let tight = tightened(a.range, b.range);
            let severity = if tight {
                dir.pick(Severity::Breaking, Severity::Compatible)
            } else {
                Severity::Compatible
            };
            self.push(
                severity,
                "ChangedRangeTrait",
                subject,
                format!(
                    "`@range` changed from {} to {} ({})",
                    show_bounds(a.range),
                    show_bounds(b.range),
                    if tight { "tightened" } else { "loosened" }
                ),
                validated(tight),
            );
        }
        match (&a.pattern, &b.pattern) {
            (None, Some(p)) => self.push(
                dir.pick(Severity::Breaking, Severity::Compatible),
                "AddedPatternTrait",
                subject,
                format!("`@pattern` {} was added", code(p)),
                validated(true),
            ),
            (Some(p), None) => self.push(
                Severity::Compatible,
                "RemovedPatternTrait",
                subject,
                format!("`@pattern` {} was removed", code(p)),
                validated(false),
            ),
            (Some(p), Some(q)) if p != q => self.push(
                dir.pick(Severity::Dangerous, Severity::Compatible),
                "ChangedPatternTrait",
                subject,
                format!("`@pattern` changed from {} to {}", code(p), code(q)),
                if dir.input {
                    format!("validation of {what} checks the new pattern: values the old one accepted may be rejected")
                } else {
                    format!("no effect on {what}: outputs are not validated")
                },
            ),
            _ => {}
        }
    }
}
