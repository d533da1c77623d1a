//! The Word draft report (`du-thao-bao-cao-….docx`) the Ban Tổ chức edits, signs and sends up:
//! a Party document (header, title, body, signature block, "Nơi nhận") laid out as 36-HD/VPTW
//! asks, whose body follows the request's outline and quotes under each heading what every unit
//! wrote there, with the headline figures computed and the checklist forms summarised in words.
//!
//! Everything comes from the [`Consolidation`]; nothing here knows the seed campaign, so another
//! campaign's outline and forms give another draft.

use std::io::Cursor;

use docx_rs::{
    AlignmentType, BorderType, Comment, Docx, Header, LineSpacing, LineSpacingType, PageMargin,
    PageNum, Paragraph, ParagraphBorder, ParagraphBorderPosition, ParagraphBorders, Run, RunFonts,
    SpecialIndentType, Table, TableCell, TableLayoutType, TableRow, WidthType,
};

use super::{
    Consolidation, Error, FormTally, GridStack, OutlineEntry, ReportUse, Result, TallyRow, synth,
};
use crate::vntext::fold;

/// Font and sizes (half-points) from the 36-HD/VPTW appendix table.
const FONT: &str = "Times New Roman";
const BODY: usize = 28; // 14 pt
const NATIONAL: usize = 30; // "ĐẢNG CỘNG SẢN VIỆT NAM", 15 pt
const TYPE_NAME: usize = 32; // "BÁO CÁO", 16 pt
const SMALL: usize = 24; // "Nơi nhận", 12 pt
const SMALLER: usize = 22; // its lines, 11 pt

/// A4 in twips, and margins within the Party rules (top/bottom 20–25 mm, left 30–35 mm,
/// right 15–20 mm): 20 / 20 / 30 / 15 mm.
const PAGE_W: u32 = 11906;
const PAGE_H: u32 = 16838;
const MARGIN_TOP: i32 = 1134;
const MARGIN_BOTTOM: i32 = 1134;
const MARGIN_LEFT: i32 = 1701;
const MARGIN_RIGHT: i32 = 851;
const TEXT_W: usize = (PAGE_W as usize) - (MARGIN_LEFT as usize) - (MARGIN_RIGHT as usize);
/// The header's left column: wide enough for "HUYỆN ỦY BẢO LÂM" on one line at 14 pt.
const HEADER_LEFT_W: usize = 4100;
/// Most names of units that sent nothing quoted in the opening paragraph; a longer list would
/// fill the first page, so it is left to the annex.
const NAMES_INLINE: usize = 10;
/// First-line indent of body paragraphs (1 cm) and line spacing (1.2 lines, in 240ths).
const INDENT: i32 = 567;
const LINE: i32 = 288;
const AFTER: u32 = 120;

/// How a run looks.
#[derive(Clone, Copy, Default)]
struct Look {
    size: usize,
    bold: bool,
    italic: bool,
    underline: bool,
}

impl Look {
    const fn sized(size: usize) -> Self {
        Look {
            size,
            bold: false,
            italic: false,
            underline: false,
        }
    }
    const fn bold(mut self) -> Self {
        self.bold = true;
        self
    }
    const fn italic(mut self) -> Self {
        self.italic = true;
        self
    }
    const fn underline(mut self) -> Self {
        self.underline = true;
        self
    }
}

const PLAIN: Look = Look::sized(BODY);

fn run(text: &str, look: Look) -> Run {
    let mut r = Run::new().add_text(text).size(look.size);
    if look.bold {
        r = r.bold();
    }
    if look.italic {
        r = r.italic();
    }
    if look.underline {
        r = r.underline("single");
    }
    r
}

/// A paragraph with the given alignment and spacing, and its runs.
fn para(align: AlignmentType, after: u32, runs: &[(&str, Look)]) -> Paragraph {
    let mut p = Paragraph::new().align(align).line_spacing(
        LineSpacing::new()
            .line_rule(LineSpacingType::Auto)
            .line(LINE)
            .before(0)
            .after(after),
    );
    for (t, look) in runs {
        p = p.add_run(run(t, *look));
    }
    p
}

/// A body paragraph: justified, first line indented.
fn body(runs: &[(&str, Look)]) -> Paragraph {
    para(AlignmentType::Both, AFTER, runs).indent(
        None,
        Some(SpecialIndentType::FirstLine(INDENT)),
        None,
        None,
    )
}

/// A centred line with no space after, for the header and signature blocks (single spacing,
/// so the blocks stay compact as in printed documents).
fn line(text: &str, look: Look) -> Paragraph {
    Paragraph::new()
        .align(AlignmentType::Center)
        .line_spacing(
            LineSpacing::new()
                .line_rule(LineSpacingType::Auto)
                .line(240)
                .before(0)
                .after(0),
        )
        .add_run(run(text, look))
}

/// A left-aligned single-spaced line (the "Nơi nhận" list).
fn left_line(text: &str, look: Look) -> Paragraph {
    line(text, look).align(AlignmentType::Left)
}

/// A heading of the outline: bold (italic below the second level), indented like the body,
/// with an outline level so Word's navigation pane shows the structure.
fn heading(number: Option<&str>, title: &str, level: usize) -> Paragraph {
    let mut look = PLAIN.bold();
    if level >= 2 {
        look = look.italic();
    }
    let text = match number {
        Some(n) if !title.starts_with(n) => format!("{n} {title}"),
        _ => title.to_string(),
    };
    body(&[(&text, look)])
        .outline_lvl(level.min(8))
        .keep_next(true)
}

/// The short centred rule under the trích yếu: a bottom border on an empty paragraph indented
/// from both sides, which Word and LibreOffice both draw the same way.
fn short_rule() -> Paragraph {
    let side = ((TEXT_W as i32) - 1700) / 2;
    let mut p = Paragraph::new()
        .align(AlignmentType::Center)
        .line_spacing(
            LineSpacing::new()
                .line_rule(LineSpacingType::Exact)
                .line(120)
                .before(0)
                .after(240),
        )
        .indent(Some(side), None, Some(side), None);
    p.property = p.property.set_borders(
        ParagraphBorders::with_empty().set(
            ParagraphBorder::new(ParagraphBorderPosition::Bottom)
                .val(BorderType::Single)
                .size(6)
                .space(1)
                .color("000000"),
        ),
    );
    p
}

fn cell(width: usize, paragraphs: Vec<Paragraph>) -> TableCell {
    let mut c = TableCell::new().width(width, WidthType::Dxa);
    for p in paragraphs {
        c = c.add_paragraph(p);
    }
    c
}

/// A borderless two-column table, the way Party documents lay out their header and signature.
fn two_columns(left_w: usize, left: Vec<Paragraph>, right: Vec<Paragraph>) -> Table {
    let right_w = TEXT_W - left_w;
    Table::new(vec![TableRow::new(vec![
        cell(left_w, left),
        cell(right_w, right),
    ])])
    .set_grid(vec![left_w, right_w])
    .width(TEXT_W, WidthType::Dxa)
    .layout(TableLayoutType::Fixed)
    .clear_all_border()
}

/// The office's kind and place: "Huyện ủy Bảo Lâm" → ("Huyện ủy", "Bảo Lâm"). The place is the
/// words after "ủy", without an administrative word ("xã", "huyện" …) in front; an office name
/// of another shape is its own place.
fn office_parts(office: &str) -> (String, String) {
    let words: Vec<&str> = office.split_whitespace().collect();
    let Some(at) = words
        .iter()
        .position(|w| matches!(w.to_lowercase().as_str(), "ủy" | "uỷ"))
    else {
        return (office.trim().to_string(), office.trim().to_string());
    };
    let kind = words[..=at].join(" ");
    let mut rest = &words[at + 1..];
    for admin in [
        &["thị", "trấn"][..],
        &["thành", "phố"],
        &["xã"],
        &["phường"],
        &["huyện"],
        &["tỉnh"],
        &["quận"],
    ] {
        if rest.len() > admin.len() && rest.iter().zip(admin).all(|(w, a)| w.to_lowercase() == *a) {
            rest = &rest[admin.len()..];
            break;
        }
    }
    let place = if rest.is_empty() {
        office.trim().to_string()
    } else {
        rest.join(" ")
    };
    (kind, place)
}

/// The kind of the request from its number's type abbreviation ("809-CV/HU" → "Công văn").
/// Only for the opening sentence; an unknown type reads "Văn bản".
fn request_kind(number: &str) -> &'static str {
    let abbr = number
        .split('/')
        .next()
        .and_then(|s| s.rsplit(['-', ' ']).next())
        .unwrap_or("")
        .trim();
    match fold(abbr).as_str() {
        "cv" => "Công văn",
        "kh" => "Kế hoạch",
        "hd" => "Hướng dẫn",
        "tb" => "Thông báo",
        "ct" => "Chỉ thị",
        "nq" => "Nghị quyết",
        "qd" => "Quyết định",
        "ctr" => "Chương trình",
        _ => "Văn bản",
    }
}

/// The symbol after the slash of the request number ("809-CV/HU" → "HU").
fn office_symbol(number: &str) -> &str {
    number.rsplit_once('/').map(|(_, s)| s.trim()).unwrap_or("")
}

