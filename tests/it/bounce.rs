//! A bounce for a unit's address: recognised as a delivery-status notification, never taken for
//! the unit's submission, the address listed as bad with the server's reason, shown in the
//! digest, and cleared by staff.

use crate::support::{TestDir, baocao, baocao_mail, config_with_mailbox, json, mail_server, ok};

const UNIT_ADDR: &str = "dangUyLocNgai@gmail.com";

/// What Postfix returns when Gmail refuses a reminder to `to`, with the reminder attached
/// whole (Postfix's default for small mails). The reminder names the unit and the request,
/// which is exactly what must not make it count as the unit's mail.
fn postfix_dsn(to: &str) -> Vec<u8> {
    format!(
        "Return-Path: <>\r\n\
Received: by mx.lamdong.gov.vn (Postfix) id 4NQ2Kx0Y3Zz9s; Fri, 27 Jan 2023 08:00:05 +0700 (+07)\r\n\
Date: Fri, 27 Jan 2023 08:00:05 +0700 (+07)\r\n\
From: MAILER-DAEMON@mx.lamdong.gov.vn (Mail Delivery System)\r\n\
Subject: Undelivered Mail Returned to Sender\r\n\
To: vanphong.huyenuy@lamdong.gov.vn\r\n\
Auto-Submitted: auto-replied\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/report; report-type=delivery-status;\r\n\
\tboundary=\"4NQ2Kx0Y3Zz9s.1674781205/mx.lamdong.gov.vn\"\r\n\
Message-Id: <20230127010005.4NQ2Kx0Y3Zz9s@mx.lamdong.gov.vn>\r\n\
\r\n\
This is a MIME-encapsulated message.\r\n\
\r\n\
--4NQ2Kx0Y3Zz9s.1674781205/mx.lamdong.gov.vn\r\n\
Content-Description: Notification\r\n\
Content-Type: text/plain; charset=us-ascii\r\n\
\r\n\
This is the mail system at host mx.lamdong.gov.vn.\r\n\
\r\n\
I'm sorry to have to inform you that your message could not\r\n\
be delivered to one or more recipients. It's attached below.\r\n\
\r\n\
<{to}>: host gmail-smtp-in.l.google.com[142.250.4.27] said:\r\n\
\x20   550-5.1.1 The email account that you tried to reach does not exist. (in\r\n\
\x20   reply to RCPT TO command)\r\n\
\r\n\
--4NQ2Kx0Y3Zz9s.1674781205/mx.lamdong.gov.vn\r\n\
Content-Description: Delivery report\r\n\
Content-Type: message/delivery-status\r\n\
\r\n\
Reporting-MTA: dns; mx.lamdong.gov.vn\r\n\
X-Postfix-Queue-ID: 4NQ2Kx0Y3Zz9s\r\n\
X-Postfix-Sender: rfc822; vanphong.huyenuy@lamdong.gov.vn\r\n\
Arrival-Date: Fri, 27 Jan 2023 08:00:01 +0700 (+07)\r\n\
\r\n\
Final-Recipient: rfc822; {to}\r\n\
Original-Recipient: rfc822;{to}\r\n\
Action: failed\r\n\
Status: 5.1.1\r\n\
Remote-MTA: dns; gmail-smtp-in.l.google.com\r\n\
Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does\r\n\
\x20   not exist.\r\n\
\r\n\
--4NQ2Kx0Y3Zz9s.1674781205/mx.lamdong.gov.vn\r\n\
Content-Description: Undelivered Message\r\n\
Content-Type: message/rfc822\r\n\
\r\n\
From: =?utf-8?b?VsSDbiBwaMOybmcgSHV54buHbiDhu6d5?= <vanphong.huyenuy@lamdong.gov.vn>\r\n\
To: {to}\r\n\
Subject: =?utf-8?b?Tmjhuq9jIGfhu61pIGLDoW8gY8OhbyB0aGVvIEPDtG5nIHbEg24gODA5LUNWL0hVIOKAlCDEkOG6o25nIOG7p3kgeMOjIEzhu5ljIE5nw6Np?=\r\n\
Message-ID: <reminder.809.loc-ngai.1@baocao.lamdong.gov.vn>\r\n\
Date: Fri, 27 Jan 2023 01:00:00 +0000\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
Content-Transfer-Encoding: 8bit\r\n\
\r\n\
Kính gửi Đảng ủy xã Lộc Ngãi, theo Công văn số 809-CV/HU về việc báo cáo Quy định 132, đơn vị còn thiếu Báo cáo, Biểu số 1.\r\n\
\r\n\
--4NQ2Kx0Y3Zz9s.1674781205/mx.lamdong.gov.vn--\r\n"
    )
    .into_bytes()
}

