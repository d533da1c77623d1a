//! External tools, each optional and each bounded by a time limit: LibreOffice for Word 97
//! and other formats we do not read ourselves, poppler for PDF text and page images, tesseract
//! for OCR. When a tool is missing the file is kept and flagged for staff.

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use wait_timeout::ChildExt;

use super::{DocLimits, Document, TextSource};
use crate::i18n::{Fault, t};

/// The words for a tool that could not be started (not installed, most often): what
/// [`run_tool`]'s error starts with then.
pub(crate) fn not_started(tool: &str) -> String {
    t!("prob-tool-not-started", tool = tool)
}

/// Output of a tool run: stdout, or why it failed.
pub(crate) fn run_tool(cmd: &mut Command, seconds: u64) -> Result<Vec<u8>, String> {
    let name = cmd.get_program().to_string_lossy().into_owned();
    // Its own process group, so a timeout ends the tool and whatever it forked (LibreOffice's
    // launcher starts the real office process); and it dies with whoever started it.
    cmd.process_group(0);
    // SAFETY: only async-signal-safe calls (prctl, setrlimit) between fork and exec.
    unsafe {
        let parent = rustix::process::getpid();
        cmd.pre_exec(move || {
            rustix::process::set_parent_process_death_signal(Some(rustix::process::Signal::KILL))?;
            // The parent died between fork and here: the signal will never come.
            if rustix::process::getppid() != Some(parent) {
                return Err(std::io::ErrorKind::BrokenPipe.into());
            }
            // A reader worker runs with a small address space; the tools have their own needs
            // and their own time limit.
            let lim = rustix::process::getrlimit(rustix::process::Resource::As);
            let tool: u64 = 4 << 30;
            let _ = rustix::process::setrlimit(
                rustix::process::Resource::As,
                rustix::process::Rlimit {
                    current: Some(lim.maximum.map_or(tool, |m| m.min(tool))),
                    maximum: lim.maximum,
                },
            );
            Ok(())
        });
    }
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| crate::i18n::technical(not_started(&name), e))?;
    // Read stdout and stderr on threads so a chatty tool cannot block on a full pipe
    // (pdftotext writes a line of stderr per syntax error of a damaged PDF).
    let mut out = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(o) = out.as_mut() {
            let _ = o.take(512 << 20).read_to_end(&mut buf);
        }
        buf
    });
    let mut err_pipe = child.stderr.take();
    let err_reader = std::thread::spawn(move || {
        let mut first = Vec::new();
        if let Some(e) = err_pipe.as_mut() {
            let _ = e.take(4096).read_to_end(&mut first);
            let _ = std::io::copy(e, &mut std::io::sink());
        }
        String::from_utf8_lossy(&first).into_owned()
    });
    let status = match child.wait_timeout(Duration::from_secs(seconds)) {
        Ok(Some(s)) => s,
        Ok(None) => {
            if let Some(pid) = rustix::process::Pid::from_raw(child.id() as i32) {
                let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
            }
            let _ = child.kill();
            let _ = child.wait();
            return Err(t!(
                "prob-tool-timeout",
                tool = name,
                seconds = seconds.to_string()
            ));
        }
        Err(e) => return Err(format!("{name}: {e}")),
    };
    let buf = reader.join().unwrap_or_default();
    let err = err_reader.join().unwrap_or_default();
    if !status.success() {
        return Err(format!(
            "{name}: {}",
            err.lines().next().unwrap_or_default().trim()
        ));
    }
    Ok(buf)
}

fn which(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(program).is_file()))
}

/// Whether LibreOffice (`soffice`) is installed.
pub fn libreoffice_available() -> bool {
    static V: OnceLock<bool> = OnceLock::new();
    *V.get_or_init(|| which("soffice") || which("libreoffice"))
}

/// Whether OCR is possible: `tesseract` with Vietnamese data, and `pdftoppm` for PDF pages.
pub fn ocr_available() -> bool {
    static V: OnceLock<bool> = OnceLock::new();
    *V.get_or_init(|| {
        which("tesseract")
            && run_tool(Command::new("tesseract").arg("--list-langs"), 10)
                .map(|o| {
                    String::from_utf8_lossy(&o)
                        .lines()
                        .any(|l| l.trim() == "vie")
                })
                .unwrap_or(false)
    })
}

