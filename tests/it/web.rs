//! The web console driven in process (tower's `oneshot` on the Router): cheap and exact. The
//! register is the demo's (40 units, Công văn 809-CV/HU, 2 February 2023); every test works
//! on its own copy.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use baocao::clock::Clock;
use baocao::store::Store;
use baocao::store::accounts::Role;
use baocao::web::{self, Console, auth};
use chrono::DateTime;
use tower::ServiceExt as _;

use crate::support::{TestDir, baocao_raw, ok};

pub(crate) const NOW: &str = "2023-02-02T08:00:00+07:00";
pub(crate) const CAMPAIGN: &str = "809-CV-HU";
pub(crate) const EDITOR: (&str, &str) = ("lan", "mat-khau-lan-1");
pub(crate) const VIEWER: (&str, &str) = ("xem", "mat-khau-xem-1");

/// The demo's folder, made once per test run.
fn demo_template() -> &'static Path {
    static DIR: OnceLock<(TestDir, PathBuf)> = OnceLock::new();
    &DIR.get_or_init(|| {
        let t = TestDir::new();
        let d = t.join("demo");
        ok(baocao_raw(&["demo", "--data", &d.display().to_string()]));
        (t, d)
    })
    .1
}

/// A copy of the demo register with two accounts (an editor and a viewer); its config path.
pub(crate) fn demo_copy(t: &TestDir) -> PathBuf {
    let to = t.join("demo");
    let st = std::process::Command::new("cp")
        .arg("-a")
        .arg(demo_template())
        .arg(&to)
        .status()
        .expect("cp");
    assert!(st.success());
    let mut s = Store::open(&to).expect("store");
    for ((name, pw), role) in [(EDITOR, Role::Sua), (VIEWER, Role::Xem)] {
        let h = auth::hash_password(pw).expect("hash");
        s.put_user(name, &h, role, NOW).expect("user");
    }
    to.join("config/baocao.toml")
}

pub(crate) fn console(config: &Path) -> Arc<Console> {
    let cfg = baocao::config::load(config).expect("config");
    let templates = baocao::notify::templates::Templates::load(None).ok();
    let now = DateTime::parse_from_rfc3339(NOW).expect("now");
    Console::new(cfg, Clock::Fixed(now), false, templates)
}

/// A response, read whole.
pub(crate) struct Got {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    pub bytes: Vec<u8>,
}

async fn send(app: &Router, req: Request<Body>) -> Got {
    let r = app.clone().oneshot(req).await.expect("response");
    let status = r.status();
    let headers = r.headers().clone();
    let bytes = axum::body::to_bytes(r.into_body(), 64 << 20)
        .await
        .expect("body")
        .to_vec();
    Got {
        status,
        headers,
        // MiniJinja escapes "/" too; the pages read the same with it back.
        body: String::from_utf8_lossy(&bytes).replace("&#x2f;", "/"),
        bytes,
    }
}

fn from(addr: &str, mut req: Request<Body>) -> Request<Body> {
    let a: SocketAddr = addr.parse().expect("addr");
    req.extensions_mut().insert(ConnectInfo(a));
    req
}

pub(crate) async fn get(app: &Router, path: &str, cookie: Option<&str>) -> Got {
    let mut b = Request::get(path).header(header::ACCEPT, "text/html");
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, format!("{}={c}", auth::SESSION_COOKIE));
    }
    send(
        app,
        from("127.0.0.1:5000", b.body(Body::empty()).expect("req")),
    )
    .await
}

pub(crate) async fn post(
    app: &Router,
    path: &str,
    cookie: Option<&str>,
    form: &[(&str, &str)],
) -> Got {
    let body = serde_urlencoded::to_string(form).expect("form");
    let mut b =
        Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, format!("{}={c}", auth::SESSION_COOKIE));
    }
    send(
        app,
        from("127.0.0.1:5000", b.body(Body::from(body)).expect("req")),
    )
    .await
}

fn set_cookie(g: &Got, name: &str) -> Option<String> {
    g.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            v.split(';')
                .next()
                .and_then(|kv| kv.split_once('='))
                .filter(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        })
}

/// The value of the first `name="_csrf"` field of a page.
pub(crate) fn csrf_of(html: &str) -> String {
    let at = html
        .find("name=\"_csrf\" value=\"")
        .expect("a form with a token");
    let rest = &html[at + "name=\"_csrf\" value=\"".len()..];
    rest[..rest.find('"').expect("end")].to_string()
}

/// Tries to log in from `addr`; the response.
async fn try_login(app: &Router, addr: &str, name: &str, pw: &str) -> Got {
    let page = send(
        app,
        from(
            addr,
            Request::get("/dang-nhap").body(Body::empty()).expect("req"),
        ),
    )
    .await;
    let jar = set_cookie(&page, auth::LOGIN_COOKIE).expect("login cookie");
    let token = csrf_of(&page.body);
    let body =
        serde_urlencoded::to_string([("_csrf", token.as_str()), ("name", name), ("password", pw)])
            .expect("form");
    send(
        app,
        from(
            addr,
            Request::post("/dang-nhap")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, format!("{}={jar}", auth::LOGIN_COOKIE))
                .body(Body::from(body))
                .expect("req"),
        ),
    )
    .await
}

/// Logs in; the session cookie's value.
pub(crate) async fn login(app: &Router, (name, pw): (&str, &str)) -> String {
    let r = try_login(app, "127.0.0.1:5000", name, pw).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let c = set_cookie(&r, auth::SESSION_COOKIE).expect("session cookie");
    let raw = r
        .headers
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(
        raw.contains("HttpOnly") && raw.contains("SameSite=Strict"),
        "{raw}"
    );
    c
}

