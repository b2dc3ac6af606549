//! `cargo xtask vendor CRATE DIR`: copies a generated crate and the runtime it depends on into
//! `DIR`, side by side, with the crate's runtime dependency pointing at the copy. Several crates
//! vendored into the same `DIR` share one runtime copy.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The folder the runtime is copied to, beside the vendored crates.
pub const RUNTIME_DIR: &str = "smithy-lite-runtime";

const HELP: &str = "\
usage: cargo xtask vendor CRATE [CRATE ...] DIR

Copies generated/CRATE into DIR/CRATE and the runtime crate into DIR/smithy-lite-runtime, and
points the crate's `smithy-lite-runtime` dependency at that copy. A folder already in DIR is
replaced only when it is an earlier vendored copy (a generated manifest, or the runtime's).
Then add `CRATE = { path = \"DIR/CRATE\" }` to your Cargo.toml.
";

pub fn vendor(root: &Path, args: &[String]) -> Result<ExitCode, String> {
    if args.iter().any(|a| a == "-h" || a == "--help") || args.len() < 2 {
        return Err(HELP.to_string());
    }
    let (crates, dir) = args.split_at(args.len() - 1);
    let dir = PathBuf::from(&dir[0]);
    let generated = root.join("generated");
    for name in crates {
        let from = generated.join(name);
        if !from.join("Cargo.toml").is_file() {
            let mut known: Vec<String> = std::fs::read_dir(&generated)
                .map_err(|e| format!("{}: {e}", generated.display()))?
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            known.sort();
            return Err(format!(
                "no generated crate `{name}`; the crates are: {}",
                known.join(", ")
            ));
        }
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;

    let runtime_to = dir.join(RUNTIME_DIR);
    replace_dir(&runtime_to, "name = \"smithy-lite-runtime\"")?;
    copy_file(
        &root.join("runtime/Cargo.toml"),
        &runtime_to.join("Cargo.toml"),
    )?;
    copy_tree(&root.join("runtime/src"), &runtime_to.join("src"))?;
    println!("runtime -> {}", runtime_to.display());

    for name in crates {
        let to = dir.join(name);
        replace_dir(&to, "# @generated")?;
        copy_tree(&generated.join(name), &to)?;
        let manifest = to.join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest)
            .map_err(|e| format!("{}: {e}", manifest.display()))?;
        let rewritten = point_at_runtime_copy(&text)
            .ok_or_else(|| format!("{}: no smithy-lite-runtime path", manifest.display()))?;
        std::fs::write(&manifest, rewritten).map_err(|e| format!("{}: {e}", manifest.display()))?;
        println!("{name} -> {}", to.display());
    }
    let first = &crates[0];
    println!(
        "add to your Cargo.toml: {first} = {{ path = \"{}\" }}",
        dir.join(first).display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The manifest with the runtime dependency's `path` changed to the sibling copy.
pub fn point_at_runtime_copy(manifest: &str) -> Option<String> {
    let mut found = false;
    let mut out = String::new();
    for line in manifest.lines() {
        let rewritten = line
            .starts_with("smithy-lite-runtime = ")
            .then(|| {
                let start = line.find("path = \"")? + "path = \"".len();
                let end = start + line[start..].find('"')?;
                Some(format!(
                    "{}../{RUNTIME_DIR}{}",
                    &line[..start],
                    &line[end..]
                ))
            })
            .flatten();
        found |= rewritten.is_some();
        out.push_str(rewritten.as_deref().unwrap_or(line));
        out.push('\n');
    }
    found.then_some(out)
}

/// Removes `dir` if it is an earlier vendored copy (its manifest contains `marker`); refuses to
/// touch anything else.
fn replace_dir(dir: &Path, marker: &str) -> Result<(), String> {
    if !dir.exists() {
        return Ok(());
    }
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap_or_default();
    if !manifest.contains(marker) {
        return Err(format!(
            "{} exists and is not a vendored copy; remove it or choose another folder",
            dir.display()
        ));
    }
    std::fs::remove_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))
}

fn copy_file(from: &Path, to: &Path) -> Result<(), String> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("{} -> {}: {e}", from.display(), to.display()))
}

/// Copies a folder, leaving out build output (`target/`).
fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| format!("{}: {e}", from.display()))?;
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if src.is_dir() {
            if entry.file_name() != "target" {
                copy_tree(&src, &dst)?;
            }
        } else {
            copy_file(&src, &dst)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_only_the_runtime_path() {
        let m = "[dependencies]\nsmithy-lite-runtime = { version = \"0.1.0\", path = \"../../runtime\", default-features = false }\nserde_json = \"1\"\n";
        assert_eq!(
            point_at_runtime_copy(m).unwrap(),
            "[dependencies]\nsmithy-lite-runtime = { version = \"0.1.0\", path = \"../smithy-lite-runtime\", default-features = false }\nserde_json = \"1\"\n"
        );
        assert_eq!(point_at_runtime_copy("[dependencies]\n"), None);
    }
}
