//! A reader of the Smithy IDL (2.0, and 1.0 as Smithy upgrades it).
//!
//! `.smithy` files (and JSON AST `.json` files, mixed freely) are read into one model and
//! written out as the JSON AST, so that the rest of the generator has one model type whatever
//! form the model came in:
//!
//! ```no_run
//! let ast = smithy_lite_codegen::idl::parse_files(&[("model.smithy", "$version: \"2\"\n...")])?;
//! println!("{}", ast.to_json()); // what `smithy ast` prints
//! let for_codegen = ast.flattened().to_json(); // mixins copied into the shapes using them
//! # Ok::<(), smithy_lite_codegen::idl::IdlError>(())
//! ```
//!
//! The steps: [`lexer`] and [`parser`] (with [`entities`], [`values`] and [`strings`]) read a `.smithy` file
//! into its definitions ([`defs`]), [`json`] does the same for a JSON AST file, [`assemble`]
//! resolves shape ids across all files, merges traits and metadata and builds the shapes
//! ([`build`], mixins included), [`upgrade`] turns IDL 1.0 into 2.0, [`validate`] refuses what
//! no model may contain, and [`serialize`] writes the JSON AST ([`write`]: the IDL).
//!
//! Errors name the file, line and column and what was expected, in the words of Smithy's own
//! loader; no input makes the reader panic.

mod assemble;
mod build;
mod defs;
mod entities;
mod error;
mod json;
mod lexer;
mod model;
mod node;
mod parser;
mod prelude;
mod serialize;
mod strings;
mod upgrade;
mod validate;
mod values;
mod write;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use assemble::Options;
pub use error::{Diagnostic, IdlError};
use serialize::Layout;

/// An assembled model, ready to be written as a JSON AST.
#[derive(Clone, Debug)]
pub struct Ast {
    model: model::Model,
}

impl Ast {
    /// The JSON AST as `smithy ast` writes it: Smithy 2.0, shapes sorted by id, the prelude
    /// left out, mixins kept (`mixins`, and `apply` for traits added to inherited members).
    pub fn to_json(&self) -> String {
        let mut out = serialize::to_ast(&self.model, false, Layout::Sorted).to_json_pretty();
        out.push('\n');
        out
    }

    /// Like [`Ast::to_json`], with lists of shapes (operations, resources, errors) in the order
    /// the model declares them rather than sorted: what the generator reads (an operation's
    /// errors become error variants in that order, as they do from a JSON AST).
    pub fn to_json_in_model_order(&self) -> String {
        let mut out = serialize::to_ast(&self.model, false, Layout::ModelOrder).to_json_pretty();
        out.push('\n');
        out
    }

    /// The same document as a `serde_json::Value` (whose objects sort their keys: compare
    /// with it, but read [`Ast::to_json`] where member order matters).
    pub fn to_value(&self) -> serde_json::Value {
        serialize::to_ast(&self.model, false, Layout::Sorted).to_value()
    }

    /// Like [`Ast::to_value`], with the `smithy.api` shapes the files define (when one of them
    /// is the prelude itself).
    pub fn to_value_with_prelude(&self) -> serde_json::Value {
        serialize::to_ast(&self.model, true, Layout::Sorted).to_value()
    }

    /// The model with mixins copied into the shapes that use them and the mixin shapes
    /// removed (Smithy's `flattenAndRemoveMixins`).
    pub fn flattened(&self) -> Ast {
        Ast {
            model: serialize::flatten(&self.model),
        }
    }

    /// The model as IDL 2.0: `(namespace, text)`, one file per namespace (a model of several
    /// namespaces is several files), the first with the metadata. Reading the files back gives
    /// the same AST.
    pub fn to_idl(&self) -> Vec<(String, String)> {
        write::to_idl(&self.model)
    }

    /// Traits the model applies but does not define (kept as written, with unknown traits
    /// allowed).
    pub fn unknown_traits(&self) -> Vec<&str> {
        self.model
            .unknown_traits
            .iter()
            .map(String::as_str)
            .collect()
    }

    /// Ids of the shapes the model defines (the prelude's left out), sorted.
    pub fn shape_ids(&self) -> Vec<&str> {
        self.model
            .shapes
            .values()
            .filter(|s| !s.is_prelude())
            .map(|s| s.id.as_str())
            .collect()
    }
}

