//! The AWS IoT credentials provider: how a device (a camera) trades its X.509 certificate for
//! temporary AWS credentials.
//!
//! `GET https://<account>.credentials.iot.<region>.amazonaws.com/role-aliases/<alias>/credentials`
//! over mutual TLS (the device's certificate and private key), with the header
//! `x-amzn-iot-thingname: <thing>`; the answer is
//! `{"credentials":{"accessKeyId","secretAccessKey","sessionToken","expiration"}}`.
//! The private key never appears in `Debug`, errors or logs.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value;

use super::super::datetime::{DateTime, Format};
use super::super::http::HttpRequest;
use super::super::profile::Env;
use super::super::rest::encode_label;
use super::super::sigv4::Credentials;
use super::super::transport::pki_types::pem::PemObject;
use super::super::transport::pki_types::{CertificateDer, PrivateKeyDer};
use super::super::transport::{HttpTimeouts, HyperClient, ProxySettings};
use super::service_call::{outgoing, send_with};
use super::{CredentialsError, ProvideCredentials, ProvideFuture};

/// PEM text, from a file or given directly.
#[derive(Clone)]
enum Pem {
    File(PathBuf),
    Bytes(Vec<u8>),
}

impl Pem {
    fn read(&self, what: &str) -> Result<Vec<u8>, CredentialsError> {
        match self {
            Pem::Bytes(b) => Ok(b.clone()),
            Pem::File(path) => std::fs::read(path).map_err(|e| {
                CredentialsError::invalid_configuration(format!(
                    "IoT credentials: cannot read the {what} file {}: {e}",
                    path.display()
                ))
            }),
        }
    }
}

/// Builds an [`IotCredentialsProvider`].
#[derive(Clone, Default)]
pub struct IotCredentialsProviderBuilder {
    endpoint: Option<String>,
    thing_name: Option<String>,
    role_alias: Option<String>,
    certificate: Option<Pem>,
    private_key: Option<Pem>,
    ca: Option<Pem>,
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    proxies: Option<ProxySettings>,
}

impl fmt::Debug for IotCredentialsProviderBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IotCredentialsProviderBuilder")
            .field("endpoint", &self.endpoint)
            .field("thing_name", &self.thing_name)
            .field("role_alias", &self.role_alias)
            .field("certificate", &describe(&self.certificate))
            .field(
                "private_key",
                &self.private_key.as_ref().map(|_| "** redacted **"),
            )
            .field("ca", &describe(&self.ca))
            .field("proxies", &self.proxies)
            .finish()
    }
}

fn describe(pem: &Option<Pem>) -> Option<String> {
    pem.as_ref().map(|p| match p {
        Pem::File(path) => path.display().to_string(),
        Pem::Bytes(b) => format!("<{} bytes of PEM>", b.len()),
    })
}

impl IotCredentialsProviderBuilder {
    /// The account's credentials endpoint (`aws iot describe-endpoint --endpoint-type
    /// iot:CredentialProvider`): `xxxx.credentials.iot.<region>.amazonaws.com`, or a URL
    /// (`https://host:port`).
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// The thing name, sent as `x-amzn-iot-thingname`.
    pub fn thing_name(mut self, name: impl Into<String>) -> Self {
        self.thing_name = Some(name.into());
        self
    }

    /// The role alias that names the IAM role.
    pub fn role_alias(mut self, alias: impl Into<String>) -> Self {
        self.role_alias = Some(alias.into());
        self
    }

