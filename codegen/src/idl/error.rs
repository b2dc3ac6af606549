//! Errors of the IDL reader: each names the file, line and column, and what was expected or
//! what is wrong (in the words of Smithy's own loader where there is one).

use std::fmt;

use super::defs::Loc;

/// One problem found in a model file.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub file: String,
    /// 1-based; 0 when the position is unknown (a JSON AST value the reader cannot place).
    pub line: u32,
    pub column: u32,
    /// The shape or member the problem is about, when there is one.
    pub shape: Option<String>,
    pub message: String,
    /// A syntax error (the file does not follow the grammar), as opposed to a model that parses
    /// but is not valid.
    pub syntax: bool,
}

impl Diagnostic {
    pub fn syntax(loc: &Loc, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: loc.file.to_string(),
            line: loc.line,
            column: loc.column,
            shape: None,
            message: message.into(),
            syntax: true,
        }
    }

    pub fn model(loc: &Loc, shape: Option<&str>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: loc.file.to_string(),
            line: loc.line,
            column: loc.column,
            shape: shape.map(str::to_string),
            message: message.into(),
            syntax: false,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.file, self.line, self.column)?;
        if self.syntax {
            f.write_str("syntax error: ")?;
        }
        if let Some(shape) = &self.shape {
            write!(f, "{shape}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// The reader refused the model; every problem found is listed (a syntax error stops the file
/// it is in, so it is usually alone).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdlError {
    pub diagnostics: Vec<Diagnostic>,
}

impl IdlError {
    pub fn one(d: Diagnostic) -> IdlError {
        IdlError {
            diagnostics: vec![d],
        }
    }

    /// A problem with a file as a whole (it cannot be read, it has an unknown extension).
    pub fn file(path: &str, message: impl Into<String>) -> IdlError {
        IdlError::one(Diagnostic {
            file: path.to_string(),
            line: 0,
            column: 0,
            shape: None,
            message: message.into(),
            syntax: false,
        })
    }
}

impl fmt::Display for IdlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for IdlError {}
