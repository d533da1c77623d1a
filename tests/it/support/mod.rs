//! Test support: a unique temp dir per test, a CLI runner, and mail generators.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shipped config file.
pub fn shipped_config() -> PathBuf {
    root().join("config/baocao.toml")
}

/// A temp dir removed at the end of the test.
pub struct TestDir {
    dir: tempfile::TempDir,
}

impl TestDir {
    /// A fresh dir.
    pub fn new() -> Self {
        TestDir {
            dir: tempfile::Builder::new()
                .prefix("baocao-it-")
                .tempdir()
                .expect("temp dir"),
        }
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside it.
    pub fn join(&self, p: &str) -> PathBuf {
        self.dir.path().join(p)
    }
}

/// Runs `baocao` with the shipped config, `data` as the data dir, and `args`.
pub fn baocao(data: &Path, args: &[&str]) -> Output {
    let mut all: Vec<String> = vec![
        "--config".into(),
        shipped_config().display().to_string(),
        "--data".into(),
        data.display().to_string(),
    ];
    all.extend(args.iter().map(|s| s.to_string()));
    Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args(&all)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .output()
        .expect("run baocao")
}

/// Runs `baocao` with exactly `args`.
pub fn baocao_raw(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args(args)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .output()
        .expect("run baocao")
}

/// Stdout of a successful run, or a panic that shows stderr.
pub fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "baocao failed ({:?}):\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Parses stdout of a successful `--json` run.
pub fn json(out: Output) -> serde_json::Value {
    let s = ok(out);
    serde_json::from_str(&s).unwrap_or_else(|e| panic!("not JSON ({e}):\n{s}"))
}

/// A small but real unit report mail: a Received header from the office server at
/// `received`, a Date header at `date`, and one attachment `name` with `body` bytes.
pub fn mail(
    from: &str,
    subject: &str,
    date: &str,
    received: &str,
    name: &str,
    body: &[u8],
    id: &str,
) -> Vec<u8> {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(body);
    let mut wrapped = String::new();
    for chunk in b64.as_bytes().chunks(76) {
        wrapped.push_str(std::str::from_utf8(chunk).unwrap_or(""));
        wrapped.push_str("\r\n");
    }
    format!(
        "Received: from mail-sor-f41.google.com by mx.lamdong.gov.vn (Postfix) with ESMTPS id 4N{id}\r\n\
        \tfor <vanphong.huyenuy@lamdong.gov.vn>; {received}\r\n\
        Received: by 2002:a05:6402:1 with SMTP id x; {date}\r\n\
        From: <{from}>\r\n\
        To: <vanphong.huyenuy@lamdong.gov.vn>\r\n\
        Subject: =?UTF-8?B?{subj}?=\r\n\
        Date: {date}\r\n\
        Message-ID: <{id}@mail.gmail.com>\r\n\
        MIME-Version: 1.0\r\n\
        Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n\
        --b1\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nKính gửi Văn phòng Huyện ủy.\r\n\
        --b1\r\nContent-Type: application/octet-stream; name=\"{name}\"\r\n\
        Content-Disposition: attachment; filename=\"{name}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{wrapped}--b1--\r\n",
        subj = base64::engine::general_purpose::STANDARD.encode(subject.as_bytes()),
    )
    .into_bytes()
}

/// A short but real report: the type line, the request it answers, and `text`.
pub fn report_docx(text: &str) -> Vec<u8> {
    docx(&format!(
        "BÁO CÁO kết quả thực hiện Quy định 132-QĐ/TW theo Công văn số 809-CV/HU. {text} {}",
        "Đảng ủy đã lãnh đạo, chỉ đạo các chi bộ tổ chức kiểm điểm, đánh giá, xếp loại chất lượng đúng quy định. ".repeat(3)
    ))
}

/// A minimal real .docx holding `text`.
pub fn docx(text: &str) -> Vec<u8> {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let o = zip::write::SimpleFileOptions::default();
        z.start_file("[Content_Types].xml", o).expect("zip");
        z.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).expect("zip");
        z.start_file("word/document.xml", o).expect("zip");
        write!(z, r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"#).expect("zip");
        z.finish().expect("zip");
    }
    buf.into_inner()
}

