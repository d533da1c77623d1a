//! The Party document header and signature (format of Hướng dẫn 36-HD/VPTW, and the state
//! format of Nghị định 30 that some units use): issuer block, number and symbol, place and date,
//! document type and title, the signer — and every request number the text cites.
//!
//! Word puts the header in a two-column borderless table and PDFs lay the columns side by
//! side, so the reader works on "segments": table cells column by column, and layout lines
//! split where wide gaps separate the columns.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;
use serde::Serialize;

use super::Document;
use crate::vntext::fold;

/// What the header and signature say.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct PartyHeader {
    /// "ĐẢNG CỘNG SẢN VIỆT NAM" (or the state motto) was found.
    pub national: Option<String>,
    /// The directly superior organisation ("ĐẢNG BỘ HUYỆN BẢO LÂM").
    pub upper: Option<String>,
    /// The issuing body ("ĐẢNG ỦY XÃ LỘC AN"): the best clue to the unit.
    pub issuer: Option<String>,
    /// Number and symbol ("05-BC/ĐU").
    pub number: Option<String>,
    /// Place of the place-and-date line.
    pub place: Option<String>,
    /// Signing date (not the receipt date: never used for lateness).
    pub date: Option<NaiveDate>,
    /// Document type ("BÁO CÁO").
    pub doc_type: Option<String>,
    /// Title (trích yếu).
    pub title: Option<String>,
    /// Authority ("T/M ĐẢNG ỦY").
    pub authority: Option<String>,
    /// Position ("BÍ THƯ").
    pub position: Option<String>,
    /// Signer's name.
    pub signer: Option<String>,
    /// Request numbers cited in the text ("809-CV/HU", "132-QĐ/TW"), normalised.
    pub references: Vec<String>,
}

/// Document type names recognised as the title line (36-HD/VPTW and NĐ 30).
const TYPES: &[&str] = &[
    "BÁO CÁO",
    "KẾ HOẠCH",
    "CÔNG VĂN",
    "TỜ TRÌNH",
    "NGHỊ QUYẾT",
    "QUYẾT ĐỊNH",
    "CHỈ THỊ",
    "KẾT LUẬN",
    "QUY CHẾ",
    "QUY ĐỊNH",
    "HƯỚNG DẪN",
    "THÔNG BÁO",
    "THÔNG TRI",
    "CHƯƠNG TRÌNH",
    "ĐỀ ÁN",
    "PHƯƠNG ÁN",
    "BIÊN BẢN",
    "THỐNG KÊ",
];

static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\bs[ốoô][:\s.]*(\d{1,5})\s*[-–]?\s*([A-Za-zĐđ]{1,5})\s*/\s*([A-Za-zĐđ0-9\-]{1,12})",
    )
    .unwrap_or_else(|_| unreachable!())
});
static STATE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bs[ốoô][:\s.]*(\d{1,5})\s*/\s*(?:\d{4}/)?([A-Za-zĐđ]{1,5})\s*-\s*([A-Za-zĐđ0-9]{1,12})").unwrap_or_else(|_| unreachable!())
});
static REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{1,5})\s*[-–]?\s*(CV|BC|KH|HD|QĐ|QĐi|QD|NQ|CT|KL|TB|TTr|CTr|QC|TT)\s*/\s*([A-ZĐ]{1,10})\b").unwrap_or_else(|_| unreachable!())
});
static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*([^,\d]{2,40}?)\s*,\s*ngày\s*(\d{1,2})?[\s.]*tháng\s*(\d{1,2})?[\s.]*năm\s*(\d{4})").unwrap_or_else(|_| unreachable!())
});
static AUTHORITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(T/M|K/T|T/L|T/UQ|TM\.|KT\.|TL\.|TUQ\.|Q\.)\s*(.+)$")
        .unwrap_or_else(|_| unreachable!())
});
static AUTHORITY_INSIDE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(T/M|K/T|T/L|T/UQ) [A-ZĐ]").unwrap_or_else(|_| unreachable!()));
static GAP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s{3,}|\t").unwrap_or_else(|_| unreachable!()));

