//! Checklist forms (Biểu 2–4): find the header row by its mark columns, read the rows below by
//! label against each template, and keep the template that fits best (its title above the
//! table, then how many of its rows were found). Several forms stacked in one sheet are found
//! one after another.

use super::{
    FormProblem, FormRead, FormRow, Mark, clean_label, has_title, is_form_footer, label_fold,
    rows_text, same_label,
};
use crate::config::{Checklist, FormSpec};
use crate::documents::Table;
use crate::i18n::t;
use crate::vntext::fold;

#[derive(Debug, Clone, Copy)]
struct Columns {
    number: Option<usize>,
    label: usize,
    yes: usize,
    no: usize,
    proposal: Option<usize>,
}

fn matches_any(cell: &str, words: &[String]) -> bool {
    !cell.is_empty() && words.iter().any(|w| cell.contains(w.as_str()))
}

/// The mark columns of a row for `spec`, if it is a header row; `row` holds the row's cells
/// folded (`cell_fold`).
fn header_columns(
    row: &[String],
    spec: &Checklist,
) -> Option<(usize, usize, Option<usize>, Option<usize>)> {
    let mut yes = None;
    let mut no = None;
    let mut proposal = None;
    let mut label = None;
    for (c, f) in row.iter().enumerate() {
        // "chưa phù hợp" contains "phù hợp": test the longer header first.
        if matches_any(f, &spec.no_header) {
            no.get_or_insert(c);
        } else if matches_any(f, &spec.yes_header) {
            yes.get_or_insert(c);
        } else if matches_any(f, &spec.proposal_header) {
            proposal.get_or_insert(c);
        } else if matches_any(f, &spec.label_header) {
            label.get_or_insert(c);
        }
    }
    match (yes, no) {
        (Some(y), Some(n)) if y != n => Some((y, n, proposal, label)),
        _ => None,
    }
}

fn is_mark(s: &str) -> bool {
    let t = s.trim();
    if t.is_empty() {
        return false;
    }
    !matches!(fold(t).as_str(), "0" | "khong" | "k" | "no")
        && !t.chars().all(|c| matches!(c, '-' | '_' | '.' | '–'))
}

fn choose_label_column(t: &Table, rows: std::ops::Range<usize>, before: usize) -> usize {
    // The column left of the marks with the most words in it.
    let mut best = (0usize, 0usize);
    for c in 0..before {
        let n = rows
            .clone()
            .filter(|&r| t.text(r, c).chars().filter(|ch| ch.is_alphabetic()).count() >= 3)
            .count();
        if n > best.1 {
            best = (c, n);
        }
    }
    best.0
}

/// Reads every checklist form in `t`.
/// `folded` holds every cell of `t` folded (`cell_fold`).
pub(super) fn read(
    t: &Table,
    folded: &[Vec<String>],
    specs: &[(&FormSpec, &Checklist)],
    location: &str,
) -> Vec<FormRead> {
    if specs.is_empty() {
        return Vec::new();
    }
    // Header rows (a two-row merged header counts once: its last row).
    let mut headers: Vec<(usize, Columns)> = Vec::new();
    let mut r = 0;
    while r < t.rows.len() {
        if let Some((yes, no, proposal, label)) = specs
            .iter()
            .find_map(|(_, c)| header_columns(&folded[r], c))
        {
            let mut end = r;
            while end + 1 < t.rows.len()
                && specs
                    .iter()
                    .any(|(_, c)| header_columns(&folded[end + 1], c).is_some())
            {
                end += 1;
            }
            headers.push((
                end,
                Columns {
                    number: None,
                    label: label.unwrap_or(usize::MAX),
                    yes,
                    no,
                    proposal,
                },
            ));
            r = end + 1;
        } else {
            r += 1;
        }
    }
    let mut out = Vec::new();
    let mut prev_end = 0;
    for (i, &(h, mut cols)) in headers.iter().enumerate() {
        let data_end = headers
            .get(i + 1)
            .map(|(next, _)| *next)
            .unwrap_or(t.rows.len());
        // A two-row header may have started one row above `h`.
        let data_start = h + 1;
        let first_mark = cols.yes.min(cols.no);
        // The label header names its column wherever it stands (some put it after the marks).
        if cols.label == usize::MAX {
            cols.label = choose_label_column(t, data_start..data_end, first_mark);
        }
        if cols.label > 0 {
            cols.number = Some(cols.label - 1);
        }
        if cols.proposal.is_none() {
            let after = cols.yes.max(cols.no) + 1;
            if after < t.width() {
                cols.proposal = Some(after);
            }
        }
        let mut title_text = rows_text(t, prev_end, h.saturating_sub(0));
        if i == 0 {
            title_text = format!("{}\n{title_text}", t.caption);
        }
        let rows = block_rows(t, data_start..data_end, cols);
        let mut best: Option<(f64, usize, Vec<Outcome>, usize)> = None;
        for (n, (spec, cl)) in specs.iter().enumerate() {
            let (outcomes, found) = match_rows(&rows, cl);
            if found == 0 {
                continue;
            }
            let mut score = found as f64 / cl.rows.len() as f64;
            if has_title(&title_text, &spec.title) {
                score += 1.0;
            } else if t.name.as_deref().is_some_and(|n| has_title(n, &spec.title)) {
                score += 0.1;
            }
            if best.as_ref().is_none_or(|(s, ..)| score > *s) {
                best = Some((score, n, outcomes, found));
            }
        }
        if let Some((_, n, outcomes, found)) = best {
            let (spec, cl) = specs[n];
            out.push(form_read(&rows, &outcomes, found, spec, cl, location));
        }
        prev_end = data_end;
    }
    out
}

