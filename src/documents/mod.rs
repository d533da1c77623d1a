//! The documents stage: an attached file → [`Document`] (paragraphs with heading levels and
//! tables with merged cells resolved), whatever produced it.
//!
//! One extractor per format (`xlsx.rs` for xlsx/xls/ods through calamine, `docx.rs` through
//! zip + quick-xml, `pdf.rs` through lopdf + poppler, `convert.rs` for .doc and friends through
//! LibreOffice). The kind is decided by the bytes (see `message::detect`). Every extractor is
//! bounded (size, pages, cells, time) and reports problems as data: a broken document is
//! flagged, never a crash.

pub(crate) mod convert;
mod docx;
mod guard;
mod header;
#[cfg(test)]
mod hostile_tests;
mod pdf;
pub mod vnlegacy;
mod xlsx;

use serde::{Deserialize, Serialize};

pub use convert::{libreoffice_available, ocr_available};
pub use header::{PartyHeader, parse_header};

use crate::i18n::t;
use crate::message::{FileKind, Part};
use crate::vntext::{fold, is_letter, nfc};

/// Limits for one document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DocLimits {
    /// Largest file read.
    pub max_bytes: u64,
    /// Largest unpacked size of an Office file's parts.
    pub max_unpacked: u64,
    /// Most spreadsheet cells read per workbook.
    pub max_cells: usize,
    /// Most PDF pages read.
    pub max_pages: u32,
    /// Most bytes a PDF's compressed streams may inflate to, all together, before poppler is
    /// given the file (a flate bomb makes pdftotext inflate gigabytes).
    pub max_pdf_inflated: u64,
    /// Run external tools (pdftotext, pdftoppm, tesseract, soffice). Off only in the fuzz
    /// runner, so that it exercises our own parsing and lopdf's rather than poppler's.
    pub external_tools: bool,
    /// Longest an external tool (pdftotext, soffice, tesseract) may run, in seconds.
    pub tool_seconds: u64,
    /// Whether the slow tools (OCR, LibreOffice) may run now. When not, a file that needs them
    /// comes back with [`Document::deferred`] set and is read again later, off the register's path.
    pub slow_tools: bool,
}

impl Default for DocLimits {
    fn default() -> Self {
        DocLimits {
            max_bytes: 30 << 20,
            max_unpacked: 200 << 20,
            max_cells: 200_000,
            max_pages: 300,
            max_pdf_inflated: 128 << 20,
            external_tools: true,
            tool_seconds: 60,
            slow_tools: true,
        }
    }
}

/// A paragraph of running text.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Paragraph {
    /// Its text (NFC).
    pub text: String,
    /// Heading level from the paragraph style or outline level (1 = top), if any.
    pub level: Option<u8>,
    /// Whole paragraph bold.
    pub bold: bool,
    /// Whole paragraph italic.
    pub italic: bool,
}

/// One cell of a table, merged regions already spread over every cell they cover.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Cell {
    /// Text (NFC, trimmed).
    pub text: String,
    /// Covered by a merge that starts in another cell.
    pub merged: bool,
}

/// A table: a Word table or a spreadsheet's used range.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Table {
    /// Sheet name for spreadsheets.
    pub name: Option<String>,
    /// Rows of cells (all rows the same width).
    pub rows: Vec<Vec<Cell>>,
    /// Text of the paragraphs just above the table (Word), for titles.
    pub caption: String,
}

impl Table {
    /// Text of cell (r, c), or "".
    pub fn text(&self, r: usize, c: usize) -> &str {
        self.rows
            .get(r)
            .and_then(|row| row.get(c))
            .map(|c| c.text.as_str())
            .unwrap_or("")
    }

    /// Width.
    pub fn width(&self) -> usize {
        self.rows.first().map(Vec::len).unwrap_or(0)
    }
}

/// Where the text came from, for staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextSource {
    /// Read from the file itself.
    Native,
    /// Converted with LibreOffice first.
    Converted,
    /// Recognised from images (OCR).
    Ocr,
    /// No text could be had.
    None,
}

/// What was read from one file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Document {
    /// The file kind.
    pub kind: FileKind,
    /// Paragraphs in order (for spreadsheets: none).
    pub paragraphs: Vec<Paragraph>,
    /// Tables in order, nested tables after their parent.
    pub tables: Vec<Table>,
    /// Pages (PDF), if known.
    pub pages: Option<u32>,
    /// A PDF or image with no text layer.
    pub scanned: bool,
    /// How the text was obtained.
    pub source: TextSource,
    /// A secrecy mark found near the top ("MẬT", "TỐI MẬT", "TUYỆT MẬT").
    pub secret: Option<String>,
    /// Legacy encoding converted ("tcvn3", "vni").
    pub legacy: Option<String>,
    /// Problems in plain words.
    pub problems: Vec<String>,
    /// Not read yet: it needs OCR or LibreOffice, which were not allowed in this pass.
    #[serde(default)]
    pub deferred: bool,
}

