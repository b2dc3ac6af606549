//! The IDL reader never panics: every model of Smithy's loader tests and protocol tests
//! (`$KVS_MODEL_MIRROR/../smithy`), and a set of models written here, are cut short, have
//! characters removed, replaced and inserted at many positions, and tokens swapped; each
//! variant must be read or refused with an error, never panic. A built-in corpus keeps the test
//! meaningful without the data (with `CI` set, the data must be there).
//!
//! For longer runs: `cargo fuzz run parse_idl` in `codegen/fuzz` (see its README).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use smithy_lite_codegen::idl;

const BUILT_IN: &[&str] = &[
    r#"$version: "2"
$operationInputSuffix: "Request"
metadata a = [1, 2.5e3, true, null, {b: "c"}]
namespace ex.ns
use smithy.api#String

/// Docs
@mixin(localTraits: [internal])
@internal
structure Base for Res {
    $id
    @required
    name: String = "x"
}

resource Res { identifiers: { id: String }, properties: { name: String }, read: Get }

@readonly
operation Get with [OpMixin] {
    input := for Res with [Base] { @httpLabel $id }
    output := {
        value: Value = "a"
    }
    errors: [Oops]
}

@mixin
operation OpMixin { errors: [Oops] }

@error("client")
structure Oops { message: String }

enum Value {
    A = "a",
    B
}
intEnum Num {
    ONE = 1
}
list L { member: String }
map M { key: String, value: L }
union U { a: String, b: Integer }
service S { version: "1", operations: [Get], resources: [Res], rename: { "ex.ns#Value": "V" } }
apply Oops$message @documentation("""
    Text block
      with indentation
    """)
apply S { @title("t") @tags(["a"]) }
"#,
    r#"namespace v1
@box
integer I
structure S { @box a: I, b: PrimitiveInteger, c: Boolean }
set Set { member: String }
"#,
    r#"{"smithy": "2.0", "shapes": {"a#B": {"type": "structure", "mixins": [{"target": "a#M"}],
      "members": {"x": {"target": "smithy.api#String"}}}, "a#M": {"type": "structure",
      "members": {"y": {"target": "smithy.api#Integer"}}, "traits": {"smithy.api#mixin": {}}},
      "a#B$y": {"type": "apply", "traits": {"smithy.api#documentation": "d"}}}}"#,
];

/// A small deterministic generator (xorshift), so that failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Characters that matter to the grammar, and a few that do not belong in it.
const PIECES: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "@",
    "$",
    "#",
    ".",
    ":",
    ":=",
    "=",
    ",",
    "\"",
    "\"\"\"",
    "\n",
    " ",
    "/",
    "//",
    "///",
    "\\",
    "\\u",
    "-",
    "0",
    "1e",
    "with",
    "for",
    "apply",
    "use",
    "namespace",
    "metadata",
    "structure",
    "mixin",
    "é",
    "\u{1F600}",
    "\r",
    "\t",
    "\0",
];

fn char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn variants(text: &str, seed: u64, count: usize) -> Vec<String> {
    let mut rng = Rng(seed | 1);
    let mut out = Vec::with_capacity(count);
    for n in 0..count {
        let at = char_boundary(text, rng.below(text.len() + 1));
        let variant = match n % 5 {
            // Cut short.
            0 => text[..at].to_string(),
            // A character removed.
            1 => {
                let mut s = text.to_string();
                if at < s.len() {
                    s.remove(at);
                }
                s
            }
            // Something inserted.
            2 => {
                let mut s = text.to_string();
                s.insert_str(at, PIECES[rng.below(PIECES.len())]);
                s
            }
            // A character replaced.
            3 => {
                let mut s = text.to_string();
                if at < s.len() {
                    s.remove(at);
                }
                s.insert_str(at, PIECES[rng.below(PIECES.len())]);
                s
            }
            // Two stretches swapped.
            _ => {
                let other = char_boundary(text, rng.below(text.len() + 1));
                let (a, b) = (at.min(other), at.max(other));
                let mid = char_boundary(text, a + (b - a) / 2);
                format!(
                    "{}{}{}{}",
                    &text[..a],
                    &text[mid..b],
                    &text[a..mid],
                    &text[b..]
                )
            }
        };
        out.push(variant);
    }
    out
}

fn read_all(path: &Path, name: &str, text: &str, seed: u64, count: usize) -> (usize, usize) {
    let (mut read, mut refused) = (0, 0);
    for v in variants(text, seed, count) {
        let result = catch_unwind(AssertUnwindSafe(|| {
            idl::parse_files(&[(name, v.as_str())]).map(|ast| {
                // Writing the AST, flattened or not, must not panic either.
                let _ = ast.to_json();
                let _ = ast.flattened().to_json();
            })
        }));
        match result {
            Ok(Ok(())) => read += 1,
            Ok(Err(e)) => {
                assert!(
                    !e.diagnostics.is_empty(),
                    "{}: an error without a diagnostic",
                    path.display()
                );
                refused += 1;
            }
            Err(_) => panic!(
                "the reader panicked on a variant of {}:\n---\n{v}\n---",
                path.display()
            ),
        }
    }
    (read, refused)
}

fn model_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            model_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "smithy" || x == "json") {
            out.push(p);
        }
    }
}

#[test]
fn mutated_models_never_panic() {
    for (i, text) in BUILT_IN.iter().enumerate() {
        let name = if text.starts_with('{') {
            "b.json"
        } else {
            "b.smithy"
        };
        if let Err(e) = idl::parse_files(&[(name, *text)]) {
            panic!("built-in model {i} must load before it is mutated: {e}");
        }
    }
    // Panics are caught and reported by the test; keep their default message quiet.
    std::panic::set_hook(Box::new(|_| {}));
    let mut totals = (0, 0);
    // `IDL_FUZZ_VARIANTS=N` for a longer run.
    let per_file: usize = std::env::var("IDL_FUZZ_VARIANTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    for (i, text) in BUILT_IN.iter().enumerate() {
        let name = if text.starts_with('{') {
            "built-in.json"
        } else {
            "built-in.smithy"
        };
        let (r, f) = read_all(Path::new(name), name, text, 7 + i as u64, per_file * 50);
        totals.0 += r;
        totals.1 += f;
    }
    let data = shared_data::require("IDL fuzzing of Smithy's models", "smithy/loader-tests")
        .map(|_| shared_data::shared_path("smithy"));
    match &data {
        Some(d) => {
            let mut files = Vec::new();
            model_files(&d.join("loader-tests"), &mut files);
            model_files(&d.join("protocol-tests"), &mut files);
            for (i, path) in files.iter().enumerate() {
                let text = std::fs::read_to_string(path).expect("readable");
                let name = path.display().to_string();
                let (r, f) = read_all(path, &name, &text, 1000 + i as u64, per_file);
                totals.0 += r;
                totals.1 += f;
            }
            eprintln!("{} model files mutated", files.len());
        }
        None => eprintln!("only the built-in models"),
    }
    let _ = std::panic::take_hook();
    eprintln!(
        "variants: {} read, {} refused, none panicked",
        totals.0, totals.1
    );
    assert!(
        totals.1 > 0,
        "no variant was refused: the mutations do nothing"
    );
}
