//! `baocao consolidate --campaign ID [--out DIR]`: the consolidated workbook and Word draft
//! for the Ban Tổ chức, as of `--now`.

use std::path::Path;

use anyhow::{Context as _, Result};

use super::{Ctx, print_json};
use crate::consolidate::drafts;

/// Writes both drafts into `out` (default: the data folder's `drafts/<campaign>/`, where the
/// daemon keeps the latest).
pub(crate) fn execute(ctx: &Ctx, campaign: Option<&str>, out: Option<&Path>) -> Result<()> {
    let c = ctx.campaign(campaign)?;
    let store = ctx.open_store()?;
    let now = ctx.now();
    let built = match out {
        Some(dir) => {
            drafts::write_drafts(&store, &ctx.config, c, now, now, dir)
                .with_context(|| format!("writing the drafts into {}", dir.display()))?
                .0
        }
        None => drafts::build_latest(&store, &ctx.config, c, now)
            .context("writing the drafts into the data folder")?,
    };
    if ctx.json {
        return print_json(&built);
    }
    let (total, reported, missing) = built.figures;
    println!(
        "Dự thảo tổng hợp Công văn {} — số liệu tính đến {}:",
        c.number,
        crate::notify::local_text(now, ctx.config.timezone)
    );
    println!("  {reported}/{total} đơn vị đã gửi báo cáo; {missing} đơn vị chưa gửi gì.");
    println!("  Bảng tổng hợp (Excel): {}", built.xlsx.display());
    println!("  Dự thảo báo cáo (Word): {}", built.docx.display());
    Ok(())
}
