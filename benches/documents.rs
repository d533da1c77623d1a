//! Document-reading benchmark: times `baocao::documents::extract` per format (docx, xlsx, PDF)
//! on the fixture corpus in `tests/fixtures/docs/`, single thread, against reference tools on
//! the same files: `pdftotext -layout FILE -` (one process per PDF) for PDF, and openpyxl /
//! python-docx (`benches/reference_read.py`) for xlsx / docx.
//!
//! Every format runs in whole rounds over its files, after one untimed warm-up round, until at
//! least 2 s have passed and 200 documents were read. The image-only scan is kept out of the
//! PDF row and reported on its own (it goes through OCR when tesseract is installed).
//!
//! Targets: our whole PDF step within 1.5× of pdftotext alone; xlsx and docx at least 10× the
//! Python readers.
//!
//! `cargo bench --bench documents` (options: `-- --min-seconds S --min-docs N`).

use std::hint::black_box;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use baocao::documents::{DocLimits, Document, extract};
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
}

impl Rate {
    fn docs_per_s(&self) -> f64 {
        self.docs as f64 / self.seconds
    }

    fn mb_per_s(&self) -> f64 {
        self.bytes as f64 / self.seconds / 1e6
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
    loop {
        for (i, size) in sizes.iter().enumerate() {
            one(i);
            rate.docs += 1;
            rate.bytes += size;
        }
        rate.seconds = start.elapsed().as_secs_f64();
        if sizes.is_empty() || (rate.seconds >= min_seconds && rate.docs >= min_docs) {
            return rate;
        }
    }
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/docs")
}

/// The files `fixtures/<ext>/*.<ext>`, sorted, as attachments.
fn load(ext: &str) -> Vec<Input> {
    let dir = fixtures().join(ext);
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
        "{:<8} {:>5} {:>6} {:>11} {:>9} {:>11} {:>9} {:>8}  target",
        "format", "files", "docs", "our docs/s", "our MB/s", "ref docs/s", "ref MB/s", "ratio"
    );
    for r in rows {
        let (ref_docs, ref_mb, ratio) = match r.reference {
            Some(re) => (
                format!("{:.1}", re.docs_per_s()),
                format!("{:.2}", re.mb_per_s()),
                format!("{:.2}", r.ours.docs_per_s() / re.docs_per_s()),
            ),
            None => ("-".into(), "-".into(), "-".into()),
        };
        let verdict = match (r.target, r.reference) {
            (Some((min, words)), Some(re)) => {
                let met = r.ours.docs_per_s() / re.docs_per_s() >= min;
                format!("{words}: {}", if met { "MET" } else { "NOT MET" })
            }
            (Some((_, words)), None) => format!("{words}: not measured"),
            (None, _) => "-".into(),
        };
        println!(
            "{:<8} {:>5} {:>6} {:>11.1} {:>9.2} {:>11} {:>9} {:>8}  {verdict}",
            r.format,
            r.files,
            r.ours.docs,
            r.ours.docs_per_s(),
            r.ours.mb_per_s(),
            ref_docs,
            ref_mb,
            ratio
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
        "  whole extract()                         {:>8.2} ms",
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

fn main() {
    let mut opts = Opts {
        min_seconds: 2.0,
        min_docs: 200,
    };
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
            _ => {}
        }
    }
    let limits = DocLimits::default();
    println!(
        "documents benchmark: single thread, warm-up round, then ≥ {} s and ≥ {} documents per \
         measurement",
        opts.min_seconds, opts.min_docs
    );

    let docx = load("docx");
    let xlsx = load("xlsx");
    // Text PDFs and image-only scans apart: the first extract() decides (and warms up).
    let (pdf, scans): (Vec<Input>, Vec<Input>) = load("pdf").into_iter().partition(|i| {
        let doc = extract(&i.part, &limits);
        check(i, &doc, FileKind::Pdf);
        !doc.scanned
    });

    let mut rows = Vec::new();
    let ours_of = |inputs: &[Input], expected: FileKind| {
        for i in inputs {
            check(i, &extract(&i.part, &limits), expected);
        }
        measure(&sizes(inputs), opts.min_seconds, opts.min_docs, |i| {
            black_box(extract(&inputs[i].part, &limits));
        })
    };
    let ours_docx = ours_of(&docx, FileKind::Docx);
    let ours_xlsx = ours_of(&xlsx, FileKind::Xlsx);
    let ours_pdf = ours_of(&pdf, FileKind::Pdf);

    let ref_pdf = measure(&sizes(&pdf), opts.min_seconds, opts.min_docs, |i| {
        black_box(pdftotext(&pdf[i].path));
    });
    let py = python_reference(&xlsx, &docx, opts);

    rows.push(Row {
        format: "docx".into(),
        files: docx.len(),
        ours: ours_docx,
        reference: python_rate(py.as_ref(), "docx"),
        target: Some((10.0, "≥ 10× python-docx")),
    });
    rows.push(Row {
        format: "xlsx".into(),
        files: xlsx.len(),
        ours: ours_xlsx,
        reference: python_rate(py.as_ref(), "xlsx"),
        target: Some((10.0, "≥ 10× openpyxl")),
    });
    rows.push(Row {
        format: "pdf".into(),
        files: pdf.len(),
        ours: ours_pdf,
        reference: Some(ref_pdf),
        target: Some((1.0 / 1.5, "time ≤ 1.5× pdftotext")),
    });
    print_table(&rows);

    if !pdf.is_empty() {
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
