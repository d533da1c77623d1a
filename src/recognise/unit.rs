//! Which unit sent a message: its registered address first, then its name, short name or an
//! alias found in the document's issuer line or signature, the subject, the file names or the
//! body.
//!
//! Names are compared the way units write them, not letter for letter. Every name is cut into
//! words and the organisation words are replaced by one token per kind, so "Đảng bộ", "Đảng
//! ủy", "ĐB", "ĐU", "Chi bộ" and "CB" are the same word, as are "Cơ quan" and "CQ", "thị trấn"
//! and "TT", "Ủy ban nhân dân" and "UBND", "Phòng" and "P.", "Trường THPT" and "THPT". "huyện",
//! "và", "các" and punctuation may be left out, and diacritics may be missing ("DU xa Loc
//! Thanh" finds "Đảng ủy xã Lộc Thành"); but where the text itself carries diacritics they
//! must agree, so "Lộc Thanh" (a commune of another district) is not taken for "Lộc Thành".
//! The name with the most words matched wins, so "THPT Lộc Thành" beats "Lộc Thành"; two
//! units named equally well are reported as such, never chosen between.

use std::collections::HashMap;

use crate::config::Unit;
use crate::vntext::{fold, has_diacritics, nfc, same_with_marks};

/// Organisation words and their abbreviations: folded spellings (longest first within the
/// table's use) and the token that stands for all of them.
const EQUIVALENTS: &[(&[&str], &str)] = &[
    (
        &[
            "dang bo",
            "dang uy",
            "db",
            "du",
            "chi bo",
            "cb",
            "ban thuong vu dang uy",
        ],
        "#to-chuc-dang",
    ),
    (&["co quan", "cq"], "#co-quan"),
    (&["thi tran", "tt"], "#thi-tran"),
    (&["uy ban nhan dan", "ubnd"], "#ubnd"),
    (&["hoi dong nhan dan", "hdnd"], "#hdnd"),
    (&["phong", "p"], "#phong"),
    (
        &[
            "truong trung hoc pho thong",
            "trung hoc pho thong",
            "truong thpt",
            "thpt",
        ],
        "#thpt",
    ),
    (&["van phong", "vp"], "#van-phong"),
    (&["mat tran to quoc", "mttq"], "#mttq"),
    (&["toa an nhan dan", "tand"], "#tand"),
    (&["vien kiem sat nhan dan", "vksnd"], "#vksnd"),
    (&["trung tam y te", "ttyt"], "#ttyt"),
    (&["bao hiem xa hoi", "bhxh"], "#bhxh"),
    (&["kho bac nha nuoc", "kbnn"], "#kbnn"),
    (&["ban quan ly du an", "bqlda"], "#bqlda"),
    (&["thi hanh an dan su", "thads"], "#thads"),
];

/// [`EQUIVALENTS`] cut into words once, by first word, in the table's order.
type Spellings = HashMap<&'static str, Vec<(Vec<&'static str>, &'static str)>>;
static SPELLINGS: std::sync::LazyLock<Spellings> = std::sync::LazyLock::new(|| {
    let mut by_first: Spellings = HashMap::new();
    for (spellings, token) in EQUIVALENTS {
        for s in *spellings {
            let parts: Vec<&'static str> = s.split(' ').collect();
            if let Some(first) = parts.first() {
                by_first.entry(first).or_default().push((parts, token));
            }
        }
    }
    by_first
});

/// Words that may be left out anywhere.
const DROPPED: &[&str] = &["va", "cac"];

/// A word that may be left out of the text, unless a name needs it to stand on its own.
const OPTIONAL: &str = "huyen";

/// One word of a name or a text after folding and replacing organisation words.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Token {
    /// Folded word, or the `#…` token of an organisation word.
    canon: String,
    /// The word(s) as written.
    original: String,
}

/// Organisation-word tokens that name a kind of body, not one body ("Đảng ủy", "Phòng"); the
/// others ("UBND", "BHXH", "Tòa án nhân dân") name the one such body of a district.
const GENERIC: &[&str] = &[
    "#to-chuc-dang",
    "#co-quan",
    "#thi-tran",
    "#phong",
    "#van-phong",
    "#thpt",
];

