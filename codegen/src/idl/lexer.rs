//! The IDL tokenizer: one token of look-ahead, positions in lines and columns, and the
//! documentation comment (`///`) lines seen since they were last taken.
//!
//! Token names and messages follow Smithy's own tokenizer (`Expected COLON(':') but found
//! ...`), so errors read the same as the reference implementation's.

use std::sync::Arc;

use super::defs::Loc;
use super::error::Diagnostic;
use super::node::Number;
use super::strings;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tok {
    Space,
    Newline,
    Comma,
    Comment,
    DocComment,
    At,
    String,
    TextBlock,
    Colon,
    Walrus,
    Identifier,
    Dot,
    Pound,
    Dollar,
    Number,
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    LParen,
    RParen,
    Equal,
    Eof,
    Error,
}

impl Tok {
    pub fn is_whitespace(self) -> bool {
        matches!(self, Tok::Space | Tok::Newline | Tok::Comma | Tok::Comment)
    }

    fn name(self) -> &'static str {
        match self {
            Tok::Space => "SPACE",
            Tok::Newline => "NEWLINE",
            Tok::Comma => "COMMA",
            Tok::Comment => "COMMENT",
            Tok::DocComment => "DOC_COMMENT",
            Tok::At => "AT",
            Tok::String => "STRING",
            Tok::TextBlock => "TEXT_BLOCK",
            Tok::Colon => "COLON",
            Tok::Walrus => "WALRUS",
            Tok::Identifier => "IDENTIFIER",
            Tok::Dot => "DOT",
            Tok::Pound => "POUND",
            Tok::Dollar => "DOLLAR",
            Tok::Number => "NUMBER",
            Tok::LBrace => "LBRACE",
            Tok::RBrace => "RBRACE",
            Tok::LBracket => "LBRACKET",
            Tok::RBracket => "RBRACKET",
            Tok::LParen => "LPAREN",
            Tok::RParen => "RPAREN",
            Tok::Equal => "EQUAL",
            Tok::Eof => "EOF",
            Tok::Error => "ERROR",
        }
    }

    fn example(self) -> &'static str {
        match self {
            Tok::Space => " ",
            Tok::Newline => "\\n",
            Tok::Comma => ",",
            Tok::Comment => "//",
            Tok::DocComment => "///",
            Tok::At => "@",
            Tok::String => "\"",
            Tok::TextBlock => "\"\"\"",
            Tok::Colon => ":",
            Tok::Walrus => ":=",
            Tok::Dot => ".",
            Tok::Pound => "#",
            Tok::Dollar => "$",
            Tok::LBrace => "{",
            Tok::RBrace => "}",
            Tok::LBracket => "[",
            Tok::RBracket => "]",
            Tok::LParen => "(",
            Tok::RParen => ")",
            Tok::Equal => "=",
            Tok::Identifier | Tok::Number | Tok::Eof | Tok::Error => "",
        }
    }

    /// `COLON(':')`, or the bare name for tokens without a fixed spelling.
    pub fn describe(self) -> String {
        describe(self, self.example())
    }
}

fn describe(tok: Tok, lexeme: &str) -> String {
    if lexeme.is_empty() {
        tok.name().to_string()
    } else {
        // Newlines are shown escaped so that a message stays on one line.
        let shown = lexeme.replace('\r', "\\r").replace('\n', "\\n");
        format!("{}('{shown}')", tok.name())
    }
}

/// The current token.
#[derive(Clone, Debug)]
pub struct Token {
    pub tok: Tok,
    pub start: usize,
    pub end: usize,
    pub line: u32,
    pub column: u32,
    /// The value of a `String` or `TextBlock`.
    pub string: Option<String>,
    pub number: Option<Number>,
    /// Why an `Error` token is one, and where (when not at its start).
    pub error: Option<(String, Option<(u32, u32)>)>,
}

pub struct Lexer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pub file: Arc<str>,
    pos: usize,
    line: u32,
    column: u32,
    pub cur: Token,
    doc_lines: Vec<(usize, usize)>,
}

impl<'a> Lexer<'a> {
    pub fn new(file: Arc<str>, src: &'a str) -> Lexer<'a> {
        let mut lexer = Lexer {
            src,
            bytes: src.as_bytes(),
            file,
            pos: 0,
            line: 1,
            column: 1,
            cur: Token {
                tok: Tok::Eof,
                start: 0,
                end: 0,
                line: 1,
                column: 1,
                string: None,
                number: None,
                error: None,
            },
            doc_lines: Vec::new(),
        };
        lexer.next();
        lexer
    }

    pub fn tok(&self) -> Tok {
        self.cur.tok
    }

    pub fn lexeme(&self) -> &'a str {
        self.src.get(self.cur.start..self.cur.end).unwrap_or("")
    }

