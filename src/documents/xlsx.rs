//! Spreadsheets (xlsx, xls, ods) through calamine: every sheet becomes a [`Table`], with merged
//! regions spread over the cells they cover and dates written as dd/mm/yyyy, the way a clerk
//! reads them.
//!
//! Hostile workbooks are stopped before calamine allocates: calamine lays every sheet out as a
//! dense grid from its first to its last used cell, so two cells at A1 and XFD1048576 ask for
//! 549 GB. An xlsx sheet is therefore streamed cell by cell and only the cells that exist are
//! kept; an .ods or .xls (which calamine expands while opening the file) is checked first by
//! our own scan of its declared sizes and repeat counts, and refused when it is too big.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use calamine::{Data, DataType, Dimensions, Reader, Sheets, open_workbook_auto_from_rs};
use quick_xml::events::{BytesStart, Event};

use super::{Cell, DocLimits, Document, Table, TextSource, guard};
use crate::i18n::{Fault, t};
use crate::message::FileKind;
use crate::vntext::nfc;

/// Empty rows (or columns) kept between two used ones when a sparse sheet is laid out: enough
/// to keep blocks apart, never enough to matter for memory.
const GAP_KEPT: u32 = 1;

/// Checks an OOXML/ODF zip's declared sizes and member names before a parser unpacks it: a zip
/// bomb renamed to .xlsx must be refused here, not in calamine. Returns the problems with the
/// member names (reported, not fatal: Office ignores such members).
pub(crate) fn zip_within_limits(bytes: &[u8], limits: &DocLimits) -> Result<Vec<String>, String> {
    let mut z =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| Fault::OfficeBroken.text(e))?;
    // Sizes from the central directory (LibreOffice writes data descriptors, for which the
    // archive-wide total is unknown).
    let mut total: u64 = 0;
    let mut names = crate::message::ZipNames::default();
    for i in 0..z.len() {
        if let Ok(f) = z.by_index_raw(i) {
            total = total.saturating_add(f.size());
        }
    }
    match crate::message::raw_member_names(bytes) {
        Some(raw) => raw.into_iter().for_each(|n| {
            names.check(n);
        }),
        None => z.file_names_raw().for_each(|n| {
            names.check(n);
        }),
    }
    if total > limits.max_unpacked {
        return Err(t!(
            "prob-unpacked-mb",
            size = (total >> 20).to_string(),
            limit = (limits.max_unpacked >> 20).to_string()
        ));
    }
    Ok(names.problems())
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
    if kind != FileKind::Xls {
        match zip_within_limits(bytes, limits) {
            Ok(p) => doc.problems.extend(p),
            Err(e) => {
                doc.problems.push(e);
                doc.source = TextSource::None;
                return;
            }
        }
    }
    let guard = match kind {
        FileKind::Xls => guard::xls(bytes, limits),
        FileKind::Ods => guard::ods(bytes, limits),
        _ => guard::shared_strings(bytes, limits),
    };
    if let Err(e) = guard {
        doc.problems.push(e);
        doc.source = TextSource::None;
        return;
    }
    // calamine panics on some damaged files (slices past the end of a truncated .xls, integer
    // overflow on huge cell references; found by the fuzz runner): that is a damaged file for
    // staff, not a bug of ours to be retried.
    let before = doc.tables.len();
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        read_workbook(bytes, limits, doc)
    }));
    if read.is_err() {
        doc.tables.truncate(before);
        doc.problems.push(t!("prob-sheet-reader-failed"));
        doc.source = TextSource::None;
    }
}

