//! Ingest: dedupe across runs, crash safety, malformed input, and which time counts.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use baocao::store::Store;

use crate::support::{TestDir, baocao, json, mail, ok, report_docx, root};

fn count_messages(data: &Path) -> usize {
    let v = json(baocao(data, &["messages", "--json"]));
    v.as_array().map(Vec::len).unwrap_or(0)
}

#[test]
fn ingesting_twice_stores_each_message_once() {
    let t = TestDir::new();
    let data = t.join("data");
    let fixtures = root().join("tests/fixtures");
    let paths = [
        fixtures.join("mbox/sample.mbox"),
        fixtures.join("maildir/sample"),
        fixtures.join("eml/malformed"),
    ];
    let args: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let mut a: Vec<&str> = vec!["--json", "ingest"];
    a.extend(args.iter().map(String::as_str));
    let first = json(baocao(&data, &a));
    let stored = first["stored"].as_u64().unwrap();
    // 5 mbox + 4 maildir + every malformed .eml file.
    let malformed = std::fs::read_dir(fixtures.join("eml/malformed"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "eml")
        })
        .count();
    assert_eq!(first["seen"].as_u64().unwrap() as usize, 9 + malformed);
    assert_eq!(stored as usize, 9 + malformed);
    let second = json(baocao(&data, &a));
    assert_eq!(second["stored"], 0);
    assert_eq!(second["duplicates"].as_u64().unwrap(), stored);
    assert_eq!(count_messages(&data), stored as usize);
    let store = Store::open(&data).unwrap();
    assert_eq!(store.verify().unwrap(), Vec::<String>::new());
}

/// Writes `n` distinct report mails into `dir`.
fn write_corpus(dir: &Path, n: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let body = report_docx("Lộc An");
    for i in 0..n {
        let m = mail(
            "dangUyLocAn@gmail.com",
            &format!("Gửi báo cáo 809-CV/HU lần {i}"),
            "Mon, 23 Jan 2023 09:00:00 +0700",
            "Mon, 23 Jan 2023 09:00:05 +0700",
            "BC 132 Loc An.docx",
            &body,
            &format!("crash-{i}"),
        );
        std::fs::write(dir.join(format!("{i:05}.eml")), m).unwrap();
    }
}

