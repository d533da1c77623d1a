//! No file can stop the mailbox: hostile attachments cost their own message only, readers run
//! in workers with budgets, concurrent writers both succeed, and a kill at any moment loses
//! nothing and leaves no process or temporary file behind.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use crate::support::{TestDir, json, mail, ok, report_docx, root};

/// A copy of the shipped config with `[limits]` lines replaced.
fn config_with_limits(dir: &Path, limits: &[(&str, &str)]) -> PathBuf {
    let cfg = dir.join("config");
    std::fs::create_dir_all(cfg.join("campaigns")).expect("mkdir");
    let mut main = std::fs::read_to_string(root().join("config/baocao.toml")).expect("read");
    for (k, v) in limits {
        let line = main
            .lines()
            .find(|l| l.starts_with(&format!("{k} =")))
            .unwrap_or_else(|| panic!("{k} not in the shipped config"))
            .to_string();
        main = main.replace(&line, &format!("{k} = {v}"));
    }
    std::fs::write(cfg.join("baocao.toml"), main).expect("write");
    for f in ["campaigns/809-CV-HU.toml", "units.csv"] {
        std::fs::copy(root().join("config").join(f), cfg.join(f)).expect("copy");
    }
    cfg.join("baocao.toml")
}

fn run(config: &Path, data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_baocao"))
        .arg("--config")
        .arg(config)
        .arg("--data")
        .arg(data)
        .args(args)
        .output()
        .expect("run baocao")
}

/// An .xlsx whose only cells are A1 and XFD1048576: a dense reading asks for 512 GB.
fn sparse_corner_xlsx() -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let o = zip::write::SimpleFileOptions::default();
        let files: [(&str, &str); 5] = [
            (
                "[Content_Types].xml",
                r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
            ),
            (
                "_rels/.rels",
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
            ),
            (
                "xl/workbook.xml",
                r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Bieu1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
            ),
            (
                "xl/_rels/workbook.xml.rels",
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
            ),
            (
                "xl/worksheets/sheet1.xml",
                r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Biểu số 1</t></is></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>"#,
            ),
        ];
        for (name, text) in files {
            z.start_file(name, o).expect("zip");
            z.write_all(text.as_bytes()).expect("zip");
        }
        z.finish().expect("zip");
    }
    buf.into_inner()
}

/// A .docx whose document.xml unpacks to `mb` MiB of paragraphs (a few hundred KB packed).
fn bloated_docx(mb: usize) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let o = zip::write::SimpleFileOptions::default();
        z.start_file("[Content_Types].xml", o).expect("zip");
        z.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).expect("zip");
        z.start_file("word/document.xml", o).expect("zip");
        z.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#).expect("zip");
        let para = "<w:p><w:r><w:t>Đảng ủy đã lãnh đạo các chi bộ tổ chức kiểm điểm đánh giá xếp loại.</w:t></w:r></w:p>".repeat(64);
        let mut written = 0;
        while written < mb << 20 {
            z.write_all(para.as_bytes()).expect("zip");
            written += para.len();
        }
        z.write_all(b"</w:body></w:document>").expect("zip");
        z.finish().expect("zip");
    }
    buf.into_inner()
}

fn good_mails(dir: &Path, n: usize) {
    for i in 0..n {
        let raw = mail(
            &format!("donvi{i}@example.vn"),
            &format!("Báo cáo 132 theo Công văn 809-CV/HU - đơn vị {i}"),
            "Fri, 27 Jan 2023 09:00:00 +0700",
            "Fri, 27 Jan 2023 09:00:05 +0700",
            "Bao cao 132.docx",
            &report_docx(&format!("Đơn vị thứ {i} báo cáo.")),
            &format!("good-{i}"),
        );
        std::fs::write(dir.join(format!("good-{i:03}.eml")), raw).expect("write");
    }
}

fn by_id<'a>(msgs: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    msgs.as_array()
        .expect("array")
        .iter()
        .find(|m| m["message_id"].as_str().is_some_and(|m| m.starts_with(id)))
        .unwrap_or_else(|| panic!("{id} not stored"))
}

