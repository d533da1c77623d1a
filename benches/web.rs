//! The console's matrix page at scale: 40 units × 5 items over a register of 10,000 messages
//! (the shipped config's units and Công văn 809-CV/HU), served through the whole Router
//! (session guard, store pool, register, template) in process. Prints the median and worst
//! server time of a page; the bar is 50 ms.
//!
//! Measured twice: over files without a stored reading (as first written), and over files
//! that each carry a stored reading like the demo's (a 30-row form and six outline sections,
//! about 6 KB): what a register of read documents looks like.
//!
//! `cargo bench --bench web` (or `-- 30000` for another register size).

use std::path::PathBuf;
use std::time::Instant;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use baocao::clock::Clock;
use baocao::store::accounts::Role;
use baocao::store::{NewAttachment, NewMessage, Store};
use baocao::web::{self, Console, auth};
use tower::ServiceExt as _;

const ITEMS: [&str; 5] = ["report", "bieu1", "bieu2", "bieu3", "bieu4"];

/// A stored reading of about 6 KB, like the demo's: a checklist of 30 rows, six sections.
fn reading(item: &str) -> String {
    use baocao::forms::{FormRead, FormRow, Mark, Reading, Section};
    let r = Reading {
        kind: "xlsx".into(),
        source: "native".into(),
        forms: vec![FormRead {
            item: item.into(),
            location: "sheet Biểu 2".into(),
            rows: (0..30)
                .map(|i| FormRow {
                    group: "Về kiểm điểm tập thể".into(),
                    label: format!("Nội dung kiểm điểm số {i} theo hướng dẫn của Ban Tổ chức"),
                    mark: Some(Mark::PhuHop),
                    proposal: String::new(),
                })
                .collect(),
            cells: Vec::new(),
            problems: Vec::new(),
        }],
        sections: (1..=6)
            .map(|i| Section {
                id: i.to_string(),
                heading: format!("{i}. Kết quả thực hiện"),
                text: "Đảng ủy đã lãnh đạo, chỉ đạo thực hiện nghiêm túc. ".repeat(10),
            })
            .collect(),
        text_chars: 4_000,
        ..Reading::default()
    };
    serde_json::to_string(&r).expect("reading")
}

fn register(n: usize, units: &[baocao::config::Unit], readings: bool) -> PathBuf {
    let name = if readings {
        format!("{n}-doc")
    } else {
        n.to_string()
    };
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("target/bench-web/{name}"));
    if dir.join(".complete").is_file() {
        return dir;
    }
    let _ = std::fs::remove_dir_all(&dir);
    let mut store = Store::open(&dir).expect("store");
    store
        .replace_units(units, "2023-01-20T08:00:00+07:00")
        .expect("units");
    let body = "Kính gửi Văn phòng Huyện ủy. ".repeat(70);
    let mut batch = Vec::new();
    for i in 0..n {
        let unit = &units[i % units.len()];
        // Every tenth mail is from nobody known: "Cần xử lý" and the count in the matrix.
        let known = i % 10 != 0;
        batch.push(NewMessage {
            sha256: format!("{:064x}", i + 1),
            size: 20_000,
            source: format!("bench#{i}"),
            message_id: Some(format!("web-bench-{i}@example")),
            from_addr: Some(format!("donvi{}@example.vn", i % 40)),
            subject: format!("Báo cáo 132 theo Công văn 809-CV/HU số {i}"),
            body_excerpt: body.clone(),
            received_at: Some("2023-01-27T09:00:00+07:00".into()),
            received_ts: Some(1_674_784_800 + i as i64 * 60),
            received_from: Some("received_header".into()),
            unit_id: known.then(|| unit.id.clone()),
            identified_by: known.then(|| "sender_address".into()),
            campaign_id: Some("809-CV-HU".into()),
            campaign_by: Some("subject".into()),
            attachments: (0..2)
                .map(|k| {
                    let mut a = NewAttachment {
                        name: format!("Bieu {k}.xlsx"),
                        path: format!("Bieu {k}.xlsx"),
                        kind: "xlsx".into(),
                        size: 10_000,
                        sha256: format!("{:064x}", (i + 1) * 10 + k),
                        items: vec![ITEMS[(i / 40 + k) % ITEMS.len()].to_string()],
                        item_by: Some("content".into()),
                        document: readings.then(|| reading(ITEMS[(i / 40 + k) % ITEMS.len()])),
                        ..Default::default()
                    };
                    // As ingest stores it: what the register reads kept beside the reading.
                    a.for_register = baocao::forms::Reading::for_register(&a);
                    a
                })
                .collect(),
            ..Default::default()
        });
        if batch.len() == 2_000 {
            store
                .insert_messages(&batch, "2023-01-27T09:00:00+07:00")
                .expect("insert");
            batch.clear();
        }
    }
    store
        .insert_messages(&batch, "2023-01-27T09:00:00+07:00")
        .expect("insert");
    let hash = auth::hash_password("bench-password").expect("hash");
    store
        .put_user("bench", &hash, Role::Xem, "2023-01-20T08:00:00+07:00")
        .expect("user");
    std::fs::write(dir.join(".complete"), b"").expect("mark");
    dir
}

