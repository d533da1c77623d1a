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
            doc.paragraphs = text_paragraphs(&s);
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
