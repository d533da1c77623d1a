//! `baocao consolidate --campaign ID [--out DIR]`: the consolidated workbook and Word draft
//! for the Ban Tổ chức, as of `--now`.

use std::path::Path;

use anyhow::Result;

use super::{Ctx, Saying as _, print_json};
use crate::consolidate::drafts;
use crate::i18n::{self, t};

/// Writes both drafts into `out` (default: the data folder's `drafts/<campaign>/`, where the
/// daemon keeps the latest).
pub(crate) fn execute(ctx: &Ctx, campaign: Option<&str>, out: Option<&Path>) -> Result<()> {
    let c = ctx.campaign(campaign)?;
    let store = ctx.open_store()?;
    let now = ctx.now();
    let built = match out {
        Some(dir) => {
            drafts::write_drafts(&store, &ctx.config, c, now, now, dir)
                .said(|| t!("err-drafts-write", dir = dir.display().to_string()))?
                .0
        }
        None => drafts::build_latest(&store, &ctx.config, c, now)
            .said(|| t!("err-drafts-write-data"))?,
    };
    if ctx.json {
        return print_json(&built);
    }
    let (total, reported, missing) = built.figures;
    println!(
        "{}",
        t!(
            "drafts-title",
            number = c.number.as_str(),
            at = i18n::when(now, &ctx.config.timezone)
        )
    );
    println!(
        "  {}",
        t!(
            "drafts-counts",
            reported = reported,
            total = total,
            missing = missing
        )
    );
    println!(
        "  {}",
        t!("drafts-xlsx", path = built.xlsx.display().to_string())
    );
    println!(
        "  {}",
        t!("drafts-docx", path = built.docx.display().to_string())
    );
    Ok(())
}
