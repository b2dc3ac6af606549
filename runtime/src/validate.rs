//! Client-side validation of inputs against the model's constraints (required, length, range,
//! pattern). The generated `validate` functions walk the input once and report every failure,
//! each with the path of model member names that leads to it.

use std::fmt;
use std::sync::OnceLock;

/// What was broken.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Constraint {
    /// `@required` member not set.
    Required,
    /// `@length`: characters of a string, bytes of a blob, entries of a list or map.
    Length {
        min: Option<u64>,
        max: Option<u64>,
        actual: u64,
    },
    /// `@range` of a number.
    Range {
        min: Option<f64>,
        max: Option<f64>,
        actual: f64,
    },
    /// `@pattern`: the value does not match the regular expression.
    Pattern { pattern: &'static str },
    /// A union value of a member this version does not know: it cannot be serialized.
    UnknownUnionMember,
    /// An `@httpLabel` value is empty: the request path would lose a segment.
    EmptyLabel,
    /// A `@hostLabel` value is not a host label: it must be letters, digits, `-` and `.`
    /// (botocore's rule), since it goes into the host name.
    HostLabel,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ValidationError {
    /// `ImageGenerationConfiguration.DestinationConfig.Uri`, `Tags["env"]`, `Items[2]`.
    pub path: String,
    pub constraint: Constraint,
}

fn bounds<T: fmt::Display>(min: &Option<T>, max: &Option<T>) -> String {
    match (min, max) {
        (Some(min), Some(max)) => format!("between {min} and {max}"),
        (Some(min), None) => format!("at least {min}"),
        (None, Some(max)) => format!("at most {max}"),
        (None, None) => "unbounded".to_string(),
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.constraint {
            Constraint::Required => write!(f, "{}: required member is not set", self.path),
            Constraint::Length { min, max, actual } => write!(
                f,
                "{}: length {actual} is not {} (@length)",
                self.path,
                bounds(min, max)
            ),
            Constraint::Range { min, max, actual } => write!(
                f,
                "{}: value {actual} is not {} (@range)",
                self.path,
                bounds(min, max)
            ),
            Constraint::UnknownUnionMember => {
                write!(f, "{}: unknown union member cannot be sent", self.path)
            }
            Constraint::EmptyLabel => write!(
                f,
                "{}: must not be empty, it is a segment of the request path (@httpLabel)",
                self.path
            ),
            Constraint::HostLabel => write!(
                f,
                "{}: value is not a valid host label, which may hold only letters, digits, `-` and `.` (@hostLabel)",
                self.path
            ),
            Constraint::Pattern { pattern } => write!(
                f,
                "{}: value does not match the pattern `{pattern}` (@pattern)",
                self.path
            ),
        }
    }
}

/// Every constraint the input broke; never empty.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidationErrors {
    errors: Vec<ValidationError>,
}

impl ValidationErrors {
    pub fn errors(&self) -> &[ValidationError] {
        &self.errors
    }

    /// One failure of the top-level member `path`.
    pub fn single(path: &str, constraint: Constraint) -> Self {
        ValidationErrors {
            errors: vec![ValidationError {
                path: path.to_string(),
                constraint,
            }],
        }
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

/// A `@pattern`, compiled once, on first use. `source` is the model's ECMA-262 text (shown in
/// errors); `regex` and `flags` are what `regress` (an ECMAScript engine: look-around,
/// back-references and ECMA's classes as JavaScript has them) compiles: the same text unless
/// the generator renamed a Java-only property name, and `u` when the pattern has `\p{...}`
/// escapes. The generator checks that every pattern compiles, so the `expect` below cannot fire
/// for generated code.
pub struct Pattern {
    source: &'static str,
    regex: &'static str,
    flags: &'static str,
    compiled: OnceLock<regress::Regex>,
}

impl Pattern {
    pub const fn new(source: &'static str, regex: &'static str, flags: &'static str) -> Self {
        Pattern {
            source,
            regex,
            flags,
            compiled: OnceLock::new(),
        }
    }

    pub fn source(&self) -> &'static str {
        self.source
    }

    /// Smithy patterns are not implicitly anchored: a match anywhere counts.
    pub fn is_match(&self, value: &str) -> bool {
        self.compiled
            .get_or_init(|| {
                regress::Regex::with_flags(self.regex, self.flags)
                    .expect("patterns are checked to compile when the crate is generated")
            })
            .find(value)
            .is_some()
    }
}

/// Walks an input, tracking the member path and collecting failures.
#[derive(Default)]
pub struct Validator {
    path: String,
    errors: Vec<ValidationError>,
}

impl Validator {
    pub fn new() -> Self {
        Self::default()
    }