    /// The device certificate (PEM; a chain may follow it).
    pub fn certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.certificate = Some(Pem::Bytes(pem.into()));
        self
    }

    pub fn certificate_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.certificate = Some(Pem::File(path.into()));
        self
    }

    /// The device's private key (PEM: PKCS#8, PKCS#1 RSA or SEC1 EC).
    pub fn private_key_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.private_key = Some(Pem::Bytes(pem.into()));
        self
    }

    pub fn private_key_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.private_key = Some(Pem::File(path.into()));
        self
    }

    /// An extra CA (PEM) that may sign the endpoint's certificate (tests, private CAs); the
    /// usual web roots stay trusted.
    pub fn ca_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.ca = Some(Pem::Bytes(pem.into()));
        self
    }

    pub fn ca_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.ca = Some(Pem::File(path.into()));
        self
    }

    pub fn connect_timeout(mut self, t: Duration) -> Self {
        self.connect_timeout = Some(t);
        self
    }

    pub fn read_timeout(mut self, t: Duration) -> Self {
        self.read_timeout = Some(t);
        self
    }

    /// The proxies to go through; by default those of the process's environment
    /// ([`ProxySettings::from_env`]).
    pub fn proxies(mut self, proxies: ProxySettings) -> Self {
        self.proxies = Some(proxies);
        self
    }

    /// Reads the files and checks the PEM; every missing setting is named.
    pub fn build(self) -> Result<IotCredentialsProvider, CredentialsError> {
        let mut missing = Vec::new();
        let required = |v: &Option<String>, name: &'static str, missing: &mut Vec<&str>| match v
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(s) => s.to_string(),
            None => {
                missing.push(name);
                String::new()
            }
        };
        let endpoint = required(&self.endpoint, "endpoint", &mut missing);
        let thing_name = required(&self.thing_name, "thing name", &mut missing);
        let role_alias = required(&self.role_alias, "role alias", &mut missing);
        if self.certificate.is_none() {
            missing.push("client certificate");
        }
        if self.private_key.is_none() {
            missing.push("private key");
        }
        if !missing.is_empty() {
            return Err(CredentialsError::invalid_configuration(format!(
                "IoT credentials: missing {}",
                missing.join(", ")
            )));
        }
        let certificate = self
            .certificate
            .as_ref()
            .map_or(Ok(Vec::new()), |p| p.read("client certificate"))?;
        let key = self
            .private_key
            .as_ref()
            .map_or(Ok(Vec::new()), |p| p.read("private key"))?;
        if !contains_pem(&certificate, "CERTIFICATE") {
            return Err(CredentialsError::invalid_configuration(
                "IoT credentials: the client certificate is not a PEM certificate (-----BEGIN CERTIFICATE-----)",
            ));
        }
        if !contains_pem(&key, "PRIVATE KEY") {
            return Err(CredentialsError::invalid_configuration(
                "IoT credentials: the private key is not a PEM private key (-----BEGIN ... PRIVATE KEY-----)",
            ));
        }
        let unloadable = || {
            CredentialsError::invalid_configuration(
                "IoT credentials: the client certificate and private key could not be loaded (unsupported key type, or not PEM)",
            )
        };
        let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&certificate)
            .collect::<Result<_, _>>()
            .map_err(|_| unloadable())?;
        let key = PrivateKeyDer::from_pem_slice(&key).map_err(|_| unloadable())?;
        let mut client = HyperClient::builder()
            .timeouts(HttpTimeouts {
                connect: self.connect_timeout.unwrap_or(Duration::from_millis(3100)),
                read: self.read_timeout.unwrap_or(Duration::from_secs(10)),
            })
            .proxies(
                self.proxies
                    .unwrap_or_else(|| ProxySettings::from_env(&Env::process())),
            )
            .client_identity(chain, key);
        if let Some(ca) = &self.ca {
            let pem = ca.read("CA")?;
            let certs = CertificateDer::pem_slice_iter(&pem)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| {
                    CredentialsError::invalid_configuration(format!(
                        "IoT credentials: the CA is not PEM: {e}"
                    ))
                })?;
            if certs.is_empty() {
                return Err(CredentialsError::invalid_configuration(
                    "IoT credentials: the CA file holds no certificate",
                ));
            }
            client = client.add_root_certificates(certs);
        }
        let client = client.build().map_err(|e| {
            CredentialsError::invalid_configuration(format!(
                "IoT credentials: cannot set up TLS: {e}"
            ))
        })?;
        let endpoint = if endpoint.contains("://") {
            endpoint.trim_end_matches('/').to_string()
        } else {
            format!("https://{}", endpoint.trim_end_matches('/'))
        };
        Ok(IotCredentialsProvider {
            endpoint,
            thing_name,
            role_alias,
            client,
        })
    }
}

fn contains_pem(bytes: &[u8], label_suffix: &str) -> bool {
    let text = String::from_utf8_lossy(bytes);
    text.lines().any(|l| {
        let l = l.trim();
        l.starts_with("-----BEGIN ") && l.ends_with(&format!("{label_suffix}-----"))
    })
}

/// Temporary credentials from the AWS IoT credentials provider. Each call asks the endpoint
/// again; wrap it in a cache to keep them until they are about to expire.
#[derive(Clone)]
pub struct IotCredentialsProvider {
    endpoint: String,
    thing_name: String,
    role_alias: String,
    client: HyperClient,
}

impl fmt::Debug for IotCredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IotCredentialsProvider")
            .field("endpoint", &self.endpoint)
            .field("thing_name", &self.thing_name)
            .field("role_alias", &self.role_alias)
            .finish_non_exhaustive()
    }
}

