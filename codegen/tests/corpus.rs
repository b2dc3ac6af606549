//! Every model of the restJson1 corpus (`../shared/corpus/restjson1`, 82 AWS models) generates:
//! none is refused but the ones listed in [`REFUSED`], each for the reason given, and each of
//! those really is refused for it. This is the generation half of `cargo xtask corpus` (which
//! also builds the crates and compares them with botocore), fast enough for every test run.
//!
//! The corpus is found next to the models folder (`KVS_MODEL_MIRROR`, else
//! `../shared/models`); with `CI` set, a missing corpus fails the test instead of skipping it.

use std::path::PathBuf;

use smithy_lite_codegen::{generate, CrateOptions};

/// Models the generator refuses: (file name without `.json`, the shape the error names, what
/// its message says, why).
const REFUSED: &[(&str, &str, &str, &str)] = &[];

/// Models that generate with a note, and the start of each note (every note listed).
const NOTED: &[(&str, &str)] = &[(
    "qbusiness-2023-11-27",
    // `^\P{C}*$}$`: a stray `}` (no ECMA-262 expression, and one that matches nothing).
    "`com.amazonaws.qbusiness#MessageBody`: its `smithy.api#pattern` \"^\\\\P{C}*$}$\" is not an ECMA-262 regular expression",
)];

/// The options the corpus models are generated with here.
fn options() -> CrateOptions {
    CrateOptions {
        version: "0.0.0".into(),
        model_source: "corpus".into(),
        partitions_json: String::new(),
        endpoint_test_overrides: Vec::new(),
        data_endpoint: None,
        runtime_path: "../../runtime".into(),
        wire: Default::default(),
    }
}

fn corpus_dir() -> Option<PathBuf> {
    shared_data::require("corpus", "corpus/restjson1")
}

#[test]
fn every_corpus_model_generates_but_the_listed_ones() {
    let Some(dir) = corpus_dir() else { return };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 82,
        "{}: {} models, the corpus has 82",
        dir.display(),
        files.len()
    );
    let options = options();
    let mut problems = Vec::new();
    let mut generated = 0;
    let mut operations = 0;
    let mut seen_refused = Vec::new();
    for path in &files {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(path).unwrap();
        let listed = REFUSED.iter().find(|(n, ..)| *n == name);
        match (generate(&text, None, &options), listed) {
            (Ok((svc, files)), None) => {
                generated += 1;
                operations += svc.operations.len();
                assert!(files.contains_key("src/lib.rs"), "{name}: no src/lib.rs");
                let listed: Vec<&str> = NOTED
                    .iter()
                    .filter(|(n, _)| *n == name)
                    .map(|(_, note)| *note)
                    .collect();
                let matched = svc.notes.len() == listed.len()
                    && svc
                        .notes
                        .iter()
                        .all(|n| listed.iter().any(|l| n.starts_with(l)));
                if !matched {
                    problems.push(format!("{name}: notes {:?}, listed {listed:?}", svc.notes));
                }
            }
            (Ok(_), Some((_, _, _, why))) => problems.push(format!(
                "{name} is listed as refused ({why}) but generates: take it out of REFUSED"
            )),
            (Err(e), None) => problems.push(format!("{name} is refused: {e}")),
            (Err(e), Some((_, subject, message, _))) => {
                if e.subject() != *subject || !e.message().contains(message) {
                    problems.push(format!(
                        "{name} is refused for another reason than listed (`{subject}` {message}): {e}"
                    ));
                }
                seen_refused.push(name);
            }
        }
    }
    for (name, ..) in REFUSED {
        if !files.iter().any(|p| p.file_stem().unwrap() == *name) {
            problems.push(format!("{name} is listed in REFUSED but not in the corpus"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    println!(
        "corpus: {generated}/{} models generate ({operations} operations); refused as listed: {seen_refused:?}",
        files.len()
    );
    assert_eq!(generated + REFUSED.len(), files.len());
}

/// The corpus models of services with a `Customization` get it, and only where botocore applies
/// it (its agreement is checked by `cargo xtask corpus`, which compares the requests).
#[test]
fn corpus_services_get_their_customizations() {
    use smithy_lite_codegen::ir::Customization;
    let Some(dir) = corpus_dir() else { return };
    let options = options();
    let load = |name: &str| {
        let text = std::fs::read_to_string(dir.join(format!("{name}.json"))).expect("the model");
        generate(&text, None, &options).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let (svc, files) = load("api-gateway-2015-07-09");
    assert_eq!(svc.customization, Some(Customization::ApiGateway));
    let accept = r#".insert("accept", "application/json")"#;
    let mut operations = 0;
    for (path, text) in files
        .iter()
        .filter(|(p, _)| p.starts_with("src/operation/"))
    {
        if text.contains("pub fn serialize_request(") {
            operations += 1;
            assert!(text.contains(accept), "{path} sends no Accept header");
        }
    }
    assert_eq!(operations, svc.operations.len());
    let (svc, files) = load("cloudsearch-domain-2013-01-01");
    assert_eq!(svc.customization, Some(Customization::CloudSearchDomain));
    let form = "application/x-www-form-urlencoded";
    assert!(files["src/operation/search.rs"].contains(form));
    assert!(!files["src/operation/suggest.rs"].contains(form));
    let (svc, _) = load("lambda-2015-03-31");
    assert_eq!(svc.customization, None);
}
