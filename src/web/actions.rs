//! The one-click fixes. Each goes through the same store calls as the command line
//! (`Store::assign`, `Store::mark`, `Store::remove_bad_address`, the outbox of `notify`, the
//! drafts of `consolidate`) and leaves a line in the audit log: who, when, what, before, after.
//! The guard has already checked the session, the CSRF token and the role.

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{NaiveDate, NaiveTime, TimeZone};
use serde::Deserialize;

use super::auth::Staff;
use super::view::time_text;
use super::{Console, WebError, WebResult};
use crate::config::{Campaign, Config};
use crate::i18n::{count, t};
use crate::notify::remind::{self, Occasion};
use crate::recognise::classify;
use crate::store::accounts::Grant;
use crate::store::{Mark, Store};

fn back(to: String) -> Response {
    Redirect::to(&to).into_response()
}

fn campaign<'a>(cfg: &'a Config, id: &str) -> WebResult<&'a Campaign> {
    cfg.campaign(id)
        .ok_or_else(|| WebError::NotFound(t!("web-nf-campaign", id = id)))
}

fn unit_exists(s: &Store, id: &str) -> WebResult<String> {
    s.units()?
        .into_iter()
        .find(|u| u.id == id)
        .map(|u| u.name)
        .ok_or_else(|| WebError::BadRequest(t!("web-err-no-unit", id = id)))
}

/// The assign form.
#[derive(Debug, Deserialize)]
pub struct AssignForm {
    /// Unit id.
    pub unit: String,
    /// Campaign id (empty: keep the message's, or the one whose deadline is nearest).
    #[serde(default)]
    pub campaign: String,
}

/// POST /thu/{id}/gan: this message is from that unit (and answers that campaign), as
/// `baocao assign ID UNIT --campaign C` does.
pub async fn assign(
    State(console): State<Arc<Console>>,
    Extension(staff): Extension<Staff>,
    Path(id): Path<i64>,
    Form(f): Form<AssignForm>,
) -> WebResult<Response> {
    let now = console.now();
    console
        .blocking(move |s, con| {
            let cfg = con.base_config();
            let m = s
                .message(id)?
                .ok_or_else(|| WebError::NotFound(t!("web-nf-message", id = id)))?;
            let name = unit_exists(s, &f.unit)?;
            let cid = if !f.campaign.is_empty() {
                Some(campaign(cfg, &f.campaign)?.id.clone())
            } else if m.campaign_id.is_none() {
                cfg.campaigns
                    .iter()
                    .min_by_key(|c| (c.deadline - now).num_seconds().abs())
                    .map(|c| c.id.clone())
            } else {
                None
            };
            let at = now.to_rfc3339();
            let unknown = t!("web-unknown");
            let before = t!(
                "web-audit-unit-and-campaign",
                unit = m.unit_id.as_deref().unwrap_or(&unknown),
                campaign = m.campaign_id.as_deref().unwrap_or(&unknown)
            );
            s.assign(id, &f.unit, cid.as_deref(), &at)?;
            // Files left unclassified while the campaign was unknown get the name-based pass
            // the command line gives them.
            if let Some(c) = cid.as_deref().and_then(|c| cfg.campaign(c)) {
                for (i, a) in m.attachments.iter().enumerate() {
                    if a.items.is_empty() {
                        let items = classify(&a.name, c);
                        if !items.is_empty() {
                            s.set_attachment_items(id, i, &items)?;
                        }
                    }
                }
            }
            let after = t!(
                "web-audit-unit-and-campaign",
                unit = format!("{} ({name})", f.unit),
                campaign = cid
                    .as_deref()
                    .or(m.campaign_id.as_deref())
                    .unwrap_or(&unknown)
            );
            s.audit(
                &at,
                &staff.name,
                &t!("web-audit-assign"),
                &t!(
                    "web-audit-message-subject",
                    id = id,
                    subject = m.subject.as_str()
                ),
                Some(&before),
                Some(&after),
            )?;
            Ok(())
        })
        .await?;
    Ok(back(format!("/thu/{id}")))
}

/// The file decision form.
#[derive(Debug, Deserialize)]
pub struct FileForm {
    /// nhan (accept: it counts) | bo (reject: it does not).
    pub decision: String,
    /// Item id it is (accept; empty: from its name).
    #[serde(default)]
    pub item: String,
}

