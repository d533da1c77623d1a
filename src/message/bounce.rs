//! Delivery-status notifications (bounces): a mail server's report that a mail we sent (a
//! receipt, a reminder, a digest) could not be delivered. Such a report must never be taken for
//! a unit's submission, and the addresses it says are dead must be known so later mail skips
//! them and staff fix the units registry.
//!
//! Two shapes exist in the wild: the standard one (RFC 3464: `multipart/report;
//! report-type=delivery-status` with a `message/delivery-status` part holding one field block
//! per recipient) that Postfix, Exim, Gmail and Exchange send today, and the older free-text
//! one from `MAILER-DAEMON`/`postmaster` ("Undelivered Mail Returned to Sender", "Mail delivery
//! failed", "failure notice") where the failed addresses and the server's reply are only in the
//! prose. Only a *permanent* failure (Action: failed, status 5.x.x) marks an address bad: a
//! "delayed" warning means the server is still trying.

use mail_parser::{Message, MessageParser, MimeHeaders};
use regex::Regex;
use std::sync::LazyLock;

use crate::i18n::t;

/// What a delivery-status notification says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bounce {
    /// Recipients that failed permanently: `(address, status and diagnostic)`, address in
    /// lowercase.
    pub failed: Vec<(String, String)>,
    /// Recipients the server is still trying (a warning, not a failure): same shape. They mark
    /// nothing; staff only see that the notice arrived.
    pub delayed: Vec<(String, String)>,
    /// Message-ID (without brackets) of the mail that bounced, when the report quotes it.
    pub original_message_id: Option<String>,
}

/// Reads `raw` as a delivery-status notification; `None` when it is not one (a normal mail,
/// an auto-reply, a read receipt).
pub fn detect(raw: &[u8]) -> Option<Bounce> {
    // Most mail is not a bounce: decide from the headers before parsing the whole message.
    let head = MessageParser::default().parse_headers(raw)?;
    let standard = is_report(&head);
    if !standard && !looks_like_daemon(&head) {
        return None;
    }
    let msg = MessageParser::default().parse(raw)?;
    let mut b = Bounce::default();
    let mut status_part = false;
    let mut prose = String::new();
    let mut original_to: Vec<String> = Vec::new();
    let mut original_from: Option<String> = None;
    for part in &msg.parts {
        let (ctype, sub) = part
            .content_type()
            .map(|c| {
                (
                    c.ctype().to_ascii_lowercase(),
                    c.subtype().unwrap_or("").to_ascii_lowercase(),
                )
            })
            .unwrap_or_else(|| ("text".into(), "plain".into()));
        match (ctype.as_str(), sub.as_str()) {
            ("message", "delivery-status" | "global-delivery-status") => {
                status_part = true;
                let text = String::from_utf8_lossy(part.contents());
                read_status_fields(&text, &mut b);
            }
            ("text", "rfc822-headers") | ("message", "rfc822-headers") => {
                if let Some(h) = MessageParser::default().parse_headers(part.contents()) {
                    quote_original(&h, &mut b, &mut original_to, &mut original_from);
                }
            }
            ("message", "rfc822" | "global") => {
                if let Some(m) = part.message() {
                    quote_original(m, &mut b, &mut original_to, &mut original_from);
                }
            }
            ("text", "plain") => {
                if let Some(t) = part.text_contents() {
                    prose.push_str(t);
                    prose.push('\n');
                }
            }
            _ => {}
        }
    }
    if prose.is_empty() {
        // HTML-only notices (some Exchange servers): their text is good enough for prose.
        if let Some(t) = msg.body_text(0) {
            prose.push_str(&t);
        }
    }
    if status_part {
        // The human-readable part often says more than the terse Diagnostic-Code (Gmail,
        // Exchange): keep the structured answer, it is the reliable one.
        return Some(b);
    }
    if !standard && !prose_says_bounce(&head, &prose) {
        return None;
    }
    read_prose(&prose, original_from.as_deref(), &original_to, &mut b);
    Some(b)
}

/// `multipart/report; report-type=delivery-status` (a read receipt is
/// `report-type=disposition-notification` and is not a bounce).
fn is_report(m: &Message) -> bool {
    m.content_type().is_some_and(|c| {
        c.ctype().eq_ignore_ascii_case("multipart")
            && c.subtype()
                .is_some_and(|s| s.eq_ignore_ascii_case("report"))
            && c.attribute("report-type").is_some_and(|t| {
                t.eq_ignore_ascii_case("delivery-status")
                    || t.eq_ignore_ascii_case("global-delivery-status")
            })
    })
}

const DAEMON_SUBJECTS: &[&str] = &[
    "undelivered mail returned to sender",
    "delivery status notification",
    "mail delivery failed",
    "delivery failure",
    "failure notice",
    "returned mail",
    "undeliverable:",
    "undeliverable mail",
    "mail delivery system",
    "delayed mail",
    "warning: message",
    "delivery delayed",
    "non-delivery",
    "could not be delivered",
];

