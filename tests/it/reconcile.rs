//! The poll's full pass against the real Dovecot: older mail that lost (or never got) the
//! keyword is fetched again and flagged, and stored once; a big batch is pipelined and
//! resumes from its watermark.

use std::time::{Duration, Instant};

use crate::support::{
    TestDir, baocao_mail, config_with_mailbox, json, mail, mail_server, report_docx,
};

fn poll(
    cfg: &std::path::Path,
    server: &crate::support::MailServer,
    full: bool,
) -> serde_json::Value {
    let mut args = vec!["--json", "poll", "--once"];
    if full {
        args.push("--full");
    }
    json(baocao_mail(cfg, &args, server))
}

fn flags(server: &crate::support::MailServer, user: &str) -> String {
    let out = server.doveadm(&["fetch", "-u", user, "uid flags", "mailbox", "INBOX", "all"]);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_full_pass_flags_old_unflagged_mail_without_storing_it_twice() {
    let server = mail_server();
    let user = "unit32@donvi.test";
    server.clear(user);
    let t = TestDir::new();
    // Small batches: 7 mails go through the pipeline in several fetches.
    let cfg = config_with_mailbox(t.path(), &server, user, "batch-size = 2");
    for i in 0..7 {
        let m = mail(
            "dangUyLocAn@gmail.com",
            &format!("Đảng ủy xã Lộc An gửi báo cáo 809-CV/HU lần {i}"),
            "Fri, 27 Jan 2023 09:00:00 +0700",
            "Fri, 27 Jan 2023 09:00:03 +0700",
            &format!("BC {i} Loc An.docx"),
            &report_docx(&format!("Lộc An {i}")),
            &format!("reconcile-{i}"),
        );
        server.send("dangUyLocAn@gmail.com", user, &m);
    }
    let start = Instant::now();
    let mut fetched = 0;
    let mut stored = 0;
    while fetched < 7 && start.elapsed() < Duration::from_secs(30) {
        let r = poll(&cfg, &server, false);
        fetched += r["fetched"].as_u64().unwrap_or(0);
        stored += r["stored"].as_u64().unwrap_or(0);
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!((fetched, stored), (7, 7));
    assert_eq!(flags(&server, user).matches("$BaoCao").count(), 7);

    // Staff (or a crash between commit and flag) leave two old messages without the keyword.
    // UIDs keep counting across test runs on one server: take the 2nd and 5th message's.
    let listed = server.doveadm(&["fetch", "-u", user, "uid", "mailbox", "INBOX", "all"]);
    let uids: Vec<String> = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .filter_map(|l| l.strip_prefix("uid: "))
        .map(|u| u.trim().to_string())
        .collect();
    assert_eq!(uids.len(), 7, "{uids:?}");
    let pick = format!("{},{}", uids[1], uids[4]);
    let out = server.doveadm(&[
        "flags", "remove", "-u", user, "$BaoCao", "mailbox", "INBOX", "uid", &pick,
    ]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(flags(&server, user).matches("$BaoCao").count(), 5);
    // A normal poll looks only above the last UID: nothing.
    let r = poll(&cfg, &server, false);
    assert_eq!(r["fetched"], 0, "{r}");
    // The full pass fetches exactly those two, stores nothing again and flags them.
    let r = poll(&cfg, &server, true);
    assert_eq!(r["reconciled"], 2, "{r}");
    assert_eq!(r["fetched"], 2, "{r}");
    assert_eq!(r["stored"], 0, "{r}");
    assert_eq!(r["duplicates"], 2, "{r}");
    let f = flags(&server, user);
    assert_eq!(f.matches("$BaoCao").count(), 7, "{f}");
    assert!(!f.contains("\\Seen"), "{f}");
    let msgs = json(baocao_mail(&cfg, &["messages", "--json"], &server));
    assert_eq!(msgs.as_array().map(Vec::len), Some(7));
    // And a second full pass finds nothing left to do.
    let r = poll(&cfg, &server, true);
    assert_eq!(
        (r["reconciled"].as_u64(), r["fetched"].as_u64()),
        (Some(0), Some(0)),
        "{r}"
    );
}
