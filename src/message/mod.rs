//! The MIME stage: raw bytes → [`Inbound`] (sender, subject, body text, the times that matter,
//! and a flat list of attachments with forwarded messages and zip archives opened).
//!
//! Built on mail-parser, which never panics; this stage adds the rules that are ours: which
//! time counts (newest `Received`, else `Date`), NFC everywhere, limits on nesting, and names
//! that are safe to store.

mod attachments;
pub mod bounce;
mod error;
mod kind;

use chrono::{DateTime, FixedOffset};
use mail_parser::{Address, MessageParser, MimeHeaders, PartType};

pub use attachments::safe_name;
pub use error::{Error, Result};
pub use kind::{FileKind, detect};

use crate::config::Limits;
use crate::vntext::nfc;

/// Longest body text kept for recognition and display.
const MAX_BODY_CHARS: usize = 20_000;

/// One attached file (or a file found inside an attached zip).
#[derive(Debug, Clone)]
pub struct Part {
    /// Decoded file name as the unit wrote it (NFC).
    pub name: String,
    /// Where it was found: the name, or "archive.zip/inner/name.xlsx".
    pub path: String,
    /// Declared Content-Type (may be wrong; `kind` decides).
    pub content_type: String,
    /// What the bytes are.
    pub kind: FileKind,
    /// Decoded content.
    pub bytes: Vec<u8>,
    /// Why it cannot be read, if it cannot.
    pub error: Option<String>,
    /// Sent inline (e.g. a pasted picture) rather than as an attachment.
    pub inline: bool,
}

impl Part {
    /// A file given on its own (not from a mail): its kind decided from its bytes and name.
    pub fn from_file(name: &str, bytes: Vec<u8>) -> Self {
        let (kind, error) = detect(&bytes, name, "");
        Part {
            name: name.to_string(),
            path: name.to_string(),
            content_type: String::new(),
            kind,
            bytes,
            error,
            inline: false,
        }
    }
}

/// Headers that mark machine-sent mail (never answered with a receipt).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AutoMarks {
    /// `Auto-Submitted` other than "no".
    pub auto_submitted: bool,
    /// `Precedence: bulk | list | junk`.
    pub bulk: bool,
    /// Has `List-Id`.
    pub list: bool,
    /// A delivery status notification (bounce).
    pub delivery_report: bool,
}

/// A parsed message.
#[derive(Debug, Clone)]
pub struct Inbound {
    /// `Message-ID` without angle brackets.
    pub message_id: Option<String>,
    /// Sender address, lowercase.
    pub from_addr: Option<String>,
    /// Sender display name.
    pub from_name: Option<String>,
    /// Subject (NFC).
    pub subject: String,
    /// Body text; HTML-only mail is converted to text.
    pub body: String,
    /// The `Date` header (the sender's clock).
    pub date: Option<DateTime<FixedOffset>>,
    /// The newest `Received` header's time (the receiving server's clock).
    pub received: Option<DateTime<FixedOffset>>,
    /// Auto-reply, list and bounce marks.
    pub auto: AutoMarks,
    /// Attachments, with zip contents flattened after their archive.
    pub attachments: Vec<Part>,
    /// Messages attached as message/rfc822 (forwards), parsed the same way.
    pub forwarded: Vec<Inbound>,
    /// Things that went wrong but did not stop parsing.
    pub problems: Vec<String>,
}

impl Inbound {
    /// The time the mail reached the receiving server: newest `Received`, else `Date`.
    pub fn arrival(&self) -> Option<(DateTime<FixedOffset>, &'static str)> {
        self.received
            .map(|t| (t, "received_header"))
            .or_else(|| self.date.map(|t| (t, "date_header")))
    }

    /// Every attachment, including those inside forwarded messages, with the forward's
    /// subject as a path prefix.
    pub fn all_parts(&self) -> Vec<&Part> {
        let mut v: Vec<&Part> = self.attachments.iter().collect();
        for f in &self.forwarded {
            v.extend(f.all_parts());
        }
        v
    }
}

/// Parses `raw` as an e-mail message.
pub fn parse(raw: &[u8], limits: &Limits) -> Result<Inbound> {
    if raw.len() as u64 > limits.max_message_bytes {
        return Err(Error::TooLarge {
            size: raw.len() as u64,
            limit: limits.max_message_bytes,
        });
    }
    if raw.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::NotMail("the file is empty"));
    }
    let msg = MessageParser::default()
        .parse(raw)
        .ok_or(Error::NotMail("no headers could be read"))?;
    if msg.headers().is_empty() {
        return Err(Error::NotMail("no e-mail headers found"));
    }
    Ok(convert(&msg, limits, 0, ""))
}

