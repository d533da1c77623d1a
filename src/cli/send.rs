//! `baocao send-test --to ADDRESS`: a test mail through the outbox and SMTP, in Vietnamese with
//! a Vietnamese-named attachment, so the administrator sees that receipts will arrive intact.

use anyhow::Result;

use super::{Ctx, UsageError, print_json};
use crate::notify::{self, File};

/// Queues and sends one test mail (once per key).
pub(crate) fn execute(ctx: &Ctx, to: &str, key: Option<&str>) -> Result<()> {
    let Some(smtp) = ctx.config.smtp.clone() else {
        return Err(UsageError(format!(
            "no [smtp] section in {}; add the outgoing mail settings (see the commented example)",
            ctx.config.source.display()
        ))
        .into());
    };
    let mut store = ctx.create_store()?;
    let now = ctx.now();
    let subject = format!("Thư thử nghiệm của baocao — {}", ctx.config.office_name);
    let text = format!(
        "Kính gửi đồng chí,\n\nĐây là thư thử nghiệm do baocao gửi lúc {}. Nếu đồng chí đọc được thư này và tệp đính kèm, \
         biên nhận và nhắc nhở sẽ đến được hộp thư này.\n\nTrân trọng.",
        now.format("%H:%M %d/%m/%Y")
    );
    let file = File {
        name: "Biên nhận thử nghiệm — Văn phòng.txt".into(),
        content_type: "text/plain; charset=utf-8".into(),
        bytes: "Biên nhận thử nghiệm: tiếng Việt có dấu hiển thị đúng.\n"
            .as_bytes()
            .to_vec(),
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
            println!("Thư thử với khóa {key} đã có trong hàng đợi trước đó; không gửi lại.");
        }
        println!(
            "Đã gửi {} thư, chờ gửi lại {}, thất bại {}.",
            d.sent, d.retry, d.failed
        );
        for p in &d.problems {
            println!("LỖI — {p}");
        }
    }
    // The administrator runs this to find out whether mail goes out: a mail that did not is a
    // failed run, whatever the cause.
    if let Some(p) = d.problems.first() {
        if d.sent == 0 {
            anyhow::bail!("the test mail was not sent: {p}");
        }
        // Other mails of the outbox were due too; the test mail may have gone out.
        anyhow::bail!("a mail of the outbox was not sent: {p}");
    }
    Ok(())
}