impl Document {
    pub(crate) fn empty(kind: FileKind) -> Self {
        Document {
            kind,
            paragraphs: Vec::new(),
            tables: Vec::new(),
            pages: None,
            scanned: false,
            source: TextSource::Native,
            secret: None,
            legacy: None,
            problems: Vec::new(),
            deferred: false,
        }
    }

    /// A document of plain paragraphs (for tests of the stages that read documents).
    #[cfg(test)]
    pub(crate) fn from_lines(kind: FileKind, lines: &[&str]) -> Self {
        let mut d = Document::empty(kind);
        d.paragraphs = lines
            .iter()
            .map(|l| Paragraph {
                text: l.to_string(),
                ..Default::default()
            })
            .collect();
        d
    }

    /// All the text: paragraphs, then table cells row by row.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for p in &self.paragraphs {
            s.push_str(&p.text);
            s.push('\n');
        }
        for t in &self.tables {
            for r in &t.rows {
                for c in r.iter().filter(|c| !c.merged && !c.text.is_empty()) {
                    s.push_str(&c.text);
                    s.push('\t');
                }
                s.push('\n');
            }
        }
        s
    }

    /// The first `limit` bytes (or a little more) of [`Document::text`], without building the rest.
    pub fn text_prefix(&self, limit: usize) -> String {
        let mut s = String::new();
        for p in &self.paragraphs {
            if s.len() >= limit {
                return s;
            }
            s.push_str(&p.text);
            s.push('\n');
        }
        for t in &self.tables {
            for r in &t.rows {
                if s.len() >= limit {
                    return s;
                }
                for c in r.iter().filter(|c| !c.merged && !c.text.is_empty()) {
                    s.push_str(&c.text);
                    s.push('\t');
                }
                s.push('\n');
            }
        }
        s
    }

    /// Letters and digits read, a measure of how much text there is.
    pub fn text_chars(&self) -> usize {
        // Characters that are not ASCII white space, counted on bytes: a character is a byte
        // that does not continue one, and the blanks are single bytes. Each block of 255
        // bytes is summed in a u8, which the compiler does many bytes at a time (counting
        // with `filter` was eight times slower).
        fn counted(b: u8) -> u8 {
            let continues = b & 0xC0 == 0x80;
            let blank = b == b' ' || (b.wrapping_sub(b'\t') < 5 && b != 0x0B);
            u8::from(!continues & !blank)
        }
        let count = |s: &str| -> usize {
            s.as_bytes()
                .chunks(255)
                .map(|c| usize::from(c.iter().fold(0u8, |n, &b| n + counted(b))))
                .sum()
        };
        self.paragraphs
            .iter()
            .map(|p| count(&p.text))
            .sum::<usize>()
            + self
                .tables
                .iter()
                .flat_map(|t| t.rows.iter().flatten())
                .filter(|c| !c.merged)
                .map(|c| count(&c.text))
                .sum::<usize>()
    }

    /// True when the document gave any text.
    pub fn has_text(&self) -> bool {
        self.paragraphs.iter().any(|p| !p.text.trim().is_empty())
            || self
                .tables
                .iter()
                .any(|t| t.rows.iter().flatten().any(|c| !c.text.is_empty()))
    }
}

/// What a file whose reading hit a bug (a caught panic) says; the ingest flags its message
/// so it is read again on later passes.
pub const INTERNAL_ERROR_TEXT: &str =
    "lỗi nội bộ khi đọc tệp này; tệp vẫn được giữ — xin báo cho người quản trị";

