//! A campaign — one request to the units — as validated data: what it asks for, by when, how
//! its mail is recognised, its report outline and its reminder plan. Nothing about the seed
//! request lives in code; it is all in `config/campaigns/<id>.toml`.

use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone};
use chrono_tz::Tz;
use serde::Serialize;

use super::error::{Error, Result, line_of};
use super::forms::FormSpec;
use super::raw::{RawCampaign, RawSection};
use crate::i18n::t;
use crate::vntext::fold;

/// What kind of document an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// The narrative report (báo cáo).
    Report,
    /// An annex table (biểu mẫu).
    Form,
    /// Anything else the request asks for.
    Other,
}

/// One thing each unit must send.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// Id used in commands and JSON (`report`, `bieu1`).
    pub id: String,
    /// Name shown to people ("Biểu số 1").
    pub name: String,
    /// Report, form or other.
    pub kind: ItemKind,
    /// The form's number, so "Bieu 2,3,4" can name several forms.
    pub number: Option<u32>,
    /// Folded keywords that classify a file name or title as this item.
    pub keywords: Vec<String>,
}

/// One heading of the report outline (Đề cương).
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// Stable id ("I.2.1").
    pub id: String,
    /// Heading text as in the request.
    pub title: String,
    /// Sub-headings.
    pub children: Vec<Section>,
}

/// Which units must answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitScope {
    /// Every unit in the registry.
    All,
    /// Units of these kinds.
    Kinds(Vec<String>),
}

/// The reminder plan; turned into dated slots by the scheduler.
#[derive(Debug, Clone, Serialize)]
pub struct ReminderPlan {
    /// Days before the unit deadline.
    pub days_before: Vec<u32>,
    /// Local time of day to send.
    pub at: NaiveTime,
    /// Overdue notices every N days after the deadline (0 = none).
    pub overdue_every_days: u32,
    /// Skip weekends and holidays.
    pub working_days_only: bool,
    /// Local hours within which planned reminders go out (start, end); a slot caught up later
    /// waits for the next working time.
    pub working_hours: (NaiveTime, NaiveTime),
    /// Least time between two planned reminders to one unit.
    pub min_interval: chrono::Duration,
    /// Most planned reminders one unit receives for this campaign (0 = no limit).
    pub max_per_unit: u32,
}

/// The body that writes the consolidated report: its name in the header, the symbol in the
/// number line, the signer's title, and the "Nơi nhận" lines.
#[derive(Debug, Clone, Serialize)]
pub struct DraftSpec {
    /// "Ban Tổ chức".
    pub by: String,
    /// "BTC" (the number line reads "Số   -BC/BTC" + the committee's symbol, e.g. "HU").
    pub symbol: String,
    /// "TRƯỞNG BAN".
    pub signer: String,
    /// The "Nơi nhận" lines; None: the standing committee (báo cáo) and the body's own file.
    pub copies: Option<Vec<String>>,
}

/// A validated campaign.
#[derive(Debug, Clone, Serialize)]
pub struct Campaign {
    /// Short id (`809-CV-HU`).
    pub id: String,
    /// Number and symbol as printed (`809-CV/HU`).
    pub number: String,
    /// Trích yếu.
    pub title: String,
    /// Issuing body.
    pub issuer: String,
    /// Date the request was issued.
    pub issued: NaiveDate,
    /// The instant after which a unit's first receipt is late.
    pub deadline: DateTime<FixedOffset>,
    /// When the consolidated report is due.
    pub consolidation_deadline: DateTime<FixedOffset>,
    /// Which units must answer.
    pub units: UnitScope,
    /// Folded keywords recognising mail about this campaign.
    pub keywords: Vec<String>,
    /// Required items, in the order people expect to see them.
    pub items: Vec<Item>,
    /// Folded words that introduce a numbered list of forms ("bieu 2 3 4").
    pub form_list_words: Vec<String>,
    /// Report outline.
    pub outline: Vec<Section>,
    /// Reminder plan.
    pub reminders: ReminderPlan,
    /// Whether units get a receipt for each submission.
    pub receipts: bool,
    /// Per-unit deadline extensions (gia hạn): unit id → its own deadline.
    pub extensions: std::collections::BTreeMap<String, DateTime<FixedOffset>>,
    /// Who receives the consolidated draft (default: the staff recipients).
    pub consolidation_recipients: Option<Vec<String>>,
    /// Who writes the consolidated report and how it is signed.
    pub draft: DraftSpec,
    /// Annex form templates.
    pub forms: Vec<FormSpec>,
    /// The figures units state per year and level, and the rules they must keep.
    pub figures: super::figures::FigureConfig,
}

impl Campaign {
    /// The deadline that applies to `unit` (its extension, if it has one).
    pub fn deadline_for(&self, unit: &str) -> DateTime<FixedOffset> {
        self.extensions.get(unit).copied().unwrap_or(self.deadline)
    }

