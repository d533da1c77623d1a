//! Legacy 8-bit Vietnamese encodings (TCVN3 "ABC" and VNI-Windows) to NFC Unicode.
//!
//! Old Word files from district and commune offices were typed in fonts such as `.VnTime`
//! (TCVN3) or `VNI-Times` (VNI). Word keeps their text as the Windows-1252 reading of the font's
//! bytes, so "Đảng" arrives as `§¶ng` (TCVN3) or `Ñaûng` (VNI). This module maps those code
//! points back to real Vietnamese letters:
//!
//! * TCVN3 is one code point per letter. It has no capitals with tone marks, so typists switch
//!   headings to an "H" font (`.VnTimeH`) that draws the lowercase codes as capitals: such runs
//!   are converted and then uppercased. 0x80–0x9F stay Windows-1252 (smart quotes, dashes).
//! * VNI stores a base letter followed by a tone code point (different for lower and upper
//!   case); ơ ư đ and the i-forms are single code points. Marks are emitted as combining
//!   characters and the result is NFC-normalised.
//!
//! When no font name is known, [`detect`] scores the text as-is and both conversions by how many
//! tokens are valid Vietnamese syllables. [`repair_lost_u_horn`] restores the TCVN3 "ư" (0xAD,
//! the soft hyphen) that text extractors often drop.

use unicode_normalization::UnicodeNormalization;

/// Which legacy encoding a text or font uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legacy {
    /// TCVN 5712 VN3 ("ABC"): one byte per letter; fonts `.VnTime`, `.VnArial`, `.VnTimeH`…
    Tcvn3,
    /// VNI-Windows: base letter plus a tone byte; fonts `VNI-Times`, `VNI-Helve`…
    Vni,
}

/// The legacy encoding implied by a font name, and whether it is a capitals-only ("H") font.
///
/// `.VnTime` → `Some((Tcvn3, false))`; `.VnTimeH`, `.VnArialH`, `.VnCentury SchoolbookH` →
/// `Some((Tcvn3, true))`; `VnTime` / `VNTIME` (no dot) → TCVN3 too; `VNI-Times` / `VNI-Helve` →
/// `Some((Vni, false))`; `Times New Roman` → `None`.
pub fn font_encoding(font: &str) -> Option<(Legacy, bool)> {
    let name = font.trim();
    let lower = name.to_ascii_lowercase();
    let capitals = name.ends_with('H');
    if let Some(rest) = lower.strip_prefix('.') {
        return rest.starts_with("vn").then_some((Legacy::Tcvn3, capitals));
    }
    if let Some(rest) = lower.strip_prefix("vni")
        && (rest.is_empty() || rest.starts_with(['-', '_', ' ']))
    {
        return Some((Legacy::Vni, false));
    }
    let rest = lower.strip_prefix("vn")?;
    rest.starts_with(|c: char| c.is_ascii_alphabetic())
        .then_some((Legacy::Tcvn3, capitals))
}

/// Windows-1252 for 0x80–0x9F (undefined slots keep their C1 code point).
const CP1252_C1: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
];

/// Normalises one stored code point to the "byte" reading: U+F0xx (symbol-font private use)
/// loses its 0xF000, and C1 controls 0x80–0x9F become their Windows-1252 characters.
fn legacy_unit(c: char) -> char {
    let mut u = c as u32;
    if (0xF000..=0xF0FF).contains(&u) {
        u -= 0xF000;
    }
    if (0x80..=0x9F).contains(&u) {
        return CP1252_C1.get((u - 0x80) as usize).copied().unwrap_or(c);
    }
    char::from_u32(u).unwrap_or(c)
}

