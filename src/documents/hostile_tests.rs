//! Hostile documents made in code: each one is refused or read sparsely with a problem, fast,
//! and what it leaves in memory (the tables) stays small.

use std::io::{Cursor, Write};
use std::time::{Duration, Instant};

use super::{DocLimits, Document, extract};
use crate::message::Part;

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buf = Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        for (n, b) in entries {
            z.start_file(*n, zip::write::SimpleFileOptions::default())
                .unwrap();
            z.write_all(b).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

fn read(name: &str, bytes: Vec<u8>, limits: &DocLimits) -> (Document, Duration) {
    let t = Instant::now();
    let d = extract(&Part::from_file(name, bytes), limits);
    (d, t.elapsed())
}

fn cells(d: &Document) -> usize {
    d.tables.iter().map(|t| t.rows.len() * t.width()).sum()
}

fn has(d: &Document, needle: &str) -> bool {
    d.problems.iter().any(|p| p.contains(needle))
}

/// A workbook with a value in each of `cells` (row, column), made with rust_xlsxwriter.
fn xlsx_with(cells: &[(u32, u16, &str)]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Biểu 1").unwrap();
    for (r, c, v) in cells {
        ws.write_string(*r, *c, *v).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

#[test]
fn xlsx_corner_cells_are_read_sparsely() {
    // A1 and XFD1048576: calamine's dense range asked for 549 GB and aborted the process.
    let bytes = xlsx_with(&[(0, 0, "Đơn vị"), (1_048_575, 16_383, "cuối")]);
    assert!(bytes.len() < 10_000, "{}", bytes.len());
    let (d, took) = read("bieu.xlsx", bytes, &DocLimits::default());
    assert!(took < Duration::from_secs(5), "{took:?}");
    assert_eq!(d.tables.len(), 1);
    let t = &d.tables[0];
    // Two used rows and columns with one empty line kept between them.
    assert_eq!((t.rows.len(), t.width()), (3, 3));
    assert_eq!(t.text(0, 0), "Đơn vị");
    assert_eq!(t.text(2, 2), "cuối");
    assert!(
        has(
            &d,
            "trải trên 1048576 dòng × 16384 cột nhưng chỉ có 2 ô có dữ liệu"
        ),
        "{:?}",
        d.problems
    );
}

#[test]
fn xlsx_sparse_blocks_keep_their_shape_and_dense_sheets_are_unchanged() {
    // ZZ1000000 (22 GB and 173 s before): a form block at the top, one stray cell far away.
    let bytes = xlsx_with(&[
        (0, 0, "TT"),
        (0, 1, "Nội dung"),
        (1, 0, "1"),
        (1, 1, "Chi bộ"),
        (999_999, 701, "x"),
    ]);
    let (d, took) = read("bieu.xlsx", bytes, &DocLimits::default());
    assert!(took < Duration::from_secs(5), "{took:?}");
    let t = &d.tables[0];
    assert_eq!((t.rows.len(), t.width()), (4, 4));
    assert_eq!(
        (t.text(0, 0), t.text(0, 1), t.text(1, 1), t.text(3, 3)),
        ("TT", "Nội dung", "Chi bộ", "x")
    );
    // A form that fits is laid out exactly as it is, empty cells included, with no problem.
    let bytes = xlsx_with(&[(2, 1, "a"), (4, 3, "b")]);
    let (d, _) = read("bieu.xlsx", bytes, &DocLimits::default());
    let t = &d.tables[0];
    assert_eq!((t.rows.len(), t.width()), (3, 3));
    assert_eq!((t.text(0, 0), t.text(2, 2), t.text(1, 1)), ("a", "b", ""));
    assert!(d.problems.is_empty(), "{:?}", d.problems);
}

#[test]
fn xlsx_cell_budget_cuts_the_sheet() {
    let many: Vec<(u32, u16, String)> = (0..300).map(|i| (i, 0, format!("{i}"))).collect();
    let refs: Vec<(u32, u16, &str)> = many.iter().map(|(r, c, s)| (*r, *c, s.as_str())).collect();
    let limits = DocLimits {
        max_cells: 100,
        ..DocLimits::default()
    };
    let (d, _) = read("bieu.xlsx", xlsx_with(&refs), &limits);
    assert_eq!(cells(&d), 100);
    assert!(
        has(&d, "có hơn 100 ô có dữ liệu, quá giới hạn đọc"),
        "{:?}",
        d.problems
    );
}

#[test]
fn xlsx_declaring_billions_of_shared_strings_is_refused() {
    let mut z = zip::ZipArchive::new(Cursor::new(xlsx_with(&[(0, 0, "a")]))).unwrap();
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    let count = regex::Regex::new(r#"uniqueCount="\d+""#).unwrap();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut v).unwrap();
        if f.name().unwrap() == "xl/sharedStrings.xml" {
            let s = String::from_utf8(v).unwrap();
            let s = count
                .replace(&s, r#"uniqueCount="1000000000000""#)
                .into_owned();
            v = s.into_bytes();
        }
        entries.push((f.name().unwrap().to_string(), v));
    }
    let refs: Vec<(&str, &[u8])> = entries
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_slice()))
        .collect();
    let (d, took) = read("bieu.xlsx", zip_of(&refs), &DocLimits::default());
    assert!(took < Duration::from_secs(2), "{took:?}");
    assert!(
        has(&d, "khai báo 1000000000000 chuỗi chữ dùng chung"),
        "{:?}",
        d.problems
    );
    assert_eq!(cells(&d), 0);
}

fn ods_with(rows_xml: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet><table:table table:name="Biểu 2">{rows_xml}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    zip_of(&[
        ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
        ("content.xml", content.as_bytes()),
        (
            "META-INF/manifest.xml",
            br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>"#,
        ),
    ])
}

#[test]
fn ods_repeats_beyond_the_limit_are_refused_before_calamine_expands_them() {
    // One value cell repeated across every column, that row repeated down every row: calamine
    // would lay out 100 million cells (3 GB) before noticing.
    let bomb = ods_with(
        r#"<table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row>"#,
    );
    assert!(bomb.len() < 2_000);
    let (d, took) = read("bieu.ods", bomb, &DocLimits::default());
    assert!(took < Duration::from_secs(2), "{took:?}");
    assert!(
        has(
            &d,
            "trang tính \"Biểu 2\" khai báo 1048576 dòng × 16384 cột, quá giới hạn đọc"
        ),
        "{:?}",
        d.problems
    );
    assert_eq!(cells(&d), 0);
    // Trailing empty repeats (what LibreOffice writes) are no size at all.
    let normal = ods_with(
        r#"<table:table-row><table:table-cell office:value-type="string"><text:p>Đơn vị</text:p></table:table-cell><table:table-cell table:number-columns-repeated="1020"/></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#,
    );
    let (d, _) = read("bieu.ods", normal, &DocLimits::default());
    assert!(d.problems.is_empty(), "{:?}", d.problems);
    assert_eq!(d.tables[0].text(0, 0), "Đơn vị");
}

/// The .xls fixture with one BIFF record changed in place: `typ`'s first occurrence gets
/// `patch` written at `offset` bytes into its data.
fn xls_patched(typ: u16, len: u16, offset: usize, patch: &[u8]) -> Vec<u8> {
    let mut b = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/docs/xls/bieu-1-4-loc-thanh.xls"),
    )
    .unwrap();
    let mut head = typ.to_le_bytes().to_vec();
    head.extend(len.to_le_bytes());
    let at = b
        .windows(4)
        .position(|w| w == head.as_slice())
        .expect("record in the fixture");
    b[at + 4 + offset..at + 4 + offset + patch.len()].copy_from_slice(patch);
    b
}

#[test]
fn xls_declared_dimensions_and_far_cells_are_refused() {
    let (d, _) = read(
        "bieu.xls",
        xls_patched(0x0200, 14, 4, &0xFFFF_FFF0u32.to_le_bytes()),
        &DocLimits::default(),
    );
    assert!(has(&d, "dòng ×"), "{:?}", d.problems);
    assert!(
        has(&d, "quá giới hạn đọc; không đọc bảng tính này"),
        "{:?}",
        d.problems
    );
    // An RK number cell moved to row 65535, column 255 stretches the sheet to 16 million cells.
    let (d, took) = read(
        "bieu.xls",
        xls_patched(0x027E, 10, 0, &[0xFF, 0xFF, 0xFF, 0x00]),
        &DocLimits::default(),
    );
    assert!(took < Duration::from_secs(2), "{took:?}");
    assert!(has(&d, "quá giới hạn đọc"), "{:?}", d.problems);
    assert_eq!(cells(&d), 0);
    // The untouched fixture still reads.
    let (d, _) = read(
        "bieu.xls",
        xls_patched(0x0200, 14, 0, &[]),
        &DocLimits::default(),
    );
    assert!(cells(&d) > 20, "{:?}", d.problems);
}

/// A one-page PDF whose content stream is `content` compressed with Flate.
fn pdf_with_flate(content: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(content).unwrap();
    let z = enc.finish().unwrap();
    let mut pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n\
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >> endobj\n"
        .to_vec();
    pdf.extend(
        format!(
            "4 0 obj << /Length {} /Filter /FlateDecode >>\nstream\n",
            z.len()
        )
        .as_bytes(),
    );
    pdf.extend(&z);
    pdf.extend(b"\nendstream\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
    pdf
}

#[test]
fn pdf_flate_bomb_is_refused_before_poppler_runs() {
    let limits = DocLimits {
        max_pdf_inflated: 1 << 20,
        ..DocLimits::default()
    };
    let bomb = pdf_with_flate(&vec![b' '; 8 << 20]);
    assert!(bomb.len() < 100 << 10, "{}", bomb.len());
    let (d, took) = read("bc.pdf", bomb, &limits);
    assert!(took < Duration::from_secs(2), "{took:?}");
    assert!(
        has(&d, "tệp PDF có dữ liệu nén giải ra hơn 1 MB"),
        "{:?}",
        d.problems
    );
    assert_eq!(d.source, super::TextSource::None);
    assert_eq!(
        super::pdf::inflated_size(&pdf_with_flate(b"BT ET"), 1 << 20),
        Ok(5)
    );
    // The quick bound lets a small PDF through without inflating, and sends a stream that
    // could pass the budget to the real count: the bomb above, under a budget its compressed
    // size times 1032 passes, is still caught.
    assert_eq!(
        super::pdf::within_inflation_budget(&pdf_with_flate(b"BT ET"), 1 << 20),
        Ok(())
    );
    let bomb = pdf_with_flate(&vec![b' '; 8 << 20]);
    assert!(super::pdf::within_inflation_budget(&bomb, 1 << 20).is_err());
    let small_bomb = pdf_with_flate(&vec![b' '; 2 << 20]);
    assert_eq!(
        super::pdf::within_inflation_budget(&small_bomb, 4 << 20),
        Ok(())
    );
    assert!(super::pdf::within_inflation_budget(&small_bomb, 1 << 20).is_err());
}

#[test]
fn pdf_of_random_bytes_is_refused_without_a_reader() {
    // "%PDF-1.4" and 200 KB of noise with no "obj" in it, as a broken scanner sends.
    let mut junk = b"%PDF-1.4\n".to_vec();
    let mut x: u32 = 0x9E37_79B9;
    while junk.len() < 200 << 10 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        let b = (x >> 24) as u8;
        // No 'o' at all, so no "obj" by chance.
        junk.push(if b == b'o' { b'x' } else { b });
    }
    let (d, _) = read("scan.pdf", junk, &DocLimits::default());
    assert!(has(&d, "tệp PDF bị hỏng"), "{:?}", d.problems);
    // Refused before lopdf: no technical detail of its own follows the sentence.
    assert!(!has(&d, "chi tiết kỹ thuật"), "{:?}", d.problems);
    assert_eq!(d.source, super::TextSource::None);
    // A real PDF with objects still goes to lopdf.
    let (d, _) = read("bc.pdf", pdf_with_flate(b"BT ET"), &DocLimits::default());
    assert!(!has(&d, "tệp PDF bị hỏng"), "{:?}", d.problems);
}

#[test]
fn docx_tables_of_wide_spans_are_bounded() {
    let row = "<w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"64\"/></w:tcPr><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc></w:tr>";
    let doc = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Báo cáo</w:t></w:r></w:p><w:tbl>{}</w:tbl></w:body></w:document>"#,
        row.repeat(5000)
    );
    let bytes = zip_of(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", doc.as_bytes()),
    ]);
    let limits = DocLimits {
        max_cells: 6400,
        ..DocLimits::default()
    };
    let (d, _) = read("bc.docx", bytes, &limits);
    assert_eq!(cells(&d), 6400);
    assert!(
        has(&d, "các bảng trong tệp có hơn 6400 ô, quá giới hạn đọc"),
        "{:?}",
        d.problems
    );
}

