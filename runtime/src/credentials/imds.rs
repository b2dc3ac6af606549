//! EC2 instance metadata (IMDSv2 only): a session token from `PUT /latest/api/token`, then the
//! instance profile's role name and its credentials, and the instance's region.
//!
//! Settings, as botocore reads them: `AWS_EC2_METADATA_DISABLED=true` turns it off;
//! `AWS_EC2_METADATA_SERVICE_ENDPOINT` (profile `ec2_metadata_service_endpoint`) moves it;
//! `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` (profile `ec2_metadata_service_endpoint_mode`,
//! `IPv4` or `IPv6`) picks the default address. Each request waits 1 s and is tried twice, so
//! a machine without the service gives up within about 2 s.

use std::fmt;
use std::time::{Duration, Instant};

use tokio::sync::Mutex;

use super::super::profile::{Env, Profile};
use super::super::sigv4::Credentials;
use super::super::transport::fetch_within;
use super::super::transport::{HttpTimeouts, HyperClient, OutgoingRequest};
use super::{metadata_json, CredentialsError, ProvideCredentials, ProvideFuture};

/// The name credentials from here carry (botocore's `method`).
pub const PROVIDER_NAME: &str = "iam-role";

const IPV4_ENDPOINT: &str = "http://169.254.169.254";
const IPV6_ENDPOINT: &str = "http://[fd00:ec2::254]";
const TOKEN_TTL_SECS: u64 = 21_600;
const CREDENTIALS_PATH: &str = "/latest/meta-data/iam/security-credentials/";
const REGION_PATH: &str = "/latest/meta-data/placement/region";

/// Timeouts of the metadata service calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImdsSettings {
    /// Connect and read timeout of each request.
    pub timeout: Duration,
    /// Tries per request (a timeout, a refused connection or a 5xx is tried again).
    pub attempts: u32,
}

impl Default for ImdsSettings {
    fn default() -> Self {
        ImdsSettings {
            timeout: Duration::from_secs(1),
            attempts: 2,
        }
    }
}

/// A client of the instance metadata service that keeps its session token.
pub struct ImdsClient {
    endpoint: String,
    settings: ImdsSettings,
    http: HyperClient,
    token: Mutex<Option<(String, Instant)>>,
}

impl fmt::Debug for ImdsClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImdsClient")
            .field("endpoint", &self.endpoint)
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

/// Why a request failed: the service is not there at all, or it answered.
enum Failure {
    Unreachable(String),
    Status(u16),
    Other(CredentialsError),
}

