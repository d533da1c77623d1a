//! When planned mail goes out: the reminder slots of a campaign (days before the deadline, then
//! overdue notices), moved off weekends and holidays when the campaign says so, and the staff
//! digest's cron schedule. Everything is computed in the office time zone.
//!
//! Slots are not stored: they are recomputed from the campaign, and the store keeps only how
//! far each schedule was carried out (`schedule_state`). A tick sends what fell due since then
//! — once, however many slots were missed while the daemon was down.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Weekday};
use chrono_tz::Tz;
use serde::Serialize;

use crate::config::{Campaign, Config};
use crate::notify::{self, templates::Templates};
use crate::store::Store;

/// Why a reminder slot exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SlotKind {
    /// `days` days before the deadline.
    BeforeDeadline {
        /// Days before.
        days: u32,
    },
    /// The `n`-th overdue notice (1 = the day after the deadline).
    Overdue {
        /// Which notice.
        n: u32,
    },
}

/// One planned reminder time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Slot {
    /// When it goes out.
    pub at: DateTime<FixedOffset>,
    /// Why.
    #[serde(flatten)]
    pub kind: SlotKind,
    /// Where the plan put it before it was moved off a day off, if it was.
    pub moved_from: Option<DateTime<FixedOffset>>,
}

impl Slot {
    /// Whether this is an overdue notice.
    pub fn overdue(&self) -> bool {
        matches!(self.kind, SlotKind::Overdue { .. })
    }
}

/// Whether `d` is a working day: Monday to Friday and not a listed holiday.
pub fn is_working_day(d: NaiveDate, holidays: &[NaiveDate]) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !holidays.contains(&d)
}

fn local(tz: Tz, d: NaiveDate, t: NaiveTime) -> Option<DateTime<FixedOffset>> {
    tz.from_local_datetime(&d.and_time(t))
        .earliest()
        .map(|x| x.fixed_offset())
}

/// The reminder slots for a unit whose deadline is `deadline` (the campaign's, or its
/// extension): before-deadline slots that fall on a day off move back to the previous working
/// day (still before the deadline, not before the request was issued); overdue slots move
/// forward to the next working day (not after the consolidation deadline). Slots that land on
/// the same time are sent once.
pub fn reminder_slots(
    c: &Campaign,
    deadline: DateTime<FixedOffset>,
    tz: Tz,
    holidays: &[NaiveDate],
) -> Vec<Slot> {
    let plan = &c.reminders;
    let day = deadline.with_timezone(&tz).date_naive();
    let working = |d: NaiveDate| !plan.working_days_only || is_working_day(d, holidays);
    let mut out: Vec<Slot> = Vec::new();
    for &days in &plan.days_before {
        let Some(planned_day) = day.checked_sub_signed(Duration::days(i64::from(days))) else {
            continue;
        };
        let mut d = planned_day;
        // At most a few weeks of days off in a row (Tết): stop looking after that.
        for _ in 0..30 {
            if working(d) {
                break;
            }
            d = d.pred_opt().unwrap_or(d);
        }
        let (Some(at), Some(planned)) = (local(tz, d, plan.at), local(tz, planned_day, plan.at))
        else {
            continue;
        };
        if !working(d) || at >= deadline || d < c.issued {
            continue;
        }
        out.push(Slot {
            at,
            kind: SlotKind::BeforeDeadline { days },
            moved_from: (d != planned_day).then_some(planned),
        });
    }
    if plan.overdue_every_days > 0 {
        let step = i64::from(plan.overdue_every_days);
        let mut n = 1u32;
        let mut planned_day = day.succ_opt().unwrap_or(day);
        loop {
            let mut d = planned_day;
            for _ in 0..30 {
                if working(d) {
                    break;
                }
                d = d.succ_opt().unwrap_or(d);
            }
            let (Some(at), Some(planned)) =
                (local(tz, d, plan.at), local(tz, planned_day, plan.at))
            else {
                break;
            };
            if at > c.consolidation_deadline || n > 60 {
                break;
            }
            if working(d) {
                out.push(Slot {
                    at,
                    kind: SlotKind::Overdue { n },
                    moved_from: (d != planned_day).then_some(planned),
                });
            }
            n += 1;
            planned_day += Duration::days(step);
        }
    }
    out.sort_by_key(|s| s.at);
    out.dedup_by_key(|s| s.at);
    out
}

