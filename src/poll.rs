//! One fetch cycle of the office mailbox: for each folder, new UIDs in batches → archive and
//! commit through the ingest pipeline → flag (and move) on the server → remember how far the
//! folder is stored. Never before the commit: a crash between the two refetches the message,
//! which dedupe stores once.
//!
//! The network, the parsing and the disk work at once: the ingest pipeline runs on its own
//! threads for the whole folder while the next batch is fetched, and each batch it commits is
//! flagged between fetches. A full pass ("reconcile") also fetches every message up to the last
//! stored UID that still lacks the keyword, which catches anything a crash or a missed IDLE
//! notification left behind.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};
use indicatif::ProgressBar;
use tokio::sync::mpsc;

use crate::config::Mailbox;
use crate::i18n::{t, technical};
use crate::ingest;
use crate::recognise::Recogniser;
use crate::source::{Fetched, imap};
use crate::store::Store;

/// Committed messages flagged on the server together (see [`flag_committed`]).
const FLAG_EVERY: usize = 1000;
/// UIDs per flag command at most: scattered ones write about 6 bytes each, well under the
/// 64 KB command line a server accepts.
const FLAG_SET: usize = 5000;
/// The longest a committed message waits for its flag while a poll goes on.
const FLAG_AGE: Duration = Duration::from_secs(5);

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
    /// Messages found unflagged at or below the last stored UID by a full pass.
    pub reconciled: usize,
    /// Stored messages whose reading had hit an internal error, read successfully now.
    pub reread: usize,
    /// Row ids of the newly stored messages (for receipts).
    #[serde(skip)]
    pub new_ids: Vec<i64>,
    /// Messages stored by the first read of a folder (a backfill): recorded, never answered.
    pub backfilled: usize,
}

/// Errors of a poll.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Talking to the server failed.
    #[error(transparent)]
    Imap(#[from] imap::Error),
    /// Storing failed; what was not committed was not flagged and is fetched again next time.
    #[error(transparent)]
    Store(#[from] crate::store::Error),
    /// Another baocao process is reading this mailbox right now.
    #[error("{}", t!("poll-busy", mailbox = .0.as_str()))]
    Busy(String),
    /// The lock file could not be made.
    #[error("{}", technical(t!("poll-lock", path = path.as_str()), source))]
    Lock {
        /// The lock file.
        path: String,
        /// Cause.
        source: std::io::Error,
    },
    /// The ingest threads ended abnormally (a bug); nothing uncommitted was flagged.
    #[error("{}", technical(t!("poll-pipeline"), .0))]
    Pipeline(String),
}

/// How thorough a poll is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    /// Only UIDs above the last stored one.
    New,
    /// Also every older message that does not carry the keyword.
    Full,
}

/// Runs one poll of every folder of `mb`.
pub async fn poll_once(
    store: &mut Store,
    rec: Arc<Recogniser>,
    mb: &Mailbox,
    now: DateTime<FixedOffset>,
    pass: Pass,
    progress: &ProgressBar,
) -> Result<PollReport, Error> {
    let account = format!("{}@{}", mb.username, mb.host);
    let _lock = lock(store, &account)?;
    let mut report = PollReport::default();
    // What an interrupted run stored but did not read (the documents of the last batches).
    crate::blocking::blocking(|| {
        ingest::read_stored(store, &rec, now, crate::store::ReadingState::Pending)
    })?;
    if pass == Pass::Full {
        report.reread = crate::blocking::blocking(|| ingest::reread_failed(store, &rec, now))?;
    }
    let mut session = imap::connect(mb).await?;
    for folder in &mb.folders {
        let opened = imap::select(&mut session, mb, folder).await?;
        let state = store.imap_state(&account, folder)?;
        let first_read = state.is_none();
        let last = match state {
            Some(s) if s.uidvalidity == opened.uidvalidity => s.last_uid,
            Some(s) => {
                let v = s.uidvalidity;
                // The folder was recreated: UIDs mean something else now. Read it all again;
                // dedupe stores each message once, and staff are told.
                let detail = t!(
                    "poll-uidvalidity",
                    folder = folder.to_string(),
                    account = account.to_string(),
                    was = v.to_string(),
                    now = opened.uidvalidity.to_string()
                );
                tracing::warn!(%detail, "uidvalidity changed");
                store.log_event(
                    &now.to_rfc3339(),
                    crate::store::EventKind::UidvalidityChanged,
                    &detail,
                )?;
                report.uidvalidity_changed.push(folder.clone());
                0
            }
            None => 0,
        };
        let mut uids = Vec::new();
        if pass == Pass::Full && opened.keywords {
            uids = imap::unflagged_uids(&mut session, mb, last).await?;
            report.reconciled += uids.len();
            if !uids.is_empty() {
                tracing::info!(folder = %folder, count = uids.len(), "full pass: unflagged mail found at or below the last stored UID");
            }
        }
        uids.extend(imap::new_uids(&mut session, mb, last).await?);
        progress.inc_length(uids.len() as u64);
        let f = Folder {
            account: &account,
            folder,
            uidvalidity: opened.uidvalidity,
            last,
        };
        let r = pull(&mut session, store, &rec, mb, &f, &uids, now, progress).await;
        report.fetched += r.fetched;
        report.stored += r.stored;
        report.duplicates += r.duplicates;
        if first_read {
            // The mailbox's history, read when baocao is first connected: units are not sent
            // receipts for mail they sent long ago.
            report.backfilled += r.new_ids.len();
        } else {
            report.new_ids.extend(r.new_ids);
        }
        r.result?;
    }
    let _ = tokio::time::timeout(mb.timeout, session.logout()).await;
    if let Some(was) = store.mailbox_problem()?.map(|p| p.detail) {
        store.log_event(
            &now.to_rfc3339(),
            crate::store::EventKind::PollRecovered,
            &t!("poll-recovered", was = was),
        )?;
    }
    Ok(report)
}