/// Reads `part`. Never panics; problems are recorded on the document.
pub fn extract(part: &Part, limits: &DocLimits) -> Document {
    let mut doc = Document::empty(part.kind);
    if let Some(e) = &part.error {
        doc.problems.push(e.clone());
        doc.source = TextSource::None;
        return doc;
    }
    if part.bytes.len() as u64 > limits.max_bytes {
        doc.problems.push(t!(
            "prob-file-mb",
            size = (part.bytes.len() >> 20).to_string(),
            limit = (limits.max_bytes >> 20).to_string()
        ));
        doc.source = TextSource::None;
        return doc;
    }
    if !limits.slow_tools
        && matches!(
            part.kind,
            FileKind::Doc | FileKind::Odt | FileKind::Ole2 | FileKind::Image
        )
    {
        doc.deferred = true;
        doc.source = TextSource::None;
        return doc;
    }
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut d = Document::empty(part.kind);
        match part.kind {
            FileKind::Xlsx | FileKind::Xls | FileKind::Ods => {
                xlsx::read(&part.bytes, part.kind, limits, &mut d)
            }
            FileKind::Docx => docx::read(&part.bytes, limits, &mut d),
            FileKind::Pdf => pdf::read(&part.bytes, limits, &mut d),
            FileKind::Doc | FileKind::Odt | FileKind::Ole2 if limits.external_tools => {
                convert::read_via_libreoffice(&part.bytes, &part.name, limits, &mut d)
            }
            FileKind::Text => {
                d.paragraphs = text_paragraphs(&String::from_utf8_lossy(&part.bytes));
            }
            FileKind::Image if limits.external_tools => {
                d.scanned = true;
                d.source = TextSource::None;
                convert::ocr_image(&part.bytes, limits, &mut d);
            }
            _ => d.source = TextSource::None,
        }
        d
    }));
    let mut doc = match result {
        Ok(d) if d.deferred => return d,
        Ok(d) => d,
        Err(_) => {
            doc.problems.push(INTERNAL_ERROR_TEXT.into());
            doc.source = TextSource::None;
            return doc;
        }
    };
    finish(&mut doc);
    doc
}

/// Splits plain text into paragraphs (one per non-empty line).
pub(crate) fn text_paragraphs(s: &str) -> Vec<Paragraph> {
    s.lines()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .map(|l| Paragraph {
            text: nfc(l),
            ..Default::default()
        })
        .collect()
}

/// Post-processing shared by every format: legacy-encoding fallback for text without font
/// names, and the secrecy mark.
fn finish(doc: &mut Document) {
    if doc.legacy.is_none()
        && matches!(
            doc.source,
            TextSource::Native | TextSource::Converted | TextSource::Ocr
        )
    {
        let head: Vec<&str> = doc
            .paragraphs
            .iter()
            .take(60)
            .map(|p| p.text.as_str())
            .collect();
        if looks_legacy(&head)
            && let Some((enc, _)) = vnlegacy::detect(&head.join("\n"))
        {
            for p in &mut doc.paragraphs {
                p.text = vnlegacy::to_unicode(&p.text, enc, false);
            }
            for t in &mut doc.tables {
                for c in t.rows.iter_mut().flatten() {
                    c.text = vnlegacy::to_unicode(&c.text, enc, false);
                }
            }
            doc.legacy = Some(legacy_name(enc).into());
        }
    }
    // Garbage decoded as text (LibreOffice imports an unreadable .doc as UTF-16 "text") is
    // mostly outside the Latin scripts Vietnamese uses: say so rather than show it.
    let sample = doc.text_prefix(4000);
    let (mut letters, mut latin) = (0usize, 0usize);
    // ASCII letters answered from their byte; only the other characters are decoded (at
    // their lead byte).
    for (i, b) in sample.bytes().enumerate() {
        if b < 0x80 {
            let l = usize::from(b.is_ascii_alphabetic());
            letters += l;
            latin += l;
        } else if b >= 0xC0
            && let Some(c) = sample.get(i..).and_then(|s| s.chars().next())
            && is_letter(c)
        {
            letters += 1;
            latin += usize::from((c as u32) < 0x2000);
        }
    }
    if letters > 50 && latin * 2 < letters {
        doc.paragraphs.clear();
        doc.tables.clear();
        doc.source = TextSource::None;
        doc.problems.push(
            "nội dung tệp không phải chữ đọc được, có thể tệp bị hỏng — cần mở bằng tay".into(),
        );
    }
    doc.secret = secrecy_mark(doc);
    if doc.kind.is_document() && !doc.has_text() && doc.problems.is_empty() && !doc.scanned {
        doc.problems
            .push("không đọc được chữ nào trong tệp này".into());
    }
}

