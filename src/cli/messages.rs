//! `baocao messages`: every stored message, how it was recognised and what its files are.

use anyhow::Result;
use serde::Serialize;

use std::io::Write;

use super::Ctx;
use super::table::full_time;
use crate::store::{MessageFilter, MessageRow};

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
    /// The register's number for the message: what `assign` and `export` take.
    id: i64,
    message_id: &'a str,
    from: Option<&'a str>,
    from_name: Option<&'a str>,
    subject: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<&'a str>,
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

fn view(m: &MessageRow, body: bool) -> MessageView<'_> {
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
        id: m.id,
        message_id: &m.message_id,
        from: m.from_addr.as_deref(),
        from_name: m.from_name.as_deref(),
        subject: &m.subject,
        body: body.then_some(m.body_excerpt.as_str()),
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
        Some("sender_alias") => "theo địa chỉ đã ghi nhớ khi cán bộ gán thư",
        Some("forwarded_original_sender") => "theo người gửi thư gốc được chuyển tiếp",
        Some("subject") => "theo tiêu đề",
        Some("sender_name") => "theo tên người gửi",
        Some("filename") => "theo tên tệp",
        Some("body") => "theo nội dung thư",
        Some("only_open_campaign") => "công văn duy nhất đang mở",
        Some("staff") => "do cán bộ gán",
        Some("document_issuer") => "theo tên cơ quan ban hành trên văn bản",
        Some("document_signature") => "theo khối chữ ký trên văn bản",
        Some("document") => "theo số công văn trong văn bản",
        _ => "",
    }
}

/// What `baocao messages` lists.
pub(crate) struct Listing {
    /// Only messages that need a person.
    pub attention: bool,
    /// At most this many.
    pub limit: Option<usize>,
    /// After this row id.
    pub after: Option<i64>,
    /// Only this unit.
    pub unit: Option<String>,
    /// Only this campaign.
    pub campaign: Option<String>,
    /// With each message's text.
    pub body: bool,
}

/// Rows read from the register at a time: the list streams, whatever its size.
const PAGE: usize = 500;

pub(crate) fn execute(ctx: &Ctx, l: &Listing) -> Result<()> {
    let store = ctx.open_store()?;
    let units = store.units()?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = (|| -> std::io::Result<()> {
        let mut left = l.limit.unwrap_or(usize::MAX);
        let mut after = l.after;
        let mut shown = 0usize;
        let mut more = false;
        if ctx.json {
            out.write_all(b"[")?;
        }
        'pages: loop {
            let page = store
                .messages_page(&MessageFilter {
                    after,
                    unit: l.unit.clone(),
                    campaign: l.campaign.clone(),
                    limit: PAGE,
                })
                .map_err(std::io::Error::other)?;
            let Some(last) = page.last().map(|m| m.id) else {
                break;
            };
            for m in page.iter().filter(|m| !l.attention || needs_attention(m)) {
                if left == 0 {
                    more = true;
                    break 'pages;
                }
                left -= 1;
                if ctx.json {
                    if shown > 0 {
                        out.write_all(b",")?;
                    }
                    serde_json::to_writer(&mut out, &view(m, l.body))?;
                } else {
                    write_text(&mut out, m, &units, l.body)?;
                }
                after = Some(m.id);
                shown += 1;
            }
            after = Some(last);
        }
        if ctx.json {
            out.write_all(b"]\n")?;
        } else if shown == 0 {
            writeln!(
                out,
                "Chưa có thư nào{}.",
                if l.attention { " cần xem lại" } else { "" }
            )?;
        } else if more && let Some(a) = after {
            writeln!(out, "Còn nữa — xem tiếp: baocao messages --after {a}")?;
        }
        out.flush()
    })();
    super::quiet_pipe(written)
}

/// One message as staff read it; the number in brackets is what `assign` and `export` take.
fn write_text(
    out: &mut impl Write,
    m: &MessageRow,
    units: &[crate::config::Unit],
    body: bool,
) -> std::io::Result<()> {
    {
        let unit = m
            .unit_id
            .as_deref()
            .map(|id| {
                let name = units
                    .iter()
                    .find(|u| u.id == id)
                    .map(|u| u.name.as_str())
                    .unwrap_or(id);
                match how(m.identified_by.as_deref()) {
                    "" => name.to_string(),
                    h => format!("{name} ({h})"),
                }
            })
            .unwrap_or_else(|| "CHƯA RÕ ĐƠN VỊ".into());
        writeln!(
            out,
            "[{}] {}  {} → {}",
            m.id,
            m.received_at.as_deref().map(full_time).unwrap_or_default(),
            m.from_addr.as_deref().unwrap_or("(không rõ người gửi)"),
            unit
        )?;
        writeln!(out, "    Tiêu đề: {}", m.subject)?;
        if body {
            for line in m.body_excerpt.lines().filter(|l| !l.trim().is_empty()) {
                writeln!(out, "    | {line}")?;
            }
        }
        match &m.campaign_id {
            Some(c) => writeln!(out, "    Công văn: {c} ({})", how(m.campaign_by.as_deref()))?,
            None => writeln!(out, "    Công văn: chưa rõ")?,
        }
        if let Some(e) = &m.error {
            writeln!(out, "    LỖI: {e}")?;
        }
        match m.reading {
            crate::store::ReadingState::Pending => writeln!(out, "    Đang đọc tệp đính kèm…")?,
            crate::store::ReadingState::Slow => {
                writeln!(
                    out,
                    "    Đang chờ nhận dạng chữ (OCR) hoặc chuyển đổi tệp cũ…"
                )?;
            }
            crate::store::ReadingState::Quarantined => {
                writeln!(
                    out,
                    "    ĐỂ RIÊNG: có tệp làm trình đọc dừng — cán bộ mở tệp bằng tay"
                )?;
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
            writeln!(out, "    Tệp: {} [{}]{items}{err}", a.path, a.kind)?;
        }
        if m.flags.iter().any(|f| f == "forwarded_by_staff") {
            let how = if m.flags.iter().any(|f| f == "inline_forward") {
                "dán trong nội dung thư"
            } else {
                "đính kèm thư gốc"
            };
            let time = if m.received_from.as_deref() == Some("forwarded_original") {
                "thời điểm nhận tính theo thư gốc"
            } else {
                "thời điểm nhận tính theo lúc chuyển tiếp"
            };
            writeln!(
                out,
                "    Chuyển tiếp: cán bộ chuyển tiếp thư của đơn vị ({how}); {time}"
            )?;
        }
        for p in &m.problems {
            writeln!(out, "    Lưu ý: {p}")?;
        }
        if m.flags
            .iter()
            .any(|f| f == crate::store::flag::DUPLICATE_MESSAGE_ID)
        {
            writeln!(
                out,
                "    Lưu ý: trùng Message-ID với một thư đã lưu; không tính là bài nộp mới"
            )?;
        }
        writeln!(out, "    Message-ID: {}", m.message_id)?;
        if !m.attachments.is_empty() {
            writeln!(out, "    Mở tệp: baocao export {}", m.id)?;
        }
    }
    Ok(())
}