/// One poll at a time per mailbox, across processes (the daemon and a `poll --once` typed
/// meanwhile): an exclusive advisory lock, released when the returned file is dropped — also
/// when the process dies.
fn lock(store: &Store, account: &str) -> Result<std::fs::File, Error> {
    let name: String = account
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let path = store.root().join(format!("poll-{name}.lock"));
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|source| Error::Lock {
            path: path.display().to_string(),
            source,
        })?;
    file.try_lock()
        .map_err(|_| Error::Busy(account.to_string()))?;
    Ok(file)
}

/// The folder being read.
struct Folder<'a> {
    account: &'a str,
    folder: &'a str,
    uidvalidity: u32,
    last: u32,
}

/// What [`pull`] did, also when it failed part-way.
struct Pulled {
    fetched: usize,
    stored: usize,
    duplicates: usize,
    new_ids: Vec<i64>,
    result: Result<(), Error>,
}

/// UIDs fetched but not yet committed, and how far the folder is safely stored.
struct Progress {
    outstanding: BTreeSet<u32>,
    by_origin: HashMap<String, u32>,
    highest_fetched: u32,
    last: u32,
    /// Committed but not flagged on the server yet, and since when the first of them waits.
    unflagged: Vec<u32>,
    unflagged_since: Option<Instant>,
}

impl Progress {
    /// The highest UID at or below which everything is committed (never below the start).
    fn watermark(&self) -> u32 {
        let w = match self.outstanding.first() {
            Some(low) => low.saturating_sub(1),
            None => self.highest_fetched,
        };
        w.max(self.last)
    }
}

/// Fetches `uids` in batches into one ingest pipeline; flags each committed batch and records
/// the watermark as it goes, so an interrupted backfill resumes where it stopped.
#[allow(clippy::too_many_arguments)]
async fn pull(
    session: &mut async_imap::Session<imap::Stream>,
    store: &mut Store,
    rec: &Arc<Recogniser>,
    mb: &Mailbox,
    f: &Folder<'_>,
    uids: &[u32],
    now: DateTime<FixedOffset>,
    progress: &ProgressBar,
) -> Pulled {
    let mut out = Pulled {
        fetched: 0,
        stored: 0,
        duplicates: 0,
        new_ids: Vec::new(),
        result: Ok(()),
    };
    if uids.is_empty() {
        out.result = store
            .set_imap_state(f.account, f.folder, f.uidvalidity, f.last)
            .map_err(Error::from);
        return out;
    }
    // The pipeline writes through its own connection to the same database, so this side can
    // record the watermark while it runs.
    let mut writer = match Store::open(store.root()) {
        Ok(s) => s,
        Err(e) => {
            out.result = Err(e.into());
            return out;
        }
    };
    // Messages stream in as the server sends them; this only absorbs the pause between two
    // fetch commands.
    let (tx, mut rx) = mpsc::channel::<Fetched>(64);
    let (done_tx, mut done_rx) = mpsc::unbounded_channel::<Vec<String>>();
    let rec = Arc::clone(rec);
    let ingest = tokio::task::spawn_blocking(move || {
        ingest::run_with_commits(
            &mut writer,
            rec,
            now,
            &ProgressBar::hidden(),
            move |sink| {
                while let Some(m) = rx.blocking_recv() {
                    if !sink(m) {
                        break;
                    }
                }
            },
            move |_, origins| {
                // The receiver is gone only when the poll already failed.
                let _ = done_tx.send(origins);
                Ok(())
            },
        )
    });
    let mut p = Progress {
        outstanding: BTreeSet::new(),
        by_origin: HashMap::new(),
        highest_fetched: f.last,
        last: f.last,
        unflagged: Vec::new(),
        unflagged_since: None,
    };
    let mut failed: Option<Error> = None;
    let origin = format!("imap:{}/{}/{}", f.account, f.folder, f.uidvalidity);
    for chunk in uids.chunks(mb.batch_size) {
        let fetched = imap::fetch(session, mb, &origin, chunk, &tx, |m| {
            if let Some(uid) = m.origin.rsplit('/').next().and_then(|u| u.parse().ok()) {
                p.outstanding.insert(uid);
                p.by_origin.insert(m.origin.clone(), uid);
            }
        })
        .await;
        let closed = match fetched {
            Ok((n, closed)) => {
                out.fetched += n;
                closed
            }
            Err(e) => {
                failed = Some(e.into());
                break;
            }
        };
        if closed {
            // The pipeline stopped early: its error is reported below. What it never took
            // stays above the watermark.
            break;
        }
        // UIDs the server no longer has (expunged meanwhile) count as done.
        if let Some(max) = chunk.iter().max() {
            p.highest_fetched = p.highest_fetched.max(*max);
        }
        if let Err(e) =
            flag_committed(session, store, mb, f, &mut p, &mut done_rx, progress, false).await
        {
            failed = Some(e);
            break;
        }
    }
    drop(tx);
    let ingested = ingest.await;
    match ingested {
        Ok(Ok(r)) => {
            out.stored = r.stored;
            out.duplicates = r.duplicates;
            out.new_ids = r.new_ids;
        }
        Ok(Err(e)) => failed = failed.or(Some(e.into())),
        Err(e) => failed = failed.or(Some(Error::Pipeline(e.to_string()))),
    }
    // Whatever was committed is flagged and recorded, even when something failed later.
    if let Err(e) =
        flag_committed(session, store, mb, f, &mut p, &mut done_rx, progress, true).await
    {
        failed = failed.or(Some(e));
    }
    out.result = match failed {
        Some(e) => Err(e),
        None => Ok(()),
    };
    out
}

