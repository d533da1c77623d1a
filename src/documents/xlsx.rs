//! Spreadsheets (xlsx, xls, ods) through calamine: every sheet becomes a [`Table`], with merged
//! regions spread over the cells they cover and dates written as dd/mm/yyyy, the way a clerk
//! reads them.

use std::io::Cursor;

use calamine::{Data, DataType, Dimensions, Reader, Sheets, open_workbook_auto_from_rs};

use super::{Cell, DocLimits, Document, Table, TextSource};
use crate::message::FileKind;
use crate::vntext::nfc;

/// Checks an OOXML/ODF zip's declared sizes before a parser unpacks it: a zip bomb renamed to
/// .xlsx must be refused here, not in calamine.
pub(crate) fn zip_within_limits(bytes: &[u8], limits: &DocLimits) -> Result<(), String> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("damaged file, cannot be opened ({e})"))?;
    // Sizes from the central directory (LibreOffice writes data descriptors, for which the
    // archive-wide total is unknown).
    let mut total: u64 = 0;
    for i in 0..z.len() {
        if let Ok(f) = z.by_index_raw(i) {
            total = total.saturating_add(f.size());
        }
    }
    if total > limits.max_unpacked {
        return Err(format!(
            "giải nén ra {} MB, quá giới hạn {} MB (nghi là bom zip); không đọc",
            total >> 20,
            limits.max_unpacked >> 20
        ));
    }
    Ok(())
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => nfc(s.trim()),
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", *f as i64)
            } else {
                format!("{f}")
            }
        }
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        Data::DateTime(_) | Data::DateTimeIso(_) => {
            let dt = d.as_datetime().or_else(|| match d {
                // ODS stores plain dates as "2019-11-20".
                Data::DateTimeIso(s) => {
                    chrono::NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d")
                        .ok()
                        .map(|x| x.and_time(chrono::NaiveTime::MIN))
                }
                _ => None,
            });
            match dt {
                Some(dt) if dt.time() == chrono::NaiveTime::MIN => {
                    dt.format("%d/%m/%Y").to_string()
                }
                Some(dt) => dt.format("%d/%m/%Y %H:%M").to_string(),
                None => match d {
                    Data::DateTimeIso(s) => s.clone(),
                    _ => String::new(),
                },
            }
        }
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// Reads every sheet of a workbook into `doc.tables`.
pub(crate) fn read(bytes: &[u8], kind: FileKind, limits: &DocLimits, doc: &mut Document) {
    if kind != FileKind::Xls
        && let Err(e) = zip_within_limits(bytes, limits)
    {
        doc.problems.push(e);
        doc.source = TextSource::None;
        return;
    }
    let mut wb: Sheets<_> = match open_workbook_auto_from_rs(Cursor::new(bytes)) {
        Ok(wb) => wb,
        Err(e) => {
            doc.problems.push(format!("không mở được bảng tính ({e})"));
            doc.source = TextSource::None;
            return;
        }
    };
    let mut cells_left = limits.max_cells;
    for name in wb.sheet_names() {
        let range = match wb.worksheet_range(&name) {
            Ok(r) => r,
            Err(e) => {
                doc.problems
                    .push(format!("không đọc được trang tính {name:?} ({e})"));
                continue;
            }
        };
        let merges: Vec<Dimensions> = match &mut wb {
            Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
            Sheets::Xls(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
            _ => Vec::new(),
        };
        let Some((r0, c0)) = range.start() else {
            doc.tables.push(Table {
                name: Some(nfc(&name)),
                ..Default::default()
            });
            continue;
        };
        let (h, w) = (range.height(), range.width());
        if h.saturating_mul(w) > cells_left {
            doc.problems.push(format!(
                "trang tính {name:?} có {h} × {w} ô, quá giới hạn đọc; chỉ đọc các dòng đầu"
            ));
        }
        let max_rows = cells_left.checked_div(w).unwrap_or(0).min(h);
        cells_left -= max_rows * w;
        let mut rows: Vec<Vec<Cell>> = range
            .rows()
            .take(max_rows)
            .map(|r| {
                r.iter()
                    .map(|d| Cell {
                        text: cell_text(d),
                        merged: false,
                    })
                    .collect()
            })
            .collect();
        for m in merges {
            let (sr, sc) = (m.start.0 as i64 - r0 as i64, m.start.1 as i64 - c0 as i64);
            let (er, ec) = (m.end.0 as i64 - r0 as i64, m.end.1 as i64 - c0 as i64);
            if sr < 0 || sc < 0 || sr as usize >= rows.len() {
                continue;
            }
            let text = rows[sr as usize]
                .get(sc as usize)
                .map(|c| c.text.clone())
                .unwrap_or_default();
            for r in sr.max(0)..=er.min(rows.len() as i64 - 1) {
                for c in sc.max(0)..=ec.min(w as i64 - 1) {
                    if (r, c) != (sr, sc)
                        && let Some(cell) = rows[r as usize].get_mut(c as usize)
                    {
                        cell.text = text.clone();
                        cell.merged = true;
                    }
                }
            }
        }
        doc.tables.push(Table {
            name: Some(nfc(&name)),
            rows,
            caption: String::new(),
        });
    }
}
