//! `baocao messages`: every stored message, how it was recognised and what its files are.

use anyhow::Result;
use serde::Serialize;

use super::table::full_time;
use super::{Ctx, print_json};
use crate::store::MessageRow;

#[derive(Serialize)]
struct AttachmentView<'a> {
    name: &'a str,
    path: &'a str,
    kind: &'a str,
    size: u64,
    items: &'a [String],
    item_by: Option<&'a str>,
    parse_result: String,
}

#[derive(Serialize)]
struct MessageView<'a> {
    message_id: &'a str,
    from: Option<&'a str>,
    from_name: Option<&'a str>,
    subject: &'a str,
    body: &'a str,
    received_at: Option<&'a str>,
    received_from: Option<&'a str>,
    date_header: Option<&'a str>,
    unit: Option<&'a str>,
    identified_by: Option<&'a str>,
    campaign: Option<&'a str>,
    campaign_by: Option<&'a str>,
    items: Vec<&'a str>,
    flags: &'a [String],
    problems: &'a [String],
    error: Option<&'a str>,
    reading: crate::store::ReadingState,
    source: &'a str,
    archive_path: &'a str,
    attachments: Vec<AttachmentView<'a>>,
}

fn view(m: &MessageRow) -> MessageView<'_> {
    let mut items: Vec<&str> = Vec::new();
    for a in &m.attachments {
        if a.error.is_none() {
            for i in &a.items {
                if !items.contains(&i.as_str()) {
                    items.push(i);
                }
            }
        }
    }
    MessageView {
        message_id: &m.message_id,
        from: m.from_addr.as_deref(),
        from_name: m.from_name.as_deref(),
        subject: &m.subject,
        body: &m.body_excerpt,
        received_at: m.received_at.as_deref(),
        received_from: m.received_from.as_deref(),
        date_header: m.date_header.as_deref(),
        unit: m.unit_id.as_deref(),
        identified_by: m.identified_by.as_deref(),
        campaign: m.campaign_id.as_deref(),
        campaign_by: m.campaign_by.as_deref(),
        items,
        flags: &m.flags,
        problems: &m.problems,
        error: m.error.as_deref(),
        reading: m.reading,
        source: &m.source,
        archive_path: &m.archive_path,
        attachments: m
            .attachments
            .iter()
            .map(|a| AttachmentView {
                name: &a.name,
                path: &a.path,
                kind: &a.kind,
                size: a.size,
                items: &a.items,
                item_by: a.item_by.as_deref(),
                parse_result: a.error.clone().unwrap_or_else(|| "ok".into()),
            })
            .collect(),
    }
}

/// True when staff should look at the message.
pub(crate) fn needs_attention(m: &MessageRow) -> bool {
    m.error.is_some()
        || m.reading == crate::store::ReadingState::Quarantined
        || m.unit_id.is_none()
        || m.campaign_id.is_none()
        || !m.problems.is_empty()
        || m.attachments.iter().any(|a| a.error.is_some())
}

fn how(by: Option<&str>) -> &'static str {
    match by {
        Some("sender_address") => "theo địa chỉ gửi",
        Some("forwarded_original_sender") => "theo người gửi thư gốc được chuyển tiếp",
        Some("subject") => "theo tiêu đề",
        Some("sender_name") => "theo tên người gửi",
        Some("filename") => "theo tên tệp",
        Some("body") => "theo nội dung thư",
        Some("only_open_campaign") => "công văn duy nhất đang mở",
        Some("staff") => "do cán bộ gán",
        _ => "",
    }
}

/// Lists messages.
pub(crate) fn execute(ctx: &Ctx, attention: bool) -> Result<()> {
    let store = ctx.open_store()?;
    let units = store.units()?;
    let msgs: Vec<MessageRow> = store
        .messages()?
        .into_iter()
        .filter(|m| !attention || needs_attention(m))
        .collect();
    if ctx.json {
        let v: Vec<MessageView> = msgs.iter().map(view).collect();
        return print_json(&v);
    }
    if msgs.is_empty() {
        println!(
            "Chưa có thư nào{}.",
            if attention { " cần xem lại" } else { "" }
        );
        return Ok(());
    }
    for (n, m) in msgs.iter().enumerate() {
        let unit = m
            .unit_id
            .as_deref()
            .map(|id| {
                let name = units
                    .iter()
                    .find(|u| u.id == id)
                    .map(|u| u.name.as_str())
                    .unwrap_or(id);
                format!("{name} ({})", how(m.identified_by.as_deref()))
            })
            .unwrap_or_else(|| "CHƯA RÕ ĐƠN VỊ".into());
        println!(
            "[{}] {}  {} → {}",
            n + 1,
            m.received_at.as_deref().map(full_time).unwrap_or_default(),
            m.from_addr.as_deref().unwrap_or("(không rõ người gửi)"),
            unit
        );
        println!("    Tiêu đề: {}", m.subject);
        match &m.campaign_id {
            Some(c) => println!("    Công văn: {c} ({})", how(m.campaign_by.as_deref())),
            None => println!("    Công văn: chưa rõ"),
        }
        if let Some(e) = &m.error {
            println!("    LỖI: {e}");
        }
        match m.reading {
            crate::store::ReadingState::Pending => println!("    Đang đọc tệp đính kèm…"),
            crate::store::ReadingState::Slow => {
                println!("    Đang chờ nhận dạng chữ (OCR) hoặc chuyển đổi tệp cũ…")
            }
            crate::store::ReadingState::Quarantined => {
                println!("    ĐỂ RIÊNG: có tệp làm trình đọc dừng — cán bộ mở tệp bằng tay")
            }
            crate::store::ReadingState::Done => {}
        }
        for a in &m.attachments {
            let items = if a.items.is_empty() {
                String::new()
            } else {
                format!(" → {}", a.items.join(", "))
            };
            let err = a
                .error
                .as_deref()
                .map(|e| format!("  [LỖI: {e}]"))
                .unwrap_or_default();
            println!("    Tệp: {} [{}]{items}{err}", a.path, a.kind);
        }
        for p in &m.problems {
            println!("    Lưu ý: {p}");
        }
        if m.flags.iter().any(|f| f == "duplicate_message_id") {
            println!("    Lưu ý: trùng Message-ID với một thư đã lưu; không tính là bài nộp mới");
        }
        println!("    Message-ID: {}", m.message_id);
        if !m.attachments.is_empty() {
            println!("    Mở tệp: baocao export {}", m.id);
        }
    }
    Ok(())
}