fn is_caps(s: &str) -> bool {
    let mut letters = 0;
    for c in s.chars().filter(|c| c.is_alphabetic()) {
        if !c.is_uppercase() {
            return false;
        }
        letters += 1;
    }
    letters >= 2
}

/// The document types, folded once.
static TYPES_FOLDED: LazyLock<Vec<String>> =
    LazyLock::new(|| TYPES.iter().map(|t| fold(t)).collect());

/// `text` split where [`GAP`] matches. Most paragraphs have no tab and no run of three blanks:
/// they are answered without the regex, which over every short paragraph of a report was most
/// of the signature's search.
fn gap_split(text: &str) -> Vec<&str> {
    let b = text.as_bytes();
    // Most paragraphs hold no white space but single spaces: then only a tab or three spaces
    // make a gap. Each of these searches runs many bytes at a time; the walk below, a byte at
    // a time, is for the rest.
    let only_spaces = memchr::memchr3(b'\n', b'\r', 0x0B, b).is_none()
        && memchr::memchr3(0x0C, 0xC2, 0xE2, b).is_none()
        && memchr::memchr(0xE3, b).is_none()
        && memchr::memmem::find(b, "\u{1680}".as_bytes()).is_none();
    if only_spaces {
        return if memchr::memchr(b'\t', b).is_some() || memchr::memmem::find(b, b"   ").is_some() {
            GAP.split(text).collect()
        } else {
            vec![text]
        };
    }
    // Walked on bytes: the only characters decoded are those whose lead byte white space
    // outside ASCII can have (U+0085, U+00A0, U+1680, U+2000…, U+3000); a Vietnamese letter
    // (lead byte 0xE1 too) is told from U+1680 by the byte after.
    let mut run = 0;
    let mut gap = false;
    for (i, &x) in b.iter().enumerate() {
        let white = match x {
            b'\t' => {
                gap = true;
                break;
            }
            b' ' | b'\n' | b'\r' | 0x0B | 0x0C => true,
            0x80..=0xBF => continue,
            0xE1 => b.get(i + 1) == Some(&0x9A) && b.get(i + 2) == Some(&0x80),
            0xC2 | 0xE2 | 0xE3 => text
                .get(i..)
                .and_then(|t| t.chars().next())
                .is_some_and(char::is_whitespace),
            _ => false,
        };
        run = if white { run + 1 } else { 0 };
        if run >= 3 {
            gap = true;
            break;
        }
    }
    if gap {
        GAP.split(text).collect()
    } else {
        vec![text]
    }
}

/// Segments of the first part of the document: header-table cells column by column, then the
/// opening paragraphs split at wide gaps.
fn head_segments(doc: &Document) -> Vec<String> {
    let mut segs = Vec::new();
    if let Some(t) = doc.tables.iter().take(2).find(|t| {
        let f = fold(
            &t.rows
                .iter()
                .flatten()
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        );
        f.contains("dang cong san viet nam")
            || f.contains("cong hoa xa hoi chu nghia")
            || f.contains(" so ")
    }) {
        for c in 0..t.width() {
            for r in 0..t.rows.len().min(12) {
                let cell = &t.rows[r][c];
                if !cell.merged {
                    segs.extend(
                        cell.text
                            .lines()
                            .map(|l| l.trim().to_string())
                            .filter(|l| !l.is_empty()),
                    );
                }
            }
        }
    }
    for p in doc
        .paragraphs
        .iter()
        .take(30)
        .filter(|p| p.text.len() <= 400)
    {
        for part in gap_split(&p.text) {
            let part = part.trim();
            if !part.is_empty() {
                segs.extend(split_merged(part));
            }
        }
    }
    segs
}

