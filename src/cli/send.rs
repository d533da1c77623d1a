//! `baocao send-test --to ADDRESS`: a test mail through the outbox and SMTP, in Vietnamese with
//! a Vietnamese-named attachment, so the administrator sees that receipts will arrive intact.

use anyhow::Result;

use super::{Ctx, Said, UsageError, print_json};
use crate::i18n::{self, t};
use crate::notify::{self, File};

/// Queues and sends one test mail (once per key).
pub(crate) fn execute(ctx: &Ctx, to: &str, key: Option<&str>) -> Result<()> {
    let Some(smtp) = ctx.config.smtp.clone() else {
        return Err(UsageError(t!(
            "err-send-no-smtp",
            config = ctx.config.source.display().to_string()
        ))
        .into());
    };
    let mut store = ctx.create_store()?;
    let now = ctx.now();
    let subject = t!(
        "mail-test-subject",
        office = ctx.config.office_name.as_str()
    );
    let text = t!("mail-test-body", at = i18n::when(now, &ctx.config.timezone));
    let file = File {
        name: t!("mail-test-file-name"),
        content_type: notify::TEXT_PLAIN_UTF8.into(),
        bytes: format!("{}\n", t!("mail-test-file-text")).into_bytes(),
    };
    let msg = notify::compose(
        &smtp.from,
        &[to.to_string()],
        &subject,
        &text,
        None,
        &[file],
        None,
    )?;
    let key = crate::store::OutboxKey::Other(
        key.map(str::to_string)
            .unwrap_or_else(|| format!("test:{to}:{}", now.timestamp())),
    );
    let meta = crate::store::OutboxMeta {
        kind: crate::store::OutboxKind::Test,
        ..Default::default()
    };
    let queued = notify::queue(&mut store, &key, &msg, meta, now)?;
    let rt = super::runtime()?;
    let d = rt.block_on(notify::deliver(&mut store, &smtp, now))?;
    if ctx.json {
        print_json(&serde_json::json!({
            "queued": queued,
            "sent": d.sent,
            "retry": d.retry,
            "failed": d.failed,
            "problems": d.problems,
        }))?;
    } else {
        if !queued {
            println!("{}", t!("send-already-queued", key = key.to_string()));
        }
        println!(
            "{}",
            t!(
                "send-summary",
                sent = i18n::count(d.sent),
                retry = i18n::count(d.retry),
                failed = i18n::count(d.failed)
            )
        );
        for p in &d.problems {
            println!("{}", t!("delivery-problem", problem = p.as_str()));
        }
    }
    // The administrator runs this to find out whether mail goes out: a mail that did not is a
    // failed run, whatever the cause.
    if let Some(p) = d.problems.first() {
        if d.sent == 0 {
            return Err(Said::new(t!("err-send-test-failed", problem = p.as_str())).into());
        }
        // Other mails of the outbox were due too; the test mail may have gone out.
        return Err(Said::new(t!("err-send-other-failed", problem = p.as_str())).into());
    }
    Ok(())
}
