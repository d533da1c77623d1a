//! `baocao messages` at scale: a register of N messages (10,000 and 30,000 by default, each
//! with two attachments and a 2,000-character body) is written straight into a store, then
//! a first page (`--limit 50 --json`), a page deep in the register (`--after`), one unit's
//! mail, and the whole list streamed to /dev/null are timed, with baocao's peak RSS.
//! A page must cost the same at any register size, and the whole stream must hold memory flat.
//!
//! `cargo bench --bench messages` (or `-- 5000 50000` for other sizes).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use baocao::store::{NewAttachment, NewMessage, Store};

fn register(n: usize) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("target/bench-register/{n}"));
    if dir.join(".complete").is_file() {
        return dir;
    }
    let _ = std::fs::remove_dir_all(&dir);
    let mut store = Store::open(&dir).expect("store");
    let units = ["loc-an", "loc-bao", "loc-thanh", "quan-su", "phong-gd"];
    let body = "Kính gửi Văn phòng Huyện ủy. ".repeat(70);
    let mut batch = Vec::new();
    for i in 0..n {
        let sha = format!("{:064x}", i + 1);
        batch.push(NewMessage {
            sha256: sha.clone(),
            size: 20_000,
            source: format!("bench#{i}"),
            message_id: Some(format!("bench-{i}@example")),
            from_addr: Some(format!("donvi{}@example.vn", i % 40)),
            subject: format!("Báo cáo 132 theo Công văn 809-CV/HU số {i}"),
            body_excerpt: body.clone(),
            received_at: Some("2023-01-27T09:00:00+07:00".into()),
            received_ts: Some(1_674_784_800 + i as i64),
            received_from: Some("received_header".into()),
            unit_id: Some(units[i % units.len()].into()),
            identified_by: Some("sender_address".into()),
            campaign_id: Some("809-CV-HU".into()),
            campaign_by: Some("subject".into()),
            attachments: (0..2)
                .map(|k| NewAttachment {
                    name: format!("Bieu {k}.xlsx"),
                    path: format!("Bieu {k}.xlsx"),
                    kind: "xlsx".into(),
                    size: 10_000,
                    sha256: format!("{:064x}", (i + 1) * 10 + k),
                    items: vec![format!("bieu{}", k + 1)],
                    item_by: Some("content".into()),
                    ..Default::default()
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
    std::fs::write(dir.join(".complete"), b"").expect("mark");
    dir
}

/// Runs baocao on `data` with `args`: wall time, the child's own peak RSS (KB, from wait4)
/// and the size of what it printed.
fn timed(bin: &Path, data: &Path, args: &[&str]) -> (f64, u64, u64) {
    let config = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("config/baocao.toml");
    let out_path = data.with_extension("out");
    let out = std::fs::File::create(&out_path).expect("out file");
    let start = Instant::now();
    let child = Command::new(bin)
        .arg("--config")
        .arg(&config)
        .arg("--data")
        .arg(data)
        .args(args)
        .stdout(Stdio::from(out))
        .stderr(Stdio::inherit())
        .spawn()
        .expect("run");
    // Reaped below with wait4, which also gives its resource usage; `Child::wait` cannot.
    let child = std::mem::ManuallyDrop::new(child);
    let mut status = 0;
    // SAFETY: wait4 writes the exit status and the child's resource usage into our locals.
    let rss = unsafe {
        let mut u: libc::rusage = std::mem::zeroed();
        libc::wait4(child.id() as i32, &mut status, 0, &mut u);
        u.ru_maxrss as u64
    };
    let secs = start.elapsed().as_secs_f64();
    assert!(status == 0, "{args:?} failed");
    let bytes = std::fs::metadata(&out_path).map(|m| m.len()).unwrap_or(0);
    (secs, rss, bytes)
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![10_000, 30_000]
    } else {
        sizes
    };
    let status = Command::new("cargo")
        .args(["build", "--release", "--quiet", "--bin", "baocao"])
        .status()
        .expect("cargo build");
    assert!(status.success());
    let bin = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/baocao");
    println!("| messages | query | time (best of 3) | output | peak RSS |");
    println!("| --- | --- | --- | --- | --- |");
    for n in sizes {
        let data = register(n);
        let deep = (n - 100).to_string();
        let cases: [(&str, Vec<&str>); 4] = [
            (
                "first page (--limit 50)",
                vec!["--json", "messages", "--limit", "50"],
            ),
            (
                "page deep in (--after N-100 --limit 50)",
                vec!["--json", "messages", "--after", &deep, "--limit", "50"],
            ),
            (
                "one unit, first page",
                vec!["--json", "messages", "--unit", "quan-su", "--limit", "50"],
            ),
            ("everything, streamed", vec!["--json", "messages"]),
        ];
        for (what, args) in cases {
            // Best of three: the page cache and the machine's other work vary.
            let mut best = f64::MAX;
            let mut bytes = 0;
            let mut rss = 0;
            for _ in 0..3 {
                let (t, r, b) = timed(&bin, &data, &args);
                best = best.min(t);
                bytes = b;
                rss = rss.max(r);
            }
            println!(
                "| {n} | {what} | {:.3} s | {} KB | {} MB |",
                best,
                bytes >> 10,
                rss >> 10
            );
        }
    }
}