/// OCR joins the header's two columns with single spaces: split a line at the national title
/// ("… ĐẢNG CỘNG SẢN VIỆT NAM") and split an issuer in capitals off a place-and-date line
/// ("ĐẢNG ỦY XÃ LỘC AN Lộc An, ngày …").
fn split_merged(seg: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = seg.to_string();
    for national in [
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    ] {
        if let Some(i) = rest.find(national)
            && rest.trim() != national
        {
            let before = rest[..i].trim().to_string();
            let after = rest[i + national.len()..].trim().to_string();
            if !before.is_empty() {
                out.push(before);
            }
            out.push(national.to_string());
            rest = after;
        }
    }
    // The comma the pattern needs is looked for first: most lines have none, and the
    // pattern (case-insensitive, Unicode) was most of reading a header.
    if rest.contains(',') && DATE_LINE.is_match(&rest) {
        let words: Vec<&str> = rest.split(' ').collect();
        let caps = words
            .iter()
            .take_while(|w| is_caps(w) && !w.contains(','))
            .count();
        if caps >= 2 && caps < words.len() {
            out.push(words[..caps].join(" "));
            rest = words[caps..].join(" ");
        }
    }
    if !rest.trim().is_empty() {
        out.push(rest.trim().to_string());
    }
    out
}

/// Reads the header, signature and references of `doc`.
pub fn parse_header(doc: &Document) -> PartyHeader {
    let mut h = PartyHeader::default();
    let segs = head_segments(doc);
    let mut issuer_block: Vec<&str> = Vec::new();
    let mut block_closed = false;
    for (i, s) in segs.iter().enumerate() {
        // Header lines are short; long segments are body text.
        if s.len() > 240 {
            continue;
        }
        let f = fold(s);
        if h.national.is_none()
            && (f == "dang cong san viet nam"
                || f.starts_with("cong hoa xa hoi chu nghia viet nam"))
        {
            h.national = Some(s.clone());
            continue;
        }
        if f.starts_with("doc lap tu do hanh phuc") {
            continue;
        }
        if h.number.is_none() {
            if let Some(c) = STATE_NUMBER.captures(s) {
                h.number = Some(format!("{}/{}-{}", &c[1], &c[2], &c[3]));
                block_closed = true;
                continue;
            }
            if let Some(c) = NUMBER.captures(s) {
                h.number = Some(format!("{}-{}/{}", &c[1], &c[2], &c[3]));
                block_closed = true;
                continue;
            }
        }
        if h.date.is_none()
            && let Some(c) = DATE_LINE.captures(s)
        {
            let place = c[1].trim().trim_start_matches(['.', '…', ' ']).trim();
            if !place.is_empty() {
                h.place = Some(place.to_string());
            }
            let y = c[4].parse::<i32>().ok();
            let m = c.get(3).and_then(|m| m.as_str().parse::<u32>().ok());
            let d = c.get(2).and_then(|m| m.as_str().parse::<u32>().ok());
            if let (Some(y), Some(m), Some(d)) = (y, m, d) {
                h.date = NaiveDate::from_ymd_opt(y, m, d);
            }
            continue;
        }
        if s.trim() == "*" || s.trim() == "-----" {
            block_closed = true;
            continue;
        }
        if h.doc_type.is_none() && TYPES_FOLDED.contains(&f) && is_caps(s) {
            h.doc_type = Some(s.trim().to_string());
            // The trích yếu follows the type name, up to a rule or the body.
            let mut title = Vec::new();
            for t in segs.iter().skip(i + 1).take(4) {
                let tf = fold(t);
                if t.chars().all(|c| c == '-' || c == '_' || c.is_whitespace())
                    || tf.starts_with("kinh gui")
                    || tf.starts_with("thuc hien")
                {
                    break;
                }
                title.push(t.trim());
                if t.len() > 20 && !is_caps(t) && title.len() >= 2 {
                    break;
                }
            }
            if !title.is_empty() {
                h.title = Some(title.join(" "));
            }
            continue;
        }
        if !block_closed && is_caps(s) && issuer_block.len() < 3 && h.doc_type.is_none() {
            issuer_block.push(s.trim());
        }
    }
    match issuer_block.as_slice() {
        [one] => h.issuer = Some(one.to_string()),
        [up, iss, ..] => {
            h.upper = Some(up.to_string());
            h.issuer = Some(iss.to_string());
        }
        [] => {}
    }
    // Signature: the last authority line, its position, and the name below it.
    let tail = tail_segments(doc);
    if let Some(pos) = tail.iter().rposition(|s| AUTHORITY.is_match(s)) {
        h.authority = Some(tail[pos].trim().to_string());
        let after: Vec<&&str> = tail
            .iter()
            .skip(pos + 1)
            .filter(|s| !s.trim().is_empty())
            .collect();
        // In PDFs the "Nơi nhận" list sits beside the signature: skip its dash lines.
        if let Some(p) = after
            .iter()
            .take(4)
            .find(|p| is_caps(p) && !p.trim_start().starts_with(['-', '+']))
        {
            h.position = Some(p.trim().to_string());
        }
        h.signer = after
            .iter()
            .rev()
            .find(|s| is_name(s))
            .map(|s| s.trim().to_string());
    }
    // Requests are cited near the top ("Thực hiện Công văn số …"); the first pages suffice.
    let text = doc.text_prefix(20_000);
    let mut refs = references(&text);
    refs.sort();
    refs.dedup();
    if let Some(n) = &h.number {
        refs.retain(|r| r != n);
    }
    h.references = refs;
    h
}

