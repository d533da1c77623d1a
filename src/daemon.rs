//! The daemon (`baocao run`): two tokio tasks side by side until SIGTERM/SIGINT.
//!
//! - The mailbox task polls, then waits for new mail with IMAP IDLE (re-issued well before the
//!   server's 29-minute limit) or a plain sleep, with a full pass at start and every
//!   `reconcile-minutes`. A failed poll is logged, shown to staff and retried with capped
//!   exponential backoff and jitter; it never ends the daemon. After each poll it queues
//!   receipts for what was stored and wakes the scheduler to send them.
//! - The slow reader task reads, off the mailbox's path and a few at a time, the scans and old
//!   formats that need OCR or LibreOffice, then queues the receipts that waited for them.
//! - The scheduler task wakes every minute (or when asked): it queues the reminders and the
//!   digest that fell due — asking the mailbox task for a fresh poll first, so a unit whose mail
//!   has just arrived is not reminded — and sends the outbox.
//!
//! Each task has its own connection to the store (SQLite in WAL mode serialises the writes). A
//! cycle in progress is finished before stopping, so a batch is never left between commit and
//! flag, and a mail is never left between "sending" and its result by a shutdown.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, mpsc, oneshot};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::blocking::blocking;
use crate::clock::Clock;
use crate::config::Config;
use crate::i18n::t;
use crate::notify::{self, Sender, templates::Templates};
use crate::poll::{Pass, poll_once};
use crate::recognise::Recogniser;
use crate::schedule;
use crate::source::imap;
use crate::store::{ReadingState, Store};

/// Messages whose receipt waits for their slow reading (ids), shared by the mailbox task that
/// stores them and the slow reader task that reads them.
type Awaiting = Arc<std::sync::Mutex<Vec<i64>>>;

/// Why a wait for mail ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wake {
    /// The folder holds mail above the last stored UID, or the server announced some.
    NewMail,
    /// The time limit passed (or the folder was recreated): poll anyway.
    Timeout,
}

/// Blocks in IDLE on `folder` until the server reports a change or `limit` passes. Mail that
/// arrived after the last poll's search and before IDLE started would never be announced:
/// so the folder is searched above the last stored UID first, and the announcements that came
/// while IDLE was being set up are read too.
async fn idle_on(
    cfg: &crate::config::Mailbox,
    folder: &str,
    limit: Duration,
    stored: Option<crate::store::FolderState>,
) -> Result<Wake, imap::Error> {
    let mut session = imap::connect(cfg).await?;
    let opened = imap::select(&mut session, cfg, folder).await?;
    match stored {
        Some(s) if s.uidvalidity == opened.uidvalidity => {
            if !imap::new_uids(&mut session, cfg, s.last_uid)
                .await?
                .is_empty()
            {
                let _ = session.logout().await;
                return Ok(Wake::NewMail);
            }
        }
        // Never read, or recreated: the poll decides what to read.
        _ => {
            let _ = session.logout().await;
            return Ok(Wake::NewMail);
        }
    }
    let announced = session.unsolicited_responses.clone();
    let mut idle = session.idle();
    idle.init().await.map_err(|e| imap::Error::Protocol {
        step: "starting IDLE",
        detail: e.to_string(),
    })?;
    let mut wake = Wake::Timeout;
    while let Ok(r) = announced.try_recv() {
        if matches!(
            r,
            async_imap::types::UnsolicitedResponse::Exists(_)
                | async_imap::types::UnsolicitedResponse::Recent(_)
        ) {
            wake = Wake::NewMail;
        }
    }
    if wake == Wake::Timeout {
        let (wait, _interrupt) = idle.wait_with_timeout(limit);
        if let Ok(async_imap::extensions::idle::IdleResponse::NewData(_)) = wait.await {
            wake = Wake::NewMail;
        }
    }
    let _ = idle.done().await;
    Ok(wake)
}