/// The prelude as the reader knows it: `(shape id, type, "plain" | "trait" | "zero default")`.
pub fn prelude_table() -> Vec<(String, &'static str, &'static str)> {
    prelude::SHAPES
        .iter()
        .map(|(name, kind, role)| {
            let role = match role {
                prelude::Role::Plain => "plain",
                prelude::Role::Trait => "trait",
                prelude::Role::ZeroDefault => "zero default",
            };
            (format!("{}#{name}", prelude::NAMESPACE), kind.name(), role)
        })
        .collect()
}

/// Reads model files given as `(path, text)` into one model. A path ending in `.json` is a JSON
/// AST; anything else is read as IDL.
pub fn parse_files<P: AsRef<str>, T: AsRef<str>>(files: &[(P, T)]) -> Result<Ast, IdlError> {
    parse_files_with(files, Options::default())
}

/// [`parse_files`] with options.
pub fn parse_files_with<P: AsRef<str>, T: AsRef<str>>(
    files: &[(P, T)],
    options: Options,
) -> Result<Ast, IdlError> {
    let mut defs = Vec::with_capacity(files.len());
    for (path, text) in files {
        let path: Arc<str> = Arc::from(path.as_ref());
        let text = text.as_ref();
        let parsed = if path.ends_with(".json") {
            json::parse(path.clone(), text)
        } else {
            parser::parse(path.clone(), text)
        };
        defs.push(parsed.map_err(|d| place(IdlError::one(d), files))?);
    }
    let model = assemble::assemble(defs, options).map_err(|e| place(e, files))?;
    Ok(Ast { model })
}

/// Fills in the position of problems found in JSON AST files (whose shapes are placed by
/// their key only when something is wrong with them).
fn place<P: AsRef<str>, T: AsRef<str>>(mut error: IdlError, files: &[(P, T)]) -> IdlError {
    for d in &mut error.diagnostics {
        if d.line != 0 {
            continue;
        }
        let Some(shape) = &d.shape else { continue };
        let text = files
            .iter()
            .find(|(p, _)| p.as_ref() == d.file)
            .map(|(_, t)| t.as_ref());
        if let Some((line, column)) = text.and_then(|t| json::locate(t, shape)) {
            d.line = line;
            d.column = column;
        }
    }
    error
}

/// The model files a path list names: files as given, folders searched (recursively, in name
/// order) for `.smithy` and `.json` files.
pub fn model_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, IdlError> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            collect_dir(path, &mut out)?;
        } else if path.is_file() {
            out.push(path.clone());
        } else {
            return Err(IdlError::file(
                &path.display().to_string(),
                "no such file or folder",
            ));
        }
    }
    Ok(out)
}

fn collect_dir(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), IdlError> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| IdlError::file(&dir.display().to_string(), e.to_string()))?;
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            collect_dir(&p, out)?;
        } else if p.extension().is_some_and(|x| x == "smithy" || x == "json") {
            out.push(p);
        }
    }
    Ok(())
}

/// Reads model files and folders (`.smithy` and `.json`, mixed) into one model.
pub fn load_paths(paths: &[PathBuf], options: Options) -> Result<Ast, IdlError> {
    let files = model_files(paths)?;
    let mut texts = Vec::with_capacity(files.len());
    for f in &files {
        let text = std::fs::read_to_string(f)
            .map_err(|e| IdlError::file(&f.display().to_string(), e.to_string()))?;
        texts.push((f.display().to_string(), text));
    }
    parse_files_with(&texts, options)
}

/// The JSON AST text of "a model file or folder" for the generator: one JSON AST file is
/// returned as it is; anything else (IDL files, folders, several files) is read, flattened and
/// written with lists in model order. Also returns the traits without a definition.
pub fn model_json(paths: &[PathBuf], options: Options) -> Result<(String, Vec<String>), IdlError> {
    if let [one] = paths {
        if one.is_file() && one.extension().is_some_and(|x| x == "json") {
            return std::fs::read_to_string(one)
                .map(|text| (text, Vec::new()))
                .map_err(|e| IdlError::file(&one.display().to_string(), e.to_string()));
        }
    }
    let ast = load_paths(paths, options)?;
    let unknown = ast.unknown_traits().iter().map(|t| t.to_string()).collect();
    Ok((ast.flattened().to_json_in_model_order(), unknown))
}