    /// Source text between two byte offsets.
    pub fn slice(&self, start: usize, end: usize) -> &'a str {
        self.src.get(start..end).unwrap_or("")
    }

    pub fn is_lexeme(&self, text: &str) -> bool {
        self.lexeme() == text
    }

    pub fn loc(&self) -> Loc {
        Loc {
            file: self.file.clone(),
            line: self.cur.line,
            column: self.cur.column,
        }
    }

    pub fn syntax(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::syntax(&self.loc(), message)
    }

    /// The error for a current token that is not one of `expected`.
    pub fn unexpected(&self, expected: &[Tok]) -> Diagnostic {
        if let Some((message, at)) = &self.cur.error {
            let mut loc = self.loc();
            if let Some((line, column)) = at {
                loc.line = *line;
                loc.column = *column;
            }
            return Diagnostic::syntax(&loc, message.clone());
        }
        let found = describe(self.cur.tok, self.lexeme());
        let message = if let [one] = expected {
            format!("Expected {} but found {found}", one.describe())
        } else {
            let names: Vec<String> = expected.iter().map(|t| t.describe()).collect();
            format!("Expected one of {}; but found {found}", names.join(", "))
        };
        self.syntax(message)
    }

    pub fn expect(&self, tok: Tok) -> Result<(), Diagnostic> {
        if self.cur.tok == tok {
            Ok(())
        } else {
            Err(self.unexpected(&[tok]))
        }
    }

    pub fn expect_one(&self, toks: &[Tok]) -> Result<Tok, Diagnostic> {
        if toks.contains(&self.cur.tok) {
            Ok(self.cur.tok)
        } else {
            Err(self.unexpected(toks))
        }
    }

    /// The current token, described as in messages (`IDENTIFIER('with')`).
    pub fn describe_current(&self) -> String {
        describe(self.cur.tok, self.lexeme())
    }

    // --- skipping (the grammar's whitespace productions) ---

    pub fn skip_spaces(&mut self) {
        while self.cur.tok == Tok::Space {
            self.next();
        }
    }

    pub fn skip_optional_comma(&mut self) {
        if self.cur.tok == Tok::Comma {
            self.next();
        }
    }

    pub fn skip_ws(&mut self) {
        while self.cur.tok.is_whitespace() {
            self.next();
        }
    }

    pub fn skip_ws_and_docs(&mut self) {
        while self.cur.tok.is_whitespace() || self.cur.tok == Tok::DocComment {
            self.next();
        }
    }

    pub fn expect_and_skip_spaces(&mut self) -> Result<(), Diagnostic> {
        self.expect(Tok::Space)?;
        self.skip_spaces();
        Ok(())
    }

    pub fn expect_and_skip_whitespace(&mut self) -> Result<(), Diagnostic> {
        if !self.cur.tok.is_whitespace() {
            return Err(self.syntax(format!(
                "Expected one or more whitespace characters, but found {}",
                self.describe_current()
            )));
        }
        self.skip_ws_and_docs();
        Ok(())
    }

    /// The `BR` production: optional spaces, then a newline or comment (or the end of file).
    /// Documentation comments seen before it belong to nothing and are dropped.
    pub fn expect_and_skip_br(&mut self) -> Result<(), Diagnostic> {
        self.skip_spaces();
        self.clear_doc_lines();
        match self.cur.tok {
            Tok::Newline | Tok::Comment | Tok::DocComment => {
                self.next();
                self.skip_ws();
                Ok(())
            }
            Tok::Eof => Ok(()),
            _ => Err(self.syntax(format!(
                "Expected a line break, but found {}",
                self.describe_current()
            ))),
        }
    }

    /// Drops documentation comment lines that were not attached to anything.
    pub fn clear_doc_lines(&mut self) {
        self.doc_lines.clear();
    }

    /// Takes the documentation comment lines seen so far, joined by newlines.
    pub fn take_doc_lines(&mut self) -> Option<String> {
        if self.doc_lines.is_empty() {
            return None;
        }
        let mut out = String::new();
        for (i, (start, end)) in self.doc_lines.drain(..).enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(self.src.get(start..end).unwrap_or(""));
        }
        Some(out)
    }

    // --- scanning ---

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<u8> {
        self.bytes.get(self.pos + offset).copied()
    }

    /// Advances over one character, counting lines (`\r\n` is one newline).
    fn skip(&mut self) {
        let Some(b) = self.peek() else { return };
        match b {
            b'\r' => {
                if self.peek_at(1) == Some(b'\n') {
                    self.pos += 1;
                }
                self.line += 1;
                self.column = 1;
                self.pos += 1;
            }
            b'\n' => {
                self.line += 1;
                self.column = 1;
                self.pos += 1;
            }
            _ => {
                self.column += 1;
                self.pos += utf8_len(b);
            }
        }
        if self.pos > self.bytes.len() {
            self.pos = self.bytes.len();
        }
    }

    fn consume_while(&mut self, pred: impl Fn(u8) -> bool) -> usize {
        let mut n = 0;
        while let Some(b) = self.peek() {
            if !pred(b) {
                break;
            }
            self.skip();
            n += 1;
        }
        n
    }

    /// Moves to the next token (documentation comments are also remembered for
    /// [`Lexer::take_doc_lines`]).
    pub fn next(&mut self) -> Tok {
        let tok = self.scan();
        if tok == Tok::DocComment {
            self.remember_doc_line();
        }
        tok
    }

    fn remember_doc_line(&mut self) {
        let start = self.cur.start;
        let span = self.cur.end - start;
        let doc_start = if span <= 3 {
            start
        } else if self.bytes.get(start + 3) == Some(&b' ') {
            start + 4
        } else {
            start + 3
        };
        let mut end = self.cur.end;
        if end > doc_start && self.bytes[end - 1] == b'\n' {
            end -= 1;
            if end > doc_start && self.bytes[end - 1] == b'\r' {
                end -= 1;
            }
        }
        self.doc_lines.push((doc_start, end.max(doc_start)));
    }

    fn scan(&mut self) -> Tok {
        self.cur.string = None;
        self.cur.number = None;
        self.cur.error = None;
        self.cur.line = self.line;
        self.cur.column = self.column;
        self.cur.start = self.pos;
        let tok = match self.peek() {
            None => Tok::Eof,
            Some(b' ' | b'\t') => {
                self.consume_while(|b| b == b' ' || b == b'\t');
                Tok::Space
            }
            Some(b'\r' | b'\n') => {
                self.skip();
                Tok::Newline
            }
            Some(b',') => self.single(Tok::Comma),
            Some(b'@') => self.single(Tok::At),
            Some(b'$') => self.single(Tok::Dollar),
            Some(b'.') => self.single(Tok::Dot),
            Some(b'{') => self.single(Tok::LBrace),
            Some(b'}') => self.single(Tok::RBrace),
            Some(b'[') => self.single(Tok::LBracket),
            Some(b']') => self.single(Tok::RBracket),
            Some(b'(') => self.single(Tok::LParen),
            Some(b')') => self.single(Tok::RParen),
            Some(b'#') => self.single(Tok::Pound),
            Some(b'=') => self.single(Tok::Equal),
            Some(b':') => {
                self.skip();
                if self.peek() == Some(b'=') {
                    self.skip();
                    Tok::Walrus
                } else {
                    Tok::Colon
                }
            }
            Some(b'"') => self.scan_string(),
            Some(b'/') => self.scan_comment(),
            Some(b'-' | b'0'..=b'9') => self.scan_number(),
            Some(b'A'..=b'Z' | b'a'..=b'z' | b'_') => self.scan_identifier(),
            Some(_) => {
                let c = self.src[self.pos..].chars().next().unwrap_or('?');
                self.cur.error = Some((format!("Unexpected character: '{c}'"), None));
                self.single(Tok::Error)
            }
        };
        self.cur.end = self.pos;
        self.cur.tok = tok;
        tok
    }

    fn single(&mut self, tok: Tok) -> Tok {
        self.skip();
        tok
    }

    fn error_here(&mut self, message: String) -> Tok {
        self.cur.error = Some((message, Some((self.line, self.column))));
        Tok::Error
    }

    fn found_for_message(&self) -> String {
        match self.src.get(self.pos..).and_then(|s| s.chars().next()) {
            None => "[EOF]".to_string(),
            Some('\n') => "\\n".to_string(),
            Some(c) => c.to_string(),
        }
    }

    fn scan_comment(&mut self) -> Tok {
        self.skip();
        if self.peek() != Some(b'/') {
            self.cur.error = Some((
                "Expected a '/' to follow '/' to form a comment.".to_string(),
                None,
            ));
            return self.single(Tok::Error);
        }
        self.skip();
        let mut tok = Tok::Comment;
        if self.peek() == Some(b'/') {
            self.skip();
            tok = Tok::DocComment;
        }
        while let Some(b) = self.peek() {
            if b == b'\n' || b == b'\r' {
                break;
            }
            self.skip();
        }
        // The newline belongs to the comment.
        self.skip();
        tok
    }

    fn scan_number(&mut self) -> Tok {
        let start = self.pos;
        // Reported at the start of the number.
        let invalid = |lexer: &mut Lexer, why: &str| {
            let lexeme = lexer.slice(start, lexer.pos).to_string();
            lexer.cur.error = Some((format!("Invalid number '{lexeme}': {why}"), None));
            Tok::Error
        };
        if self.peek() == Some(b'-') {
            self.skip();
            if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
                return invalid(self, "'-' must be followed by a digit");
            }
        }
        self.consume_while(|b| b.is_ascii_digit());
        if self.peek() == Some(b'.') {
            self.skip();
            if self.consume_while(|b| b.is_ascii_digit()) == 0 {
                return invalid(self, "'.' must be followed by a digit");
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.skip();
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.skip();
            }
            if self.consume_while(|b| b.is_ascii_digit()) == 0 {
                return invalid(self, "'e', '+', and '-' must be followed by a digit");
            }
        }
        self.cur.number = Some(Number::from_lexeme(self.slice(start, self.pos)));
        Tok::Number
    }

    fn scan_identifier(&mut self) -> Tok {
        if self.peek() == Some(b'_') {
            self.consume_while(|b| b == b'_');
            if !self.peek().is_some_and(is_identifier_char) {
                let found = self.found_for_message();
                return self.error_here(format!(
                    "Expected a valid identifier character, but found '{found}'"
                ));
            }
        }
        self.consume_while(is_identifier_char);
        Tok::Identifier
    }

    fn scan_string(&mut self) -> Tok {
        self.skip();
        if self.peek() == Some(b'"') {
            self.skip();
            if self.peek() == Some(b'"') {
                self.skip();
                return self.scan_quoted(true);
            }
            self.cur.string = Some(String::new());
            return Tok::String;
        }
        self.scan_quoted(false)
    }

    fn scan_quoted(&mut self, triple: bool) -> Tok {
        let start = self.pos;
        while let Some(b) = self.peek() {
            if b == b'"'
                && (!triple || (self.peek_at(1) == Some(b'"') && self.peek_at(2) == Some(b'"')))
            {
                break;
            }
            self.skip();
            if b == b'\\' {
                self.skip();
            }
        }
        let raw_end = self.pos;
        for _ in 0..if triple { 3 } else { 1 } {
            if self.peek() != Some(b'"') {
                let found = self.found_for_message();
                return self.error_here(format!("Expected: '\"', but found '{found}'"));
            }
            self.skip();
        }
        let raw = self.slice(start, raw_end);
        match strings::scan(raw, triple) {
            Ok(value) => {
                self.cur.string = Some(value);
                if triple {
                    Tok::TextBlock
                } else {
                    Tok::String
                }
            }
            Err(e) => {
                let what = if triple {
                    "Error parsing text block"
                } else {
                    "Error parsing quoted string"
                };
                self.cur.error = Some((format!("{what}: {e}"), None));
                Tok::Error
            }
        }
    }
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

