//! Vietnamese text helpers shared by every stage: NFC normalisation and the folded form used
//! for diacritics- and case-insensitive matching ("DU xa Loc Thanh" ~ "Đảng ủy xã Lộc Thành").
//!
//! Folding keeps a map back to the original characters so a match can be checked against the
//! original spelling: when the text itself carries diacritics they must agree, which keeps
//! "Lộc Thanh" (another commune) from matching "Lộc Thành".

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// NFC-normalises text (mail-parser and cp1258 decoding leave combining marks).
pub fn nfc(s: &str) -> String {
    // Most text (Word, UTF-8 mail) is already NFC. Vietnamese in decomposed form uses the
    // combining marks U+0300–U+036F, whose UTF-8 lead bytes are 0xCC and 0xCD: a byte search
    // (memchr, many bytes at a time) rules them out far faster than a normalisation check.
    if memchr::memchr2(0xCC, 0xCD, s.as_bytes()).is_none()
        || unicode_normalization::is_nfc_quick(s.chars())
            == unicode_normalization::IsNormalized::Yes
    {
        return s.to_string();
    }
    s.nfc().collect()
}

/// `char::is_alphabetic` with the Latin ranges Vietnamese uses answered without the Unicode
/// table lookup (that lookup was 5–9 % of an ingest).
pub fn is_letter(c: char) -> bool {
    match c as u32 {
        0..=0x7F => c.is_ascii_alphabetic(),
        0xD7 | 0xF7 => false,
        0xC0..=0x24F | 0x1E00..=0x1EFF => true,
        _ => c.is_alphabetic(),
    }
}

/// True for a letter or digit; Vietnamese letters are answered from the fold table.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    let u = c as u32;
    if ((0xC0..=0x24F).contains(&u) || (0x1E00..=0x1EFF).contains(&u))
        && FOLD_TABLE[fold_index(u)] != 0
    {
        return true;
    }
    c.is_alphanumeric()
}

/// Folds one character into `out`: lowercase, tone and vowel marks removed, `đ` → `d`.
fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    let u = c as u32;
    // Vietnamese letters live in these ranges: a table built once answers them without the
    // per-character decomposition that dominated ingest profiles.
    if (0xC0..=0x24F).contains(&u) || (0x1E00..=0x1EFF).contains(&u) {
        let t = &FOLD_TABLE[fold_index(u)];
        if *t != 0 {
            out.push(*t as char);
            return;
        }
    }
    slow_fold_char(c, out);
}

fn slow_fold_char(c: char, out: &mut String) {
    match c {
        'đ' | 'Đ' => out.push('d'),
        _ => {
            for d in c.to_lowercase().flat_map(|l| l.nfd()) {
                if !is_combining_mark(d) {
                    out.push(d);
                }
            }
        }
    }
}

fn fold_index(u: u32) -> usize {
    if u <= 0x24F {
        (u - 0xC0) as usize
    } else {
        (0x24F - 0xC0 + 1) as usize + (u - 0x1E00) as usize
    }
}

/// Folded ASCII letter for each code point of U+00C0–U+024F and U+1E00–U+1EFF whose fold is a
/// single ASCII letter (0 otherwise).
static FOLD_TABLE: std::sync::LazyLock<Vec<u8>> = std::sync::LazyLock::new(|| {
    let mut t = vec![0u8; (0x24F - 0xC0 + 1) + (0x1EFF - 0x1E00 + 1)];
    for u in (0xC0..=0x24Fu32).chain(0x1E00..=0x1EFF) {
        if let Some(c) = char::from_u32(u) {
            let mut s = String::new();
            slow_fold_char(c, &mut s);
            if s.len() == 1 && s.as_bytes()[0].is_ascii_alphabetic() && c.is_alphabetic() {
                t[fold_index(u)] = s.as_bytes()[0];
            }
        }
    }
    t
});

/// A combining mark (U+0300 …): answered without the mark table for everything below U+0300
/// and for the precomposed Vietnamese letters, which is nearly every character of a report.
pub fn is_mark(c: char) -> bool {
    let u = c as u32;
    u >= 0x300 && !(0x1E00..=0x1EFF).contains(&u) && is_combining_mark(c)
}