    /// The item with this id.
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }

    /// Whether a unit of `kind` must answer this campaign.
    pub fn applies_to(&self, kind: &str) -> bool {
        match &self.units {
            UnitScope::All => true,
            UnitScope::Kinds(k) => k.iter().any(|x| x == kind),
        }
    }

    pub(crate) fn from_raw(raw: RawCampaign, src: &str, file: &Path, tz: Tz) -> Result<Self> {
        let bad = |needle: &str, msg: String, fix: String| {
            Error::invalid(file, line_of(src, needle), msg, fix)
        };
        if raw.id.trim().is_empty()
            || !raw
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(bad(
                "id",
                t!("cfg-campaign-id", id = raw.id.as_str()),
                t!("cfg-campaign-id-fix"),
            ));
        }
        let issued = to_date(&raw.issued)
            .ok_or_else(|| bad("issued", t!("cfg-issued"), t!("cfg-issued-fix")))?;
        let deadline = to_instant(&raw.deadline, tz)
            .ok_or_else(|| bad("deadline", t!("cfg-deadline"), t!("cfg-deadline-fix")))?;
        let consolidation_deadline =
            to_instant(&raw.consolidation_deadline, tz).ok_or_else(|| {
                bad(
                    "consolidation-deadline",
                    t!("cfg-consolidation-deadline"),
                    t!("cfg-consolidation-deadline-fix"),
                )
            })?;
        if consolidation_deadline < deadline {
            return Err(bad(
                "consolidation-deadline",
                t!("cfg-consolidation-before"),
                t!("cfg-consolidation-before-fix"),
            ));
        }
        let units = match raw.units {
            None => UnitScope::All,
            Some(toml::Value::String(s)) if s == "all" => UnitScope::All,
            Some(toml::Value::Array(a)) => {
                let mut kinds = Vec::new();
                for v in a {
                    match v {
                        toml::Value::String(s) => kinds.push(s),
                        _ => {
                            return Err(bad(
                                "units",
                                t!("cfg-units-item"),
                                t!("cfg-units-item-fix"),
                            ));
                        }
                    }
                }
                UnitScope::Kinds(kinds)
            }
            Some(_) => {
                return Err(bad("units", t!("cfg-units"), t!("cfg-units-fix")));
            }
        };
        let keywords: Vec<String> = raw
            .keywords
            .iter()
            .map(|k| fold(k))
            .filter(|k| !k.is_empty())
            .collect();
        if keywords.is_empty() {
            return Err(bad("keywords", t!("cfg-keywords"), t!("cfg-keywords-fix")));
        }
        if raw.items.is_empty() {
            return Err(bad("items", t!("cfg-items"), t!("cfg-items-fix")));
        }
        let mut items: Vec<Item> = Vec::new();
        for it in raw.items {
            let needle = format!("\"{}\"", it.id);
            if items.iter().any(|x| x.id == it.id) {
                return Err(bad(
                    &needle,
                    t!("cfg-item-twice", id = it.id.as_str()),
                    t!("cfg-item-twice-fix"),
                ));
            }
            if it.id.is_empty()
                || !it
                    .id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                return Err(bad(
                    &needle,
                    t!("cfg-item-id", id = it.id.as_str()),
                    t!("cfg-item-id-fix"),
                ));
            }
            let kind = match it.kind.as_deref() {
                None | Some("report") => {
                    if it.kind.is_none() && it.number.is_some() {
                        ItemKind::Form
                    } else {
                        ItemKind::Report
                    }
                }
                Some("form") => ItemKind::Form,
                Some("other") => ItemKind::Other,
                Some(k) => {
                    return Err(bad(
                        &needle,
                        t!("cfg-item-kind", id = it.id.as_str(), kind = k),
                        t!("cfg-item-kind-fix"),
                    ));
                }
            };
            let mut kw: Vec<String> = it
                .keywords
                .iter()
                .map(|k| fold(k))
                .filter(|k| !k.is_empty())
                .collect();
            kw.push(fold(&it.name));
            kw.dedup();
            items.push(Item {
                id: it.id,
                name: it.name,
                kind,
                number: it.number,
                keywords: kw,
            });
        }
        let form_list_words = raw
            .form_list_words
            .unwrap_or_else(|| {
                vec![
                    "biểu".into(),
                    "biểu số".into(),
                    "phụ lục".into(),
                    "mẫu".into(),
                ]
            })
            .iter()
            .map(|w| fold(w))
            .filter(|w| !w.is_empty())
            .collect();
        let at = match raw.reminders.at.as_deref() {
            None => NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default(),
            Some(s) => NaiveTime::parse_from_str(s, "%H:%M").map_err(|_| {
                bad(
                    "at =",
                    t!("cfg-reminder-at", value = s),
                    t!("cfg-reminder-at-fix"),
                )
            })?,
        };
        let hm = |s: &str, key: &str| {
            NaiveTime::parse_from_str(s, "%H:%M").map_err(|_| {
                bad(
                    key,
                    t!("cfg-working-time", value = s),
                    t!("cfg-working-hours-fix"),
                )
            })
        };
        let working_hours = match raw.reminders.working_hours.as_deref() {
            None => (
                NaiveTime::from_hms_opt(7, 0, 0).unwrap_or_default(),
                NaiveTime::from_hms_opt(17, 0, 0).unwrap_or_default(),
            ),
            Some([a, b]) => (hm(a, "working-hours")?, hm(b, "working-hours")?),
            Some(_) => {
                return Err(bad(
                    "working-hours",
                    t!("cfg-working-hours"),
                    t!("cfg-working-hours-fix"),
                ));
            }
        };
        if working_hours.0 >= working_hours.1 || at < working_hours.0 || at > working_hours.1 {
            return Err(bad(
                "working-hours",
                t!(
                    "cfg-reminder-outside",
                    at = at.format("%H:%M").to_string(),
                    from = working_hours.0.format("%H:%M").to_string(),
                    to = working_hours.1.format("%H:%M").to_string()
                ),
                t!("cfg-reminder-outside-fix"),
            ));
        }
        let mut extensions = std::collections::BTreeMap::new();
        for (unit, d) in &raw.extensions {
            let t = to_instant(d, tz).ok_or_else(|| {
                bad(
                    "[extensions]",
                    t!("cfg-extension", unit = unit.as_str()),
                    t!("cfg-extension-fix"),
                )
            })?;
            extensions.insert(unit.clone(), t);
        }
        let item_ids: Vec<String> = items.iter().map(|i| i.id.clone()).collect();
        let mut forms = Vec::new();
        for f in raw.forms {
            forms.push(FormSpec::from_raw(f, &item_ids, src, file)?);
        }
        let figures = super::figures::validate(
            raw.figure_reading,
            raw.figure_levels,
            raw.figures,
            raw.rules,
            src,
            file,
        )?;
        Ok(Campaign {
            figures,
            forms,
            id: raw.id,
            number: raw.number,
            title: raw.title,
            issuer: raw.issuer.unwrap_or_default(),
            issued,
            deadline,
            consolidation_deadline,
            units,
            keywords,
            items,
            form_list_words,
            outline: raw.outline.into_iter().map(section).collect(),
            reminders: ReminderPlan {
                days_before: raw.reminders.days_before,
                at,
                overdue_every_days: raw.reminders.overdue_every_days.unwrap_or(0),
                working_days_only: raw.reminders.working_days_only.unwrap_or(true),
                working_hours,
                min_interval: chrono::Duration::hours(i64::from(
                    raw.reminders.min_interval_hours.unwrap_or(20),
                )),
                max_per_unit: raw.reminders.max_per_unit.unwrap_or(0),
            },
            receipts: raw.receipts.enabled.unwrap_or(true),
            extensions,
            consolidation_recipients: raw.consolidation_recipients,
            draft: DraftSpec {
                by: raw
                    .draft
                    .by
                    .filter(|s| !s.trim().is_empty())
                    .unwrap_or_else(|| "Ban Tổ chức".into()),
                symbol: raw
                    .draft
                    .symbol
                    .filter(|s| !s.trim().is_empty())
                    .unwrap_or_else(|| "BTC".into()),
                signer: raw
                    .draft
                    .signer
                    .filter(|s| !s.trim().is_empty())
                    .unwrap_or_else(|| "TRƯỞNG BAN".into()),
                copies: raw.draft.copies,
            },
        })
    }
}

