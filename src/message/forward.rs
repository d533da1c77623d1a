//! A message forwarded inline: its header block pasted into the body by the forwarding
//! mailer, which is all that is left of the original's sender and time.
//!
//! The blocks as mailers write them in English and Vietnamese:
//! - Gmail: `---------- Forwarded message ---------` (Vietnamese: `---------- Thư đã chuyển
//!   tiếp ---------`), then `From:`/`Từ:`, `Date:`/`Ngày:`, `Subject:`/`Tiêu đề:`, `To:`/`Đến:`;
//! - Outlook: `-----Original Message-----` or a line of underscores, then `From:`, `Sent:`/
//!   `Đã gửi:`, `To:`, `Subject:`/`Chủ đề:` (and without any separator line);
//! - Thunderbird: `-------- Forwarded Message --------`, with an RFC 2822 `Date:`.
//!
//! Dates come as the mailer prints them ("Mon, Jan 30, 2023 at 10:15 PM", "Monday, January
//! 30, 2023 10:15 PM", "Th 2, 30 thg 1, 2023 lúc 22:15", "Thứ Hai, 30 tháng 1, 2023 10:15
//! CH", "30/01/2023 22:15", "Mon, 30 Jan 2023 22:15:00 +0700"); a date printed without an
//! offset is in the office's time zone, which the caller applies.

use std::sync::LazyLock;

use chrono::{FixedOffset, NaiveDate, NaiveDateTime};
use regex::Regex;

use crate::vntext::fold;

/// What an inline forward's header block says about the original message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InlineForward {
    /// The original sender's address, lowercase.
    pub from_addr: Option<String>,
    /// The original sender's display name.
    pub from_name: Option<String>,
    /// The original's date line as written.
    pub date_text: Option<String>,
    /// The original's time as printed, and its offset when the line gives one.
    pub date: Option<(NaiveDateTime, Option<FixedOffset>)>,
    /// The original's subject.
    pub subject: Option<String>,
    /// The original's text (what follows the header block).
    pub body: String,
}

/// Separator lines that open a forwarded block, folded, without their dashes.
const MARKERS: &[&str] = &[
    "forwarded message",
    "original message",
    "thu da chuyen tiep",
    "thu chuyen tiep",
    "tin nhan chuyen tiep",
    "tin nhan goc",
    "thu goc",
    "thong diep chuyen tiep",
    "thong diep goc",
    "begin forwarded message",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    From,
    Date,
    Subject,
    Other,
}

/// The header field a line names ("From:", "Từ:", "Đã gửi:" …), and its value.
fn field(line: &str) -> Option<(Field, &str)> {
    let line = line.trim_start_matches(['>', ' ', '\t', '*']);
    let (key, value) = line.split_once(':')?;
    let key = fold(key.trim_matches(['*', ' ', '\t']));
    if key.len() > 20 {
        return None;
    }
    let f = match key.as_str() {
        "from" | "tu" | "nguoi gui" => Field::From,
        "date" | "sent" | "ngay" | "da gui" | "gui luc" | "thoi gian" | "ngay gui" => Field::Date,
        "subject" | "tieu de" | "chu de" => Field::Subject,
        "to" | "den" | "cc" | "gui toi" | "toi" | "bcc" | "reply to" | "tra loi toi" => {
            Field::Other
        }
        _ => return None,
    };
    Some((f, value.trim().trim_matches('*').trim()))
}

/// True for a line that opens a forwarded block: a known separator text between dashes, or a
/// line of underscores (Outlook).
fn is_marker(line: &str) -> bool {
    let t = line.trim().trim_start_matches('>').trim();
    if t.len() >= 10 && t.chars().all(|c| c == '_') {
        return true;
    }
    if !t.starts_with(['-', '_']) {
        return false;
    }
    let inner = fold(t.trim_matches(['-', '_', ' ']));
    MARKERS.contains(&inner.as_str())
}

