//! An item a unit sent in a shape the form recogniser does not know: a file named as a form,
//! or a subject that promises one, whose form is not found inside. The item is "cần kiểm tra"
//! (not "chưa nhận") in status, digest and workbook, and the problem names the form and why.

use crate::support::{TestDir, baocao, docx, json, mail, ok};

#[test]
fn a_form_named_but_not_recognised_is_to_check_everywhere() {
    let t = TestDir::new();
    let data = t.join("data");
    let dir = t.join("mail");
    std::fs::create_dir_all(&dir).unwrap();
    let not_a_form = docx(
        "Danh sách đảng viên chi bộ thôn 1 năm 2022: Nguyễn Văn A, Trần Thị B, Lê Văn C. \
         Ghi chú: bảng tự lập của chi bộ, không theo mẫu.",
    );
    let cases = [
        // A file named as Biểu 2.
        ("dangUyLocAn@gmail.com", "Gửi biểu mẫu", "Bieu 2.docx", "t1"),
        // The subject says Biểu 3; the file's name says nothing.
        (
            "dangUyLocBao@gmail.com",
            "Gửi Biểu 3",
            "tai lieu.docx",
            "t2",
        ),
        // The subject promises two forms; the file is neither.
        (
            "dangUyLocBac@gmail.com",
            "Gửi Biểu 2 và Biểu 4",
            "tai lieu.docx",
            "t3",
        ),
    ];
    for (from, subject, file, id) in cases {
        let m = mail(
            from,
            subject,
            "Fri, 27 Jan 2023 09:00:00 +0700",
            "Fri, 27 Jan 2023 09:00:03 +0700",
            file,
            &not_a_form,
            id,
        );
        std::fs::write(dir.join(format!("{id}.eml")), m).unwrap();
    }
    ok(baocao(&data, &["ingest", &dir.display().to_string()]));
    let now = "2023-02-02T08:00:00+07:00";
    let st = json(baocao(&data, &["--now", now, "status", "--json"]));
    let unit = |id: &str| {
        st["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["id"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(unit("loc-an")["to_check"], serde_json::json!(["bieu2"]));
    assert_eq!(unit("loc-bao")["to_check"], serde_json::json!(["bieu3"]));
    assert_eq!(
        unit("loc-bac")["to_check"],
        serde_json::json!(["bieu2", "bieu4"])
    );
    // Not received: still missing, so the unit is not complete.
    assert!(unit("loc-an")["items"]["bieu2"].is_null());
    assert_eq!(unit("loc-an")["status"], "missing");
    let problems = |id: &str| unit(id)["problems"].to_string();
    assert!(
        problems("loc-an").contains(
            "tệp \\\"Bieu 2.docx\\\" được đặt tên là Biểu số 2 nhưng không có bảng Biểu số 2 nào nhận ra được bên trong"
        ),
        "{}",
        problems("loc-an")
    );
    assert!(
        problems("loc-bao").contains("tiêu đề thư nói tệp \\\"tai lieu.docx\\\" là Biểu số 3"),
        "{}",
        problems("loc-bao")
    );
    assert!(
        problems("loc-bac").contains("tiêu đề thư nói có Biểu số 2 nhưng không tìm thấy bảng Biểu số 2 trong tệp đính kèm (\\\"tai lieu.docx\\\")"),
        "{}",
        problems("loc-bac")
    );
    // Units that sent nothing stay "chưa nhận".
    assert_eq!(unit("loc-duc")["to_check"], serde_json::json!([]));

    // A reminder does not tell a unit a form is missing that it sent and staff must check.
    let plan = json(baocao(
        &data,
        &["--now", now, "--json", "remind", "--dry-run"],
    ));
    let missing = |id: &str| -> Vec<String> {
        plan.as_array()
            .or_else(|| plan["units"].as_array())
            .expect("remind plan")
            .iter()
            .find(|p| p["unit_id"] == id)
            .map(|p| {
                p["missing"]
                    .as_array()
                    .expect("missing")
                    .iter()
                    .filter_map(|m| m.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    let an = missing("loc-an");
    assert!(
        !an.is_empty() && !an.contains(&"bieu2".to_string()),
        "{plan}"
    );
    assert!(missing("loc-duc").contains(&"bieu2".to_string()), "{plan}");

    // The status table, the digest and the workbook say it.
    let text = ok(baocao(&data, &["--now", now, "status"]));
    let an_line = text.lines().find(|l| l.contains("Lộc An")).unwrap();
    assert!(an_line.contains("? cần kiểm tra"), "{an_line}");
    let duc_line = text.lines().find(|l| l.contains("Lộc Đức")).unwrap();
    assert!(!duc_line.contains("kiểm tra"), "{duc_line}");
    let digest = json(baocao(
        &data,
        &["--now", now, "--json", "digest", "--dry-run"],
    ));
    let dt = digest["text"].as_str().unwrap();
    let an_row = dt.lines().find(|l| l.contains(" Lộc An ")).unwrap();
    assert_eq!(an_row.matches('?').count(), 1, "{an_row}");
    assert!(dt.contains("? cần kiểm tra."), "{dt}");
    assert!(
        dt.contains(
            "Đảng ủy xã Lộc Bắc: chưa nhận được gì đọc được (Biểu số 2, Biểu số 4 cần kiểm tra"
        ),
        "{dt}"
    );
    let html = digest["html"].as_str().unwrap();
    assert!(
        html.contains(
            "Biểu số 2: cần kiểm tra — tệp gửi đến mang tên biểu này nhưng không nhận ra bảng"
        ),
        "{html}"
    );
    let out = t.join("drafts");
    ok(baocao(
        &data,
        &[
            "--now",
            now,
            "consolidate",
            "--out",
            &out.display().to_string(),
        ],
    ));
    let book = std::fs::read_dir(&out)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .unwrap();
    use calamine::Reader as _;
    let mut wb = calamine::open_workbook_auto(&book).unwrap();
    let first = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&first).unwrap();
    let row_of = |name: &str| {
        range
            .rows()
            .find(|r| r.iter().any(|c| c.to_string().contains(name)))
            .map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>())
            .unwrap()
    };
    let an = row_of("Lộc An");
    assert!(an.iter().any(|c| c == "Cần kiểm tra"), "{an:?}");
    let bac = row_of("Lộc Bắc");
    assert_eq!(
        bac.iter().filter(|c| *c == "Cần kiểm tra").count(),
        2,
        "{bac:?}"
    );
    let duc = row_of("Lộc Đức");
    assert!(!duc.iter().any(|c| c == "Cần kiểm tra"), "{duc:?}");
}
