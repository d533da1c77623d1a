//! The staff digest: one mail (plain text and HTML) that tells staff where every open request
//! stands without opening the mailbox — counts, the unit × item matrix, what arrived since the
//! last digest, who is late or still missing something, and first of all every case that needs
//! a person, each with a link to the console page where it is settled (`[web] public-url`): no
//! commands in staff mail.
//!
//! All decisions are made here, in Rust; the templates (`digest.txt.j2`, `digest.html.j2`)
//! only lay the prepared data out, so an office can reword them without breaking the logic.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Duration, FixedOffset};
use serde::Serialize;

use super::templates::{self, Templates};
use crate::config::{Campaign, Config, Unit};
use crate::forms::Reading;
use crate::i18n::{count, t};
use crate::register::{self, State, Status};
use crate::store::{
    self, Flag, MessageRow, OutboxKey, OutboxKind, OutboxMeta, OutboxStatus, Store,
};

/// Longest unit name in the plain-text matrix; longer ones are cut with "…".
const TEXT_NAME_WIDTH: usize = 26;

/// Why a digest could not be built or queued.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The register could not be read or the outbox written.
    #[error(transparent)]
    Store(#[from] store::Error),
    /// A template is broken.
    #[error(transparent)]
    Template(#[from] templates::Error),
    /// The mail could not be composed or queued.
    #[error(transparent)]
    Notify(#[from] super::Error),
    /// Nobody to send it to.
    #[error("{}", t!("mail-err-no-recipients"))]
    NoRecipients,
}

/// Result of the digest.
pub type Result<T> = std::result::Result<T, Error>;

/// A rendered digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Digest {
    /// Subject line.
    pub subject: String,
    /// Plain-text body (reads well in a monospace font).
    pub text: String,
    /// HTML body (inline styles only, for Outlook and Gmail).
    pub html: String,
}

/// How one item of one unit stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cell {
    OnTime,
    Late,
    Paper,
    Missing,
    Damaged,
    Check,
    NotRequired,
}

impl Cell {
    fn text(self) -> String {
        match self {
            Cell::OnTime => "✓".into(),
            Cell::Late => t!("mark-late"),
            Cell::Paper => t!("mark-paper"),
            Cell::Missing => "✗".into(),
            Cell::Damaged => t!("mark-damaged"),
            Cell::Check => "?".into(),
            Cell::NotRequired => "—".into(),
        }
    }

    /// `(background, text colour)`, the spreadsheet "good / neutral / bad" colours staff know
    /// from Excel.
    fn colours(self) -> (&'static str, &'static str) {
        match self {
            Cell::OnTime | Cell::Paper => ("#c6efce", "#006100"),
            Cell::Late | Cell::Check => ("#ffeb9c", "#9c5700"),
            Cell::Missing | Cell::Damaged => ("#ffc7ce", "#9c0006"),
            Cell::NotRequired => ("#e7e6e6", "#595959"),
        }
    }
}

#[derive(Debug, Serialize)]
struct CellView {
    mark: String,
    /// Tooltip / detail: when it arrived, or what is wrong.
    title: String,
    bg: &'static str,
    fg: &'static str,
}

#[derive(Debug, Serialize)]
struct RowView {
    n: usize,
    id: String,
    name: String,
    state: String,
    state_bg: &'static str,
    cells: Vec<CellView>,
}

#[derive(Debug, Serialize)]
struct ItemHead {
    id: String,
    name: String,
    short: String,
}

#[derive(Debug, Default, Serialize)]
struct Counts {
    units: usize,
    on_time: usize,
    late: usize,
    partial: usize,
    missing: usize,
}

#[derive(Debug, Serialize)]
struct Arrival {
    at: String,
    unit: String,
    items: String,
    subject: String,
}

#[derive(Debug, Serialize)]
struct UnitLine {
    id: String,
    name: String,
    detail: String,
}

#[derive(Debug, Serialize)]
struct CampaignView {
    id: String,
    number: String,
    title: String,
    deadline: String,
    /// "còn 2 ngày", "quá hạn 3 ngày".
    deadline_note: String,
    overdue: bool,
    counts: Counts,
    items: Vec<ItemHead>,
    rows: Vec<RowView>,
    matrix_text: String,
    arrivals: Vec<Arrival>,
    late: Vec<UnitLine>,
    partial: Vec<UnitLine>,
    missing: Vec<UnitLine>,
}

/// Something a person must do, and the console page where it is done.
#[derive(Debug, Clone, Serialize)]
struct Action {
    text: String,
    /// The console page (full URL, from `[web] public-url`).
    link: String,
}

#[derive(Debug, Serialize)]
struct View {
    office: String,
    /// The console's address, for links.
    console: String,
    now: String,
    today: String,
    since: Option<String>,
    campaigns: Vec<CampaignView>,
    actions: Vec<Action>,
    legend: Vec<CellView>,
}

pub use crate::schedule::open_campaigns;

/// When the last digest before this one was queued: what "new since" counts from.
pub fn last_digest(store: &Store) -> Result<Option<DateTime<FixedOffset>>> {
    Ok(store
        .outbox_entries(Some(OutboxKind::Digest), None, None)?
        .iter()
        .filter(|e| e.status != OutboxStatus::Cancelled)
        .filter_map(|e| DateTime::parse_from_rfc3339(&e.created_at).ok())
        .max())
}

/// Builds the digest of every open campaign at `now`, listing arrivals after `since` (all
/// arrivals when there was no digest before).
pub fn build(
    store: &Store,
    config: &Config,
    templates: &Templates,
    now: DateTime<FixedOffset>,
    since: Option<DateTime<FixedOffset>>,
) -> Result<Digest> {
    build_for(
        store,
        config,
        templates,
        now,
        since,
        &open_campaigns(config, now),
    )
}

