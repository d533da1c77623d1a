//! The consolidated drafts through the command line: `consolidate --out`, and the daemon's
//! cycle building them once the deadline has passed and again after a late submission.

use crate::support::{TestDir, baocao, json, mail, ok, report_docx, root};

fn demo_data(t: &TestDir) -> std::path::PathBuf {
    let data = t.join("data");
    let mail = root().join("demo/mail");
    ok(baocao(&data, &["ingest", mail.to_str().expect("utf-8")]));
    data
}

fn drafts_in(outbox: &serde_json::Value) -> usize {
    outbox
        .as_array()
        .expect("outbox")
        .iter()
        .filter(|e| e["kind"] == "draft")
        .count()
}

#[test]
fn drafts_are_built_after_the_deadline_and_again_after_a_late_submission() {
    let t = TestDir::new();
    let data = demo_data(&t);
    let once = |now: &str| json(baocao(&data, &["--now", now, "--json", "run", "--once"]));
    // Before the deadline: nothing.
    let r = once("2023-01-30T20:00:00+07:00");
    assert_eq!(r["tick"]["drafts"], serde_json::json!([]), "{r}");
    // The morning after: built once and queued to the staff recipients.
    let r = once("2023-01-31T09:00:00+07:00");
    assert_eq!(r["tick"]["drafts"].as_array().map(Vec::len), Some(1), "{r}");
    assert_eq!(r["tick"]["drafts"][0]["mailed"], true, "{r}");
    let dir = data.join("drafts/809-CV-HU");
    let built: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("built.json")).expect("built.json"))
            .expect("json");
    assert_eq!(built["built_at"], "2023-01-31T09:00:00+07:00");
    for f in ["tong-hop-809-CV-HU.xlsx", "du-thao-bao-cao-809-CV-HU.docx"] {
        assert!(dir.join(f).metadata().expect(f).len() > 0, "{f}");
    }
    // Nothing changed: not built or mailed again.
    let r = once("2023-01-31T10:00:00+07:00");
    assert_eq!(r["tick"]["drafts"], serde_json::json!([]), "{r}");
    let outbox = json(baocao(&data, &["outbox", "--json"]));
    assert_eq!(drafts_in(&outbox), 1);
    // A late report from Lộc Bảo: rebuilt, mailed again, the build time moves.
    let late = mail(
        "dangUyLocBao@gmail.com",
        "Đảng ủy xã Lộc Bảo gửi báo cáo theo Công văn 809-CV/HU (chậm)",
        "Tue, 31 Jan 2023 14:58:00 +0700",
        "Tue, 31 Jan 2023 15:00:00 +0700",
        "BC 132 Loc Bao.docx",
        &report_docx("Lộc Bảo"),
        "late-loc-bao",
    );
    let f = t.join("late.eml");
    std::fs::write(&f, late).expect("write");
    ok(baocao(&data, &["ingest", f.to_str().expect("utf-8")]));
    let r = once("2023-01-31T16:00:00+07:00");
    assert_eq!(r["tick"]["drafts"].as_array().map(Vec::len), Some(1), "{r}");
    let outbox = json(baocao(&data, &["outbox", "--json"]));
    assert_eq!(drafts_in(&outbox), 2);
    let built: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("built.json")).expect("built.json"))
            .expect("json");
    assert_eq!(built["built_at"], "2023-01-31T16:00:00+07:00");
    // The draft mail carries both files.
    let drafts: Vec<&serde_json::Value> = outbox
        .as_array()
        .expect("outbox")
        .iter()
        .filter(|e| e["kind"] == "draft")
        .collect();
    assert_eq!(
        drafts[1]["to"],
        serde_json::json!(["bantochuc.huyenuy@lamdong.gov.vn"])
    );
}

