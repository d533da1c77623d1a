//! Document-reading benchmark: times the whole `inspect` step per format (read the file with
//! `baocao::documents::extract`, then the Party header, the forms and the outline sections, as
//! `baocao inspect` and the ingest's recognition do), single thread, against reference tools
//! on the same files: `pdftotext -layout FILE -` (one process per PDF) for PDF, and openpyxl
//! read-only / python-docx (`benches/reference_read.py`) for xlsx / docx.
//!
//! The files: by default the generated corpus in `target/bench-docs/` (200 six-page reports
//! with a header table, the request's outline, a statistics table and a nested table; 200
//! Biểu 1–4 workbooks; 50 of the reports exported to PDF by LibreOffice), made on first use by
//! `benches/make_bench_docs.py` (python-docx, openpyxl, soffice); `--fixtures` takes the few
//! files of `tests/fixtures/docs/` instead.
//!
//! Every measurement runs in whole rounds over its files, after one untimed warm-up round,
//! until at least `--min-seconds` have passed and `--min-docs` documents were read. The
//! measurements are interleaved (ours, then the references) and repeated `--rounds` times,
//! each with the load average beside it; the summary gives the median ratio. The image-only
//! scan of the fixtures is kept out of the PDF row.
//!
//! Targets: docx and xlsx at least 10× the Python readers; our whole PDF step within 1.2× of
//! pdftotext alone.
//!
//! `cargo bench --bench documents` (options: `-- --min-seconds S --min-docs N --rounds R
//! --fixtures --corpus DIR`); `-- --only docx|xlsx|pdf` runs our step alone for the time given,
//! for a profiler (`perf record -g target/release/deps/documents-… --only docx`).

use std::hint::black_box;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use baocao::config::Campaign;
use baocao::documents::{DocLimits, Document, extract, parse_header};
use baocao::forms::Reading;
use baocao::message::{FileKind, Part, detect};

/// How long each measurement runs.
#[derive(Debug, Clone, Copy)]
struct Opts {
    min_seconds: f64,
    min_docs: usize,
}

/// One fixture file, ready to be read.
struct Input {
    path: PathBuf,
    part: Part,
}

impl Input {
    fn size(&self) -> u64 {
        self.part.bytes.len() as u64
    }
}

/// Documents read in a measured time.
#[derive(Debug, Clone, Copy, Default)]
struct Rate {
    docs: usize,
    bytes: u64,
    seconds: f64,
    /// CPU time (user + system) of the reader and the tools it waited for: steadier than
    /// the wall time on a shared machine.
    cpu: f64,
}

/// CPU seconds used so far by this process and by its children that were waited for.
fn cpu_now() -> f64 {
    let secs = |who| {
        // SAFETY: getrusage only writes the struct it is given.
        let mut u: libc::rusage = unsafe { std::mem::zeroed() };
        if unsafe { libc::getrusage(who, &mut u) } != 0 {
            return 0.0;
        }
        let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
        tv(u.ru_utime) + tv(u.ru_stime)
    };
    secs(libc::RUSAGE_SELF) + secs(libc::RUSAGE_CHILDREN)
}

impl Rate {
    fn cpu_ms_per_doc(&self) -> f64 {
        self.cpu * 1e3 / self.docs as f64
    }

    fn docs_per_s(&self) -> f64 {
        self.docs as f64 / self.seconds
    }

    fn ms_per_doc(&self) -> f64 {
        self.seconds * 1e3 / self.docs as f64
    }
}

/// Runs `one(i)` once for every file (warm-up), then in whole rounds over the files until
/// `min_seconds` and `min_docs` are both reached.
fn measure(sizes: &[u64], min_seconds: f64, min_docs: usize, mut one: impl FnMut(usize)) -> Rate {
    for i in 0..sizes.len() {
        one(i);
    }
    let mut rate = Rate::default();
    let start = Instant::now();
    let cpu = cpu_now();
    loop {
        for (i, size) in sizes.iter().enumerate() {
            one(i);
            rate.docs += 1;
            rate.bytes += size;
        }
        rate.seconds = start.elapsed().as_secs_f64();
        rate.cpu = cpu_now() - cpu;
        if sizes.is_empty() || (rate.seconds >= min_seconds && rate.docs >= min_docs) {
            return rate;
        }
    }
}