#[test]
fn a_file_that_exhausts_its_reader_costs_only_its_own_message() {
    let t = TestDir::new();
    let mails = t.join("mails");
    std::fs::create_dir_all(&mails).expect("mkdir");
    good_mails(&mails, 20);
    let scan =
        std::fs::read(root().join("tests/fixtures/docs/pdf/scan-bc-loc-an.pdf")).expect("fixture");
    let poison = [
        ("poison-xlsx", "Bieu 1.xlsx", sparse_corner_xlsx()),
        ("poison-docx", "Bao cao.docx", bloated_docx(180)),
        ("slow-scan", "Scan_0128.pdf", scan),
    ];
    for (id, name, bytes) in &poison {
        let raw = mail(
            "donvi-x@example.vn",
            "Báo cáo 132 theo Công văn 809-CV/HU",
            "Fri, 27 Jan 2023 10:00:00 +0700",
            "Fri, 27 Jan 2023 10:00:05 +0700",
            name,
            bytes,
            id,
        );
        std::fs::write(mails.join(format!("{id}.eml")), raw).expect("write");
    }
    // OCR of one page takes several seconds: longer than this message may take.
    let config = config_with_limits(
        t.path(),
        &[("reader-memory-mb", "160"), ("reader-message-seconds", "2")],
    );
    let data = t.join("data");
    // The whole ingest gets 3 GB of address space: a dense 512 GB range, or a 180 MB document
    // read by the ingest itself, would end it.
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v 3000000; exec {} --config {} --data {} --json ingest {}",
            env!("CARGO_BIN_EXE_baocao"),
            config.display(),
            data.display(),
            mails.display()
        ))
        .output()
        .expect("run");
    let report = json(out);
    assert_eq!(report["stored"], 23, "{report}");
    let msgs = json(run(&config, &data, &["--json", "messages"]));
    for i in 0..20 {
        let m = by_id(&msgs, &format!("good-{i}@"));
        assert_eq!(m["reading"], "done", "{m}");
        assert_eq!(m["items"], serde_json::json!(["report"]), "{m}");
    }
    // The scan that takes longer than the budget is set aside, with the reason.
    let slow = by_id(&msgs, "slow-scan@");
    assert_eq!(slow["reading"], "quarantined", "{slow}");
    let err = slow["attachments"][0]["parse_result"].to_string();
    assert!(err.contains("đọc quá lâu"), "{slow}");
    assert_eq!(slow["items"], serde_json::json!([]), "{slow}");
    // A document too big to read is refused or set aside, never counted.
    let bloated = by_id(&msgs, "poison-docx@");
    assert_eq!(bloated["items"], serde_json::json!([]), "{bloated}");
    // The sparse sheet is either read sparsely or set aside; it never ends the ingest.
    let sparse = by_id(&msgs, "poison-xlsx@");
    assert!(
        sparse["reading"] == "quarantined" || sparse["reading"] == "done",
        "{sparse}"
    );
    assert!(report["quarantined"].as_u64().unwrap_or(0) >= 1, "{report}");
    let attention = json(run(&config, &data, &["--json", "messages", "--attention"]));
    assert!(
        attention
            .as_array()
            .expect("array")
            .iter()
            .any(|m| m["message_id"]
                .as_str()
                .unwrap_or("")
                .starts_with("slow-scan@")),
        "{attention}"
    );
    // Nothing left behind: no reader folder, no reader process.
    let left: Vec<_> = std::fs::read_dir(data.join("tmp"))
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_known_folder_read_again_costs_only_hashing() {
    let t = TestDir::new();
    let mails = t.join("mails");
    std::fs::create_dir_all(&mails).expect("mkdir");
    good_mails(&mails, 30);
    let data = t.join("data");
    let config = crate::support::shipped_config();
    let first = json(run(
        &config,
        &data,
        &["--json", "ingest", &mails.display().to_string()],
    ));
    assert_eq!(first["stored"], 30);
    assert_eq!(first["read"], 30, "{first}");
    let again = json(run(
        &config,
        &data,
        &["--json", "ingest", &mails.display().to_string()],
    ));
    assert_eq!(again["stored"], 0);
    assert_eq!(again["duplicates"], 30);
    // Nothing was parsed or read again.
    assert_eq!(again["read"], 0, "{again}");
}

