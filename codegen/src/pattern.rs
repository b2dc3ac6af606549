//! Smithy `@pattern`s are ECMA-262 regular expressions. The generated crates match them with
//! the `regex` crate, whose syntax differs in places: ECMA's `\d`, `\w`, `\s` and `\b` are
//! ASCII (or ECMA-whitespace) classes, and `\uXXXX` is `\x{XXXX}`. This rewrites a pattern once,
//! at generation time, so the runtime needs no translation and no Unicode Perl-class tables.

const DIGIT: &str = "0-9";
const WORD: &str = "0-9A-Za-z_";
const SPACE: &str = r"\t\n\x0B\x0C\r \x{A0}\x{FEFF}\x{2028}\x{2029}\p{Zs}";

/// Rewrites an ECMA-262 pattern into `regex` syntax with the same meaning.
pub fn ecma_to_rust(pattern: &str) -> Result<String, String> {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut in_class = false;
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(e) = chars.next() else {
                    return Err("ends with a lone backslash".into());
                };
                let class = |set: &str, negate: bool| match (in_class, negate) {
                    (false, false) => format!("[{set}]"),
                    (false, true) => format!("[^{set}]"),
                    (true, false) => set.to_string(),
                    (true, true) => format!("[^{set}]"),
                };
                match e {
                    'd' => out.push_str(&class(DIGIT, false)),
                    'D' => out.push_str(&class(DIGIT, true)),
                    'w' => out.push_str(&class(WORD, false)),
                    'W' => out.push_str(&class(WORD, true)),
                    's' => out.push_str(&class(SPACE, false)),
                    'S' => out.push_str(&class(SPACE, true)),
                    'b' if !in_class => out.push_str(r"(?-u:\b)"),
                    'B' if !in_class => out.push_str(r"(?-u:\B)"),
                    'b' => out.push_str(r"\x08"),
                    'u' => {
                        let hex: String = (0..4).filter_map(|_| chars.next()).collect();
                        if hex.len() != 4 || !hex.chars().all(|h| h.is_ascii_hexdigit()) {
                            return Err(format!("has a malformed \\u escape \\u{hex}"));
                        }
                        out.push_str(&format!(r"\x{{{hex}}}"));
                    }
                    'p' | 'P' => {
                        // \p{L}: supported as is.
                        out.push('\\');
                        out.push(e);
                    }
                    c if c.is_ascii_alphanumeric() => {
                        // \n \t \r \f \v and back-references are the same; others pass through.
                        out.push('\\');
                        out.push(c);
                    }
                    c => {
                        // An escaped punctuation character is that character.
                        out.push_str(&regex_escape(c));
                    }
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                // `[^` and a leading `]` are literal parts of the class syntax.
                if chars.peek() == Some(&'^') {
                    out.push(chars.next().expect("peeked"));
                }
            }
            '[' => out.push_str(r"\["),
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            '&' | '~' if in_class => {
                // `&&` and `~~` are class operators in `regex`; ECMA means the characters.
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    if in_class {
        return Err("has an unclosed character class".into());
    }
    Ok(out)
}

fn regex_escape(c: char) -> String {
    if c.is_ascii_punctuation() || c == ' ' {
        format!("\\{c}")
    } else {
        c.to_string()
    }
}

/// Checks that a rewritten pattern compiles with the features the generated crates enable.
pub fn check(rust_pattern: &str) -> Result<(), String> {
    regex::Regex::new(rust_pattern)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(ecma: &str, s: &str) -> bool {
        regex::Regex::new(&ecma_to_rust(ecma).unwrap())
            .unwrap()
            .is_match(s)
    }

    #[test]
    fn ascii_classes_and_unicode_categories() {
        assert!(matches(r"^[\w\-\.\+]+/[\w\-\.\+]+$", "video/h264"));
        assert!(!matches(r"^\w+$", "é"));
        assert!(matches(r"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$", "é 9"));
        assert!(matches(
            r"^arn:[a-z\d-]+:kinesisvideo$",
            "arn:aws-cn:kinesisvideo"
        ));
        assert!(!matches(r"^\d$", "٣"));
        assert!(matches(r"^[^\n]{2}$", "ab"));
        assert!(matches(r"^\u0041$", "A"));
        assert!(matches(r"a&&b", "a&&b"));
    }

    #[test]
    fn rejects_broken_patterns() {
        assert!(ecma_to_rust(r"[abc").is_err());
        assert!(ecma_to_rust(r"abc\").is_err());
        assert!(check(&ecma_to_rust("(abc").unwrap()).is_err());
    }
}