/// Like [`measure`] for two readers of the same files, alternating file by file: `a(i)` then
/// `b(i)`, each timed on its own.
fn measure_pair(
    sizes: &[u64],
    opts: Opts,
    mut a: impl FnMut(usize),
    mut b: impl FnMut(usize),
) -> (Rate, Rate) {
    for i in 0..sizes.len() {
        a(i);
        b(i);
    }
    let (mut ra, mut rb) = (Rate::default(), Rate::default());
    loop {
        for (i, size) in sizes.iter().enumerate() {
            let (t, c) = (Instant::now(), cpu_now());
            a(i);
            ra.seconds += t.elapsed().as_secs_f64();
            ra.cpu += cpu_now() - c;
            let (t, c) = (Instant::now(), cpu_now());
            b(i);
            rb.seconds += t.elapsed().as_secs_f64();
            rb.cpu += cpu_now() - c;
            ra.docs += 1;
            rb.docs += 1;
            ra.bytes += size;
            rb.bytes += size;
        }
        if sizes.is_empty()
            || (ra.seconds + rb.seconds >= 2.0 * opts.min_seconds && ra.docs >= opts.min_docs)
        {
            return (ra, rb);
        }
    }
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The files `<root>/<ext>/*.<ext>`, sorted, as attachments.
fn load(root: &Path, ext: &str) -> Vec<Input> {
    let dir = root.join(ext);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case(ext)))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let content_type = "application/octet-stream".to_string();
            let (kind, error) = detect(&bytes, &name, &content_type);
            let part = Part {
                path: name.clone(),
                name,
                content_type,
                kind,
                bytes,
                error,
                inline: false,
            };
            Input { path, part }
        })
        .collect()
}

fn sizes(inputs: &[Input]) -> Vec<u64> {
    inputs.iter().map(Input::size).collect()
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Checks that a fixture reads as intended, so the benchmark does not time an error path.
fn check(input: &Input, doc: &Document, expected: FileKind) {
    let name = file_name(&input.path);
    assert_eq!(
        input.part.kind, expected,
        "{name}: detected as {:?}",
        input.part.kind
    );
    if !doc.problems.is_empty() {
        eprintln!("note: {name}: {}", doc.problems.join("; "));
    }
    if !doc.scanned {
        assert!(doc.has_text(), "{name}: no text was read");
    }
}

/// Spawns a program with its output captured, waiting for it; panics when it fails.
fn spawn(cmd: &mut Command) -> Vec<u8> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot start {:?}: {e}", cmd.get_program()));
    assert!(
        out.status.success(),
        "{:?} failed: {}",
        cmd.get_program(),
        String::from_utf8_lossy(&out.stderr).trim()
    );
    out.stdout
}

/// The reference: `pdftotext -layout FILE -`.
fn pdftotext(path: &Path) -> Vec<u8> {
    spawn(Command::new("pdftotext").arg("-layout").arg(path).arg("-"))
}

