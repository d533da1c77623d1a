//! Forms and outline: what a document *says*, read against the campaign's templates.
//!
//! One generic recogniser per form kind (`checklist.rs` for the mark tables of Biểu 2–4,
//! `grid.rs` for rows × columns like Biểu 1) finds a template's table in any sheet or Word
//! table, wherever it starts, and reads it row by row by *label*, so extra or blank rows,
//! merged cells, renumbering and varied marks do not matter. `outline.rs` splits a report's
//! text into the request's outline sections. Problems are recorded per row, never fatal.

mod checklist;
pub(crate) mod grid;
mod outline;

use serde::Serialize;

pub use outline::{Section, split_sections};

use crate::config::{Campaign, FormKind};
use crate::documents::{Document, PartyHeader, Table};
use crate::vntext::{Folded, fold};

/// A row's mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    /// "Phù hợp" ticked.
    PhuHop,
    /// "Chưa phù hợp" ticked.
    ChuaPhuHop,
    /// Both ticked (a problem).
    Both,
}

/// One row of a checklist form, in template order.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct FormRow {
    /// Group path as in the template ("Về kiểm điểm … / Đảng viên").
    pub group: String,
    /// Row label as in the template.
    pub label: String,
    /// The mark, or None when nothing was ticked (or the row is absent).
    pub mark: Option<Mark>,
    /// Proposal text as written.
    pub proposal: String,
}

/// One non-empty cell of a grid form.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct GridCell {
    /// Row label as in the template.
    pub row: String,
    /// Sub-row label as in the template.
    pub sub_row: String,
    /// Column label as in the template.
    pub column: String,
    /// Value as written (dates as dd/mm/yyyy).
    pub value: String,
}

/// A problem found in a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct FormProblem {
    /// `both`, `none`, `unknown_row`, `missing_row`, `not_a_date`.
    pub kind: String,
    /// Which row (and column) — template labels where known, else as written.
    pub at: String,
    /// In plain words, for staff.
    pub message: String,
}

/// A form found in a document.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct FormRead {
    /// The campaign item it fulfils.
    pub item: String,
    /// Where it was found ("sheet Biểu 2", "table 3").
    pub location: String,
    /// Checklist rows (empty for grids).
    pub rows: Vec<FormRow>,
    /// Grid cells (empty for checklists).
    pub cells: Vec<GridCell>,
    /// Problems per row.
    pub problems: Vec<FormProblem>,
}

/// Everything read from one document, as stored with its attachment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Reading {
    /// File kind.
    pub kind: String,
    /// How the text was had: `native`, `converted`, `ocr`, `none`.
    pub source: String,
    /// Pages (PDF).
    pub pages: Option<u32>,
    /// No text layer.
    pub scanned: bool,
    /// Secrecy mark found.
    pub secret: Option<String>,
    /// Legacy encoding converted.
    pub legacy: Option<String>,
    /// Problems reading the file.
    pub problems: Vec<String>,
    /// Party header and signature.
    pub header: Option<PartyHeader>,
    /// Forms found.
    pub forms: Vec<FormRead>,
    /// Outline sections found (reports).
    pub sections: Vec<Section>,
    /// Amount of text read.
    pub text_chars: usize,
}

impl Reading {
    /// Reads `doc` (already extracted) against `campaign`.
    pub fn new(doc: &Document, header: Option<PartyHeader>, campaign: &Campaign) -> Self {
        let source = serde_json::to_value(doc.source)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        Reading {
            kind: doc.kind.as_str().to_string(),
            source,
            pages: doc.pages,
            scanned: doc.scanned,
            secret: doc.secret.clone(),
            legacy: doc.legacy.clone(),
            problems: doc.problems.clone(),
            header: header.filter(|h| *h != PartyHeader::default()),
            forms: read_forms(doc, campaign),
            sections: split_sections(doc, &campaign.outline),
            text_chars: doc.text_chars(),
        }
    }
}