impl IotCredentialsProvider {
    pub fn builder() -> IotCredentialsProviderBuilder {
        IotCredentialsProviderBuilder::default()
    }

    /// The URL the credentials are asked at.
    pub fn url(&self) -> String {
        format!(
            "{}/role-aliases/{}/credentials",
            self.endpoint,
            encode_label(&self.role_alias, false)
        )
    }

    /// Asks the endpoint for credentials.
    pub async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let mut request = HttpRequest::new(
            "GET",
            format!(
                "/role-aliases/{}/credentials",
                encode_label(&self.role_alias, false)
            ),
        );
        request
            .headers
            .insert("x-amzn-iot-thingname", self.thing_name.clone());
        let request = outgoing(&self.endpoint, request);
        tracing::debug!(url = %request.url, thing_name = %self.thing_name, "iot credentials");
        let answer = send_with(&self.client, "IoT credentials", request, |_, _| false).await?;
        parse_credentials(answer.status, &answer.body)
    }
}

impl ProvideCredentials for IotCredentialsProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.credentials())
    }
}

/// Reads the endpoint's answer.
pub fn parse_credentials(status: u16, body: &[u8]) -> Result<Credentials, CredentialsError> {
    let value: Option<Value> = serde_json::from_slice(body).ok();
    if !(200..300).contains(&status) {
        let message = value
            .as_ref()
            .and_then(|v| v.get("message").or_else(|| v.get("Message")))
            .and_then(Value::as_str);
        let hint = match status {
            403 => " (is the certificate active and attached to the thing, and does the role alias exist?)",
            _ => "",
        };
        return Err(CredentialsError::provider_error(format!(
            "IoT credentials: HTTP {status}{}{hint}",
            message.map(|m| format!(": {m}")).unwrap_or_default()
        )));
    }
    let malformed = |what: &str| {
        CredentialsError::provider_error(format!("IoT credentials: a malformed answer: {what}"))
    };
    let value = value.ok_or_else(|| malformed("not JSON"))?;
    let creds = value
        .get("credentials")
        .filter(|v| v.is_object())
        .ok_or_else(|| malformed("no `credentials` object"))?;
    let field = |k: &str| {
        creds
            .get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .ok_or_else(|| malformed(&format!("no `credentials.{k}`")))
    };
    let access_key_id = field("accessKeyId")?;
    let secret = field("secretAccessKey")?;
    let token = field("sessionToken")?;
    let expiration = field("expiration")?;
    let expiry = DateTime::parse(&expiration, Format::DateTime)
        .map_err(|_| malformed("`credentials.expiration` is not an ISO-8601 date-time"))?;
    Ok(Credentials::new(access_key_id, secret, Some(token))
        .with_expiry(Some(expiry.into()))
        .with_provider_name("iot"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers() {
        let c = parse_credentials(
            200,
            br#"{"credentials":{"accessKeyId":"ASIAIOT","secretAccessKey":"s","sessionToken":"t","expiration":"2026-12-02T01:00:00Z"}}"#,
        )
        .unwrap();
        assert_eq!(c.provider_name(), "iot");
        assert_eq!(c.session_token(), Some("t"));
        let e = parse_credentials(403, br#"{"message":"Access Denied"}"#).unwrap_err();
        assert!(e.to_string().contains("HTTP 403: Access Denied"), "{e}");
        for bad in [&b"{"[..], b"{}", br#"{"credentials":{"accessKeyId":"A"}}"#] {
            assert!(parse_credentials(200, bad).is_err());
        }
    }

    #[test]
    fn build_names_what_is_missing_and_never_shows_the_key() {
        let e = IotCredentialsProvider::builder()
            .thing_name("cam")
            .build()
            .unwrap_err();
        assert_eq!(
            e.message(),
            "IoT credentials: missing endpoint, role alias, client certificate, private key"
        );
        let b = IotCredentialsProvider::builder()
            .endpoint("x")
            .thing_name("cam")
            .role_alias("a")
            .certificate_pem("not pem")
            .private_key_pem(
                "-----BEGIN PRIVATE KEY-----\nSECRETKEYBYTES\n-----END PRIVATE KEY-----\n",
            );
        assert!(!format!("{b:?}").contains("SECRETKEYBYTES"));
        let e = b.build().unwrap_err();
        assert!(e.message().contains("not a PEM certificate"), "{e}");
        assert!(!format!("{e:?}").contains("SECRETKEYBYTES"));
    }
}
