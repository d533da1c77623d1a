//! When planned mail goes out: the reminder slots of a campaign (days before the deadline, then
//! overdue notices), moved off weekends and holidays when the campaign says so, and the staff
//! digest's cron schedule. Everything is computed in the office time zone.
//!
//! Slots are not stored: they are recomputed from the campaign, and the store keeps only how
//! far each schedule was carried out (`schedule_state`). Planning is pure: [`situation`] reads
//! the register and the outbox, [`plan`] turns them into [`Action`]s — what fell due since the
//! last step, once however many slots were missed while the daemon was down — and
//! `notify::act` carries them out. Nothing here sends or builds anything.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Weekday};
use chrono_tz::Tz;
use serde::Serialize;

use crate::config::{Campaign, Config};
use crate::i18n::t;
use crate::register::Outstanding;
use crate::store::{OutboxEntry, OutboxKey, OutboxKind, ReminderWhen, Store};

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

/// How long after its consolidation deadline a campaign still shows in the digest.
const KEEP_AFTER_CONSOLIDATION_DAYS: i64 = 7;

/// The campaigns a digest at `now` covers: issued by then, and not more than a week past
/// their consolidation deadline.
pub fn open_campaigns(config: &Config, now: DateTime<FixedOffset>) -> Vec<&Campaign> {
    let today = now.with_timezone(&config.timezone).date_naive();
    config
        .campaigns
        .iter()
        .filter(|c| {
            c.issued <= today
                && c.consolidation_deadline + Duration::days(KEEP_AFTER_CONSOLIDATION_DAYS) >= now
        })
        .collect()
}

/// How a reminder came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Occasion {
    /// A planned slot, before the deadline.
    Planned,
    /// A planned overdue notice.
    Overdue,
    /// Staff pressed "remind now" (`baocao remind`).
    Manual,
}

/// What the register and the outbox say of one campaign, as the planner needs it.
#[derive(Debug, Clone)]
pub struct CampaignSituation {
    /// Campaign id.
    pub campaign: String,
    /// Up to when its reminder plan was carried out (unix seconds), if ever.
    pub done_ts: Option<i64>,
    /// Units that miss something, with their usable addresses.
    pub outstanding: Vec<Outstanding>,
    /// The reminders already in the outbox for this campaign.
    pub reminders: Vec<OutboxEntry>,
}

/// Everything one planning step looks at: read from the store by [`situation`], so that
/// [`plan`] itself touches nothing but its arguments.
#[derive(Debug, Clone)]
pub struct Situation {
    /// The moment planned for.
    pub now: DateTime<FixedOffset>,
    /// Campaigns still within their reminder window.
    pub campaigns: Vec<CampaignSituation>,
    /// When the digest schedule was last carried out (RFC 3339), if ever.
    pub digest_done: Option<String>,
}

/// Reads what [`plan`] needs at `now`.
pub fn situation(
    store: &Store,
    config: &Config,
    now: DateTime<FixedOffset>,
) -> crate::store::Result<Situation> {
    let mut campaigns = Vec::new();
    for c in &config.campaigns {
        // Outside working time the planner sends nothing for this campaign: the register is
        // not read for it (this runs every minute).
        if now > c.consolidation_deadline + Duration::days(1)
            || !is_working_time(c, now, config.timezone, &config.holidays)
        {
            continue;
        }
        campaigns.push(CampaignSituation {
            campaign: c.id.clone(),
            done_ts: store.schedule_done(&plan_name(c))?.map(|d| d.ts),
            outstanding: crate::register::outstanding(store, config, c, now)?,
            reminders: store.outbox_entries(Some(OutboxKind::Reminder), Some(&c.id), None)?,
        });
    }
    Ok(Situation {
        now,
        campaigns,
        digest_done: store.schedule_done(DIGEST)?.map(|d| d.at),
    })
}

/// A reminder the planner decided on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reminder {
    /// Campaign id.
    pub campaign: String,
    /// The unit, what it misses and where the mail goes.
    pub unit: Outstanding,
    /// The slot it answers.
    pub slot: DateTime<FixedOffset>,
    /// Before the deadline or overdue.
    pub occasion: Occasion,
    /// Its idempotency key (one per unit and slot).
    #[serde(skip)]
    pub key: OutboxKey,
}

/// A unit not reminded at a due slot, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeldBack {
    /// Campaign id.
    pub campaign: String,
    /// Unit id.
    pub unit: String,
    /// Why, in the words staff read.
    pub why: String,
}

