//! PDF: lopdf for structure (pages, images, metadata title) and poppler's `pdftotext -layout`
//! for the text, because lopdf's own extraction puts Vietnamese diacritics in the wrong place
//! on LibreOffice and Word PDFs. A PDF with no text layer is a scan: flagged for review, and
//! OCR'd when tesseract with Vietnamese data is installed.

use std::process::Command;

use super::convert::{ocr_available, ocr_pdf, run_tool};
use super::{DocLimits, Document, TextSource, text_paragraphs};
use crate::i18n::{Fault, t};

/// Counts what the compressed (Flate) streams of a PDF inflate to, images aside (pdftotext
/// never decodes them), without keeping any of it. `Err` carries the bytes counted when the
/// total passed `budget`. The scan works on the raw bytes, so a PDF lopdf cannot load is
/// measured too.
pub(crate) fn inflated_size(bytes: &[u8], budget: u64) -> Result<u64, u64> {
    use std::io::Read;
    let mut total: u64 = 0;
    let mut buf = vec![0u8; 64 << 10];
    for (start, layers) in flate_streams(bytes) {
        let mut reader: Box<dyn Read> = Box::new(&bytes[start..]);
        for _ in 0..layers.min(4) {
            reader = Box::new(flate2::read::ZlibDecoder::new(reader));
        }
        let mut this: u64 = 0;
        loop {
            match reader.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    this += n as u64;
                    if total + this > budget {
                        return Err(total + this);
                    }
                }
            }
        }
        total += this;
    }
    Ok(total)
}

/// The Flate-compressed streams of a PDF that pdftotext may decode (images aside): where each
/// one's data starts and how many Flate layers it has. Works on the raw bytes, so a PDF lopdf
/// cannot load is scanned too.
fn flate_streams(bytes: &[u8]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut at = 0usize;
    std::iter::from_fn(move || {
        while let Some(found) = find(&bytes[at..], b"stream") {
            let kw = at + found;
            at = kw + 6;
            if kw >= 3 && &bytes[kw - 3..kw] == b"end" {
                continue;
            }
            let start = match bytes.get(at..at + 2) {
                Some([b'\r', b'\n']) => at + 2,
                Some([b'\n', _]) | Some([b'\r', _]) => at + 1,
                _ => continue,
            };
            // The stream's dictionary: from the last "obj" before it.
            let from = kw.saturating_sub(8 << 10);
            let dict_start = rfind(&bytes[from..kw], b"obj").map_or(from, |i| from + i);
            let dict = &bytes[dict_start..kw];
            if find(dict, b"/Image").is_some() {
                continue;
            }
            let layers = count(dict, b"/FlateDecode") + count_short_flate(dict);
            if layers > 0 {
                return Some((start, layers));
            }
        }
        None
    })
}

/// The most one byte of deflate data can inflate to (a run of 258 bytes per 2-bit code, with
/// a little slack): zlib's own documentation gives 1032:1.
const DEFLATE_MAX_RATIO: u64 = 1032;

/// Whether the PDF's compressed streams can inflate past `budget`. Most PDFs are far from it:
/// one layer of deflate inflates at most [`DEFLATE_MAX_RATIO`] times its size, so when the
/// streams' sizes times that stay under the budget nothing needs inflating. Only a PDF that
/// could pass it is inflated and counted. `Err` carries the bytes counted.
pub(crate) fn within_inflation_budget(bytes: &[u8], budget: u64) -> Result<(), u64> {
    let mut bound: u64 = 0;
    for (start, layers) in flate_streams(bytes) {
        let len = find(&bytes[start..], b"endstream").unwrap_or(bytes.len() - start) as u64;
        // Deflate inside deflate multiplies the ratio: such a PDF is counted for real.
        bound = bound.saturating_add(len.saturating_mul(DEFLATE_MAX_RATIO));
        if layers > 1 || bound > budget {
            return inflated_size(bytes, budget).map(|_| ());
        }
    }
    Ok(())
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::rfind(hay, needle)
}

