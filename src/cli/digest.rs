//! `baocao digest [--campaign ID] [--dry-run]`: the staff digest now — on the terminal with
//! `--dry-run`, else queued and sent through `[smtp]`.

use anyhow::Result;

use super::{Ctx, Said, UsageError, print_json};
use crate::i18n::t;
use crate::notify::{self, Sender, digest, templates::Templates};

/// Builds the digest; prints it (dry run) or queues and sends it.
pub(crate) fn execute(ctx: &Ctx, campaign: Option<&str>, dry_run: bool) -> Result<()> {
    let now = ctx.now();
    let campaigns = match campaign {
        Some(id) => vec![ctx.campaign(Some(id))?],
        None => digest::open_campaigns(&ctx.config, now),
    };
    let smtp = ctx.config.smtp.clone();
    if !dry_run && smtp.is_none() {
        return Err(UsageError(t!(
            "err-digest-no-smtp",
            config = ctx.config.source.display().to_string()
        ))
        .into());
    }
    if !dry_run && ctx.config.digest_recipients.is_empty() {
        return Err(UsageError(t!(
            "err-digest-no-recipients",
            config = ctx.config.source.display().to_string()
        ))
        .into());
    }
    let templates = Templates::load(Some(&ctx.config.templates_dir))?;
    let mut store = ctx.open_store()?;
    if dry_run {
        let since = digest::last_digest(&store)?.filter(|t| *t < now);
        let d = digest::build_for(&store, &ctx.config, &templates, now, since, &campaigns)?;
        if ctx.json {
            return print_json(&d);
        }
        print!("Subject: {}\n\n{}", d.subject, d.text);
        return Ok(());
    }
    let Some(smtp) = smtp else {
        return Ok(());
    };
    let slot = format!("manual:{}", now.to_rfc3339());
    let queued = digest::queue_for(&mut store, &ctx.config, &templates, now, &slot, &campaigns)?;
    let rt = super::runtime()?;
    let d = rt.block_on(notify::deliver_via(
        &mut store,
        &Sender::Smtp(smtp),
        now,
        &mut |_, _| None,
    ))?;
    if ctx.json {
        print_json(&serde_json::json!({
            "queued": queued,
            "key": format!("digest:{slot}"),
            "sent": d.sent,
            "retry": d.retry,
            "failed": d.failed,
            "problems": d.problems,
        }))?;
    } else {
        println!(
            "{}",
            t!(
                "digest-sent",
                to = ctx.config.digest_recipients.join(", "),
                sent = d.sent,
                retry = d.retry,
                failed = d.failed
            )
        );
        for p in &d.problems {
            println!("{}", t!("delivery-problem", problem = p.to_string()));
        }
    }
    if let Some(p) = d.problems.first() {
        return Err(Said::new(t!("err-digest-not-sent", problem = p.to_string())).into());
    }
    Ok(())
}