/// The Vietnamese letter encoded at the start of `b` (UTF-8, not ASCII), folded as [`fold`]
/// folds it, and its length in bytes: answered from the lead bytes and the fold table without
/// decoding a `char`. None for anything else (a mark, another script, a letter whose fold is
/// not one ASCII letter): the caller takes the general path.
#[inline]
pub fn fold_vn_letter(b: &[u8]) -> Option<(u8, usize)> {
    let (u, len) = match *b {
        // U+00C0–U+024F: lead bytes C3–C9 (C9 also starts U+0250–U+027F, excluded below).
        [b0 @ 0xC3..=0xC9, b1, ..] => ((u32::from(b0 & 0x1F) << 6) | u32::from(b1 & 0x3F), 2),
        // U+1E00–U+1EFF (Latin Extended Additional: the letters with two marks).
        [0xE1, b1 @ 0xB8..=0xBB, b2, ..] => (
            0x1000 | (u32::from(b1 & 0x3F) << 6) | u32::from(b2 & 0x3F),
            3,
        ),
        _ => return None,
    };
    if !(0xC0..=0x24F).contains(&u) && !(0x1E00..=0x1EFF).contains(&u) {
        return None;
    }
    // 0xD7 and 0xF7 (× and ÷) fold to nothing: the table holds 0 for them.
    match FOLD_TABLE.get(fold_index(u)) {
        Some(&t) if t != 0 => Some((t, len)),
        _ => None,
    }
}

/// Folds one letter as [`fold`] does, handing each byte of its folded form to `f`: a caller
/// that matches words byte by byte folds without a buffer.
#[inline]
pub fn fold_char_bytes(c: char, mut f: impl FnMut(u8)) {
    if c.is_ascii() {
        f(c.to_ascii_lowercase() as u8);
        return;
    }
    let u = c as u32;
    if (0xC0..=0x24F).contains(&u) || (0x1E00..=0x1EFF).contains(&u) {
        let t = FOLD_TABLE[fold_index(u)];
        if t != 0 {
            f(t);
            return;
        }
    }
    let mut s = String::new();
    slow_fold_char(c, &mut s);
    s.bytes().for_each(f);
}

/// The folded form of `s`: lowercase, no diacritics, every run of characters that are not
/// letters or digits collapsed to one space, letters and digits split apart, trimmed.
/// "Số 809 -CV/HU" → "so 809 cv hu"; "Bieu1" → "bieu 1".
pub fn fold(s: &str) -> String {
    fold_into(s, None)
}

/// The folding loop shared by [`fold`] and [`Folded::new`]; with `origin`, records for each
/// folded byte the index of the character it came from.
fn fold_into(s: &str, mut origin: Option<&mut Vec<usize>>) -> String {
    let mut text = String::with_capacity(s.len());
    let mut pending_space = false;
    let mut prev_digit: Option<bool> = None;
    for (i, c) in s.chars().enumerate() {
        if is_word_char(c) {
            let digit = c.is_ascii_digit();
            // "QD132" and "Bieu1" are written without spaces; split them so they match
            // "QĐ 132" and "Biểu 1".
            if prev_digit.is_some_and(|p| p != digit) {
                pending_space = true;
            }
            prev_digit = Some(digit);
            if pending_space && !text.is_empty() {
                text.push(' ');
                if let Some(o) = origin.as_deref_mut() {
                    o.push(i);
                }
            }
            pending_space = false;
            let before = text.len();
            fold_char(c, &mut text);
            if let Some(o) = origin.as_deref_mut() {
                o.extend(std::iter::repeat_n(i, text.len() - before));
            }
        } else if !is_combining_mark(c) {
            pending_space = true;
            prev_digit = None;
        }
    }
    text
}

/// A folded text with, for each folded byte, the index of the original character it came from.
#[derive(Debug, Clone)]
pub struct Folded {
    /// The folded text (see [`fold`]).
    pub text: String,
    origin: Vec<usize>,
    chars: Vec<char>,
}

impl Folded {
    /// Folds `s` and records where each folded byte came from.
    pub fn new(s: &str) -> Self {
        // No NFC pass: folding drops combining marks anyway, and `original` spans are
        // compared through `same_with_marks`, which normalises.
        let chars: Vec<char> = s.chars().collect();
        let mut origin = Vec::with_capacity(s.len());
        let text = fold_into(s, Some(&mut origin));
        Folded {
            text,
            origin,
            chars,
        }
    }

    /// The original characters behind folded bytes `start..end`.
    pub fn original(&self, start: usize, end: usize) -> String {
        if start >= end || end > self.origin.len() {
            return String::new();
        }
        let a = self.origin[start];
        let b = self.origin[end - 1];
        self.chars[a..=b].iter().collect()
    }

    /// Every byte offset where `needle` (already folded) occurs on word boundaries.
    pub fn find_words(&self, needle: &str) -> Vec<usize> {
        find_words(&self.text, needle)
    }
}

/// Byte offsets where the folded `needle` occurs in the folded `hay` as whole words.
pub fn find_words(hay: &str, needle: &str) -> Vec<usize> {
    let mut found = Vec::new();
    if needle.is_empty() {
        return found;
    }
    let bytes = hay.as_bytes();
    let mut from = 0;
    while let Some(pos) = hay[from..].find(needle) {
        let start = from + pos;
        let end = start + needle.len();
        let left_ok = start == 0 || bytes[start - 1] == b' ';
        let right_ok = end == bytes.len() || bytes[end] == b' ';
        if left_ok && right_ok {
            found.push(start);
        }
        from = start + 1;
        while !hay.is_char_boundary(from) {
            from += 1;
        }
    }
    found
}