fn count(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

/// The abbreviated filter name `/Fl` (inline images and some writers), not followed by a letter.
fn count_short_flate(dict: &[u8]) -> usize {
    dict.windows(4)
        .filter(|w| &w[..3] == b"/Fl" && !w[3].is_ascii_alphabetic())
        .count()
}

/// Reads a PDF into paragraphs (one per non-empty line of the layout text).
pub(crate) fn read(bytes: &[u8], limits: &DocLimits, doc: &mut Document) {
    if let Err(seen) = within_inflation_budget(bytes, limits.max_pdf_inflated) {
        doc.problems.push(t!(
            "prob-pdf-inflated",
            limit = (limits.max_pdf_inflated >> 20).to_string(),
            seen = (seen >> 20).to_string()
        ));
        doc.source = TextSource::None;
        return;
    }
    // Random bytes behind a "%PDF" line hold no object at all: refused at once, before lopdf
    // scans all of them for objects to rebuild a cross-reference table from.
    if memchr::memmem::find(bytes, b"obj").is_none() {
        doc.problems.push(t!("prob-pdf-broken"));
        doc.source = TextSource::None;
        return;
    }
    let mut images = 0usize;
    let options = lopdf::LoadOptions {
        max_decompressed_size: Some(limits.max_pdf_inflated as usize),
        ..Default::default()
    };
    match lopdf::Document::load_mem_with_options(bytes, options) {
        Ok(pdf) => {
            doc.pages = Some(pdf.get_pages().len() as u32);
            images = pdf
                .objects
                .values()
                .filter_map(|o| o.as_stream().ok())
                .filter(|s| {
                    s.dict
                        .get(b"Subtype")
                        .and_then(|v| v.as_name())
                        .is_ok_and(|n| n == b"Image")
                })
                .count();
        }
        Err(e) => {
            // Poppler recovers some PDFs lopdf cannot; a file with no page objects at all is
            // not worth starting it for.
            if !bytes.windows(5).any(|w| w == b"/Page") {
                doc.problems
                    .push(crate::i18n::technical(t!("prob-pdf-broken"), e));
                doc.source = TextSource::None;
                return;
            }
            doc.problems.push(Fault::PdfStructure.text(e));
        }
    }
    if !limits.external_tools {
        return;
    }
    let pages = doc.pages.unwrap_or(0);
    if pages > limits.max_pages {
        doc.problems.push(t!(
            "prob-pdf-pages",
            pages = pages.to_string(),
            kept = limits.max_pages.to_string()
        ));
    }
    let tmp = match tempfile::Builder::new().suffix(".pdf").tempfile() {
        Ok(mut f) => {
            if std::io::Write::write_all(&mut f, bytes).is_err() {
                doc.problems.push(Fault::PdfTemp.words());
                return;
            }
            f
        }
        Err(e) => {
            doc.problems.push(Fault::PdfTemp.text(e));
            return;
        }
    };
    let text = run_tool(
        Command::new("pdftotext")
            .args([
                "-layout",
                "-enc",
                "UTF-8",
                "-l",
                &limits.max_pages.to_string(),
            ])
            .arg(tmp.path())
            .arg("-"),
        limits.tool_seconds,
    );
    match text {
        Ok(out) => {
            let s = String::from_utf8_lossy(&out);
            doc.paragraphs = layout_paragraphs(&s);
            doc.tables = layout_tables(&s);
            if doc.pages.is_none() {
                doc.pages = Some(s.matches('\u{c}').count() as u32);
            }
        }
        Err(e) if e.starts_with(&super::convert::not_started("pdftotext")) => {
            doc.problems.push(t!("prob-pdf-no-poppler"));
            doc.source = TextSource::None;
            return;
        }
        Err(e) => {
            doc.problems.push(Fault::PdfText.text(e));
            doc.source = TextSource::None;
            return;
        }
    }
    let letters: usize = doc
        .paragraphs
        .iter()
        .map(|p| p.text.chars().filter(|c| c.is_alphabetic()).count())
        .sum();
    if letters < 20 * pages.max(1) as usize / 2 && (images > 0 || letters == 0) {
        doc.scanned = true;
        doc.paragraphs.clear();
        if !limits.slow_tools && ocr_available() {
            // OCR takes seconds per page: done later, from the slow queue.
            doc.deferred = true;
        } else if ocr_available() {
            match ocr_pdf(tmp.path(), pages.max(1), limits) {
                Ok(t) => {
                    doc.paragraphs = text_paragraphs(&t);
                    doc.source = TextSource::Ocr;
                    doc.problems.push(t!("prob-scan-ocr"));
                }
                Err(e) => doc.problems.push(Fault::ScanOcr.text(e)),
            }
        } else {
            doc.source = TextSource::None;
            doc.problems.push(t!("prob-scan-no-ocr"));
        }
    }
}

/// Joins `pdftotext -layout` lines back into paragraphs: a line that continues a full-width
/// line and does not start a list item or heading belongs to the same paragraph. Lines laid
/// out in columns (wide gaps inside) stay as they are.
pub(crate) fn layout_paragraphs(text: &str) -> Vec<super::Paragraph> {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let width = lines
        .iter()
        .map(|l| l.trim().chars().count())
        .max()
        .unwrap_or(0);
    let mut out: Vec<String> = Vec::new();
    let mut prev_full = false;
    for raw in lines {
        let l = raw.trim();
        if l.is_empty() || l.contains('\u{c}') {
            prev_full = false;
            continue;
        }
        let columns = raw.trim_start().contains("   ");
        let full = l.chars().count() * 10 >= width * 8;
        let joins = prev_full
            && !columns
            && !starts_item(l)
            && out.last().is_some_and(|last| {
                let first_lower = l
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_lowercase() || !c.is_alphabetic());
                // A numbered heading that fills the line is followed by body text that starts
                // with a capital; a heading wrapped onto a second line stays in capitals.
                first_lower || !starts_item(last) || (is_upper(last) && is_upper(l))
            });
        match out.last_mut() {
            Some(last) if joins => {
                last.push(' ');
                last.push_str(l);
            }
            _ => out.push(l.to_string()),
        }
        prev_full = full && !columns;
    }
    out.into_iter()
        .map(|t| super::Paragraph {
            text: crate::vntext::nfc(&t),
            ..Default::default()
        })
        .collect()
}