/// Waits for new mail in every folder of `cfg` at once (one connection each: IDLE watches the
/// selected folder only), comparing each folder with what `store` holds first. The first to
/// finish ends the wait: mail, the time limit, or an error (no IDLE on this server), after which
/// the caller polls on its interval.
pub fn wait_for_mail<'a>(
    store: &Store,
    cfg: &'a crate::config::Mailbox,
    limit: Duration,
) -> impl Future<Output = Result<Wake, imap::Error>> + Send + 'a {
    let folders: Vec<String> = if cfg.folders.is_empty() {
        vec!["INBOX".into()]
    } else {
        cfg.folders.clone()
    };
    let account = format!("{}@{}", cfg.username, cfg.host);
    // Read before waiting: the wait itself holds nothing of the store.
    let stored: Vec<(String, Option<crate::store::FolderState>)> = folders
        .into_iter()
        .map(|f| {
            // Unreadable state: no comparison, the poll runs at once and reports the error.
            let state = store.imap_state(&account, &f).unwrap_or(None);
            (f, state)
        })
        .collect();
    async move {
        let waits = stored
            .iter()
            .map(|(f, state)| Box::pin(idle_on(cfg, f, limit, *state)));
        let (first, _, _) = futures::future::select_all(waits).await;
        first
    }
}

/// When each configuration file was last changed (None: unreadable or gone).
fn config_stamp(files: &[std::path::PathBuf]) -> Vec<Option<std::time::SystemTime>> {
    files
        .iter()
        .map(|f| std::fs::metadata(f).and_then(|m| m.modified()).ok())
        .collect()
}

/// The longest wait between two failed polls.
const MAX_POLL_BACKOFF: Duration = Duration::from_secs(300);

/// Waits between failed polls: 2 s doubling up to 5 minutes, each with up to a second of
/// random jitter so that a restarted mail server is not met by every client at once.
fn poll_backoff() -> impl Iterator<Item = Duration> + Send {
    use backon::BackoffBuilder as _;
    backon::ExponentialBuilder::default()
        .with_min_delay(Duration::from_secs(2))
        .with_max_delay(MAX_POLL_BACKOFF)
        .without_max_times()
        .build()
        .map(|d| d + Duration::from_millis(fastrand::u64(..1000)))
}

/// A request for a fresh poll; the reply comes when it is done.
type PollRequest = oneshot::Sender<()>;

/// Runs the daemon until `stop` is cancelled; returns when every task has finished the cycle
/// in hand.
pub async fn run(
    store: Store,
    config: Config,
    templates: Templates,
    clock: Clock,
    interval: Duration,
    stop: CancellationToken,
) -> Result<(), crate::store::Error> {
    run_with(store, config, templates, clock, interval, None, stop).await
}

/// [`run`], with the web console served beside the mailbox and scheduler tasks (it stops
/// with them).
pub async fn run_with(
    store: Store,
    config: Config,
    templates: Templates,
    clock: Clock,
    interval: Duration,
    web: Option<crate::web::Server>,
    stop: CancellationToken,
) -> Result<(), crate::store::Error> {
    let config = Arc::new(config);
    let templates = Arc::new(templates);
    let wake = Arc::new(Notify::new());
    let read_wake = Arc::new(Notify::new());
    let awaiting: Awaiting = Arc::default();
    let slow = slow_reader_task(
        store.root().to_path_buf(),
        Arc::clone(&config),
        Arc::clone(&templates),
        clock,
        Arc::clone(&awaiting),
        Arc::clone(&read_wake),
        Arc::clone(&wake),
        stop.clone(),
    );
    let (poll_tx, poll_rx) = mpsc::channel::<PollRequest>(4);
    let mut scheduler_store = Store::open(store.root())?;
    // A configuration change noticed by an earlier run is answered by this start.
    scheduler_store.log_event(
        &clock.now(config.timezone).to_rfc3339(),
        crate::store::EventKind::DaemonStarted,
        "",
    )?;
    let mailbox = mailbox_task(
        store,
        Arc::clone(&config),
        Arc::clone(&templates),
        clock,
        interval,
        poll_rx,
        Slow {
            awaiting,
            wake: read_wake,
        },
        Arc::clone(&wake),
        stop.clone(),
    );
    let scheduler = scheduler_task(
        scheduler_store,
        Arc::clone(&config),
        Arc::clone(&templates),
        clock,
        config.mailbox.is_some().then_some(poll_tx),
        Arc::clone(&wake),
        stop.clone(),
    );
    // Each task on its own: a long step in one (a draft build, a slow poll, a page) never
    // holds up the others, and shutdown waits for all of them.
    let tasks = TaskTracker::new();
    tasks.spawn(mailbox);
    tasks.spawn(scheduler);
    tasks.spawn(slow);
    if let Some(w) = web {
        let stop = stop.clone();
        tasks.spawn(async move {
            if let Err(e) = w.run(stop).await {
                tracing::error!(error = %e, "the web console stopped");
            }
        });
    }
    tasks.close();
    tasks.wait().await;
    tracing::info!("stopped");
    Ok(())
}

