//! Every golden model `tests/golden/<name>/model.json` has an IDL twin (the `.smithy` files of
//! its folder, easier to read in review), and both forms are the same model:
//!
//! - read by the IDL reader, the twin and the JSON AST give the same AST;
//! - the generator's `Model` of the JSON AST as written, and of the twin's (flattened) AST, are
//!   the same (but for the mixin shapes flattening removes, and `Unit` written out; a 1.0
//!   model is compared as Smithy upgrades it to 2.0);
//! - both generate the same files, byte for byte.
//!
//! The golden models use traits whose definitions are not in them (`aws.*`,
//! `smithy.waiters`), so both are read with unknown traits allowed.

use std::path::{Path, PathBuf};

use smithy_lite_codegen::idl::{self, Options};
use smithy_lite_codegen::model::{Model, ShapeKind};
use smithy_lite_codegen::{generate, CrateOptions};

const OPTIONS: Options = Options {
    allow_unknown_traits: true,
};

fn golden_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/golden");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("model.json").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn twin_files(dir: &Path) -> Vec<(String, String)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("readable")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "smithy"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("readable");
            (p.display().to_string(), text)
        })
        .collect()
}

/// The options `golden.rs` and `cargo xtask codegen` use.
fn crate_options(name: &str) -> CrateOptions {
    CrateOptions {
        version: "0.1.0".into(),
        model_source: format!("tests/golden/{name}/model.json"),
        partitions_json: String::new(),
        endpoint_test_overrides: Vec::new(),
        data_endpoint: None,
        runtime_path: "../../../../runtime".into(),
        wire: Default::default(),
    }
}

/// The reader writes an operation's `Unit` input and output out, as `smithy ast` does; a JSON
/// AST may leave them out. Both mean the same. Flattening leaves mixin shapes out (as Smithy's
/// `flattenAndRemoveMixins` does): nothing can refer to them any more.
fn normalized(mut model: Model) -> Model {
    model
        .shapes
        .retain(|_, shape| !shape.traits.contains("smithy.api#mixin"));
    for shape in model.shapes.values_mut() {
        if let ShapeKind::Operation(op) = &mut shape.kind {
            for io in [&mut op.input, &mut op.output] {
                if io
                    .as_ref()
                    .is_some_and(|id| id.as_str() == "smithy.api#Unit")
                {
                    *io = None;
                }
            }
        }
    }
    model
}

fn from_json_version(text: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(text).expect("model.json is JSON");
    value["smithy"].as_str().unwrap_or("").to_string()
}

/// The first differing line of two texts, with the lines before it.
fn first_difference(a: &str, b: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let i = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let from = i.saturating_sub(12);
    format!(
        "{}\n- twin: {}\n+ json: {}",
        a[from..i].join("\n"),
        a.get(i).unwrap_or(&"<end>"),
        b.get(i).unwrap_or(&"<end>")
    )
}

#[test]
fn golden_models_and_their_idl_twins_are_one_model() {
    let dirs = golden_dirs();
    assert!(!dirs.is_empty(), "no golden models found");
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let twins = twin_files(&dir);
        assert!(
            !twins.is_empty(),
            "tests/golden/{name} has no .smithy twin of model.json (`cargo xtask ast \
             --allow-unknown-traits --idl DIR tests/golden/{name}/model.json` writes one)"
        );
        let json_text = std::fs::read_to_string(dir.join("model.json")).expect("readable");

        let from_idl = idl::parse_files_with(&twins, OPTIONS)
            .unwrap_or_else(|e| panic!("{name}: the IDL twin does not load: {e}"));
        let from_json = idl::parse_files_with(&[("model.json", json_text.as_str())], OPTIONS)
            .unwrap_or_else(|e| panic!("{name}: model.json does not load: {e}"));
        assert_eq!(
            from_idl.to_value(),
            from_json.to_value(),
            "{name}: the IDL twin and model.json are different models"
        );

        let twin_json = from_idl.flattened().to_json_in_model_order();
        // A 1.0 model is compared in 2.0 terms, as Smithy upgrades it (the generator reads the
        // 1.0 JSON AST itself, with `@box`, where the upgrade writes `@default`s instead; the
        // generated files must still be the same, below).
        let json_for_model = if from_json_version(&json_text).starts_with('1') {
            from_json.flattened().to_json_in_model_order()
        } else {
            json_text.clone()
        };
        let model_of_json =
            normalized(Model::from_json(&json_for_model).expect("model.json parses"));
        let model_of_twin =
            normalized(Model::from_json(&twin_json).expect("the twin's AST parses"));
        let (a, b) = (
            format!("{:#?}", model_of_twin.shapes),
            format!("{:#?}", model_of_json.shapes),
        );
        if a != b {
            panic!(
                "{name}: the generator sees a different Model in the twin:\n{}",
                first_difference(&a, &b)
            );
        }

        let options = crate_options(&name);
        let (_, files_of_json) = generate(&json_text, None, &options).expect("generates");
        let (_, files_of_twin) = generate(&twin_json, None, &options)
            .unwrap_or_else(|e| panic!("{name}: the twin does not generate: {e}"));
        assert_eq!(
            files_of_twin.keys().collect::<Vec<_>>(),
            files_of_json.keys().collect::<Vec<_>>(),
            "{name}: different files"
        );
        for (path, contents) in &files_of_json {
            assert!(
                files_of_twin[path] == *contents,
                "{name}: {path} differs when generated from the IDL twin"
            );
        }
    }
}