/// Opens the workbook (the guards have passed) and lays out every sheet.
fn read_workbook(bytes: &[u8], limits: &DocLimits, doc: &mut Document) {
    let mut wb: Sheets<_> = match open_workbook_auto_from_rs(Cursor::new(bytes)) {
        Ok(wb) => wb,
        Err(e) => {
            doc.problems.push(Fault::SheetBroken.text(e));
            doc.source = TextSource::None;
            return;
        }
    };
    let mut cells_left = limits.max_cells;
    let mut merges_by_sheet = match wb {
        Sheets::Xlsx(_) => xlsx_merges(bytes),
        _ => None,
    };
    for name in wb.sheet_names() {
        let used = match used_cells(&mut wb, &name, cells_left) {
            Ok(u) => u,
            Err(e) => {
                doc.problems.push(Fault::SheetUnreadable(&name).text(e));
                continue;
            }
        };
        if used.truncated {
            doc.problems.push(t!(
                "prob-sheet-cells",
                sheet = name.as_str(),
                count = cells_left.to_string()
            ));
        }
        let merges: Vec<Dimensions> = match &mut wb {
            Sheets::Xlsx(x) => match merges_by_sheet.as_mut().and_then(|m| m.remove(&name)) {
                Some(m) => m,
                None => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
            },
            Sheets::Xls(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
            _ => Vec::new(),
        };
        let table = layout(
            &name,
            used.cells,
            &merges,
            &mut cells_left,
            &mut doc.problems,
        );
        doc.tables.push(table);
    }
}

/// The merged areas of every worksheet of an xlsx, by sheet name; `None` when the workbook's
/// parts are not where they usually are (calamine then finds them its own way). Only the tail
/// of each sheet is parsed: `<mergeCells>` follows `<sheetData>`, and calamine's own
/// `merge_cells_by_sheet_name` parsed every cell again as XML to reach it, which was a third
/// of reading a workbook.
fn xlsx_merges(bytes: &[u8]) -> Option<HashMap<String, Vec<Dimensions>>> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut part = |name: &str| -> Option<Vec<u8>> {
        let mut v = Vec::new();
        z.by_name(name).ok()?.read_to_end(&mut v).ok()?;
        Some(v)
    };
    let rels = part("xl/_rels/workbook.xml.rels")?;
    let mut targets: HashMap<String, String> = HashMap::new();
    for_each_element(&rels, |e| {
        if e.local_name().as_ref() == "Relationship"
            && let (Some(id), Some(target)) = (attr(e, |k| k == "Id"), attr(e, |k| k == "Target"))
        {
            targets.insert(id, target);
        }
    })?;
    let workbook = part("xl/workbook.xml")?;
    let mut sheets: Vec<(String, String)> = Vec::new();
    for_each_element(&workbook, |e| {
        if e.local_name().as_ref() == "sheet"
            && let (Some(name), Some(id)) =
                (attr(e, |k| k == "name"), attr(e, |k| k.ends_with(":id")))
        {
            sheets.push((name, id));
        }
    })?;
    let mut out = HashMap::new();
    for (name, id) in sheets {
        let target = targets.get(&id)?;
        let path = match target.strip_prefix('/') {
            Some(abs) => abs.to_string(),
            None if !target.contains("..") => format!("xl/{target}"),
            None => return None,
        };
        let xml = part(&path)?;
        let tail = memchr::memmem::rfind(&xml, b"sheetData>").map_or(&xml[..], |i| &xml[i..]);
        let mut merges = Vec::new();
        let mut damaged = false;
        for_each_element(tail, |e| {
            if e.local_name().as_ref() == "mergeCell" {
                match attr(e, |k| k == "ref").as_deref().and_then(area) {
                    Some(a) => merges.push(a),
                    None => damaged = true,
                }
            }
        })?;
        // A merge that names no real area: calamine decides what the damaged file is.
        if damaged {
            return None;
        }
        out.insert(name, merges);
    }
    Some(out)
}

/// Calls `f` on every start or empty element of `xml`; `None` when the XML is broken.
fn for_each_element(xml: &[u8], mut f: impl FnMut(&BytesStart)) -> Option<()> {
    let mut r = quick_xml::Reader::from_reader(xml);
    // A sheet's tail starts inside the document: its closing tags have no opening ones.
    r.config_mut().check_end_names = false;
    r.config_mut().allow_unmatched_ends = true;
    let mut buf = Vec::new();
    loop {
        match r.read_event_into(&mut buf).ok()? {
            Event::Start(e) | Event::Empty(e) => f(&e),
            Event::Eof => return Some(()),
            _ => {}
        }
        buf.clear();
    }
}

/// The unescaped value of the first attribute whose key passes `key`.
fn attr(e: &BytesStart, key: impl Fn(&str) -> bool) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| key(a.key.as_ref()))
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// A cell area as written in `ref` ("B2:D4", or one cell "B2"), zero-based.
fn area(r: &str) -> Option<Dimensions> {
    fn cell(c: &str) -> Option<(u32, u32)> {
        let c = c.trim().replace('$', "");
        let split = c.find(|ch: char| ch.is_ascii_digit())?;
        let (letters, digits) = c.split_at(split);
        if letters.is_empty() || letters.len() > 3 {
            return None;
        }
        let mut col: u32 = 0;
        for b in letters.bytes() {
            if !b.is_ascii_alphabetic() {
                return None;
            }
            col = col * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1;
        }
        let row: u32 = digits.parse().ok()?;
        Some((row.checked_sub(1)?, col - 1))
    }
    let (a, b) = r.split_once(':').unwrap_or((r, r));
    let (start, end) = (cell(a)?, cell(b)?);
    // Excel writes the top-left corner first; the other way round is a damaged file.
    (start.0 <= end.0 && start.1 <= end.1).then(|| Dimensions::new(start, end))
}

