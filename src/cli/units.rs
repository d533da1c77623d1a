//! `baocao units import FILE.csv` and `baocao units list`.

use std::path::Path;

use anyhow::{Context as _, Result};

use super::table::render;
use super::{Ctx, print_json};
use crate::config::parse_units_csv;

/// Replaces the units registry with the CSV.
pub(crate) fn import(ctx: &Ctx, file: &Path) -> Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let units = parse_units_csv(&bytes, file)?;
    let mut store = ctx.create_store()?;
    store.replace_units(&units, &ctx.now().to_rfc3339())?;
    if ctx.json {
        return print_json(&serde_json::json!({ "imported": units.len() }));
    }
    println!("Đã nạp {} đơn vị từ {}.", units.len(), file.display());
    Ok(())
}

/// Prints the registry.
pub(crate) fn list(ctx: &Ctx) -> Result<()> {
    let store = ctx.create_store()?;
    let units = store.units()?;
    if ctx.json {
        return print_json(&units);
    }
    let rows: Vec<Vec<String>> = units
        .iter()
        .map(|u| vec![u.id.clone(), u.name.clone(), u.emails.join("; ")])
        .collect();
    print!("{}", render(&["Mã", "Tên đơn vị", "Địa chỉ thư"], &rows));
    Ok(())
}
