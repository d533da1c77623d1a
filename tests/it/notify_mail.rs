//! Receipts and reminders end to end against the real Dovecot + Postfix: a unit mails part of
//! its submission, gets a receipt naming what is missing, gets the reminder at the planned
//! time, sends the rest and is not reminded again; an SMTP outage only delays the mail.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{Duration as Days, FixedOffset, NaiveDate, Utc};

use crate::support::{
    MailServer, TestDir, baocao_mail, json, mail, mail_server, report_docx, root,
};

fn ict() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("offset")
}

/// A config whose campaign runs around today (the server stamps mail with the real time):
/// issued 5 days ago, due in 3 days, one reminder the day before at 08:00, then an overdue
/// notice every day; the office reads `office`, unit Lộc An writes from `unit`, staff are
/// `staff`; SMTP on `smtp_port`.
fn config(
    dir: &Path,
    server: &MailServer,
    office: &str,
    unit: &str,
    staff: &str,
    smtp_port: u16,
) -> PathBuf {
    let today: NaiveDate = Utc::now().with_timezone(&ict()).date_naive();
    let d = |n: i64| (today + Days::days(n)).format("%Y-%m-%d").to_string();
    let cfg = dir.join("config");
    std::fs::create_dir_all(cfg.join("campaigns")).expect("mkdir");
    let main = std::fs::read_to_string(root().join("config/baocao.toml"))
        .expect("config")
        .replace(
            "addresses = [\"vanphong.huyenuy@lamdong.gov.vn\"]",
            &format!("addresses = [\"{office}\"]"),
        )
        .replace(
            "recipients = [\"bantochuc.huyenuy@lamdong.gov.vn\"]",
            &format!("recipients = [\"{staff}\"]"),
        )
        // Every day at 09:00: the test's days may fall on a weekend.
        .replace("cron = \"30 7 * * 1-5\"", "cron = \"0 9 * * *\"");
    std::fs::write(
        cfg.join("baocao.toml"),
        format!(
            "{main}\n[mailbox]\nhost = \"127.0.0.1\"\nport = {}\nsecurity = \"plain\"\nusername = \"{office}\"\npassword-env = \"BAOCAO_TEST_IMAP_PASSWORD\"\n\n[smtp]\nhost = \"127.0.0.1\"\nport = {smtp_port}\nsecurity = \"plain\"\nfrom = \"Văn phòng Huyện ủy <{office}>\"\ntimeout-seconds = 5\n",
            server.imap_port
        ),
    )
    .expect("write config");
    let camp = std::fs::read_to_string(root().join("config/campaigns/809-CV-HU.toml"))
        .expect("campaign")
        .replace("issued = 2023-01-12", &format!("issued = {}", d(-5)))
        .replace("deadline = 2023-01-30", &format!("deadline = {}", d(3)))
        .replace(
            "consolidation-deadline = 2023-02-01",
            &format!("consolidation-deadline = {}", d(6)),
        )
        .replace("days-before = [5, 2, 1]", "days-before = [1]")
        .replace("overdue-every-days = 2", "overdue-every-days = 1")
        .replace("working-days-only = true", "working-days-only = false");
    assert!(camp.contains(&format!("deadline = {}", d(3))));
    std::fs::write(cfg.join("campaigns/809-CV-HU.toml"), camp).expect("write campaign");
    // Two units, both at test addresses (mail anywhere else is refused by the test server):
    // Lộc An, which the test plays, and Lộc Thành, which never answers.
    let other = other_unit(unit);
    std::fs::write(
        cfg.join("units.csv"),
        format!(
            "id,name,short_name,emails,kind,aliases\n\
             loc-an,Đảng ủy xã Lộc An,Lộc An,{unit},dang_bo_co_so,\n\
             loc-thanh,Đảng ủy xã Lộc Thành,Lộc Thành,{other},dang_bo_co_so,\n"
        ),
    )
    .expect("write units");
    cfg.join("baocao.toml")
}