/// Whether planned mail may go out at `now`: within the campaign's working hours on a working
/// day, when the campaign sends on working days only.
pub fn is_working_time(
    c: &Campaign,
    now: DateTime<FixedOffset>,
    tz: Tz,
    holidays: &[NaiveDate],
) -> bool {
    if !c.reminders.working_days_only {
        return true;
    }
    let l = now.with_timezone(&tz);
    let (start, end) = c.reminders.working_hours;
    is_working_day(l.date_naive(), holidays) && l.time() >= start && l.time() <= end
}

/// The latest digest time at or before `now` after `after`, if any (a missed digest is caught
/// up once, whatever the number of occurrences missed).
pub fn digest_due(
    config: &Config,
    after: DateTime<FixedOffset>,
    now: DateTime<FixedOffset>,
) -> Option<DateTime<FixedOffset>> {
    let expr = config.digest_cron.as_deref()?;
    let cron = crate::config::parse_cron(expr).ok()?;
    let tz = config.timezone;
    let prev = cron
        .find_previous_occurrence(&now.with_timezone(&tz), true)
        .ok()?
        .fixed_offset();
    (prev > after).then_some(prev)
}

/// The next `n` digest times after `now`.
pub fn digest_next(
    config: &Config,
    now: DateTime<FixedOffset>,
    n: usize,
) -> Vec<DateTime<FixedOffset>> {
    let Some(cron) = config
        .digest_cron
        .as_deref()
        .and_then(|e| crate::config::parse_cron(e).ok())
    else {
        return Vec::new();
    };
    cron.iter_after(now.with_timezone(&config.timezone))
        .take(n)
        .map(|t| t.fixed_offset())
        .collect()
}