/// TCVN3 lowercase letters, one row per vowel: bytes for grave, hook, tilde, acute, dot.
const TCVN3_ROWS: [([u8; 5], [char; 5]); 12] = [
    ([0xB5, 0xB6, 0xB7, 0xB8, 0xB9], ['à', 'ả', 'ã', 'á', 'ạ']),
    ([0xBB, 0xBC, 0xBD, 0xBE, 0xC6], ['ằ', 'ẳ', 'ẵ', 'ắ', 'ặ']),
    ([0xC7, 0xC8, 0xC9, 0xCA, 0xCB], ['ầ', 'ẩ', 'ẫ', 'ấ', 'ậ']),
    ([0xCC, 0xCE, 0xCF, 0xD0, 0xD1], ['è', 'ẻ', 'ẽ', 'é', 'ẹ']),
    ([0xD2, 0xD3, 0xD4, 0xD5, 0xD6], ['ề', 'ể', 'ễ', 'ế', 'ệ']),
    ([0xD7, 0xD8, 0xDC, 0xDD, 0xDE], ['ì', 'ỉ', 'ĩ', 'í', 'ị']),
    ([0xDF, 0xE1, 0xE2, 0xE3, 0xE4], ['ò', 'ỏ', 'õ', 'ó', 'ọ']),
    ([0xE5, 0xE6, 0xE7, 0xE8, 0xE9], ['ồ', 'ổ', 'ỗ', 'ố', 'ộ']),
    ([0xEA, 0xEB, 0xEC, 0xED, 0xEE], ['ờ', 'ở', 'ỡ', 'ớ', 'ợ']),
    ([0xEF, 0xF1, 0xF2, 0xF3, 0xF4], ['ù', 'ủ', 'ũ', 'ú', 'ụ']),
    ([0xF5, 0xF6, 0xF7, 0xF8, 0xF9], ['ừ', 'ử', 'ữ', 'ứ', 'ự']),
    ([0xFA, 0xFB, 0xFC, 0xFD, 0xFE], ['ỳ', 'ỷ', 'ỹ', 'ý', 'ỵ']),
];

/// TCVN3 letters without tone: ă â ê ô ơ ư đ (0xA8–0xAE) and the only capitals (0xA1–0xA7).
const TCVN3_SINGLES: [([u8; 7], [char; 7]); 2] = [
    (
        [0xA8, 0xA9, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE],
        ['ă', 'â', 'ê', 'ô', 'ơ', 'ư', 'đ'],
    ),
    (
        [0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7],
        ['Ă', 'Â', 'Ê', 'Ô', 'Ơ', 'Ư', 'Đ'],
    ),
];

/// Decoding table for 0xA0–0xFF; slots with no letter in ABC fonts keep their Latin-1 reading.
const TCVN3_HIGH: [char; 96] = build_tcvn3_high();

const fn build_tcvn3_high() -> [char; 96] {
    let mut table = ['\0'; 96];
    let mut i = 0;
    while i < 96 {
        table[i] = (0xA0 + i as u8) as char;
        i += 1;
    }
    let mut r = 0;
    while r < TCVN3_ROWS.len() {
        table = put(table, &TCVN3_ROWS[r].0, &TCVN3_ROWS[r].1);
        r += 1;
    }
    table = put(table, &TCVN3_SINGLES[0].0, &TCVN3_SINGLES[0].1);
    put(table, &TCVN3_SINGLES[1].0, &TCVN3_SINGLES[1].1)
}

/// Stores `letters` at `bytes` (all in 0xA0–0xFF) in the 0xA0-based table.
const fn put(mut table: [char; 96], bytes: &[u8], letters: &[char]) -> [char; 96] {
    let mut k = 0;
    while k < bytes.len() && k < letters.len() {
        table[(bytes[k] - 0xA0) as usize] = letters[k];
        k += 1;
    }
    table
}

/// NFC-normalises, uppercasing first for H-font runs.
fn finish(text: &str, capitals: bool) -> String {
    if capitals {
        text.to_uppercase().nfc().collect()
    } else {
        text.nfc().collect()
    }
}

/// Converts text that Word stored in a TCVN3 font (code points U+0000–U+00FF equal to the
/// bytes; also U+F000–U+F0FF private-use forms from symbol fonts, 0xF000 subtracted first) to
/// NFC Unicode.
///
/// `capitals` = the run used an H font: the result is uppercased. 0x80–0x9F stay as
/// Windows-1252 (smart quotes, dashes); bytes with no ABC letter keep their Latin-1 reading.
pub fn tcvn3_to_unicode(text: &str, capitals: bool) -> String {
    let mapped: String = text
        .chars()
        .map(|c| {
            let c = legacy_unit(c);
            let u = c as u32;
            if (0xA0..=0xFF).contains(&u) {
                TCVN3_HIGH.get((u - 0xA0) as usize).copied().unwrap_or(c)
            } else {
                c
            }
        })
        .collect();
    finish(&mapped, capitals)
}

/// Combining tone marks: acute, grave, hook, tilde, dot below.
const TONE_MARKS: [char; 5] = ['\u{301}', '\u{300}', '\u{309}', '\u{303}', '\u{323}'];

/// Vowel shape added by a VNI mark code point.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Plain,
    Circumflex,
    Breve,
}