fn section(r: RawSection) -> Section {
    Section {
        id: r.id,
        title: r.title,
        children: r.children.into_iter().map(section).collect(),
    }
}

/// A TOML date (no time) as a calendar date.
pub(crate) fn to_date(d: &toml::value::Datetime) -> Option<NaiveDate> {
    if d.time.is_some() {
        return None;
    }
    let date = d.date?;
    NaiveDate::from_ymd_opt(
        i32::from(date.year),
        u32::from(date.month),
        u32::from(date.day),
    )
}

/// A TOML date or date-time as an instant: a bare date means the end of that day in `tz`,
/// a local date-time is read in `tz`, an offset date-time is taken as written.
pub(crate) fn to_instant(d: &toml::value::Datetime, tz: Tz) -> Option<DateTime<FixedOffset>> {
    let date = d.date?;
    let day = NaiveDate::from_ymd_opt(
        i32::from(date.year),
        u32::from(date.month),
        u32::from(date.day),
    )?;
    let time = match d.time {
        None => NaiveTime::from_hms_opt(23, 59, 59)?,
        Some(t) => NaiveTime::from_hms_nano_opt(
            u32::from(t.hour),
            u32::from(t.minute),
            u32::from(t.second.unwrap_or(0)),
            t.nanosecond.unwrap_or(0),
        )?,
    };
    let naive = day.and_time(time);
    match d.offset {
        None => tz
            .from_local_datetime(&naive)
            .single()
            .map(|t| t.fixed_offset()),
        Some(toml::value::Offset::Z) => Some(naive.and_utc().fixed_offset()),
        Some(toml::value::Offset::Custom { minutes }) => {
            let off = FixedOffset::east_opt(i32::from(minutes) * 60)?;
            off.from_local_datetime(&naive).single()
        }
    }
}
