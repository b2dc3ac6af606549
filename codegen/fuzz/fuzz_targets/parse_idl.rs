//! Any text, read as an IDL file and as a JSON AST file: the reader returns a model or an
//! error, and writes any model it returns; it never panics.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for name in ["fuzz.smithy", "fuzz.json"] {
        if let Ok(ast) = smithy_lite_codegen::idl::parse_files(&[(name, text)]) {
            let _ = ast.to_json();
            let _ = ast.flattened().to_json();
        }
    }
});
