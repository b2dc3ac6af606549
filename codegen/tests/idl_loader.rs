//! Smithy's own IDL loader tests (`$KVS_MODEL_MIRROR/../smithy/loader-tests`), run against the
//! IDL reader the way upstream runs them:
//!
//! - `valid/**/X.json`: `X.smithy` and `X.json`, each loaded with `valid/__shared.json`, give
//!   the same model (compared as JSON ASTs);
//! - `invalid/**/X.smithy` is refused, with the message its first line holds (Smithy's), and
//!   at the line and column that message names, if it names one;
//! - `valid/mixins/X.smithy` flattened gives `X.flattened.smithy`, for the cases upstream
//!   checks that way;
//! - the three forward-reference cases of upstream's runner;
//! - `upgrade/*/`: IDL 1.0 models (and 1.0 with 2.0) upgraded give `upgraded.smithy`.
//!
//! Cases that still fail are listed with the reason in `idl_loader_known_failures.txt`; an
//! unlisted failure fails the test, and so does a listed case that now passes. Without the data
//! the test is skipped, except with `CI` set, where it fails.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use smithy_lite_codegen::idl::{self, Ast, IdlError};

fn data_dir() -> Option<PathBuf> {
    shared_data::require("Smithy's loader tests", "smithy/loader-tests")?;
    Some(shared_data::shared_path("smithy"))
}

fn files_under(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            out.extend(files_under(&p, ext));
        } else if p.to_string_lossy().ends_with(ext) {
            out.push(p);
        }
    }
    out
}

fn load(paths: &[&Path]) -> Result<Ast, IdlError> {
    let files: Vec<(String, String)> = paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p)
                .unwrap_or_else(|e| panic!("reading {}: {e}", p.display()));
            (p.display().to_string(), text)
        })
        .collect();
    idl::parse_files(&files)
}

/// The first place two JSON values differ, as a JSON pointer with both sides.
fn first_difference(a: &serde_json::Value, b: &serde_json::Value, path: &str) -> Option<String> {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                let p = format!("{path}/{k}");
                match y.get(k) {
                    None => return Some(format!("{p}: only in the IDL result")),
                    Some(w) => {
                        if let Some(d) = first_difference(v, w, &p) {
                            return Some(d);
                        }
                    }
                }
            }
            y.keys()
                .find(|k| !x.contains_key(*k))
                .map(|k| format!("{path}/{k}: only in the expected AST"))
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (v, w))| first_difference(v, w, &format!("{path}/{i}"))),
        _ if a == b => None,
        _ => Some(format!("{path}: {a} (IDL) vs {b} (expected)")),
    }
}

fn compare(result: Result<Ast, IdlError>, expected: Result<Ast, IdlError>) -> Result<(), String> {
    let expected = expected.map_err(|e| format!("the expected AST does not load: {e}"))?;
    let result = result.map_err(|e| format!("refused: {e}"))?;
    let (a, b) = (result.to_value(), expected.to_value());
    match first_difference(&a, &b, "") {
        None => Ok(()),
        Some(d) => Err(format!("differs at {d}")),
    }
}

/// `relative path -> reason` from the known failures file.
fn known_failures() -> BTreeMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/idl_loader_known_failures.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| match l.split_once(": ") {
            Some((case, why)) => (case.trim().to_string(), why.trim().to_string()),
            None => (l.trim().to_string(), String::new()),
        })
        .collect()
}

/// `Syntax error at line L, column C` in Smithy's message.
fn expected_position(message: &str) -> Option<(u32, u32)> {
    let rest = message.split("Syntax error at line ").nth(1)?;
    let (line, rest) = rest.split_once(", column ")?;
    let column: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    Some((line.parse().ok()?, column.parse().ok()?))
}

/// Smithy's message without its position and event id (`... | Model`).
fn expected_message(first_line: &str) -> String {
    let mut m = first_line.trim();
    // The shape the message is about is named apart (`ns#Shape: message`).
    if let Some((shape, msg)) = m.split_once(": ") {
        if shape.contains('#') && !shape.contains(' ') {
            m = msg;
        }
    }
    if let Some(rest) = m.strip_prefix("Syntax error at line ") {
        m = rest.split_once(": ").map_or("", |(_, r)| r);
    }
    if let Some((msg, _)) = m.rsplit_once(" | ") {
        m = msg;
    }
    // The shape the message is about is named apart (`ns#Shape: message`).
    if let Some((shape, msg)) = m.split_once(": ") {
        if shape.contains('#') && !shape.contains(' ') {
            m = msg;
        }
    }
    m.trim().to_string()
}

