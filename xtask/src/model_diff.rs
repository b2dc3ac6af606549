//! `cargo xtask diff` and `cargo xtask update`: reviewing and making model updates.
//!
//! `diff` compares two models with `smithy_lite_codegen::diff` (every change classified as
//! breaking, dangerous, compatible or documentation, with its effect on the generated Rust
//! API). `update` moves a pin to a new model file, regenerates, runs the wire snapshot tests
//! and prints the diff and what to review.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use smithy_lite_codegen::diff::{Report, Severity};

use crate::pins::{self, Manifest, ModelSource, Pin};

pub const USAGE: &str = "\
usage: cargo xtask diff OLD NEW [options]
       cargo xtask diff --base REV [options]

Compares two Smithy models (JSON AST, or IDL files or folders) and lists every change, classified like smithy-diff
(breaking, dangerous, compatible, documentation), with its effect on the generated Rust API.

  OLD NEW               two model files
  --base REV            OLD is each model pinned in model/models.toml at git revision REV
                        (its file is taken by sha256 from the mirror or .model-cache/), NEW
                        is the model pinned now
  --fetch               with --base: download an old pinned file that is not local
  --service ID          the service shape to compare (default: the one pinned for the model,
                        or the model's only service)
  --format text|markdown
                        text for a terminal (default), markdown for a pull request comment
  --deny breaking|dangerous
                        exit non-zero when there is a breaking change (dangerous: a
                        dangerous or breaking one)
  --mirror DIR          where model files are (default: $KVS_MODEL_MIRROR)
";

pub const UPDATE_USAGE: &str = "\
usage: cargo xtask update NEWFILE [options]

Moves the pin of a model to NEWFILE: copies it into .model-cache/ (the file it replaces is
kept in .model-cache/by-sha256/), writes its sha256 into model/models.toml, regenerates
generated/, runs the wire snapshot tests (cargo test -p wire-tests) and prints the model diff
and what to review.

  --model FILE          the pinned model to move (its `file` or `service`; default: the only one)
  --commit REV          the commit of the model's repository NEWFILE comes from
  --path PATH           its path in that repository, if it moved
  --no-test             do not run the snapshot tests
  --mirror DIR          where the other pinned files are (default: $KVS_MODEL_MIRROR)
";

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Text,
    Markdown,
}

struct DiffArgs {
    files: Vec<PathBuf>,
    base: Option<String>,
    fetch: bool,
    service: Option<String>,
    format: Format,
    deny: Option<Severity>,
    mirror: Option<PathBuf>,
}

fn value<'a>(it: &mut impl Iterator<Item = &'a String>, flag: &str) -> Result<String, String> {
    it.next()
        .cloned()
        .ok_or_else(|| format!("{flag} needs a value\n\n{USAGE}"))
}

fn parse_diff_args(args: &[String]) -> Result<DiffArgs, String> {
    let mut out = DiffArgs {
        files: Vec::new(),
        base: None,
        fetch: false,
        service: None,
        format: Format::Text,
        deny: None,
        mirror: std::env::var_os("KVS_MODEL_MIRROR").map(PathBuf::from),
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--base" => out.base = Some(value(&mut it, a)?),
            "--fetch" => out.fetch = true,
            "--service" => out.service = Some(value(&mut it, a)?),
            "--format" => {
                out.format = match value(&mut it, a)?.as_str() {
                    "text" => Format::Text,
                    "markdown" | "md" => Format::Markdown,
                    other => return Err(format!("--format {other:?}: expected text or markdown")),
                }
            }
            "--deny" => {
                out.deny = Some(match value(&mut it, a)?.as_str() {
                    "breaking" => Severity::Breaking,
                    "dangerous" => Severity::Dangerous,
                    other => {
                        return Err(format!("--deny {other:?}: expected breaking or dangerous"))
                    }
                })
            }
            "--mirror" => out.mirror = Some(PathBuf::from(value(&mut it, a)?)),
            "-h" | "--help" => return Err(USAGE.to_string()),
            other if !other.starts_with('-') => out.files.push(PathBuf::from(other)),
            other => return Err(format!("unexpected argument {other:?}\n\n{USAGE}")),
        }
    }
    match (&out.base, out.files.len()) {
        (None, 2) | (Some(_), 0) => Ok(out),
        (Some(_), _) => Err(format!(
            "--base takes no model files: NEW is the pinned model\n\n{USAGE}"
        )),
        (None, _) => Err(format!("expected OLD and NEW model files\n\n{USAGE}")),
    }
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// A model file (JSON AST or IDL) or folder, as JSON AST text.
fn read_model(path: &Path) -> Result<String, String> {
    crate::model_file::load(path)
}

