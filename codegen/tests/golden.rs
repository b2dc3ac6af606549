//! Golden tests: every `tests/golden/<name>/model.json` of the workspace generates exactly the
//! crate committed in `tests/golden/<name>/expected/` (which is a workspace member, so it must
//! also build, pass clippy and stay rustfmt-clean).
//!
//! `UPDATE_GOLDEN=1 cargo test -p smithy-lite-codegen --test golden` rewrites `expected/`
//! instead of comparing; `cargo xtask codegen` does the same.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use smithy_lite_codegen::{generate, CrateOptions, Files};

fn golden_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("tests")
        .join("golden")
}

/// `(name, dir)` of every golden case, sorted by name.
fn cases() -> Vec<(String, PathBuf)> {
    let root = golden_root();
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("reading {}: {e}", root.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("model.json").is_file())
        .map(|p| {
            let name = p
                .file_name()
                .expect("a directory entry has a name")
                .to_string_lossy()
                .into_owned();
            (name, p)
        })
        .collect();
    out.sort();
    out
}

/// The options `cargo xtask codegen` uses for golden models (keep the two in step).
fn options(name: &str) -> CrateOptions {
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

fn generate_case(name: &str, dir: &Path) -> Files {
    let model = std::fs::read_to_string(dir.join("model.json"))
        .unwrap_or_else(|e| panic!("reading {}/model.json: {e}", dir.display()));
    let (_, files) = generate(&model, None, &options(name))
        .unwrap_or_else(|e| panic!("golden model `{name}` does not generate: {e}"));
    files
}

/// Every file below `dir` (relative path with `/` → contents), except build output.
fn read_tree(dir: &Path) -> BTreeMap<String, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                if p.file_name().is_some_and(|n| n == "target") {
                    continue;
                }
                walk(root, &p, out);
            } else {
                let rel = p
                    .strip_prefix(root)
                    .expect("walked below root")
                    .to_string_lossy()
                    .replace('\\', "/");
                let contents = std::fs::read(&p)
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                    .unwrap_or_else(|e| panic!("reading {}: {e}", p.display()));
                out.insert(rel, contents);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Makes `dir` hold exactly `files`.
fn write_tree(dir: &Path, files: &Files) {
    for (rel, contents) in files {
        let path = dir.join(rel);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(contents.as_str()) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .unwrap_or_else(|e| panic!("creating {}: {e}", parent.display()));
        }
        std::fs::write(&path, contents)
            .unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    }
    for rel in read_tree(dir).keys() {
        if !files.contains_key(rel) {
            let path = dir.join(rel);
            std::fs::remove_file(&path)
                .unwrap_or_else(|e| panic!("removing {}: {e}", path.display()));
        }
    }
}

/// A unified-style diff of the first region where `expected` and `actual` differ: the common
/// prefix and suffix are cut, three lines of context kept, long hunks shortened.
fn first_diff(expected: &str, actual: &str) -> String {
    const CONTEXT: usize = 3;
    const MAX_LINES: usize = 20;
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    let prefix = e.iter().zip(&a).take_while(|(x, y)| x == y).count();
    let max_suffix = e.len().min(a.len()) - prefix;
    let suffix = e
        .iter()
        .rev()
        .zip(a.iter().rev())
        .take(max_suffix)
        .take_while(|(x, y)| x == y)
        .count();
    let (e_mid, a_mid) = (&e[prefix..e.len() - suffix], &a[prefix..a.len() - suffix]);
    let start = prefix.saturating_sub(CONTEXT);
    let mut out = format!(
        "@@ -{},{} +{},{} @@\n",
        prefix + 1,
        e_mid.len(),
        prefix + 1,
        a_mid.len()
    );
    for line in &e[start..prefix] {
        out.push_str(&format!(" {line}\n"));
    }
    for (sign, lines) in [('-', e_mid), ('+', a_mid)] {
        for line in lines.iter().take(MAX_LINES) {
            out.push_str(&format!("{sign}{line}\n"));
        }
        if lines.len() > MAX_LINES {
            out.push_str(&format!(
                "{sign}... ({} more lines)\n",
                lines.len() - MAX_LINES
            ));
        }
    }
    for line in e[e.len() - suffix..].iter().take(CONTEXT) {
        out.push_str(&format!(" {line}\n"));
    }
    if e_mid.is_empty() && a_mid.is_empty() {
        // Same lines: the difference is in line endings or a final newline.
        out.push_str("(the files differ only in line endings or the final newline)\n");
    }
    out
}