/// Turns the staff digest off in `cfg` (tests that count the mail sent).
fn no_digest(cfg: &Path) {
    let text = std::fs::read_to_string(cfg).expect("read config");
    std::fs::write(cfg, text.replace("cron = \"0 9 * * *\"", "cron = \"\"")).expect("write");
}

/// The address of the silent second unit: the test's unit user plus ten ("unit02" → "unit12").
fn other_unit(unit: &str) -> String {
    let n: u32 = unit[4..6].parse().expect("unitNN");
    format!("unit{:02}@donvi.test", n + 10)
}

/// The day `n` days from today at `hh:mm`, office time.
fn at(n: i64, hh: u32, mm: u32) -> String {
    let today = Utc::now().with_timezone(&ict()).date_naive() + Days::days(n);
    today
        .and_hms_opt(hh, mm, 0)
        .expect("time")
        .and_local_timezone(ict())
        .single()
        .expect("local")
        .to_rfc3339()
}

fn run_once(cfg: &Path, server: &MailServer, now: &str) -> serde_json::Value {
    json(baocao_mail(
        cfg,
        &["--now", now, "--json", "run", "--once"],
        server,
    ))
}

/// Every message in `user`'s INBOX, parsed: (subject, In-Reply-To, plain text).
fn inbox(server: &MailServer, user: &str) -> Vec<(String, String, String)> {
    let out = server.doveadm(&["search", "-u", user, "mailbox", "INBOX", "all"]);
    let mut v = Vec::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Some(uid) = line.split_whitespace().nth(1) else {
            continue;
        };
        let raw = server.doveadm(&["fetch", "-u", user, "text", "mailbox", "INBOX", "uid", uid]);
        let text = String::from_utf8_lossy(&raw.stdout).into_owned();
        let body = text.split_once("text:\n").map(|(_, b)| b).unwrap_or(&text);
        let m = mail_parser::MessageParser::default()
            .parse(body.as_bytes())
            .expect("parse");
        v.push((
            m.subject().unwrap_or_default().to_string(),
            m.in_reply_to().as_text().unwrap_or_default().to_string(),
            m.body_text(0).map(|t| t.into_owned()).unwrap_or_default(),
        ));
    }
    v
}

