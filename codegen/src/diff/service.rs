//! Service-wide changes and operations: routes, errors, pagination, request body traits.

use super::*;

impl Cx<'_> {
    pub(super) fn service(&mut self) {
        let (old, new) = (self.old, self.new);
        let id = new.id.clone();
        if old.id != new.id {
            self.push(
                Severity::Breaking,
                "ChangedServiceId",
                &id,
                format!(
                    "the service shape changed from {} to {}",
                    code(&old.id),
                    code(&new.id)
                ),
                "file headers name the new shape; the service may be a different one",
            );
        }
        if old.version != new.version {
            self.push(
                Severity::Dangerous,
                "ChangedServiceVersion",
                &id,
                format!(
                    "API version changed from {} to {}",
                    code(&old.version),
                    code(&new.version)
                ),
                "the crate's docs and description name the new version; restJson1 does not send it, but a new API version can change behaviour the model does not describe",
            );
        }
        if old.sdk_id != new.sdk_id || old.crate_name != new.crate_name {
            self.push(
                Severity::Breaking,
                "ChangedSdkId",
                &id,
                format!("sdkId changed from {} to {}", code(&old.sdk_id), code(&new.sdk_id)),
                format!(
                    "the crate is renamed from {} to {} (library {}), and `AWS_ENDPOINT_URL_{}` becomes `AWS_ENDPOINT_URL_{}`",
                    code(&old.crate_name),
                    code(&new.crate_name),
                    code(&new.lib_name),
                    old.env_endpoint_id,
                    new.env_endpoint_id
                ),
            );
        }
        if old.protocol != new.protocol {
            self.push(
                Severity::Breaking,
                "ChangedProtocol",
                &id,
                format!(
                    "protocol changed from {} to {}",
                    code(old.protocol.trait_id()),
                    code(new.protocol.trait_id())
                ),
                "every request and response is encoded differently",
            );
        }
        if old.signing_name != new.signing_name {
            self.push(
                Severity::Breaking,
                "ChangedSigningName",
                &id,
                format!(
                    "SigV4 signing name changed from {} to {}",
                    code(old.signing_name.as_deref().unwrap_or("none")),
                    code(new.signing_name.as_deref().unwrap_or("none"))
                ),
                "`client::SERVICE.signing_name` changes: older crates sign requests for the old name, which the service rejects",
            );
        }
        if old.endpoint_prefix != new.endpoint_prefix {
            self.push(
                Severity::Compatible,
                "ChangedEndpointPrefix",
                &id,
                format!(
                    "endpoint prefix changed from {} to {}",
                    code(old.endpoint_prefix.as_deref().unwrap_or("none")),
                    code(new.endpoint_prefix.as_deref().unwrap_or("none"))
                ),
                "no effect: the client resolves endpoints with the rule set",
            );
        }
        match (&old.endpoint_rule_set, &new.endpoint_rule_set) {
            (Some(_), None) => self.push(
                Severity::Breaking,
                "RemovedEndpointRules",
                &id,
                "the endpoint rule set was removed",
                "`endpoint_data::RULE_SET` becomes empty: the client can no longer resolve endpoints",
            ),
            (None, Some(_)) => self.push(
                Severity::Compatible,
                "AddedEndpointRules",
                &id,
                "an endpoint rule set was added",
                "`endpoint_data::RULE_SET` is filled: the client can resolve endpoints",
            ),
            (Some(a), Some(b)) if json_differs(a, b) => {
                let detail = rule_set_detail(a, b);
                self.push(
                    Severity::Dangerous,
                    "ChangedEndpointRules",
                    &id,
                    format!("the endpoint rule set changed{detail}"),
                    "`endpoint_data::RULE_SET` changes: requests may resolve to other endpoints for some regions or settings; review the endpoint tests",
                )
            }
            _ => {}
        }
        let tests_differ = match (&old.endpoint_tests, &new.endpoint_tests) {
            (Some(a), Some(b)) => json_differs(a, b),
            (a, b) => a.is_some() != b.is_some(),
        };
        if tests_differ {
            let count = |t: &Option<String>| {
                t.as_deref()
                    .and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok())
                    .and_then(|v| v.get("testCases").and_then(|c| c.as_array()).map(Vec::len))
                    .unwrap_or(0)
            };
            self.push(
                Severity::Compatible,
                "ChangedEndpointTests",
                &id,
                format!(
                    "the endpoint tests changed ({} -> {} test cases)",
                    count(&old.endpoint_tests),
                    count(&new.endpoint_tests)
                ),
                "test data only: the endpoint tests of the test suite change",
            );
        }
        if old.title != new.title {
            self.push(
                Severity::Documentation,
                "ChangedTitle",
                &id,
                format!(
                    "title changed from {} to {}",
                    code(old.title.as_deref().unwrap_or("none")),
                    code(new.title.as_deref().unwrap_or("none"))
                ),
                "the crate's docs and description change",
            );
        }
        self.docs(
            &id,
            "the crate root",
            old.docs.as_deref(),
            new.docs.as_deref(),
        );

        // Service-wide errors are reported once here, not for every operation.
        let (old_errs, new_errs) = (
            old.service_errors.iter().collect::<BTreeSet<_>>(),
            new.service_errors.iter().collect::<BTreeSet<_>>(),
        );
        for e in new_errs.difference(&old_errs) {
            let name = new.types.get(*e).map(|t| t.rust_name()).unwrap_or("?");
            self.push(
                Severity::Dangerous,
                "AddedServiceError",
                &id,
                format!("error {} was added to the service's errors", code(e)),
                format!(
                    "every operation's error enum gets the variant {}; older crates return it as `Unhandled`",
                    code(name)
                ),
            );
        }
        for e in old_errs.difference(&new_errs) {
            let name = old.types.get(*e).map(|t| t.rust_name()).unwrap_or("?");
            self.push(
                Severity::Breaking,
                "RemovedServiceError",
                &id,
                format!("error {} was removed from the service's errors", code(e)),
                format!(
                    "the variant {} and {} are removed from the error enums of operations that do not list it themselves",
                    code(name),
                    code(error_predicate_name(name))
                ),
            );
        }
    }

    // ------------------------------------------------------------- operations

    pub(super) fn operations(&mut self) {
        let (old, new) = (self.old, self.new);
        for (name, op) in &new.operations {
            if !old.operations.contains_key(name) {
                self.push(
                    Severity::Compatible,
                    "AddedOperation",
                    &op.id,
                    format!("operation {} was added", code(name)),
                    format!(
                        "new method {} ({}) and module {}",
                        code(format!("Client::{}", op.method_name)),
                        code(fluent_path_string(op)),
                        code(format!("operation::{}", op.module_name))
                    ),
                );
            }
        }
        for (name, op) in &old.operations {
            match new.operations.get(name) {
                None => self.push(
                    Severity::Breaking,
                    "RemovedOperation",
                    &op.id,
                    format!("operation {} was removed", code(name)),
                    format!(
                        "removes {}, {} and the module {} ({}, {}, {}, `serialize_request`, `parse_response`)",
                        code(format!("Client::{}", op.method_name)),
                        code(fluent_path_string(op)),
                        code(format!("operation::{}", op.module_name)),
                        code(&op.input_type),
                        code(&op.output_type),
                        code(&op.error_type)
                    ),
                ),
                Some(n) => self.operation(op, n),
            }
        }
    }

    pub(super) fn operation(&mut self, o: &Operation, n: &Operation) {
        let subject = n.id.clone();
        let module = format!("operation::{}", n.module_name);
        let method = format!("Client::{}", n.method_name);
        if o.http.method != n.http.method {
            self.push(
                Severity::Breaking,
                "ChangedHttpMethod",
                &subject,
                format!(
                    "HTTP method changed from {} to {}",
                    o.http.method, n.http.method
                ),
                format!(
                    "{} sends `{}` instead of `{}`; older crates use the old method",
                    code(format!("{module}::serialize_request")),
                    n.http.method,
                    o.http.method
                ),
            );
        }
        if o.http.uri != n.http.uri {
            self.push(
                Severity::Breaking,
                "ChangedHttpUri",
                &subject,
                format!(
                    "HTTP URI changed from {} to {}",
                    code(&o.http.uri),
                    code(&n.http.uri)
                ),
                format!(
                    "{} builds the new path; older crates send to the old one",
                    code(format!("{module}::serialize_request"))
                ),
            );
        }
        if o.http.code != n.http.code {
            self.push(
                Severity::Breaking,
                "ChangedHttpStatusCode",
                &subject,
                format!(
                    "success status code changed from {} to {}",
                    o.http.code, n.http.code
                ),
                format!(
                    "{} expects {}; older crates treat the new status as an error",
                    code(format!("{module}::parse_response")),
                    n.http.code
                ),
            );
        }
        for (what, oid, nid) in [
            ("input", &o.input, &n.input),
            ("output", &o.output, &n.output),
        ] {
            if oid != nid {
                let (op_path, np_path) = (
                    type_path_string(self.old, oid),
                    type_path_string(self.new, nid),
                );
                let severity = if op_path == np_path {
                    Severity::Compatible
                } else {
                    Severity::Breaking
                };
                self.push(
                    severity,
                    if what == "input" {
                        "ChangedOperationInput"
                    } else {
                        "ChangedOperationOutput"
                    },
                    &subject,
                    format!("{what} shape changed from {} to {}", code(oid), code(nid)),
                    if op_path == np_path {
                        format!(
                            "the Rust type stays {}; its members are compared as usual",
                            code(np_path)
                        )
                    } else {
                        format!(
                            "the {what} type changes from {} to {}",
                            code(op_path),
                            code(np_path)
                        )
                    },
                );
            }
        }

        // Errors, except the service-wide ones reported once.
        let svc_changed: BTreeSet<&ShapeId> = {
            let a: BTreeSet<_> = self.old.service_errors.iter().collect();
            let b: BTreeSet<_> = self.new.service_errors.iter().collect();
            a.symmetric_difference(&b).copied().collect()
        };
        let enum_path = format!("{module}::{}", n.error_type);
        for e in &n.errors {
            if !o.errors.contains(e) && !svc_changed.contains(e) {
                let name = self.new.types.get(e).map(|t| t.rust_name()).unwrap_or("?");
                self.push(
                    Severity::Dangerous,
                    "AddedOperationError",
                    &subject,
                    format!("error {} was added to {}", code(e), code(&n.name)),
                    format!(
                        "new variant {}; older crates return it as `{}::Unhandled`",
                        code(format!("{enum_path}::{name}")),
                        n.error_type
                    ),
                );
            }
        }
        for e in &o.errors {
            if !n.errors.contains(e) && !svc_changed.contains(e) {
                let name = self.old.types.get(e).map(|t| t.rust_name()).unwrap_or("?");
                self.push(
                    Severity::Breaking,
                    "RemovedOperationError",
                    &subject,
                    format!("error {} was removed from {}", code(e), code(&n.name)),
                    format!(
                        "removes the variant {} and {}; the error now arrives as `Unhandled`",
                        code(format!("{enum_path}::{name}")),
                        code(format!("{enum_path}::{}", error_predicate_name(name)))
                    ),
                );
            }
        }

        self.pagination(
            &subject,
            &method,
            o.paginated.as_ref(),
            n.paginated.as_ref(),
        );
        self.request_body_traits(&subject, o, n);
        self.docs(
            &subject,
            &format!("{} and {}", code(&method), code(&module)),
            o.docs.as_deref(),
            n.docs.as_deref(),
        );
    }

    /// `@httpChecksumRequired` and `@requestCompression` of an operation.
    pub(super) fn request_body_traits(&mut self, subject: &ShapeId, o: &Operation, n: &Operation) {
        match (o.checksum_required, n.checksum_required) {
            (false, true) => self.push(
                Severity::Breaking,
                "AddedHttpChecksumRequired",
                subject,
                "`@httpChecksumRequired` was added",
                "older crates send no checksum, which the service now requires",
            ),
            (true, false) => self.push(
                Severity::Compatible,
                "RemovedHttpChecksumRequired",
                subject,
                "`@httpChecksumRequired` was removed",
                "requests no longer carry a checksum of their body",
            ),
            _ => {}
        }
        if o.request_compression != n.request_compression {
            let show = |e: &[String]| {
                if e.is_empty() {
                    "none".to_string()
                } else {
                    code(e.join(", "))
                }
            };
            // Services keep taking what they took (the Smithy specification requires it).
            self.push(
                Severity::Compatible,
                "ChangedRequestCompression",
                subject,
                format!(
                    "`@requestCompression` encodings changed from {} to {}",
                    show(&o.request_compression),
                    show(&n.request_compression)
                ),
                "request bodies are compressed differently; services take both",
            );
        }
    }

    pub(super) fn pagination(
        &mut self,
        subject: &ShapeId,
        method: &str,
        o: Option<&Pagination>,
        n: Option<&Pagination>,
    ) {
        let show = |p: &Pagination| {
            format!(
                "inputToken {}, outputToken {}, items {}, pageSize {}",
                code(&p.input_token),
                code(p.output_token.join(".")),
                p.items
                    .as_ref()
                    .map(|i| code(i.join(".")))
                    .unwrap_or_else(|| "none".into()),
                p.page_size
                    .as_deref()
                    .map(code)
                    .unwrap_or_else(|| "none".into())
            )
        };
        match (o, n) {
            (None, Some(p)) => self.push(
                Severity::Compatible,
                "AddedPaginatedTrait",
                subject,
                format!("the operation became paginated ({})", show(p)),
                format!(
                    "the fluent builder of {} gains `into_paginator()` (and `into_items()`)",
                    code(method)
                ),
            ),
            (Some(p), None) => self.push(
                Severity::Breaking,
                "RemovedPaginatedTrait",
                subject,
                format!("the operation is no longer paginated (was {})", show(p)),
                format!(
                    "`into_paginator()` and `into_items()` of {} are removed",
                    code(method)
                ),
            ),
            (Some(a), Some(b)) if a != b => {
                let only_page_size_added = a.input_token == b.input_token
                    && a.output_token == b.output_token
                    && a.items == b.items
                    && a.page_size.is_none();
                let severity = if only_page_size_added {
                    Severity::Compatible
                } else {
                    Severity::Dangerous
                };
                self.push(
                    severity,
                    "ChangedPaginatedTrait",
                    subject,
                    format!("pagination changed from {} to {}", show(a), show(b)),
                    if only_page_size_added {
                        "no Rust change: the paginator does not set a page size".to_string()
                    } else {
                        format!(
                            "the paginator of {} follows other members: pages or items can differ from what older code expects",
                            code(method)
                        )
                    },
                )
            }
            _ => {}
        }
    }
}
