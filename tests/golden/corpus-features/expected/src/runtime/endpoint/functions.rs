// @generated: a verbatim copy of `runtime/src/endpoint/functions.rs` of smithy-lite-runtime.
// Do not edit: run `cargo xtask codegen`.

//! The standard library and AWS functions of the rules engine, as plain Rust functions.

use std::net::Ipv6Addr;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::Value;

/// One step of a `getAttr` path: `a.b[0]` is `[Key(a), Key(b), Index(0)]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathSegment {
    Key(String),
    Index(usize),
}

/// Parses a `getAttr` path (`a.b[0]`).
pub fn parse_path(path: &str) -> std::result::Result<Vec<PathSegment>, String> {
    let bad = || format!("invalid getAttr path {path:?}");
    let mut segments = Vec::new();
    for part in path.split('.') {
        let (key, mut indexes) = part.split_at(part.find('[').unwrap_or(part.len()));
        if !key.is_empty() {
            segments.push(PathSegment::Key(key.to_owned()));
        } else if indexes.is_empty() {
            return Err(bad());
        }
        while let Some(rest) = indexes.strip_prefix('[') {
            let (index, after) = rest.split_once(']').ok_or_else(bad)?;
            segments.push(PathSegment::Index(index.parse().map_err(|_| bad())?));
            indexes = after;
        }
        if !indexes.is_empty() {
            return Err(bad());
        }
    }
    Ok(segments)
}

/// The value at `path` in `value`; `None` when a key is missing or an index out of bounds.
pub fn get_attr<'v>(value: &'v Value, path: &[PathSegment]) -> Option<&'v Value> {
    path.iter().try_fold(value, |v, segment| match segment {
        PathSegment::Key(key) => v.as_object()?.get(key),
        PathSegment::Index(i) => v.as_array()?.get(*i),
    })
}

/// `input[start..stop]`, or counted from the end when `reverse`. `None` when the range does not
/// fit, or the input is not ASCII (the spec's rule: indices count characters, not bytes).
pub fn substring(input: &str, start: i64, stop: i64, reverse: bool) -> Option<String> {
    let len = input.len();
    let (start, stop) = (usize::try_from(start).ok()?, usize::try_from(stop).ok()?);
    if !input.is_ascii() || start >= stop || stop > len {
        return None;
    }
    let range = if reverse {
        len - stop..len - start
    } else {
        start..stop
    };
    Some(input[range].to_owned())
}

/// RFC 3986 percent-encoding of everything but the unreserved characters.
const URI_ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

pub fn uri_encode(input: &str) -> String {
    utf8_percent_encode(input, URI_ENCODE).to_string()
}

/// Whether `value` is an RFC 1123 host label (1-63 letters, digits and hyphens, not starting
/// with a hyphen); with `allow_sub_domains`, dot-separated labels, none empty.
pub fn is_valid_host_label(value: &str, allow_sub_domains: bool) -> bool {
    let label = |l: &str| {
        l.len() <= 63
            && l.starts_with(|c: char| c.is_ascii_alphanumeric())
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    if allow_sub_domains {
        value.split('.').all(label)
    } else {
        label(value)
    }
}

/// The result of `parseURL`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url {
    pub scheme: String,
    /// Host and port as written (no default port added), without userinfo.
    pub authority: String,
    /// The path as written; empty when the URL has none.
    pub path: String,
    /// The path, starting and ending with `/`.
    pub normalized_path: String,
    pub is_ip: bool,
}

impl Url {
    pub(super) fn to_value(&self) -> Value {
        serde_json::json!({
            "scheme": self.scheme,
            "authority": self.authority,
            "path": self.path,
            "normalizedPath": self.normalized_path,
            "isIp": self.is_ip,
        })
    }
}

/// Parses an endpoint URL. `None` for anything but an absolute http(s) URL with a host, and
/// for URLs with a query (the spec rejects those) or a fragment.
pub fn parse_url(input: &str) -> Option<Url> {
    let (scheme, rest) = input.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if (scheme != "http" && scheme != "https") || rest.contains(['?', '#']) {
        return None;
    }
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
    if authority
        .chars()
        .any(|c| c.is_whitespace() || c.is_control())
    {
        return None;
    }
    // `[v6]:port` or `host:port`; a port, when written, is decimal digits.
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => {
            let (addr, after) = v6.split_once(']')?;
            addr.parse::<Ipv6Addr>().ok()?;
            let port = match after {
                "" => None,
                after => Some(after.strip_prefix(':')?),
            };
            (&authority[..addr.len() + 2], port)
        }
        None => match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        },
    };
    let port_ok = |p: &str| p.bytes().all(|b| b.is_ascii_digit()) && p.parse::<u16>().is_ok();
    if host.is_empty() || port.is_some_and(|p| !port_ok(p)) {
        return None;
    }
    // Dotted quads as the reference implementation reads them (leading zeros allowed).
    let octets: Vec<&str> = host.split('.').collect();
    let is_ip = host.starts_with('[')
        || octets.len() == 4
            && octets
                .iter()
                .all(|o| o.bytes().all(|b| b.is_ascii_digit()) && o.parse::<u8>().is_ok());
    let mut normalized_path = format!("/{}", path.trim_start_matches('/'));
    if !normalized_path.ends_with('/') {
        normalized_path.push('/');
    }
    Some(Url {
        scheme,
        authority: authority.to_owned(),
        path: path.to_owned(),
        normalized_path,
        is_ip,
    })
}

/// The result of `aws.parseArn`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arn {
    pub partition: String,
    pub service: String,
    pub region: String,
    pub account_id: String,
    /// The resource part, split on `:` and `/`.
    pub resource_id: Vec<String>,
}

impl Arn {
    pub(super) fn to_value(&self) -> Value {
        serde_json::json!({
            "partition": self.partition,
            "service": self.service,
            "region": self.region,
            "accountId": self.account_id,
            "resourceId": self.resource_id,
        })
    }
}

/// Parses `arn:partition:service:region:account:resource`; region and account may be empty.
pub fn parse_arn(input: &str) -> Option<Arn> {
    let mut parts = input.splitn(6, ':');
    let mut next = || parts.next();
    let (arn, partition, service) = (next()?, next()?, next()?);
    let (region, account_id, resource) = (next()?, next()?, next()?);
    if arn != "arn" || partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    Some(Arn {
        partition: partition.to_owned(),
        service: service.to_owned(),
        region: region.to_owned(),
        account_id: account_id.to_owned(),
        resource_id: resource.split([':', '/']).map(str::to_owned).collect(),
    })
}

/// Whether `value` can be an S3 bucket host label: 3-63 lower-case letters, digits and hyphens
/// (and, with `allow_sub_domains`, dots), starting and ending with a letter or digit. With dots,
/// no `..`, `.-` or `-.`, and nothing shaped like an IPv4 address (`999.999.999.999` included).
pub fn is_virtual_hostable_s3_bucket(value: &str, allow_sub_domains: bool) -> bool {
    let alnum = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    if !(3..=63).contains(&value.len()) || !value.starts_with(alnum) || !value.ends_with(alnum) {
        return false;
    }
    if !allow_sub_domains {
        return value.chars().all(|c| alnum(c) || c == '-');
    }
    let labels_ok = value.split('.').all(|label| {
        label.starts_with(alnum)
            && label.ends_with(alnum)
            && label.chars().all(|c| alnum(c) || c == '-')
    });
    let ip_like = value.split('.').count() == 4
        && value
            .split('.')
            .all(|p| p.bytes().all(|b| b.is_ascii_digit()));
    labels_ok && !ip_like
}
