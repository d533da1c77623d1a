//! Attachments flattened into one list: zip archives are opened (within limits on depth,
//! entry count, unpacked size and compression ratio, so a zip bomb is refused, not expanded),
//! and every name gets a safe form for storing on disk.

use std::collections::HashSet;
use std::io::{Cursor, Read};

use super::Part;
use super::kind::{FileKind, detect};
use crate::config::Limits;
use crate::i18n::{Fault, t};

/// Member names of one zip archive, checked as they are listed: names that would climb out of
/// the folder they are unpacked into (`..`), absolute paths and drive letters, control
/// characters, and names that appear twice (a second copy can hide behind the first).
#[derive(Debug, Default)]
pub struct ZipNames {
    seen: HashSet<String>,
    unsafe_names: Vec<String>,
    duplicates: Vec<String>,
}

impl ZipNames {
    /// Checks one raw member name; true when it is safe and not seen before.
    pub fn check(&mut self, raw: &[u8]) -> bool {
        let name = super::names::zip_member_name(raw, false);
        let unsafe_name = unsafe_member_name(&name);
        if unsafe_name {
            self.unsafe_names.push(name.clone());
        }
        let key = crate::vntext::nfc(&name.replace('\\', "/"));
        let fresh = self.seen.insert(key);
        if !fresh {
            self.duplicates.push(name);
        }
        fresh && !unsafe_name
    }

    /// The problems found, in Vietnamese (none when every name was fine).
    pub fn problems(&self) -> Vec<String> {
        let list = |v: &[String]| {
            let mut s = v
                .iter()
                .take(5)
                .map(|n| format!("{:?}", n.chars().take(80).collect::<String>()))
                .collect::<Vec<_>>()
                .join(", ");
            if v.len() > 5 {
                s.push_str(&t!("prob-and-more", count = (v.len() - 5).to_string()));
            }
            s
        };
        let mut out = Vec::new();
        if !self.unsafe_names.is_empty() {
            out.push(t!("prob-zip-unsafe", names = list(&self.unsafe_names)));
        }
        if !self.duplicates.is_empty() {
            out.push(t!("prob-zip-duplicates", names = list(&self.duplicates)));
        }
        out
    }
}

/// Every member name listed in a zip's central directory, duplicates included (the zip crate
/// keeps one entry per name, so a second copy would go unseen). `None` when the directory
/// cannot be walked (damaged, or Zip64).
pub fn raw_member_names(bytes: &[u8]) -> Option<Vec<&[u8]>> {
    let u16_at = |at: usize| -> Option<usize> {
        Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?) as usize)
    };
    let u32_at = |at: usize| -> Option<usize> {
        Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?) as usize)
    };
    // The end record sits in the last 64 KiB + 22 bytes (its comment is at most 65535 bytes).
    let tail = bytes.len().saturating_sub(65_557);
    let eocd = tail + bytes[tail..].windows(4).rposition(|w| w == b"PK\x05\x06")?;
    let count = u16_at(eocd + 10)?;
    let mut at = u32_at(eocd + 16)?;
    if at == 0xFFFF_FFFF || count == 0xFFFF {
        return None;
    }
    let mut names = Vec::with_capacity(count.min(4096));
    for _ in 0..count {
        if bytes.get(at..at + 4)? != b"PK\x01\x02" {
            return None;
        }
        let (n, e, c) = (u16_at(at + 28)?, u16_at(at + 30)?, u16_at(at + 32)?);
        names.push(bytes.get(at + 46..at + 46 + n)?);
        at += 46 + n + e + c;
    }
    Some(names)
}

/// A member name that must not be used as a path: `..` components, an absolute path or drive
/// letter, or control characters.
fn unsafe_member_name(name: &str) -> bool {
    name.starts_with(['/', '\\'])
        || name.as_bytes().get(1) == Some(&b':')
        || name.chars().any(char::is_control)
        || name.split(['/', '\\']).any(|c| c.trim() == "..")
}

/// Extensions of files that run when opened on Windows (or in a shell).
const EXECUTABLE_EXTENSIONS: &[&str] = &[
    "exe", "scr", "com", "pif", "bat", "cmd", "js", "jse", "vbs", "vbe", "wsf", "wsh", "hta",
    "msi", "msp", "ps1", "lnk", "jar", "dll", "cpl", "reg", "sh", "apk",
];