fn sender_is_daemon(m: &Message) -> bool {
    let Some(a) = m.from().and_then(|a| a.first()) else {
        // A bounce's envelope sender is empty, and some servers leave From out too.
        return false;
    };
    let local = a
        .address()
        .map(|s| s.split('@').next().unwrap_or("").to_ascii_lowercase())
        .unwrap_or_default();
    let name = a.name().unwrap_or("").to_ascii_lowercase();
    matches!(
        local.as_str(),
        "mailer-daemon" | "mailer_daemon" | "mail-daemon" | "postmaster" | "mailerdaemon"
    ) || name.contains("mail delivery")
}

fn looks_like_daemon(m: &Message) -> bool {
    let subject = m.subject().unwrap_or("").to_ascii_lowercase();
    sender_is_daemon(m) || DAEMON_SUBJECTS.iter().any(|s| subject.contains(s))
}

/// A daemon's sender *and* words of a delivery problem: a postmaster writing an ordinary mail
/// is not a bounce, nor is a unit whose subject happens to say "returned mail".
fn prose_says_bounce(m: &Message, prose: &str) -> bool {
    let subject = m.subject().unwrap_or("").to_ascii_lowercase();
    let by_subject = DAEMON_SUBJECTS.iter().any(|s| subject.contains(s));
    let p = prose.to_ascii_lowercase();
    let by_text = [
        "could not be delivered",
        "couldn't be delivered",
        "wasn't delivered",
        "was not delivered",
        "delivery has failed",
        "following address(es) failed",
        "permanent error",
        "permanent fatal errors",
        "delivery to the following recipient",
        "failed permanently",
        "undeliverable",
        "returned to sender",
        "delayed",
        "still being retried",
    ]
    .iter()
    .any(|w| p.contains(w));
    (sender_is_daemon(m) || machine_sent(m)) && (by_subject || by_text)
}

/// Sent by software rather than a person: `Auto-Submitted`, or the null return path every
/// bounce carries so that it can never bounce back.
fn machine_sent(m: &Message) -> bool {
    m.header_raw("Auto-Submitted")
        .is_some_and(|v| !v.trim().eq_ignore_ascii_case("no"))
        || m.header_raw("Return-Path")
            .is_some_and(|v| v.trim() == "<>")
}

fn quote_original(m: &Message, b: &mut Bounce, to: &mut Vec<String>, from: &mut Option<String>) {
    if b.original_message_id.is_none() {
        b.original_message_id = m
            .message_id()
            .map(|s| s.trim().trim_matches(['<', '>']).to_string())
            .filter(|s| !s.is_empty());
    }
    for list in [m.to(), m.cc()].into_iter().flatten() {
        for a in list.iter() {
            if let Some(addr) = a.address() {
                to.push(addr.trim().to_lowercase());
            }
        }
    }
    if from.is_none() {
        *from = m
            .from()
            .and_then(|a| a.first())
            .and_then(|a| a.address())
            .map(|s| s.trim().to_lowercase());
    }
}

/// Field blocks of a `message/delivery-status` part: the first describes the reporting
/// server, each following one a recipient. Folded lines continue the field above.
fn read_status_fields(text: &str, b: &mut Bounce) {
    let mut blocks: Vec<Vec<(String, String)>> = vec![Vec::new()];
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            if blocks.last().is_some_and(|bl| !bl.is_empty()) {
                blocks.push(Vec::new());
            }
            continue;
        }
        let Some(block) = blocks.last_mut() else {
            continue;
        };
        if line.starts_with([' ', '\t']) {
            if let Some((_, v)) = block.last_mut() {
                v.push(' ');
                v.push_str(line.trim());
            }
            continue;
        }
        if let Some((k, v)) = line.split_once(':') {
            block.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    for block in blocks {
        let get = |k: &str| {
            block
                .iter()
                .find(|(kk, _)| kk == k)
                .map(|(_, v)| v.as_str())
        };
        let Some(addr) = get("final-recipient")
            .or_else(|| get("original-recipient"))
            .and_then(typed_address)
        else {
            continue;
        };
        let action = get("action").unwrap_or("").to_ascii_lowercase();
        let status = get("status").unwrap_or("").trim().to_string();
        let diag = get("diagnostic-code").map(strip_type).unwrap_or_default();
        let reason = join_reason(&status, &diag);
        let failed = match action.as_str() {
            "failed" => true,
            "delayed" | "delivered" | "relayed" | "expanded" => false,
            // No Action field: the status class decides.
            _ => status.starts_with('5'),
        };
        if failed {
            push_unique(&mut b.failed, addr, reason);
        } else if action == "delayed" || status.starts_with('4') {
            push_unique(&mut b.delayed, addr, reason);
        }
    }
}

