//! The consolidated draft for the Ban Tổ chức: everything the units sent for one campaign,
//! gathered into one [`Consolidation`] — who sent what and when, the annex forms stacked and
//! tallied, each report's text under the request's outline — from which the Excel workbook
//! (`xlsx`) and the Word draft (`docx`) are written.
//!
//! The model is built from the register (the version of each item that counts) and the
//! readings stored with each attachment; a report that could not be cut into the outline's
//! sections is read again from the archive so it can be included whole.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::config::{Campaign, Config, FormKind, ItemKind, Section as OutlineSpec};
use crate::documents::{self, DocLimits};
use crate::forms::{FormRead, Mark, Reading};
use crate::register::{self, State};
use crate::store::{self, MessageRow, Store};

pub mod docx;
pub mod drafts;
pub mod synth;
pub mod xlsx;

/// Why a draft could not be built or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The register could not be read.
    #[error(transparent)]
    Store(#[from] store::Error),
    /// The workbook could not be written.
    #[error("cannot write the workbook: {0}")]
    Xlsx(String),
    /// The Word draft could not be written.
    #[error("cannot write the Word draft: {0}")]
    Docx(String),
    /// The figures could not be read.
    #[error(transparent)]
    Figures(#[from] crate::figures::Error),
    /// A file could not be written.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Cause.
        source: std::io::Error,
    },
}

/// Result of consolidation.
pub type Result<T> = std::result::Result<T, Error>;

/// Everything the drafts are written from.
#[derive(Debug, Clone, Serialize)]
pub struct Consolidation {
    /// The office ("Huyện ủy Bảo Lâm").
    pub office: String,
    /// Campaign id.
    pub campaign_id: String,
    /// Request number ("809-CV/HU").
    pub number: String,
    /// Request title (trích yếu).
    pub title: String,
    /// Issuing body.
    pub issuer: String,
    /// Issue date, dd/mm/yyyy.
    pub issued: String,
    /// Unit deadline, local.
    pub deadline: DateTime<FixedOffset>,
    /// Consolidation deadline, local.
    pub consolidation_deadline: DateTime<FixedOffset>,
    /// The moment the figures are taken at, local.
    pub as_of: DateTime<FixedOffset>,
    /// When the drafts were built (document properties, comment dates).
    pub built_at: DateTime<FixedOffset>,
    /// Items the request asks for, in order: (id, name).
    pub items: Vec<(String, String)>,
    /// Every unit that must answer, in registry order.
    pub units: Vec<UnitEntry>,
    /// Headline figures.
    pub figures: Figures,
    /// Checklist forms (Biểu 2–4): one tally per template row.
    pub tallies: Vec<FormTally>,
    /// Grid forms (Biểu 1): every unit's rows stacked.
    pub grids: Vec<GridStack>,
    /// The request's outline with what each unit wrote under each heading.
    pub outline: Vec<OutlineEntry>,
    /// Reports not cut into sections, included whole (unit name, text).
    pub whole_reports: Vec<(String, String)>,
    /// Units whose report is a scan (unit name, file): "xem bản scan đính kèm".
    pub scanned_reports: Vec<(String, String)>,
    /// Who writes the report and how it is signed (from the campaign file).
    pub drafter: crate::config::DraftSpec,
    /// The figures read from the reports, their checks and totals.
    pub ratings: crate::figures::FigureReport,
    /// Mail that could not be tied to a unit (sender, subject), for staff to assign.
    pub unidentified: Vec<(String, String)>,
    /// Files that could not be read (unit or sender, file, problem).
    pub unreadable: Vec<(String, String, String)>,
}

/// One unit's submission.
#[derive(Debug, Clone, Serialize)]
pub struct UnitEntry {
    /// Unit id.
    pub id: String,
    /// Full name.
    pub name: String,
    /// Short name ("Lộc An").
    pub short_name: String,
    /// Register state.
    pub state: State,
    /// Per required item, in the campaign's order.
    pub items: Vec<ItemEntry>,
    /// How its report appears in the draft.
    pub report: ReportUse,
}

