//! Ingest benchmark: generates N realistic unit mails (a ~15 KB .docx report each, and every
//! tenth also a 200 KB attachment; ~480 MB for 10,000) on disk, then times
//! `baocao ingest` on them into a fresh data folder and reports messages/s, MB/s and the
//! process's peak RSS.
//!
//! `cargo bench --bench ingest` runs N = 1,000 and 10,000; pass other sizes as arguments
//! (`cargo bench --bench ingest -- 2000`). The corpus is cached under target/bench-corpus/.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const UNITS: &[(&str, &str)] = &[
    ("dangUyLocAn@gmail.com", "DU xa Loc An"),
    ("dangUyLocBao@gmail.com", "DU xa Loc Bao"),
    ("dangUyLocThanh@gmail.com", "DU xa Loc Thanh"),
    ("chibo.pgd.baolam@gmail.com", "Chi bo Phong Giao duc"),
    ("nguyenvana1980@gmail.com", "Đảng ủy xã Lộc Ngãi"),
];

const WORDS: &[&str] = &[
    "đảng", "viên", "chi", "bộ", "kiểm", "điểm", "đánh", "giá", "xếp", "loại", "chất", "lượng",
    "hằng", "năm", "tập", "thể", "cá", "nhân", "hoàn", "thành", "tốt", "nhiệm", "vụ", "quy",
    "định", "hướng", "dẫn", "tổ", "chức", "cơ", "sở", "lãnh", "đạo", "chỉ", "thực", "hiện", "kết",
    "quả", "phê", "bình", "tự", "xuất", "sắc", "hạn", "chế", "nguyên", "nhân", "đề", "xuất",
    "kiến", "nghị",
];

/// A small deterministic generator (xorshift), so every run makes the same corpus.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn words(rng: &mut Rng, n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(WORDS[rng.below(WORDS.len())]);
        if rng.below(12).is_multiple_of(12) {
            s.push_str(&format!(" {}", rng.below(3000)));
        }
    }
    s
}

fn docx(rng: &mut Rng, paragraphs: usize) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut buf);
    let o = zip::write::SimpleFileOptions::default();
    z.start_file("[Content_Types].xml", o).unwrap();
    z.write_all(br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).unwrap();
    z.start_file("word/document.xml", o).unwrap();
    z.write_all(br#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#).unwrap();
    for _ in 0..paragraphs {
        let p = words(rng, 60);
        write!(z, "<w:p><w:r><w:t>{p}</w:t></w:r></w:p>").unwrap();
    }
    z.write_all(b"</w:body></w:document>").unwrap();
    z.finish().unwrap();
    buf.into_inner()
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    let s = base64::engine::general_purpose::STANDARD.encode(bytes);
    let mut out = String::with_capacity(s.len() + s.len() / 76 * 2);
    for c in s.as_bytes().chunks(76) {
        out.push_str(std::str::from_utf8(c).unwrap());
        out.push_str("\r\n");
    }
    out
}

