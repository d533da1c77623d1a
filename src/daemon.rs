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

use tokio::sync::{Notify, mpsc, oneshot, watch};

use crate::clock::Clock;
use crate::config::Config;
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
    stored: Option<(u32, u32)>,
) -> Result<Wake, imap::Error> {
    let mut session = imap::connect(cfg).await?;
    let opened = imap::select(&mut session, cfg, folder).await?;
    match stored {
        Some((validity, last)) if validity == opened.uidvalidity => {
            if !imap::new_uids(&mut session, cfg, last).await?.is_empty() {
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
pub async fn wait_for_mail(
    store: &Store,
    cfg: &crate::config::Mailbox,
    limit: Duration,
) -> Result<Wake, imap::Error> {
    let folders: Vec<String> = if cfg.folders.is_empty() {
        vec!["INBOX".into()]
    } else {
        cfg.folders.clone()
    };
    let account = format!("{}@{}", cfg.username, cfg.host);
    let mut waits = Vec::new();
    for f in &folders {
        // Unreadable state: no IDLE, the poll runs at once and reports the store's error.
        let stored = store.imap_state(&account, f).unwrap_or(None);
        waits.push(Box::pin(
            async move { idle_on(cfg, f, limit, stored).await },
        ));
    }
    let (first, _, _) = futures::future::select_all(waits).await;
    first
}

/// A request for a fresh poll; the reply comes when it is done.
type PollRequest = oneshot::Sender<()>;

/// Runs the daemon until `stop` turns true.
pub async fn run(
    store: Store,
    config: Config,
    templates: Templates,
    clock: Clock,
    interval: Duration,
    stop: watch::Receiver<bool>,
) {
    run_with(store, config, templates, clock, interval, None, stop).await;
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
    stop: watch::Receiver<bool>,
) {
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
    let scheduler_store = match Store::open(store.root()) {
        Ok(s) => Some(s),
        Err(e) => {
            tracing::error!(error = %e, "cannot open the store for the scheduler; reminders and digests are off");
            None
        }
    };
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
    let scheduler = async {
        if let Some(s) = scheduler_store {
            scheduler_task(
                s,
                Arc::clone(&config),
                Arc::clone(&templates),
                clock,
                config.mailbox.is_some().then_some(poll_tx),
                Arc::clone(&wake),
                stop.clone(),
            )
            .await;
        }
    };
    let console = async {
        if let Some(w) = web
            && let Err(e) = w.run(stop.clone()).await
        {
            tracing::error!(error = %e, "the web console stopped");
        }
    };
    tokio::join!(mailbox, scheduler, slow, console);
    tracing::info!("stopped");
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
    mut stop: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            _ = read_wake.notified() => {}
            _ = tokio::time::sleep(Duration::from_secs(60)) => {}
            _ = stop.changed() => break,
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
            _ = stop.changed() => break,
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
    mut stop: watch::Receiver<bool>,
) {
    let Some(mb) = config.mailbox.clone() else {
        tracing::info!("no [mailbox] configured: only the scheduler runs");
        return;
    };
    let tz = config.timezone;
    let units = store.units().unwrap_or_default();
    let rec = Arc::new(Recogniser::new((*config).clone(), units));
    let mut backoff = Duration::from_secs(2);
    // IDLE must be re-issued before the 29-minute limit servers enforce.
    let idle_limit = interval.min(Duration::from_secs(25 * 60));
    // The first cycle is a full pass: it repairs whatever the last run left between commit
    // and flag. Then one every `reconcile`.
    let mut next_full = std::time::Instant::now();
    let mut failing: Option<String> = None;
    let mut waiting: Vec<PollRequest> = Vec::new();
    loop {
        let pass = if std::time::Instant::now() >= next_full {
            Pass::Full
        } else {
            Pass::New
        };
        let now = clock.now(tz);
        let result = poll_once(
            &mut store,
            Arc::clone(&rec),
            &mb,
            now,
            pass,
            &indicatif::ProgressBar::hidden(),
        )
        .await;
        // Whoever asked for this poll is answered whether it worked or not: the scheduler
        // must not hold reminders back for ever because the mailbox is down.
        for w in waiting.drain(..) {
            let _ = w.send(());
        }
        match result {
            Ok(r) => {
                backoff = Duration::from_secs(2);
                if pass == Pass::Full {
                    next_full = std::time::Instant::now() + mb.reconcile;
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
                    match notify::receipt::queue_receipts(
                        &mut store, &config, &templates, &r.new_ids, now,
                    ) {
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
            Err(e) => {
                let jitter = Duration::from_millis(
                    u64::from(std::process::id() ^ chrono::Utc::now().timestamp_subsec_millis())
                        % 1000,
                );
                tracing::warn!(error = %e, retry_in_s = (backoff + jitter).as_secs_f32(), "poll failed; will retry");
                let text = e.to_string();
                if failing.as_deref() != Some(text.as_str()) {
                    // Shown to staff (digest, status) until a poll succeeds; the mail that
                    // failed stays on the server unflagged and is fetched again.
                    let _ = store.log_event(&now.to_rfc3339(), "poll_failed", &text);
                    failing = Some(text);
                }
                tokio::select! {
                    _ = tokio::time::sleep(backoff + jitter) => {}
                    Some(w) = requests.recv() => waiting.push(w),
                    _ = stop.changed() => break,
                }
                backoff = (backoff * 2).min(Duration::from_secs(300));
                continue;
            }
        }
        if *stop.borrow() {
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
                        _ = stop.changed() => break,
                    }
                }
            }
            Some(w) = requests.recv() => waiting.push(w),
            _ = stop.changed() => break,
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
    mut stop: watch::Receiver<bool>,
) {
    let sender = base.smtp.clone().map(Sender::Smtp);
    if sender.is_none() {
        tracing::info!("no [smtp] configured: receipts, reminders and digests stay queued");
    }
    loop {
        // Extensions granted in the console since the last tick move this unit's slots.
        let config = match store.with_extensions(&base) {
            Ok(c) => Arc::new(c),
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the granted extensions; using the campaign files'");
                Arc::clone(&base)
            }
        };
        let now = clock.now(config.timezone);
        if schedule::reminders_due(&store, &config, now)
            && let Some(p) = &poll
        {
            // Mail that arrived before the slot counts: poll first (or wait for the poll in
            // progress), but not for ever.
            let (tx, rx) = oneshot::channel();
            if p.send(tx).await.is_ok() {
                let _ = tokio::time::timeout(Duration::from_secs(600), rx).await;
            }
        }
        let now = clock.now(config.timezone);
        match schedule::tick(&mut store, &config, &templates, now) {
            Ok(t) => {
                for (c, u, slot) in &t.reminders {
                    tracing::info!(campaign = %c, unit = %u, slot = %slot, "reminder queued");
                }
                for (c, u, why) in &t.held_back {
                    tracing::info!(campaign = %c, unit = %u, why = %why, "reminder held back");
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
        if *stop.borrow() {
            break;
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(60)) => {}
            _ = wake.notified() => {}
            _ = stop.changed() => break,
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
    out.tick = schedule::tick(store, config, templates, now)?;
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
    pub tick: schedule::Tick,
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
    /// Planning reminders or the digest failed.
    #[error(transparent)]
    Schedule(#[from] schedule::Error),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] crate::store::Error),
}
