//! `baocao users add|passwd|remove|list`: the console's accounts. The password comes from
//! `BAOCAO_PASSWORD` or the first line of standard input, never from an argument (arguments
//! are visible to every user of the machine in the process list).

use std::io::BufRead as _;

use anyhow::{Context as _, Result};

use super::{Ctx, UsageError, print_json};
use crate::i18n::{count, t};
use crate::store::accounts::Role;
use crate::web::auth::hash_password;

/// Shortest password accepted.
const MIN_PASSWORD: usize = 8;

fn password() -> Result<String> {
    let p = match std::env::var("BAOCAO_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .with_context(|| t!("users-err-stdin"))?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    if p.chars().count() < MIN_PASSWORD {
        return Err(UsageError(t!("users-err-short", min = count(MIN_PASSWORD))).into());
    }
    Ok(p)
}

fn hash_failed(e: String) -> anyhow::Error {
    anyhow::anyhow!(t!("users-err-hash", detail = e))
}

fn valid_name(name: &str) -> Result<()> {
    if name.is_empty()
        || name.len() > 64
        || !name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '@'))
    {
        return Err(UsageError(t!("users-err-name", name = name)).into());
    }
    Ok(())
}

/// `baocao users add NAME --role xem|sua`.
pub(crate) fn add(ctx: &Ctx, name: &str, role: &str) -> Result<()> {
    valid_name(name)?;
    let role = Role::parse(role).ok_or_else(|| UsageError(t!("users-err-role", role = role)))?;
    let mut store = ctx.create_store()?;
    if store.user(name)?.is_some() {
        return Err(UsageError(t!("users-err-exists", name = name)).into());
    }
    let hash = hash_password(&password()?).map_err(hash_failed)?;
    let now = ctx.now().to_rfc3339();
    store.put_user(name, &hash, role, &now)?;
    store.audit(
        &now,
        "cli",
        &t!("users-audit-add"),
        name,
        None,
        Some(role.as_str()),
    )?;
    println!(
        "{}",
        t!(
            "users-added",
            name = name,
            edit = (role == Role::Sua).to_string()
        )
    );
    Ok(())
}

/// `baocao users passwd NAME`: a new password; the account's sessions end.
pub(crate) fn passwd(ctx: &Ctx, name: &str) -> Result<()> {
    let mut store = ctx.open_store()?;
    if store.user(name)?.is_none() {
        return Err(UsageError(t!("users-err-none", name = name)).into());
    }
    let hash = hash_password(&password()?).map_err(hash_failed)?;
    store.set_password(name, &hash)?;
    store.audit(
        &ctx.now().to_rfc3339(),
        "cli",
        &t!("users-audit-passwd"),
        name,
        None,
        None,
    )?;
    println!("{}", t!("users-passwd-done", name = name));
    Ok(())
}

/// `baocao users remove NAME`.
pub(crate) fn remove(ctx: &Ctx, name: &str) -> Result<()> {
    let mut store = ctx.open_store()?;
    if !store.remove_user(name)? {
        return Err(UsageError(t!("users-err-none", name = name)).into());
    }
    store.audit(
        &ctx.now().to_rfc3339(),
        "cli",
        &t!("users-audit-remove"),
        name,
        None,
        None,
    )?;
    println!("{}", t!("users-removed", name = name));
    Ok(())
}

/// `baocao users list`.
pub(crate) fn list(ctx: &Ctx) -> Result<()> {
    let store = ctx.open_store()?;
    let users = store.users()?;
    if ctx.json {
        return print_json(&users);
    }
    if users.is_empty() {
        println!("{}", t!("users-none"));
    }
    for u in users {
        println!("{}\t{}\t{}", u.name, u.role.as_str(), u.created_at);
    }
    Ok(())
}
