//! Word documents (.docx) through zip + quick-xml: paragraphs in order with their heading level,
//! and tables with horizontal (`gridSpan`) and vertical (`vMerge`) merges spread over the grid,
//! nested tables listed after their parent. Text in hyperlinks and content controls is kept.
//! Runs in legacy TCVN3/VNI fonts (.VnTime, VNI-Times) are converted to Unicode per run.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml_041::Reader;
use quick_xml_041::events::{BytesStart, Event};

use super::vnlegacy::{self, Legacy};
use super::xlsx::zip_within_limits;
use super::{Cell, DocLimits, Document, Paragraph, Table, TextSource, legacy_name};
use crate::i18n::{Fault, t};
use crate::vntext::nfc;

/// The text of `bytes`, a slice quick-xml cut out of `xml` at markup (which is ASCII): found
/// by its place in `xml`, which was checked as UTF-8 whole, so it is not checked again. (The
/// reader uses quick-xml 0.41, whose events are bytes: 0.42 checks each one as UTF-8, and that
/// check was a quarter of reading a report.) A slice from elsewhere is checked.
fn text_in<'x>(xml: &'x str, bytes: &[u8]) -> Cow<'x, str> {
    let start = (bytes.as_ptr() as usize).wrapping_sub(xml.as_ptr() as usize);
    match start
        .checked_add(bytes.len())
        .and_then(|end| xml.get(start..end))
    {
        Some(s) => Cow::Borrowed(s),
        None => Cow::Owned(String::from_utf8_lossy(bytes).into_owned()),
    }
}

fn attr(xml: &str, e: &BytesStart, name: &str) -> Option<String> {
    e.try_get_attribute(name)
        .ok()
        .flatten()
        .map(|a| text_in(xml, &a.value).into_owned())
}

/// `text` with its line ends as XML 1.0 reads them: "\r\n" and a lone "\r" are "\n".
fn xml10_eols(text: Cow<'_, str>) -> Cow<'_, str> {
    if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        text
    }
}

/// The bytes of one part (at most `limit` of them); callers check them as UTF-8 with
/// `simdutf8`, which is several times faster than the standard check on Vietnamese text (this
/// was 7 % of an ingest).
fn read_part(z: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str, limit: u64) -> Option<Vec<u8>> {
    if let Some(v) = inflate_whole(z, name, limit) {
        return Some(v);
    }
    let f = z.by_name(name).ok()?;
    let mut v = Vec::with_capacity(f.size().min(limit).min(64 << 20) as usize);
    f.take(limit).read_to_end(&mut v).ok()?;
    Some(v)
}

