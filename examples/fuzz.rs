//! A structure-aware mutation fuzzer on stable Rust for the entry points that read what
//! strangers send: `mime` (message::parse), `zip` (message::open_zip), `xlsx` (xlsx, ods and
//! xls through documents::extract), `docx` and `pdf` (documents::extract, lopdf's structure
//! parsing only: external tools are off).
//!
//! `cargo run --example fuzz -- ENTRY SECONDS [OUT_DIR]` (or `scripts/fuzz.sh ENTRY SECONDS`).
//!
//! The runner is two processes. The parent starts a child (this binary with `--child`) and
//! watches it; the child sets RLIMIT_AS so an allocation blow-up aborts it instead of the
//! machine, writes each input to `OUT/current.bin` before running it (so an abort or a hang
//! leaves the input behind), mutates the corpus and runs the entry point. A panic that
//! escapes, or one the readers caught and reported as an internal error, is saved under
//! `panics/`; a child that dies (abort, out of memory, signal) under `crashes/`; a child that
//! stops making progress for 20 s under `hangs/`. The parent restarts the child and adds up
//! the executions. Mutations: bit and byte flips, inserted and deleted runs, numbers replaced
//! by huge ones, splices between corpus files, and for zip-based files the same mutations
//! applied to one member (preferably XML) which is then zipped again.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Cursor, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use baocao::config::Limits;
use baocao::documents::{DocLimits, INTERNAL_ERROR_TEXT, extract};
use baocao::message::{self, Part};

/// Address-space limit of the child: far above what any reader should need.
const CHILD_MEMORY: u64 = 2 << 30;
/// Seconds without a new input before the child counts as hung.
const HANG_SECONDS: u64 = 20;
/// Largest input kept in the corpus or produced by a mutation.
const MAX_INPUT: usize = 4 << 20;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let code = if args.get(1).map(String::as_str) == Some("--child") {
        child(&args[2..])
    } else {
        parent(&args[1..])
    };
    std::process::exit(code);
}

fn usage() -> i32 {
    eprintln!("dùng: fuzz ENTRY SECONDS [OUT_DIR]   (ENTRY: mime | zip | xlsx | docx | pdf)");
    2
}

const ENTRIES: &[&str] = &["mime", "zip", "xlsx", "docx", "pdf"];

fn parent(args: &[String]) -> i32 {
    let (Some(entry), Some(secs)) = (
        args.first(),
        args.get(1).and_then(|s| s.parse::<u64>().ok()),
    ) else {
        return usage();
    };
    if !ENTRIES.contains(&entry.as_str()) {
        return usage();
    }
    let out = PathBuf::from(
        args.get(2)
            .cloned()
            .unwrap_or_else(|| format!("target/fuzz/{entry}")),
    );
    for d in ["crashes", "hangs", "panics"] {
        if let Err(e) = std::fs::create_dir_all(out.join(d)) {
            eprintln!("không tạo được {}: {e}", out.join(d).display());
            return 1;
        }
    }
    let exe = match std::env::current_exe() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("{e}");
            return 1;
        }
    };
    let deadline = Instant::now() + Duration::from_secs(secs);
    let started = Instant::now();
    let mut total: u64 = 0;
    let mut restarts = 0u64;
    let mut seed = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(1);
    let current = out.join("current.bin");
    while Instant::now() < deadline {
        let left = deadline
            .saturating_duration_since(Instant::now())
            .as_secs()
            .max(1);
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let mut child = match Command::new(&exe)
            .args(["--child", entry, &left.to_string(), &seed.to_string()])
            .arg(&out)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
        {
            Ok(c) => c,
            Err(e) => {
                eprintln!("không chạy được tiến trình con: {e}");
                return 1;
            }
        };
        let stdout = child.stdout.take();
        let counter = std::thread::spawn(move || {
            let mut last = 0u64;
            if let Some(s) = stdout {
                for line in BufReader::new(s).lines().map_while(Result::ok) {
                    if let Some(n) = line.strip_prefix("EXECS ").and_then(|n| n.parse().ok()) {
                        last = n;
                    } else {
                        println!("{line}");
                    }
                }
            }
            last
        });
        let status = loop {
            match child.try_wait() {
                Ok(Some(s)) => break Some(s),
                Ok(None) => {}
                Err(_) => break None,
            }
            let stale = std::fs::metadata(&current)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|e| e > Duration::from_secs(HANG_SECONDS));
            if stale {
                let _ = child.kill();
                let _ = child.wait();
                save(&current, &out.join("hangs"), "hang");
                break None;
            }
            std::thread::sleep(Duration::from_millis(200));
        };
        total += counter.join().unwrap_or(0);
        match status {
            Some(s) if s.success() => {}
            Some(s) => {
                save(&current, &out.join("crashes"), &format!("{s}"));
                restarts += 1;
            }
            None => restarts += 1,
        }
    }
    let secs_run = started.elapsed().as_secs_f64();
    let count = |d: &str| {
        std::fs::read_dir(out.join(d))
            .map(|r| {
                r.filter(|e| {
                    e.as_ref()
                        .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "bin"))
                })
                .count()
            })
            .unwrap_or(0)
    };
    println!(
        "{entry}: {total} lần chạy trong {secs_run:.0} s ({:.0}/s), khởi động lại {restarts} lần; \
         crashes {}, hangs {}, panics {}",
        total as f64 / secs_run.max(0.001),
        count("crashes"),
        count("hangs"),
        count("panics"),
    );
    0
}