/// POST /thu/{id}/tep/{idx}/quyet-dinh: accept a file that could not be read (staff opened
/// it and it is fine: it counts as the item) or reject it (it stays listed, but no longer asks
/// for attention).
pub async fn decide_file(
    State(console): State<Arc<Console>>,
    Extension(staff): Extension<Staff>,
    Path((id, idx)): Path<(i64, usize)>,
    Form(f): Form<FileForm>,
) -> WebResult<Response> {
    let now = console.now();
    console
        .blocking(move |s, con| {
            let cfg = con.base_config();
            let m = s
                .message(id)?
                .ok_or_else(|| WebError::NotFound(t!("web-nf-message", id = id)))?;
            let a = m
                .attachments
                .get(idx)
                .ok_or_else(|| WebError::NotFound(t!("web-nf-file", idx = idx, id = id)))?;
            let c = m.campaign_id.as_deref().and_then(|c| cfg.campaign(c));
            let items: Vec<String> = match f.decision.as_str() {
                "nhan" => {
                    let items = if f.item.is_empty() {
                        let mut v = a.items.clone();
                        if v.is_empty()
                            && let Some(c) = c
                        {
                            v = classify(&a.name, c);
                        }
                        v
                    } else {
                        vec![f.item.clone()]
                    };
                    if let Some(bad) = items
                        .iter()
                        .find(|i| c.is_some_and(|c| c.item(i).is_none()))
                    {
                        return Err(WebError::BadRequest(t!(
                            "web-err-no-item",
                            item = bad.as_str()
                        )));
                    }
                    if items.is_empty() {
                        return Err(WebError::BadRequest(t!("web-err-choose-item")));
                    }
                    items
                }
                "bo" => Vec::new(),
                _ => return Err(WebError::BadRequest(t!("web-err-choose-decision"))),
            };
            s.set_attachment_items(id, idx, &items)?;
            let (what, after) = if items.is_empty() {
                (t!("web-audit-reject"), t!("web-audit-not-counted"))
            } else {
                (
                    t!("web-audit-accept"),
                    t!("web-audit-counted-as", items = items.join(", ")),
                )
            };
            s.audit(
                &now.to_rfc3339(),
                &staff.name,
                &what,
                &t!("web-audit-file", file = a.name.as_str(), id = id),
                Some(&t!(
                    "web-audit-error",
                    error = a.error.as_deref().unwrap_or("-")
                )),
                Some(&after),
            )?;
            Ok(())
        })
        .await?;
    Ok(back(format!("/thu/{id}")))
}

/// The extension form.
#[derive(Debug, Deserialize)]
pub struct ExtendForm {
    /// The new deadline's day (YYYY-MM-DD, what a date input sends).
    pub date: String,
    /// Its time (HH:MM; default 17:00, the end of the office day).
    #[serde(default)]
    pub time: String,
}

/// POST /cong-van/{c}/don-vi/{u}/gia-han: grant the unit its own deadline (gia hạn). It
/// applies everywhere the campaign's deadline does: the register (late or not), the reminder
/// plan, the matrix, the digest.
pub async fn extend(
    State(console): State<Arc<Console>>,
    Extension(staff): Extension<Staff>,
    Path((cid, uid)): Path<(String, String)>,
    Form(f): Form<ExtendForm>,
) -> WebResult<Response> {
    let now = console.now();
    let (c2, u2) = (cid.clone(), uid.clone());
    console
        .blocking(move |s, con| {
            let cfg = s.with_extensions(con.base_config())?;
            let tz = cfg.timezone;
            let c = campaign(&cfg, &cid)?;
            let name = unit_exists(s, &uid)?;
            let day = NaiveDate::parse_from_str(f.date.trim(), "%Y-%m-%d").map_err(|_| {
                WebError::BadRequest(t!("web-err-not-a-date", value = f.date.as_str()))
            })?;
            let time = if f.time.trim().is_empty() {
                NaiveTime::from_hms_opt(17, 0, 0).unwrap_or_default()
            } else {
                NaiveTime::parse_from_str(f.time.trim(), "%H:%M").map_err(|_| {
                    WebError::BadRequest(t!("web-err-not-a-time", value = f.time.as_str()))
                })?
            };
            let until = tz
                .from_local_datetime(&day.and_time(time))
                .earliest()
                .ok_or_else(|| WebError::BadRequest(t!("web-err-no-such-moment")))?
                .fixed_offset();
            if until < c.deadline {
                return Err(WebError::BadRequest(t!(
                    "web-err-before-deadline",
                    deadline = time_text(&c.deadline.to_rfc3339(), tz)
                )));
            }
            let before = time_text(&c.deadline_for(&uid).to_rfc3339(), tz);
            let at = now.to_rfc3339();
            s.grant_extension(&Grant {
                campaign_id: c.id.clone(),
                unit_id: uid.clone(),
                until,
                granted_by: staff.name.clone(),
                granted_at: at.clone(),
            })?;
            s.audit(
                &at,
                &staff.name,
                &t!("web-audit-extend"),
                &t!(
                    "web-audit-unit-campaign",
                    unit = name.as_str(),
                    number = c.number.as_str()
                ),
                Some(&t!("web-audit-deadline", at = before)),
                Some(&t!(
                    "web-audit-deadline",
                    at = time_text(&until.to_rfc3339(), tz)
                )),
            )?;
            Ok(())
        })
        .await?;
    Ok(back(format!("/cong-van/{c2}/don-vi/{u2}")))
}