/// One item of one unit.
#[derive(Debug, Clone, Serialize)]
pub struct ItemEntry {
    /// Item id.
    pub item: String,
    /// When first received (local), or None when missing.
    pub received_at: Option<DateTime<FixedOffset>>,
    /// Received after the unit's deadline.
    pub late: bool,
    /// The file(s) that count, or "bản giấy" for a paper hand-in.
    pub source: Option<String>,
    /// Not received, but a file named as it (or a subject promising it) came whose form was
    /// not recognised: "cần kiểm tra" rather than "chưa nhận".
    pub to_check: bool,
}

/// How a unit's report appears in the Word draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportUse {
    /// Its text is quoted under the outline's headings.
    Sections,
    /// It could not be cut into the outline's sections: included whole.
    Whole,
    /// It is a scan: staff read it ("xem bản scan đính kèm").
    Scanned,
    /// No report received (or only on paper).
    Missing,
}

/// The figures of the opening paragraph.
#[derive(Debug, Clone, Serialize)]
pub struct Figures {
    /// Units that must answer.
    pub total: usize,
    /// Units that sent their report (by mail or on paper).
    pub reported: usize,
    /// Units that sent everything.
    pub complete: usize,
    /// Units whose first receipt of some item came after their deadline (names).
    pub late: Vec<String>,
    /// Units that sent nothing (names).
    pub missing: Vec<String>,
    /// Units that sent part (name, missing item names).
    pub partial: Vec<(String, Vec<String>)>,
}

/// The tally of one checklist form.
#[derive(Debug, Clone, Serialize)]
pub struct FormTally {
    /// Item id ("bieu2").
    pub item: String,
    /// Item name ("Biểu số 2").
    pub name: String,
    /// The form's title words (first one is the display title).
    pub title: String,
    /// Units whose form was read.
    pub units_counted: usize,
    /// One per template row, in template order.
    pub rows: Vec<TallyRow>,
}

/// One checklist row's tally.
#[derive(Debug, Clone, Serialize)]
pub struct TallyRow {
    /// Group path as in the template.
    pub group: String,
    /// Row label as in the template.
    pub label: String,
    /// Units marking "Phù hợp".
    pub phu_hop: usize,
    /// Units marking "Chưa phù hợp".
    pub chua_phu_hop: usize,
    /// Units whose form has no single mark on this row (blank, both, or the row missing).
    pub no_answer: usize,
    /// Names of the units marking "Chưa phù hợp".
    pub chua_phu_hop_units: Vec<String>,
    /// Every proposal written on this row: (unit name, text).
    pub proposals: Vec<(String, String)>,
}

/// A grid form's rows, stacked unit by unit.
#[derive(Debug, Clone, Serialize)]
pub struct GridStack {
    /// Item id ("bieu1").
    pub item: String,
    /// Item name ("Biểu số 1").
    pub name: String,
    /// The form's display title.
    pub title: String,
    /// Column labels (years).
    pub columns: Vec<String>,
    /// Sub-row labels ("Thể loại văn bản", "Ngày ban hành").
    pub sub_rows: Vec<String>,
    /// Template row labels.
    pub row_labels: Vec<String>,
    /// Per unit that sent it: (unit name, values[row][sub_row][column]).
    pub units: Vec<(String, Vec<Vec<Vec<String>>>)>,
}

/// One heading of the outline with what units wrote under it.
#[derive(Debug, Clone, Serialize)]
pub struct OutlineEntry {
    /// Outline id ("I.2.1").
    pub id: String,
    /// Heading as in the request.
    pub title: String,
    /// Depth: 0 for I, II …; 1 for I.1 …
    pub level: usize,
    /// (unit name, text) in the units' order; only units that wrote something here.
    pub texts: Vec<(String, String)>,
}

