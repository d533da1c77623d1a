//! `baocao demo`: a fresh data folder, the bundled sample mail ingested into it, the status
//! table printed, and what to try next.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Result;
use chrono::{DateTime, FixedOffset};

use super::{Ctx, Saying as _, UsageError, print_json};
use crate::clock::Clock;
use crate::demo;
use crate::i18n::t;
use crate::ingest;
use crate::recognise::Recogniser;
use crate::register;
use crate::source::Fetched;

const MARKER: &str = ".baocao-demo";

/// Runs the demo in `data` (default `./baocao-demo`).
pub(crate) fn execute(
    config: Option<&Path>,
    data: Option<&Path>,
    now: Option<DateTime<FixedOffset>>,
    json: bool,
) -> Result<()> {
    let dir: PathBuf = data
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("baocao-demo"));
    prepare_dir(&dir)?;
    // The bundled config unless the user names one: then that config's campaigns and units
    // are used, with the demo folder as the data folder.
    let cfg_path = match config {
        Some(p) => p.to_path_buf(),
        None => demo::write_config(&dir)
            .said(|| t!("err-demo-config", dir = dir.display().to_string()))?,
    };
    let mut loaded = crate::config::load(&cfg_path)?;
    loaded.data_dir = dir.clone();
    let now = match now {
        Some(t) => t,
        None => DateTime::parse_from_rfc3339(demo::DEFAULT_NOW)?,
    };
    let ctx = Ctx {
        config: loaded,
        clock: Clock::Fixed(now),
        json,
        init: true,
    };
    let mut store = ctx.create_store()?;
    let rec = Arc::new(Recogniser::new(ctx.config.clone(), store.units()?));
    let mail = demo::mail();
    let pb = indicatif::ProgressBar::hidden();
    let report = ingest::run(&mut store, rec, ctx.now(), &pb, |sink| {
        for (name, raw) in &mail {
            if !sink(Fetched {
                raw: raw.to_vec(),
                origin: format!("demo/{name}"),
                internal_date: None,
            }) {
                break;
            }
        }
    })?;
    let campaign = ctx.campaign(ctx.config.campaign("809-CV-HU").map(|c| c.id.as_str()))?;
    let st = register::status(&store, &ctx.config, campaign, ctx.now())?;
    // What the daemon would send, written as .eml files instead (no server in the demo).
    let templates = ctx.templates()?;
    let receipts = crate::notify::receipt::queue_receipts(
        &mut store,
        &ctx.config,
        &templates,
        &report.new_ids,
        ctx.now(),
    )?;
    let tick = crate::notify::act::step(&mut store, &ctx.config, &templates, ctx.now())?;
    let out_dir = dir.join("thu-gui");
    let delivery = ctx.deliver(&mut store, &crate::notify::Sender::Files(out_dir.clone()))?;
    if json {
        return print_json(&st);
    }
    println!(
        "{}",
        t!(
            "demo-intro",
            count = report.seen,
            number = campaign.number.as_str()
        )
    );
    println!(
        "{}\n",
        t!(
            "demo-stored",
            count = report.stored,
            dir = dir.display().to_string()
        )
    );
    print!("{}", super::status::render_status(&ctx, &st));
    println!(
        "\n{}",
        t!(
            "demo-outbox",
            dir = out_dir.display().to_string(),
            receipts = receipts,
            reminders = tick.reminders.len(),
            digests = tick.digests.len(),
            files = delivery.sent
        )
    );
    if let Some(b) = crate::consolidate::drafts::latest(&ctx.config, &campaign.id) {
        println!(
            "{}",
            t!(
                "demo-drafts",
                xlsx = b.xlsx.display().to_string(),
                docx = b.docx.display().to_string()
            )
        );
    }
    let cfg = if config.is_some() {
        format!("{} --data {}", cfg_path.display(), dir.display())
    } else {
        cfg_path.display().to_string()
    };
    let cfg = cfg.as_str();
    println!("\n{}", t!("demo-try"));
    println!("  {}", t!("demo-try-messages", cfg = cfg));
    println!("  {}", t!("demo-try-attention", cfg = cfg));
    println!(
        "  {}",
        t!("demo-try-status", cfg = cfg, now = now.to_rfc3339())
    );
    if let Some(m) = st.unidentified.first() {
        println!(
            "  {}",
            t!("demo-try-assign", cfg = cfg, id = m.message_id.as_str())
        );
    }
    println!("  {}", t!("demo-try-mark", cfg = cfg));
    println!("  {}", t!("demo-try-remind", cfg = cfg));
    println!("  {}", t!("demo-try-digest", cfg = cfg));
    println!("  {}", t!("demo-try-consolidate", cfg = cfg));
    println!("  {}", t!("demo-try-ingest"));
    Ok(())
}

/// Empties `dir` if it is an earlier demo folder; refuses a folder that is not one.
fn prepare_dir(dir: &Path) -> Result<()> {
    if dir.exists() {
        let ours = dir.join(MARKER).exists();
        let empty = std::fs::read_dir(dir)
            .map(|mut r| r.next().is_none())
            .unwrap_or(false);
        if !ours && !empty {
            return Err(
                UsageError(t!("err-demo-not-ours", dir = dir.display().to_string())).into(),
            );
        }
        if ours {
            std::fs::remove_dir_all(dir)
                .said(|| t!("err-demo-clear", dir = dir.display().to_string()))?;
        }
    }
    std::fs::create_dir_all(dir).said(|| t!("err-create-dir", dir = dir.display().to_string()))?;
    std::fs::write(dir.join(MARKER), t!("demo-marker") + "\n").said(|| {
        t!(
            "err-write-file",
            path = dir.join(MARKER).display().to_string()
        )
    })?;
    Ok(())
}