#[test]
fn two_ingests_at_once_both_succeed_and_their_counts_add_up() {
    let t = TestDir::new();
    let mails = t.join("mails");
    std::fs::create_dir_all(&mails).expect("mkdir");
    good_mails(&mails, 300);
    let data = t.join("data");
    let config = crate::support::shipped_config();
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_baocao"))
            .arg("--config")
            .arg(&config)
            .arg("--data")
            .arg(&data)
            .args(["--json", "ingest"])
            .arg(&mails)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn")
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (
        json(a.wait_with_output().expect("wait")),
        json(b.wait_with_output().expect("wait")),
    );
    for r in [&a, &b] {
        assert_eq!(r["seen"], 300, "{r}");
        assert_eq!(
            r["stored"].as_u64().unwrap_or(0) + r["duplicates"].as_u64().unwrap_or(0),
            300,
            "{r}"
        );
    }
    assert_eq!(
        a["stored"].as_u64().unwrap_or(0) + b["stored"].as_u64().unwrap_or(0),
        300,
        "{a} {b}"
    );
    let msgs = json(run(&config, &data, &["--json", "messages"]));
    assert_eq!(msgs.as_array().map(Vec::len), Some(300));
    let odd: Vec<&serde_json::Value> = msgs
        .as_array()
        .expect("array")
        .iter()
        .filter(|m| !(m["reading"] == "done" && m["items"] == serde_json::json!(["report"])))
        .collect();
    assert!(
        odd.is_empty(),
        "every message read once; {} are not:\n{odd:#?}",
        odd.len()
    );
}

/// Lộc An's line of `status` on 28/01/2023.
fn loc_an_status(config: &Path, data: &Path) -> serde_json::Value {
    let st = json(run(
        config,
        data,
        &["--json", "--now", "2023-01-28T08:00:00+07:00", "status"],
    ));
    st["units"]
        .as_array()
        .expect("units")
        .iter()
        .find(|u| u["id"] == "loc-an")
        .expect("loc-an")
        .clone()
}

#[test]
fn unreadable_content_is_not_a_delivered_item() {
    let t = TestDir::new();
    let mails = t.join("mails");
    std::fs::create_dir_all(&mails).expect("mkdir");
    // A 67-byte PNG named .docx, and a document without a word of text.
    let png: Vec<u8> = [
        &[0x89u8, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a][..],
        &[0u8; 59][..],
    ]
    .concat();
    let cases = [
        ("png-as-docx", "Bao cao 132.docx", png),
        ("empty-docx", "Bao cao 132.docx", crate::support::docx("")),
    ];
    for (i, (id, name, bytes)) in cases.iter().enumerate() {
        let raw = mail(
            "danguylocan@gmail.com",
            "Đảng ủy xã Lộc An gửi báo cáo 132 theo Công văn 809-CV/HU",
            "Fri, 27 Jan 2023 09:00:00 +0700",
            "Fri, 27 Jan 2023 09:00:05 +0700",
            name,
            bytes,
            id,
        );
        std::fs::write(mails.join(format!("{i}.eml")), raw).expect("write");
    }
    let data = t.join("data");
    let config = crate::support::shipped_config();
    ok(run(
        &config,
        &data,
        &["ingest", &mails.display().to_string()],
    ));
    let msgs = json(run(&config, &data, &["--json", "messages"]));
    for (id, _, _) in &cases {
        let m = by_id(&msgs, &format!("{id}@"));
        assert_eq!(m["items"], serde_json::json!([]), "{m}");
        let err = m["attachments"][0]["parse_result"].to_string();
        assert!(err.contains("không đọc được"), "{m}");
    }
    let unit = loc_an_status(&config, &data);
    assert!(unit["items"]["report"].is_null(), "{unit}");
    assert_eq!(unit["status"], "missing", "{unit}");
    // Staff open the file, see it is the report after all, and accept it.
    let png_msg = by_id(&msgs, "png-as-docx@");
    ok(run(
        &config,
        &data,
        &[
            "assign",
            &png_msg["id"].to_string(),
            "loc-an",
            "--file",
            "Bao cao 132.docx",
            "--item",
            "report",
        ],
    ));
    let unit = loc_an_status(&config, &data);
    assert!(!unit["items"]["report"].is_null(), "{unit}");
}