/// The reading of each (unit, item) at `as_of` from the version that counts — the
/// register's rule (`register::item_versions`), so the drafts, `forms` and `status` agree.
fn latest_readings(
    campaign: &str,
    msgs: &[MessageRow],
    as_of: i64,
) -> HashMap<(String, String), (Reading, String, String)> {
    let versions = crate::register::item_versions(campaign, msgs, as_of);
    let mut out = HashMap::new();
    for (unit, item) in versions.by_item.keys() {
        let Some(v) = versions.current(unit, item) else {
            continue;
        };
        for a in &v.files {
            if a.error.is_some() {
                continue;
            }
            let reading = match Reading::stored(a) {
                Ok(Some(r)) => r,
                Ok(None) => continue,
                Err(e) => {
                    // Shown to staff in the unit's status; the draft goes on without it.
                    tracing::warn!(message = %v.msg.message_id, "{e}");
                    continue;
                }
            };
            out.insert(
                (unit.clone(), item.clone()),
                (reading, v.msg.sha256.clone(), a.path.clone()),
            );
        }
    }
    out
}

fn flatten(sections: &[OutlineSpec], level: usize, out: &mut Vec<OutlineEntry>) {
    for s in sections {
        out.push(OutlineEntry {
            id: s.id.clone(),
            title: s.title.clone(),
            level,
            texts: Vec::new(),
        });
        flatten(&s.children, level + 1, out);
    }
}