/// What the mailbox task tells the slow reader task.
struct Slow {
    awaiting: Awaiting,
    wake: Arc<Notify>,
}

/// The slow reader loop: after each poll (and every minute) it reads what waits for OCR or
/// LibreOffice on a blocking thread, so neither the mailbox nor the scheduler waits for it, then
/// queues the receipts that waited for those readings.
#[allow(clippy::too_many_arguments)]
async fn slow_reader_task(
    root: std::path::PathBuf,
    config: Arc<Config>,
    templates: Arc<Templates>,
    clock: Clock,
    awaiting: Awaiting,
    read_wake: Arc<Notify>,
    wake: Arc<Notify>,
    stop: CancellationToken,
) {
    loop {
        tokio::select! {
            _ = read_wake.notified() => {}
            _ = tokio::time::sleep(Duration::from_secs(60)) => {}
            _ = stop.cancelled() => break,
        }
        let (root, config, templates, awaiting) = (
            root.clone(),
            Arc::clone(&config),
            Arc::clone(&templates),
            Arc::clone(&awaiting),
        );
        let job = tokio::task::spawn_blocking(move || -> Result<(usize, usize), String> {
            let e = |e: crate::store::Error| e.to_string();
            let mut store = Store::open(&root).map_err(e)?;
            let rec = Recogniser::new((*config).clone(), store.units().map_err(e)?);
            let now = clock.now(config.timezone);
            let read =
                crate::ingest::read_stored(&mut store, &rec, now, ReadingState::Slow).map_err(e)?;
            let ids: Vec<i64> = awaiting.lock().map(|v| v.clone()).unwrap_or_default();
            if ids.is_empty() {
                return Ok((read.read + read.quarantined, 0));
            }
            let queued =
                notify::receipt::queue_receipts(&mut store, &config, &templates, &ids, now)
                    .map_err(|e| e.to_string())?;
            let mut still = Vec::new();
            for id in ids {
                if let Some(m) = store.message(id).map_err(e)?
                    && notify::receipt::waits_for_reading(&m, &config, now)
                {
                    still.push(id);
                }
            }
            if let Ok(mut v) = awaiting.lock() {
                v.retain(|id| still.contains(id));
            }
            Ok((read.read + read.quarantined, queued))
        });
        tokio::select! {
            r = job => match r {
                Ok(Ok((read, queued))) => {
                    if read > 0 {
                        tracing::info!(read, "scans and old formats read");
                    }
                    if queued > 0 {
                        tracing::info!(receipts = queued, "receipts queued after reading");
                        wake.notify_one();
                    }
                }
                Ok(Err(e)) => tracing::warn!(error = %e, "slow reading failed; will try again"),
                Err(e) => tracing::warn!(error = %e, "slow reading stopped"),
            },
            // A reading in progress is not waited for: its workers end with the process and
            // the message is read again at the next start.
            _ = stop.cancelled() => break,
        }
    }
}

