//! Model files in either form: a JSON AST, or Smithy IDL (`.smithy` files and folders of them,
//! mixed with JSON AST files), read by `smithy_lite_codegen::idl`. `cargo xtask ast` prints the
//! JSON AST of IDL files, as `smithy ast` does.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use smithy_lite_codegen::idl::{self, Options};

pub const AST_USAGE: &str = "\
usage: cargo xtask ast [options] FILE...

Reads Smithy IDL (.smithy) and JSON AST (.json) files, and folders of them, as one model and
prints its JSON AST (Smithy 2.0), as `smithy ast` does.

  --flatten                copy mixins into the shapes that use them and leave the mixins out
                           (what the generator reads)
  --allow-unknown-traits   keep traits whose definition is not among the files (else an error)
  --idl DIR                write the model as IDL 2.0 instead, one NAMESPACE.smithy per
                           namespace in DIR
";

/// The JSON AST text of a model file or folder: a JSON AST file as it is, anything else read
/// as IDL (with the JSON AST files among it) and flattened. Traits whose definition is not
/// among the files (`aws.*`, which Smithy's tools carry built in) are kept, and named on stderr.
pub fn load(path: &Path) -> Result<String, String> {
    let options = Options {
        allow_unknown_traits: true,
    };
    let (json, unknown) =
        idl::model_json(&[path.to_path_buf()], options).map_err(|e| e.to_string())?;
    if !unknown.is_empty() {
        eprintln!(
            "note: {}: traits without a definition among the model files, kept as written: {}",
            path.display(),
            unknown.join(", ")
        );
    }
    Ok(json)
}

/// `cargo xtask ast FILE...`
pub fn ast(args: &[String]) -> Result<ExitCode, String> {
    let mut files = Vec::new();
    let mut flatten = false;
    let mut idl_dir = None;
    let mut options = Options::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--flatten" => flatten = true,
            "--idl" => {
                idl_dir = Some(PathBuf::from(
                    it.next()
                        .ok_or(format!("--idl needs a folder\n\n{AST_USAGE}"))?,
                ))
            }
            "--allow-unknown-traits" => options.allow_unknown_traits = true,
            "-h" | "--help" => {
                print!("{AST_USAGE}");
                return Ok(ExitCode::SUCCESS);
            }
            other if other.starts_with('-') => {
                return Err(format!("unknown option {other:?}\n\n{AST_USAGE}"))
            }
            file => files.push(PathBuf::from(file)),
        }
    }
    if files.is_empty() {
        return Err(format!("no model files given\n\n{AST_USAGE}"));
    }
    let ast = idl::load_paths(&files, options).map_err(|e| e.to_string())?;
    let ast = if flatten { ast.flattened() } else { ast };
    match idl_dir {
        None => print!("{}", ast.to_json()),
        Some(dir) => {
            std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            for (namespace, text) in ast.to_idl() {
                let path = dir.join(format!("{namespace}.smithy"));
                std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
                println!("{}", path.display());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