impl Token {
    fn is_class(&self) -> bool {
        self.canon.starts_with('#')
    }

    fn is_specific(&self) -> bool {
        self.is_class() && !GENERIC.contains(&self.canon.as_str())
    }
}

/// Cuts `text` into folded words with the words as written (letters and digits split apart,
/// as [`fold`] does).
fn words(text: &str) -> Vec<(String, String)> {
    let text = nfc(text);
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut digit: Option<bool> = None;
    let flush = |cur: &mut String, out: &mut Vec<(String, String)>| {
        if !cur.is_empty() {
            let f = fold(cur);
            if !f.is_empty() {
                out.push((f, std::mem::take(cur)));
            }
            cur.clear();
        }
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            let d = c.is_ascii_digit();
            if digit.is_some_and(|p| p != d) {
                flush(&mut cur, &mut out);
            }
            digit = Some(d);
            cur.push(c);
        } else if !unicode_normalization::char::is_combining_mark(c) {
            flush(&mut cur, &mut out);
            digit = None;
        } else {
            cur.push(c);
        }
    }
    flush(&mut cur, &mut out);
    out
}

/// The tokens of `text`: organisation words replaced (longest spelling first), "và" and
/// "các" dropped.
fn tokens(text: &str) -> Vec<Token> {
    let w = words(text);
    let mut out = Vec::new();
    let mut i = 0;
    'outer: while i < w.len() {
        let mut best: Option<(usize, &str)> = None;
        // Only the spellings that start with this word can match here; on a long body this
        // is most of the recognition's cost, so they are looked up, not tried one by one.
        for (parts, token) in SPELLINGS.get(w[i].0.as_str()).into_iter().flatten() {
            if parts.len() > best.map_or(0, |b| b.0)
                && parts
                    .iter()
                    .enumerate()
                    .all(|(k, p)| w.get(i + k).is_some_and(|x| x.0 == *p))
            {
                best = Some((parts.len(), token));
            }
        }
        if let Some((n, token)) = best {
            let original = w[i..i + n]
                .iter()
                .map(|x| x.1.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            out.push(Token {
                canon: token.to_string(),
                original,
            });
            i += n;
            continue 'outer;
        }
        if !DROPPED.contains(&w[i].0.as_str()) {
            out.push(Token {
                canon: w[i].0.clone(),
                original: w[i].1.clone(),
            });
        }
        i += 1;
    }
    out
}

/// How many tokens of `phrase` match `text` at `at` (text may hold an optional word the
/// phrase does not), or None.
fn match_at(text: &[Token], at: usize, phrase: &[Token]) -> Option<Vec<usize>> {
    let mut used = Vec::with_capacity(phrase.len());
    let mut j = at;
    for p in phrase {
        while text
            .get(j)
            .is_some_and(|t| t.canon == OPTIONAL && p.canon != OPTIONAL)
            && j > at
        {
            j += 1;
        }
        let t = text.get(j)?;
        if t.canon != p.canon {
            return None;
        }
        used.push(j);
        j += 1;
    }
    Some(used)
}

#[derive(Debug, Clone)]
struct Phrase {
    tokens: Vec<Token>,
    /// The name as registered.
    original: String,
    unit: usize,
}

/// A phrase's tokens, with "huyện" left out unless the rest would be too common on its own
/// ("Thanh tra huyện" keeps it; "Đảng bộ Quân sự huyện" does not need it).
fn phrase_tokens(all: Vec<Token>) -> Vec<Token> {
    let without: Vec<Token> = all
        .iter()
        .filter(|t| t.canon != OPTIONAL)
        .cloned()
        .collect();
    let generic = without.iter().any(|t| t.is_class() && !t.is_specific());
    let named = without.iter().any(|t| !t.is_class() || t.is_specific());
    let weak = without.len() <= 2 && !(generic && named);
    if weak { all } else { without }
}

