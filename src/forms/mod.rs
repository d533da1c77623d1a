//! Forms and outline: what a document *says*, read against the campaign's templates.
//!
//! One generic recogniser per form kind (`checklist.rs` for the mark tables of Biểu 2–4,
//! `grid.rs` for rows × columns like Biểu 1) finds a template's table in any sheet or Word
//! table, wherever it starts, and reads it row by row by *label*, so extra or blank rows,
//! merged cells, renumbering and varied marks do not matter. `outline.rs` splits a report's
//! text into the request's outline sections. Problems are recorded per row, never fatal.

mod checklist;
pub mod figures;
pub(crate) mod grid;
mod outline;

use serde::Serialize;

pub use outline::{Section, split_sections};

use crate::config::{Campaign, FormKind};
use crate::documents::{Document, PartyHeader, Table};
use crate::i18n::t;
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

/// What is wrong in a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormProblemKind {
    /// Both "Phù hợp" and "Chưa phù hợp" ticked on one row.
    Both,
    /// Neither ticked.
    None,
    /// A row the request's form does not have.
    UnknownRow,
    /// A row of the request's form that is not there.
    MissingRow,
    /// A date cell that is not a date.
    NotADate,
}

impl FormProblemKind {
    /// The word stored in readings (and used by the fixtures' expected files).
    pub fn as_str(self) -> &'static str {
        match self {
            FormProblemKind::Both => "both",
            FormProblemKind::None => "none",
            FormProblemKind::UnknownRow => "unknown_row",
            FormProblemKind::MissingRow => "missing_row",
            FormProblemKind::NotADate => "not_a_date",
        }
    }
}

impl std::fmt::Display for FormProblemKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A problem found in a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct FormProblem {
    /// What is wrong.
    pub kind: FormProblemKind,
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

/// A stored reading that cannot be read back (written by another version, or damaged).
#[derive(Debug, thiserror::Error)]
#[error("{}", crate::i18n::technical(t!("form-stored-unreadable", file = file.as_str()), source))]
pub struct StoredReadingError {
    /// The attachment's file name.
    pub file: String,
    /// What the JSON parser said.
    #[source]
    pub source: serde_json::Error,
}

impl Reading {
    /// What was read from stored attachment `a`, if it is a document that was read.
    pub fn stored(a: &crate::store::NewAttachment) -> Result<Option<Reading>, StoredReadingError> {
        a.document
            .as_deref()
            .map(|d| {
                serde_json::from_str(d).map_err(|source| StoredReadingError {
                    file: a.name.clone(),
                    source,
                })
            })
            .transpose()
    }

    /// What the register's status reads of this reading, to be stored beside it: its
    /// problems and each form's problems other than missing rows (see
    /// [`crate::store::ForRegister`]).
    pub fn register_part(&self) -> crate::store::ForRegister {
        use crate::store::ForRegister;
        let forms: Vec<FormRead> = self
            .forms
            .iter()
            .filter_map(|f| {
                let problems: Vec<_> = f
                    .problems
                    .iter()
                    .filter(|p| p.kind != FormProblemKind::MissingRow)
                    .cloned()
                    .collect();
                (!problems.is_empty()).then(|| FormRead {
                    item: f.item.clone(),
                    location: String::new(),
                    rows: Vec::new(),
                    cells: Vec::new(),
                    problems,
                })
            })
            .collect();
        if self.problems.is_empty() && forms.is_empty() {
            return ForRegister::Nothing;
        }
        let part = Reading {
            problems: self.problems.clone(),
            forms,
            ..Reading::default()
        };
        match serde_json::to_string(&part) {
            Ok(json) => ForRegister::Part(json),
            Err(_) => ForRegister::Whole,
        }
    }