#[tokio::test]
async fn every_page_and_download_refuses_without_a_session() {
    let t = TestDir::new();
    let app = web::router(console(&demo_copy(&t)));
    let pages = [
        "/",
        "/can-xu-ly",
        "/cong-van/809-CV-HU",
        "/cong-van/809-CV-HU/don-vi/loc-an",
        "/thu/1",
        "/thu/1/tep/0",
        "/cong-van/809-CV-HU/du-thao/tong-hop-809-CV-HU.xlsx",
        "/hop-thu-di",
        "/don-vi",
        "/don-vi.csv",
        "/nhat-ky",
    ];
    for p in pages {
        let r = get(&app, p, None).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{p}");
        assert_eq!(
            r.headers.get(header::LOCATION).map(|v| v.as_bytes()),
            Some(&b"/dang-nhap"[..]),
            "{p}"
        );
        let r = get(&app, p, Some("not-a-session")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{p} with a made-up cookie");
        assert!(!r.body.contains("Lộc"), "{p} leaked data");
    }
    for p in [
        "/thu/12/gan",
        "/cong-van/809-CV-HU/don-vi/loc-an/gia-han",
        "/cong-van/809-CV-HU/nhac",
        "/dia-chi/tot",
    ] {
        let r = post(&app, p, None, &[("unit", "loc-ngai")]).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{p}");
    }
    // Nothing changed: message 12 is still nobody's.
    let s = Store::open(&t.join("demo")).expect("store");
    assert_eq!(s.message(12).expect("db").expect("msg 12").unit_id, None);
    // The login page itself is open, and says nothing of the register.
    let r = get(&app, "/dang-nhap", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Đăng nhập"));
}

#[tokio::test]
async fn a_change_without_its_csrf_token_is_refused_and_with_it_is_audited() {
    let t = TestDir::new();
    let app = web::router(console(&demo_copy(&t)));
    let c = login(&app, EDITOR).await;
    let page = get(&app, "/thu/12", Some(&c)).await;
    assert_eq!(page.status, StatusCode::OK);
    let token = csrf_of(&page.body);
    let none = post(
        &app,
        "/thu/12/gan",
        Some(&c),
        &[("unit", "loc-ngai"), ("campaign", CAMPAIGN)],
    )
    .await;
    assert_eq!(none.status, StatusCode::FORBIDDEN);
    let wrong = post(
        &app,
        "/thu/12/gan",
        Some(&c),
        &[
            ("_csrf", &"0".repeat(64)),
            ("unit", "loc-ngai"),
            ("campaign", CAMPAIGN),
        ],
    )
    .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    {
        let s = Store::open(&t.join("demo")).expect("store");
        assert_eq!(s.message(12).expect("db").expect("msg").unit_id, None);
        assert!(s.audit_log(10).expect("audit").is_empty());
    }
    let good = post(
        &app,
        "/thu/12/gan",
        Some(&c),
        &[
            ("_csrf", &token),
            ("unit", "loc-ngai"),
            ("campaign", CAMPAIGN),
        ],
    )
    .await;
    assert_eq!(good.status, StatusCode::SEE_OTHER, "{}", good.body);
    let s = Store::open(&t.join("demo")).expect("store");
    let m = s.message(12).expect("db").expect("msg");
    assert_eq!(m.unit_id.as_deref(), Some("loc-ngai"));
    assert_eq!(m.identified_by.as_deref(), Some("staff"));
    let log = s.audit_log(10).expect("audit");
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].who, "lan");
    assert_eq!(log[0].what, "Gán thư cho đơn vị");
    assert_eq!(
        log[0].before.as_deref(),
        Some("đơn vị: chưa rõ; công văn: 809-CV-HU")
    );
    assert_eq!(
        log[0].after.as_deref(),
        Some("đơn vị: loc-ngai (Đảng ủy xã Lộc Ngãi); công văn: 809-CV-HU")
    );
    // The audit page shows it.
    let audit = get(&app, "/nhat-ky", Some(&c)).await;
    assert!(audit.body.contains("Gán thư cho đơn vị"), "{}", audit.body);
}