fn is_upper(s: &str) -> bool {
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    !letters.is_empty() && letters.iter().all(|c| c.is_uppercase())
}

/// A list item or numbered heading: "-", "+", "1. ", "2.1. ", "a) ", "II. ".
fn starts_item(l: &str) -> bool {
    let t = l.trim_start();
    if t.starts_with(['-', '+', '*', '•', '–']) {
        return true;
    }
    let mut rest = t;
    let mut markers = 0;
    loop {
        let n = rest
            .char_indices()
            .find(|(_, c)| {
                !(c.is_ascii_digit()
                    || matches!(c, 'I' | 'V' | 'X')
                    || c.is_lowercase() && c.is_alphabetic())
            })
            .map(|(i, _)| i)
            .unwrap_or(rest.len());
        if n == 0 || n > 4 {
            break;
        }
        match rest[n..].chars().next() {
            Some('.') | Some(')') => {
                rest = &rest[n + 1..];
                markers += 1;
            }
            _ => break,
        }
    }
    markers > 0 && rest.starts_with(' ')
}

/// A run of text on a layout line, with its character columns.
#[derive(Debug, Clone)]
struct Seg {
    start: usize,
    end: usize,
    text: String,
}

/// Splits a layout line into runs separated by two or more spaces.
fn segments(line: &str) -> Vec<Seg> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == ' ' {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && !(chars[i] == ' ' && chars.get(i + 1).is_none_or(|c| *c == ' ')) {
            i += 1;
        }
        out.push(Seg {
            start,
            end: i,
            text: chars[start..i]
                .iter()
                .collect::<String>()
                .trim()
                .to_string(),
        });
    }
    out
}