    /// What the register reads of the reading stored with `a` ([`Reading::register_part`]):
    /// the whole of it when it cannot be read back, for the register to report that.
    pub fn for_register(a: &crate::store::NewAttachment) -> crate::store::ForRegister {
        match Reading::stored(a) {
            Ok(Some(r)) => r.register_part(),
            Ok(None) => crate::store::ForRegister::Nothing,
            Err(_) => crate::store::ForRegister::Whole,
        }
    }

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

/// Reads every form of `campaign` found in `doc`. A form split over two sheets (or two
/// tables, one per page) is read as one: the rows or cells found in each part are joined.
pub fn read_forms(doc: &Document, campaign: &Campaign) -> Vec<FormRead> {
    let mut parts: Vec<FormRead> = Vec::new();
    for f in read_parts(doc, campaign) {
        match parts.iter_mut().find(|p| p.item == f.item) {
            Some(p) => join(p, f),
            None => parts.push(f),
        }
    }
    parts
}

/// Joins the second part `b` of a form into `a`.
fn join(a: &mut FormRead, b: FormRead) {
    a.location = format!("{} + {}", a.location, b.location);
    if a.rows.is_empty() {
        a.cells.extend(b.cells);
        a.problems.extend(b.problems);
        return;
    }
    // Checklists: each template row is taken from the part that has it.
    let b_missing: Vec<String> = b
        .problems
        .iter()
        .filter(|p| p.kind == crate::forms::FormProblemKind::MissingRow)
        .map(|p| p.at.clone())
        .collect();
    for (ra, rb) in a.rows.iter_mut().zip(&b.rows) {
        let at = format!("{} / {}", rb.group, rb.label);
        if !b_missing.contains(&at) && ra.mark.is_none() && ra.proposal.is_empty() {
            *ra = rb.clone();
        }
    }
    // A row missing from one part and present in the other is not missing.
    a.problems.retain(|p| {
        p.kind != crate::forms::FormProblemKind::MissingRow || b_missing.contains(&p.at)
    });
    a.problems.extend(
        b.problems
            .into_iter()
            .filter(|p| p.kind != crate::forms::FormProblemKind::MissingRow),
    );
}

/// Every form part found in each table of `doc`.
fn read_parts(doc: &Document, campaign: &Campaign) -> Vec<FormRead> {
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
        // Every cell folded once for all templates, checklists and grids alike.
        let folded: Vec<Vec<String>> = (0..t.rows.len())
            .map(|r| (0..t.width()).map(|c| cell_fold(t, r, c)).collect())
            .collect();
        out.extend(checklist::read(t, &folded, &checklists, &location));
        for f in &campaign.forms {
            if let FormKind::Grid(g) = &f.kind
                && let Some(r) = grid::read(t, &folded, f, g, &location)
            {
                out.push(r);
            }
        }
    }
    out
}

/// Why the form of `item` was not found in `doc`, in plain words for staff: no table at all,
/// no header row with the template's columns (and which were seen), or a header but no row
/// of the template.
pub fn why_not_found(doc: &Document, campaign: &Campaign, item: &str) -> String {
    let Some(spec) = campaign.forms.iter().find(|f| f.item == item) else {
        return t!("form-no-template");
    };
    if doc.tables.is_empty() {
        return t!("form-no-table");
    }
    match &spec.kind {
        FormKind::Grid(g) => {
            let cols_f: Vec<String> = g.columns.iter().map(|c| fold(c)).collect();
            let best = doc
                .tables
                .iter()
                .flat_map(|t| {
                    let cols_f = &cols_f;
                    (0..t.rows.len()).map(move |r| {
                        cols_f
                            .iter()
                            .filter(|cf| {
                                (0..t.width()).any(|c| column_matches(&cell_fold(t, r, c), cf))
                            })
                            .count()
                    })
                })
                .max()
                .unwrap_or(0);
            if best < 2 {
                t!("form-no-header", columns = g.columns.join(", "))
            } else {
                t!(
                    "form-no-row",
                    first = g.rows.first().map(String::as_str).unwrap_or("")
                )
            }
        }
        FormKind::Checklist(c) => {
            let header = doc.tables.iter().any(|t| {
                (0..t.rows.len()).any(|r| {
                    let cells: Vec<String> = (0..t.width()).map(|k| cell_fold(t, r, k)).collect();
                    let has = |words: &[String]| {
                        cells.iter().any(|x| {
                            words
                                .iter()
                                .any(|w| !x.is_empty() && x.contains(w.as_str()))
                        })
                    };
                    has(&c.no_header)
                        && cells.iter().any(|x| {
                            c.yes_header.iter().any(|w| x.contains(w.as_str()))
                                && !c.no_header.iter().any(|w| x.contains(w.as_str()))
                        })
                })
            });
            if header {
                t!("form-checklist-no-row")
            } else {
                t!("form-checklist-no-header")
            }
        }
    }
}

/// Strips literal italic markers some tools leave in cell text.
pub(crate) fn clean_label(s: &str) -> String {
    // Nearly every cell has no marker: skip the two copies `replace` makes.
    if !s.contains('<') {
        return s.trim().to_string();
    }
    s.replace("<i>", "").replace("</i>", "").trim().to_string()
}

/// `strsim::normalized_levenshtein(a, b)` when it is at least `floor`, else `None`, computed
/// only as far as needed to know: the distance is at least the difference in length, and the
/// edit table is filled only along the diagonal band within the largest distance `floor`
/// allows, stopping as soon as a whole row exceeds it. Comparing every paragraph with every
/// outline heading and every label with every template row the full way was a third of
/// reading a report.
pub(crate) fn similarity(a: &str, b: &str, floor: f64) -> Option<f64> {
    let (la, lb) = (a.chars().count(), b.chars().count());
    let longest = la.max(lb);
    if longest == 0 {
        return (1.0 >= floor).then_some(1.0);
    }
    let score = |d: usize| 1.0 - (d as f64) / (longest as f64);
    // The largest distance that still scores `floor`, by the same arithmetic as strsim.
    let mut bound = ((1.0 - floor).max(0.0) * longest as f64) as usize;
    bound = bound.min(longest);
    while bound < longest && score(bound + 1) >= floor {
        bound += 1;
    }
    while bound > 0 && score(bound) < floor {
        bound -= 1;
    }
    if score(bound) < floor {
        return None;
    }
    let d = if a.is_ascii() && b.is_ascii() {
        levenshtein_within(a.as_bytes(), b.as_bytes(), bound)
    } else {
        let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        levenshtein_within(&ca, &cb, bound)
    }?;
    Some(score(d))
}

/// The edit distance of `a` and `b` if it is at most `k`.
fn levenshtein_within<T: PartialEq>(a: &[T], b: &[T], k: usize) -> Option<usize> {
    let (n, m) = (a.len(), b.len());
    if n.abs_diff(m) > k {
        return None;
    }
    // Cells further than k from the diagonal cost more than k: they hold `out` (k + 1).
    let out = k + 1;
    let mut prev: Vec<usize> = (0..=m).map(|j| j.min(out)).collect();
    let mut cur = vec![out; m + 1];
    for i in 1..=n {
        let lo = i.saturating_sub(k).max(1);
        let hi = (i + k).min(m);
        cur[0] = i.min(out);
        cur[lo - 1] = if lo == 1 { cur[0] } else { out };
        let mut row_min = cur[lo - 1];
        for j in lo..=hi {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let v = (prev[j - 1] + cost)
                .min(prev[j] + 1)
                .min(cur[j - 1] + 1)
                .min(out);
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if hi < m {
            cur[hi + 1] = out;
        }
        if row_min > k {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    (prev[m] <= k).then_some(prev[m])
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
    long.len() >= 8 && similarity(a, b, 0.85).is_some()
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

/// Quality levels as clerks abbreviate them, folded: whole-word abbreviation → full label.
const LEVEL_ABBREVIATIONS: &[(&str, &str)] = &[
    ("htxsnv", "hoan thanh xuat sac nhiem vu"),
    ("httnv", "hoan thanh tot nhiem vu"),
    ("htnv", "hoan thanh nhiem vu"),
    ("khtnv", "khong hoan thanh nhiem vu"),
    ("ht", "hoan thanh"),
    ("xs", "xuat sac"),
    ("nv", "nhiem vu"),
    ("k", "khong"),
    ("ko", "khong"),
    ("tcd", "to chuc dang"),
    ("dv", "dang vien"),
];

/// Roman numerals used to number sections ("I.1", "II").
const ROMAN: &[&str] = &["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"];

/// A row label folded for comparison with the template: numbering written into the label
/// ("1.", "1)", "I.1", "2.3") left out, abbreviated levels ("HTXSNV", "Hoàn thành tốt NV")
/// written in full.
pub(crate) fn label_fold(s: &str) -> String {
    let f = fold(&clean_label(s));
    let words: Vec<&str> = f.split(' ').filter(|w| !w.is_empty()).collect();
    let numbering = words
        .iter()
        .take_while(|w| w.chars().all(|c| c.is_ascii_digit()) || ROMAN.contains(w))
        .count();
    // A label that is only a number (or "V") stays as written.
    let rest = if numbering < words.len() {
        &words[numbering..]
    } else {
        &words[..]
    };
    let mut out: Vec<&str> = Vec::with_capacity(rest.len());
    for w in rest {
        match LEVEL_ABBREVIATIONS.iter().find(|(a, _)| a == w) {
            Some((_, full)) if rest.len() > 1 || w.len() > 2 => out.push(full),
            _ => out.push(w),
        }
    }
    out.join(" ")
}

/// True when a header cell names the template's column `column` (folded): "2018", "Năm
/// 2018", "năm 2018", "N2018", "Năm 2018 (*)".
pub(crate) fn column_matches(cell: &str, column: &str) -> bool {
    if cell == column {
        return true;
    }
    let rest = cell
        .strip_prefix("nam ")
        .or_else(|| cell.strip_prefix("n "))
        .unwrap_or(cell);
    rest == column || rest.split(' ').next() == Some(column) && rest.len() <= column.len() + 4
}

/// Folded text of a cell.
pub(crate) fn cell_fold(t: &Table, r: usize, c: usize) -> String {
    fold(&clean_label(t.text(r, c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similarity_agrees_with_strsim() {
        let words = [
            "to chuc dang",
            "dang vien",
            "tieu chi a",
            "tieu chi b",
            "hoan thanh",
            "nhiem vu",
            "x",
            "",
            "cong tac lanh dao chi dao",
            "ket qua",
            "đảng",
            "ạ",
        ];
        let mut seed: u64 = 7;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize % n
        };
        let phrase = |next: &mut dyn FnMut(usize) -> usize| {
            let n = next(5);
            (0..n)
                .map(|_| words[next(words.len())])
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut close = 0;
        for _ in 0..20_000 {
            let a = phrase(&mut next);
            // Often a near copy of `a`, so that high similarities are tried too.
            let b = if next(2) == 0 {
                let mut b: Vec<char> = a.chars().collect();
                for _ in 0..next(4) {
                    if !b.is_empty() {
                        let at = next(b.len());
                        b[at] = 'q';
                    }
                }
                b.into_iter().collect()
            } else {
                phrase(&mut next)
            };
            let exact = strsim::normalized_levenshtein(&a, &b);
            for floor in [0.0, 0.5, 0.8, 0.85, 0.9, 1.0] {
                let want = (exact >= floor).then_some(exact);
                assert_eq!(similarity(&a, &b, floor), want, "{a:?} {b:?} {floor}");
            }
            close += usize::from((0.8..1.0).contains(&exact));
        }
        assert!(close > 1000, "{close} pairs between 0.8 and 1");
    }

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

#[cfg(test)]
mod variant_tests {
    //! Form headers as units type them, on tables built in code.

    use super::*;
    use crate::documents::Cell;
    use crate::message::FileKind;
    use std::path::Path;

    fn campaign() -> Campaign {
        let cfg =
            crate::config::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("config/baocao.toml"))
                .unwrap();
        cfg.campaign("809-CV-HU").unwrap().clone()
    }

    fn table(name: &str, rows: &[Vec<String>]) -> Table {
        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        Table {
            name: Some(name.into()),
            rows: rows
                .iter()
                .map(|r| {
                    (0..width)
                        .map(|c| Cell {
                            text: r.get(c).cloned().unwrap_or_default(),
                            merged: false,
                        })
                        .collect()
                })
                .collect(),
            caption: String::new(),
        }
    }

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| s.to_string()).collect()
    }

    const B1_ROWS: [&str; 3] = [
        "Văn bản cụ thể hóa Quy định số 132; các Quy định của Ban Thường vụ Tỉnh ủy",
        "Văn bản cụ thể hóa Hướng dẫn 21 và các Hướng dẫn của Ban Tổ chức Tỉnh ủy",
        "Văn bản lãnh đạo, chỉ đạo công tác kiểm điểm, đánh giá, xếp loại hằng năm",
    ];

    /// Biểu 1 with `years` written through `fmt`, optionally with a "Ghi chú" column.
    fn bieu1(years: &[&str], fmt: &dyn Fn(&str) -> String, note: bool, title: bool) -> Table {
        let mut rows = Vec::new();
        if title {
            rows.push(row(&["Biểu số 1"]));
        }
        let mut head = row(&["STT", "NỘI DUNG", ""]);
        head.extend(years.iter().map(|y| fmt(y)));
        if note {
            head.push("Ghi chú".into());
        }
        rows.push(head);
        for (i, label) in B1_ROWS.iter().enumerate() {
            let mut a = row(&[&(i + 1).to_string(), label, "Thể loại văn bản"]);
            a.extend(years.iter().map(|y| format!("Kế hoạch {y}")));
            let mut b = row(&["", label, "Ngày ban hành"]);
            b.extend(years.iter().map(|y| format!("15/03/{y}")));
            if note {
                a.push("đã ban hành".into());
                b.push(String::new());
            }
            rows.push(a);
            rows.push(b);
        }
        table("Biểu 1", &rows)
    }

    fn doc(tables: Vec<Table>) -> Document {
        let mut d = Document::empty(FileKind::Xlsx);
        d.tables = tables;
        d
    }

    fn cells(d: &Document) -> usize {
        read_forms(d, &campaign())
            .iter()
            .find(|f| f.item == "bieu1")
            .map(|f| f.cells.len())
            .unwrap_or(0)
    }

    const YEARS: [&str; 5] = ["2018", "2019", "2020", "2021", "2022"];

    #[test]
    fn year_columns_as_written() {
        let fmts: [&dyn Fn(&str) -> String; 5] = [
            &|y: &str| y.to_string(),
            &|y: &str| format!("Năm {y}"),
            &|y: &str| format!("năm {y}"),
            &|y: &str| format!("N{y}"),
            &|y: &str| format!("NĂM {y}"),
        ];
        for fmt in fmts {
            let d = doc(vec![bieu1(&YEARS, fmt, false, true)]);
            assert_eq!(cells(&d), 30, "{}", fmt("2018"));
        }
    }

    #[test]
    fn extra_note_column_and_reversed_years() {
        let d = doc(vec![bieu1(&YEARS, &|y| y.to_string(), true, true)]);
        assert_eq!(cells(&d), 30);
        let rev = ["2022", "2021", "2020", "2019", "2018"];
        let d = doc(vec![bieu1(&rev, &|y| format!("Năm {y}"), false, true)]);
        let f = read_forms(&d, &campaign());
        let b1 = f.iter().find(|f| f.item == "bieu1").unwrap();
        assert_eq!(b1.cells.len(), 30);
        // Each value lands under its own year, whatever the column order.
        assert!(
            b1.cells.iter().all(|c| c.value.contains(&c.column)),
            "{:?}",
            b1.cells
        );
    }

    #[test]
    fn grid_split_over_two_sheets() {
        let d = doc(vec![
            bieu1(&YEARS[..3], &|y| y.to_string(), false, true),
            bieu1(&YEARS[3..], &|y| format!("Năm {y}"), false, false),
        ]);
        let f = read_forms(&d, &campaign());
        let b1: Vec<&FormRead> = f.iter().filter(|f| f.item == "bieu1").collect();
        assert_eq!(b1.len(), 1, "{f:?}");
        assert_eq!(b1[0].cells.len(), 30);
        assert_eq!(b1[0].location, "sheet Biểu 1 + sheet Biểu 1");
    }

    /// Biểu 2 rows; `label` writes a group's number and label into the cells.
    fn bieu2(
        groups: &[(&str, &str, &[&str])],
        head: &[&str],
        label: &dyn Fn(&str, &str) -> [String; 2],
        mark: &dyn Fn(&str) -> Vec<String>,
        title: bool,
    ) -> Table {
        let mut rows = Vec::new();
        if title {
            rows.push(row(&["Biểu số 2"]));
        }
        rows.push(row(head));
        for (n, g, rs) in groups {
            let [a, b] = label(n, g);
            rows.push(vec![a, b]);
            for r in rs.iter() {
                rows.push(mark(r));
            }
        }
        table("Biểu 2", &rows)
    }

    const B2: [(&str, &str, &[&str]); 3] = [
        (
            "1",
            "Tổ chức đảng",
            &["Tiêu chí (a)", "Tiêu chí (b)", "Tiêu chí (c)"],
        ),
        (
            "2",
            "Tập thể lãnh đạo, quản lý",
            &["Tiêu chí (a)", "Tiêu chí (b)", "Tiêu chí (c)"],
        ),
        (
            "3",
            "Đảng viên",
            &[
                "Tiêu chí (a)",
                "Tiêu chí (b)",
                "Tiêu chí (c)",
                "Tiêu chí (d)",
                "Tiêu chí (đ)",
            ],
        ),
    ];
    const HEAD: [&str; 5] = [
        "STT",
        "Tập thể, cá nhân",
        "Phù hợp",
        "Chưa phù hợp",
        "Đề nghị sửa đổi, bổ sung",
    ];

    fn ticked(f: &FormRead) -> Vec<Option<Mark>> {
        f.rows.iter().map(|r| r.mark).collect()
    }

    fn bieu2_of(d: &Document) -> FormRead {
        read_forms(d, &campaign())
            .into_iter()
            .find(|f| f.item == "bieu2")
            .expect("bieu2 read")
    }

    /// Writes a group's number and label into two cells.
    type Label = dyn Fn(&str, &str) -> [String; 2];

    #[test]
    fn group_numbering_as_written() {
        let yes = |r: &str| row(&["", r, "x", "", ""]);
        let labels: [&Label; 5] = [
            &|n: &str, g: &str| [n.to_string(), g.to_string()],
            &|n: &str, g: &str| [String::new(), format!("{n}. {g}")],
            &|n: &str, g: &str| [String::new(), format!("{n}) {g}")],
            &|n: &str, g: &str| [String::new(), format!("I.{n} {g}")],
            &|n: &str, g: &str| [format!("{n}."), g.to_string()],
        ];
        for label in labels {
            let d = doc(vec![bieu2(&B2, &HEAD, label, &yes, true)]);
            let f = bieu2_of(&d);
            assert_eq!(
                ticked(&f),
                vec![Some(Mark::PhuHop); 11],
                "{}",
                label("1", "x")[1]
            );
            assert!(f.problems.is_empty(), "{:?}", f.problems);
        }
    }

    #[test]
    fn swapped_mark_columns_and_a_note_column() {
        let head = [
            "STT",
            "Tập thể, cá nhân",
            "Chưa phù hợp",
            "Phù hợp",
            "Đề nghị sửa đổi, bổ sung",
            "Ghi chú",
        ];
        // "x" under "Phù hợp", which is now the fourth column.
        let mark = |r: &str| row(&["", r, "", "x", "", "đã thảo luận"]);
        let plain = |n: &str, g: &str| [n.to_string(), g.to_string()];
        let d = doc(vec![bieu2(&B2, &head, &plain, &mark, true)]);
        let f = bieu2_of(&d);
        assert_eq!(ticked(&f), vec![Some(Mark::PhuHop); 11]);
        // The label column after the marks is found by its header.
        let head = [
            "Phù hợp",
            "Chưa phù hợp",
            "Tập thể, cá nhân",
            "Đề nghị sửa đổi, bổ sung",
        ];
        let mark = |r: &str| row(&["", "x", r, ""]);
        let label = |_: &str, g: &str| [String::new(), String::new()].map(|_| g.to_string());
        let mut t = bieu2(&B2, &head, &label, &mark, true);
        // Group rows: the label in the label column only.
        for r in t.rows.iter_mut() {
            if r[1].text == r[0].text && !r[0].text.is_empty() {
                r[2].text = r[0].text.clone();
                r[0].text.clear();
                r[1].text.clear();
            }
        }
        let f = bieu2_of(&doc(vec![t]));
        assert_eq!(ticked(&f), vec![Some(Mark::ChuaPhuHop); 11]);
    }

    #[test]
    fn checklist_split_over_two_sheets() {
        let yes = |r: &str| row(&["", r, "x", "", ""]);
        let plain = |n: &str, g: &str| [n.to_string(), g.to_string()];
        let d = doc(vec![
            bieu2(&B2[..2], &HEAD, &plain, &yes, true),
            bieu2(&B2[2..], &HEAD, &plain, &yes, false),
        ]);
        let all = read_forms(&d, &campaign());
        let b2: Vec<&FormRead> = all.iter().filter(|f| f.item == "bieu2").collect();
        assert_eq!(b2.len(), 1);
        assert_eq!(ticked(b2[0]), vec![Some(Mark::PhuHop); 11]);
        assert!(
            b2[0]
                .problems
                .iter()
                .all(|p| p.kind != crate::forms::FormProblemKind::MissingRow),
            "{:?}",
            b2[0].problems
        );
    }

    #[test]
    fn quality_levels_abbreviated() {
        let mut rows = vec![row(&["Biểu số 3"]), row(&HEAD)];
        for (n, g) in [
            ("1", "Tổ chức đảng"),
            ("2", "Tập thể lãnh đạo, quản lý"),
            ("3", "Đảng viên"),
        ] {
            rows.push(row(&[n, g]));
            for l in ["HTXSNV", "HT tốt NV", "Hoàn thành NV", "Không HTNV"] {
                rows.push(row(&["", l, "x", "", ""]));
            }
        }
        let d = doc(vec![table("Biểu 3", &rows)]);
        let f = read_forms(&d, &campaign());
        let b3 = f.iter().find(|f| f.item == "bieu3").expect("bieu3");
        assert_eq!(
            ticked(b3),
            vec![Some(Mark::PhuHop); 12],
            "{:?}",
            b3.problems
        );
    }

    #[test]
    fn why_a_named_form_was_not_found() {
        let c = campaign();
        assert_eq!(
            why_not_found(&doc(vec![]), &c, "bieu1"),
            "tệp không có bảng nào"
        );
        let members = table(
            "Sheet1",
            &[
                row(&["STT", "Họ và tên", "Ngày vào Đảng"]),
                row(&["1", "Nguyễn Văn A", "03/02/1998"]),
            ],
        );
        let why = why_not_found(&doc(vec![members.clone()]), &c, "bieu1");
        assert!(
            why.contains("không có hàng tiêu đề") && why.contains("2018"),
            "{why}"
        );
        let years_only = table(
            "Sheet1",
            &[
                row(&["Chỉ tiêu", "2018", "2019"]),
                row(&["Đảng viên mới", "3", "4"]),
            ],
        );
        let why = why_not_found(&doc(vec![years_only]), &c, "bieu1");
        assert!(why.contains("không dòng nào khớp"), "{why}");
        let why = why_not_found(&doc(vec![members]), &c, "bieu2");
        assert!(why.contains("Chưa phù hợp"), "{why}");
    }

    #[test]
    fn label_folding() {
        assert_eq!(label_fold("1. Tổ chức đảng"), "to chuc dang");
        assert_eq!(label_fold("I.1 Tổ chức đảng"), "to chuc dang");
        assert_eq!(label_fold("2) Đảng viên"), "dang vien");
        assert_eq!(label_fold("HTXSNV"), "hoan thanh xuat sac nhiem vu");
        assert_eq!(label_fold("Không HTNV"), "khong hoan thanh nhiem vu");
        // A row that is only its number, or a one-letter criterion, stays as written.
        assert_eq!(label_fold("3"), "3");
        assert_eq!(label_fold("đ)"), "d");
        assert!(column_matches("nam 2018", "2018"));
        assert!(column_matches("n 2018", "2018"));
        assert!(!column_matches("2019", "2018"));
        assert!(!column_matches("03 02 2018", "2018"));
    }
}

#[cfg(test)]
mod kind_tests {
    use super::FormProblemKind;

    #[test]
    fn problem_kinds_are_stored_as_the_words_they_print() {
        for k in [
            FormProblemKind::Both,
            FormProblemKind::None,
            FormProblemKind::UnknownRow,
            FormProblemKind::MissingRow,
            FormProblemKind::NotADate,
        ] {
            let json = serde_json::to_string(&k).expect("json");
            assert_eq!(json, format!("\"{}\"", k.as_str()));
            assert_eq!(
                serde_json::from_str::<FormProblemKind>(&json).expect("back"),
                k
            );
        }
    }
}

/// Stores what the register reads of every stored reading it still reads whole
/// ([`Reading::for_register`]): rows written before that was kept apart. Readings this version
/// cannot read back stay whole. Returns how many files were cut.
pub fn cut_stored_readings(store: &mut crate::store::Store) -> crate::store::Result<usize> {
    // In batches: a register of read documents holds tens of megabytes of readings.
    const BATCH: usize = 500;
    let mut after = 0;
    let mut cut = 0;
    loop {
        let rows = store.readings_to_cut(after, BATCH)?;
        let Some(last) = rows.last() else {
            return Ok(cut);
        };
        after = last.id;
        let parts: Vec<_> = rows
            .iter()
            .map(|r| (r.id, Reading::for_register(&r.attachment)))
            .filter(|(_, p)| *p != crate::store::ForRegister::Whole)
            .collect();
        cut += parts.len();
        store.set_for_register(&parts)?;
    }
}
