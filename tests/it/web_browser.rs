//! The web console end to end in a real headless browser: Debian's chromium driven through
//! chromium-driver (WebDriver, plain JSON over HTTP, spoken here with a few lines of std
//! networking rather than a client crate). The flow a clerk follows: log in; see the matrix;
//! resolve the unidentified mail by assigning it; grant an extension; the matrix, the register
//! and the next reminder change; log out.

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::web::{CAMPAIGN, EDITOR, NOW, console, demo_copy};
use crate::support::{TestDir, baocao_raw, ok};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// One HTTP/1.1 exchange with `Connection: close`; the body as JSON.
fn http(addr: SocketAddr, method: &str, path: &str, body: Option<&Value>) -> Value {
    let mut s = TcpStream::connect(addr).expect("connect to chromedriver");
    s.set_read_timeout(Some(Duration::from_secs(120)))
        .expect("timeout");
    let payload = body.map(Value::to_string).unwrap_or_default();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{payload}",
        payload.len()
    );
    s.write_all(req.as_bytes()).expect("send");
    // chromedriver may keep the connection open whatever we ask: read by Content-Length (or
    // chunks) instead of to the end.
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    let body = loop {
        let n = s.read(&mut buf).expect("read");
        raw.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&raw).into_owned();
        if let Some((head, rest)) = text.split_once("\r\n\r\n") {
            let lower = head.to_ascii_lowercase();
            let length = lower
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok());
            if let Some(len) = length {
                let have = raw.len() - (head.len() + 4);
                if have >= len {
                    break String::from_utf8_lossy(&raw[head.len() + 4..head.len() + 4 + len])
                        .into_owned();
                }
            } else if lower.contains("transfer-encoding: chunked") && rest.ends_with("0\r\n\r\n") {
                let mut out = String::new();
                let mut r = rest;
                while let Some((size, tail)) = r.split_once("\r\n") {
                    let n = usize::from_str_radix(size.trim(), 16).expect("chunk size");
                    if n == 0 {
                        break;
                    }
                    out.push_str(&tail[..n]);
                    r = &tail[n + 2..];
                }
                break out;
            }
        }
        assert!(n > 0, "{method} {path}: connection closed early: {text}");
    };
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{method} {path}: {e}: {body}"))
}

/// A chromium session through chromium-driver; both end when this is dropped.
struct Browser {
    driver: Child,
    addr: SocketAddr,
    session: String,
}