/// Parses and lowers a model; `service` is the shape to lower, or `None` to pick one.
fn lower(
    text: &str,
    origin: &str,
    service: Option<&str>,
) -> Result<smithy_lite_codegen::ir::Service, String> {
    let model =
        smithy_lite_codegen::model::Model::from_json(text).map_err(|e| format!("{origin}: {e}"))?;
    smithy_lite_codegen::lower::lower(&model, service).map_err(|e| format!("{origin}: {e}"))
}

/// The service to compare in a model file: `--service`, else the service of a pin that the
/// model holds, else `None` (the model's only service).
fn service_of(text: &str, explicit: Option<&str>, manifest: Option<&Manifest>) -> Option<String> {
    if let Some(s) = explicit {
        return Some(s.to_string());
    }
    let model = smithy_lite_codegen::model::Model::from_json(text).ok()?;
    manifest?.model.iter().map(|p| p.service.clone()).find(|s| {
        model
            .shapes
            .contains_key(&smithy_lite_codegen::model::ShapeId::new(s.clone()))
    })
}

fn print_report(report: &Report, format: Format) {
    match format {
        Format::Text => print!("{}", report.to_text()),
        Format::Markdown => {
            print!("{}", report.to_markdown());
            // The summary goes to stderr so that stdout is the comment alone.
            eprintln!("{}: {}", report.service, report.summary());
        }
    }
}

fn verdict(reports: &[Report], deny: Option<Severity>) -> ExitCode {
    let Some(level) = deny else {
        return ExitCode::SUCCESS;
    };
    let worst: usize = reports
        .iter()
        .map(|r| r.changes.iter().filter(|c| c.severity <= level).count())
        .sum();
    if worst == 0 {
        return ExitCode::SUCCESS;
    }
    let what = match level {
        Severity::Breaking => "breaking",
        _ => "breaking or dangerous",
    };
    eprintln!(
        "error: {worst} {what} change{} (--deny {})",
        if worst == 1 { "" } else { "s" },
        level.label()
    );
    ExitCode::FAILURE
}

/// `cargo xtask diff`.
pub fn diff(root: &Path, args: &[String]) -> Result<ExitCode, String> {
    let args = parse_diff_args(args)?;
    let manifest = pins::load(&root.join("model/models.toml")).ok();
    let mut reports = Vec::new();
    match &args.base {
        None => {
            let (old_path, new_path) = (&args.files[0], &args.files[1]);
            let (old_text, new_text) = (read_model(old_path)?, read_model(new_path)?);
            let service = service_of(&new_text, args.service.as_deref(), manifest.as_ref());
            let old = lower(
                &old_text,
                &old_path.display().to_string(),
                service.as_deref(),
            )?;
            let new = lower(
                &new_text,
                &new_path.display().to_string(),
                service.as_deref(),
            )?;
            reports.push(smithy_lite_codegen::diff::diff(&old, &new));
        }
        Some(rev) => {
            let manifest = manifest.ok_or("model/models.toml cannot be read")?;
            let source = ModelSource::new(root, args.mirror.clone());
            for (old_pin, new_pin) in pins_at(root, rev, &manifest)? {
                let old_path = old_model(&source, rev, &old_pin, args.fetch)?;
                let new_path = source.get(new_pin)?;
                let service = args.service.as_deref().unwrap_or(&new_pin.service);
                let old = lower(
                    &read_model(&old_path)?,
                    &format!("{} at {rev}", old_pin.file),
                    Some(service),
                )?;
                let new = lower(&read_model(&new_path)?, &new_pin.file, Some(service))?;
                reports.push(smithy_lite_codegen::diff::diff(&old, &new));
            }
        }
    }
    for (i, r) in reports.iter().enumerate() {
        if i > 0 {
            println!();
        }
        print_report(r, args.format);
    }
    if reports.len() > 1 {
        let total = |s: Severity| reports.iter().map(|r| r.count(s)).sum::<usize>();
        let counts: Vec<String> = Severity::ALL
            .iter()
            .map(|s| format!("{} {}", total(*s), s.label()))
            .collect();
        eprintln!("all models: {}", counts.join(", "));
    }
    Ok(verdict(&reports, args.deny))
}