/// The non-empty cells of one sheet, absolute (row, column) and text.
struct Used {
    cells: Vec<(u32, u32, String)>,
    /// More cells existed than were kept.
    truncated: bool,
}

/// Collects the non-empty cells of sheet `name`, at most `max` of them. xlsx and xlsb sheets
/// are streamed (calamine's range would be dense); xls and ods sheets were checked by the
/// guards before the workbook was opened, so their ranges are small enough to take.
fn used_cells<RS: Read + std::io::Seek>(
    wb: &mut Sheets<RS>,
    name: &str,
    max: usize,
) -> Result<Used, String> {
    let mut used = Used {
        cells: Vec::new(),
        truncated: false,
    };
    match wb {
        Sheets::Xlsx(x) => {
            let mut r = match x.worksheet_cells_reader(name) {
                Ok(r) => r,
                // A chart sheet or dialog sheet holds no cells.
                Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(used),
                Err(e) => return Err(e.to_string()),
            };
            while let Some(c) = r.next_cell().map_err(|e| e.to_string())? {
                if push_cell(
                    &mut used,
                    c.get_position(),
                    &Data::from(c.get_value().clone()),
                    max,
                ) {
                    break;
                }
            }
        }
        Sheets::Xlsb(x) => {
            let mut r = x.worksheet_cells_reader(name).map_err(|e| e.to_string())?;
            while let Some(c) = r.next_cell().map_err(|e| e.to_string())? {
                if push_cell(
                    &mut used,
                    c.get_position(),
                    &Data::from(c.get_value().clone()),
                    max,
                ) {
                    break;
                }
            }
        }
        _ => {
            let range = wb.worksheet_range(name).map_err(|e| e.to_string())?;
            let (r0, c0) = range.start().unwrap_or((0, 0));
            for (r, c, d) in range.used_cells() {
                let pos = (r0.saturating_add(r as u32), c0.saturating_add(c as u32));
                if push_cell(&mut used, pos, d, max) {
                    break;
                }
            }
        }
    }
    Ok(used)
}

/// Keeps one cell unless it is empty; true when the sheet's budget is spent.
fn push_cell(used: &mut Used, pos: (u32, u32), d: &Data, max: usize) -> bool {
    if matches!(d, Data::Empty) {
        return false;
    }
    if used.cells.len() >= max {
        used.truncated = true;
        return true;
    }
    used.cells.push((pos.0, pos.1, cell_text(d)));
    false
}

/// The rows (or columns) a table keeps, in order: every used one, with at most [`GAP_KEPT`]
/// empty ones between two used ones — or all of them from first to last when `dense`.
fn kept_lines(used: &[u32], dense: bool) -> Vec<u32> {
    let (Some(&first), Some(&last)) = (used.first(), used.last()) else {
        return Vec::new();
    };
    if dense {
        return (first..=last).collect();
    }
    let mut out = Vec::with_capacity(used.len() * 2);
    for w in used.windows(2) {
        out.push(w[0]);
        let gap = w[1] - w[0] - 1;
        out.extend((1..=gap.min(GAP_KEPT)).map(|k| w[0] + k));
    }
    out.push(last);
    out
}

