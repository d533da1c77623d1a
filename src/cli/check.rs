//! `baocao check-config`: is the configuration usable, and which optional tools are there
//! (PDF text, OCR for scans, LibreOffice for Word 97 files)? The mailbox (IMAP) and the
//! outgoing server (SMTP), when configured, are connected to and logged in to.

use std::process::Command;

use anyhow::Result;

use super::{Ctx, Said, print_json};
use crate::documents::{libreoffice_available, ocr_available};
use crate::i18n::{self, count, t};

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
            Ok(t!(
                "check-imap-detail",
                user = mb.username.as_str(),
                host = mb.host.as_str(),
                port = mb.port.to_string(),
                folders = count(mb.folders.len())
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
            "templates": json_check(&Some(templates.clone().map(|n| t!("check-templates-count", count = count(n))))),
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
                "{}",
                t!(
                    "check-templates-ok",
                    dir = ctx.config.templates_dir.display().to_string()
                )
            ),
            Err(e) => println!("{}", t!("check-templates-failed", error = e.as_str())),
        }
    }
    if let Err(e) = templates {
        return Err(super::UsageError(t!("err-check-template", error = e)).into());
    }
    // A server that cannot be used is a failed check, in JSON too, so scripts notice.
    if let Some(Err(e)) = mailbox {
        return Err(Said::new(t!("err-check-imap", error = e)).into());
    }
    if let Some(Err(e)) = smtp {
        return Err(Said::new(t!("err-check-smtp", error = e)).into());
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
    let yes = |b: bool| if b { t!("check-yes") } else { t!("check-no") };
    println!(
        "{}",
        t!(
            "check-config",
            file = ctx.config.source.display().to_string()
        )
    );
    println!(
        "{}",
        t!(
            "check-data-dir",
            dir = ctx.config.data_dir.display().to_string()
        )
    );
    for c in &ctx.config.campaigns {
        println!(
            "{}",
            t!(
                "check-campaign",
                number = c.number.as_str(),
                id = c.id.as_str(),
                deadline = i18n::when(c.deadline, &ctx.config.timezone)
            )
        );
    }
    println!("{}", t!("check-units", count = count(units)));
    println!("{}", t!("check-pdf", ok = yes(pdftotext)));
    let mut line = t!("check-ocr", ok = yes(ocr));
    if !ocr {
        line.push_str(&t!("check-ocr-missing"));
    }
    println!("{line}");
    let mut line = t!("check-doc", ok = yes(lo));
    if !lo {
        line.push_str(&t!("check-doc-missing"));
    }
    println!("{line}");
    let line = match mailbox {
        None => t!("check-imap-none"),
        Some(Ok(d)) => t!("check-imap-ok", detail = d.as_str()),
        Some(Err(e)) => t!("check-imap-failed", error = e.as_str()),
    };
    println!("{line}");
    let line = match smtp {
        None => t!("check-smtp-none"),
        Some(Ok(d)) if smtp_login => t!("check-smtp-ok", detail = d.as_str()),
        Some(Ok(d)) => t!("check-smtp-ok-no-login", detail = d.as_str()),
        Some(Err(e)) => t!("check-smtp-failed", error = e.as_str()),
    };
    println!("{line}");
}
