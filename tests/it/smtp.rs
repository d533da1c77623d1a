//! Sending through the real Postfix over implicit TLS and STARTTLS with a login, and the SMTP
//! line of `check-config`, read back from the real Dovecot.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::{MailServer, TestDir, config_with_mailbox, json, mail_server};

/// The office login every sending test uses (the server does not tie senders to logins).
const LOGIN: &str = "vanphong@huyenuy.test";

/// A config whose [mailbox] reads `user` and whose [smtp] goes to `host:port` with `security`
/// and `extra` lines (login, ca-file…).
fn config(dir: &Path, server: &MailServer, user: &str, smtp: &str) -> PathBuf {
    std::fs::create_dir_all(dir).expect("mkdir");
    config_with_mailbox(
        dir,
        server,
        user,
        &format!("\n[smtp]\n{smtp}\nfrom = \"Văn phòng Huyện ủy <vanphong@huyenuy.test>\"\n"),
    )
}

/// The [smtp] lines for `security` on `port` of "localhost" (the name in the certificate),
/// trusting the test CA, logging in as the office.
fn smtp(server: &MailServer, port: u16, security: &str) -> String {
    format!(
        "host = \"localhost\"\nport = {port}\nsecurity = \"{security}\"\nusername = \"{LOGIN}\"\npassword-env = \"BAOCAO_TEST_SMTP_PASSWORD\"\nca-file = \"{}\"",
        server.ca_cert.display()
    )
}

/// Runs baocao with `cfg`, the right IMAP password and `smtp_password` for SMTP.
fn run(cfg: &Path, args: &[&str], server: &MailServer, smtp_password: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_baocao"))
        .arg("--config")
        .arg(cfg)
        .args(args)
        .env("BAOCAO_TEST_IMAP_PASSWORD", &server.password)
        .env("BAOCAO_TEST_SMTP_PASSWORD", smtp_password)
        .output()
        .expect("run baocao")
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The messages of doveadm's `fetch text` output, parsed as a mail client would.
fn parsed(fetched: &str) -> Vec<baocao::message::Inbound> {
    fetched
        .split("text:\n")
        .skip(1)
        .map(|m| {
            // doveadm separates messages with a form feed line.
            let m = m.trim_end_matches(['\n', '\x0c']);
            baocao::message::parse(m.as_bytes(), &baocao::config::Limits::default())
                .expect("parse a fetched mail")
        })
        .collect()
}

const SUBJECT: &str = "Thư thử nghiệm của baocao — Huyện ủy Bảo Lâm";

#[test]
fn send_test_goes_out_over_implicit_tls_and_over_starttls_with_a_login_and_reads_back_in_vietnamese()
 {
    let server = mail_server();
    let t = TestDir::new();
    for (user, port, security) in [
        ("unit20@donvi.test", server.smtps_port, "tls"),
        ("unit21@donvi.test", server.smtp_port, "starttls"),
    ] {
        server.clear(user);
        let cfg = config(
            &t.join(security),
            &server,
            user,
            &smtp(&server, port, security),
        );
        let out = run(
            &cfg,
            &["--json", "send-test", "--to", user, "--key", "k1"],
            &server,
            &server.password,
        );
        let v = json(out);
        assert_eq!(v["sent"], 1, "{security}: {v}");
        assert_eq!(v["retry"], 0, "{security}: {v}");
        assert_eq!(v["problems"], serde_json::json!([]), "{security}: {v}");
        let fetched = server.wait_for(user, "INBOX", 1);
        // Postfix names the protocol in its Received header: ESMTPSA is ESMTP over TLS (S)
        // with a login (A), so the mail neither went in clear nor skipped AUTH.
        assert!(
            fetched.contains("with ESMTPSA"),
            "{security}: not sent over TLS with a login:\n{fetched}"
        );
        let msgs = parsed(&fetched);
        assert_eq!(msgs.len(), 1, "{security}");
        assert_eq!(msgs[0].subject, SUBJECT, "{security}");
        assert_eq!(
            msgs[0].attachments[0].name, "Biên nhận thử nghiệm — Văn phòng.txt",
            "{security}"
        );
        assert_eq!(server.count(user, "INBOX"), 1, "{security}");
    }
}

#[test]
fn a_wrong_smtp_password_is_named_and_the_mail_goes_out_once_the_password_is_fixed() {
    let server = mail_server();
    let user = "unit22@donvi.test";
    server.clear(user);
    let t = TestDir::new();
    let cfg = config(
        t.path(),
        &server,
        user,
        &smtp(&server, server.smtps_port, "tls"),
    );
    let out = run(
        &cfg,
        &["send-test", "--to", user, "--key", "bad"],
        &server,
        "wrong",
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("chờ gửi lại 1"),
        "the mail is kept for a retry, not given up:\n{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "LỖI — máy chủ gửi thư localhost:{} từ chối đăng nhập của {LOGIN} — sai tên đăng nhập hoặc mật khẩu",
        server.smtps_port
        )),
        "{stdout}"
    );
    // The server's own words come along for the administrator.
    assert!(
        stdout.to_lowercase().contains("authentication failed"),
        "{stdout}"
    );
    assert!(stderr.contains("thư thử chưa được gửi"), "{stderr}");
    assert_eq!(server.count(user, "INBOX"), 0);

    // Password fixed, and past the retry time: the kept mail goes out with the new one, once.
    let later = (chrono::Local::now() + chrono::Duration::minutes(10)).to_rfc3339();
    let v = json(run(
        &cfg,
        &[
            "--json",
            "--now",
            &later,
            "send-test",
            "--to",
            user,
            "--key",
            "good",
        ],
        &server,
        &server.password,
    ));
    assert_eq!(v["sent"], 2, "{v}");
    assert_eq!(v["problems"], serde_json::json!([]), "{v}");
    let msgs = parsed(&server.wait_for(user, "INBOX", 2));
    assert_eq!(msgs.len(), 2);
    assert!(msgs.iter().all(|m| m.subject == SUBJECT), "{msgs:?}");
    // Nothing more is due: a third run sends nothing.
    let v = json(run(
        &cfg,
        &[
            "--json",
            "--now",
            &later,
            "send-test",
            "--to",
            user,
            "--key",
            "good",
        ],
        &server,
        &server.password,
    ));
    assert_eq!(v["sent"], 0, "{v}");
    assert_eq!(server.count(user, "INBOX"), 2);
}