#[test]
fn kill_during_ingest_then_rerun_stores_everything_once() {
    let t = TestDir::new();
    let corpus = t.join("corpus");
    let n = 1300;
    write_corpus(&corpus, n);
    let data = t.join("data");
    let archive = data.join("archive");
    // Kill at different points: early, and after some batches were committed.
    let mut counts = Vec::new();
    for wait_for_files in [1usize, 450, 850] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_baocao"))
            .args([
                "--config",
                &root().join("config/baocao.toml").display().to_string(),
            ])
            .args([
                "--data",
                &data.display().to_string(),
                "ingest",
                &corpus.display().to_string(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let start = Instant::now();
        loop {
            let files = walk_count(&archive);
            if files >= wait_for_files || start.elapsed() > Duration::from_secs(60) {
                break;
            }
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        counts.push(count_messages(&data));
    }
    assert!(
        counts.iter().any(|&c| c > 0 && c < n),
        "no kill landed mid-ingest: {counts:?}"
    );
    let out = json(baocao(
        &data,
        &["--json", "ingest", &corpus.display().to_string()],
    ));
    assert_eq!(out["seen"].as_u64().unwrap() as usize, n);
    assert_eq!(
        count_messages(&data),
        n,
        "every message stored exactly once"
    );
    let store = Store::open(&data).unwrap();
    assert_eq!(store.verify().unwrap(), Vec::<String>::new());
    let msgs = store.messages().unwrap();
    let mut ids: Vec<&str> = msgs.iter().map(|m| m.message_id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n);
}

fn walk_count(p: &Path) -> usize {
    let Ok(rd) = std::fs::read_dir(p) else {
        return 0;
    };
    rd.flatten()
        .map(|e| {
            let p = e.path();
            if p.is_dir() {
                if p.file_name().is_some_and(|n| n == "tmp") {
                    0
                } else {
                    walk_count(&p)
                }
            } else {
                1
            }
        })
        .sum()
}

#[test]
fn malformed_mail_is_listed_with_specific_errors_and_never_panics() {
    let t = TestDir::new();
    let data = t.join("data");
    let dir = root().join("tests/fixtures/eml/malformed");
    let out = baocao(&data, &["ingest", &dir.display().to_string()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    let v = json(baocao(&data, &["messages", "--json"]));
    let msgs = v.as_array().unwrap();
    let by_file = |prefix: &str| {
        msgs.iter()
            .find(|m| m["source"].as_str().unwrap().contains(prefix))
            .unwrap_or_else(|| panic!("{prefix} not listed"))
            .clone()
    };
    // Every file is listed.
    for e in std::fs::read_dir(&dir).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.ends_with(".eml") {
            by_file(&name);
        }
    }
    let empty = by_file("001-");
    assert!(
        empty["error"].as_str().unwrap().contains("tệp rỗng"),
        "{empty}"
    );
    let bomb = by_file("013-");
    let errs: Vec<String> = bomb["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["parse_result"].as_str().unwrap().to_string())
        .collect();
    assert!(errs.iter().any(|e| e.contains("bom zip")), "{errs:?}");
    let many = by_file("015-");
    assert!(
        many["attachments"][0]["parse_result"]
            .as_str()
            .unwrap()
            .contains("5000 mục"),
        "{many}"
    );
    let nested = by_file("016-");
    assert!(
        nested["attachments"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["parse_result"].as_str().unwrap().contains("lồng nhau")),
        "{nested}"
    );
    let truncated = by_file("017-");
    assert!(
        truncated["attachments"][0]["parse_result"]
            .as_str()
            .unwrap()
            .contains("bị hỏng"),
        "{truncated}"
    );
    // Hostile names are written under safe names inside the folder asked for.
    let hostile = by_file("018-");
    let out_dir = t.join("export");
    let written = json(baocao(
        &data,
        &[
            "--json",
            "export",
            hostile["message_id"].as_str().unwrap(),
            "--out",
            &out_dir.display().to_string(),
        ],
    ));
    let files: Vec<String> = written
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["file"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        files.len(),
        hostile["attachments"].as_array().unwrap().len()
    );
    for f in &files {
        let p = Path::new(f);
        assert_eq!(p.parent(), Some(out_dir.as_path()), "{f}");
        let leaf = p.file_name().unwrap().to_str().unwrap();
        assert!(
            !leaf.starts_with('.') && leaf != "CON" && leaf.len() <= 120,
            "{f}"
        );
        assert!(!leaf.contains(['/', '\\', ':', '*', '?']), "{f}");
        assert!(p.exists(), "{f}");
    }
    assert!(files.iter().any(|f| f.ends_with("/bashrc")), "{files:?}");
    let dup = by_file("029-");
    assert!(
        dup["flags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == "duplicate_message_id"),
        "{dup}"
    );
    // The same Message-ID with other bytes is kept, listed, and not counted twice.
    let a = by_file("028-");
    assert_eq!(a["message_id"], dup["message_id"]);
}

#[test]
fn received_header_decides_lateness_not_date_header() {
    let t = TestDir::new();
    let data = t.join("data");
    let dir = t.join("mail");
    std::fs::create_dir_all(&dir).unwrap();
    let report = report_docx("");
    // Date claims before the deadline; the office server received it after.
    std::fs::write(
        dir.join("late.eml"),
        mail(
            "dangUyLocAn@gmail.com",
            "Đảng ủy xã Lộc An gửi báo cáo 809-CV/HU",
            "Mon, 30 Jan 2023 22:00:00 +0700",
            "Tue, 31 Jan 2023 08:05:00 +0700",
            "BC 132 Loc An.docx",
            &report,
            "late-1",
        ),
    )
    .unwrap();
    // And one that is on time by both clocks.
    std::fs::write(
        dir.join("ontime.eml"),
        mail(
            "dangUyLocBao@gmail.com",
            "Gửi báo cáo 809-CV/HU",
            "Mon, 30 Jan 2023 20:00:00 +0700",
            "Mon, 30 Jan 2023 20:00:09 +0700",
            "BC 132 Loc Bao.docx",
            &report,
            "ontime-1",
        ),
    )
    .unwrap();
    ok(baocao(&data, &["ingest", &dir.display().to_string()]));
    let st = json(baocao(
        &data,
        &["--now", "2023-02-02T08:00:00+07:00", "status", "--json"],
    ));
    let unit = |id: &str| {
        st["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["id"] == id)
            .unwrap()
            .clone()
    };
    let an = unit("loc-an");
    assert_eq!(an["items"]["report"]["late"], true);
    assert_eq!(
        an["items"]["report"]["received_at"],
        "2023-01-31T08:05:00+07:00"
    );
    assert_eq!(an["status"], "partial");
    let bao = unit("loc-bao");
    assert_eq!(bao["items"]["report"]["late"], false);
    assert_eq!(
        bao["items"]["report"]["received_at"],
        "2023-01-30T20:00:09+07:00"
    );
}

#[test]
fn unknown_senders_are_recognised_from_subject_and_file_names_with_or_without_diacritics() {
    let t = TestDir::new();
    let data = t.join("data");
    let dir = t.join("mail");
    std::fs::create_dir_all(&dir).unwrap();
    let doc = report_docx("");
    let cases = [
        ("a", "Gui bao cao QD 132", "BC 132 - DU xa Loc Thanh.docx"),
        (
            "b",
            "Đảng ủy xã Lộc Tân gửi báo cáo 809-CV/HU",
            "bao cao.docx",
        ),
        ("c", "DU xa Tan Lac gui bao cao 809", "BC.docx"),
        ("d", "Chi bo THPT Loc Thanh gui BC 132", "baocao.docx"),
        ("e", "Gửi báo cáo 132", "Bieu 1-4 Đảng ủy xã Lộc Thanh.xlsx"),
    ];
    for (id, subject, file) in cases {
        let m = mail(
            &format!("personal.{id}@gmail.com"),
            subject,
            "Fri, 27 Jan 2023 09:00:00 +0700",
            "Fri, 27 Jan 2023 09:00:03 +0700",
            file,
            &doc,
            id,
        );
        std::fs::write(dir.join(format!("{id}.eml")), m).unwrap();
    }
    ok(baocao(&data, &["ingest", &dir.display().to_string()]));
    let msgs = json(baocao(&data, &["messages", "--json"]));
    let get = |id: &str| {
        msgs.as_array()
            .unwrap()
            .iter()
            .find(|m| m["message_id"] == format!("{id}@mail.gmail.com"))
            .unwrap()
            .clone()
    };
    assert_eq!(
        (get("a")["unit"].clone(), get("a")["identified_by"].clone()),
        ("loc-thanh".into(), "filename".into())
    );
    assert_eq!(
        (get("b")["unit"].clone(), get("b")["identified_by"].clone()),
        ("loc-tan".into(), "subject".into())
    );
    assert_eq!(get("c")["unit"], "tan-lac");
    // The longer name wins: the school's chi bộ, not the commune.
    assert_eq!(get("d")["unit"], "thpt-loc-thanh");
    // "Lộc Thanh" written with its marks is another commune: not taken for Lộc Thành.
    assert!(get("e")["unit"].is_null(), "{}", get("e"));
    // Its file is named as the forms but holds a report: what it holds counts, not its name.
    let e = get("e");
    assert!(
        e["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p.as_str().unwrap().contains("không có bảng Biểu số 1")),
        "{e}"
    );
}
