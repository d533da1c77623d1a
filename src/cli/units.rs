//! `baocao units import FILE.csv`, `baocao units list` and the aliases learnt from staff
//! corrections (`baocao units alias list|remove`).

use std::path::Path;

use anyhow::{Context as _, Result};

use super::table::render;
use super::{Ctx, UsageError, print_json};
use crate::config::parse_units_csv;
use crate::store::aliases::AliasKind;

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
                        format!("{a} (đã học)")
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
        render(&["Mã", "Tên đơn vị", "Địa chỉ thư", "Tên khác"], &rows)
    );
    if !learnt.is_empty() {
        println!(
            "(đã học): ghi nhớ khi cán bộ gán thư bằng `baocao assign`; bỏ bằng `baocao units alias remove TÊN-HOẶC-ĐỊA-CHỈ [--unit MÃ]`."
        );
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
        println!("Chưa ghi nhớ tên hay địa chỉ nào từ việc cán bộ gán thư.");
        return Ok(());
    }
    let rows: Vec<Vec<String>> = learnt
        .iter()
        .map(|a| {
            vec![
                a.unit_id.clone(),
                match a.kind {
                    AliasKind::Address => "địa chỉ".to_string(),
                    AliasKind::Name => "tên".to_string(),
                },
                a.value.clone(),
                a.message.map(|m| format!("[{m}]")).unwrap_or_default(),
                a.added_at.clone(),
            ]
        })
        .collect();
    print!(
        "{}",
        render(&["Mã", "Loại", "Tên / địa chỉ", "Từ thư", "Lúc"], &rows)
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
                AliasKind::Address => format!("thư từ {}", a.value),
                AliasKind::Name => format!("tên \"{}\"", a.value),
            };
            println!(
                "Đã bỏ: {what} không còn được nhận là của đơn vị {}.",
                a.unit_id
            );
            Ok(())
        }
        None => Err(UsageError(format!(
            "chưa ghi nhớ tên hay địa chỉ {value:?}{}; `baocao units alias list` liệt kê những gì đã ghi nhớ",
            unit.map(|u| format!(" cho đơn vị {u}")).unwrap_or_default()
        ))
        .into()),
    }
}