/// VNI mark code points (lowercase forms; uppercase = these − 0x20) by shape; columns: no
/// tone, then the tones of [`TONE_MARKS`]; 0 = no such mark.
const VNI_MARKS: [(Shape, [u8; 6]); 3] = [
    (Shape::Plain, [0, 0xF9, 0xF8, 0xFB, 0xF5, 0xEF]),
    (Shape::Circumflex, [0xE2, 0xE1, 0xE0, 0xE5, 0xE3, 0xE4]),
    (Shape::Breve, [0xEA, 0xE9, 0xE8, 0xFA, 0xFC, 0xEB]),
];

/// The shape and tone a VNI mark code point adds, if `c` is one (either case).
fn vni_mark(c: char) -> Option<(Shape, Option<char>)> {
    let u = c as u32;
    let low = match u {
        0xC0..=0xDF => u + 0x20,
        0xE0..=0xFF => u,
        _ => return None,
    };
    VNI_MARKS.iter().find_map(|&(shape, bytes)| {
        let col = bytes.iter().position(|&b| b != 0 && u32::from(b) == low)?;
        Some((
            shape,
            col.checked_sub(1).and_then(|t| TONE_MARKS.get(t).copied()),
        ))
    })
}

/// VNI letters stored as one code point: đ, ơ, ư, the i-forms and ỵ (í ì Í Ì are already
/// their Latin-1 selves).
const VNI_SINGLES: (&str, &str) = ("ñÑôÔöÖæÆóÓòÒîÎ", "đĐơƠưƯỉỈĩĨịỊỵỴ");

/// The letter a VNI single code point stands for (`c` itself if none).
fn vni_single(c: char) -> char {
    let (from, to) = VNI_SINGLES;
    from.chars()
        .zip(to.chars())
        .find(|&(f, _)| f == c)
        .map_or(c, |(_, t)| t)
}

/// Whether a (decoded) base letter can carry a VNI mark of this shape.
fn vni_accepts(base: char, shape: Shape) -> bool {
    match base {
        'a' | 'A' => true,
        'e' | 'E' | 'o' | 'O' => shape != Shape::Breve,
        'u' | 'U' | 'y' | 'Y' | 'ơ' | 'Ơ' | 'ư' | 'Ư' => shape == Shape::Plain,
        _ => false,
    }
}

/// Converts VNI-encoded text (base letter followed by tone/shape code points, as Word stores
/// them) to NFC Unicode. U+F0xx symbol-font forms and C1 controls are handled as in
/// [`tcvn3_to_unicode`]; a mark code point that follows no suitable vowel is kept as it is.
pub fn vni_to_unicode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut units = text.chars().map(legacy_unit).peekable();
    while let Some(c) = units.next() {
        let base = vni_single(c);
        out.push(base);
        if let Some((shape, tone)) = units.peek().copied().and_then(vni_mark)
            && vni_accepts(base, shape)
        {
            units.next();
            match shape {
                Shape::Plain => {}
                Shape::Circumflex => out.push('\u{302}'),
                Shape::Breve => out.push('\u{306}'),
            }
            out.extend(tone);
        }
    }
    out.nfc().collect()
}

/// Converts `text` with the given encoding; `capitals` uppercases the result (H fonts).
pub fn to_unicode(text: &str, enc: Legacy, capitals: bool) -> String {
    match enc {
        Legacy::Tcvn3 => tcvn3_to_unicode(text, capitals),
        Legacy::Vni => finish(&vni_to_unicode(text), capitals),
    }
}

/// Splits a lowercase word into its toneless NFC letters and tone (0 none, 1 acute, 2 grave,
/// 3 hook, 4 tilde, 5 dot). `None` if it has letters or marks Vietnamese does not use.
fn syllable_parts(lower: &str) -> Option<(String, u8)> {
    let mut bare = String::with_capacity(lower.len());
    let mut tone = 0u8;
    for c in lower.nfd() {
        if let Some(t) = TONE_MARKS.iter().position(|&m| m == c) {
            if tone != 0 {
                return None;
            }
            tone = t as u8 + 1;
        } else if "abcdeghiklmnopqrstuvxyđ\u{302}\u{306}\u{31B}".contains(c) {
            bare.push(c);
        } else {
            return None;
        }
    }
    Some((bare.nfc().collect(), tone))
}

/// Initial consonants, longest first within each prefix family; "" = no initial.
const INITIALS: [&str; 28] = [
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "th", "tr", "qu", "b", "c", "d", "đ", "g",
    "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
];