/// The paper hand-in form.
#[derive(Debug, Deserialize)]
pub struct PaperForm {
    /// Item id.
    pub item: String,
    /// A note kept with it.
    #[serde(default)]
    pub note: String,
}

/// POST /cong-van/{c}/don-vi/{u}/nop-giay: the unit handed the item in on paper (now), as
/// `baocao mark UNIT ITEM` records it.
pub async fn paper(
    State(console): State<Arc<Console>>,
    Extension(staff): Extension<Staff>,
    Path((cid, uid)): Path<(String, String)>,
    Form(f): Form<PaperForm>,
) -> WebResult<Response> {
    let now = console.now();
    let (c2, u2) = (cid.clone(), uid.clone());
    console
        .blocking(move |s, con| {
            let cfg = con.base_config();
            let c = campaign(cfg, &cid)?;
            let item = c.item(&f.item).ok_or_else(|| {
                WebError::BadRequest(t!("web-err-no-item", item = f.item.as_str()))
            })?;
            let name = unit_exists(s, &uid)?;
            let at = now.with_timezone(&cfg.timezone).fixed_offset();
            s.mark(&Mark {
                campaign_id: c.id.clone(),
                unit_id: uid.clone(),
                item_id: item.id.clone(),
                at: at.to_rfc3339(),
                at_ts: at.timestamp(),
                note: f.note.clone(),
            })?;
            s.audit(
                &at.to_rfc3339(),
                &staff.name,
                &t!("web-audit-paper"),
                &format!("{name}: {}", item.name),
                Some(&t!("web-audit-not-received")),
                Some(&t!(
                    "web-audit-paper-at",
                    at = time_text(&at.to_rfc3339(), cfg.timezone)
                )),
            )?;
            Ok(())
        })
        .await?;
    Ok(back(format!("/cong-van/{c2}/don-vi/{u2}")))
}

/// Queues "remind now" mail to `only` (or every unit still missing something): the daemon
/// sends the outbox. Returns how many were queued.
fn remind_now(
    s: &mut Store,
    con: &Console,
    cid: &str,
    only: Option<&str>,
    who: &str,
    now: chrono::DateTime<chrono::FixedOffset>,
) -> WebResult<usize> {
    let templates = con
        .templates
        .as_ref()
        .ok_or_else(|| WebError::BadRequest(t!("web-err-no-templates-reminder")))?;
    let cfg = s.with_extensions(con.base_config())?;
    let c = campaign(&cfg, cid)?;
    let plans = crate::register::outstanding(s, &cfg, c, now)?;
    let mut queued = Vec::new();
    for p in plans.iter().filter(|p| only.is_none_or(|u| u == p.unit_id)) {
        let key = crate::store::OutboxKey::Reminder {
            campaign: c.id.clone(),
            when: crate::store::ReminderWhen::Manual(now.to_rfc3339()),
            unit: p.unit_id.clone(),
        };
        if remind::queue_reminder(s, &cfg, templates, c, p, Occasion::Manual, &key, now)? {
            queued.push(p.unit_name.clone());
        }
    }
    s.audit(
        &now.to_rfc3339(),
        who,
        &t!("web-audit-remind"),
        &t!("web-audit-campaign", number = c.number.as_str()),
        None,
        Some(&if queued.is_empty() {
            t!("web-audit-remind-none")
        } else {
            t!("web-audit-remind-queued", units = queued.join(", "))
        }),
    )?;
    Ok(queued.len())
}

/// POST /cong-van/{c}/don-vi/{u}/nhac: remind this unit now.
pub async fn remind_unit(
    State(console): State<Arc<Console>>,
    Extension(staff): Extension<Staff>,
    Path((cid, uid)): Path<(String, String)>,
) -> WebResult<Response> {
    let now = console.now();
    let (c2, u2) = (cid.clone(), uid.clone());
    console
        .blocking(move |s, con| remind_now(s, con, &cid, Some(&uid), &staff.name, now))
        .await?;
    Ok(back(format!("/cong-van/{c2}/don-vi/{u2}")))
}

/// POST /cong-van/{c}/nhac: remind every unit still missing something, now.
pub async fn remind_all(
    State(console): State<Arc<Console>>,
    Extension(staff): Extension<Staff>,
    Path(cid): Path<String>,
) -> WebResult<Response> {
    let now = console.now();
    console
        .blocking(move |s, con| remind_now(s, con, &cid, None, &staff.name, now))
        .await?;
    Ok(back("/hop-thu-di".to_string()))
}