/// CPU time used by this process so far (every thread: the page is built on the blocking
/// pool), in ms. On a busy machine the wall time also counts the waits for a core.
fn cpu_ms() -> f64 {
    // SAFETY: getrusage writes into the struct we pass and nothing else.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) };
    let tv = |t: libc::timeval| t.tv_sec as f64 * 1000.0 + t.tv_usec as f64 / 1000.0;
    tv(u.ru_utime) + tv(u.ru_stime)
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10_000);
    for readings in [false, true] {
        bench(n, readings);
    }
}

fn bench(n: usize, readings: bool) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut config = baocao::config::load(&root.join("config/baocao.toml")).expect("config");
    let units_csv = std::fs::read(root.join("config/units.csv")).expect("units");
    let units = baocao::config::parse_units_csv(&units_csv, &root.join("config/units.csv"))
        .expect("units csv");
    let t = Instant::now();
    config.data_dir = register(n, &units, readings);
    eprintln!(
        "register of {n} messages ready in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let data_dir = config.data_dir.clone();
    // A register stored by an earlier version is brought up to date as at the program's start.
    let t = Instant::now();
    let cut = baocao::forms::cut_stored_readings(&mut Store::open(&data_dir).expect("store"))
        .expect("cut");
    if cut > 0 {
        eprintln!(
            "{cut} stored readings cut for the register in {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }
    let now = chrono::DateTime::parse_from_rfc3339("2023-02-02T08:00:00+07:00").expect("now");
    let console = Console::new(config, Clock::Fixed(now), false, None);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let mut other = Store::open(&data_dir).expect("store");
        let session = {
            let token = auth::random_token().expect("token");
            let ts = now.timestamp().max(chrono::Utc::now().timestamp());
            other
                .open_session(&token, "bench", "csrf", ts, ts + 3600)
                .expect("session");
            token
        };
        let app = web::router(console);
        let what = if readings {
            " with stored readings"
        } else {
            ""
        };
        // Pages one after another, the register unchanged (the rows read for the first are
        // used again); then pages each after a commit by another connection that the register
        // does not read (a session opened); then pages each after a change to the register by
        // another connection (a message assigned to another unit, as when staff fix one or
        // mail is read between two pages).
        let moved = other
            .messages_page(&baocao::store::MessageFilter {
                unit: Some(units[1].id.clone()),
                limit: 1,
                ..Default::default()
            })
            .expect("messages")
            .first()
            .map(|m| m.id)
            .expect("a message");
        for case in ["register unchanged", "another table changed before each page", "a message assigned before each page"] {
            let changed = case != "register unchanged";
            let mut times = Vec::new();
            let mut cpu = Vec::new();
            let mut size = 0;
            for round in 0..21 {
                if case == "a message assigned before each page" {
                    let to = &units[2 + round % 2].id;
                    other
                        .assign(moved, to, None, "2023-02-02T08:00:00+07:00")
                        .expect("assign");
                } else if changed {
                    let token = auth::random_token().expect("token");
                    let ts = chrono::Utc::now().timestamp();
                    other
                        .open_session(&token, "bench", "csrf", ts, ts + 60)
                        .expect("a commit");
                }
                let req = Request::get("/cong-van/809-CV-HU")
                    .header(header::COOKIE, format!("{}={session}", auth::SESSION_COOKIE))
                    .body(Body::empty())
                    .expect("request");
                let start = Instant::now();
                let cpu_start = cpu_ms();
                let r = app.clone().oneshot(req).await.expect("response");
                assert_eq!(r.status(), StatusCode::OK);
                let body = axum::body::to_bytes(r.into_body(), 64 << 20)
                    .await
                    .expect("body");
                let ms = start.elapsed().as_secs_f64() * 1000.0;
                let used = cpu_ms() - cpu_start;
                // The first request opens the store connection; the rest are what staff wait for.
                if round > 0 {
                    times.push(ms);
                    cpu.push(used);
                }
                size = body.len();
                assert!(String::from_utf8_lossy(&body).contains("Đảng ủy xã Lộc An"));
            }
            times.sort_by(f64::total_cmp);
            cpu.sort_by(f64::total_cmp);
            println!(
                "matrix page, 40 units x 5 items, {n} messages{what}, {}: median {:.1} ms, worst {:.1} ms over {} requests ({size} bytes); CPU per request: median {:.1} ms",
                case,
                times[times.len() / 2],
                times[times.len() - 1],
                times.len(),
                cpu[cpu.len() / 2],
            );
        }
    });
}