    fn fail(&mut self, constraint: Constraint) {
        self.errors.push(ValidationError {
            path: self.path.clone(),
            constraint,
        });
    }

    // Each of `member`, `index` and `key` is instantiated for every member of every input:
    // they only call `f` between two calls that are not generic (entering and leaving the
    // segment), so that each copy stays a few instructions.

    /// Validates inside member `name`.
    #[inline]
    pub fn member(&mut self, name: &str, f: impl FnOnce(&mut Self)) {
        let len = self.enter_member(name);
        f(self);
        self.path.truncate(len);
    }

    /// Validates inside list item `index`.
    #[inline]
    pub fn index(&mut self, index: usize, f: impl FnOnce(&mut Self)) {
        let len = self.enter(format_args!("[{index}]"));
        f(self);
        self.path.truncate(len);
    }

    /// Validates inside the value of map entry `key`.
    #[inline]
    pub fn key(&mut self, key: &str, f: impl FnOnce(&mut Self)) {
        let len = self.enter(format_args!("[{key:?}]"));
        f(self);
        self.path.truncate(len);
    }

    /// Appends `.name` (or `name` at the top) to the path; the length to truncate back to.
    #[inline(never)]
    fn enter_member(&mut self, name: &str) -> usize {
        let len = self.path.len();
        if len > 0 {
            self.path.push('.');
        }
        self.path.push_str(name);
        len
    }

    #[inline(never)]
    fn enter(&mut self, segment: std::fmt::Arguments<'_>) -> usize {
        use std::fmt::Write as _;
        let len = self.path.len();
        let _ = self.path.write_fmt(segment);
        len
    }

    /// Records a missing member (call inside `member`).
    pub fn required<T>(&mut self, value: &Option<T>) {
        if value.is_none() {
            self.fail(Constraint::Required);
        }
    }

    pub fn length(&mut self, actual: usize, min: Option<u64>, max: Option<u64>) {
        let actual = actual as u64;
        if min.is_some_and(|m| actual < m) || max.is_some_and(|m| actual > m) {
            self.fail(Constraint::Length { min, max, actual });
        }
    }

    /// String length in Unicode scalar values, as Smithy counts it.
    pub fn string_length(&mut self, value: &str, min: Option<u64>, max: Option<u64>) {
        self.length(value.chars().count(), min, max)
    }

    pub fn range(&mut self, actual: f64, min: Option<f64>, max: Option<f64>) {
        if min.is_some_and(|m| actual < m) || max.is_some_and(|m| actual > m) {
            self.fail(Constraint::Range { min, max, actual });
        }
    }

    /// `@range` of a `long`: compared exactly (an `f64` would round values beyond 2^53).
    pub fn range_i64(&mut self, actual: i64, min: Option<f64>, max: Option<f64>) {
        // Model bounds are whole numbers for integer shapes; `as i128` is exact for them.
        let below = min.is_some_and(|m| i128::from(actual) < m.ceil() as i128);
        let above = max.is_some_and(|m| i128::from(actual) > m.floor() as i128);
        if below || above {
            self.fail(Constraint::Range {
                min,
                max,
                actual: actual as f64,
            });
        }
    }

