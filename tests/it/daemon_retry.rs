//! `baocao run` against a mailbox it cannot use: it logs a retry with a growing wait, keeps
//! running, and stops cleanly on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::support::{TestDir, baocao_mail, config_with_mailbox, json, mail_server};

const RETRY: &str = "poll failed; will retry";

/// Starts the daemon on `cfg` with IMAP password `password`; its stderr lines go to the channel.
fn start(cfg: &std::path::Path, password: &str) -> (Child, mpsc::Receiver<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_baocao"))
        .arg("--config")
        .arg(cfg)
        .args(["run", "--interval", "1"])
        .env("BAOCAO_TEST_IMAP_PASSWORD", password)
        .env_remove("BAOCAO_LOG")
        .env_remove("NO_COLOR")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start baocao run");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (child, rx)
}

/// The `retry_in_s` value of a log line.
fn retry_in(line: &str) -> f64 {
    let v = line
        .split_once("retry_in_s=")
        .unwrap_or_else(|| panic!("no retry_in_s in {line:?}"))
        .1;
    v.split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("bad retry_in_s in {line:?}"))
}

fn sigterm(child: &Child) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
}

#[test]
fn run_logs_growing_retries_on_a_wrong_password_and_an_unreachable_server_and_stops_on_sigterm() {
    let server = mail_server();
    let t = TestDir::new();
    let wrong_pw = config_with_mailbox(
        &t.join("wrong-password"),
        &server,
        "unit24@donvi.test",
        "timeout-seconds = 5",
    );
    let unreachable = config_with_mailbox(
        &t.join("unreachable"),
        &server,
        "unit26@donvi.test",
        "timeout-seconds = 5",
    );
    let text = std::fs::read_to_string(&unreachable).expect("read config");
    std::fs::write(
        &unreachable,
        text.replace(&format!("port = {}", server.imap_port), "port = 1"),
    )
    .expect("write config");
    // Both at once: the test waits for the slower one only.
    let mut cases = [
        (
            "wrong password",
            start(&wrong_pw, "wrong"),
            "từ chối đăng nhập của unit24@donvi.test",
        ),
        (
            "unreachable",
            start(&unreachable, &server.password),
            "không kết nối được tới 127.0.0.1:1",
        ),
    ];
    let mut logs: [Vec<String>; 2] = Default::default();
    let retries = |log: &Vec<String>| log.iter().filter(|l| l.contains(RETRY)).count();
    // First retry after 2–3 s, the next after 4–5 s more: two lines come within about 4 s.
    let start_at = Instant::now();
    while logs.iter().any(|l| retries(l) < 2) && start_at.elapsed() < Duration::from_secs(8) {
        for (i, (_, (_, rx), _)) in cases.iter().enumerate() {
            while let Ok(line) = rx.recv_timeout(Duration::from_millis(20)) {
                logs[i].push(line);
            }
        }
    }
    for (i, (name, (child, _), cause)) in cases.iter_mut().enumerate() {
        let log = &logs[i];
        let lines: Vec<&String> = log.iter().filter(|l| l.contains(RETRY)).collect();
        assert!(
            lines.len() >= 2,
            "{name}: fewer than two retries:\n{log:#?}"
        );
        assert!(
            lines.iter().all(|l| l.contains(*cause)),
            "{name}: the cause is not logged:\n{log:#?}"
        );
        // The log goes to a file or the journal, not a terminal: no colour codes in it.
        assert!(
            log.iter().all(|l| !l.contains('\x1b')),
            "{name}: escape codes in the log:\n{log:#?}"
        );
        // Backoff 2 s then 4 s, plus up to 1 s of jitter each.
        let (first, second) = (retry_in(lines[0]), retry_in(lines[1]));
        assert!((2.0..3.0).contains(&first), "{name}: first wait {first}");
        assert!((4.0..5.0).contains(&second), "{name}: second wait {second}");
        assert!(
            child.try_wait().expect("try_wait").is_none(),
            "{name}: the daemon exited:\n{log:#?}"
        );
    }
    for (name, (child, _), _) in cases.iter_mut() {
        sigterm(child);
        let stop = Instant::now();
        let status = loop {
            if let Some(s) = child.try_wait().expect("try_wait") {
                break s;
            }
            if stop.elapsed() > Duration::from_secs(5) {
                let _ = child.kill();
                panic!("{name}: the daemon did not stop on SIGTERM");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        assert!(status.success(), "{name}: {status:?}");
    }
    // Staff see the problem in `status` (once, not once per retry) until a poll succeeds.
    let st = crate::support::ok(baocao_mail(&wrong_pw, &["status"], &server));
    assert!(
        st.contains("CẢNH BÁO: đọc hộp thư bị lỗi") && st.contains("unit24@donvi.test"),
        "{st}"
    );
    let ok = json(baocao_mail(
        &wrong_pw,
        &["--json", "poll", "--once"],
        &server,
    ));
    assert_eq!(ok["fetched"], 0, "{ok}");
    let st = crate::support::ok(baocao_mail(&wrong_pw, &["status"], &server));
    assert!(!st.contains("CẢNH BÁO"), "{st}");
}
