//! Staff corrections: `baocao assign` (this message is from that unit / this file is that
//! item) and `baocao mark` (a unit handed an item in on paper).

use anyhow::Result;
use chrono::{DateTime, FixedOffset};

use super::{Ctx, UsageError};
use crate::i18n::{self, t};
use crate::recognise::classify;
use crate::store::Mark;

/// `baocao assign MESSAGE UNIT [--campaign C] [--file F --item I]`.
pub(crate) fn execute(
    ctx: &Ctx,
    message: &str,
    unit: &str,
    campaign: Option<&str>,
    file: Option<&str>,
    item: Option<&str>,
) -> Result<()> {
    let mut store = ctx.open_store()?;
    let msg = store
        .find_message(message)
        .map_err(|e| super::words::no_message(e, message))?;
    let units = store.units()?;
    let unit_id = if unit == "-" {
        msg.unit_id
            .clone()
            .ok_or_else(|| UsageError(t!("err-assign-no-unit")))?
    } else {
        if !units.iter().any(|u| u.id == unit) {
            return Err(UsageError(t!("err-no-unit", unit = unit)).into());
        }
        unit.to_string()
    };
    let campaign_id = match campaign {
        Some(c) => Some(ctx.campaign(Some(c))?.id.clone()),
        None if msg.campaign_id.is_none() => Some(ctx.campaign(None)?.id.clone()),
        None => None,
    };
    let now = ctx.now().to_rfc3339();
    store.assign(msg.id, &unit_id, campaign_id.as_deref(), &now)?;
    let c = ctx.campaign(campaign_id.as_deref().or(msg.campaign_id.as_deref()))?;
    // Files that could not be classified because the campaign was unknown get a name-based pass now.
    if campaign_id.is_some() {
        for (i, a) in msg.attachments.iter().enumerate() {
            if a.items.is_empty() {
                let items = classify(&a.name, c);
                if !items.is_empty() {
                    store.set_attachment_items(msg.id, i, &items)?;
                }
            }
        }
    }
    if let (Some(f), Some(it)) = (file, item) {
        let items: Vec<String> = it
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        if let Some(bad) = items.iter().find(|i| c.item(i).is_none()) {
            let ids: Vec<&str> = c.items.iter().map(|i| i.id.as_str()).collect();
            return Err(UsageError(t!(
                "err-no-item",
                campaign = c.number.as_str(),
                item = bad.as_str(),
                known = ids.join(", ")
            ))
            .into());
        }
        let idx = msg
            .attachments
            .iter()
            .position(|a| a.name == f || a.path == f)
            .ok_or_else(|| UsageError(t!("err-no-file", file = f)))?;
        store.set_attachment_items(msg.id, idx, &items)?;
    }
    let name = units
        .iter()
        .find(|u| u.id == unit_id)
        .map(|u| u.name.as_str())
        .unwrap_or(&unit_id);
    println!(
        "{}",
        t!(
            "assign-done",
            id = msg.message_id.as_str(),
            unit = name,
            number = c.number.as_str()
        )
    );
    if unit != "-" {
        for line in learn(ctx, &mut store, &msg, &unit_id, name, &units, &now)? {
            println!("{line}");
        }
    }
    Ok(())
}

/// What a correction teaches: the sender's address and display name become the unit's, so
/// the next mail from them is recognised. Returns what staff are told.
fn learn(
    ctx: &Ctx,
    store: &mut crate::store::Store,
    msg: &crate::store::MessageRow,
    unit_id: &str,
    unit_name: &str,
    units: &[crate::config::Unit],
    now: &str,
) -> Result<Vec<String>> {
    use crate::store::aliases::{AliasAdded, AliasKind};
    let mut said = Vec::new();
    // A staff forward's sender is the office, not the unit; the original's sender is not
    // kept on the register row.
    if msg.flags.contains(&crate::store::Flag::ForwardedByStaff) {
        return Ok(said);
    }
    let Some(addr) = msg
        .from_addr
        .as_deref()
        .filter(|a| !ctx.config.is_office_or_staff(a))
    else {
        return Ok(said);
    };
    let owner = units
        .iter()
        .find(|u| u.id != unit_id && u.emails.iter().any(|e| e.eq_ignore_ascii_case(addr)));
    match owner {
        Some(o) => said.push(t!(
            "learn-address-owned",
            address = addr,
            owner = o.name.as_str()
        )),
        None => {
            let added = store.add_alias(unit_id, AliasKind::Address, addr, Some(msg.id), now)?;
            match added {
                AliasAdded::Added => {
                    said.push(t!("learn-address", address = addr, unit = unit_name))
                }
                AliasAdded::Moved(from) => said.push(t!(
                    "learn-address-moved",
                    address = addr,
                    unit = unit_name,
                    from = unit_label(units, &from)
                )),
                AliasAdded::Known => {}
            }
        }
    }
    // The display name, when it names no unit yet and is a name rather than a word.
    let matcher = crate::recognise::UnitMatcher::new(units);
    if let Some(n) = msg.from_name.as_deref().map(str::trim).filter(|n| {
        !crate::recognise::is_address(n)
            && crate::vntext::fold(n).split(' ').count() >= 2
            && matches!(matcher.find(n), crate::recognise::Found::None)
    }) {
        match store.add_alias(unit_id, AliasKind::Name, n, Some(msg.id), now)? {
            AliasAdded::Added => said.push(t!("learn-name", name = n, unit = unit_name)),
            AliasAdded::Moved(from) => said.push(t!(
                "learn-name-moved",
                name = n,
                unit = unit_name,
                from = unit_label(units, &from)
            )),
            AliasAdded::Known => {}
        }
    }
    Ok(said)
}

fn unit_label(units: &[crate::config::Unit], id: &str) -> String {
    units
        .iter()
        .find(|u| u.id == id)
        .map_or_else(|| id.to_string(), |u| u.name.clone())
}

/// `baocao mark UNIT ITEM`.
pub(crate) fn mark(
    ctx: &Ctx,
    unit: &str,
    item: &str,
    campaign: Option<&str>,
    at: Option<DateTime<FixedOffset>>,
    note: &str,
) -> Result<()> {
    let c = ctx.campaign(campaign)?;
    if c.item(item).is_none() {
        let ids: Vec<&str> = c.items.iter().map(|i| i.id.as_str()).collect();
        return Err(UsageError(t!(
            "err-no-item",
            campaign = c.number.as_str(),
            item = item,
            known = ids.join(", ")
        ))
        .into());
    }
    let mut store = ctx.open_store()?;
    let units = store.units()?;
    let Some(u) = units.iter().find(|u| u.id == unit) else {
        return Err(UsageError(t!("err-no-unit", unit = unit)).into());
    };
    let at = at
        .unwrap_or_else(|| ctx.now())
        .with_timezone(&ctx.config.timezone)
        .fixed_offset();
    store.mark(&Mark {
        campaign_id: c.id.clone(),
        unit_id: u.id.clone(),
        item_id: item.to_string(),
        at: at.to_rfc3339(),
        at_ts: at.timestamp(),
        note: note.to_string(),
    })?;
    println!(
        "{}",
        t!(
            "mark-done",
            unit = u.name.as_str(),
            item = c.item(item).map(|i| i.name.as_str()).unwrap_or(item),
            at = i18n::when(at, &ctx.config.timezone)
        )
    );
    Ok(())
}
