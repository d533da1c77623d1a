//! Word documents (.docx) through zip + quick-xml: paragraphs in order with their heading level,
//! and tables with horizontal (`gridSpan`) and vertical (`vMerge`) merges spread over the grid,
//! nested tables listed after their parent. Text in hyperlinks and content controls is kept.
//! Runs in legacy TCVN3/VNI fonts (.VnTime, VNI-Times) are converted to Unicode per run.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::vnlegacy::{self, Legacy};
use super::xlsx::zip_within_limits;
use super::{Cell, DocLimits, Document, Paragraph, Table, TextSource, legacy_name};
use crate::vntext::nfc;

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.try_get_attribute(name)
        .ok()
        .flatten()
        .map(|a| a.value.into_owned())
}

/// The bytes of one part; callers check them as UTF-8 with `simdutf8`, which is several times
/// faster than the standard check on Vietnamese text (this was 7 % of an ingest).
fn read_part(z: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str, limit: u64) -> Option<Vec<u8>> {
    let f = z.by_name(name).ok()?;
    let mut v = Vec::new();
    f.take(limit).read_to_end(&mut v).ok()?;
    Some(v)
}

/// Style facts needed while reading: heading level and font per style id, and the default font.
#[derive(Default)]
struct Styles {
    level: HashMap<String, u8>,
    font: HashMap<String, String>,
    default_font: Option<String>,
    /// The paragraph style used when a paragraph names none ("Normal").
    default_para: Option<String>,
}

fn read_styles(xml: &str) -> Styles {
    let mut st = Styles::default();
    let mut r = Reader::from_str(xml);
    let mut current: Option<String> = None;
    let mut in_defaults = false;
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                "style" => {
                    current = attr(&e, "w:styleId");
                    if attr(&e, "w:default").is_some_and(|v| v == "1" || v == "true")
                        && attr(&e, "w:type").is_none_or(|t| t == "paragraph")
                    {
                        st.default_para = current.clone();
                    }
                }
                "docDefaults" => in_defaults = true,
                "name" => {
                    if let (Some(id), Some(v)) = (&current, attr(&e, "w:val")) {
                        let v = v.to_lowercase();
                        for prefix in ["heading ", "tiêu đề ", "title"] {
                            if let Some(n) = v.strip_prefix(prefix) {
                                let lvl = n.trim().parse::<u8>().unwrap_or(1);
                                st.level.entry(id.clone()).or_insert(lvl);
                            }
                        }
                    }
                }
                "outlineLvl" => {
                    if let (Some(id), Some(v)) = (&current, attr(&e, "w:val"))
                        && let Ok(n) = v.parse::<u8>()
                        && n < 9
                    {
                        st.level.insert(id.clone(), n + 1);
                    }
                }
                "rFonts" => {
                    let f = attr(&e, "w:ascii").or_else(|| attr(&e, "w:hAnsi"));
                    if let Some(f) = f {
                        if in_defaults {
                            st.default_font = Some(f);
                        } else if let Some(id) = &current {
                            st.font.entry(id.clone()).or_insert(f);
                        }
                    }
                }
                _ => {}
            },
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                "style" => current = None,
                "docDefaults" => in_defaults = false,
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    st
}

#[derive(Default, Clone)]
struct RawCell {
    text: String,
    span: usize,
    vmerge: Option<bool>, // Some(true) = restart, Some(false) = continue
}

#[derive(Default)]
struct TableBuilder {
    rows: Vec<(usize, Vec<RawCell>)>, // (gridBefore, cells)
    caption: String,
    nested: Vec<Table>,
}

impl TableBuilder {
    /// Lays the rows out on one grid. At most `cells_left` cells are built (the rest of the
    /// rows are dropped and `cut` is set): a hostile table of many wide-spanning cells would
    /// otherwise ask for gigabytes.
    fn finish(self, cells_left: &mut usize, cut: &mut bool) -> Vec<Table> {
        let w = self
            .rows
            .iter()
            .map(|(before, cells)| before + cells.iter().map(|c| c.span.max(1)).sum::<usize>())
            .max()
            .unwrap_or(0);
        let keep = cells_left
            .checked_div(w)
            .unwrap_or(self.rows.len())
            .min(self.rows.len());
        if keep < self.rows.len() {
            *cut = true;
        }
        *cells_left -= keep * w;
        let mut grid: Vec<Vec<Cell>> = Vec::new();
        for (before, cells) in self.rows.iter().take(keep) {
            let mut row: Vec<Cell> = vec![Cell::default(); *before];
            for c in cells {
                let col = row.len();
                let (text, merged) = match c.vmerge {
                    Some(false) => (
                        grid.last()
                            .and_then(|prev| prev.get(col))
                            .map(|p| p.text.clone())
                            .unwrap_or_default(),
                        true,
                    ),
                    _ => (c.text.trim().to_string(), false),
                };
                for k in 0..c.span.max(1) {
                    row.push(Cell {
                        text: text.clone(),
                        merged: merged || k > 0,
                    });
                }
            }
            grid.push(row);
        }
        for r in &mut grid {
            r.resize(w, Cell::default());
        }
        let mut out = vec![Table {
            name: None,
            rows: grid,
            caption: self.caption,
        }];
        out.extend(self.nested);
        out
    }
}