/// Copies the input that caused a finding to `dir`, named by its content.
fn save(current: &Path, dir: &Path, why: &str) {
    let Ok(bytes) = std::fs::read(current) else {
        return;
    };
    let name = format!("{:016x}", fnv(&bytes));
    let _ = std::fs::write(dir.join(format!("{name}.bin")), &bytes);
    let _ = std::fs::write(dir.join(format!("{name}.txt")), why);
    println!(
        "phát hiện ({why}): {}",
        dir.join(format!("{name}.bin")).display()
    );
}

fn fnv(b: &[u8]) -> u64 {
    b.iter().fold(0xcbf29ce484222325u64, |h, &x| {
        (h ^ u64::from(x)).wrapping_mul(0x100000001b3)
    })
}

/// A small, fast generator (xorshift64*); the fuzzer needs no cryptographic randomness.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545F4914F6CDD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn child(args: &[String]) -> i32 {
    let (Some(entry), Some(secs), Some(seed), Some(out)) = (
        args.first(),
        args.get(1).and_then(|s| s.parse::<u64>().ok()),
        args.get(2).and_then(|s| s.parse::<u64>().ok()),
        args.get(3),
    ) else {
        return usage();
    };
    // SAFETY: setrlimit only reads the struct passed to it.
    unsafe {
        let lim = libc::rlimit {
            rlim_cur: CHILD_MEMORY,
            rlim_max: CHILD_MEMORY,
        };
        libc::setrlimit(libc::RLIMIT_AS, &lim);
    }
    // Panics are findings, recorded below; their messages would only flood the output.
    let last_panic = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    {
        let last_panic = last_panic.clone();
        std::panic::set_hook(Box::new(move |info| {
            if let Ok(mut p) = last_panic.lock() {
                *p = info.to_string();
            }
        }));
    }
    let out = PathBuf::from(out);
    let mut corpus = load_corpus(entry);
    if corpus.is_empty() {
        eprintln!("không có tệp mẫu nào cho {entry}");
        return 1;
    }
    let mut current = match std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(true)
        .open(out.join("current.bin"))
    {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{e}");
            return 1;
        }
    };
    let limits = Limits::default();
    let doc_limits = DocLimits {
        external_tools: false,
        ..DocLimits::default()
    };
    let mut rng = Rng(seed | 1);
    let mut seen: HashSet<u64> = HashSet::new();
    let deadline = Instant::now() + Duration::from_secs(secs);
    let mut execs: u64 = 0;
    let mut last_report = Instant::now();
    let seeds = corpus.len();
    while Instant::now() < deadline {
        for _ in 0..64 {
            let i = rng.below(corpus.len());
            let input = mutate(&corpus[i], &corpus, entry, &mut rng);
            // The input is on disk before it runs: an abort leaves it for the parent.
            let _ = current.seek(SeekFrom::Start(0));
            let _ = current.write_all(&input.1);
            let _ = current.set_len(input.1.len() as u64);
            if let Ok(mut p) = last_panic.lock() {
                p.clear();
            }
            let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                run_one(entry, &input.0, &input.1, &limits, &doc_limits)
            }));
            execs += 1;
            // A panic the readers caught is a finding too: the hook saw it.
            let seen_panic = last_panic.lock().map(|p| p.clone()).unwrap_or_default();
            match run {
                Ok((signature, internal_error)) => {
                    if internal_error || !seen_panic.is_empty() {
                        record_panic(&out, &input, &format!("caught: {seen_panic}"));
                    }
                    // Inputs that give a new outcome join the corpus (a cheap stand-in for
                    // coverage feedback).
                    if seen.insert(signature) && corpus.len() < seeds + 4000 {
                        corpus.push(input);
                    }
                }
                Err(_) => record_panic(&out, &input, &seen_panic),
            }
        }
        if last_report.elapsed() > Duration::from_secs(1) {
            println!("EXECS {execs}");
            last_report = Instant::now();
        }
    }
    println!("EXECS {execs}");
    0
}