/// `rfc822; someone@example.vn` → `someone@example.vn`.
fn typed_address(v: &str) -> Option<String> {
    let a = strip_type(v);
    let a = a.trim().trim_matches(['<', '>']).trim().to_lowercase();
    (a.contains('@') && !a.contains(char::is_whitespace)).then_some(a)
}

/// `smtp; 550 5.1.1 …` → `550 5.1.1 …`.
fn strip_type(v: &str) -> String {
    match v.split_once(';') {
        Some((t, rest)) if !t.contains(char::is_whitespace) && t.len() < 20 => {
            rest.trim().to_string()
        }
        _ => v.trim().to_string(),
    }
}

fn join_reason(status: &str, diag: &str) -> String {
    match (status.is_empty(), diag.is_empty()) {
        (false, false) if diag.contains(status) => diag.to_string(),
        (false, false) => format!("{status} {diag}"),
        (false, true) => status.to_string(),
        (true, false) => diag.to_string(),
        (true, true) => t!("prob-bounce-no-reason"),
    }
}

fn push_unique(v: &mut Vec<(String, String)>, addr: String, reason: String) {
    if !v.iter().any(|(a, _)| *a == addr) {
        v.push((addr, reason));
    }
}

static ADDR: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)<?([a-z0-9._%+\-']+@[a-z0-9.\-]+\.[a-z]{2,})>?").ok());
static ENHANCED: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\b([245])\.\d{1,3}\.\d{1,3}\b").ok());
static REPLY: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?:^|[^\d.#])([245]\d\d)[ \-]").ok());

/// The class of a server reply in `text`: '5' permanent, '4' temporary, None unknown.
fn reply_class(text: &str) -> Option<char> {
    if let Some(c) = ENHANCED
        .as_ref()
        .and_then(|r| r.captures(text))
        .and_then(|c| c.get(1))
        .and_then(|m| m.as_str().chars().next())
        .filter(|c| *c != '2')
    {
        return Some(c);
    }
    REPLY
        .as_ref()
        .and_then(|r| r.captures_iter(text).find_map(|c| c.get(1)))
        .and_then(|m| m.as_str().chars().next())
        .filter(|c| *c != '2')
}

/// Free-text notices: each failed recipient is followed by the server's reply, in one of a few
/// layouts — Postfix `<addr>: host … said: 550 …`, Exim's indented block after "The following
/// address(es) failed:", qmail `<addr>:` then the reply, Gmail "wasn't delivered to addr",
/// Exchange "Delivery has failed to these recipients" then one address per line.
fn read_prose(prose: &str, original_from: Option<&str>, original_to: &[String], b: &mut Bounce) {
    let lower = prose.to_ascii_lowercase();
    let warning = [
        "delayed",
        "still being retried",
        "will continue trying",
        "will retry",
        "has not yet been delivered",
        "temporary",
    ]
    .iter()
    .any(|w| lower.contains(w))
        && !lower.contains("permanent");
    let Some(addr_re) = ADDR.as_ref() else {
        return;
    };
    let lines: Vec<&str> = prose.lines().map(|l| l.trim_end_matches('\r')).collect();
    // A paragraph: the line naming the address and the lines after it up to a blank line (or
    // the next address line).
    let paragraph = |start: usize| -> String {
        let mut out: Vec<&str> = Vec::new();
        for (i, l) in lines.iter().enumerate().skip(start) {
            if l.trim().is_empty() && i > start {
                if out.len() > 1 {
                    break;
                }
                continue;
            }
            if i > start && address_line(l).is_some() {
                break;
            }
            out.push(l.trim());
            if out.len() >= 8 {
                break;
            }
        }
        out.join(" ")
    };
    let mut found: Vec<(String, String)> = Vec::new();
    let mut in_failed_list = false;
    for (i, l) in lines.iter().enumerate() {
        let low = l.to_ascii_lowercase();
        if low.contains("copy of the message") || low.starts_with("--- below this line") {
            // The quoted original follows: its To and From are not what failed.
            break;
        }
        if low.contains("following address(es) failed")
            || low.contains("has not yet been delivered is:")
            || low.contains("has not yet been delivered are:")
            || low.contains("delivery has failed to these recipients")
            || low.contains("delivery to the following recipient")
            || low.contains("could not be delivered to one or more")
                && !low.contains("following address")
        {
            in_failed_list = true;
            continue;
        }
        let candidate = address_line(l).or_else(|| {
            // Gmail: "Your message wasn't delivered to x@y because …".
            let at = low
                .find("wasn't delivered to ")
                .or_else(|| low.find("was not delivered to "))?;
            addr_re
                .captures(&l[at..])
                .and_then(|c| c.get(1))
                .map(|m| m.as_str().to_lowercase())
        });
        let candidate = candidate.or_else(|| {
            // Exim and Exchange: an address alone on an indented line of the failed list.
            if !in_failed_list {
                return None;
            }
            let t = l.trim();
            let c = addr_re.captures(t)?;
            let m = c.get(0)?;
            let rest = t[m.end()..].trim();
            (m.start() == 0 && (rest.is_empty() || rest.starts_with('(') || rest == ":"))
                .then(|| c.get(1).map(|a| a.as_str().to_lowercase()))
                .flatten()
        });
        let Some(addr) = candidate else { continue };
        if Some(addr.as_str()) == original_from || is_daemon_address(&addr) {
            continue;
        }
        let mut reason = paragraph(i);
        // The address heads its own paragraph; the reason is what follows it.
        for head in [format!("<{addr}>:"), format!("<{addr}>"), addr.clone()] {
            if reason.len() >= head.len()
                && reason.is_char_boundary(head.len())
                && reason[..head.len()].eq_ignore_ascii_case(&head)
            {
                reason = reason[head.len()..]
                    .trim_start_matches([':', ' '])
                    .to_string();
                break;
            }
        }
        if reply_class(&reason).is_none() {
            // Gmail puts the server's reply in a later paragraph.
            if let Some(p) = lower.find("the response from the remote server was:") {
                let tail: String = prose[p..]
                    .lines()
                    .skip(1)
                    .take(3)
                    .collect::<Vec<_>>()
                    .join(" ");
                reason = format!("{reason} {}", tail.trim());
            }
        }
        found.push((addr, clean_reason(&reason)));
    }
    if found.is_empty() {
        // Only the quoted original says whom it was for.
        for to in original_to {
            if lower.contains(to.as_str()) && Some(to.as_str()) != original_from {
                found.push((to.clone(), clean_reason(first_reply_line(prose))));
            }
        }
    }
    for (addr, reason) in found {
        let class = reply_class(&reason);
        if class == Some('4') || (class.is_none() && warning) {
            push_unique(&mut b.delayed, addr, reason);
        } else {
            push_unique(&mut b.failed, addr, reason);
        }
    }
}

/// `<addr>: …` or `<addr>:` at the start of a line (Postfix, qmail).
fn address_line(l: &str) -> Option<String> {
    let t = l.trim_start();
    let rest = t.strip_prefix('<')?;
    let (addr, after) = rest.split_once('>')?;
    (after.starts_with(':') && addr.contains('@') && !addr.contains(char::is_whitespace))
        .then(|| addr.to_lowercase())
}

fn is_daemon_address(a: &str) -> bool {
    let local = a.split('@').next().unwrap_or("");
    matches!(local, "mailer-daemon" | "postmaster" | "mailer_daemon")
}

fn first_reply_line(prose: &str) -> &str {
    prose
        .lines()
        .find(|l| reply_class(l).is_some())
        .unwrap_or("")
}

/// One line, the address's own angle brackets kept, at most 400 characters.
fn clean_reason(r: &str) -> String {
    let s: String = r.split_whitespace().collect::<Vec<_>>().join(" ");
    let s = if s.is_empty() {
        t!("prob-bounce-no-reason")
    } else {
        s
    };
    s.chars().take(400).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What Postfix sends when the unit's server refuses the recipient (RFC 3464 shape).
    pub(crate) const POSTFIX: &str = "Return-Path: <>\r\n\
Received: by mx.lamdong.gov.vn (Postfix) id 4NQ2Kx0Y3Zz9s; Fri, 27 Jan 2023 08:00:05 +0700 (+07)\r\n\
Date: Fri, 27 Jan 2023 08:00:05 +0700 (+07)\r\n\
From: MAILER-DAEMON@mx.lamdong.gov.vn (Mail Delivery System)\r\n\
Subject: Undelivered Mail Returned to Sender\r\n\
To: vanphong.huyenuy@lamdong.gov.vn\r\n\
Auto-Submitted: auto-replied\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/report; report-type=delivery-status;\r\n\
\tboundary=\"4NQ2Kx0Y3Zz9s.1674781205/mx.lamdong.gov.vn\"\r\n\
Message-Id: <20230127010005.4NQ2Kx0Y3Zz9s@mx.lamdong.gov.vn>\r\n\
\r\n\
This is a MIME-encapsulated message.\r\n\
\r\n\
--4NQ2Kx0Y3Zz9s.1674781205/mx.lamdong.gov.vn\r\n\
Content-Description: Notification\r\n\
Content-Type: text/plain; charset=us-ascii\r\n\
\r\n\
This is the mail system at host mx.lamdong.gov.vn.\r\n\
\r\n\
I'm sorry to have to inform you that your message could not\r\n\
be delivered to one or more recipients. It's attached below.\r\n\
\r\n\
For further assistance, please send mail to postmaster.\r\n\
\r\n\
\x20                  The mail system\r\n\
\r\n\
<dangUyLocNgai@gmail.com>: host gmail-smtp-in.l.google.com[142.250.4.27] said:\r\n\
\x20   550-5.1.1 The email account that you tried to reach does not exist. (in\r\n\
\x20   reply to RCPT TO command)\r\n\
\r\n\
--4NQ2Kx0Y3Zz9s.1674781205/mx.lamdong.gov.vn\r\n\
Content-Description: Delivery report\r\n\
Content-Type: message/delivery-status\r\n\
\r\n\
Reporting-MTA: dns; mx.lamdong.gov.vn\r\n\
X-Postfix-Queue-ID: 4NQ2Kx0Y3Zz9s\r\n\
X-Postfix-Sender: rfc822; vanphong.huyenuy@lamdong.gov.vn\r\n\
Arrival-Date: Fri, 27 Jan 2023 08:00:01 +0700 (+07)\r\n\
\r\n\
Final-Recipient: rfc822; dangUyLocNgai@gmail.com\r\n\
Original-Recipient: rfc822;dangUyLocNgai@gmail.com\r\n\
Action: failed\r\n\
Status: 5.1.1\r\n\
Remote-MTA: dns; gmail-smtp-in.l.google.com\r\n\
Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does\r\n\
\x20   not exist.\r\n\
\r\n\
--4NQ2Kx0Y3Zz9s.1674781205/mx.lamdong.gov.vn\r\n\
Content-Description: Undelivered Message Headers\r\n\
Content-Type: text/rfc822-headers\r\n\
\r\n\
From: =?utf-8?b?VsSDbiBwaMOybmcgSHV54buHbiDhu6d5?= <vanphong.huyenuy@lamdong.gov.vn>\r\n\
To: dangUyLocNgai@gmail.com\r\n\
Subject: =?utf-8?b?Tmjhuq9jIGfhu61pIGLDoW8gY8Ohbw==?=\r\n\
Message-ID: <reminder.809.loc-ngai.1@baocao.lamdong.gov.vn>\r\n\
Date: Fri, 27 Jan 2023 01:00:00 +0000\r\n\
\r\n\
--4NQ2Kx0Y3Zz9s.1674781205/mx.lamdong.gov.vn--\r\n";

    #[test]
    fn postfix_report_names_the_address_and_the_reason() {
        let b = detect(POSTFIX.as_bytes()).expect("a bounce");
        assert_eq!(b.failed.len(), 1);
        assert_eq!(b.failed[0].0, "danguylocngai@gmail.com");
        assert_eq!(
            b.failed[0].1,
            "550-5.1.1 The email account that you tried to reach does not exist."
        );
        assert!(b.delayed.is_empty());
        assert_eq!(
            b.original_message_id.as_deref(),
            Some("reminder.809.loc-ngai.1@baocao.lamdong.gov.vn")
        );
    }

    /// Gmail's notice for a dead Gmail address, with the original attached whole.
    const GMAIL: &str = "Delivered-To: vanphong.huyenuy@gmail.com\r\n\
Return-Path: <>\r\n\
From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\r\n\
To: vanphong.huyenuy@gmail.com\r\n\
Auto-Submitted: auto-replied\r\n\
Subject: Delivery Status Notification (Failure)\r\n\
References: <receipt.42@baocao.lamdong.gov.vn>\r\n\
In-Reply-To: <receipt.42@baocao.lamdong.gov.vn>\r\n\
X-Failed-Recipients: phongGDbaolam@gmail.com\r\n\
Message-ID: <63d3a2f1.170a0220.ae1a6.8d24.GMR@mx.google.com>\r\n\
Date: Fri, 27 Jan 2023 02:30:09 -0800 (PST)\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/report; boundary=\"000000000000a9f2d305f33b5a1c\"; report-type=delivery-status\r\n\
\r\n\
--000000000000a9f2d305f33b5a1c\r\n\
Content-Type: multipart/related; boundary=\"000000000000a9f98f05f33b5a24\"\r\n\
\r\n\
--000000000000a9f98f05f33b5a24\r\n\
Content-Type: multipart/alternative; boundary=\"000000000000a9f99705f33b5a25\"\r\n\
\r\n\
--000000000000a9f99705f33b5a25\r\n\
Content-Type: text/plain; charset=\"UTF-8\"\r\n\
\r\n\
\r\n\
** Address not found **\r\n\
\r\n\
Your message wasn't delivered to phongGDbaolam@gmail.com because the address couldn't be found, or is unable to receive mail.\r\n\
\r\n\
Learn more here: https://support.google.com/mail/?p=NoSuchUser\r\n\
\r\n\
The response was:\r\n\
\r\n\
550 5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser o12-20020a17090a0a0c00b0022c0a5e1f1asor2304121pjo.12 - gsmtp\r\n\
\r\n\
--000000000000a9f99705f33b5a25\r\n\
Content-Type: text/html; charset=\"UTF-8\"\r\n\
\r\n\
<html><body><p>Address not found</p></body></html>\r\n\
\r\n\
--000000000000a9f99705f33b5a25--\r\n\
--000000000000a9f98f05f33b5a24--\r\n\
--000000000000a9f2d305f33b5a1c\r\n\
Content-Type: message/delivery-status\r\n\
\r\n\
Reporting-MTA: dns; googlemail.com\r\n\
Received-From-MTA: dns; vanphong.huyenuy@gmail.com\r\n\
Arrival-Date: Fri, 27 Jan 2023 02:30:08 -0800 (PST)\r\n\
X-Original-Message-ID: <receipt.42@baocao.lamdong.gov.vn>\r\n\
\r\n\
Final-Recipient: rfc822; phongGDbaolam@gmail.com\r\n\
Action: failed\r\n\
Status: 5.1.1\r\n\
Diagnostic-Code: smtp; The email account that you tried to reach does not exist. Please try\r\n\
\x20double-checking the recipient's email address for typos or unnecessary spaces.\r\n\
\x20https://support.google.com/mail/?p=NoSuchUser o12-20020a17090a0a0c00b0022c0a5e1f1asor2304121pjo.12 - gsmtp\r\n\
Last-Attempt-Date: Fri, 27 Jan 2023 02:30:09 -0800 (PST)\r\n\
\r\n\
--000000000000a9f2d305f33b5a1c\r\n\
Content-Type: message/rfc822\r\n\
\r\n\
From: vanphong.huyenuy@gmail.com\r\n\
To: phongGDbaolam@gmail.com\r\n\
Subject: =?UTF-8?Q?Bi=C3=AAn_nh=E1=BA=ADn?=\r\n\
Message-ID: <receipt.42@baocao.lamdong.gov.vn>\r\n\
Date: Fri, 27 Jan 2023 10:30:00 +0000\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
\r\n\
Kinh gui Phong Giao duc.\r\n\
\r\n\
--000000000000a9f2d305f33b5a1c--\r\n";

    #[test]
    fn gmail_notice_with_the_original_attached() {
        let b = detect(GMAIL.as_bytes()).expect("a bounce");
        assert_eq!(
            b.failed,
            vec![(
                "phonggdbaolam@gmail.com".to_string(),
                "5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser o12-20020a17090a0a0c00b0022c0a5e1f1asor2304121pjo.12 - gsmtp".to_string()
            )]
        );
        assert_eq!(
            b.original_message_id.as_deref(),
            Some("receipt.42@baocao.lamdong.gov.vn")
        );
    }

    /// Exchange Online's non-delivery report: status in the structured part, its own words in
    /// an HTML body.
    const EXCHANGE: &str = "From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@lamdong.gov.vn>\r\n\
To: <vanphong.huyenuy@lamdong.gov.vn>\r\n\
Date: Sat, 28 Jan 2023 01:00:12 +0000\r\n\
Content-Type: multipart/report; report-type=delivery-status;\r\n\
\tboundary=\"0e3b6d5a-0f7f-4d2e-8f3c-2b9c1c9e0a11\"\r\n\
Content-Language: en-US\r\n\
Message-ID: <6f2a7c1e-aa10-4f7b-9a2b-3c8d7a1b2e55@SG2PR04MB1234.apcprd04.prod.outlook.com>\r\n\
In-Reply-To: <digest.2023-01-28@baocao.lamdong.gov.vn>\r\n\
Subject: Undeliverable: =?utf-8?B?Tmjhuq9jIGfhu61pIGLDoW8gY8Ohbw==?=\r\n\
Auto-Submitted: auto-replied\r\n\
MIME-Version: 1.0\r\n\
\r\n\
--0e3b6d5a-0f7f-4d2e-8f3c-2b9c1c9e0a11\r\n\
Content-Type: multipart/alternative; differences=Content-Type;\r\n\
\tboundary=\"7c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f\"\r\n\
\r\n\
--7c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f\r\n\
Content-Type: text/plain; charset=\"us-ascii\"\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\
\r\n\
Your message to truongthptlocthanh@lamdong.edu.vn couldn't be delivered.\r\n\
\r\n\
truongthptlocthanh wasn't found at lamdong.edu.vn.\r\n\
\r\n\
vanphong.huyenuy   Office 365   truongthptlocthanh\r\n\
Action Required                 Recipient\r\n\
\r\n\
Unknown To address\r\n\
\r\n\
--7c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f\r\n\
Content-Type: text/html; charset=\"us-ascii\"\r\n\
\r\n\
<html><body><b>Your message to truongthptlocthanh@lamdong.edu.vn couldn't be delivered.</b></body></html>\r\n\
--7c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f--\r\n\
\r\n\
--0e3b6d5a-0f7f-4d2e-8f3c-2b9c1c9e0a11\r\n\
Content-Type: message/delivery-status\r\n\
\r\n\
Reporting-MTA: dns;SG2PR04MB1234.apcprd04.prod.outlook.com\r\n\
Received-From-MTA: dns;SG2PR04MB5678.apcprd04.prod.outlook.com\r\n\
Arrival-Date: Sat, 28 Jan 2023 01:00:10 +0000\r\n\
\r\n\
Final-Recipient: rfc822;truongthptlocthanh@lamdong.edu.vn\r\n\
Action: failed\r\n\
Status: 5.1.10\r\n\
Diagnostic-Code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient truongthptlocthanh@lamdong.edu.vn not found by SMTP address lookup\r\n\
\r\n\
--0e3b6d5a-0f7f-4d2e-8f3c-2b9c1c9e0a11\r\n\
Content-Type: message/rfc822\r\n\
\r\n\
From: =?utf-8?b?VsSDbiBwaMOybmc=?= <vanphong.huyenuy@lamdong.gov.vn>\r\n\
To: <truongthptlocthanh@lamdong.edu.vn>\r\n\
Subject: =?utf-8?B?Tmjhuq9jIGfhu61pIGLDoW8gY8Ohbw==?=\r\n\
Message-ID: <digest.2023-01-28@baocao.lamdong.gov.vn>\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
\r\n\
x\r\n\
\r\n\
--0e3b6d5a-0f7f-4d2e-8f3c-2b9c1c9e0a11--\r\n";

    #[test]
    fn exchange_report() {
        let b = detect(EXCHANGE.as_bytes()).expect("a bounce");
        assert_eq!(b.failed.len(), 1, "{b:?}");
        assert_eq!(b.failed[0].0, "truongthptlocthanh@lamdong.edu.vn");
        assert!(
            b.failed[0]
                .1
                .starts_with("550 5.1.10 RESOLVER.ADR.RecipientNotFound;"),
            "{}",
            b.failed[0].1
        );
        assert_eq!(
            b.original_message_id.as_deref(),
            Some("digest.2023-01-28@baocao.lamdong.gov.vn")
        );
    }

    /// Exim without a delivery-status part (cPanel hosts of many district sites).
    const EXIM: &str = "Return-path: <>\r\n\
Envelope-to: vanphong.huyenuy@lamdong.gov.vn\r\n\
Received: from mailnull by host.lamdong.net with local (Exim 4.96)\r\n\
\tid 1pLB3c-0007Qx-2U for vanphong.huyenuy@lamdong.gov.vn; Fri, 27 Jan 2023 08:00:12 +0700\r\n\
X-Failed-Recipients: vanphong.locthang@lamdong.gov.vn\r\n\
Auto-Submitted: auto-replied\r\n\
From: Mail Delivery System <Mailer-Daemon@host.lamdong.net>\r\n\
To: vanphong.huyenuy@lamdong.gov.vn\r\n\
Subject: Mail delivery failed: returning message to sender\r\n\
Message-Id: <E1pLB3c-0007Qx-2U@host.lamdong.net>\r\n\
Date: Fri, 27 Jan 2023 08:00:12 +0700\r\n\
\r\n\
This message was created automatically by mail delivery software.\r\n\
\r\n\
A message that you sent could not be delivered to one or more of its\r\n\
recipients. This is a permanent error. The following address(es) failed:\r\n\
\r\n\
\x20 vanphong.locthang@lamdong.gov.vn\r\n\
\x20   host mx.lamdong.gov.vn [113.160.1.2]\r\n\
\x20   SMTP error from remote mail server after RCPT TO:<vanphong.locthang@lamdong.gov.vn>:\r\n\
\x20   550 5.1.1 <vanphong.locthang@lamdong.gov.vn>: Recipient address rejected: User unknown in virtual mailbox table\r\n\
\r\n\
------ This is a copy of the message, including all the headers. ------\r\n\
\r\n\
Return-path: <vanphong.huyenuy@lamdong.gov.vn>\r\n\
From: vanphong.huyenuy@lamdong.gov.vn\r\n\
To: vanphong.locthang@lamdong.gov.vn, dangUyLocThang@gmail.com\r\n\
Subject: Nhac gui bao cao\r\n\
Message-ID: <reminder.809.loc-thang.2@baocao.lamdong.gov.vn>\r\n\
\r\n\
Kinh gui.\r\n";

    #[test]
    fn exim_free_text_notice() {
        let b = detect(EXIM.as_bytes()).expect("a bounce");
        assert_eq!(b.failed.len(), 1, "{b:?}");
        assert_eq!(b.failed[0].0, "vanphong.locthang@lamdong.gov.vn");
        assert!(
            b.failed[0]
                .1
                .contains("550 5.1.1 <vanphong.locthang@lamdong.gov.vn>: Recipient address rejected: User unknown"),
            "{}",
            b.failed[0].1
        );
        assert!(b.delayed.is_empty());
    }

    /// Old Postfix or qmail forms without MIME: `<addr>:` then the reply.
    #[test]
    fn qmail_free_text_notice() {
        let raw = "From: MAILER-DAEMON@mail.lamdong.net\r\nTo: vanphong.huyenuy@lamdong.gov.vn\r\n\
Subject: failure notice\r\nDate: Fri, 27 Jan 2023 08:00:12 +0700\r\n\r\n\
Hi. This is the qmail-send program at mail.lamdong.net.\r\n\
I'm afraid I wasn't able to deliver your message to the following addresses.\r\n\
This is a permanent error; I've given up. Sorry it didn't work out.\r\n\r\n\
<chibo.thcs@lamdong.net>:\r\nSorry, no mailbox here by that name. (#5.1.1)\r\n\r\n\
--- Below this line is a copy of the message.\r\n";
        let b = detect(raw.as_bytes()).expect("a bounce");
        assert_eq!(
            b.failed,
            vec![(
                "chibo.thcs@lamdong.net".to_string(),
                "Sorry, no mailbox here by that name. (#5.1.1)".to_string()
            )]
        );
    }

    #[test]
    fn a_delay_warning_is_a_notice_that_marks_nothing() {
        let raw = POSTFIX
            .replace("Undelivered Mail Returned to Sender", "Delayed Mail (still being retried)")
            .replace("Action: failed", "Action: delayed")
            .replace("Status: 5.1.1", "Status: 4.4.1")
            .replace(
                "Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does\r\n    not exist.",
                "Diagnostic-Code: X-Postfix; connect to mx.locngai.vn[1.2.3.4]:25: Connection timed out",
            );
        let b = detect(raw.as_bytes()).expect("still a notice");
        assert!(b.failed.is_empty(), "{b:?}");
        assert_eq!(b.delayed.len(), 1);
        assert!(b.delayed[0].1.starts_with("4.4.1 connect to"), "{b:?}");
        // The free-text form of the same warning.
        let exim = "From: Mail Delivery System <Mailer-Daemon@host.lamdong.net>\r\n\
To: vanphong.huyenuy@lamdong.gov.vn\r\nSubject: Warning: message 1pLB3c-0007Qx-2U delayed 24 hours\r\n\
Auto-Submitted: auto-replied\r\nDate: Sat, 28 Jan 2023 08:00:12 +0700\r\n\r\n\
This message was created automatically by mail delivery software.\r\n\
A message that you sent has not yet been delivered to one or more of its\r\n\
recipients after more than 24 hours on the queue on host.lamdong.net.\r\n\r\n\
The address to which the message has not yet been delivered is:\r\n\r\n\
\x20 vanphong.locthang@lamdong.gov.vn\r\n\
\x20   host mx.lamdong.gov.vn [113.160.1.2]\r\n\
\x20   Delay reason: SMTP error from remote mail server after RCPT TO:<vanphong.locthang@lamdong.gov.vn>:\r\n\
\x20   451 4.3.0 Temporary lookup failure\r\n\r\n\
No action is required on your part. Delivery attempts will continue for\r\n\
some time, and this warning may be repeated at intervals if the message\r\n\
remains undelivered. Eventually the mail delivery software will give up,\r\n\
and when that happens, the message will be returned to you.\r\n";
        let b = detect(exim.as_bytes()).expect("still a notice");
        assert!(b.failed.is_empty(), "{b:?}");
        assert_eq!(b.delayed.len(), 1, "{b:?}");
        assert_eq!(b.delayed[0].0, "vanphong.locthang@lamdong.gov.vn");
    }

    #[test]
    fn unit_mail_and_read_receipts_are_not_bounces() {
        let report = "Received: from mail-sor-f41.google.com by mx.lamdong.gov.vn (Postfix); Fri, 27 Jan 2023 09:00:00 +0700\r\n\
From: Dang uy xa Loc An <dangUyLocAn@gmail.com>\r\nTo: vanphong.huyenuy@lamdong.gov.vn\r\n\
Subject: Bao cao 132 - returned mail? khong, gui lai bao cao\r\nMessage-ID: <x1@mail.gmail.com>\r\n\
Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nKính gửi, đơn vị gửi báo cáo; thư trước could not be delivered.\r\n\
--b\r\nContent-Type: application/octet-stream; name=\"BC 132.docx\"\r\n\r\nxx\r\n--b--\r\n";
        assert_eq!(detect(report.as_bytes()), None);
        let mdn = "From: dangUyLocAn@gmail.com\r\nTo: vanphong.huyenuy@lamdong.gov.vn\r\nSubject: Read: Nhac gui bao cao\r\n\
Content-Type: multipart/report; report-type=disposition-notification; boundary=\"m\"\r\n\r\n\
--m\r\nContent-Type: text/plain\r\n\r\nYour message was read.\r\n\
--m\r\nContent-Type: message/disposition-notification\r\n\r\nFinal-Recipient: rfc822; dangUyLocAn@gmail.com\r\nDisposition: manual-action/MDN-sent-manually; displayed\r\n\r\n--m--\r\n";
        assert_eq!(detect(mdn.as_bytes()), None);
        assert_eq!(detect(b"not mail at all"), None);
    }
}
