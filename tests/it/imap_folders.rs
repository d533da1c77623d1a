//! Several folders read in one poll, and stored mail moved to a folder of its own, against the
//! real Dovecot.

use crate::support::{
    TestDir, baocao_mail, config_with_mailbox, json, mail, mail_server, report_docx,
};

const DONE: &str = "Đã xử lý";

#[test]
fn one_poll_stores_mail_from_two_folders_and_moves_it_tagged_and_unread_to_the_done_folder() {
    let server = mail_server();
    let user = "unit23@donvi.test";
    server.clear(user);
    let t = TestDir::new();
    let cfg = config_with_mailbox(
        t.path(),
        &server,
        user,
        &format!("folders = [\"INBOX\", \"Archive\"]\nmove-to = \"{DONE}\"\n"),
    );
    // One report arrives by SMTP; staff filed another one into Archive by hand.
    let a = mail(
        "dangUyLocTan@gmail.com",
        "Đảng ủy xã Lộc Tân gửi báo cáo 809-CV/HU",
        "Fri, 27 Jan 2023 09:00:00 +0700",
        "Fri, 27 Jan 2023 09:00:03 +0700",
        "BC 132 Loc Tan.docx",
        &report_docx("Lộc Tân"),
        "folders-a",
    );
    let b = mail(
        "dangUyLocThanh@gmail.com",
        "Đảng ủy xã Lộc Thành gửi báo cáo 809-CV/HU",
        "Fri, 27 Jan 2023 10:00:00 +0700",
        "Fri, 27 Jan 2023 10:00:03 +0700",
        "BC 132 Loc Thanh.docx",
        &report_docx("Lộc Thành"),
        "folders-b",
    );
    server.send("dangUyLocTan@gmail.com", user, &a);
    server.save(user, "Archive", &b);
    server.wait_for(user, "INBOX", 1);

    let r = json(baocao_mail(&cfg, &["--json", "poll", "--once"], &server));
    assert_eq!(r["fetched"], 2, "{r}");
    assert_eq!(r["stored"], 2, "{r}");
    assert_eq!(r["duplicates"], 0, "{r}");

    // The register has both, each from its own folder.
    let msgs = json(baocao_mail(&cfg, &["messages", "--json"], &server));
    let source_of = |id: &str| {
        msgs.as_array()
            .expect("array")
            .iter()
            .find(|m| m["message_id"] == id)
            .and_then(|m| m["source"].as_str())
            .unwrap_or_else(|| panic!("{id} not stored: {msgs}"))
            .to_string()
    };
    let prefix = format!("imap:{user}@127.0.0.1/");
    assert!(
        source_of("folders-a@mail.gmail.com").starts_with(&format!("{prefix}INBOX/")),
        "{msgs}"
    );
    assert!(
        source_of("folders-b@mail.gmail.com").starts_with(&format!("{prefix}Archive/")),
        "{msgs}"
    );
    assert_eq!(msgs.as_array().map(Vec::len), Some(2));

    // On the server: both moved to the done folder, tagged, still unread; nothing lost.
    assert_eq!(server.count(user, "INBOX"), 0);
    assert_eq!(server.count(user, "Archive"), 0);
    assert_eq!(server.count(user, "Trash"), 0);
    assert_eq!(server.count(user, DONE), 2);
    let flags = server.fetch(user, "flags", DONE);
    let lines: Vec<&str> = flags.lines().filter(|l| l.starts_with("flags:")).collect();
    assert_eq!(lines.len(), 2, "{flags}");
    for l in &lines {
        assert!(l.contains("$BaoCao"), "{flags}");
        assert!(!l.contains("\\Seen"), "{flags}");
    }
    let moved = server.fetch(user, "text", DONE);
    assert!(
        moved.contains("Message-ID: <folders-a@mail.gmail.com>"),
        "{moved}"
    );
    assert!(
        moved.contains("Message-ID: <folders-b@mail.gmail.com>"),
        "{moved}"
    );

    // A second poll finds nothing new in either folder.
    let again = json(baocao_mail(&cfg, &["--json", "poll", "--once"], &server));
    assert_eq!(again["fetched"], 0, "{again}");
    assert_eq!(server.count(user, DONE), 2);
}

#[test]
fn the_daemon_waits_on_every_folder_and_reads_mail_put_into_the_second_one_at_once() {
    let server = mail_server();
    let user = "unit16@donvi.test";
    server.clear(user);
    let t = TestDir::new();
    let cfg = config_with_mailbox(
        t.path(),
        &server,
        user,
        "folders = [\"INBOX\", \"Archive\"]",
    );
    // A long interval: only IDLE can explain a quick pickup.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args([
            "--config",
            cfg.to_str().expect("utf-8"),
            "run",
            "--interval",
            "120",
        ])
        .env("BAOCAO_TEST_IMAP_PASSWORD", &server.password)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    // Let the first cycle finish and the IDLE connections start.
    std::thread::sleep(std::time::Duration::from_secs(3));
    let m = mail(
        "dangUyLocAn@gmail.com",
        "Đảng ủy xã Lộc An gửi báo cáo 809-CV/HU",
        "Fri, 27 Jan 2023 09:00:00 +0700",
        "Fri, 27 Jan 2023 09:00:03 +0700",
        "BC 132 Loc An.docx",
        &report_docx("Lộc An"),
        "idle-archive",
    );
    server.save(user, "Archive", &m);
    let start = std::time::Instant::now();
    let stored = loop {
        let msgs = json(baocao_mail(&cfg, &["messages", "--json"], &server));
        if msgs.as_array().is_some_and(|v| !v.is_empty()) {
            break msgs;
        }
        if start.elapsed() > std::time::Duration::from_secs(20) {
            let _ = child.kill();
            panic!("mail saved into Archive was not read within 20 s (interval 120 s)");
        }
        std::thread::sleep(std::time::Duration::from_millis(250));
    };
    assert!(
        stored[0]["source"]
            .as_str()
            .is_some_and(|s| s.contains("/Archive/")),
        "{stored}"
    );
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
}