/// Flags (and moves) the batches the pipeline has committed, then records the watermark. The
/// server is told only about committed messages. Unless `all`, it is told once
/// [`FLAG_EVERY`] messages or [`FLAG_AGE`] have gathered: each flag makes a Maildir server
/// rename the files and sort its whole folder listing again (half a second of Dovecot's CPU
/// over a 10,000-mail backfill when every 200-mail batch was flagged). A crash before the flag
/// costs only the refetch of those messages, which the archive's hashes store once.
#[allow(clippy::too_many_arguments)]
async fn flag_committed(
    session: &mut async_imap::Session<imap::Stream>,
    store: &mut Store,
    mb: &Mailbox,
    f: &Folder<'_>,
    p: &mut Progress,
    done: &mut mpsc::UnboundedReceiver<Vec<String>>,
    progress: &ProgressBar,
    all: bool,
) -> Result<(), Error> {
    while let Ok(origins) = done.try_recv() {
        let before = p.unflagged.len();
        p.unflagged
            .extend(origins.iter().filter_map(|o| p.by_origin.get(o).copied()));
        progress.inc((p.unflagged.len() - before) as u64);
        if p.unflagged.len() > before {
            p.unflagged_since.get_or_insert_with(Instant::now);
        }
    }
    let due = p.unflagged.len() >= FLAG_EVERY
        || p.unflagged_since.is_some_and(|t| t.elapsed() >= FLAG_AGE);
    if p.unflagged.is_empty() || !(all || due) {
        return Ok(());
    }
    let mut committed = std::mem::take(&mut p.unflagged);
    p.unflagged_since = None;
    committed.sort_unstable();
    committed.dedup();
    // A set of ranges: one command for a backfill's whole round, however many.
    for chunk in committed.chunks(FLAG_SET) {
        imap::mark_stored(session, mb, chunk).await?;
    }
    for u in &committed {
        p.outstanding.remove(u);
    }
    store.set_imap_state(f.account, f.folder, f.uidvalidity, p.watermark())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_poll_of_the_same_mailbox_is_refused_while_the_first_runs() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(dir.path()).expect("open");
        let first = lock(&store, "vanphong@mail.example").expect("first lock");
        assert!(matches!(
            lock(&store, "vanphong@mail.example"),
            Err(Error::Busy(_))
        ));
        // Another mailbox is not held up.
        assert!(lock(&store, "bantochuc@mail.example").is_ok());
        drop(first);
        assert!(lock(&store, "vanphong@mail.example").is_ok());
    }

    #[test]
    fn the_watermark_stops_below_the_lowest_uncommitted_uid() {
        let mut p = Progress {
            outstanding: BTreeSet::from([7, 9]),
            by_origin: HashMap::new(),
            highest_fetched: 12,
            last: 3,
            unflagged: Vec::new(),
            unflagged_since: None,
        };
        assert_eq!(p.watermark(), 6);
        p.outstanding.remove(&7);
        assert_eq!(p.watermark(), 8);
        p.outstanding.clear();
        assert_eq!(p.watermark(), 12);
        // A full pass refetching old mail never moves the mark back.
        p.last = 20;
        p.outstanding.insert(5);
        assert_eq!(p.watermark(), 20);
    }
}