/// Reader processes (and what they started) still alive for a baocao that had this pid, with
/// their command lines.
fn leftovers(pid: u32) -> Vec<String> {
    baocao::reader::tagged_processes(&format!("{pid}-"))
        .into_iter()
        .map(|p| {
            let cmd = std::fs::read(format!("/proc/{p}/cmdline")).unwrap_or_default();
            format!("{p}: {}", String::from_utf8_lossy(&cmd).replace('\0', " "))
        })
        .collect()
}

#[test]
fn kill_at_any_moment_loses_nothing_stores_nothing_twice_and_leaves_nothing_behind() {
    let t = TestDir::new();
    let mails = t.join("mails");
    std::fs::create_dir_all(&mails).expect("mkdir");
    good_mails(&mails, 60);
    let docs = root().join("tests/fixtures/docs");
    for (i, (f, name)) in [
        ("doc/bc-loc-an.doc", "Bao cao 132.doc"),
        ("pdf/scan-bc-loc-an.pdf", "Scan_0128.pdf"),
    ]
    .iter()
    .enumerate()
    {
        let raw = mail(
            "danguylocan@gmail.com",
            "Báo cáo 132 theo Công văn 809-CV/HU",
            "Fri, 27 Jan 2023 11:00:00 +0700",
            "Fri, 27 Jan 2023 11:00:05 +0700",
            name,
            &std::fs::read(docs.join(f)).expect("fixture"),
            &format!("slow-{i}"),
        );
        std::fs::write(mails.join(format!("slow-{i}.eml")), raw).expect("write");
    }
    let data = t.join("data");
    let config = crate::support::shipped_config();
    let mut killed_pids = Vec::new();
    // Moments spread from the first batch to the slow readers (OCR, LibreOffice).
    let moments = [
        40u64, 90, 150, 220, 300, 380, 460, 550, 650, 760, 880, 1000, 1150, 1300, 1500, 1800, 2200,
        2700, 3300, 4000, 5000, 6500,
    ];
    for ms in moments {
        let mut child = Command::new(env!("CARGO_BIN_EXE_baocao"))
            .arg("--config")
            .arg(&config)
            .arg("--data")
            .arg(&data)
            .arg("ingest")
            .arg(&mails)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_millis(ms));
        let _ = child.kill();
        let _ = child.wait();
        killed_pids.push(child.id());
        // The parent-death signal ends the readers and the tools they started at once;
        // what a tool forked itself (LibreOffice's office process) is ended by the next run's
        // sweep, checked below.
        std::thread::sleep(Duration::from_millis(300));
        let workers: Vec<String> = leftovers(child.id())
            .into_iter()
            .filter(|p| p.contains(baocao::reader::WORKER_COMMAND))
            .collect();
        assert!(workers.is_empty(), "after a kill at {ms} ms: {workers:?}");
    }
    let last = json(run(
        &config,
        &data,
        &["--json", "ingest", &mails.display().to_string()],
    ));
    assert_eq!(last["seen"], 62, "{last}");
    let msgs = json(run(&config, &data, &["--json", "messages"]));
    let list = msgs.as_array().expect("array");
    assert_eq!(list.len(), 62, "every message once");
    let mut ids: Vec<&str> = list
        .iter()
        .map(|m| m["message_id"].as_str().unwrap_or(""))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 62);
    for m in list {
        assert_eq!(m["reading"], "done", "{m}");
        assert!(
            data.join(m["archive_path"].as_str().expect("path"))
                .is_file()
        );
    }
    // The .doc was converted and the scan read by OCR: both count as the report.
    for id in ["slow-0@", "slow-1@"] {
        let m = by_id(&msgs, id);
        assert!(
            m["items"]
                .as_array()
                .is_some_and(|a| a.iter().any(|i| i == "report")),
            "{m}"
        );
    }
    for pid in killed_pids {
        assert!(leftovers(pid).is_empty(), "processes of {pid} left");
    }
    let left: Vec<_> = std::fs::read_dir(data.join("tmp"))
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
    let tmp_archive: Vec<_> = std::fs::read_dir(data.join("archive/tmp"))
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(tmp_archive.is_empty(), "{tmp_archive:?}");
}

/// Polls `f` every 250 ms until it returns Some, for at most `secs`.
fn wait_until<T>(secs: u64, what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let start = std::time::Instant::now();
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(
            start.elapsed() < Duration::from_secs(secs),
            "{what}: not within {secs} s"
        );
        std::thread::sleep(Duration::from_millis(250));
    }
}

