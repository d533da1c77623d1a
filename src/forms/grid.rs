//! Grid forms (Biểu 1): a header row holding the column labels (years), a row-label column
//! whose cells are merged over the sub-rows ("Thể loại văn bản", "Ngày ban hành"), and values
//! in between. Dates are checked and written as dd/mm/yyyy.

use chrono::NaiveDate;

use super::{
    FormProblem, FormRead, GridCell, clean_label, column_matches, has_title, is_form_footer,
    label_fold, rows_text, same_label,
};
use crate::config::{FormSpec, Grid};
use crate::documents::Table;
use crate::i18n::t;
use crate::vntext::fold;

/// Parses one date as clerks write it: 15/11/2018, 5-3-2019, 05.03.2019, 2019-03-05.
pub(crate) fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s
        .trim()
        .trim_start_matches(|c: char| !c.is_ascii_digit())
        .trim_end_matches(|c: char| !c.is_ascii_digit());
    let parts: Vec<&str> = s.split(['/', '-', '.']).map(str::trim).collect();
    if parts.len() != 3 {
        return None;
    }
    let n: Vec<u32> = parts
        .iter()
        .map(|p| p.parse::<u32>().ok())
        .collect::<Option<Vec<_>>>()?;
    let (d, m, y) = if parts[0].len() == 4 {
        (n[2], n[1], n[0])
    } else {
        (n[0], n[1], n[2])
    };
    let y = if y < 100 { 2000 + y } else { y };
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

/// Reads `spec` from `t` if its header row is there.
/// `folded` holds every cell of `t` folded (`cell_fold`).
pub(super) fn read(
    t: &Table,
    folded: &[Vec<String>],
    spec: &FormSpec,
    g: &Grid,
    location: &str,
) -> Option<FormRead> {
    let cols_f: Vec<String> = g.columns.iter().map(|c| fold(c)).collect();
    // The header row: most column labels found.
    let (header, col_at) = (0..t.rows.len())
        .map(|r| {
            let row_f = &folded[r];
            let at: Vec<Option<usize>> = cols_f
                .iter()
                .map(|cf| row_f.iter().position(|f| column_matches(f, cf)))
                .collect();
            (r, at)
        })
        // Two year columns suffice: a grid split over two sheets has some years in each.
        .filter(|(_, at)| at.iter().filter(|a| a.is_some()).count() >= cols_f.len().clamp(1, 2))
        .max_by_key(|(_, at)| at.iter().filter(|a| a.is_some()).count())?;
    let first_col = col_at.iter().flatten().min().copied()?;
    let subs_f: Vec<String> = g.sub_rows.iter().map(|s| fold(s)).collect();
    let rows_f: Vec<String> = g.rows.iter().map(|s| fold(s)).collect();
    let mut cells = Vec::new();
    let mut problems = Vec::new();
    let mut current_row: Option<usize> = None;
    let mut seen_rows = 0;
    for (r, row_f) in folded.iter().enumerate().skip(header + 1) {
        // Which columns left of the values hold the sub-row and the row label?
        let mut sub = None;
        let mut label_texts = Vec::new();
        for (c, f) in row_f.iter().enumerate().take(first_col) {
            if let Some(i) = subs_f.iter().position(|s| same_label(s, f)) {
                sub = Some(i);
            } else if !f.is_empty() {
                label_texts.push(clean_label(t.text(r, c)));
            }
        }
        let label = label_texts.join(" ");
        let fl = label_fold(&label);
        if is_form_footer(t, r) {
            break;
        }
        if !fl.is_empty() {
            let hit = rows_f
                .iter()
                .position(|x| *x == fl)
                .or_else(|| rows_f.iter().position(|x| same_label(x, &fl)))
                .or_else(|| {
                    // Long labels: the written label may be cut or reworded; take the best word overlap.
                    let words: Vec<&str> = fl.split(' ').collect();
                    rows_f
                        .iter()
                        .enumerate()
                        .map(|(i, x)| {
                            (
                                i,
                                words
                                    .iter()
                                    .filter(|w| w.len() > 2 && x.split(' ').any(|y| y == **w))
                                    .count(),
                            )
                        })
                        .filter(|(_, n)| *n >= 4)
                        .max_by_key(|(_, n)| *n)
                        .map(|(i, _)| i)
                });
            match hit {
                Some(i) => {
                    if current_row != Some(i) {
                        seen_rows += 1;
                    }
                    current_row = Some(i);
                }
                None if sub.is_none() => {
                    problems.push(FormProblem {
                        kind: crate::forms::FormProblemKind::UnknownRow,
                        at: label.clone(),
                        message: t!("form-unknown-row", row = label.as_str()),
                    });
                    current_row = None;
                    continue;
                }
                None => {}
            }
        }
        let (Some(row), Some(sub)) = (current_row, sub) else {
            continue;
        };
        for (ci, at) in col_at.iter().enumerate() {
            let Some(c) = *at else { continue };
            let raw = t.text(r, c).trim();
            if raw.is_empty()
                || t.rows[r][c].merged
                    && t.text(r.saturating_sub(1), c) == raw
                    && r > header + 1
                    && sub == 0
            {
                continue;
            }
            let mut value = raw.to_string();
            if g.date_sub_row == Some(sub) {
                let parts: Vec<&str> = raw
                    .split([';', '\n'])
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .collect();
                let dates: Vec<Option<NaiveDate>> = parts.iter().map(|p| parse_date(p)).collect();
                if dates.iter().all(Option::is_some) && !dates.is_empty() {
                    value = dates
                        .iter()
                        .flatten()
                        .map(|d| d.format("%d/%m/%Y").to_string())
                        .collect::<Vec<_>>()
                        .join("; ");
                } else {
                    let at = format!("{}/{}", g.rows[row], g.columns[ci]);
                    problems.push(FormProblem {
                        kind: crate::forms::FormProblemKind::NotADate,
                        at: at.clone(),
                        message: t!("form-not-a-date", value = raw, at = at.as_str()),
                    });
                }
            }
            cells.push(GridCell {
                row: g.rows[row].clone(),
                sub_row: g.sub_rows[sub].clone(),
                column: g.columns[ci].clone(),
                value,
            });
        }
    }
    // A grid whose rows match nothing is another table with year columns.
    let title_here = has_title(
        &format!("{}\n{}", t.caption, rows_text(t, 0, header)),
        &spec.title,
    );
    if seen_rows == 0 && !title_here {
        return None;
    }
    Some(FormRead {
        item: spec.item.clone(),
        location: location.to_string(),
        rows: Vec::new(),
        cells,
        problems,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_written() {
        let d = |s| parse_date(s).map(|d| d.format("%d/%m/%Y").to_string());
        assert_eq!(d("15/11/2018").as_deref(), Some("15/11/2018"));
        assert_eq!(d("5-3-2019").as_deref(), Some("05/03/2019"));
        assert_eq!(d("2019-03-05").as_deref(), Some("05/03/2019"));
        assert_eq!(d("ngày 05.03.2019").as_deref(), Some("05/03/2019"));
        assert_eq!(d("chưa có"), None);
        assert_eq!(d("31/02/2019"), None);
    }
}
