//! `baocao run`: the daemon, until SIGTERM or Ctrl-C; `baocao run --once`: one cycle of it.

use std::time::Duration;

use anyhow::Result;

use super::{Ctx, UsageError, print_json};
use crate::daemon;

/// Starts the mailbox loop and the scheduler and stops cleanly on a signal.
pub(crate) fn execute(ctx: &Ctx, interval_s: u64) -> Result<()> {
    if ctx.config.mailbox.is_none() && ctx.config.smtp.is_none() {
        return Err(UsageError(format!(
            "neither [mailbox] nor [smtp] in {}; `baocao run` needs the office mailbox, the outgoing server, or both",
            ctx.config.source.display()
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
            tracing::info!(url = s.url(), "web console");
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
            tracing::info!("stop requested; finishing the cycle in hand");
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
            "Hộp thư: tải {} thư, lưu mới {}, đã có {}.",
            p.fetched, p.stored, p.duplicates
        );
    }
    println!(
        "Biên nhận: {} · Thư nhắc: {} · Bản tổng hợp: {}",
        r.receipts,
        r.tick.reminders.len(),
        r.tick.digests.len()
    );
    for d in &r.tick.drafts {
        println!(
            "Dự thảo tổng hợp {} đã được lập lại: {}.",
            d.campaign, d.reason
        );
    }
    for h in &r.tick.held_back {
        println!("Không nhắc {}: {}", h.unit, h.why);
    }
    match &r.delivery {
        Some(d) => {
            println!(
                "Gửi thư: đã gửi {}, chờ gửi lại {}, thất bại {}, hủy {}.",
                d.sent, d.retry, d.failed, d.cancelled
            );
            for p in &d.problems {
                println!("LỖI — {p}");
            }
        }
        None => println!("Chưa cấu hình [smtp]: thư nằm trong hàng đợi."),
    }
    Ok(())
}