/// POST /thu/{id}/bien-nhan: queue the receipt for this message if it never had one (a
/// receipt is sent at most once per message).
pub async fn resend_receipt(
    State(console): State<Arc<Console>>,
    Extension(staff): Extension<Staff>,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    let now = console.now();
    console
        .blocking(move |s, con| {
            let templates = con
                .templates
                .as_ref()
                .ok_or_else(|| WebError::BadRequest(t!("web-err-no-templates-receipt")))?;
            let cfg = s.with_extensions(con.base_config())?;
            let n = crate::notify::receipt::queue_receipts(s, &cfg, templates, &[id], now)?;
            s.audit(
                &now.to_rfc3339(),
                &staff.name,
                &t!("web-audit-receipt"),
                &t!("web-audit-message", id = id),
                None,
                Some(&if n > 0 {
                    t!("web-audit-receipt-queued")
                } else {
                    t!("web-audit-receipt-not")
                }),
            )?;
            Ok(())
        })
        .await?;
    Ok(back(format!("/thu/{id}")))
}

/// POST /cong-van/{c}/du-thao: build the drafts again now (on a blocking thread: LibreOffice
/// and big workbooks do not stall the server).
pub async fn rebuild_drafts(
    State(console): State<Arc<Console>>,
    Extension(staff): Extension<Staff>,
    Path(cid): Path<String>,
) -> WebResult<Response> {
    let now = console.now();
    let c2 = cid.clone();
    console
        .blocking(move |s, con| {
            let cfg = s.with_extensions(con.base_config())?;
            let c = campaign(&cfg, &cid)?;
            let built = crate::consolidate::drafts::build_latest(s, &cfg, c, now)
                .map_err(|e| WebError::Internal(t!("web-err-drafts", detail = e.to_string())))?;
            s.audit(
                &now.to_rfc3339(),
                &staff.name,
                &t!("web-audit-rebuild"),
                &t!("web-audit-campaign", number = c.number.as_str()),
                None,
                Some(&t!(
                    "web-audit-rebuilt",
                    units = count(built.figures.0),
                    reported = count(built.figures.1)
                )),
            )?;
            Ok(())
        })
        .await?;
    Ok(back(format!("/cong-van/{c2}")))
}

/// The address form.
#[derive(Debug, Deserialize)]
pub struct AddressForm {
    /// The address.
    pub address: String,
}

/// POST /dia-chi/tot: mail to this address works again (it was corrected), as
/// `baocao addresses ok` does.
pub async fn address_ok(
    State(console): State<Arc<Console>>,
    Extension(staff): Extension<Staff>,
    Form(f): Form<AddressForm>,
) -> WebResult<Response> {
    let now = console.now();
    console
        .blocking(move |s, _| {
            let was = s
                .bad_addresses()?
                .into_iter()
                .find(|b| b.address.eq_ignore_ascii_case(f.address.trim()));
            if s.remove_bad_address(f.address.trim())? {
                s.audit(
                    &now.to_rfc3339(),
                    &staff.name,
                    &t!("web-audit-address-ok"),
                    f.address.trim(),
                    was.map(|b| t!("web-audit-bounced", reason = b.reason))
                        .as_deref(),
                    Some(&t!("web-audit-usable")),
                )?;
            }
            Ok(())
        })
        .await?;
    Ok(back("/can-xu-ly".to_string()))
}

/// The units import form: the CSV as staff export it from Excel, pasted in.
#[derive(Debug, Deserialize)]
pub struct UnitsForm {
    /// `id,name,short_name,emails,kind[,aliases]` with its header line.
    pub csv: String,
}

/// POST /don-vi/nhap: replaces the units registry, as `baocao units import` does.
pub async fn import_units(
    State(console): State<Arc<Console>>,
    Extension(staff): Extension<Staff>,
    Form(f): Form<UnitsForm>,
) -> WebResult<Response> {
    let now = console.now();
    console
        .blocking(move |s, _| {
            let units = crate::config::parse_units_csv(
                f.csv.as_bytes(),
                std::path::Path::new(&t!("web-units-pasted")),
            )
            .map_err(|e| WebError::BadRequest(t!("web-err-units-csv", detail = e.to_string())))?;
            if units.is_empty() {
                return Err(WebError::BadRequest(t!("web-err-units-empty")));
            }
            let before = s.units()?.len();
            s.replace_units(&units, &now.to_rfc3339())?;
            s.audit(
                &now.to_rfc3339(),
                &staff.name,
                &t!("web-audit-import"),
                &t!("web-audit-units"),
                Some(&t!("web-audit-unit-count", count = count(before))),
                Some(&t!("web-audit-unit-count", count = count(units.len()))),
            )?;
            Ok(())
        })
        .await?;
    Ok(back("/don-vi".to_string()))
}