/// Saves the first input that panics at each place (the place, not the input, names the
/// file): one known bug would otherwise fill the folder.
fn record_panic(out: &Path, input: &(String, Vec<u8>), why: &str) {
    let (input_name, input) = (&input.0, &input.1);
    let place = why
        .split("panicked at ")
        .nth(1)
        .and_then(|s| s.lines().next())
        .unwrap_or(why);
    let name = format!("{:016x}", fnv(place.as_bytes()));
    let dir = out.join("panics");
    if !dir.join(format!("{name}.bin")).exists() {
        let _ = std::fs::write(dir.join(format!("{name}.bin")), input);
        let _ = std::fs::write(
            dir.join(format!("{name}.txt")),
            format!("input name: {input_name}\n{why}"),
        );
        println!(
            "phát hiện (panic): {} — {why}",
            dir.join(format!("{name}.bin")).display()
        );
    }
}

/// Runs one input; returns a signature of the outcome and whether a reader reported a caught
/// panic (an internal error).
fn run_one(
    entry: &str,
    name: &str,
    bytes: &[u8],
    limits: &Limits,
    doc_limits: &DocLimits,
) -> (u64, bool) {
    let mut sig = String::new();
    let mut internal = false;
    match entry {
        "mime" => match message::parse(bytes, limits) {
            Ok(m) => {
                sig.push_str(&format!(
                    "{} {} ",
                    m.attachments.len().min(4),
                    m.forwarded.len().min(3)
                ));
                for p in &m.problems {
                    sig.extend(p.chars().take(12));
                }
                for a in m.all_parts().iter().take(8) {
                    sig.push_str(a.kind.as_str());
                }
            }
            Err(e) => {
                internal = matches!(e, message::Error::ParserFailed);
                sig.push_str(&e.to_string().chars().take(20).collect::<String>());
            }
        },
        "zip" => {
            let (parts, problems) = message::open_zip(name, bytes.to_vec(), limits);
            sig.push_str(&format!("{} ", parts.len().min(6)));
            for p in &problems {
                sig.extend(p.chars().take(12));
            }
            for p in parts.iter().take(6) {
                sig.push_str(p.kind.as_str());
                if let Some(e) = &p.error {
                    sig.extend(e.chars().take(12));
                }
            }
        }
        _ => {
            let part = Part::from_file(name, bytes.to_vec());
            let d = extract(&part, doc_limits);
            internal = d.problems.iter().any(|p| p == INTERNAL_ERROR_TEXT);
            sig.push_str(&format!(
                "{} {} {} ",
                d.kind.as_str(),
                d.tables.len().min(4),
                d.paragraphs.len().min(3)
            ));
            for p in &d.problems {
                sig.extend(p.chars().take(14));
            }
        }
    }
    (fnv(sig.as_bytes()), internal)
}