/// True when a phrase is too short to name a unit in running text ("An", "ĐU", "MTTQ").
fn too_short(tokens: &[Token]) -> bool {
    let plain: Vec<&Token> = tokens.iter().filter(|t| !t.is_class()).collect();
    if plain.is_empty() {
        // "Văn phòng HĐND - UBND" and "Chi bộ BHXH" are all organisation words, yet say enough.
        return tokens.len() < 2 || tokens.len() == 2 && !tokens.iter().any(Token::is_specific);
    }
    let letters: usize = plain.iter().map(|t| t.canon.len()).sum();
    tokens.len() == 1 && letters < 6 || letters < 3
}

/// An alias that is a mail address rather than a name.
pub fn is_address(alias: &str) -> bool {
    let a = alias.trim();
    a.contains('@') && !a.contains(char::is_whitespace)
}

/// Finds units in addresses and text. Built once per units registry.
#[derive(Debug, Clone)]
pub struct UnitMatcher {
    phrases: Vec<Phrase>,
    by_address: HashMap<String, usize>,
    /// Addresses known only as aliases learnt from staff corrections.
    learnt: std::collections::HashSet<String>,
}

/// The outcome of looking for a unit in one piece of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// No unit named.
    None,
    /// Exactly one unit, by the longest name found.
    One(usize),
    /// Several units named equally well.
    Ambiguous(Vec<usize>),
}

impl UnitMatcher {
    /// Indexes `units`: each name, short name and alias, and each name without its leading
    /// organisation word ("xã Lộc An" for "Đảng ủy xã Lộc An").
    pub fn new(units: &[Unit]) -> Self {
        let mut phrases: Vec<Phrase> = Vec::new();
        let mut by_address = HashMap::new();
        let mut learnt = std::collections::HashSet::new();
        for (i, u) in units.iter().enumerate() {
            for e in &u.emails {
                by_address.insert(e.to_lowercase(), i);
            }
            let mut names = vec![u.name.clone(), u.short_name.clone()];
            for a in &u.aliases {
                // An address among the aliases was learnt from a staff correction: it says
                // whose mail it is as a registered one does (the registered one first).
                if is_address(a) {
                    let a = a.trim().to_lowercase();
                    learnt.insert(a.clone());
                    by_address.entry(a).or_insert(i);
                } else {
                    names.push(a.clone());
                }
            }
            for n in names {
                let all = tokens(&n);
                let mut variants = vec![phrase_tokens(all.clone())];
                if all.first().is_some_and(|f| f.canon == "#to-chuc-dang") {
                    variants.push(phrase_tokens(all[1..].to_vec()));
                }
                for v in variants {
                    if too_short(&v) {
                        continue;
                    }
                    if !phrases.iter().any(|p| p.tokens == v && p.unit == i) {
                        phrases.push(Phrase {
                            tokens: v,
                            original: n.clone(),
                            unit: i,
                        });
                    }
                }
            }
        }
        phrases.sort_by_key(|p| std::cmp::Reverse(p.tokens.len()));
        // A registered address stays registered even if some unit also learnt it.
        learnt.retain(|a| {
            !units
                .iter()
                .any(|u| u.emails.iter().any(|e| e.eq_ignore_ascii_case(a)))
        });
        UnitMatcher {
            phrases,
            by_address,
            learnt,
        }
    }

    /// True when `addr` is known only from a staff correction, not from the registry.
    pub fn is_learnt_address(&self, addr: &str) -> bool {
        self.learnt.contains(&addr.to_lowercase())
    }

    /// The unit registered with this sender address.
    pub fn by_address(&self, addr: &str) -> Option<usize> {
        self.by_address.get(&addr.to_lowercase()).copied()
    }

