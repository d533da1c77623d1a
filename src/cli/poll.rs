//! `baocao poll --once`: one fetch cycle of the office mailbox.

use std::sync::Arc;

use anyhow::Result;

use super::{Ctx, Saying as _, UsageError, print_json};
use crate::i18n::t;
use crate::ingest;
use crate::poll::{Pass, poll_once};
use crate::recognise::Recogniser;
use crate::store::ReadingState;

/// Polls every configured folder once and prints what was stored.
pub(crate) fn execute(ctx: &Ctx, full: bool) -> Result<()> {
    let Some(mb) = ctx.config.mailbox.clone() else {
        return Err(UsageError(t!(
            "err-poll-no-mailbox",
            config = ctx.config.source.display().to_string()
        ))
        .into());
    };
    let mut store = ctx.create_store()?;
    let rec = Arc::new(Recogniser::new(ctx.config.clone(), store.units()?));
    // A long first backfill shows its progress on a terminal; resumable at any point.
    let pb = if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        let pb = indicatif::ProgressBar::new(0);
        pb.set_style(
            // indicatif's placeholders stay out of the catalogue (Fluent reads braces itself).
            indicatif::ProgressStyle::with_template(&format!(
                "{{spinner}} {} [{{bar:30}}] {{pos}}/{{len}} · {{elapsed}} ({} {{eta}})",
                t!("poll-progress"),
                t!("poll-progress-left")
            ))
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        pb
    } else {
        indicatif::ProgressBar::hidden()
    };
    let rt = super::runtime()?;
    let report = rt
        .block_on(poll_once(
            &mut store,
            Arc::clone(&rec),
            &mb,
            ctx.now(),
            if full { Pass::Full } else { Pass::New },
            &pb,
        ))
        .said(|| {
            t!(
                "err-poll",
                user = mb.username.as_str(),
                host = mb.host.as_str(),
                port = mb.port
            )
        })?;
    // Scans and old formats are read before the command ends (the daemon does this apart).
    ingest::read_stored(&mut store, &rec, ctx.now(), ReadingState::Slow)?;
    pb.finish_and_clear();
    if ctx.json {
        return print_json(&report);
    }
    println!(
        "{}",
        t!(
            "poll-summary",
            user = mb.username.as_str(),
            fetched = report.fetched,
            stored = report.stored,
            duplicates = report.duplicates
        )
    );
    if report.reread > 0 {
        println!("{}", t!("poll-reread", count = report.reread));
    }
    if report.reconciled > 0 {
        println!("{}", t!("poll-reconciled", count = report.reconciled));
    }
    for f in &report.uidvalidity_changed {
        println!("{}", t!("poll-uidvalidity", folder = f.as_str()));
    }
    Ok(())
}