/// The first inline forward in `body`: a separator line followed by a header block, or an
/// Outlook-style block without separator (a `From:` line with a date line right after it).
pub fn inline_forward(body: &str) -> Option<InlineForward> {
    let lines: Vec<&str> = body.lines().collect();
    let start = lines.iter().enumerate().find_map(|(i, l)| {
        if is_marker(l) {
            return Some(i + 1);
        }
        // Outlook without a separator: "From: …" then "Sent: …" within two lines.
        let (Field::From, _) = field(l)? else {
            return None;
        };
        lines[i + 1..lines.len().min(i + 3)]
            .iter()
            .any(|n| matches!(field(n), Some((Field::Date, _))))
            .then_some(i)
    })?;
    let mut fwd = InlineForward::default();
    let mut seen = 0;
    let mut end = start;
    for (i, l) in lines.iter().enumerate().skip(start) {
        if l.trim().is_empty() {
            if seen == 0 && i < start + 3 {
                continue;
            }
            end = i;
            break;
        }
        let Some((f, value)) = field(l) else {
            if seen == 0 {
                return None;
            }
            end = i;
            break;
        };
        seen += 1;
        end = i + 1;
        match f {
            Field::From if fwd.from_addr.is_none() && fwd.from_name.is_none() => {
                let (addr, name) = sender(value);
                fwd.from_addr = addr;
                fwd.from_name = name;
            }
            Field::Date if fwd.date_text.is_none() => {
                fwd.date_text = Some(value.to_string());
                fwd.date = loose_date(value);
            }
            Field::Subject if fwd.subject.is_none() => fwd.subject = Some(value.to_string()),
            _ => {}
        }
    }
    if fwd.from_addr.is_none() && fwd.from_name.is_none() {
        return None;
    }
    fwd.body = lines
        .get(end..)
        .unwrap_or_default()
        .join("\n")
        .trim()
        .to_string();
    Some(fwd)
}

static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+").expect("valid regex")
});

/// "Name <addr>", "Name [mailto:addr]", "\"Name\" <addr>", "addr" or just "Name".
fn sender(value: &str) -> (Option<String>, Option<String>) {
    let addr = ADDRESS.find(value).map(|m| m.as_str().to_lowercase());
    let name_part = match value.find(['<', '[']) {
        Some(at) => &value[..at],
        None if addr.is_some() => "",
        None => value,
    };
    let name = name_part
        .trim()
        .trim_matches(['"', '\'', '*', ' '])
        .trim()
        .to_string();
    let name = (!name.is_empty() && !ADDRESS.is_match(&name)).then(|| crate::vntext::nfc(&name));
    (addr, name)
}

static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm|sa|ch)?\b").expect("valid regex")
});
static OFFSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*\(?(?:gmt|utc)?\s*([+-])(\d{1,2})(?::?(\d{2}))?").expect("valid regex")
});
static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\b").expect("valid regex")
});
static ISO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b").expect("valid regex"));
static VIETNAMESE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{1,2})\s*(?:thang|thg)\s*(\d{1,2})\D{1,8}(\d{4})\b").expect("valid regex")
});
static ENGLISH_MDY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})\b",
    )
    .expect("valid regex")
});
static ENGLISH_DMY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(\d{1,2})\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+(\d{4})\b",
    )
    .expect("valid regex")
});

