//! The consolidated workbook (`tong-hop-<campaign>.xlsx`): who sent what and when, the grid
//! forms stacked unit by unit, and the checklist forms tallied in their own layout — formatted
//! to be printed as it is (Times New Roman, borders, A4 landscape, one page wide).
//!
//! Every figure is written as a value, never as a formula: rust_xlsxwriter caches a formula
//! without a result as 0, and readers that do not recalculate (calamine, previews on phones)
//! would show that 0.

use std::collections::HashSet;

use rust_xlsxwriter::{
    Color, Format, FormatAlign, FormatBorder, FormatPattern, Workbook, Worksheet, XlsxError,
};

use super::{Consolidation, Error, FormTally, GridStack, Result};
use crate::i18n::Lang;
use crate::register::State;

/// The name of the submission sheet.
pub const STATUS_SHEET: &str = "Tình hình nộp";

/// Body font: the one Party documents are typed in.
const FONT: &str = "Times New Roman";
/// Body size in points.
const SIZE: f64 = 11.0;
/// Height of one line of body text in points, and the padding around a cell's lines.
const LINE: f64 = 14.5;
const PAD: f64 = 3.0;
/// A4 in the paper-size codes of the xlsx format.
const A4: u8 = 9;

/// Writes the workbook for `c` and returns the file's bytes.
pub fn write(c: &Consolidation) -> Result<Vec<u8>> {
    build(c).map_err(|e| Error::Xlsx(e.to_string()))
}

/// The sheet name for a form item: "Biểu số 1" → "Biểu 1", the short name an office uses for
/// a tab; characters Excel forbids in sheet names are dropped and the length is capped at 31.
pub fn sheet_name(item_name: &str) -> String {
    let words: Vec<&str> = item_name
        .split_whitespace()
        .filter(|w| w.to_lowercase() != "số")
        .collect();
    let name: String = words
        .join(" ")
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(31)
        .collect();
    name.trim_matches(|c: char| c == '\'' || c.is_whitespace())
        .to_string()
}

fn build(c: &Consolidation) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    // Cells staff type into later should be in the same font as the rest.
    wb.set_default_format(
        &Format::new().set_font_name(FONT).set_font_size(SIZE),
        20,
        64,
    )?;
    let s = Styles::new();
    let mut used: HashSet<String> = HashSet::new();
    let mut unique = |base: String, fallback: &str| {
        let base = if base.is_empty() {
            fallback.to_string()
        } else {
            base
        };
        let mut name = base.clone();
        let mut n = 2;
        // Excel compares sheet names without case.
        while used.contains(&name.to_lowercase()) {
            let suffix = format!(" ({n})");
            name = base
                .chars()
                .take(31 - suffix.chars().count())
                .collect::<String>()
                + &suffix;
            n += 1;
        }
        used.insert(name.to_lowercase());
        name
    };

    let ws = wb.add_worksheet();
    ws.set_name(unique(STATUS_SHEET.to_string(), "Nop"))?;
    status_sheet(ws, c, &s)?;

    // Forms in the order the request lists its items; any form whose item is not listed
    // (not expected, but the model does not forbid it) comes after.
    let mut order: Vec<&str> = c.items.iter().map(|(id, _)| id.as_str()).collect();
    for id in c
        .grids
        .iter()
        .map(|g| g.item.as_str())
        .chain(c.tallies.iter().map(|t| t.item.as_str()))
    {
        if !order.contains(&id) {
            order.push(id);
        }
    }
    if !c.ratings.totals.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name(unique(FIGURES_SHEET.to_string(), "So lieu"))?;
        figures_sheet(ws, c, &s)?;
    }
    for id in order {
        if let Some(g) = c.grids.iter().find(|g| g.item == id) {
            let ws = wb.add_worksheet();
            ws.set_name(unique(sheet_name(&g.name), &g.item))?;
            grid_sheet(ws, c, g, &s)?;
            if !g.units.is_empty() {
                let ws = wb.add_worksheet();
                let name = format!("{} tổng hợp", sheet_name(&g.name));
                ws.set_name(unique(name.chars().take(31).collect(), &g.item))?;
                grid_tally_sheet(ws, c, g, &s)?;
            }
        }
        if let Some(t) = c.tallies.iter().find(|t| t.item == id) {
            let ws = wb.add_worksheet();
            ws.set_name(unique(sheet_name(&t.name), &t.item))?;
            tally_sheet(ws, c, t, &s)?;
        }
    }
    wb.save_to_buffer()
}

/// The formats every sheet shares.
struct Styles {
    office: Format,
    title: Format,
    subtitle: Format,
    info: Format,
    header: Format,
    text: Format,
    center: Format,
    number: Format,
    group: Format,
    group_center: Format,
    criterion: Format,
    unit: Format,
    total_label: Format,
    total_number: Format,
    total_text: Format,
    note: Format,
    missing_cell: Format,
    plain: Format,
    file: Format,
    bold: Format,
    state_late: Format,
    state_partial: Format,
    state_missing: Format,
    date: Format,
    file_cell: Format,
    received: Format,
    received_late: Format,
}

impl Styles {
    fn new() -> Self {
        let base = || Format::new().set_font_name(FONT).set_font_size(SIZE);
        let cell = || {
            base()
                .set_border(FormatBorder::Thin)
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter)
        };
        let center = || cell().set_align(FormatAlign::Center);
        // Light fills: they tell states apart on screen and still print legibly in grey.
        let filled = |f: Format, rgb: u32| {
            f.set_pattern(FormatPattern::Solid)
                .set_background_color(Color::RGB(rgb))
        };
        Styles {
            office: base()
                .set_font_size(12)
                .set_bold()
                .set_align(FormatAlign::Center),
            title: base()
                .set_font_size(13)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap(),
            subtitle: base()
                .set_font_size(12)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap(),
            info: base()
                .set_italic()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap(),
            header: filled(center().set_bold(), 0xE7E6E6),
            text: cell(),
            center: center(),
            number: center(),
            group: cell().set_bold(),
            group_center: center().set_bold(),
            // The forms print criteria in italics under their bold group.
            criterion: cell().set_italic().set_indent(1),
            unit: cell().set_bold(),
            total_label: filled(center().set_bold(), 0xF2F2F2),
            total_number: filled(center().set_bold(), 0xF2F2F2),
            total_text: filled(cell().set_bold(), 0xF2F2F2),
            note: base()
                .set_italic()
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            missing_cell: filled(center().set_italic(), 0xF2F2F2),
            plain: base(),
            file: base().set_italic().set_font_color(Color::RGB(0x404040)),
            bold: base().set_bold(),
            state_late: filled(center().set_bold(), 0xFCE4D6),
            state_partial: filled(center().set_bold(), 0xFFF2CC),
            state_missing: filled(center().set_bold(), 0xF8CBAD),
            date: center().set_num_format("dd/mm/yyyy"),
            file_cell: cell().set_italic().set_font_color(Color::RGB(0x404040)),
            received: center().set_num_format("dd/mm/yyyy hh:mm"),
            // The word stays in the number format: the cell is still a date staff can sort.
            received_late: filled(center(), 0xFCE4D6)
                .set_num_format("dd/mm/yyyy hh:mm\" - muộn\"")
                .set_font_color(Color::RGB(0xC00000)),
        }
    }
}

/// How many lines `text` takes in a column `width` characters wide (an estimate: Excel and
/// LibreOffice do not size rows of merged cells themselves, so heights are set here).
fn lines(text: &str, width: f64) -> usize {
    // A column's width is counted in digits; Vietnamese lower-case letters in Times New Roman
    // are a little narrower than a digit on average (capitals and bold wider), and a word
    // never breaks mid-line, so the estimate keeps some slack.
    let per_line = ((width - 1.0) * 1.1).max(4.0);
    text.split('\n')
        .map(|l| {
            let mut n = 1usize;
            let mut used = 0.0f64;
            for w in l.split(' ') {
                let len = w.chars().count() as f64;
                let need = if used == 0.0 { len } else { used + 1.0 + len };
                if need <= per_line || used == 0.0 {
                    used = need;
                    while used > per_line {
                        n += 1;
                        used -= per_line;
                    }
                } else {
                    n += 1;
                    used = len;
                }
            }
            n
        })
        .sum()
}

/// Height of a row holding `cells` (text, column width, number of rows the cell spans).
fn height(cells: &[(&str, f64, usize)]) -> f64 {
    let per_row = cells
        .iter()
        .map(|(t, w, span)| lines(t, *w) as f64 * LINE / (*span).max(1) as f64)
        .fold(LINE, f64::max);
    per_row + PAD
}

/// A4 landscape, one page wide, the header rows repeated on every page and frozen on screen.
fn page_setup(
    ws: &mut Worksheet,
    header: (u32, u32),
    freeze_cols: u16,
) -> std::result::Result<(), XlsxError> {
    ws.set_paper_size(A4)
        .set_landscape()
        .set_print_fit_to_pages(1, 0)
        .set_print_center_horizontally(true)
        // Inches: 2 cm left for binding, 1.5 cm elsewhere.
        .set_margins(0.79, 0.59, 0.59, 0.59, 0.3, 0.3)
        .set_footer("&C&\"Times New Roman\"&10Trang &P/&N");
    ws.set_repeat_rows(header.0, header.1)?;
    ws.set_freeze_panes(header.1 + 1, freeze_cols)?;
    Ok(())
}

/// Writes `text` over the cells from (r1, c1) to (r2, c2), merging them when there are several.
fn put(
    ws: &mut Worksheet,
    (r1, c1, r2, c2): (u32, u16, u32, u16),
    text: &str,
    f: &Format,
) -> std::result::Result<(), XlsxError> {
    if r1 == r2 && c1 == c2 {
        ws.write_string_with_format(r1, c1, text, f)?;
    } else {
        ws.merge_range(r1, c1, r2, c2, text, f)?;
    }
    Ok(())
}

/// The office and title lines above a table `last_col + 1` columns wide; returns the next row.
fn title_block(
    ws: &mut Worksheet,
    c: &Consolidation,
    s: &Styles,
    last_col: u16,
    widths: &[f64],
    heads: &[(&str, &Format)],
) -> std::result::Result<(u32, f64), XlsxError> {
    let total: f64 = widths.iter().sum();
    let office_cols = last_col.min(2);
    put(
        ws,
        (0, 0, 0, office_cols),
        &c.office.to_uppercase(),
        &s.office,
    )?;
    let mut row = 1;
    // The office line and the two blank rows keep the default height.
    let mut used = 3.0 * (LINE + PAD);
    for (i, (text, f)) in heads.iter().enumerate() {
        row += 1;
        put(ws, (row, 0, row, last_col), text, f)?;
        // The first line is the 13 pt title, the others 11–12 pt.
        let size = if i == 0 { 1.25 } else { 1.1 };
        let h = lines(text, total / size) as f64 * LINE * size + PAD;
        ws.set_row_height(row, h)?;
        used += h;
    }
    Ok((row + 2, used))
}

