//! Carrying out what the scheduler planned: the one place where planned mail is composed and
//! queued and the drafts are rebuilt. `schedule` decides, this module acts; a failed action
//! stops the step before the schedule is marked done, so the next step tries again (the keys
//! keep anything from being queued twice).

use std::path::Path;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::templates::Templates;
use super::{Error, File, Result, compose, digest, local_text, queue, remind, sender_address};
use crate::config::{Campaign, Config};
use crate::consolidate::drafts::{self, Built};
use crate::i18n::{count, t};
use crate::schedule::{self, Action, HeldBack, Plan};
use crate::store::{OutboxKey, OutboxKind, OutboxMeta, Store};

/// A reminder that was queued.
#[derive(Debug, Clone, Serialize)]
pub struct Queued {
    /// Campaign id.
    pub campaign: String,
    /// Unit id.
    pub unit: String,
    /// The slot it answers (RFC 3339).
    pub slot: String,
}

/// A drafts build made in this step.
#[derive(Debug, Clone, Serialize)]
pub struct Rebuilt {
    /// Campaign id.
    pub campaign: String,
    /// Why it was built.
    pub reason: String,
    /// Whether a mail with it was queued.
    pub mailed: bool,
}

/// What one step did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Done {
    /// Reminders queued.
    pub reminders: Vec<Queued>,
    /// Units not reminded at a due slot, and why.
    pub held_back: Vec<HeldBack>,
    /// Digests queued (their slot).
    pub digests: Vec<String>,
    /// Drafts rebuilt.
    pub drafts: Vec<Rebuilt>,
}

/// Plans at `now` and carries the plan out: the scheduler's whole step.
pub fn step(
    store: &mut Store,
    config: &Config,
    templates: &Templates,
    now: DateTime<FixedOffset>,
) -> Result<Done> {
    let situation = schedule::situation(store, config, now)?;
    let plan = schedule::plan(config, &situation);
    carry_out(store, config, templates, &plan, now)
}

/// Carries out `plan`, in order.
pub fn carry_out(
    store: &mut Store,
    config: &Config,
    templates: &Templates,
    plan: &Plan,
    now: DateTime<FixedOffset>,
) -> Result<Done> {
    let mut done = Done {
        held_back: plan.held_back.clone(),
        ..Done::default()
    };
    for action in &plan.actions {
        match action {
            Action::Remind(r) => {
                let Some(c) = config.campaign(&r.campaign) else {
                    continue;
                };
                if remind::queue_reminder(
                    store, config, templates, c, &r.unit, r.occasion, &r.key, now,
                )? {
                    done.reminders.push(Queued {
                        campaign: r.campaign.clone(),
                        unit: r.unit.unit_id.clone(),
                        slot: r.slot.to_rfc3339(),
                    });
                }
            }
            Action::Digest { slot } => {
                let slot = slot.to_rfc3339();
                if digest::queue(store, config, templates, now, &slot)? {
                    done.digests.push(slot);
                }
            }
            Action::Drafts { campaign } => {
                let Some(c) = config.campaign(campaign) else {
                    continue;
                };
                if let Some((built, reason)) = drafts::refresh(store, config, c, now)? {
                    let mailed = mail_drafts(store, config, c, &built, now)?;
                    done.drafts.push(Rebuilt {
                        campaign: campaign.clone(),
                        reason,
                        mailed,
                    });
                }
            }
            Action::Done { schedule, at } => {
                store.set_schedule_done(schedule, &at.to_rfc3339(), at.timestamp())?;
            }
        }
    }
    Ok(done)
}

/// Queues a build to the campaign's consolidation recipients (default: staff recipients),
/// once per build (the key holds the fingerprint).
pub fn mail_drafts(
    store: &mut Store,
    config: &Config,
    c: &Campaign,
    built: &Built,
    now: DateTime<FixedOffset>,
) -> Result<bool> {
    let to = c
        .consolidation_recipients
        .clone()
        .unwrap_or_else(|| config.staff_recipients.clone());
    if to.is_empty() {
        return Ok(false);
    }
    let read = |p: &Path| {
        std::fs::read(p).map_err(|source| {
            Error::Drafts(crate::consolidate::Error::Io {
                path: p.display().to_string(),
                source,
            })
        })
    };
    let name = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let files = [
        File {
            name: name(&built.xlsx),
            content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                .into(),
            bytes: read(&built.xlsx)?,
        },
        File {
            name: name(&built.docx),
            content_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                .into(),
            bytes: read(&built.docx)?,
        },
    ];
    let tz = config.timezone;
    let (total, reported, missing) = built.figures;
    let subject = t!(
        "mail-draft-subject",
        number = c.number.as_str(),
        reported = count(reported),
        total = count(total)
    );
    let text = t!(
        "mail-draft-body",
        number = c.number.as_str(),
        title = c.title.as_str(),
        at = local_text(now, tz),
        reported = count(reported),
        total = count(total),
        missing = count(missing),
        dir = built
            .xlsx
            .parent()
            .map(|p| p.display().to_string())
            .unwrap_or_default()
    ) + "\n";
    let msg = compose(
        &sender_address(config),
        &to,
        &subject,
        &text,
        None,
        &files,
        None,
    )?;
    let meta = OutboxMeta {
        kind: OutboxKind::Draft,
        campaign_id: Some(c.id.clone()),
        unit_id: None,
        about: Some(built.fingerprint.clone()),
        mail_id: None,
    };
    let key = OutboxKey::Draft {
        campaign: c.id.clone(),
        build: built.fingerprint.chars().take(16).collect(),
    };
    queue(store, &key, &msg, meta, now)
}
