//! `baocao users add|passwd|remove|list`: the console's accounts. The password comes from
//! `BAOCAO_PASSWORD` or the first line of standard input, never from an argument (arguments
//! are visible to every user of the machine in the process list).

use std::io::BufRead as _;

use anyhow::{Context as _, Result};

use super::{Ctx, UsageError, print_json};
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
                .context("cannot read the password from standard input")?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    if p.chars().count() < MIN_PASSWORD {
        return Err(UsageError(format!(
            "mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự; đặt trong biến BAOCAO_PASSWORD hoặc gõ vào đầu vào chuẩn"
        ))
        .into());
    }
    Ok(p)
}

fn valid_name(name: &str) -> Result<()> {
    if name.is_empty()
        || name.len() > 64
        || !name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '@'))
    {
        return Err(UsageError(format!(
            "tên đăng nhập {name:?} không hợp lệ: chỉ dùng chữ, số và . - _ @"
        ))
        .into());
    }
    Ok(())
}

/// `baocao users add NAME --role xem|sua`.
pub(crate) fn add(ctx: &Ctx, name: &str, role: &str) -> Result<()> {
    valid_name(name)?;
    let role = Role::parse(role)
        .ok_or_else(|| UsageError(format!("vai trò {role:?}: chọn xem hoặc sua")))?;
    let mut store = ctx.create_store()?;
    if store.user(name)?.is_some() {
        return Err(UsageError(format!(
            "đã có tài khoản {name}; đổi mật khẩu bằng baocao users passwd {name}"
        ))
        .into());
    }
    let hash = hash_password(&password()?).map_err(anyhow::Error::msg)?;
    let now = ctx.now().to_rfc3339();
    store.put_user(name, &hash, role, &now)?;
    store.audit(
        &now,
        "cli",
        "Tạo tài khoản",
        name,
        None,
        Some(role.as_str()),
    )?;
    println!(
        "Đã tạo tài khoản {name} ({}).",
        if role == Role::Sua {
            "được xem và sửa"
        } else {
            "chỉ được xem"
        }
    );
    Ok(())
}

/// `baocao users passwd NAME`: a new password; the account's sessions end.
pub(crate) fn passwd(ctx: &Ctx, name: &str) -> Result<()> {
    let mut store = ctx.open_store()?;
    if store.user(name)?.is_none() {
        return Err(UsageError(format!("không có tài khoản {name}")).into());
    }
    let hash = hash_password(&password()?).map_err(anyhow::Error::msg)?;
    store.set_password(name, &hash)?;
    store.audit(
        &ctx.now().to_rfc3339(),
        "cli",
        "Đổi mật khẩu",
        name,
        None,
        None,
    )?;
    println!("Đã đổi mật khẩu của {name}; các phiên đăng nhập cũ đã kết thúc.");
    Ok(())
}

/// `baocao users remove NAME`.
pub(crate) fn remove(ctx: &Ctx, name: &str) -> Result<()> {
    let mut store = ctx.open_store()?;
    if !store.remove_user(name)? {
        return Err(UsageError(format!("không có tài khoản {name}")).into());
    }
    store.audit(
        &ctx.now().to_rfc3339(),
        "cli",
        "Xóa tài khoản",
        name,
        None,
        None,
    )?;
    println!("Đã xóa tài khoản {name}.");
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
        println!("Chưa có tài khoản nào. Tạo bằng: baocao users add TEN --role sua");
    }
    for u in users {
        println!("{}\t{}\t{}", u.name, u.role.as_str(), u.created_at);
    }
    Ok(())
}