/// Lowercase without diacritics, punctuation kept ("Th 2, 30 thg 1, 2023 lúc 22:15" →
/// "th 2, 30 thg 1, 2023 luc 22:15"): dates need their colons and slashes.
fn fold_keeping_punctuation(s: &str) -> String {
    crate::vntext::nfc(s)
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                fold(c.encode_utf8(&mut [0; 4]))
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn month_number(m: &str) -> Option<u32> {
    const M: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    M.iter().position(|x| *x == m).map(|i| i as u32 + 1)
}

/// A date line as mailers print it, in English or Vietnamese (see the module's note); the
/// offset only when the line gives one.
pub fn loose_date(text: &str) -> Option<(NaiveDateTime, Option<FixedOffset>)> {
    let f = fold_keeping_punctuation(text);
    let t = TIME.captures(&f)?;
    let mut hour: u32 = t[1].parse().ok()?;
    let minute: u32 = t[2].parse().ok()?;
    let second: u32 = t.get(3).map_or(Some(0), |s| s.as_str().parse().ok())?;
    match t.get(4).map(|m| m.as_str()) {
        // "CH" (chiều) is afternoon, "SA" (sáng) morning.
        Some("pm" | "ch") if hour < 12 => hour += 12,
        Some("am" | "sa") if hour == 12 => hour = 0,
        _ => {}
    }
    let time_end = t.get(0).map_or(0, |m| m.end());
    let offset = OFFSET.captures(&f[time_end..]).and_then(|o| {
        let h: i32 = o[2].parse().ok()?;
        let m: i32 = o.get(3).map_or(Some(0), |s| s.as_str().parse().ok())?;
        let secs = h * 3600 + m * 60;
        FixedOffset::east_opt(if &o[1] == "-" { -secs } else { secs })
    });
    // The date is looked for with the time taken out, so "10:15" is no day or month.
    let time_span = t.get(0).map_or(0..0, |m| m.range());
    let rest = format!("{} {}", &f[..time_span.start], &f[time_span.end..]);
    let num = |s: &str| s.parse::<u32>().ok();
    let (y, m, d) = if let Some(c) = ISO.captures(&rest) {
        (num(&c[1])?, num(&c[2])?, num(&c[3])?)
    } else if let Some(c) = NUMERIC.captures(&rest) {
        // Vietnamese and most non-US mailers print day first.
        (num(&c[3])?, num(&c[2])?, num(&c[1])?)
    } else if let Some(c) = VIETNAMESE.captures(&rest) {
        (num(&c[3])?, num(&c[2])?, num(&c[1])?)
    } else if let Some(c) = ENGLISH_MDY.captures(&rest) {
        (num(&c[3])?, month_number(&c[1])?, num(&c[2])?)
    } else if let Some(c) = ENGLISH_DMY.captures(&rest) {
        (num(&c[3])?, month_number(&c[2])?, num(&c[1])?)
    } else {
        return None;
    };
    let date = NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)?;
    Some((date.and_hms_opt(hour, minute, second)?, offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn dates_as_mailers_print_them() {
        let plus7 = FixedOffset::east_opt(7 * 3600);
        for (text, want, off) in [
            ("Mon, Jan 30, 2023 at 10:15 PM", "2023-01-30 22:15", None),
            (
                "Monday, January 30, 2023 10:15 PM",
                "2023-01-30 22:15",
                None,
            ),
            ("Th 2, 30 thg 1, 2023 lúc 22:15", "2023-01-30 22:15", None),
            (
                "Vào lúc 09:05 Th 3, 31 thg 1, 2023",
                "2023-01-31 09:05",
                None,
            ),
            (
                "Thứ Hai, 30 tháng 1, 2023 10:15 CH",
                "2023-01-30 22:15",
                None,
            ),
            (
                "Thứ Ba, 31 Tháng Một, 2023 12:05 SA",
                "2023-01-31 00:05",
                None,
            ),
            ("30/01/2023 22:15", "2023-01-30 22:15", None),
            ("2023-01-30 22:15", "2023-01-30 22:15", None),
            ("Mon, 30 Jan 2023 22:15:00 +0700", "2023-01-30 22:15", plus7),
            ("30 Jan 2023, 22:15 (GMT+07:00)", "2023-01-30 22:15", plus7),
        ] {
            let got = loose_date(text);
            if text.contains("Tháng Một") {
                // A month written as a word in Vietnamese is not read: no guess is better
                // than a wrong one.
                assert_eq!(got, None, "{text}");
                continue;
            }
            assert_eq!(got, Some((at(want), off)), "{text}");
        }
        assert_eq!(loose_date("hôm qua"), None);
        assert_eq!(loose_date("31/02/2023 10:00"), None);
    }

    #[test]
    fn gmail_english_and_vietnamese_blocks() {
        let body = "Chuyển bài của xã Lộc An.\n\n---------- Forwarded message ---------\n\
                    From: Đảng ủy xã Lộc An <dangUy.locan@gmail.com>\n\
                    Date: Mon, Jan 30, 2023 at 10:15 PM\n\
                    Subject: Báo cáo 132\nTo: <vanphong@huyenuy.vn>\n\n\
                    Kính gửi Văn phòng Huyện ủy.\n";
        let f = inline_forward(body).unwrap();
        assert_eq!(f.from_addr.as_deref(), Some("danguy.locan@gmail.com"));
        assert_eq!(f.from_name.as_deref(), Some("Đảng ủy xã Lộc An"));
        assert_eq!(f.date.unwrap().0, at("2023-01-30 22:15"));
        assert_eq!(f.subject.as_deref(), Some("Báo cáo 132"));
        assert_eq!(f.body, "Kính gửi Văn phòng Huyện ủy.");

        let body = "---------- Thư đã chuyển tiếp ---------\nTừ: *Chi bộ Trường THPT Lộc Thanh* \
                    <cb.thpt@gmail.com>\nNgày: Th 2, 30 thg 1, 2023 lúc 22:15\n\
                    Tiêu đề: Bao cao\nĐến: <vp@huyenuy.vn>\n\nNội dung\n";
        let f = inline_forward(body).unwrap();
        assert_eq!(f.from_name.as_deref(), Some("Chi bộ Trường THPT Lộc Thanh"));
        assert_eq!(f.from_addr.as_deref(), Some("cb.thpt@gmail.com"));
        assert_eq!(f.date.unwrap().0, at("2023-01-30 22:15"));
        assert_eq!(f.subject.as_deref(), Some("Bao cao"));
    }

    #[test]
    fn outlook_blocks_with_and_without_separator() {
        let body = "Chuyển anh chị.\n\n-----Original Message-----\n\
                    From: Dang uy xa Loc An [mailto:locan@gmail.com]\n\
                    Sent: Monday, January 30, 2023 10:15 PM\nTo: VP\nSubject: BC 132\n\nNội dung";
        let f = inline_forward(body).unwrap();
        assert_eq!(f.from_addr.as_deref(), Some("locan@gmail.com"));
        assert_eq!(f.from_name.as_deref(), Some("Dang uy xa Loc An"));
        assert_eq!(f.date.unwrap().0, at("2023-01-30 22:15"));

        let body = "Gửi chị.\n\n________________________________\nTừ: Đảng ủy xã Lộc An\n\
                    Đã gửi: Thứ Hai, 30 tháng 1, 2023 10:15 CH\nĐến: Văn phòng\n\
                    Chủ đề: Báo cáo 132\n\nNội dung";
        let f = inline_forward(body).unwrap();
        assert_eq!(f.from_addr, None);
        assert_eq!(f.from_name.as_deref(), Some("Đảng ủy xã Lộc An"));
        assert_eq!(f.date.unwrap().0, at("2023-01-30 22:15"));
        assert_eq!(f.subject.as_deref(), Some("Báo cáo 132"));

        let body = "From: Lộc An <la@x.vn>\nSent: 30/01/2023 22:15\nSubject: x\n\nbody";
        assert_eq!(
            inline_forward(body).unwrap().from_addr.as_deref(),
            Some("la@x.vn")
        );
    }

    #[test]
    fn ordinary_mail_has_no_forward() {
        assert_eq!(
            inline_forward("Kính gửi Văn phòng.\nFrom now on we send on time."),
            None
        );
        assert_eq!(
            inline_forward("---------- Forwarded message ---------\nKhông có tiêu đề nào"),
            None
        );
        assert_eq!(inline_forward(""), None);
    }
}
