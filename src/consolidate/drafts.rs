//! Writing the drafts and keeping the latest: `<data>/drafts/<campaign>/` holds the workbook,
//! the Word draft and `built.json` (when, as of when, from which submissions). The daemon
//! builds them once the unit deadline has passed and again whenever what counts changes (a
//! late submission, a correction, a staff decision); `notify::act` mails each new build to the
//! campaign's consolidation recipients.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::{Consolidation, Error, Result, build, docx, file_names, xlsx};
use crate::config::{Campaign, Config};
use crate::store::{Store, sha256_hex};

/// What a build wrote.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Built {
    /// Campaign id.
    pub campaign: String,
    /// When it was built (the clock's now).
    pub built_at: String,
    /// The moment its figures are taken at.
    pub as_of: String,
    /// What it was built from: a hash of the submissions and paper marks that count.
    pub fingerprint: String,
    /// The workbook.
    pub xlsx: PathBuf,
    /// The Word draft.
    pub docx: PathBuf,
    /// Units that must answer / sent their report / sent nothing.
    pub figures: (usize, usize, usize),
}

/// Where the latest drafts of `campaign` are kept.
pub fn latest_dir(config: &Config, campaign: &str) -> PathBuf {
    config.data_dir.join("drafts").join(campaign)
}

/// The latest build of `campaign`, if any.
pub fn latest(config: &Config, campaign: &str) -> Option<Built> {
    let text = std::fs::read_to_string(latest_dir(config, campaign).join("built.json")).ok()?;
    serde_json::from_str(&text).ok()
}

/// A hash of what the drafts of `campaign` are made from at `as_of`: every submission of the
/// campaign received by then (its bytes' hash, unit and staff decisions) and the paper marks.
pub fn fingerprint(
    store: &Store,
    campaign: &Campaign,
    as_of: DateTime<FixedOffset>,
) -> Result<String> {
    let mut parts: Vec<String> = store
        .campaign_messages(&campaign.id)?
        .iter()
        .filter(|m| m.received_ts.is_some_and(|t| t <= as_of.timestamp()))
        .map(|m| {
            let items: Vec<String> = m.attachments.iter().map(|a| a.items.join("+")).collect();
            format!(
                "{}|{}|{}",
                m.sha256,
                m.unit_id.as_deref().unwrap_or("-"),
                items.join(",")
            )
        })
        .collect();
    for mk in store.marks(&campaign.id)? {
        if mk.at_ts <= as_of.timestamp() {
            parts.push(format!("mark|{}|{}|{}", mk.unit_id, mk.item_id, mk.at_ts));
        }
    }
    parts.sort();
    Ok(sha256_hex(parts.join("\n").as_bytes()))
}

fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let io = |source| Error::Io {
        path: path.display().to_string(),
        source,
    };
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)
}

/// Builds both drafts of `campaign` as of `as_of` into `dir` (created if needed).
pub fn write_drafts(
    store: &Store,
    config: &Config,
    campaign: &Campaign,
    as_of: DateTime<FixedOffset>,
    now: DateTime<FixedOffset>,
    dir: &Path,
) -> Result<(Built, Consolidation)> {
    let mut model = build(store, config, campaign, as_of)?;
    model.built_at = now;
    std::fs::create_dir_all(dir).map_err(|source| Error::Io {
        path: dir.display().to_string(),
        source,
    })?;
    let (xname, dname) = file_names(&campaign.id);
    let (xpath, dpath) = (dir.join(xname), dir.join(dname));
    write_atomic(&xpath, &xlsx::write(&model)?)?;
    write_atomic(&dpath, &docx::write(&model)?)?;
    let built = Built {
        campaign: campaign.id.clone(),
        built_at: now.to_rfc3339(),
        as_of: as_of.to_rfc3339(),
        fingerprint: fingerprint(store, campaign, as_of)?,
        xlsx: xpath,
        docx: dpath,
        figures: (
            model.figures.total,
            model.figures.reported,
            model.figures.missing.len(),
        ),
    };
    Ok((built, model))
}

/// Builds the drafts into the data folder and records the build.
pub fn build_latest(
    store: &Store,
    config: &Config,
    campaign: &Campaign,
    now: DateTime<FixedOffset>,
) -> Result<Built> {
    let dir = latest_dir(config, &campaign.id);
    let (built, _) = write_drafts(store, config, campaign, now, now, &dir)?;
    let json = serde_json::to_vec_pretty(&built).map_err(|e| Error::Io {
        path: dir.join("built.json").display().to_string(),
        source: std::io::Error::other(e),
    })?;
    write_atomic(&dir.join("built.json"), &json)?;
    Ok(built)
}

/// Builds the drafts of `c` into the data folder when there are none yet or what counts has
/// changed since the last build (a late submission, a correction, a staff decision). Returns
/// the build and why it was made, or None when the latest build is still current.
pub fn refresh(
    store: &Store,
    config: &Config,
    c: &Campaign,
    now: DateTime<FixedOffset>,
) -> Result<Option<(Built, String)>> {
    let print = fingerprint(store, c, now)?;
    let reason = match latest(config, &c.id) {
        None => "đã quá hạn nộp của các đơn vị".to_string(),
        Some(b) if b.fingerprint != print => {
            "có đơn vị gửi thêm hoặc gửi lại sau lần lập trước".to_string()
        }
        Some(_) => return Ok(None),
    };
    Ok(Some((build_latest(store, config, c, now)?, reason)))
}
