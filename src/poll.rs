//! One fetch cycle of the office mailbox: for each folder, new UIDs in batches → archive and
//! commit through the ingest pipeline → flag (and move) on the server → remember the last UID.
//! Never before the commit: a crash between the two refetches the batch, which is stored once.

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use indicatif::ProgressBar;

use crate::config::Mailbox;
use crate::ingest;
use crate::recognise::Recogniser;
use crate::source::imap;
use crate::store::Store;

/// What a poll did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct PollReport {
    /// Messages fetched.
    pub fetched: usize,
    /// Newly stored.
    pub stored: usize,
    /// Already stored (refetched), flagged again.
    pub duplicates: usize,
    /// Folders whose UIDVALIDITY changed (re-read in full; dedupe kept them once).
    pub uidvalidity_changed: Vec<String>,
}

/// Errors of a poll.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Talking to the server failed.
    #[error(transparent)]
    Imap(#[from] imap::Error),
    /// Storing failed; nothing of the batch was flagged.
    #[error(transparent)]
    Store(#[from] crate::store::Error),
}

/// Runs one poll of every folder of `mb`.
pub async fn poll_once(
    store: &mut Store,
    rec: Arc<Recogniser>,
    mb: &Mailbox,
    now: DateTime<FixedOffset>,
    progress: &ProgressBar,
) -> Result<PollReport, Error> {
    let mut session = imap::connect(mb).await?;
    let account = format!("{}@{}", mb.username, mb.host);
    let mut report = PollReport::default();
    for folder in &mb.folders {
        let opened = imap::select(&mut session, mb, folder).await?;
        let last = match store.imap_state(&account, folder)? {
            Some((v, last)) if v == opened.uidvalidity => last,
            Some((v, _)) => {
                // The folder was recreated: UIDs mean something else now. Read it all again;
                // dedupe stores each message once, and staff are told.
                let detail = format!(
                    "folder {folder:?} of {account}: UIDVALIDITY changed from {v} to {}; the folder was read again in full",
                    opened.uidvalidity
                );
                tracing::warn!(%detail, "uidvalidity changed");
                store.log_event(&now.to_rfc3339(), "uidvalidity_changed", &detail)?;
                report.uidvalidity_changed.push(folder.clone());
                0
            }
            None => 0,
        };
        let uids = imap::new_uids(&mut session, mb, last).await?;
        progress.inc_length(uids.len() as u64);
        for chunk in uids.chunks(mb.batch_size) {
            let fetched = imap::fetch(
                &mut session,
                mb,
                &account,
                folder,
                opened.uidvalidity,
                chunk,
            )
            .await?;
            report.fetched += fetched.len();
            let pb = ProgressBar::hidden();
            let r = ingest::run(store, Arc::clone(&rec), now, &pb, move |sink| {
                for f in fetched {
                    if !sink(f) {
                        break;
                    }
                }
            })?;
            report.stored += r.stored;
            report.duplicates += r.duplicates;
            // Committed: now the server may be told.
            imap::mark_stored(&mut session, mb, chunk).await?;
            if let Some(max) = chunk.iter().max() {
                store.set_imap_state(&account, folder, opened.uidvalidity, *max)?;
            }
            progress.inc(chunk.len() as u64);
        }
        if uids.is_empty() {
            store.set_imap_state(&account, folder, opened.uidvalidity, last)?;
        }
    }
    let _ = tokio::time::timeout(mb.timeout, session.logout()).await;
    Ok(report)
}