/// The trích yếu: "Tổng hợp <request subject> theo Công văn số … của …". A subject that starts
/// with "Báo cáo" loses those words ("Tổng hợp báo cáo …" says it twice).
fn subject(c: &Consolidation) -> String {
    let title = c.title.trim();
    let rest = if fold(title).starts_with("bao cao ") {
        title
            .split_once(char::is_whitespace)
            .and_then(|(_, r)| r.trim_start().split_once(char::is_whitespace))
            .map(|(_, r)| r.trim_start())
            .unwrap_or(title)
    } else {
        title
    };
    // Lower-case the first letter of an ordinary word, not of an acronym ("UBND").
    let mut chars = rest.chars();
    let rest = match (chars.next(), chars.clone().next()) {
        (Some(f), Some(s)) if f.is_uppercase() && s.is_lowercase() => {
            f.to_lowercase().collect::<String>() + chars.as_str()
        }
        _ => rest.to_string(),
    };
    format!(
        "Tổng hợp {rest} theo {} số {} của {}",
        request_kind(&c.number),
        c.number,
        c.issuer
    )
}

/// The number shown before a heading: "I." for the top level, "2.1." below it, from the
/// outline id ("I.2.1").
fn heading_number(e: &OutlineEntry) -> String {
    let parts: Vec<&str> = e.id.split('.').filter(|p| !p.is_empty()).collect();
    match parts.as_slice() {
        [] => String::new(),
        [first] => format!("{first}."),
        [first, rest @ ..] if e.level == 0 => format!("{first}.{}", rest.join(".")),
        [_, rest @ ..] => format!("{}.", rest.join(".")),
    }
}

fn join_names(names: &[String]) -> String {
    names.join(", ")
}

/// The opening paragraph's sentence with the computed figures.
fn opening(c: &Consolidation) -> String {
    let f = &c.figures;
    let mut s = format!(
        "Thực hiện {} số {}, ngày {} của {} về “{}”; đến ngày {}, có {}/{} tổ chức cơ sở đảng \
         gửi báo cáo",
        request_kind(&c.number),
        c.number,
        c.issued,
        c.issuer,
        c.title.trim(),
        c.as_of.format("%d/%m/%Y"),
        f.reported,
        f.total,
    );
    if f.complete > 0 {
        s.push_str(&format!(
            " ({} đơn vị gửi đủ báo cáo và các biểu)",
            f.complete
        ));
    }
    if !f.late.is_empty() {
        s.push_str(&format!(
            "; {} đơn vị gửi chậm: {}",
            f.late.len(),
            join_names(&f.late)
        ));
    }
    if !f.partial.is_empty() {
        let parts: Vec<String> = f
            .partial
            .iter()
            .map(|(n, miss)| format!("{n} (còn thiếu {})", miss.join(", ")))
            .collect();
        s.push_str(&format!(
            "; {} đơn vị gửi chưa đủ: {}",
            f.partial.len(),
            parts.join("; ")
        ));
    }
    if f.missing.len() > NAMES_INLINE {
        s.push_str(&format!(
            "; {} đơn vị chưa gửi (danh sách tại Phụ lục)",
            f.missing.len()
        ));
    } else if !f.missing.is_empty() {
        s.push_str(&format!(
            "; {} đơn vị chưa gửi: {}",
            f.missing.len(),
            join_names(&f.missing)
        ));
    }
    s.push('.');
    s
}