/// The seed files of an entry point, named (the name decides the kind when bytes do not).
fn load_corpus(entry: &str) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for root in ["tests/fixtures", "demo/mail"] {
        walk(Path::new(root), &mut files);
    }
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    let limits = Limits::default();
    for path in files {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        if bytes.len() > MAX_INPUT {
            continue;
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
        let wanted = match entry {
            "mime" => ext == "eml" || ext == "mbox" || path.to_string_lossy().contains("maildir"),
            "zip" => ext == "zip",
            "xlsx" => matches!(ext.as_str(), "xlsx" | "ods" | "xls"),
            "docx" => ext == "docx",
            "pdf" => ext == "pdf",
            _ => false,
        };
        if wanted {
            out.push((name.clone(), bytes.clone()));
        }
        // Attachments of the sample mail are seeds too (zips, forms, reports).
        if ext == "eml"
            && let Ok(m) = message::parse(&bytes, &limits)
        {
            for p in m.all_parts() {
                let pext = p.name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
                let take = match entry {
                    "zip" => p.kind == message::FileKind::Zip,
                    "xlsx" => matches!(pext.as_str(), "xlsx" | "ods" | "xls"),
                    "docx" => pext == "docx",
                    "pdf" => pext == "pdf",
                    _ => false,
                };
                if take && !p.bytes.is_empty() && p.bytes.len() <= MAX_INPUT {
                    out.push((p.name.clone(), p.bytes.clone()));
                }
            }
        }
    }
    if entry == "zip" {
        // Office files are zips too: good seeds for the archive reader.
        for (n, b) in load_corpus("docx").into_iter().chain(load_corpus("xlsx")) {
            if b.starts_with(b"PK") {
                out.push((format!("{n}.zip"), b));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// One mutated input from `seed` (keeping its name).
fn mutate(
    seed: &(String, Vec<u8>),
    corpus: &[(String, Vec<u8>)],
    entry: &str,
    rng: &mut Rng,
) -> (String, Vec<u8>) {
    let zip_based = matches!(entry, "xlsx" | "docx" | "zip") && seed.1.starts_with(b"PK");
    let mut data = if zip_based && rng.below(3) != 0 {
        mutate_zip(&seed.1, corpus, rng).unwrap_or_else(|| seed.1.clone())
    } else {
        seed.1.clone()
    };
    let rounds = 1 + rng.below(4);
    for _ in 0..rounds {
        if zip_based && rng.below(2) == 0 {
            break;
        }
        mutate_bytes(&mut data, corpus, rng);
    }
    data.truncate(MAX_INPUT);
    (seed.0.clone(), data)
}

/// Huge and boundary numbers, written in place of numbers found in the input.
const NUMBERS: &[&[u8]] = &[
    b"0",
    b"-1",
    b"4294967295",
    b"4294967296",
    b"18446744073709551615",
    b"99999999999999",
    b"1048576",
    b"16384",
    b"65535",
    b"2147483647",
    b"XFD1048576",
    b"A1:XFD1048576",
];

fn mutate_bytes(data: &mut Vec<u8>, corpus: &[(String, Vec<u8>)], rng: &mut Rng) {
    if data.is_empty() {
        data.push(rng.next() as u8);
        return;
    }
    let len = data.len();
    match rng.below(9) {
        0 => {
            let i = rng.below(len);
            data[i] ^= 1 << rng.below(8);
        }
        1 => {
            let i = rng.below(len);
            data[i] = [0u8, 0xFF, 0x7F, 0x80, b'<', b'>', b'"', b'\n'][rng.below(8)];
        }
        2 => {
            // Delete a run.
            let i = rng.below(len);
            let n = (1 + rng.below(64)).min(len - i);
            data.drain(i..i + n);
        }
        3 => {
            // Duplicate a run somewhere else.
            let i = rng.below(len);
            let n = (1 + rng.below(256)).min(len - i);
            let run = data[i..i + n].to_vec();
            let at = rng.below(len);
            data.splice(at..at, run);
        }
        4 | 5 => {
            // Replace a number with a huge or boundary one.
            let start = rng.below(len);
            if let Some(off) = data[start..].iter().position(u8::is_ascii_digit) {
                let i = start + off;
                let end = data[i..]
                    .iter()
                    .position(|b| !b.is_ascii_digit())
                    .map_or(len, |e| i + e);
                let n = NUMBERS[rng.below(NUMBERS.len())].to_vec();
                data.splice(i..end, n);
            }
        }
        6 | 7 => {
            // Splice with another corpus file.
            let other = &corpus[rng.below(corpus.len())].1;
            if !other.is_empty() {
                let cut = rng.below(len);
                let from = rng.below(other.len());
                data.truncate(cut);
                data.extend_from_slice(&other[from..]);
            }
        }
        _ => {
            // Overwrite a 2/4-byte field with an extreme value (binary formats).
            let i = rng.below(len);
            let v: [u8; 4] = match rng.below(4) {
                0 => [0xFF; 4],
                1 => [0; 4],
                2 => [0xFF, 0xFF, 0, 0],
                _ => (rng.next() as u32).to_le_bytes(),
            };
            let n = (2 + 2 * rng.below(2)).min(len - i);
            data[i..i + n].copy_from_slice(&v[..n]);
        }
    }
}

/// Mutates one member of a zip (XML preferred) and zips everything again, so the mutation
/// reaches the parsers behind the archive instead of only breaking its checksums.
fn mutate_zip(bytes: &[u8], corpus: &[(String, Vec<u8>)], rng: &mut Rng) -> Option<Vec<u8>> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut members: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..z.len().min(200) {
        let mut f = z.by_index(i).ok()?;
        let mut v = Vec::new();
        (&mut f).take(MAX_INPUT as u64).read_to_end(&mut v).ok()?;
        members.push((f.name().ok()?.to_string(), v));
    }
    if members.is_empty() {
        return None;
    }
    let xml: Vec<usize> = (0..members.len())
        .filter(|&i| members[i].0.ends_with(".xml") || members[i].0.ends_with(".rels"))
        .collect();
    let pick = if !xml.is_empty() && rng.below(4) != 0 {
        xml[rng.below(xml.len())]
    } else {
        rng.below(members.len())
    };
    match rng.below(6) {
        0 => {
            // A member twice, or under a hostile name.
            let m = members[pick].clone();
            let name =
                ["../../x.xml", "/abs.xml", "a\u{1}b.xml", m.0.as_str()][rng.below(4)].to_string();
            members.push((name, m.1));
        }
        1 => {
            // Repeat an element many times (wide rows, long lists).
            let m = &mut members[pick].1;
            if let Some(s) = m.iter().position(|&b| b == b'<') {
                let e = m[s..].iter().position(|&b| b == b'>').map(|e| s + e + 1);
                if let Some(e) = e {
                    let el = m[s..e].to_vec();
                    let times = 1 + rng.below(2000);
                    let at = e;
                    let rep: Vec<u8> = el.iter().copied().cycle().take(el.len() * times).collect();
                    m.splice(at..at, rep);
                }
            }
        }
        _ => {
            for _ in 0..1 + rng.below(3) {
                mutate_bytes(&mut members[pick].1, corpus, rng);
            }
        }
    }
    let mut buf = Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(1));
        for (n, b) in &members {
            if w.start_file(n.as_str(), opts).is_err() {
                continue;
            }
            let _ = w.write_all(b);
        }
        w.finish().ok()?;
    }
    Some(buf.into_inner())
}