#[test]
fn smithy_loader_tests() {
    let Some(data) = data_dir() else { return };
    let root = data.join("loader-tests");
    let rel = |p: &Path| p.strip_prefix(&root).unwrap_or(p).display().to_string();
    let mut outcomes: BTreeMap<String, Result<(), String>> = BTreeMap::new();

    // valid/**/X.json against X.smithy, both with __shared.json.
    let shared = root.join("valid/__shared.json");
    let valid = files_under(&root.join("valid"), ".json");
    for json in valid.iter().filter(|p| !p.ends_with("__shared.json")) {
        let smithy = json.with_extension("smithy");
        let outcome = compare(load(&[&smithy, &shared]), load(&[json.as_path(), &shared]));
        outcomes.insert(rel(&smithy), outcome);
    }

    // invalid/**/X.smithy is refused.
    for smithy in files_under(&root.join("invalid"), ".smithy") {
        let text = std::fs::read_to_string(&smithy).expect("readable");
        let expected = text.lines().next().unwrap_or("").trim_start_matches("//");
        let outcome = match load(&[&smithy]) {
            Ok(_) => Err(format!(
                "accepted; Smithy refuses it with: {}",
                expected.trim()
            )),
            // Refused, with Smithy's message, at Smithy's position when it gives one.
            Err(e) => {
                let wanted = expected_message(expected);
                let found = e.diagnostics.iter().find(|d| d.message.contains(&wanted));
                match (found, expected_position(expected)) {
                    (None, _) => Err(format!("refused, but not with {wanted:?}: {e}")),
                    (Some(d), Some((line, column))) if (d.line, d.column) != (line, column) => {
                        Err(format!(
                            "refused at {}:{}, not {line}:{column}: {d}",
                            d.line, d.column
                        ))
                    }
                    _ => Ok(()),
                }
            }
        };
        outcomes.insert(rel(&smithy), outcome);
    }

    // Flattening mixins, as upstream's ModelTransformerTest does.
    for name in [
        "loads-mixins",
        "mixins-with-members",
        "mixins-with-members-and-traits",
        "mixins-with-member-override-1",
        "mixins-with-member-override-2",
        "mixins-with-member-override-3",
        "mixins-with-member-override-4",
        "mixins-with-mixin-local-traits",
        "operations",
        "resources",
        "services",
        "idl-mixins-redefine-member",
        "enum-mixins",
    ] {
        let dir = root.join("valid/mixins");
        let source = dir.join(format!("{name}.smithy"));
        let flat = dir.join(format!("{name}.flattened.smithy"));
        let outcome = compare(load(&[&source]).map(|a| a.flattened()), load(&[&flat]));
        outcomes.insert(format!("{} (flattened)", rel(&source)), outcome);
    }

    // Forward references across files and `use` statements.
    let fr = root.join("forwardrefs");
    for (case, inputs, expected) in [
        (
            "forwardrefs/use/use.smithy",
            vec![fr.join("use/use.smithy"), shared.clone()],
            vec![fr.join("use/result.json"), shared.clone()],
        ),
        (
            "forwardrefs/use/no-use.smithy",
            vec![fr.join("use/no-use.smithy"), shared.clone()],
            vec![fr.join("use/result.json"), shared.clone()],
        ),
        (
            "forwardrefs/resource",
            vec![
                fr.join("resource/operation.smithy"),
                fr.join("resource/resource.smithy"),
            ],
            vec![fr.join("resource/result.json")],
        ),
    ] {
        let inputs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
        let expected: Vec<&Path> = expected.iter().map(PathBuf::as_path).collect();
        outcomes.insert(case.to_string(), compare(load(&inputs), load(&expected)));
    }

    // IDL 1.0 upgraded to 2.0, as upstream's ModelInteropTransformerTest checks it: every file of
    // `upgrade/<case>/` but `upgraded.smithy` gives the model `upgraded.smithy` is. (`box-in-v2`
    // has an error upstream too, `@box` in a 2.0 file: it must be refused for it.)
    for case in files_under(&root.join("upgrade"), "upgraded.smithy") {
        let dir = case.parent().expect("in a folder").to_path_buf();
        let inputs: Vec<PathBuf> = files_under(&dir, ".smithy")
            .into_iter()
            .chain(files_under(&dir, ".json"))
            .filter(|p| !p.ends_with("upgraded.smithy"))
            .collect();
        let inputs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
        let outcome = if dir.ends_with("box-in-v2") {
            match load(&inputs) {
                Err(e)
                    if e.to_string()
                        .contains("@box is not supported in Smithy IDL 2.0") =>
                {
                    Ok(())
                }
                other => Err(format!(
                    "expected the @box error, got {:?}",
                    other.map(|a| a.to_json())
                )),
            }
        } else {
            compare(load(&inputs), load(&[&case]))
        };
        outcomes.insert(rel(&dir), outcome);
    }

    let known = known_failures();
    let mut problems = Vec::new();
    let mut passed = 0;
    for (case, outcome) in &outcomes {
        match (outcome, known.get(case)) {
            (Ok(()), None) => passed += 1,
            (Ok(()), Some(_)) => problems.push(format!(
                "{case}: passes now; remove it from idl_loader_known_failures.txt"
            )),
            (Err(why), None) => problems.push(format!("{case}: {why}")),
            (Err(_), Some(_)) => {}
        }
    }
    for case in known.keys() {
        if !outcomes.contains_key(case) {
            problems.push(format!("{case}: listed as a known failure but not a case"));
        }
    }
    eprintln!(
        "loader tests: {passed} of {} cases pass, {} known failures",
        outcomes.len(),
        known.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The prelude table of the reader is the prelude of the shared Smithy copy: same shapes, types
/// and trait definitions.
#[test]
fn prelude_table_matches_smithy_prelude() {
    let Some(data) = data_dir() else { return };
    let text = std::fs::read_to_string(data.join("traits/prelude.smithy")).expect("prelude");
    let ast = idl::parse_files(&[("prelude.smithy", text)]).expect("the prelude loads");
    let value = ast.to_value_with_prelude();
    let shapes = value["shapes"].as_object().expect("shapes");
    let mut from_file: Vec<(String, String, &str)> = shapes
        .iter()
        .filter(|(_, s)| s["type"] != "apply")
        .map(|(id, s)| {
            let traits = &s["traits"];
            let role = if traits.get("smithy.api#trait").is_some() {
                "trait"
            } else if traits.get("smithy.api#default").is_some() {
                "zero default"
            } else {
                "plain"
            };
            (
                id.clone(),
                s["type"].as_str().unwrap_or("").to_string(),
                role,
            )
        })
        .collect();
    from_file.sort();
    let mut table: Vec<(String, String, &str)> = idl::prelude_table()
        .into_iter()
        .map(|(id, t, role)| (id, t.to_string(), role))
        .collect();
    table.sort();
    assert_eq!(table, from_file);
}
