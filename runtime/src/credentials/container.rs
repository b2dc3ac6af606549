//! The container credentials endpoint (ECS tasks, EKS Pod Identity), as botocore reads it:
//! `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (on `http://169.254.170.2`), else
//! `AWS_CONTAINER_CREDENTIALS_FULL_URI`, which must be HTTPS or a loopback address,
//! `169.254.170.2`, `169.254.170.23` or `fd00:ec2::23`. The `Authorization` header comes from
//! `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read again on every call) or
//! `AWS_CONTAINER_AUTHORIZATION_TOKEN`.

use std::net::IpAddr;
use std::time::Duration;

use ::http::Uri;

use super::super::profile::Env;
use super::super::sigv4::Credentials;
use super::super::transport::fetch_within;
use super::super::transport::{HttpTimeouts, HyperClient, OutgoingRequest, TransportErrorKind};
use super::{metadata_json, CredentialsError, ProvideCredentials, ProvideFuture};

/// The name credentials from here carry (botocore's `method`).
pub const PROVIDER_NAME: &str = "container-role";

const ECS_HOST: &str = "http://169.254.170.2";
/// botocore's timeout and attempts for this endpoint.
const TIMEOUT: Duration = Duration::from_secs(2);
const ATTEMPTS: u32 = 3;

#[derive(Clone, Debug)]
pub struct ContainerProvider {
    env: Env,
}

/// Where to ask, and with which token (the token stays out of `Debug`).
struct Target {
    url: Uri,
    token: Option<String>,
}

impl ContainerProvider {
    pub fn new(env: Env) -> Self {
        ContainerProvider { env }
    }

    /// The endpoint from the environment, checked; `NotLoaded` when neither variable is set.
    pub fn endpoint(&self) -> Result<Uri, CredentialsError> {
        if let Some(relative) = self.env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            return format!("{ECS_HOST}{relative}").parse::<Uri>().map_err(|e| {
                CredentialsError::invalid_configuration(format!(
                    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI gives no valid URL: {e}"
                ))
            });
        }
        let Some(full) = self.env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI") else {
            return Err(CredentialsError::not_loaded(
                "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set",
            ));
        };
        let url = full.parse::<Uri>().map_err(|e| {
            CredentialsError::invalid_configuration(format!(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI `{full}` is not a URL: {e}"
            ))
        })?;
        if !allowed(&url) {
            return Err(CredentialsError::invalid_configuration(format!(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI `{full}` must use HTTPS or a loopback address, 169.254.170.2, 169.254.170.23 or fd00:ec2::23"
            )));
        }
        Ok(url)
    }

    fn target(&self) -> Result<Target, CredentialsError> {
        let url = self.endpoint()?;
        let token = if let Some(file) = self.env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            Some(std::fs::read_to_string(&file).map_err(|e| {
                CredentialsError::invalid_configuration(format!(
                    "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE {file}: {e}"
                ))
            })?)
        } else {
            self.env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN")
        };
        if let Some(t) = &token {
            if t.contains(['\r', '\n']) {
                return Err(CredentialsError::invalid_configuration(
                    "the container authorization token contains a line break",
                ));
            }
        }
        Ok(Target { url, token })
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let target = self.target()?;
        let client = HyperClient::new(HttpTimeouts {
            connect: TIMEOUT,
            read: TIMEOUT,
        })
        .map_err(|e| CredentialsError::provider_error(format!("container endpoint: {e}")))?;
        let source = format!("container endpoint {}", target.url);
        let mut last = None;
        for _ in 0..ATTEMPTS {
            let mut request = OutgoingRequest::new("GET", target.url.to_string());
            request.headers.insert("accept", "application/json");
            if let Some(token) = &target.token {
                request.headers.insert("authorization", token.clone());
            }
            match fetch_within(&client, request, TIMEOUT).await {
                Ok((status, body)) => {
                    if (200..300).contains(&status) {
                        return metadata_json::parse(&body, &source, PROVIDER_NAME);
                    }
                    let e = CredentialsError::provider_error(format!(
                        "{source} answered HTTP {status}"
                    ));
                    if (400..500).contains(&status) {
                        return Err(e);
                    }
                    last = Some(e);
                }
                Err(e) if e.kind() == TransportErrorKind::Timeout => {
                    last = Some(CredentialsError::timed_out(format!(
                        "{source}: no answer within {TIMEOUT:?}"
                    )))
                }
                Err(e) => last = Some(CredentialsError::provider_error(format!("{source}: {e}"))),
            }
        }
        Err(last.expect("at least one attempt"))
    }
}

fn allowed(url: &Uri) -> bool {
    match url.scheme_str() {
        Some("https") => return url.host().is_some(),
        Some("http") => {}
        _ => return false,
    }
    let Some(host) = url.host() else {
        return false;
    };
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
    {
        Ok(ip) => {
            ip.is_loopback()
                || ["169.254.170.2", "169.254.170.23", "fd00:ec2::23"]
                    .iter()
                    .any(|a| a.parse::<IpAddr>().ok() == Some(ip))
        }
        Err(_) => false,
    }
}

impl ProvideCredentials for ContainerProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.fetch())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full(uri: &str) -> Result<Uri, CredentialsError> {
        ContainerProvider::new(Env::from_vars([(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            uri,
        )]))
        .endpoint()
    }

    #[test]
    fn full_uri_only_for_loopback_link_local_or_https() {
        for ok in [
            "http://127.0.0.1:8080/creds",
            "http://127.1.2.3/x",
            "http://localhost/x",
            "http://[::1]/x",
            "http://169.254.170.2/x",
            "http://169.254.170.23/v1/credentials",
            "http://[fd00:ec2::23]/x",
            "https://example.com/creds",
        ] {
            assert!(full(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://example.com/x",
            "http://10.0.0.1/x",
            "ftp://127.0.0.1/x",
        ] {
            let e = full(bad).unwrap_err();
            assert_eq!(
                e.kind(),
                super::super::CredentialsErrorKind::InvalidConfiguration
            );
            assert!(e.message().contains("HTTPS or a loopback"), "{e}");
        }
    }

    #[test]
    fn relative_uri_goes_to_the_ecs_host() {
        let p = ContainerProvider::new(Env::from_vars([
            ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/creds"),
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://example.com/x"),
        ]));
        assert_eq!(
            p.endpoint().unwrap().to_string(),
            "http://169.254.170.2/v2/creds"
        );
    }
}
