//! `cargo xtask corpus`: every model of a folder of Smithy JSON AST files (by default the 82
//! restJson1 models of `../shared/corpus/restjson1`) generated, built and held against botocore.
//!
//! 1. **generate**: each model is lowered and emitted into a scratch workspace (under the
//!    target folder, never committed), timed; a refusal is reported with its message.
//! 2. **build**: one scratch workspace holds every generated crate and a driver crate that links
//!    them all; `cargo build` runs twice over it in one shared target folder: once without
//!    default features (the sans-I/O layer of every crate), once with them (the clients, and the
//!    driver), both with `-D warnings`.
//! 3. **agree**: per model, the botocore oracle makes random valid params and responses for every
//!    operation (`--cases` seeds each); the driver builds and signs our request for the params
//!    (fixed time, credentials and invocation id) and parses the oracle's response; botocore
//!    signs our body bytes; requests are compared on method, URL, headers, body (JSON as JSON)
//!    and `Authorization`, responses on what botocore parses.
//!
//! One line per model, then a summary with the time of each phase.

mod agree;
mod compare;
mod driver;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use crate::pins::{self, ModelSource};

const USAGE: &str = "\
usage: cargo xtask corpus [DIR] [options]

Generates every model (*.json) of DIR (default: $KVS_MODEL_MIRROR/../corpus/restjson1, else
../shared/corpus/restjson1) into a scratch workspace under the target folder, builds every
crate with and without the client, and compares each operation with botocore.

options:
  --only NAME,..        only these models (file names without .json, or their prefix
                        before the date: `sso`, `sso-2019-06-10`)
  --jobs N              oracle processes run at once (default: the number of CPUs)
  --no-build            generate only (implies --no-agree)
  --no-agree            generate and build, no botocore comparison
  --cases N             random cases per operation (default 5)
  --python PATH         a Python with botocore==1.37.26 (default: $KVS_CORPUS_PYTHON, else
                        a venv next to the scratch folder, created on first use)
  --scratch DIR         the scratch workspace (default: <target>/corpus)
  --verbose             print every disagreement, not only the first per model
";

/// The botocore release of the same week as the corpus models (see the corpus README).
pub const BOTOCORE_VERSION: &str = "1.37.26";

pub struct Options {
    pub dir: PathBuf,
    pub only: Vec<String>,
    pub jobs: usize,
    pub build: bool,
    pub agree: bool,
    pub cases: u32,
    pub python: Option<PathBuf>,
    pub scratch: PathBuf,
    pub verbose: bool,
}

fn parse_args(root: &Path, args: &[String]) -> Result<Options, String> {
    let mut dir = None;
    let mut only = Vec::new();
    let mut jobs = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut build = true;
    let mut agree = true;
    let mut cases = 5;
    // Not KVS_PYTHON: that one has the botocore the Kinesis Video fixtures are recorded with.
    let mut python = std::env::var_os("KVS_CORPUS_PYTHON").map(PathBuf::from);
    let mut scratch = None;
    let mut verbose = false;
    let mut it = args.iter();
    let value = |it: &mut std::slice::Iter<String>, flag: &str| {
        it.next()
            .cloned()
            .ok_or_else(|| format!("{flag} needs a value\n\n{USAGE}"))
    };
    while let Some(a) = it.next() {
        match a.as_str() {
            "--only" => only.extend(
                value(&mut it, a)?
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned),
            ),
            "--jobs" => {
                jobs = value(&mut it, a)?
                    .parse::<usize>()
                    .map_err(|e| format!("--jobs: {e}"))?
                    .max(1)
            }
            "--cases" => {
                cases = value(&mut it, a)?
                    .parse::<u32>()
                    .map_err(|e| format!("--cases: {e}"))?
                    .max(1)
            }
            "--no-build" => {
                build = false;
                agree = false;
            }
            "--no-agree" => agree = false,
            "--python" => python = Some(PathBuf::from(value(&mut it, a)?)),
            "--scratch" => scratch = Some(PathBuf::from(value(&mut it, a)?)),
            "--verbose" => verbose = true,
            "-h" | "--help" => return Err(USAGE.to_string()),
            other if dir.is_none() && !other.starts_with('-') => dir = Some(PathBuf::from(other)),
            other => return Err(format!("unexpected argument {other:?}\n\n{USAGE}")),
        }
    }
    let dir = match dir {
        Some(d) => d,
        None => default_corpus_dir(root),
    };
    let scratch = scratch.unwrap_or_else(|| target_dir(root).join("corpus"));
    Ok(Options {
        dir,
        only,
        jobs,
        build,
        agree,
        cases,
        python,
        scratch,
        verbose,
    })
}

/// `$KVS_MODEL_MIRROR/../corpus/restjson1`, else `../shared/corpus/restjson1`.
pub fn default_corpus_dir(root: &Path) -> PathBuf {
    let mirror = match std::env::var_os("KVS_MODEL_MIRROR") {
        Some(m) if !m.is_empty() => root.join(m),
        _ => root.join("../shared/models"),
    };
    mirror
        .parent()
        .map_or_else(|| PathBuf::from("corpus"), Path::to_path_buf)
        .join("corpus/restjson1")
}