/// A deflated part whose declared size is within `limit`, inflated by libdeflate in one call
/// into a buffer of that size and checked against its CRC. `None` for anything else (stored,
/// a size that lies, damaged data), which then takes zip's streaming reader as before.
fn inflate_whole(
    z: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    limit: u64,
) -> Option<Vec<u8>> {
    let f = z.by_name_raw(name.as_bytes()).ok()?;
    if f.compression() != zip::CompressionMethod::Deflated || f.size() > limit {
        return None;
    }
    let (size, crc) = (usize::try_from(f.size()).ok()?, f.crc32());
    let packed = f.compressed_size().min(limit);
    let mut raw = Vec::with_capacity(usize::try_from(packed).ok()?);
    f.take(packed).read_to_end(&mut raw).ok()?;
    let mut out = vec![0u8; size];
    let n = libdeflater::Decompressor::new()
        .deflate_decompress(&raw, &mut out)
        .ok()?;
    (n == size && libdeflater::crc32(&out) == crc).then_some(out)
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
    // The text the reader reads: `xml`, or what follows the last skipped table style.
    let mut text = xml;
    let mut r = Reader::from_str(text);
    let mut current: Option<String> = None;
    let mut in_defaults = false;
    loop {
        match r.read_event() {
            // Table styles are most of Word's default styles.xml (350 KB of borders and
            // shading in python-docx's template, seven times the text of a six-page report)
            // and say nothing a paragraph reads (paragraphs name paragraph styles): skip to
            // their end tag without parsing them.
            Ok(Event::Start(e))
                if e.local_name().as_ref() == b"style"
                    && attr(xml, &e, "w:type").is_some_and(|t| t == "table") =>
            {
                let close = format!("</{}>", text_in(xml, e.name().as_ref()));
                let from = usize::try_from(r.buffer_position()).unwrap_or(usize::MAX);
                let Some(rest) = text.get(from..) else { break };
                let Some(end) = rest.find(&close) else { break };
                let Some(after) = rest.get(end + close.len()..) else {
                    break;
                };
                text = after;
                r = Reader::from_str(text);
                // The new reader starts inside `w:styles`: its closing tag is not an error.
                r.config_mut().check_end_names = false;
                current = None;
            }
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                b"style" => {
                    current = attr(xml, &e, "w:styleId");
                    if attr(xml, &e, "w:default").is_some_and(|v| v == "1" || v == "true")
                        && attr(xml, &e, "w:type").is_none_or(|t| t == "paragraph")
                    {
                        st.default_para = current.clone();
                    }
                }
                b"docDefaults" => in_defaults = true,
                b"name" => {
                    if let (Some(id), Some(v)) = (&current, attr(xml, &e, "w:val")) {
                        let v = v.to_lowercase();
                        for prefix in ["heading ", "tiêu đề ", "title"] {
                            if let Some(n) = v.strip_prefix(prefix) {
                                let lvl = n.trim().parse::<u8>().unwrap_or(1);
                                st.level.entry(id.clone()).or_insert(lvl);
                            }
                        }
                    }
                }
                b"outlineLvl" => {
                    if let (Some(id), Some(v)) = (&current, attr(xml, &e, "w:val"))
                        && let Ok(n) = v.parse::<u8>()
                        && n < 9
                    {
                        st.level.insert(id.clone(), n + 1);
                    }
                }
                b"rFonts" => {
                    let f = attr(xml, &e, "w:ascii").or_else(|| attr(xml, &e, "w:hAnsi"));
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
                b"style" => current = None,
                b"docDefaults" => in_defaults = false,
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
    /// Where the finished table goes among the tables of its top-level table (the order of
    /// the `w:tbl` start tags: a parent before the tables nested in it).
    slot: usize,
}

/// Text copied from one cell into others (a merge spread over its cells, a nested table's text
/// in the cell that holds it), bounded: a hostile file repeats a large cell over thousands of
/// merged rows, or nests tables a thousand deep so that every level copies all the levels
/// below it; without a bound that is quadratic in time and memory.
struct Copies {
    /// Bytes that may still be copied.
    left: usize,
    /// Some text was not copied because the budget was spent.
    cut: bool,
    /// Work done: bytes copied and tables moved into place (what the tests bound).
    work: Work,
}

/// What reading a document's tables cost, for tests that bound it.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Work {
    /// Bytes of cell text copied into other cells.
    copied: usize,
    /// Times a finished table was moved.
    moved: usize,
}

impl Copies {
    fn new(xml_len: usize) -> Self {
        // Real documents copy a small fraction of their own size (a label merged over two
        // rows, a header spanning two columns, a small table inside a cell).
        Copies {
            left: xml_len.saturating_mul(2).saturating_add(1 << 20),
            cut: false,
            work: Work::default(),
        }
    }

    /// Takes `len` bytes from the budget; false (and `cut` set) when they are not there.
    fn take(&mut self, len: usize) -> bool {
        if len > self.left {
            self.cut = true;
            return false;
        }
        self.left -= len;
        self.work.copied += len;
        true
    }

    /// A copy of `s`, or "" when the budget is spent.
    fn copy(&mut self, s: &str) -> String {
        if self.take(s.len()) {
            s.to_string()
        } else {
            String::new()
        }
    }
}

impl TableBuilder {
    /// Lays the rows out on one grid. At most `cells_left` cells are built (the rest of the
    /// rows are dropped and `cut` is set): a hostile table of many wide-spanning cells would
    /// otherwise ask for gigabytes.
    fn finish(self, cells_left: &mut usize, cut: &mut bool, copies: &mut Copies) -> Table {
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
        for (before, cells) in self.rows.into_iter().take(keep) {
            let mut row: Vec<Cell> = vec![Cell::default(); before];
            for c in cells {
                let col = row.len();
                let (text, merged) = match c.vmerge {
                    Some(false) => (
                        copies.copy(
                            grid.last()
                                .and_then(|prev| prev.get(col))
                                .map(|p| p.text.as_str())
                                .unwrap_or_default(),
                        ),
                        true,
                    ),
                    _ => (c.text.trim().to_string(), false),
                };
                row.push(Cell {
                    text: String::new(),
                    merged,
                });
                for _ in 1..c.span.max(1) {
                    row.push(Cell {
                        text: copies.copy(&text),
                        merged: true,
                    });
                }
                row[col].text = text;
            }
            grid.push(row);
        }
        for r in &mut grid {
            r.resize(w, Cell::default());
        }
        Table {
            name: None,
            rows: grid,
            caption: self.caption,
        }
    }
}

/// Appends a nested table's text to the cell that holds it (cells of a row joined by tabs,
/// rows by line breaks), within the copy budget.
fn append_nested_text(cell: &mut RawCell, nested: &Table, copies: &mut Copies) {
    fn shown(r: &[Cell]) -> impl Iterator<Item = &Cell> {
        r.iter().filter(|c| !c.merged)
    }
    let len: usize = nested
        .rows
        .iter()
        .map(|r| {
            shown(r)
                .map(|c| c.text.len() + 1)
                .sum::<usize>()
                .saturating_sub(1)
                + 1
        })
        .sum::<usize>()
        .saturating_sub(1);
    if !copies.take(len) {
        return;
    }
    if !cell.text.is_empty() {
        cell.text.push('\n');
    }
    for (i, r) in nested.rows.iter().enumerate() {
        if i > 0 {
            cell.text.push('\n');
        }
        for (j, c) in shown(r).enumerate() {
            if j > 0 {
                cell.text.push('\t');
            }
            cell.text.push_str(&c.text);
        }
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
            doc.problems.push(Fault::WordBroken.text(e));
            doc.source = TextSource::None;
            return;
        }
    };
    let Some(bytes) = read_part(&mut z, "word/document.xml", limits.max_unpacked) else {
        doc.problems.push(t!("prob-word-no-body"));
        doc.source = TextSource::None;
        return;
    };
    let Ok(xml) = simdutf8::basic::from_utf8(&bytes) else {
        doc.problems.push(t!("prob-word-not-utf8"));
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

/// Reads the body of `word/document.xml` into `doc`; returns the work its tables cost.
fn walk(xml: &str, styles: &Styles, max_cells: usize, doc: &mut Document) -> Work {
    let mut r = Reader::from_str(xml);
    let mut tables: Vec<TableBuilder> = Vec::new();
    // The tables of the current top-level table, in start-tag order; filled as they end.
    let mut slots: Vec<Option<Table>> = Vec::new();
    let mut copies = Copies::new(xml.len());
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
                doc.problems.push(Fault::WordStructure.text(e));
                break;
            }
        };
        match ev {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"p" => {
                    para = Some(Para {
                        all_bold: true,
                        all_italic: true,
                        ..Default::default()
                    })
                }
                b"pStyle" => {
                    if let Some(p) = para.as_mut() {
                        p.style = attr(xml, &e, "w:val");
                    }
                }
                b"outlineLvl" => {
                    if let (Some(p), Some(v)) = (para.as_mut(), attr(xml, &e, "w:val")) {
                        p.outline = v.parse::<u8>().ok().filter(|n| *n < 9).map(|n| n + 1);
                    }
                }
                b"r" => run = Some(Run::default()),
                b"rPr" => in_rpr = true,
                b"rFonts" if in_rpr => {
                    if let Some(rn) = run.as_mut() {
                        rn.font = attr(xml, &e, "w:ascii")
                            .or_else(|| attr(xml, &e, "w:hAnsi"))
                            .or_else(|| attr(xml, &e, "w:cs"));
                    }
                }
                b"b" if in_rpr => {
                    if let Some(rn) = run.as_mut() {
                        rn.bold = attr(xml, &e, "w:val").is_none_or(|v| v != "0" && v != "false");
                    }
                }
                b"i" if in_rpr => {
                    if let Some(rn) = run.as_mut() {
                        rn.italic = attr(xml, &e, "w:val").is_none_or(|v| v != "0" && v != "false");
                    }
                }
                b"t" => in_text = true,
                b"tab" if !in_rpr => push_run_text(&mut run, "\t"),
                b"br" | b"cr" => push_run_text(&mut run, "\n"),
                // LibreOffice turns a TCVN3 "ư" (byte 0xAD, the soft hyphen) into this
                // element; legacy runs need it back, Unicode runs drop it below.
                b"softHyphen" => push_run_text(&mut run, "\u{AD}"),
                b"tbl" => {
                    let caption = recent
                        .iter()
                        .rev()
                        .take(3)
                        .rev()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join("\n");
                    slots.push(None);
                    tables.push(TableBuilder {
                        caption,
                        slot: slots.len() - 1,
                        ..Default::default()
                    });
                    cell.push(RawCell::default());
                    row.push((0, Vec::new()));
                }
                b"tr" => {
                    if let Some(rw) = row.last_mut() {
                        *rw = (0, Vec::new());
                    }
                }
                b"gridBefore" => {
                    if let (Some(rw), Some(v)) = (row.last_mut(), attr(xml, &e, "w:val")) {
                        rw.0 = v.parse().unwrap_or(0).min(64);
                    }
                }
                b"tc" => {
                    if let Some(c) = cell.last_mut() {
                        *c = RawCell {
                            span: 1,
                            ..Default::default()
                        };
                    }
                }
                b"gridSpan" => {
                    if let (Some(c), Some(v)) = (cell.last_mut(), attr(xml, &e, "w:val")) {
                        c.span = v.parse().unwrap_or(1).clamp(1, 64);
                    }
                }
                b"vMerge" => {
                    if let Some(c) = cell.last_mut() {
                        c.vmerge = Some(attr(xml, &e, "w:val").is_some_and(|v| v == "restart"));
                    }
                }
                _ => {}
            },
            Event::Text(t) if in_text => push_run_text(&mut run, &xml10_eols(text_in(xml, &t))),
            Event::GeneralRef(g) if in_text => {
                let s = match g.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => match &*g {
                        b"amp" => "&".into(),
                        b"lt" => "<".into(),
                        b"gt" => ">".into(),
                        b"quot" => "\"".into(),
                        b"apos" => "'".into(),
                        // Custom entities are never expanded (no entity-expansion attacks).
                        _ => String::new(),
                    },
                };
                push_run_text(&mut run, &s);
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"rPr" => in_rpr = false,
                b"r" => {
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
                        if legacy_font.is_none() && text.contains('\u{AD}') {
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
                b"p" => {
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
                b"tc" => {
                    if let (Some(c), Some(rw)) = (cell.last_mut(), row.last_mut()) {
                        rw.1.push(std::mem::take(c));
                    }
                }
                b"tr" => {
                    if let (Some(rw), Some(t)) = (row.last_mut(), tables.last_mut()) {
                        t.rows.push(std::mem::take(rw));
                    }
                }
                b"tbl" => {
                    cell.pop();
                    row.pop();
                    if let Some(t) = tables.pop() {
                        let slot = t.slot;
                        let finished = t.finish(&mut cells_left, &mut cut, &mut copies);
                        // A nested table's text also belongs to the cell that holds it.
                        if !tables.is_empty()
                            && let Some(c) = cell.last_mut()
                        {
                            append_nested_text(c, &finished, &mut copies);
                        }
                        if let Some(s) = slots.get_mut(slot) {
                            *s = Some(finished);
                            copies.work.moved += 1;
                        }
                        if tables.is_empty() {
                            let before = doc.tables.len();
                            doc.tables.extend(slots.drain(..).flatten());
                            copies.work.moved += doc.tables.len() - before;
                            recent.clear();
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
        doc.problems
            .push(t!("prob-word-cells", count = max_cells.to_string()));
    }
    if copies.cut {
        doc.problems.push(t!("prob-word-copies"));
    }
    if let Some(enc) = legacy_used {
        doc.legacy = Some(legacy_name(enc).into());
    }
    copies.work
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

    fn zip_of(name: &str, content: &[u8], method: zip::CompressionMethod) -> Vec<u8> {
        let mut buf = Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut buf);
        let o = zip::write::SimpleFileOptions::default().compression_method(method);
        z.start_file(name, o).unwrap();
        z.write_all(content).unwrap();
        z.finish().unwrap();
        buf.into_inner()
    }

    #[test]
    fn parts_inflate_in_one_call_and_anything_odd_takes_the_streaming_reader() {
        let content = "<w:p>Đảng bộ xã Lộc An</w:p>".repeat(2000).into_bytes();
        let part = "word/document.xml";
        let deflated = zip_of(part, &content, zip::CompressionMethod::Deflated);
        let mut z = zip::ZipArchive::new(Cursor::new(deflated.as_slice())).unwrap();
        assert_eq!(inflate_whole(&mut z, part, 1 << 20), Some(content.clone()));
        assert_eq!(read_part(&mut z, part, 1 << 20), Some(content.clone()));
        // Over the limit: not inflated whole; the streaming reader stops at the limit.
        assert_eq!(inflate_whole(&mut z, part, 1000), None);
        assert_eq!(read_part(&mut z, part, 1000).map(|v| v.len()), Some(1000));
        // Stored, not deflated.
        let stored = zip_of(part, &content, zip::CompressionMethod::Stored);
        let mut z = zip::ZipArchive::new(Cursor::new(stored.as_slice())).unwrap();
        assert_eq!(inflate_whole(&mut z, part, 1 << 20), None);
        assert_eq!(read_part(&mut z, part, 1 << 20), Some(content.clone()));
        // A central directory whose CRC does not match the data: refused by both readers.
        let mut bad = deflated.clone();
        let at = bad.windows(4).rposition(|w| w == b"PK\x01\x02").unwrap() + 16;
        bad[at] ^= 0xff;
        let mut z = zip::ZipArchive::new(Cursor::new(bad.as_slice())).unwrap();
        assert_eq!(inflate_whole(&mut z, part, 1 << 20), None);
        assert_eq!(read_part(&mut z, part, 1 << 20), None);
        // A declared size smaller than the data: not inflated whole (no room for it).
        let mut short = deflated.clone();
        let at = short.windows(4).rposition(|w| w == b"PK\x01\x02").unwrap() + 24;
        short[at..at + 4].copy_from_slice(&100u32.to_le_bytes());
        let mut z = zip::ZipArchive::new(Cursor::new(short.as_slice())).unwrap();
        assert_eq!(inflate_whole(&mut z, part, 1 << 20), None);
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
    fn text_is_taken_as_xml_reads_it_without_being_checked_again() {
        // Line ends as XML 1.0 has them, references resolved, a character reference, and an
        // attribute value with a Vietnamese style name.
        let body = "<w:p><w:pPr><w:pStyle w:val=\"Tiêu đề\"/></w:pPr><w:r><w:t>dòng một\r\ndòng hai\rba &lt;4&gt; &#273;&#7843;ng</w:t></w:r></w:p>";
        let mut d = Document::empty(crate::message::FileKind::Docx);
        read(&make_docx(body), &DocLimits::default(), &mut d);
        assert_eq!(d.paragraphs[0].text, "dòng một\ndòng hai\nba <4> đảng");
        // A slice from outside the part is checked, not trusted.
        let xml = "<w:t>chữ</w:t>";
        assert_eq!(text_in(xml, &xml.as_bytes()[5..10]), "chữ");
        assert_eq!(text_in(xml, "khác".as_bytes()), "khác");
        assert_eq!(text_in(xml, &[0x63, 0xFF]), "c\u{FFFD}");
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

    /// `depth` tables, each inside the only cell of the one before, each cell saying its level.
    fn nested_chain(depth: usize) -> String {
        let mut xml = String::from(
            r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#,
        );
        for i in 0..depth {
            xml.push_str(&format!("<w:tbl><w:tr><w:tc>{}", p(&format!("level{i}"))));
        }
        xml.push_str(&"</w:tc></w:tr></w:tbl>".repeat(depth));
        xml.push_str("</w:body></w:document>");
        xml
    }

    fn walk_xml(xml: &str) -> (Document, Work) {
        let mut d = Document::empty(crate::message::FileKind::Docx);
        let work = walk(
            xml,
            &Styles::default(),
            DocLimits::default().max_cells,
            &mut d,
        );
        (d, work)
    }

    #[test]
    fn shallow_nesting_keeps_every_level_in_the_holding_cells() {
        let (d, work) = walk_xml(&nested_chain(3));
        let texts: Vec<&str> = d.tables.iter().map(|t| t.text(0, 0)).collect();
        assert_eq!(
            texts,
            ["level0\nlevel1\nlevel2", "level1\nlevel2", "level2"]
        );
        assert!(d.problems.is_empty(), "{:?}", d.problems);
        assert_eq!(work.copied, "level2".len() + "level1\nlevel2".len());
        assert_eq!(work.moved, 6);
    }

    #[test]
    fn deep_nesting_is_read_in_linear_work() {
        // Copying every level's text into every holding cell, as before, copies about
        // depth² × 4 bytes (36 MB here) and moved each table once per level above it (4.5 M
        // moves); the work now stays within a budget proportional to the file.
        let depth = 3000;
        let xml = nested_chain(depth);
        let (d, work) = walk_xml(&xml);
        assert_eq!(d.tables.len(), depth);
        assert_eq!(work.moved, 2 * depth);
        assert!(
            work.copied <= 2 * xml.len() + (1 << 20),
            "{work:?} for {} bytes",
            xml.len()
        );
        // Tables in start-tag order; the innermost levels keep the text of those they hold.
        assert_eq!(d.tables[0].text(0, 0), "level0");
        assert_eq!(
            d.tables[depth - 1].text(0, 0),
            format!("level{}", depth - 1)
        );
        assert_eq!(
            d.tables[depth - 2].text(0, 0),
            format!("level{}\nlevel{}", depth - 2, depth - 1)
        );
        assert!(
            d.problems
                .iter()
                .any(|p| p.contains("lặp lại quá nhiều chữ")),
            "{:?}",
            d.problems
        );
    }

    #[test]
    fn a_large_cell_merged_down_many_rows_is_copied_within_the_budget() {
        let big = "Nội dung rất dài. ".repeat(5000); // 100 KB
        let mut xml = String::from(r#"<w:document xmlns:w="x"><w:body><w:tbl>"#);
        xml.push_str(&format!(
            r#"<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>{}</w:tc></w:tr>"#,
            p(&big)
        ));
        let rows = 5000;
        for _ in 0..rows {
            xml.push_str(r#"<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr>"#);
        }
        xml.push_str("</w:tbl></w:body></w:document>");
        let (d, work) = walk_xml(&xml);
        // Unbounded, every row would hold its own 100 KB copy: 500 MB.
        assert!(work.copied <= 2 * xml.len() + (1 << 20), "{work:?}");
        let t = &d.tables[0];
        assert_eq!(t.rows.len(), rows + 1);
        assert_eq!(t.text(1, 0), big.trim());
        assert!(t.rows[1][0].merged);
        assert_eq!(t.text(rows, 0), "");
        assert!(t.rows[rows][0].merged);
        assert!(
            d.problems
                .iter()
                .any(|p| p.contains("lặp lại quá nhiều chữ"))
        );
    }
}