/// Tables laid out in columns in `pdftotext -layout` text (the annex forms printed after a
/// report): a header line with three or more columns, header words wrapped below it, then rows
/// whose runs fall into the header's columns; wrapped cell text joins the row above.
pub(crate) fn layout_tables(text: &str) -> Vec<super::Table> {
    let lines: Vec<&str> = text.lines().collect();
    let mut tables = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let head = segments(lines[i]);
        let wordy = head
            .iter()
            .filter(|s| s.text.chars().filter(|c| c.is_alphabetic()).count() >= 2)
            .count();
        if head.len() < 3 || wordy < 3 || lines[i].contains('\u{c}') {
            i += 1;
            continue;
        }
        let centers: Vec<f64> = head
            .iter()
            .map(|s| (s.start + s.end) as f64 / 2.0)
            .collect();
        let narrow_first = head[0].text.chars().count() <= 4;
        let column_of = |s: &Seg| {
            let c = (s.start + s.end) as f64 / 2.0;
            let mut best = 0;
            for (k, x) in centers.iter().enumerate() {
                if (x - c).abs() < (centers[best] - c).abs() {
                    best = k;
                }
            }
            // A narrow number column ("TT") only takes numbers; labels are left-aligned
            // under a centred header and would otherwise fall into it.
            if best == 0 && narrow_first && s.text.chars().count() > 4 {
                best = 1;
            }
            best
        };
        let width = head.len();
        let mut header: Vec<String> = head.iter().map(|s| s.text.clone()).collect();
        let mut rows: Vec<Vec<String>> = Vec::new();
        let caption = lines[i.saturating_sub(3)..i]
            .iter()
            .map(|l| l.trim())
            .collect::<Vec<_>>()
            .join("\n");
        let mut j = i + 1;
        let mut in_header = true;
        while j < lines.len() {
            let line = lines[j];
            let t = crate::vntext::fold(line.trim());
            if line.contains('\u{c}')
                || t.starts_with("ghi chu")
                || t.starts_with("nguoi lap bieu")
                || t.starts_with("noi nhan")
            {
                break;
            }
            let segs = segments(line);
            if segs.is_empty() {
                j += 1;
                continue;
            }
            // A line of ordinary text wider than the table's columns ends it.
            if segs.len() == 1 && segs[0].end - segs[0].start > 70 {
                break;
            }
            let mut cells = vec![String::new(); width];
            for s in &segs {
                let k = column_of(s);
                if !cells[k].is_empty() {
                    cells[k].push(' ');
                }
                cells[k].push_str(&s.text);
            }
            let first_two_empty = cells.iter().take(2).all(String::is_empty);
            if in_header && first_two_empty {
                for (k, c) in cells.into_iter().enumerate() {
                    if !c.is_empty() {
                        header[k] = format!("{} {c}", header[k]);
                    }
                }
            } else if !in_header
                && first_two_empty
                && cells.iter().skip(2).any(|c| c.chars().count() > 3)
            {
                // Wrapped text of the row above (a long proposal or label).
                if let Some(prev) = rows.last_mut() {
                    for (k, c) in cells.into_iter().enumerate() {
                        if !c.is_empty() {
                            if !prev[k].is_empty() {
                                prev[k].push(' ');
                            }
                            prev[k].push_str(&c);
                        }
                    }
                }
            } else {
                in_header = false;
                rows.push(cells);
            }
            j += 1;
        }
        if rows.len() >= 2 {
            let mut all = vec![header];
            all.extend(rows);
            tables.push(super::Table {
                name: None,
                caption,
                rows: all
                    .into_iter()
                    .map(|r| {
                        r.into_iter()
                            .map(|t| super::Cell {
                                text: crate::vntext::nfc(t.trim()),
                                merged: false,
                            })
                            .collect()
                    })
                    .collect(),
            });
        }
        i = j.max(i + 1);
    }
    tables
}