/// Why a file is a program rather than a document: its bytes (a Windows or Linux executable)
/// or its extension. The text names the file and warns staff.
pub fn executable(bytes: &[u8], name: &str) -> Option<String> {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let by_bytes = bytes.starts_with(b"MZ") || bytes.starts_with(b"\x7FELF");
    let by_name = EXECUTABLE_EXTENSIONS.contains(&ext.as_str());
    if !by_bytes && !by_name {
        return None;
    }
    let looks_document = {
        let lower = name.to_lowercase();
        [
            ".doc", ".docx", ".xls", ".xlsx", ".pdf", ".odt", ".ods", ".rtf", ".txt", ".jpg",
            ".png", ".zip",
        ]
        .iter()
        .any(|d| lower.contains(d))
    };
    Some(if looks_document {
        t!("prob-disguised-program", name = name)
    } else {
        t!("prob-program", name = name)
    })
}

/// Opens the zip in `part` and appends its entries (recursively) to `out`. Problems are
/// recorded on the zip part itself; the entries that could be read are still kept. Problems
/// that concern the whole message (unsafe or duplicate member names, programs inside) are
/// also added to `message_problems`.
pub(crate) fn expand_zip(
    part: &mut Part,
    limits: &Limits,
    depth: u32,
    out: &mut Vec<Part>,
    message_problems: &mut Vec<String>,
) {
    if depth > limits.zip_max_depth {
        part.error = Some(t!(
            "prob-zip-depth",
            limit = limits.zip_max_depth.to_string()
        ));
        return;
    }
    let mut z = match zip::ZipArchive::new(Cursor::new(part.bytes.as_slice())) {
        Ok(z) => z,
        Err(e) => {
            part.error = Some(Fault::ZipBroken.text(e));
            return;
        }
    };
    if z.len() as u64 > u64::from(limits.zip_max_entries) {
        part.error = Some(t!(
            "prob-zip-entries",
            count = z.len().to_string(),
            limit = limits.zip_max_entries.to_string()
        ));
        return;
    }
    let mut budget = limits.zip_max_unpacked_bytes;
    let mut problems: Vec<String> = Vec::new();
    let mut names = ZipNames::default();
    match raw_member_names(&part.bytes) {
        Some(raw) => raw.into_iter().for_each(|n| {
            names.check(n);
        }),
        None => z.file_names_raw().for_each(|n| {
            names.check(n);
        }),
    }
    for p in names.problems() {
        message_problems.push(format!("{}: {p}", part.path));
        problems.push(p);
    }
    for i in 0..z.len() {
        let mut entry = match z.by_index(i) {
            Ok(e) => e,
            Err(e) => {
                problems.push(Fault::ZipEntry(i).text(e));
                continue;
            }
        };
        if entry.is_dir() {
            continue;
        }
        // The zip crate reads non-UTF-8 names as CP437 only; Vietnamese Windows zippers write
        // code page 1258.
        let name = super::names::zip_member_name(
            entry.name_raw(),
            entry.flags().as_u16() & (1 << 11) != 0,
        );
        let declared = entry.size();
        let packed = entry.compressed_size().max(1);
        if declared / packed > limits.zip_max_ratio {
            problems.push(t!(
                "prob-zip-ratio",
                name = name.as_str(),
                ratio = (declared / packed).to_string(),
                limit = limits.zip_max_ratio.to_string()
            ));
            continue;
        }
        if declared > budget {
            problems.push(t!(
                "prob-zip-budget",
                name = name.as_str(),
                size = declared.to_string(),
                budget = budget.to_string()
            ));
            continue;
        }
        // The declared size can lie: never read more than the budget allows.
        let mut bytes = Vec::with_capacity(declared.min(1 << 20) as usize);
        match (&mut entry).take(budget + 1).read_to_end(&mut bytes) {
            Ok(_) if bytes.len() as u64 > budget => {
                problems.push(t!("prob-zip-over", name = name.as_str()));
                continue;
            }
            Ok(_) => {}
            Err(e) => {
                problems.push(Fault::Unzip(&name).text(e));
                continue;
            }
        }
        budget -= bytes.len() as u64;
        let leaf = leaf_name(&name);
        let (kind, mut error) = detect(&bytes, &leaf, "");
        if let Some(x) = executable(&bytes, &leaf) {
            message_problems.push(format!("{}/{name}: {x}", part.path));
            error = Some(x);
        }
        let mut child = Part {
            path: format!("{}/{}", part.path, name),
            name: leaf,
            content_type: String::new(),
            kind,
            bytes,
            error,
            inline: false,
        };
        let nested = child.kind == FileKind::Zip && child.error.is_none();
        let mut grandchildren = Vec::new();
        if nested {
            expand_zip(
                &mut child,
                limits,
                depth + 1,
                &mut grandchildren,
                message_problems,
            );
        }
        out.push(child);
        out.extend(grandchildren);
    }
    if !problems.is_empty() && part.error.is_none() {
        part.error = Some(problems.join("; "));
    }
}