/// Reads `word/document.xml` (and styles) into paragraphs and tables.
pub(crate) fn read(bytes: &[u8], limits: &DocLimits, doc: &mut Document) {
    match zip_within_limits(bytes, limits) {
        Ok(p) => doc.problems.extend(p),
        Err(e) => {
            doc.problems.push(e);
            doc.source = TextSource::None;
            return;
        }
    }
    let mut z = match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(z) => z,
        Err(e) => {
            doc.problems
                .push(format!("tệp Word bị hỏng, không mở được ({e})"));
            doc.source = TextSource::None;
            return;
        }
    };
    let Some(bytes) = read_part(&mut z, "word/document.xml", limits.max_unpacked) else {
        doc.problems
            .push("tệp Word không có phần nội dung đọc được".into());
        doc.source = TextSource::None;
        return;
    };
    let Ok(xml) = simdutf8::basic::from_utf8(&bytes) else {
        doc.problems
            .push("nội dung tệp Word không hợp lệ (không phải UTF-8): tệp bị hỏng".into());
        doc.source = TextSource::None;
        return;
    };
    let styles = read_part(&mut z, "word/styles.xml", limits.max_unpacked)
        .and_then(|b| simdutf8::basic::from_utf8(&b).ok().map(read_styles))
        .unwrap_or_default();
    walk(xml, &styles, limits.max_cells, doc);
}

/// The state of the paragraph being read.
#[derive(Default)]
struct Para {
    text: String,
    style: Option<String>,
    outline: Option<u8>,
    all_bold: bool,
    all_italic: bool,
    any_run: bool,
}

#[derive(Default)]
struct Run {
    text: String,
    font: Option<String>,
    bold: bool,
    italic: bool,
}

