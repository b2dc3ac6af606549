//! Smithy `@pattern`s are ECMA-262 regular expressions. The generated crates match them with
//! `regress`, an ECMAScript engine, so look-around (`^(?!aws:)`), back-references, ECMA's ASCII
//! `\d` `\w` `\s` and `\b` and `\uXXXX` escapes mean exactly what they mean in JavaScript: a
//! pattern is compiled as `new RegExp(pattern)` compiles it (ECMA-262 with its Annex B syntax,
//! which models rely on: `\-`, `\_`, lone `{`).
//!
//! Three rules follow what the models mean where JavaScript would read them otherwise. Smithy's
//! own model validator runs patterns with Java's engine, and models are written for it:
//! - a pattern with a `\p{...}` or `\P{...}` property escape is compiled in Unicode mode (the
//!   `u` flag), the only mode where ECMA-262 reads them as Unicode properties (without it,
//!   `\p{L}` would be the three letters `p{L}`);
//! - Java's names of binary properties, `\p{IsWhitespace}` or `\p{IsAlphabetic}`, become
//!   their ECMA-262 names, `\p{White_Space}` and `\p{Alphabetic}`;
//! - Java's inline flags at the start (`^(?s)`, `(?i)`) become the pattern's flags;
//! - Java's input anchors `\A` and `\z` become `^` and `$`, which mean the same without the
//!   `m` flag (ECMA-262 would read them as the letters `A` and `z`);
//! - Java's POSIX classes, `\p{Print}` or `\p{Alnum}` (US-ASCII, as Java reads them by
//!   default), become the ranges they stand for.
//!
//! Anything else `regress` cannot compile is left unchecked when the model is lowered, with a
//! note naming the shape (`ir::Service::notes`): the rest of the model stays usable.

/// Java's `\p{IsX}` binary properties (`X` upper-cased, `_` and spaces dropped, as Java
/// compares them) and their ECMA-262 names.
const JAVA_BINARY_PROPERTIES: &[(&str, &str)] = &[
    ("ALPHABETIC", "Alphabetic"),
    ("IDEOGRAPHIC", "Ideographic"),
    ("LETTER", "L"),
    ("LOWERCASE", "Lowercase"),
    ("UPPERCASE", "Uppercase"),
    ("TITLECASE", "Lt"),
    ("PUNCTUATION", "P"),
    ("CONTROL", "Cc"),
    ("WHITESPACE", "White_Space"),
    ("DIGIT", "Nd"),
    ("HEXDIGIT", "Hex_Digit"),
    ("JOINCONTROL", "Join_Control"),
    ("NONCHARACTERCODEPOINT", "Noncharacter_Code_Point"),
    ("ASSIGNED", "Assigned"),
    ("EMOJI", "Emoji"),
];

/// Java's POSIX character classes (US-ASCII) and the ranges they stand for.
const JAVA_POSIX_CLASSES: &[(&str, &str)] = &[
    ("Lower", "a-z"),
    ("Upper", "A-Z"),
    ("Alpha", "a-zA-Z"),
    ("Digit", "0-9"),
    ("Alnum", "a-zA-Z0-9"),
    ("Punct", "!-\\/:-@\\[-`{-~"),
    ("Graph", "\\x21-\\x7E"),
    ("Print", "\\x20-\\x7E"),
    ("Blank", " \\t"),
    ("Cntrl", "\\x00-\\x1F\\x7F"),
    ("XDigit", "0-9a-fA-F"),
    ("Space", " \\t\\n\\x0B\\f\\r"),
];

/// A pattern as `regress` compiles it: the expression and its flags (`""`, `"u"`, `"s"`...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Compiled {
    pub regex: String,
    pub flags: String,
}