/// What differs between the committed crate and the generated one, one entry per file.
fn compare(name: &str, expected: &BTreeMap<String, String>, actual: &Files) -> Vec<String> {
    let mut problems = Vec::new();
    for (rel, contents) in actual {
        match expected.get(rel) {
            None => problems.push(format!(
                "{name}: expected/{rel} is missing (the generator emits it)"
            )),
            Some(old) if old != contents => problems.push(format!(
                "{name}: expected/{rel} differs from what the generator emits (- expected, + generated):\n{}",
                first_diff(old, contents)
            )),
            Some(_) => {}
        }
    }
    for rel in expected.keys() {
        if !actual.contains_key(rel) {
            problems.push(format!("{name}: expected/{rel} is not generated any more"));
        }
    }
    problems
}

fn updating() -> bool {
    std::env::var("UPDATE_GOLDEN").is_ok_and(|v| !v.is_empty() && v != "0")
}

#[test]
fn golden_models_generate_the_committed_crates() {
    let cases = cases();
    let mut problems = Vec::new();
    for (name, dir) in &cases {
        let files = generate_case(name, dir);
        let expected_dir = dir.join("expected");
        if updating() {
            write_tree(&expected_dir, &files);
            continue;
        }
        problems.extend(compare(name, &read_tree(&expected_dir), &files));
    }
    assert!(
        cases.len() >= 3,
        "expected at least 3 golden models under {}, found {:?}",
        golden_root().display(),
        cases.iter().map(|(n, _)| n).collect::<Vec<_>>()
    );
    assert!(
        problems.is_empty(),
        "{} golden file(s) are stale; if the change is intended, run `UPDATE_GOLDEN=1 cargo test -p smithy-lite-codegen --test golden` (or `cargo xtask codegen`) and review the diff.\n\n{}",
        problems.len(),
        problems.join("\n\n")
    );
}

#[test]
fn generation_is_deterministic() {
    for (name, dir) in cases() {
        let first = generate_case(&name, &dir);
        let second = generate_case(&name, &dir);
        let differing: Vec<String> = first
            .keys()
            .chain(second.keys())
            .filter(|rel| first.get(*rel) != second.get(*rel))
            .map(|rel| {
                format!(
                    "{rel}:\n{}",
                    first_diff(
                        first.get(rel).map_or("", String::as_str),
                        second.get(rel).map_or("", String::as_str)
                    )
                )
            })
            .collect();
        assert!(
            differing.is_empty(),
            "{name}: two runs generated different bytes:\n{}",
            differing.join("\n")
        );
    }
}

#[test]
fn golden_crates_have_unique_package_names() {
    let mut seen = BTreeMap::new();
    for (name, dir) in cases() {
        let model = std::fs::read_to_string(dir.join("model.json")).expect("model.json");
        let (service, _) = generate(&model, None, &options(&name)).expect("generates");
        if let Some(other) = seen.insert(service.crate_name.clone(), name.clone()) {
            panic!(
                "golden models `{other}` and `{name}` both become package `{}`; give them different sdkIds",
                service.crate_name
            );
        }
    }
}

#[test]
fn first_diff_shows_the_changed_lines_with_context() {
    let d = first_diff("a\nb\nc\nd\ne\nf\n", "a\nb\nc\nX\ne\nf\n");
    assert_eq!(d, "@@ -4,1 +4,1 @@\n a\n b\n c\n-d\n+X\n e\n f\n");
    let d = first_diff("a\n", "a\nb\n");
    assert_eq!(d, "@@ -2,0 +2,1 @@\n a\n+b\n");
    assert!(first_diff("a\n", "a").contains("final newline"));
}