/// Waits until `user`'s INBOX holds `n` messages and returns them.
fn wait_inbox(server: &MailServer, user: &str, n: usize) -> Vec<(String, String, String)> {
    let start = Instant::now();
    loop {
        let v = inbox(server, user);
        if v.len() >= n {
            return v;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{user} has {} of {n} messages: {v:#?}",
            v.len()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Runs `run --once` until the office mailbox has given up `n` messages in all.
fn poll_until(cfg: &Path, server: &MailServer, now: &str, n: u64) -> Vec<serde_json::Value> {
    let start = Instant::now();
    let mut got = 0;
    let mut all = Vec::new();
    while got < n {
        let r = run_once(cfg, server, now);
        got += r["poll"]["fetched"].as_u64().unwrap_or(0);
        all.push(r);
        assert!(start.elapsed() < Duration::from_secs(30), "{all:#?}");
        if got < n {
            std::thread::sleep(Duration::from_millis(200));
        }
    }
    all
}

fn missing_lines(body: &str) -> Vec<String> {
    body.split("còn thiếu")
        .nth(1)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- "))
        .map(str::to_string)
        .collect()
}

#[test]
fn a_partial_submission_gets_a_receipt_then_a_reminder_then_the_rest_stops_the_reminders() {
    let server = mail_server();
    let (office, unit, staff) = (
        "unit01@donvi.test",
        "unit02@donvi.test",
        "unit03@donvi.test",
    );
    for u in [office, unit, staff, &other_unit(unit)] {
        server.clear(u);
    }
    let t = TestDir::new();
    let cfg = config(t.path(), &server, office, unit, staff, server.smtp_port);
    let now0 = (Utc::now() + Days::minutes(2))
        .with_timezone(&ict())
        .to_rfc3339();

    // baocao is connected to the office mailbox before the unit writes (what is already there
    // at the first connection is history: recorded, not answered).
    let old = mail(
        &other_unit(unit),
        "Đảng ủy xã Lộc Thành gửi báo cáo 809-CV/HU",
        "Mon, 20 Jan 2025 08:00:00 +0700",
        "Mon, 20 Jan 2025 08:00:03 +0700",
        "BC Loc Thanh.docx",
        &report_docx("Lộc Thành"),
        "e2e-history",
    );
    server.save(office, "INBOX", &old);
    let first = run_once(&cfg, &server, &now0);
    assert_eq!(first["poll"]["backfilled"], 1, "{first}");
    assert_eq!(first["receipts"], 0, "{first}");

    // 1. The report alone.
    let partial = mail(
        unit,
        "Đảng ủy xã Lộc An gửi báo cáo theo Công văn 809-CV/HU",
        "Mon, 20 Jan 2025 09:00:00 +0700",
        "Mon, 20 Jan 2025 09:00:03 +0700",
        "BC 132 Loc An.docx",
        &report_docx("Lộc An"),
        "e2e-partial",
    );
    server.send(unit, office, &partial);
    let runs = poll_until(&cfg, &server, &now0, 1);
    let receipts: u64 = runs
        .iter()
        .map(|r| r["receipts"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(receipts, 1, "{runs:#?}");
    let got = wait_inbox(&server, unit, 1);
    let (subject, in_reply_to, body) = &got[0];
    assert!(
        subject.starts_with("Biên nhận: Đảng ủy xã Lộc An"),
        "{subject}"
    );
    assert_eq!(in_reply_to, "e2e-partial@mail.gmail.com");
    assert!(
        body.contains("Báo cáo: tệp \"BC 132 Loc An.docx\""),
        "{body}"
    );
    assert_eq!(
        missing_lines(body),
        ["Biểu số 1", "Biểu số 2", "Biểu số 3", "Biểu số 4"],
        "{body}"
    );

    // 2. The planned reminder, the day before the deadline at 08:00 — and only once, however
    //    often the cycle runs.
    let slot = at(2, 8, 5);
    let r = run_once(&cfg, &server, &slot);
    let reminded: Vec<&str> = r["tick"]["reminders"]
        .as_array()
        .expect("reminders")
        .iter()
        .filter_map(|x| x["unit"].as_str())
        .collect();
    assert!(reminded.contains(&"loc-an"), "{r}");
    assert!(r["delivery"]["sent"].as_u64().unwrap_or(0) >= 1, "{r}");
    let again = run_once(&cfg, &server, &slot);
    assert_eq!(again["tick"]["reminders"], serde_json::json!([]), "{again}");
    let got = wait_inbox(&server, unit, 2);
    let reminder = got
        .iter()
        .find(|(s, _, _)| s.starts_with("Nhắc gửi báo cáo"))
        .unwrap_or_else(|| panic!("no reminder: {got:#?}"));
    assert!(reminder.0.contains("809-CV/HU"), "{}", reminder.0);
    assert!(
        reminder.2.contains("Quy định số 132-QĐ/TW"),
        "{}",
        reminder.2
    );
    assert_eq!(
        missing_lines(&reminder.2),
        ["Biểu số 1", "Biểu số 2", "Biểu số 3", "Biểu số 4"],
        "{}",
        reminder.2
    );

    // 3. The rest.
    let forms = std::fs::read(root().join("tests/fixtures/docs/xlsx/bieu-1-4-loc-thanh.xlsx"))
        .expect("fixture");
    let rest = mail(
        unit,
        "Lộc An gửi bổ sung Biểu 1-4 Công văn 809-CV/HU",
        "Mon, 20 Jan 2025 10:00:00 +0700",
        "Mon, 20 Jan 2025 10:00:03 +0700",
        "Bieu 1-4 Loc An.xlsx",
        &forms,
        "e2e-rest",
    );
    server.send(unit, office, &rest);
    // It is on the server but not read yet when the overdue slot comes: the cycle reads the
    // mailbox before it reminds, so Lộc An gets a receipt and no overdue notice; the silent
    // unit gets one.
    server.wait_for(office, "INBOX", 2);
    let overdue = run_once(&cfg, &server, &at(4, 8, 5));
    assert_eq!(overdue["poll"]["stored"], 1, "{overdue}");
    assert_eq!(overdue["receipts"], 1, "{overdue}");
    let reminded: Vec<&str> = overdue["tick"]["reminders"]
        .as_array()
        .expect("reminders")
        .iter()
        .filter_map(|x| x["unit"].as_str())
        .collect();
    assert_eq!(reminded, ["loc-thanh"], "{overdue}");
    let got = wait_inbox(&server, unit, 3);
    let complete = got
        .iter()
        .find(|(_, irt, _)| irt == "e2e-rest@mail.gmail.com")
        .unwrap_or_else(|| panic!("no receipt for the rest: {got:#?}"));
    assert!(complete.0.contains("(đã đủ)"), "{}", complete.0);
    let st = json(baocao_mail(
        &cfg,
        &["--now", &at(4, 8, 6), "status", "--json"],
        &server,
    ));
    let loc_an = st["units"]
        .as_array()
        .expect("units")
        .iter()
        .find(|u| u["id"] == "loc-an")
        .expect("loc-an");
    assert_eq!(loc_an["missing"], serde_json::json!([]), "{loc_an}");
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(inbox(&server, unit).len(), 3);
    // 5. Staff get the digest at 09:00: Lộc An complete, Lộc Thành still missing its forms,
    //    the arrivals since the last digest, and the reminders that went out.
    let d = run_once(&cfg, &server, &at(4, 9, 1));
    assert_eq!(
        d["tick"]["digests"].as_array().map(Vec::len),
        Some(1),
        "{d}"
    );
    let digests = wait_inbox(&server, staff, 1);
    let (subject, _, text) = digests
        .iter()
        .rev()
        .find(|(s, _, _)| s.starts_with("Tình hình nhận báo cáo"))
        .unwrap_or_else(|| panic!("no digest: {digests:#?}"));
    assert!(subject.contains(&at(4, 0, 0)[8..10]), "{subject}");
    let row = |name: &str| {
        text.lines()
            .find(|l| l.contains(name) && (l.contains('✓') || l.contains('✗')))
            .unwrap_or_else(|| panic!("no row for {name}:\n{text}"))
            .to_string()
    };
    assert!(row("Lộc An").contains("Đủ"), "{}", row("Lộc An"));
    assert!(!row("Lộc An").contains('✗'), "{}", row("Lộc An"));
    assert!(row("Lộc Thành").contains('✗'), "{}", row("Lộc Thành"));
    // The forms' arrival was news in the digest right after they were read (the overdue
    // cycle at 08:05, whose digest was the one due at 09:00 the day before, caught up once).
    let news = digests
        .iter()
        .filter(|(s, _, _)| s.starts_with("Tình hình nhận báo cáo"))
        .filter(|(_, _, t)| t.contains("Đảng ủy xã Lộc An: Biểu số 1"))
        .count();
    assert_eq!(news, 1, "{digests:#?}");
    // Once per slot: running again within the hour sends no second digest.
    let again = run_once(&cfg, &server, &at(4, 9, 30));
    assert_eq!(again["tick"]["digests"], serde_json::json!([]), "{again}");

    // The per-unit log: two receipts and one reminder, each sent, to the unit's address.
    let log = json(baocao_mail(
        &cfg,
        &["outbox", "--unit", "loc-an", "--json"],
        &server,
    ));
    let kinds: Vec<(&str, &str)> = log
        .as_array()
        .expect("log")
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap_or(""),
                e["status"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("receipt", "sent"),
            ("reminder", "sent"),
            ("receipt", "sent")
        ],
        "{log}"
    );
}

#[test]
fn an_smtp_outage_queues_reminders_and_they_go_out_once_when_it_ends() {
    let server = mail_server();
    let (office, unit, staff) = (
        "unit04@donvi.test",
        "unit05@donvi.test",
        "unit06@donvi.test",
    );
    for u in [office, unit, staff] {
        server.clear(u);
    }
    let t = TestDir::new();
    // Port 1: nothing listens — the outgoing server is down.
    let down = config(&t.join("down"), &server, office, unit, staff, 1);
    no_digest(&down);
    let up = config(
        &t.join("up"),
        &server,
        office,
        unit,
        staff,
        server.smtp_port,
    );
    no_digest(&up);
    // Both configs share one data folder, as one office restarting baocao would.
    let data = t.join("data");
    let with_data = |cfg: &Path, now: &str| {
        json(baocao_mail(
            cfg,
            &[
                "--data",
                data.to_str().expect("utf-8"),
                "--now",
                now,
                "--json",
                "run",
                "--once",
            ],
            &server,
        ))
    };
    server.clear(&other_unit(unit));
    let slot = at(2, 8, 5);
    let r = with_data(&down, &slot);
    let queued = r["tick"]["reminders"].as_array().expect("reminders").len();
    assert_eq!(queued, 2, "{r}");
    assert_eq!(r["delivery"]["sent"], 0, "{r}");
    assert!(r["delivery"]["retry"].as_u64().unwrap_or(0) >= 1, "{r}");
    std::thread::sleep(Duration::from_millis(300));
    assert!(inbox(&server, unit).is_empty());
    // Still down a minute later: nothing is sent, nothing is lost.
    let r = with_data(&down, &at(2, 8, 7));
    assert_eq!(r["delivery"]["sent"], 0, "{r}");
    // The server is back: everything queued goes out, once.
    let r = with_data(&up, &at(2, 9, 30));
    assert_eq!(r["tick"]["reminders"], serde_json::json!([]), "{r}");
    assert_eq!(r["delivery"]["sent"].as_u64(), Some(queued as u64), "{r}");
    let r = with_data(&up, &at(2, 10, 30));
    assert_eq!(r["delivery"]["sent"].as_u64(), Some(0), "{r}");
    let got = wait_inbox(&server, unit, 1);
    wait_inbox(&server, &other_unit(unit), 1);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(inbox(&server, unit).len(), 1, "{got:#?}");
    assert_eq!(inbox(&server, &other_unit(unit)).len(), 1);
    let log = json(baocao_mail(
        &up,
        &[
            "--data",
            data.to_str().expect("utf-8"),
            "outbox",
            "--unit",
            "loc-an",
            "--json",
        ],
        &server,
    ));
    assert_eq!(log[0]["status"], "sent", "{log}");
    assert!(log[0]["attempts"].as_i64().unwrap_or(0) >= 2, "{log}");
}

#[test]
fn killed_while_sending_a_reminder_is_never_sent_twice() {
    let server = mail_server();
    let (office, unit, staff) = (
        "unit07@donvi.test",
        "unit08@donvi.test",
        "unit09@donvi.test",
    );
    for u in [office, unit, staff, &other_unit(unit)] {
        server.clear(u);
    }
    // An SMTP server that accepts the connection and never says a word: baocao is caught
    // between "sending" and the reply when it is killed.
    let tarpit = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = tarpit.local_addr().expect("addr").port();
    // Detached: it only keeps the connection open until the test is over.
    std::thread::spawn(move || {
        let mut conns = Vec::new();
        for c in tarpit.incoming().take(1) {
            conns.push(c);
            std::thread::sleep(Duration::from_secs(8));
        }
    });
    let t = TestDir::new();
    let data = t.join("data");
    let stuck = config(&t.join("stuck"), &server, office, unit, staff, port);
    no_digest(&stuck);
    let up = config(
        &t.join("up"),
        &server,
        office,
        unit,
        staff,
        server.smtp_port,
    );
    no_digest(&up);
    let slot = at(2, 8, 5);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args(["--config", stuck.to_str().expect("utf-8")])
        .args([
            "--data",
            data.to_str().expect("utf-8"),
            "--now",
            &slot,
            "run",
            "--once",
        ])
        .env("BAOCAO_TEST_IMAP_PASSWORD", &server.password)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    // Wait until the first reminder is marked as being sent, then kill -9.
    let start = Instant::now();
    loop {
        let log = json(baocao_mail(
            &up,
            // The run may not have created the register yet.
            &[
                "--init",
                "--data",
                data.to_str().expect("utf-8"),
                "outbox",
                "--json",
            ],
            &server,
        ));
        if log
            .as_array()
            .is_some_and(|v| v.iter().any(|e| e["status"] == "sending"))
        {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "never reached sending: {log}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().expect("kill -9");
    let _ = child.wait();
    // Restarted with the server up: the interrupted mail is not sent again (it may have
    // arrived), the other one goes out.
    let r = run_once_with(&up, &server, &data, &at(2, 9, 0));
    assert_eq!(r["delivery"]["sent"], 1, "{r}");
    let r = run_once_with(&up, &server, &data, &at(2, 10, 0));
    assert_eq!(r["delivery"]["sent"], 0, "{r}");
    let log = json(baocao_mail(
        &up,
        &["--data", data.to_str().expect("utf-8"), "outbox", "--json"],
        &server,
    ));
    let status: Vec<(&str, &str)> = log
        .as_array()
        .expect("log")
        .iter()
        .map(|e| {
            (
                e["unit_id"].as_str().unwrap_or(""),
                e["status"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        status,
        [("loc-an", "uncertain"), ("loc-thanh", "sent")],
        "{log}"
    );
    wait_inbox(&server, &other_unit(unit), 1);
    std::thread::sleep(Duration::from_millis(300));
    assert!(inbox(&server, unit).is_empty());
}

fn run_once_with(cfg: &Path, server: &MailServer, data: &Path, now: &str) -> serde_json::Value {
    json(baocao_mail(
        cfg,
        &[
            "--data",
            data.to_str().expect("utf-8"),
            "--now",
            now,
            "--json",
            "run",
            "--once",
        ],
        server,
    ))
}

/// Starts `baocao run` with the clock fixed at `now`.
fn daemon(cfg: &Path, server: &MailServer, data: &Path, now: &str) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args(["--config", cfg.to_str().expect("utf-8")])
        .args(["--data", data.to_str().expect("utf-8"), "--now", now])
        .args(["run", "--interval", "2"])
        .env("BAOCAO_TEST_IMAP_PASSWORD", &server.password)
        .env("BAOCAO_LOG", "info")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn baocao run")
}

/// SIGTERM, then waits for a clean exit.
fn stop(mut child: std::process::Child) {
    let ok = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(ok.success());
    let start = Instant::now();
    loop {
        if let Some(s) = child.try_wait().expect("wait") {
            assert!(s.success(), "{s:?}");
            return;
        }
        if start.elapsed() > Duration::from_secs(15) {
            let _ = child.kill();
            panic!("baocao run did not stop on SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_daemon_reminds_at_the_slot_and_a_restart_sends_nothing_again() {
    let server = mail_server();
    let (office, unit, staff) = (
        "unit13@donvi.test",
        "unit17@donvi.test",
        "unit14@donvi.test",
    );
    for u in [office, unit, staff, &other_unit(unit)] {
        server.clear(u);
    }
    let t = TestDir::new();
    let data = t.join("data");
    let cfg = config(t.path(), &server, office, unit, staff, server.smtp_port);
    no_digest(&cfg);
    let slot = at(2, 8, 5);
    let d = daemon(&cfg, &server, &data, &slot);
    // Both units miss everything: the scheduler (after asking the mailbox task for a fresh
    // poll) reminds both, and sends.
    wait_inbox(&server, unit, 1);
    wait_inbox(&server, &other_unit(unit), 1);
    stop(d);
    // Restarted at the same moment (the slot is done), and once more a little later: nothing
    // is sent again.
    for now in [slot.clone(), at(2, 8, 30)] {
        let d = daemon(&cfg, &server, &data, &now);
        std::thread::sleep(Duration::from_secs(2));
        stop(d);
    }
    assert_eq!(inbox(&server, unit).len(), 1);
    assert_eq!(inbox(&server, &other_unit(unit)).len(), 1);
    let log = json(baocao_mail(
        &cfg,
        &["--data", data.to_str().expect("utf-8"), "outbox", "--json"],
        &server,
    ));
    assert_eq!(log.as_array().map(Vec::len), Some(2), "{log}");
}