/// The form's own title when the model has it as printed; the configuration keeps only the
/// folded form of titles (lower case, no marks), which must not be printed.
fn display_title(title: &str, fallback: String) -> String {
    let folded = title.is_ascii() && title == title.to_lowercase();
    if title.trim().is_empty() || folded {
        fallback
    } else {
        title.to_string()
    }
}

/// Usable height and width of an A4 landscape page in points, inside the margins set by
/// [`page_setup`] and above the footer.
const PAGE_HEIGHT: f64 = 595.0 - 2.0 * 0.59 * 72.0 - 12.0;
const PAGE_WIDTH: f64 = 842.0 - (0.79 + 0.59) * 72.0;

/// How much "fit to one page wide" shrinks a table with these column widths (in digits of
/// the 11 pt font: 7 px each plus 5 px of padding, 0.75 pt per px).
fn print_scale(widths: &[f64]) -> f64 {
    let points: f64 = widths.iter().map(|w| (w * 7.0 + 5.0) * 0.75).sum();
    (PAGE_WIDTH / points).min(1.0)
}

/// Page breaks that keep each chunk (first row, height in points) on one page when it fits
/// on a page at all: a unit's block of Biểu 1, a group of criteria with its headings.
/// `first` is the height above the first chunk on page 1, `header` the repeated header rows.
fn keep_together(first: f64, header: f64, chunks: &[(u32, f64)], scale: f64) -> Vec<u32> {
    let page = PAGE_HEIGHT / scale;
    let mut used = first;
    let mut breaks = Vec::new();
    let mut on_page = 0;
    for &(row, h) in chunks {
        if used + h > page && on_page > 0 {
            breaks.push(row);
            used = header;
            on_page = 0;
        }
        used += h;
        on_page += 1;
    }
    breaks
}

/// "theo Công văn số 809-CV/HU, ngày 12/01/2023 của Huyện ủy Bảo Lâm".
fn request_line(c: &Consolidation) -> String {
    format!(
        "(theo Công văn số {}, ngày {} của {})",
        c.number, c.issued, c.issuer
    )
}

fn as_of_line(c: &Consolidation) -> String {
    format!(
        "Hạn gửi: ngày {}. Số liệu tính đến {} ngày {}.",
        c.deadline.format("%d/%m/%Y"),
        c.as_of.format("%H:%M"),
        c.as_of.format("%d/%m/%Y")
    )
}

fn set_widths(ws: &mut Worksheet, widths: &[f64]) -> std::result::Result<(), XlsxError> {
    for (i, w) in widths.iter().enumerate() {
        ws.set_column_width(col(i), *w)?;
    }
    Ok(())
}

/// A column index; sheets here have a handful of columns, far below Excel's 16,384.
fn col(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}

