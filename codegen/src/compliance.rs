//! The AWS protocol compliance suites (`smithy-aws-protocol-tests`) as a model the generator
//! can take: the suite is read from its Smithy IDL files, and the operations the generator
//! refuses are taken out of the service, each with the reason, so that the rest generates.
//!
//! `cargo xtask codegen` generates the suite's crate from this; the compliance test reads the
//! same model (`read`) for the test cases.

use std::path::{Path, PathBuf};

use crate::ir::WireProfile;
use crate::{generate, idl, CrateOptions};

/// One suite: where its files are (under Smithy's folder) and which service it tests.
#[derive(Clone, Copy, Debug)]
pub struct SuiteSpec {
    /// The folder the generated crate goes to, under `tests/compliance/`.
    pub name: &'static str,
    /// The suite's folder under `protocol-tests/`.
    pub folder: &'static str,
    /// The service's shape id.
    pub service: &'static str,
    /// The protocol test service follows the Smithy specification, as the suite does; the
    /// AWS services among the suite's cases (their customizations) follow botocore.
    pub wire: WireProfile,
}

/// The suites the generator speaks the protocol of: restJson1's test service, and the two AWS
/// services whose customizations the suite tests (`restJson1/services`).
pub const SUITES: &[SuiteSpec] = &[
    SuiteSpec {
        name: "rest-json1",
        folder: "restJson1",
        service: "aws.protocoltests.restjson#RestJson",
        wire: WireProfile::Smithy,
    },
    SuiteSpec {
        name: "apigateway",
        folder: "restJson1",
        service: "com.amazonaws.apigateway#BackplaneControlService",
        wire: WireProfile::Botocore,
    },
    SuiteSpec {
        name: "glacier",
        folder: "restJson1",
        service: "com.amazonaws.glacier#Glacier",
        wire: WireProfile::Botocore,
    },
];

/// A suite's service, cut down to what the generator handles.
#[derive(Debug)]
pub struct Suite {
    /// The model the crate is generated from: the service without the refused operations.
    pub generated_model: String,
    /// Operations taken out of the service, with the generator's reason, sorted.
    pub refused: Vec<(String, String)>,
}

/// The options the suite's crate is generated with (`runtime_path` from
/// `tests/compliance/<name>/`).
pub fn crate_options(spec: &SuiteSpec) -> CrateOptions {
    CrateOptions {
        version: "0.1.0".into(),
        model_source: format!("smithy/protocol-tests/{}", spec.folder),
        partitions_json: String::new(),
        endpoint_test_overrides: Vec::new(),
        data_endpoint: None,
        runtime_path: "../../../runtime".into(),
        wire: spec.wire,
    }
}

/// The files the suite is read from, under Smithy's folder (`../shared/smithy`).
pub fn suite_paths(smithy: &Path, spec: &SuiteSpec) -> Vec<PathBuf> {
    let tests = smithy.join("protocol-tests");
    vec![
        smithy.join("traits"),
        tests.join("shared-types.smithy"),
        tests.join("aws-config.smithy"),
        tests.join(spec.folder),
    ]
}

/// The suite `spec`, read from Smithy's folder: the whole model, flattened JSON AST.
pub fn read(smithy: &Path, spec: &SuiteSpec) -> Result<serde_json::Value, String> {
    let ast = idl::load_paths(&suite_paths(smithy, spec), idl::Options::default())
        .map_err(|e| format!("the {} suite does not load: {e}", spec.folder))?;
    serde_json::from_str(&ast.flattened().to_json_in_model_order())
        .map_err(|e| format!("the {} suite: {e}", spec.folder))
}

/// Takes the suite `spec`'s service out of `model` (what [`read`] gives for its folder, which
/// several suites may share) and the operations the generator refuses out of the service.
pub fn load(model: &serde_json::Value, spec: SuiteSpec) -> Result<Suite, String> {
    let service = model["shapes"]
        .get(spec.service)
        .ok_or_else(|| format!("the {} suite has no service {}", spec.folder, spec.service))?;
    if service.get("resources").is_some() {
        return Err(format!(
            "{}: services with resources are not cut down yet",
            spec.service
        ));
    }
    let operations: Vec<String> = service["operations"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| o["target"].as_str().map(str::to_string))
        .collect();

    // One operation at a time: what the generator refuses, and why.
    let options = crate_options(&spec);
    let mut refused = Vec::new();
    let mut kept = Vec::new();
    let mut one = model.clone();
    for op in &operations {
        one["shapes"][spec.service]["operations"] = serde_json::json!([{ "target": op }]);
        match generate(&one.to_string(), Some(spec.service), &options) {
            Ok(_) => kept.push(serde_json::json!({ "target": op })),
            Err(e) => refused.push((op.clone(), e.to_string())),
        }
    }
    refused.sort();
    let mut cut = model.clone();
    cut["shapes"][spec.service]["operations"] = serde_json::Value::Array(kept);
    Ok(Suite {
        generated_model: cut.to_string(),
        refused,
    })
}