/// The loopback Dovecot + Postfix the mail tests use (tests/mailserver/start.sh).
#[derive(Debug, Clone)]
pub struct MailServer {
    /// State folder.
    pub state: PathBuf,
    /// IMAP port (plain/STARTTLS).
    pub imap_port: u16,
    /// IMAPS port.
    pub imaps_port: u16,
    /// SMTP port (plain; AUTH and STARTTLS optional).
    pub smtp_port: u16,
    /// SMTPS port (implicit TLS).
    pub smtps_port: u16,
    /// Password of every test user.
    pub password: String,
    /// CA certificate to trust.
    pub ca_cert: PathBuf,
}

fn parse_env(text: &str) -> std::collections::HashMap<String, String> {
    text.lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().trim_matches('"').to_string()))
        .collect()
}

/// The running test mail server: the one scripts/test.sh started (BAOCAO_MAILTEST_ENV), or
/// one started here in a fixed state folder (kept running for the next test run).
pub fn mail_server() -> MailServer {
    static SERVER: std::sync::OnceLock<MailServer> = std::sync::OnceLock::new();
    SERVER
        .get_or_init(|| {
            let env_text = match std::env::var("BAOCAO_MAILTEST_ENV") {
                Ok(p) => {
                    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {p}: {e}"))
                }
                Err(_) => {
                    // Own ports, so a server someone else runs on the defaults is left alone.
                    let out = Command::new(root().join("tests/mailserver/start.sh"))
                        .arg("/tmp/baocao-it-mailserver")
                        .env("MAILTEST_IMAP_PORT", "11143")
                        .env("MAILTEST_IMAPS_PORT", "11993")
                        .env("MAILTEST_SMTP_PORT", "12525")
                        .env("MAILTEST_SMTPS_PORT", "12465")
                        .env("MAILTEST_LMTP_PORT", "12424")
                        .stderr(std::process::Stdio::inherit())
                        .output()
                        .expect("run tests/mailserver/start.sh");
                    assert!(out.status.success(), "start.sh failed");
                    String::from_utf8_lossy(&out.stdout).into_owned()
                }
            };
            let e = parse_env(&env_text);
            let get = |k: &str| {
                e.get(k)
                    .cloned()
                    .unwrap_or_else(|| panic!("{k} missing from the mail server env"))
            };
            MailServer {
                state: PathBuf::from(get("MAILTEST_STATE_DIR")),
                imap_port: get("MAILTEST_IMAP_PORT").parse().expect("port"),
                imaps_port: get("MAILTEST_IMAPS_PORT").parse().expect("port"),
                smtp_port: get("MAILTEST_SMTP_PORT").parse().expect("port"),
                smtps_port: get("MAILTEST_SMTPS_PORT").parse().expect("port"),
                password: get("MAILTEST_PASSWORD"),
                ca_cert: PathBuf::from(get("MAILTEST_CA_CERT")),
            }
        })
        .clone()
}

impl MailServer {
    /// Runs doveadm on this server.
    pub fn doveadm(&self, args: &[&str]) -> Output {
        Command::new("doveadm")
            .arg("-c")
            .arg(self.state.join("dovecot/dovecot.conf"))
            .args(args)
            .output()
            .expect("run doveadm")
    }