/// The pins of `model/models.toml` at `rev`, paired with the current ones (by service, else
/// by file). Current models that `rev` did not pin are reported and skipped.
fn pins_at<'m>(
    root: &Path,
    rev: &str,
    manifest: &'m Manifest,
) -> Result<Vec<(Pin, &'m Pin)>, String> {
    let output = Command::new("git")
        .current_dir(root)
        .args(["show", &format!("{rev}:model/models.toml")])
        .output()
        .map_err(|e| format!("running git: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "git show {rev}:model/models.toml failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let old = pins::parse(&text, &format!("{rev}:model/models.toml"))?;
    let mut pairs = Vec::new();
    for pin in &manifest.model {
        let found = old
            .model
            .iter()
            .find(|o| o.service == pin.service)
            .or_else(|| old.model.iter().find(|o| o.file == pin.file));
        match found {
            Some(o) => pairs.push((o.clone(), pin)),
            None => eprintln!(
                "note: {} ({}) is not pinned at {rev}; nothing to compare it with",
                pin.file, pin.service
            ),
        }
    }
    Ok(pairs)
}

/// The file of a pin of another revision, by sha256.
fn old_model(source: &ModelSource, rev: &str, pin: &Pin, fetch: bool) -> Result<PathBuf, String> {
    if let Some(p) = source.find_local(pin) {
        return Ok(p);
    }
    if fetch {
        return source.download_by_sha(pin);
    }
    let places = match source.mirror() {
        Some(m) => format!(
            "the mirror {} and {}",
            m.display(),
            source.cache_dir().display()
        ),
        None => format!("{} (no mirror is set)", source.cache_dir().display()),
    };
    Err(format!(
        "the model pinned at {rev} ({}, sha256 {}) is not available locally: no file in {places} has that sha256.\n  \
         Pass --fetch to download it from {}, or put the file at {}\n  \
         (`cargo xtask update` keeps every file it moves a pin away from there).",
        pin.file,
        pin.sha256,
        pin.url(),
        source.by_sha_path(&pin.sha256).display()
    ))
}

// ------------------------------------------------------------------------------------ update

struct UpdateArgs {
    file: PathBuf,
    model: Option<String>,
    commit: Option<String>,
    path: Option<String>,
    test: bool,
    mirror: Option<PathBuf>,
}

fn parse_update_args(args: &[String]) -> Result<UpdateArgs, String> {
    let mut file = None;
    let mut out = UpdateArgs {
        file: PathBuf::new(),
        model: None,
        commit: None,
        path: None,
        test: true,
        mirror: std::env::var_os("KVS_MODEL_MIRROR").map(PathBuf::from),
    };
    let mut it = args.iter();
    let need = |it: &mut std::slice::Iter<'_, String>, flag: &str| {
        it.next()
            .cloned()
            .ok_or_else(|| format!("{flag} needs a value\n\n{UPDATE_USAGE}"))
    };
    while let Some(a) = it.next() {
        match a.as_str() {
            "--model" => out.model = Some(need(&mut it, a)?),
            "--commit" => out.commit = Some(need(&mut it, a)?),
            "--path" => out.path = Some(need(&mut it, a)?),
            "--no-test" => out.test = false,
            "--mirror" => out.mirror = Some(PathBuf::from(need(&mut it, a)?)),
            "-h" | "--help" => return Err(UPDATE_USAGE.to_string()),
            other if file.is_none() && !other.starts_with('-') => file = Some(PathBuf::from(other)),
            other => return Err(format!("unexpected argument {other:?}\n\n{UPDATE_USAGE}")),
        }
    }
    out.file = file.ok_or_else(|| UPDATE_USAGE.to_string())?;
    Ok(out)
}

/// `model/models.toml` with the `[[model]]` entry of `file` moved: each `(key, value)` of
/// `set` replaces that key's line in the entry. Comments and layout are kept.
pub fn move_pin(text: &str, file: &str, set: &[(&str, &str)]) -> Result<String, String> {
    let lines: Vec<&str> = text.lines().collect();
    let header = |l: &str| l.trim_start().starts_with('[');
    let mut start = None;
    for (i, l) in lines.iter().enumerate() {
        if l.trim() == "[[model]]" {
            let end = lines[i + 1..]
                .iter()
                .position(|l| header(l))
                .map_or(lines.len(), |p| i + 1 + p);
            let is_it = lines[i + 1..end].iter().any(|l| {
                l.split_once('=')
                    .is_some_and(|(k, v)| k.trim() == "file" && v.trim().trim_matches('"') == file)
            });
            if is_it {
                start = Some((i, end));
                break;
            }
        }
    }
    let (start, end) =
        start.ok_or_else(|| format!("model/models.toml has no [[model]] with file = {file:?}"))?;
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    for (key, value) in set {
        let line = (start + 1..end)
            .find(|&i| {
                lines[i]
                    .split_once('=')
                    .is_some_and(|(k, _)| k.trim() == *key)
            })
            .ok_or_else(|| format!("the [[model]] entry of {file} has no `{key}`"))?;
        out[line] = format!("{key} = {}", toml_string(value));
    }
    let mut joined = out.join("\n");
    if text.ends_with('\n') {
        joined.push('\n');
    }
    Ok(joined)
}

fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `cargo xtask update`.
pub fn update(root: &Path, args: &[String]) -> Result<ExitCode, String> {
    let args = parse_update_args(args)?;
    let manifest_path = root.join("model/models.toml");
    let manifest = pins::load(&manifest_path)?;
    let pin = match &args.model {
        Some(m) => manifest
            .model
            .iter()
            .find(|p| &p.file == m || &p.service == m)
            .ok_or_else(|| format!("model/models.toml pins no model {m:?}"))?,
        None => match manifest.model.as_slice() {
            [one] => one,
            many => {
                return Err(format!(
                    "several models are pinned; name one with --model ({})",
                    many.iter()
                        .map(|p| p.file.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            }
        },
    };
    if let Some(c) = &args.commit {
        // The file headers name the model by the first 12 characters of its commit.
        if c.len() < 12 {
            return Err(format!(
                "--commit {c:?}: give the full commit sha of {} (at least 12 characters)",
                pin.repository
            ));
        }
    }
    let source = ModelSource::new(root, args.mirror.clone());

    // Check the new file before anything changes.
    let new_bytes =
        std::fs::read(&args.file).map_err(|e| format!("{}: {e}", args.file.display()))?;
    let new_sha = pins::sha256_hex(&new_bytes);
    let new_text = read_model(&args.file)?;
    let new_service = lower(
        &new_text,
        &args.file.display().to_string(),
        Some(&pin.service),
    )?;
    if new_sha == pin.sha256 && args.commit.is_none() && args.path.is_none() {
        println!(
            "{} is already pinned ({new_sha}); nothing to do",
            args.file.display()
        );
        return Ok(ExitCode::SUCCESS);
    }

    // The model it replaces: kept by sha256 for `diff --base`, and compared below.
    let old_service = match source.get(pin) {
        Ok(path) => {
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            source.keep(&bytes)?;
            Some(lower(&read_model(&path)?, &pin.file, Some(&pin.service))?)
        }
        Err(e) => {
            eprintln!(
                "warning: the currently pinned model is not available, so there is no diff: {e}"
            );
            None
        }
    };

    // Move the pin.
    source.keep(&new_bytes)?;
    let cached = source.cache_dir().join(&pin.file);
    std::fs::write(&cached, &new_bytes).map_err(|e| format!("{}: {e}", cached.display()))?;
    let mut set: Vec<(&str, &str)> = vec![("sha256", new_sha.as_str())];
    if let Some(c) = &args.commit {
        set.push(("commit", c));
    }
    if let Some(p) = &args.path {
        set.push(("path", p));
    }
    let text = read(&manifest_path)?;
    let moved = move_pin(&text, &pin.file, &set)?;
    std::fs::write(&manifest_path, moved)
        .map_err(|e| format!("{}: {e}", manifest_path.display()))?;
    println!(
        "model/models.toml: {} now pins sha256 {new_sha}{} (copied to {})",
        pin.file,
        args.commit
            .as_deref()
            .map(|c| format!(" at commit {c}"))
            .unwrap_or_default(),
        cached.display()
    );
    if args.commit.is_none() {
        println!(
            "  the `commit` field still names the old commit: pass --commit, or edit it by hand"
        );
    }

    // Regenerate.
    let manifest = pins::load(&manifest_path)?;
    crate::codegen(root, &manifest, &source, args.mirror.as_deref(), false)?;

    // The snapshot tests.
    let tests_ok = if args.test {
        let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        cmd.current_dir(root).args(["test", "-p", "wire-tests"]);
        match &args.mirror {
            Some(m) => {
                cmd.env("KVS_MODEL_MIRROR", m);
            }
            None => {
                let default_mirror = root.join("../shared/models");
                if std::env::var_os("KVS_MODEL_MIRROR").is_none() && default_mirror.is_dir() {
                    cmd.env("KVS_MODEL_MIRROR", default_mirror);
                }
            }
        }
        println!("\nrunning {cmd:?}");
        let status = cmd
            .status()
            .map_err(|e| format!("running cargo test: {e}"))?;
        Some(status.success())
    } else {
        None
    };

    // The diff and what to review.
    let crate_dir = format!("generated/{}", new_service.crate_name);
    println!();
    if let Some(old) = &old_service {
        let report = smithy_lite_codegen::diff::diff(old, &new_service);
        print!("{}", report.to_text());
    }
    println!("\nTo review:");
    let mut n = 0;
    let mut step = |s: String| {
        n += 1;
        println!("  {n}. {s}");
    };
    if old_service.is_some() {
        step("the model diff above: every breaking and dangerous change needs a decision (a version bump, a note for users); `cargo xtask diff --base HEAD --format markdown` prints it for the pull request".into());
    }
    step(format!(
        "the public API change: `git diff {crate_dir}/API.md`"
    ));
    step(format!(
        "the generated code: `git diff --stat generated/` (and `git diff {crate_dir}/src`)"
    ));
    match tests_ok {
        Some(true) => step("the wire snapshot tests pass: no request or response changed".into()),
        Some(false) => step("the wire snapshot tests fail (output above). If they do not compile, they use API the update removed (see the breaking changes): adapt them. Then review the changed snapshots with `cargo insta review` (cargo-insta), or read the `.snap.new` files next to the snapshots and accept them with `INSTA_UPDATE=always cargo test -p wire-tests`".into()),
        None => step("the wire snapshot tests were not run: `cargo test -p wire-tests`, then `cargo insta review`".into()),
    }
    step("model/models.toml: the pin's commit and path name where the file came from".into());
    step("then the whole suite: `cargo xtask test`".into());
    if tests_ok == Some(false) {
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::move_pin;

    const MANIFEST: &str = "# comment\n\n[[model]]\nfile = \"a.json\"\nservice = \"ns#A\"\ncommit = \"111\"\nsha256 = \"aaa\"\n\n[[model]]\nfile = \"b.json\"\ncommit = \"222\"\nsha256 = \"bbb\"\n\n[[data]]\nfile = \"p.json\"\nsha256 = \"ppp\"\n";

    #[test]
    fn moves_only_the_named_pin() {
        let moved = move_pin(MANIFEST, "b.json", &[("sha256", "new"), ("commit", "333")]).unwrap();
        assert_eq!(
            moved,
            MANIFEST
                .replace("sha256 = \"bbb\"", "sha256 = \"new\"")
                .replace("commit = \"222\"", "commit = \"333\"")
        );
        assert!(move_pin(MANIFEST, "c.json", &[("sha256", "x")]).is_err());
        assert!(move_pin(MANIFEST, "b.json", &[("path", "x")]).is_err());
    }
}
