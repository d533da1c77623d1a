//! The IMAP source against a real Dovecot (fed by a real Postfix) on loopback.

use std::time::{Duration, Instant};

use crate::support::{
    TestDir, baocao_mail, config_with_mailbox, json, mail, mail_server, report_docx,
};

fn poll(cfg: &std::path::Path, server: &crate::support::MailServer) -> serde_json::Value {
    json(baocao_mail(cfg, &["--json", "poll", "--once"], server))
}

/// Polls until at least `n` messages were fetched in total (mail takes a moment to arrive).
fn poll_until(
    cfg: &std::path::Path,
    server: &crate::support::MailServer,
    n: u64,
) -> Vec<serde_json::Value> {
    let start = Instant::now();
    let mut reports = Vec::new();
    let mut total = 0;
    while total < n && start.elapsed() < Duration::from_secs(30) {
        let r = poll(cfg, server);
        total += r["fetched"].as_u64().unwrap_or(0);
        reports.push(r);
        if total < n {
            std::thread::sleep(Duration::from_millis(200));
        }
    }
    assert!(
        total >= n,
        "only {total} of {n} messages arrived: {reports:?}"
    );
    reports
}

/// Waits until a message containing `needle` is in `user`'s INBOX and returns its text.
fn delivered(server: &crate::support::MailServer, user: &str, needle: &str) -> String {
    let start = Instant::now();
    loop {
        let out = server.doveadm(&["fetch", "-u", user, "text", "mailbox", "INBOX", "all"]);
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        if text.contains(needle) {
            return text
                .split_once("text:\n")
                .map(|(_, b)| b.to_string())
                .unwrap_or(text);
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "mail with {needle:?} not delivered"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_report_sent_over_smtp_is_polled_stored_left_unread_and_flagged() {
    let server = mail_server();
    let user = "unit31@donvi.test";
    server.clear(user);
    let t = TestDir::new();
    let cfg = config_with_mailbox(t.path(), &server, user, "");
    let m = mail(
        "dangUyLocAn@gmail.com",
        "Đảng ủy xã Lộc An gửi báo cáo 809-CV/HU",
        "Fri, 27 Jan 2023 09:00:00 +0700",
        "Fri, 27 Jan 2023 09:00:03 +0700",
        "BC 132 Loc An.docx",
        &report_docx("Lộc An"),
        "imap-1",
    );
    server.send("dangUyLocAn@gmail.com", user, &m);
    let reports = poll_until(&cfg, &server, 1);
    let stored: u64 = reports
        .iter()
        .map(|r| r["stored"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(stored, 1, "{reports:?}");
    // The register shows it (received now, by the server's clock, so look from now).
    let st = json(baocao_mail(&cfg, &["status", "--json"], &server));
    let an = st["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == "loc-an")
        .unwrap();
    assert_eq!(
        an["items"]["report"]["message_id"], "imap-1@mail.gmail.com",
        "{an}"
    );
    let msgs = json(baocao_mail(&cfg, &["messages", "--json"], &server));
    assert!(
        msgs[0]["source"]
            .as_str()
            .unwrap()
            .starts_with("imap:unit31@donvi.test@127.0.0.1/INBOX/"),
        "{}",
        msgs[0]
    );
    // On the server: still unread, and tagged.
    let out = server.doveadm(&["fetch", "-u", user, "flags", "mailbox", "INBOX", "all"]);
    let flags = String::from_utf8_lossy(&out.stdout);
    assert!(flags.contains("$BaoCao"), "{flags}");
    assert!(!flags.contains("\\Seen"), "{flags}");
    // A second poll fetches nothing new.
    let again = poll(&cfg, &server);
    assert_eq!(again["fetched"], 0, "{again}");
}

#[test]
fn a_recreated_folder_loses_no_new_mail_and_stores_no_old_mail_twice() {
    let server = mail_server();
    let user = "unit32@donvi.test";
    server.clear(user);
    let t = TestDir::new();
    let cfg = config_with_mailbox(t.path(), &server, user, "folders = [\"Đã xử lý\"]");
    let folder = "Đã xử lý";
    let _ = server.doveadm(&["mailbox", "create", "-u", user, folder]);
    let old = mail(
        "dangUyLocBao@gmail.com",
        "Gửi báo cáo 809-CV/HU",
        "Fri, 27 Jan 2023 09:00:00 +0700",
        "Fri, 27 Jan 2023 09:00:03 +0700",
        "BC Loc Bao.docx",
        &report_docx("Lộc Bảo"),
        "old-1",
    );
    let save = |raw: &[u8]| {
        let p = t.join("m.eml");
        std::fs::write(&p, raw).unwrap();
        let out = std::process::Command::new("doveadm")
            .arg("-c")
            .arg(server.state.join("dovecot/dovecot.conf"))
            .args(["save", "-u", user, "-m", folder])
            .stdin(std::fs::File::open(&p).unwrap())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    save(&old);
    let first = poll(&cfg, &server);
    assert_eq!(first["stored"], 1, "{first}");
    // Recreate the folder: new UIDVALIDITY, UIDs start again at 1.
    let del = server.doveadm(&["mailbox", "delete", "-u", user, folder]);
    assert!(
        del.status.success(),
        "{}",
        String::from_utf8_lossy(&del.stderr)
    );
    std::thread::sleep(Duration::from_millis(1100)); // UIDVALIDITY is a timestamp
    let _ = server.doveadm(&["mailbox", "create", "-u", user, folder]);
    save(&old);
    let new = mail(
        "dangUyLocBac@gmail.com",
        "Gửi báo cáo 809-CV/HU",
        "Sat, 28 Jan 2023 09:00:00 +0700",
        "Sat, 28 Jan 2023 09:00:03 +0700",
        "BC Loc Bac.docx",
        &report_docx("Lộc Bắc"),
        "new-1",
    );
    save(&new);
    let second = poll(&cfg, &server);
    assert_eq!(second["fetched"], 2, "{second}");
    assert_eq!(second["stored"], 1, "{second}");
    assert_eq!(second["duplicates"], 1, "{second}");
    assert_eq!(
        second["uidvalidity_changed"],
        serde_json::json!([folder]),
        "{second}"
    );
    let msgs = json(baocao_mail(&cfg, &["messages", "--json"], &server));
    assert_eq!(msgs.as_array().unwrap().len(), 2);
}

#[test]
fn mail_stored_before_a_crash_is_flagged_on_the_next_poll_and_not_stored_twice() {
    // A crash after the commit and before the flag leaves the message stored, unflagged and
    // its UID not recorded: the next poll refetches it, stores nothing, and flags it.
    let server = mail_server();
    let user = "unit33@donvi.test";
    server.clear(user);
    let t = TestDir::new();
    let cfg = config_with_mailbox(t.path(), &server, user, "");
    let m = mail(
        "dangUyLocPhu@gmail.com",
        "Gửi báo cáo 809-CV/HU",
        "Fri, 27 Jan 2023 09:00:00 +0700",
        "Fri, 27 Jan 2023 09:00:03 +0700",
        "BC Loc Phu.docx",
        &report_docx("Lộc Phú"),
        "crash-1",
    );
    server.send("dangUyLocPhu@gmail.com", user, &m);
    // Wait for delivery, then take the server's exact bytes and store them as if a poll had
    // committed them and died.
    let body = delivered(&server, user, "crash-1");
    let file = t.join("stored.eml");
    std::fs::write(
        &file,
        body.trim_end_matches('\n').replace('\n', "\r\n") + "\r\n",
    )
    .unwrap();
    let pre = json(baocao_mail(
        &cfg,
        &["--json", "ingest", &file.display().to_string()],
        &server,
    ));
    assert_eq!(pre["stored"], 1);
    let r = poll(&cfg, &server);
    assert_eq!(r["fetched"], 1, "{r}");
    let msgs = json(baocao_mail(&cfg, &["messages", "--json"], &server));
    let same: Vec<_> = msgs
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["message_id"] == "crash-1@mail.gmail.com")
        .collect();
    // Stored once by content, or once more as a flagged Message-ID duplicate (the server's
    // copy differs from ours only if the bytes differ): never counted twice.
    let counted = same
        .iter()
        .filter(|m| {
            !m["flags"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f == "duplicate_message_id")
        })
        .count();
    assert_eq!(counted, 1, "{same:?}");
    let flags = String::from_utf8_lossy(
        &server
            .doveadm(&["fetch", "-u", user, "flags", "mailbox", "INBOX", "all"])
            .stdout,
    )
    .into_owned();
    assert!(flags.contains("$BaoCao"), "{flags}");
}

#[test]
fn check_config_connects_over_starttls_and_implicit_tls_and_names_a_bad_password() {
    let server = mail_server();
    let t = TestDir::new();
    let ca = server.ca_cert.display().to_string();
    for (port, security) in [(server.imap_port, "starttls"), (server.imaps_port, "tls")] {
        let cfg = config_with_mailbox(
            t.path(),
            &server,
            "unit34@donvi.test",
            &format!("ca-file = \"{ca}\"\n"),
        );
        // Point the config at the TLS port and mode (host "localhost" is in the certificate).
        let text = std::fs::read_to_string(&cfg)
            .unwrap()
            .replace("host = \"127.0.0.1\"", "host = \"localhost\"")
            .replace(
                &format!("port = {}", server.imap_port),
                &format!("port = {port}"),
            )
            .replace(
                "security = \"plain\"",
                &format!("security = \"{security}\""),
            );
        std::fs::write(&cfg, text).unwrap();
        let v = json(baocao_mail(&cfg, &["--json", "check-config"], &server));
        assert_eq!(v["mailbox"]["ok"], true, "{security}: {v}");
    }
    let cfg = config_with_mailbox(t.path(), &server, "unit34@donvi.test", "");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args(["--config", &cfg.display().to_string(), "check-config"])
        .env("BAOCAO_TEST_IMAP_PASSWORD", "wrong")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("máy chủ thư từ chối đăng nhập của unit34@donvi.test"),
        "{text}"
    );
}

#[test]
fn a_mail_sent_by_baocao_reads_back_with_its_vietnamese_subject_and_file_name_and_is_sent_once() {
    let server = mail_server();
    let user = "unit35@donvi.test";
    server.clear(user);
    let t = TestDir::new();
    let cfg = config_with_mailbox(
        t.path(),
        &server,
        user,
        &format!(
            "\n[smtp]\nhost = \"127.0.0.1\"\nport = {}\nsecurity = \"plain\"\nfrom = \"Văn phòng Huyện ủy <vanphong@huyenuy.test>\"\n",
            server.smtp_port
        ),
    );
    let sent = json(baocao_mail(
        &cfg,
        &["--json", "send-test", "--to", user, "--key", "k1"],
        &server,
    ));
    assert_eq!(sent["sent"], 1, "{sent}");
    // The same key again: nothing is sent twice.
    let again = json(baocao_mail(
        &cfg,
        &["--json", "send-test", "--to", user, "--key", "k1"],
        &server,
    ));
    assert_eq!(again["queued"], false, "{again}");
    assert_eq!(again["sent"], 0, "{again}");
    // Read it back from the server and parse it as any client would.
    let body = delivered(&server, user, "Subject");
    let m = baocao::message::parse(body.as_bytes(), &baocao::config::Limits::default()).unwrap();
    assert_eq!(m.subject, "Thư thử nghiệm của baocao — Huyện ủy Bảo Lâm");
    assert_eq!(
        m.attachments[0].name,
        "Biên nhận thử nghiệm — Văn phòng.txt"
    );
    assert!(String::from_utf8_lossy(&m.attachments[0].bytes).contains("tiếng Việt có dấu"));
    assert!(m.message_id.is_some());
    let count = server.doveadm(&["search", "-u", user, "mailbox", "INBOX", "all"]);
    assert_eq!(String::from_utf8_lossy(&count.stdout).lines().count(), 1);
}

#[test]
fn poll_once_fails_clearly_on_wrong_password_unreachable_host_and_tls_to_a_plain_port() {
    let server = mail_server();
    let t = TestDir::new();
    let cfg = config_with_mailbox(
        t.path(),
        &server,
        "unit36@donvi.test",
        "timeout-seconds = 5",
    );
    let run = |cfg: &std::path::Path, pw: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_baocao"))
            .args(["--config", &cfg.display().to_string(), "poll", "--once"])
            .env("BAOCAO_TEST_IMAP_PASSWORD", pw)
            .output()
            .unwrap()
    };
    let out = run(&cfg, "wrong");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("từ chối đăng nhập của unit36@donvi.test"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(
        &cfg,
        text.replace(&format!("port = {}", server.imap_port), "port = 1"),
    )
    .unwrap();
    let out = run(&cfg, &server.password);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("không kết nối được tới 127.0.0.1:1"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::write(
        &cfg,
        text.replace("security = \"plain\"", "security = \"tls\"")
            .replace("host = \"127.0.0.1\"", "host = \"localhost\""),
    )
    .unwrap();
    let out = run(&cfg, &server.password);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("không bắt tay TLS được với localhost") || err.contains("không trả lời"),
        "{err}"
    );
}

#[test]
fn the_daemon_keeps_running_through_a_dovecot_restart_and_picks_up_mail_sent_meanwhile() {
    use std::process::{Command, Stdio};
    // Its own server: restarting the shared one would disturb the other tests.
    let t = TestDir::new();
    let state = std::path::PathBuf::from(format!("/tmp/baocao-it-daemon-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&state);
    let root = crate::support::root();
    let out = Command::new(root.join("tests/mailserver/start.sh"))
        .arg(&state)
        .envs([
            ("MAILTEST_IMAP_PORT", "31143"),
            ("MAILTEST_IMAPS_PORT", "31993"),
            ("MAILTEST_SMTP_PORT", "32525"),
            ("MAILTEST_SMTPS_PORT", "32465"),
            ("MAILTEST_LMTP_PORT", "32424"),
        ])
        .stderr(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success());
    struct Stop(std::path::PathBuf);
    impl Drop for Stop {
        fn drop(&mut self) {
            let _ = Command::new(crate::support::root().join("tests/mailserver/stop.sh"))
                .arg(&self.0)
                .arg("--purge")
                .output();
        }
    }
    let _stop = Stop(state.clone());
    let mut server = mail_server();
    server.state = state.clone();
    server.imap_port = 31143;
    server.smtp_port = 32525;
    let user = "unit37@donvi.test";
    let cfg = config_with_mailbox(t.path(), &server, user, "timeout-seconds = 5");
    let mut daemon = Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args([
            "--config",
            &cfg.display().to_string(),
            "run",
            "--interval",
            "2",
        ])
        .env("BAOCAO_TEST_IMAP_PASSWORD", &server.password)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let count = || {
        json(baocao_mail(&cfg, &["messages", "--json"], &server))
            .as_array()
            .map(Vec::len)
            .unwrap_or(0)
    };
    let wait_for = |n: usize| {
        let start = Instant::now();
        while count() < n {
            assert!(
                start.elapsed() < Duration::from_secs(40),
                "the daemon did not store message {n}"
            );
            std::thread::sleep(Duration::from_millis(300));
        }
    };
    let m1 = mail(
        "dangUyLocLam@gmail.com",
        "Gửi báo cáo 809-CV/HU",
        "Fri, 27 Jan 2023 09:00:00 +0700",
        "Fri, 27 Jan 2023 09:00:03 +0700",
        "BC Loc Lam.docx",
        &report_docx("Lộc Lâm"),
        "daemon-1",
    );
    server.send("dangUyLocLam@gmail.com", user, &m1);
    wait_for(1);
    let r = Command::new(root.join("tests/mailserver/restart-dovecot.sh"))
        .arg(&state)
        .output()
        .unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let m2 = mail(
        "dangUyLocNgai@gmail.com",
        "Gửi báo cáo 809-CV/HU",
        "Fri, 27 Jan 2023 10:00:00 +0700",
        "Fri, 27 Jan 2023 10:00:03 +0700",
        "BC Loc Ngai.docx",
        &report_docx("Lộc Ngãi"),
        "daemon-2",
    );
    server.send("dangUyLocNgai@gmail.com", user, &m2);
    wait_for(2);
    // Still running (a lost connection is a retry, not an exit), and SIGTERM stops it cleanly.
    assert!(daemon.try_wait().unwrap().is_none(), "the daemon exited");
    sigterm(daemon.id());
    let status = daemon.wait().unwrap();
    assert!(status.success(), "{status:?}");
}

fn sigterm(pid: u32) {
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status();
}