/// Cheap pre-check before scoring: legacy text has Latin-1 letters (µ ¸ ¶ Ö …) or VNI tone
/// bytes and almost none of the letters only Unicode Vietnamese has (ạ ả ơ ư đ …). Counted on
/// the UTF-8 bytes: each of those letters is told by its lead byte and the next, so nothing
/// is decoded. The count stops as soon as the text left, were it all Latin-1, could not
/// change the answer (Unicode text is ruled out after about a third of the sample).
fn looks_legacy(texts: &[&str]) -> bool {
    let mut left: usize = texts.iter().map(|t| t.len()).sum();
    let mut latin1 = 0usize;
    let mut viet = 0usize;
    for t in texts {
        let b = t.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let lead = b[i];
            i += 1;
            if lead < 0xC2 {
                continue;
            }
            let next = b.get(i).copied().unwrap_or(0);
            match (lead, next) {
                // U+00A0–U+00FF
                (0xC2, 0xA0..=0xBF) | (0xC3, _) => latin1 += 1,
                // Ă ă Đ đ, Ơ ơ Ư ư
                (0xC4, 0x82 | 0x83 | 0x90 | 0x91) | (0xC6, 0xA0 | 0xA1 | 0xAF | 0xB0) => viet += 1,
                // U+1EA0–U+1EF9: E1 BA A0 … E1 BB B9
                (0xE1, 0xBA) => viet += usize::from(b.get(i + 1).is_some_and(|c| *c >= 0xA0)),
                (0xE1, 0xBB) => viet += usize::from(b.get(i + 1).is_some_and(|c| *c <= 0xB9)),
                _ => {}
            }
        }
        left -= b.len();
        // Each Latin-1 letter takes two bytes.
        if viet * 10 >= latin1 + left / 2 {
            return false;
        }
    }
    latin1 >= 3 && viet * 10 < latin1
}

pub(crate) fn legacy_name(enc: vnlegacy::Legacy) -> &'static str {
    match enc {
        vnlegacy::Legacy::Tcvn3 => "tcvn3",
        vnlegacy::Legacy::Vni => "vni",
    }
}

/// A secrecy stamp is a short line of its own near the top: "MẬT", "TỐI MẬT", "TUYỆT MẬT"
/// (also "Độ mật: Mật"). The word inside ordinary sentences ("bí mật") does not count.
fn secrecy_mark(doc: &Document) -> Option<String> {
    let mut lines: Vec<&str> = doc
        .paragraphs
        .iter()
        .take(25)
        .map(|p| p.text.as_str())
        .collect();
    for t in doc.tables.iter().take(2) {
        for r in t.rows.iter().take(8) {
            lines.extend(r.iter().map(|c| c.text.as_str()));
        }
    }
    for l in lines {
        // Cut with memchr: the line breaks and tabs are ASCII, and most lines have none.
        let mut rest = Some(l);
        let parts = std::iter::from_fn(|| {
            let r = rest?;
            match memchr::memchr2(b'\n', b'\t', r.as_bytes()) {
                Some(i) => {
                    rest = r.get(i + 1..);
                    r.get(..i)
                }
                None => rest.take(),
            }
        });
        for part in parts {
            // No stamp has more than 13 letters and digits ("Độ mật: Tuyệt mật"): a line of
            // the body is passed over after its first 21, not folded whole.
            if part.len() > 64
                && part
                    .chars()
                    .filter(|c| is_letter(*c) || c.is_numeric())
                    .nth(20)
                    .is_some()
            {
                continue;
            }
            let folded = fold(part);
            let labelled = folded.starts_with("do mat ");
            let f = folded.strip_prefix("do mat ").unwrap_or(&folded);
            // Stamps are written in capitals ("MẬT"), or labelled "Độ mật: …".
            let caps = part
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(|c| c.is_uppercase());
            if matches!(f, "mat" | "toi mat" | "tuyet mat") && (caps || labelled) {
                return Some(part.trim().to_string());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc_with(lines: &[&str]) -> Document {
        Document::from_lines(FileKind::Docx, lines)
    }

    #[test]
    fn text_chars_counts_characters_that_are_not_blanks() {
        let long = "Đảng bộ xã ".repeat(40);
        let texts = [
            "",
            " \t\n\r\x0c",
            "a\x0bb",
            "Tổng số: 1.234 đảng viên",
            &long,
        ];
        for t in texts {
            let want = t
                .chars()
                .filter(|c| !matches!(c, ' ' | '\t' | '\n' | '\x0c' | '\r'))
                .count();
            assert_eq!(doc_with(&[t]).text_chars(), want, "{t:?}");
        }
    }

    #[test]
    fn secrecy_stamp_only_as_its_own_line() {
        assert_eq!(
            secrecy_mark(&doc_with(&["Số 05-BC/ĐU", "MẬT"])).as_deref(),
            Some("MẬT")
        );
        assert_eq!(
            secrecy_mark(&doc_with(&["TỐI MẬT"])).as_deref(),
            Some("TỐI MẬT")
        );
        assert_eq!(
            secrecy_mark(&doc_with(&["Giữ bí mật thông tin", "mat"])),
            None
        );
    }
}
