//! `baocao units import FILE.csv`, `baocao units list` and the aliases learnt from staff
//! corrections (`baocao units alias list|remove`).

use std::path::Path;

use anyhow::Result;

use super::table::render;
use super::{Ctx, Saying as _, UsageError, print_json};
use crate::config::parse_units_csv;
use crate::i18n::{self, t};
use crate::store::aliases::AliasKind;

/// Replaces the units registry with the CSV.
pub(crate) fn import(ctx: &Ctx, file: &Path) -> Result<()> {
    let bytes =
        std::fs::read(file).said(|| t!("err-read-file", path = file.display().to_string()))?;
    let units = parse_units_csv(&bytes, file)?;
    let mut store = ctx.create_store()?;
    store.replace_units(&units, &ctx.now().to_rfc3339())?;
    if ctx.json {
        return print_json(&serde_json::json!({ "imported": units.len() }));
    }
    println!(
        "{}",
        t!(
            "units-imported",
            count = units.len(),
            file = file.display().to_string()
        )
    );
    Ok(())
}

/// Prints the registry, with the names and addresses learnt from staff corrections.
pub(crate) fn list(ctx: &Ctx) -> Result<()> {
    let store = ctx.create_store()?;
    let units = store.units()?;
    if ctx.json {
        return print_json(&units);
    }
    let learnt = store.aliases()?;
    let rows: Vec<Vec<String>> = units
        .iter()
        .map(|u| {
            let aliases: Vec<String> = u
                .aliases
                .iter()
                .map(|a| {
                    if learnt.iter().any(|l| l.unit_id == u.id && &l.value == a) {
                        t!("units-learnt", alias = a.as_str())
                    } else {
                        a.clone()
                    }
                })
                .collect();
            vec![
                u.id.clone(),
                u.name.clone(),
                u.emails.join("; "),
                aliases.join("; "),
            ]
        })
        .collect();
    print!(
        "{}",
        render(
            &[
                &t!("col-id"),
                &t!("col-unit-name"),
                &t!("col-emails"),
                &t!("col-aliases")
            ],
            &rows
        )
    );
    if !learnt.is_empty() {
        println!("{}", t!("units-learnt-hint"));
    }
    Ok(())
}

/// The names and addresses learnt from staff corrections.
pub(crate) fn aliases(ctx: &Ctx) -> Result<()> {
    let store = ctx.open_store()?;
    let learnt = store.aliases()?;
    if ctx.json {
        return print_json(&learnt);
    }
    if learnt.is_empty() {
        println!("{}", t!("aliases-none"));
        return Ok(());
    }
    let rows: Vec<Vec<String>> = learnt
        .iter()
        .map(|a| {
            vec![
                a.unit_id.clone(),
                match a.kind {
                    AliasKind::Address => t!("alias-address"),
                    AliasKind::Name => t!("alias-name"),
                },
                a.value.clone(),
                a.message.map(|m| format!("[{m}]")).unwrap_or_default(),
                i18n::when_text(&a.added_at, &ctx.config.timezone),
            ]
        })
        .collect();
    print!(
        "{}",
        render(
            &[
                &t!("col-id"),
                &t!("col-kind"),
                &t!("col-alias"),
                &t!("col-from-mail"),
                &t!("col-at")
            ],
            &rows
        )
    );
    Ok(())
}

/// Forgets a learnt name or address.
pub(crate) fn remove_alias(ctx: &Ctx, value: &str, unit: Option<&str>) -> Result<()> {
    let mut store = ctx.open_store()?;
    match store.remove_alias(value, unit, &ctx.now().to_rfc3339())? {
        Some(a) => {
            if ctx.json {
                return print_json(&a);
            }
            let what = match a.kind {
                AliasKind::Address => t!("alias-removed-address", value = a.value.as_str()),
                AliasKind::Name => t!("alias-removed-name", value = a.value.as_str()),
            };
            println!(
                "{}",
                t!("alias-removed", what = what, unit = a.unit_id.as_str())
            );
            Ok(())
        }
        None => Err(UsageError(match unit {
            Some(u) => t!("err-alias-unknown-for", value = value, unit = u),
            None => t!("err-alias-unknown", value = value),
        })
        .into()),
    }
}