/// Valid toneless Vietnamese rhymes (medial + nucleus + final), space-separated.
const RHYMES: &str = "a ai ao au ay ac ach am an ang anh ap at ăc ăm ăn ăng ăp ăt âc âm ân âng \
    âp ât âu ây e eo ec em en eng ep et ê êu êch êm ên ênh êp êt i ia iu ich im in inh ip it iêc \
    iêm iên iêng iêp iêt iêu o oa oac oach oai oam oan oang oanh oao oap oat oay oăc oăm oăn oăng \
    oăt oe oen oeo oet oc oi om on ong ooc oong op ot ô ôc ôi ôm ôn ông ôp ôt ơ ơi ơm ơn ơp ơt u ua \
    uân uâng uât uây uc ui um un ung up ut uê uêch uênh uơ uy uya uych uyên uyêt uynh uyt uyu uôc \
    uôi uôm uôn uông uôp uôt ư ưa ưc ưi ưm ưn ưng ưt ưu ươc ươi ươm ươn ương ươp ươt ươu y yêm yên \
    yêng yêt yêu";

/// Whether `r` is a valid toneless rhyme.
fn is_rhyme(r: &str) -> bool {
    RHYMES.split(' ').any(|x| x == r)
}

/// Whether `word` (any case) is a well-formed Vietnamese syllable, tone rules included
/// (rhymes ending in c, ch, p, t take only the acute or dot-below tone).
fn is_valid_syllable(word: &str) -> bool {
    let lower = word.to_lowercase();
    let Some((bare, tone)) = syllable_parts(&lower) else {
        return false;
    };
    let stop_final = bare.ends_with(['c', 'p', 't']) || bare.ends_with("ch");
    if stop_final && tone != 1 && tone != 5 {
        return false;
    }
    INITIALS
        .iter()
        .any(|init| bare.strip_prefix(init).is_some_and(is_rhyme))
}

/// Frequent words of Party and administrative documents (lowercase NFC), space-separated.
const FREQUENT: &str = "của và các ngày tháng năm đảng viên chi bộ báo cáo có không được là trong \
    cho với những một người này đã để theo về công tác xã huyện tỉnh ủy uỷ ban nhân dân hội đồng \
    quyết định nghị số thực hiện kết quả đánh giá xếp loại chất lượng hoàn thành nhiệm vụ tốt xuất \
    sắc tổ chức cơ sở việt nam cộng hòa hoà chủ nghĩa độc lập tự do hạnh phúc trung ương thường bí \
    thư phó lãnh đạo quản lý kiểm điểm từ đến tại trên cũng như đang phải làm khi đó nơi nhận văn \
    bản kế hoạch hướng dẫn chí sinh hoạt phát triển kinh tế chính trị thị trấn lộc lâm bảo tiêu đề \
    nội dung mục tiếp tục cấp kỳ tình hình ra vào";

/// Whether `lower` (lowercase NFC) is one of the frequent words.
fn is_frequent(lower: &str) -> bool {
    FREQUENT.split(' ').any(|x| x == lower)
}

/// Trimmed from token edges before scoring: ASCII punctuation and General Punctuation
/// (Latin-1 symbols stay, since in legacy text they are letters).
fn is_edge_punct(c: char) -> bool {
    c.is_ascii_punctuation() || ('\u{2010}'..='\u{205E}').contains(&c)
}

/// At most this many tokens are scored, so huge texts stay fast.
const MAX_SCORED_TOKENS: usize = 5000;

/// Share of points over word tokens: 1 for a valid syllable, 1 more if it is a frequent word.
fn vietnamese_score(text: &str) -> f64 {
    let mut tokens = 0usize;
    let mut points = 0usize;
    for raw in text.split_whitespace().take(MAX_SCORED_TOKENS) {
        let tok = raw.trim_matches(is_edge_punct);
        if tok
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_punctuation())
        {
            continue;
        }
        tokens += 1;
        if is_valid_syllable(tok) {
            points += 1;
            if is_frequent(&tok.to_lowercase().nfc().collect::<String>()) {
                points += 1;
            }
        }
    }
    if tokens == 0 {
        0.0
    } else {
        points as f64 / (2 * tokens) as f64
    }
}

/// A conversion must score at least this much…
const MIN_SCORE: f64 = 0.3;
/// …and beat the text as it is by this margin.
const MIN_MARGIN: f64 = 0.15;

