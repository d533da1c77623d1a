//! The figures of a run's reports are taken once the run ends, from the newest report of each
//! unit for each campaign only.
//!
//! Figures feed the draft, the digest's rule checks and the console, and all of them use the
//! report that counts now: a unit's newest distinct version ([`crate::register`]'s
//! `item_versions`). A run that reads several reports of one unit (a backfill, a unit that
//! corrects and resends) used to read the figures of every one of them, although the older ones
//! are superseded before anyone looks (on the IMAP benchmark, 2,000 reports from each of 5
//! units, that was a fifth of baocao's CPU; with one report per unit it is nothing). Each
//! report's reading is kept here until a newer distinct one of its unit and campaign replaces
//! it; when the run ends the figures of what is left are taken and stored beside the readings,
//! as before. A report whose figures were never taken (superseded within the run, or the run was
//! killed first) is read again from the archive by [`crate::figures::read_file`] the first time
//! it counts.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::documents::Document;
use crate::recognise::Recogniser;
use crate::store::{self, NewMessage, Store};

/// A unit's newest report of one campaign, as read.
struct Kept {
    /// (received, register id): the order the register puts versions in.
    order: (i64, i64),
    /// The report files' hashes, sorted and joined: a later mail with the same files is a
    /// resend, and the register keeps the first of them as the version.
    files: String,
    /// The message's hash and each report file's path with what was read from it.
    sha: String,
    parts: Vec<(String, Document)>,
}

/// The newest report of each (campaign, unit) read in one run, shared by its readers.
#[derive(Default)]
pub(super) struct NewestReports {
    kept: Mutex<HashMap<(String, String), Kept>>,
}

impl NewestReports {
    /// Offers the report files `reports` (indices into `row.attachments` and `docs`) of the
    /// message stored as `id`; their documents are moved out of `docs` when kept. False when
    /// the message's unit, campaign or time is not known: its figures are then taken at once.
    pub(super) fn offer(
        &self,
        row: &NewMessage,
        id: i64,
        reports: &[usize],
        docs: &mut [Option<Document>],
    ) -> bool {
        // Only report files that were read count: forms only (a unit completing its tables),
        // a report that could not be read or waits for OCR leave the newest read one in place.
        let read: Vec<usize> = reports
            .iter()
            .copied()
            .filter(|&i| {
                docs.get(i).is_some_and(Option::is_some)
                    && row.attachments.get(i).is_some_and(|a| a.error.is_none())
            })
            .collect();
        if read.is_empty() {
            return true;
        }
        let (Some(campaign), Some(unit), Some(ts)) = (
            row.campaign_id.as_ref(),
            row.unit_id.as_ref(),
            row.received_ts,
        ) else {
            return false;
        };
        let mut shas: Vec<&str> = read
            .iter()
            .filter_map(|&i| row.attachments.get(i))
            .map(|a| a.sha256.as_str())
            .collect();
        shas.sort_unstable();
        let files = shas.join(",");
        let Ok(mut kept) = self.kept.lock() else {
            return false;
        };
        let key = (campaign.clone(), unit.clone());
        let order = (ts, id);
        let newer = kept.get(&key).is_none_or(|k| {
            if k.files == files {
                // The same files again: the register's version is the first to bring them.
                order < k.order
            } else {
                order > k.order
            }
        });
        if newer {
            let parts = read
                .iter()
                .filter_map(|&i| {
                    let a = row.attachments.get(i)?;
                    let doc = docs.get_mut(i)?.take()?;
                    Some((a.path.clone(), doc))
                })
                .collect();
            kept.insert(
                key,
                Kept {
                    order,
                    files,
                    sha: row.sha256.clone(),
                    parts,
                },
            );
        }
        true
    }

    /// Takes the figures of every report kept and stores them beside their readings, in one
    /// transaction.
    pub(super) fn store(self, store: &mut Store, rec: &Recogniser) -> store::Result<()> {
        let kept = match self.kept.into_inner() {
            Ok(k) => k,
            Err(poisoned) => poisoned.into_inner(),
        };
        let mut rows: Vec<(String, String, String)> = Vec::new();
        for ((campaign, _), k) in kept {
            for (path, doc) in k.parts {
                let json = rec
                    .take_figures(&campaign, &doc)
                    .and_then(|f| serde_json::to_string(&f).ok());
                if let Some(json) = json {
                    rows.push((k.sha.clone(), path, json));
                }
            }
        }
        store.store_figures_all(&rows)
    }
}