/// The mailbox loop.
#[allow(clippy::too_many_arguments)]
async fn mailbox_task(
    mut store: Store,
    config: Arc<Config>,
    templates: Arc<Templates>,
    clock: Clock,
    interval: Duration,
    mut requests: mpsc::Receiver<PollRequest>,
    slow: Slow,
    wake: Arc<Notify>,
    stop: CancellationToken,
) {
    let Some(mb) = config.mailbox.clone() else {
        tracing::info!("no [mailbox] configured: only the scheduler runs");
        return;
    };
    let tz = config.timezone;
    // The registry is read again before every poll: `units import` takes effect without a
    // restart.
    let mut registry: Option<(Vec<crate::config::Unit>, Arc<Recogniser>)> = None;
    let mut backoff = poll_backoff();
    // IDLE must be re-issued before the 29-minute limit servers enforce.
    let idle_limit = interval.min(Duration::from_secs(25 * 60));
    // The first cycle is a full pass: it repairs whatever the last run left between commit
    // and flag. Then one every `reconcile`.
    let mut next_full = tokio::time::Instant::now();
    let mut failing: Option<String> = None;
    let mut waiting: Vec<PollRequest> = Vec::new();
    loop {
        let pass = if tokio::time::Instant::now() >= next_full {
            Pass::Full
        } else {
            Pass::New
        };
        let now = clock.now(tz);
        let result = match blocking(|| store.units()) {
            Err(e) => Err(crate::i18n::technical(t!("daemon-units-unreadable"), e)),
            Ok(units) => {
                let rec = match &registry {
                    Some((known, rec)) if *known == units => Arc::clone(rec),
                    _ => {
                        if registry.is_some() {
                            tracing::info!(
                                units = units.len(),
                                "units registry changed; recognising with the new one"
                            );
                        }
                        let rec = Arc::new(Recogniser::new((*config).clone(), units.clone()));
                        registry = Some((units, Arc::clone(&rec)));
                        rec
                    }
                };
                poll_once(
                    &mut store,
                    rec,
                    &mb,
                    now,
                    pass,
                    &indicatif::ProgressBar::hidden(),
                )
                .await
                .map_err(|e| e.to_string())
            }
        };
        // Whoever asked for this poll is answered whether it worked or not: the scheduler
        // must not hold reminders back for ever because the mailbox is down.
        for w in waiting.drain(..) {
            let _ = w.send(());
        }
        match result {
            Ok(r) => {
                backoff = poll_backoff();
                if pass == Pass::Full {
                    next_full = tokio::time::Instant::now() + mb.reconcile;
                }
                if r.fetched > 0 {
                    tracing::info!(
                        fetched = r.fetched,
                        stored = r.stored,
                        duplicates = r.duplicates,
                        reconciled = r.reconciled,
                        "mailbox polled"
                    );
                }
                if !r.new_ids.is_empty() {
                    // Receipts of mail whose scans are still read go out from the slow reader.
                    let waiting: Vec<i64> = r
                        .new_ids
                        .iter()
                        .copied()
                        .filter(|id| {
                            store.message(*id).ok().flatten().is_some_and(|m| {
                                notify::receipt::waits_for_reading(&m, &config, now)
                            })
                        })
                        .collect();
                    if !waiting.is_empty()
                        && let Ok(mut v) = slow.awaiting.lock()
                    {
                        v.extend(waiting);
                    }
                    match blocking(|| {
                        notify::receipt::queue_receipts(
                            &mut store, &config, &templates, &r.new_ids, now,
                        )
                    }) {
                        Ok(n) if n > 0 => {
                            tracing::info!(receipts = n, "receipts queued");
                            wake.notify_one();
                        }
                        Ok(_) => {}
                        Err(e) => tracing::warn!(error = %e, "cannot queue receipts"),
                    }
                }
                if r.stored > 0 {
                    slow.wake.notify_one();
                }
                if failing.take().is_some() {
                    tracing::info!("mailbox reachable again");
                }
            }
            Err(text) => {
                let wait = backoff.next().unwrap_or(MAX_POLL_BACKOFF);
                tracing::warn!(error = %text, retry_in_s = wait.as_secs_f32(), "poll failed; will retry");
                if failing.as_deref() != Some(text.as_str()) {
                    // Shown to staff (digest, status) until a poll succeeds; the mail that
                    // failed stays on the server unflagged and is fetched again.
                    if let Err(e) = blocking(|| {
                        store.log_event(
                            &now.to_rfc3339(),
                            crate::store::EventKind::PollFailed,
                            &text,
                        )
                    }) {
                        tracing::error!(error = %e, "cannot record the mailbox problem for staff");
                    }
                    failing = Some(text);
                }
                tokio::select! {
                    _ = tokio::time::sleep(wait) => {}
                    Some(w) = requests.recv() => waiting.push(w),
                    _ = stop.cancelled() => break,
                }
                continue;
            }
        }
        if stop.is_cancelled() {
            break;
        }
        // Wait for new mail, a poll request from the scheduler, or `interval`.
        tokio::select! {
            r = tokio::time::timeout(interval + Duration::from_secs(5), wait_for_mail(&store, &mb, idle_limit)) => {
                if let Ok(Err(e)) = r {
                    tracing::info!(error = %e, "IDLE not available; polling every interval");
                    tokio::select! {
                        _ = tokio::time::sleep(interval) => {}
                        Some(w) = requests.recv() => waiting.push(w),
                        _ = stop.cancelled() => break,
                    }
                }
            }
            Some(w) = requests.recv() => waiting.push(w),
            _ = stop.cancelled() => break,
        }
    }
}