/// One data row of a block, read once for every template tried on it.
struct RowData {
    label: String,
    folded: String,
    yes: bool,
    no: bool,
    proposal: String,
}

/// The data rows of a block under columns `cols`, up to the form's footer; rows with neither a
/// label nor a mark are left out.
fn block_rows(t: &Table, rows: std::ops::Range<usize>, cols: Columns) -> Vec<RowData> {
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        if is_form_footer(t, r) {
            break;
        }
        let label = clean_label(t.text(r, cols.label));
        let yes = is_mark(t.text(r, cols.yes));
        let no = is_mark(t.text(r, cols.no));
        let folded = label_fold(&label);
        if folded.is_empty() && !yes && !no {
            continue;
        }
        let proposal = cols
            .proposal
            .map(|c| t.text(r, c).trim().to_string())
            .unwrap_or_default();
        out.push(RowData {
            label,
            folded,
            yes,
            no,
            proposal,
        });
    }
    out
}

/// What became of one data row against a template.
enum Outcome {
    /// It is template row `.1`; `.0` indexes the block's rows.
    Row(usize, usize),
    /// Not in the template; `.1` is the group it stood under.
    Unknown(usize, Option<usize>),
}

/// How a block's rows fit one template: each row's outcome, and how many template rows were
/// found. Nothing is formatted here: most templates tried lose to a better one.
fn match_rows(rows: &[RowData], cl: &Checklist) -> (Vec<Outcome>, usize) {
    let mut taken = vec![false; cl.rows.len()];
    let mut outcomes = Vec::with_capacity(rows.len());
    let mut group: Option<usize> = None;
    let mut count = 0;
    for (k, row) in rows.iter().enumerate() {
        let fl = row.folded.as_str();
        // A group heading?
        if !row.yes && !row.no {
            let exact: Vec<usize> = (0..cl.groups.len())
                .filter(|&g| cl.groups[g].folded == fl)
                .collect();
            let cands = if exact.is_empty() {
                (0..cl.groups.len())
                    .filter(|&g| same_label(&cl.groups[g].folded, fl))
                    .collect()
            } else {
                exact
            };
            if let Some(&g) = cands
                .iter()
                .find(|&&g| group.is_none_or(|cur| g > cur))
                .or(cands.first())
            {
                group = Some(g);
                continue;
            }
        }
        let free = |i: &usize| !taken[*i] && group.is_none_or(|g| cl.rows[*i].group == g);
        let hit = (0..cl.rows.len())
            .filter(free)
            .find(|&i| cl.rows[i].folded == fl)
            .or_else(|| {
                (0..cl.rows.len())
                    .filter(free)
                    .find(|&i| same_label(&cl.rows[i].folded, fl))
            });
        match hit {
            Some(i) => {
                taken[i] = true;
                count += 1;
                outcomes.push(Outcome::Row(k, i));
            }
            None => outcomes.push(Outcome::Unknown(k, group)),
        }
    }
    (outcomes, count)
}

/// The form a block's rows make against the template they fit best, with its problems.
fn form_read(
    rows: &[RowData],
    outcomes: &[Outcome],
    count: usize,
    spec: &FormSpec,
    cl: &Checklist,
    location: &str,
) -> FormRead {
    let mut found: Vec<Option<(Option<Mark>, String)>> = vec![None; cl.rows.len()];
    let mut problems = Vec::new();
    let where_ = |i: usize| {
        format!(
            "{} / {}",
            cl.groups[cl.rows[i].group].path, cl.rows[i].label
        )
    };
    for o in outcomes {
        match *o {
            Outcome::Row(k, i) => {
                let row = &rows[k];
                let mark = match (row.yes, row.no) {
                    (true, true) => Some(Mark::Both),
                    (true, false) => Some(Mark::PhuHop),
                    (false, true) => Some(Mark::ChuaPhuHop),
                    (false, false) => None,
                };
                match mark {
                    Some(Mark::Both) => problems.push(FormProblem {
                        kind: crate::forms::FormProblemKind::Both,
                        at: where_(i),
                        message: t!("form-both-marked", at = where_(i)),
                    }),
                    None => problems.push(FormProblem {
                        kind: crate::forms::FormProblemKind::None,
                        at: where_(i),
                        message: t!("form-none-marked", at = where_(i)),
                    }),
                    _ => {}
                }
                found[i] = Some((mark, row.proposal.clone()));
            }
            Outcome::Unknown(k, group) => {
                let label = &rows[k].label;
                let g = group.map(|g| cl.groups[g].path.clone()).unwrap_or_default();
                problems.push(FormProblem {
                    kind: crate::forms::FormProblemKind::UnknownRow,
                    at: label.clone(),
                    message: t!("form-unknown-row-in", row = label.as_str(), group = g),
                });
            }
        }
    }
    let mut out_rows = Vec::with_capacity(cl.rows.len());
    for (i, rs) in cl.rows.iter().enumerate() {
        let group = cl.groups[rs.group].path.clone();
        match &found[i] {
            Some((mark, proposal)) => out_rows.push(FormRow {
                group,
                label: rs.label.clone(),
                mark: *mark,
                proposal: proposal.clone(),
            }),
            None => {
                if count > 0 {
                    problems.push(FormProblem {
                        kind: crate::forms::FormProblemKind::MissingRow,
                        at: format!("{group} / {}", rs.label),
                        message: t!(
                            "form-missing-row",
                            group = group.as_str(),
                            row = rs.label.as_str()
                        ),
                    });
                }
                out_rows.push(FormRow {
                    group,
                    label: rs.label.clone(),
                    mark: None,
                    proposal: String::new(),
                });
            }
        }
    }
    FormRead {
        item: spec.item.clone(),
        location: location.to_string(),
        rows: out_rows,
        cells: Vec::new(),
        problems,
    }
}