/// A row offset; sheets here have at most a few thousand rows.
fn rows(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Sheet "Tình hình nộp": one row per unit, one column per item, the state, and totals.
fn status_sheet(
    ws: &mut Worksheet,
    c: &Consolidation,
    s: &Styles,
) -> std::result::Result<(), XlsxError> {
    let n_items = c.items.len();
    let mut widths = vec![5.0, 30.0];
    widths.extend(std::iter::repeat_n(23.0, n_items));
    widths.push(14.0);
    widths.push(34.0);
    let state_col = col(2 + n_items);
    let files_col = state_col + 1;
    set_widths(ws, &widths)?;
    let title = "TỔNG HỢP TÌNH HÌNH GỬI BÁO CÁO".to_string();
    let req = request_line(c);
    let when = as_of_line(c);
    let (mut row, _) = title_block(
        ws,
        c,
        s,
        files_col,
        &widths,
        &[(&title, &s.title), (&req, &s.info), (&when, &s.info)],
    )?;

    // Two header rows: the items sit under one "received" heading.
    let h0 = row;
    put(ws, (h0, 0, h0 + 1, 0), "STT", &s.header)?;
    put(ws, (h0, 1, h0 + 1, 1), "Đơn vị", &s.header)?;
    if n_items > 0 {
        put(
            ws,
            (h0, 2, h0, state_col - 1),
            "Thời điểm nhận (ô tô đỏ: nhận sau hạn)",
            &s.header,
        )?;
    }
    for (i, (_, name)) in c.items.iter().enumerate() {
        ws.write_string_with_format(h0 + 1, col(2 + i), name, &s.header)?;
    }
    put(
        ws,
        (h0, state_col, h0 + 1, state_col),
        "Tình trạng",
        &s.header,
    )?;
    put(
        ws,
        (h0, files_col, h0 + 1, files_col),
        "Tệp đã gửi",
        &s.header,
    )?;
    ws.set_row_height(h0, LINE * 2.0 + PAD)?;
    page_setup(ws, (h0, h0 + 1), 2)?;
    row = h0 + 2;

    let mut received = vec![0usize; n_items];
    for (k, u) in c.units.iter().enumerate() {
        ws.write_number_with_format(row, 0, (k + 1) as f64, &s.center)?;
        ws.write_string_with_format(row, 1, &u.name, &s.text)?;
        let mut cells: Vec<(String, f64)> = vec![(u.name.clone(), widths[1])];
        let mut files: Vec<String> = Vec::new();
        for (i, (id, _)) in c.items.iter().enumerate() {
            let cl = col(2 + i);
            let entry = u.items.iter().find(|e| &e.item == id);
            match entry.and_then(|e| e.received_at.map(|t| (e, t))) {
                Some((e, at)) => {
                    received[i] += 1;
                    let fmt = if e.late {
                        &s.received_late
                    } else {
                        &s.received
                    };
                    match excel_time(at.naive_local()) {
                        Some(t) => ws.write_datetime_with_format(row, cl, t, fmt)?,
                        None => ws.write_string_with_format(
                            row,
                            cl,
                            at.format("%d/%m/%Y %H:%M").to_string(),
                            fmt,
                        )?,
                    };
                    if let Some(f) = e.source.as_deref().map(str::trim).filter(|f| !f.is_empty())
                        && !files.iter().any(|x| x == f)
                    {
                        files.push(f.to_string());
                    }
                }
                None if entry.is_some_and(|e| e.to_check) => {
                    ws.write_string_with_format(row, cl, "Cần kiểm tra", &s.missing_cell)?;
                }
                None => {
                    ws.write_string_with_format(row, cl, "Chưa nhận", &s.missing_cell)?;
                }
            }
        }
        let files_text = files.join("\n");
        ws.write_string_with_format(row, files_col, &files_text, &s.file_cell)?;
        cells.push((files_text, widths[3 + n_items]));
        let state_fmt = match u.state {
            State::CompleteOnTime => &s.center,
            State::CompleteLate => &s.state_late,
            State::Partial => &s.state_partial,
            State::Missing => &s.state_missing,
        };
        ws.write_string_with_format(row, state_col, u.state.label_in(Lang::Vi), state_fmt)?;
        let cells: Vec<(&str, f64, usize)> =
            cells.iter().map(|(t, w)| (t.as_str(), *w, 1)).collect();
        ws.set_row_height(row, height(&cells))?;
        row += 1;
    }

    // Totals: how many units sent each item, then how many are in each state.
    put(ws, (row, 0, row, 1), "Số đơn vị đã gửi", &s.total_label)?;
    for (i, n) in received.iter().enumerate() {
        ws.write_number_with_format(row, col(2 + i), *n as f64, &s.total_number)?;
    }
    let count = |st: State| c.units.iter().filter(|u| u.state == st).count();
    let complete = count(State::CompleteOnTime) + count(State::CompleteLate);
    ws.write_string_with_format(
        row,
        state_col,
        format!("{complete}/{} đủ", c.units.len()),
        &s.total_number,
    )?;
    ws.set_row_height(row, LINE + PAD)?;
    row += 2;
    // The draft is a Vietnamese document, whatever language the process speaks.
    let label = |st: State| st.label_in(Lang::Vi);
    let summary: [(String, usize); 6] = [
        ("Số đơn vị phải báo cáo".into(), c.units.len()),
        (label(State::CompleteOnTime), count(State::CompleteOnTime)),
        (label(State::CompleteLate), count(State::CompleteLate)),
        (label(State::Partial), count(State::Partial)),
        (label(State::Missing), count(State::Missing)),
        ("Có mục gửi muộn".into(), c.figures.late.len()),
    ];
    ws.write_string_with_format(row, 1, "Tổng hợp", &s.bold)?;
    row += 1;
    let first_state = row + 1;
    for (label, n) in summary {
        ws.write_string_with_format(row, 1, &label, &s.text)?;
        ws.write_number_with_format(row, 2, n as f64, &s.number)?;
        row += 1;
    }
    // The four states of the summary as a native chart, under the lists: it follows the cells
    // when staff correct them, and prints with the sheet.
    let name = ws.name();
    let mut chart = rust_xlsxwriter::Chart::new(rust_xlsxwriter::ChartType::Pie);
    chart
        .add_series()
        .set_name("Tình hình gửi báo cáo")
        .set_categories((name.as_str(), first_state, 1, first_state + 3, 1))
        .set_values((name.as_str(), first_state, 2, first_state + 3, 2))
        .set_data_label(rust_xlsxwriter::ChartDataLabel::new().show_value())
        .set_points(&[
            rust_xlsxwriter::ChartPoint::new().set_format(
                rust_xlsxwriter::ChartFormat::new()
                    .set_solid_fill(rust_xlsxwriter::ChartSolidFill::new().set_color("#63BE7B")),
            ),
            rust_xlsxwriter::ChartPoint::new().set_format(
                rust_xlsxwriter::ChartFormat::new()
                    .set_solid_fill(rust_xlsxwriter::ChartSolidFill::new().set_color("#FFD966")),
            ),
            rust_xlsxwriter::ChartPoint::new().set_format(
                rust_xlsxwriter::ChartFormat::new()
                    .set_solid_fill(rust_xlsxwriter::ChartSolidFill::new().set_color("#F4B183")),
            ),
            rust_xlsxwriter::ChartPoint::new().set_format(
                rust_xlsxwriter::ChartFormat::new()
                    .set_solid_fill(rust_xlsxwriter::ChartSolidFill::new().set_color("#E06666")),
            ),
        ]);
    chart
        .title()
        .set_name(&format!("Tình hình gửi báo cáo ({} đơn vị)", c.units.len()));
    chart.set_width(480).set_height(280);
    // What staff must look at besides what is missing: mail of no known unit, files that
    // could not be read.
    if !c.unidentified.is_empty() {
        row += 1;
        ws.write_string_with_format(
            row,
            1,
            format!("Thư chưa xác định được đơn vị ({})", c.unidentified.len()),
            &s.bold,
        )?;
        row += 1;
        for (from, subject) in &c.unidentified {
            ws.write_string_with_format(row, 1, from, &s.text)?;
            ws.write_string_with_format(row, 2, subject, &s.text)?;
            row += 1;
        }
    }
    if !c.unreadable.is_empty() {
        row += 1;
        ws.write_string_with_format(
            row,
            1,
            format!("Tệp hỏng hoặc không đọc được ({})", c.unreadable.len()),
            &s.bold,
        )?;
        row += 1;
        for (who, file, problem) in &c.unreadable {
            // The unit's name stays out of column B, where each unit has exactly one row.
            ws.write_string_with_format(row, 1, file, &s.text)?;
            ws.write_string_with_format(row, 2, format!("{who}: {problem}"), &s.text)?;
            row += 1;
        }
    }
    ws.insert_chart(row + 1, 1, &chart)?;
    Ok(())
}

/// Sheet of a grid form (Biểu 1): each unit's block of rows under its name.
fn grid_sheet(
    ws: &mut Worksheet,
    c: &Consolidation,
    g: &GridStack,
    s: &Styles,
) -> std::result::Result<(), XlsxError> {
    let n_cols = g.columns.len();
    let mut widths = vec![5.0, 22.0, 38.0, 14.0];
    widths.extend(std::iter::repeat_n(
        if n_cols > 6 { 12.0 } else { 14.0 },
        n_cols,
    ));
    let last = col(3 + n_cols);
    set_widths(ws, &widths)?;
    let title = format!("TỔNG HỢP {}", g.name.to_uppercase());
    let sub = display_title(&g.title, format!("Thống kê của các đơn vị theo {}", g.name));
    let info = format!(
        "{} Số đơn vị đã gửi biểu: {}/{}.",
        request_line(c),
        g.units.len(),
        c.units.len()
    );
    let (h, above) = title_block(
        ws,
        c,
        s,
        last,
        &widths,
        &[(&title, &s.title), (&sub, &s.subtitle), (&info, &s.info)],
    )?;
    ws.write_string_with_format(h, 0, "STT", &s.header)?;
    ws.write_string_with_format(h, 1, "Đơn vị", &s.header)?;
    put(ws, (h, 2, h, 3), "NỘI DUNG", &s.header)?;
    for (i, y) in g.columns.iter().enumerate() {
        ws.write_string_with_format(h, col(4 + i), y, &s.header)?;
    }
    let header = LINE + PAD * 2.0;
    ws.set_row_height(h, header)?;
    page_setup(ws, (h, h), 2)?;

    let mut row = h + 1;
    if g.units.is_empty() {
        put(
            ws,
            (row, 0, row, last),
            &format!("Chưa có đơn vị nào gửi {}.", g.name),
            &s.text,
        )?;
        return Ok(());
    }
    let subs = g.sub_rows.len().max(1);
    let date_rows: Vec<usize> = g
        .sub_rows
        .iter()
        .enumerate()
        .filter(|(_, l)| crate::vntext::fold(l).contains("ngay"))
        .map(|(i, _)| i)
        .collect();
    let block = g.row_labels.len() * subs;
    let mut chunks = Vec::new();
    for (k, (unit, values)) in g.units.iter().enumerate() {
        let top = row;
        let bottom = top + rows(block.max(1)) - 1;
        // The unit's number and name span its whole block: blocks read as one unit each.
        put(
            ws,
            (top, 0, bottom, 0),
            &(k + 1).to_string(),
            &s.group_center,
        )?;
        put(ws, (top, 1, bottom, 1), unit, &s.unit)?;
        let mut block_height = 0.0;
        let mut last_height = LINE + PAD;
        for (ri, label) in g.row_labels.iter().enumerate() {
            let r0 = top + rows(ri * subs);
            put(ws, (r0, 2, r0 + rows(subs) - 1, 2), label, &s.text)?;
            for si in 0..subs {
                let r = r0 + rows(si);
                let sub_label = g.sub_rows.get(si).map(String::as_str).unwrap_or("");
                ws.write_string_with_format(r, 3, sub_label, &s.criterion)?;
                let mut cells: Vec<(&str, f64, usize)> =
                    vec![(label.as_str(), widths[2], subs), (sub_label, widths[3], 1)];
                for ci in 0..n_cols {
                    let v = values
                        .get(ri)
                        .and_then(|r| r.get(si))
                        .and_then(|r| r.get(ci))
                        .map(String::as_str)
                        .unwrap_or("");
                    // A date a unit wrote is a real date cell, so it sorts and filters; a cell
                    // with several dates or words stays text.
                    match crate::forms::grid::parse_date(v)
                        .filter(|_| date_rows.contains(&si))
                        .and_then(excel_date)
                    {
                        Some(d) => {
                            ws.write_datetime_with_format(r, col(4 + ci), d, &s.date)?;
                        }
                        None => {
                            ws.write_string_with_format(r, col(4 + ci), v, &s.center)?;
                        }
                    }
                    cells.push((v, widths[4 + ci], 1));
                }
                last_height = height(&cells);
                ws.set_row_height(r, last_height)?;
                block_height += last_height;
            }
        }
        // A long unit name in a short block still has to fit.
        let name_height = lines(unit, widths[1]) as f64 * LINE + PAD;
        if name_height > block_height {
            ws.set_row_height(bottom, last_height + name_height - block_height)?;
            block_height = name_height;
        }
        chunks.push((top, block_height));
        row = bottom + 1;
    }
    ws.set_page_breaks(&keep_together(
        above + header,
        header,
        &chunks,
        print_scale(&widths),
    ))?;
    Ok(())
}

/// The document kinds of a grid form (Biểu 1) per year: how many units issued one of each kind,
/// how many issued any, and which issued none that year.
fn grid_tally_sheet(
    ws: &mut Worksheet,
    c: &Consolidation,
    g: &GridStack,
    s: &Styles,
) -> std::result::Result<(), XlsxError> {
    let years = g.columns.len();
    let mut widths = vec![5.0, 36.0];
    widths.extend(std::iter::repeat_n(16.0, years));
    let last = col(1 + years);
    set_widths(ws, &widths)?;
    let title = format!(
        "THỐNG KÊ {} THEO LOẠI VĂN BẢN VÀ NĂM",
        g.name.to_uppercase()
    );
    let info = format!(
        "{} Số đơn vị ban hành văn bản, trên {}/{} đơn vị đã gửi biểu.",
        request_line(c),
        g.units.len(),
        c.units.len()
    );
    let (h, _) = title_block(
        ws,
        c,
        s,
        last,
        &widths,
        &[(&title, &s.title), (&info, &s.info)],
    )?;
    ws.write_string_with_format(h, 0, "STT", &s.header)?;
    ws.write_string_with_format(h, 1, "Loại văn bản", &s.header)?;
    for (i, y) in g.columns.iter().enumerate() {
        ws.write_string_with_format(h, col(2 + i), y, &s.header)?;
    }
    page_setup(ws, (h, h), 2)?;
    let tally = grid_kinds(g);
    let mut row = h + 1;
    for (k, (kind, per_year)) in tally.kinds.iter().enumerate() {
        ws.write_number_with_format(row, 0, (k + 1) as f64, &s.center)?;
        ws.write_string_with_format(row, 1, kind, &s.text)?;
        for (i, units) in per_year.iter().enumerate() {
            ws.write_number_with_format(row, col(2 + i), units.len() as f64, &s.number)?;
        }
        row += 1;
    }
    put(
        ws,
        (row, 0, row, 1),
        "Số đơn vị có ban hành văn bản",
        &s.total_label,
    )?;
    for (i, units) in tally.any.iter().enumerate() {
        ws.write_number_with_format(row, col(2 + i), units.len() as f64, &s.total_number)?;
    }
    row += 1;
    put(
        ws,
        (row, 0, row, 1),
        "Đơn vị không ban hành văn bản nào trong năm",
        &s.total_label,
    )?;
    let mut tallest = 1;
    for i in 0..years {
        let none: Vec<&str> = g
            .units
            .iter()
            .map(|(u, _)| u.as_str())
            .filter(|u| !tally.any[i].iter().any(|x| x == u))
            .collect();
        tallest = tallest.max(none.len());
        ws.write_string_with_format(row, col(2 + i), none.join("\n"), &s.text)?;
    }
    ws.set_row_height(row, (tallest * 2) as f64 * LINE + PAD)?;
    row += 2;
    let absent: Vec<&str> = c
        .units
        .iter()
        .filter(|u| !g.units.iter().any(|(n, _)| n == &u.name))
        .map(|u| u.name.as_str())
        .collect();
    if !absent.is_empty() {
        let note = format!(
            "Chưa gửi {} ({} đơn vị): {}.",
            g.name,
            absent.len(),
            absent.join(", ")
        );
        put(ws, (row, 0, row, last), &note, &s.note)?;
        let total: f64 = widths.iter().sum();
        ws.set_row_height(row, lines(&note, total) as f64 * LINE + PAD)?;
    }
    Ok(())
}

/// A grid form's document kinds: per kind (most used first) and year, the units that issued
/// one; per year, the units that issued any.
struct GridKinds {
    kinds: Vec<(String, Vec<Vec<String>>)>,
    any: Vec<Vec<String>>,
}

fn grid_kinds(g: &GridStack) -> GridKinds {
    let years = g.columns.len();
    // The sub-row holding the document kind: the first that is not about dates.
    let kind_row = g
        .sub_rows
        .iter()
        .position(|s| !crate::vntext::fold(s).contains("ngay"))
        .unwrap_or(0);
    let mut kinds: Vec<(String, Vec<Vec<String>>)> = Vec::new();
    let mut any: Vec<Vec<String>> = vec![Vec::new(); years];
    for (unit, values) in &g.units {
        for r in values {
            let Some(cols) = r.get(kind_row) else {
                continue;
            };
            for (y, text) in cols.iter().enumerate().take(years) {
                for k in text
                    .split([';', ',', '\n'])
                    .map(str::trim)
                    .filter(|k| !k.is_empty())
                {
                    let at = match kinds
                        .iter()
                        .position(|(x, _)| crate::vntext::fold(x) == crate::vntext::fold(k))
                    {
                        Some(i) => i,
                        None => {
                            kinds.push((k.to_string(), vec![Vec::new(); years]));
                            kinds.len() - 1
                        }
                    };
                    let cell = &mut kinds[at].1[y];
                    if !cell.contains(unit) {
                        cell.push(unit.clone());
                    }
                    if !any[y].contains(unit) {
                        any[y].push(unit.clone());
                    }
                }
            }
        }
    }
    kinds.sort_by_key(|(_, per)| std::cmp::Reverse(per.iter().map(Vec::len).sum::<usize>()));
    GridKinds { kinds, any }
}

/// The number printed before a group at `level` (0 = innermost): the forms number their
/// innermost groups 1, 2, 3 and the groups around them I, II, III.
fn group_number(level: usize, n: usize) -> String {
    match level {
        0 => n.to_string(),
        1 => roman(n),
        _ => char::from_u32(u32::try_from(n).unwrap_or(1) + 64)
            .map(String::from)
            .unwrap_or_else(|| n.to_string()),
    }
}

fn roman(mut n: usize) -> String {
    const TABLE: [(usize, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (v, s) in TABLE {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

/// Column layout of a checklist sheet.
const T_STT: u16 = 0;
const T_LABEL: u16 = 1;
const T_YES: u16 = 2;
const T_NO: u16 = 3;
const T_NONE: u16 = 4;
const T_NAMES: u16 = 5;
const T_PROPOSALS: u16 = 6;

/// Sheet of a checklist form (Biểu 2–4): the form's groups and criteria with the tallies.
fn tally_sheet(
    ws: &mut Worksheet,
    c: &Consolidation,
    t: &FormTally,
    s: &Styles,
) -> std::result::Result<(), XlsxError> {
    let widths = [6.0, 42.0, 10.0, 10.0, 10.0, 28.0, 58.0];
    set_widths(ws, &widths)?;
    let title = format!("TỔNG HỢP {}", t.name.to_uppercase());
    let sub = display_title(&t.title, format!("Ý kiến của các đơn vị theo {}", t.name));
    let info = format!(
        "{} Số đơn vị có biểu được tổng hợp: {}/{}.",
        request_line(c),
        t.units_counted,
        c.units.len()
    );
    let (h0, above) = title_block(
        ws,
        c,
        s,
        T_PROPOSALS,
        &widths,
        &[(&title, &s.title), (&sub, &s.subtitle), (&info, &s.info)],
    )?;
    let h1 = h0 + 1;
    put(ws, (h0, T_STT, h1, T_STT), "STT", &s.header)?;
    put(ws, (h0, T_LABEL, h1, T_LABEL), "Nội dung", &s.header)?;
    put(ws, (h0, T_YES, h0, T_NONE), "Số đơn vị đánh giá", &s.header)?;
    ws.write_string_with_format(h1, T_YES, "Phù hợp", &s.header)?;
    ws.write_string_with_format(h1, T_NO, "Chưa phù hợp", &s.header)?;
    ws.write_string_with_format(h1, T_NONE, "Không trả lời", &s.header)?;
    put(
        ws,
        (h0, T_NAMES, h1, T_NAMES),
        "Đơn vị đánh giá Chưa phù hợp",
        &s.header,
    )?;
    put(
        ws,
        (h0, T_PROPOSALS, h1, T_PROPOSALS),
        "Đề xuất, kiến nghị",
        &s.header,
    )?;
    let header = (LINE + PAD * 2.0, LINE * 2.0 + PAD);
    ws.set_row_height(h0, header.0)?;
    ws.set_row_height(h1, header.1)?;
    page_setup(ws, (h0, h1), 0)?;
    // Groups with their criteria, kept on one page each: a heading never ends a page.
    let mut chunks: Vec<(u32, f64)> = Vec::new();

    // Groups come as paths ("Về kiểm điểm … / Đảng viên"); a heading row is written the first
    // time each prefix of a path appears, numbered per level the way the forms number them.
    let depth_of = |g: &str| g.split(" / ").count();
    let max_depth = t.rows.iter().map(|r| depth_of(&r.group)).max().unwrap_or(1);
    let mut counters = vec![0usize; max_depth];
    let mut open: Vec<String> = Vec::new();
    let mut row = h1 + 1;
    let mut proposals = 0usize;
    for r in &t.rows {
        let parts: Vec<&str> = if r.group.is_empty() {
            Vec::new()
        } else {
            r.group.split(" / ").collect()
        };
        let mut new_chunk = true;
        for (d, label) in parts.iter().enumerate() {
            if open.get(d).map(String::as_str) == Some(*label) {
                continue;
            }
            if new_chunk {
                chunks.push((row, 0.0));
                new_chunk = false;
            }
            open.truncate(d);
            open.push((*label).to_string());
            counters[d] += 1;
            for deeper in counters.iter_mut().skip(d + 1) {
                *deeper = 0;
            }
            // Levels are counted from the innermost: a flat form's groups are 1, 2, 3.
            let level = parts.len() - 1 - d + (max_depth - parts.len());
            ws.write_string_with_format(
                row,
                T_STT,
                group_number(level, counters[d]),
                &s.group_center,
            )?;
            ws.write_string_with_format(row, T_LABEL, *label, &s.group)?;
            for cl in T_YES..=T_PROPOSALS {
                ws.write_blank(row, cl, &s.group)?;
            }
            let h = height(&[(label, widths[1], 1)]);
            ws.set_row_height(row, h)?;
            if let Some(last) = chunks.last_mut() {
                last.1 += h;
            }
            row += 1;
        }
        open.truncate(parts.len());
        if chunks.is_empty() {
            chunks.push((row, 0.0));
        }

        ws.write_blank(row, T_STT, &s.center)?;
        ws.write_string_with_format(row, T_LABEL, &r.label, &s.criterion)?;
        ws.write_number_with_format(row, T_YES, r.phu_hop as f64, &s.number)?;
        ws.write_number_with_format(row, T_NO, r.chua_phu_hop as f64, &s.number)?;
        ws.write_number_with_format(row, T_NONE, r.no_answer as f64, &s.number)?;
        let names = r.chua_phu_hop_units.join("\n");
        ws.write_string_with_format(row, T_NAMES, &names, &s.text)?;
        // Each proposal on its own line, the unit's name in bold before it.
        // The same proposal from several units is written once, with all their names.
        let mut same: Vec<(Vec<&str>, &str)> = Vec::new();
        for (unit, text) in &r.proposals {
            match same
                .iter_mut()
                .find(|(_, t)| crate::vntext::fold(t) == crate::vntext::fold(text))
            {
                Some((us, _)) => us.push(unit.as_str()),
                None => same.push((vec![unit.as_str()], text.as_str())),
            }
        }
        let mut quoted: Vec<(String, String)> = Vec::new();
        for (i, (units, text)) in same.iter().enumerate() {
            let names = units.join(", ");
            let lead = if i == 0 { names } else { format!("\n{names}") };
            quoted.push((lead, format!(": {text}")));
        }
        let flat: String = quoted.iter().map(|(a, b)| format!("{a}{b}")).collect();
        if quoted.is_empty() {
            ws.write_blank(row, T_PROPOSALS, &s.text)?;
        } else {
            let parts: Vec<(&Format, &str)> = quoted
                .iter()
                .flat_map(|(a, b)| [(&s.bold, a.as_str()), (&s.plain, b.as_str())])
                .collect();
            ws.write_rich_string_with_format(row, T_PROPOSALS, &parts, &s.text)?;
        }
        let h = height(&[
            (&r.label, widths[1] - 1.0, 1),
            (&names, widths[5], 1),
            (&flat, widths[6], 1),
        ]);
        ws.set_row_height(row, h)?;
        if let Some(last) = chunks.last_mut() {
            last.1 += h;
        }
        proposals += r.proposals.len();
        row += 1;
    }

    // Adding unit counts across different criteria means nothing; what staff need is how
    // many criteria every unit accepts, how many drew a "Chưa phù hợp", how many went unanswered.
    let n = t.rows.len();
    let all_yes = t
        .rows
        .iter()
        .filter(|r| t.units_counted > 0 && r.phu_hop == t.units_counted)
        .count();
    let some_no = t.rows.iter().filter(|r| r.chua_phu_hop > 0).count();
    let some_none = t.rows.iter().filter(|r| r.no_answer > 0).count();
    put(
        ws,
        (row, T_STT, row, T_LABEL),
        "Số nội dung",
        &s.total_label,
    )?;
    ws.write_string_with_format(
        row,
        T_YES,
        format!("{all_yes}/{n} tất cả phù hợp"),
        &s.total_number,
    )?;
    ws.write_string_with_format(
        row,
        T_NO,
        format!("{some_no}/{n} có ý kiến chưa phù hợp"),
        &s.total_number,
    )?;
    ws.write_string_with_format(
        row,
        T_NONE,
        format!("{some_none}/{n} có đơn vị không trả lời"),
        &s.total_number,
    )?;
    ws.write_blank(row, T_NAMES, &s.total_text)?;
    ws.write_string_with_format(
        row,
        T_PROPOSALS,
        format!("{proposals} ý kiến đề xuất"),
        &s.total_text,
    )?;
    ws.set_row_height(row, 3.0 * LINE + PAD * 2.0)?;
    let mut breaks = keep_together(
        above + header.0 + header.1,
        header.0 + header.1,
        &chunks,
        print_scale(&widths),
    );
    row += 2;

    let notes = [
        format!(
            "Ghi chú: Số biểu được tổng hợp: {} (đơn vị đã gửi {} và đọc được trên tổng số {} đơn vị); mỗi dòng: Phù hợp + Chưa phù hợp + Không trả lời = {}.",
            t.units_counted,
            t.name,
            c.units.len(),
            t.units_counted
        ),
        "\"Không trả lời\": đơn vị để trống cả hai ô, đánh dấu cả hai ô, hoặc biểu của đơn vị không có dòng này."
            .to_string(),
    ];
    let total: f64 = widths.iter().sum();
    for n in notes {
        put(ws, (row, T_STT, row, T_PROPOSALS), &n, &s.note)?;
        ws.set_row_height(row, lines(&n, total) as f64 * LINE + PAD)?;
        row += 1;
    }
    // The chart and its table start a page of their own: a chart cut by a page break prints
    // as two halves.
    if t.rows.iter().any(|r| r.chua_phu_hop > 0) {
        breaks.push(row + 1);
    }
    ws.set_page_breaks(&breaks)?;
    chua_phu_hop_chart(ws, t, s, row + 1)
}

/// A criterion as the chart names it: its group with it ("Đảng viên: Tiêu chí (a)"), since the
/// forms reuse labels across groups; long ones cut, the first words say which one it is.
/// (Excel and LibreOffice draw a bar chart's first category at the bottom.)
fn chart_label(r: &crate::consolidate::TallyRow) -> String {
    let full = match r
        .group
        .rsplit(" / ")
        .next()
        .filter(|g| !g.trim().is_empty())
    {
        Some(g) => format!("{}: {}", g.trim(), r.label),
        None => r.label.clone(),
    };
    if full.chars().count() > 60 {
        full.chars().take(59).chain(['…']).collect()
    } else {
        full
    }
}

/// The criteria some unit found "Chưa phù hợp", with their counts, in a small table the chart
/// reads (a chart needs one contiguous range; the criteria above are split by group rows).
fn chua_phu_hop_chart(
    ws: &mut Worksheet,
    t: &FormTally,
    s: &Styles,
    mut row: u32,
) -> std::result::Result<(), XlsxError> {
    let rows: Vec<&crate::consolidate::TallyRow> =
        t.rows.iter().filter(|r| r.chua_phu_hop > 0).collect();
    if rows.is_empty() {
        return Ok(());
    }
    put(
        ws,
        (row, T_STT, row, T_NO),
        "Số đơn vị đánh giá Chưa phù hợp theo nội dung (số liệu của biểu đồ)",
        &s.bold,
    )?;
    row += 1;
    let first = row;
    for r in &rows {
        ws.write_string_with_format(row, T_LABEL, chart_label(r), &s.text)?;
        ws.write_number_with_format(row, T_NO, r.chua_phu_hop as f64, &s.number)?;
        row += 1;
    }
    let last = row - 1;
    let name = ws.name();
    let mut chart = rust_xlsxwriter::Chart::new(rust_xlsxwriter::ChartType::Bar);
    chart
        .add_series()
        .set_name("Chưa phù hợp")
        .set_categories((name.as_str(), first, T_LABEL, last, T_LABEL))
        .set_values((name.as_str(), first, T_NO, last, T_NO))
        .set_data_label(rust_xlsxwriter::ChartDataLabel::new().show_value());
    chart
        .title()
        .set_name("Số đơn vị đánh giá \"Chưa phù hợp\" theo nội dung");
    chart.legend().set_hidden();
    chart
        .set_width(720)
        .set_height((120 + 28 * rows.len()).min(900) as u32);
    ws.insert_chart(row + 1, T_LABEL, &chart)?;
    Ok(())
}

/// `t` (local time) as an Excel date and time, to the minute.
fn excel_time(t: chrono::NaiveDateTime) -> Option<rust_xlsxwriter::ExcelDateTime> {
    use chrono::Timelike;
    let d = excel_date(t.date())?;
    d.and_hms(
        u16::try_from(t.hour()).ok()?,
        u8::try_from(t.minute()).ok()?,
        0,
    )
    .ok()
}

/// `d` as an Excel date (no time of day).
fn excel_date(d: chrono::NaiveDate) -> Option<rust_xlsxwriter::ExcelDateTime> {
    use chrono::Datelike;
    rust_xlsxwriter::ExcelDateTime::from_ymd(
        u16::try_from(d.year()).ok()?,
        u8::try_from(d.month()).ok()?,
        u8::try_from(d.day()).ok()?,
    )
    .ok()
}

/// The name of the figures sheet.
pub const FIGURES_SHEET: &str = "Số liệu";

/// An A1 cell reference (0-based row and column).
fn a1(row: u32, column: usize) -> String {
    let mut c = column + 1;
    let mut letters = String::new();
    while c > 0 {
        let r = (c - 1) % 26;
        letters.insert(0, char::from(b'A' + r as u8));
        c = (c - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

/// Sheet "Số liệu": per unit, figure and year the counts read from its report (numbers),
/// the sum of the levels and the rule's check as formulas, each stored with its computed
/// value; then the totals per figure and year (SUMIFS over the rows above, so a corrected
/// cell recomputes), the rule's breaches, the points to check, and a chart of the levels.
fn figures_sheet(
    ws: &mut Worksheet,
    c: &Consolidation,
    s: &Styles,
) -> std::result::Result<(), XlsxError> {
    use crate::figures::Measure;
    let r = &c.ratings;
    let cfg = &r.config;
    let rule = cfg.rules.first();
    let nl = cfg.levels.len();
    // Columns: unit, figure, year, rated, levels…, sum, [ratio, check], source.
    let mut widths = vec![30.0, 18.0, 7.0, 10.0];
    widths.extend(std::iter::repeat_n(9.0, nl));
    widths.push(9.0);
    if rule.is_some() {
        widths.extend([10.0, 9.0]);
    }
    widths.push(60.0);
    let last = col(widths.len() - 1);
    set_widths(ws, &widths)?;
    let title = "SỐ LIỆU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG ĐỌC TỪ BÁO CÁO CÁC ĐƠN VỊ".to_string();
    let (mut row, _) = title_block(
        ws,
        c,
        s,
        last,
        &widths,
        &[(&title, &s.title), (&as_of_line(c), &s.info)],
    )?;
    let pct = Format::new()
        .set_font_name(FONT)
        .set_font_size(SIZE)
        .set_border(FormatBorder::Thin)
        .set_num_format("0.0%")
        .set_align(FormatAlign::Center);
    let short = |id: &str| cfg.level(id).map(|l| l.short.clone()).unwrap_or_default();
    let mut head: Vec<String> = vec![
        "Đơn vị".into(),
        "Đối tượng".into(),
        "Năm".into(),
        "Được đánh giá".into(),
    ];
    head.extend(cfg.levels.iter().map(|l| l.short.clone()));
    head.push("Cộng các mức".into());
    let sum_col = 4 + nl;
    if let Some(ru) = rule {
        head.push(format!("{}/{}", short(&ru.level), short(&ru.of_level)));
        head.push(format!("≤{}%", ru.at_most_percent));
    }
    head.push("Nguồn (câu hoặc ô bảng trong báo cáo)".into());
    let src_col = head.len() - 1;
    for (i, h) in head.iter().enumerate() {
        ws.write_string_with_format(row, col(i), h, &s.header)?;
    }
    ws.set_row_height(row, 2.0 * LINE + PAD)?;
    row += 1;
    let first = row;
    let level_col = |id: &str| cfg.levels.iter().position(|l| l.id == id).map(|p| 4 + p);
    for u in &r.units {
        let mut keys: Vec<(i32, usize)> = Vec::new();
        for v in &u.values {
            let (Some(y), Some(fi)) = (v.year, cfg.figures.iter().position(|f| f.id == v.figure))
            else {
                continue;
            };
            if v.measure != Measure::Members && !keys.contains(&(y, fi)) {
                keys.push((y, fi));
            }
        }
        keys.sort_by_key(|(y, fi)| (*fi, *y));
        for (y, fi) in keys {
            let f = &cfg.figures[fi];
            ws.write_string_with_format(row, 0, &u.unit, &s.text)?;
            ws.write_string_with_format(row, 1, &f.name, &s.text)?;
            ws.write_number_with_format(row, 2, f64::from(y), &s.center)?;
            let mut put_n = |colx: usize, m: &Measure| -> std::result::Result<(), XlsxError> {
                match u.get(&f.id, Some(y), m) {
                    Some(v) => ws.write_number_with_format(row, col(colx), f64::from(v), &s.number),
                    None => ws.write_blank(row, col(colx), &s.number),
                }
                .map(|_| ())
            };
            put_n(3, &Measure::Rated)?;
            for (li, l) in cfg.levels.iter().enumerate() {
                put_n(4 + li, &Measure::Level(l.id.clone()))?;
            }
            let sum: u32 = cfg
                .levels
                .iter()
                .filter_map(|l| u.get(&f.id, Some(y), &Measure::Level(l.id.clone())))
                .sum();
            ws.write_formula_with_format(
                row,
                col(sum_col),
                rust_xlsxwriter::Formula::new(format!("=SUM({}:{})", a1(row, 4), a1(row, 3 + nl)))
                    .set_result(sum.to_string()),
                &s.number,
            )?;
            if let Some(ru) = rule
                && let (Some(lc), Some(oc)) = (level_col(&ru.level), level_col(&ru.of_level))
            {
                let a = u.get(&f.id, Some(y), &Measure::Level(ru.level.clone()));
                let b = u.get(&f.id, Some(y), &Measure::Level(ru.of_level.clone()));
                let (ratio, check) = match (a, b) {
                    (Some(a), Some(b)) if b > 0 => (
                        format!("{}", f64::from(a) / f64::from(b)),
                        if f64::from(a) * 100.0 <= ru.at_most_percent * f64::from(b) {
                            "đạt"
                        } else {
                            "vượt"
                        },
                    ),
                    _ => (String::new(), ""),
                };
                let (na, nb) = (a1(row, lc), a1(row, oc));
                ws.write_formula_with_format(
                    row,
                    col(sum_col + 1),
                    rust_xlsxwriter::Formula::new(format!("=IF(N({nb})=0,\"\",N({na})/{nb})"))
                        .set_result(ratio),
                    &pct,
                )?;
                ws.write_formula_with_format(
                    row,
                    col(sum_col + 2),
                    rust_xlsxwriter::Formula::new(format!(
                        "=IF(N({nb})=0,\"\",IF(N({na})*100<={}*{nb},\"đạt\",\"vượt\"))",
                        ru.at_most_percent
                    ))
                    .set_result(check),
                    &s.center,
                )?;
            }
            let source = u
                .values
                .iter()
                .find(|v| v.figure == f.id && v.year == Some(y))
                .map(|v| v.source.chars().take(300).collect::<String>())
                .unwrap_or_default();
            ws.write_string_with_format(row, col(src_col), &source, &s.text)?;
            // Wrapped in its column, so the sheet prints one page wide.
            ws.set_row_height(row, lines(&source, widths[src_col]) as f64 * LINE + PAD)?;
            row += 1;
        }
    }
    let last_data = row.saturating_sub(1);
    row += 1;
    // Totals per figure and year.
    ws.merge_range(row, 0, row, last, "TỔNG CỘNG THEO NĂM", &s.total_label)?;
    row += 1;
    let mut chart_rows: Vec<(String, u32, u32)> = Vec::new();
    for f in &cfg.figures {
        let years: Vec<i32> = r
            .years
            .iter()
            .copied()
            .filter(|y| r.totals.iter().any(|t| t.figure == f.id && t.year == *y))
            .collect();
        if years.is_empty() {
            continue;
        }
        let start = row;
        for y in years {
            ws.write_string_with_format(row, 0, "Tổng cộng", &s.total_text)?;
            ws.write_string_with_format(row, 1, &f.name, &s.total_text)?;
            ws.write_number_with_format(row, 2, f64::from(y), &s.center)?;
            let sumifs = |colx: usize| {
                format!(
                    "=SUMIFS({}:{},$B${}:$B${},{},$C${}:$C${},{})",
                    a1(first, colx),
                    a1(last_data, colx),
                    first + 1,
                    last_data + 1,
                    a1(row, 1),
                    first + 1,
                    last_data + 1,
                    a1(row, 2)
                )
            };
            let total = |m: &Measure| r.total(&f.id, y, m).map(|t| t.value).unwrap_or(0);
            ws.write_formula_with_format(
                row,
                3,
                rust_xlsxwriter::Formula::new(sumifs(3))
                    .set_result(total(&Measure::Rated).to_string()),
                &s.total_number,
            )?;
            let mut sum = 0;
            for (li, l) in cfg.levels.iter().enumerate() {
                let v = total(&Measure::Level(l.id.clone()));
                sum += v;
                ws.write_formula_with_format(
                    row,
                    col(4 + li),
                    rust_xlsxwriter::Formula::new(sumifs(4 + li)).set_result(v.to_string()),
                    &s.total_number,
                )?;
            }
            ws.write_formula_with_format(
                row,
                col(sum_col),
                rust_xlsxwriter::Formula::new(format!("=SUM({}:{})", a1(row, 4), a1(row, 3 + nl)))
                    .set_result(sum.to_string()),
                &s.total_number,
            )?;
            if let Some(ru) = rule
                && let (Some(lc), Some(oc)) = (level_col(&ru.level), level_col(&ru.of_level))
            {
                let a = total(&Measure::Level(ru.level.clone()));
                let b = total(&Measure::Level(ru.of_level.clone()));
                let (na, nb) = (a1(row, lc), a1(row, oc));
                let ratio = if b > 0 {
                    format!("{}", f64::from(a) / f64::from(b))
                } else {
                    String::new()
                };
                ws.write_formula_with_format(
                    row,
                    col(sum_col + 1),
                    rust_xlsxwriter::Formula::new(format!("=IF(N({nb})=0,\"\",N({na})/{nb})"))
                        .set_result(ratio),
                    &pct,
                )?;
                let check = if b == 0 {
                    ""
                } else if f64::from(a) * 100.0 <= ru.at_most_percent * f64::from(b) {
                    "đạt"
                } else {
                    "vượt"
                };
                ws.write_formula_with_format(
                    row,
                    col(sum_col + 2),
                    rust_xlsxwriter::Formula::new(format!(
                        "=IF(N({nb})=0,\"\",IF(N({na})*100<={}*{nb},\"đạt\",\"vượt\"))",
                        ru.at_most_percent
                    ))
                    .set_result(check),
                    &s.center,
                )?;
            }
            ws.write_string_with_format(
                row,
                col(src_col),
                format!(
                    "cộng từ số liệu của {} đơn vị",
                    r.units
                        .iter()
                        .filter(|u| u
                            .values
                            .iter()
                            .any(|v| v.figure == f.id && v.year == Some(y)))
                        .count()
                ),
                &s.file,
            )?;
            row += 1;
        }
        chart_rows.push((f.name.clone(), start, row - 1));
    }
    row += 1;
    // Breaches and points to check.
    let breaches: Vec<(&str, &crate::figures::Breach)> = r.breaches().collect();
    if let Some(ru) = rule {
        let head = if breaches.is_empty() {
            format!("Quy định “{}”: không có đơn vị vượt.", ru.name)
        } else {
            format!(
                "Quy định “{}”: {} trường hợp vượt tỷ lệ",
                ru.name,
                breaches.len()
            )
        };
        ws.merge_range(row, 0, row, last, &head, &s.bold)?;
        row += 1;
        for (u, b) in &breaches {
            ws.write_string_with_format(row, 0, *u, &s.text)?;
            ws.merge_range(row, 1, row, last, &b.text, &s.text)?;
            row += 1;
        }
        row += 1;
    }
    let flags: Vec<(&str, &crate::figures::Flag)> = r.flags().collect();
    if !flags.is_empty() {
        ws.merge_range(row, 0, row, last, "Cần kiểm tra số liệu", &s.bold)?;
        row += 1;
        for (u, f) in &flags {
            ws.write_string_with_format(row, 0, *u, &s.text)?;
            ws.merge_range(row, 1, row, last, &f.text, &s.text)?;
            row += 1;
        }
    }
    // A chart of the levels per year for each figure's totals.
    let mut at = row + 2;
    for (name, r1, r2) in chart_rows {
        let mut chart = rust_xlsxwriter::Chart::new(rust_xlsxwriter::ChartType::Column);
        for (li, l) in cfg.levels.iter().enumerate() {
            chart
                .add_series()
                .set_name(l.short.as_str())
                .set_categories((FIGURES_SHEET, r1, 2, r2, 2))
                .set_values((FIGURES_SHEET, r1, col(4 + li), r2, col(4 + li)));
        }
        chart
            .title()
            .set_name(&format!("{name}: xếp loại theo năm (tổng các đơn vị)"));
        chart.set_width(640).set_height(300);
        ws.insert_chart(at, 0, &chart)?;
        at += 17;
    }
    page_setup(ws, (first - 1, first - 1), 1)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;
    use std::path::Path;
    use std::sync::Arc;

    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    use chrono::DateTime;
    use serde_json::Value;

    use crate::config::Config;
    use crate::consolidate::{self, tests::demo};
    use crate::register;
    use crate::store::Store;

    const CAMPAIGN: &str = "809-CV-HU";
    const AS_OF: &str = "2023-02-02T08:00:00+07:00";

    /// A sheet as text, by absolute position (merged cells: only the top-left holds the value).
    struct Sheet(Vec<Vec<Data>>);

    impl Sheet {
        fn text(&self, r: usize, c: usize) -> String {
            match self.0.get(r).and_then(|row| row.get(c)) {
                Some(Data::String(s)) => s.clone(),
                Some(Data::Float(f)) => f.to_string(),
                Some(Data::Int(i)) => i.to_string(),
                Some(Data::Empty) | None => String::new(),
                // Dates read as staff see them (the sheets' formats are dd/mm/yyyy [hh:mm]).
                Some(Data::DateTime(d)) => match d.as_datetime() {
                    Some(t) if t.time() == chrono::NaiveTime::MIN => {
                        t.format("%d/%m/%Y").to_string()
                    }
                    Some(t) => t.format("%d/%m/%Y %H:%M").to_string(),
                    None => d.to_string(),
                },
                Some(other) => other.to_string(),
            }
        }
        fn number(&self, r: usize, c: usize) -> Option<f64> {
            match self.0.get(r).and_then(|row| row.get(c)) {
                Some(Data::Float(f)) => Some(*f),
                Some(Data::Int(i)) => Some(*i as f64),
                _ => None,
            }
        }
        fn contains(&self, needle: &str) -> bool {
            (0..self.0.len())
                .any(|r| (0..self.0[r].len()).any(|c| self.text(r, c).contains(needle)))
        }
    }

    fn read(bytes: &[u8]) -> (Vec<String>, impl Fn(&str) -> Sheet + use<>) {
        let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("xlsx");
        let names = wb.sheet_names();
        let mut sheets = std::collections::HashMap::new();
        for n in &names {
            let range = wb.worksheet_range(n).expect("sheet");
            let (h, w) = range
                .end()
                .map(|(r, c)| (r as usize + 1, c as usize + 1))
                .unwrap_or((0, 0));
            let cells = (0..h)
                .map(|r| {
                    (0..w)
                        .map(|c| {
                            range
                                .get_value((r as u32, c as u32))
                                .cloned()
                                .unwrap_or(Data::Empty)
                        })
                        .collect()
                })
                .collect();
            sheets.insert(n.clone(), cells);
        }
        (names, move |n: &str| {
            Sheet(
                sheets
                    .get(n)
                    .cloned()
                    .unwrap_or_else(|| panic!("no sheet {n}")),
            )
        })
    }

    fn at() -> chrono::DateTime<chrono::FixedOffset> {
        DateTime::parse_from_rfc3339(AS_OF).expect("time")
    }

    fn demo_model(dir: &Path) -> (Config, Store, Consolidation) {
        let (config, store) = demo(dir);
        let c = config.campaign(CAMPAIGN).expect("campaign");
        let m = consolidate::build(&store, &config, c, at()).expect("model");
        (config, store, m)
    }

    /// Checks a checklist sheet against its tally; returns the criterion rows found.
    fn check_tally(sheet: &Sheet, t: &FormTally) -> Vec<usize> {
        assert_eq!(sheet.text(HEADER_ROW + 1, T_YES as usize), "Phù hợp");
        assert_eq!(sheet.text(HEADER_ROW + 1, T_NO as usize), "Chưa phù hợp");
        assert_eq!(sheet.text(HEADER_ROW + 1, T_NONE as usize), "Không trả lời");
        assert_eq!(
            sheet.text(HEADER_ROW, T_NAMES as usize),
            "Đơn vị đánh giá Chưa phù hợp"
        );
        assert_eq!(
            sheet.text(HEADER_ROW, T_PROPOSALS as usize),
            "Đề xuất, kiến nghị"
        );
        let total_row = (0..sheet.0.len())
            .find(|&r| sheet.text(r, 0) == "Số nội dung")
            .expect("totals row");
        let criteria: Vec<usize> = (HEADER_ROW + 2..total_row)
            .filter(|&r| sheet.number(r, T_YES as usize).is_some())
            .collect();
        assert_eq!(
            criteria.len(),
            t.rows.len(),
            "{}: one row per template row",
            t.item
        );
        for (r, want) in criteria.iter().zip(&t.rows) {
            let r = *r;
            assert_eq!(sheet.text(r, T_LABEL as usize), want.label);
            let got = [T_YES, T_NO, T_NONE].map(|c| sheet.number(r, c as usize).expect("count"));
            assert_eq!(
                got,
                [
                    want.phu_hop as f64,
                    want.chua_phu_hop as f64,
                    want.no_answer as f64
                ],
                "{} / {} / {}",
                t.item,
                want.group,
                want.label
            );
            assert_eq!(got.iter().sum::<f64>(), t.units_counted as f64);
            let names = sheet.text(r, T_NAMES as usize);
            for u in &want.chua_phu_hop_units {
                assert!(names.contains(u.as_str()), "{names:?} lacks {u}");
            }
            let props = sheet.text(r, T_PROPOSALS as usize);
            for (u, p) in &want.proposals {
                // The unit is named on the line of its proposal (shared ones name all).
                assert!(
                    props.contains(u.as_str()) && props.contains(&format!(": {p}")),
                    "{props:?} lacks {u}: {p:?}"
                );
            }
        }
        let n = t.rows.len();
        let some_no = t.rows.iter().filter(|r| r.chua_phu_hop > 0).count();
        assert_eq!(
            sheet.text(total_row, T_NO as usize),
            format!("{some_no}/{n} có ý kiến chưa phù hợp"),
            "{}: the totals count criteria",
            t.item
        );
        // Group headings: every group label of the template, bold rows without counts.
        for g in t.rows.iter().flat_map(|r| r.group.split(" / ")) {
            assert!(
                (HEADER_ROW + 2..total_row).any(|r| sheet.text(r, 1) == g
                    && sheet.number(r, 2).is_none()
                    && !sheet.text(r, 0).is_empty()),
                "{}: no numbered heading {g:?}",
                t.item
            );
        }
        assert!(
            sheet.contains(&format!("Số biểu được tổng hợp: {}", t.units_counted)),
            "{}: the note gives units_counted",
            t.item
        );
        criteria
    }

    /// Row of the (first) header row of a checklist sheet: office, title lines, a blank row.
    const HEADER_ROW: usize = 6;

    #[test]
    fn sheet_names_come_from_item_names() {
        assert_eq!(sheet_name("Biểu số 1"), "Biểu 1");
        assert_eq!(sheet_name("Phụ lục số 2"), "Phụ lục 2");
        assert_eq!(sheet_name("BIỂU SỐ 3"), "BIỂU 3");
        assert_eq!(sheet_name("Mẫu: A/B [x]"), "Mẫu AB x");
        assert_eq!(sheet_name(&"a".repeat(40)).chars().count(), 31);
        assert_eq!(roman(4), "IV");
        assert_eq!(group_number(0, 3), "3");
        assert_eq!(group_number(1, 2), "II");
        assert!(lines("một hai ba", 30.0) == 1 && lines(&"chữ ".repeat(40), 21.0) >= 7);
    }

    #[test]
    fn receipt_times_and_biểu_1_dates_are_real_date_cells() {
        use chrono::Timelike;
        let dir = tempfile::tempdir().expect("tempdir");
        let (_, _, m) = demo_model(dir.path());
        let bytes = write(&m).expect("workbook");
        let (_, sheet) = read(&bytes);
        let s = sheet(STATUS_SHEET);
        let mut dates = 0;
        for u in &m.units {
            let r = (0..s.0.len())
                .find(|&r| s.text(r, 1) == u.name)
                .expect("unit row");
            for (i, (id, _)) in m.items.iter().enumerate() {
                let cell = &s.0[r][2 + i];
                match u
                    .items
                    .iter()
                    .find(|e| &e.item == id)
                    .and_then(|e| e.received_at)
                {
                    Some(at) => {
                        let Data::DateTime(d) = cell else {
                            panic!("{} {id}: {cell:?} is not a date", u.name);
                        };
                        let want = at.naive_local().with_second(0).expect("minute");
                        assert_eq!(d.as_datetime(), Some(want), "{} {id}", u.name);
                        dates += 1;
                    }
                    None => assert_eq!(cell, &Data::String("Chưa nhận".into())),
                }
            }
            // The files sent, in the column after the state.
            let files = s.text(r, 3 + m.items.len());
            for e in u.items.iter().filter(|e| e.received_at.is_some()) {
                if let Some(f) = e.source.as_deref().filter(|f| !f.trim().is_empty()) {
                    assert!(files.contains(f.trim()), "{}: {f} not in {files}", u.name);
                }
            }
        }
        assert!(dates > 20, "{dates}");
        let mut z = zip::ZipArchive::new(Cursor::new(bytes.clone())).expect("zip");
        let mut styles = String::new();
        std::io::Read::read_to_string(
            &mut z.by_name("xl/styles.xml").expect("styles"),
            &mut styles,
        )
        .expect("styles xml");
        assert!(styles.contains("formatCode=\"dd/mm/yyyy\""), "{styles}");
        assert!(
            styles.contains("formatCode=\"dd/mm/yyyy hh:mm\""),
            "{styles}"
        );
        assert!(
            styles.contains("dd/mm/yyyy hh:mm&quot; - muộn&quot;"),
            "{styles}"
        );
        // Biểu 1: every single date a unit wrote is a date cell, e.g. "15/11/2018".
        let g = m.grids.first().expect("Biểu 1");
        let b = sheet(&sheet_name(&g.name));
        let date_row = g
            .sub_rows
            .iter()
            .position(|l| crate::vntext::fold(l).contains("ngay"))
            .expect("date sub-row");
        let written: Vec<chrono::NaiveDate> = g
            .units
            .iter()
            .flat_map(|(_, v)| v.iter().filter_map(|r| r.get(date_row)).flatten())
            .filter_map(|v| crate::forms::grid::parse_date(v))
            .collect();
        let mut cells: Vec<chrono::NaiveDate> =
            b.0.iter()
                .flatten()
                .filter_map(|d| match d {
                    Data::DateTime(d) => d.as_datetime().map(|t| t.date()),
                    _ => None,
                })
                .collect();
        let mut want = written.clone();
        want.sort();
        cells.sort();
        assert!(!want.is_empty());
        assert_eq!(cells, want);
    }

    #[test]
    fn the_biểu_1_tally_counts_units_per_document_kind_and_year() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (_, _, m) = demo_model(dir.path());
        let (_, sheet) = read(&write(&m).expect("workbook"));
        let g = m.grids.first().expect("Biểu 1");
        let t = sheet(&format!("{} tổng hợp", sheet_name(&g.name)));
        let head = (0..t.0.len())
            .find(|&r| t.text(r, 1) == "Loại văn bản")
            .expect("header");
        assert_eq!(t.text(head, 2), g.columns[0]);
        let kind_row = 0; // "Thể loại văn bản"
        assert_eq!(g.sub_rows[kind_row], "Thể loại văn bản");
        // Counted here from the stacked values, independently of the sheet's code.
        let issued = |unit_values: &Vec<Vec<Vec<String>>>, year: usize, kind: Option<&str>| {
            unit_values.iter().any(|r| {
                r.get(kind_row)
                    .and_then(|c| c.get(year))
                    .is_some_and(|v| match kind {
                        None => !v.trim().is_empty(),
                        Some(k) => v
                            .split([';', ',', '\n'])
                            .any(|x| crate::vntext::fold(x.trim()) == crate::vntext::fold(k)),
                    })
            })
        };
        let mut r = head + 1;
        let mut kinds = 0;
        while !t.text(r, 0).starts_with("Số đơn vị có ban hành") {
            let kind = t.text(r, 1);
            for y in 0..g.columns.len() {
                let want = g
                    .units
                    .iter()
                    .filter(|(_, v)| issued(v, y, Some(&kind)))
                    .count();
                assert_eq!(
                    t.number(r, 2 + y),
                    Some(want as f64),
                    "{kind} {}",
                    g.columns[y]
                );
            }
            kinds += 1;
            r += 1;
        }
        assert!(kinds >= 3, "{kinds}");
        assert!(t.text(head + 1, 1) == "Kế hoạch", "most used first");
        for y in 0..g.columns.len() {
            let any: Vec<&str> = g
                .units
                .iter()
                .filter(|(_, v)| issued(v, y, None))
                .map(|(u, _)| u.as_str())
                .collect();
            assert_eq!(
                t.number(r, 2 + y),
                Some(any.len() as f64),
                "{}",
                g.columns[y]
            );
            let none: Vec<&str> = g
                .units
                .iter()
                .map(|(u, _)| u.as_str())
                .filter(|u| !any.contains(u))
                .collect();
            assert_eq!(t.text(r + 1, 2 + y), none.join("\n"), "{}", g.columns[y]);
        }
        assert!(t.contains(&format!(
            "Chưa gửi {} ({} đơn vị)",
            g.name,
            m.units.len() - g.units.len()
        )));
    }

    #[test]
    fn native_charts_show_submission_states_and_chua_phu_hop_per_criterion() {
        use std::io::Read;
        let dir = tempfile::tempdir().expect("tempdir");
        let (_, _, m) = demo_model(dir.path());
        let bytes = write(&m).expect("workbook");
        let (_, sheet) = read(&bytes);
        // The status chart reads the four state counts of the summary.
        let s = sheet(STATUS_SHEET);
        let first = (0..s.0.len())
            .find(|&r| s.text(r, 1) == State::CompleteOnTime.label())
            .expect("summary");
        let count = |st: State| m.units.iter().filter(|u| u.state == st).count() as f64;
        for (k, st) in [
            State::CompleteOnTime,
            State::CompleteLate,
            State::Partial,
            State::Missing,
        ]
        .into_iter()
        .enumerate()
        {
            assert_eq!(s.text(first + k, 1), st.label());
            assert_eq!(s.number(first + k, 2), Some(count(st)), "{}", st.label());
        }
        // The chart table of each checklist: the criteria with a "Chưa phù hợp", their counts.
        let mut tables = Vec::new();
        for t in &m.tallies {
            let sh = sheet(&sheet_name(&t.name));
            let no: Vec<&crate::consolidate::TallyRow> =
                t.rows.iter().filter(|r| r.chua_phu_hop > 0).collect();
            let head = (0..sh.0.len()).find(|&r| {
                sh.text(r, 0)
                    .starts_with("Số đơn vị đánh giá Chưa phù hợp theo nội dung")
            });
            let Some(head) = head else {
                assert!(no.is_empty(), "{} has no chart table", t.name);
                continue;
            };
            for (k, r) in no.iter().enumerate() {
                let label = sh.text(head + 1 + k, T_LABEL as usize);
                let group = r.group.rsplit(" / ").next().unwrap_or("");
                assert_eq!(label, chart_label(r));
                assert!(
                    format!("{group}: {}", r.label).starts_with(label.trim_end_matches('…')),
                    "{label} / {}",
                    r.label
                );
                assert_eq!(
                    sh.number(head + 1 + k, T_NO as usize),
                    Some(r.chua_phu_hop as f64)
                );
            }
            tables.push((sheet_name(&t.name), head + 2, head + 1 + no.len()));
        }
        assert!(!tables.is_empty(), "the demo has 'Chưa phù hợp' answers");
        // The charts are there and point at those cells.
        let mut z = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
        let mut charts = Vec::new();
        for i in 0..z.len() {
            let mut f = z.by_index(i).expect("entry");
            if f.name().is_ok_and(|n| n.starts_with("xl/charts/chart")) {
                let mut x = String::new();
                f.read_to_string(&mut x).expect("chart xml");
                charts.push(x);
            }
        }
        let pie = charts
            .iter()
            .find(|x| x.contains("<c:pieChart>"))
            .expect("status pie");
        assert!(
            pie.contains(&format!(
                "<c:f>'{STATUS_SHEET}'!$C${}:$C${}</c:f>",
                first + 1,
                first + 4
            )),
            "{pie}"
        );
        for (name, r1, r2) in &tables {
            let range = format!("<c:f>'{name}'!$D${r1}:$D${r2}</c:f>");
            assert!(
                charts
                    .iter()
                    .any(|x| x.contains("<c:barChart>") && x.contains(&range)),
                "no chart on {range}"
            );
        }
        // The figures sheet keeps its levels chart: pie + one bar per checklist + columns.
        assert!(charts.iter().any(|x| x.contains("<c:barDir val=\"col\"/>")));
    }

    #[test]
    fn the_demo_workbook_reads_back_with_the_registers_figures() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (config, store, m) = demo_model(dir.path());
        let bytes = write(&m).expect("workbook");
        let (names, sheet) = read(&bytes);
        assert_eq!(
            names,
            [
                "Tình hình nộp",
                "Số liệu",
                "Biểu 1",
                "Biểu 1 tổng hợp",
                "Biểu 2",
                "Biểu 3",
                "Biểu 4"
            ]
        );

        // Submissions: every unit once, with the register's state.
        let c = config.campaign(CAMPAIGN).expect("campaign");
        let st = register::status(&store, &config, c, at()).expect("status");
        let s = sheet(STATUS_SHEET);
        let state_col = 2 + m.items.len();
        assert_eq!(s.text(HEADER_ROW, state_col), "Tình trạng");
        for u in &st.units {
            let rows: Vec<usize> = (0..s.0.len()).filter(|&r| s.text(r, 1) == u.name).collect();
            assert_eq!(rows.len(), 1, "{} appears once", u.name);
            assert_eq!(s.text(rows[0], state_col), u.status.label(), "{}", u.name);
        }
        let sent = (0..s.0.len())
            .find(|&r| s.text(r, 0) == "Số đơn vị đã gửi")
            .expect("totals");
        for (i, (id, _)) in m.items.iter().enumerate() {
            let n = m
                .units
                .iter()
                .filter(|u| {
                    u.items
                        .iter()
                        .any(|e| &e.item == id && e.received_at.is_some())
                })
                .count();
            assert_eq!(s.number(sent, 2 + i), Some(n as f64), "{id} received");
        }
        // A late receipt is marked in its cell's number format (the cell stays a date).
        assert!(!m.figures.late.is_empty());
        let late = m
            .units
            .iter()
            .find(|u| u.items.iter().any(|e| e.late))
            .expect("a late unit");
        let r = (0..s.0.len())
            .find(|&r| s.text(r, 1) == late.name)
            .expect("row");
        assert!(matches!(s.0[r][2], Data::DateTime(_)), "{:?}", s.0[r][2]);
        assert!(s.contains("Chưa nhận"));
        assert!(s.contains("theo Công văn số 809-CV/HU"));

        // Checklists.
        let mut proposals = 0;
        for t in &m.tallies {
            assert!(t.units_counted > 0);
            check_tally(&sheet(&sheet_name(&t.name)), t);
            proposals += t.rows.iter().map(|r| r.proposals.len()).sum::<usize>();
        }
        assert!(proposals > 0, "the demo has proposals to quote");

        // Biểu 1: every unit that sent it, and its dates.
        let g = &m.grids[0];
        let b1 = sheet("Biểu 1");
        for (unit, values) in &g.units {
            assert!(
                (0..b1.0.len()).any(|r| b1.text(r, 1) == *unit),
                "{unit} in Biểu 1"
            );
            let date_sub = g
                .sub_rows
                .iter()
                .position(|s| s == "Ngày ban hành")
                .expect("date row");
            let date = values
                .iter()
                .flat_map(|r| r[date_sub].iter())
                .find(|v| !v.is_empty())
                .expect("a date");
            assert!(b1.contains(date), "{date} of {unit}");
        }
    }

    /// A mail from `from` answering the request with one attachment.
    fn eml(from: &str, name: &str, body: &[u8]) -> Vec<u8> {
        use base64::Engine as _;
        let b64 = base64::engine::general_purpose::STANDARD.encode(body);
        let wrapped: String = b64
            .as_bytes()
            .chunks(76)
            .map(|c| format!("{}\r\n", String::from_utf8_lossy(c)))
            .collect();
        format!(
            "Received: from mail.example by mx.lamdong.gov.vn; Wed, 25 Jan 2023 09:00:00 +0700\r\n\
             From: <{from}>\r\nTo: <vanphong.huyenuy@lamdong.gov.vn>\r\n\
             Subject: =?UTF-8?B?{subject}?=\r\nDate: Wed, 25 Jan 2023 08:59:00 +0700\r\n\
             Message-ID: <bieu-loc-thanh@example>\r\nMIME-Version: 1.0\r\n\
             Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n\
             --b1\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nGửi các biểu theo Công văn 809-CV/HU.\r\n\
             --b1\r\nContent-Type: application/octet-stream; name=\"{name}\"\r\n\
             Content-Disposition: attachment; filename=\"{name}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{wrapped}--b1--\r\n",
            subject = base64::engine::general_purpose::STANDARD
                .encode("Biểu số 1-4 theo Công văn 809-CV/HU".as_bytes()),
        )
        .into_bytes()
    }

    #[test]
    fn the_fixture_forms_of_loc_thanh_are_counted_as_marked() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let docs = root.join("tests/fixtures/docs");
        let exp: Value = serde_json::from_str(
            &std::fs::read_to_string(docs.join("expected.json")).expect("json"),
        )
        .expect("json");
        let file = "xlsx/bieu-1-4-loc-thanh.xlsx";
        let entry = exp["files"]
            .as_array()
            .expect("files")
            .iter()
            .find(|f| f["file"] == file)
            .expect("entry");
        let dir = tempfile::tempdir().expect("tempdir");
        let mut config = crate::config::load(&root.join("config/baocao.toml")).expect("config");
        config.data_dir = dir.path().to_path_buf();
        let mut store = Store::open(dir.path()).expect("store");
        let csv = root.join("config/units.csv");
        let units = crate::config::parse_units_csv(&std::fs::read(&csv).expect("csv"), &csv)
            .expect("units");
        store
            .replace_units(&units, "2023-01-01T00:00:00+07:00")
            .expect("units");
        let rec = Arc::new(crate::recognise::Recogniser::new(
            config.clone(),
            store.units().expect("units"),
        ));
        let raw = eml(
            "dangUyLocThanh@gmail.com",
            "bieu-1-4-loc-thanh.xlsx",
            &std::fs::read(docs.join(file)).expect("fixture"),
        );
        let now = DateTime::parse_from_rfc3339("2023-01-25T10:00:00+07:00").expect("time");
        crate::ingest::run(
            &mut store,
            rec,
            now,
            &indicatif::ProgressBar::hidden(),
            |sink| {
                sink(crate::source::Fetched {
                    raw,
                    origin: "test/loc-thanh.eml".into(),
                    internal_date: None,
                });
            },
        )
        .expect("ingest");
        let c = config.campaign(CAMPAIGN).expect("campaign");
        let m = consolidate::build(&store, &config, c, at()).expect("model");
        let (names, sheet) = read(&write(&m).expect("workbook"));
        assert_eq!(
            names,
            [
                "Tình hình nộp",
                "Biểu 1",
                "Biểu 1 tổng hợp",
                "Biểu 2",
                "Biểu 3",
                "Biểu 4"
            ]
        );
        let unit = "Đảng ủy xã Lộc Thành";
        for form in entry["forms"].as_array().expect("forms") {
            let item = form["item"].as_str().expect("item");
            let Some(t) = m.tallies.iter().find(|t| t.item == item) else {
                // Biểu 1: every cell the generator wrote is in the sheet.
                let g = m.grids.iter().find(|g| g.item == item).expect("grid");
                let s = sheet(&sheet_name(&g.name));
                assert!((0..s.0.len()).any(|r| s.text(r, 1) == unit));
                for cell in form["cells"].as_array().expect("cells") {
                    let v = cell["value"].as_str().expect("value");
                    // A single date is a date cell, shown dd/mm/yyyy whatever way it was typed.
                    let date =
                        crate::forms::grid::parse_date(v).map(|d| d.format("%d/%m/%Y").to_string());
                    assert!(
                        s.contains(v) || date.is_some_and(|d| s.contains(&d)),
                        "{item}: {v:?} missing"
                    );
                }
                continue;
            };
            assert_eq!(t.units_counted, 1, "{item}");
            let s = sheet(&sheet_name(&t.name));
            let rows = check_tally(&s, t);
            let want = form["rows"].as_array().expect("rows");
            assert_eq!(want.len(), rows.len(), "{item}");
            for (r, w) in rows.iter().zip(want) {
                let expected = match w["mark"].as_str() {
                    Some("phu_hop") => [1.0, 0.0, 0.0],
                    Some("chua_phu_hop") => [0.0, 1.0, 0.0],
                    // Both boxes ticked, or none: not an answer.
                    _ => [0.0, 0.0, 1.0],
                };
                let got = [T_YES, T_NO, T_NONE].map(|c| s.number(*r, c as usize).expect("n"));
                assert_eq!(got, expected, "{item}: {} / {}", w["group"], w["label"]);
                assert_eq!(
                    s.text(*r, T_LABEL as usize),
                    w["label"].as_str().expect("label")
                );
                let names = s.text(*r, T_NAMES as usize);
                assert_eq!(
                    names.contains(unit),
                    expected[1] == 1.0,
                    "{item}: {names:?}"
                );
                let p = w["proposal"].as_str().unwrap_or("");
                let cell = s.text(*r, T_PROPOSALS as usize);
                if p.is_empty() {
                    assert!(cell.is_empty(), "{item}: unexpected {cell:?}");
                } else {
                    assert!(
                        cell.contains(&format!("{unit}: {p}")),
                        "{item}: {cell:?} lacks {p:?}"
                    );
                }
            }
        }
    }

    /// LibreOffice prints the demo workbook: every sheet converts, and the PDF has pages.
    #[test]
    fn the_figures_sheet_has_numbers_formulas_with_their_values_and_the_breach() {
        use crate::figures::Measure;
        let dir = tempfile::tempdir().expect("tempdir");
        let (_, _, m) = demo_model(dir.path());
        let bytes = write(&m).expect("workbook");
        let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.clone())).expect("xlsx");
        let range = wb.worksheet_range(FIGURES_SHEET).expect("figures sheet");
        let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
        let text = |d: &Data| d.to_string();
        let num = |d: &Data| match d {
            Data::Float(f) => Some(*f),
            Data::Int(i) => Some(*i as f64),
            _ => None,
        };
        // Every unit row: its numbers are numbers and the level sum is cached.
        let duc = rows
            .iter()
            .find(|r| text(&r[0]) == "Đảng ủy xã Lộc Đức" && text(&r[1]) == "Đảng viên")
            .expect("Lộc Đức row");
        assert_eq!(num(&duc[2]), Some(2022.0));
        assert_eq!(num(&duc[3]), Some(277.0));
        assert_eq!(num(&duc[4]), Some(43.0));
        assert_eq!(num(&duc[8]), Some(277.0), "cached SUM");
        assert_eq!(text(&duc[10]), "đạt");
        // The totals equal the sums of the figures read, as cached formula results.
        let total_row = rows
            .iter()
            .find(|r| text(&r[0]) == "Tổng cộng" && text(&r[1]) == "Đảng viên")
            .expect("total row");
        let t = m
            .ratings
            .total("dang-vien", 2022, &Measure::Rated)
            .expect("total");
        assert_eq!(num(&total_row[3]), Some(f64::from(t.value)));
        let htxs = m
            .ratings
            .total("dang-vien", 2022, &Measure::Level("htxs".into()))
            .expect("total");
        assert_eq!(num(&total_row[4]), Some(f64::from(htxs.value)));
        let f = wb.worksheet_formula(FIGURES_SHEET).expect("formulas");
        let formulas: Vec<String> = f.rows().flatten().map(|x| x.to_string()).collect();
        assert!(
            formulas.iter().any(|x| x.starts_with("SUMIFS(")),
            "{formulas:?}"
        );
        assert!(
            formulas.iter().any(|x| x.starts_with("SUM(")),
            "{formulas:?}"
        );
        // The breach is listed.
        assert!(rows.iter().any(|r| {
            r.iter()
                .any(|d| text(d).contains("1 HTXSNV so với 4 HTTNV"))
        }));
        // A native chart is in the file.
        let mut z = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
        assert!((0..z.len()).any(|i| {
            z.by_index(i)
                .is_ok_and(|e| e.name().is_ok_and(|n| n.starts_with("xl/charts/chart")))
        }));
    }

    #[test]
    fn the_same_proposal_from_two_units_is_written_once_with_both_names() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (_, _, mut m) = demo_model(dir.path());
        let text = "Đề nghị bỏ tiêu chí này vì trùng với tiêu chí (a).";
        let row = &mut m.tallies[0].rows[0];
        row.proposals = vec![
            ("Đảng ủy xã Lộc An".into(), text.into()),
            ("Đảng ủy xã Lộc Bắc".into(), text.into()),
        ];
        let name = sheet_name(&m.tallies[0].name);
        let (_, sheet) = read(&write(&m).expect("workbook"));
        let s = sheet(&name);
        let cell = (0..s.0.len())
            .map(|r| s.text(r, T_PROPOSALS as usize))
            .find(|t| t.contains(text))
            .expect("the proposal");
        assert_eq!(cell.matches(text).count(), 1, "{cell}");
        assert!(
            cell.starts_with("Đảng ủy xã Lộc An, Đảng ủy xã Lộc Bắc: "),
            "{cell}"
        );
    }

    #[test]
    fn the_demo_workbook_converts_to_pdf() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (_, _, m) = demo_model(&dir.path().join("data"));
        let (name, _) = consolidate::file_names(&m.campaign_id);
        let xlsx = dir.path().join(&name);
        std::fs::write(&xlsx, write(&m).expect("workbook")).expect("write");
        let pages = consolidate::tests::printed_pages(&xlsx);
        // One page or more per sheet.
        assert!(pages >= 5, "{pages} pages");
    }
}
