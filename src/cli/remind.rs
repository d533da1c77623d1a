//! `baocao remind` (staff's "remind now"), `baocao schedule` (the planned slots and what each
//! would send) and `baocao outbox` (every mail baocao sent or will send, per unit).

use anyhow::{Context as _, Result};

use super::table::render as table;
use super::{Ctx, print_json};
use crate::notify::remind::{self, Occasion};
use crate::notify::{self, Sender};
use crate::schedule;
use crate::store::{OutboxKey, OutboxKind, ReminderWhen};

/// Reminds, outside the plan, every unit that at `--now` still misses something.
pub(crate) fn remind(ctx: &Ctx, campaign: Option<&str>, dry_run: bool) -> Result<()> {
    let c = ctx.campaign(campaign)?;
    let mut store = ctx.open_store()?;
    let now = ctx.now();
    let plans = crate::register::outstanding(&store, &ctx.config, c, now)?;
    if dry_run {
        if ctx.json {
            return print_json(&plans);
        }
        println!(
            "Thử (không gửi): {} đơn vị còn thiếu tài liệu theo Công văn {} lúc {}",
            plans.len(),
            c.number,
            notify::local_text(now, ctx.config.timezone)
        );
        print!("{}", plan_table(ctx, c, &plans));
        return Ok(());
    }
    let templates = ctx.templates()?;
    let mut queued = Vec::new();
    for p in &plans {
        let key = OutboxKey::Reminder {
            campaign: c.id.clone(),
            when: ReminderWhen::Manual(now.to_rfc3339()),
            unit: p.unit_id.clone(),
        };
        if remind::queue_reminder(
            &mut store,
            &ctx.config,
            &templates,
            c,
            p,
            Occasion::Manual,
            &key,
            now,
        )? {
            queued.push(p.unit_id.clone());
        }
    }
    let delivery = match &ctx.config.smtp {
        Some(smtp) => Some(ctx.deliver(&mut store, &Sender::Smtp(smtp.clone()))?),
        None => None,
    };
    if ctx.json {
        return print_json(&serde_json::json!({
            "units": plans,
            "queued": queued,
            "delivery": delivery,
        }));
    }
    print!("{}", plan_table(ctx, c, &plans));
    println!("Đã đưa {} thư nhắc vào hàng đợi.", queued.len());
    match delivery {
        Some(d) => {
            println!(
                "Đã gửi {}, chờ gửi lại {}, thất bại {}, hủy {}.",
                d.sent, d.retry, d.failed, d.cancelled
            );
            for p in &d.problems {
                println!("LỖI — {p}");
            }
        }
        None => println!(
            "Chưa cấu hình [smtp]: thư nằm trong hàng đợi, `baocao run` sẽ gửi khi có máy chủ gửi thư."
        ),
    }
    Ok(())
}

fn plan_table(ctx: &Ctx, c: &crate::config::Campaign, plans: &[remind::Plan]) -> String {
    let _ = ctx;
    let rows: Vec<Vec<String>> = plans
        .iter()
        .map(|p| {
            let missing: Vec<String> = p
                .missing
                .iter()
                .map(|m| c.item(m).map(|i| i.name.clone()).unwrap_or(m.clone()))
                .collect();
            let mut to = p.addresses.join(", ");
            if !p.bad_addresses.is_empty() {
                to.push_str(&format!(
                    " (bỏ qua, thư bị trả lại: {})",
                    p.bad_addresses.join(", ")
                ));
            }
            if to.is_empty() {
                to = "— không có địa chỉ".into();
            }
            vec![p.unit_name.clone(), missing.join(", "), to]
        })
        .collect();
    table(&["Đơn vị", "Còn thiếu", "Gửi tới"], &rows)
}

