//! What staff read: campaigns, a campaign's matrix, a unit, a message, what needs a person, the
//! outbox, the units registry, the audit log, and the downloads (a message's files from the
//! archive, the drafts). Every id in a link is the one the actions and the command line take:
//! messages by their row number (`baocao messages` shows it as `[id]`), units by their id.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::auth::Staff;
use super::reading;
use super::view::{render, time_text};
use super::{Console, WebError, WebResult};
use crate::config::{Campaign, Config};
use crate::i18n::{count, t};
use crate::register::{self, State as UnitState, Status, UnitStatus};
use crate::store::OutboxStatus;
use crate::store::{MessageFilter, MessageRow, Store};

/// One cell of the matrix as the template shows it.
#[derive(Debug, Clone, Serialize)]
pub struct CellView {
    /// Short mark ("✓", "✓ muộn", "✗"…).
    pub mark: String,
    /// CSS class: tot | muon | thieu | hong.
    pub cls: &'static str,
    /// Detail on hover.
    pub title: String,
}

/// One row of the matrix.
#[derive(Debug, Clone, Serialize)]
pub struct RowView {
    /// Unit id.
    pub id: String,
    /// Unit name.
    pub name: String,
    /// The state in the run's language.
    pub state: String,
    /// CSS class of the state.
    pub cls: &'static str,
    /// Per item.
    pub cells: Vec<CellView>,
    /// How many problems to check.
    pub problems: usize,
    /// Its own deadline, when extended.
    pub extended: Option<String>,
}

fn state_cls(s: UnitState) -> &'static str {
    match s {
        UnitState::CompleteOnTime => "tot",
        UnitState::CompleteLate => "muon",
        UnitState::Partial | UnitState::Missing => "thieu",
    }
}

/// The matrix cells of one unit, in the digest's words and colours.
pub fn cells(u: &UnitStatus, tz: chrono_tz::Tz) -> Vec<CellView> {
    u.items
        .0
        .iter()
        .map(|(id, it)| match it {
            Some(s) if s.source == "paper" => CellView {
                mark: t!("mark-paper"),
                cls: "tot",
                title: t!("web-cell-paper", at = time_text(&s.received_at, tz)),
            },
            Some(s) if s.late => CellView {
                mark: t!("mark-late"),
                cls: "muon",
                title: t!("web-cell-late", at = time_text(&s.received_at, tz)),
            },
            Some(s) => CellView {
                mark: "✓".into(),
                cls: "tot",
                title: t!("web-cell-received", at = time_text(&s.received_at, tz)),
            },
            None if u.unreadable.contains(id) => CellView {
                mark: t!("mark-damaged"),
                cls: "hong",
                title: t!("web-cell-unreadable"),
            },
            // Sent under this form's name but not recognised: staff check it, as in the
            // status table and the digest.
            None if u.to_check.contains(id) => CellView {
                mark: "?".into(),
                cls: "hong",
                title: t!("web-cell-to-check"),
            },
            None => CellView {
                mark: "✗".into(),
                cls: "thieu",
                title: t!("web-cell-missing"),
            },
        })
        .collect()
}

/// Which rows the matrix shows.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MatrixQuery {
    /// thieu (missing something) | muon (late) | kiem-tra (needs checking); empty: all.
    #[serde(default)]
    pub loc: String,
}

/// The matrix rows of `st`, filtered by `loc`.
pub fn matrix_rows(c: &Campaign, st: &Status, loc: &str, tz: chrono_tz::Tz) -> Vec<RowView> {
    let now = chrono::DateTime::parse_from_rfc3339(&st.as_of).ok();
    st.units
        .iter()
        .filter(|u| match loc {
            "thieu" => !u.missing.is_empty(),
            "muon" => {
                u.status == UnitState::CompleteLate
                    || u.items
                        .0
                        .iter()
                        .any(|(_, s)| s.as_ref().is_some_and(|s| s.late))
                    || (!u.missing.is_empty() && now.is_some_and(|n| n > c.deadline_for(&u.id)))
            }
            "kiem-tra" => {
                !u.problems.is_empty() || !u.unreadable.is_empty() || !u.to_check.is_empty()
            }
            _ => true,
        })
        .map(|u| RowView {
            id: u.id.clone(),
            name: u.name.clone(),
            state: u.status.label(),
            cls: state_cls(u.status),
            cells: cells(u, tz),
            problems: u.problems.len(),
            extended: c
                .extensions
                .get(&u.id)
                .map(|d| time_text(&d.to_rfc3339(), tz)),
        })
        .collect()
}