    pub fn pattern(&mut self, value: &str, pattern: &'static Pattern) {
        if !pattern.is_match(value) {
            self.fail(Constraint::Pattern {
                pattern: pattern.source(),
            });
        }
    }

    /// A `@hostLabel` value: one or more of `A-Z a-z 0-9 - .`.
    pub fn host_label(&mut self, value: &str) {
        let valid = !value.is_empty()
            && value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
        if !valid {
            self.fail(Constraint::HostLabel);
        }
    }

    pub fn unknown_union_member(&mut self) {
        self.fail(Constraint::UnknownUnionMember);
    }

    pub fn finish(self) -> Result<(), ValidationErrors> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ValidationErrors {
                errors: self.errors,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static NAME: Pattern = Pattern::new("^[a-z]+$", "^[a-z]+$", "");
    static NOT_AWS: Pattern = Pattern::new("^(?!aws:)[a-z:]+$", "^(?!aws:)[a-z:]+$", "");

    #[test]
    fn collects_every_failure_with_its_path() {
        let mut v = Validator::new();
        v.member("Outer", |v| {
            v.member("Name", |v| {
                v.string_length("", Some(1), Some(5));
                v.pattern("ABC", &NAME);
            });
            v.member("Items", |v| {
                v.index(2, |v| v.range(7.0, Some(0.0), Some(5.0)))
            });
            v.member("Tags", |v| v.key("env", |v| v.required::<String>(&None)));
        });
        let errors = v.finish().unwrap_err();
        let text: Vec<String> = errors.errors().iter().map(|e| e.to_string()).collect();
        assert_eq!(
            text,
            [
                "Outer.Name: length 0 is not between 1 and 5 (@length)",
                "Outer.Name: value does not match the pattern `^[a-z]+$` (@pattern)",
                "Outer.Items[2]: value 7 is not between 0 and 5 (@range)",
                "Outer.Tags[\"env\"]: required member is not set",
            ]
        );
    }

    #[test]
    fn patterns_have_ecma_semantics_and_compile_once() {
        assert!(NOT_AWS.is_match("env:prod"));
        assert!(!NOT_AWS.is_match("aws:tag"));
        let first: *const regress::Regex = NOT_AWS.compiled.get().unwrap();
        assert!(NOT_AWS.is_match("x"));
        assert!(std::ptr::eq(first, NOT_AWS.compiled.get().unwrap()));
    }

    #[test]
    fn host_labels_are_letters_digits_hyphens_and_dots() {
        for ok in ["a", "my-stream.v2", "ABC123"] {
            let mut v = Validator::new();
            v.host_label(ok);
            assert!(v.finish().is_ok(), "{ok}");
        }
        for bad in ["", "a b", "a/b", "é", "a_b"] {
            let mut v = Validator::new();
            v.member("Id", |v| v.host_label(bad));
            let e = v.finish().unwrap_err();
            assert_eq!(e.errors()[0].constraint, Constraint::HostLabel, "{bad}");
            assert!(e
                .to_string()
                .starts_with("Id: value is not a valid host label"));
        }
    }

    #[test]
    fn counts_characters_not_bytes() {
        let mut v = Validator::new();
        v.string_length("ééé", Some(3), Some(3));
        assert!(v.finish().is_ok());
    }

    #[test]
    fn long_ranges_are_exact_beyond_f64_precision() {
        let max = Some(9_007_199_254_740_992.0); // 2^53
        let mut v = Validator::new();
        v.range_i64(9_007_199_254_740_993, None, max);
        assert!(
            v.finish().is_err(),
            "2^53 + 1 rounds to 2^53 as f64 but is out of range"
        );
        let mut v = Validator::new();
        v.range_i64(9_007_199_254_740_992, Some(1.0), max);
        v.range_i64(1, Some(1.0), max);
        assert!(v.finish().is_ok());
        let mut v = Validator::new();
        v.range_i64(0, Some(1.0), None);
        assert!(v.finish().is_err());
    }
}
