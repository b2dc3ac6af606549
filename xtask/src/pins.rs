//! The pinned model inputs (`model/models.toml`) and where their bytes come from: a local
//! mirror folder, or a download into `.model-cache/`. Every read is checked against the pin's
//! sha256.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};

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
}

impl Pin {
    /// Where `fetch` downloads the file from. `KVS_MODEL_BASE_URL` replaces the host part
    /// (`{base}/{repository}/{commit}/{path}`), for tests and private mirrors.
    pub fn url(&self) -> String {
        let base = std::env::var("KVS_MODEL_BASE_URL")
            .unwrap_or_else(|_| "https://raw.githubusercontent.com".to_string());
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
}

impl Manifest {
    pub fn data(&self, file: &str) -> Result<&Pin, String> {
        self.data
            .iter()
            .find(|d| d.file == file)
            .ok_or_else(|| format!("model/models.toml pins no data file {file:?}"))
    }

    pub fn all(&self) -> impl Iterator<Item = &Pin> {
        self.model.iter().chain(&self.data)
    }
}

pub fn load(path: &Path) -> Result<Manifest, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

pub struct ModelSource {
    cache: PathBuf,
    mirror: Option<PathBuf>,
}

impl ModelSource {
    pub fn new(root: &Path, mirror: Option<PathBuf>) -> Self {
        ModelSource {
            cache: root.join(".model-cache"),
            mirror,
        }
    }

    /// A local path holding the pinned bytes of `pin`.
    pub fn get(&self, pin: &Pin) -> Result<PathBuf, String> {
        if let Some(mirror) = &self.mirror {
            let path = mirror.join(pin.mirror_path.as_deref().unwrap_or(&pin.file));
            let bytes = std::fs::read(&path).map_err(|e| {
                format!(
                    "{}: {e}\n  the mirror (--mirror or KVS_MODEL_MIRROR) must hold {}; unset it to download instead",
                    path.display(),
                    pin.file
                )
            })?;
            verify(pin, &bytes, &path)?;
            return Ok(path);
        }
        let path = self.cache.join(&pin.file);
        if let Ok(bytes) = std::fs::read(&path) {
            if verify(pin, &bytes, &path).is_ok() {
                return Ok(path);
            }
        }
        let bytes = download(&pin.url())?;
        verify(pin, &bytes, Path::new(&pin.url()))?;
        std::fs::create_dir_all(&self.cache)
            .map_err(|e| format!("{}: {e}", self.cache.display()))?;
        std::fs::write(&path, &bytes).map_err(|e| format!("{}: {e}", path.display()))?;
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
    let response = reqwest::blocking::Client::builder()
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .and_then(|c| c.get(url).send())
        .map_err(|e| format!("downloading {url}: {e}\n  without network access, pass --mirror DIR (or set KVS_MODEL_MIRROR) to a folder holding the model files"))?;
    if !response.status().is_success() {
        return Err(format!("downloading {url}: HTTP {}", response.status()));
    }
    response
        .bytes()
        .map(|b| b.to_vec())
        .map_err(|e| format!("downloading {url}: {e}"))
}