/// Lists the planned reminder slots (and digest times) and what each would send.
pub(crate) fn schedule(ctx: &Ctx, campaign: Option<&str>) -> Result<()> {
    let store = ctx.open_store()?;
    let now = ctx.now();
    let tz = ctx.config.timezone;
    let campaigns: Vec<&crate::config::Campaign> = match campaign {
        Some(_) => vec![ctx.campaign(campaign)?],
        None => ctx.config.campaigns.iter().collect(),
    };
    let mut out = Vec::new();
    for c in campaigns {
        let plans = crate::register::outstanding(&store, &ctx.config, c, now)?;
        let sent = store.outbox_entries(Some(OutboxKind::Reminder), Some(&c.id), None)?;
        let slots_for = |deadline| schedule::reminder_slots(c, deadline, tz, &ctx.config.holidays);
        let mut slots = Vec::new();
        for s in slots_for(c.deadline) {
            let stamp = s.at.to_rfc3339();
            let done: Vec<String> = sent
                .iter()
                .filter(|e| {
                    matches!(&e.key, OutboxKey::Reminder { when: ReminderWhen::Slot(t), .. } if *t == stamp)
                })
                .filter_map(|e| e.meta.unit_id.clone())
                .collect();
            let would: Vec<String> = if s.at > now {
                plans
                    .iter()
                    .filter(|p| !c.extensions.contains_key(&p.unit_id))
                    .map(|p| p.unit_id.clone())
                    .collect()
            } else {
                Vec::new()
            };
            slots.push(serde_json::json!({
                "at": stamp,
                "slot": s.kind,
                "moved_from": s.moved_from.map(|t| t.to_rfc3339()),
                "past": s.at <= now,
                "sent_to": done,
                "would_remind": would,
            }));
        }
        let extensions: serde_json::Map<String, serde_json::Value> = c
            .extensions
            .iter()
            .map(|(u, d)| {
                let at: Vec<String> = slots_for(*d).iter().map(|s| s.at.to_rfc3339()).collect();
                (
                    u.clone(),
                    serde_json::json!({ "deadline": d.to_rfc3339(), "slots": at }),
                )
            })
            .collect();
        out.push(serde_json::json!({
            "campaign": c.id,
            "number": c.number,
            "deadline": c.deadline.to_rfc3339(),
            "working_days_only": c.reminders.working_days_only,
            "slots": slots,
            "extensions": extensions,
        }));
    }
    let digest: Vec<String> = schedule::digest_next(&ctx.config, now, 5)
        .iter()
        .map(|t| t.to_rfc3339())
        .collect();
    if ctx.json {
        return print_json(&serde_json::json!({
            "as_of": now.to_rfc3339(),
            "campaigns": out,
            "digest": { "cron": ctx.config.digest_cron, "next": digest },
        }));
    }
    for c in &out {
        println!(
            "Công văn {} — hạn {}",
            c["number"].as_str().unwrap_or_default(),
            c["deadline"].as_str().unwrap_or_default()
        );
        let rows: Vec<Vec<String>> = c["slots"]
            .as_array()
            .map(|v| v.as_slice())
            .unwrap_or_default()
            .iter()
            .map(|s| {
                let when = s["at"]
                    .as_str()
                    .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                    .map(|t| {
                        let l = t.with_timezone(&tz);
                        let wd = match chrono::Datelike::weekday(&l) {
                            chrono::Weekday::Mon => "T2",
                            chrono::Weekday::Tue => "T3",
                            chrono::Weekday::Wed => "T4",
                            chrono::Weekday::Thu => "T5",
                            chrono::Weekday::Fri => "T6",
                            chrono::Weekday::Sat => "T7",
                            chrono::Weekday::Sun => "CN",
                        };
                        format!("{wd} {}", l.format("%d/%m/%Y %H:%M"))
                    })
                    .unwrap_or_default();
                let what = match s["slot"]["kind"].as_str() {
                    Some("overdue") => format!("quá hạn lần {}", s["slot"]["n"]),
                    _ => format!("trước hạn {} ngày", s["slot"]["days"]),
                };
                let moved = s["moved_from"]
                    .as_str()
                    .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                    .map(|t| {
                        format!(
                            " (dời từ {}, ngày nghỉ)",
                            t.with_timezone(&tz).format("%d/%m")
                        )
                    })
                    .unwrap_or_default();
                // A long list is cut: the JSON output has all of it.
                let list = |k: &str| {
                    let v: Vec<&str> = s[k]
                        .as_array()
                        .map(|v| v.iter().filter_map(|x| x.as_str()).collect())
                        .unwrap_or_default();
                    match v.len() {
                        0 => "không đơn vị nào".to_string(),
                        n if n > 6 => format!("{n} đơn vị ({}, …)", v[..6].join(", ")),
                        n => format!("{n} đơn vị ({})", v.join(", ")),
                    }
                };
                let status = if s["past"].as_bool().unwrap_or(false) {
                    format!("đã gửi: {}", list("sent_to"))
                } else {
                    format!("sẽ nhắc (nếu vẫn thiếu): {}", list("would_remind"))
                };
                vec![when, format!("{what}{moved}"), status]
            })
            .collect();
        print!("{}", table(&["Lúc", "Loại", "Đơn vị"], &rows));
        if let Some(ext) = c["extensions"].as_object() {
            for (u, e) in ext {
                println!(
                    "Gia hạn cho {u} đến {}: nhắc lúc {}",
                    e["deadline"].as_str().unwrap_or_default(),
                    e["slots"]
                        .as_array()
                        .map(|v| v
                            .iter()
                            .filter_map(|x| x.as_str())
                            .collect::<Vec<_>>()
                            .join(", "))
                        .unwrap_or_default()
                );
            }
        }
        println!();
    }
    match &ctx.config.digest_cron {
        Some(cron) => println!("Bản tổng hợp cho cán bộ ({cron}): {}", digest.join(", ")),
        None => println!("Bản tổng hợp cho cán bộ: tắt ([digest] cron = \"\")"),
    }
    Ok(())
}

/// Lists outgoing mail: what was sent (or is waiting), when, to whom.
pub(crate) fn outbox(ctx: &Ctx, unit: Option<&str>, kind: Option<OutboxKind>) -> Result<()> {
    let store = ctx.open_store()?;
    let entries = store
        .outbox_entries(kind, None, unit)
        .context("cannot read the outbox")?;
    if ctx.json {
        return print_json(&entries);
    }
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            vec![
                e.created_at.clone(),
                e.meta.kind.label().to_string(),
                e.meta.unit_id.clone().unwrap_or_default(),
                e.to.join(", "),
                e.status.label().to_string(),
                e.sent_at.clone().unwrap_or_default(),
                e.last_error.clone().unwrap_or_default(),
            ]
        })
        .collect();
    print!(
        "{}",
        table(
            &[
                "Tạo lúc",
                "Loại",
                "Đơn vị",
                "Gửi tới",
                "Tình trạng",
                "Gửi lúc",
                "Lỗi"
            ],
            &rows
        )
    );
    Ok(())
}
