//! The contents of quoted strings and text blocks: newline normalisation, incidental whitespace
//! removal of text blocks, and escapes.

/// Turns the raw text between the quotes into the string's value. `text_block` selects the
/// text block rules (re-indentation, unescaped `"` allowed).
pub fn scan(raw: &str, text_block: bool) -> Result<String, String> {
    let normalized;
    let mut text = raw;
    if raw.contains('\r') {
        normalized = raw.replace("\r\n", "\n").replace('\r', "\n");
        text = &normalized;
    }
    let formatted;
    if text_block {
        formatted = format_text_block(text)?;
        text = &formatted;
    }
    unescape(text, text_block)
}

fn unescape(text: &str, text_block: bool) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    let mut pending_high: Option<u16> = None;
    while let Some(c) = chars.next() {
        if c != '\\' {
            if !valid_char(c, text_block) {
                return Err(format!("Invalid string character: `{c}`"));
            }
            flush_surrogate(&mut pending_high, &mut out);
            out.push(c);
            continue;
        }
        let Some(e) = chars.next() else {
            // A lone backslash at the end cannot happen (the quote after it is escaped), but
            // a text block's re-indentation can leave one.
            return Err("Invalid escape found in string: `\\`".to_string());
        };
        let decoded = match e {
            '"' => '"',
            '\\' => '\\',
            '/' => '/',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            '\n' => continue,
            'u' => {
                let mut unit: u32 = 0;
                for _ in 0..4 {
                    let Some(h) = chars.next() else {
                        return Err("Invalid unclosed unicode escape found in string".into());
                    };
                    let Some(d) = h.to_digit(16) else {
                        return Err(format!("Invalid unicode escape character: `{h}`"));
                    };
                    unit = unit * 16 + d;
                }
                let unit = unit as u16;
                if (0xD800..0xDC00).contains(&unit) {
                    flush_surrogate(&mut pending_high, &mut out);
                    pending_high = Some(unit);
                    continue;
                }
                if (0xDC00..0xE000).contains(&unit) {
                    if let Some(high) = pending_high.take() {
                        let code = 0x10000
                            + ((u32::from(high) - 0xD800) << 10)
                            + (u32::from(unit) - 0xDC00);
                        out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                    } else {
                        out.push('\u{FFFD}');
                    }
                    continue;
                }
                char::from_u32(u32::from(unit)).unwrap_or('\u{FFFD}')
            }
            other => return Err(format!("Invalid escape found in string: `\\{other}`")),
        };
        flush_surrogate(&mut pending_high, &mut out);
        out.push(decoded);
    }
    flush_surrogate(&mut pending_high, &mut out);
    Ok(out)
}

/// A high surrogate escape not followed by a low one stands for nothing valid.
fn flush_surrogate(pending: &mut Option<u16>, out: &mut String) {
    if pending.take().is_some() {
        out.push('\u{FFFD}');
    }
}

/// The unescaped characters of the `QuotedChar` production.
fn valid_char(c: char, text_block: bool) -> bool {
    c == '\t'
        || c == '\n'
        || c == '\r'
        || c == ' '
        || c == '!'
        || (text_block && c == '"')
        || ('#'..='[').contains(&c)
        || c >= ']'
}

/// Removes the incidental whitespace of a text block (the text after the opening `"""`).
fn format_text_block(text: &str) -> Result<String, String> {
    if text.is_empty() {
        return Err("Text block is empty".into());
    }
    if !text.starts_with('\n') {
        return Err("Text block must start with a new line".into());
    }
    let lines: Vec<&str> = text.split('\n').collect();
    let last = lines.len() - 1;
    let mut padding = usize::MAX;
    for (i, line) in lines.iter().enumerate().skip(1) {
        let leading = line.bytes().take_while(|b| *b == b' ').count();
        let counts = if leading < line.len() {
            Some(leading)
        } else if i == last {
            // The closing delimiter's indentation counts (a significant trailing line).
            Some(line.len())
        } else {
            None
        };
        if let Some(p) = counts {
            padding = padding.min(p);
        }
    }
    let mut out = String::with_capacity(text.len());
    for (i, line) in lines.iter().enumerate().skip(1) {
        if !line.is_empty() {
            let start = padding.min(line.len());
            let bytes = line.as_bytes();
            let mut end = line.len() - 1;
            while end > 0 && bytes[end] == b' ' {
                end -= 1;
            }
            if end >= start {
                // `start` and `end` sit on ASCII spaces or line ends, so both are char boundaries.
                out.push_str(line.get(start..=end).unwrap_or(""));
            }
        }
        if i < last {
            out.push('\n');
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_block_removes_incidental_whitespace() {
        let raw = "\n    Foo\n        Baz\n  \n    Bar\n    ";
        assert_eq!(scan(raw, true).unwrap(), "Foo\n    Baz\n\nBar\n");
        let raw = "\n        <div>\n            <p>Hello!</p>\n        </div>";
        assert_eq!(scan(raw, true).unwrap(), "<div>\n    <p>Hello!</p>\n</div>");
    }

    #[test]
    fn escapes() {
        assert_eq!(
            scan(r#"a\"b\\c\/\n\t\u0041\uD83D\uDE00"#, false).unwrap(),
            "a\"b\\c/\n\tA\u{1F600}"
        );
        assert_eq!(scan("a\\\nb", false).unwrap(), "ab");
        assert!(scan(r"\'", false).unwrap_err().contains("Invalid escape"));
        assert!(scan(r"\u00", false)
            .unwrap_err()
            .contains("unclosed unicode"));
        assert!(scan(r"\u00tt", false).unwrap_err().contains("`t`"));
        assert_eq!(scan("a\r\nb\rc", false).unwrap(), "a\nb\nc");
    }

    #[test]
    fn text_block_errors() {
        assert_eq!(scan("", true).unwrap_err(), "Text block is empty");
        assert_eq!(
            scan("foo", true).unwrap_err(),
            "Text block must start with a new line"
        );
    }
}
