//! File names as mailers and zippers really write them, where mail-parser 0.11 and the zip
//! crate get them wrong:
//!
//! - RFC 2231 continuations (`filename*0*=UTF-8''…; filename*1*=…`, written by Thunderbird and
//!   mutt): mail-parser decodes each segment on its own, so a UTF-8 character split between
//!   two segments becomes U+FFFD, and segments after the first are read as UTF-8 whatever the
//!   declared charset. The segments' bytes are joined first, then decoded once.
//! - RFC 2047 encoded words inside a quoted name: a character split between two words, and
//!   the white space between adjacent words, which is not part of the text (§6.2).
//! - Zip member names: UTF-8 when the archive says so (general purpose bit 11) or when the
//!   bytes are valid UTF-8; otherwise the name is in the zipper's OEM code page, which on a
//!   Vietnamese Windows is code page 1258, and CP437 elsewhere.

use mail_parser::decoders::charsets::map::charset_decoder;

use crate::vntext::nfc;

/// Decodes the bytes of a name in `charset` (UTF-8 and every table mail-parser knows).
/// `None` when the charset is unknown or UTF-8 bytes are invalid, so the caller keeps what
/// mail-parser made of it.
fn decode_charset(bytes: &[u8], charset: &str) -> Option<String> {
    let cs = charset.trim().trim_matches('"').to_ascii_lowercase();
    if cs.is_empty() || cs == "utf-8" || cs == "utf8" || cs == "us-ascii" {
        return String::from_utf8(bytes.to_vec()).ok();
    }
    let decoder = charset_decoder(cs.as_bytes())?;
    Some(decoder(bytes))
}

/// Percent-decodes an RFC 2231 extended value; `None` on a malformed escape.
fn percent_decode(s: &str, out: &mut Vec<u8>) -> Option<()> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(())
}

/// Decodes a text made of RFC 2047 encoded words in any charset mail-parser knows: the bytes
/// of adjacent words in the same charset are joined before decoding (a character may be split
/// between them) and the white space between two encoded words is dropped (RFC 2047 §6.2).
/// `None` when a word is malformed or its charset unknown.
pub(crate) fn decode_encoded_words(raw: &str) -> Option<String> {
    use base64::Engine as _;
    let b64 = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    );
    let mut out = String::new();
    // Bytes of the run of encoded words being joined, and their charset.
    let mut run: Vec<u8> = Vec::new();
    let mut run_charset = String::new();
    let mut rest = raw.trim();
    let mut gap = "";
    let mut seen_word = false;
    while let Some(start) = rest.find("=?") {
        let plain = &rest[..start];
        let between_words = seen_word && plain.chars().all(char::is_whitespace);
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
        if !between_words || charset != run_charset {
            if !run.is_empty() {
                out.push_str(&decode_charset(&run, &run_charset)?);
                run.clear();
            }
            if !between_words {
                out.push_str(gap);
                out.push_str(plain);
            }
        }
        run_charset = charset;
        if enc.eq_ignore_ascii_case("b") {
            run.extend(b64.decode(text.trim()).ok()?);
        } else if enc.eq_ignore_ascii_case("q") {
            let b = text.as_bytes();
            let mut i = 0;
            while i < b.len() {
                match b[i] {
                    b'_' => run.push(b' '),
                    b'=' => {
                        let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
                        run.push(u8::from_str_radix(hex, 16).ok()?);
                        i += 2;
                    }
                    c => run.push(c),
                }
                i += 1;
            }
        } else {
            return None;
        }
        seen_word = true;
        rest = &tail[end + 2..];
        let trimmed = rest.trim_start();
        gap = &rest[..rest.len() - trimmed.len()];
        rest = trimmed;
    }
    if !run.is_empty() {
        out.push_str(&decode_charset(&run, &run_charset)?);
    }
    out.push_str(gap);
    out.push_str(rest);
    Some(out)
}

/// Removes header folding (CRLF followed by white space) from a raw header value.
fn unfold(raw: &str) -> String {
    let mut s = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' || c == '\n' {
            // A fold's line break goes; the white space after it stays as one separator.
            while chars.peek().is_some_and(|n| *n == '\r' || *n == '\n') {
                chars.next();
            }
            continue;
        }
        s.push(c);
    }
    s
}

