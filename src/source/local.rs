//! Local mail: `.eml` files, Maildir folders and mbox files, and folders holding any of them.
//! Used by `baocao ingest` and the demo; the IMAP source feeds the same pipeline.

use std::fs;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use super::Fetched;
use crate::i18n::{Fault, t};

/// What an input path is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// One message file.
    Eml(PathBuf),
    /// A Maildir (has `cur/` or `new/`).
    Maildir(PathBuf),
    /// An mbox file.
    Mbox(PathBuf),
}

impl Input {
    /// The path.
    pub fn path(&self) -> &Path {
        match self {
            Input::Eml(p) | Input::Maildir(p) | Input::Mbox(p) => p,
        }
    }
}

/// A problem with one input path; the others are still read.
#[derive(Debug, thiserror::Error)]
#[error("{}: {message}", path.display())]
pub struct InputError {
    /// The path.
    pub path: PathBuf,
    /// What is wrong.
    pub message: String,
}

fn looks_like_mbox(p: &Path) -> bool {
    let ext = p
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if ext == "mbox" || ext == "mbx" {
        return true;
    }
    if ext == "eml" || ext == "msg" {
        return false;
    }
    let mut head = [0u8; 5];
    fs::File::open(p)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
        .is_ok()
        && &head == b"From "
}

/// The OS's reason in plain words.
fn io_words(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => t!("source-not-found"),
        std::io::ErrorKind::PermissionDenied => t!("source-no-permission"),
        _ => Fault::Read.text(e),
    }
}

/// Whether a file named on the command line holds a message: its first line is a header field
/// ("Received: …", "From: …") or an mbox "From " line. A .docx, a picture or random bytes
/// named by mistake are refused instead of being stored as a mail without a sender.
fn looks_like_mail(p: &Path) -> Result<bool, std::io::Error> {
    let mut head = vec![0u8; 4096];
    let n = {
        let mut f = fs::File::open(p)?;
        let mut n = 0;
        while n < head.len() {
            let k = std::io::Read::read(&mut f, &mut head[n..])?;
            if k == 0 {
                break;
            }
            n += k;
        }
        n
    };
    let text = &head[..n];
    let text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
    let start = text
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(text.len());
    let line = text[start..].split(|b| *b == b'\n').next().unwrap_or(&[]);
    if line.starts_with(b"From ") || line.starts_with(b">From ") {
        return Ok(true);
    }
    let Some(colon) = line.iter().position(|b| *b == b':') else {
        return Ok(false);
    };
    Ok(colon > 0
        && line[..colon]
            .iter()
            .all(|b| b.is_ascii_graphic() && *b != b':'))
}

/// Expands the given paths into inputs. Folders are searched recursively for Maildirs,
/// `.eml` files and mbox files; explicitly named files are always read.
pub fn scan(paths: &[PathBuf]) -> (Vec<Input>, Vec<InputError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        match fs::metadata(p) {
            Err(e) => errors.push(InputError {
                path: p.clone(),
                message: io_words(&e),
            }),
            Ok(m) if m.is_dir() => walk(p, &mut inputs, &mut errors, 0),
            Ok(_) if looks_like_mbox(p) => inputs.push(Input::Mbox(p.clone())),
            Ok(_) => match looks_like_mail(p) {
                Ok(true) => inputs.push(Input::Eml(p.clone())),
                Ok(false) => errors.push(InputError {
                    path: p.clone(),
                    message: t!("source-not-mail"),
                }),
                Err(e) => errors.push(InputError {
                    path: p.clone(),
                    message: io_words(&e),
                }),
            },
        }
    }
    (inputs, errors)
}

