//! What a file really is, decided from its bytes first (PDF, OLE2, OOXML, zip), then its name
//! and Content-Type: units rename files, and mail clients label everything octet-stream.

use std::io::Cursor;

use crate::i18n::{Fault, t};
use serde::{Deserialize, Serialize};

/// The kind of an attached file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    /// Word 2007+ document.
    Docx,
    /// Excel 2007+ workbook.
    Xlsx,
    /// PowerPoint 2007+.
    Pptx,
    /// OpenDocument text.
    Odt,
    /// OpenDocument spreadsheet.
    Ods,
    /// Word 97–2003.
    Doc,
    /// Excel 97–2003.
    Xls,
    /// Another OLE2 compound file.
    Ole2,
    /// PDF.
    Pdf,
    /// Zip archive (not an Office file).
    Zip,
    /// RAR archive.
    Rar,
    /// 7-Zip archive.
    SevenZ,
    /// A forwarded e-mail.
    Eml,
    /// A picture (photo of a paper report).
    Image,
    /// Plain text.
    Text,
    /// HTML.
    Html,
    /// Empty file.
    Empty,
    /// Anything else.
    Other,
}

impl FileKind {
    /// Lowercase name as stored and shown in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Docx => "docx",
            FileKind::Xlsx => "xlsx",
            FileKind::Pptx => "pptx",
            FileKind::Odt => "odt",
            FileKind::Ods => "ods",
            FileKind::Doc => "doc",
            FileKind::Xls => "xls",
            FileKind::Ole2 => "ole2",
            FileKind::Pdf => "pdf",
            FileKind::Zip => "zip",
            FileKind::Rar => "rar",
            FileKind::SevenZ => "7z",
            FileKind::Eml => "eml",
            FileKind::Image => "image",
            FileKind::Text => "text",
            FileKind::Html => "html",
            FileKind::Empty => "empty",
            FileKind::Other => "other",
        }
    }

    /// True for kinds that can carry a report or a form.
    pub fn is_document(self) -> bool {
        matches!(
            self,
            FileKind::Docx
                | FileKind::Xlsx
                | FileKind::Odt
                | FileKind::Ods
                | FileKind::Doc
                | FileKind::Xls
                | FileKind::Ole2
                | FileKind::Pdf
                | FileKind::Image
                | FileKind::Text
                | FileKind::Html
        )
    }
}

fn ext(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

/// Decides the kind of `bytes`. Returns the kind and, for a damaged Office or zip file, the
/// reason it cannot be opened.
pub fn detect(bytes: &[u8], name: &str, content_type: &str) -> (FileKind, Option<String>) {
    let e = ext(name);
    let ct = content_type.to_ascii_lowercase();
    if bytes.is_empty() {
        return (FileKind::Empty, Some(t!("prob-empty-file")));
    }
    if bytes.len() >= 5
        && bytes[..bytes.len().min(1024)]
            .windows(5)
            .any(|w| w == b"%PDF-")
    {
        return (FileKind::Pdf, None);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        let k = if e == "doc" || e == "dot" || ct.contains("msword") {
            FileKind::Doc
        } else if e == "xls" || e == "xlt" || ct.contains("ms-excel") {
            FileKind::Xls
        } else {
            FileKind::Ole2
        };
        return (k, None);
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return zip_kind(bytes, &e);
    }
    if bytes.starts_with(b"Rar!\x1A\x07") {
        return (FileKind::Rar, None);
    }
    if bytes.starts_with(&[0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]) {
        return (FileKind::SevenZ, None);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF])
        || bytes.starts_with(b"\x89PNG")
        || bytes.starts_with(b"GIF8")
        || bytes.starts_with(b"II*\0")
        || bytes.starts_with(b"MM\0*")
    {
        return (FileKind::Image, None);
    }
    let by_name = match e.as_str() {
        "docx" | "xlsx" | "pptx" | "odt" | "ods" | "zip" => {
            // Named like a zip-based file but not a zip: damaged or mislabelled.
            let k = match e.as_str() {
                "docx" => FileKind::Docx,
                "xlsx" => FileKind::Xlsx,
                "pptx" => FileKind::Pptx,
                "odt" => FileKind::Odt,
                "ods" => FileKind::Ods,
                _ => FileKind::Zip,
            };
            return (k, Some(t!("prob-not-office", ext = e)));
        }
        "doc" | "xls" => {
            let k = if e == "doc" {
                FileKind::Doc
            } else {
                FileKind::Xls
            };
            // Old Office "doc" files saved as HTML or RTF still open in Word.
            return (k, None);
        }
        "pdf" => {
            return (FileKind::Pdf, Some(t!("prob-not-pdf")));
        }
        "eml" => FileKind::Eml,
        "htm" | "html" => FileKind::Html,
        "txt" | "csv" => FileKind::Text,
        "jpg" | "jpeg" | "png" | "gif" | "tif" | "tiff" | "bmp" | "heic" => FileKind::Image,
        "rar" => FileKind::Rar,
        "7z" => FileKind::SevenZ,
        _ => FileKind::Other,
    };
    if by_name != FileKind::Other {
        return (by_name, None);
    }
    if ct.starts_with("message/rfc822") {
        (FileKind::Eml, None)
    } else if ct.starts_with("text/html") {
        (FileKind::Html, None)
    } else if ct.starts_with("text/") {
        (FileKind::Text, None)
    } else if ct.starts_with("image/") {
        (FileKind::Image, None)
    } else {
        (FileKind::Other, None)
    }
}

fn zip_kind(bytes: &[u8], e: &str) -> (FileKind, Option<String>) {
    let guess = match e {
        "docx" | "docm" | "dotx" => FileKind::Docx,
        "xlsx" | "xlsm" | "xltx" => FileKind::Xlsx,
        "pptx" => FileKind::Pptx,
        "odt" => FileKind::Odt,
        "ods" => FileKind::Ods,
        _ => FileKind::Zip,
    };
    match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(z) => {
            let has = |n: &str| z.index_for_name(n).is_some();
            let k = if has("word/document.xml") {
                FileKind::Docx
            } else if has("xl/workbook.xml") {
                FileKind::Xlsx
            } else if has("ppt/presentation.xml") {
                FileKind::Pptx
            } else if has("content.xml") && has("mimetype") {
                if e == "ods" {
                    FileKind::Ods
                } else if e == "odt" {
                    FileKind::Odt
                } else {
                    guess
                }
            } else {
                FileKind::Zip
            };
            if guess != FileKind::Zip && k == FileKind::Zip {
                return (guess, Some(t!("prob-plain-zip", ext = e)));
            }
            (k, None)
        }
        Err(err) => {
            let fault = if guess == FileKind::Zip {
                Fault::ZipCut
            } else {
                Fault::OfficeCut
            };
            (guess, Some(fault.text(err)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_beat_names() {
        assert_eq!(detect(b"%PDF-1.4 ...", "bao cao.docx", "").0, FileKind::Pdf);
        assert_eq!(
            detect(
                &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0],
                "x.xls",
                ""
            )
            .0,
            FileKind::Xls
        );
        let (k, err) = detect(b"PK\x03\x04garbage", "Bieu 2.xlsx", "");
        assert_eq!(k, FileKind::Xlsx);
        assert!(err.unwrap().contains("bị hỏng"));
        assert_eq!(detect(b"", "a.docx", "").0, FileKind::Empty);
    }
}