pub fn is_identifier_char(b: u8) -> bool {
    b == b'_' || b.is_ascii_alphanumeric()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(src: &str) -> Vec<(Tok, String)> {
        let mut lexer = Lexer::new(Arc::from("t.smithy"), src);
        let mut out = Vec::new();
        loop {
            out.push((lexer.tok(), lexer.lexeme().to_string()));
            if lexer.tok() == Tok::Eof {
                return out;
            }
            lexer.next();
        }
    }

    #[test]
    fn tokenizes_statements() {
        let toks: Vec<Tok> = tokens("$version: \"2\"\n@a(b: 1.5) x := {}// c\n/// d\n")
            .into_iter()
            .map(|t| t.0)
            .collect();
        use Tok::*;
        assert_eq!(
            toks,
            vec![
                Dollar, Identifier, Colon, Space, String, Newline, At, Identifier, LParen,
                Identifier, Colon, Space, Number, RParen, Space, Identifier, Space, Walrus, Space,
                LBrace, RBrace, Comment, DocComment, Eof
            ]
        );
    }

    #[test]
    fn positions_and_errors() {
        let mut lexer = Lexer::new(Arc::from("t.smithy"), "a\r\n  1.");
        lexer.next();
        lexer.next();
        assert_eq!((lexer.cur.line, lexer.cur.column), (2, 1));
        lexer.next();
        assert_eq!(lexer.tok(), Tok::Error);
        let d = lexer.unexpected(&[Tok::Number]);
        assert!(d.message.contains("Invalid number '1.'"), "{}", d.message);
    }

    #[test]
    fn doc_comment_lines_are_collected() {
        let mut lexer = Lexer::new(Arc::from("t.smithy"), "/// a\n///b\n///\nx");
        while lexer.tok() != Tok::Identifier {
            lexer.next();
        }
        assert_eq!(lexer.take_doc_lines().as_deref(), Some("a\nb\n"));
    }
}
