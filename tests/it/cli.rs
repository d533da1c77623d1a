//! The command line: config errors, units import, assign and mark.

use crate::support::{TestDir, baocao, baocao_raw, json, mail, ok, report_docx, root};

#[test]
fn bad_config_exits_2_naming_file_and_line() {
    let t = TestDir::new();
    let cfg = t.join("config");
    std::fs::create_dir_all(cfg.join("campaigns")).unwrap();
    std::fs::write(
        cfg.join("baocao.toml"),
        "timezone = \"Asia/Ho_Chi_Minh\"\n\n[office]\nadresses = []\n",
    )
    .unwrap();
    let out = baocao_raw(&[
        "--config",
        &cfg.join("baocao.toml").display().to_string(),
        "status",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("baocao.toml dòng 4"), "{err}");
    assert!(err.contains("adresses"), "{err}");
    // A campaign file with a bad deadline.
    std::fs::write(cfg.join("baocao.toml"), "timezone = \"Asia/Ho_Chi_Minh\"\n").unwrap();
    let camp = std::fs::read_to_string(root().join("config/campaigns/809-CV-HU.toml"))
        .unwrap()
        .replace("deadline = 2023-01-30", "deadline = \"30/01/2023\"");
    std::fs::write(cfg.join("campaigns/x.toml"), camp).unwrap();
    let out = baocao_raw(&[
        "--config",
        &cfg.join("baocao.toml").display().to_string(),
        "status",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("x.toml dòng"), "{err}");
    // A missing config file.
    let out = baocao_raw(&["--config", "/nonexistent/baocao.toml", "status"]);
    assert_eq!(out.status.code(), Some(2));
    // A bad --now.
    let out = baocao_raw(&["--now", "hôm qua", "status"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn units_import_assign_and_mark() {
    let t = TestDir::new();
    let data = t.join("data");
    let csv = t.join("units.csv");
    std::fs::write(
        &csv,
        "\u{feff}id,name,short_name,emails,kind\nloc-an,Đảng ủy xã Lộc An,Lộc An,a@x.vn,dang_bo_co_so\nloc-bao,Đảng ủy xã Lộc Bảo,Lộc Bảo,b@x.vn;b2@x.vn,dang_bo_co_so\n",
    )
    .unwrap();
    let v = json(baocao(
        &data,
        &["--json", "units", "import", &csv.display().to_string()],
    ));
    assert_eq!(v["imported"], 2);
    // A bad CSV: exit 2 with the line.
    std::fs::write(
        t.join("bad.csv"),
        "id,name,short_name,emails,kind\nx y,Tên,,a@x.vn,k\n",
    )
    .unwrap();
    let out = baocao(
        &data,
        &["units", "import", &t.join("bad.csv").display().to_string()],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.csv dòng 2"));

    // A mail from an unknown address that names no unit.
    let dir = t.join("mail");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("m.eml"),
        mail(
            "someone@yahoo.com",
            "Gửi báo cáo 809-CV/HU",
            "Fri, 27 Jan 2023 09:00:00 +0700",
            "Fri, 27 Jan 2023 09:00:03 +0700",
            "bao cao.docx",
            &report_docx(""),
            "anon-1",
        ),
    )
    .unwrap();
    ok(baocao(&data, &["ingest", &dir.display().to_string()]));
    let now = "2023-02-02T08:00:00+07:00";
    let st = json(baocao(&data, &["--now", now, "status", "--json"]));
    assert_eq!(st["units"].as_array().unwrap().len(), 2);
    assert_eq!(st["unidentified"][0]["message_id"], "anon-1@mail.gmail.com");
    assert_eq!(st["units"][1]["status"], "missing");
    // Unknown unit → exit 2.
    let out = baocao(&data, &["assign", "anon-1@mail.gmail.com", "loc-xyz"]);
    assert_eq!(out.status.code(), Some(2));
    ok(baocao(
        &data,
        &["assign", "<anon-1@mail.gmail.com>", "loc-bao"],
    ));
    let st = json(baocao(&data, &["--now", now, "status", "--json"]));
    assert!(st["unidentified"].as_array().unwrap().is_empty());
    let bao = &st["units"][1];
    assert_eq!(
        bao["items"]["report"]["received_at"],
        "2023-01-27T09:00:03+07:00"
    );
    assert_eq!(bao["status"], "partial");
    let msgs = json(baocao(&data, &["messages", "--json"]));
    assert_eq!(msgs[0]["identified_by"], "staff");
    // Paper hand-ins.
    for item in ["bieu1", "bieu2", "bieu3"] {
        ok(baocao(
            &data,
            &[
                "--now",
                "2023-01-29T10:00:00+07:00",
                "mark",
                "loc-bao",
                item,
            ],
        ));
    }
    ok(baocao(
        &data,
        &[
            "mark",
            "loc-bao",
            "bieu4",
            "--at",
            "2023-01-31T10:00:00+07:00",
            "--note",
            "nộp tại văn phòng",
        ],
    ));
    let st = json(baocao(&data, &["--now", now, "status", "--json"]));
    let bao = &st["units"][1];
    assert_eq!(bao["status"], "complete_late");
    assert_eq!(bao["items"]["bieu1"]["source"], "paper");
    assert_eq!(bao["items"]["bieu4"]["late"], true);
    // Before the last paper hand-in, the unit still misses bieu4.
    let st = json(baocao(
        &data,
        &["--now", "2023-01-30T12:00:00+07:00", "status", "--json"],
    ));
    assert_eq!(st["units"][1]["missing"], serde_json::json!(["bieu4"]));
    // Unknown item → exit 2.
    let out = baocao(&data, &["mark", "loc-bao", "bieu9"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn check_config_reports_the_document_tools() {
    let t = TestDir::new();
    let v = json(baocao(&t.join("data"), &["--json", "check-config"]));
    assert_eq!(v["campaigns"], serde_json::json!(["809-CV-HU"]));
    assert_eq!(v["units"], 40);
    // scripts/test.sh installs poppler, tesseract with Vietnamese and LibreOffice.
    assert_eq!(v["pdf_text"], true);
    assert_eq!(v["ocr"], true);
    assert_eq!(v["libreoffice"], true);
    // The same report in words: Vietnamese by default, English on request, from the catalogue.
    let vi = ok(baocao(&t.join("data"), &["check-config"]));
    assert!(vi.contains("Đọc chữ trong PDF (pdftotext): có"), "{vi}");
    assert!(
        vi.contains("Công văn 809-CV/HU (809-CV-HU): hạn 30/01/2023 23:59"),
        "{vi}"
    );
    assert!(
        vi.contains("Hộp thư (IMAP): chưa cấu hình [mailbox]"),
        "{vi}"
    );
    let en = ok(baocao(&t.join("data"), &["--lang", "en", "check-config"]));
    assert!(en.contains("Text in PDF files (pdftotext): yes"), "{en}");
    assert!(en.contains("Units in the list: 40"), "{en}");
    assert!(!en.contains("Đơn vị trong danh sách"), "{en}");
}

#[test]
fn edges_are_firm_not_mail_a_missing_path_an_absent_register_and_a_closed_pipe() {
    use crate::support::{TestDir, baocao, mail, report_docx};
    let t = TestDir::new();
    let data = t.join("data");
    // A read-only command on a register that does not exist: refused, nothing created.
    let out = baocao(&data, &["status"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("chưa có dữ liệu") && err.contains("--init"),
        "{err}"
    );
    assert!(!data.exists());
    // What is not mail, named on the command line, is refused by name (exit 1); a missing path
    // too; the real mail beside them is still stored.
    let junk = t.join("random.bin");
    std::fs::write(&junk, [0u8, 159, 146, 150, 1, 2, 3]).expect("write");
    let png = t.join("scan.png");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").expect("write");
    let docx = t.join("Bao cao.docx");
    std::fs::write(&docx, report_docx("x")).expect("write");
    let good = t.join("good.eml");
    std::fs::write(
        &good,
        mail(
            "dangUyLocAn@gmail.com",
            "Báo cáo 809-CV/HU",
            "Fri, 27 Jan 2023 09:00:00 +0700",
            "Fri, 27 Jan 2023 09:00:03 +0700",
            "BC.docx",
            &report_docx("x"),
            "edge-good",
        ),
    )
    .expect("write");
    let missing = t.join("khong-co.eml");
    let args: Vec<String> = [&junk, &png, &docx, &good, &missing]
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let mut a = vec!["ingest"];
    a.extend(args.iter().map(String::as_str));
    let out = baocao(&data, &a);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    for p in [&junk, &png, &docx] {
        assert!(
            err.contains(&format!("{}: không phải thư điện tử", p.display())),
            "{err}"
        );
    }
    assert!(err.contains("không có tệp hay thư mục này"), "{err}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("lưu mới 1"), "{stdout}");
    // Only junk, or nothing at all: exit 1.
    let out = baocao(&data, &["ingest", &junk.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    // A reader that stops reading ends every listing quietly.
    for args in [
        vec!["digest", "--dry-run"],
        vec!["remind", "--dry-run"],
        vec!["status"],
    ] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_baocao"))
            .arg("--config")
            .arg(crate::support::shipped_config())
            .arg("--data")
            .arg(&data)
            .args(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("wait");
        assert!(
            out.status.success(),
            "{args:?}: {:?} {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn figures_reads_a_units_report_and_shows_the_rule_breach() {
    let t = TestDir::new();
    let data = t.join("data");
    let csv = t.join("units.csv");
    std::fs::write(
        &csv,
        "id,name,short_name,emails,kind\nloc-an,Đảng ủy xã Lộc An,Lộc An,a@x.vn,dang_bo_co_so\n",
    )
    .unwrap();
    ok(baocao(
        &data,
        &["units", "import", &csv.display().to_string()],
    ));
    let dir = t.join("mail");
    std::fs::create_dir_all(&dir).unwrap();
    let text = "Năm 2021: 30/32 đảng viên được đánh giá, xếp loại, trong đó: hoàn thành xuất sắc \
                nhiệm vụ 8 đồng chí, hoàn thành tốt nhiệm vụ 20 đồng chí, hoàn thành nhiệm vụ 2 \
                đồng chí.";
    std::fs::write(
        dir.join("m.eml"),
        mail(
            "a@x.vn",
            "Báo cáo 809-CV/HU",
            "Fri, 27 Jan 2023 09:00:00 +0700",
            "Fri, 27 Jan 2023 09:00:03 +0700",
            "bao cao.docx",
            &report_docx(text),
            "fig-1",
        ),
    )
    .unwrap();
    ok(baocao(&data, &["ingest", &dir.display().to_string()]));
    let now = "2023-02-02T08:00:00+07:00";
    let v = json(baocao(
        &data,
        &["--now", now, "figures", "--unit", "loc-an", "--json"],
    ));
    let u = &v["units"][0];
    assert_eq!(u["unit_id"], "loc-an");
    let values = u["values"].as_array().unwrap();
    let get = |m: serde_json::Value| {
        values
            .iter()
            .find(|x| x["figure"] == "dang-vien" && x["year"] == 2021 && x["measure"] == m)
            .map(|x| x["value"].clone())
    };
    assert_eq!(get(serde_json::json!("rated")), Some(serde_json::json!(30)));
    assert_eq!(
        get(serde_json::json!({"level": "htxs"})),
        Some(serde_json::json!(8))
    );
    assert!(
        values
            .iter()
            .all(|x| x["source"].as_str().unwrap().starts_with("Năm 2021: 30/32"))
    );
    // 8 HTXSNV against 20 HTTNV breaks the 20% rule (at most 4).
    assert_eq!(u["breaches"][0]["allowed"], 4);
    let table = ok(baocao(&data, &["--now", now, "figures"]));
    assert!(table.contains("Đảng ủy xã Lộc An"), "{table}");
    assert!(table.contains("vượt quy định"), "{table}");
    // An unknown unit is a usage error.
    let out = baocao(&data, &["figures", "--unit", "loc-xyz"]);
    assert_eq!(out.status.code(), Some(2));
}