/// One thing the scheduler wants done; [`crate::notify::act`] carries it out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Queue this reminder.
    Remind(Box<Reminder>),
    /// Build and queue the staff digest of this cron slot.
    Digest {
        /// The slot.
        slot: DateTime<FixedOffset>,
    },
    /// Rebuild the campaign's drafts if what counts changed since the last build, and mail a
    /// new build to the consolidation recipients.
    Drafts {
        /// Campaign id.
        campaign: String,
    },
    /// Record that a schedule was carried out up to `at` (after the actions before it).
    Done {
        /// The schedule's name.
        schedule: String,
        /// Up to when.
        at: DateTime<FixedOffset>,
    },
}

/// What one planning step decided.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// In order: reminders of a campaign, then its `Done`; the digest; the drafts.
    pub actions: Vec<Action>,
    /// Units not reminded at a due slot, and why.
    pub held_back: Vec<HeldBack>,
}

/// Whether some reminder slot fell due since the last tick and may go out now: the daemon
/// then polls the mailbox first, so a unit whose mail has just arrived is not reminded.
pub fn reminders_due(
    store: &Store,
    config: &Config,
    now: DateTime<FixedOffset>,
) -> crate::store::Result<bool> {
    let tz = config.timezone;
    for c in &config.campaigns {
        if now > c.consolidation_deadline + Duration::days(1)
            || !is_working_time(c, now, tz, &config.holidays)
        {
            continue;
        }
        let base = base_ts(c, store.schedule_done(&plan_name(c))?.map(|d| d.ts), tz);
        let due = std::iter::once(c.deadline)
            .chain(c.extensions.values().copied())
            .flat_map(|d| reminder_slots(c, d, tz, &config.holidays))
            .any(|s| s.at.timestamp() > base && s.at <= now);
        if due {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Where a campaign's plan starts: where it was carried out to, else the day of issue.
fn base_ts(c: &Campaign, done_ts: Option<i64>, tz: Tz) -> i64 {
    done_ts.unwrap_or_else(|| {
        local(tz, c.issued, NaiveTime::MIN)
            .map(|t| t.timestamp())
            .unwrap_or(0)
    })
}

/// The state name of a campaign's reminder plan.
fn plan_name(c: &Campaign) -> String {
    format!("remind:{}", c.id)
}

/// Decides what falls due at `s.now`: for each campaign, one reminder per unit that still
/// misses something and has a slot in (last tick, now] — the latest such slot, so a daemon that
/// was down catches up once — within working time, the unit's interval and count limits; the
/// digest when its cron time passed; the drafts once the unit deadline has passed. Plan after
/// a fresh poll, so a unit whose mail has arrived is not reminded. Pure: the same situation
/// gives the same plan.
pub fn plan(config: &Config, s: &Situation) -> Plan {
    let tz = config.timezone;
    let now = s.now;
    let mut out = Plan::default();
    for cs in &s.campaigns {
        let Some(c) = config.campaign(&cs.campaign) else {
            continue;
        };
        if now > c.consolidation_deadline + Duration::days(1)
            || !is_working_time(c, now, tz, &config.holidays)
        {
            // A slot missed at night waits for the next working morning.
            continue;
        }
        let base = base_ts(c, cs.done_ts, tz);
        for p in &cs.outstanding {
            let slots = reminder_slots(c, c.deadline_for(&p.unit_id), tz, &config.holidays);
            let Some(slot) = slots
                .iter()
                .rev()
                .find(|x| x.at.timestamp() > base && x.at <= now)
            else {
                continue;
            };
            let mine: Vec<&OutboxEntry> = cs
                .reminders
                .iter()
                .filter(|e| e.meta.unit_id.as_deref() == Some(p.unit_id.as_str()))
                .filter(|e| e.status.counts())
                .collect();
            let planned = mine.iter().filter(|e| e.key.is_planned_reminder()).count();
            let hold = |why: String| HeldBack {
                campaign: c.id.clone(),
                unit: p.unit_id.clone(),
                why,
            };
            if c.reminders.max_per_unit > 0 && planned >= c.reminders.max_per_unit as usize {
                out.held_back
                    .push(hold(t!("held-max", count = planned.to_string())));
                continue;
            }
            let recent = mine.iter().any(|e| {
                DateTime::parse_from_rfc3339(&e.created_at)
                    .is_ok_and(|t| now - t < c.reminders.min_interval)
            });
            if recent {
                out.held_back.push(hold(t!("held-recent")));
                continue;
            }
            if p.addresses.is_empty() {
                out.held_back.push(hold(t!("held-no-address")));
                continue;
            }
            out.actions.push(Action::Remind(Box::new(Reminder {
                campaign: c.id.clone(),
                unit: p.clone(),
                slot: slot.at,
                occasion: if slot.overdue() {
                    Occasion::Overdue
                } else {
                    Occasion::Planned
                },
                key: OutboxKey::Reminder {
                    campaign: c.id.clone(),
                    when: ReminderWhen::Slot(slot.at.to_rfc3339()),
                    unit: p.unit_id.clone(),
                },
            })));
        }
        out.actions.push(Action::Done {
            schedule: plan_name(c),
            at: now,
        });
    }
    // The staff digest, when its cron time passed since the last one (once, however many
    // were missed), while some campaign is still open.
    if config.digest_cron.is_some()
        && !config.digest_recipients.is_empty()
        && !open_campaigns(config, now).is_empty()
    {
        let after = match &s.digest_done {
            Some(at) => DateTime::parse_from_rfc3339(at).unwrap_or(now - Duration::days(1)),
            // First start: only a digest due within the last day is caught up.
            None => now - Duration::days(1),
        };
        if let Some(slot) = digest_due(config, after, now) {
            out.actions.push(Action::Digest { slot });
            out.actions.push(Action::Done {
                schedule: DIGEST.to_string(),
                at: now,
            });
        }
    }
    // The consolidated drafts, once the unit deadline has passed, for a week after the
    // consolidation deadline; whether anything changed is for the builder to see.
    for c in &config.campaigns {
        if now > c.deadline && now <= c.consolidation_deadline + Duration::days(7) {
            out.actions.push(Action::Drafts {
                campaign: c.id.clone(),
            });
        }
    }
    out
}

/// The state name of the digest schedule.
pub const DIGEST: &str = "digest";

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

    mod planner {
        use super::super::*;
        use crate::store::OutboxStatus;
        use crate::testkit::{self, at, outstanding, reminder_sent};

        fn situation(now: &str, done: Option<&str>, units: Vec<Outstanding>) -> Situation {
            Situation {
                now: at(now),
                campaigns: vec![CampaignSituation {
                    campaign: "12-CV-HU".into(),
                    done_ts: done.map(|d| at(d).timestamp()),
                    outstanding: units,
                    reminders: Vec::new(),
                }],
                digest_done: None,
            }
        }

        fn reminders(p: &Plan) -> Vec<(String, String, Occasion)> {
            p.actions
                .iter()
                .filter_map(|a| match a {
                    Action::Remind(r) => {
                        Some((r.unit.unit_id.clone(), r.slot.to_rfc3339(), r.occasion))
                    }
                    _ => None,
                })
                .collect()
        }

        #[test]
        fn a_unit_that_misses_something_is_reminded_once_at_the_latest_due_slot() {
            let cfg = testkit::config("");
            let s = situation(
                "2023-01-27 09:00",
                None,
                vec![
                    outstanding("an-phu", &["bieu1"], &["vp.anphu@gmail.com"]),
                    outstanding("binh-loi", &["report"], &[]),
                ],
            );
            let p = plan(&cfg, &s);
            // 2 and 1 days before Monday 30/01 fall on the weekend: both move to Friday 27/01.
            assert_eq!(
                reminders(&p),
                [(
                    "an-phu".to_string(),
                    "2023-01-27T08:00:00+07:00".to_string(),
                    Occasion::Planned
                )]
            );
            let Some(Action::Remind(r)) = p.actions.first() else {
                panic!("{p:?}");
            };
            assert_eq!(
                r.key.to_string(),
                "remind:12-CV-HU:slot:2023-01-27T08:00:00+07:00:an-phu"
            );
            assert_eq!(p.held_back.len(), 1);
            assert_eq!(p.held_back[0].unit, "binh-loi");
            assert!(
                p.held_back[0].why.contains("không có địa chỉ"),
                "{:?}",
                p.held_back
            );
            // The campaign's plan is marked done after its reminders; the digest of 07:30
            // that morning is due; no drafts before the deadline.
            assert_eq!(
                p.actions[1],
                Action::Done {
                    schedule: "remind:12-CV-HU".into(),
                    at: at("2023-01-27 09:00")
                }
            );
            assert!(p.actions.contains(&Action::Digest {
                slot: at("2023-01-27 07:30")
            }));
            assert!(!p.actions.iter().any(|a| matches!(a, Action::Drafts { .. })));
            // Planning is pure: the same situation gives the same plan.
            assert_eq!(plan(&cfg, &s), p);
        }

        #[test]
        fn a_slot_already_carried_out_or_at_night_sends_nothing() {
            let cfg = testkit::config("");
            let units = vec![outstanding("an-phu", &["bieu1"], &["vp.anphu@gmail.com"])];
            let done = plan(
                &cfg,
                &situation("2023-01-27 09:00", Some("2023-01-27 08:30"), units.clone()),
            );
            assert!(reminders(&done).is_empty());
            let night = plan(&cfg, &situation("2023-01-27 20:00", None, units));
            assert!(reminders(&night).is_empty());
            // At night the plan is not marked done either: the slot waits for the morning.
            assert!(!night.actions.iter().any(
                |a| matches!(a, Action::Done { schedule, .. } if schedule.starts_with("remind:"))
            ));
        }

        #[test]
        fn after_the_deadline_an_overdue_notice_goes_out_and_the_drafts_are_due() {
            let cfg = testkit::config("");
            let mut s = situation(
                "2023-01-31 09:00",
                Some("2023-01-27 09:00"),
                vec![outstanding("an-phu", &["report"], &["vp.anphu@gmail.com"])],
            );
            s.campaigns[0].reminders.push(reminder_sent(
                "an-phu",
                "remind:12-CV-HU:slot:2023-01-27T08:00:00+07:00:an-phu",
                "2023-01-27 09:00",
                OutboxStatus::Sent,
            ));
            let p = plan(&cfg, &s);
            assert_eq!(
                reminders(&p),
                [(
                    "an-phu".to_string(),
                    "2023-01-31T08:00:00+07:00".to_string(),
                    Occasion::Overdue
                )]
            );
            assert!(p.actions.contains(&Action::Drafts {
                campaign: "12-CV-HU".into()
            }));
        }

        #[test]
        fn the_count_limit_counts_planned_reminders_that_went_out_and_the_interval_counts_all() {
            let cfg = testkit::config("");
            let unit = || vec![outstanding("an-phu", &["report"], &["vp.anphu@gmail.com"])];
            let mut s = situation("2023-02-02 09:00", Some("2023-01-31 09:00"), unit());
            for (slot, status) in [
                ("2023-01-27T08:00:00+07:00", OutboxStatus::Sent),
                ("2023-01-28T08:00:00+07:00", OutboxStatus::Sent),
                ("2023-01-31T08:00:00+07:00", OutboxStatus::Sent),
            ] {
                s.campaigns[0].reminders.push(reminder_sent(
                    "an-phu",
                    &format!("remind:12-CV-HU:slot:{slot}:an-phu"),
                    "2023-01-31 08:00",
                    status,
                ));
            }
            let p = plan(&cfg, &s);
            assert!(reminders(&p).is_empty());
            assert_eq!(p.held_back[0].why, "đã nhắc 3 lần (max-per-unit)");
            // A cancelled one does not count: the fourth slot goes out.
            s.campaigns[0].reminders[0].status = OutboxStatus::Cancelled;
            assert_eq!(reminders(&plan(&cfg, &s)).len(), 1);

            // Staff's own reminder an hour ago holds the planned one back (min-interval).
            let mut s = situation("2023-01-31 09:00", Some("2023-01-30 09:00"), unit());
            s.campaigns[0].reminders.push(reminder_sent(
                "an-phu",
                "remind:12-CV-HU:manual:2023-01-31T08:00:00+07:00:an-phu",
                "2023-01-31 08:00",
                OutboxStatus::Sent,
            ));
            let p = plan(&cfg, &s);
            assert!(reminders(&p).is_empty());
            assert!(
                p.held_back[0].why.contains("min-interval"),
                "{:?}",
                p.held_back
            );
        }

        #[test]
        fn an_extended_unit_is_reminded_before_its_own_deadline_not_as_overdue() {
            let cfg = testkit::config("[extensions]\nan-phu = 2023-02-02\n");
            let s = situation(
                "2023-01-31 09:00",
                Some("2023-01-30 09:00"),
                vec![outstanding("an-phu", &["report"], &["vp.anphu@gmail.com"])],
            );
            assert_eq!(
                reminders(&plan(&cfg, &s)),
                [(
                    "an-phu".to_string(),
                    "2023-01-31T08:00:00+07:00".to_string(),
                    Occasion::Planned
                )]
            );
        }
    }
}