#[test]
fn the_daemon_keeps_reading_mail_after_a_poison_file_and_receipts_wait_for_slow_reading() {
    use crate::support::{baocao_mail, config_with_mailbox, mail_server};
    let server = mail_server();
    let user = "unit17@donvi.test";
    server.clear(user);
    let t = TestDir::new();
    let cfg = config_with_mailbox(t.path(), &server, user, "");
    let poison = mail(
        "donvi-x@example.vn",
        "Báo cáo 132 theo Công văn 809-CV/HU",
        "Fri, 27 Jan 2023 10:00:00 +0700",
        "Fri, 27 Jan 2023 10:00:05 +0700",
        "Bieu 1.xlsx",
        &sparse_corner_xlsx(),
        "d-poison",
    );
    server.save(user, "INBOX", &poison);
    let mut child = Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args([
            "--config",
            cfg.to_str().expect("utf-8"),
            "run",
            "--interval",
            "120",
        ])
        .env("BAOCAO_TEST_IMAP_PASSWORD", &server.password)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    // --init: the daemon may not have created the register yet.
    let messages = || {
        json(baocao_mail(
            &cfg,
            &["--init", "--json", "messages"],
            &server,
        ))
    };
    wait_until(
        30,
        "the poison mail stored and its reading finished",
        || {
            let v = messages();
            let m = v.as_array()?.first()?.clone();
            (m["reading"] == "done" || m["reading"] == "quarantined").then_some(())
        },
    );
    // A report, then a scan that needs OCR: mail arriving after the first read gets receipts.
    let docs = root().join("tests/fixtures/docs");
    server.save(
        user,
        "INBOX",
        &mail(
            "dangUyLocAn@gmail.com",
            "Đảng ủy xã Lộc An gửi báo cáo 809-CV/HU",
            "Fri, 27 Jan 2023 09:00:00 +0700",
            "Fri, 27 Jan 2023 09:00:03 +0700",
            "BC 132 Loc An.docx",
            &report_docx("Lộc An"),
            "d-good",
        ),
    );
    server.save(
        user,
        "INBOX",
        &mail(
            "danguylocthanh@gmail.com",
            "Đảng ủy xã Lộc Thành gửi báo cáo 809-CV/HU",
            "Fri, 27 Jan 2023 09:10:00 +0700",
            "Fri, 27 Jan 2023 09:10:03 +0700",
            "Scan_0128.pdf",
            &std::fs::read(docs.join("pdf/scan-bc-loc-an.pdf")).expect("fixture"),
            "d-scan",
        ),
    );
    let receipt_for = |m: &serde_json::Value, outbox: &serde_json::Value| {
        let sha = m["archive_path"]
            .as_str()
            .and_then(|p| p.rsplit('/').next())
            .and_then(|f| f.strip_suffix(".eml"))
            .unwrap_or("?")
            .to_string();
        outbox
            .as_array()
            .is_some_and(|v| v.iter().any(|e| e["key"] == format!("receipt:{sha}")))
    };
    let scan = wait_until(30, "both new mails stored", || {
        let v = messages();
        let list = v.as_array()?;
        (list.len() == 3).then(|| by_id(&v, "d-scan@").clone())
    });
    let outbox = json(baocao_mail(&cfg, &["--init", "--json", "outbox"], &server));
    if scan["reading"] == "slow" {
        assert!(
            !receipt_for(&scan, &outbox),
            "receipt before the scan was read"
        );
    }
    assert!(
        child.try_wait().expect("wait").is_none(),
        "the daemon ended"
    );
    // The report's receipt goes at once; the scan's once OCR has read it.
    wait_until(60, "receipts for both", || {
        let outbox = json(baocao_mail(&cfg, &["--init", "--json", "outbox"], &server));
        let v = messages();
        let good = by_id(&v, "d-good@");
        let scan = by_id(&v, "d-scan@");
        (receipt_for(good, &outbox) && receipt_for(scan, &outbox)).then(|| {
            assert_eq!(scan["reading"], "done", "{scan}");
        })
    });
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let status = child.wait().expect("wait");
    assert!(status.success(), "{status:?}");
}
