//! The daemon (`baocao run`): the mailbox loop — poll, then wait for new mail with IMAP IDLE
//! (re-issued well before the server's 29-minute limit) or a plain sleep, with a full poll at
//! least every `interval` — until SIGTERM/SIGINT. A failed poll (server down, network, bad
//! password) is logged and retried with capped exponential backoff and jitter; it never ends
//! the daemon. A cycle in progress is finished before stopping, so a batch is never left
//! between commit and flag by a shutdown. The scheduler (reminders, digests) joins this loop
//! in a later issue.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use crate::clock::Clock;
use crate::config::Config;
use crate::poll::{Pass, poll_once};
use crate::recognise::Recogniser;
use crate::source::imap;
use crate::store::Store;

/// Waits until `stop` turns true or `dur` passes; returns true when stopping.
async fn sleep_or_stop(stop: &mut watch::Receiver<bool>, dur: Duration) -> bool {
    if *stop.borrow() {
        return true;
    }
    tokio::select! {
        _ = tokio::time::sleep(dur) => false,
        _ = stop.changed() => true,
    }
}

/// Blocks in IDLE on the first folder until the server reports a change or `limit` passes.
async fn idle_once(cfg: &crate::config::Mailbox, limit: Duration) -> Result<(), imap::Error> {
    let mut session = imap::connect(cfg).await?;
    let folder = cfg
        .folders
        .first()
        .cloned()
        .unwrap_or_else(|| "INBOX".into());
    imap::select(&mut session, cfg, &folder).await?;
    let mut idle = session.idle();
    idle.init().await.map_err(|e| imap::Error::Protocol {
        step: "starting IDLE",
        detail: e.to_string(),
    })?;
    let (wait, _interrupt) = idle.wait_with_timeout(limit);
    let _ = wait.await;
    let _ = idle.done().await;
    Ok(())
}

/// Runs the mailbox loop until `stop` turns true.
pub async fn run(
    mut store: Store,
    config: Config,
    clock: Clock,
    interval: Duration,
    mut stop: watch::Receiver<bool>,
) {
    let Some(mb) = config.mailbox.clone() else {
        tracing::error!("no [mailbox] configured; nothing to do");
        return;
    };
    let tz = config.timezone;
    let units = store.units().unwrap_or_default();
    let rec = Arc::new(Recogniser::new(config, units));
    let mut backoff = Duration::from_secs(2);
    // IDLE must be re-issued before the 29-minute limit servers enforce.
    let idle_limit = interval.min(Duration::from_secs(25 * 60));
    // The first cycle is a full pass: it repairs whatever the last run left between commit
    // and flag. Then one every `reconcile`.
    let mut next_full = std::time::Instant::now();
    // Staff are told once when polling starts failing and once when it works again.
    let mut failing: Option<String> = None;
    loop {
        let pass = if std::time::Instant::now() >= next_full {
            Pass::Full
        } else {
            Pass::New
        };
        let now = clock.now(tz);
        match poll_once(
            &mut store,
            Arc::clone(&rec),
            &mb,
            now,
            pass,
            &indicatif::ProgressBar::hidden(),
        )
        .await
        {
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
                if sleep_or_stop(&mut stop, backoff + jitter).await {
                    break;
                }
                backoff = (backoff * 2).min(Duration::from_secs(300));
                continue;
            }
        }
        if *stop.borrow() {
            break;
        }
        // Wait for new mail; whatever happens, poll again after `interval`.
        tokio::select! {
            r = tokio::time::timeout(interval + Duration::from_secs(5), idle_once(&mb, idle_limit)) => {
                if let Ok(Err(e)) = r {
                    tracing::info!(error = %e, "IDLE not available; polling every interval");
                    if sleep_or_stop(&mut stop, interval).await {
                        break;
                    }
                }
            }
            _ = stop.changed() => break,
        }
    }
    tracing::info!("stopped");
}