/// Every match of [`REFERENCE`] in `text`, as "NUMBER-TYPE/ISSUER", in order.
///
/// The regex's Unicode word boundaries make it run its slowest engine on Vietnamese text,
/// which over the whole 20 KB prefix was most of the header step. A citation is made only of
/// digits, white space, dashes, the slash and the capitals of the document types and issuers,
/// so it lies inside one stretch of such characters: only the stretches with a slash are
/// searched, each with the text before it and the character after it as the context of the
/// word boundaries, which gives the same matches as searching the whole text.
fn references(text: &str) -> Vec<String> {
    fn can_be_in(c: char) -> bool {
        // Vietnamese letters hold no digit or space: answered without the Unicode tables.
        if matches!(c as u32, 0xC0..=0x24F | 0x1E00..=0x1EFF) {
            return c == 'Đ';
        }
        c.is_numeric()
            || c.is_whitespace()
            || matches!(c, '-' | '–' | '/' | 'A'..='Z' | 'Đ' | 'i' | 'r')
    }
    let mut out = Vec::new();
    let mut search = |from: usize, to: usize| {
        // `to` includes the character after the stretch, for the boundary after a match.
        let hay = text.get(..to).unwrap_or(text);
        let mut at = from;
        while let Some(c) = REFERENCE.captures_at(hay, at) {
            let Some(m) = c.get(0) else { break };
            out.push(format!("{}-{}/{}", &c[1], &c[2], &c[3]));
            if m.end() <= at {
                break;
            }
            at = m.end();
        }
    };
    // Prose has few slashes: the stretches are grown outwards from each one, so the rest of
    // the text is never decoded.
    let mut at = 0;
    while let Some(off) = memchr::memchr(b'/', &text.as_bytes()[at..]) {
        let slash = at + off;
        let from = text[..slash]
            .char_indices()
            .rev()
            .take_while(|(_, c)| can_be_in(*c))
            .last()
            .map_or(slash, |(i, _)| i);
        let (end, to) = text[slash..]
            .char_indices()
            .find(|(_, c)| !can_be_in(*c))
            .map_or((text.len(), text.len()), |(i, c)| {
                (slash + i, slash + i + c.len_utf8())
            });
        search(from, to);
        at = end;
    }
    out
}

/// A person's name: 2–5 capitalised words, no digits, not all capitals.
fn is_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    (2..=5).contains(&words.len())
        && !is_caps(s)
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase) && w.chars().all(char::is_alphabetic)
        })
}

