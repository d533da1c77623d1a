//! `baocao figures [--campaign ID] [--unit ID] [--json]`: the figures read from each unit's
//! report (rated per year and level), the points to check and the rules broken.

use anyhow::Result;

use super::table::render;
use super::{Ctx, UsageError, print_json};
use crate::figures::{self, Measure};
use crate::i18n::t;

/// Prints the figures of every unit (or one) for a campaign.
pub(crate) fn execute(ctx: &Ctx, campaign: Option<&str>, unit: Option<&str>) -> Result<()> {
    let c = ctx.campaign(campaign)?;
    let store = ctx.open_store()?;
    if let Some(u) = unit
        && !store.units()?.iter().any(|x| x.id == u)
    {
        return Err(UsageError(t!("err-no-unit", unit = u)).into());
    }
    let report = figures::collect(&store, &ctx.config, c, ctx.now(), unit)?;
    if ctx.json {
        return print_json(&report);
    }
    let cfg = &report.config;
    if cfg.is_empty() {
        println!(
            "{}",
            t!("figures-none-configured", number = c.number.as_str())
        );
        return Ok(());
    }
    let mut header: Vec<String> = vec![t!("col-unit"), t!("col-year"), t!("col-measure")];
    header.push(t!("col-rated"));
    header.extend(cfg.levels.iter().map(|l| l.short.clone()));
    let mut rows = Vec::new();
    for u in &report.units {
        let mut keys: Vec<(Option<i32>, usize)> = Vec::new();
        for v in &u.values {
            if v.measure == Measure::Members {
                continue;
            }
            let fi = cfg
                .figures
                .iter()
                .position(|f| f.id == v.figure)
                .unwrap_or(usize::MAX);
            if !keys.contains(&(v.year, fi)) {
                keys.push((v.year, fi));
            }
        }
        keys.sort();
        for (year, fi) in keys {
            let Some(f) = cfg.figures.get(fi) else {
                continue;
            };
            let cell = |m: &Measure| {
                u.get(&f.id, year, m)
                    .map(|n| n.to_string())
                    .unwrap_or_else(|| "–".into())
            };
            let mut row = vec![
                u.unit.clone(),
                year.map(|y| y.to_string()).unwrap_or_else(|| "?".into()),
                f.name.clone(),
                cell(&Measure::Rated),
            ];
            row.extend(
                cfg.levels
                    .iter()
                    .map(|l| cell(&Measure::Level(l.id.clone()))),
            );
            rows.push(row);
        }
        if u.values.is_empty() {
            let mut row = vec![u.unit.clone(), "–".into(), t!("figures-unreadable")];
            row.extend(std::iter::repeat_n(String::new(), cfg.levels.len() + 1));
            rows.push(row);
        }
    }
    if rows.is_empty() {
        println!("{}", t!("figures-no-reports", number = c.number.as_str()));
        return Ok(());
    }
    let head: Vec<&str> = header.iter().map(String::as_str).collect();
    print!("{}", render(&head, &rows));
    let mut notes: Vec<String> = report
        .breaches()
        .map(|(u, b)| format!("- {u}: {}", b.text))
        .collect();
    if !notes.is_empty() {
        println!("\n{}", t!("figures-breaches"));
        for n in &notes {
            println!("{n}");
        }
    }
    notes = report
        .flags()
        .map(|(u, f)| format!("- {u}: {}", f.text))
        .collect();
    if !notes.is_empty() {
        println!("\n{}", t!("figures-to-check"));
        for n in &notes {
            println!("{n}");
        }
    }
    println!("\n{}", t!("figures-sources", campaign = c.id.as_str()));
    Ok(())
}
