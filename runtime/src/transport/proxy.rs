//! Which proxy a request goes through: `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY`
//! (either case, the upper-case one first), as curl, botocore and the AWS SDKs read them.

use std::fmt;

use hyper_util::client::proxy::matcher::Matcher;

use super::super::profile::Env;
use super::{TransportError, TransportErrorKind};

/// The proxies of a [`super::HyperClient`]. The default reads none; the configuration's client
/// reads them from its environment ([`ProxySettings::from_env`]).
///
/// A proxy is an `http://` URL (`host:port` alone means `http://host:port`), with an optional
/// `user:password@` for its `Proxy-Authorization`. HTTPS requests go through it with
/// `CONNECT`; plain HTTP requests are sent to it whole.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ProxySettings {
    http: Option<String>,
    https: Option<String>,
    no_proxy: Option<String>,
}

impl ProxySettings {
    /// No proxy at all.
    pub fn none() -> Self {
        ProxySettings::default()
    }

    /// `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` (for both) and `NO_PROXY` of `env`, each in
    /// upper case or, when that is unset, lower case. An empty value is unset.
    pub fn from_env(env: &Env) -> Self {
        let read = |name: &str| {
            env.get(&name.to_ascii_uppercase())
                .or_else(|| env.get(name))
                .filter(|v| !v.trim().is_empty())
        };
        let all = read("all_proxy");
        ProxySettings {
            http: read("http_proxy").or_else(|| all.clone()),
            https: read("https_proxy").or(all),
            no_proxy: read("no_proxy"),
        }
    }

    /// The proxy for `http://` URLs.
    pub fn http(mut self, proxy: impl Into<String>) -> Self {
        self.http = Some(proxy.into());
        self
    }

    /// The proxy for `https://` URLs.
    pub fn https(mut self, proxy: impl Into<String>) -> Self {
        self.https = Some(proxy.into());
        self
    }

    /// Hosts reached directly, comma-separated: a domain (with its subdomains), an IP address,
    /// a network (`10.0.0.0/8`), or `*` for every host.
    pub fn no_proxy(mut self, hosts: impl Into<String>) -> Self {
        self.no_proxy = Some(hosts.into());
        self
    }

    /// The matcher, or `None` when no proxy is set; a proxy that is no `http://` URL is an
    /// error that names the setting (without its password).
    pub(super) fn matcher(&self) -> Result<Option<Matcher>, TransportError> {
        if self.http.is_none() && self.https.is_none() {
            return Ok(None);
        }
        let mut builder = Matcher::builder();
        if let Some(p) = &self.http {
            builder = builder.http(checked("HTTP", p)?);
        }
        if let Some(p) = &self.https {
            builder = builder.https(checked("HTTPS", p)?);
        }
        if let Some(no) = &self.no_proxy {
            builder = builder.no(no.as_str());
        }
        Ok(Some(builder.build()))
    }
}

/// `proxy` as given, once it is known to be an `http://` URL with a host.
fn checked<'a>(which: &str, proxy: &'a str) -> Result<&'a str, TransportError> {
    let refuse = |why: &str| {
        TransportError::new(
            TransportErrorKind::Other,
            format!("the {which} proxy `{}` {why}", redacted(proxy)),
        )
    };
    // Parsed as the matcher parses it, so that what it would drop is refused here.
    let trimmed = proxy.trim();
    let Ok(uri) = trimmed.parse::<::http::Uri>() else {
        return Err(refuse("is not a URL with a host"));
    };
    if uri
        .scheme()
        .is_some_and(|s| *s != ::http::uri::Scheme::HTTP)
    {
        return Err(refuse(
            "is not supported: only http:// proxies are (HTTPS requests go through them with CONNECT)",
        ));
    }
    if uri.host().map_or(true, str::is_empty) {
        return Err(refuse("is not a URL with a host"));
    }
    Ok(trimmed)
}

/// A proxy URL with its password replaced by `***`.
fn redacted(proxy: &str) -> String {
    let (prefix, rest) = match proxy.find("://") {
        Some(i) => proxy.split_at(i + 3),
        None => ("", proxy),
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{prefix}{user}:***@{host}{}", &rest[authority_end..])
        }
        None => proxy.to_string(),
    }
}

impl fmt::Debug for ProxySettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProxySettings")
            .field("http", &self.http.as_deref().map(redacted))
            .field("https", &self.https.as_deref().map(redacted))
            .field("no_proxy", &self.no_proxy)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_environment_names_the_proxies_upper_case_first() {
        let env = Env::from_vars([
            ("HTTPS_PROXY", "http://upper:3128"),
            ("https_proxy", "http://lower:3128"),
            ("http_proxy", "http://plain:8080"),
            ("no_proxy", "169.254.169.254,.internal"),
        ]);
        assert_eq!(
            ProxySettings::from_env(&env),
            ProxySettings::none()
                .https("http://upper:3128")
                .http("http://plain:8080")
                .no_proxy("169.254.169.254,.internal")
        );
        let all = Env::from_vars([("ALL_PROXY", "proxy:1"), ("HTTP_PROXY", "  ")]);
        assert_eq!(
            ProxySettings::from_env(&all),
            ProxySettings::none().http("proxy:1").https("proxy:1")
        );
        assert_eq!(
            ProxySettings::from_env(&Env::from_vars::<&str, &str>([])),
            ProxySettings::none()
        );
    }

    #[test]
    fn no_proxy_hosts_go_direct() {
        let m = ProxySettings::none()
            .https("http://user:pw@proxy.example:3128")
            .no_proxy("amazonaws.com.cn, 10.0.0.0/8")
            .matcher()
            .unwrap()
            .unwrap();
        let through = m
            .intercept(
                &"https://kinesisvideo.us-east-1.amazonaws.com/x"
                    .parse()
                    .unwrap(),
            )
            .unwrap();
        assert_eq!(through.uri(), "http://proxy.example:3128/");
        assert_eq!(through.basic_auth().unwrap(), "Basic dXNlcjpwdw==");
        for direct in [
            "https://kinesisvideo.cn-north-1.amazonaws.com.cn/",
            "https://10.1.2.3/",
            "http://kinesisvideo.us-east-1.amazonaws.com/",
        ] {
            assert!(m.intercept(&direct.parse().unwrap()).is_none(), "{direct}");
        }
    }

    #[test]
    fn a_proxy_that_cannot_be_used_is_refused_without_its_password() {
        for (proxy, why) in [
            ("https://user:secret@proxy:443", "only http:// proxies"),
            ("socks5://user:secret@proxy:1080", "only http:// proxies"),
            ("http://user:secret@", "not a URL with a host"),
            ("http://user:secret@bad host:1/", "not a URL with a host"),
            // No scheme and a path: no URL the matcher reads (it would drop it unsaid).
            ("user:secret@proxy:3128/", "not a URL with a host"),
        ] {
            let e = ProxySettings::none().https(proxy).matcher().unwrap_err();
            let text = e.to_string();
            assert!(text.contains(why), "{proxy}: {text}");
            assert!(text.contains("user:***@"), "{proxy}: {text}");
            assert!(!text.contains("secret"), "{proxy}: {text}");
            assert_eq!(e.kind(), TransportErrorKind::Other);
        }
        let debug = format!(
            "{:?}",
            ProxySettings::none().http("http://me:secret@proxy:3128")
        );
        assert!(
            !debug.contains("secret") && debug.contains("me:***@proxy:3128"),
            "{debug}"
        );
    }
}