/// (label, phù hợp, chưa phù hợp, không trả lời) for every criterion row, as the register's
/// `forms --json` gives them for one form: each unit's latest form counted once.
fn tallies_from_forms(forms: &serde_json::Value, item: &str) -> Vec<(String, u32, u32, u32)> {
    use std::collections::BTreeMap;
    let mut rows: BTreeMap<(String, String, usize), (u32, u32, u32)> = BTreeMap::new();
    for unit in forms.as_array().expect("units") {
        for f in unit["forms"].as_array().expect("forms") {
            if f["item"] != item {
                continue;
            }
            let mut nth: BTreeMap<(String, String), usize> = BTreeMap::new();
            for r in f["rows"].as_array().expect("rows") {
                let g = r["group"].as_str().unwrap_or("").to_string();
                let l = r["label"].as_str().unwrap_or("").to_string();
                let n = nth.entry((g.clone(), l.clone())).or_insert(0);
                let e = rows.entry((g, l, *n)).or_insert((0, 0, 0));
                *n += 1;
                match r["mark"].as_str() {
                    Some("phu_hop") => e.0 += 1,
                    Some("chua_phu_hop") => e.1 += 1,
                    _ => e.2 += 1,
                }
            }
        }
    }
    let mut v: Vec<(String, u32, u32, u32)> = rows
        .into_iter()
        .map(|((_, l, _), (a, b, c))| (l, a, b, c))
        .collect();
    v.sort();
    v
}

/// The same, read back from a sheet of the workbook (rows whose count cells are numbers).
fn tallies_from_sheet(path: &std::path::Path, sheet: &str) -> Vec<(String, u32, u32, u32)> {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let mut wb: Xlsx<_> = open_workbook(path).expect("open workbook");
    let range = wb.worksheet_range(sheet).expect("sheet");
    let num = |d: Option<&Data>| match d {
        Some(Data::Float(f)) => Some(*f as u32),
        Some(Data::Int(i)) => Some(*i as u32),
        _ => None,
    };
    let mut v = Vec::new();
    for row in range.rows() {
        let label = match row.get(1) {
            Some(Data::String(s)) => s.clone(),
            _ => continue,
        };
        if label.contains("Tổng") {
            continue;
        }
        if let (Some(a), Some(b), Some(c)) = (num(row.get(2)), num(row.get(3)), num(row.get(4))) {
            v.push((label, a, b, c));
        }
    }
    v.sort();
    v
}

#[test]
fn the_workbook_tallies_agree_with_the_register_and_the_draft_names_every_unit_that_wrote() {
    let t = TestDir::new();
    let data = demo_data(&t);
    let now = "2023-02-02T08:00:00+07:00";
    let out = t.join("out");
    let r = json(baocao(
        &data,
        &[
            "--now",
            now,
            "--json",
            "consolidate",
            "--out",
            out.to_str().expect("utf-8"),
        ],
    ));
    let xlsx = out.join("tong-hop-809-CV-HU.xlsx");
    assert_eq!(r["xlsx"], xlsx.display().to_string());
    let forms = json(baocao(&data, &["--now", now, "forms", "--json"]));
    for (item, sheet) in [
        ("bieu2", "Biểu 2"),
        ("bieu3", "Biểu 3"),
        ("bieu4", "Biểu 4"),
    ] {
        let expected = tallies_from_forms(&forms, item);
        assert!(!expected.is_empty(), "{item}");
        assert_eq!(tallies_from_sheet(&xlsx, sheet), expected, "{sheet}");
    }
    // The draft: every unit whose report was read is named, with the opening figures.
    let docx = std::fs::read(out.join("du-thao-bao-cao-809-CV-HU.docx")).expect("docx");
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut z.by_name("word/document.xml").expect("part"), &mut xml)
        .expect("read");
    let text = regex::Regex::new("<[^>]+>")
        .expect("re")
        .replace_all(&xml, "");
    let status = json(baocao(&data, &["--now", now, "status", "--json"]));
    let units = status["units"].as_array().expect("units");
    let reported = units
        .iter()
        .filter(|u| !u["items"]["report"].is_null())
        .count();
    assert!(
        text.contains(&format!("{reported}/{}", units.len())),
        "no {reported}/{} in the draft",
        units.len()
    );
    for u in units.iter().filter(|u| !u["items"]["report"].is_null()) {
        let name = u["name"].as_str().expect("name");
        assert!(text.contains(name), "{name} missing from the draft");
    }
    for title in ["TÌNH HÌNH, KẾT QUẢ THỰC HIỆN", "ĐỀ XUẤT, KIẾN NGHỊ"] {
        assert!(text.contains(title), "{title}");
    }
}

