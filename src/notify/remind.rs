//! Reminders: the mail that tells a unit what it still misses — to every registered address of the unit that has not bounced, naming exactly the
//! missing items and quoting the request's number, title and deadline.

use chrono::{DateTime, FixedOffset};

use super::templates::Templates;
use super::{Result, compose, queue, sender_address};
use crate::config::{Campaign, Config};
use crate::i18n::t;
use crate::register;
use crate::store::{OutboxKey, OutboxKind, OutboxMeta, Store};

/// One unit that misses something, and where its reminder would go.
pub use crate::register::Outstanding as Plan;

pub use crate::schedule::Occasion;

/// Queues one reminder to `p` under `key` (a key already used is not queued again). Returns
/// false when nothing was queued (no usable address, or the key was used).
#[allow(clippy::too_many_arguments)]
pub fn queue_reminder(
    store: &mut Store,
    config: &Config,
    templates: &Templates,
    campaign: &Campaign,
    p: &Plan,
    occasion: Occasion,
    key: &OutboxKey,
    now: DateTime<FixedOffset>,
) -> Result<bool> {
    if p.addresses.is_empty() {
        return Ok(false);
    }
    let tz = config.timezone;
    let deadline = campaign.deadline_for(&p.unit_id);
    let name_of = |id: &str| {
        campaign
            .item(id)
            .map(|i| i.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let received: Vec<String> = campaign
        .items
        .iter()
        .filter(|i| !p.missing.contains(&i.id))
        .map(|i| i.name.clone())
        .collect();
    let overdue = match occasion {
        Occasion::Overdue => true,
        Occasion::Planned => false,
        Occasion::Manual => now > deadline,
    };
    let days_left = (!overdue).then(|| {
        let today = now.with_timezone(&tz).date_naive();
        (deadline.with_timezone(&tz).date_naive() - today).num_days()
    });
    let ctx = serde_json::json!({
        "office": config.office_name,
        "campaign": super::campaign_view(campaign, tz),
        "unit": { "id": p.unit_id, "name": p.unit_name },
        "deadline": super::local_text(deadline, tz),
        "now": super::local_text(now, tz),
        "missing": p.missing.iter().map(|m| name_of(m)).collect::<Vec<_>>(),
        "received": received,
        "overdue": overdue,
        "days_left": days_left,
        "manual": occasion == Occasion::Manual,
    });
    let r = templates.render("reminder.txt.j2", &ctx)?;
    let msg = compose(
        &sender_address(config),
        &p.addresses,
        &r.subject,
        &r.body,
        None,
        &[],
        None,
    )?;
    let meta = OutboxMeta {
        kind: OutboxKind::Reminder,
        campaign_id: Some(campaign.id.clone()),
        unit_id: Some(p.unit_id.clone()),
        about: serde_json::to_string(&p.missing).ok(),
        mail_id: None,
    };
    queue(store, key, &msg, meta, now)
}

/// Whether a queued reminder is still wanted at `now`: not when the unit has everything by
/// now (it completed between planning and sending).
pub fn still_needed(
    store: &Store,
    config: &Config,
    meta: &OutboxMeta,
    now: DateTime<FixedOffset>,
) -> Option<String> {
    if meta.kind != OutboxKind::Reminder {
        return None;
    }
    let c = config.campaign(meta.campaign_id.as_deref()?)?;
    let unit = meta.unit_id.as_deref()?;
    let st = register::status(store, config, c, now).ok()?;
    let u = st.unit(unit)?;
    u.missing.is_empty().then(|| t!("mail-reminder-cancelled"))
}