#[test]
fn office_zip_with_unsafe_member_names_is_flagged() {
    let bytes = xlsx_with(&[(0, 0, "a")]);
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut v).unwrap();
        entries.push((f.name().unwrap().to_string(), v));
    }
    entries.push(("../../evil.xml".into(), b"<x/>".to_vec()));
    let refs: Vec<(&str, &[u8])> = entries
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_slice()))
        .collect();
    let (d, _) = read("bieu.xlsx", zip_of(&refs), &DocLimits::default());
    assert!(
        has(&d, "tên mục không an toàn") && has(&d, "../../evil.xml"),
        "{:?}",
        d.problems
    );
    assert_eq!(d.tables[0].text(0, 0), "a");
}

#[test]
fn fuzz_findings_read_as_damaged_files_not_internal_errors() {
    // Workbooks on which calamine panicked (slices past the end of a truncated .xls, overflow
    // on huge cell references, a short BIFF formula; a directory chain that loops, which
    // made calamine ask for 2 GiB and abort), kept from the fuzz runner.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz/xlsx");
    let mut seen = 0;
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let (d, took) = read(
            &name,
            std::fs::read(e.path()).unwrap(),
            &DocLimits::default(),
        );
        // Generous: with RUST_BACKTRACE set, printing the caught panic's backtrace takes seconds.
        assert!(took < Duration::from_secs(10), "{name}: {took:?}");
        assert!(
            !d.problems.iter().any(|p| p == super::INTERNAL_ERROR_TEXT),
            "{name}: {:?}",
            d.problems
        );
        assert!(
            d.problems
                .iter()
                .any(|p| p.contains("bị hỏng") || p.contains("không mở được")),
            "{name}: {:?}",
            d.problems
        );
        seen += 1;
    }
    assert_eq!(seen, 13);
}