/// [`build`] for the given campaigns only (`baocao digest --campaign ID`).
pub fn build_for(
    store: &Store,
    config: &Config,
    templates: &Templates,
    now: DateTime<FixedOffset>,
    since: Option<DateTime<FixedOffset>>,
    campaigns: &[&Campaign],
) -> Result<Digest> {
    let view = view(store, config, now, since, campaigns)?;
    let text = templates.render("digest.txt.j2", &view)?;
    let html = templates.render_body("digest.html.j2", &view)?;
    Ok(Digest {
        subject: text.subject,
        text: text.body,
        html,
    })
}

/// Builds the digest and queues it for `config.digest_recipients` under the key
/// `digest:<slot>`; a slot already queued is not queued again. Returns true if queued now.
pub fn queue(
    store: &mut Store,
    config: &Config,
    templates: &Templates,
    now: DateTime<FixedOffset>,
    slot: &str,
) -> Result<bool> {
    queue_for(
        store,
        config,
        templates,
        now,
        slot,
        &open_campaigns(config, now),
    )
}

/// [`queue`] for the given campaigns only.
pub fn queue_for(
    store: &mut Store,
    config: &Config,
    templates: &Templates,
    now: DateTime<FixedOffset>,
    slot: &str,
    campaigns: &[&Campaign],
) -> Result<bool> {
    if config.digest_recipients.is_empty() {
        return Err(Error::NoRecipients);
    }
    let key = OutboxKey::Digest {
        slot: slot.to_string(),
    };
    if store
        .outbox_entries(Some(OutboxKind::Digest), None, None)?
        .iter()
        .any(|e| e.key == key)
    {
        return Ok(false);
    }
    let since = last_digest(store)?.filter(|t| *t < now);
    let d = build_for(store, config, templates, now, since, campaigns)?;
    let from = super::sender_address(config);
    // An address a bounce said is dead is skipped, as for every other mail.
    let bad: HashSet<String> = store
        .bad_addresses_at(now)?
        .into_iter()
        .map(|b| b.address)
        .collect();
    let to: Vec<String> = config
        .digest_recipients
        .iter()
        .filter(|a| !bad.contains(&a.to_lowercase()))
        .cloned()
        .collect();
    if to.is_empty() {
        return Err(Error::NoRecipients);
    }
    let msg = super::compose(&from, &to, &d.subject, &d.text, Some(&d.html), &[], None)?;
    let meta = OutboxMeta {
        kind: OutboxKind::Digest,
        campaign_id: (campaigns.len() == 1).then(|| campaigns[0].id.clone()),
        ..Default::default()
    };
    Ok(super::queue(store, &key, &msg, meta, now)?)
}

fn short_time(rfc3339: &str) -> String {
    DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| t.format("%d/%m %H:%M").to_string())
        .unwrap_or_else(|_| rfc3339.to_string())
}

fn full_time(t: DateTime<FixedOffset>) -> String {
    t.format("%d/%m/%Y %H:%M").to_string()
}

/// A name cut to `width` columns with "…", padded to `width` (display width, so a wide
/// character or a combining mark lines up in a monospace font).
fn pad(s: &str, width: usize) -> String {
    use unicode_width::{UnicodeWidthChar as _, UnicodeWidthStr as _};
    let n = s.width();
    if n > width {
        let mut out = String::new();
        let mut used = 0;
        for c in s.chars() {
            let w = c.width().unwrap_or(0);
            if used + w > width.saturating_sub(1) {
                break;
            }
            used += w;
            out.push(c);
        }
        out.push('…');
        out
    } else {
        format!("{s}{}", " ".repeat(width - n))
    }
}

fn item_short(c: &Campaign, id: &str) -> String {
    match c.item(id) {
        Some(i) => match i.number {
            Some(n) => t!("mail-item-short", number = n),
            None => i.name.chars().take(8).collect(),
        },
        None => id.to_string(),
    }
}

