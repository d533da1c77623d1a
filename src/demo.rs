//! The bundled demo: a realistic sample mailbox (units answering request 809-CV/HU) and the
//! shipped configuration, compiled into the binary so `baocao demo` needs no files, server or
//! network.

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

static MAIL: Dir = include_dir!("$CARGO_MANIFEST_DIR/demo/mail");

/// The shipped `config/baocao.toml`.
pub const CONFIG: &str = include_str!("../config/baocao.toml");
/// The shipped campaign file.
pub const CAMPAIGN: &str = include_str!("../config/campaigns/809-CV-HU.toml");
/// The shipped units registry.
pub const UNITS: &str = include_str!("../config/units.csv");
/// The moment the demo looks at the register from: the morning after the last sample mail.
pub const DEFAULT_NOW: &str = "2023-02-02T08:00:00+07:00";

/// The sample messages, `(file name, raw bytes)`, in file-name order.
pub fn mail() -> Vec<(&'static str, &'static [u8])> {
    let mut v: Vec<(&str, &[u8])> = MAIL
        .files()
        .filter(|f| f.path().extension().is_some_and(|e| e == "eml"))
        .filter_map(|f| {
            f.path()
                .file_name()
                .and_then(|n| n.to_str())
                .map(|n| (n, f.contents()))
        })
        .collect();
    v.sort_by_key(|(n, _)| *n);
    v
}

/// Writes the shipped configuration into `dir/config/`, with the data folder set to `dir`.
/// Returns the path of the written `baocao.toml`.
pub fn write_config(dir: &Path) -> std::io::Result<PathBuf> {
    let cfg = dir.join("config");
    std::fs::create_dir_all(cfg.join("campaigns"))?;
    let main = CONFIG.replace("data-dir = \"../data\"", "data-dir = \"..\"");
    std::fs::write(cfg.join("baocao.toml"), main)?;
    std::fs::write(cfg.join("campaigns").join("809-CV-HU.toml"), CAMPAIGN)?;
    std::fs::write(cfg.join("units.csv"), UNITS)?;
    Ok(cfg.join("baocao.toml"))
}
