//! `baocao messages`: every stored message, how it was recognised and what its files are.

use anyhow::Result;
use serde::Serialize;

use std::io::Write;

use super::Ctx;
use crate::i18n::{self, t};
use crate::store::{Flag, MessageFilter, MessageRow};

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
    flags: &'a [Flag],
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

fn how(by: Option<&str>) -> String {
    by.and_then(crate::recognise::by_words).unwrap_or_default()
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
                    write_text(&mut out, m, &units, &ctx.config, l.body)?;
                }
                after = Some(m.id);
                shown += 1;
            }
            after = Some(last);
        }
        if ctx.json {
            out.write_all(b"]\n")?;
        } else if shown == 0 {
            let none = if l.attention {
                t!("messages-none-attention")
            } else {
                t!("messages-none")
            };
            writeln!(out, "{none}")?;
        } else if more && let Some(a) = after {
            writeln!(out, "{}", t!("messages-more", after = a))?;
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
    config: &crate::config::Config,
    body: bool,
) -> std::io::Result<()> {
    let campaign = m.campaign_id.as_deref().and_then(|c| config.campaign(c));
    // Items by their titles ("Biểu số 1"), as the campaign names them.
    let item_title = |id: &String| -> String {
        campaign
            .and_then(|c| c.item(id))
            .map_or_else(|| id.clone(), |i| i.name.clone())
    };
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
                let h = how(m.identified_by.as_deref());
                if h.is_empty() {
                    name.to_string()
                } else {
                    t!("messages-unit-how", unit = name, how = h)
                }
            })
            .unwrap_or_else(|| t!("messages-unit-unknown"));
        writeln!(
            out,
            "[{}] {}  {} → {}",
            m.id,
            m.received_at
                .as_deref()
                .map(|t| i18n::when_text(t, &config.timezone))
                .unwrap_or_default(),
            m.from_addr
                .clone()
                .unwrap_or_else(|| t!("messages-sender-unknown")),
            unit
        )?;
        writeln!(
            out,
            "    {}",
            t!("messages-subject", subject = m.subject.as_str())
        )?;
        if body {
            for line in m.body_excerpt.lines().filter(|l| !l.trim().is_empty()) {
                writeln!(out, "    | {line}")?;
            }
        }
        match &m.campaign_id {
            Some(c) => {
                let number = campaign.map_or(c.as_str(), |c| c.number.as_str());
                let how = how(m.campaign_by.as_deref());
                writeln!(
                    out,
                    "    {}",
                    t!("messages-campaign", number = number, how = how)
                )?;
            }
            None => writeln!(out, "    {}", t!("messages-campaign-unknown"))?,
        }
        if let Some(e) = &m.error {
            writeln!(out, "    {}", t!("messages-error", error = e.as_str()))?;
        }
        match m.reading {
            crate::store::ReadingState::Pending => {
                writeln!(out, "    {}", t!("messages-reading"))?;
            }
            crate::store::ReadingState::Slow => {
                writeln!(out, "    {}", t!("messages-reading-slow"))?;
            }
            crate::store::ReadingState::Quarantined => {
                writeln!(out, "    {}", t!("messages-quarantined"))?;
            }
            crate::store::ReadingState::Done => {}
        }
        for a in &m.attachments {
            let items = if a.items.is_empty() {
                String::new()
            } else {
                let titles: Vec<String> = a.items.iter().map(item_title).collect();
                format!(" → {}", titles.join(", "))
            };
            let err = a
                .error
                .as_deref()
                .map(|e| format!("  [{}]", t!("messages-error", error = e)))
                .unwrap_or_default();
            let file = t!(
                "messages-file",
                path = a.path.as_str(),
                kind = a.kind.as_str()
            );
            writeln!(out, "    {file}{items}{err}")?;
        }
        if m.flags.contains(&Flag::ForwardedByStaff) {
            let how = if m.flags.contains(&Flag::InlineForward) {
                t!("forward-inline")
            } else {
                t!("forward-attached")
            };
            let time = if m.received_from.as_deref() == Some("forwarded_original") {
                t!("forward-time-original")
            } else {
                t!("forward-time-forward")
            };
            writeln!(
                out,
                "    {}",
                t!("messages-forwarded", how = how, time = time)
            )?;
        }
        for p in &m.problems {
            writeln!(out, "    {}", t!("messages-note", note = p.as_str()))?;
        }
        if m.flags.contains(&Flag::DuplicateMessageId) {
            writeln!(out, "    {}", t!("messages-duplicate"))?;
        }
        writeln!(out, "    Message-ID: {}", m.message_id)?;
        if !m.attachments.is_empty() {
            writeln!(out, "    {}", t!("messages-export", id = m.id))?;
        }
    }
    Ok(())
}