/// `$CARGO_TARGET_DIR`, else `<root>/target`.
fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) if !d.is_empty() => root.join(d),
        _ => root.join("target"),
    }
}

/// One model of the corpus and what became of it.
pub struct Model {
    /// The file name without `.json` (`sso-2019-06-10`).
    pub name: String,
    pub generated: Result<Generated, String>,
    pub generate_time: Duration,
    /// `None` until built; `Err` holds the first compiler error.
    pub build: Option<Result<(), String>>,
    pub agreement: Option<agree::Outcome>,
}

pub struct Generated {
    pub service: smithy_lite_codegen::ir::Service,
    pub files: usize,
}

impl Model {
    pub fn service(&self) -> Option<&smithy_lite_codegen::ir::Service> {
        self.generated.as_ref().ok().map(|g| &g.service)
    }
}

/// The model files of `dir` (sorted), narrowed to `only`.
fn model_files(dir: &Path, only: &[String]) -> Result<Vec<(String, PathBuf)>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        format!(
            "{}: {e} (the corpus folder: pass DIR or set KVS_MODEL_MIRROR)",
            dir.display()
        )
    })?;
    let mut files: Vec<(String, PathBuf)> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
        .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    files.sort();
    if !only.is_empty() {
        let unknown: Vec<&String> = only
            .iter()
            .filter(|o| !files.iter().any(|(n, _)| matches_only(n, o)))
            .collect();
        if !unknown.is_empty() {
            return Err(format!(
                "--only: no model named {unknown:?} in {}",
                dir.display()
            ));
        }
        files.retain(|(n, _)| only.iter().any(|o| matches_only(n, o)));
    }
    if files.is_empty() {
        return Err(format!("no *.json model in {}", dir.display()));
    }
    Ok(files)
}

/// `sso` names `sso-2019-06-10` (the part before the date), and so does the full name.
fn matches_only(file: &str, wanted: &str) -> bool {
    file == wanted || service_part(file) == wanted
}

/// `sso-oidc-2019-06-10` → `sso-oidc`: the name without its `-YYYY-MM-DD` version.
pub fn service_part(file: &str) -> &str {
    let parts: Vec<&str> = file.rsplitn(4, '-').collect();
    let is_date = parts.len() == 4
        && parts[0].len() == 2
        && parts[1].len() == 2
        && parts[2].len() == 4
        && parts[..3]
            .iter()
            .all(|p| p.chars().all(|c| c.is_ascii_digit()));
    if is_date {
        parts[3]
    } else {
        file
    }
}

/// The generator's options for a corpus model: no endpoint test overrides, no helpers.
fn crate_options(file: &str, partitions_json: &str) -> smithy_lite_codegen::CrateOptions {
    smithy_lite_codegen::CrateOptions {
        version: "0.0.0".into(),
        model_source: format!("{file}.json (corpus)"),
        partitions_json: partitions_json.to_string(),
        endpoint_test_overrides: Vec::new(),
        data_endpoint: None,
        // The scratch crates live under the target folder: the workspace's runtime, by its
        // absolute path.
        runtime_path: format!("{}/../runtime", env!("CARGO_MANIFEST_DIR")),
        wire: Default::default(),
    }
}

fn partitions(root: &Path) -> Result<String, String> {
    let manifest = pins::load(&root.join("model/models.toml"))?;
    let mirror = std::env::var_os("KVS_MODEL_MIRROR")
        .filter(|m| !m.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            let d = root.join("../shared/models");
            d.is_dir().then_some(d)
        });
    let source = ModelSource::new(root, mirror);
    let path = source.get(manifest.data("partitions.json")?)?;
    std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Phase 1: every model generated into `<scratch>/crates/<crate>/`, `jobs` models at a time.
fn generate_all(
    files: &[(String, PathBuf)],
    partitions_json: &str,
    crates_dir: &Path,
    jobs: usize,
) -> Result<Vec<Model>, String> {
    type Generation =
        Result<(smithy_lite_codegen::ir::Service, smithy_lite_codegen::Files), String>;
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<std::sync::Mutex<Option<(Generation, Duration)>>> =
        files.iter().map(|_| std::sync::Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..jobs.min(files.len()) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some((name, path)) = files.get(i) else {
                    break;
                };
                let started = Instant::now();
                let result = std::fs::read_to_string(path)
                    .map_err(|e| format!("{}: {e}", path.display()))
                    .and_then(|text| {
                        smithy_lite_codegen::generate(
                            &text,
                            None,
                            &crate_options(name, partitions_json),
                        )
                        .map_err(|e| e.to_string())
                    });
                *results[i].lock().unwrap() = Some((result, started.elapsed()));
            });
        }
    });
    let mut out = Vec::new();
    let mut crate_names: BTreeMap<String, String> = BTreeMap::new();
    for ((name, _), slot) in files.iter().zip(results) {
        let (result, generate_time) = slot.into_inner().unwrap().expect("every model was run");
        let generated = match result {
            Err(e) => Err(e),
            Ok((service, files)) => {
                if let Some(other) = crate_names.insert(service.crate_name.clone(), name.clone()) {
                    return Err(format!(
                        "{name} and {other} both generate the crate {}",
                        service.crate_name
                    ));
                }
                let dir = crates_dir.join(&service.crate_name);
                crate::sync_dir(&dir, &files, false)?;
                Ok(Generated {
                    files: files.len(),
                    service,
                })
            }
        };
        out.push(Model {
            name: name.clone(),
            generated,
            generate_time,
            build: None,
            agreement: None,
        });
    }
    Ok(out)
}

