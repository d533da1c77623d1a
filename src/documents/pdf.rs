//! PDF: lopdf for structure (pages, images, metadata title) and poppler's `pdftotext -layout`
//! for the text, because lopdf's own extraction puts Vietnamese diacritics in the wrong place
//! on LibreOffice and Word PDFs. A PDF with no text layer is a scan: flagged for review, and
//! OCR'd when tesseract with Vietnamese data is installed.

use std::process::Command;

use super::convert::{ocr_available, ocr_pdf, run_tool};
use super::{DocLimits, Document, TextSource, text_paragraphs};

/// Reads a PDF into paragraphs (one per non-empty line of the layout text).
pub(crate) fn read(bytes: &[u8], limits: &DocLimits, doc: &mut Document) {
    let mut images = 0usize;
    match lopdf::Document::load_mem(bytes) {
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
                doc.problems.push(format!(
                    "damaged PDF, cannot be read ({e}); ask the unit to send it again"
                ));
                doc.source = TextSource::None;
                return;
            }
            doc.problems.push(format!(
                "the PDF's structure is damaged ({e}); its text was read anyway"
            ));
        }
    }
    let pages = doc.pages.unwrap_or(0);
    if pages > limits.max_pages {
        doc.problems.push(format!(
            "{pages} pages; only the first {} were read",
            limits.max_pages
        ));
    }
    let tmp = match tempfile::Builder::new().suffix(".pdf").tempfile() {
        Ok(mut f) => {
            if std::io::Write::write_all(&mut f, bytes).is_err() {
                doc.problems
                    .push("cannot write a temp file to read the PDF".into());
                return;
            }
            f
        }
        Err(e) => {
            doc.problems
                .push(format!("cannot write a temp file to read the PDF ({e})"));
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
            if doc.pages.is_none() {
                doc.pages = Some(s.matches('\u{c}').count() as u32);
            }
        }
        Err(e) if e.contains("could not be started") => {
            doc.problems
                .push("PDF text needs poppler-utils (pdftotext), which is not installed".into());
            doc.source = TextSource::None;
            return;
        }
        Err(e) => {
            doc.problems
                .push(format!("cannot read the PDF's text: {e}"));
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
        if ocr_available() {
            match ocr_pdf(tmp.path(), pages.max(1), limits) {
                Ok(t) => {
                    doc.paragraphs = text_paragraphs(&t);
                    doc.source = TextSource::Ocr;
                    doc.problems
                        .push("scanned — text read by OCR, needs review".into());
                }
                Err(e) => doc
                    .problems
                    .push(format!("scanned — needs review (OCR failed: {e})")),
            }
        } else {
            doc.source = TextSource::None;
            doc.problems
                .push("scanned — needs review (no text layer; OCR not installed)".into());
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
