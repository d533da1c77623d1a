//! `baocao addresses bad` and `baocao addresses ok ADDRESS`: the addresses bounces said are
//! undeliverable (later mail skips them), and staff's way to clear one once the units registry
//! has the right address.

use anyhow::Result;
use serde::Serialize;

use super::table::render;
use super::{Ctx, UsageError, print_json};
use crate::i18n::{self, t};

#[derive(Serialize)]
struct BadView {
    address: String,
    /// The unit whose registered address it is, if any.
    unit: Option<String>,
    at: String,
    reason: String,
    /// The bounce's Message-ID.
    message_id: Option<String>,
}

/// Lists the bad addresses.
pub(crate) fn bad(ctx: &Ctx) -> Result<()> {
    let store = ctx.open_store()?;
    let units = store.units()?;
    let mut out = Vec::new();
    for b in store.bad_addresses()? {
        let unit = units
            .iter()
            .find(|u| u.emails.iter().any(|e| e.eq_ignore_ascii_case(&b.address)))
            .map(|u| u.id.clone());
        let message_id = match b.message {
            Some(id) => store
                .find_message(&id.to_string())
                .ok()
                .map(|m| m.message_id),
            None => None,
        };
        out.push(BadView {
            address: b.address,
            unit,
            at: b.at,
            reason: b.reason,
            message_id,
        });
    }
    if ctx.json {
        return print_json(&out);
    }
    if out.is_empty() {
        println!("{}", t!("addresses-none"));
        return Ok(());
    }
    let rows: Vec<Vec<String>> = out
        .iter()
        .map(|b| {
            vec![
                b.address.clone(),
                b.unit.clone().unwrap_or_else(|| "—".into()),
                i18n::when_text(&b.at, &ctx.config.timezone),
                b.reason.chars().take(100).collect(),
            ]
        })
        .collect();
    print!(
        "{}",
        render(
            &[
                &t!("col-address"),
                &t!("col-unit"),
                &t!("col-bounced-at"),
                &t!("col-reason")
            ],
            &rows
        )
    );
    println!("\n{}", t!("addresses-hint"));
    Ok(())
}

/// Forgets that `address` bounced.
pub(crate) fn ok(ctx: &Ctx, address: &str) -> Result<()> {
    let mut store = ctx.open_store()?;
    let addr = address.trim().trim_matches(['<', '>']);
    let removed = store.remove_bad_address(addr)?;
    if ctx.json {
        return print_json(
            &serde_json::json!({ "address": addr.to_lowercase(), "removed": removed }),
        );
    }
    if !removed {
        return Err(UsageError(t!("err-address-not-bad", address = addr)).into());
    }
    println!("{}", t!("addresses-cleared", address = addr));
    Ok(())
}