/// One table row.
struct Row {
    format: String,
    files: usize,
    ours: Rate,
    reference: Option<Rate>,
    /// Lowest ours/reference ratio (docs/s) that meets the target, and the target in words.
    target: Option<(f64, &'static str)>,
}

fn print_table(rows: &[Row]) {
    println!();
    println!(
        "{:<6} {:>5} {:>6} {:>10} {:>10} {:>7} {:>11} {:>11} {:>7}  target (wall; CPU)",
        "format",
        "files",
        "docs",
        "our doc/s",
        "ref doc/s",
        "ratio",
        "our CPU ms",
        "ref CPU ms",
        "ratio"
    );
    for r in rows {
        let o = r.ours;
        let (ref_docs, ref_cpu, wall, cpu) = match r.reference {
            Some(re) => (
                format!("{:.1}", re.docs_per_s()),
                format!("{:.2}", re.cpu_ms_per_doc()),
                format!("{:.2}", o.docs_per_s() / re.docs_per_s()),
                format!("{:.2}", re.cpu_ms_per_doc() / o.cpu_ms_per_doc()),
            ),
            None => ("-".into(), "-".into(), "-".into(), "-".into()),
        };
        let verdict = match (r.target, r.reference) {
            (Some((min, words)), Some(re)) => {
                let says = |met: bool| if met { "MET" } else { "NOT MET" };
                format!(
                    "{words}: {}; {}",
                    says(o.docs_per_s() / re.docs_per_s() >= min),
                    says(re.cpu_ms_per_doc() / o.cpu_ms_per_doc() >= min)
                )
            }
            (Some((_, words)), None) => format!("{words}: not measured"),
            (None, _) => "-".into(),
        };
        println!(
            "{:<6} {:>5} {:>6} {:>10.1} {:>10} {:>7} {:>11.2} {:>11} {:>7}  {verdict}",
            r.format,
            r.files,
            o.docs,
            o.docs_per_s(),
            ref_docs,
            wall,
            o.cpu_ms_per_doc(),
            ref_cpu,
            cpu
        );
    }
}

/// Runs `benches/reference_read.py`; `None` (with a line saying why) when Python, openpyxl or
/// python-docx is missing.
fn python_reference(
    xlsx: &[Input],
    docx: &[Input],
    opts: Opts,
) -> Option<serde_json::Map<String, serde_json::Value>> {
    let have = Command::new("python3")
        .args(["-c", "import openpyxl, docx"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !have {
        println!(
            "Python reference skipped: python3 with openpyxl and python-docx is not available \
             (install with `pip install openpyxl python-docx`)"
        );
        return None;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/reference_read.py");
    let mut cmd = Command::new("python3");
    cmd.arg(script)
        .args(["--min-seconds", &opts.min_seconds.to_string()])
        .args(["--min-docs", &opts.min_docs.to_string()])
        .arg("--xlsx")
        .args(xlsx.iter().map(|i| &i.path))
        .arg("--docx")
        .args(docx.iter().map(|i| &i.path));
    let out = spawn(&mut cmd);
    match serde_json::from_slice::<serde_json::Value>(&out) {
        Ok(serde_json::Value::Object(m)) => Some(m),
        _ => {
            println!(
                "Python reference gave no JSON: {}",
                String::from_utf8_lossy(&out).trim()
            );
            None
        }
    }
}

fn python_rate(
    json: Option<&serde_json::Map<String, serde_json::Value>>,
    fmt: &str,
) -> Option<Rate> {
    let o = json?.get(fmt)?;
    Some(Rate {
        docs: o.get("docs")?.as_u64()? as usize,
        bytes: o.get("bytes")?.as_u64()?,
        seconds: o.get("seconds")?.as_f64()?,
        cpu: o.get("cpu_seconds")?.as_f64()?,
    })
}

/// Our PDF step split into its parts, on the text PDFs, to see which one dominates.
fn pdf_breakdown(pdfs: &[Input], opts: Opts, total: Rate, reference: Rate) {
    let sz = sizes(pdfs);
    let limits = DocLimits::default();
    let lopdf_load = measure(&sz, opts.min_seconds, opts.min_docs, |i| {
        let pdf = lopdf::Document::load_mem(&pdfs[i].part.bytes).expect("lopdf loads the fixture");
        let pages = pdf.get_pages().len();
        let images = pdf
            .objects
            .values()
            .filter_map(|o| o.as_stream().ok())
            .filter(|s| {
                s.dict
                    .get(b"Subtype")
                    .and_then(|v| v.as_name())
                    .is_ok_and(|n| n == b"Image")
            })
            .count();
        black_box((pages, images));
    });
    let temp_write = measure(&sz, opts.min_seconds, opts.min_docs, |i| {
        let mut f = tempfile::Builder::new()
            .suffix(".pdf")
            .tempfile()
            .expect("temp file");
        f.write_all(&pdfs[i].part.bytes).expect("temp write");
        black_box(&f);
    });
    let pages = limits.max_pages.to_string();
    let ours_spawn = measure(&sz, opts.min_seconds, opts.min_docs, |i| {
        let out = spawn(
            Command::new("pdftotext")
                .args(["-layout", "-enc", "UTF-8", "-l", &pages])
                .arg(&pdfs[i].path)
                .arg("-"),
        );
        black_box(out);
    });
    let ms = |r: Rate| r.ms_per_doc();
    let rest = ms(total) - ms(lopdf_load) - ms(temp_write) - ms(ours_spawn);
    println!();
    println!("PDF step per document (text PDFs):");
    println!(
        "  whole inspect step                      {:>8.2} ms",
        ms(total)
    );
    println!(
        "  lopdf load_mem + pages + image count    {:>8.2} ms",
        ms(lopdf_load)
    );
    println!(
        "  temp file create + write                {:>8.2} ms",
        ms(temp_write)
    );
    println!(
        "  pdftotext -layout -enc UTF-8 -l N (ours){:>8.2} ms",
        ms(ours_spawn)
    );
    println!("  rest (run_tool threads, paragraphs, …)  {:>8.2} ms", rest);
    println!(
        "  reference: pdftotext -layout FILE -     {:>8.2} ms",
        ms(reference)
    );
}

/// The whole `inspect` step on one file: read it, then header, forms, outline sections.
fn inspect(part: &Part, limits: &DocLimits, campaign: &Campaign) -> (Document, Reading) {
    let doc = extract(part, limits);
    let header = parse_header(&doc);
    let reading = Reading::new(&doc, Some(header), campaign);
    (doc, reading)
}

/// The load average over the last minute.
fn load1() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(f64::NAN)
}

/// The generated corpus, made on first use; `None` (with a line saying why) when it cannot be.
fn bench_corpus(dir: &Path) -> Option<PathBuf> {
    let ready = |d: &Path| {
        ["docx", "xlsx"]
            .iter()
            .all(|e| std::fs::read_dir(d.join(e)).is_ok_and(|mut r| r.next().is_some()))
    };
    if ready(dir) {
        return Some(dir.to_path_buf());
    }
    println!("making the benchmark corpus in {} …", dir.display());
    let ok = Command::new("python3")
        .arg(repo().join("benches/make_bench_docs.py"))
        .arg("--out")
        .arg(dir)
        .status()
        .is_ok_and(|s| s.success());
    if ok && ready(dir) {
        Some(dir.to_path_buf())
    } else {
        println!(
            "cannot make the benchmark corpus (needs python3 with python-docx and openpyxl, and \
             soffice for the PDFs); using tests/fixtures/docs"
        );
        None
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

fn main() {
    let mut opts = Opts {
        min_seconds: 2.0,
        min_docs: 200,
    };
    let mut rounds = 3usize;
    let mut only: Option<String> = None;
    let mut use_fixtures = false;
    let mut corpus_dir = repo().join("target/bench-docs");
    // `cargo bench` passes `--bench`; anything unknown is ignored.
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--min-seconds" => {
                if let Some(v) = it.next().and_then(|v| v.parse().ok()) {
                    opts.min_seconds = v;
                }
            }
            "--min-docs" => {
                if let Some(v) = it.next().and_then(|v| v.parse().ok()) {
                    opts.min_docs = v;
                }
            }
            "--rounds" => {
                if let Some(v) = it.next().and_then(|v| v.parse().ok()) {
                    rounds = v;
                }
            }
            "--only" => only = it.next().cloned(),
            "--fixtures" => use_fixtures = true,
            "--corpus" => {
                if let Some(v) = it.next() {
                    corpus_dir = PathBuf::from(v);
                }
            }
            _ => {}
        }
    }
    let limits = DocLimits::default();
    let config = baocao::config::load(&repo().join("config/baocao.toml"))
        .unwrap_or_else(|e| panic!("cannot load config/baocao.toml: {e:#}"));
    let campaign = config
        .campaigns
        .first()
        .expect("config/baocao.toml has a campaign");
    let root = if use_fixtures {
        repo().join("tests/fixtures/docs")
    } else {
        bench_corpus(&corpus_dir).unwrap_or_else(|| repo().join("tests/fixtures/docs"))
    };
    println!(
        "documents benchmark on {}: the whole inspect step (read, header, forms, outline), \
         single thread, warm-up round, then ≥ {} s and ≥ {} documents per measurement, {} \
         interleaved rounds",
        root.display(),
        opts.min_seconds,
        opts.min_docs,
        rounds
    );

    let docx = load(&root, "docx");
    let xlsx = load(&root, "xlsx");
    // Text PDFs and image-only scans apart: the first extract() decides (and warms up).
    let (pdf, scans): (Vec<Input>, Vec<Input>) = load(&root, "pdf").into_iter().partition(|i| {
        let doc = extract(&i.part, &limits);
        check(i, &doc, FileKind::Pdf);
        !doc.scanned
    });
    for (inputs, kind) in [
        (&docx, FileKind::Docx),
        (&xlsx, FileKind::Xlsx),
        (&pdf, FileKind::Pdf),
    ] {
        for i in inputs.iter() {
            let (doc, reading) = inspect(&i.part, &limits, campaign);
            check(i, &doc, kind);
            assert!(
                !reading.forms.is_empty() || !reading.sections.is_empty(),
                "{}: neither a form nor an outline section was found",
                file_name(&i.path)
            );
        }
    }
    let ours_of = |inputs: &[Input]| {
        measure(&sizes(inputs), opts.min_seconds, opts.min_docs, |i| {
            black_box(inspect(&inputs[i].part, &limits, campaign));
        })
    };
    if let Some(fmt) = only {
        let inputs = match fmt.as_str() {
            "docx" => &docx,
            "xlsx" => &xlsx,
            "pdf" => &pdf,
            other => panic!("--only takes docx, xlsx or pdf, not {other:?}"),
        };
        let r = ours_of(inputs);
        println!(
            "{fmt}: {} docs in {:.2} s, {:.1} docs/s, {:.3} ms/doc (load {:.2})",
            r.docs,
            r.seconds,
            r.docs_per_s(),
            r.ms_per_doc(),
            load1()
        );
        return;
    }

    let mut ratios: [Vec<f64>; 3] = Default::default();
    let mut cpu_ratios: [Vec<f64>; 3] = Default::default();
    let mut last = None;
    for round in 1..=rounds {
        let load_before = load1();
        let ours_docx = ours_of(&docx);
        let ours_xlsx = ours_of(&xlsx);
        // PDF against pdftotext file by file, alternating, so that both see the same load.
        let (ours_pdf, ref_pdf) = measure_pair(
            &sizes(&pdf),
            opts,
            |i| {
                black_box(inspect(&pdf[i].part, &limits, campaign));
            },
            |i| {
                black_box(pdftotext(&pdf[i].path));
            },
        );
        let py = python_reference(&xlsx, &docx, opts);
        let rows = vec![
            Row {
                format: "docx".into(),
                files: docx.len(),
                ours: ours_docx,
                reference: python_rate(py.as_ref(), "docx"),
                target: Some((10.0, "≥ 10× python-docx")),
            },
            Row {
                format: "xlsx".into(),
                files: xlsx.len(),
                ours: ours_xlsx,
                reference: python_rate(py.as_ref(), "xlsx"),
                target: Some((10.0, "≥ 10× openpyxl read-only")),
            },
            Row {
                format: "pdf".into(),
                files: pdf.len(),
                ours: ours_pdf,
                reference: Some(ref_pdf),
                target: Some((1.0 / 1.2, "time ≤ 1.2× pdftotext")),
            },
        ];
        println!();
        println!(
            "round {round}/{rounds}: load average {load_before:.2} before, {:.2} after",
            load1()
        );
        print_table(&rows);
        for (k, r) in rows.iter().enumerate() {
            if let Some(re) = r.reference {
                ratios[k].push(r.ours.docs_per_s() / re.docs_per_s());
                cpu_ratios[k].push(re.cpu_ms_per_doc() / r.ours.cpu_ms_per_doc());
            }
        }
        last = Some((ours_pdf, ref_pdf));
    }
    println!();
    println!(
        "median over {rounds} rounds, reference time / our time (wall clock; CPU time of the \
         reader and its tools):"
    );
    let show = |v: &[f64]| {
        v.iter()
            .map(|r| format!("{r:.2}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (k, name) in ["docx", "xlsx", "pdf"].iter().enumerate() {
        println!(
            "  {name:<5} wall {:>6.2}× (rounds: {});  CPU {:>6.2}× (rounds: {})",
            median(ratios[k].clone()),
            show(&ratios[k]),
            median(cpu_ratios[k].clone()),
            show(&cpu_ratios[k])
        );
    }

    if let (false, Some((ours_pdf, ref_pdf))) = (pdf.is_empty(), last) {
        pdf_breakdown(&pdf, opts, ours_pdf, ref_pdf);
    }

    // The scan: OCR is seconds per page, so it runs for the time only (at least once), its
    // first extract() above being the warm-up.
    if !scans.is_empty() {
        let sz = sizes(&scans);
        let mut source = None;
        let mut ours = Rate::default();
        let start = Instant::now();
        while ours.seconds < opts.min_seconds {
            for (s, size) in scans.iter().zip(&sz) {
                let doc = extract(&s.part, &limits);
                source = Some(doc.source);
                black_box(doc);
                ours.docs += 1;
                ours.bytes += size;
            }
            ours.seconds = start.elapsed().as_secs_f64();
        }
        let reference = measure(&sz, opts.min_seconds, opts.min_docs, |i| {
            black_box(pdftotext(&scans[i].path));
        });
        println!();
        println!(
            "image-only scans ({}), not in the PDF row: ours {:.2} docs/s ({:.0} ms/doc, text \
             source {:?}); pdftotext {:.1} docs/s (finds no text)",
            scans
                .iter()
                .map(|s| file_name(&s.path))
                .collect::<Vec<_>>()
                .join(", "),
            ours.docs_per_s(),
            ours.ms_per_doc(),
            source.unwrap_or(baocao::documents::TextSource::None),
            reference.docs_per_s()
        );
    }
}