fn walk(xml: &str, styles: &Styles, max_cells: usize, doc: &mut Document) {
    let mut r = Reader::from_str(xml);
    let mut tables: Vec<TableBuilder> = Vec::new();
    let mut cells_left = max_cells;
    let mut cut = false;
    let mut cell: Vec<RawCell> = Vec::new(); // one per open table level
    let mut row: Vec<(usize, Vec<RawCell>)> = Vec::new();
    let mut para: Option<Para> = None;
    let mut run: Option<Run> = None;
    let mut in_rpr = false;
    let mut in_text = false;
    let mut recent: Vec<String> = Vec::new(); // last paragraphs before a table (captions)
    let mut legacy_used: Option<Legacy> = None;
    loop {
        let ev = match r.read_event() {
            Ok(ev) => ev,
            Err(e) => {
                doc.problems.push(format!(
                    "cấu trúc tệp Word bị hỏng ({e}); phần chữ sau chỗ hỏng không đọc được"
                ));
                break;
            }
        };
        match ev {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "p" => {
                    para = Some(Para {
                        all_bold: true,
                        all_italic: true,
                        ..Default::default()
                    })
                }
                "pStyle" => {
                    if let Some(p) = para.as_mut() {
                        p.style = attr(&e, "w:val");
                    }
                }
                "outlineLvl" => {
                    if let (Some(p), Some(v)) = (para.as_mut(), attr(&e, "w:val")) {
                        p.outline = v.parse::<u8>().ok().filter(|n| *n < 9).map(|n| n + 1);
                    }
                }
                "r" => run = Some(Run::default()),
                "rPr" => in_rpr = true,
                "rFonts" if in_rpr => {
                    if let Some(rn) = run.as_mut() {
                        rn.font = attr(&e, "w:ascii")
                            .or_else(|| attr(&e, "w:hAnsi"))
                            .or_else(|| attr(&e, "w:cs"));
                    }
                }
                "b" if in_rpr => {
                    if let Some(rn) = run.as_mut() {
                        rn.bold = attr(&e, "w:val").is_none_or(|v| v != "0" && v != "false");
                    }
                }
                "i" if in_rpr => {
                    if let Some(rn) = run.as_mut() {
                        rn.italic = attr(&e, "w:val").is_none_or(|v| v != "0" && v != "false");
                    }
                }
                "t" => in_text = true,
                "tab" if !in_rpr => push_run_text(&mut run, "\t"),
                "br" | "cr" => push_run_text(&mut run, "\n"),
                // LibreOffice turns a TCVN3 "ư" (byte 0xAD, the soft hyphen) into this
                // element; legacy runs need it back, Unicode runs drop it below.
                "softHyphen" => push_run_text(&mut run, "\u{AD}"),
                "tbl" => {
                    let caption = recent
                        .iter()
                        .rev()
                        .take(3)
                        .rev()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join("\n");
                    tables.push(TableBuilder {
                        caption,
                        ..Default::default()
                    });
                    cell.push(RawCell::default());
                    row.push((0, Vec::new()));
                }
                "tr" => {
                    if let Some(rw) = row.last_mut() {
                        *rw = (0, Vec::new());
                    }
                }
                "gridBefore" => {
                    if let (Some(rw), Some(v)) = (row.last_mut(), attr(&e, "w:val")) {
                        rw.0 = v.parse().unwrap_or(0).min(64);
                    }
                }
                "tc" => {
                    if let Some(c) = cell.last_mut() {
                        *c = RawCell {
                            span: 1,
                            ..Default::default()
                        };
                    }
                }
                "gridSpan" => {
                    if let (Some(c), Some(v)) = (cell.last_mut(), attr(&e, "w:val")) {
                        c.span = v.parse().unwrap_or(1).clamp(1, 64);
                    }
                }
                "vMerge" => {
                    if let Some(c) = cell.last_mut() {
                        c.vmerge = Some(attr(&e, "w:val").is_some_and(|v| v == "restart"));
                    }
                }
                _ => {}
            },
            Event::Text(t) if in_text => push_run_text(&mut run, &t.xml10_content()),
            Event::GeneralRef(g) if in_text => {
                let s = match g.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => match &*g {
                        "amp" => "&".into(),
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        // Custom entities are never expanded (no entity-expansion attacks).
                        _ => String::new(),
                    },
                };
                push_run_text(&mut run, &s);
            }
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "rPr" => in_rpr = false,
                "r" => {
                    if let (Some(rn), Some(p)) = (run.take(), para.as_mut()) {
                        let font = rn
                            .font
                            .clone()
                            .or_else(|| {
                                p.style
                                    .as_ref()
                                    .or(styles.default_para.as_ref())
                                    .and_then(|s| styles.font.get(s).cloned())
                            })
                            .or_else(|| styles.default_font.clone());
                        let mut text = rn.text;
                        let legacy_font = font.as_deref().and_then(vnlegacy::font_encoding);
                        if legacy_font.is_none() {
                            text = text.replace('\u{AD}', "");
                        }
                        if let Some((enc, caps)) = legacy_font {
                            text = vnlegacy::to_unicode(&text, enc, caps);
                            legacy_used = Some(enc);
                        }
                        if !text.trim().is_empty() {
                            p.any_run = true;
                            p.all_bold &= rn.bold;
                            p.all_italic &= rn.italic;
                        }
                        p.text.push_str(&text);
                    }
                }
                "p" => {
                    if let Some(p) = para.take() {
                        let text = nfc(p.text.trim());
                        if let Some(c) = cell.last_mut() {
                            if !c.text.is_empty() && !text.is_empty() {
                                c.text.push('\n');
                            }
                            c.text.push_str(&text);
                        } else {
                            let level = p.outline.or_else(|| {
                                p.style.as_ref().and_then(|s| styles.level.get(s).copied())
                            });
                            if !text.is_empty() {
                                recent.push(text.clone());
                                if recent.len() > 8 {
                                    recent.remove(0);
                                }
                                doc.paragraphs.push(Paragraph {
                                    text,
                                    level,
                                    bold: p.any_run && p.all_bold,
                                    italic: p.any_run && p.all_italic,
                                });
                            }
                        }
                    }
                }
                "tc" => {
                    if let (Some(c), Some(rw)) = (cell.last_mut(), row.last_mut()) {
                        rw.1.push(std::mem::take(c));
                    }
                }
                "tr" => {
                    if let (Some(rw), Some(t)) = (row.last_mut(), tables.last_mut()) {
                        t.rows.push(std::mem::take(rw));
                    }
                }
                "tbl" => {
                    cell.pop();
                    row.pop();
                    if let Some(t) = tables.pop() {
                        let finished = t.finish(&mut cells_left, &mut cut);
                        match tables.last_mut() {
                            Some(parent) => {
                                // A nested table's text also belongs to the cell that holds it.
                                if let (Some(c), Some(first)) = (cell.last_mut(), finished.first())
                                {
                                    let nested_text: Vec<String> = first
                                        .rows
                                        .iter()
                                        .map(|r| {
                                            r.iter()
                                                .filter(|c| !c.merged)
                                                .map(|c| c.text.as_str())
                                                .collect::<Vec<_>>()
                                                .join("\t")
                                        })
                                        .collect();
                                    if !c.text.is_empty() {
                                        c.text.push('\n');
                                    }
                                    c.text.push_str(&nested_text.join("\n"));
                                }
                                parent.nested.extend(finished);
                            }
                            None => {
                                doc.tables.extend(finished);
                                recent.clear();
                            }
                        }
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    if cut {
        doc.problems.push(format!(
            "các bảng trong tệp có hơn {} ô, quá giới hạn đọc; chỉ đọc các dòng đầu",
            max_cells
        ));
    }
    if let Some(enc) = legacy_used {
        doc.legacy = Some(legacy_name(enc).into());
    }
}

fn push_run_text(run: &mut Option<Run>, s: &str) {
    if let Some(r) = run.as_mut() {
        r.text.push_str(s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    pub(crate) fn make_docx(body: &str) -> Vec<u8> {
        let mut buf = Cursor::new(Vec::new());
        {
            let mut z = zip::ZipWriter::new(&mut buf);
            let o = zip::write::SimpleFileOptions::default();
            z.start_file("word/document.xml", o).unwrap();
            write!(
                z,
                r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
            )
            .unwrap();
            z.start_file("word/styles.xml", o).unwrap();
            z.write_all(br#"<?xml version="1.0"?><w:styles xmlns:w="x"><w:style w:styleId="Heading1"><w:name w:val="heading 1"/></w:style></w:styles>"#).unwrap();
            z.finish().unwrap();
        }
        buf.into_inner()
    }

    fn p(text: &str) -> String {
        format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
    }

    #[test]
    fn paragraphs_headings_and_merged_tables() {
        let body = format!(
            r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>I. TÌNH HÌNH</w:t></w:r></w:p>{}
            <w:p><w:r><w:t xml:space="preserve">A &amp; B </w:t></w:r><w:hyperlink><w:r><w:t>link</w:t></w:r></w:hyperlink></w:p>
            {}<w:tbl>
              <w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr>{}</w:tc><w:tc>{}</w:tc></w:tr>
              <w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>{}</w:tc><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr>
              <w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr>{}</w:tc><w:tc>{}</w:tc><w:tc><w:tbl><w:tr><w:tc>{}</w:tc></w:tr></w:tbl>{}</w:tc></w:tr>
            </w:tbl>"#,
            p("Nội dung"),
            p("Biểu số 1"),
            p("NỘI DUNG"),
            p("2018"),
            p("Văn bản"),
            p("Thể loại"),
            p("Nghị quyết"),
            p(""),
            p("Ngày"),
            p("inner"),
            p("15/11/2018"),
        );
        let mut d = Document::empty(crate::message::FileKind::Docx);
        read(&make_docx(&body), &DocLimits::default(), &mut d);
        assert_eq!(d.paragraphs[0].text, "I. TÌNH HÌNH");
        assert_eq!(d.paragraphs[0].level, Some(1));
        assert_eq!(d.paragraphs[2].text, "A & B link");
        assert_eq!(d.tables.len(), 2, "{:?}", d.tables);
        let t = &d.tables[0];
        assert_eq!(t.caption, "Nội dung\nA & B link\nBiểu số 1");
        assert_eq!(t.text(0, 0), "NỘI DUNG");
        assert_eq!(t.text(0, 1), "NỘI DUNG");
        assert!(t.rows[0][1].merged);
        assert_eq!(t.text(0, 2), "2018");
        assert_eq!(t.text(2, 0), "Văn bản");
        assert!(t.rows[2][0].merged);
        assert_eq!(t.text(2, 2), "inner\n15/11/2018");
        assert_eq!(d.tables[1].text(0, 0), "inner");
    }

    #[test]
    fn legacy_fonts_are_converted_per_run() {
        let body = r#"<w:p><w:r><w:rPr><w:rFonts w:ascii=".VnTime" w:hAnsi=".VnTime"/></w:rPr><w:t>§¶ng ñy x· Léc Nam</w:t></w:r><w:r><w:t> OK</w:t></w:r></w:p>"#;
        let mut d = Document::empty(crate::message::FileKind::Docx);
        read(&make_docx(body), &DocLimits::default(), &mut d);
        assert_eq!(d.paragraphs[0].text, "Đảng ủy xã Lộc Nam OK");
        assert_eq!(d.legacy.as_deref(), Some("tcvn3"));
    }

    #[test]
    fn damaged_xml_is_a_problem_not_a_panic() {
        let mut d = Document::empty(crate::message::FileKind::Docx);
        read(
            &make_docx("<w:p><w:r><w:t>x</w:r></w:p>"),
            &DocLimits::default(),
            &mut d,
        );
        assert!(!d.problems.is_empty());
        let mut d = Document::empty(crate::message::FileKind::Docx);
        read(b"PK\x03\x04 nope", &DocLimits::default(), &mut d);
        assert!(!d.problems.is_empty());
    }
}
