//! What went wrong with a file or a mail, as a kind whose words come from the catalogue. The
//! library's own error text (zip, calamine, quick-xml, lopdf, the tools' output, the OS) is
//! English and means little to staff: it is kept only as a technical detail after the words.

use super::{count, t};

/// The kind of failure a document, archive or mail source reports; [`Fault::text`] gives
/// the catalogue's sentence for it with the library's raw text as technical detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault<'a> {
    /// A zip attachment that the zip reader cannot open.
    ZipBroken,
    /// A file that looks like a zip (by its name) but does not open: cut short in transit.
    ZipCut,
    /// An Office file (docx, xlsx…) whose zip container does not open.
    OfficeCut,
    /// One member of a zip cannot be read (its number, from 0).
    ZipEntry(usize),
    /// One member of a zip cannot be unpacked (its name).
    Unzip(&'a str),
    /// A Word file that does not open.
    WordBroken,
    /// A Word file whose XML breaks part way.
    WordStructure,
    /// An Office file whose parts cannot be listed before reading.
    OfficeBroken,
    /// A spreadsheet that calamine cannot open.
    SheetBroken,
    /// One sheet of a workbook that cannot be read (its name).
    SheetUnreadable(&'a str),
    /// A PDF whose structure is damaged, though its text was read.
    PdfStructure,
    /// The temporary copy of a PDF could not be written.
    PdfTemp,
    /// pdftotext failed.
    PdfText,
    /// LibreOffice did not convert an old-format file.
    Convert,
    /// OCR of a picture failed.
    Ocr,
    /// OCR of a scanned PDF failed.
    ScanOcr,
    /// The file could not be handed to the document-reading worker.
    ReaderSend,
    /// A Maildir folder cannot be listed.
    MaildirOpen,
    /// A mail file cannot be read.
    MailRead,
    /// A mail of an mbox cannot be read (its number, from 1).
    MboxMailRead(usize),
    /// A file or folder cannot be read, for a reason the OS gave.
    Read,
}

impl Fault<'_> {
    /// Every kind, one of each, for the tests that check each kind's words.
    pub const ALL: [Fault<'static>; 21] = [
        Fault::ZipBroken,
        Fault::ZipCut,
        Fault::OfficeCut,
        Fault::ZipEntry(0),
        Fault::Unzip("a.docx"),
        Fault::WordBroken,
        Fault::WordStructure,
        Fault::OfficeBroken,
        Fault::SheetBroken,
        Fault::SheetUnreadable("Sheet1"),
        Fault::PdfStructure,
        Fault::PdfTemp,
        Fault::PdfText,
        Fault::Convert,
        Fault::Ocr,
        Fault::ScanOcr,
        Fault::ReaderSend,
        Fault::MaildirOpen,
        Fault::MailRead,
        Fault::MboxMailRead(1),
        Fault::Read,
    ];

    /// The catalogue's sentence for this kind, without the technical detail.
    pub fn words(&self) -> String {
        match *self {
            Fault::ZipBroken => t!("fault-zip-broken"),
            Fault::ZipCut => t!("fault-zip-cut"),
            Fault::OfficeCut => t!("fault-office-cut"),
            Fault::ZipEntry(i) => t!("fault-zip-entry", index = count(i)),
            Fault::Unzip(name) => t!("fault-unzip", name = name),
            Fault::WordBroken => t!("fault-word-broken"),
            Fault::WordStructure => t!("fault-word-structure"),
            Fault::OfficeBroken => t!("fault-office-broken"),
            Fault::SheetBroken => t!("fault-sheet-broken"),
            Fault::SheetUnreadable(name) => t!("fault-sheet-unreadable", name = name),
            Fault::PdfStructure => t!("fault-pdf-structure"),
            Fault::PdfTemp => t!("fault-pdf-temp"),
            Fault::PdfText => t!("fault-pdf-text"),
            Fault::Convert => t!("fault-convert"),
            Fault::Ocr => t!("fault-ocr"),
            Fault::ScanOcr => t!("fault-scan-ocr"),
            Fault::ReaderSend => t!("fault-reader-send"),
            Fault::MaildirOpen => t!("fault-maildir-open"),
            Fault::MailRead => t!("fault-mail-read"),
            Fault::MboxMailRead(n) => t!("fault-mbox-mail-read", number = count(n)),
            Fault::Read => t!("fault-read"),
        }
    }

    /// The sentence with the library's raw text after it as a technical detail.
    pub fn text(&self, detail: impl std::fmt::Display) -> String {
        technical(self.words(), detail)
    }
}

/// `words` followed by a library's raw text, labelled as technical detail (none when empty).
pub fn technical(words: String, detail: impl std::fmt::Display) -> String {
    let detail = detail.to_string();
    if detail.trim().is_empty() {
        return words;
    }
    t!("fault-detail", text = words, detail = detail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Catalogue, Lang};

    #[test]
    fn every_kind_says_the_catalogues_words_then_the_raw_text() {
        for f in Fault::ALL {
            let shown = f.text("invalid Zip archive: Could not find EOCD");
            let words = f.words();
            assert!(!words.is_empty() && !words.is_ascii(), "{f:?}");
            assert_eq!(
                shown,
                format!("{words} (chi tiết kỹ thuật: invalid Zip archive: Could not find EOCD)"),
                "{f:?}"
            );
            // The words are the catalogue's own, not written in the code.
            assert!(
                Catalogue::of(Lang::Vi)
                    .text(
                        "fault-detail",
                        &[
                            ("text", crate::i18n::arg(&words)),
                            ("detail", crate::i18n::arg("x"))
                        ]
                    )
                    .starts_with(&words),
                "{f:?}"
            );
        }
        assert_eq!(
            Fault::ZipBroken.words(),
            Catalogue::of(Lang::Vi).text("fault-zip-broken", &[])
        );
        assert_eq!(
            Fault::SheetUnreadable("Biểu 1").words(),
            "không đọc được trang tính \"Biểu 1\""
        );
        assert_eq!(Fault::Read.text(""), Fault::Read.words());
    }
}