impl ImdsClient {
    /// The client the environment and profile describe; `NotLoaded` when
    /// `AWS_EC2_METADATA_DISABLED` is `true`.
    pub fn new(
        env: &Env,
        profile: &Profile,
        settings: ImdsSettings,
    ) -> Result<Self, CredentialsError> {
        if env
            .get("AWS_EC2_METADATA_DISABLED")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        {
            return Err(CredentialsError::not_loaded(
                "instance metadata is disabled (AWS_EC2_METADATA_DISABLED=true)",
            ));
        }
        let endpoint = match env.get("AWS_EC2_METADATA_SERVICE_ENDPOINT").or_else(|| {
            profile
                .get("ec2_metadata_service_endpoint")
                .map(str::to_owned)
        }) {
            Some(e) => e.trim_end_matches('/').to_string(),
            None => {
                let mode = env
                    .get("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE")
                    .or_else(|| {
                        profile
                            .get("ec2_metadata_service_endpoint_mode")
                            .map(str::to_owned)
                    });
                match mode.as_deref().map(str::trim) {
                    None => IPV4_ENDPOINT.to_string(),
                    Some(m) if m.eq_ignore_ascii_case("ipv4") => IPV4_ENDPOINT.to_string(),
                    Some(m) if m.eq_ignore_ascii_case("ipv6") => IPV6_ENDPOINT.to_string(),
                    Some(m) => {
                        return Err(CredentialsError::invalid_configuration(format!(
                            "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE `{m}` is neither IPv4 nor IPv6"
                        )))
                    }
                }
            }
        };
        let http = HyperClient::new(HttpTimeouts {
            connect: settings.timeout,
            read: settings.timeout,
        })
        .map_err(|e| CredentialsError::provider_error(format!("instance metadata: {e}")))?;
        Ok(ImdsClient {
            endpoint,
            settings,
            http,
            token: Mutex::new(None),
        })
    }

    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// One request, tried `attempts` times on timeouts, refused connections and 5xx.
    async fn send(
        &self,
        method: &'static str,
        path: &str,
        header: (&'static str, &str),
    ) -> Result<String, Failure> {
        let url = format!("{}{path}", self.endpoint);
        let mut last = Failure::Unreachable("no attempt".into());
        for _ in 0..self.settings.attempts.max(1) {
            let mut request = OutgoingRequest::new(method, url.clone());
            request.headers.insert(header.0, header.1.to_string());
            match fetch_within(&self.http, request, self.settings.timeout).await {
                Ok((status, body)) => {
                    if (200..300).contains(&status) {
                        return Ok(String::from_utf8_lossy(&body).into_owned());
                    }
                    last = Failure::Status(status);
                    if status < 500 {
                        break;
                    }
                }
                Err(e) => last = Failure::Unreachable(e.to_string()),
            }
        }
        Err(last)
    }

    /// The session token, fetched again when `renew` or when it is about to lapse.
    async fn token(&self, renew: bool) -> Result<String, CredentialsError> {
        let mut cached = self.token.lock().await;
        if !renew {
            if let Some((token, until)) = &*cached {
                if Instant::now() < *until {
                    return Ok(token.clone());
                }
            }
        }
        let ttl = TOKEN_TTL_SECS.to_string();
        match self
            .send(
                "PUT",
                "/latest/api/token",
                ("x-aws-ec2-metadata-token-ttl-seconds", &ttl),
            )
            .await
        {
            Ok(token) => {
                let until = Instant::now() + Duration::from_secs(TOKEN_TTL_SECS - 60);
                *cached = Some((token.clone(), until));
                Ok(token)
            }
            Err(f) => Err(self.failure("/latest/api/token", f)),
        }
    }

    fn failure(&self, path: &str, f: Failure) -> CredentialsError {
        match f {
            Failure::Unreachable(why) => CredentialsError::not_loaded(format!(
                "no instance metadata service at {} ({why}; {} attempts)",
                self.endpoint, self.settings.attempts
            )),
            Failure::Status(s) => CredentialsError::provider_error(format!(
                "instance metadata {path} answered HTTP {s}"
            )),
            Failure::Other(e) => e,
        }
    }

    /// `GET path` with the session token; a 401 renews the token once.
    async fn get_raw(&self, path: &str) -> Result<String, Failure> {
        let token = self.token(false).await.map_err(Failure::Other)?;
        match self
            .send("GET", path, ("x-aws-ec2-metadata-token", &token))
            .await
        {
            Err(Failure::Status(401)) => {
                let token = self.token(true).await.map_err(Failure::Other)?;
                self.send("GET", path, ("x-aws-ec2-metadata-token", &token))
                    .await
            }
            other => other,
        }
    }

    /// `GET path` (a metadata path such as `/latest/meta-data/placement/region`).
    pub async fn get(&self, path: &str) -> Result<String, CredentialsError> {
        self.get_raw(path).await.map_err(|f| self.failure(path, f))
    }

    /// The instance profile's credentials.
    pub async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let roles = match self.get_raw(CREDENTIALS_PATH).await {
            Ok(r) => r,
            Err(Failure::Status(404)) => {
                return Err(CredentialsError::not_loaded(
                    "the instance has no IAM instance profile (metadata security-credentials/ answered 404)",
                ))
            }
            Err(f) => return Err(self.failure(CREDENTIALS_PATH, f)),
        };
        let Some(role) = roles.lines().map(str::trim).find(|l| !l.is_empty()) else {
            return Err(CredentialsError::not_loaded(
                "the instance has no IAM instance profile (no role name in metadata)",
            ));
        };
        let path = format!("{CREDENTIALS_PATH}{role}");
        let body = match self.get_raw(&path).await {
            Ok(b) => b,
            Err(Failure::Status(404)) => {
                return Err(CredentialsError::provider_error(format!(
                    "instance metadata has no credentials for role `{role}` (404): the role was removed from the instance profile or is not ready yet"
                )))
            }
            Err(f) => return Err(self.failure(&path, f)),
        };
        metadata_json::parse(
            body.as_bytes(),
            &format!("instance metadata role `{role}`"),
            PROVIDER_NAME,
        )
    }

    /// The instance's region (`/latest/meta-data/placement/region`).
    pub async fn region(&self) -> Result<String, CredentialsError> {
        let region = self.get(REGION_PATH).await?;
        let region = region.trim();
        if region.is_empty() {
            return Err(CredentialsError::provider_error(
                "instance metadata gave an empty region",
            ));
        }
        Ok(region.to_string())
    }
}

/// Credentials of the EC2 instance profile.
#[derive(Debug)]
pub struct ImdsProvider {
    client: Result<ImdsClient, (super::CredentialsErrorKind, String)>,
}

impl ImdsProvider {
    pub fn new(env: &Env, profile: &Profile, settings: ImdsSettings) -> Self {
        ImdsProvider {
            client: ImdsClient::new(env, profile, settings)
                .map_err(|e| (e.kind(), e.message().to_string())),
        }
    }
}

impl ProvideCredentials for ImdsProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move {
            match &self.client {
                Ok(c) => c.credentials().await,
                Err((kind, message)) => Err(CredentialsError::new(*kind, message.clone())),
            }
        })
    }
}
