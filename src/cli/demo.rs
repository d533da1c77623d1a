//! `baocao demo`: a fresh data folder, the bundled sample mail ingested into it, the status
//! table printed, and what to try next.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context as _, Result};
use chrono::{DateTime, FixedOffset};

use super::{Ctx, UsageError, print_json};
use crate::clock::Clock;
use crate::demo;
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
            .with_context(|| format!("cannot write the demo config into {}", dir.display()))?,
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
        "baocao demo — hộp thư mẫu: {} thư của các đơn vị trả lời Công văn {}.",
        report.seen, campaign.number
    );
    println!(
        "Đã lưu {} thư vào {} (bản gốc trong archive/; lấy tệp đính kèm ra bằng baocao export).\n",
        report.stored,
        dir.display()
    );
    print!("{}", super::status::render_status(&ctx, &st));
    println!(
        "\nThư tự động (không gửi đi, lưu thành tệp .eml trong {}): {} biên nhận, {} thư nhắc, {} bản tổng hợp cho cán bộ; {} tệp.",
        out_dir.display(),
        receipts,
        tick.reminders.len(),
        tick.digests.len(),
        delivery.sent
    );
    if let Some(b) = crate::consolidate::drafts::latest(&ctx.config, &campaign.id) {
        println!(
            "Dự thảo tổng hợp cho Ban Tổ chức (hạn gửi đã qua):\n  {}\n  {}",
            b.xlsx.display(),
            b.docx.display()
        );
    }
    let cfg = if config.is_some() {
        format!("{} --data {}", cfg_path.display(), dir.display())
    } else {
        cfg_path.display().to_string()
    };
    println!("\nThử tiếp:");
    println!(
        "  baocao --config {cfg} messages            # từng thư: đơn vị, công văn, tệp, cách nhận diện"
    );
    println!("  baocao --config {cfg} messages --attention  # chỉ các thư cần cán bộ xem lại");
    println!(
        "  baocao --config {cfg} --now {} status --json",
        now.to_rfc3339()
    );
    if let Some(m) = st.unidentified.first() {
        println!(
            "  baocao --config {cfg} assign '{}' loc-ngai   # gán thư chưa rõ đơn vị",
            m.message_id
        );
    }
    println!(
        "  baocao --config {cfg} mark loc-an bieu1 --note \"nộp bản giấy\"   # ghi nhận nộp bản giấy"
    );
    println!(
        "  baocao --config {cfg} remind --dry-run      # ai còn thiếu gì, thư nhắc sẽ gửi cho ai"
    );
    println!("  baocao --config {cfg} digest --dry-run      # bản tổng hợp tình hình gửi cán bộ");
    println!(
        "  baocao --config {cfg} consolidate --out du-thao   # bảng Excel và dự thảo báo cáo Word"
    );
    println!(
        "  baocao ingest THƯ-MỤC-THƯ                  # nhập thư thật: .eml, Maildir hoặc mbox"
    );
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
            return Err(UsageError(format!(
                "{} already exists and is not a baocao demo folder; name another with --data DIR",
                dir.display()
            ))
            .into());
        }
        if ours {
            std::fs::remove_dir_all(dir)
                .with_context(|| format!("cannot clear the old demo folder {}", dir.display()))?;
        }
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    std::fs::write(
        dir.join(MARKER),
        "baocao demo folder; `baocao demo` may delete it\n",
    )?;
    Ok(())
}