/// The notes after the figures: reports staff must read themselves.
fn opening_notes(c: &Consolidation) -> Option<String> {
    let mut notes = Vec::new();
    if !c.whole_reports.is_empty() {
        notes.push(format!(
            "báo cáo của {} đơn vị không tách được theo đề cương, được đưa nguyên văn vào Phụ lục \
             ({})",
            c.whole_reports.len(),
            c.whole_reports
                .iter()
                .map(|(n, _)| n.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !c.scanned_reports.is_empty() {
        notes.push(format!(
            "{} đơn vị gửi báo cáo dạng bản scan ({}), xem bản scan đính kèm",
            c.scanned_reports.len(),
            c.scanned_reports
                .iter()
                .map(|(n, _)| n.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if notes.is_empty() {
        return None;
    }
    let mut s = notes.join("; ");
    // Sentence case for the first note.
    if let Some(f) = s.chars().next() {
        s = f.to_uppercase().collect::<String>() + &s[f.len_utf8()..];
    }
    s.push('.');
    Some(s)
}

/// Where the checklist summary goes: the outline's top-level section on proposals, else the
/// one on the general assessment; None puts it in the annex.
fn tally_section(outline: &[OutlineEntry]) -> Option<usize> {
    let top = || outline.iter().enumerate().filter(|(_, e)| e.level == 0);
    top()
        .find(|(_, e)| {
            let t = fold(&e.title);
            t.contains("de xuat") || t.contains("kien nghi")
        })
        .or_else(|| top().find(|(_, e)| fold(&e.title).starts_with("danh gia")))
        .map(|(i, _)| i)
}

/// The index of the last entry inside the section starting at `i`.
fn section_end(outline: &[OutlineEntry], i: usize) -> usize {
    let level = outline[i].level;
    outline[i + 1..]
        .iter()
        .position(|e| e.level <= level)
        .map(|p| i + p)
        .unwrap_or(outline.len() - 1)
}

/// The number for a heading appended after the section's last direct child ("IV.2" → "3.").
fn next_child_number(outline: &[OutlineEntry], i: usize) -> Option<String> {
    let level = outline[i].level;
    let end = section_end(outline, i);
    let last = outline[i + 1..=end]
        .iter()
        .rev()
        .find(|e| e.level == level + 1)?;
    let n: usize = last.id.rsplit('.').next()?.trim().parse().ok()?;
    Some(format!("{}.", n + 1))
}

fn row_name(r: &TallyRow) -> String {
    if r.group.trim().is_empty() {
        r.label.clone()
    } else {
        format!("{} – {}", r.group, r.label)
    }
}

/// Proposals with the same words grouped, in first-seen order: (text, units).
fn grouped(proposals: &[(String, String)]) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for (unit, text) in proposals {
        match out.iter_mut().find(|(t, _)| t == text) {
            Some((_, units)) => units.push(unit.clone()),
            None => out.push((text.clone(), vec![unit.clone()])),
        }
    }
    out
}

fn quote_proposals(proposals: &[(String, String)]) -> String {
    grouped(proposals)
        .iter()
        .map(|(t, units)| {
            format!(
                "“{}” ({})",
                t.trim_end_matches(['.', ' ']),
                units.join(", ")
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// One form's tally in words: how many forms were counted, the rows marked "Chưa phù hợp"
/// (most often first) with the units and their proposals, other proposals, unmarked rows.
fn tally_paragraphs(t: &FormTally) -> Vec<Paragraph> {
    let mut out = Vec::new();
    if t.units_counted == 0 {
        out.push(body(&[
            (&format!("{}: ", t.name), PLAIN.bold().italic()),
            ("chưa có đơn vị nào gửi biểu này.", PLAIN.italic()),
        ]));
        return out;
    }
    let mut marked: Vec<&TallyRow> = t.rows.iter().filter(|r| r.chua_phu_hop > 0).collect();
    // Most often marked first; the sort is stable, so ties keep the form's order.
    marked.sort_by_key(|r| std::cmp::Reverse(r.chua_phu_hop));
    let intro = if marked.is_empty() {
        format!(
            "tổng hợp từ biểu của {} đơn vị; các đơn vị đều đánh giá {} nội dung trong biểu là \
             phù hợp.",
            t.units_counted,
            t.rows.len()
        )
    } else {
        format!(
            "tổng hợp từ biểu của {} đơn vị; {}/{} nội dung được đánh giá phù hợp ở tất cả các \
             đơn vị; {} nội dung có đơn vị đánh giá “Chưa phù hợp”, nhiều nhất là:",
            t.units_counted,
            t.rows
                .iter()
                .filter(|r| r.phu_hop == t.units_counted)
                .count(),
            t.rows.len(),
            marked.len()
        )
    };
    out.push(body(&[
        (&format!("{}: ", t.name), PLAIN.bold().italic()),
        (&intro, PLAIN),
    ]));
    for r in &marked {
        let mut s = format!(
            "+ {}: {}/{} đơn vị đánh giá chưa phù hợp ({})",
            row_name(r),
            r.chua_phu_hop,
            t.units_counted,
            join_names(&r.chua_phu_hop_units)
        );
        if r.proposals.is_empty() {
            s.push('.');
        } else {
            s.push_str(". Đề xuất: ");
            s.push_str(&quote_proposals(&r.proposals));
            s.push('.');
        }
        out.push(body(&[(&s, PLAIN)]));
    }
    let others: Vec<&TallyRow> = t
        .rows
        .iter()
        .filter(|r| r.chua_phu_hop == 0 && !r.proposals.is_empty())
        .collect();
    for r in others {
        out.push(body(&[(
            &format!(
                "+ Ý kiến khác về {}: {}.",
                row_name(r),
                quote_proposals(&r.proposals)
            ),
            PLAIN,
        )]));
    }
    let unmarked: Vec<String> = t
        .rows
        .iter()
        .filter(|r| r.no_answer > 0)
        .map(|r| format!("{} ({} đơn vị)", row_name(r), r.no_answer))
        .collect();
    if !unmarked.is_empty() {
        out.push(body(&[(
            &format!("+ Không đánh dấu: {}.", unmarked.join("; ")),
            PLAIN.italic(),
        )]));
    }
    out
}

fn tally_block(c: &Consolidation) -> Vec<Paragraph> {
    c.tallies.iter().flat_map(tally_paragraphs).collect()
}

/// The title of the checklist summary: "Ý kiến của các đơn vị vào Biểu số 2, Biểu số 3, …".
fn tally_title(c: &Consolidation) -> String {
    format!(
        "Ý kiến của các đơn vị vào {}",
        c.tallies
            .iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// Comments for staff ("points to check"), numbered as Word needs.
struct Notes {
    next: usize,
    date: String,
}

impl Notes {
    /// `p` with a comment around its runs. docx-rs puts a range start before the runs added
    /// after it, so the paragraph is built here from its runs.
    fn attach(
        &mut self,
        runs: &[(&str, Look)],
        text: &str,
        make: fn(&[(&str, Look)]) -> Paragraph,
    ) -> Paragraph {
        let id = self.next;
        self.next += 1;
        let comment = Comment::new(id)
            .author("baocao")
            .date(self.date.clone())
            .add_paragraph(Paragraph::new().add_run(Run::new().add_text(text).size(SMALLER)));
        let mut p = make(&[]).add_comment_start(comment);
        for (t, look) in runs {
            p = p.add_run(run(t, *look));
        }
        p.add_comment_end(id)
    }
}

/// The last line of a unit's text when it is the closing formula ("Trên đây là báo cáo …").
fn closing(l: &str) -> bool {
    fold(l).starts_with("tren day la")
}

/// The names a unit calls itself by: its full and short name.
fn own_names(c: &Consolidation, unit: &str) -> Vec<String> {
    c.units
        .iter()
        .filter(|u| u.name == unit)
        .flat_map(|u| [u.name.clone(), u.short_name.clone()])
        .filter(|n| !n.trim().is_empty())
        .collect()
}

fn list_names(names: &[String]) -> String {
    names.join(", ")
}

/// What units wrote under one heading, synthesised: a paragraph shared by several units once
/// with its count ("9/9 đơn vị: …"), close variants attributed ("Riêng …"), the rest with the
/// unit's name. `skip` says which paragraphs to leave out (their figures are in the table).
fn section_texts(
    c: &Consolidation,
    e: &OutlineEntry,
    has_children: bool,
    skip: &dyn Fn(&str) -> bool,
    stats: &mut MergeStats,
) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let reporting: Vec<String> = c
        .units
        .iter()
        .filter(|u| u.report == ReportUse::Sections)
        .map(|u| u.name.clone())
        .collect();
    let n = reporting.len();
    let texts: Vec<(String, String)> = e
        .texts
        .iter()
        .map(|(u, t)| {
            let mut lines: Vec<&str> = t.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
            // The unit's closing formula ends up in its last section; it is not content.
            if lines.len() > 1 && lines.last().is_some_and(|l| closing(l)) {
                lines.pop();
            }
            let kept: Vec<&str> = lines.into_iter().filter(|l| !skip(l)).collect();
            (u.clone(), kept.join("\n"))
        })
        .collect();
    let names = |u: &str| own_names(c, u);
    for g in synth::synthesise(&texts, &names) {
        let k = g.units.len();
        // Counted in sentences: a group stands for one sentence of each of its units.
        stats.paragraphs += if k == 1 {
            synth::split_sentences(&g.text).len()
        } else {
            k
        };
        if k == 1 {
            out.push(body(&[
                (&format!("{}: ", g.units[0]), PLAIN.bold().italic()),
                (&g.text, PLAIN),
            ]));
            continue;
        }
        stats.merged += k;
        let others: Vec<String> = reporting
            .iter()
            .filter(|u| !g.units.contains(u))
            .cloned()
            .collect();
        // Long lists by short names ("Lộc An"); the shorter of who wrote it and who did not.
        let short = |names: &[String]| -> String {
            if names.len() <= 3 {
                return list_names(names);
            }
            let shorts: Vec<String> = names
                .iter()
                .map(|u| {
                    c.units
                        .iter()
                        .find(|x| &x.name == u)
                        .filter(|x| !x.short_name.is_empty())
                        .map(|x| x.short_name.clone())
                        .unwrap_or_else(|| u.clone())
                })
                .collect();
            list_names(&shorts)
        };
        let who = if k == n {
            format!("{k}/{n} đơn vị: ")
        } else if others.len() < k {
            format!("{k}/{n} đơn vị (trừ {}): ", short(&others))
        } else {
            format!("{k}/{n} đơn vị ({}): ", short(&g.units))
        };
        out.push(body(&[(&who, PLAIN.bold().italic()), (&g.text, PLAIN)]));
        for (units, said) in &g.variants {
            if units.is_empty() {
                // The numbers of each unit: short names keep the line short.
                let mut text = format!("({said}.)");
                for u in &g.units {
                    if let Some(e) = c.units.iter().find(|x| &x.name == u)
                        && !e.short_name.is_empty()
                    {
                        text = text.replace(&e.name, &e.short_name);
                    }
                }
                out.push(body(&[(&text, Look::sized(SMALL).italic())]));
                continue;
            }
            out.push(body(&[
                (&format!("Riêng {}: ", short(units)), PLAIN.italic()),
                (said, PLAIN.italic()),
            ]));
        }
    }
    if e.texts.is_empty() && !has_children {
        out.push(body(&[(
            "(Chưa có đơn vị nào báo cáo nội dung này.)",
            PLAIN.italic(),
        )]));
    }
    out
}

/// How much the synthesis merged, in the units' sentences under the headings.
#[derive(Debug, Default, Clone, Copy)]
pub struct MergeStats {
    /// Sentences the units wrote (after the figures' sentences went into the table).
    pub paragraphs: usize,
    /// Of those, how many are written once for several units.
    pub merged: usize,
}

fn pct(a: u32, b: u32) -> String {
    if b == 0 {
        return "–".into();
    }
    let v = f64::from(a) * 100.0 / f64::from(b);
    let s = format!("{v:.1}").replace('.', ",");
    format!("{}%", s.strip_suffix(",0").unwrap_or(&s))
}

fn small_cell(width: usize, text: &str, bold: bool) -> TableCell {
    let mut look = Look::sized(SMALLER);
    if bold {
        look = look.bold();
    }
    cell(width, vec![line(text, look)])
}

/// The outline entry where the figures go: the one whose units' text most figures were read
/// from; else the first about "xếp loại".
fn figures_section(c: &Consolidation) -> Option<usize> {
    let sources: Vec<&str> = c
        .ratings
        .units
        .iter()
        .flat_map(|u| u.values.iter().map(|v| v.source.as_str()))
        .collect();
    let mut best: Option<(usize, usize)> = None;
    for (i, e) in c.outline.iter().enumerate() {
        let n = sources
            .iter()
            .filter(|s| e.texts.iter().any(|(_, t)| t.contains(*s)))
            .count();
        if n > 0 && best.is_none_or(|(_, b)| n > b) {
            best = Some((i, n));
        }
    }
    best.map(|(i, _)| i).or_else(|| {
        c.outline
            .iter()
            .position(|e| fold(&e.title).contains("xep loai"))
    })
}

/// The figures block: per figure a table of years × levels with percentages and the rule's
/// check, breaches listed (each with a comment), flags as comments, missing years in a line.
fn figures_block(c: &Consolidation, notes: &mut Notes) -> Vec<DocPart> {
    use crate::figures::{FlagKind, Measure};
    let r = &c.ratings;
    let cfg = &r.config;
    let mut out: Vec<DocPart> = Vec::new();
    if r.totals.is_empty() {
        return out;
    }
    let with_values = r.units.iter().filter(|u| !u.values.is_empty()).count();
    let intro = format!(
        "Tổng hợp số liệu đánh giá, xếp loại chất lượng từ báo cáo của {with_values}/{} đơn vị \
         (số liệu từng đơn vị và nguồn của từng số tại bảng tổng hợp Excel, trang “Số liệu”):",
        c.figures.total
    );
    let flagged: Vec<String> = r
        .flags()
        .filter(|(_, f)| f.kind != FlagKind::YearMissing)
        .map(|(u, f)| format!("{u}: {}", f.text))
        .collect();
    if flagged.is_empty() {
        out.push(DocPart::p(body(&[(&intro, PLAIN)])));
    } else {
        let text = format!("Cần kiểm tra số liệu: {}", flagged.join(" "));
        out.push(DocPart::p(notes.attach(&[(&intro, PLAIN)], &text, body)));
    }
    let mut shown = 0u8;
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
        let rule = cfg.rules.iter().find(|ru| ru.figures.contains(&f.id));
        let units_with = r
            .units
            .iter()
            .filter(|u| u.values.iter().any(|v| v.figure == f.id))
            .count();
        out.push(DocPart::p(
            body(&[(
                &format!(
                    "{}) {} ({} đơn vị có số liệu):",
                    (b'a' + (shown % 26)) as char,
                    f.name,
                    units_with
                ),
                PLAIN.italic(),
            )])
            .keep_next(true),
        ));
        shown += 1;
        let cols = 2 + cfg.levels.len() + usize::from(rule.is_some());
        let first = 800;
        let w = (TEXT_W - first) / (cols - 1);
        let mut widths = vec![first];
        widths.extend(std::iter::repeat_n(w, cols - 1));
        let mut head = vec![
            small_cell(first, "Năm", true),
            small_cell(w, "Được đánh giá", true),
        ];
        for l in &cfg.levels {
            head.push(small_cell(w, &l.short, true));
        }
        if let Some(ru) = rule {
            let short = |id: &str| cfg.level(id).map(|l| l.short.clone()).unwrap_or_default();
            head.push(small_cell(
                w,
                &format!(
                    "{}/{} (≤{}%)",
                    short(&ru.level),
                    short(&ru.of_level),
                    ru.at_most_percent
                ),
                true,
            ));
        }
        let mut rows = vec![TableRow::new(head)];
        for y in &years {
            let get = |m: &Measure| r.total(&f.id, *y, m).map(|t| t.value);
            let level_sum: u32 = cfg
                .levels
                .iter()
                .filter_map(|l| get(&Measure::Level(l.id.clone())))
                .sum();
            let mut cells = vec![
                small_cell(first, &y.to_string(), false),
                small_cell(
                    w,
                    &get(&Measure::Rated)
                        .map(|v| v.to_string())
                        .unwrap_or_else(|| "–".into()),
                    false,
                ),
            ];
            for l in &cfg.levels {
                let text = match get(&Measure::Level(l.id.clone())) {
                    Some(v) => format!("{v} ({})", pct(v, level_sum)),
                    None => "–".into(),
                };
                cells.push(small_cell(w, &text, false));
            }
            if let Some(ru) = rule {
                let a = get(&Measure::Level(ru.level.clone()));
                let b = get(&Measure::Level(ru.of_level.clone()));
                let text = match (a, b) {
                    (Some(a), Some(b)) if b > 0 => {
                        let ok = f64::from(a) * 100.0 <= ru.at_most_percent * f64::from(b);
                        format!("{} {}", pct(a, b), if ok { "đạt" } else { "vượt" })
                    }
                    _ => "–".into(),
                };
                cells.push(small_cell(w, &text, false));
            }
            rows.push(TableRow::new(cells));
        }
        out.push(DocPart::T(Box::new(
            Table::new(rows)
                .set_grid(widths)
                .width(TEXT_W, WidthType::Dxa)
                .layout(TableLayoutType::Fixed),
        )));
    }
    let breaches: Vec<(&str, &crate::figures::Breach)> = r.breaches().collect();
    if let Some(rule) = cfg.rules.first() {
        if breaches.is_empty() {
            out.push(DocPart::p(body(&[(
                &format!("Kiểm tra quy định “{}”: các đơn vị đều bảo đảm.", rule.name),
                PLAIN,
            )])));
        } else {
            out.push(DocPart::p(body(&[(
                &format!(
                    "Kiểm tra quy định “{}”: {} trường hợp vượt tỷ lệ:",
                    rule.name,
                    breaches.len()
                ),
                PLAIN,
            )])));
            for (u, b) in &breaches {
                let line_text = format!("- {u}: {}", b.text);
                out.push(DocPart::p(notes.attach(
                    &[(&line_text, PLAIN)],
                    &format!(
                        "Vượt tỷ lệ theo quy định: đề nghị kiểm tra với {u} (có ý kiến của cấp có thẩm quyền hay không)."
                    ),
                    body,
                )));
            }
        }
    }
    // Units that left out years, grouped by what they left out.
    let mut missing: Vec<(String, Vec<String>)> = Vec::new();
    for (u, f) in r.flags().filter(|(_, f)| f.kind == FlagKind::YearMissing) {
        match missing.iter_mut().find(|(t, _)| *t == f.text) {
            Some((_, us)) => us.push(u.to_string()),
            None => missing.push((f.text.clone(), vec![u.to_string()])),
        }
    }
    for (text, units) in missing {
        let t = text.trim_end_matches('.').to_string();
        let lower = t
            .chars()
            .next()
            .map(|ch| ch.to_lowercase().collect::<String>() + &t[ch.len_utf8()..])
            .unwrap_or_default();
        out.push(DocPart::p(body(&[(
            &format!("{} đơn vị {lower}: {}.", units.len(), list_names(&units)),
            PLAIN.italic(),
        )])));
    }
    out
}

impl DocPart {
    fn p(p: Paragraph) -> Self {
        DocPart::P(Box::new(p))
    }
}

/// A paragraph or a table, in document order.
enum DocPart {
    P(Box<Paragraph>),
    T(Box<Table>),
}

/// The signature block: "Nơi nhận" on the left, the signer on the right. Ban Tổ chức is an
/// advisory body, so its head signs in his own title (36-HD/VPTW; "T/M" is for collectives).
fn signature(office_kind: &str, d: &crate::config::DraftSpec) -> Table {
    let small = Look::sized(SMALLER);
    let copies = d.copies.clone().unwrap_or_else(|| {
        vec![
            format!("Thường trực {office_kind} (báo cáo)"),
            format!("Lưu {}", d.by),
        ]
    });
    let mut left = vec![left_line(
        "Nơi nhận:",
        Look::sized(SMALL).bold().italic().underline(),
    )];
    let last = copies.len().saturating_sub(1);
    for (i, c) in copies.iter().enumerate() {
        let end = if i == last { "." } else { "," };
        left.push(left_line(
            &format!("- {}{end}", c.trim_end_matches(['.', ','])),
            small,
        ));
    }
    let mut right = vec![line(&d.signer.to_uppercase(), PLAIN.bold())];
    // Room for the signature and seal.
    for _ in 0..4 {
        right.push(line("", PLAIN));
    }
    right.push(line("……………………………", PLAIN.bold()));
    two_columns(HEADER_LEFT_W, left, right)
}

/// The outline entry where a grid form's summary goes: the one whose units' text names the
/// form most often ("chi tiết tại Biểu số 1"), else the first.
fn grid_section(c: &Consolidation, g: &GridStack) -> usize {
    let name = fold(&g.name);
    let mut best = (0, 0);
    for (i, e) in c.outline.iter().enumerate() {
        let n = e
            .texts
            .iter()
            .filter(|(_, t)| fold(t).contains(&name))
            .count();
        if n > best.1 {
            best = (i, n);
        }
    }
    best.0
}

/// A grid form (Biểu 1) summarised: per row and year, how many units issued a document, the
/// kinds most used, and the units that issued none at all.
fn grid_block(c: &Consolidation, g: &GridStack) -> Vec<DocPart> {
    let mut out = Vec::new();
    let n = g.units.len();
    if n == 0 {
        return out;
    }
    // The sub-row holding the document kind: the first that is not about dates.
    let kind_row = g
        .sub_rows
        .iter()
        .position(|s| !fold(s).contains("ngay"))
        .unwrap_or(0);
    out.push(DocPart::p(
        body(&[(
            &format!(
                "{} (tổng hợp từ biểu của {n}/{} đơn vị): số đơn vị đã ban hành văn bản theo từng năm:",
                g.name, c.figures.total
            ),
            PLAIN,
        )])
        .keep_next(true),
    ));
    let first = TEXT_W - 900 * g.columns.len();
    let mut widths = vec![first];
    widths.extend(std::iter::repeat_n(900, g.columns.len()));
    let mut head = vec![small_cell(first, "Nội dung", true)];
    for col in &g.columns {
        head.push(small_cell(900, col, true));
    }
    let mut rows = vec![TableRow::new(head)];
    let mut none: Vec<String> = Vec::new();
    for (unit, values) in &g.units {
        let any = values.iter().any(|r| {
            r.get(kind_row)
                .is_some_and(|cols| cols.iter().any(|v| !v.trim().is_empty()))
        });
        if !any {
            none.push(unit.clone());
        }
    }
    for (ri, label) in g.row_labels.iter().enumerate() {
        let mut cells = vec![cell(first, vec![left_line(label, Look::sized(SMALL))])];
        let mut any = false;
        for ci in 0..g.columns.len() {
            let k = g
                .units
                .iter()
                .filter(|(_, v)| {
                    v.get(ri)
                        .and_then(|r| r.get(kind_row))
                        .and_then(|cols| cols.get(ci))
                        .is_some_and(|t| !t.trim().is_empty())
                })
                .count();
            any |= k > 0;
            cells.push(small_cell(900, &format!("{k}/{n}"), false));
        }
        if any {
            rows.push(TableRow::new(cells));
        }
    }
    out.push(DocPart::T(Box::new(
        Table::new(rows)
            .set_grid(widths)
            .width(TEXT_W, WidthType::Dxa)
            .layout(TableLayoutType::Fixed),
    )));
    // The kinds of document, most used first.
    let mut kinds: Vec<(String, usize)> = Vec::new();
    for (_, v) in &g.units {
        for r in v {
            for t in r.get(kind_row).into_iter().flatten() {
                for k in t
                    .split([';', ',', '\n'])
                    .map(str::trim)
                    .filter(|k| !k.is_empty())
                {
                    match kinds.iter_mut().find(|(x, _)| fold(x) == fold(k)) {
                        Some((_, c)) => *c += 1,
                        None => kinds.push((k.to_string(), 1)),
                    }
                }
            }
        }
    }
    kinds.sort_by_key(|(_, c)| std::cmp::Reverse(*c));
    let mut s = String::new();
    if !kinds.is_empty() {
        s.push_str(&format!(
            "Loại văn bản: {}.",
            kinds
                .iter()
                .take(6)
                .map(|(k, c)| format!("{k} ({c})"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !none.is_empty() {
        s.push_str(&format!(
            " Đơn vị gửi biểu nhưng chưa ghi văn bản nào: {}.",
            list_names(&none)
        ));
    }
    // The units the count above leaves out: the clerk must chase them or say so in the report.
    // Those that sent nothing are listed once already (opening, Phụ lục); the ones that sent
    // something but not this form are the news here.
    let short = |u: &super::UnitEntry| {
        if u.short_name.trim().is_empty() {
            u.name.clone()
        } else {
            u.short_name.clone()
        }
    };
    let absent: Vec<&super::UnitEntry> = c
        .units
        .iter()
        .filter(|u| !g.units.iter().any(|(name, _)| name == &u.name))
        .collect();
    let (nothing, without): (Vec<&super::UnitEntry>, Vec<&super::UnitEntry>) = absent
        .iter()
        .partition(|u| u.state == crate::register::State::Missing);
    if !absent.is_empty() {
        let mut parts = Vec::new();
        if !without.is_empty() {
            let names: Vec<String> = without.iter().map(|u| short(u)).collect();
            parts.push(format!(
                "{} đơn vị đã gửi báo cáo nhưng không kèm biểu ({})",
                without.len(),
                list_names(&names)
            ));
        }
        if nothing.len() > NAMES_INLINE {
            parts.push(format!(
                "{} đơn vị chưa gửi gì (danh sách tại Phụ lục)",
                nothing.len()
            ));
        } else if !nothing.is_empty() {
            let names: Vec<String> = nothing.iter().map(|u| short(u)).collect();
            parts.push(format!(
                "{} đơn vị chưa gửi gì ({})",
                nothing.len(),
                list_names(&names)
            ));
        }
        s.push_str(&format!(
            " {}/{} đơn vị chưa gửi {}: {}.",
            absent.len(),
            c.units.len(),
            g.name,
            parts.join("; ")
        ));
    }
    if !s.is_empty() {
        out.push(DocPart::p(body(&[(s.trim(), PLAIN.italic())])));
    }
    out
}

/// Writes the Word draft report for `c`.
pub fn write(c: &Consolidation) -> Result<Vec<u8>> {
    write_with_stats(c).map(|(b, _)| b)
}

/// Writes the Word draft report for `c`, and says how much the synthesis merged.
pub fn write_with_stats(c: &Consolidation) -> Result<(Vec<u8>, MergeStats)> {
    let mut stats = MergeStats::default();
    let mut notes = Notes {
        next: 0,
        date: c.built_at.to_utc().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
    };
    let (office_kind, place) = office_parts(&c.office);
    let symbol = office_symbol(&c.number);
    let year = c.as_of.format("%Y").to_string();

    let header = two_columns(
        HEADER_LEFT_W,
        vec![
            line(&c.office.to_uppercase(), PLAIN),
            line(&c.drafter.by.to_uppercase(), PLAIN.bold()),
            line("*", PLAIN),
            line(&format!("Số       -BC/{}{symbol}", c.drafter.symbol), PLAIN),
        ],
        vec![
            line(
                "ĐẢNG CỘNG SẢN VIỆT NAM",
                Look::sized(NATIONAL).bold().underline(),
            ),
            line("", Look::sized(SMALL)),
            line(
                &format!("{place}, ngày    tháng    năm {year}"),
                PLAIN.italic(),
            ),
        ],
    );

    let mut doc = Docx::new()
        .page_size(PAGE_W, PAGE_H)
        .page_margin(
            PageMargin::new()
                .top(MARGIN_TOP)
                .bottom(MARGIN_BOTTOM)
                .left(MARGIN_LEFT)
                .right(MARGIN_RIGHT)
                .header(567)
                .footer(567),
        )
        .default_fonts(
            RunFonts::new()
                .ascii(FONT)
                .hi_ansi(FONT)
                .cs(FONT)
                .east_asia(FONT),
        )
        .default_size(BODY)
        .add_table(header)
        .add_paragraph(para(AlignmentType::Center, 0, &[]))
        .add_paragraph(para(
            AlignmentType::Center,
            0,
            &[("BÁO CÁO", Look::sized(TYPE_NAME).bold())],
        ))
        .add_paragraph(para(
            AlignmentType::Center,
            0,
            &[(&subject(c), PLAIN.bold())],
        ))
        .add_paragraph(short_rule());
    let mut checks = Vec::new();
    if !c.unidentified.is_empty() {
        checks.push(format!(
            "{} thư chưa xác định được đơn vị gửi (cần gán đơn vị rồi lập lại dự thảo): {}.",
            c.unidentified.len(),
            c.unidentified
                .iter()
                .map(|(f, s)| format!("{f} – “{s}”"))
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    if !c.unreadable.is_empty() {
        checks.push(format!(
            "{} tệp hỏng hoặc không đọc được: {}.",
            c.unreadable.len(),
            c.unreadable
                .iter()
                .map(|(u, f, e)| format!("{u}: {f} ({e})"))
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    let opening_text = opening(c);
    doc = if checks.is_empty() {
        doc.add_paragraph(body(&[(&opening_text, PLAIN)]))
    } else {
        doc.add_paragraph(notes.attach(&[(&opening_text, PLAIN)], &checks.join(" "), body))
    };
    if let Some(text) = opening_notes(c) {
        let scans: Vec<&str> = c.scanned_reports.iter().map(|(u, _)| u.as_str()).collect();
        doc = if scans.is_empty() {
            doc.add_paragraph(body(&[(&text, PLAIN)]))
        } else {
            doc.add_paragraph(notes.attach(
                &[(&text, PLAIN)],
                &format!(
                    "Báo cáo dạng bản scan, nội dung phải đọc và đưa vào tay: {}.",
                    scans.join(", ")
                ),
                body,
            ))
        };
    }
    doc = doc.add_paragraph(body(&[(
        &format!(
            "{} {office_kind} tổng hợp ý kiến của các đơn vị theo đề cương như sau:",
            c.drafter.by
        ),
        PLAIN,
    )]));

    let tally_at = if c.tallies.is_empty() {
        None
    } else {
        tally_section(&c.outline)
    };
    let tally_after = tally_at.map(|i| section_end(&c.outline, i));
    let fig_at = figures_section(c).filter(|_| !c.ratings.totals.is_empty());
    // Paragraphs whose figures were read go into the table instead.
    let sources: Vec<&str> = if fig_at.is_some() {
        c.ratings
            .units
            .iter()
            .flat_map(|u| u.values.iter().map(|v| v.source.as_str()))
            .collect()
    } else {
        Vec::new()
    };
    let skip = |l: &str| sources.iter().any(|s| l.contains(s));
    let add = |mut doc: Docx, parts: Vec<DocPart>| {
        for p in parts {
            doc = match p {
                DocPart::P(p) => doc.add_paragraph(*p),
                DocPart::T(t) => doc.add_table(*t),
            };
        }
        doc
    };
    for (i, e) in c.outline.iter().enumerate() {
        let number = heading_number(e);
        let has_children = c.outline.get(i + 1).is_some_and(|n| n.level > e.level);
        doc = doc.add_paragraph(heading(
            (!number.is_empty()).then_some(number.as_str()),
            &e.title,
            e.level,
        ));
        if fig_at == Some(i) {
            doc = add(doc, figures_block(c, &mut notes));
        }
        for g in c.grids.iter().filter(|g| grid_section(c, g) == i) {
            doc = add(doc, grid_block(c, g));
        }
        for p in section_texts(c, e, has_children, &skip, &mut stats) {
            doc = doc.add_paragraph(p);
        }
        if tally_after == Some(i)
            && let Some(at) = tally_at
        {
            let level = c.outline[at].level + 1;
            let n = next_child_number(&c.outline, at);
            doc = doc.add_paragraph(heading(n.as_deref(), &tally_title(c), level));
            for p in tally_block(c) {
                doc = doc.add_paragraph(p);
            }
        }
    }

    doc = doc
        .add_paragraph(para(AlignmentType::Left, 0, &[]))
        .add_table(signature(&office_kind, &c.drafter));

    doc = annex(doc, c, tally_at.is_none() && !c.tallies.is_empty());

    // Page numbers from page 2, centred at the top (36-HD/VPTW); none on the first page.
    doc = doc
        .header(
            Header::new().add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .add_page_num(PageNum::new()),
            ),
        )
        .first_header(Header::new())
        .created_at(&notes.date)
        .updated_at(&notes.date);

    let mut buf = Cursor::new(Vec::new());
    doc.build()
        .pack(&mut buf)
        .map_err(|e| Error::Docx(e.to_string()))?;
    let author = format!("{} {}", c.drafter.by, c.office);
    Ok((in_schema_order(&buf.into_inner(), &author)?, stats))
}

/// The order WordprocessingML's schema gives the children of paragraph (`w:pPr`) and run
/// (`w:rPr`) properties.
const PPR_ORDER: &[&str] = &[
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
];
const RPR_ORDER: &[&str] = &[
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
];

/// docx-rs writes property children in its own order; Word validates that order strictly (a
/// file out of order "needs repair") while LibreOffice does not. Rewrites the XML parts of
/// the package with every `w:pPr` and `w:rPr` in schema order.
fn in_schema_order(docx: &[u8], author: &str) -> Result<Vec<u8>> {
    use std::io::{Read, Write};
    let err = |e: String| Error::Docx(e);
    let mut zin = zip::ZipArchive::new(Cursor::new(docx)).map_err(|e| err(e.to_string()))?;
    let mut out = Cursor::new(Vec::new());
    {
        let mut zout = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for i in 0..zin.len() {
            let mut f = zin.by_index(i).map_err(|e| err(e.to_string()))?;
            let name = f.name().map_err(|e| err(e.to_string()))?.to_string();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).map_err(|e| err(e.to_string()))?;
            if name.starts_with("word/") && name.ends_with(".xml") {
                let xml = String::from_utf8(bytes).map_err(|e| err(e.to_string()))?;
                let xml = reorder(&reorder(&xml, "w:pPr", PPR_ORDER)?, "w:rPr", RPR_ORDER)?;
                bytes = xml.into_bytes();
            } else if name == "docProps/core.xml" {
                // docx-rs has no setter for the author: the office writes the draft.
                let xml = String::from_utf8(bytes).map_err(|e| err(e.to_string()))?;
                let who = quick_xml::escape::escape(author);
                bytes = xml
                    .replace(
                        "<dc:creator>unknown</dc:creator>",
                        &format!("<dc:creator>{who}</dc:creator>"),
                    )
                    .replace(
                        "<cp:lastModifiedBy>unknown</cp:lastModifiedBy>",
                        &format!("<cp:lastModifiedBy>{who}</cp:lastModifiedBy>"),
                    )
                    .into_bytes();
            }
            zout.start_file(name, opts)
                .map_err(|e| err(e.to_string()))?;
            zout.write_all(&bytes).map_err(|e| err(e.to_string()))?;
        }
        zout.finish().map_err(|e| err(e.to_string()))?;
    }
    Ok(out.into_inner())
}

/// Sorts the direct children of every `<tag>…</tag>` in `xml` by their place in `order`
/// (unknown children keep their relative place at the end), leaving everything else as it was
/// written. Read and written with quick-xml, so attributes, text and nesting are handled as
/// XML, not as strings.
fn reorder(xml: &str, tag: &str, order: &[&str]) -> Result<String> {
    use quick_xml::events::Event;
    let err = |e: String| Error::Docx(format!("reordering {tag}: {e}"));
    let rank = |name: &str| {
        order
            .iter()
            .position(|o| *o == name.trim_start_matches("w:"))
            .unwrap_or(order.len())
    };
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut writer = quick_xml::Writer::new(Vec::with_capacity(xml.len()));
    loop {
        let ev = reader.read_event().map_err(|e| err(e.to_string()))?;
        match ev {
            Event::Eof => break,
            Event::Start(start) if start.name().as_ref() == tag => {
                writer
                    .write_event(Event::Start(start.into_owned()))
                    .map_err(|e| err(e.to_string()))?;
                // The direct children, each with everything inside it, in document order.
                let mut children: Vec<(usize, Vec<Event<'static>>)> = Vec::new();
                let mut depth = 0usize;
                let end = loop {
                    let ev = reader
                        .read_event()
                        .map_err(|e| err(e.to_string()))?
                        .into_owned();
                    match &ev {
                        Event::Eof => return Err(err(format!("<{tag}> is not closed"))),
                        Event::End(_) if depth == 0 => break ev,
                        Event::Start(s) => {
                            if depth == 0 {
                                children.push((rank(s.name().as_ref()), Vec::new()));
                            }
                            depth += 1;
                        }
                        Event::Empty(s) if depth == 0 => {
                            children.push((rank(s.name().as_ref()), Vec::new()));
                        }
                        Event::End(_) => depth -= 1,
                        _ if depth == 0 && children.is_empty() => {
                            children.push((order.len(), Vec::new()));
                        }
                        _ => {}
                    }
                    if let Some((_, events)) = children.last_mut() {
                        events.push(ev);
                    }
                };
                children.sort_by_key(|(r, _)| *r);
                for ev in children.into_iter().flat_map(|(_, evs)| evs) {
                    writer.write_event(ev).map_err(|e| err(e.to_string()))?;
                }
                writer.write_event(end).map_err(|e| err(e.to_string()))?;
            }
            ev => writer.write_event(ev).map_err(|e| err(e.to_string()))?,
        }
    }
    String::from_utf8(writer.into_inner()).map_err(|e| err(e.to_string()))
}

/// The annex after the signature: who has not sent, who sent part, late senders, scans,
/// reports included whole, and the forms' summary when the outline has no place for it.
fn annex(mut doc: Docx, c: &Consolidation, with_tallies: bool) -> Docx {
    let f = &c.figures;
    let mut parts: Vec<(String, Vec<Paragraph>)> = Vec::new();
    let list = |items: Vec<String>| -> Vec<Paragraph> {
        items
            .iter()
            .enumerate()
            .map(|(i, s)| body(&[(&format!("{}. {s}", i + 1), PLAIN)]))
            .collect()
    };
    if !f.missing.is_empty() {
        parts.push((
            format!("Các đơn vị chưa gửi báo cáo ({} đơn vị)", f.missing.len()),
            list(f.missing.clone()),
        ));
    }
    if !f.partial.is_empty() {
        parts.push((
            format!("Các đơn vị gửi chưa đủ ({} đơn vị)", f.partial.len()),
            list(
                f.partial
                    .iter()
                    .map(|(n, m)| format!("{n}: còn thiếu {}.", m.join(", ")))
                    .collect(),
            ),
        ));
    }
    if !f.late.is_empty() {
        parts.push((
            format!("Các đơn vị gửi chậm ({} đơn vị)", f.late.len()),
            list(f.late.clone()),
        ));
    }
    if !c.scanned_reports.is_empty() {
        parts.push((
            "Báo cáo gửi dạng bản scan".to_string(),
            list(
                c.scanned_reports
                    .iter()
                    .map(|(n, file)| format!("{n} (tệp {file}): xem bản scan đính kèm."))
                    .collect(),
            ),
        ));
    }
    if !c.whole_reports.is_empty() {
        let mut ps = Vec::new();
        for (n, text) in &c.whole_reports {
            ps.push(body(&[(n, PLAIN.bold().italic())]).keep_next(true));
            let lines: Vec<&str> = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect();
            if lines.is_empty() {
                ps.push(body(&[(
                    "(Không đọc được nội dung báo cáo; xem tệp gốc.)",
                    PLAIN.italic(),
                )]));
            }
            for l in lines {
                ps.push(body(&[(l, PLAIN)]));
            }
        }
        parts.push((
            "Báo cáo không tách được theo đề cương (nguyên văn)".to_string(),
            ps,
        ));
    }
    if with_tallies {
        parts.push(("Tổng hợp các biểu".to_string(), tally_block(c)));
    }
    if parts.is_empty() {
        return doc;
    }
    doc = doc
        .add_paragraph(
            para(AlignmentType::Center, 0, &[("PHỤ LỤC", PLAIN.bold())]).page_break_before(true),
        )
        .add_paragraph(para(
            AlignmentType::Center,
            AFTER * 2,
            &[(
                &format!(
                    "Tình hình gửi báo cáo của các đơn vị theo {} số {}",
                    request_kind(&c.number),
                    c.number
                ),
                PLAIN.bold(),
            )],
        ));
    for (i, (title, ps)) in parts.into_iter().enumerate() {
        // Roman numerals, so the parts do not read like items of the numbered lists in them.
        let n = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
            .get(i)
            .map(|r| format!("{r}."))
            .unwrap_or_default();
        doc = doc.add_paragraph(heading((!n.is_empty()).then_some(n.as_str()), &title, 1));
        for p in ps {
            doc = doc.add_paragraph(p);
        }
    }
    doc
}

#[cfg(test)]
mod tests {
    #[test]
    fn reordering_keeps_nested_children_text_and_escapes_whole() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?><w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr><w:keepNext/></w:pPr><w:r><w:t xml:space="preserve">Lộc An &amp; "Bảo" &lt;x&gt;</w:t></w:r></w:p>"#;
        let fixed = super::reorder(xml, "w:pPr", super::PPR_ORDER).expect("reorder");
        assert_eq!(
            fixed,
            r#"<?xml version="1.0" encoding="UTF-8"?><w:p><w:pPr><w:keepNext/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr></w:pPr><w:r><w:t xml:space="preserve">Lộc An &amp; "Bảo" &lt;x&gt;</w:t></w:r></w:p>"#
        );
        assert!(super::reorder("<w:p><w:pPr><w:jc/>", "w:pPr", super::PPR_ORDER).is_err());
    }

    #[test]
    fn properties_are_rewritten_in_schema_order() {
        let xml = r#"<w:p><w:pPr><w:rPr><w:sz w:val="28"/><w:b/></w:rPr><w:jc w:val="both"/><w:ind w:firstLine="567"/><w:spacing w:after="120"/><w:keepNext/></w:pPr><w:r><w:rPr><w:sz w:val="28"/><w:i/><w:b/></w:rPr><w:t>x</w:t></w:r></w:p>"#;
        let fixed = super::reorder(
            &super::reorder(xml, "w:pPr", super::PPR_ORDER).expect("pPr"),
            "w:rPr",
            super::RPR_ORDER,
        )
        .expect("rPr");
        assert_eq!(
            fixed,
            r#"<w:p><w:pPr><w:keepNext/><w:spacing w:after="120"/><w:ind w:firstLine="567"/><w:jc w:val="both"/><w:rPr><w:b/><w:sz w:val="28"/></w:rPr></w:pPr><w:r><w:rPr><w:b/><w:i/><w:sz w:val="28"/></w:rPr><w:t>x</w:t></w:r></w:p>"#
        );
    }

    use super::*;
    use crate::consolidate::{ReportUse, build};
    use crate::documents::{DocLimits, Document};
    use crate::message::Part;
    use chrono::DateTime;
    use std::path::Path;

    fn demo_model(dir: &Path) -> Consolidation {
        let (config, store) = crate::consolidate::tests::demo(dir);
        let c = config.campaign("809-CV-HU").expect("campaign");
        let at = DateTime::parse_from_rfc3339("2023-02-02T08:00:00+07:00").expect("time");
        build(&store, &config, c, at).expect("build")
    }

    #[test]
    fn the_drafting_body_signer_and_copies_come_from_the_campaign() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut c = demo_model(dir.path());
        c.drafter = crate::config::DraftSpec {
            by: "Ủy ban Kiểm tra".into(),
            symbol: "UBKT".into(),
            signer: "Chủ nhiệm".into(),
            copies: Some(vec![
                "Ban Thường vụ Huyện ủy (báo cáo)".into(),
                "Lưu UBKT".into(),
            ]),
        };
        let doc = read(&write(&c).expect("write"));
        let mut all: Vec<String> = texts(&doc);
        for t in &doc.tables {
            for r in &t.rows {
                all.extend(
                    r.iter()
                        .flat_map(|cell| cell.text.lines().map(str::to_string)),
                );
            }
        }
        let has = |s: &str| all.iter().any(|p| p.trim() == s);
        assert!(has("ỦY BAN KIỂM TRA"), "{all:#?}");
        assert!(has("Số       -BC/UBKTHU"), "{all:#?}");
        assert!(has("CHỦ NHIỆM"), "{all:#?}");
        assert!(has("- Ban Thường vụ Huyện ủy (báo cáo),"), "{all:#?}");
        assert!(has("- Lưu UBKT."), "{all:#?}");
        assert!(!all.iter().any(|p| p.contains("BAN TỔ CHỨC")), "{all:#?}");
        assert!(
            all.iter()
                .any(|p| p.starts_with("Ủy ban Kiểm tra Huyện ủy tổng hợp ý kiến")),
            "{all:#?}"
        );
    }

    fn read(bytes: &[u8]) -> Document {
        let doc = crate::documents::extract(
            &Part::from_file("du-thao-bao-cao.docx", bytes.to_vec()),
            &DocLimits::default(),
        );
        assert!(doc.problems.is_empty(), "{:?}", doc.problems);
        doc
    }

    fn texts(doc: &Document) -> Vec<String> {
        doc.paragraphs
            .iter()
            .map(|p| p.text.trim().to_string())
            .collect()
    }

    /// The paragraph index of each outline heading, checked to come in the outline's order.
    fn heading_positions(c: &Consolidation, paras: &[String]) -> Vec<usize> {
        let mut from = 0;
        let mut out = Vec::new();
        for e in &c.outline {
            let number = heading_number(e);
            let at = paras[from..]
                .iter()
                .position(|p| p.starts_with(&number) && p.ends_with(e.title.trim()))
                .map(|p| p + from)
                .unwrap_or_else(|| panic!("heading {} {} missing", number, e.title));
            out.push(at);
            from = at + 1;
        }
        out
    }

    #[test]
    fn the_demo_draft_has_the_header_every_heading_every_unit_under_its_sections_and_the_figures() {
        let dir = tempfile::tempdir().expect("tempdir");
        let c = demo_model(dir.path());
        let bytes = write(&c).expect("write");
        let doc = read(&bytes);
        let all = doc.text();
        for h in [
            "ĐẢNG CỘNG SẢN VIỆT NAM",
            "BAN TỔ CHỨC",
            "HUYỆN ỦY BẢO LÂM",
            "-BC/BTCHU",
        ] {
            assert!(all.contains(h), "{h} missing from the header:\n{all}");
        }
        assert!(all.contains("Bảo Lâm, ngày"), "place and date line");
        assert!(all.contains("năm 2023"), "year from as_of");
        let paras = texts(&doc);
        assert!(paras.iter().any(|p| p == "BÁO CÁO"));
        assert!(
            paras
                .iter()
                .any(|p| p.contains(&c.number) && p.starts_with("Tổng hợp"))
        );

        // Headings in order, and each unit's text under the headings it wrote.
        let at = heading_positions(&c, &paras);
        let mut seen_units = std::collections::HashSet::new();
        for (k, e) in c.outline.iter().enumerate() {
            let end = at.get(k + 1).copied().unwrap_or(paras.len());
            let section = &paras[at[k] + 1..end];
            let n = c
                .units
                .iter()
                .filter(|u| u.report == ReportUse::Sections)
                .count();
            let all = format!("{n}/{n} đơn vị:");
            for (unit, _) in &e.texts {
                // Named with its own text, in a group that names it, or counted in a group
                // that all (or all but the named few) wrote.
                assert!(
                    section.iter().any(|p| p.contains(unit.as_str())
                        || p.starts_with(&all)
                        || (p.contains("đơn vị (trừ") && !p.contains(unit.as_str()))),
                    "{unit} not under {} {}",
                    e.id,
                    e.title
                );
                seen_units.insert(unit.clone());
            }
            if e.texts.is_empty() && c.outline.get(k + 1).is_none_or(|n| n.level <= e.level) {
                assert!(section.iter().any(|p| p.contains("Chưa có đơn vị nào")));
            }
        }
        for u in c.units.iter().filter(|u| u.report == ReportUse::Sections) {
            assert!(seen_units.contains(&u.name), "{} wrote no section", u.name);
        }

        // The figures, computed from the model.
        let f = &c.figures;
        let opening = paras
            .iter()
            .find(|p| p.starts_with("Thực hiện"))
            .expect("opening paragraph");
        assert!(opening.contains(&format!("có {}/{} tổ chức", f.reported, f.total)));
        assert!(opening.contains(&c.as_of.format("%d/%m/%Y").to_string()));
        if !f.late.is_empty() {
            assert!(opening.contains(&format!("{} đơn vị gửi chậm", f.late.len())));
        }
        if !f.missing.is_empty() {
            assert!(opening.contains(&format!("{} đơn vị chưa gửi", f.missing.len())));
        }
        for name in &f.missing {
            assert!(
                opening.contains(name.as_str()) || f.missing.len() > NAMES_INLINE,
                "{name} not in the opening"
            );
            assert!(
                paras.iter().any(|p| p.ends_with(name.as_str())),
                "{name} not listed in the annex"
            );
        }
        for (name, _) in &f.partial {
            assert!(opening.contains(name.as_str()));
        }

        // The forms in words, inside the proposals section (IV here), before the signature.
        let iv = c
            .outline
            .iter()
            .position(|e| e.level == 0 && fold(&e.title).contains("de xuat"))
            .expect("a proposals section in the demo outline");
        let sig = paras
            .iter()
            .position(|p| p == "TRƯỞNG BAN")
            .unwrap_or(paras.len());
        let summary = paras
            .iter()
            .position(|p| p.contains(&tally_title(&c)))
            .expect("the forms' summary");
        assert!(summary > at[iv]);
        assert!(summary < sig || sig == paras.len());
        for t in &c.tallies {
            assert!(
                paras[summary..]
                    .iter()
                    .any(|p| p.starts_with(&format!("{}:", t.name))
                        && p.contains(&format!("{} đơn vị", t.units_counted)))
            );
            let top = t.rows.iter().max_by_key(|r| r.chua_phu_hop).expect("rows");
            if top.chua_phu_hop > 0 {
                let line = paras[summary..]
                    .iter()
                    .find(|p| p.contains(&row_name(top)) && p.contains("chưa phù hợp"))
                    .unwrap_or_else(|| panic!("{} not summarised", row_name(top)));
                assert!(line.contains(&format!("{}/{}", top.chua_phu_hop, t.units_counted)));
                for u in &top.chua_phu_hop_units {
                    assert!(line.contains(u.as_str()));
                }
                for (_, p) in &top.proposals {
                    assert!(line.contains(p.trim_end_matches(['.', ' '])));
                }
            }
        }
        // The signature block and "Nơi nhận" are there; no "T/M" for an advisory body.
        assert!(all.contains("TRƯỞNG BAN"));
        assert!(all.contains("Nơi nhận:"));
        assert!(all.contains("Lưu Ban Tổ chức."));
        assert!(!all.contains("(Đã ký)"));
    }

    #[test]
    fn shared_paragraphs_are_written_once_with_their_count_and_the_figures_table_is_there() {
        let dir = tempfile::tempdir().expect("tempdir");
        let c = demo_model(dir.path());
        let (bytes, stats) = write_with_stats(&c).expect("write");
        let doc = read(&bytes);
        let paras = texts(&doc);
        // Every demo unit writes this sentence (II.2); it appears once, counted.
        let shared = "Kết quả đánh giá, xếp loại được thông báo công khai tại hội nghị chi bộ";
        let with: Vec<&String> = paras.iter().filter(|p| p.contains(shared)).collect();
        assert_eq!(with.len(), 1, "{with:#?}");
        assert!(with[0].starts_with("9/9 đơn vị:"), "{}", with[0]);
        // No paragraph of the body is there twice.
        let sig = paras
            .iter()
            .position(|p| p == "PHỤ LỤC")
            .unwrap_or(paras.len());
        let mut seen = std::collections::HashSet::new();
        for p in paras[..sig].iter().filter(|p| p.len() > 20) {
            assert!(seen.insert(p.clone()), "twice: {p}");
        }
        // The units' own references to their annexes are gone.
        assert!(!doc.text().contains("kèm theo)"), "annex reference left");
        assert!(stats.merged * 2 > stats.paragraphs, "{stats:?}");
        eprintln!(
            "9 đơn vị (demo): {}/{} câu của các đơn vị được gộp",
            stats.merged, stats.paragraphs
        );
        // The figures: totals per year, the rule's breach, the 20% check column.
        let all = doc.text();
        let dv = c
            .ratings
            .total("dang-vien", 2022, &crate::figures::Measure::Rated)
            .expect("total");
        assert!(all.contains(&dv.value.to_string()), "{}", dv.value);
        assert!(
            all.contains("Đảng bộ Quân sự huyện: Tổ chức đảng năm 2022: 1 HTXSNV so với 4 HTTNV")
        );
        assert!(all.contains("HTXSNV/HTTNV (≤20%)"));
        // Comments for staff, and page numbers from page 2.
        let files = unzip(&bytes);
        let comments = files.get("word/comments.xml").expect("comments");
        assert!(comments.contains("Vượt tỷ lệ"), "{comments}");
        assert!(comments.contains("chưa xác định được đơn vị"), "{comments}");
        let document = files.get("word/document.xml").expect("document");
        assert!(document.contains("w:titlePg"), "no first-page header");
        assert!(files.values().any(|x| x.contains("PAGE")), "no page field");
        let core = files.get("docProps/core.xml").expect("core");
        assert!(
            core.contains("<dc:creator>Ban Tổ chức Huyện ủy Bảo Lâm</dc:creator>"),
            "{core}"
        );
    }

    #[test]
    fn the_grid_summary_names_the_units_that_sent_no_grid_form() {
        let dir = tempfile::tempdir().expect("tempdir");
        let c = demo_model(dir.path());
        let g = c.grids.first().expect("Biểu 1");
        let paras = texts(&read(&write(&c).expect("write")));
        let absent = c.units.len() - g.units.len();
        assert!(absent > 0 && !g.units.is_empty(), "{} sent", g.units.len());
        let head = format!("{absent}/{} đơn vị chưa gửi {}: ", c.units.len(), g.name);
        let line = paras
            .iter()
            .find(|p| p.contains(&head))
            .unwrap_or_else(|| panic!("no '{head}' in {paras:#?}"));
        // Units that sent something else are named; those that sent nothing are counted (the
        // Phụ lục lists them).
        let missing = c
            .units
            .iter()
            .filter(|u| u.state == crate::register::State::Missing)
            .count();
        let without: Vec<&str> = c
            .units
            .iter()
            .filter(|u| {
                u.state != crate::register::State::Missing
                    && !g.units.iter().any(|(n, _)| n == &u.name)
            })
            .map(|u| u.short_name.as_str())
            .collect();
        assert_eq!(without, vec!["Lộc An", "Phòng Giáo dục"]);
        assert_eq!((absent, missing), (33, 31));
        let expected = format!(
            "{head}2 đơn vị đã gửi báo cáo nhưng không kèm biểu (Lộc An, Phòng Giáo dục); 31 đơn vị chưa gửi gì (danh sách tại Phụ lục)."
        );
        assert!(line.ends_with(&expected), "{line}\n{expected}");
    }

    fn unzip(bytes: &[u8]) -> std::collections::HashMap<String, String> {
        use std::io::Read;
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
        let mut out = std::collections::HashMap::new();
        for i in 0..z.len() {
            let mut f = z.by_index(i).expect("entry");
            let name = f.name().expect("name").to_string();
            let mut s = String::new();
            if f.read_to_string(&mut s).is_ok() {
                out.insert(name, s);
            }
        }
        out
    }

    #[test]
    fn a_report_included_whole_and_a_scanned_one_show_as_such() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut c = demo_model(dir.path());
        let sectioned: Vec<usize> = c
            .units
            .iter()
            .enumerate()
            .filter(|(_, u)| u.report == ReportUse::Sections)
            .map(|(i, _)| i)
            .collect();
        assert!(sectioned.len() >= 2);
        let whole = c.units[sectioned[0]].name.clone();
        let scanned = c.units[sectioned[1]].name.clone();
        c.units[sectioned[0]].report = ReportUse::Whole;
        c.units[sectioned[1]].report = ReportUse::Scanned;
        for e in &mut c.outline {
            e.texts.retain(|(u, _)| u != &whole && u != &scanned);
        }
        let text = "Báo cáo viết liền một mạch, không theo đề cương.\nĐoạn thứ hai: đề nghị \
                    rút gọn biểu mẫu.";
        c.whole_reports.push((whole.clone(), text.to_string()));
        c.scanned_reports
            .push((scanned.clone(), "bao cao scan.pdf".to_string()));
        // A short list of units that sent nothing is named in the opening itself.
        c.figures.missing.truncate(3);

        let doc = read(&write(&c).expect("write"));
        let paras = texts(&doc);
        let name_at = paras
            .iter()
            .rposition(|p| p == &whole)
            .expect("the whole report's unit heads its text");
        assert_eq!(paras[name_at + 1], text.lines().next().expect("line"));
        assert_eq!(paras[name_at + 2], text.lines().nth(1).expect("line"));
        assert!(
            paras
                .iter()
                .any(|p| p.contains(&scanned) && p.contains("xem bản scan đính kèm"))
        );
        // Neither is quoted under a heading, and the opening says where to find them.
        assert!(!paras.iter().any(|p| p.starts_with(&format!("{whole}:"))));
        assert!(!paras.iter().any(|p| p.starts_with(&format!("{scanned}:"))));
        assert!(
            paras
                .iter()
                .any(|p| p.contains("nguyên văn") && p.contains(&whole))
        );
        let opening = paras
            .iter()
            .find(|p| p.starts_with("Thực hiện"))
            .expect("opening");
        assert!(opening.contains(&format!(
            "3 đơn vị chưa gửi: {}",
            c.figures.missing.join(", ")
        )));
    }

    #[test]
    fn office_place_number_and_subject_come_from_the_model() {
        assert_eq!(
            office_parts("Huyện ủy Bảo Lâm"),
            ("Huyện ủy".to_string(), "Bảo Lâm".to_string())
        );
        assert_eq!(office_parts("Đảng ủy xã La Bằng").1, "La Bằng");
        assert_eq!(office_parts("Thành ủy Bảo Lộc").0, "Thành ủy");
        assert_eq!(office_parts("Văn phòng").1, "Văn phòng");
        assert_eq!(request_kind("809-CV/HU"), "Công văn");
        assert_eq!(request_kind("Số 09 KH/ĐU"), "Kế hoạch");
        assert_eq!(request_kind("12/BC-UBND"), "Văn bản");
        assert_eq!(office_symbol("809-CV/HU"), "HU");
        let e = |id: &str, level| OutlineEntry {
            id: id.into(),
            title: "x".into(),
            level,
            texts: vec![],
        };
        assert_eq!(heading_number(&e("IV", 0)), "IV.");
        assert_eq!(heading_number(&e("I.2", 1)), "2.");
        assert_eq!(heading_number(&e("I.2.1", 2)), "2.1.");
        let outline = vec![
            e("III", 0),
            e("IV", 0),
            e("IV.1", 1),
            e("IV.2", 1),
            e("IV.2.1", 2),
        ];
        assert_eq!(section_end(&outline, 1), 4);
        assert_eq!(next_child_number(&outline, 1).as_deref(), Some("3."));
        assert_eq!(next_child_number(&outline, 0), None);
    }

    /// LibreOffice opens the draft and prints it (scripts/render-drafts.sh makes the picture in
    /// docs/ from the demo's own drafts).
    #[test]
    fn libreoffice_converts_the_demo_draft_to_pdf() {
        let dir = tempfile::tempdir().expect("tempdir");
        let c = demo_model(&dir.path().join("data"));
        let name = crate::consolidate::file_names(&c.campaign_id).1;
        let docx = dir.path().join(&name);
        std::fs::write(&docx, write(&c).expect("write")).expect("write file");
        let pages = crate::consolidate::tests::printed_pages(&docx);
        assert!(pages >= 2, "{pages} pages");
    }
}