/// Reads every form of `campaign` found in `doc`.
pub fn read_forms(doc: &Document, campaign: &Campaign) -> Vec<FormRead> {
    let mut out = Vec::new();
    for (ti, t) in doc.tables.iter().enumerate() {
        let location = match &t.name {
            Some(n) => format!("sheet {n}"),
            None => format!("table {}", ti + 1),
        };
        let checklists: Vec<_> = campaign
            .forms
            .iter()
            .filter_map(|f| match &f.kind {
                FormKind::Checklist(c) => Some((f, c)),
                FormKind::Grid(_) => None,
            })
            .collect();
        out.extend(checklist::read(t, &checklists, &location));
        for f in &campaign.forms {
            if let FormKind::Grid(g) = &f.kind
                && let Some(r) = grid::read(t, f, g, &location)
            {
                out.push(r);
            }
        }
    }
    out
}

/// Strips literal italic markers some tools leave in cell text.
pub(crate) fn clean_label(s: &str) -> String {
    s.replace("<i>", "").replace("</i>", "").trim().to_string()
}

/// True when the folded `a` and `b` name the same thing, allowing small differences
/// ("Tiêu chí a" ~ "Tiêu chí (a)", a missing word in a long label).
pub(crate) fn same_label(a: &str, b: &str) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    if a == b {
        return true;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    // "a)" written for "Tiêu chí (a)".
    if short.len() <= 2 {
        return long.ends_with(&format!(" {short}"));
    }
    if short.len() >= 12 && long.starts_with(short) {
        return true;
    }
    let ta: Vec<&str> = a.split(' ').collect();
    let tb: Vec<&str> = b.split(' ').collect();
    // "Tiêu chí (a)" and "Tiêu chí (b)" differ by one letter but are different rows.
    if ta.len() == tb.len()
        && ta
            .iter()
            .zip(&tb)
            .any(|(x, y)| x != y && (x.len() <= 2 || y.len() <= 2))
    {
        return false;
    }
    long.len() >= 8 && strsim::normalized_levenshtein(a, b) >= 0.85
}

/// Does the text contain one of the (folded) title words?
pub(crate) fn has_title(text: &str, titles: &[String]) -> bool {
    let f = Folded::new(text);
    titles.iter().any(|t| !f.find_words(t).is_empty())
}

/// The text of rows `from..to` of a table, for titles above a header row.
pub(crate) fn rows_text(t: &Table, from: usize, to: usize) -> String {
    let mut s = String::new();
    for r in from..to.min(t.rows.len()) {
        for c in &t.rows[r] {
            if !c.merged && !c.text.is_empty() {
                s.push_str(&c.text);
                s.push(' ');
            }
        }
        s.push('\n');
    }
    s
}

/// True when row `r` starts the notes or signature below a form ("Ghi chú", "Người lập biểu").
pub(crate) fn is_form_footer(t: &Table, r: usize) -> bool {
    t.rows.get(r).is_some_and(|row| {
        row.iter().filter(|c| !c.text.is_empty()).take(2).any(|c| {
            let f = fold(&c.text);
            f.starts_with("ghi chu") || f.starts_with("nguoi lap bieu") || f.starts_with("noi nhan")
        })
    })
}

/// Folded text of a cell.
pub(crate) fn cell_fold(t: &Table, r: usize, c: usize) -> String {
    fold(&clean_label(t.text(r, c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_matching() {
        assert!(same_label(&fold("Tiêu chí (a)"), &fold("Tiêu chí a")));
        assert!(!same_label(&fold("Tiêu chí (a)"), &fold("Tiêu chí (b)")));
        assert!(same_label(
            &fold("Cách thức kiểm điểm (Chuẩn bị kiểm điểm, nơi kiểm điểm và tổ chức kiểm điểm)"),
            &fold("Cách thức kiểm điểm")
        ));
        assert!(!same_label(&fold("Đảng viên"), &fold("Đối tượng")));
        assert!(same_label(&fold("Tiêu chí (đ)"), &fold("đ)")));
        assert!(!same_label(
            &fold("Hoàn thành nhiệm vụ"),
            &fold("Hoàn thành tốt nhiệm vụ")
        ));
        assert!(same_label(
            &fold("Hoàn thành xuất sắc nhiệm vụ"),
            &fold("Hoàn thành xuât sắc nhiệm vu")
        ));
    }
}
