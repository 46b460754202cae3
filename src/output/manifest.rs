//! `case.toml`: what produced a case (supportsim version, scenario, seed) and a SHA-256 checksum of
//! every file, so a case can be re-created and checked byte for byte. No timestamps: the same inputs
//! give the same manifest.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::cli::Format;
use crate::error::AppError;
use crate::scenario::Scenario;
use crate::scenarios::Loaded;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub supportsim_version: String,
    pub scenario_name: String,
    pub seed: u64,
    pub format: String,
    /// File path relative to the case folder → lowercase hex SHA-256.
    pub files: BTreeMap<String, String>,
    /// The scenario as it was used.
    pub scenario: Scenario,
}

/// SHA-256 of a file, lowercase hex.
pub fn sha256_file(path: &Path) -> Result<String, AppError> {
    let mut f = std::fs::File::open(path).map_err(|e| AppError::io("cannot read", path, e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf).map_err(|e| AppError::io("cannot read", path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(format!("{:x}", hasher.finalize()))
}

/// Writes `case.toml` into `dir` with `sums` (path relative to `dir` → SHA-256 of the file).
pub fn write(
    dir: &Path,
    sums: BTreeMap<String, String>,
    loaded: &Loaded,
    seed: u64,
    format: Format,
) -> Result<(), AppError> {
    let manifest = Manifest {
        supportsim_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario_name: loaded.name.clone(),
        seed,
        format: format.as_str().to_string(),
        files: sums,
        scenario: loaded.scenario.clone(),
    };
    let text = toml::to_string(&manifest).map_err(|e| AppError::Output(format!("writing case.toml: {e}")))?;
    let path = dir.join("case.toml");
    std::fs::write(
        &path,
        format!(
            "# supportsim case manifest: re-create with `supportsim generate --scenario {} --seed {seed}`\n{text}",
            loaded.name
        ),
    )
    .map_err(|e| AppError::io("cannot write", &path, e))
}
