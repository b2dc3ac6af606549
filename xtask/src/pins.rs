//! The pinned model inputs (`model/models.toml`) and where their bytes come from: a local
//! mirror folder, or a download into `.model-cache/`. Every read is checked against the pin's
//! sha256.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use sha2::{Digest, Sha256};
use smithy_lite_runtime::profile::Env;
use smithy_lite_runtime::transport::{
    HttpClient, HttpTimeouts, HyperClient, OutgoingRequest, ProxySettings,
};

#[derive(Debug, Clone, Deserialize)]
pub struct Pin {
    /// File name in a mirror and in the cache.
    pub file: String,
    /// The service shape to generate (models only).
    #[serde(default)]
    pub service: String,
    pub repository: String,
    /// A commit, or a tag.
    pub commit: String,
    pub path: String,
    pub sha256: String,
    /// The generated crate's version (models only).
    #[serde(default)]
    pub crate_version: String,
    /// Where the file is in a mirror, relative to it, when not at its root.
    pub mirror_path: Option<String>,
    /// Endpoint test cases of the model whose expectation the pinned data changes (models only).
    #[serde(default)]
    pub endpoint_test_override: Vec<smithy_lite_codegen::EndpointTestOverride>,
    /// `Client::data_endpoint`: the operation that looks up data-plane endpoints (models only).
    pub data_endpoint: Option<smithy_lite_codegen::DataEndpointHelper>,
}

impl Pin {
    /// Where `fetch` downloads the file from. `KVS_MODEL_BASE_URL` replaces the host part
    /// (`{base}/{repository}/{commit}/{path}`), for tests and private mirrors.
    pub fn url(&self) -> String {
        self.url_at(&default_base_url())
    }

    /// The download URL under another base.
    pub fn url_at(&self, base: &str) -> String {
        format!(
            "{}/{}/{}/{}",
            base.trim_end_matches('/'),
            self.repository,
            self.commit,
            self.path
        )
    }
}

/// `model/models.toml`: the models to generate from, and data files the crates embed.
#[derive(Deserialize)]
pub struct Manifest {
    pub model: Vec<Pin>,
    #[serde(default)]
    pub data: Vec<Pin>,
    /// Endpoint test overrides every model gets (each must match a test case of each model).
    #[serde(default)]
    pub endpoint_test_override: Vec<smithy_lite_codegen::EndpointTestOverride>,
}

impl Manifest {
    pub fn data(&self, file: &str) -> Result<&Pin, String> {
        self.data
            .iter()
            .find(|d| d.file == file)
            .ok_or_else(|| format!("model/models.toml pins no data file {file:?}"))
    }

    /// The endpoint test overrides of `pin`: the shared ones, then its own.
    pub fn endpoint_test_overrides(
        &self,
        pin: &Pin,
    ) -> Vec<smithy_lite_codegen::EndpointTestOverride> {
        self.endpoint_test_override
            .iter()
            .chain(&pin.endpoint_test_override)
            .cloned()
            .collect()
    }

    pub fn all(&self) -> impl Iterator<Item = &Pin> {
        self.model.iter().chain(&self.data)
    }
}

pub fn load(path: &Path) -> Result<Manifest, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse(&text, &path.display().to_string())
}

