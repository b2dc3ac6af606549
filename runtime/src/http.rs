//! Plain HTTP messages: what a request serializer produces and a response parser consumes.
//! No I/O here; transports convert these to and from their own types.

use std::borrow::Cow;

/// Header names are kept lower-case; insertion order is kept so output is deterministic. Names
/// and values given as `&'static str` (what generated code writes) are kept without a copy.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Headers {
    entries: Vec<(Cow<'static, str>, Cow<'static, str>)>,
}

/// `name` in lower case, copied only when it has an upper-case letter.
fn lower(name: Cow<'static, str>) -> Cow<'static, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        name
    }
}

impl Headers {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a header, keeping any existing value of the same name (lists of values).
    pub fn append(
        &mut self,
        name: impl Into<Cow<'static, str>>,
        value: impl Into<Cow<'static, str>>,
    ) {
        self.entries.push((lower(name.into()), value.into()));
    }

    /// Replaces every value of `name` with `value`.
    pub fn insert(
        &mut self,
        name: impl Into<Cow<'static, str>>,
        value: impl Into<Cow<'static, str>>,
    ) {
        let name = lower(name.into());
        self.entries.retain(|(n, _)| *n != name);
        self.entries.push((name, value.into()));
    }

    pub fn remove(&mut self, name: &str) {
        self.entries.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    }

    /// The first value of `name` (case-insensitive).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_ref())
    }

    /// Every value of `name` (case-insensitive), in order.
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.entries
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_ref())
    }

    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// `(name, value)` pairs in insertion order; names are lower-case.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries.iter().map(|(n, v)| (n.as_ref(), v.as_ref()))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl<N: Into<Cow<'static, str>>, V: Into<Cow<'static, str>>> FromIterator<(N, V)> for Headers {
    fn from_iter<I: IntoIterator<Item = (N, V)>>(iter: I) -> Self {
        let mut headers = Headers::new();
        for (n, v) in iter {
            headers.append(n, v);
        }
        headers
    }
}

/// A request as the protocol serializer builds it: no host yet (the endpoint decides it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: String,
    /// Percent-encoded path, starting with `/`.
    pub path: String,
    /// Percent-encoded query string without the leading `?` (empty when there is none).
    pub query: String,
    pub headers: Headers,
    pub body: Vec<u8>,
    /// The operation's `@endpoint` host prefix (`data.`, `{Label}.`, filled in): the endpoint's
    /// host gets it in front, as botocore prefixes it (also for an endpoint given by URL).
    pub host_prefix: Option<String>,
}

impl HttpRequest {
    pub fn new(method: impl Into<String>, path: impl Into<String>) -> Self {
        HttpRequest {
            method: method.into(),
            path: path.into(),
            query: String::new(),
            headers: Headers::new(),
            body: Vec::new(),
            host_prefix: None,
        }
    }

    /// Path and query as they go on the request line.
    pub fn path_and_query(&self) -> String {
        if self.query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, self.query)
        }
    }
}

/// A response as a parser reads it: status, headers and the whole body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Headers,
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub fn new(status: u16, headers: Headers, body: impl Into<Vec<u8>>) -> Self {
        HttpResponse {
            status,
            headers,
            body: body.into(),
        }
    }

    /// Parses a recorded exchange: a status line, header lines, a blank line, then the body.
    /// `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{...}` (`\n` alone is accepted).
    pub fn parse_recorded(raw: &[u8]) -> Result<HttpResponse, String> {
        let (head, body) = split_head(raw).ok_or("no blank line between headers and body")?;
        let head = std::str::from_utf8(head).map_err(|e| format!("headers are not UTF-8: {e}"))?;
        let mut lines = head.lines();
        let status_line = lines.next().ok_or("empty response")?;
        let mut parts = status_line.split_whitespace();
        let _version = parts.next();
        let status = parts
            .next()
            .and_then(|s| s.parse::<u16>().ok())
            .ok_or_else(|| format!("bad status line {status_line:?}"))?;
        let mut headers = Headers::new();
        for line in lines {
            let line = line.trim_end_matches('\r');
            if line.is_empty() {
                continue;
            }
            let (name, value) = line
                .split_once(':')
                .ok_or_else(|| format!("bad header line {line:?}"))?;
            headers.append(name.trim().to_owned(), value.trim().to_owned());
        }
        Ok(HttpResponse::new(status, headers, body.to_vec()))
    }
}

fn split_head(raw: &[u8]) -> Option<(&[u8], &[u8])> {
    for (sep, len) in [(&b"\r\n\r\n"[..], 4usize), (&b"\n\n"[..], 2usize)] {
        if let Some(pos) = raw.windows(len).position(|w| w == sep) {
            return Some((&raw[..pos], &raw[pos + len..]));
        }
    }
    None
}