/// Text-only detection for when there is no font name (PDF text, .txt, mail bodies, file
/// names): converts three ways (as-is, TCVN3, VNI), scores each by the share of tokens that are
/// frequent Vietnamese words or valid syllables, and returns the conversion only if it clearly
/// beats the text as it is. Text that already reads as Vietnamese Unicode (or plain ASCII
/// English) → `None`.
///
/// The TCVN3 result is not repaired: when the text came through an extractor that may drop
/// U+00AD, pass it through [`repair_lost_u_horn`] as well.
pub fn detect(text: &str) -> Option<(Legacy, String)> {
    let has_legacy = text
        .chars()
        .any(|c| (0x80..=0xFF).contains(&(legacy_unit(c) as u32)));
    if !has_legacy {
        return None;
    }
    let as_is = vietnamese_score(text);
    let tcvn = tcvn3_to_unicode(text, false);
    let vni = vni_to_unicode(text);
    let (st, sv) = (vietnamese_score(&tcvn), vietnamese_score(&vni));
    let (enc, converted, score) = if sv > st {
        (Legacy::Vni, vni, sv)
    } else {
        (Legacy::Tcvn3, tcvn, st)
    };
    (score >= MIN_SCORE && score - as_is >= MIN_MARGIN && converted != text)
        .then_some((enc, converted))
}

/// Whether `c` is ơ with any tone, either case.
fn is_o_horn(c: char) -> bool {
    "ơờởỡớợƠỜỞỠỚỢ".contains(c)
}

/// The repaired form of one word, if inserting "ư" before its first ơ turns an invalid
/// syllable into a valid one.
fn repair_word(word: &str) -> Option<String> {
    let word: String = word.nfc().collect();
    let (pos, o) = word.char_indices().find(|&(_, c)| is_o_horn(c))?;
    if is_valid_syllable(&word) {
        return None;
    }
    let horn = if o.is_uppercase() { 'Ư' } else { 'ư' };
    let fixed = format!("{}{horn}{}", &word[..pos], &word[pos..]);
    is_valid_syllable(&fixed).then_some(fixed)
}

