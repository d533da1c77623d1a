//! `baocao check-config`: is the configuration usable, and which optional tools are there
//! (PDF text, OCR for scans, LibreOffice for Word 97 files)? The mailbox (IMAP) and the
//! outgoing server (SMTP), when configured, are connected to and logged in to.

use std::process::Command;

use anyhow::Result;

use super::{Ctx, print_json};
use crate::documents::{libreoffice_available, ocr_available};

/// Prints what works and what does not, in plain words.
pub(crate) fn execute(ctx: &Ctx) -> Result<()> {
    let store = ctx.create_store()?;
    let units = store.units()?;
    let pdftotext = Command::new("pdftotext").arg("-v").output().is_ok();
    let ocr = ocr_available();
    let lo = libreoffice_available();
    let rt = super::runtime()?;
    // The mailbox: connect, log in and open every folder, so a bad password or a wrong server
    // name shows up now rather than at the first poll.
    let mailbox: Option<Result<String, String>> = ctx.config.mailbox.as_ref().map(|mb| {
        rt.block_on(async {
            let mut session = crate::source::imap::connect(mb)
                .await
                .map_err(|e| e.to_string())?;
            for f in &mb.folders {
                crate::source::imap::select(&mut session, mb, f)
                    .await
                    .map_err(|e| e.to_string())?;
            }
            let _ = session.logout().await;
            Ok(format!(
                "{}@{}:{} ({} folders)",
                mb.username,
                mb.host,
                mb.port,
                mb.folders.len()
            ))
        })
    });
    // The outgoing server: the same TLS and login a receipt would use, so a wrong password is
    // found now and not when the first receipt stays in the outbox.
    let smtp: Option<Result<String, String>> = ctx.config.smtp.as_ref().map(|smtp| {
        rt.block_on(crate::notify::check(smtp))
            .map_err(|e| e.to_string())
    });
    let smtp_login = ctx.config.smtp.as_ref().is_some_and(|s| s.login.is_some());
    // The digest is rendered from the register as it is now: every template is tried.
    let templates = crate::notify::check_templates(&ctx.config, &units)
        .map_err(|e| e.to_string())
        .and_then(|n| {
            let t = ctx.templates().map_err(|e| e.to_string())?;
            crate::notify::digest::build(&store, &ctx.config, &t, ctx.now(), None)
                .map(|_| n + 2)
                .map_err(|e| e.to_string())
        });
    let json_check = |r: &Option<Result<String, String>>| {
        r.as_ref().map(|r| match r {
            Ok(ok) => serde_json::json!({ "ok": true, "detail": ok }),
            Err(e) => serde_json::json!({ "ok": false, "detail": e }),
        })
    };
    if ctx.json {
        print_json(&serde_json::json!({
            "config": ctx.config.source.display().to_string(),
            "data_dir": ctx.config.data_dir.display().to_string(),
            "campaigns": ctx.config.campaigns.iter().map(|c| &c.id).collect::<Vec<_>>(),
            "units": units.len(),
            "pdf_text": pdftotext,
            "ocr": ocr,
            "libreoffice": lo,
            "mailbox": json_check(&mailbox),
            "smtp": json_check(&smtp),
            "templates": json_check(&Some(templates.clone().map(|n| format!("{n} templates render")))),
        }))?;
    } else {
        print_text(
            ctx,
            units.len(),
            [pdftotext, ocr, lo],
            &mailbox,
            &smtp,
            smtp_login,
        );
        match &templates {
            Ok(_) => println!(
                "Mẫu thư ({}): dùng được",
                ctx.config.templates_dir.display()
            ),
            Err(e) => println!("Mẫu thư: LỖI — {e}"),
        }
    }
    if let Err(e) = templates {
        return Err(super::UsageError(format!("a mail template is wrong: {e}")).into());
    }
    // A server that cannot be used is a failed check, in JSON too, so scripts notice.
    if let Some(Err(e)) = mailbox {
        anyhow::bail!("the mailbox check failed: {e}");
    }
    if let Some(Err(e)) = smtp {
        anyhow::bail!("the SMTP check failed: {e}");
    }
    Ok(())
}

/// The human-readable report.
fn print_text(
    ctx: &Ctx,
    units: usize,
    [pdftotext, ocr, lo]: [bool; 3],
    mailbox: &Option<Result<String, String>>,
    smtp: &Option<Result<String, String>>,
    smtp_login: bool,
) {
    let yes = |b: bool| if b { "có" } else { "KHÔNG" };
    println!("Cấu hình: {} — hợp lệ", ctx.config.source.display());
    println!("Thư mục dữ liệu: {}", ctx.config.data_dir.display());
    for c in &ctx.config.campaigns {
        println!(
            "Công văn {} ({}): hạn {}",
            c.number,
            c.id,
            c.deadline.format("%H:%M %d/%m/%Y")
        );
    }
    println!("Đơn vị trong danh sách: {units}");
    println!("Đọc chữ trong PDF (pdftotext): {}", yes(pdftotext));
    println!(
        "Nhận dạng chữ trên bản scan (OCR, tesseract tiếng Việt): {}{}",
        yes(ocr),
        if ocr {
            ""
        } else {
            " — bản scan sẽ được đánh dấu để cán bộ xem (cài: apt-get install tesseract-ocr tesseract-ocr-vie)"
        }
    );
    println!(
        "Đọc tệp Word 97 .doc (LibreOffice): {}{}",
        yes(lo),
        if lo {
            ""
        } else {
            " — tệp .doc sẽ được giữ lại và đánh dấu \"mở bằng tay\" (cài: apt-get install libreoffice-writer-nogui)"
        }
    );
    match mailbox {
        None => println!("Hộp thư (IMAP): chưa cấu hình [mailbox]"),
        Some(Ok(d)) => println!("Hộp thư (IMAP): kết nối và đăng nhập được — {d}"),
        Some(Err(e)) => println!("Hộp thư (IMAP): LỖI — {e}"),
    }
    match smtp {
        None => println!("Gửi thư (SMTP): chưa cấu hình [smtp]"),
        Some(Ok(d)) if smtp_login => println!("Gửi thư (SMTP): kết nối và đăng nhập được — {d}"),
        Some(Ok(d)) => println!("Gửi thư (SMTP): kết nối được (không đăng nhập) — {d}"),
        Some(Err(e)) => println!("Gửi thư (SMTP): LỖI — {e}"),
    }
}
