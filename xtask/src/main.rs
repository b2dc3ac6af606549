//! Project tasks: `cargo xtask fetch | codegen [--check]`.

mod corpus;
mod model_diff;
mod model_file;
mod pins;
mod test;
mod vendor;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use pins::{Manifest, ModelSource};

const USAGE: &str = "\
usage: cargo xtask <task> [options]

tasks:
  fetch                 put the pinned models into .model-cache/ (sha256-checked), from the
                        mirror when one is given, else downloaded
  codegen               regenerate generated/ from the pinned models
  codegen --check       fail, naming the files, if generated/ is not what the models give
  test [ARGS]           install what the tests need (pinned botocore in target/oracle-venv),
                        then run `cargo test --workspace [ARGS]`; without ARGS, then check
                        every generated crate with its default features and with none
  diff OLD NEW          list the changes between two models, classified (breaking, dangerous,
                        compatible, documentation); `diff --base REV` compares the models
                        pinned at git revision REV with the pinned ones (`diff --help`)
  vendor CRATE.. DIR    copy generated crates and the runtime they share into DIR, ready to
                        use as path dependencies outside this workspace (`vendor --help`)
  corpus [DIR]          generate, build and compare with botocore every model of a corpus
                        folder (default ../shared/corpus/restjson1; `corpus --help`)
  update NEWFILE        move a model's pin to NEWFILE, regenerate, run the snapshot tests and
                        print the diff and what to review (`update --help`)
  ast FILE...           print the JSON AST of Smithy IDL (.smithy) and JSON AST files and
                        folders, read as one model (`ast --help`)

Wherever a task takes a model file, a .smithy file or a folder of model files works too.

options:
  --mirror DIR          take model files from DIR instead of downloading them
                        (default: $KVS_MODEL_MIRROR, if set)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

struct Options {
    task: String,
    check: bool,
    mirror: Option<PathBuf>,
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut task = None;
    let mut check = false;
    let mut mirror = std::env::var_os("KVS_MODEL_MIRROR").map(PathBuf::from);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--check" => check = true,
            "--mirror" => {
                mirror = Some(PathBuf::from(
                    it.next().ok_or("--mirror needs a directory")?,
                ))
            }
            "-h" | "--help" => return Err(USAGE.to_string()),
            other if task.is_none() && !other.starts_with('-') => task = Some(other.to_string()),
            other => return Err(format!("unexpected argument {other:?}\n\n{USAGE}")),
        }
    }
    Ok(Options {
        task: task.ok_or_else(|| USAGE.to_string())?,
        check,
        mirror,
    })
}