fn campaign<'a>(cfg: &'a Config, id: &str) -> WebResult<&'a Campaign> {
    cfg.campaign(id)
        .ok_or_else(|| WebError::NotFound(t!("web-nf-campaign", id = id)))
}

/// The base context every page gets: who is logged in, the form token, the office.
fn page(staff: &Staff, console: &Console, title: &str) -> minijinja::Value {
    context! {
        user => &staff.name,
        can_edit => staff.role == crate::store::accounts::Role::Sua,
        csrf => &staff.csrf,
        office => &console.base_config().office_name,
        title => title,
    }
}

fn html(s: String) -> Response {
    Html(s).into_response()
}

/// GET /: the campaigns with their counts.
pub async fn home(
    State(console): State<Arc<Console>>,
    Extension(staff): Extension<Staff>,
) -> WebResult<Response> {
    let now = console.now();
    let rows = console
        .blocking(move |s, con| {
            let cfg = s.with_extensions(con.base_config())?;
            let tz = cfg.timezone;
            let mut rows = Vec::new();
            for c in &cfg.campaigns {
                let st = register_status(s, con, &cfg, c, now)?;
                rows.push(context! {
                    id => &c.id,
                    number => &c.number,
                    title => &c.title,
                    deadline => time_text(&c.deadline.to_rfc3339(), tz),
                    units => st.units.len(),
                    on_time => st.count(UnitState::CompleteOnTime),
                    late => st.count(UnitState::CompleteLate),
                    partial => st.count(UnitState::Partial),
                    missing => st.count(UnitState::Missing),
                    unidentified => st.unidentified.len(),
                });
            }
            let cases = attention_cases(s, &cfg, now)?.len();
            Ok((rows, cases, time_text(&now.to_rfc3339(), tz)))
        })
        .await?;
    let base = page(&staff, &console, &t!("web-title-home"));
    Ok(html(render(
        "home.html",
        context! { campaigns => rows.0, cases => rows.1, now => rows.2, ..base },
    )?))
}

/// GET /cong-van/{c}: the units × items matrix.
pub async fn matrix(
    State(console): State<Arc<Console>>,
    Extension(staff): Extension<Staff>,
    Path(cid): Path<String>,
    Query(q): Query<MatrixQuery>,
) -> WebResult<Response> {
    let now = console.now();
    let loc = q.loc.clone();
    let ctx = console
        .blocking(move |s, con| matrix_context(s, con, &cid, &loc, now))
        .await?;
    let base = page(&staff, &console, &t!("web-title-matrix"));
    Ok(html(render("matrix.html", context! { ..base, ..ctx })?))
}

/// What the matrix page shows (also what the benchmark renders).
pub fn matrix_context(
    s: &mut Store,
    con: &Console,
    cid: &str,
    loc: &str,
    now: chrono::DateTime<chrono::FixedOffset>,
) -> WebResult<minijinja::Value> {
    let cfg = s.with_extensions(con.base_config())?;
    let tz = cfg.timezone;
    let c = campaign(&cfg, cid)?;
    let st = register_status(s, con, &cfg, c, now)?;
    let rows = matrix_rows(c, &st, loc, tz);
    let items: Vec<String> = c.items.iter().map(|i| i.name.clone()).collect();
    let drafts = crate::consolidate::drafts::latest(&cfg, &c.id).map(|b| {
        context! {
            built_at => time_text(&b.built_at, tz),
            xlsx => file_name(&b.xlsx),
            docx => file_name(&b.docx),
        }
    });
    Ok(context! {
        c => context! { id => &c.id, number => &c.number, title => &c.title },
        deadline => time_text(&c.deadline.to_rfc3339(), tz),
        as_of => time_text(&now.to_rfc3339(), tz),
        items => items,
        rows => minijinja::Value::from(minijinja::value::Serde(&rows)),
        loc => loc,
        total => st.units.len(),
        on_time => st.count(UnitState::CompleteOnTime),
        late => st.count(UnitState::CompleteLate),
        partial => st.count(UnitState::Partial),
        missing => st.count(UnitState::Missing),
        unidentified => st.unidentified.len(),
        drafts => drafts,
    })
}