/// The scheduler loop.
async fn scheduler_task(
    mut store: Store,
    base: Arc<Config>,
    templates: Arc<Templates>,
    clock: Clock,
    poll: Option<mpsc::Sender<PollRequest>>,
    wake: Arc<Notify>,
    stop: CancellationToken,
) {
    let sender = base.smtp.clone().map(Sender::Smtp);
    if sender.is_none() {
        tracing::info!("no [smtp] configured: receipts, reminders and digests stay queued");
    }
    let started_with = config_stamp(&base.files);
    let mut told = false;
    loop {
        // The daemon keeps the configuration it started with: a changed file is said plainly
        // (the log, and the digest's "Cần xử lý") until baocao run is started again.
        if !told && config_stamp(&base.files) != started_with {
            told = true;
            let changed = base
                .files
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ");
            tracing::warn!(files = %changed, "configuration changed; restart baocao run to apply it");
            let now = clock.now(base.timezone).to_rfc3339();
            if let Err(e) = blocking(|| {
                store.log_event(
                    &now,
                    crate::store::EventKind::ConfigChanged,
                    &t!("daemon-config-changed", files = changed.as_str()),
                )
            }) {
                tracing::error!(error = %e, "cannot record the configuration change for staff");
            }
        }
        // Extensions granted in the console since the last tick move this unit's slots.
        let config = match store.with_extensions(&base) {
            Ok(c) => Arc::new(c),
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the granted extensions; using the campaign files'");
                Arc::clone(&base)
            }
        };
        let now = clock.now(config.timezone);
        let due = blocking(|| schedule::reminders_due(&store, &config, now)).unwrap_or_else(|e| {
            // Unreadable schedule state: poll first anyway, the step below reports the error.
            tracing::warn!(error = %e, "cannot read how far the reminder plan went");
            true
        });
        if due && let Some(p) = &poll {
            // Mail that arrived before the slot counts: poll first (or wait for the poll in
            // progress), but not for ever.
            let (tx, rx) = oneshot::channel();
            if p.send(tx).await.is_ok() {
                let _ = tokio::time::timeout(Duration::from_secs(600), rx).await;
            }
        }
        let now = clock.now(config.timezone);
        // Building the drafts may take LibreOffice a minute: the mailbox goes on meanwhile.
        match blocking(|| notify::act::step(&mut store, &config, &templates, now)) {
            Ok(t) => {
                for r in &t.reminders {
                    tracing::info!(campaign = %r.campaign, unit = %r.unit, slot = %r.slot, "reminder queued");
                }
                for h in &t.held_back {
                    tracing::info!(campaign = %h.campaign, unit = %h.unit, why = %h.why, "reminder held back");
                }
                for d in &t.drafts {
                    tracing::info!(campaign = %d.campaign, reason = %d.reason, mailed = d.mailed, "drafts rebuilt");
                }
            }
            Err(e) => tracing::warn!(error = %e, "scheduling failed; will try again"),
        }
        if let Some(s) = &sender {
            let cfg = Arc::clone(&config);
            match notify::deliver_via(&mut store, s, now, &mut |st, m| {
                notify::remind::still_needed(st, &cfg, &m.meta, now)
            })
            .await
            {
                Ok(d) if d.sent + d.retry + d.failed + d.cancelled > 0 => tracing::info!(
                    sent = d.sent,
                    retry = d.retry,
                    failed = d.failed,
                    cancelled = d.cancelled,
                    "outbox delivered"
                ),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "sending failed; will try again"),
            }
        }
        if stop.is_cancelled() {
            break;
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(60)) => {}
            _ = wake.notified() => {}
            _ = stop.cancelled() => break,
        }
    }
}