/// The last component of a path written with `/` or `\`.
pub(crate) fn leaf_name(name: &str) -> String {
    name.rsplit(['/', '\\']).next().unwrap_or(name).to_string()
}

/// A name that is safe to create in a folder on Linux and Windows: no directories, no control
/// or reserved characters, no reserved device names, not hidden, at most 120 bytes (keeping
/// the extension). `fallback` is used when nothing is left.
pub fn safe_name(name: &str, fallback: &str) -> String {
    let leaf = leaf_name(name);
    let mut s: String = leaf
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*' | '/' | '\\') {
                '_'
            } else {
                c
            }
        })
        .collect();
    s = s
        .trim_matches(|c: char| c == '.' || c.is_whitespace())
        .to_string();
    if s.is_empty() {
        s = fallback.to_string();
    }
    let stem_upper = s.split('.').next().unwrap_or("").to_ascii_uppercase();
    let reserved = matches!(stem_upper.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((stem_upper.starts_with("COM") || stem_upper.starts_with("LPT"))
            && stem_upper.len() == 4
            && stem_upper.as_bytes()[3].is_ascii_digit());
    if reserved {
        s = format!("_{s}");
    }
    const MAX: usize = 120;
    if s.len() > MAX {
        let (stem, ext) = match s.rsplit_once('.') {
            Some((a, b)) if b.len() <= 10 && !a.is_empty() => (a.to_string(), format!(".{b}")),
            _ => (s.clone(), String::new()),
        };
        let mut cut = MAX - ext.len();
        while !stem.is_char_boundary(cut) {
            cut -= 1;
        }
        s = format!("{}{}", &stem[..cut], ext);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn safe_names() {
        assert_eq!(safe_name("../../etc/passwd", "x"), "passwd");
        assert_eq!(safe_name("..\\..\\win.xlsx", "x"), "win.xlsx");
        assert_eq!(safe_name("CON", "x"), "_CON");
        assert_eq!(safe_name("a:b*c?.docx", "x"), "a_b_c_.docx");
        assert_eq!(safe_name("...", "tep-1"), "tep-1");
        assert_eq!(safe_name("Báo cáo.docx", "x"), "Báo cáo.docx");
        let long = format!("{}.docx", "ắ".repeat(300));
        let s = safe_name(&long, "x");
        assert!(s.len() <= 120 && s.ends_with(".docx"), "{s}");
    }

    fn zip_of(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
        let mut buf = Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut buf);
            for (n, b) in entries {
                w.start_file(*n, zip::write::SimpleFileOptions::default())
                    .unwrap();
                w.write_all(b).unwrap();
            }
            w.finish().unwrap();
        }
        buf.into_inner()
    }

    fn part(bytes: Vec<u8>) -> Part {
        Part {
            name: "a.zip".into(),
            path: "a.zip".into(),
            content_type: String::new(),
            kind: FileKind::Zip,
            bytes,
            error: None,
            inline: false,
        }
    }

    #[test]
    fn expands_nested_and_refuses_bombs() {
        let inner = zip_of(&[("Bieu so 2.xlsx", b"x".to_vec())]);
        let outer = zip_of(&[
            ("sub/inner.zip", inner),
            ("zeros.bin", vec![0u8; 5_000_000]),
        ]);
        let mut p = part(outer);
        let mut out = Vec::new();
        let mut problems = Vec::new();
        expand_zip(&mut p, &Limits::default(), 1, &mut out, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        let names: Vec<_> = out.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            names,
            ["a.zip/sub/inner.zip", "a.zip/sub/inner.zip/Bieu so 2.xlsx"]
        );
        assert!(
            p.error.as_deref().unwrap().contains("zeros.bin: tỷ lệ nén"),
            "{:?}",
            p.error
        );
    }
}