fn to_chrono(d: &mail_parser::DateTime) -> Option<DateTime<FixedOffset>> {
    if !(1970..=9999).contains(&d.year) || d.month == 0 || d.month > 12 || d.day == 0 || d.day > 31
    {
        return None;
    }
    if d.hour > 23 || d.minute > 59 || d.second > 60 || d.tz_hour > 14 || d.tz_minute > 59 {
        return None;
    }
    let secs = i32::from(d.tz_hour) * 3600 + i32::from(d.tz_minute) * 60;
    let off = FixedOffset::east_opt(if d.tz_before_gmt { -secs } else { secs })?;
    DateTime::from_timestamp(d.to_timestamp(), 0).map(|t| t.with_timezone(&off))
}

fn first_address(a: Option<&Address>) -> (Option<String>, Option<String>) {
    let Some(addr) = a.and_then(|a| a.first()) else {
        return (None, None);
    };
    (
        addr.address()
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty()),
        addr.name().map(|s| nfc(s.trim())).filter(|s| !s.is_empty()),
    )
}

fn convert(msg: &mail_parser::Message, limits: &Limits, depth: u32, prefix: &str) -> Inbound {
    let mut problems = Vec::new();
    let (from_addr, from_name) = first_address(msg.from().or(msg.sender()));
    let mut subject = msg.subject().map(|s| nfc(s.trim())).unwrap_or_default();
    if subject.contains('\u{FFFD}') {
        // Some mailers split one UTF-8 character across two encoded words; joining the
        // words' bytes before decoding recovers it.
        match msg.header_raw("Subject").and_then(join_encoded_words) {
            Some(fixed) if !fixed.contains('\u{FFFD}') => subject = nfc(fixed.trim()),
            _ => problems.push("tiêu đề có ký tự không giải mã được".to_string()),
        }
    }
    let mut body = msg.body_text(0).map(|b| nfc(&b)).unwrap_or_default();
    if body.chars().count() > MAX_BODY_CHARS {
        body = body.chars().take(MAX_BODY_CHARS).collect();
    }
    let date = msg.date().and_then(to_chrono);
    if msg.date().is_some() && date.is_none() {
        problems.push("dòng Date của thư không phải ngày hợp lệ".into());
    }
    // The first Received header that carries a valid date is the newest hop's.
    let received = msg
        .received_all()
        .filter_map(|r| r.date.as_ref().and_then(to_chrono))
        .next();
    let auto_submitted = msg
        .header_raw("Auto-Submitted")
        .is_some_and(|v| !v.trim().eq_ignore_ascii_case("no"));
    let bulk = msg.header_raw("Precedence").is_some_and(|v| {
        matches!(
            v.trim().to_ascii_lowercase().as_str(),
            "bulk" | "list" | "junk"
        )
    });
    let list = msg.header_raw("List-Id").is_some();
    let delivery_report = msg.content_type().is_some_and(|ct| {
        ct.ctype().eq_ignore_ascii_case("multipart")
            && ct
                .subtype()
                .is_some_and(|s| s.eq_ignore_ascii_case("report"))
    });

    let mut attachments = Vec::new();
    let mut forwarded = Vec::new();
    for (i, part) in msg.attachments().enumerate() {
        let ct = part
            .content_type()
            .map(|c| match c.subtype() {
                Some(s) => format!("{}/{}", c.ctype(), s),
                None => c.ctype().to_string(),
            })
            .unwrap_or_default()
            .to_ascii_lowercase();
        if let PartType::Message(inner) = &part.body {
            let label = inner
                .subject()
                .map(|s| safe_name(&nfc(s), "thu-chuyen-tiep"))
                .unwrap_or_else(|| format!("thu-chuyen-tiep-{}", i + 1));
            let path = format!("{prefix}{label}.eml/");
            if depth + 1 > limits.max_nesting {
                problems.push(format!(
                    "thư chuyển tiếp lồng nhau quá {} tầng; các tầng sâu hơn không được mở",
                    limits.max_nesting
                ));
                continue;
            }
            forwarded.push(convert(inner, limits, depth + 1, &path));
            continue;
        }
        let fallback = format!("tep-dinh-kem-{}{}", i + 1, ext_for(&ct));
        let name = part
            .attachment_name()
            .map(|n| nfc(n.trim()))
            .filter(|n| !n.is_empty())
            .unwrap_or(fallback);
        if name.contains('\u{FFFD}') {
            problems.push(format!(
                "tên tệp đính kèm {name:?} có ký tự không giải mã được"
            ));
        }
        let bytes = part.contents().to_vec();
        let (kind, error) = detect(&bytes, &name, &ct);
        let mut p = Part {
            path: format!("{prefix}{name}"),
            name,
            content_type: ct,
            kind,
            bytes,
            error,
            inline: part.content_disposition().is_some_and(|d| d.is_inline()),
        };
        let mut inner = Vec::new();
        if p.kind == FileKind::Zip && p.error.is_none() {
            attachments::expand_zip(&mut p, limits, 1, &mut inner);
        }
        attachments.push(p);
        attachments.extend(inner);
    }
    Inbound {
        message_id: msg
            .message_id()
            .map(|s| s.trim().trim_matches(['<', '>']).to_string())
            .filter(|s| !s.is_empty()),
        from_addr,
        from_name,
        subject,
        body,
        date,
        received,
        auto: AutoMarks {
            auto_submitted,
            bulk,
            list,
            delivery_report,
        },
        attachments,
        forwarded,
        problems,
    }
}