/// One cycle of the whole job, for `baocao run --once`: poll (when a mailbox is configured),
/// receipts for what was stored, the reminders and digest due at `now`, then the outbox.
pub async fn once(
    store: &mut Store,
    config: &Config,
    templates: &Templates,
    now: chrono::DateTime<chrono::FixedOffset>,
) -> Result<Once, OnceError> {
    let mut out = Once::default();
    if let Some(mb) = &config.mailbox {
        let rec = Arc::new(Recogniser::new(config.clone(), store.units()?));
        let r = poll_once(
            store,
            Arc::clone(&rec),
            mb,
            now,
            Pass::New,
            &indicatif::ProgressBar::hidden(),
        )
        .await?;
        // One whole cycle: what waits for OCR or LibreOffice is read now, before the receipts.
        crate::ingest::read_stored(store, &rec, now, ReadingState::Slow)?;
        out.receipts = notify::receipt::queue_receipts(store, config, templates, &r.new_ids, now)?;
        out.poll = Some(r);
    }
    out.tick = notify::act::step(store, config, templates, now)?;
    if let Some(smtp) = &config.smtp {
        out.delivery = Some(
            notify::deliver_via(store, &Sender::Smtp(smtp.clone()), now, &mut |st, m| {
                notify::remind::still_needed(st, config, &m.meta, now)
            })
            .await?,
        );
    }
    Ok(out)
}

/// What [`once`] did.
#[derive(Debug, Default, serde::Serialize)]
pub struct Once {
    /// The poll, if a mailbox is configured.
    pub poll: Option<crate::poll::PollReport>,
    /// Receipts queued.
    pub receipts: usize,
    /// Reminders and digests queued.
    pub tick: notify::act::Done,
    /// The outbox round, if SMTP is configured.
    pub delivery: Option<notify::Delivery>,
}