fn run(args: &[String]) -> Result<ExitCode, String> {
    let root = workspace_root();
    if args.first().map(String::as_str) == Some("test") {
        return test::test(&root, &args[1..]);
    }
    if args.first().map(String::as_str) == Some("diff") {
        return model_diff::diff(&root, &args[1..]);
    }
    if args.first().map(String::as_str) == Some("vendor") {
        return vendor::vendor(&root, &args[1..]);
    }
    if args.first().map(String::as_str) == Some("corpus") {
        return corpus::corpus(&root, &args[1..]);
    }
    if args.first().map(String::as_str) == Some("update") {
        return model_diff::update(&root, &args[1..]);
    }
    if args.first().map(String::as_str) == Some("ast") {
        return model_file::ast(&args[1..]);
    }
    let opts = parse_args(args)?;
    let manifest = pins::load(&root.join("model/models.toml"))?;
    let source = ModelSource::new(&root, opts.mirror.clone());
    match opts.task.as_str() {
        "fetch" => {
            for pin in manifest.all() {
                let path = source.fetch(pin)?;
                println!("{}: ok ({})", pin.file, path.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        "codegen" => codegen(
            &root,
            &manifest,
            &source,
            opts.mirror.as_deref(),
            opts.check,
        ),
        other => Err(format!("unknown task {other:?}\n\n{USAGE}")),
    }
}

fn codegen(
    root: &Path,
    manifest: &Manifest,
    source: &ModelSource,
    mirror: Option<&Path>,
    check: bool,
) -> Result<ExitCode, String> {
    let started = Instant::now();
    let mut out = Synced {
        check,
        stale: Vec::new(),
        written: 0,
    };
    let partitions_path = source.get(manifest.data("partitions.json")?)?;
    let partitions_json = std::fs::read_to_string(&partitions_path)
        .map_err(|e| format!("reading {}: {e}", partitions_path.display()))?;
    for pin in &manifest.model {
        let model_path = source.get(pin)?;
        let text = model_file::load(&model_path)?;
        let options = smithy_lite_codegen::CrateOptions {
            version: pin.crate_version.clone(),
            model_source: format!("{}@{}", pin.file, &pin.commit[..12]),
            partitions_json: partitions_json.clone(),
            endpoint_test_overrides: manifest.endpoint_test_overrides(pin),
            data_endpoint: pin.data_endpoint.clone(),
            runtime_path: "../../runtime".into(),
            wire: Default::default(),
        };
        let (service, files) = smithy_lite_codegen::generate(&text, Some(&pin.service), &options)
            .map_err(|e| format!("{}: {e}", pin.file))?;
        for note in &service.notes {
            eprintln!("note: {}: {note}", pin.file);
        }
        let dir = root.join("generated").join(&service.crate_name);
        out.sync(&dir, &files)?;
        println!(
            "{}: {} operations, {} named types, {} files -> generated/{}",
            service.id,
            service.operations.len(),
            service.types.len(),
            files.len(),
            service.crate_name
        );
    }
    for (name, model_path) in golden_models(root)? {
        let text = std::fs::read_to_string(&model_path)
            .map_err(|e| format!("reading {}: {e}", model_path.display()))?;
        // Keep in step with `codegen/tests/golden.rs`.
        let options = smithy_lite_codegen::CrateOptions {
            version: "0.1.0".into(),
            model_source: format!("tests/golden/{name}/model.json"),
            partitions_json: String::new(),
            endpoint_test_overrides: Vec::new(),
            data_endpoint: None,
            runtime_path: "../../../../runtime".into(),
            wire: Default::default(),
        };
        let (_, files) = smithy_lite_codegen::generate(&text, None, &options)
            .map_err(|e| format!("tests/golden/{name}/model.json: {e}"))?;
        let dir = root.join("tests/golden").join(&name).join("expected");
        out.sync(&dir, &files)?;
        println!(
            "golden {name}: {} files -> tests/golden/{name}/expected",
            files.len()
        );
    }
    match smithy_dir(root, mirror) {
        Some(smithy) => {
            // Suites that share a folder read it once.
            let mut models = std::collections::BTreeMap::new();
            for spec in smithy_lite_codegen::compliance::SUITES {
                let model = match models.entry(spec.folder) {
                    std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                    std::collections::btree_map::Entry::Vacant(e) => {
                        e.insert(smithy_lite_codegen::compliance::read(&smithy, spec)?)
                    }
                };
                let suite = smithy_lite_codegen::compliance::load(model, *spec)?;
                let options = smithy_lite_codegen::compliance::crate_options(spec);
                let (service, files) = smithy_lite_codegen::generate(
                    &suite.generated_model,
                    Some(spec.service),
                    &options,
                )
                .map_err(|e| format!("the {} compliance suite: {e}", spec.folder))?;
                let dir = root.join("tests/compliance").join(spec.name);
                out.sync(&dir, &files)?;
                println!(
                    "compliance {} ({}): {} operations ({} refused), {} files -> tests/compliance/{}",
                    spec.folder,
                    spec.service,
                    service.operations.len(),
                    suite.refused.len(),
                    files.len(),
                    spec.name
                );
            }
        }
        None if std::env::var_os("CI").is_some() => {
            return Err(
                "the compliance suites need Smithy's folder (../shared/smithy beside the \
                 workspace, or beside the model mirror); CI is set, so this is an error"
                    .into(),
            );
        }
        None => println!("compliance suites: skipped, no Smithy folder beside the workspace"),
    }
    let elapsed = started.elapsed();
    if check {
        if out.stale.is_empty() {
            println!("generated/ is up to date ({:.2?})", elapsed);
            Ok(ExitCode::SUCCESS)
        } else {
            eprintln!("generated/ is stale; run `cargo xtask codegen`. Files that differ:");
            for s in &out.stale {
                eprintln!("  {s}");
            }
            Ok(ExitCode::FAILURE)
        }
    } else {
        println!("{} files changed in {:.2?}", out.written, elapsed);
        Ok(ExitCode::SUCCESS)
    }
}

/// The files `codegen` wrote (or, with `--check`, found stale) so far.
struct Synced {
    check: bool,
    stale: Vec<String>,
    written: usize,
}

impl Synced {
    /// Makes `dir` hold exactly `files` (with `check`, only notes what differs).
    fn sync(&mut self, dir: &Path, files: &smithy_lite_codegen::Files) -> Result<(), String> {
        let changes = sync_dir(dir, files, self.check)?;
        if !self.check {
            self.written += changes.len();
        }
        self.stale.extend(changes);
        Ok(())
    }
}

/// Smithy's folder (trait definitions and the protocol tests): beside the model mirror, or at
/// `../shared/smithy`.
fn smithy_dir(root: &Path, mirror: Option<&Path>) -> Option<PathBuf> {
    mirror
        .and_then(Path::parent)
        .map(|p| p.join("smithy"))
        .into_iter()
        .chain(std::iter::once(root.join("../shared/smithy")))
        .find(|p| p.join("protocol-tests").is_dir())
}

/// `(name, model.json)` of every golden model `tests/golden/<name>/model.json`, sorted.
fn golden_models(root: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let dir = root.join("tests/golden");
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut out: Vec<(String, PathBuf)> = entries
        .flatten()
        .map(|e| e.path().join("model.json"))
        .filter(|model| model.is_file())
        .filter_map(|model| {
            let name = model.parent()?.file_name()?.to_string_lossy().into_owned();
            Some((name, model))
        })
        .collect();
    out.sort();
    Ok(out)
}

/// Makes `dir` hold exactly `files` (or, with `check`, only reports what would change).
pub(crate) fn sync_dir(
    dir: &Path,
    files: &smithy_lite_codegen::Files,
    check: bool,
) -> Result<Vec<String>, String> {
    let mut changes = Vec::new();
    for (rel, contents) in files {
        let path = dir.join(rel);
        let current = std::fs::read_to_string(&path).ok();
        if current.as_deref() != Some(contents.as_str()) {
            changes.push(format!(
                "{} ({})",
                path.display(),
                if current.is_none() {
                    "missing"
                } else {
                    "differs"
                }
            ));
            if !check {
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)
                        .map_err(|e| format!("{}: {e}", parent.display()))?;
                }
                std::fs::write(&path, contents).map_err(|e| format!("{}: {e}", path.display()))?;
            }
        }
    }
    for existing in walk(dir) {
        let rel = existing
            .strip_prefix(dir)
            .expect("walked below dir")
            .to_string_lossy()
            .replace('\\', "/");
        if !files.contains_key(&rel) {
            changes.push(format!("{} (not generated any more)", existing.display()));
            if !check {
                std::fs::remove_file(&existing)
                    .map_err(|e| format!("{}: {e}", existing.display()))?;
            }
        }
    }
    Ok(changes)
}

/// Every file below `dir`, except build output.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}