fn walk(dir: &Path, inputs: &mut Vec<Input>, errors: &mut Vec<InputError>, depth: u32) {
    if depth > 16 {
        return;
    }
    if dir.join("cur").is_dir() || dir.join("new").is_dir() {
        inputs.push(Input::Maildir(dir.to_path_buf()));
        // Maildir++ subfolders (".Sent", ".Đã xử lý") sit beside cur/new.
        if let Ok(rd) = fs::read_dir(dir) {
            let mut subs: Vec<PathBuf> = rd
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.is_dir()
                        && p.file_name()
                            .and_then(|n| n.to_str())
                            .is_some_and(|n| n.starts_with('.'))
                })
                .collect();
            subs.sort();
            for s in subs {
                walk(&s, inputs, errors, depth + 1);
            }
        }
        return;
    }
    let rd = match fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            errors.push(InputError {
                path: dir.to_path_buf(),
                message: t!("source-list-dir", cause = io_words(&e)),
            });
            return;
        }
    };
    let mut entries: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, inputs, errors, depth + 1);
            continue;
        }
        let ext = p
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        match ext.as_str() {
            "eml" | "msg" => inputs.push(Input::Eml(p)),
            "mbox" | "mbx" => inputs.push(Input::Mbox(p)),
            _ => {}
        }
    }
}

/// Total size in bytes of the inputs (for progress).
pub fn total_bytes(inputs: &[Input]) -> u64 {
    inputs
        .iter()
        .map(|i| match i {
            Input::Eml(p) | Input::Mbox(p) => fs::metadata(p).map(|m| m.len()).unwrap_or(0),
            Input::Maildir(p) => ["cur", "new"]
                .iter()
                .filter_map(|s| fs::read_dir(p.join(s)).ok())
                .flat_map(|rd| rd.flatten())
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum(),
        })
        .sum()
}

/// Reads every message of `inputs`, calling `each` for it; stops early when `each` returns
/// false. Unreadable files are reported through `on_error` and skipped.
pub fn read(
    inputs: &[Input],
    mut each: impl FnMut(Fetched) -> bool,
    mut on_error: impl FnMut(InputError),
) {
    for input in inputs {
        match input {
            Input::Eml(p) => match fs::read(p) {
                Ok(raw) => {
                    if !each(Fetched {
                        raw,
                        origin: p.display().to_string(),
                        internal_date: None,
                    }) {
                        return;
                    }
                }
                Err(e) => on_error(InputError {
                    path: p.clone(),
                    message: io_words(&e),
                }),
            },
            Input::Maildir(p) => {
                let it = match mail_parser::mailbox::maildir::MessageIterator::new(p.clone()) {
                    Ok(it) => it,
                    Err(e) => {
                        on_error(InputError {
                            path: p.clone(),
                            message: Fault::MaildirOpen.text(e),
                        });
                        continue;
                    }
                };
                for m in it {
                    match m {
                        Ok(m) => {
                            let origin = m.path().display().to_string();
                            if !each(Fetched {
                                raw: m.unwrap_contents(),
                                origin,
                                internal_date: None,
                            }) {
                                return;
                            }
                        }
                        Err(e) => on_error(InputError {
                            path: p.clone(),
                            message: Fault::MailRead.text(e),
                        }),
                    }
                }
            }
            Input::Mbox(p) => {
                let f = match fs::File::open(p) {
                    Ok(f) => f,
                    Err(e) => {
                        on_error(InputError {
                            path: p.clone(),
                            message: t!("source-open-mbox", cause = io_words(&e)),
                        });
                        continue;
                    }
                };
                for (i, m) in
                    mail_parser::mailbox::mbox::MessageIterator::new(BufReader::new(f)).enumerate()
                {
                    match m {
                        Ok(m) => {
                            if !each(Fetched {
                                raw: m.unwrap_contents(),
                                origin: format!("{}#{}", p.display(), i + 1),
                                internal_date: None,
                            }) {
                                return;
                            }
                        }
                        Err(e) => {
                            on_error(InputError {
                                path: p.clone(),
                                message: Fault::MboxMailRead(i + 1).text(e),
                            });
                            break;
                        }
                    }
                }
            }
        }
    }
}