#[test]
fn a_report_without_the_outline_is_included_whole_a_scan_is_pointed_to_and_no_report_is_listed() {
    let t = TestDir::new();
    let data = demo_data(&t);
    // Lộc Bảo's report has none of the outline's headings: it cannot be cut into sections.
    let whole = "Đảng ủy xã Lộc Bảo báo cáo việc thực hiện Quy định 132-QĐ/TW: đã quán triệt đến 100% chi bộ, tổ chức kiểm điểm đúng thời gian, không có trường hợp khiếu nại về kết quả xếp loại. Việc đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên hằng năm được thực hiện nghiêm túc, đúng quy trình, bảo đảm dân chủ, công khai.";
    let bao = mail(
        "dangUyLocBao@gmail.com",
        "Đảng ủy xã Lộc Bảo gửi báo cáo theo Công văn 809-CV/HU",
        "Fri, 27 Jan 2023 09:00:00 +0700",
        "Fri, 27 Jan 2023 09:00:03 +0700",
        "BC 132 Loc Bao.docx",
        &crate::support::docx(whole),
        "whole-loc-bao",
    );
    // Lộc Lâm sent a scan of its signed report.
    let scan =
        std::fs::read(root().join("tests/fixtures/docs/pdf/scan-bc-loc-an.pdf")).expect("fixture");
    let lam = mail(
        "dangUyLocLam@gmail.com",
        "Đảng ủy xã Lộc Lâm gửi báo cáo 809-CV/HU",
        "Fri, 27 Jan 2023 10:00:00 +0700",
        "Fri, 27 Jan 2023 10:00:03 +0700",
        "BC 132 Loc Lam.pdf",
        &scan,
        "scan-loc-lam",
    );
    for (name, raw) in [("bao.eml", bao), ("lam.eml", lam)] {
        let f = t.join(name);
        std::fs::write(&f, raw).expect("write");
        ok(baocao(&data, &["ingest", f.to_str().expect("utf-8")]));
    }
    let now = "2023-02-02T08:00:00+07:00";
    let out = t.join("out");
    ok(baocao(
        &data,
        &[
            "--now",
            now,
            "consolidate",
            "--out",
            out.to_str().expect("utf-8"),
        ],
    ));
    let docx = std::fs::read(out.join("du-thao-bao-cao-809-CV-HU.docx")).expect("docx");
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut z.by_name("word/document.xml").expect("part"), &mut xml)
        .expect("read");
    // Paragraph by paragraph, tags dropped.
    let tag = regex::Regex::new("<[^>]+>").expect("re");
    let paras: Vec<String> = xml
        .split("</w:p>")
        .map(|p| {
            tag.replace_all(p, "")
                .replace("&apos;", "'")
                .replace("&#39;", "'")
                .replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
        })
        .filter(|p| !p.trim().is_empty())
        .collect();
    let find = |needle: &str| paras.iter().position(|p| p.contains(needle));
    // The whole text, once, after the unit's name.
    let at = find("đã quán triệt đến 100% chi bộ").expect("whole report quoted");
    assert!(
        paras[..=at]
            .iter()
            .rev()
            .take(3)
            .any(|p| p.contains("Đảng ủy xã Lộc Bảo")),
        "{:?}",
        &paras[at.saturating_sub(3)..=at]
    );
    // The scan: named with the pointer to the attachment, and its OCR text not quoted.
    let scan_at = paras
        .iter()
        .position(|p| p.contains("Đảng ủy xã Lộc Lâm") && p.contains("xem bản scan đính kèm"))
        .unwrap_or_else(|| panic!("no scan line: {paras:#?}"));
    assert!(scan_at > 0);
    // A unit that sent nothing is listed as missing.
    let status = json(baocao(&data, &["--now", now, "status", "--json"]));
    let missing: Vec<&str> = status["units"]
        .as_array()
        .expect("units")
        .iter()
        .filter(|u| u["status"] == "missing")
        .map(|u| u["name"].as_str().expect("name"))
        .collect();
    assert!(!missing.is_empty());
    for name in missing {
        assert!(find(name).is_some(), "{name} not listed");
    }
}