/// Decodes a header made of RFC 2047 UTF-8 encoded words, joining the bytes of adjacent
/// words before decoding them. Returns `None` for any other charset or a malformed word.
fn join_encoded_words(raw: &str) -> Option<String> {
    use base64::Engine as _;
    let b64 = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    );
    let mut out: Vec<u8> = Vec::new();
    let mut rest = raw.trim();
    let mut gap = "";
    while let Some(start) = rest.find("=?") {
        let plain = &rest[..start];
        // White space between two encoded words is not part of the text (RFC 2047 §6.2).
        if !plain.chars().all(char::is_whitespace) || out.is_empty() {
            out.extend_from_slice(gap.as_bytes());
            out.extend_from_slice(plain.as_bytes());
        }
        let mut parts = rest[start + 2..].splitn(3, '?');
        let charset = parts
            .next()?
            .split('*')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let enc = parts.next()?;
        let tail = parts.next()?;
        let end = tail.find("?=")?;
        let text = &tail[..end];
        if charset != "utf-8" && charset != "utf8" {
            return None;
        }
        if enc.eq_ignore_ascii_case("b") {
            out.extend(b64.decode(text).ok()?);
        } else if enc.eq_ignore_ascii_case("q") {
            let b = text.as_bytes();
            let mut i = 0;
            while i < b.len() {
                match b[i] {
                    b'_' => out.push(b' '),
                    b'=' => {
                        let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
                        out.push(u8::from_str_radix(hex, 16).ok()?);
                        i += 2;
                    }
                    c => out.push(c),
                }
                i += 1;
            }
        } else {
            return None;
        }
        rest = &tail[end + 2..];
        let trimmed = rest.trim_start();
        gap = &rest[..rest.len() - trimmed.len()];
        rest = trimmed;
    }
    out.extend_from_slice(gap.as_bytes());
    out.extend_from_slice(rest.as_bytes());
    Some(String::from_utf8_lossy(&out).into_owned())
}

fn ext_for(ct: &str) -> &'static str {
    match ct {
        "application/pdf" => ".pdf",
        "application/msword" => ".doc",
        "application/vnd.ms-excel" => ".xls",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => ".docx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => ".xlsx",
        "application/zip" | "application/x-zip-compressed" => ".zip",
        "image/jpeg" => ".jpg",
        "image/png" => ".png",
        "text/plain" => ".txt",
        "text/html" => ".html",
        _ => ".bin",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAIL: &str = "Received: from mx by office; Tue, 31 Jan 2023 08:05:00 +0700\r\n\
Received: from a by b; Mon, 30 Jan 2023 22:00:00 +0700\r\n\
From: =?UTF-8?B?xJDhuqNuZyDhu6d5?= <DangUy@Gmail.com>\r\n\
Date: Mon, 30 Jan 2023 22:00:00 +0700\r\n\
Message-ID: <abc@x>\r\n\
Subject: =?UTF-8?Q?B=C3=A1o_c=C3=A1o?=\r\n\
Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nGửi báo cáo\r\n\
--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename*=UTF-8''B%C3%A1o%20c%C3%A1o.docx\r\n\r\nxyz\r\n--b--\r\n";

    #[test]
    fn reads_headers_times_and_names() {
        let m = parse(MAIL.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(m.from_addr.as_deref(), Some("danguy@gmail.com"));
        assert_eq!(m.from_name.as_deref(), Some("Đảng ủy"));
        assert_eq!(m.subject, "Báo cáo");
        assert_eq!(m.message_id.as_deref(), Some("abc@x"));
        let (t, how) = m.arrival().unwrap();
        assert_eq!(t.to_rfc3339(), "2023-01-31T08:05:00+07:00");
        assert_eq!(how, "received_header");
        assert_eq!(m.attachments[0].name, "Báo cáo.docx");
        assert!(m.attachments[0].error.is_some());
    }

    #[test]
    fn joins_utf8_split_across_encoded_words() {
        // "Báo cáo kết" with "ế" (E1 BA BF) split after its first byte.
        let raw = "=?UTF-8?B?QsOhbyBjw6FvIGvh?= =?UTF-8?B?ur90?=";
        assert_eq!(join_encoded_words(raw).as_deref(), Some("Báo cáo kết"));
        assert_eq!(
            join_encoded_words("=?utf-8?Q?B=C3=A1o_c=C3=A1o?= 132").as_deref(),
            Some("Báo cáo 132")
        );
        assert_eq!(join_encoded_words("=?windows-1258?Q?x?="), None);
    }

    #[test]
    fn rejects_non_mail() {
        assert!(parse(b"", &Limits::default()).is_err());
        assert!(parse(b"   \n", &Limits::default()).is_err());
    }
}
