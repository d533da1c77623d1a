//! `baocao run`: the daemon, until SIGTERM or Ctrl-C.

use std::time::Duration;

use anyhow::{Context as _, Result};

use super::{Ctx, UsageError};
use crate::daemon;

/// Starts the mailbox loop and stops cleanly on a signal.
pub(crate) fn execute(ctx: &Ctx, interval_s: u64) -> Result<()> {
    if ctx.config.mailbox.is_none() {
        return Err(UsageError(format!(
            "no [mailbox] section in {}; `baocao run` needs the office mailbox",
            ctx.config.source.display()
        ))
        .into());
    }
    let store = ctx.open_store()?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    rt.block_on(async {
        let (tx, rx) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            let mut term =
                match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                    Ok(s) => s,
                    Err(_) => return,
                };
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            tracing::info!("stop requested; finishing the cycle in hand");
            let _ = tx.send(true);
        });
        daemon::run(
            store,
            ctx.config.clone(),
            ctx.clock,
            Duration::from_secs(interval_s.max(1)),
            rx,
        )
        .await;
    });
    Ok(())
}
