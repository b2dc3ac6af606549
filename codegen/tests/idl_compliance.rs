//! A report, not yet a check: the AWS restJson1 protocol compliance suite
//! (`$KVS_MODEL_MIRROR/../smithy/protocol-tests/restJson1`, with the trait definitions it uses)
//! is read by the IDL reader, and the generator is run on its service `RestJson`, whole and one
//! operation at a time, to list what the generator refuses and how many client test cases each
//! refusal keeps from running.
//!
//! `KVS_MODEL_MIRROR=/abs/path/to/shared/models cargo test -p smithy-lite-codegen --test
//! idl_compliance -- --ignored --nocapture`
//!
//! It asserts only that the suite loads and that the service is there; the refusals are printed.

use std::collections::BTreeMap;
use std::path::PathBuf;

use smithy_lite_codegen::{generate, idl, CrateOptions};

const SERVICE: &str = "aws.protocoltests.restjson#RestJson";

/// Client cases (`appliesTo` absent or `client`) of the test traits on a shape.
fn client_cases(shape: &serde_json::Value) -> (usize, usize) {
    let count = |t: &str| {
        shape["traits"][t].as_array().map_or(0, |cases| {
            cases
                .iter()
                .filter(|c| c["appliesTo"].as_str() != Some("server"))
                .count()
        })
    };
    (
        count("smithy.test#httpRequestTests"),
        count("smithy.test#httpResponseTests"),
    )
}

#[test]
#[ignore = "a report: run with --ignored --nocapture"]
fn rest_json_compliance_suite_through_the_generator() {
    let mirror = PathBuf::from(std::env::var_os("KVS_MODEL_MIRROR").expect("KVS_MODEL_MIRROR"));
    let smithy = mirror.join("../smithy");
    let tests = smithy.join("protocol-tests");
    let paths = vec![
        smithy.join("traits"),
        tests.join("shared-types.smithy"),
        tests.join("aws-config.smithy"),
        tests.join("restJson1"),
    ];
    let ast = idl::load_paths(&paths, idl::Options::default())
        .unwrap_or_else(|e| panic!("the suite does not load: {e}"));
    let flat_json = ast.flattened().to_json_in_model_order();
    let mut doc: serde_json::Value = serde_json::from_str(&flat_json).expect("JSON");
    let shapes = doc["shapes"].as_object().expect("shapes").clone();
    let service = shapes.get(SERVICE).expect("the RestJson service");
    let operations: Vec<String> = service["operations"]
        .as_array()
        .expect("operations")
        .iter()
        .map(|o| o["target"].as_str().unwrap().to_string())
        .collect();

    let options = CrateOptions {
        version: "0.1.0".into(),
        model_source: "restJson1 protocol tests".into(),
        partitions_json: String::new(),
        endpoint_test_overrides: Vec::new(),
        data_endpoint: None,
        runtime_path: "../../runtime".into(),
    };
    match generate(&flat_json, Some(SERVICE), &options) {
        Ok((s, files)) => println!(
            "whole service: generated, {} operations, {} files",
            s.operations.len(),
            files.len()
        ),
        Err(e) => println!("whole service: refused: {e}"),
    }

    // One operation at a time (the resources' operations are left out too).
    let mut refusals: BTreeMap<String, Vec<(String, usize)>> = BTreeMap::new();
    let (mut ok_ops, mut ok_cases, mut all_cases) = (0, 0, 0);
    for op in &operations {
        let mut cases = client_cases(&shapes[op]);
        for e in shapes[op]["errors"].as_array().into_iter().flatten() {
            let (req, resp) = client_cases(&shapes[e["target"].as_str().unwrap()]);
            cases.0 += req;
            cases.1 += resp;
        }
        let n = cases.0 + cases.1;
        all_cases += n;
        let s = &mut doc["shapes"][SERVICE];
        s["operations"] = serde_json::json!([{ "target": op }]);
        s.as_object_mut().unwrap().remove("resources");
        let text = doc.to_string();
        match generate(&text, Some(SERVICE), &options) {
            Ok(_) => {
                ok_ops += 1;
                ok_cases += n;
            }
            Err(e) => {
                let message = e.to_string();
                // Group by what is refused, without the shape it was found on.
                let key = message
                    .split_once("` ")
                    .map_or(message.clone(), |(_, rest)| rest.to_string());
                refusals
                    .entry(key)
                    .or_default()
                    .push((format!("{op} ({message})"), n));
            }
        }
    }
    println!(
        "\n{ok_ops} of {} operations generate, with {ok_cases} of {all_cases} client test cases \
         (their own and their errors')",
        operations.len()
    );
    let mut by_count: Vec<(&String, &Vec<(String, usize)>)> = refusals.iter().collect();
    by_count.sort_by_key(|(_, ops)| std::cmp::Reverse(ops.iter().map(|o| o.1).sum::<usize>()));
    for (why, ops) in by_count {
        let cases: usize = ops.iter().map(|o| o.1).sum();
        println!("\n- {} operations, {cases} cases: {why}", ops.len());
        for (op, n) in ops {
            println!("    {n:>3}  {op}");
        }
    }
    assert!(!operations.is_empty());
}