#[test]
fn a_bounce_marks_the_address_bad_and_counts_for_nothing() {
    let t = TestDir::new();
    let data = t.join("data");
    let now = "2023-01-28T08:00:00+07:00";
    let before = json(baocao(&data, &["--init", "--now", now, "status", "--json"]));
    let dsn = t.join("bounce.eml");
    std::fs::write(&dsn, postfix_dsn(UNIT_ADDR)).unwrap();
    ok(baocao(&data, &["ingest", &dsn.display().to_string()]));

    let msgs = json(baocao(&data, &["messages", "--json"]));
    let m = &msgs.as_array().unwrap()[0];
    assert!(
        m["flags"].as_array().unwrap().iter().any(|f| f == "bounce"),
        "{m}"
    );
    assert!(m["unit"].is_null(), "{m}");
    assert!(m["campaign"].is_null(), "{m}");
    assert_eq!(m["items"], serde_json::json!([]));
    let problems = m["problems"].as_array().unwrap();
    assert!(
        problems.iter().any(|p| {
            let p = p.as_str().unwrap();
            p.contains("danguylocngai@gmail.com") && p.contains("550-5.1.1")
        }),
        "{m}"
    );

    // The register is as it was.
    let after = json(baocao(&data, &["--now", now, "status", "--json"]));
    assert_eq!(before, after);

    let bad = json(baocao(&data, &["addresses", "bad", "--json"]));
    assert_eq!(bad.as_array().unwrap().len(), 1, "{bad}");
    assert_eq!(bad[0]["address"], "danguylocngai@gmail.com");
    assert_eq!(bad[0]["unit"], "loc-ngai");
    assert_eq!(
        bad[0]["reason"],
        "550-5.1.1 The email account that you tried to reach does not exist."
    );
    assert_eq!(bad[0]["message_id"], m["message_id"]);

    let digest = ok(baocao(&data, &["--now", now, "digest", "--dry-run"]));
    assert!(
        digest.contains(
            "Thư gửi tới danguylocngai@gmail.com (địa chỉ của Đảng ủy xã Lộc Ngãi) bị trả lại"
        ),
        "{digest}"
    );
    // The case links to "Cần xử lý" in the console, where the address is marked good again.
    assert!(
        digest.contains("→ http://127.0.0.1:8080/can-xu-ly"),
        "{digest}"
    );

    // Ingesting the same bounce again changes nothing.
    ok(baocao(&data, &["ingest", &dsn.display().to_string()]));
    assert_eq!(
        json(baocao(&data, &["messages", "--json"]))
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Staff fixed the registry: the address is forgotten, and forgetting it twice is a
    // mistake worth saying.
    ok(baocao(&data, &["addresses", "ok", UNIT_ADDR]));
    let bad = json(baocao(&data, &["addresses", "bad", "--json"]));
    assert_eq!(bad, serde_json::json!([]));
    let again = baocao(&data, &["addresses", "ok", UNIT_ADDR]);
    assert_eq!(again.status.code(), Some(2));
    let digest = ok(baocao(&data, &["--now", now, "digest", "--dry-run"]));
    assert!(!digest.contains("danguylocngai@gmail.com"), "{digest}");
}

#[test]
fn a_bounce_mailed_to_the_office_is_read_by_poll_and_the_digest_sent_to_staff_names_it() {
    let server = mail_server();
    let office = "unit10@donvi.test";
    let staff = "unit11@donvi.test";
    server.clear(office);
    server.clear(staff);
    let t = TestDir::new();
    let extra = format!(
        "\n[smtp]\nhost = \"127.0.0.1\"\nport = {}\nsecurity = \"plain\"\nfrom = \"Văn phòng Huyện ủy <vanphong@huyenuy.test>\"\n",
        server.smtp_port
    );
    let cfg = config_with_mailbox(t.path(), &server, office, &extra);
    // The digest goes to the staff recipients of the shipped config: make them the test's.
    let text = std::fs::read_to_string(&cfg).expect("read config");
    std::fs::write(
        &cfg,
        text.replace(
            "recipients = [\"bantochuc.huyenuy@lamdong.gov.vn\"]",
            &format!("recipients = [\"{staff}\"]"),
        ),
    )
    .expect("write config");
    // A bounce travels with the null sender.
    server.send("", office, &postfix_dsn(UNIT_ADDR));
    server.wait_for(office, "INBOX", 1);
    ok(baocao_mail(&cfg, &["poll", "--once"], &server));
    let msgs = json(baocao_mail(&cfg, &["messages", "--json"], &server));
    assert_eq!(msgs.as_array().unwrap().len(), 1, "{msgs}");
    assert!(
        msgs[0]["flags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == "bounce")
    );
    assert!(msgs[0]["unit"].is_null() && msgs[0]["campaign"].is_null());
    let bad = json(baocao_mail(&cfg, &["addresses", "bad", "--json"], &server));
    assert_eq!(bad[0]["address"], "danguylocngai@gmail.com", "{bad}");

    // The digest goes out through Postfix to the staff mailbox, text and HTML. The bounce
    // arrived today (the server's clock): addresses are bad as of --now, so the digest's
    // moment is after it.
    let now = "2030-01-01T08:00:00+07:00";
    let sent = json(baocao_mail(
        &cfg,
        &["--now", now, "--json", "digest"],
        &server,
    ));
    assert_eq!(sent["sent"], 1, "{sent}");
    assert_eq!(sent["key"], format!("digest:manual:{now}"));
    let fetched = server.wait_for(staff, "INBOX", 1);
    assert!(fetched.contains("text/html"), "{fetched}");
    let raw = fetched
        .split("text:\n")
        .nth(1)
        .unwrap()
        .trim_end_matches(['\n', '\x0c']);
    let m = baocao::message::parse(raw.as_bytes(), &baocao::config::Limits::default()).unwrap();
    assert_eq!(
        m.subject,
        "Tình hình nhận báo cáo 01/01/2030 — 1 việc cần xử lý"
    );
    assert!(m.body.contains("/can-xu-ly"), "{}", m.body);
    // Asking again at the same moment does not send a second digest.
    let again = json(baocao_mail(
        &cfg,
        &["--now", now, "--json", "digest"],
        &server,
    ));
    assert_eq!(again["queued"], false, "{again}");
    assert_eq!(again["sent"], 0, "{again}");
}