/// Repairs the one TCVN3 loss that can be repaired: "ư" (byte 0xAD = soft hyphen) dropped by
/// an extractor leaves the non-Vietnamese rhyme "ơng"/"ơc"…; e.g. "Trung ơng" → "Trung ương",
/// "đợc" → "được". Only touches words that are not valid Vietnamese syllables ("ngời" stays,
/// though it may have been "người"). Returns the text unchanged otherwise.
pub fn repair_lost_u_horn(text: &str) -> String {
    fn flush(out: &mut String, word: &mut String) {
        match repair_word(word) {
            Some(fixed) => out.push_str(&fixed),
            None => out.push_str(word),
        }
        word.clear();
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut word = String::new();
    for c in text.chars() {
        if c.is_alphabetic() || ('\u{300}'..='\u{36F}').contains(&c) {
            word.push(c);
        } else {
            flush(&mut out, &mut word);
            out.push(c);
        }
    }
    flush(&mut out, &mut word);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::is_nfc;

    /// TCVN3 expectations written from the domain notes §4.2 as Latin-1 glyphs.
    /// Per row: lowercase letters, uppercase letters, TCVN3 code points; order plain, grave,
    /// hook, tilde, acute, dot.
    const TCVN3_T: [(&str, &str, &str); 12] = [
        ("aàảãáạ", "AÀẢÃÁẠ", "aµ¶·¸¹"),
        ("ăằẳẵắặ", "ĂẰẲẴẮẶ", "¨»¼½¾Æ"),
        ("âầẩẫấậ", "ÂẦẨẪẤẬ", "©ÇÈÉÊË"),
        ("eèẻẽéẹ", "EÈẺẼÉẸ", "eÌÎÏÐÑ"),
        ("êềểễếệ", "ÊỀỂỄẾỆ", "ªÒÓÔÕÖ"),
        ("iìỉĩíị", "IÌỈĨÍỊ", "i×ØÜÝÞ"),
        ("oòỏõóọ", "OÒỎÕÓỌ", "oßáâãä"),
        ("ôồổỗốộ", "ÔỒỔỖỐỘ", "«åæçèé"),
        ("ơờởỡớợ", "ƠỜỞỠỚỢ", "¬êëìíî"),
        ("uùủũúụ", "UÙỦŨÚỤ", "uïñòóô"),
        ("ưừửữứự", "ƯỪỬỮỨỰ", "\u{AD}õö÷øù"),
        ("yỳỷỹýỵ", "YỲỶỸÝỴ", "yúûüýþ"),
    ];
    /// Plain TCVN3 capitals and đ.
    const TCVN3_CAPS_T: (&str, &str) = ("ĂÂÊÔƠƯĐđ", "¡¢£¤¥¦§®");

    /// VNI expectations from the domain notes §4.3: lowercase letters, uppercase letters, then
    /// the lowercase and uppercase encodings (plain, grave, hook, tilde, acute, dot).
    const VNI_T: [(&str, &str, &str, &str); 12] = [
        ("aàảãáạ", "AÀẢÃÁẠ", "a aø aû aõ aù aï", "A AØ AÛ AÕ AÙ AÏ"),
        ("ăằẳẵắặ", "ĂẰẲẴẮẶ", "aê aè aú aü aé aë", "AÊ AÈ AÚ AÜ AÉ AË"),
        ("âầẩẫấậ", "ÂẦẨẪẤẬ", "aâ aà aå aã aá aä", "AÂ AÀ AÅ AÃ AÁ AÄ"),
        ("eèẻẽéẹ", "EÈẺẼÉẸ", "e eø eû eõ eù eï", "E EØ EÛ EÕ EÙ EÏ"),
        ("êềểễếệ", "ÊỀỂỄẾỆ", "eâ eà eå eã eá eä", "EÂ EÀ EÅ EÃ EÁ EÄ"),
        ("iìỉĩíị", "IÌỈĨÍỊ", "i ì æ ó í ò", "I Ì Æ Ó Í Ò"),
        ("oòỏõóọ", "OÒỎÕÓỌ", "o oø oû oõ où oï", "O OØ OÛ OÕ OÙ OÏ"),
        ("ôồổỗốộ", "ÔỒỔỖỐỘ", "oâ oà oå oã oá oä", "OÂ OÀ OÅ OÃ OÁ OÄ"),
        ("ơờởỡớợ", "ƠỜỞỠỚỢ", "ô ôø ôû ôõ ôù ôï", "Ô ÔØ ÔÛ ÔÕ ÔÙ ÔÏ"),
        ("uùủũúụ", "UÙỦŨÚỤ", "u uø uû uõ uù uï", "U UØ UÛ UÕ UÙ UÏ"),
        ("ưừửữứự", "ƯỪỬỮỨỰ", "ö öø öû öõ öù öï", "Ö ÖØ ÖÛ ÖÕ ÖÙ ÖÏ"),
        ("yỳỷỹýỵ", "YỲỶỸÝỴ", "y yø yû yõ yù î", "Y YØ YÛ YÕ YÙ Î"),
    ];

    /// (unicode letter, TCVN3 form, is H-font form) for every letter, from the test table.
    fn tcvn3_pairs() -> Vec<(char, String, bool)> {
        let mut v = Vec::new();
        for (lo, up, enc) in TCVN3_T {
            for ((l, u), e) in lo.chars().zip(up.chars()).zip(enc.chars()) {
                v.push((l, e.to_string(), false));
                v.push((u, e.to_string(), true));
            }
        }
        for (u, e) in TCVN3_CAPS_T.0.chars().zip(TCVN3_CAPS_T.1.chars()) {
            v.push((u, e.to_string(), false));
        }
        v
    }

    fn vni_pairs() -> Vec<(char, String)> {
        let mut v = vec![('đ', "ñ".to_string()), ('Đ', "Ñ".to_string())];
        for (lo, up, el, eu) in VNI_T {
            let encs = el.split(' ').zip(eu.split(' '));
            for ((l, u), (el, eu)) in lo.chars().zip(up.chars()).zip(encs) {
                v.push((l, el.to_string()));
                v.push((u, eu.to_string()));
            }
        }
        v
    }

    #[test]
    fn test_tables_are_well_formed() {
        let mut letters: Vec<char> = TCVN3_T
            .iter()
            .flat_map(|r| r.0.chars().chain(r.1.chars()))
            .collect();
        letters.extend(['đ', 'Đ']);
        letters.sort_unstable();
        letters.dedup();
        assert_eq!(letters.len(), 146);
        assert_eq!(letters.iter().filter(|c| !c.is_ascii()).count(), 134);
        for (lo, up, enc) in TCVN3_T {
            assert!(is_nfc(lo) && is_nfc(up));
            assert_eq!(
                (lo.chars().count(), up.chars().count(), enc.chars().count()),
                (6, 6, 6)
            );
            assert_eq!(lo.to_uppercase(), up);
            assert!(enc.chars().all(|c| (c as u32) < 0x100));
        }
        for (i, (lo, up, el, eu)) in VNI_T.iter().enumerate() {
            assert_eq!((*lo, *up), (TCVN3_T[i].0, TCVN3_T[i].1));
            assert_eq!((el.split(' ').count(), eu.split(' ').count()), (6, 6));
            assert!(el.chars().chain(eu.chars()).all(|c| (c as u32) < 0x100));
        }
    }

    #[test]
    fn tcvn3_every_letter() {
        let pairs = tcvn3_pairs();
        assert_eq!(pairs.len(), 152);
        for (letter, enc, h_font) in pairs {
            let want = letter.to_string();
            assert_eq!(tcvn3_to_unicode(&enc, h_font), want, "TCVN3 {enc:?}");
            if !h_font {
                let ctx = format!("b{enc}n");
                assert_eq!(tcvn3_to_unicode(&ctx, false), format!("b{want}n"));
            }
        }
    }

    #[test]
    fn vni_every_letter() {
        let pairs = vni_pairs();
        assert_eq!(pairs.len(), 146);
        for (letter, enc) in pairs {
            assert_eq!(vni_to_unicode(&enc), letter.to_string(), "VNI {enc:?}");
            assert_eq!(
                vni_to_unicode(&format!("t{enc}n{enc}")),
                format!("t{letter}n{letter}")
            );
            assert_eq!(to_unicode(&enc, Legacy::Vni, false), letter.to_string());
        }
    }

    #[test]
    fn tcvn3_doc_strings() {
        for (legacy, want) in [
            ("Ban ChÊp hµnh Trung ¬ng", "Ban Chấp hành Trung ơng"),
            ("Ban ChÊp hµnh Trung \u{AD}¬ng", "Ban Chấp hành Trung ương"),
            ("Uû ban nh©n d©n", "Uỷ ban nhân dân"),
            ("Bé ChÝnh trÞ", "Bộ Chính trị"),
            ("§¶ng ñy x· Léc Thµnh", "Đảng ủy xã Lộc Thành"),
            ("ngµy 25 th¸ng 01 n¨m 2023", "ngày 25 tháng 01 năm 2023"),
            ("\u{F0A7}\u{F0B6}ng ViÖt", "Đảng Việt"),
        ] {
            assert_eq!(tcvn3_to_unicode(legacy, false), want);
            assert_eq!(to_unicode(legacy, Legacy::Tcvn3, false), want);
        }
        let lost = tcvn3_to_unicode("Ban ChÊp hµnh Trung ¬ng", false);
        assert_eq!(repair_lost_u_horn(&lost), "Ban Chấp hành Trung ương");
    }

    #[test]
    fn tcvn3_capitals_h_font() {
        for (legacy, want) in [
            ("®¶ng céng s¶n viÖt nam", "ĐẢNG CỘNG SẢN VIỆT NAM"),
            ("b¸o c¸o", "BÁO CÁO"),
            ("Bé ChÝnh trÞ", "BỘ CHÍNH TRỊ"),
        ] {
            assert_eq!(tcvn3_to_unicode(legacy, true), want);
            assert_eq!(to_unicode(legacy, Legacy::Tcvn3, true), want);
        }
    }

    #[test]
    fn tcvn3_keeps_cp1252_quotes() {
        let s = "\u{93}ViÖt Nam\u{94} \u{91}x\u{92} \u{96} \u{97} \u{85} \u{201C}ok\u{201D}";
        assert_eq!(tcvn3_to_unicode(s, false), "“Việt Nam” ‘x’ – — … “ok”");
        assert_eq!(tcvn3_to_unicode("\u{93}viÖt\u{94}", true), "“VIỆT”");
        assert_eq!(vni_to_unicode("\u{93}Vieät\u{94}"), "“Việt”");
    }

    #[test]
    fn vni_doc_strings() {
        for (legacy, want) in [
            (
                "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam",
                "Cộng hòa xã hội chủ nghĩa Việt Nam",
            ),
            ("Ñaûng uûy xaõ Loäc Thaønh", "Đảng ủy xã Lộc Thành"),
            ("ngaøy 25 thaùng 01 naêm 2023", "ngày 25 tháng 01 năm 2023"),
            ("ÑAÛNG COÄNG SAÛN VIEÄT NAM", "ĐẢNG CỘNG SẢN VIỆT NAM"),
            ("Tröôøng quyeát ñöôïc", "Trường quyết được"),
            ("bù iù", "bù iù"), // a mark with no suitable base stays as it is
        ] {
            assert_eq!(vni_to_unicode(legacy), want);
        }
        assert_eq!(to_unicode("ñaûng", Legacy::Vni, true), "ĐẢNG");
    }

    fn encode_tcvn3(s: &str) -> String {
        let pairs = tcvn3_pairs();
        s.chars()
            .map(|c| match pairs.iter().find(|(l, _, h)| *l == c && !h) {
                Some((_, e, _)) => e.clone(),
                None => c.to_string(),
            })
            .collect()
    }

    fn encode_vni(s: &str) -> String {
        let pairs = vni_pairs();
        s.chars()
            .map(|c| match pairs.iter().find(|(l, _)| *l == c) {
                Some((_, e)) => e.clone(),
                None => c.to_string(),
            })
            .collect()
    }

    const PARAGRAPH: &str = "Đảng bộ xã Lộc Thành báo cáo kết quả kiểm điểm, đánh giá, xếp \
        loại chất lượng tổ chức đảng và đảng viên năm 2023. Chi bộ có 35 đảng viên, trong đó 7 \
        đồng chí hoàn thành xuất sắc nhiệm vụ; nơi nhận: Ban Thường vụ Huyện ủy Bảo Lâm.";

    #[test]
    fn detect_cases() {
        let tcvn = encode_tcvn3(PARAGRAPH);
        assert!(tcvn.contains("§¶ng bé x· Léc Thµnh"));
        assert_eq!(detect(&tcvn), Some((Legacy::Tcvn3, PARAGRAPH.to_string())));
        let vni = encode_vni(PARAGRAPH);
        assert!(vni.contains("Ñaûng boä xaõ Loäc Thaønh"));
        assert_eq!(detect(&vni), Some((Legacy::Vni, PARAGRAPH.to_string())));
        let nfd: String = PARAGRAPH.nfd().collect();
        for text in [
            PARAGRAPH.to_string(),
            nfd,
            PARAGRAPH.to_uppercase(),
            "The committee met on Monday to review the annual report.".into(),
            "Café résumé naïve, déjà vu — façade über straße".into(),
            String::new(),
            "   \n ".into(),
        ] {
            assert_eq!(detect(&text), None, "{text}");
        }
        let short = detect("B¸o c¸o kÕt qu¶ n¨m 2023.doc").map(|(e, _)| e);
        assert_eq!(short, Some(Legacy::Tcvn3));
        let short = detect("Baùo caùo keát quaû naêm 2023.doc").map(|(e, _)| e);
        assert_eq!(short, Some(Legacy::Vni));
    }

    #[test]
    fn repair_cases() {
        assert_eq!(repair_lost_u_horn("Trung ơng"), "Trung ương");
        assert_eq!(
            repair_lost_u_horn("đợc, trờng, hớng, TRUNG ƠNG"),
            "được, trường, hướng, TRUNG ƯƠNG"
        );
        let valid = "người ngời lớn ơn tôi Trung ương, abc ơx";
        assert_eq!(repair_lost_u_horn(valid), valid);
        assert_eq!(repair_lost_u_horn(""), "");
    }

    #[test]
    fn font_names() {
        use Legacy::*;
        for (font, want) in [
            (".VnTime", Some((Tcvn3, false))),
            (".VnTimeH", Some((Tcvn3, true))),
            (".VnArialH", Some((Tcvn3, true))),
            (".VnCentury SchoolbookH", Some((Tcvn3, true))),
            (".VnCentury Schoolbook", Some((Tcvn3, false))),
            ("VnTime", Some((Tcvn3, false))),
            ("VNTIME", Some((Tcvn3, false))),
            (" .VnArial ", Some((Tcvn3, false))),
            ("VNI-Times", Some((Vni, false))),
            ("VNI-Helve", Some((Vni, false))),
            ("Times New Roman", None),
            ("Arial", None),
            ("", None),
            (".", None),
        ] {
            assert_eq!(font_encoding(font), want, "{font}");
        }
    }

    fn all_functions(s: &str) {
        let _ = tcvn3_to_unicode(s, false);
        let _ = tcvn3_to_unicode(s, true);
        let _ = vni_to_unicode(s);
        let _ = to_unicode(s, Legacy::Vni, true);
        let _ = detect(s);
        let _ = repair_lost_u_horn(s);
        let _ = font_encoding(s);
    }

    #[test]
    fn no_panic_on_any_input() {
        let all: String = (0..0x3000u32).filter_map(char::from_u32).collect();
        for c in all.chars() {
            all_functions(&c.to_string());
            all_functions(&format!("a{c}ơ{c}"));
        }
        all_functions(&all);
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..300 {
            let s: String = (0..40)
                .filter_map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    let u = match seed % 4 {
                        0 => (seed >> 8) as u32 % 0x80,
                        1 => 0x80 + (seed >> 8) as u32 % 0x80,
                        2 => 0x300 + (seed >> 8) as u32 % 0x70,
                        _ => (seed >> 8) as u32 % 0x11_0000,
                    };
                    char::from_u32(u)
                })
                .collect();
            all_functions(&s);
        }
    }
}
