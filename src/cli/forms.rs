//! `baocao forms --campaign ID [--unit ID]`: what each unit's annex forms say — every row's
//! mark and proposal, or every cell of a grid form — from the version of each form that counts.

use anyhow::Result;
use serde::Serialize;

use super::table::render;
use super::{Ctx, Saying as _, UsageError, print_json};
use crate::forms::{FormRead, Mark, Reading};
use crate::i18n::t;

#[derive(Serialize)]
struct UnitForms {
    unit: String,
    unit_name: String,
    forms: Vec<FormOut>,
}

#[derive(Serialize)]
struct FormOut {
    item: String,
    message_id: String,
    file: String,
    received_at: Option<String>,
    #[serde(flatten)]
    read: FormRead,
}

/// Prints the forms of every unit (or one) for a campaign.
pub(crate) fn execute(ctx: &Ctx, campaign: Option<&str>, unit: Option<&str>) -> Result<()> {
    let c = ctx.campaign(campaign)?;
    let store = ctx.open_store()?;
    let units = store.units()?;
    if let Some(u) = unit
        && !units.iter().any(|x| x.id == u)
    {
        return Err(UsageError(t!("err-no-unit", unit = u)).into());
    }
    let now = ctx.now().timestamp();
    // The version of each form that counts is the register's (identical resends are not new
    // versions), so `forms` and `status` name the same message.
    let msgs = store.campaign_messages(&c.id)?;
    let versions = crate::register::item_versions(&c.id, &msgs, now);
    let mut latest: std::collections::BTreeMap<(String, String), FormOut> = Default::default();
    for ((uid, item), _) in versions.by_item.iter() {
        if unit.is_some_and(|u| u != uid) {
            continue;
        }
        let Some(v) = versions.current(uid, item) else {
            continue;
        };
        let mut found = None;
        for a in &v.files {
            let Some(reading) = Reading::stored(a).said(|| {
                t!(
                    "err-forms-message",
                    row = v.msg.id,
                    id = v.msg.message_id.as_str()
                )
            })?
            else {
                continue;
            };
            if let Some(f) = reading.forms.into_iter().find(|f| &f.item == item) {
                found = Some((a, f));
                break;
            }
        }
        if let Some((a, f)) = found {
            latest.insert(
                (uid.clone(), item.clone()),
                FormOut {
                    item: item.clone(),
                    message_id: v.msg.message_id.clone(),
                    file: a.path.clone(),
                    received_at: v.msg.received_at.clone(),
                    read: f,
                },
            );
        }
    }
    let mut out: Vec<UnitForms> = Vec::new();
    for u in units
        .iter()
        .filter(|u| unit.is_none_or(|x| x == u.id) && c.applies_to(&u.kind))
    {
        let mut forms: Vec<FormOut> = Vec::new();
        for it in &c.items {
            if let Some(f) = latest.remove(&(u.id.clone(), it.id.clone())) {
                forms.push(f);
            }
        }
        if !forms.is_empty() || unit.is_some() {
            out.push(UnitForms {
                unit: u.id.clone(),
                unit_name: u.name.clone(),
                forms,
            });
        }
    }
    if ctx.json {
        return print_json(&out);
    }
    let mut rows = Vec::new();
    for u in &out {
        for f in &u.forms {
            let name = c
                .item(&f.item)
                .map(|i| i.name.clone())
                .unwrap_or_else(|| f.item.clone());
            let count = |m: Mark| f.read.rows.iter().filter(|r| r.mark == Some(m)).count();
            let detail = if f.read.rows.is_empty() {
                t!("forms-cells", count = f.read.cells.len())
            } else {
                t!(
                    "forms-marks",
                    yes = count(Mark::PhuHop),
                    no = count(Mark::ChuaPhuHop),
                    proposals = f
                        .read
                        .rows
                        .iter()
                        .filter(|r| !r.proposal.is_empty())
                        .count()
                )
            };
            let problems = f
                .read
                .problems
                .iter()
                .filter(|p| p.kind != crate::forms::FormProblemKind::MissingRow)
                .count();
            rows.push(vec![
                u.unit_name.clone(),
                name,
                detail,
                problems.to_string(),
                f.file.clone(),
            ]);
        }
    }
    if rows.is_empty() {
        println!("{}", t!("forms-none", number = c.number.as_str()));
        return Ok(());
    }
    print!(
        "{}",
        render(
            &[
                &t!("col-unit"),
                &t!("col-form"),
                &t!("col-content"),
                &t!("col-problems"),
                &t!("col-file")
            ],
            &rows
        )
    );
    println!("\n{}", t!("forms-detail-hint", campaign = c.id.as_str()));
    Ok(())
}