/// The text of a report that could not be sectioned, read again from the archive.
/// The whole text of the report at `path` in message `sha`, or, when it cannot be had, a line
/// that tells the editor so and why (the draft never drops a report in silence).
fn whole_text(store: &Store, sha: &str, path: &str, config: &Config) -> String {
    let missing = |why: String| {
        format!("[Không lấy lại được nội dung báo cáo ({why}); cần mở tệp gốc: {path}]")
    };
    let raw = match store.archive().read(sha) {
        Ok(r) => r,
        Err(e) => return missing(format!("không đọc được thư lưu: {e}")),
    };
    let msg = match crate::message::parse(&raw, &config.limits) {
        Ok(m) => m,
        Err(e) => return missing(e.to_string()),
    };
    let Some(part) = msg.all_parts().into_iter().find(|p| p.path == path) else {
        return missing("không thấy tệp trong thư".into());
    };
    let doc = documents::extract(part, &DocLimits::default());
    let text: Vec<String> = doc
        .paragraphs
        .iter()
        .map(|p| p.text.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    if text.is_empty() {
        return missing("tệp không có chữ".into());
    }
    text.join("\n")
}

/// Gathers everything units sent for `campaign` as of `as_of`.
pub fn build(
    store: &Store,
    config: &Config,
    campaign: &Campaign,
    as_of: DateTime<FixedOffset>,
) -> Result<Consolidation> {
    let tz = config.timezone;
    let local = |t: DateTime<FixedOffset>| t.with_timezone(&tz).fixed_offset();
    let st = register::status(store, config, campaign, as_of)?;
    let msgs = store.campaign_messages(&campaign.id)?;
    let readings = latest_readings(&campaign.id, &msgs, as_of.timestamp());
    let name_of = |id: &str| {
        campaign
            .item(id)
            .map(|i| i.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let report_item = campaign
        .items
        .iter()
        .find(|i| i.kind == ItemKind::Report)
        .map(|i| i.id.clone());

    let short_names: HashMap<String, String> = store
        .units()?
        .into_iter()
        .map(|u| (u.id, u.short_name))
        .collect();
    let mut outline = Vec::new();
    flatten(&campaign.outline, 0, &mut outline);
    let mut whole_reports = Vec::new();
    let mut scanned_reports = Vec::new();
    let mut units = Vec::new();
    let mut figures = Figures {
        total: st.units.len(),
        reported: 0,
        complete: 0,
        late: Vec::new(),
        missing: Vec::new(),
        partial: Vec::new(),
    };
    for u in &st.units {
        let items: Vec<ItemEntry> = u
            .items
            .0
            .iter()
            .map(|(id, s)| ItemEntry {
                item: id.clone(),
                received_at: s
                    .as_ref()
                    .and_then(|s| DateTime::parse_from_rfc3339(&s.received_at).ok().map(local)),
                late: s.as_ref().is_some_and(|s| s.late),
                source: s.as_ref().map(|s| match s.source {
                    "paper" => "bản giấy".to_string(),
                    _ => s.source_file.clone().unwrap_or_default(),
                }),
                to_check: s.is_none() && u.to_check.contains(id),
            })
            .collect();
        match u.status {
            State::CompleteOnTime => figures.complete += 1,
            State::CompleteLate => {
                figures.complete += 1;
                figures.late.push(u.name.clone());
            }
            State::Partial => {
                if items.iter().any(|i| i.late) {
                    figures.late.push(u.name.clone());
                }
                figures.partial.push((
                    u.name.clone(),
                    u.missing.iter().map(|m| name_of(m)).collect(),
                ));
            }
            State::Missing => figures.missing.push(u.name.clone()),
        }
        let report_received = report_item.as_ref().is_some_and(|r| {
            items
                .iter()
                .any(|i| &i.item == r && i.received_at.is_some())
        });
        if report_received {
            figures.reported += 1;
        }
        let report = match report_item
            .as_ref()
            .and_then(|r| readings.get(&(u.id.clone(), r.clone())))
        {
            None => ReportUse::Missing,
            Some((r, _, path)) if r.scanned => {
                scanned_reports.push((u.name.clone(), path.clone()));
                ReportUse::Scanned
            }
            Some((r, sha, path)) => {
                let mut any = false;
                for s in &r.sections {
                    let text = s.text.trim();
                    if text.is_empty() {
                        continue;
                    }
                    if let Some(e) = outline.iter_mut().find(|e| e.id == s.id) {
                        e.texts.push((u.name.clone(), text.to_string()));
                        any = true;
                    }
                }
                if any {
                    ReportUse::Sections
                } else {
                    let text = whole_text(store, sha, path, config);
                    whole_reports.push((u.name.clone(), text));
                    ReportUse::Whole
                }
            }
        };
        units.push(UnitEntry {
            short_name: short_names.get(&u.id).cloned().unwrap_or_default(),
            id: u.id.clone(),
            name: u.name.clone(),
            state: u.status,
            items,
            report,
        });
    }

    // Points for staff: mail of no known unit, and files that could not be read.
    let all_msgs = store.messages()?;
    let name_by_id: HashMap<&str, &str> = st
        .units
        .iter()
        .map(|u| (u.id.as_str(), u.name.as_str()))
        .collect();
    let mut unidentified = Vec::new();
    let mut unreadable = Vec::new();
    for m in &all_msgs {
        if m.received_ts.is_some_and(|t| t > as_of.timestamp()) || m.duplicate_of.is_some() {
            continue;
        }
        let ours = m.campaign_id.as_deref() == Some(campaign.id.as_str());
        if m.unit_id.is_none() && (ours || m.campaign_id.is_none()) {
            let from = m
                .from_addr
                .clone()
                .or_else(|| m.from_name.clone())
                .unwrap_or_default();
            unidentified.push((from, m.subject.clone()));
        }
        if !ours {
            continue;
        }
        let who = m
            .unit_id
            .as_deref()
            .and_then(|u| name_by_id.get(u).copied())
            .map(str::to_string)
            .or_else(|| m.from_addr.clone())
            .unwrap_or_default();
        for a in &m.attachments {
            if let Some(e) = &a.error {
                unreadable.push((who.clone(), a.path.clone(), e.clone()));
            }
        }
    }

    let mut tallies = Vec::new();
    let mut grids = Vec::new();
    for spec in &campaign.forms {
        let title = spec.heading.clone();
        let forms: Vec<(&str, &FormRead)> = st
            .units
            .iter()
            .filter_map(|u| {
                readings
                    .get(&(u.id.clone(), spec.item.clone()))
                    .and_then(|(r, _, _)| r.forms.iter().find(|f| f.item == spec.item))
                    .map(|f| (u.name.as_str(), f))
            })
            .collect();
        match &spec.kind {
            FormKind::Checklist(cl) => {
                let mut rows: Vec<TallyRow> = Vec::new();
                let mut seen: HashMap<(String, String), usize> = HashMap::new();
                for rs in &cl.rows {
                    let group = cl
                        .groups
                        .get(rs.group)
                        .map(|g| g.path.clone())
                        .unwrap_or_default();
                    // A label may repeat inside a group: the n-th template row takes the
                    // n-th row read with that label.
                    let nth = {
                        let n = seen.entry((group.clone(), rs.label.clone())).or_insert(0);
                        *n += 1;
                        *n - 1
                    };
                    let mut row = TallyRow {
                        group: group.clone(),
                        label: rs.label.clone(),
                        phu_hop: 0,
                        chua_phu_hop: 0,
                        no_answer: 0,
                        chua_phu_hop_units: Vec::new(),
                        proposals: Vec::new(),
                    };
                    for (unit, f) in &forms {
                        let read = f
                            .rows
                            .iter()
                            .filter(|r| r.group == group && r.label == rs.label)
                            .nth(nth);
                        match read.and_then(|r| r.mark) {
                            Some(Mark::PhuHop) => row.phu_hop += 1,
                            Some(Mark::ChuaPhuHop) => {
                                row.chua_phu_hop += 1;
                                row.chua_phu_hop_units.push(unit.to_string());
                            }
                            _ => row.no_answer += 1,
                        }
                        if let Some(p) = read.map(|r| r.proposal.trim()).filter(|p| !p.is_empty()) {
                            row.proposals.push((unit.to_string(), p.to_string()));
                        }
                    }
                    rows.push(row);
                }
                tallies.push(FormTally {
                    item: spec.item.clone(),
                    name: name_of(&spec.item),
                    title,
                    units_counted: forms.len(),
                    rows,
                });
            }
            FormKind::Grid(g) => {
                let units = forms
                    .iter()
                    .map(|(unit, f)| {
                        let values = g
                            .rows
                            .iter()
                            .map(|row| {
                                g.sub_rows
                                    .iter()
                                    .map(|sub| {
                                        g.columns
                                            .iter()
                                            .map(|col| {
                                                f.cells
                                                    .iter()
                                                    .find(|c| {
                                                        &c.row == row
                                                            && &c.sub_row == sub
                                                            && &c.column == col
                                                    })
                                                    .map(|c| c.value.clone())
                                                    .unwrap_or_default()
                                            })
                                            .collect()
                                    })
                                    .collect()
                            })
                            .collect();
                        (unit.to_string(), values)
                    })
                    .collect();
                grids.push(GridStack {
                    item: spec.item.clone(),
                    name: name_of(&spec.item),
                    title,
                    columns: g.columns.clone(),
                    sub_rows: g.sub_rows.clone(),
                    row_labels: g.rows.clone(),
                    units,
                });
            }
        }
    }

    Ok(Consolidation {
        office: config.office_name.clone(),
        campaign_id: campaign.id.clone(),
        number: campaign.number.clone(),
        title: campaign.title.clone(),
        issuer: campaign.issuer.clone(),
        issued: campaign.issued.format("%d/%m/%Y").to_string(),
        deadline: local(campaign.deadline),
        consolidation_deadline: local(campaign.consolidation_deadline),
        as_of: local(as_of),
        built_at: local(as_of),
        items: campaign
            .items
            .iter()
            .map(|i| (i.id.clone(), i.name.clone()))
            .collect(),
        units,
        figures,
        tallies,
        grids,
        outline,
        whole_reports,
        scanned_reports,
        drafter: campaign.draft.clone(),
        ratings: crate::figures::collect(store, config, campaign, as_of, None)?,
        unidentified,
        unreadable,
    })
}

/// The file names of the two drafts for a campaign.
pub fn file_names(campaign_id: &str) -> (String, String) {
    (
        format!("tong-hop-{campaign_id}.xlsx"),
        format!("du-thao-bao-cao-{campaign_id}.docx"),
    )
}

#[cfg(test)]
mod scale_tests;

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::sync::Arc;

    /// The shipped config and the demo's sample mail in a fresh store.
    pub(crate) fn demo(dir: &std::path::Path) -> (Config, Store) {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut config = crate::config::load(&root.join("config/baocao.toml")).expect("config");
        config.data_dir = dir.to_path_buf();
        let mut store = Store::open(dir).expect("store");
        let csv = root.join("config/units.csv");
        let units = crate::config::parse_units_csv(&std::fs::read(&csv).expect("read"), &csv)
            .expect("units");
        store
            .replace_units(&units, "2023-01-01T00:00:00+07:00")
            .expect("units");
        let rec = Arc::new(crate::recognise::Recogniser::new(
            config.clone(),
            store.units().expect("units"),
        ));
        let mail = crate::demo::mail();
        let now = DateTime::parse_from_rfc3339("2023-01-20T00:00:00+07:00").expect("time");
        crate::ingest::run(
            &mut store,
            rec,
            now,
            &indicatif::ProgressBar::hidden(),
            |sink| {
                for (name, raw) in &mail {
                    sink(crate::source::Fetched {
                        raw: raw.to_vec(),
                        origin: format!("demo/{name}"),
                        internal_date: None,
                    });
                }
            },
        )
        .expect("ingest");
        (config, store)
    }

    /// How many pages LibreOffice prints `file` on (converted to PDF beside it, read by
    /// pdfinfo). Fails, never skips, when the tools are missing: the test command installs them.
    pub(crate) fn printed_pages(file: &std::path::Path) -> u32 {
        assert!(
            crate::documents::libreoffice_available(),
            "LibreOffice (soffice) is not installed: run scripts/install-tools.sh"
        );
        let dir = file.parent().expect("folder").join("pdf");
        let pdf = crate::documents::convert::soffice_convert(file, "pdf", &dir, 180)
            .unwrap_or_else(|e| panic!("LibreOffice cannot print {}: {e}", file.display()));
        let info = crate::documents::convert::run_tool(
            std::process::Command::new("pdfinfo").arg(&pdf),
            30,
        )
        .expect("pdfinfo (poppler-utils; scripts/install-tools.sh installs it)");
        String::from_utf8_lossy(&info)
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .and_then(|n| n.trim().parse().ok())
            .expect("page count")
    }

    #[test]
    fn the_model_agrees_with_the_register_and_tallies_every_form_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (config, store) = demo(dir.path());
        let c = config.campaign("809-CV-HU").expect("campaign");
        let at = DateTime::parse_from_rfc3339("2023-02-02T08:00:00+07:00").expect("time");
        let m = build(&store, &config, c, at).expect("build");
        let st = register::status(&store, &config, c, at).expect("status");
        assert_eq!(m.figures.total, st.units.len());
        assert_eq!(m.figures.missing.len(), st.count(State::Missing));
        assert_eq!(
            m.figures.complete,
            st.count(State::CompleteOnTime) + st.count(State::CompleteLate)
        );
        assert_eq!(m.outline.first().map(|o| o.id.as_str()), Some("I"));
        assert!(
            m.outline.iter().any(|o| !o.texts.is_empty()),
            "{:#?}",
            m.outline
        );
        for t in &m.tallies {
            assert!(t.units_counted > 0, "{}", t.item);
            for r in &t.rows {
                assert_eq!(
                    r.phu_hop + r.chua_phu_hop + r.no_answer,
                    t.units_counted,
                    "{r:?}"
                );
                assert_eq!(r.chua_phu_hop_units.len(), r.chua_phu_hop);
            }
        }
        assert_eq!(m.tallies.len(), 3);
        assert_eq!(m.grids.len(), 1);
        assert!(!m.grids[0].units.is_empty());
        if std::env::var("BAOCAO_DUMP").is_ok() {
            println!("{}", serde_json::to_string_pretty(&m).expect("json"));
        }
    }
}