#[test]
fn check_config_logs_in_to_the_smtp_server_and_names_what_is_wrong_in_plain_words() {
    let server = mail_server();
    let user = "unit25@donvi.test";
    let t = TestDir::new();
    // Good: implicit TLS and STARTTLS, each with the login.
    for (port, security) in [(server.smtps_port, "tls"), (server.smtp_port, "starttls")] {
        let cfg = config(
            &t.join(security),
            &server,
            user,
            &smtp(&server, port, security),
        );
        let v = json(run(
            &cfg,
            &["--json", "check-config"],
            &server,
            &server.password,
        ));
        assert_eq!(v["smtp"]["ok"], true, "{security}: {v}");
        assert_eq!(
            v["smtp"]["detail"],
            format!("{LOGIN}@localhost:{port}"),
            "{security}: {v}"
        );
        let out = run(&cfg, &["check-config"], &server, &server.password);
        let (stdout, stderr) = text(&out);
        assert!(out.status.success(), "{stdout}\n{stderr}");
        assert!(
            stdout.contains(&format!(
                "Gửi thư (SMTP): kết nối và đăng nhập được — {LOGIN}@localhost:{port}"
            )),
            "{stdout}"
        );
    }

    // Each failure: exit 1, the IMAP line still fine, the SMTP line in plain words.
    let fails = |name: &str, smtp_lines: String, password: &str, expect: &str, also_json: bool| {
        let cfg = config(&t.join(name), &server, user, &smtp_lines);
        let out = run(&cfg, &["check-config"], &server, password);
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(1), "{name}:\n{stdout}\n{stderr}");
        assert!(
            stdout.contains("Hộp thư (IMAP): kết nối và đăng nhập được"),
            "{name}:\n{stdout}"
        );
        let line = stdout
            .lines()
            .find(|l| l.starts_with("Gửi thư (SMTP): LỖI — "))
            .unwrap_or_else(|| panic!("{name}: no SMTP error line:\n{stdout}"));
        assert!(line.contains(expect), "{name}: {line}");
        assert!(
            stderr.contains("kiểm tra máy chủ gửi thư (SMTP) không đạt"),
            "{name}: {stderr}"
        );
        if !also_json {
            return;
        }
        // JSON says the same and fails the same.
        let out = run(&cfg, &["--json", "check-config"], &server, password);
        assert_eq!(out.status.code(), Some(1), "{name} --json");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        assert_eq!(v["smtp"]["ok"], false, "{name}: {v}");
        assert!(
            v["smtp"]["detail"]
                .as_str()
                .is_some_and(|d| d.contains(expect)),
            "{name}: {v}"
        );
    };
    let refused_login = format!("từ chối đăng nhập của {LOGIN} — sai tên đăng nhập hoặc mật khẩu");
    fails(
        "wrong-password-tls",
        smtp(&server, server.smtps_port, "tls"),
        "wrong",
        &refused_login,
        true,
    );
    // The plain port takes mail without a login, so this fails only if AUTH is really tried.
    fails(
        "wrong-password-starttls",
        smtp(&server, server.smtp_port, "starttls"),
        "wrong",
        &refused_login,
        false,
    );
    // Without the test CA the certificate is from an unknown issuer.
    fails(
        "unknown-ca",
        format!(
            "host = \"localhost\"\nport = {}\nsecurity = \"tls\"",
            server.smtps_port
        ),
        &server.password,
        "không xác minh được chứng chỉ TLS của localhost",
        true,
    );
    // TLS spoken to the port that greets in clear text.
    fails(
        "tls-to-plain-port",
        smtp(&server, server.smtp_port, "tls"),
        &server.password,
        &format!("không bắt tay TLS được với localhost:{}", server.smtp_port),
        false,
    );
    // STARTTLS against the implicit-TLS port: each side waits for the other to speak, so only
    // a time limit ends it (5 s, the shortest allowed).
    let started = std::time::Instant::now();
    fails(
        "starttls-to-tls-port",
        smtp(&server, server.smtps_port, "starttls") + "\ntimeout-seconds = 5",
        &server.password,
        &format!(
            "máy chủ gửi thư localhost:{} không trả lời trong 5 giây",
            server.smtps_port
        ),
        false,
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(15),
        "the time limit was not kept: {:?}",
        started.elapsed()
    );
    fails(
        "nothing-listening",
        "host = \"127.0.0.1\"\nport = 1\nsecurity = \"plain\"".to_string(),
        &server.password,
        "không kết nối được tới 127.0.0.1:1: máy chủ từ chối kết nối",
        false,
    );
}