/// Segments of the end of the document (signature tables or the last paragraphs).
fn tail_segments(doc: &Document) -> Vec<&str> {
    let mut segs = Vec::new();
    // The whole document: annexes (forms) may follow the signature.
    for p in doc.paragraphs.iter().filter(|p| p.text.len() <= 240) {
        for part in gap_split(&p.text) {
            // Converters sometimes run "Nơi nhận" and the authority line together
            // ("- Lưu Văn phòng.T/M ĐẢNG ỦY"): split before the authority. Every authority
            // has a slash.
            let mut rest = part.trim();
            while rest.contains('/')
                && let Some(m) = AUTHORITY_INSIDE.find(rest).filter(|m| m.start() > 0)
            {
                let (a, b) = rest.split_at(m.start());
                if !a.trim().is_empty() {
                    segs.push(a.trim());
                }
                rest = b.trim();
            }
            if !rest.is_empty() {
                segs.push(rest);
            }
        }
    }
    if let Some(t) = doc.tables.iter().rev().find(|t| {
        t.rows
            .iter()
            .flatten()
            .any(|c| AUTHORITY.is_match(c.text.lines().next().unwrap_or("")))
    }) {
        for c in 0..t.width() {
            for r in &t.rows {
                if let Some(cell) = r.get(c).filter(|c| !c.merged) {
                    segs.extend(cell.text.lines().map(str::trim).filter(|l| !l.is_empty()));
                }
            }
        }
    }
    segs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gap_split_finds_the_gaps_the_regex_finds() {
        for t in [
            "ĐẢNG BỘ HUYỆN   CỘNG HÒA",
            "a\tb",
            "a  b",
            "a\u{a0}\u{a0}\u{a0}b",
            "a \u{3000}\u{2003}b",
            "Ổ\u{1680}\u{1680} ợ",
            "Lộc Thành ỹ ạ  ắ",
            "ending   ",
        ] {
            let want: Vec<&str> = GAP.split(t).collect();
            assert_eq!(gap_split(t), want, "{t:?}");
        }
    }
    use crate::documents::{Cell, Paragraph, Table};
    use crate::message::FileKind;

    fn para(t: &str) -> Paragraph {
        Paragraph {
            text: t.into(),
            ..Default::default()
        }
    }

    fn cell(t: &str) -> Cell {
        Cell {
            text: t.into(),
            merged: false,
        }
    }

    #[test]
    fn word_header_table_and_signature() {
        let mut d = Document::empty(FileKind::Docx);
        d.tables.push(Table {
            name: None,
            caption: String::new(),
            rows: vec![vec![
                cell("ĐẢNG BỘ HUYỆN BẢO LÂM\nĐẢNG ỦY XÃ LỘC THÀNH\n*\nSố 05-BC/ĐU"),
                cell("ĐẢNG CỘNG SẢN VIỆT NAM\nLộc Thành, ngày 25 tháng 01 năm 2023"),
            ]],
        });
        d.paragraphs = vec![
            para("BÁO CÁO"),
            para("Kết quả thực hiện Quy định 132-QĐ/TW"),
            para("Thực hiện Công văn số 809-CV/HU ngày 12/01/2023 của Huyện ủy"),
            para("Nơi nhận:"),
            para("T/M ĐẢNG ỦY"),
            para("BÍ THƯ"),
            para("Nguyễn Văn An"),
        ];
        let h = parse_header(&d);
        assert_eq!(h.upper.as_deref(), Some("ĐẢNG BỘ HUYỆN BẢO LÂM"));
        assert_eq!(h.issuer.as_deref(), Some("ĐẢNG ỦY XÃ LỘC THÀNH"));
        assert_eq!(h.number.as_deref(), Some("05-BC/ĐU"));
        assert_eq!(h.place.as_deref(), Some("Lộc Thành"));
        assert_eq!(h.date, NaiveDate::from_ymd_opt(2023, 1, 25));
        assert_eq!(h.doc_type.as_deref(), Some("BÁO CÁO"));
        assert_eq!(
            h.title.as_deref(),
            Some("Kết quả thực hiện Quy định 132-QĐ/TW")
        );
        assert_eq!(h.authority.as_deref(), Some("T/M ĐẢNG ỦY"));
        assert_eq!(h.position.as_deref(), Some("BÍ THƯ"));
        assert_eq!(h.signer.as_deref(), Some("Nguyễn Văn An"));
        assert_eq!(h.references, vec!["132-QĐ/TW", "809-CV/HU"]);
    }

    #[test]
    fn pdf_layout_lines_and_number_variants() {
        let mut d = Document::empty(FileKind::Pdf);
        d.paragraphs = vec![
            para("ĐẢNG BỘ TỈNH LÂM ĐỒNG                    ĐẢNG CỘNG SẢN VIỆT NAM"),
            para("HUYỆN ỦY BẢO LÂM"),
            para("*                         Bảo Lâm, ngày 12 tháng 01 năm 2023"),
            para("Số 809 -CV/HU"),
        ];
        let h = parse_header(&d);
        assert_eq!(h.upper.as_deref(), Some("ĐẢNG BỘ TỈNH LÂM ĐỒNG"));
        assert_eq!(h.issuer.as_deref(), Some("HUYỆN ỦY BẢO LÂM"));
        assert_eq!(h.number.as_deref(), Some("809-CV/HU"));
        assert_eq!(h.place.as_deref(), Some("Bảo Lâm"));
        let mut d = Document::empty(FileKind::Pdf);
        d.paragraphs = vec![
            para("Số: 12/BC-UBND"),
            para("....., ngày    tháng    năm 2023"),
        ];
        let h = parse_header(&d);
        assert_eq!(h.number.as_deref(), Some("12/BC-UBND"));
        assert_eq!(h.date, None);
    }

    #[test]
    fn references_found_by_stretches_equal_a_search_of_the_whole_text() {
        let whole = |t: &str| -> Vec<String> {
            REFERENCE
                .captures_iter(t)
                .map(|c| format!("{}-{}/{}", &c[1], &c[2], &c[3]))
                .collect()
        };
        let fixed = [
            "Thực hiện Công văn số 809-CV/HU, ngày 12/01/2023 của Huyện ủy",
            "Quy định 132-QĐ/TW và Hướng dẫn số 21-HD/BTCTW; 809 -CV/HU",
            "số809-CV/HU ABC809-CV/HU 809-CV/HUx 809-CV/HUĐ 809 – TTr / ĐU.",
            "12\n-\nCV\n/\nHU\t07-BC/ĐU\u{a0}1-QĐi/TW ٣-CV/HU 123456-CV/HU",
        ];
        for t in fixed {
            assert_eq!(references(t), whole(t), "{t:?}");
        }
        assert_eq!(
            references(fixed[0]),
            ["809-CV/HU"],
            "the usual citation is found"
        );
        // Random texts made of pieces of citations and of characters that end a stretch.
        let pieces = [
            "809",
            "07",
            "1",
            "-",
            "–",
            " ",
            "CV",
            "BC",
            "QĐ",
            "QĐi",
            "TTr",
            "CTr",
            "/",
            "HU",
            "ĐU",
            "BTCTW",
            "TW",
            "ạ",
            "x",
            "Số ",
            "số",
            ",",
            ".",
            "\n",
            "\u{a0}",
            "٣",
            "A",
            "HUĐ",
            "ABCDEFGHIJK",
            "809-CV/HU",
            "12 - BC / ĐU",
            "21-HD/BTCTW",
            "5–TTr/",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut found = 0;
        for _ in 0..20_000 {
            let len = (seed >> 60) as usize + 4;
            let t: String = (0..len)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1_442_695_040_888_963_407);
                    pieces[(seed >> 33) as usize % pieces.len()]
                })
                .collect();
            found += whole(&t).len();
            assert_eq!(references(&t), whole(&t), "{t:?}");
        }
        assert!(found > 100, "{found} citations in the random texts");
    }
}