/// Splits a header value's parameters (`; name=value`), honouring quoted strings. Returns
/// (lowercase name, value without quotes).
fn parameters(value: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut escaped = false;
    for c in value.chars() {
        if escaped {
            cur.push(c);
            escaped = false;
            continue;
        }
        match c {
            '\\' if quoted => escaped = true,
            '"' => {
                quoted = !quoted;
                cur.push(c);
            }
            ';' if !quoted => fields.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    fields.push(cur);
    // The first field is the type (attachment, application/pdf), not a parameter.
    for f in fields.into_iter().skip(1) {
        let Some((name, value)) = f.split_once('=') else {
            continue;
        };
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        out.push((name.trim().to_ascii_lowercase(), value.to_string()));
    }
    out
}

/// The value of parameter `param` (`filename`, `name`) in a raw header value, decoded the way
/// RFC 2231 and RFC 2047 say: continuations joined as bytes before decoding, encoded words
/// joined, white space between them dropped. `None` when the parameter is absent, plain
/// (mail-parser reads those right), or cannot be decoded.
pub(crate) fn decode_parameter(raw_value: &str, param: &str) -> Option<String> {
    let params = parameters(&unfold(raw_value));
    // RFC 2231: `name*` (one extended value) or `name*0`, `name*0*`, `name*1*` … segments.
    let mut segments: Vec<(u32, bool, &str)> = Vec::new();
    let mut plain = None;
    for (name, value) in &params {
        let Some(rest) = name.strip_prefix(param) else {
            continue;
        };
        if rest.is_empty() {
            plain = Some(value.as_str());
        } else if rest == "*" {
            segments.push((0, true, value));
        } else if let Some(n) = rest.strip_prefix('*') {
            let (n, encoded) = match n.strip_suffix('*') {
                Some(n) => (n, true),
                None => (n, false),
            };
            if let Ok(n) = n.parse::<u32>() {
                segments.push((n, encoded, value));
            }
        }
    }
    if !segments.is_empty() {
        segments.sort_by_key(|s| s.0);
        segments.dedup_by_key(|s| s.0);
        let mut charset = String::new();
        let mut bytes = Vec::new();
        for (i, (_, encoded, value)) in segments.iter().enumerate() {
            if !encoded {
                bytes.extend_from_slice(value.as_bytes());
                continue;
            }
            let mut text = *value;
            // Only the first segment carries charset'language'.
            if i == 0 {
                let mut parts = text.splitn(3, '\'');
                if let (Some(cs), Some(_lang), Some(t)) = (parts.next(), parts.next(), parts.next())
                {
                    charset = cs.to_string();
                    text = t;
                }
            }
            percent_decode(text, &mut bytes)?;
        }
        return decode_charset(&bytes, &charset)
            .map(|s| nfc(s.trim()))
            .filter(|s| !s.is_empty() && !s.contains('\u{FFFD}'));
    }
    let plain = plain?;
    if !plain.contains("=?") {
        return None;
    }
    decode_encoded_words(plain)
        .map(|s| nfc(s.trim()))
        .filter(|s| !s.is_empty() && !s.contains('\u{FFFD}'))
}

/// Vietnamese letters with their marks (lower case; upper case is checked by lowering).
const VIETNAMESE: &str = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ";

/// CP437's upper half (0x80–0xFF), the zip format's default code page.
const CP437_HIGH: &str = "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐\
└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{a0}";

/// A zip member's name from its raw bytes. UTF-8 when the archive's UTF-8 flag (general
/// purpose bit 11) is set or the bytes are valid UTF-8 (many Windows tools write UTF-8 without
/// the flag); otherwise code page 1258 when that reads as Vietnamese (what Windows' own
/// "compressed folder" and 7-Zip write on a Vietnamese Windows, whose OEM code page it is),
/// else CP437 as the zip specification says.
pub fn zip_member_name(raw: &[u8], utf8_flag: bool) -> String {
    if let Ok(s) = std::str::from_utf8(raw) {
        return nfc(s);
    }
    if utf8_flag {
        return nfc(&String::from_utf8_lossy(raw));
    }
    if let Some(s) = decode_charset(raw, "windows-1258") {
        let s = nfc(&s);
        let vietnamese = s.chars().all(|c| {
            (c.is_ascii() && !c.is_ascii_control())
                || c.to_lowercase().all(|l| VIETNAMESE.contains(l))
        });
        if vietnamese {
            return s;
        }
    }
    let high: Vec<char> = CP437_HIGH.chars().collect();
    raw.iter()
        .map(|&b| {
            if b < 0x80 {
                b as char
            } else {
                high.get(usize::from(b - 0x80))
                    .copied()
                    .unwrap_or('\u{FFFD}')
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cp437_table_is_complete() {
        assert_eq!(CP437_HIGH.chars().count(), 128);
    }

    #[test]
    fn continuation_with_a_character_split_between_segments() {
        // "Lộc" is L E1 BB 99 c: the first segment ends after E1 BB (Thunderbird cuts there).
        let raw = "attachment;\r\n filename*0*=UTF-8''B%C3%A1o%20c%C3%A1o%20L%E1%BB;\r\n \
                   filename*1*=%99c%20B%E1%BA%A3o.pdf";
        assert_eq!(
            decode_parameter(raw, "filename").as_deref(),
            Some("Báo cáo Lộc Bảo.pdf")
        );
        // Segments given out of order, one of them not encoded.
        let raw = "attachment; filename*1=\" ke hoach.docx\"; filename*0*=utf-8'vi'K%E1%BA%BF";
        assert_eq!(
            decode_parameter(raw, "filename").as_deref(),
            Some("Kế ke hoach.docx")
        );
        // windows-1258 in every segment, with a combining dot below (F2) after ô (F4).
        let raw =
            "attachment; filename*0*=windows-1258''B%E1o%20c%E1o; filename*1*=%20L%F4%F2c.pdf";
        assert_eq!(
            decode_parameter(raw, "filename").as_deref(),
            Some("Báo cáo Lộc.pdf")
        );
        // The name parameter of Content-Type, and plain names left to mail-parser.
        assert_eq!(
            decode_parameter("application/pdf; name*=UTF-8''L%E1%BB%99c.pdf", "name").as_deref(),
            Some("Lộc.pdf")
        );
        assert_eq!(
            decode_parameter("attachment; filename=\"a b.pdf\"", "filename"),
            None
        );
        assert_eq!(decode_parameter("attachment", "filename"), None);
    }

    #[test]
    fn encoded_words_in_a_name() {
        // Whitespace between adjacent words goes; the split character is joined.
        let raw = "attachment; filename=\"=?UTF-8?Q?L=E1=BB?= =?UTF-8?Q?=99c_B=E1=BA=A3o.pdf?=\"";
        assert_eq!(
            decode_parameter(raw, "filename").as_deref(),
            Some("Lộc Bảo.pdf")
        );
        let raw = "attachment; filename=\"=?UTF-8?B?TA==?=\r\n =?UTF-8?B?4buZYyBC4bqjbw==?=.pdf\"";
        assert_eq!(
            decode_parameter(raw, "filename").as_deref(),
            Some("Lộc Bảo.pdf")
        );
        // Text around the words stays, with its spaces.
        assert_eq!(
            decode_encoded_words("Re: =?utf-8?Q?B=C3=A1o?= =?utf-8?Q?_c=C3=A1o?= 132").as_deref(),
            Some("Re: Báo cáo 132")
        );
        // Two charsets side by side are decoded each in its own.
        assert_eq!(
            decode_encoded_words("=?windows-1258?Q?B=E1o?= =?utf-8?Q?_c=C3=A1o?=").as_deref(),
            Some("Báo cáo")
        );
        assert_eq!(decode_encoded_words("=?x-unknown?Q?abc?="), None);
    }

    #[test]
    fn zip_names_by_flag_and_code_page() {
        assert_eq!(
            zip_member_name("Báo cáo.docx".as_bytes(), false),
            "Báo cáo.docx"
        );
        assert_eq!(
            zip_member_name("Báo cáo.docx".as_bytes(), true),
            "Báo cáo.docx"
        );
        // A Vietnamese Windows zipper: code page 1258 writes "Biểu 1 Lộc.xlsx" with base
        // letters and combining marks (ể = ê EA + hook above D2; ộ = ô F4 + dot below F2).
        let cp1258 = b"Bi\xEA\xD2u 1 L\xF4\xF2c.xlsx";
        assert_eq!(zip_member_name(cp1258, false), "Biểu 1 Lộc.xlsx");
        let precomposed = b"B\xE1o c\xE1o.docx";
        assert_eq!(zip_member_name(precomposed, false), "Báo cáo.docx");
        // CP437 (a German zipper): "Müller.txt" is 4D 81 6C 6C 65 72.
        assert_eq!(zip_member_name(b"M\x81ller.txt", false), "Müller.txt");
        // The flag set on bytes that are not UTF-8: shown as they are, marked.
        assert!(zip_member_name(b"B\xE1o.docx", true).contains('\u{FFFD}'));
    }
}