/// Why [`once`] failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OnceError {
    /// The poll failed.
    #[error(transparent)]
    Poll(#[from] crate::poll::Error),
    /// Queueing or sending failed.
    #[error(transparent)]
    Notify(#[from] notify::Error),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] crate::store::Error),
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn the_wait_between_failed_polls_doubles_up_to_five_minutes_with_under_a_second_of_jitter() {
        let waits: Vec<Duration> = poll_backoff().take(10).collect();
        for (i, w) in waits.iter().enumerate() {
            let base = Duration::from_secs(2 << i.min(10)).min(MAX_POLL_BACKOFF);
            assert!(
                *w >= base && *w < base + Duration::from_secs(1),
                "wait {i}: {w:?}"
            );
        }
    }

    /// On tokio's paused clock ten minutes pass in an instant: a mailbox that refuses every
    /// connection is tried at 0, 2, 6, 14 … 510 s — nine times — not every two seconds.
    #[test]
    fn a_refusing_mailbox_is_retried_on_the_backoff_schedule_of_the_tokio_clock() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("listen");
        let port = listener.local_addr().expect("addr").port();
        let attempts = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&attempts);
        std::thread::spawn(move || {
            // Each connection is accepted and dropped at once: the greeting never comes.
            for c in listener.incoming() {
                counted.fetch_add(1, Ordering::SeqCst);
                drop(c);
            }
        });
        let dir = tempfile::tempdir().expect("tempdir");
        let mut config = crate::testkit::config_with(
            &format!(
                "[mailbox]\nhost = \"127.0.0.1\"\nport = {port}\nsecurity = \"plain\"\n\
                 username = \"vanphong\"\npassword-env = \"PATH\"\ntimeout-seconds = 5\n"
            ),
            "",
        );
        config.data_dir = dir.path().to_path_buf();
        let store = Store::open(dir.path()).expect("store");
        let templates = Templates::load(None).expect("templates");
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .start_paused(true)
            .build()
            .expect("runtime");
        let finished = rt.block_on(async {
            let stop = CancellationToken::new();
            let daemon = tokio::spawn(run(
                store,
                config,
                templates,
                Clock::Fixed(crate::testkit::at("2023-01-16 09:00")),
                Duration::from_secs(60),
                stop.clone(),
            ));
            tokio::time::sleep(Duration::from_secs(600)).await;
            stop.cancel();
            tokio::time::timeout(Duration::from_secs(30), daemon).await
        });
        assert!(
            matches!(finished, Ok(Ok(Ok(())))),
            "the daemon did not stop cleanly: {finished:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
        let n = attempts.load(Ordering::SeqCst);
        assert!(
            (7..=10).contains(&n),
            "{n} connection attempts in ten minutes"
        );
        let store = Store::open(dir.path()).expect("store");
        let problem = store.mailbox_problem().expect("events");
        assert!(problem.is_some(), "the failure is not shown to staff");
    }

    /// The daemon keeps the configuration it started with; a file changed under it is recorded
    /// for staff (the digest) until the next start.
    #[test]
    fn a_changed_configuration_file_is_told_until_the_daemon_starts_again() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("baocao.toml");
        std::fs::write(&file, "# cấu hình\n").expect("write");
        let mut config = crate::testkit::config("");
        config.data_dir = dir.path().to_path_buf();
        config.files = vec![file.clone()];
        let start = |config: Config, change: bool| {
            let store = Store::open(dir.path()).expect("store");
            let templates = Templates::load(None).expect("templates");
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .start_paused(true)
                .build()
                .expect("runtime");
            let file = file.clone();
            rt.block_on(async move {
                let stop = CancellationToken::new();
                let daemon = tokio::spawn(run(
                    store,
                    config,
                    templates,
                    Clock::Fixed(crate::testkit::at("2023-01-16 09:00")),
                    Duration::from_secs(60),
                    stop.clone(),
                ));
                tokio::time::sleep(Duration::from_secs(5)).await;
                if change {
                    let later = std::time::SystemTime::now() + Duration::from_secs(3600);
                    std::fs::File::options()
                        .write(true)
                        .open(&file)
                        .and_then(|f| f.set_modified(later))
                        .expect("touch");
                }
                tokio::time::sleep(Duration::from_secs(125)).await;
                stop.cancel();
                daemon.await.expect("join").expect("run");
            });
        };
        start(config.clone(), false);
        let pending = || {
            Store::open(dir.path())
                .expect("store")
                .config_pending()
                .expect("events")
        };
        assert_eq!(pending(), None);
        start(config.clone(), true);
        let told = pending().expect("the change is recorded");
        assert!(told.detail.contains("baocao.toml"), "{told:?}");
        // Started again: the new configuration is in use, nothing more to tell.
        start(config, false);
        assert_eq!(pending(), None);
    }
}