impl Browser {
    fn start() -> Browser {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (Debian package chromium-driver; scripts/install-tools.sh)");
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().expect("addr");
        let started = Instant::now();
        while TcpStream::connect(addr).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let caps = json!({"capabilities": {"alwaysMatch": {"goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"]
        }}}});
        let mut b = Browser {
            driver,
            addr,
            session: String::new(),
        };
        let v = http(addr, "POST", "/session", Some(&caps));
        b.session = v["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {v}"))
            .to_string();
        b
    }

    fn try_cmd(&self, method: &str, what: &str, body: Option<Value>) -> Result<Value, Value> {
        let path = format!("/session/{}{what}", self.session);
        let v = http(
            self.addr,
            method,
            &path,
            body.as_ref()
                .or(Some(&json!({})))
                .filter(|_| method == "POST"),
        );
        match v["value"].get("error") {
            None => Ok(v["value"].clone()),
            Some(_) => Err(v),
        }
    }

    fn cmd(&self, method: &str, what: &str, body: Option<Value>) -> Value {
        self.try_cmd(method, what, body)
            .unwrap_or_else(|v| panic!("{method} {what}: {v}"))
    }

    /// The text of `css` once it satisfies `ok`: a click that submits a form returns before
    /// the next page is there, so the old page's elements may still answer (or go stale).
    fn wait_text(&self, css: &str, ok: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        let mut last = String::new();
        while started.elapsed() < Duration::from_secs(20) {
            let got = self
                .try_cmd(
                    "POST",
                    "/element",
                    Some(json!({"using": "css selector", "value": css})),
                )
                .ok()
                .and_then(|e| e[ELEMENT].as_str().map(str::to_string))
                .and_then(|e| {
                    self.try_cmd("GET", &format!("/element/{e}/text"), None)
                        .ok()
                })
                .and_then(|t| t.as_str().map(str::to_string));
            if let Some(t) = got {
                if ok(&t) {
                    return t;
                }
                last = t;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("{css} never became as expected; last text: {last:?}");
    }

    /// Waits until the browser is at `url` with the page loaded.
    fn wait_url(&self, url: &str) {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(20) {
            let ready = self
                .try_cmd(
                    "POST",
                    "/execute/sync",
                    Some(json!({"script": "return document.readyState", "args": []})),
                )
                .ok();
            if self.url() == url && ready.as_ref().and_then(Value::as_str) == Some("complete") {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("never reached {url}; at {}", self.url());
    }

    fn go(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({ "url": url })));
    }

    fn url(&self) -> String {
        self.cmd("GET", "/url", None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn find(&self, css: &str) -> String {
        let v = self.cmd(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        v[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no {css}: {v}"))
            .to_string()
    }

    fn text(&self, css: &str) -> String {
        let e = self.find(css);
        self.cmd("GET", &format!("/element/{e}/text"), None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn click(&self, css: &str) {
        let e = self.find(css);
        self.cmd("POST", &format!("/element/{e}/click"), Some(json!({})));
    }

    fn type_in(&self, css: &str, text: &str) {
        let e = self.find(css);
        self.cmd(
            "POST",
            &format!("/element/{e}/value"),
            Some(json!({ "text": text })),
        );
    }

    fn script(&self, js: &str) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({"script": js, "args": []})),
        )
    }

    fn screenshot_png(&self) -> Vec<u8> {
        use base64::Engine as _;
        let v = self.cmd("GET", "/screenshot", None);
        base64::engine::general_purpose::STANDARD
            .decode(v.as_str().unwrap_or_default())
            .expect("png")
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = http(
                self.addr,
                "DELETE",
                &format!("/session/{}", self.session),
                None,
            );
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// The console served on a loopback port from its own thread until the returned token is
/// cancelled.
fn serve(config: &std::path::Path) -> (String, tokio_util::sync::CancellationToken) {
    let console = console(config);
    let (tx, rx) = std::sync::mpsc::channel();
    let stop_tx = tokio_util::sync::CancellationToken::new();
    let stop_rx = stop_tx.clone();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let l = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            tx.send(l.local_addr().expect("addr")).expect("send addr");
            baocao::web::serve(l, console, stop_rx)
                .await
                .expect("serve");
        });
    });
    let addr = rx.recv().expect("server address");
    (format!("http://{addr}"), stop_tx)
}

fn unit_status(config: &std::path::Path, unit: &str) -> String {
    let out = baocao_raw(&[
        "--config",
        &config.display().to_string(),
        "--now",
        NOW,
        "--json",
        "status",
    ]);
    let v: Value = serde_json::from_str(&ok(out)).expect("json");
    v["units"]
        .as_array()
        .and_then(|a| a.iter().find(|u| u["id"] == unit))
        .map(|u| u["status"].as_str().unwrap_or_default().to_string())
        .unwrap_or_default()
}

#[test]
fn a_clerk_logs_in_assigns_the_unknown_mail_grants_an_extension_and_logs_out() {
    let t = TestDir::new();
    let cfg = demo_copy(&t);
    let (base, stop) = serve(&cfg);
    let b = Browser::start();

    // Nothing but the login page without a session.
    b.go(&format!("{base}/cong-van/{CAMPAIGN}"));
    assert_eq!(b.url(), format!("{base}/dang-nhap"));
    b.type_in("#name", EDITOR.0);
    b.type_in("#password", EDITOR.1);
    b.click("#dang-nhap");
    b.wait_url(&format!("{base}/"));

    // The matrix: Quân sự complete but late, Lộc Ngãi has sent nothing, one mail unknown.
    b.go(&format!("{base}/cong-van/{CAMPAIGN}"));
    assert!(b.text("#dv-quan-su").contains("Đủ, nộp muộn"));
    assert!(b.text("#dv-loc-ngai").contains("Chưa gửi"));
    assert!(b.text(".tong").contains("1 thư chưa rõ đơn vị"));
    assert_eq!(unit_status(&cfg, "loc-ngai"), "missing");

    // "Cần xử lý" lists the unknown mail [12]; its page assigns it to Lộc Ngãi.
    b.go(&format!("{base}/can-xu-ly"));
    assert!(b.text("#thu-12").contains("chưa rõ của đơn vị nào"));
    b.go(&format!("{base}/thu/12"));
    b.click("#gan-don-vi option[value='loc-ngai']");
    b.click("#gan");
    b.wait_text("#don-vi", |t| t.contains("Đảng ủy xã Lộc Ngãi"));
    assert_eq!(b.url(), format!("{base}/thu/12"));
    b.go(&format!("{base}/cong-van/{CAMPAIGN}"));
    assert!(
        !b.text("#dv-loc-ngai").contains("Chưa gửi"),
        "{}",
        b.text("#dv-loc-ngai")
    );
    assert!(!b.text(".tong").contains("chưa rõ đơn vị"));
    assert_ne!(unit_status(&cfg, "loc-ngai"), "missing");

    // An extension for Quân sự: on time now, in the matrix and the register.
    b.go(&format!("{base}/cong-van/{CAMPAIGN}/don-vi/quan-su"));
    // A date input's typing depends on the browser's locale; set it as a form would.
    b.script("document.getElementById('gia-han-ngay').value = '2023-02-10';");
    b.click("#gia-han");
    b.wait_text("#han", |t| t == "10/02/2023 17:00");
    assert_eq!(b.text("#tinh-trang"), "Đủ, đúng hạn");
    b.go(&format!("{base}/cong-van/{CAMPAIGN}"));
    let row = b.text("#dv-quan-su");
    assert!(
        row.contains("Đủ, đúng hạn") && row.contains("gia hạn đến 10/02/2023 17:00"),
        "{row}"
    );
    assert_eq!(unit_status(&cfg, "quan-su"), "complete_on_time");

    // And for Lộc An, still missing Biểu 1: the next reminder comes back into the plan.
    b.go(&format!("{base}/cong-van/{CAMPAIGN}/don-vi/loc-an"));
    assert!(
        b.text("#nhac-tiep")
            .contains("Không còn lần nhắc tự động nào")
    );
    b.script("document.getElementById('gia-han-ngay').value = '2023-02-10';");
    b.click("#gia-han");
    b.wait_text("#nhac-tiep", |t| t == "03/02/2023 08:00");

    // Log out: the pages are closed again.
    b.click("header form.ra button");
    b.wait_url(&format!("{base}/dang-nhap"));
    b.go(&format!("{base}/cong-van/{CAMPAIGN}"));
    assert_eq!(b.url(), format!("{base}/dang-nhap"));
    let _ = b.screenshot_png();
    drop(b);
    stop.cancel();
}