fn item_names(c: &Campaign, ids: &[String]) -> String {
    ids.iter()
        .map(|i| {
            c.item(i)
                .map(|x| x.name.clone())
                .unwrap_or_else(|| i.clone())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn state_word(s: State) -> String {
    s.label()
}

fn state_bg(s: State) -> &'static str {
    match s {
        State::CompleteOnTime => Cell::OnTime.colours().0,
        State::CompleteLate => Cell::Late.colours().0,
        State::Partial | State::Missing => Cell::Missing.colours().0,
    }
}

fn cells_of(c: &Campaign, u: &crate::register::UnitStatus) -> Vec<(Cell, String)> {
    u.items
        .0
        .iter()
        .map(|(id, item)| match item {
            Some(s) if s.source == "paper" => (
                Cell::Paper,
                t!("mail-cell-paper", at = short_time(&s.received_at)),
            ),
            Some(s) if s.late => (
                Cell::Late,
                t!("mail-cell-late", at = short_time(&s.received_at)),
            ),
            Some(s) => (
                Cell::OnTime,
                t!("mail-cell-on-time", at = short_time(&s.received_at)),
            ),
            None if u.to_check.contains(id) => (
                Cell::Check,
                t!(
                    "mail-cell-check",
                    item = item_names(c, std::slice::from_ref(id))
                ),
            ),
            None if u.unreadable.contains(id) => (
                Cell::Damaged,
                t!(
                    "mail-cell-damaged",
                    item = item_names(c, std::slice::from_ref(id))
                ),
            ),
            None => (Cell::Missing, t!("mail-cell-missing")),
        })
        .collect()
}

fn matrix_text(c: &Campaign, rows: &[(String, State, Vec<Cell>)]) -> String {
    let heads: Vec<String> = c.items.iter().map(|i| item_short(c, &i.id)).collect();
    let widths: Vec<usize> = heads
        .iter()
        .map(|h| {
            use unicode_width::UnicodeWidthStr as _;
            h.width().max(Cell::Late.text().width())
        })
        .collect();
    let num_w = rows.len().to_string().len().max(1);
    let mut out = String::new();
    let mut line = format!(
        "{} {}",
        pad("#", num_w),
        pad(&t!("mail-digest-col-unit"), TEXT_NAME_WIDTH)
    );
    for (h, w) in heads.iter().zip(&widths) {
        line.push_str("  ");
        line.push_str(&pad(h, *w));
    }
    line.push_str("  ");
    line.push_str(&t!("mail-digest-col-state"));
    out.push_str(line.trim_end());
    out.push('\n');
    let rule_len = unicode_width::UnicodeWidthStr::width(line.trim_end());
    out.push_str(&"─".repeat(rule_len));
    out.push('\n');
    for (i, (name, state, cells)) in rows.iter().enumerate() {
        let mut line = format!(
            "{} {}",
            pad(&(i + 1).to_string(), num_w),
            pad(name, TEXT_NAME_WIDTH)
        );
        for (cell, w) in cells.iter().zip(&widths) {
            line.push_str("  ");
            line.push_str(&pad(&cell.text(), *w));
        }
        line.push_str("  ");
        line.push_str(&state_word(*state));
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn unit_name<'a>(units: &'a [Unit], id: &'a str) -> &'a str {
    units
        .iter()
        .find(|u| u.id == id)
        .map(|u| u.name.as_str())
        .unwrap_or(id)
}

fn view(
    store: &Store,
    config: &Config,
    now: DateTime<FixedOffset>,
    since: Option<DateTime<FixedOffset>>,
    campaigns: &[&Campaign],
) -> Result<View> {
    let tz = config.timezone;
    let now = now.with_timezone(&tz).fixed_offset();
    let units = store.units()?;
    let messages = store.messages()?;
    let now_ts = now.timestamp();
    let since_ts = since.map(|t| t.timestamp());
    let mut views = Vec::new();
    let mut actions: Vec<Action> = Vec::new();
    let mut seen_actions: HashSet<String> = HashSet::new();
    let mut act = |text: String, link: String| {
        if seen_actions.insert(format!("{text}\u{0}{link}")) {
            actions.push(Action { text, link });
        }
    };

    // The mailbox first: while it fails, nothing else in the digest is up to date.
    if let Some(crate::store::Event { at, detail }) = store.mailbox_problem()? {
        act(
            t!(
                "mail-act-mailbox",
                at = DateTime::parse_from_rfc3339(&at)
                    .map(full_time)
                    .unwrap_or(at.clone()),
                detail = detail
            ),
            format!("{}/", config.web.public_url),
        );
    }

    if let Some(crate::store::Event { at, detail }) = store.config_pending()? {
        act(
            t!(
                "mail-act-config",
                at = DateTime::parse_from_rfc3339(&at)
                    .map(full_time)
                    .unwrap_or(at.clone()),
                detail = detail
            ),
            format!("{}/", config.web.public_url),
        );
    }

    for c in campaigns {
        let st = register::status(store, config, c, now)?;
        let counting: HashSet<&str> = st
            .units
            .iter()
            .flat_map(|u| u.items.0.iter())
            .filter_map(|(_, s)| s.as_ref().map(|s| s.message_id.as_str()))
            .collect();
        let mut rows = Vec::new();
        let mut text_rows = Vec::new();
        let mut late = Vec::new();
        let mut partial = Vec::new();
        let mut missing = Vec::new();
        for (n, u) in st.units.iter().enumerate() {
            let cells = cells_of(c, u);
            let short = units
                .iter()
                .find(|x| x.id == u.id)
                .map(|x| x.short_name.clone())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| u.name.clone());
            text_rows.push((short, u.status, cells.iter().map(|(c, _)| *c).collect()));
            rows.push(RowView {
                n: n + 1,
                id: u.id.clone(),
                name: u.name.clone(),
                state: state_word(u.status),
                state_bg: state_bg(u.status),
                cells: cells
                    .into_iter()
                    .map(|(cell, title)| {
                        let (bg, fg) = cell.colours();
                        CellView {
                            mark: cell.text(),
                            title,
                            bg,
                            fg,
                        }
                    })
                    .collect(),
            });
            // Items that came in one mail share one time: "Báo cáo, Biểu số 1 (nhận 31/01 08:05)".
            let mut by_time: Vec<(String, Vec<String>)> = Vec::new();
            for (id, s) in &u.items.0 {
                if let Some(s) = s.as_ref().filter(|s| s.late) {
                    let t = short_time(&s.received_at);
                    match by_time.iter_mut().find(|(x, _)| *x == t) {
                        Some((_, ids)) => ids.push(id.clone()),
                        None => by_time.push((t, vec![id.clone()])),
                    }
                }
            }
            let late_items: Vec<String> = by_time
                .iter()
                .map(|(at, ids)| {
                    t!(
                        "mail-unit-late-item",
                        items = item_names(c, ids),
                        at = at.as_str()
                    )
                })
                .collect();
            if !late_items.is_empty() {
                late.push(UnitLine {
                    id: u.id.clone(),
                    name: u.name.clone(),
                    detail: t!("mail-unit-late", items = late_items.join(", ")),
                });
            }
            match u.status {
                State::Partial => {
                    let mut detail = t!("mail-unit-partial", items = item_names(c, &u.missing));
                    if !u.unreadable.is_empty() {
                        detail.push_str(&t!(
                            "mail-unit-damaged",
                            items = item_names(c, &u.unreadable)
                        ));
                    }
                    if !u.to_check.is_empty() {
                        detail.push_str(&t!(
                            "mail-unit-to-check",
                            items = item_names(c, &u.to_check)
                        ));
                    }
                    partial.push(UnitLine {
                        id: u.id.clone(),
                        name: u.name.clone(),
                        detail,
                    });
                }
                State::Missing => missing.push(UnitLine {
                    id: u.id.clone(),
                    name: u.name.clone(),
                    detail: if !u.to_check.is_empty() {
                        t!(
                            "mail-unit-nothing-readable-check",
                            items = item_names(c, &u.to_check)
                        )
                    } else if u.unreadable.is_empty() {
                        t!("mail-unit-nothing")
                    } else {
                        t!(
                            "mail-unit-nothing-readable-damaged",
                            items = item_names(c, &u.unreadable)
                        )
                    },
                }),
                _ => {}
            }
        }
        // Units the request does not concern, greyed, so the matrix covers the registry.
        for u in units.iter().filter(|u| !c.applies_to(&u.kind)) {
            let (bg, fg) = Cell::NotRequired.colours();
            rows.push(RowView {
                n: rows.len() + 1,
                id: u.id.clone(),
                name: u.name.clone(),
                state: t!("mail-state-not-required"),
                state_bg: bg,
                cells: c
                    .items
                    .iter()
                    .map(|_| CellView {
                        mark: Cell::NotRequired.text(),
                        title: t!("mail-cell-not-required"),
                        bg,
                        fg,
                    })
                    .collect(),
            });
        }

        let mut arrivals = Vec::new();
        for m in messages.iter().filter(|m| {
            m.campaign_id.as_deref() == Some(c.id.as_str())
                && m.duplicate_of.is_none()
                && m.received_ts.is_some_and(|t| {
                    // New to staff: arrived, or was read from the mailbox, after the last
                    // digest (a late poll must not hide mail that arrived earlier).
                    let read = DateTime::parse_from_rfc3339(&m.ingested_at)
                        .map(|i| i.timestamp())
                        .unwrap_or(t);
                    t <= now_ts && since_ts.is_none_or(|s| t > s || read > s)
                })
        }) {
            let mut items: Vec<String> = Vec::new();
            let mut damaged: Vec<String> = Vec::new();
            for a in &m.attachments {
                let list = if a.error.is_none() {
                    &mut items
                } else {
                    &mut damaged
                };
                for i in &a.items {
                    if !list.contains(i) {
                        list.push(i.clone());
                    }
                }
            }
            let unit = match &m.unit_id {
                Some(u) => unit_name(&units, u).to_string(),
                None => t!(
                    "mail-arrival-unknown-unit",
                    from = m
                        .from_addr
                        .clone()
                        .unwrap_or_else(|| t!("mail-unknown-sender"))
                ),
            };
            let resend = st.resends.contains(&m.id);
            arrivals.push(Arrival {
                at: m.received_at.as_deref().map(short_time).unwrap_or_default(),
                unit,
                items: {
                    let mut parts = Vec::new();
                    if !items.is_empty() {
                        parts.push(item_names(c, &items));
                    }
                    if !damaged.is_empty() {
                        parts.push(t!("mail-arrival-damaged", items = item_names(c, &damaged)));
                    }
                    match (parts.is_empty(), resend) {
                        (true, _) => t!("mail-arrival-nothing"),
                        (false, true) => t!("mail-arrival-resend", items = parts.join(", ")),
                        (false, false) => parts.join(", "),
                    }
                },
                subject: m.subject.clone(),
            });
        }

        campaign_actions(
            &config.web.public_url,
            c,
            &st,
            &messages,
            &counting,
            now_ts,
            &mut act,
        );
        rule_actions(store, config, c, now, &mut act);

        let counts = Counts {
            units: st.units.len(),
            on_time: st.count(State::CompleteOnTime),
            late: st.count(State::CompleteLate),
            partial: st.count(State::Partial),
            missing: st.count(State::Missing),
        };
        let left = c.deadline - now;
        let deadline_note = if left > Duration::zero() {
            let days = left.num_hours().div_euclid(24);
            if days == 0 {
                t!("mail-deadline-today")
            } else {
                t!("mail-deadline-days-left", days = days.to_string())
            }
        } else {
            match (-left).num_hours().div_euclid(24) {
                0 => t!("mail-deadline-passed"),
                d => t!("mail-deadline-days-over", days = d.to_string()),
            }
        };
        views.push(CampaignView {
            id: c.id.clone(),
            number: c.number.clone(),
            title: c.title.clone(),
            deadline: full_time(c.deadline.with_timezone(&tz).fixed_offset()),
            deadline_note,
            overdue: left <= Duration::zero(),
            counts,
            items: c
                .items
                .iter()
                .map(|i| ItemHead {
                    id: i.id.clone(),
                    name: i.name.clone(),
                    short: item_short(c, &i.id),
                })
                .collect(),
            rows,
            matrix_text: matrix_text(c, &text_rows),
            arrivals,
            late,
            partial,
            missing,
        });
    }

    general_actions(
        store, config, &units, &messages, campaigns, now_ts, &mut act,
    )?;

    let legend = [
        (Cell::OnTime, t!("mail-legend-on-time")),
        (Cell::Late, t!("mail-legend-late")),
        (Cell::Paper, t!("mail-legend-paper")),
        (Cell::Missing, t!("mail-cell-missing")),
        (Cell::Damaged, t!("mail-legend-damaged")),
        (Cell::Check, t!("mail-legend-check")),
        (Cell::NotRequired, t!("mail-cell-not-required")),
    ]
    .into_iter()
    .map(|(cell, title)| {
        let (bg, fg) = cell.colours();
        CellView {
            mark: cell.text(),
            title,
            bg,
            fg,
        }
    })
    .collect();
    Ok(View {
        office: config.office_name.clone(),
        console: config.web.public_url.clone(),
        now: full_time(now),
        today: now.format("%d/%m/%Y").to_string(),
        since: since.map(|t| full_time(t.with_timezone(&tz).fixed_offset())),
        campaigns: views,
        actions,
        legend,
    })
}

/// What needs a person in one campaign's mail: unknown senders, damaged files, scans to check,
/// forms that do not read cleanly.
fn campaign_actions(
    base: &str,
    c: &Campaign,
    st: &Status,
    messages: &[MessageRow],
    counting: &HashSet<&str>,
    now_ts: i64,
    act: &mut impl FnMut(String, String),
) {
    for u in &st.unidentified {
        act(
            t!(
                "mail-act-unidentified",
                at = u.received_at.as_deref().map(short_time).unwrap_or_default(),
                from = u.from.clone().unwrap_or_else(|| t!("mail-unknown-sender")),
                subject = u.subject.as_str(),
                number = c.number.as_str()
            ),
            messages
                .iter()
                .find(|m| m.message_id == u.message_id)
                .map(|m| format!("{base}/thu/{}", m.id))
                .unwrap_or_else(|| format!("{base}/can-xu-ly")),
        );
    }
    // Form problems are many per file: one line per unit, with the first few.
    let mut form_problems: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for m in messages.iter().filter(|m| {
        m.campaign_id.as_deref() == Some(c.id.as_str())
            && m.duplicate_of.is_none()
            && m.error.is_none()
            && m.received_ts.is_some_and(|t| t <= now_ts)
    }) {
        let Some(unit) = m.unit_id.as_deref() else {
            continue;
        };
        let uname = st
            .unit(unit)
            .map(|u| u.name.as_str())
            .unwrap_or(unit)
            .to_string();
        let ustatus = st.unit(unit);
        for a in &m.attachments {
            if let Some(err) = &a.error {
                // A damaged file whose items have all arrived in good order since is settled.
                let settled = !a.items.is_empty()
                    && a.items.iter().all(|i| {
                        ustatus
                            .is_some_and(|u| u.items.0.iter().any(|(id, s)| id == i && s.is_some()))
                    });
                if !settled {
                    act(
                        t!(
                            "mail-act-file-broken",
                            file = a.name.as_str(),
                            unit = uname.as_str(),
                            error = err.as_str()
                        ),
                        format!("{base}/thu/{}", m.id),
                    );
                }
                continue;
            }
            // Only the version that counts matters: an earlier one was replaced.
            if !counting.contains(m.message_id.as_str()) {
                continue;
            }
            // A stored reading that cannot be read back is already a problem in the unit's
            // status; here there is nothing more to say about it.
            let Ok(Some(reading)) = Reading::stored(a) else {
                continue;
            };
            if reading.scanned {
                act(
                    t!(
                        "mail-act-file-scanned",
                        file = a.name.as_str(),
                        unit = uname.as_str()
                    ),
                    format!("{base}/thu/{}", m.id),
                );
            }
            for p in &reading.problems {
                act(
                    t!(
                        "mail-act-file-problem",
                        file = a.name.as_str(),
                        unit = uname.as_str(),
                        problem = p.as_str()
                    ),
                    format!("{base}/thu/{}", m.id),
                );
            }
            for f in &reading.forms {
                for p in f
                    .problems
                    .iter()
                    .filter(|p| p.kind != crate::forms::FormProblemKind::MissingRow)
                {
                    form_problems
                        .entry(unit.to_string())
                        .or_default()
                        .push(format!("{}: {}", a.name, p.message));
                }
            }
        }
        if counting.contains(m.message_id.as_str()) {
            for p in &m.problems {
                act(
                    t!(
                        "mail-act-mail-problem",
                        unit = uname.as_str(),
                        subject = m.subject.as_str(),
                        problem = p.as_str()
                    ),
                    format!("{base}/thu/{}", m.id),
                );
            }
        }
    }
    for (unit, probs) in form_problems {
        let uname = st.unit(&unit).map(|u| u.name.as_str()).unwrap_or(&unit);
        let shown: Vec<&str> = probs.iter().take(3).map(String::as_str).collect();
        let more = if probs.len() > 3 {
            t!("mail-act-forms-more", count = count(probs.len() - 3))
        } else {
            String::new()
        };
        act(
            t!(
                "mail-act-forms",
                unit = uname,
                count = count(probs.len()),
                shown = shown.join("; "),
                more = more
            ),
            format!("{base}/cong-van/{}/don-vi/{unit}", c.id),
        );
    }
}

/// The campaign's rules (the 20% rule) broken in the reports that count now: the draft can only
/// state them, so staff must ask the unit or decide before the report is signed.
fn rule_actions(
    store: &Store,
    config: &Config,
    c: &Campaign,
    now: DateTime<FixedOffset>,
    act: &mut impl FnMut(String, String),
) {
    if c.figures.is_empty() {
        return;
    }
    let report = match crate::figures::collect(store, config, c, now, None) {
        Ok(r) => r,
        Err(e) => {
            // The digest still goes out: the rest of it does not depend on the figures.
            act(
                t!(
                    "mail-act-figures",
                    number = c.number.as_str(),
                    error = e.to_string()
                ),
                format!("{}/cong-van/{}", config.web.public_url, c.id),
            );
            return;
        }
    };
    for u in &report.units {
        for b in &u.breaches {
            act(
                t!(
                    "mail-act-breach",
                    unit = u.unit.as_str(),
                    breach = b.text.trim_end_matches('.')
                ),
                format!(
                    "{}/cong-van/{}/don-vi/{}",
                    config.web.public_url, c.id, u.unit_id
                ),
            );
        }
    }
}

/// What needs a person outside any one campaign: bounced addresses, mail that did not go out,
/// mail that could not be read, mail from a unit about no known request.
fn general_actions(
    store: &Store,
    config: &Config,
    units: &[Unit],
    messages: &[MessageRow],
    campaigns: &[&Campaign],
    now_ts: i64,
    act: &mut impl FnMut(String, String),
) -> Result<()> {
    let base = config.web.public_url.as_str();
    for m in messages
        .iter()
        .filter(|m| m.flags.contains(&Flag::InternalError))
    {
        act(
            t!(
                "mail-act-internal",
                at = m.received_at.as_deref().map(short_time).unwrap_or_default(),
                from = m
                    .from_addr
                    .clone()
                    .unwrap_or_else(|| t!("mail-unknown-sender"))
            ),
            format!("{base}/thu/{}", m.id),
        );
    }
    for m in messages.iter().filter(|m| {
        m.error.is_some()
            && !m.flags.contains(&Flag::InternalError)
            && m.received_ts.is_some_and(|t| t <= now_ts)
    }) {
        act(
            t!(
                "mail-act-unreadable",
                at = m.received_at.as_deref().map(short_time).unwrap_or_default(),
                error = m.error.as_deref().unwrap_or(""),
                path = store.root().join(&m.archive_path).display().to_string()
            ),
            format!("{base}/thu/{}", m.id),
        );
    }
    for b in store.bad_addresses()?.into_iter().filter(|b| {
        chrono::DateTime::parse_from_rfc3339(&b.at).map_or(true, |t| t.timestamp() <= now_ts)
    }) {
        let owner = units
            .iter()
            .find(|u| u.emails.iter().any(|e| e.eq_ignore_ascii_case(&b.address)))
            .map(|u| t!("mail-act-bounce-owner", unit = u.name.as_str()))
            .unwrap_or_default();
        let csv = config
            .units_file
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "units.csv".into());
        act(
            t!(
                "mail-act-bounce",
                address = b.address.as_str(),
                owner = owner,
                reason = b.reason.trim_end_matches(['.', ' ']),
                csv = csv
            ),
            format!("{base}/can-xu-ly"),
        );
    }
    let outbox = store.outbox_entries(None, None, None)?;
    let failed = outbox
        .iter()
        .filter(|e| e.status == OutboxStatus::Failed)
        .count();
    let uncertain = outbox
        .iter()
        .filter(|e| e.status == OutboxStatus::Uncertain)
        .count();
    if failed + uncertain > 0 {
        let mut parts = Vec::new();
        if failed > 0 {
            parts.push(t!("mail-act-outbox-failed", count = count(failed)));
        }
        if uncertain > 0 {
            parts.push(t!("mail-act-outbox-uncertain", count = count(uncertain)));
        }
        act(parts.join("; "), format!("{base}/hop-thu-di"));
    }
    // A unit's mail that names no known request, from the time the open requests went out.
    let from_ts = campaigns
        .iter()
        .filter_map(|c| {
            c.issued
                .and_hms_opt(0, 0, 0)
                .and_then(|d| d.and_local_timezone(config.timezone).single())
                .map(|d| d.timestamp())
        })
        .min();
    if let Some(from_ts) = from_ts {
        for m in messages.iter().filter(|m| {
            m.campaign_id.is_none()
                && m.error.is_none()
                && m.duplicate_of.is_none()
                && !m
                    .flags
                    .iter()
                    .any(|f| matches!(f, Flag::Bounce | Flag::AutoSubmitted | Flag::ListOrBulk))
                && m.received_ts.is_some_and(|t| t >= from_ts && t <= now_ts)
                && !m
                    .from_addr
                    .as_deref()
                    .is_some_and(|a| config.office_addresses.iter().any(|o| o == a))
        }) {
            let when = m.received_at.as_deref().map(short_time).unwrap_or_default();
            let from = m
                .from_addr
                .clone()
                .unwrap_or_else(|| t!("mail-unknown-sender"));
            match &m.unit_id {
                Some(u) => act(
                    t!(
                        "mail-act-no-campaign",
                        at = when.as_str(),
                        unit = unit_name(units, u),
                        subject = m.subject.as_str()
                    ),
                    format!("{base}/thu/{}", m.id),
                ),
                None => act(
                    t!(
                        "mail-act-unknown-both",
                        at = when.as_str(),
                        from = from.as_str(),
                        subject = m.subject.as_str()
                    ),
                    format!("{base}/thu/{}", m.id),
                ),
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::store::BadAddress;

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).expect("time")
    }

    /// The shipped config and the demo mailbox in a fresh store.
    /// The shipped config and the demo's mail, read "as it arrived" (before every digest these
    /// tests build, so what is new is decided by the arrival times alone).
    fn demo_store(dir: &Path) -> (Config, Store) {
        crate::consolidate::tests::demo(dir)
    }

    /// The lines of the text section headed `head` (up to the next blank line).
    fn section<'a>(text: &'a str, head: &str) -> Vec<&'a str> {
        text.lines()
            .skip_while(|l| !l.starts_with(head))
            .skip(1)
            .take_while(|l| !l.trim().is_empty())
            .collect()
    }

    #[test]
    fn before_the_deadline_it_counts_and_lists_who_still_owes_what() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (config, store) = demo_store(dir.path());
        let t = Templates::load(None).expect("templates");
        let d = build(&store, &config, &t, at("2023-01-28T08:00:00+07:00"), None).expect("digest");
        assert_eq!(
            d.subject, "Tình hình nhận báo cáo 28/01/2023 — 1 việc cần xử lý",
            "{}",
            d.text
        );
        assert!(
            d.text
                .contains("Tổng số 40 đơn vị: 3 đủ và đúng hạn, 0 đủ nhưng nộp muộn, 1 còn thiếu, 36 chưa gửi."),
            "{}",
            d.text
        );
        assert_eq!(
            section(&d.text, "CÒN THIẾU (1)"),
            vec!["  - Đảng ủy xã Lộc An: thiếu Biểu số 1, Biểu số 2, Biểu số 3, Biểu số 4"]
        );
        assert_eq!(section(&d.text, "CHƯA GỬI (36)").len(), 36);
        assert_eq!(section(&d.text, "NỘP MUỘN (0)"), vec!["  (không có)"]);
        // Arrivals up to now only: the four mails before 28/01 08:00.
        assert_eq!(section(&d.text, "THƯ ĐÃ NHẬN (4)").len(), 4);
        // The matrix row of a complete unit, in a monospace layout.
        assert!(
            d.text.lines().any(|l| l
                == "13 Lộc Thành                   ✓        ✓       ✓       ✓       ✓       Đủ, đúng hạn"),
            "{}",
            d.text
        );
        // The only thing for a person: THPT Lộc Thành's first report breaks the 20% rule (its
        // corrected one, sent on 01/02, does not; the digest after that no longer lists it).
        assert_eq!(
            section(&d.text, "CẦN XỬ LÝ (1)"),
            vec![
                "  1. Chi bộ Trường THPT Lộc Thành — Đảng viên năm 2022: 5 HTXSNV so với 18 HTTNV (tối đa 3, tức 20%) — vượt quy định; cần trao đổi lại với đơn vị trước khi tổng hợp",
                "     → http://127.0.0.1:8080/cong-van/809-CV-HU/don-vi/thpt-loc-thanh",
            ]
        );
        // Green for on time, red for missing; no amber before anyone is late.
        assert!(d.html.contains("background:#c6efce;color:#006100"));
        assert!(d.html.contains("background:#ffc7ce;color:#9c0006"));
        assert_eq!(
            d.html.matches("<td bgcolor=\"#ffeb9c\"").count(),
            1,
            "only the 'late' count box is amber"
        );
    }

    #[test]
    fn after_the_deadline_it_shows_new_mail_late_units_and_what_needs_a_person() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (config, mut store) = demo_store(dir.path());
        store
            .add_bad_address(&BadAddress {
                address: "dangUyLocNgai@gmail.com".into(),
                at: "2023-01-27T08:00:05+07:00".into(),
                reason: "5.1.1 The email account that you tried to reach does not exist.".into(),
                message: None,
            })
            .expect("bad");
        store
            .log_event(
                "2023-02-02T07:00:00+07:00",
                crate::store::EventKind::PollFailed,
                "máy chủ từ chối đăng nhập",
            )
            .expect("event");
        let t = Templates::load(None).expect("templates");
        let mail = super::super::compose(
            "vanphong.huyenuy@lamdong.gov.vn",
            &["dangUyLocNgai@gmail.com".to_string()],
            "Nhắc gửi báo cáo",
            "x",
            None,
            &[],
            None,
        )
        .expect("compose");
        let now = at("2023-02-01T08:00:00+07:00");
        super::super::queue(
            &mut store,
            &OutboxKey::Other("reminder:x".into()),
            &mail,
            OutboxMeta::default(),
            now,
        )
        .expect("queue");
        let id = store.outbox_entries(None, None, None).expect("outbox")[0].id;
        store
            .outbox_result(
                id,
                Err(("550 no such user".into(), None)),
                "2023-02-01T08:00:01+07:00",
            )
            .expect("result");
        let d = build(
            &store,
            &config,
            &t,
            at("2023-02-02T08:00:00+07:00"),
            Some(at("2023-01-31T00:00:00+07:00")),
        )
        .expect("digest");
        assert_eq!(
            section(&d.text, "THƯ MỚI TỪ 31/01/2023 00:00 (3)"),
            vec![
                "  - 31/01 07:30  Đảng ủy xã Lộc Bắc: Báo cáo, Biểu số 1, Biểu số 2, Biểu số 3, Biểu số 4 (gửi lại y hệt, không tính)",
                "  - 31/01 08:05  Đảng bộ Quân sự huyện: Báo cáo, Biểu số 1, Biểu số 2, Biểu số 3, Biểu số 4",
                "  - 01/02 10:00  Chi bộ Trường THPT Lộc Thành: Báo cáo",
            ]
        );
        assert_eq!(
            section(&d.text, "NỘP MUỘN (1)"),
            vec![
                "  - Đảng bộ Quân sự huyện: nộp muộn Báo cáo, Biểu số 1, Biểu số 2, Biểu số 3, Biểu số 4 (nhận 31/01 08:05)"
            ]
        );
        let todo = section(&d.text, "CẦN XỬ LÝ (6)");
        assert_eq!(todo.len(), 12, "{}", d.text);
        assert!(
            todo[0].contains("Đọc hộp thư bị lỗi từ 02/02/2023 07:00: máy chủ từ chối đăng nhập")
        );
        assert_eq!(todo[1].trim(), "→ http://127.0.0.1:8080/");
        let text = todo.join("\n");
        // The unknown mail links to its page, where it is assigned: the id is its row number.
        assert!(text.contains("→ http://127.0.0.1:8080/thu/12"), "{text}");
        assert!(
            !d.text.contains("→ baocao") && !d.html.contains("<code"),
            "no commands in staff mail"
        );
        // What needs a person comes first, before the campaigns' tables.
        let first = d.text.find("CẦN XỬ LÝ").expect("actions");
        assert!(
            first < d.text.find("Công văn 809-CV/HU").expect("campaign"),
            "{}",
            d.text
        );
        let (a, c) = (
            d.html.find("id=\"can-xu-ly\""),
            d.html.find("Công văn 809-CV"),
        );
        assert!(a.is_some() && c.is_some() && a < c, "{}", d.html);
        assert!(text.contains("Bieu 2 Loc Nam.xlsx"));
        assert!(
            text.contains("Thư gửi tới danguylocngai@gmail.com (địa chỉ của Đảng ủy xã Lộc Ngãi) bị trả lại: 5.1.1 The email account that you tried to reach does not exist. baocao"),
            "{text}"
        );
        assert!(
            text.contains(
                "1 thư gửi đi bị lỗi, không gửi được\n     → http://127.0.0.1:8080/hop-thu-di"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "rồi đánh dấu địa chỉ dùng lại được\n     → http://127.0.0.1:8080/can-xu-ly"
            ),
            "{text}"
        );
        // Quân sự's report breaks the 20% rule: staff are sent to the unit's page.
        let breach = "Đảng bộ Quân sự huyện — Tổ chức đảng năm 2022: 1 HTXSNV so với 4 HTTNV (tối đa 0, tức 20%) — vượt quy định; cần trao đổi lại với đơn vị trước khi tổng hợp";
        assert_eq!(todo[6], format!("  4. {breach}"), "{text}");
        assert!(!text.contains("THPT Lộc Thành"), "{text}");
        assert_eq!(
            todo[7].trim(),
            "→ http://127.0.0.1:8080/cong-van/809-CV-HU/don-vi/quan-su"
        );
        assert!(d.html.contains(breach), "{}", d.html);
        // MiniJinja writes "/" as "&#x2f;" in HTML; a mail client reads the same address.
        assert!(
            d.html.replace("&#x2f;", "/").contains(
                "<a href=\"http://127.0.0.1:8080/cong-van/809-CV-HU/don-vi/quan-su\" style=\"color:#1f4e79;\">Mở trang để xử lý</a>"
            ),
            "{}",
            d.html
        );
        assert!(d.subject.ends_with("— 6 việc cần xử lý"), "{}", d.subject);
        // Amber now appears in the matrix for the late unit.
        assert!(d.html.contains(
            "background:#ffeb9c;color:#9c5700;border:1px solid #999999;text-align:center"
        ));
    }

    #[test]
    fn a_closed_campaign_leaves_the_digest_a_week_after_consolidation() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (config, _store) = demo_store(dir.path());
        let c = &config.campaigns[0];
        let later = c.consolidation_deadline + Duration::days(7);
        assert_eq!(open_campaigns(&config, later).len(), 1);
        let much_later = later + Duration::hours(1);
        assert!(open_campaigns(&config, much_later).is_empty());
        // Not issued yet: not in the digest either.
        let before = at("2023-01-01T08:00:00+07:00");
        assert!(open_campaigns(&config, before).is_empty());
    }

    #[test]
    fn a_slot_is_queued_once_and_the_next_digest_counts_from_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (config, mut store) = demo_store(dir.path());
        let t = Templates::load(None).expect("templates");
        let first = at("2023-01-30T07:30:00+07:00");
        assert!(queue(&mut store, &config, &t, first, "2023-01-30T07:30").expect("queue"));
        assert!(!queue(&mut store, &config, &t, first, "2023-01-30T07:30").expect("again"));
        let q = store
            .outbox_entries(Some(OutboxKind::Digest), None, None)
            .expect("outbox");
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].key.to_string(), "digest:2023-01-30T07:30");
        assert_eq!(q[0].to, config.digest_recipients);
        assert_eq!(last_digest(&store).expect("last"), Some(first));
        let next = at("2023-01-31T07:30:00+07:00");
        // The second digest lists only what came after the first.
        let since = last_digest(&store).expect("last");
        let d = build(&store, &config, &t, next, since).expect("digest");
        assert!(queue(&mut store, &config, &t, next, "2023-01-31T07:30").expect("queue"));
        assert_eq!(last_digest(&store).expect("last"), Some(next));
        // A recipient whose address bounced is skipped; with none left there is nobody to send to.
        store
            .add_bad_address(&BadAddress {
                address: config.digest_recipients[0].clone(),
                // Before the digest's moment: addresses are bad as of --now.
                at: "2023-01-30T08:00:00+07:00".into(),
                reason: "5.1.1 no such user".into(),
                message: None,
            })
            .expect("bad");
        assert!(matches!(
            queue(&mut store, &config, &t, next, "2023-02-01T07:30"),
            Err(Error::NoRecipients)
        ));
        let new = section(&d.text, "THƯ MỚI TỪ 30/01/2023 07:30 (3)");
        assert_eq!(new.len(), 3, "{}", d.text);
        assert!(new[0].contains("30/01 11:00  Đảng ủy xã Lộc Nam: Biểu số 2 (tệp hỏng)"));
    }
}