    /// Stores `raw` straight into `folder` of `user` (no SMTP), as a mail filed by hand.
    pub fn save(&self, user: &str, folder: &str, raw: &[u8]) {
        use std::io::Write;
        let mut child = Command::new("doveadm")
            .arg("-c")
            .arg(self.state.join("dovecot/dovecot.conf"))
            .args(["save", "-u", user, "-m", folder])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run doveadm save");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(raw)
            .expect("write to doveadm save");
        let out = child.wait_with_output().expect("doveadm save");
        assert!(
            out.status.success(),
            "doveadm save: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// `doveadm fetch` of `fields` for every message of `folder` of `user`, as text.
    pub fn fetch(&self, user: &str, fields: &str, folder: &str) -> String {
        let out = self.doveadm(&["fetch", "-u", user, fields, "mailbox", folder, "all"]);
        assert!(
            out.status.success(),
            "doveadm fetch {fields} {folder}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// How many messages `folder` of `user` holds.
    pub fn count(&self, user: &str, folder: &str) -> usize {
        let out = self.doveadm(&["search", "-u", user, "mailbox", folder, "all"]);
        String::from_utf8_lossy(&out.stdout).lines().count()
    }

    /// Waits until `folder` of `user` holds `n` messages (delivery takes a moment) and returns
    /// their full text as doveadm prints it.
    pub fn wait_for(&self, user: &str, folder: &str, n: usize) -> String {
        let start = std::time::Instant::now();
        loop {
            let have = self.count(user, folder);
            if have >= n {
                return self.fetch(user, "text", folder);
            }
            assert!(
                start.elapsed() < std::time::Duration::from_secs(20),
                "{user}/{folder}: {have} of {n} messages arrived"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    /// Empties every folder of `user`.
    pub fn clear(&self, user: &str) {
        let _ = self.doveadm(&["expunge", "-u", user, "mailbox", "*", "all"]);
    }

    /// Sends `raw` through Postfix (plain SMTP) to `to`.
    pub fn send(&self, from: &str, to: &str, raw: &[u8]) {
        use std::io::{BufRead, BufReader, Write};
        let s = std::net::TcpStream::connect(("127.0.0.1", self.smtp_port)).expect("connect smtp");
        s.set_read_timeout(Some(std::time::Duration::from_secs(20)))
            .expect("timeout");
        let mut r = BufReader::new(s.try_clone().expect("clone"));
        let mut w = s;
        let mut expect = |code: &str| loop {
            let mut line = String::new();
            r.read_line(&mut line).expect("smtp reply");
            assert!(
                line.starts_with(code),
                "SMTP: expected {code}, got {line:?}"
            );
            if line.as_bytes().get(3) != Some(&b'-') {
                break;
            }
        };
        expect("220");
        for (cmd, code) in [
            ("EHLO test.local".to_string(), "250"),
            (format!("MAIL FROM:<{from}>"), "250"),
            (format!("RCPT TO:<{to}>"), "250"),
            ("DATA".to_string(), "354"),
        ] {
            write!(w, "{cmd}\r\n").expect("write");
            expect(code);
        }
        let text = String::from_utf8_lossy(raw).replace("\r\n", "\n");
        for line in text.lines() {
            let l = if line.starts_with('.') {
                format!(".{line}")
            } else {
                line.to_string()
            };
            write!(w, "{l}\r\n").expect("write");
        }
        write!(w, ".\r\n").expect("write");
        expect("250");
        write!(w, "QUIT\r\n").expect("write");
    }
}

/// A config folder (copy of config/) whose [mailbox] reads `user` on the test server.
pub fn config_with_mailbox(dir: &Path, server: &MailServer, user: &str, extra: &str) -> PathBuf {
    let cfg = dir.join("config");
    std::fs::create_dir_all(cfg.join("campaigns")).expect("mkdir");
    let main = std::fs::read_to_string(root().join("config/baocao.toml")).expect("read config");
    std::fs::write(
        cfg.join("baocao.toml"),
        format!(
            "{main}\n[mailbox]\nhost = \"127.0.0.1\"\nport = {}\nsecurity = \"plain\"\nusername = \"{user}\"\npassword-env = \"BAOCAO_TEST_IMAP_PASSWORD\"\n{extra}\n",
            server.imap_port
        ),
    )
    .expect("write config");
    for f in ["campaigns/809-CV-HU.toml", "units.csv"] {
        std::fs::copy(root().join("config").join(f), cfg.join(f)).expect("copy");
    }
    cfg.join("baocao.toml")
}

/// Runs `baocao` with `config` and the test mailbox password in the environment.
pub fn baocao_mail(config: &Path, args: &[&str], server: &MailServer) -> Output {
    Command::new(env!("CARGO_BIN_EXE_baocao"))
        .arg("--config")
        .arg(config)
        .args(args)
        .env("BAOCAO_TEST_IMAP_PASSWORD", &server.password)
        .output()
        .expect("run baocao")
}