#[tokio::test]
async fn a_read_only_account_sees_everything_and_changes_nothing() {
    let t = TestDir::new();
    let app = web::router(console(&demo_copy(&t)));
    let c = login(&app, VIEWER).await;
    for p in [
        "/",
        "/cong-van/809-CV-HU",
        "/thu/12",
        "/can-xu-ly",
        "/nhat-ky",
    ] {
        assert_eq!(get(&app, p, Some(&c)).await.status, StatusCode::OK, "{p}");
    }
    let page = get(&app, "/thu/12", Some(&c)).await;
    assert!(
        !page.body.contains("action=\"/thu/12/gan\""),
        "a viewer is offered no fix"
    );
    let token = csrf_of(&page.body);
    for (p, form) in [
        (
            "/thu/12/gan",
            vec![("unit", "loc-ngai"), ("campaign", CAMPAIGN)],
        ),
        (
            "/cong-van/809-CV-HU/don-vi/quan-su/gia-han",
            vec![("date", "2023-02-10")],
        ),
        (
            "/cong-van/809-CV-HU/don-vi/loc-an/nop-giay",
            vec![("item", "bieu1")],
        ),
        ("/cong-van/809-CV-HU/nhac", vec![]),
    ] {
        let mut f = form.clone();
        f.push(("_csrf", &token));
        let r = post(&app, p, Some(&c), &f).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{p}");
        assert!(r.body.contains("chỉ được xem"), "{}", r.body);
    }
    let s = Store::open(&t.join("demo")).expect("store");
    assert_eq!(s.message(12).expect("db").expect("msg").unit_id, None);
    assert!(s.granted_extensions().expect("ext").is_empty());
    assert!(s.marks(CAMPAIGN).expect("marks").is_empty());
    // Logging out is allowed, and ends the session.
    let out = post(&app, "/dang-xuat", Some(&c), &[("_csrf", &token)]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(get(&app, "/", Some(&c)).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_login_limit_holds_per_address_and_per_account() {
    let t = TestDir::new();
    let app = web::router(console(&demo_copy(&t)));
    for _ in 0..auth::LIMIT_FAILURES {
        let r = try_login(&app, "10.0.0.7:4000", "lan", "sai-mat-khau").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(r.body.contains("Sai tên đăng nhập hoặc mật khẩu"));
    }
    // The right password no longer opens it, from that address or for that account.
    let r = try_login(&app, "10.0.0.7:4000", "lan", EDITOR.1).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(set_cookie(&r, auth::SESSION_COOKIE).is_none());
    let r = try_login(&app, "10.0.0.9:4000", "lan", EDITOR.1).await;
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "per account, from elsewhere too"
    );
    // A colleague behind the same office NAT (the same address) still logs in.
    let r = try_login(&app, "10.0.0.7:4000", "xem", VIEWER.1).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Guessing over many accounts from one address stops at the address's limit, for every
    // account from that address, right password or not; other addresses are not affected.
    for i in 0..auth::LIMIT_ADDRESS_FAILURES {
        let r = try_login(&app, "10.0.0.8:4000", &format!("khach{i}"), "doan-mo").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let r = try_login(&app, "10.0.0.8:4000", "xem", VIEWER.1).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "per address");
    assert!(set_cookie(&r, auth::SESSION_COOKIE).is_none());
    let r = try_login(&app, "10.0.0.9:4000", "xem", VIEWER.1).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // A login form without its token is refused outright.
    let r = post(
        &app,
        "/dang-nhap",
        None,
        &[("name", "xem"), ("password", VIEWER.1)],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn downloads_come_only_from_the_archive_and_the_latest_drafts() {
    let t = TestDir::new();
    let cfg = demo_copy(&t);
    let app = web::router(console(&cfg));
    let c = login(&app, EDITOR).await;
    // Message 1's first file, byte for byte what `baocao export` writes.
    let r = get(&app, "/thu/1/tep/0", Some(&c)).await;
    assert_eq!(r.status, StatusCode::OK);
    let out = t.join("export");
    ok(baocao_raw(&[
        "--config",
        &cfg.display().to_string(),
        "export",
        "1",
        "--out",
        &out.display().to_string(),
    ]));
    let exported = std::fs::read(out.join("BC 132 - DU xa Loc Thanh.docx")).expect("exported");
    assert_eq!(r.bytes, exported);
    let cd = r
        .headers
        .get(header::CONTENT_DISPOSITION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        cd.starts_with("attachment;") && cd.contains("BC%20132"),
        "{cd}"
    );
    let xlsx = get(
        &app,
        "/cong-van/809-CV-HU/du-thao/tong-hop-809-CV-HU.xlsx",
        Some(&c),
    )
    .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert_eq!(
        xlsx.bytes,
        std::fs::read(t.join("demo/drafts/809-CV-HU/tong-hop-809-CV-HU.xlsx")).expect("draft")
    );
    for p in [
        "/cong-van/809-CV-HU/du-thao/..%2F..%2Fbaocao.sqlite",
        "/cong-van/809-CV-HU/du-thao/%2Fetc%2Fpasswd",
        "/cong-van/809-CV-HU/du-thao/built.json",
        "/cong-van/809-CV-HU/du-thao/..",
        "/cong-van/..%2F..%2Fbaocao.sqlite/du-thao/x",
        "/thu/1/tep/99",
        "/thu/1/tep/..%2F..%2Fbaocao.sqlite",
        "/thu/999999/tep/0",
    ] {
        let r = get(&app, p, Some(&c)).await;
        assert!(
            r.status == StatusCode::NOT_FOUND || r.status == StatusCode::BAD_REQUEST,
            "{p}: {}",
            r.status
        );
        assert!(!r.body.contains("SQLite format"), "{p}");
    }
}

#[tokio::test]
async fn markup_in_a_subject_or_file_name_is_shown_as_text() {
    let t = TestDir::new();
    let cfg = demo_copy(&t);
    let mail = crate::support::mail(
        "nguoila@example.com",
        "<script>alert('xss')</script> Báo cáo",
        "Mon, 30 Jan 2023 08:00:00 +0700",
        "Mon, 30 Jan 2023 08:00:05 +0700",
        "<img src=x onerror=alert(1)>.docx",
        b"not really a docx",
        "xss-1",
    );
    let eml = t.join("xss.eml");
    std::fs::write(&eml, mail).expect("write");
    ok(baocao_raw(&[
        "--config",
        &cfg.display().to_string(),
        "ingest",
        &eml.display().to_string(),
    ]));
    let s = Store::open(&t.join("demo")).expect("store");
    let id = s.find_message("xss-1@mail.gmail.com").expect("stored").id;
    let app = web::router(console(&cfg));
    let c = login(&app, EDITOR).await;
    for p in [format!("/thu/{id}"), "/can-xu-ly".to_string()] {
        let r = get(&app, &p, Some(&c)).await;
        assert_eq!(r.status, StatusCode::OK, "{p}");
        assert!(!r.body.contains("<script"), "{p} carries a live script tag");
        assert!(!r.body.contains("<img"), "{p} carries a live img tag");
        assert!(
            r.body.contains("&lt;script&gt;"),
            "{p} does not show the subject as text"
        );
        let csp = r
            .headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok());
        assert!(csp.is_some_and(|v| v.contains("default-src 'none'")));
    }
}

#[tokio::test]
async fn an_extension_granted_in_the_console_moves_the_register_the_matrix_and_the_next_reminder() {
    let t = TestDir::new();
    let cfg = demo_copy(&t);
    let app = web::router(console(&cfg));
    let c = login(&app, EDITOR).await;
    let status = |unit: &str| {
        let out = baocao_raw(&[
            "--config",
            &cfg.display().to_string(),
            "--now",
            NOW,
            "--json",
            "status",
        ]);
        let v: serde_json::Value = serde_json::from_str(&ok(out)).expect("json");
        v["units"]
            .as_array()
            .and_then(|a| a.iter().find(|u| u["id"] == unit))
            .map(|u| u["status"].as_str().unwrap_or_default().to_string())
            .unwrap_or_default()
    };
    assert_eq!(status("quan-su"), "complete_late");
    let before = get(&app, "/cong-van/809-CV-HU/don-vi/loc-an", Some(&c)).await;
    assert!(
        before.body.contains("Không còn lần nhắc tự động nào"),
        "{}",
        before.body
    );
    let token = csrf_of(&before.body);
    for unit in ["quan-su", "loc-an"] {
        let r = post(
            &app,
            &format!("/cong-van/809-CV-HU/don-vi/{unit}/gia-han"),
            Some(&c),
            &[("_csrf", &token), ("date", "2023-02-10"), ("time", "17:00")],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    // The register (through the command line too), the matrix, the unit page.
    assert_eq!(status("quan-su"), "complete_on_time");
    let m = get(&app, "/cong-van/809-CV-HU", Some(&c)).await;
    let row = &m.body[m.body.find("id=\"dv-quan-su\"").expect("row")..];
    let row = &row[..row.find("</tr>").expect("end")];
    assert!(row.contains("gia hạn đến 10/02/2023 17:00"), "{row}");
    assert!(
        row.contains("Đủ, đúng hạn") && !row.contains("muộn"),
        "{row}"
    );
    let unit = get(&app, "/cong-van/809-CV-HU/don-vi/loc-an", Some(&c)).await;
    assert!(
        unit.body.contains("<b id=\"han\">10/02/2023 17:00</b>"),
        "{}",
        unit.body
    );
    // 5 days before is Sunday 5 February: moved back to Friday 3 February, 08:00.
    assert!(
        unit.body
            .contains("<b id=\"nhac-tiep\">03/02/2023 08:00</b>"),
        "{}",
        unit.body
    );
    // The reminder plan of the command line says the same deadline.
    let plan = ok(baocao_raw(&[
        "--config",
        &cfg.display().to_string(),
        "--now",
        NOW,
        "--json",
        "remind",
        "--dry-run",
    ]));
    let v: serde_json::Value = serde_json::from_str(&plan).expect("json");
    let loc_an = v
        .as_array()
        .and_then(|a| a.iter().find(|p| p["unit_id"] == "loc-an"))
        .expect("loc-an planned");
    assert_eq!(loc_an["deadline"], "2023-02-10T17:00:00+07:00");
    let s = Store::open(&t.join("demo")).expect("store");
    let log = s.audit_log(10).expect("audit");
    assert_eq!(log[0].what, "Gia hạn nộp");
    assert_eq!(log[0].before.as_deref(), Some("hạn: 30/01/2023 23:59"));
    assert_eq!(log[0].after.as_deref(), Some("hạn: 10/02/2023 17:00"));
}

#[tokio::test]
async fn with_a_certificate_the_console_speaks_https_only_and_its_cookies_are_secure() {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    use tokio_rustls::rustls;
    let t = TestDir::new();
    let cfg_path = demo_copy(&t);
    let (cert, key) = (t.join("cert.pem"), t.join("key.pem"));
    let made = std::process::Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
        ])
        .args([
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
            // A server certificate, not a CA: webpki refuses a CA as the end entity.
            "-addext",
            "basicConstraints=critical,CA:FALSE",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("openssl");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let mut cfg = baocao::config::load(&cfg_path).expect("config");
    cfg.web = baocao::config::Web {
        enabled: true,
        listen: "127.0.0.1:0".into(),
        public_url: "https://localhost".into(),
        tls_cert: Some(cert.clone()),
        tls_key: Some(key.clone()),
    };
    let web_cfg = cfg.web.clone();
    let now = DateTime::parse_from_rfc3339(NOW).expect("now");
    let console = Console::new(cfg, Clock::Fixed(now), true, None);
    let server = web::Server::bind("127.0.0.1:0", &web_cfg, console)
        .await
        .expect("bind");
    let addr = server.local_addr().expect("addr");
    assert!(server.url().starts_with("https://"), "{}", server.url());
    let stop = tokio_util::sync::CancellationToken::new();
    let serving = tokio::spawn(server.run(stop.clone()));

    let mut roots = rustls::RootCertStore::empty();
    let pem = std::fs::read(&cert).expect("cert");
    use rustls_pki_types::pem::PemObject as _;
    for c in rustls_pki_types::CertificateDer::pem_slice_iter(&pem) {
        roots.add(c.expect("pem")).expect("root");
    }
    let client = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("versions")
    .with_root_certificates(roots)
    .with_no_client_auth();
    let tcp = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let name = rustls_pki_types::ServerName::try_from("localhost").expect("name");
    let mut tls = tokio_rustls::TlsConnector::from(std::sync::Arc::new(client))
        .connect(name, tcp)
        .await
        .expect("handshake");
    tls.write_all(b"GET /dang-nhap HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .expect("send");
    let mut answer = Vec::new();
    tls.read_to_end(&mut answer).await.ok();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let cookie = answer
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))
        .expect("a cookie");
    assert!(
        cookie.contains("; Secure") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    // Plain HTTP on the HTTPS port gets no page.
    let mut plain = tokio::net::TcpStream::connect(addr).await.expect("connect");
    plain
        .write_all(b"GET /dang-nhap HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .expect("send");
    let mut got = Vec::new();
    let _ = tokio::time::timeout(
        std::time::Duration::from_secs(15),
        plain.read_to_end(&mut got),
    )
    .await;
    assert!(!String::from_utf8_lossy(&got).contains("Đăng nhập"));
    stop.cancel();
    serving.await.expect("join").expect("served");
}

#[tokio::test]
async fn the_one_click_fixes_change_the_register_through_the_usual_paths_and_are_audited() {
    let t = TestDir::new();
    let cfg = demo_copy(&t);
    {
        let mut s = Store::open(&t.join("demo")).expect("store");
        s.add_bad_address(&baocao::store::BadAddress {
            address: "danguylocan@gmail.com".into(),
            at: "2023-01-31T08:00:00+07:00".into(),
            reason: "5.1.1 no such user".into(),
            message: None,
        })
        .expect("bad address");
    }
    let app = web::router(console(&cfg));
    let c = login(&app, EDITOR).await;
    let page = get(&app, "/can-xu-ly", Some(&c)).await;
    assert!(
        page.body
            .contains("Thư gửi tới danguylocan@gmail.com (Đảng ủy xã Lộc An) bị trả lại"),
        "{}",
        page.body
    );
    let token = csrf_of(&page.body);
    // The damaged workbook of Lộc Nam: staff opened it and it is fine.
    let (nam, idx) = {
        let s = Store::open(&t.join("demo")).expect("store");
        let m = s
            .messages_needing_attention()
            .expect("attention")
            .into_iter()
            .find(|m| m.unit_id.as_deref() == Some("loc-nam"))
            .expect("Lộc Nam's mail");
        let i = m
            .attachments
            .iter()
            .position(|a| a.error.is_some())
            .expect("damaged file");
        (m.id, i)
    };
    let cell = |body: &str, unit: &str| {
        let row = &body[body.find(&format!("id=\"dv-{unit}\"")).expect("row")..];
        row[..row.find("</tr>").expect("end")].to_string()
    };
    let before = get(&app, "/cong-van/809-CV-HU", Some(&c)).await;
    assert!(cell(&before.body, "loc-nam").contains("✗ hỏng"));
    let r = post(
        &app,
        &format!("/thu/{nam}/tep/{idx}/quyet-dinh"),
        Some(&c),
        &[("_csrf", &token), ("decision", "nhan")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // A paper copy of Lộc An's Biểu 1.
    let r = post(
        &app,
        "/cong-van/809-CV-HU/don-vi/loc-an/nop-giay",
        Some(&c),
        &[("_csrf", &token), ("item", "bieu1"), ("note", "bản giấy")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The address works again.
    let r = post(
        &app,
        "/dia-chi/tot",
        Some(&c),
        &[("_csrf", &token), ("address", "danguylocan@gmail.com")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Remind Lộc Ngãi now.
    let r = post(
        &app,
        "/cong-van/809-CV-HU/don-vi/loc-ngai/nhac",
        Some(&c),
        &[("_csrf", &token)],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    let after = get(&app, "/cong-van/809-CV-HU", Some(&c)).await;
    assert!(
        !cell(&after.body, "loc-nam").contains("hỏng"),
        "{}",
        cell(&after.body, "loc-nam")
    );
    let an = cell(&after.body, "loc-an");
    // Handed in on 2 February, after the deadline: complete, but late.
    assert!(an.contains("✓ giấy") && an.contains("Đủ, nộp muộn"), "{an}");
    let s = Store::open(&t.join("demo")).expect("store");
    let marks = s.marks(CAMPAIGN).expect("marks");
    assert_eq!(marks.len(), 1);
    assert_eq!(
        (
            marks[0].unit_id.as_str(),
            marks[0].item_id.as_str(),
            marks[0].at.as_str()
        ),
        ("loc-an", "bieu1", NOW)
    );
    assert!(s.bad_addresses().expect("bad").is_empty());
    let m = s.message(nam).expect("db").expect("msg");
    assert_eq!(m.attachments[idx].item_by.as_deref(), Some("staff"));
    assert_eq!(m.attachments[idx].items, vec!["bieu2".to_string()]);
    let reminders = s
        .outbox_entries(
            Some(baocao::store::OutboxKind::Reminder),
            Some(CAMPAIGN),
            Some("loc-ngai"),
        )
        .expect("outbox");
    assert!(
        reminders.iter().any(|e| matches!(
            &e.key,
            baocao::store::OutboxKey::Reminder {
                when: baocao::store::ReminderWhen::Manual(_),
                ..
            }
        )),
        "{reminders:?}"
    );
    let log: Vec<String> = s
        .audit_log(10)
        .expect("audit")
        .into_iter()
        .map(|a| a.what)
        .collect();
    assert_eq!(
        log,
        vec![
            "Nhắc ngay",
            "Đánh dấu địa chỉ dùng lại được",
            "Ghi nhận nộp bản giấy",
            "Nhận tệp dù không đọc tự động được"
        ]
    );
}

#[tokio::test]
async fn the_units_registry_goes_out_as_csv_and_comes_back_in() {
    let t = TestDir::new();
    let app = web::router(console(&demo_copy(&t)));
    let c = login(&app, EDITOR).await;
    let csv = get(&app, "/don-vi.csv", Some(&c)).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.bytes
            .starts_with(b"\xEF\xBB\xBFid,name,short_name,emails,kind,aliases\n")
    );
    let text = String::from_utf8_lossy(&csv.bytes[3..]).into_owned();
    assert_eq!(text.lines().count(), 41, "a header and 40 units");
    // Lộc An gets a second address; B'Lá leaves the registry.
    let edited: String = text
        .lines()
        .filter(|l| !l.starts_with("b-la,"))
        .map(|l| {
            if l.starts_with("loc-an,") {
                l.replace(
                    "dangUyLocAn@gmail.com",
                    "dangUyLocAn@gmail.com;vanphong.locan@lamdong.gov.vn",
                )
                .replace(
                    "danguylocan@gmail.com",
                    "danguylocan@gmail.com;vanphong.locan@lamdong.gov.vn",
                )
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let page = get(&app, "/don-vi", Some(&c)).await;
    let token = csrf_of(&page.body);
    let bad = post(
        &app,
        "/don-vi/nhap",
        Some(&c),
        &[("_csrf", &token), ("csv", "id,name\n")],
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let r = post(
        &app,
        "/don-vi/nhap",
        Some(&c),
        &[("_csrf", &token), ("csv", &edited)],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let s = Store::open(&t.join("demo")).expect("store");
    let units = s.units().expect("units");
    assert_eq!(units.len(), 39);
    let an = units.iter().find(|u| u.id == "loc-an").expect("Lộc An");
    assert!(
        an.emails
            .contains(&"vanphong.locan@lamdong.gov.vn".to_string()),
        "{:?}",
        an.emails
    );
    let log = s.audit_log(1).expect("audit");
    assert_eq!(log[0].what, "Nạp lại danh sách đơn vị");
    assert_eq!(
        (log[0].before.as_deref(), log[0].after.as_deref()),
        (Some("40 đơn vị"), Some("39 đơn vị"))
    );
}

/// The `<tr>` of `html` that holds `text`.
fn row_with<'a>(html: &'a str, text: &str) -> &'a str {
    let at = html
        .find(text)
        .unwrap_or_else(|| panic!("{text:?} in the page"));
    let start = html[..at].rfind("<tr").expect("row start");
    let end = at + html[at..].find("</tr>").expect("row end");
    &html[start..end]
}

#[tokio::test]
async fn the_unit_and_message_pages_show_the_forms_sections_and_figures_read() {
    let t = TestDir::new();
    let app = web::router(console(&demo_copy(&t)));
    let c = login(&app, VIEWER).await;
    let page = get(&app, "/cong-van/809-CV-HU/don-vi/loc-thanh", Some(&c)).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body[page.body.find("id=\"da-doc\"").expect("what was read")..];
    // Biểu 1 (a grid) as its table: years in order, though 2020 is blank on the first rows.
    assert!(
        body.contains("<th>2018</th><th>2019</th><th>2020</th><th>2021</th><th>2022</th>"),
        "{body}"
    );
    let row = row_with(
        body,
        "Văn bản lãnh đạo, chỉ đạo công tác kiểm điểm, đánh giá, xếp loại hằng năm / Ngày ban hành",
    );
    assert!(
        row.contains(
            "<td>20/11/2018</td><td>13/12/2019</td><td>13/12/2020</td><td>20/11/2021</td><td>22/11/2022</td>"
        ),
        "{row}"
    );
    // Biểu 2 (a checklist): a row and its tick.
    let row = row_with(body, "Tiêu chí (a)");
    assert!(
        row.contains("<td>Tổ chức đảng</td>") && row.contains("<td>✓</td>"),
        "{row}"
    );
    // The report's sections, with the start of their text.
    assert!(
        body.contains("<dt>2.2. Kết quả công tác đánh giá, xếp loại chất lượng hàng năm"),
        "{body}"
    );
    assert!(
        body.contains("a) Đối với tập thể: Năm 2022, trong tổng số 19 tổ chức đảng"),
        "{body}"
    );
    // The figures taken from it: 19 party organisations rated in 2022, 15 of them HTTNV.
    let figures = &body[body.find("id=\"so-lieu\"").expect("figures")..];
    let row = row_with(figures, "<td>2022</td><td>Tổ chức đảng</td>");
    assert!(
        row.contains(">19</td>") && row.contains(">15</td>"),
        "{row}"
    );

    // The message page shows the same per file.
    let id = {
        let s = Store::open(&t.join("demo")).expect("store");
        s.messages()
            .expect("messages")
            .into_iter()
            .find(|m| m.unit_id.as_deref() == Some("loc-thanh"))
            .expect("Lộc Thành's mail")
            .id
    };
    let m = get(&app, &format!("/thu/{id}"), Some(&c)).await;
    assert_eq!(m.status, StatusCode::OK);
    assert!(
        m.body
            .contains("Đã đọc từ tệp BC 132 - DU xa Loc Thanh.docx"),
        "{}",
        m.body
    );
    assert!(
        m.body
            .contains("<dt>2.2. Kết quả công tác đánh giá, xếp loại chất lượng hàng năm"),
        "{}",
        m.body
    );
    let row = row_with(&m.body, "<td>2022</td><td>Tổ chức đảng</td>");
    assert!(row.contains(">19</td>"), "{row}");
    assert!(m.body.contains("<td>22/11/2022</td>"), "{}", m.body);
}

#[tokio::test]
async fn the_matrix_follows_a_change_committed_by_another_connection_between_two_pages() {
    let t = TestDir::new();
    let app = web::router(console(&demo_copy(&t)));
    let c = login(&app, VIEWER).await;
    let first = get(&app, "/cong-van/809-CV-HU", Some(&c)).await;
    assert!(
        first.body.contains("1 thư chưa rõ đơn vị"),
        "{}",
        first.body
    );
    assert!(row_with(&first.body, "id=\"dv-loc-ngai\"").contains("Chưa gửi"));
    // The same page again: the register has not changed.
    let again = get(&app, "/cong-van/809-CV-HU", Some(&c)).await;
    assert_eq!(again.body, first.body);
    // The daemon (another connection) learns whose the unknown mail is.
    {
        let mut s = Store::open(&t.join("demo")).expect("store");
        let id = s
            .messages_needing_attention()
            .expect("attention")
            .into_iter()
            .find(|m| m.unit_id.is_none())
            .expect("the unknown mail")
            .id;
        s.assign(id, "loc-ngai", Some(CAMPAIGN), NOW)
            .expect("assign");
    }
    let after = get(&app, "/cong-van/809-CV-HU", Some(&c)).await;
    assert!(!after.body.contains("thư chưa rõ đơn vị"), "{}", after.body);
    let row = row_with(&after.body, "id=\"dv-loc-ngai\"");
    assert!(row.contains("✓") && !row.contains("Chưa gửi"), "{row}");
}

#[tokio::test]
async fn a_receipt_is_queued_once_from_the_message_page_and_never_twice() {
    use baocao::store::{OutboxKey, OutboxKind};
    let t = TestDir::new();
    let data = t.join("demo");
    let app = web::router(console(&demo_copy(&t)));
    let c = login(&app, EDITOR).await;
    // The mail of no known unit, now known to be Lộc Ngãi's (as the daemon's assign would).
    let (id, sha) = {
        let mut s = Store::open(&data).expect("store");
        let m = s
            .messages_needing_attention()
            .expect("attention")
            .into_iter()
            .find(|m| m.unit_id.is_none())
            .expect("the unknown mail");
        s.assign(m.id, "loc-ngai", Some(CAMPAIGN), NOW)
            .expect("assign");
        (m.id, m.sha256)
    };
    let receipts = || {
        Store::open(&data)
            .expect("store")
            .outbox_entries(Some(OutboxKind::Receipt), Some(CAMPAIGN), None)
            .expect("outbox")
    };
    let before = receipts();
    let page = get(&app, &format!("/thu/{id}"), Some(&c)).await;
    assert!(page.body.contains("Gửi biên nhận"), "{}", page.body);
    let token = csrf_of(&page.body);
    for _ in 0..2 {
        let r = post(
            &app,
            &format!("/thu/{id}/bien-nhan"),
            Some(&c),
            &[("_csrf", &token)],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let after = receipts();
    assert_eq!(after.len(), before.len() + 1, "{after:?}");
    let new = after
        .iter()
        .find(|e| !before.iter().any(|b| b.id == e.id))
        .expect("the new receipt");
    assert_eq!(
        new.key,
        OutboxKey::Receipt {
            sha256: sha.clone()
        }
    );
    assert_eq!(new.meta.unit_id.as_deref(), Some("loc-ngai"));
    assert_eq!(new.meta.about.as_deref(), Some(sha.as_str()));
    assert_eq!(new.to, ["hoangthimai.84@yahoo.com"]);
    // A message that had its receipt already gets none.
    let had = before.first().expect("the demo's receipts");
    let old = {
        let s = Store::open(&data).expect("store");
        s.messages()
            .expect("messages")
            .into_iter()
            .find(|m| had.meta.about.as_deref() == Some(m.sha256.as_str()))
            .expect("the message of a receipt")
            .id
    };
    let r = post(
        &app,
        &format!("/thu/{old}/bien-nhan"),
        Some(&c),
        &[("_csrf", &token)],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(receipts().len(), after.len());
    let log: Vec<(String, Option<String>)> = Store::open(&data)
        .expect("store")
        .audit_log(3)
        .expect("audit")
        .into_iter()
        .map(|a| (a.what, a.after))
        .collect();
    assert_eq!(
        log[0],
        (
            "Gửi biên nhận".to_string(),
            Some("không gửi: thư đã có biên nhận, hoặc chưa rõ đơn vị/công văn".to_string())
        )
    );
    assert_eq!(log[2].1.as_deref(), Some("đưa biên nhận vào hàng đợi"));
}

#[tokio::test]
async fn remind_all_now_queues_one_reminder_per_unit_still_missing_something_and_none_twice() {
    use baocao::store::{OutboxKey, OutboxKind, ReminderWhen};
    let t = TestDir::new();
    let cfg_path = demo_copy(&t);
    let data = t.join("demo");
    let app = web::router(console(&cfg_path));
    let c = login(&app, EDITOR).await;
    let now = DateTime::parse_from_rfc3339(NOW).expect("now");
    let (expected, complete) = {
        let s = Store::open(&data).expect("store");
        let cfg = s
            .with_extensions(&baocao::config::load(&cfg_path).expect("config"))
            .expect("extensions");
        let camp = cfg.campaign(CAMPAIGN).expect("campaign");
        let mut expected: Vec<String> = baocao::register::outstanding(&s, &cfg, camp, now)
            .expect("outstanding")
            .into_iter()
            .filter(|p| !p.addresses.is_empty())
            .map(|p| p.unit_id)
            .collect();
        expected.sort();
        let complete: Vec<String> = baocao::register::status(&s, &cfg, camp, now)
            .expect("status")
            .units
            .into_iter()
            .filter(|u| u.missing.is_empty())
            .map(|u| u.id)
            .collect();
        (expected, complete)
    };
    assert!(
        expected.len() > 10 && !complete.is_empty(),
        "{expected:?} {complete:?}"
    );
    let manual = || {
        let mut units: Vec<String> = Store::open(&data)
            .expect("store")
            .outbox_entries(Some(OutboxKind::Reminder), Some(CAMPAIGN), None)
            .expect("outbox")
            .into_iter()
            .filter(|e| {
                matches!(
                    &e.key,
                    OutboxKey::Reminder {
                        when: ReminderWhen::Manual(_),
                        ..
                    }
                )
            })
            .filter_map(|e| e.meta.unit_id)
            .collect();
        units.sort();
        units
    };
    assert!(manual().is_empty());
    let page = get(&app, "/cong-van/809-CV-HU", Some(&c)).await;
    let token = csrf_of(&page.body);
    // Clicked twice at the same moment: the second finds every reminder already queued.
    for _ in 0..2 {
        let r = post(
            &app,
            "/cong-van/809-CV-HU/nhac",
            Some(&c),
            &[("_csrf", &token)],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let queued = manual();
    assert_eq!(queued, expected);
    assert!(
        complete.iter().all(|u| !queued.contains(u)),
        "{complete:?} {queued:?}"
    );
    let outbox = get(&app, "/hop-thu-di", Some(&c)).await;
    assert!(
        outbox.body.contains("nhắc nộp")
            && outbox.body.matches("chờ gửi").count() >= expected.len(),
        "{}",
        outbox.body
    );
}

#[tokio::test]
async fn rebuilding_the_drafts_writes_the_workbook_and_the_report_staff_then_download() {
    let t = TestDir::new();
    let cfg_path = demo_copy(&t);
    let data = t.join("demo");
    let _ = std::fs::remove_dir_all(data.join("drafts"));
    let cfg = baocao::config::load(&cfg_path).expect("config");
    assert!(baocao::consolidate::drafts::latest(&cfg, CAMPAIGN).is_none());
    let app = web::router(console(&cfg_path));
    let c = login(&app, EDITOR).await;
    let page = get(&app, "/cong-van/809-CV-HU", Some(&c)).await;
    let token = csrf_of(&page.body);
    let r = post(
        &app,
        "/cong-van/809-CV-HU/du-thao",
        Some(&c),
        &[("_csrf", &token)],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let built = baocao::consolidate::drafts::latest(&cfg, CAMPAIGN).expect("a build");
    assert_eq!(built.built_at, NOW);
    for f in [&built.xlsx, &built.docx] {
        let bytes = std::fs::read(f).expect("draft file");
        assert!(bytes.starts_with(b"PK"), "{}", f.display());
        let name = f.file_name().expect("name").to_string_lossy().into_owned();
        let page = get(&app, "/cong-van/809-CV-HU", Some(&c)).await;
        assert!(page.body.contains(&name), "{}", page.body);
        let d = get(
            &app,
            &format!("/cong-van/809-CV-HU/du-thao/{name}"),
            Some(&c),
        )
        .await;
        assert_eq!(d.status, StatusCode::OK);
        assert_eq!(d.bytes, bytes);
    }
    let log = Store::open(&data)
        .expect("store")
        .audit_log(1)
        .expect("audit");
    assert_eq!(log[0].what, "Lập lại dự thảo tổng hợp");
}

/// The status code of `GET path` on the console at `port`, or None when nothing answers.
fn http_status(port: u16, path: &str) -> Option<u16> {
    use std::io::{Read as _, Write as _};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut head = [0u8; 12];
    s.read_exact(&mut head).ok()?;
    std::str::from_utf8(&head[9..12]).ok()?.parse().ok()
}

#[test]
fn baocao_run_with_web_serves_the_console_beside_the_mailbox_and_stops_cleanly() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let server = crate::support::mail_server();
    let t = TestDir::new();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let user = "unit39@donvi.test";
    let cfg = crate::support::config_with_mailbox(
        t.path(),
        &server,
        user,
        &format!("timeout-seconds = 5\n\n[web]\nlisten = \"127.0.0.1:{port}\"\n"),
    );
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
        .expect("start the daemon");
    let start = Instant::now();
    let mut login = None;
    while start.elapsed() < Duration::from_secs(30) && login.is_none() {
        login = http_status(port, "/dang-nhap");
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(login, Some(200), "the login page");
    assert_eq!(
        http_status(port, "/"),
        Some(401),
        "the rest wants a session"
    );
    // The mailbox is read meanwhile: a report sent now is stored.
    let m = crate::support::mail(
        "dangUyLocLam@gmail.com",
        "Gửi báo cáo 809-CV/HU",
        "Fri, 27 Jan 2023 09:00:00 +0700",
        "Fri, 27 Jan 2023 09:00:03 +0700",
        "BC Loc Lam.docx",
        &crate::support::report_docx("Lộc Lâm"),
        "web-run-1",
    );
    server.send("dangUyLocLam@gmail.com", user, &m);
    let data = t.path().join("data");
    let stored = || {
        crate::support::json(crate::support::baocao_mail(
            &cfg,
            &["messages", "--json"],
            &server,
        ))
        .as_array()
        .map(Vec::len)
        .unwrap_or(0)
    };
    while stored() < 1 {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the daemon did not store the mail ({})",
            data.display()
        );
        std::thread::sleep(Duration::from_millis(300));
    }
    assert_eq!(http_status(port, "/dang-nhap"), Some(200), "still served");
    assert!(
        daemon.try_wait().expect("wait").is_none(),
        "the daemon exited"
    );
    let _ = Command::new("kill")
        .args(["-TERM", &daemon.id().to_string()])
        .status();
    let status = daemon.wait().expect("wait");
    assert!(status.success(), "{status:?}");
    assert_eq!(
        http_status(port, "/dang-nhap"),
        None,
        "the console stopped too"
    );
}

#[tokio::test]
async fn markup_in_what_was_read_from_a_report_is_shown_as_text() {
    let t = TestDir::new();
    let cfg = demo_copy(&t);
    let p = "</w:t></w:r></w:p><w:p><w:r><w:t>";
    let body = format!(
        "BÁO CÁO kết quả thực hiện Quy định 132-QĐ/TW theo Công văn số 809-CV/HU{p}\
         I. TÌNH HÌNH, KẾT QUẢ THỰC HIỆN{p}1. Công tác lãnh đạo, chỉ đạo &lt;b&gt;{p}\
         &lt;script&gt;alert('doc')&lt;/script&gt; Ban Thường vụ đã quán triệt Quy định 132."
    );
    let mail = crate::support::mail(
        "danguylocngai@gmail.com",
        "Báo cáo 132 theo Công văn 809-CV/HU",
        "Mon, 30 Jan 2023 08:00:00 +0700",
        "Mon, 30 Jan 2023 08:00:05 +0700",
        "BC Loc Ngai.docx",
        &crate::support::docx(&body),
        "xss-doc-1",
    );
    let eml = t.join("xss.eml");
    std::fs::write(&eml, mail).expect("write");
    ok(baocao_raw(&[
        "--config",
        &cfg.display().to_string(),
        "ingest",
        &eml.display().to_string(),
    ]));
    let id = Store::open(&t.join("demo"))
        .expect("store")
        .find_message("xss-doc-1@mail.gmail.com")
        .expect("stored")
        .id;
    let app = web::router(console(&cfg));
    let c = login(&app, VIEWER).await;
    let r = get(&app, &format!("/thu/{id}"), Some(&c)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("Đã đọc từ tệp BC Loc Ngai.docx"),
        "{}",
        r.body
    );
    // The section's text, escaped (the helper turns MiniJinja's "&#x2f;" back into "/").
    assert!(
        r.body
            .contains("&lt;script&gt;alert(&#x27;doc&#x27;)&lt;/script&gt; Ban Thường vụ"),
        "{}",
        r.body
    );
    assert!(
        !r.body.contains("<script") && !r.body.contains("<b>"),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn the_matrix_kept_between_pages_equals_one_computed_afresh_after_each_change() {
    let t = TestDir::new();
    let cfg = demo_copy(&t);
    let app = web::router(console(&cfg));
    let c = login(&app, EDITOR).await;
    // The matrix without the forms below it (their token is the session's).
    let matrix = |body: &str| {
        let from = body.find("<h1>").expect("title");
        let to = body.find("<section class=\"viec\">").expect("actions");
        body[from..to].to_string()
    };
    // A console that has kept nothing: every page computed from the register as it is.
    let fresh = || async {
        let app = web::router(console(&cfg));
        let c = login(&app, VIEWER).await;
        matrix(&get(&app, "/cong-van/809-CV-HU", Some(&c)).await.body)
    };
    let first = get(&app, "/cong-van/809-CV-HU", Some(&c)).await;
    assert_eq!(matrix(&first.body), fresh().await);
    let token = csrf_of(&first.body);
    let (unknown, nam, idx) = {
        let s = Store::open(&t.join("demo")).expect("store");
        let attention = s.messages_needing_attention().expect("attention");
        let unknown = attention
            .iter()
            .find(|m| m.unit_id.is_none())
            .expect("the unknown mail")
            .id;
        let nam = attention
            .iter()
            .find(|m| m.unit_id.as_deref() == Some("loc-nam"))
            .expect("Lộc Nam's mail");
        let idx = nam
            .attachments
            .iter()
            .position(|a| a.error.is_some())
            .expect("damaged file");
        (unknown, nam.id, idx)
    };
    let mut pages = vec![matrix(&first.body)];
    type Form<'a> = Vec<(&'a str, &'a str)>;
    let changes: [(&str, String, Form); 4] = [
        (
            "assign",
            format!("/thu/{unknown}/gan"),
            vec![("unit", "loc-ngai"), ("campaign", CAMPAIGN)],
        ),
        (
            "paper copy",
            "/cong-van/809-CV-HU/don-vi/loc-an/nop-giay".into(),
            vec![("item", "bieu1"), ("note", "bản giấy")],
        ),
        (
            "extension",
            "/cong-van/809-CV-HU/don-vi/quan-su/gia-han".into(),
            vec![("date", "2023-02-10"), ("time", "17:00")],
        ),
        (
            "file accepted",
            format!("/thu/{nam}/tep/{idx}/quyet-dinh"),
            vec![("decision", "nhan")],
        ),
    ];
    for (what, path, form) in changes {
        let mut form = form;
        form.push(("_csrf", &token));
        let r = post(&app, &path, Some(&c), &form).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{what}: {}", r.body);
        let kept = matrix(&get(&app, "/cong-van/809-CV-HU", Some(&c)).await.body);
        assert_eq!(kept, fresh().await, "after {what}");
        assert_ne!(
            &kept,
            pages.last().expect("a page"),
            "{what} changed nothing"
        );
        pages.push(kept);
    }
    // Mail read by the daemon (another connection) between two pages: a file of Lộc Ngãi's.
    {
        let mut s = Store::open(&t.join("demo")).expect("store");
        let m = baocao::store::NewMessage {
            sha256: "ab".repeat(32),
            message_id: Some("moi@loc-ngai".into()),
            from_addr: Some("dangbolocngai@gmail.com".into()),
            subject: "Biểu 2".into(),
            received_at: Some("2023-02-01T09:00:00+07:00".into()),
            received_ts: Some(1_675_216_800),
            unit_id: Some("loc-ngai".into()),
            campaign_id: Some(CAMPAIGN.into()),
            attachments: vec![baocao::store::NewAttachment {
                name: "Bieu 2.xlsx".into(),
                sha256: "cd".repeat(32),
                items: vec!["bieu2".into()],
                ..Default::default()
            }],
            ..Default::default()
        };
        s.insert_messages(&[m], NOW).expect("insert");
    }
    let kept = matrix(&get(&app, "/cong-van/809-CV-HU", Some(&c)).await.body);
    assert_eq!(kept, fresh().await, "after new mail");
    assert_ne!(&kept, pages.last().expect("a page"));
}

/// Lộc Thành's mail and the path of its report in it.
fn loc_thanh_report(data: &Path) -> (i64, String, String) {
    let s = Store::open(data).expect("store");
    let m = s
        .messages()
        .expect("messages")
        .into_iter()
        .find(|m| m.unit_id.as_deref() == Some("loc-thanh"))
        .expect("Lộc Thành's mail");
    let a = m
        .attachments
        .iter()
        .find(|a| a.name.starts_with("BC 132"))
        .expect("the report");
    (m.id, m.sha256.clone(), a.path.clone())
}

/// The unit page and the message page both show 19 party organisations rated in 2022, 15 of
/// them HTTNV, taken from Lộc Thành's report.
async fn figures_shown(app: &Router, c: &str, id: i64) {
    let page = get(app, "/cong-van/809-CV-HU/don-vi/loc-thanh", Some(c)).await;
    assert_eq!(page.status, StatusCode::OK);
    let figures = &page.body[page.body.find("id=\"so-lieu\"").expect("figures")..];
    let row = row_with(figures, "<td>2022</td><td>Tổ chức đảng</td>");
    assert!(
        row.contains(">19</td>") && row.contains(">15</td>"),
        "{row}"
    );
    assert!(!figures.contains("Không đọc lại được"), "{figures}");
    let m = get(app, &format!("/thu/{id}"), Some(c)).await;
    assert_eq!(m.status, StatusCode::OK);
    let row = row_with(&m.body, "<td>2022</td><td>Tổ chức đảng</td>");
    assert!(row.contains(">19</td>"), "{row}");
}

#[tokio::test]
async fn the_figures_taken_when_a_report_is_read_are_shown_with_the_archived_mail_gone() {
    let t = TestDir::new();
    let app = web::router(console(&demo_copy(&t)));
    let data = t.join("demo");
    let (id, sha, path) = loc_thanh_report(&data);
    let stored = Store::open(&data)
        .expect("store")
        .stored_figures(&sha, &path)
        .expect("db")
        .expect("figures stored when the report was read");
    assert!(stored.contains("\"value\":19"), "{stored}");
    std::fs::remove_file(data.join(baocao::store::Archive::relative_path(&sha)))
        .expect("remove the archived mail");
    let c = login(&app, VIEWER).await;
    figures_shown(&app, &c, id).await;
}

#[tokio::test]
async fn figures_of_a_report_read_before_they_were_stored_are_read_once_then_stored() {
    let t = TestDir::new();
    let app = web::router(console(&demo_copy(&t)));
    let data = t.join("demo");
    let (id, sha, path) = loc_thanh_report(&data);
    rusqlite::Connection::open(data.join("baocao.sqlite"))
        .expect("db")
        .execute("UPDATE attachments SET figures = NULL", [])
        .expect("as an earlier version left them");
    let c = login(&app, VIEWER).await;
    figures_shown(&app, &c, id).await;
    let stored = Store::open(&data)
        .expect("store")
        .stored_figures(&sha, &path)
        .expect("db");
    assert!(stored.is_some_and(|s| s.contains("\"value\":19")));
    std::fs::remove_file(data.join(baocao::store::Archive::relative_path(&sha)))
        .expect("remove the archived mail");
    figures_shown(&app, &c, id).await;
}
