//! Attachments flattened into one list: zip archives are opened (within limits on depth,
//! entry count, unpacked size and compression ratio, so a zip bomb is refused, not expanded),
//! and every name gets a safe form for storing on disk.

use std::io::{Cursor, Read};

use super::Part;
use super::kind::{FileKind, detect};
use crate::config::Limits;

/// Opens the zip in `part` and appends its entries (recursively) to `out`. Problems are
/// recorded on the zip part itself; the entries that could be read are still kept.
pub(crate) fn expand_zip(part: &mut Part, limits: &Limits, depth: u32, out: &mut Vec<Part>) {
    if depth > limits.zip_max_depth {
        part.error = Some(format!(
            "tệp zip lồng nhau quá {} tầng; không mở — cần mở bằng tay",
            limits.zip_max_depth
        ));
        return;
    }
    let mut z = match zip::ZipArchive::new(Cursor::new(part.bytes.as_slice())) {
        Ok(z) => z,
        Err(e) => {
            part.error = Some(format!("damaged zip archive, cannot be opened ({e})"));
            return;
        }
    };
    if z.len() as u64 > u64::from(limits.zip_max_entries) {
        part.error = Some(format!(
            "tệp zip có {} mục, quá giới hạn {}; không mở — cần mở bằng tay",
            z.len(),
            limits.zip_max_entries
        ));
        return;
    }
    let mut budget = limits.zip_max_unpacked_bytes;
    let mut problems: Vec<String> = Vec::new();
    for i in 0..z.len() {
        let mut entry = match z.by_index(i) {
            Ok(e) => e,
            Err(e) => {
                problems.push(format!("mục {i}: {e}"));
                continue;
            }
        };
        if entry.is_dir() {
            continue;
        }
        let raw_name = entry.name_raw().to_vec();
        // Windows tools often write UTF-8 names without setting the UTF-8 flag.
        let name = match String::from_utf8(raw_name) {
            Ok(s) => s,
            Err(e) => entry
                .name()
                .map(|c| c.to_string())
                .unwrap_or_else(|_| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        };
        let name = crate::vntext::nfc(&name);
        let declared = entry.size();
        let packed = entry.compressed_size().max(1);
        if declared / packed > limits.zip_max_ratio {
            problems.push(format!(
                "{name}: tỷ lệ nén {}:1 vượt {}:1 (nghi là bom zip); không giải nén",
                declared / packed,
                limits.zip_max_ratio
            ));
            continue;
        }
        if declared > budget {
            problems.push(format!(
                "{name}: giải nén ra {declared} byte, vượt giới hạn còn lại {budget} byte; không giải nén"
            ));
            continue;
        }
        // The declared size can lie: never read more than the budget allows.
        let mut bytes = Vec::with_capacity(declared.min(1 << 20) as usize);
        match (&mut entry).take(budget + 1).read_to_end(&mut bytes) {
            Ok(_) if bytes.len() as u64 > budget => {
                problems.push(format!("{name}: giải nén vượt giới hạn; không giải nén"));
                continue;
            }
            Ok(_) => {}
            Err(e) => {
                problems.push(format!("{name}: không giải nén được ({e})"));
                continue;
            }
        }
        budget -= bytes.len() as u64;
        let leaf = leaf_name(&name);
        let (kind, error) = detect(&bytes, &leaf, "");
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
            expand_zip(&mut child, limits, depth + 1, &mut grandchildren);
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
        expand_zip(&mut p, &Limits::default(), 1, &mut out);
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