/// Converts `input` to format `to` ("docx", "pdf") with LibreOffice into `outdir`, and returns
/// the path of the file written. A private profile under `outdir` keeps a running soffice from
/// taking the job (it would otherwise hand it to the running instance and return at once).
pub(crate) fn soffice_convert(
    input: &Path,
    to: &str,
    outdir: &Path,
    seconds: u64,
) -> Result<std::path::PathBuf, String> {
    let profile = format!("file://{}", outdir.join(".profile").display());
    run_tool(
        Command::new("soffice")
            .arg(format!("-env:UserInstallation={profile}"))
            .args(["--headless", "--norestore", "--convert-to", to, "--outdir"])
            .arg(outdir)
            .arg(input),
        seconds,
    )?;
    let out = outdir.join(input.with_extension(to).file_name().unwrap_or_default());
    if out.is_file() {
        Ok(out)
    } else {
        Err(t!("prob-no-output", tool = "LibreOffice"))
    }
}

/// Converts a file LibreOffice can read (.doc, .odt, …) to .docx and reads that.
pub(crate) fn read_via_libreoffice(
    bytes: &[u8],
    name: &str,
    limits: &DocLimits,
    doc: &mut Document,
) {
    if !libreoffice_available() {
        doc.problems.push(t!("prob-old-format"));
        doc.source = TextSource::None;
        return;
    }
    let result = (|| -> Result<Vec<u8>, String> {
        let dir =
            tempfile::tempdir().map_err(|e| crate::i18n::technical(t!("prob-temp-dir"), e))?;
        let ext = Path::new(name)
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("doc")
            .to_ascii_lowercase();
        let ext = if ext.chars().all(|c| c.is_ascii_alphanumeric()) && ext.len() <= 5 {
            ext
        } else {
            "doc".into()
        };
        let input = dir.path().join(format!("input.{ext}"));
        std::fs::write(&input, bytes)
            .map_err(|e| crate::i18n::technical(t!("prob-temp-write"), e))?;
        let out = soffice_convert(&input, "docx", &dir.path().join("out"), limits.tool_seconds)?;
        std::fs::read(out).map_err(|_| t!("prob-no-output", tool = "LibreOffice"))
    })();
    match result {
        Ok(docx) => {
            super::docx::read(&docx, limits, doc);
            doc.source = TextSource::Converted;
        }
        Err(e) => {
            doc.problems.push(Fault::Convert.text(e));
            doc.source = TextSource::None;
        }
    }
}

/// OCR of one image file with tesseract (Vietnamese).
pub(crate) fn ocr_image(bytes: &[u8], limits: &DocLimits, doc: &mut Document) {
    if !ocr_available() {
        doc.problems.push(t!("prob-photo-no-ocr"));
        return;
    }
    let res = (|| -> Result<String, String> {
        let dir =
            tempfile::tempdir().map_err(|e| crate::i18n::technical(t!("prob-temp-dir"), e))?;
        let img = dir.path().join("page.img");
        std::fs::write(&img, bytes)
            .map_err(|e| crate::i18n::technical(t!("prob-temp-write"), e))?;
        tesseract(&img, limits)
    })();
    match res {
        Ok(t) => {
            doc.paragraphs = super::text_paragraphs(&t);
            doc.source = TextSource::Ocr;
            doc.problems.push(t!("prob-photo-ocr"));
        }
        Err(e) => doc.problems.push(Fault::Ocr.text(e)),
    }
}

/// OCR of the first pages of a PDF without a text layer: pdftoppm → tesseract.
pub(crate) fn ocr_pdf(pdf_path: &Path, pages: u32, limits: &DocLimits) -> Result<String, String> {
    let dir = tempfile::tempdir().map_err(|e| crate::i18n::technical(t!("prob-temp-dir"), e))?;
    let last = pages.clamp(1, 5);
    run_tool(
        Command::new("pdftoppm")
            .args([
                "-r",
                "200",
                "-gray",
                "-png",
                "-f",
                "1",
                "-l",
                &last.to_string(),
            ])
            .arg(pdf_path)
            .arg(dir.path().join("p")),
        limits.tool_seconds,
    )?;
    let mut imgs: Vec<_> = std::fs::read_dir(dir.path())
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "png"))
        .collect();
    imgs.sort();
    let mut text = String::new();
    for img in imgs {
        text.push_str(&tesseract(&img, limits)?);
        text.push('\n');
    }
    Ok(text)
}

/// Vietnamese OCR of one image file.
fn tesseract(img: &Path, limits: &DocLimits) -> Result<String, String> {
    let out = run_tool(
        Command::new("tesseract")
            .arg(img)
            .args(["stdout", "-l", "vie"]),
        limits.tool_seconds,
    )?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}
