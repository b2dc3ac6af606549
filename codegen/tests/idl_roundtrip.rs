//! JSON AST → IDL → JSON AST gives the model back: the pinned Kinesis Video models and STS
//! (`$KVS_MODEL_MIRROR`), written as IDL by `Ast::to_idl` and read again, give the same AST as
//! the JSON read directly. `IDL_ROUNDTRIP_CORPUS=1` adds the 82 restJson1 models of
//! `$KVS_MODEL_MIRROR/../corpus/restjson1` (a longer run). Without the data the test is
//! skipped, except with `CI` set, where it fails.

use std::path::{Path, PathBuf};

use smithy_lite_codegen::idl::{self, Options};

/// AWS models use traits (`aws.*`, `smithy.rules`, `smithy.waiters`) whose definitions are not
/// part of them.
const OPTIONS: Options = Options {
    allow_unknown_traits: true,
};

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn round_trip(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let name = path.display().to_string();
    let direct = idl::parse_files_with(&[(name.as_str(), text.as_str())], OPTIONS)
        .map_err(|e| format!("the JSON AST does not load: {e}"))?;
    let files: Vec<(String, String)> = direct
        .to_idl()
        .into_iter()
        .map(|(ns, idl)| (format!("{ns}.smithy"), idl))
        .collect();
    let again = idl::parse_files_with(&files, OPTIONS).map_err(|e| {
        format!(
            "its IDL does not load: {e}\n{}",
            files[0].1.lines().take(40).collect::<Vec<_>>().join("\n")
        )
    })?;
    if direct.to_value() == again.to_value() {
        Ok(())
    } else {
        let (a, b) = (direct.to_value(), again.to_value());
        let shapes = |v: &serde_json::Value| v["shapes"].as_object().cloned().unwrap_or_default();
        let (sa, sb) = (shapes(&a), shapes(&b));
        let differing = sa
            .iter()
            .find(|(k, v)| sb.get(*k) != Some(v))
            .map(|(k, v)| format!("{k}: {v} vs {}", sb.get(k).cloned().unwrap_or_default()))
            .or_else(|| {
                sb.keys()
                    .find(|k| !sa.contains_key(*k))
                    .map(|k| format!("{k} only in the IDL"))
            })
            .unwrap_or_else(|| "metadata".into());
        Err(format!("differs: {differing}"))
    }
}

#[test]
fn json_ast_to_idl_and_back() {
    let Some(mirror) = shared_data::require_models("JSON AST to IDL and back") else {
        return;
    };
    let mut files = json_files(&mirror);
    assert!(!files.is_empty(), "no models in {}", mirror.display());
    if std::env::var_os("IDL_ROUNDTRIP_CORPUS").is_some() {
        files.extend(json_files(&mirror.join("../corpus/restjson1")));
    }
    let failures: Vec<String> = files
        .iter()
        .filter_map(|f| round_trip(f).err().map(|e| format!("{}: {e}", f.display())))
        .collect();
    eprintln!(
        "{} of {} models round-trip",
        files.len() - failures.len(),
        files.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