/// The register's status of `c`, as `register::status` computes it, from the lean rows of
/// [`Console::register_rows`].
pub fn register_status(
    s: &Store,
    con: &Console,
    cfg: &Config,
    c: &Campaign,
    now: chrono::DateTime<chrono::FixedOffset>,
) -> WebResult<Status> {
    let units = s.units()?;
    let msgs = con.register_rows(s, &c.id)?;
    let marks = s.marks(&c.id)?;
    Ok(register::compute(
        c,
        &units,
        &msgs,
        &marks,
        now,
        cfg.timezone,
    ))
}

fn file_name(p: &std::path::Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Row ids of messages by their Message-ID, for linking the register's items to their pages.
fn ids_by_header(msgs: &[MessageRow]) -> HashMap<&str, i64> {
    msgs.iter().map(|m| (m.message_id.as_str(), m.id)).collect()
}

/// GET /cong-van/{c}/don-vi/{u}: one unit's items, mail, addresses, extension, reminders.
pub async fn unit(
    State(console): State<Arc<Console>>,
    Extension(staff): Extension<Staff>,
    Path((cid, uid)): Path<(String, String)>,
) -> WebResult<Response> {
    let now = console.now();
    let ctx = console
        .blocking(move |s, con| {
            let cfg = s.with_extensions(con.base_config())?;
            let tz = cfg.timezone;
            let c = campaign(&cfg, &cid)?;
            let units = s.units()?;
            let unit = units
                .iter()
                .find(|u| u.id == uid)
                .ok_or_else(|| WebError::NotFound(t!("web-nf-unit", id = uid.as_str())))?;
            let st = register_status(s, con, &cfg, c, now)?;
            let us = st
                .unit(&uid)
                .ok_or_else(|| {
                    WebError::NotFound(t!("web-nf-unit-in-campaign", id = uid.as_str()))
                })?;
            let msgs = s.messages_page(&MessageFilter {
                unit: Some(uid.clone()),
                limit: 500,
                ..MessageFilter::default()
            })?;
            let by_header = ids_by_header(&msgs);
            let cells = cells(us, tz);
            let items: Vec<minijinja::Value> = c
                .items
                .iter()
                .zip(us.items.0.iter())
                .zip(cells)
                .map(|((item, (_, it)), cell)| {
                    context! {
                        id => &item.id,
                        name => &item.name,
                        mark => &cell.mark,
                        cls => cell.cls,
                        detail => &cell.title,
                        file => it.as_ref().and_then(|s| s.source_file.clone()),
                        versions => it.as_ref().map(|s| s.versions),
                        message => it.as_ref().and_then(|s| by_header.get(s.message_id.as_str()).copied()),
                    }
                })
                .collect();
            let bad: Vec<String> = s
                .bad_addresses_at(now)?
                .into_iter()
                .map(|b| b.address)
                .collect();
            let emails: Vec<minijinja::Value> = unit
                .emails
                .iter()
                .map(|e| context! { address => e, bad => bad.contains(&e.to_lowercase()) })
                .collect();
            let own_deadline = c.deadline_for(&uid);
            let next_reminder = if us.missing.is_empty() {
                None
            } else {
                crate::schedule::reminder_slots(c, own_deadline, tz, &cfg.holidays)
                    .into_iter()
                    .find(|sl| sl.at > now)
                    .map(|sl| time_text(&sl.at.to_rfc3339(), tz))
            };
            let sent: Vec<minijinja::Value> = s
                .outbox_entries(None, Some(&c.id), Some(&uid))?
                .into_iter()
                .rev()
                .map(|e| {
                    context! {
                        kind => e.meta.kind.label(),
                        at => time_text(e.sent_at.as_deref().unwrap_or(&e.created_at), tz),
                        status => e.status.label(),
                        to => e.to.join(", "),
                    }
                })
                .collect();
            let mail: Vec<minijinja::Value> = msgs
                .iter()
                .rev()
                .map(|m| message_line(m, tz))
                .collect();
            // What was read from the files that count now, item by item, each file once.
            let versions = register::item_versions(&c.id, &msgs, now.timestamp());
            let mut seen: Vec<(i64, &str)> = Vec::new();
            let mut read = Vec::new();
            for it in &c.items {
                let Some(v) = versions.current(&uid, &it.id) else {
                    continue;
                };
                for a in &v.files {
                    if seen.contains(&(v.msg.id, a.sha256.as_str())) {
                        continue;
                    }
                    seen.push((v.msg.id, a.sha256.as_str()));
                    if let Some(r) = reading::file_reading(a, Some(c)) {
                        read.push(context! {
                            name => &a.name,
                            path => &a.path,
                            message => v.msg.id,
                            idx => v.msg.attachments.iter().position(|x| std::ptr::eq(x, *a)),
                            reading => r,
                        });
                    }
                }
            }
            // The figures of the report that counts now (as `figures::collect` finds it), as
            // stored when it was read.
            let figures = if c.figures.is_empty() {
                None
            } else {
                c.items
                    .iter()
                    .filter(|it| it.kind == crate::config::ItemKind::Report)
                    .filter_map(|it| versions.current(&uid, &it.id))
                    .find_map(|v| {
                        let a = v.files.iter().rev().find(|a| a.error.is_none())?;
                        Some(crate::figures::read_file(
                            s,
                            &cfg,
                            c,
                            &uid,
                            &unit.name,
                            &v.msg.sha256,
                            &a.path,
                        ))
                    })
                    .map(|uf| reading::figures_table(&uf, &c.figures))
            };
            Ok(context! {
                read => read,
                figures => figures,
                c => context! { id => &c.id, number => &c.number },
                unit => context! { id => &unit.id, name => &unit.name, emails => emails },
                state => us.status.label(),
                state_cls => state_cls(us.status),
                items => items,
                problems => &us.problems,
                deadline => time_text(&own_deadline.to_rfc3339(), tz),
                // A week past what applies now: the form is filled with a date a clerk can grant
                // as it is, never one the server would refuse.
                extend_to => (own_deadline.max(now) + chrono::Duration::days(7))
                    .with_timezone(&tz)
                    .format("%Y-%m-%d")
                    .to_string(),
                extended => c.extensions.contains_key(&uid),
                next_reminder => next_reminder,
                missing => us.missing.len(),
                sent => sent,
                mail => mail,
            })
        })
        .await?;
    let base = page(&staff, &console, &t!("web-title-unit"));
    Ok(html(render("unit.html", context! { ..base, ..ctx })?))
}

fn message_line(m: &MessageRow, tz: chrono_tz::Tz) -> minijinja::Value {
    context! {
        id => &m.id,
        at => m.received_at.as_deref().map(|t| time_text(t, tz)).unwrap_or_default(),
        from => m.from_addr.clone().unwrap_or_default(),
        subject => &m.subject,
        files => m.attachments.len(),
        unit => &m.unit_id,
        campaign => &m.campaign_id,
    }
}

/// How a unit or campaign was recognised, in words.
pub fn how(by: Option<&str>) -> String {
    match by {
        Some(by) => crate::recognise::by_words(by).unwrap_or_else(|| t!("web-by-other")),
        None => t!("web-by-none"),
    }
}

/// GET /thu/{id}: one message: headers, recognition, files, problems, and its fixes.
pub async fn message(
    State(console): State<Arc<Console>>,
    Extension(staff): Extension<Staff>,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    let ctx = console
        .blocking(move |s, con| {
            let cfg = con.base_config();
            let tz = cfg.timezone;
            let m = s
                .message(id)?
                .ok_or_else(|| WebError::NotFound(t!("web-nf-message", id = id)))?;
            let units = s.units()?;
            let unit_name = m
                .unit_id
                .as_deref()
                .and_then(|u| units.iter().find(|x| x.id == u))
                .map(|u| u.name.clone());
            let campaign = m.campaign_id.as_deref().and_then(|c| cfg.campaign(c));
            let files: Vec<minijinja::Value> = m
                .attachments
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    let items: Vec<String> = a
                        .items
                        .iter()
                        .map(|it| {
                            campaign
                                .and_then(|c| c.item(it))
                                .map(|x| x.name.clone())
                                .unwrap_or_else(|| it.clone())
                        })
                        .collect();
                    // Figures are read again from the archive: only for a report that opened.
                    let figures = campaign
                        .filter(|c| {
                            !c.figures.is_empty() && a.error.is_none() && reading::is_report(a, c)
                        })
                        .map(|c| {
                            let uf = crate::figures::read_file(
                                s,
                                cfg,
                                c,
                                m.unit_id.as_deref().unwrap_or_default(),
                                unit_name.as_deref().unwrap_or_default(),
                                &m.sha256,
                                &a.path,
                            );
                            reading::figures_table(&uf, &c.figures)
                        });
                    context! {
                        idx => i,
                        name => &a.name,
                        path => &a.path,
                        reading => reading::file_reading(a, campaign),
                        figures => figures,
                        kind => &a.kind,
                        size => &a.size,
                        items => items,
                        by_staff => a.item_by.as_deref() == Some("staff"),
                        error => &a.error,
                    }
                })
                .collect();
            let unit_opts: Vec<minijinja::Value> = units
                .iter()
                .map(|u| context! { id => &u.id, name => &u.name })
                .collect();
            let camp_opts: Vec<minijinja::Value> = cfg
                .campaigns
                .iter()
                .map(|c| context! { id => &c.id, number => &c.number })
                .collect();
            Ok(context! {
                m => context! {
                    id => &m.id,
                    message_id => &m.message_id,
                    from => &m.from_addr,
                    from_name => &m.from_name,
                    subject => &m.subject,
                    body => &m.body_excerpt,
                    received_at => m.received_at.as_deref().map(|t| time_text(t, tz)),
                    date_header => &m.date_header,
                    unit => &m.unit_id,
                    campaign => &m.campaign_id,
                    error => &m.error,
                    problems => &m.problems,
                    duplicate_of => &m.duplicate_of,
                    quarantined => m.reading == crate::store::ReadingState::Quarantined,
                },
                unit_name => unit_name,
                unit_how => how(m.identified_by.as_deref()),
                campaign_number => campaign.map(|c| c.number.clone()),
                campaign_how => how(m.campaign_by.as_deref()),
                files => files,
                units => unit_opts,
                campaigns => camp_opts,
            })
        })
        .await?;
    let base = page(&staff, &console, &t!("web-title-message"));
    Ok(html(render("message.html", context! { ..base, ..ctx })?))
}