/// Why a tick failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Composing or queueing a reminder failed.
    #[error(transparent)]
    Notify(#[from] notify::Error),
    /// Building or queueing the digest failed.
    #[error(transparent)]
    Digest(#[from] notify::digest::Error),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] crate::store::Error),
    /// Building or mailing the consolidated drafts failed.
    #[error(transparent)]
    Drafts(#[from] crate::consolidate::drafts::DraftError),
}

/// What one scheduler tick queued.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Tick {
    /// Reminders queued, as (campaign, unit, slot).
    pub reminders: Vec<(String, String, String)>,
    /// Units not reminded at a due slot, and why.
    pub held_back: Vec<(String, String, String)>,
    /// Digests queued (their slot).
    pub digests: Vec<String>,
    /// Consolidated drafts (re)built and mailed.
    pub drafts: crate::consolidate::drafts::DraftTick,
}

/// Whether some reminder slot fell due since the last tick and may go out now: the daemon
/// then polls the mailbox first, so a unit whose mail has just arrived is not reminded.
pub fn reminders_due(store: &Store, config: &Config, now: DateTime<FixedOffset>) -> bool {
    let tz = config.timezone;
    config.campaigns.iter().any(|c| {
        if now > c.consolidation_deadline + Duration::days(1)
            || !is_working_time(c, now, tz, &config.holidays)
        {
            return false;
        }
        let base = match store.schedule_done(&plan_name(c)) {
            Ok(Some((_, ts))) => ts,
            Ok(None) => local(tz, c.issued, NaiveTime::MIN)
                .map(|t| t.timestamp())
                .unwrap_or(0),
            Err(_) => return true,
        };
        std::iter::once(c.deadline)
            .chain(c.extensions.values().copied())
            .flat_map(|d| reminder_slots(c, d, tz, &config.holidays))
            .any(|s| s.at.timestamp() > base && s.at <= now)
    })
}

/// The state name of a campaign's reminder plan.
fn plan_name(c: &Campaign) -> String {
    format!("remind:{}", c.id)
}

/// Queues whatever fell due since the last tick: for each campaign, one reminder per unit that
/// still misses something and has a slot in (last tick, now] — the latest such slot, so a
/// daemon that was down catches up once — within working time, the unit's interval and count
/// limits; and the digest when its cron time passed. Call it after a fresh poll, so a unit
/// whose mail has arrived is not reminded.
pub fn tick(
    store: &mut Store,
    config: &Config,
    templates: &Templates,
    now: DateTime<FixedOffset>,
) -> Result<Tick, Error> {
    let tz = config.timezone;
    let mut out = Tick::default();
    for c in &config.campaigns {
        if now > c.consolidation_deadline + Duration::days(1) {
            continue;
        }
        let name = plan_name(c);
        let base = match store.schedule_done(&name)? {
            Some((_, ts)) => ts,
            None => local(tz, c.issued, NaiveTime::MIN)
                .map(|t| t.timestamp())
                .unwrap_or(0),
        };
        if !is_working_time(c, now, tz, &config.holidays) {
            // A slot missed at night waits for the next working morning.
            continue;
        }
        let sent = store.outbox_entries(Some("reminder"), Some(&c.id), None)?;
        for p in notify::remind::plan(store, config, c, now)? {
            let slots = reminder_slots(c, c.deadline_for(&p.unit_id), tz, &config.holidays);
            let Some(slot) = slots
                .iter()
                .rev()
                .find(|s| s.at.timestamp() > base && s.at <= now)
            else {
                continue;
            };
            let mine: Vec<_> = sent
                .iter()
                .filter(|e| e.meta.unit_id.as_deref() == Some(p.unit_id.as_str()))
                .filter(|e| !matches!(e.status.as_str(), "cancelled" | "failed"))
                .collect();
            let planned = mine.iter().filter(|e| e.key.contains(":slot:")).count();
            let hold = |why: String| (c.id.clone(), p.unit_id.clone(), why);
            if c.reminders.max_per_unit > 0 && planned >= c.reminders.max_per_unit as usize {
                out.held_back
                    .push(hold(format!("đã nhắc {planned} lần (max-per-unit)")));
                continue;
            }
            let recent = mine.iter().any(|e| {
                DateTime::parse_from_rfc3339(&e.created_at)
                    .is_ok_and(|t| now - t < c.reminders.min_interval)
            });
            if recent {
                out.held_back
                    .push(hold("vừa được nhắc chưa đủ min-interval-hours".into()));
                continue;
            }
            if p.addresses.is_empty() {
                out.held_back.push(hold(
                    "không có địa chỉ dùng được (chưa đăng ký, hoặc thư tới mọi địa chỉ đều bị trả lại)".into(),
                ));
                continue;
            }
            let key = format!(
                "remind:{}:slot:{}:{}",
                c.id,
                slot.at.to_rfc3339(),
                p.unit_id
            );
            let occasion = if slot.overdue() {
                notify::remind::Occasion::Overdue
            } else {
                notify::remind::Occasion::Planned
            };
            if notify::remind::queue_reminder(store, config, templates, c, &p, occasion, &key, now)?
            {
                out.reminders
                    .push((c.id.clone(), p.unit_id.clone(), slot.at.to_rfc3339()));
            }
        }
        store.set_schedule_done(&name, &now.to_rfc3339(), now.timestamp())?;
    }
    // The staff digest, when its cron time passed since the last one (once, however many
    // were missed), while some campaign is still open.
    if config.digest_cron.is_some()
        && !config.digest_recipients.is_empty()
        && !notify::digest::open_campaigns(config, now).is_empty()
    {
        let after = match store.schedule_done(DIGEST)? {
            Some((at, _)) => DateTime::parse_from_rfc3339(&at).unwrap_or(now - Duration::days(1)),
            // First start: only a digest due within the last day is caught up.
            None => now - Duration::days(1),
        };
        if let Some(slot) = digest_due(config, after, now) {
            if notify::digest::queue(store, config, templates, now, &slot.to_rfc3339())? {
                out.digests.push(slot.to_rfc3339());
            }
            store.set_schedule_done(DIGEST, &now.to_rfc3339(), now.timestamp())?;
        }
    }
    // The consolidated drafts, once the unit deadline has passed and whenever what counts
    // changes after that (a late submission).
    out.drafts = crate::consolidate::drafts::tick(store, config, now)?;
    Ok(out)
}

/// The state name of the digest schedule.
const DIGEST: &str = "digest";

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        crate::config::load(&root.join("config/baocao.toml")).expect("config")
    }

    fn t(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).expect("time")
    }

    #[test]
    fn the_seed_plan_moves_off_tet_and_the_weekend_and_sends_one_overdue_notice() {
        let cfg = config();
        let c = cfg.campaign("809-CV-HU").expect("campaign");
        let slots = reminder_slots(c, c.deadline, cfg.timezone, &cfg.holidays);
        let at: Vec<String> = slots.iter().map(|s| s.at.to_rfc3339()).collect();
        // 5 days before = Wed 25/01 (Tết) → Thu 19/01; 2 before = Sat 28/01 → Fri 27/01;
        // 1 before = Sun 29/01 → Fri 27/01 again (sent once); overdue: Tue 31/01, then 02/02
        // is after the consolidation deadline.
        assert_eq!(
            at,
            [
                "2023-01-19T08:00:00+07:00",
                "2023-01-27T08:00:00+07:00",
                "2023-01-31T08:00:00+07:00"
            ]
        );
        for s in &slots {
            assert!(is_working_day(s.at.date_naive(), &cfg.holidays), "{s:?}");
        }
        assert!(slots[0].moved_from.is_some());
        assert!(slots[2].overdue());
    }

    #[test]
    fn an_extension_gives_a_unit_its_own_later_slots() {
        let cfg = config();
        let c = cfg.campaign("809-CV-HU").expect("campaign");
        let ext = t("2023-02-03T23:59:59+07:00");
        let slots = reminder_slots(c, ext, cfg.timezone, &cfg.holidays);
        let at: Vec<String> = slots.iter().map(|s| s.at.to_rfc3339()).collect();
        // 5 before = Sun 29/01 → Fri 27/01; 2 before = Wed 01/02; 1 before = Thu 02/02. No
        // overdue notice: the day after (04/02) is past the consolidation deadline.
        assert_eq!(
            at,
            [
                "2023-01-27T08:00:00+07:00",
                "2023-02-01T08:00:00+07:00",
                "2023-02-02T08:00:00+07:00"
            ]
        );
    }

    #[test]
    fn working_time_and_the_digest_use_posix_weekdays_in_the_office_zone() {
        let cfg = config();
        let c = cfg.campaign("809-CV-HU").expect("campaign");
        assert!(is_working_time(
            c,
            t("2023-01-27T08:00:00+07:00"),
            cfg.timezone,
            &cfg.holidays
        ));
        assert!(!is_working_time(
            c,
            t("2023-01-27T20:00:00+07:00"),
            cfg.timezone,
            &cfg.holidays
        ));
        assert!(!is_working_time(
            c,
            t("2023-01-28T09:00:00+07:00"),
            cfg.timezone,
            &cfg.holidays
        ));
        assert!(!is_working_time(
            c,
            t("2023-01-24T09:00:00+07:00"),
            cfg.timezone,
            &cfg.holidays
        ));
        // "30 7 * * 1-5": Friday 27/01 07:30, then Monday 30/01 (not Saturday or Sunday).
        let next = digest_next(&cfg, t("2023-01-27T07:00:00+07:00"), 2);
        let next: Vec<String> = next.iter().map(|x| x.to_rfc3339()).collect();
        assert_eq!(
            next,
            ["2023-01-27T07:30:00+07:00", "2023-01-30T07:30:00+07:00"]
        );
        // Down from Friday evening to Monday noon: one digest is due, Monday's.
        assert_eq!(
            digest_due(
                &cfg,
                t("2023-01-27T18:00:00+07:00"),
                t("2023-01-30T12:00:00+07:00")
            )
            .map(|x| x.to_rfc3339()),
            Some("2023-01-30T07:30:00+07:00".into())
        );
        assert_eq!(
            digest_due(
                &cfg,
                t("2023-01-30T08:00:00+07:00"),
                t("2023-01-30T12:00:00+07:00")
            ),
            None
        );
    }
}