/// The model's pattern as `regress` takes it (see the module's rules).
pub fn to_regress(pattern: &str) -> Result<Compiled, String> {
    let mut flags = String::new();
    let mut body = pattern;
    let anchored = body.starts_with('^');
    if anchored {
        body = &body[1..];
    }
    // Java's inline flags at the start: `(?s)`, `(?i)`, `(?is)`.
    if let Some(rest) = body.strip_prefix("(?") {
        if let Some(end) = rest.find(')') {
            let letters = &rest[..end];
            if !letters.is_empty() && letters.chars().all(|c| matches!(c, 'i' | 'm' | 's')) {
                flags.push_str(letters);
                body = &rest[end + 1..];
            }
        }
    }
    let mut out = String::with_capacity(pattern.len());
    if anchored {
        out.push('^');
    }
    let mut properties = false;
    let mut in_class = false;
    let mut rest = body;
    while let Some(i) = rest.find('\\') {
        for c in rest[..i].chars() {
            match c {
                '[' if !in_class => in_class = true,
                ']' if in_class => in_class = false,
                _ => {}
            }
        }
        out.push_str(&rest[..i]);
        let escape = &rest[i..];
        let mut chars = escape.chars();
        chars.next();
        let Some(kind) = chars.next() else {
            return Err("ends with a lone backslash".into());
        };
        let posix = matches!(kind, 'p' | 'P')
            .then(|| {
                let name = escape[2..].strip_prefix('{')?.split('}').next()?;
                JAVA_POSIX_CLASSES.iter().find(|(n, _)| *n == name)
            })
            .flatten();
        if let Some((name, range)) = posix {
            match (kind, in_class) {
                ('p', true) => out.push_str(range),
                ('p', false) => out.push_str(&format!("[{range}]")),
                ('P', false) => out.push_str(&format!("[^{range}]")),
                _ => {
                    return Err(format!(
                        "uses Java's \\P{{{name}}} inside a character class, which has no ECMA-262 equivalent here"
                    ))
                }
            }
            rest = &escape[name.len() + 4..];
            continue;
        }
        if matches!(kind, 'p' | 'P') && escape[2..].starts_with('{') {
            properties = true;
        }
        if matches!(kind, 'A' | 'z') && !flags.contains('m') {
            out.push(if kind == 'A' { '^' } else { '$' });
            rest = &escape[2..];
        } else if matches!(kind, 'p' | 'P') && escape[2..].starts_with("{Is") {
            let end = escape
                .find('}')
                .ok_or_else(|| format!("has an unclosed \\{kind}{{"))?;
            let name = &escape[5..end];
            let key: String = name
                .chars()
                .filter(|c| *c != '_' && *c != ' ')
                .collect::<String>()
                .to_ascii_uppercase();
            let Some((_, ecma)) = JAVA_BINARY_PROPERTIES.iter().find(|(j, _)| *j == key) else {
                return Err(format!(
                    "uses Java's property \\{kind}{{Is{name}}}, which has no ECMA-262 equivalent here"
                ));
            };
            out.push_str(&format!("\\{kind}{{{ecma}}}"));
            rest = &escape[end + 1..];
        } else {
            // Any other escape is kept as it is (its second character may be multi-byte).
            let len = 1 + kind.len_utf8();
            out.push_str(&escape[..len]);
            rest = &escape[len..];
        }
    }
    out.push_str(rest);
    if properties {
        flags.push('u');
    }
    Ok(Compiled { regex: out, flags })
}