/// A file to download, with a name every browser keeps (RFC 6266 / 5987).
fn download(name: &str, bytes: Vec<u8>) -> Response {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// GET /thu/{id}/tep/{idx}: an attached file as the unit sent it, read back from the raw
/// archive (never from a path taken from the request).
pub async fn attachment(
    State(console): State<Arc<Console>>,
    Path((id, idx)): Path<(i64, usize)>,
) -> WebResult<Response> {
    let (name, bytes) = console
        .blocking(move |s, con| {
            let m = s
                .message(id)?
                .ok_or_else(|| WebError::NotFound(t!("web-nf-message", id = id)))?;
            let a = m
                .attachments
                .get(idx)
                .ok_or_else(|| WebError::NotFound(t!("web-nf-file", idx = idx, id = id)))?;
            let raw = s.archive().read(&m.sha256)?;
            let parsed = crate::message::parse(&raw, &con.base_config().limits)
                .map_err(|e| WebError::Internal(t!("web-err-raw-read", detail = e.to_string())))?;
            let part = parsed
                .all_parts()
                .into_iter()
                .find(|p| crate::store::sha256_hex(&p.bytes) == a.sha256)
                .ok_or_else(|| WebError::NotFound(t!("web-nf-part", file = a.name.as_str())))?;
            let name = crate::message::safe_name(&a.name, &format!("tep-{}", idx + 1));
            Ok((name, part.bytes.clone()))
        })
        .await?;
    Ok(download(&name, bytes))
}

/// GET /cong-van/{c}/du-thao/{file}: the latest draft workbook or report. Only the two file
/// names of the latest build are served; nothing else under the data folder is reachable.
pub async fn draft_file(
    State(console): State<Arc<Console>>,
    Path((cid, file)): Path<(String, String)>,
) -> WebResult<Response> {
    let bytes = console
        .blocking(move |_, con| {
            let cfg = con.base_config();
            let c = campaign(cfg, &cid)?;
            let built = crate::consolidate::drafts::latest(cfg, &c.id)
                .ok_or_else(|| WebError::NotFound(t!("web-nf-drafts")))?;
            let path = [&built.xlsx, &built.docx]
                .into_iter()
                .find(|p| file_name(p) == file)
                .ok_or_else(|| WebError::NotFound(t!("web-nf-draft-file", file = file.as_str())))?;
            let bytes = std::fs::read(path).map_err(|e| {
                WebError::Internal(t!("web-err-draft-read", detail = e.to_string()))
            })?;
            Ok((file, bytes))
        })
        .await?;
    Ok(download(&bytes.0, bytes.1))
}

/// One case of what needs a person (/can-xu-ly).
#[derive(Debug, Clone, Serialize)]
pub struct Case {
    /// unidentified | file | quarantined | unreadable | address | outbox.
    pub kind: &'static str,
    /// What is wrong, in words.
    pub text: String,
    /// The message row id concerned.
    pub message: Option<i64>,
    /// The attachment index concerned.
    pub file: Option<usize>,
    /// The address concerned.
    pub address: Option<String>,
    /// Where to look further.
    pub link: Option<String>,
}

/// What needs a person, most pressing first: mail of unknown units or campaigns, files that
/// could not be read, mail that could not be read at all, bounced addresses, failed mail.
pub fn attention_cases(
    s: &Store,
    cfg: &Config,
    now: chrono::DateTime<chrono::FixedOffset>,
) -> WebResult<Vec<Case>> {
    let tz = cfg.timezone;
    let mut out = Vec::new();
    // The daemon's own state first: while the mailbox fails or the configuration on disk is
    // not the one running, nothing below is the whole truth.
    let notice = |kind, text: String| Case {
        kind,
        text,
        message: None,
        file: None,
        address: None,
        link: None,
    };
    if let Some(crate::store::Event { at, detail }) = s.mailbox_problem()? {
        out.push(notice(
            "mailbox",
            t!("web-case-mailbox", at = time_text(&at, tz), detail = detail),
        ));
    }
    if let Some(crate::store::Event { at, detail }) = s.config_pending()? {
        out.push(notice(
            "config",
            t!("web-case-config", at = time_text(&at, tz), detail = detail),
        ));
    }
    for m in s.messages_needing_attention()? {
        let when = m
            .received_at
            .as_deref()
            .map(|t| time_text(t, tz))
            .unwrap_or_default();
        let from = m
            .from_addr
            .clone()
            .unwrap_or_else(|| t!("web-case-unknown-sender"));
        if m.error.is_some() || m.reading == crate::store::ReadingState::Quarantined {
            out.push(Case {
                kind: "unreadable",
                text: t!(
                    "web-case-unreadable",
                    when = when.as_str(),
                    from = from.as_str(),
                    subject = m.subject.as_str(),
                    error = m
                        .error
                        .clone()
                        .unwrap_or_else(|| t!("web-case-quarantined"))
                ),
                message: Some(m.id),
                file: None,
                address: None,
                link: Some(format!("/thu/{}", m.id)),
            });
            continue;
        }
        if m.unit_id.is_none() || m.campaign_id.is_none() {
            let what = match (&m.unit_id, &m.campaign_id) {
                (None, None) => t!("web-case-no-unit-no-campaign"),
                (None, Some(_)) => t!("web-case-no-unit"),
                _ => t!("web-case-no-campaign"),
            };
            out.push(Case {
                kind: "unidentified",
                text: t!(
                    "web-case-unidentified",
                    when = when.as_str(),
                    from = from.as_str(),
                    subject = m.subject.as_str(),
                    what = what
                ),
                message: Some(m.id),
                file: None,
                address: None,
                link: Some(format!("/thu/{}", m.id)),
            });
        }
        for (i, a) in m.attachments.iter().enumerate() {
            if let Some(err) = &a.error
                && a.item_by.as_deref() != Some("staff")
            {
                out.push(Case {
                    kind: "file",
                    text: t!(
                        "web-case-file",
                        file = a.name.as_str(),
                        when = when.as_str(),
                        from = from.as_str(),
                        error = err.as_str()
                    ),
                    message: Some(m.id),
                    file: Some(i),
                    address: None,
                    link: Some(format!("/thu/{}", m.id)),
                });
            }
        }
    }
    let units = s.units()?;
    for b in s.bad_addresses_at(now)? {
        let owner = units
            .iter()
            .find(|u| u.emails.iter().any(|e| e.eq_ignore_ascii_case(&b.address)))
            .map(|u| format!(" ({})", u.name))
            .unwrap_or_default();
        out.push(Case {
            kind: "address",
            text: t!(
                "web-case-bounced",
                address = b.address.as_str(),
                owner = owner,
                reason = b.reason.as_str()
            ),
            message: None,
            file: None,
            address: Some(b.address.clone()),
            link: None,
        });
    }
    let failed = s
        .outbox_entries(None, None, None)?
        .into_iter()
        .filter(|e| matches!(e.status, OutboxStatus::Failed | OutboxStatus::Uncertain))
        .count();
    if failed > 0 {
        out.push(Case {
            kind: "outbox",
            text: t!("web-case-outbox", count = count(failed)),
            message: None,
            file: None,
            address: None,
            link: Some("/hop-thu-di".into()),
        });
    }
    Ok(out)
}

/// GET /can-xu-ly: every case with its fix at hand.
pub async fn attention(
    State(console): State<Arc<Console>>,
    Extension(staff): Extension<Staff>,
) -> WebResult<Response> {
    let now = console.now();
    let ctx = console
        .blocking(move |s, con| {
            let cfg = con.base_config();
            let cases = attention_cases(s, cfg, now)?;
            let units: Vec<minijinja::Value> = s
                .units()?
                .iter()
                .map(|u| context! { id => &u.id, name => &u.name })
                .collect();
            let camps: Vec<minijinja::Value> = cfg
                .campaigns
                .iter()
                .map(|c| context! { id => &c.id, number => &c.number })
                .collect();
            Ok(context! { cases => minijinja::Value::from(minijinja::value::Serde(&cases)), units => units, campaigns => camps })
        })
        .await?;
    let base = page(&staff, &console, &t!("web-nav-attention"));
    Ok(html(render("attention.html", context! { ..base, ..ctx })?))
}

/// GET /hop-thu-di: the newest outgoing mail.
pub async fn outbox(
    State(console): State<Arc<Console>>,
    Extension(staff): Extension<Staff>,
) -> WebResult<Response> {
    let rows = console
        .blocking(move |s, con| {
            let tz = con.base_config().timezone;
            Ok(s.outbox_entries(None, None, None)?
                .into_iter()
                .rev()
                .take(300)
                .map(|e| {
                    context! {
                        id => &e.id,
                        kind => e.meta.kind.label(),
                        created => time_text(&e.created_at, tz),
                        sent => e.sent_at.as_deref().map(|t| time_text(t, tz)),
                        status => e.status.label(),
                        failed => matches!(e.status, OutboxStatus::Failed | OutboxStatus::Uncertain),
                        to => e.to.join(", "),
                        subject => decode_subject(&e.subject),
                        error => &e.last_error,
                        unit => e.meta.unit_id,
                        campaign => e.meta.campaign_id,
                    }
                })
                .collect::<Vec<_>>())
        })
        .await?;
    let base = page(&staff, &console, &t!("web-title-outbox"));
    Ok(html(render(
        "outbox.html",
        context! { rows => rows, ..base },
    )?))
}

/// The subject as stored in the outbox is the encoded header; staff read it decoded.
fn decode_subject(s: &str) -> String {
    let raw = format!("Subject: {s}\r\n\r\n");
    mail_parser::MessageParser::default()
        .parse(raw.as_bytes())
        .and_then(|m| m.subject().map(str::to_string))
        .unwrap_or_else(|| s.to_string())
}

/// GET /don-vi: the units registry.
pub async fn units(
    State(console): State<Arc<Console>>,
    Extension(staff): Extension<Staff>,
) -> WebResult<Response> {
    let rows = console
        .blocking(move |s, _| {
            Ok(s.units()?
                .into_iter()
                .map(|u| {
                    context! {
                        id => &u.id,
                        name => &u.name,
                        short_name => &u.short_name,
                        emails => u.emails.join("; "),
                        kind => &u.kind,
                    }
                })
                .collect::<Vec<_>>())
        })
        .await?;
    let base = page(&staff, &console, &t!("web-units-heading"));
    Ok(html(render(
        "units.html",
        context! { rows => rows, ..base },
    )?))
}

/// GET /don-vi.csv: the registry in the CSV the import takes (UTF-8 with BOM, so Excel
/// opens the Vietnamese names right).
pub async fn units_csv(State(console): State<Arc<Console>>) -> WebResult<Response> {
    let bytes = console
        .blocking(move |s, _| {
            let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
            let e = |e: csv::Error| WebError::Internal(e.to_string());
            w.write_record(["id", "name", "short_name", "emails", "kind", "aliases"])
                .map_err(e)?;
            for u in s.units()? {
                w.write_record([
                    u.id,
                    u.name,
                    u.short_name,
                    u.emails.join(";"),
                    u.kind,
                    u.aliases.join(";"),
                ])
                .map_err(e)?;
            }
            w.into_inner()
                .map_err(|e| WebError::Internal(e.to_string()))
        })
        .await?;
    Ok(download("don-vi.csv", bytes))
}

/// GET /nhat-ky: the audit log.
pub async fn audit(
    State(console): State<Arc<Console>>,
    Extension(staff): Extension<Staff>,
) -> WebResult<Response> {
    let rows = console
        .blocking(move |s, con| {
            let tz = con.base_config().timezone;
            Ok(s.audit_log(500)?
                .into_iter()
                .map(|a| {
                    context! {
                        at => time_text(&a.at, tz),
                        who => &a.who,
                        what => &a.what,
                        target => &a.target,
                        before => &a.before,
                        after => &a.after,
                    }
                })
                .collect::<Vec<_>>())
        })
        .await?;
    let base = page(&staff, &console, &t!("web-audit-heading"));
    Ok(html(render(
        "audit.html",
        context! { rows => rows, ..base },
    )?))
}

#[cfg(test)]
mod tests {
    use super::cells;
    use crate::register::{Items, State, UnitStatus};

    #[test]
    fn a_form_to_check_shows_as_a_question_mark_not_as_missing() {
        let u = UnitStatus {
            id: "loc-an".into(),
            name: "Đảng ủy xã Lộc An".into(),
            status: State::Missing,
            items: Items(vec![("report".into(), None), ("bieu2".into(), None)]),
            missing: vec!["report".into(), "bieu2".into()],
            unreadable: Vec::new(),
            to_check: vec!["bieu2".into()],
            problems: Vec::new(),
        };
        let shown = cells(&u, chrono_tz::Asia::Ho_Chi_Minh);
        let marks: Vec<&str> = shown.iter().map(|c| c.mark.as_str()).collect();
        assert_eq!(marks, ["✗", "?"]);
    }

    #[test]
    fn a_failing_mailbox_and_a_changed_configuration_come_first_and_go_when_resolved() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut s = crate::store::Store::open(dir.path()).expect("open");
        let cfg = crate::testkit::config("");
        let now = crate::testkit::at("2023-01-30 09:00");
        let texts = |s: &crate::store::Store| -> Vec<(&'static str, String)> {
            super::attention_cases(s, &cfg, now)
                .expect("cases")
                .into_iter()
                .map(|c| (c.kind, c.text))
                .collect()
        };
        assert!(texts(&s).is_empty());
        s.log_event(
            "2023-01-30T08:00:00+07:00",
            crate::store::EventKind::PollFailed,
            "máy chủ thư từ chối mật khẩu",
        )
        .expect("event");
        s.log_event(
            "2023-01-30T08:05:00+07:00",
            crate::store::EventKind::ConfigChanged,
            "tệp cấu hình đã sửa (baocao.toml)",
        )
        .expect("event");
        let cases = texts(&s);
        assert_eq!(cases.len(), 2, "{cases:?}");
        assert_eq!(cases[0].0, "mailbox");
        assert!(
            cases[0].1.contains("máy chủ thư từ chối mật khẩu"),
            "{cases:?}"
        );
        assert_eq!(cases[1].0, "config");
        assert!(cases[1].1.contains("30/01/2023 08:05"), "{cases:?}");
        assert!(
            cases[1]
                .1
                .contains("Người quản trị máy chủ cần khởi động lại dịch vụ baocao"),
            "{cases:?}"
        );
        // A poll that works again and a restart clear both.
        s.log_event(
            "2023-01-30T08:10:00+07:00",
            crate::store::EventKind::PollRecovered,
            "",
        )
        .expect("event");
        s.log_event(
            "2023-01-30T08:11:00+07:00",
            crate::store::EventKind::DaemonStarted,
            "",
        )
        .expect("event");
        assert!(texts(&s).is_empty(), "{:?}", texts(&s));
    }
}