/// True when `s` has any letter carrying a Vietnamese diacritic (or đ).
pub fn has_diacritics(s: &str) -> bool {
    s.nfd()
        .any(|c| is_combining_mark(c) || c == 'đ' || c == 'Đ')
}

/// Case-insensitive comparison that keeps diacritics, after NFC and with punctuation folded
/// to single spaces: "Lộc  Thành" equals "lộc thành", not "Lộc Thanh".
pub fn same_with_marks(a: &str, b: &str) -> bool {
    marks_key(a) == marks_key(b)
}

fn marks_key(s: &str) -> String {
    let mut out = String::new();
    let mut space = false;
    for c in s.nfc() {
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        } else {
            space = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_letter_agrees_with_the_standard_library() {
        for c in (0u32..0x3000).filter_map(char::from_u32) {
            assert_eq!(is_letter(c), c.is_alphabetic(), "{c:?}");
        }
    }

    #[test]
    fn the_byte_fold_agrees_with_the_char_fold_wherever_it_answers() {
        let mut answered = 0;
        for c in (0x80u32..0x3000).filter_map(char::from_u32) {
            let mut buf = [0u8; 4];
            let mut bytes = c.encode_utf8(&mut buf).as_bytes().to_vec();
            bytes.extend_from_slice(b"x");
            if let Some((f, len)) = fold_vn_letter(&bytes) {
                answered += 1;
                assert_eq!(len, c.len_utf8(), "{c:?}");
                assert!(is_letter(c), "{c:?}");
                let mut want = Vec::new();
                fold_char_bytes(c, |b| want.push(b));
                assert_eq!(want, vec![f], "{c:?}");
            }
        }
        // Every Vietnamese letter is answered: 67 vowels with marks in each case and đ/Đ.
        for c in "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
            .chars()
            .flat_map(|c| [c, c.to_uppercase().next().unwrap_or(c)])
        {
            let mut buf = [0u8; 4];
            assert!(
                fold_vn_letter(c.encode_utf8(&mut buf).as_bytes()).is_some(),
                "{c:?}"
            );
        }
        assert!(answered > 300, "{answered}");
        assert_eq!(fold_vn_letter("×".as_bytes()), None);
        assert_eq!(fold_vn_letter("ɐ".as_bytes()), None);
        assert_eq!(fold_vn_letter("a".as_bytes()), None);
    }

    #[test]
    fn folds_vietnamese() {
        assert_eq!(fold("Đảng ủy xã Lộc Thành"), "dang uy xa loc thanh");
        assert_eq!(fold("Số 809 -CV/HU"), "so 809 cv hu");
        assert_eq!(fold("  B’Lá  "), "b la");
        assert_eq!(fold("Biểu số 2,3,4"), "bieu so 2 3 4");
        assert_eq!(fold("QD132 Bieu1"), "qd 132 bieu 1");
    }

    #[test]
    fn table_fold_matches_slow_fold() {
        for u in (0xC0..=0x24Fu32).chain(0x1E00..=0x1EFF) {
            if let Some(c) = char::from_u32(u) {
                let (mut a, mut b) = (String::new(), String::new());
                fold_char(c, &mut a);
                slow_fold_char(c, &mut b);
                assert_eq!(a, b, "U+{u:04X}");
            }
        }
        assert_eq!(
            fold("Đảng ủy xã Lộc Thành"),
            Folded::new("Đảng ủy xã Lộc Thành").text
        );
    }

    #[test]
    fn folds_decomposed_input() {
        // cp1258 mail bodies decode to combining marks.
        assert_eq!(fold("ke\u{302}\u{301}t qua\u{309}"), "ket qua");
        assert_eq!(nfc("ke\u{302}\u{301}t"), "kết");
    }

    #[test]
    fn finds_whole_words_only() {
        let f = Folded::new("DU xa Loc Thanh gui bao cao");
        assert_eq!(f.find_words("loc thanh"), vec![6]);
        assert!(f.find_words("loc than").is_empty());
        assert_eq!(f.original(6, 6 + "loc thanh".len()), "Loc Thanh");
    }

    #[test]
    fn original_span_keeps_marks() {
        let f = Folded::new("Đảng ủy xã Lộc Thành");
        let pos = f.find_words("loc thanh")[0];
        assert_eq!(f.original(pos, pos + 9), "Lộc Thành");
    }

    #[test]
    fn marks_comparison() {
        assert!(same_with_marks("Lộc  Thành", "lộc thành"));
        assert!(!same_with_marks("Lộc Thanh", "Lộc Thành"));
        assert!(has_diacritics("Lộc Thanh"));
        assert!(!has_diacritics("Loc Thanh"));
    }
}
