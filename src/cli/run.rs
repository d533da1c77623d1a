//! `baocao run`: the daemon, until SIGTERM or Ctrl-C; `baocao run --once`: one cycle of it.

use std::time::Duration;

use anyhow::Result;

use super::{Ctx, UsageError, print_json};
use crate::daemon;
use crate::i18n::t;

/// Starts the mailbox loop and the scheduler and stops cleanly on a signal.
pub(crate) fn execute(ctx: &Ctx, interval_s: u64) -> Result<()> {
    if ctx.config.mailbox.is_none() && ctx.config.smtp.is_none() {
        return Err(UsageError(t!(
            "err-run-nothing",
            config = ctx.config.source.display().to_string()
        ))
        .into());
    }
    // A template mistake stops the start, not the first receipt.
    let templates = ctx.templates()?;
    let store = ctx.create_store()?;
    let rt = super::runtime()?;
    rt.block_on(async {
        // With [web], the console is served beside the mailbox; a port taken stops the start.
        let web = if ctx.config.web.enabled {
            let console = crate::web::Console::new(
                ctx.config.clone(),
                ctx.clock,
                ctx.config.web.tls_cert.is_some(),
                ctx.templates().ok(),
            );
            let s =
                crate::web::Server::bind(&ctx.config.web.listen, &ctx.config.web, console).await?;
            tracing::info!(url = s.url(), "console");
            Some(s)
        } else {
            None
        };
        let stop = tokio_util::sync::CancellationToken::new();
        let signalled = stop.clone();
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
            tracing::info!("{}", t!("log-stop-requested"));
            signalled.cancel();
        });
        daemon::run_with(
            store,
            ctx.config.clone(),
            templates,
            ctx.clock,
            Duration::from_secs(interval_s.max(1)),
            web,
            stop,
        )
        .await?;
        anyhow::Ok(())
    })?;
    Ok(())
}

/// One cycle: poll, receipts, due reminders and digest, outbox. Prints what it did.
pub(crate) fn once(ctx: &Ctx) -> Result<()> {
    let templates = ctx.templates()?;
    let mut store = ctx.create_store()?;
    let rt = super::runtime()?;
    let r = rt.block_on(daemon::once(&mut store, &ctx.config, &templates, ctx.now()))?;
    if ctx.json {
        return print_json(&r);
    }
    if let Some(p) = &r.poll {
        println!(
            "{}",
            t!(
                "run-polled",
                fetched = p.fetched,
                stored = p.stored,
                duplicates = p.duplicates
            )
        );
    }
    println!(
        "{}",
        t!(
            "run-tick",
            receipts = r.receipts,
            reminders = r.tick.reminders.len(),
            digests = r.tick.digests.len()
        )
    );
    for d in &r.tick.drafts {
        println!(
            "{}",
            t!(
                "run-draft-rebuilt",
                campaign = d.campaign.as_str(),
                reason = d.reason.to_string()
            )
        );
    }
    for h in &r.tick.held_back {
        println!(
            "{}",
            t!(
                "run-held-back",
                unit = h.unit.as_str(),
                why = h.why.to_string()
            )
        );
    }
    match &r.delivery {
        Some(d) => {
            println!(
                "{}",
                t!(
                    "delivery-summary",
                    sent = d.sent,
                    retry = d.retry,
                    failed = d.failed,
                    cancelled = d.cancelled
                )
            );
            for p in &d.problems {
                println!("{}", t!("delivery-problem", problem = p.to_string()));
            }
        }
        None => println!("{}", t!("run-no-smtp")),
    }
    Ok(())
}