/// A manifest from its text (`origin` names it in errors: a path, or `REV:model/models.toml`).
pub fn parse(text: &str, origin: &str) -> Result<Manifest, String> {
    toml::from_str(text).map_err(|e| format!("{origin}: {e}"))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn default_base_url() -> String {
    std::env::var("KVS_MODEL_BASE_URL")
        .unwrap_or_else(|_| "https://raw.githubusercontent.com".to_string())
}

pub struct ModelSource {
    cache: PathBuf,
    mirror: Option<PathBuf>,
    base_url: String,
}

impl ModelSource {
    pub fn new(root: &Path, mirror: Option<PathBuf>) -> Self {
        ModelSource {
            cache: root.join(".model-cache"),
            base_url: default_base_url(),
            mirror,
        }
    }

    /// A local path holding the pinned bytes of `pin`. With a mirror, a file of the cache with
    /// the pinned sha256 stands in for a mirror file that is older or newer than the pin (as
    /// after `cargo xtask update`).
    pub fn get(&self, pin: &Pin) -> Result<PathBuf, String> {
        if let Some(mirror) = &self.mirror {
            let path = mirror.join(pin.mirror_path.as_deref().unwrap_or(&pin.file));
            let checked = std::fs::read(&path)
                .map_err(|e| {
                    format!(
                        "{}: {e}\n  the mirror (--mirror or KVS_MODEL_MIRROR) must hold {}; unset it to download instead",
                        path.display(),
                        pin.file
                    )
                })
                .and_then(|bytes| verify(pin, &bytes, &path));
            return match checked {
                Ok(()) => Ok(path),
                Err(e) => self.find_in_cache(pin).ok_or(e),
            };
        }
        if let Some(path) = self.find_in_cache(pin) {
            return Ok(path);
        }
        let path = self.cache.join(&pin.file);
        let url = pin.url_at(&self.base_url);
        let bytes = download(&url)?;
        verify(pin, &bytes, Path::new(&url))?;
        std::fs::create_dir_all(&self.cache)
            .map_err(|e| format!("{}: {e}", self.cache.display()))?;
        std::fs::write(&path, &bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(path)
    }
}

impl ModelSource {
    /// `cargo xtask fetch`: `get`, and a file found in the mirror is also copied into the
    /// cache, so that later commands find it without `--mirror`.
    pub fn fetch(&self, pin: &Pin) -> Result<PathBuf, String> {
        let found = self.get(pin)?;
        let cached = self.cache.join(&pin.file);
        if found == cached || self.find_in_cache(pin).is_some() {
            return Ok(found);
        }
        std::fs::create_dir_all(&self.cache)
            .map_err(|e| format!("{}: {e}", self.cache.display()))?;
        std::fs::copy(&found, &cached)
            .map_err(|e| format!("{} -> {}: {e}", found.display(), cached.display()))?;
        Ok(cached)
    }

    pub fn cache_dir(&self) -> &Path {
        &self.cache
    }

    pub fn mirror(&self) -> Option<&Path> {
        self.mirror.as_deref()
    }

    /// `.model-cache/by-sha256/<sha256>`: every model file `cargo xtask update` has moved a
    /// pin from or to, so that older pins (`cargo xtask diff --base REV`) stay readable.
    pub fn by_sha_path(&self, sha256: &str) -> PathBuf {
        self.cache.join("by-sha256").join(sha256)
    }

    /// The cache's copy of `pin` (by file name, else by sha256), if it has the pinned bytes.
    fn find_in_cache(&self, pin: &Pin) -> Option<PathBuf> {
        [self.cache.join(&pin.file), self.by_sha_path(&pin.sha256)]
            .into_iter()
            .find(|p| std::fs::read(p).is_ok_and(|b| sha256_hex(&b) == pin.sha256))
    }

    /// A local file with exactly the bytes `pin` names, without downloading: the mirror's file
    /// or any file at the top of the mirror folder, then the cache.
    pub fn find_local(&self, pin: &Pin) -> Option<PathBuf> {
        let matches = |p: &Path| std::fs::read(p).is_ok_and(|b| sha256_hex(&b) == pin.sha256);
        if let Some(mirror) = &self.mirror {
            let named = mirror.join(pin.mirror_path.as_deref().unwrap_or(&pin.file));
            if matches(&named) {
                return Some(named);
            }
            let mut others: Vec<PathBuf> = std::fs::read_dir(mirror)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
                .collect();
            others.sort();
            if let Some(p) = others.into_iter().find(|p| matches(p)) {
                return Some(p);
            }
        }
        self.find_in_cache(pin)
    }

    /// Downloads `pin` from its pinned URL into `by-sha256/`.
    pub fn download_by_sha(&self, pin: &Pin) -> Result<PathBuf, String> {
        let url = pin.url_at(&self.base_url);
        let bytes = download(&url)?;
        verify(pin, &bytes, Path::new(&url))?;
        self.keep(&bytes)
    }

    /// Stores `bytes` as `by-sha256/<sha256>` (once).
    pub fn keep(&self, bytes: &[u8]) -> Result<PathBuf, String> {
        let path = self.by_sha_path(&sha256_hex(bytes));
        if !path.exists() {
            let dir = path.parent().expect("by-sha256 has a parent");
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        Ok(path)
    }
}

fn verify(pin: &Pin, bytes: &[u8], origin: &Path) -> Result<(), String> {
    let actual = sha256_hex(bytes);
    if actual == pin.sha256 {
        Ok(())
    } else {
        Err(format!(
            "{} has sha256 {actual}, but model/models.toml pins {} at {}\n  if the model was updated on purpose, move the pin (README: \"Updating the model\"); otherwise the file is corrupt or the wrong one",
            origin.display(),
            pin.file,
            pin.sha256
        ))
    }
}

fn download(url: &str) -> Result<Vec<u8>, String> {
    let offline = "without network access, pass --mirror DIR (or set KVS_MODEL_MIRROR) to a folder holding the model files";
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("downloading {url}: {e}"))?;
    runtime.block_on(async {
        let client = HyperClient::builder()
            .timeouts(HttpTimeouts {
                connect: Duration::from_secs(10),
                read: Duration::from_secs(60),
            })
            .proxies(ProxySettings::from_env(&Env::process()))
            .build()
            .map_err(|e| format!("downloading {url}: {e}"))?;
        // A few redirects are followed (a moved raw file answers 301).
        let mut target = url.to_string();
        for _ in 0..5 {
            let response = client
                .send(OutgoingRequest::new("GET", target.clone()))
                .await
                .map_err(|e| format!("downloading {url}: {e}\n  {offline}"))?;
            let status = response.status;
            if (300..400).contains(&status) {
                if let Some(location) = response.headers.get("location") {
                    target = redirected(&target, location);
                    continue;
                }
            }
            if !(200..300).contains(&status) {
                return Err(format!("downloading {url}: HTTP {status}"));
            }
            return response
                .body
                .collect()
                .await
                .map_err(|e| format!("downloading {url}: {e}"));
        }
        Err(format!("downloading {url}: too many redirects"))
    })
}

/// Where a `Location` header sends a request for `from`: an absolute URL as it is, a path on
/// the same host.
fn redirected(from: &str, location: &str) -> String {
    if location.contains("://") {
        return location.to_string();
    }
    let after_scheme = from.find("://").map_or(0, |i| i + 3);
    let origin_end = from[after_scheme..]
        .find('/')
        .map_or(from.len(), |i| after_scheme + i);
    format!(
        "{}/{}",
        &from[..origin_end],
        location.trim_start_matches('/')
    )
}

#[cfg(test)]
mod fetch_tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpListener;

    /// Serves `body` with `status` to at most `n` requests on 127.0.0.1, then stops.
    fn serve(status: &'static str, body: Vec<u8>, n: usize) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            for stream in listener.incoming().take(n) {
                let mut stream = stream.unwrap();
                let mut buf = [0u8; 4096];
                let _ = stream.read(&mut buf);
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body);
            }
        });
        format!("http://{addr}")
    }

    fn pin_for(bytes: &[u8]) -> Pin {
        Pin {
            file: "model.json".into(),
            service: "ns#Svc".into(),
            repository: "owner/repo".into(),
            commit: "0123456789abcdef".into(),
            path: "dir/model.json".into(),
            sha256: sha256_hex(bytes),
            crate_version: "0.1.0".into(),
            mirror_path: None,
            endpoint_test_override: Vec::new(),
            data_endpoint: None,
        }
    }

    fn source(base_url: String) -> (ModelSource, PathBuf) {
        let root = std::env::temp_dir().join(format!(
            "xtask-fetch-{}-{}",
            std::process::id(),
            base_url.rsplit(':').next().unwrap()
        ));
        let _ = std::fs::remove_dir_all(&root);
        let source = ModelSource {
            cache: root.join(".model-cache"),
            mirror: None,
            base_url,
        };
        (source, root)
    }

    #[test]
    fn downloads_checks_and_caches_the_pinned_file() {
        let body = br#"{"smithy":"2.0","shapes":{}}"#.to_vec();
        let pin = pin_for(&body);
        // One request only: the second `get` must be served from the cache.
        let (source, root) = source(serve("200 OK", body.clone(), 1));
        let path = source.get(&pin).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), body);
        assert_eq!(source.get(&pin).unwrap(), path);
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn a_wrong_hash_is_a_clear_error_and_nothing_is_cached() {
        let mut pin = pin_for(b"expected bytes");
        pin.sha256 = sha256_hex(b"expected bytes");
        let (source, root) = source(serve("200 OK", b"other bytes".to_vec(), 1));
        let err = source.get(&pin).unwrap_err();
        assert!(
            err.contains("has sha256") && err.contains("pins model.json"),
            "{err}"
        );
        assert!(!root.join(".model-cache/model.json").exists());
        let _ = std::fs::remove_dir_all(root);
    }

    #[test]
    fn fetch_from_a_mirror_fills_the_cache() {
        let body = br#"{"smithy":"2.0","shapes":{"a#B":{"type":"string"}}}"#.to_vec();
        let pin = pin_for(&body);
        let root = std::env::temp_dir().join(format!("xtask-fetch-mirror-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("mirror")).unwrap();
        std::fs::write(root.join("mirror/model.json"), &body).unwrap();
        let with_mirror = ModelSource {
            cache: root.join(".model-cache"),
            mirror: Some(root.join("mirror")),
            base_url: String::new(),
        };
        let cached = with_mirror.fetch(&pin).unwrap();
        assert_eq!(cached, root.join(".model-cache/model.json"));
        // Without the mirror (and with no server to download from) the cache serves it.
        let without = ModelSource {
            cache: root.join(".model-cache"),
            mirror: None,
            base_url: "http://127.0.0.1:9".into(),
        };
        assert_eq!(std::fs::read(without.get(&pin).unwrap()).unwrap(), body);
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn a_missing_file_is_a_clear_error() {
        let pin = pin_for(b"x");
        let (source, root) = source(serve("404 Not Found", b"no".to_vec(), 1));
        let err = source.get(&pin).unwrap_err();
        assert!(err.contains("HTTP 404"), "{err}");
        let _ = std::fs::remove_dir_all(root);
        // A mirror without the file names the folder and the way out.
        let mirror = ModelSource {
            cache: std::env::temp_dir().join("xtask-no-cache"),
            mirror: Some(std::env::temp_dir().join("xtask-empty-mirror")),
            base_url: String::new(),
        };
        let err = mirror.get(&pin).unwrap_err();
        assert!(
            err.contains("the mirror (--mirror or KVS_MODEL_MIRROR) must hold model.json"),
            "{err}"
        );
    }

    #[test]
    fn a_redirect_is_followed() {
        let body = b"moved here".to_vec();
        let to = serve("200 OK", body.clone(), 1);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let from = format!("http://{}", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let head = format!(
                "HTTP/1.1 301 Moved Permanently\r\nLocation: {to}/new/file\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            let _ = stream.write_all(head.as_bytes());
        });
        assert_eq!(download(&format!("{from}/old/file")).unwrap(), body);
        assert_eq!(
            redirected("https://h.example/a/b", "/c/d"),
            "https://h.example/c/d"
        );
    }
}