    /// The unit named in `text`.
    pub fn find(&self, text: &str) -> Found {
        if text.trim().is_empty() {
            return Found::None;
        }
        let t = tokens(text);
        // A phrase can only start where the text has its first word (an optional word is
        // skipped only after the first), so each phrase is tried at those places alone.
        let mut starts: HashMap<&str, Vec<usize>> = HashMap::new();
        for (at, tok) in t.iter().enumerate() {
            starts.entry(tok.canon.as_str()).or_default().push(at);
        }
        let mut best_len = 0;
        let mut best: Vec<usize> = Vec::new();
        for p in &self.phrases {
            if p.tokens.len() < best_len {
                break;
            }
            if best.contains(&p.unit) {
                continue;
            }
            let places = p
                .tokens
                .first()
                .and_then(|first| starts.get(first.canon.as_str()));
            let hit = places.into_iter().flatten().any(|&at| {
                match_at(&t, at, &p.tokens).is_some_and(|used| marks_agree(&t, &used, p))
            });
            if hit {
                best_len = p.tokens.len();
                best.push(p.unit);
            }
        }
        match best.len() {
            0 => Found::None,
            1 => Found::One(best[0]),
            _ => Found::Ambiguous(best),
        }
    }
}

/// Where the text is written with diacritics, its words must carry the registered name's
/// (organisation words, which have their own spellings, aside).
fn marks_agree(text: &[Token], used: &[usize], p: &Phrase) -> bool {
    let pairs: Vec<(&Token, &Token)> = used
        .iter()
        .zip(&p.tokens)
        .map(|(&i, pt)| (&text[i], pt))
        .filter(|(t, _)| !t.is_class())
        .collect();
    let written_with_marks = pairs.iter().any(|(t, _)| has_diacritics(&t.original));
    if !written_with_marks || !has_diacritics(&p.original) {
        return true;
    }
    pairs
        .iter()
        .all(|(t, pt)| same_with_marks(&t.original, &pt.original))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: &str, name: &str, short: &str, aliases: &[&str]) -> Unit {
        Unit {
            id: id.into(),
            name: name.into(),
            short_name: short.into(),
            emails: vec![format!("{id}@gmail.com")],
            kind: "x".into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
        }
    }

    fn units() -> Vec<Unit> {
        vec![
            unit("loc-thanh", "Đảng ủy xã Lộc Thành", "Lộc Thành", &[]),
            unit(
                "loc-thang",
                "Đảng ủy thị trấn Lộc Thắng",
                "Lộc Thắng",
                &["TT Lộc Thắng"],
            ),
            unit("loc-tan", "Đảng ủy xã Lộc Tân", "Lộc Tân", &[]),
            unit("tan-lac", "Đảng ủy xã Tân Lạc", "Tân Lạc", &[]),
            unit(
                "thpt",
                "Chi bộ Trường THPT Lộc Thành",
                "THPT Lộc Thành",
                &[],
            ),
            unit("bla", "Đảng ủy xã B'Lá", "B'Lá", &["B’Lá", "BLá", "Bla"]),
            unit(
                "cq-dang-dt",
                "Đảng bộ Cơ quan Đảng - Đoàn thể huyện",
                "CQ Đảng - Đoàn thể",
                &[],
            ),
            unit(
                "thanh-tra",
                "Chi bộ Thanh tra huyện",
                "Thanh tra huyện",
                &[],
            ),
            unit("noi-vu", "Chi bộ Phòng Nội vụ", "Phòng Nội vụ", &[]),
            unit(
                "vp",
                "Chi bộ Văn phòng HĐND và UBND huyện",
                "Văn phòng HĐND-UBND",
                &[],
            ),
            unit("quan-su", "Đảng bộ Quân sự huyện", "Quân sự huyện", &[]),
        ]
    }

    fn id(m: &UnitMatcher, u: &[Unit], text: &str) -> Option<String> {
        match m.find(text) {
            Found::One(i) => Some(u[i].id.clone()),
            _ => None,
        }
    }

    #[test]
    fn with_and_without_diacritics() {
        let u = units();
        let m = UnitMatcher::new(&u);
        assert_eq!(
            id(&m, &u, "DU xa Loc Thanh gui bao cao").as_deref(),
            Some("loc-thanh")
        );
        assert_eq!(
            id(&m, &u, "Đảng ủy xã Lộc Thành gửi báo cáo").as_deref(),
            Some("loc-thanh")
        );
        assert_eq!(
            id(&m, &u, "DU TT Loc Thang gui bao cao QD 132").as_deref(),
            Some("loc-thang")
        );
        assert_eq!(
            id(&m, &u, "BC 132 - DU xa Loc Tan.docx").as_deref(),
            Some("loc-tan")
        );
        assert_eq!(
            id(&m, &u, "Bieu 1-4 Tan Lac.xlsx").as_deref(),
            Some("tan-lac")
        );
    }

    #[test]
    fn marks_in_text_must_agree() {
        let u = units();
        let m = UnitMatcher::new(&u);
        // Lộc Thanh is a commune of Bảo Lộc city, not Lộc Thành.
        assert_eq!(m.find("Đảng ủy xã Lộc Thanh"), Found::None);
        assert_eq!(
            id(&m, &u, "Đảng ủy xã Lộc Thắng").as_deref(),
            Some("loc-thang")
        );
    }

    #[test]
    fn longest_name_wins() {
        let u = units();
        let m = UnitMatcher::new(&u);
        assert_eq!(
            id(&m, &u, "Chi bo THPT Loc Thanh gui bao cao").as_deref(),
            Some("thpt")
        );
        assert_eq!(
            id(&m, &u, "Chi bộ trường Trung học phổ thông Lộc Thành").as_deref(),
            Some("thpt")
        );
        assert_eq!(id(&m, &u, "Báo cáo của B’Lá").as_deref(), Some("bla"));
        assert!(matches!(m.find("Lộc Tân và Tân Lạc"), Found::Ambiguous(_)));
    }

    #[test]
    fn party_organisation_words_are_equivalent() {
        let u = units();
        let m = UnitMatcher::new(&u);
        for text in [
            // Subject, file name and issuer line of one real unit.
            "ĐB Cơ quan Đảng - Đoàn thể huyện gửi báo cáo",
            "DB Co quan Dang - Doan the.docx",
            "ĐẢNG ỦY CƠ QUAN ĐẢNG - ĐOÀN THỂ HUYỆN",
            "Đảng ủy CQ Đảng, Đoàn thể",
            "DU_CQ_Dang_Doan_the",
            "Chi bộ Cơ quan Đảng - Đoàn thể",
        ] {
            assert_eq!(id(&m, &u, text).as_deref(), Some("cq-dang-dt"), "{text}");
        }
        assert_eq!(id(&m, &u, "CB P. Nội vụ gửi BC").as_deref(), Some("noi-vu"));
        assert_eq!(id(&m, &u, "Chi bo Phong Noi vu").as_deref(), Some("noi-vu"));
        assert_eq!(
            id(&m, &u, "Đảng ủy thị trấn Lộc Thắng").as_deref(),
            Some("loc-thang")
        );
        assert_eq!(id(&m, &u, "ĐU TT Lộc Thắng").as_deref(), Some("loc-thang"));
        assert_eq!(
            id(
                &m,
                &u,
                "Chi bộ Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện"
            )
            .as_deref(),
            Some("vp")
        );
        assert_eq!(id(&m, &u, "CB VP HĐND - UBND").as_deref(), Some("vp"));
    }

    #[test]
    fn huyen_is_optional_unless_the_rest_is_common() {
        let u = units();
        let m = UnitMatcher::new(&u);
        assert_eq!(id(&m, &u, "ĐB Quân sự").as_deref(), Some("quan-su"));
        assert_eq!(
            id(&m, &u, "Chi bo Thanh tra gui bao cao").as_deref(),
            Some("thanh-tra")
        );
        assert_eq!(
            id(&m, &u, "Thanh tra huyện gửi báo cáo").as_deref(),
            Some("thanh-tra")
        );
        // "thanh tra" alone is an ordinary word.
        assert_eq!(m.find("công tác kiểm tra, thanh tra năm 2022"), Found::None);
        // An organisation word alone names nobody.
        assert_eq!(m.find("Đảng ủy gửi báo cáo"), Found::None);
    }

    #[test]
    fn by_registered_address_any_case() {
        let u = units();
        let m = UnitMatcher::new(&u);
        assert_eq!(m.by_address("LOC-TAN@gmail.com"), Some(2));
        assert_eq!(m.by_address("someone@gmail.com"), None);
    }
}