/// Checks that a pattern (as [`to_regress`] gives it) compiles with `regress`.
pub fn check(compiled: &Compiled) -> Result<(), String> {
    regress::Regex::with_flags(&compiled.regex, compiled.flags.as_str())
        .map(|_| ())
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, s: &str) -> bool {
        let c = to_regress(pattern).unwrap();
        regress::Regex::with_flags(&c.regex, c.flags.as_str())
            .unwrap()
            .find(s)
            .is_some()
    }

    #[test]
    fn java_posix_classes_become_ascii_ranges() {
        // sagemaker-runtime's `InferenceId`.
        let p = "^\\A\\S[\\p{Print}]*\\z$";
        assert_eq!(to_regress(p).unwrap().flags, "");
        assert!(matches(p, "inference-1 x"));
        assert!(!matches(p, " leading space"));
        assert!(!matches(p, "tab\tinside"));
        assert!(!matches(p, "caf\u{e9}"));
        assert!(matches("^\\p{Alnum}+$", "abc123"));
        assert!(!matches("^\\p{Alnum}+$", "abc-123"));
        assert!(matches("^\\P{Digit}+$", "abc"));
        assert!(!matches("^\\P{Digit}+$", "a1"));
        assert!(to_regress("[\\P{Digit}]").is_err());
    }

    #[test]
    fn java_input_anchors_become_ecma_anchors() {
        let c = to_regress("\\A[a-z]+\\z").unwrap();
        assert_eq!(c.regex, "^[a-z]+$");
        assert!(matches("\\A\\p{ASCII}{1,64}\\z", "inference-1"));
        assert!(!matches("\\A[a-z]+\\z", "abc1"));
        assert!(!matches("\\A[a-z]+\\z", "1abc"));
    }

    #[test]
    fn ecma_semantics() {
        // Look-ahead, as in the common `TagKey` pattern.
        assert!(matches(r"^(?!aws:)[a-zA-Z+-=._:/]+$", "env"));
        assert!(!matches(
            r"^(?!aws:)[a-zA-Z+-=._:/]+$",
            "aws:cloudformation"
        ));
        // Several look-aheads, as in QLDB's ledger names.
        let ledger = r"^(?!^.*--)(?!^[0-9]+$)(?!^-)(?!.*-$)^[A-Za-z0-9-]+$";
        assert!(matches(ledger, "my-ledger"));
        for bad in ["my--ledger", "123", "-a", "a-"] {
            assert!(!matches(ledger, bad), "{bad}");
        }
        // Back-references.
        assert!(!matches(r"^(?!.*?(.)\1{3})[-_!@#$a-zA-Z0-9]*$", "aaaa"));
        assert!(matches(r"^(?!.*?(.)\1{3})[-_!@#$a-zA-Z0-9]*$", "aaab"));
        // ECMA's classes are ASCII; `-` after a class escape is a literal.
        assert!(matches(r"^[\w\- ]+$", "a-b c_9"));
        assert!(!matches(r"^\w+$", "é"));
        assert!(!matches(r"^\d$", "٣"));
        assert!(matches(r"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$", "é 9"));
        assert!(matches(r"^\u0041$", "A"));
        // Not anchored: a match anywhere counts.
        assert!(matches(r"[0-9]", "abc1"));
        // Annex B syntax, as JavaScript reads it: identity escapes, a lone `}`.
        assert!(matches(r"^[A-Za-z0-9_\.\-\~]+$", "a.b-c~"));
        assert!(matches(r"^a}$", "a}"));
        assert_eq!(to_regress(r"^[a-z\-]+$").unwrap().flags, "");
    }

    #[test]
    fn property_escapes_switch_on_unicode_mode() {
        let c = to_regress(r"^[\p{L}\p{N} ._-]+$").unwrap();
        assert_eq!(c.flags, "u");
        assert!(matches(r"^[\p{L}\p{N} ._-]+$", "Zoë ٣"));
        assert!(!matches(r"^\P{C}+$", "a\u{7}"));
    }

    #[test]
    fn java_inline_flags_become_flags() {
        let c = to_regress(r"^(?s)").unwrap();
        assert_eq!((c.regex.as_str(), c.flags.as_str()), ("^", "s"));
        assert!(matches(r"^(?s).+$", "a\nb"));
        assert!(!matches(r"^.+$", "a\nb"));
    }

    #[test]
    fn java_property_names_become_ecma_names() {
        assert_eq!(
            to_regress(r"^[^\p{C}\p{IsWhitespace}]+$").unwrap(),
            Compiled {
                regex: r"^[^\p{C}\p{White_Space}]+$".into(),
                flags: "u".into()
            }
        );
        assert!(matches(r"^[^\p{C}\p{IsWhitespace}]+$", "abc"));
        assert!(!matches(r"^[^\p{C}\p{IsWhitespace}]+$", "a c"));
        assert!(to_regress(r"\p{IsLatin}").is_err());
        assert_eq!(to_regress(r"a\\p{IsX}é\é").unwrap().regex, r"a\\p{IsX}é\é");
    }

    #[test]
    fn rejects_broken_patterns() {
        assert!(check(&to_regress(r"[abc").unwrap()).is_err());
        assert!(to_regress(r"abc\").is_err());
        assert!(check(&to_regress("(abc").unwrap()).is_err());
        // qbusiness's `MessageBody`: a stray `}` in Unicode mode.
        assert!(check(&to_regress(r"^\P{C}*$}$").unwrap()).is_err());
    }
}
