//! `baocao remind` (staff's "remind now"), `baocao schedule` (the planned slots and what each
//! would send) and `baocao outbox` (every mail baocao sent or will send, per unit).

use anyhow::Result;

use super::table::render as table;
use super::{Ctx, Saying as _, print_json};
use crate::i18n::{self, t};
use crate::notify::Sender;
use crate::notify::remind::{self, Occasion};
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
            "{}",
            t!(
                "remind-dry-run",
                count = plans.len(),
                number = c.number.as_str(),
                at = i18n::when(now, &ctx.config.timezone)
            )
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
    println!("{}", t!("remind-queued", count = queued.len()));
    match delivery {
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
        None => println!("{}", t!("remind-no-smtp")),
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
                to.push_str(&t!(
                    "remind-bad-addresses",
                    addresses = p.bad_addresses.join(", ")
                ));
            }
            if to.is_empty() {
                to = t!("remind-no-address");
            }
            vec![p.unit_name.clone(), missing.join(", "), to]
        })
        .collect();
    table(&[&t!("col-unit"), &t!("col-missing"), &t!("col-to")], &rows)
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
    let units = store.units()?;
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
            "{}",
            t!(
                "schedule-campaign",
                number = c["number"].as_str().unwrap_or_default(),
                deadline = i18n::when_text(c["deadline"].as_str().unwrap_or_default(), &tz)
            )
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
                            chrono::Weekday::Mon => t!("weekday-short-mon"),
                            chrono::Weekday::Tue => t!("weekday-short-tue"),
                            chrono::Weekday::Wed => t!("weekday-short-wed"),
                            chrono::Weekday::Thu => t!("weekday-short-thu"),
                            chrono::Weekday::Fri => t!("weekday-short-fri"),
                            chrono::Weekday::Sat => t!("weekday-short-sat"),
                            chrono::Weekday::Sun => t!("weekday-short-sun"),
                        };
                        format!("{wd} {}", i18n::when(t, &tz))
                    })
                    .unwrap_or_default();
                let what = match s["slot"]["kind"].as_str() {
                    Some("overdue") => t!("slot-overdue", n = s["slot"]["n"].to_string()),
                    _ => t!("slot-before", days = s["slot"]["days"].to_string()),
                };
                let moved = s["moved_from"]
                    .as_str()
                    .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                    .map(|t| {
                        t!(
                            "slot-moved",
                            from = t.with_timezone(&tz).format("%d/%m/%Y").to_string()
                        )
                    })
                    .unwrap_or_default();
                // A long list is cut: the JSON output has all of it.
                let list = |k: &str| {
                    // Short names: the list is a glance, the ids are in the JSON.
                    let v: Vec<String> = s[k]
                        .as_array()
                        .map(|v| {
                            v.iter()
                                .filter_map(|x| x.as_str())
                                .map(|id| short_name(&units, id))
                                .collect()
                        })
                        .unwrap_or_default();
                    match v.len() {
                        0 => t!("units-none"),
                        n if n > 6 => t!("units-some-cut", count = n, list = v[..6].join(", ")),
                        n => t!("units-some", count = n, list = v.join(", ")),
                    }
                };
                let status = if s["past"].as_bool().unwrap_or(false) {
                    t!("slot-sent", units = list("sent_to"))
                } else {
                    t!("slot-would", units = list("would_remind"))
                };
                vec![when, format!("{what}{moved}"), status]
            })
            .collect();
        print!(
            "{}",
            table(&[&t!("col-at"), &t!("col-kind"), &t!("col-units")], &rows)
        );
        if let Some(ext) = c["extensions"].as_object() {
            for (u, e) in ext {
                let slots: Vec<String> = e["slots"]
                    .as_array()
                    .map(|v| {
                        v.iter()
                            .filter_map(|x| x.as_str())
                            .map(|x| i18n::when_text(x, &tz))
                            .collect()
                    })
                    .unwrap_or_default();
                println!(
                    "{}",
                    t!(
                        "schedule-extension",
                        unit = unit_name(&units, u),
                        deadline = i18n::when_text(e["deadline"].as_str().unwrap_or_default(), &tz),
                        slots = slots.join(", ")
                    )
                );
            }
        }
        println!();
    }
    match &ctx.config.digest_cron {
        Some(cron) => {
            let next: Vec<String> = digest.iter().map(|t| i18n::when_text(t, &tz)).collect();
            println!(
                "{}",
                t!(
                    "schedule-digest",
                    schedule = i18n::cron_in_words(cron),
                    next = next.join(", ")
                )
            );
        }
        None => println!("{}", t!("schedule-digest-off")),
    }
    Ok(())
}

/// Lists outgoing mail: what was sent (or is waiting), when, to whom.
pub(crate) fn outbox(ctx: &Ctx, unit: Option<&str>, kind: Option<OutboxKind>) -> Result<()> {
    let store = ctx.open_store()?;
    let entries = store
        .outbox_entries(kind, None, unit)
        .said(|| t!("err-outbox-read"))?;
    if ctx.json {
        return print_json(&entries);
    }
    let tz = ctx.config.timezone;
    let units = store.units()?;
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            vec![
                i18n::when_text(&e.created_at, &tz),
                e.meta.kind.label(),
                e.meta
                    .unit_id
                    .as_deref()
                    .map(|u| unit_name(&units, u))
                    .unwrap_or_default(),
                e.to.join(", "),
                e.status.label(),
                e.sent_at
                    .as_deref()
                    .map(|t| i18n::when_text(t, &tz))
                    .unwrap_or_default(),
                e.last_error.clone().unwrap_or_default(),
            ]
        })
        .collect();
    print!(
        "{}",
        table(
            &[
                &t!("col-created"),
                &t!("col-kind"),
                &t!("col-unit"),
                &t!("col-to"),
                &t!("col-status"),
                &t!("col-sent"),
                &t!("col-error"),
            ],
            &rows
        )
    );
    Ok(())
}

/// A unit's name as staff know it (its id when the registry no longer has it).
fn unit_name(units: &[crate::config::Unit], id: &str) -> String {
    units
        .iter()
        .find(|u| u.id == id)
        .map_or_else(|| id.to_string(), |u| u.name.clone())
}

/// A unit's short name (its name when it has none, its id when the registry lacks it).
fn short_name(units: &[crate::config::Unit], id: &str) -> String {
    match units.iter().find(|u| u.id == id) {
        Some(u) if !u.short_name.is_empty() => u.short_name.clone(),
        Some(u) => u.name.clone(),
        None => id.to_string(),
    }
}
