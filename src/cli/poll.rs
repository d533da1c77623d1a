//! `baocao poll --once`: one fetch cycle of the office mailbox.

use std::sync::Arc;

use anyhow::{Context as _, Result};

use super::{Ctx, UsageError, print_json};
use crate::ingest;
use crate::poll::{Pass, poll_once};
use crate::recognise::Recogniser;
use crate::store::ReadingState;

/// Polls every configured folder once and prints what was stored.
pub(crate) fn execute(ctx: &Ctx, full: bool) -> Result<()> {
    let Some(mb) = ctx.config.mailbox.clone() else {
        return Err(UsageError(format!(
            "no [mailbox] section in {}; add the office mailbox's IMAP settings (see the commented example)",
            ctx.config.source.display()
        ))
        .into());
    };
    let mut store = ctx.create_store()?;
    let rec = Arc::new(Recogniser::new(ctx.config.clone(), store.units()?));
    // A long first backfill shows its progress on a terminal; resumable at any point.
    let pb = if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        let pb = indicatif::ProgressBar::new(0);
        pb.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} Đang tải thư [{bar:30}] {pos}/{len} · {elapsed} (còn {eta})",
            )
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
        .with_context(|| format!("polling {} at {}:{}", mb.username, mb.host, mb.port))?;
    // Scans and old formats are read before the command ends (the daemon does this apart).
    ingest::read_stored(&mut store, &rec, ctx.now(), ReadingState::Slow)?;
    pb.finish_and_clear();
    if ctx.json {
        return print_json(&report);
    }
    println!(
        "Hộp thư {}: tải {} thư, lưu mới {}, đã có từ trước {}.",
        mb.username, report.fetched, report.stored, report.duplicates
    );
    if report.reread > 0 {
        println!(
            "Đã đọc lại được {} thư trước đây gặp lỗi nội bộ khi đọc.",
            report.reread
        );
    }
    if report.reconciled > 0 {
        println!(
            "Lượt đọc toàn bộ: {} thư cũ chưa được gắn nhãn đã được đọc lại và gắn nhãn.",
            report.reconciled
        );
    }
    for f in &report.uidvalidity_changed {
        println!(
            "Lưu ý: thư mục {f:?} đã bị tạo lại trên máy chủ (UIDVALIDITY đổi); đã đọc lại toàn bộ, không lưu trùng."
        );
    }
    Ok(())
}