/// Lays the used cells of one sheet out as a table. A sheet whose span from the first to the
/// last used cell fits the budget is laid out as it is; a sparse one keeps only the used rows
/// and columns (with a small gap between blocks) and says so; whatever still does not fit is
/// cut after the first rows.
fn layout(
    name: &str,
    cells: Vec<(u32, u32, String)>,
    merges: &[Dimensions],
    cells_left: &mut usize,
    problems: &mut Vec<String>,
) -> Table {
    let mut rows_used: Vec<u32> = cells.iter().map(|c| c.0).collect();
    let mut cols_used: Vec<u32> = cells.iter().map(|c| c.1).collect();
    rows_used.sort_unstable();
    rows_used.dedup();
    cols_used.sort_unstable();
    cols_used.dedup();
    let (Some(&r0), Some(&r1), Some(&c0), Some(&c1)) = (
        rows_used.first(),
        rows_used.last(),
        cols_used.first(),
        cols_used.last(),
    ) else {
        return Table {
            name: Some(nfc(name)),
            ..Default::default()
        };
    };
    let (h, w) = (u64::from(r1 - r0) + 1, u64::from(c1 - c0) + 1);
    let dense = h.saturating_mul(w) <= *cells_left as u64;
    if !dense {
        problems.push(t!(
            "prob-sheet-sparse",
            sheet = name,
            rows = h.to_string(),
            cols = w.to_string(),
            cells = cells.len().to_string()
        ));
    }
    let rows = kept_lines(&rows_used, dense);
    let cols = kept_lines(&cols_used, dense);
    let width = cols.len();
    let max_rows = cells_left.checked_div(width).unwrap_or(0).min(rows.len());
    if max_rows < rows.len() {
        problems.push(t!(
            "prob-sheet-size",
            sheet = name,
            rows = rows.len().to_string(),
            cols = width.to_string(),
            kept = max_rows.to_string()
        ));
    }
    *cells_left -= max_rows * width;
    let rows = &rows[..max_rows];
    let mut grid: Vec<Vec<Cell>> = vec![vec![Cell::default(); width]; max_rows];
    let index = |lines: &[u32], v: u32| lines.binary_search(&v).ok();
    for (r, c, text) in cells {
        if let (Some(ri), Some(ci)) = (index(rows, r), index(&cols, c)) {
            grid[ri][ci].text = text;
        }
    }
    // Spreading a merge costs its area; hostile files declare thousands of overlapping
    // sheet-sized merges, so the work is bounded by a few times the table's size.
    let mut spread_left = grid.len().saturating_mul(width).saturating_mul(4);
    for m in merges {
        let (Some(sr), Some(sc)) = (index(rows, m.start.0), index(&cols, m.start.1)) else {
            continue;
        };
        if spread_left == 0 {
            problems.push(t!("prob-sheet-merges", sheet = name));
            break;
        }
        let text = grid[sr][sc].text.clone();
        let r_end = rows.partition_point(|&x| x <= m.end.0);
        let c_end = cols.partition_point(|&x| x <= m.end.1);
        'spread: for (ri, row) in grid.iter_mut().enumerate().take(r_end).skip(sr) {
            for (ci, cell) in row.iter_mut().enumerate().take(c_end).skip(sc) {
                if (ri, ci) == (sr, sc) {
                    continue;
                }
                if spread_left == 0 {
                    break 'spread;
                }
                spread_left -= 1;
                cell.text = text.clone();
                cell.merged = true;
            }
        }
    }
    Table {
        name: Some(nfc(name)),
        rows: grid,
        caption: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_areas_read_as_excel_writes_them() {
        assert_eq!(area("B2:D4"), Some(Dimensions::new((1, 1), (3, 3))));
        assert_eq!(area("A1"), Some(Dimensions::new((0, 0), (0, 0))));
        assert_eq!(
            area("$AA$10:$AB$12"),
            Some(Dimensions::new((9, 26), (11, 27)))
        );
        assert_eq!(
            area("XFD1048576"),
            Some(Dimensions::new((1_048_575, 16_383), (1_048_575, 16_383)))
        );
        assert_eq!(area("A0"), None);
        assert_eq!(area("12"), None);
        assert_eq!(area("ABCD1"), None);
        assert_eq!(area("A1048576:G7"), None);
    }

    /// Our tail-only reading finds the same merged areas as calamine's whole-sheet parse, on
    /// workbooks from LibreOffice and openpyxl, and on the damaged ones the fuzzer found.
    #[test]
    fn merged_areas_are_those_calamine_finds() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut compared = 0;
        for dir in ["docs/xlsx", "fuzz/xlsx"] {
            for entry in std::fs::read_dir(root.join(dir)).expect("fixtures") {
                let path = entry.expect("entry").path();
                let bytes = std::fs::read(&path).expect("read");
                let Some(ours) = xlsx_merges(&bytes) else {
                    continue;
                };
                // calamine itself panics on some of the fuzzer's files: ours only must not.
                if dir.starts_with("fuzz") {
                    continue;
                }
                let Ok(Sheets::Xlsx(mut x)) = open_workbook_auto_from_rs(Cursor::new(&bytes[..]))
                else {
                    continue;
                };
                for name in x.sheet_names() {
                    let theirs = x.merge_cells_by_sheet_name(&name).unwrap_or_default();
                    assert_eq!(
                        ours.get(&name).cloned().unwrap_or_default(),
                        theirs,
                        "{} / {name}",
                        path.display()
                    );
                    compared += theirs.len();
                }
            }
        }
        assert!(compared >= 10, "only {compared} merged areas compared");
    }
}