fn message(i: usize, rng: &mut Rng) -> Vec<u8> {
    let (from, unit) = UNITS[i % UNITS.len()];
    let day = 20 + (i % 11);
    let received = format!(
        "{}, {day} Jan 2023 {:02}:{:02}:{:02} +0700",
        "Mon",
        7 + i % 12,
        i % 60,
        (i * 7) % 60
    );
    let paragraphs = 60 + rng.below(40);
    let report = docx(rng, paragraphs);
    let body = words(rng, 250);
    let mut m = format!(
        "Received: from mail-sor-f41.google.com by mx.lamdong.gov.vn (Postfix) with ESMTPS id {i:08X}\r\n\
         \tfor <vanphong.huyenuy@lamdong.gov.vn>; {received}\r\n\
         Received: by 2002:a05:6402:{i:x} with SMTP id q{i}; {received}\r\n\
         Received: from [10.0.0.{ip}] by smtp.gmail.com; {received}\r\n\
         From: {unit} <{from}>\r\nTo: <vanphong.huyenuy@lamdong.gov.vn>\r\n\
         Subject: =?UTF-8?B?{subj}?=\r\nDate: {received}\r\nMessage-ID: <bench-{i}@mail.gmail.com>\r\n\
         MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"BOUND{i}\"\r\n\r\n\
         --BOUND{i}\r\nContent-Type: multipart/alternative; boundary=\"ALT{i}\"\r\n\r\n\
         --ALT{i}\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{plain}\
         --ALT{i}\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{html}--ALT{i}--\r\n\
         --BOUND{i}\r\nContent-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document;\r\n name=\"BC 132 - {unit}.docx\"\r\n\
         Content-Disposition: attachment; filename=\"BC 132 - {unit}.docx\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{att}",
        ip = i % 250,
        subj = b64(
            format!("{unit} gửi báo cáo thực hiện Quy định 132 (CV 809-CV/HU) lần {i}").as_bytes()
        )
        .replace("\r\n", ""),
        plain = b64(body.as_bytes()),
        html = b64(format!("<html><body><p>{body}</p></body></html>").as_bytes()),
        att = b64(&report),
    );
    if i.is_multiple_of(10) {
        let mut big = vec![0u8; 200 * 1024];
        for b in big.iter_mut() {
            *b = rng.next() as u8;
        }
        m.push_str(&format!(
            "--BOUND{i}\r\nContent-Type: application/pdf; name=\"Scan_{i}.pdf\"\r\nContent-Disposition: attachment; filename*=UTF-8''Bi%E1%BB%83u%20s%E1%BB%91%202%20{i}.pdf\r\n\
             Content-Transfer-Encoding: base64\r\n\r\n{}",
            b64(&[b"%PDF-1.4\n".as_slice(), &big].concat())
        ));
    }
    m.push_str(&format!("--BOUND{i}--\r\n"));
    m.into_bytes()
}

fn corpus(n: usize) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("target/bench-corpus/{n}"));
    let done = dir.join(".complete");
    if done.exists() {
        return dir;
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let t = Instant::now();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut sizes = Vec::with_capacity(n);
    for i in 0..n {
        let m = message(i, &mut rng);
        sizes.push(m.len());
        std::fs::write(dir.join(format!("{i:06}.eml")), m).unwrap();
    }
    sizes.sort_unstable();
    eprintln!(
        "generated {n} messages, {:.1} MB, median {:.1} KB, in {:.1} s",
        sizes.iter().sum::<usize>() as f64 / 1e6,
        sizes[n / 2] as f64 / 1e3,
        t.elapsed().as_secs_f64()
    );
    std::fs::write(&done, "").unwrap();
    dir
}

fn dir_bytes(p: &Path) -> u64 {
    std::fs::read_dir(p)
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

fn peak_rss_children_kb() -> i64 {
    // SAFETY: getrusage only writes into the struct we pass.
    unsafe {
        let mut u: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut u);
        u.ru_maxrss
    }
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1_000, 10_000]
    } else {
        sizes
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for n in sizes {
        let dir = corpus(n);
        let mb = dir_bytes(&dir) as f64 / 1e6;
        let data = root.join(format!("target/bench-data/{n}"));
        let _ = std::fs::remove_dir_all(&data);
        let t = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_baocao"))
            .args([
                "--config",
                &root.join("config/baocao.toml").display().to_string(),
            ])
            .args([
                "--data",
                &data.display().to_string(),
                "--json",
                "ingest",
                &dir.display().to_string(),
            ])
            .output()
            .unwrap();
        let secs = t.elapsed().as_secs_f64();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report["stored"].as_u64(), Some(n as u64), "{report}");
        // ru_maxrss is the largest child so far; sizes run smallest first.
        let rss_mb = peak_rss_children_kb() as f64 / 1024.0;
        println!(
            "ingest N={n:>6}: {mb:7.1} MB in {secs:6.2} s = {:8.0} msg/s, {:6.1} MB/s, peak RSS {rss_mb:.0} MB",
            n as f64 / secs,
            mb / secs
        );
        let _ = std::fs::remove_dir_all(&data);
    }
}