pub fn corpus(root: &Path, args: &[String]) -> Result<ExitCode, String> {
    let opts = parse_args(root, args)?;
    let started = Instant::now();
    let files = model_files(&opts.dir, &opts.only)?;
    let partitions_json = partitions(root)?;
    let crates_dir = opts.scratch.join("crates");
    std::fs::create_dir_all(&crates_dir).map_err(|e| format!("{}: {e}", crates_dir.display()))?;

    println!(
        "corpus: {} models from {} -> {}",
        files.len(),
        opts.dir.display(),
        opts.scratch.display()
    );
    let mut models = generate_all(&files, &partitions_json, &crates_dir, opts.jobs)?;
    let generate_wall = started.elapsed();
    let generate_cpu: Duration = models.iter().map(|m| m.generate_time).sum();

    let mut phases = vec![("generate", generate_wall)];
    if opts.build {
        let t = Instant::now();
        driver::build_all(root, &opts, &mut models)?;
        phases.push(("build", t.elapsed()));
    }
    if opts.agree {
        let t = Instant::now();
        agree::agree_all(root, &opts, &mut models)?;
        phases.push(("agree", t.elapsed()));
    }
    report(&opts, &models, generate_cpu, &phases, started.elapsed());
    let failed = models.iter().any(|m| {
        m.generated.is_err()
            || matches!(m.build, Some(Err(_)))
            || m.agreement.as_ref().is_some_and(|a| !a.all_agree())
    });
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn report(
    opts: &Options,
    models: &[Model],
    generate_cpu: Duration,
    phases: &[(&str, Duration)],
    total: Duration,
) {
    println!();
    let width = models.iter().map(|m| m.name.len()).max().unwrap_or(10);
    for m in models {
        let mut line = format!("{:width$}  ", m.name);
        match &m.generated {
            Err(e) => {
                line.push_str(&format!("REFUSED: {e}"));
                println!("{line}");
                continue;
            }
            Ok(g) => line.push_str(&format!(
                "generated ({} ops, {} files, {:.0?})",
                g.service.operations.len(),
                g.files,
                m.generate_time
            )),
        }
        match &m.build {
            None => {}
            Some(Ok(())) => line.push_str(" | builds"),
            Some(Err(e)) => line.push_str(&format!(" | BUILD FAILED: {e}")),
        }
        if let Some(a) = &m.agreement {
            line.push_str(&format!(" | {}", a.summary()));
        }
        println!("{line}");
        if let Ok(g) = &m.generated {
            for note in &g.service.notes {
                println!("{:width$}    note: {note}", "");
            }
        }
        if let Some(a) = &m.agreement {
            for d in a.details(opts.verbose) {
                println!("{:width$}    {d}", "");
            }
        }
    }
    println!();
    let n = models.len();
    let generated = models.iter().filter(|m| m.generated.is_ok()).count();
    println!(
        "summary: {generated}/{n} generated ({:.2?} in the generator, summed over models; {:.2?} wall with the files written)",
        generate_cpu, phases[0].1
    );
    let noted: Vec<&str> = models
        .iter()
        .filter(|m| {
            m.generated
                .as_ref()
                .is_ok_and(|g| !g.service.notes.is_empty())
        })
        .map(|m| m.name.as_str())
        .collect();
    if !noted.is_empty() {
        println!("generated with notes (see each model's line): {noted:?}");
    }
    let refused: Vec<&Model> = models.iter().filter(|m| m.generated.is_err()).collect();
    if !refused.is_empty() {
        println!("refused:");
        for m in refused {
            println!("  {}: {}", m.name, m.generated.as_ref().err().unwrap());
        }
    }
    if opts.build {
        let built = models
            .iter()
            .filter(|m| matches!(m.build, Some(Ok(()))))
            .count();
        println!("summary: {built}/{generated} build (sans-I/O and client, -D warnings)");
    }
    if opts.agree {
        agree::summary(models);
    }
    let phases: Vec<String> = phases
        .iter()
        .map(|(p, d)| format!("{p} {:.1?}", d))
        .collect();
    println!("time: {} (total {:.1?})", phases.join(", "), total);
}
