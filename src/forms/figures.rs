//! Reading figures out of one [`Document`]: sentences ("Năm 2019: 23/25 đảng viên được đánh
//! giá, xếp loại, trong đó: hoàn thành xuất sắc nhiệm vụ 3 đồng chí, …", "có 4 chi bộ HTXSNV
//! (16%)") and tables (years × levels, either way round). Works on the paragraphs and tables a
//! document yields, so Word, PDF text, OCR text and converted TCVN3 text are read alike.
//!
//! Sentences are cut into tokens (folded words, numbers, punctuation); a level's count is the
//! number next to the level's words, with only counting words ("đồng chí", "chi bộ", "được xếp
//! loại") between. The year and the thing counted carry over from earlier clauses, so a
//! "Năm 2020:" line heads the list under it.

use std::collections::HashMap;

use crate::config::FigureConfig;
use crate::documents::{Document, Table};
use crate::vntext::{fold, is_letter};

use serde::{Deserialize, Serialize};

/// What a value counts.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// How many were rated (đánh giá, xếp loại) in the year.
    Rated,
    /// How many there are (đảng viên of the unit, chi bộ).
    Members,
    /// How many were rated at this level (its id).
    Level(String),
}

/// Where a value was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// A sentence of the report.
    Sentence,
    /// A table cell.
    Table,
}

/// One figure read from one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Value {
    /// Figure id ("dang-vien").
    pub figure: String,
    /// The year it is for; None when the text names none ("hiện có").
    pub year: Option<i32>,
    /// What it counts.
    pub measure: Measure,
    /// The number.
    pub value: u32,
    /// Sentence or table.
    pub origin: Origin,
    /// The sentence, or the table cell with its row and column labels.
    pub source: String,
}

/// The figures read from one report, as stored beside its reading (see
/// [`crate::store::NewAttachment::figures`]): what the checks of `figures::analyse` need, so
/// the console shows them without opening the archived mail again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredFigures {
    /// A fingerprint of the campaign's figure words they were read with: read again when the
    /// campaign file changes them.
    pub words: String,
    /// How the text was had (`native`, `converted`, `ocr`, `none`).
    pub text_source: Option<String>,
    /// The document is a scan.
    pub scanned: bool,
    /// What was read.
    pub values: Vec<Value>,
}

impl StoredFigures {
    /// Reads the figures of `doc` with the words of `cfg`.
    pub fn take(doc: &Document, cfg: &FigureConfig) -> StoredFigures {
        StoredFigures {
            words: words_fingerprint(cfg),
            text_source: serde_json::to_value(doc.source)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string)),
            scanned: doc.scanned,
            values: read_document(doc, cfg),
        }
    }

    /// These figures were read with the words of `cfg`.
    pub fn read_with(&self, cfg: &FigureConfig) -> bool {
        self.words == words_fingerprint(cfg)
    }
}

/// A short hash of the figure words of a campaign.
pub fn words_fingerprint(cfg: &FigureConfig) -> String {
    use sha2::Digest as _;
    let json = serde_json::to_string(cfg).unwrap_or_default();
    let h = sha2::Sha256::digest(json.as_bytes());
    h.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// One token of a sentence.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// A folded word.
    Word(String),
    /// A number: its value, followed by '%', part of "a/b".
    Num { value: u64, pct: bool, slash: bool },
    /// Punctuation that matters: , ; : ( ) / - %
    Punct(char),
}

/// Words that may stand between a count and the level it counts ("03 đồng chí được xếp loại
/// hoàn thành tốt nhiệm vụ"), besides the words naming what is counted.
const FILLER: &[&str] = &[
    "dong", "chi", "duoc", "xep", "loai", "danh", "gia", "dat", "la", "co", "muc", "so", "luong",
    "gom", "voi", "tu", "trong", "do", "truc", "thuoc", "ca", "nhan", "tap", "the", "xl", "dg",
];

fn tokenize(s: &str) -> Vec<Tok> {
    // Byte offsets beside the characters, so a word is folded straight from `s`.
    let (at, chars): (Vec<usize>, Vec<char>) = s.char_indices().unzip();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let mut digits = String::new();
            let mut j = i;
            loop {
                while j < chars.len() && chars[j].is_ascii_digit() {
                    digits.push(chars[j]);
                    j += 1;
                }
                // "1.234" is a thousand-separated number; "16,5" a decimal (its value is the
                // integer part: only percentages have one).
                if j + 1 < chars.len()
                    && (chars[j] == '.' || chars[j] == ',')
                    && chars[j + 1].is_ascii_digit()
                {
                    let run = chars[j + 1..]
                        .iter()
                        .take_while(|c| c.is_ascii_digit())
                        .count();
                    if chars[j] == '.' && run == 3 {
                        j += 1;
                        continue;
                    }
                    if chars[j] == ',' && run <= 2 {
                        j += 1 + run;
                    }
                }
                break;
            }
            let rest = chars[j..].iter().skip_while(|c| **c == ' ');
            let next = rest.clone().next().copied();
            let pct = next == Some('%');
            let slash_after = next == Some('/')
                && rest
                    .clone()
                    .nth(1)
                    .is_some_and(|c| c.is_ascii_digit() || *c == ' ');
            let slash_before = matches!(out.last(), Some(Tok::Punct('/')));
            let value = digits.parse().unwrap_or(u64::MAX);
            out.push(Tok::Num {
                value,
                pct,
                slash: slash_after || slash_before,
            });
            i = j;
        } else if is_letter(c) {
            let mut j = i;
            while j < chars.len()
                && (is_letter(chars[j]) || unicode_normalization::char::is_combining_mark(chars[j]))
            {
                j += 1;
            }
            let f = fold(&s[at[i]..at.get(j).copied().unwrap_or(s.len())]);
            if !f.is_empty() {
                out.push(Tok::Word(f));
            }
            i = j;
        } else {
            if matches!(c, ',' | ';' | ':' | '(' | ')' | '/' | '%' | '-' | '–') {
                out.push(Tok::Punct(if c == '–' { '-' } else { c }));
            }
            i += 1;
        }
    }
    out
}

/// A phrase found in the tokens: which one (index into the list) and its token span.
#[derive(Debug, Clone, Copy)]
struct Hit {
    which: usize,
    start: usize,
    end: usize,
}

/// Phrase lists (folded, space-separated words) cut into words once and indexed by their
/// first word: a report has hundreds of clauses, and trying every phrase at every token was
/// half of an ingest's CPU.
pub(super) struct Phrases<'a> {
    by_first: WordMap<&'a str, Vec<(usize, Vec<&'a str>)>>,
}

/// A map keyed by short words, looked up once per word of a report: foldhash, not SipHash
/// (the keys are the campaign's own words, not an attacker's).
type WordMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

impl<'a> Phrases<'a> {
    /// Indexes `lists`; a hit reports the index of its list.
    fn new(lists: impl IntoIterator<Item = &'a [String]>) -> Self {
        let mut by_first: WordMap<&'a str, Vec<(usize, Vec<&'a str>)>> = WordMap::default();
        for (which, words) in lists.into_iter().enumerate() {
            for w in words {
                let parts: Vec<&'a str> = w.split(' ').collect();
                if let Some(first) = parts.first() {
                    by_first.entry(first).or_default().push((which, parts));
                }
            }
        }
        Phrases { by_first }
    }

    /// The figures' and the levels' phrases of `cfg`.
    fn of(cfg: &'a FigureConfig) -> (Self, Self) {
        (
            Phrases::new(cfg.figures.iter().map(|f| f.words.as_slice())),
            Phrases::new(cfg.levels.iter().map(|l| l.words.as_slice())),
        )
    }
}

/// Where the phrases occur in `toks`, longest first and never overlapping.
fn find_phrases(toks: &[Tok], phrases: &Phrases) -> Vec<Hit> {
    let mut cands: Vec<(usize, usize, usize)> = Vec::new(); // (which, start, len)
    for start in 0..toks.len() {
        let Some(Tok::Word(first)) = toks.get(start) else {
            continue;
        };
        for (which, parts) in phrases.by_first.get(first.as_str()).into_iter().flatten() {
            // Words of a phrase match in order; a comma or dash between them is allowed
            // ("lãnh đạo, quản lý").
            let mut k = start;
            let mut ok = true;
            for (n, p) in parts.iter().enumerate() {
                if n > 0 {
                    while matches!(toks.get(k), Some(Tok::Punct(',' | '-'))) {
                        k += 1;
                    }
                }
                if matches!(toks.get(k), Some(Tok::Word(x)) if x == p) {
                    k += 1;
                } else {
                    ok = false;
                    break;
                }
            }
            if ok {
                cands.push((*which, start, k - start));
            }
        }
    }
    cands.sort_by_key(|(_, start, len)| (std::cmp::Reverse(*len), *start));
    let mut taken = vec![false; toks.len()];
    let mut hits = Vec::new();
    for (which, start, len) in cands {
        if taken[start..start + len].iter().any(|t| *t) {
            continue;
        }
        for t in &mut taken[start..start + len] {
            *t = true;
        }
        hits.push(Hit {
            which,
            start,
            end: start + len,
        });
    }
    hits.sort_by_key(|h| h.start);
    hits
}

fn is_count(t: &Tok) -> Option<u64> {
    match t {
        Tok::Num {
            value,
            pct: false,
            slash: false,
        } => Some(*value),
        _ => None,
    }
}

fn word_is(t: &Tok, w: &str) -> bool {
    matches!(t, Tok::Word(x) if x == w)
}

/// The state carried from clause to clause: the year and the thing counted last named.
#[derive(Debug, Clone, Default)]
pub(super) struct Context {
    year: Option<i32>,
    figure: Option<usize>,
}

/// Reads every figure out of `doc`.
pub fn read_document(doc: &Document, cfg: &FigureConfig) -> Vec<Value> {
    let mut out = Vec::new();
    let mut ctx = Context::default();
    let phrases = Phrases::of(cfg);
    for p in &doc.paragraphs {
        read_paragraph(&p.text, cfg, &phrases, &mut ctx, &mut out);
    }
    for (n, t) in doc.tables.iter().enumerate() {
        read_table(t, n, cfg, &mut out);
    }
    out
}

/// Cuts a paragraph into sentences: at a full stop followed by a space and a capital letter
/// (or a digit-free new start), and at line breaks.
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let chars: Vec<char> = line.chars().collect();
        let mut start = 0;
        let mut i = 0;
        while i < chars.len() {
            if matches!(chars[i], '.' | '!' | '?')
                && chars.get(i + 1) == Some(&' ')
                && chars.get(i + 2).is_some_and(|c| c.is_uppercase())
            {
                out.push(chars[start..=i].iter().collect::<String>());
                start = i + 2;
                i += 2;
                continue;
            }
            i += 1;
        }
        if start < chars.len() {
            out.push(chars[start..].iter().collect());
        }
    }
    out.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Reads the sentences of one paragraph, carrying `ctx` across them.
pub(super) fn read_paragraph(
    text: &str,
    cfg: &FigureConfig,
    (figure_words, level_words): &(Phrases, Phrases),
    ctx: &mut Context,
    out: &mut Vec<Value>,
) {
    for sentence in sentences(text) {
        let toks = tokenize(&sentence);
        // Clauses end at ';' — a "trong đó" list stays in the clause of its total.
        let mut from = 0;
        let mut bounds = Vec::new();
        for (i, t) in toks.iter().enumerate() {
            if *t == Tok::Punct(';') {
                bounds.push((from, i));
                from = i + 1;
            }
        }
        bounds.push((from, toks.len()));
        for (a, b) in bounds {
            read_clause(
                &toks[a..b],
                &sentence,
                cfg,
                level_words,
                figure_words,
                ctx,
                out,
            );
        }
    }
}

/// A year in the clause at token `i` (a four-digit number read as a year): preceded by "năm",
/// or the clause's first token. Ranges ("từ năm 2018 đến nay", "2018 - 2022") give None and
/// clear the year.
fn year_at(toks: &[Tok], i: usize) -> Option<Option<i32>> {
    let Tok::Num {
        value, pct: false, ..
    } = toks[i]
    else {
        return None;
    };
    if !(1990..=2100).contains(&value) {
        return None;
    }
    if matches!(toks[i], Tok::Num { slash: true, .. }) {
        return None;
    }
    let after_nam = i > 0 && word_is(&toks[i - 1], "nam");
    if !after_nam && i != 0 {
        return None;
    }
    let range_before = i >= 2 && (word_is(&toks[i - 2], "tu") || word_is(&toks[i - 2], "doan"));
    let range_after = toks
        .get(i + 1)
        .is_some_and(|t| word_is(t, "den") || *t == Tok::Punct('-') || word_is(t, "toi"));
    if range_before || range_after {
        return Some(None);
    }
    Some(Some(value as i32))
}

#[allow(clippy::too_many_arguments)]
fn read_clause(
    toks: &[Tok],
    sentence: &str,
    cfg: &FigureConfig,
    level_words: &Phrases,
    figure_words: &Phrases,
    ctx: &mut Context,
    out: &mut Vec<Value>,
) {
    if toks.is_empty() {
        return;
    }
    // A clause without a number counts nothing and sets no year; all it can do is name the
    // thing that later clauses count ("Về đảng viên: … có 45 đồng chí …"). The full reading
    // below comes to the same for it, at several times the cost.
    if !toks.iter().any(|t| matches!(t, Tok::Num { .. })) {
        if let Some(s) = find_phrases(toks, figure_words).last() {
            ctx.figure = Some(s.which);
        }
        return;
    }
    let mut year_tok = vec![false; toks.len()];
    for (i, is_year) in year_tok.iter_mut().enumerate() {
        if let Some(y) = year_at(toks, i) {
            *is_year = true;
            ctx.year = y;
        }
    }
    let subjects = find_phrases(toks, figure_words);
    let levels = find_phrases(toks, level_words);
    let folded: Vec<&str> = toks
        .iter()
        .filter_map(|t| match t {
            Tok::Word(w) => Some(w.as_str()),
            _ => None,
        })
        .collect();
    // An ignored phrase is its words one after another among the clause's words (numbers and
    // punctuation left out), compared word by word: joining the clause and searching the text
    // for each phrase was 8 % of an ingest.
    let ignored = cfg.ignore.iter().any(|w| {
        let first = w.split(' ').next().unwrap_or_default();
        let n = w.split(' ').count();
        !w.is_empty()
            && folded.iter().enumerate().any(|(i, f)| {
                *f == first
                    && folded
                        .get(i..i + n)
                        .is_some_and(|run| run.iter().copied().eq(w.split(' ')))
            })
    });
    // The clause's own figure, for numbers with none beside them.
    let first_subject = subjects.first().map(|h| h.which);
    if ignored {
        if let Some(s) = subjects.last() {
            ctx.figure = Some(s.which);
        }
        return;
    }
    let in_subject = |i: usize| subjects.iter().find(|h| h.start <= i && i < h.end);
    let in_level = |i: usize| levels.iter().any(|h| h.start <= i && i < h.end);
    let filler = |i: usize| match &toks[i] {
        Tok::Word(w) => FILLER.contains(&w.as_str()) || in_subject(i).is_some(),
        Tok::Punct(':') | Tok::Punct('(') | Tok::Punct(')') => true,
        _ => false,
    };
    let mut used = year_tok.clone();
    let mut level_done = vec![false; levels.len()];
    let mut current = ctx.figure;
    let mut found_any = false;
    let mut push = |figure: usize, measure: Measure, value: u64, year: Option<i32>| {
        let Ok(value) = u32::try_from(value) else {
            return;
        };
        out.push(Value {
            figure: cfg.figures[figure].id.clone(),
            year,
            measure,
            value,
            origin: Origin::Sentence,
            source: sentence.to_string(),
        });
    };
    // The figure that applies at token `i`: the last one named before it in the clause, or the
    // one carried over.
    let figure_before = |i: usize, carried: Option<usize>| {
        subjects
            .iter()
            .rev()
            .find(|h| h.end <= i)
            .map(|h| h.which)
            .or(carried)
    };

    // "a/b đảng viên được đánh giá": a rated out of b members.
    let rates = ["danh", "xep"];
    let about_rating = folded.iter().any(|w| rates.contains(w)) || !levels.is_empty();
    for i in 0..toks.len().saturating_sub(2) {
        if let (
            Tok::Num {
                value: a,
                pct: false,
                slash: true,
            },
            Tok::Punct('/'),
            Tok::Num {
                value: b,
                pct: false,
                slash: true,
            },
        ) = (&toks[i], &toks[i + 1], &toks[i + 2])
        {
            // A date ("25/01/2023") is no rating: the subject must follow at once.
            let date = (i > 0 && toks[i - 1] == Tok::Punct('/'))
                || toks.get(i + 3) == Some(&Tok::Punct('/'));
            let subj = in_subject(i + 3).filter(|h| h.start == i + 3 && !date);
            // "03/18 chi bộ hoàn thành xuất sắc nhiệm vụ": a level right after the thing
            // counted makes `a` that level's count out of `b`.
            let level_after = subj.and_then(|h| {
                levels.iter().position(|l| {
                    l.start >= h.end && (h.end..l.start).all(&filler) && l.start - h.end <= 3
                })
            });
            if let Some(h) = subj
                && a <= b
                && !year_tok[i + 2]
                && let Some(li) = level_after
            {
                push(
                    h.which,
                    Measure::Level(cfg.levels[levels[li].which].id.clone()),
                    *a,
                    ctx.year,
                );
                push(h.which, Measure::Members, *b, ctx.year);
                level_done[li] = true;
                used[i] = true;
                used[i + 2] = true;
                current = Some(h.which);
                found_any = true;
            } else if let Some(h) = subj
                && about_rating
                && a <= b
                && !year_tok[i + 2]
            {
                push(h.which, Measure::Rated, *a, ctx.year);
                push(h.which, Measure::Members, *b, ctx.year);
                used[i] = true;
                used[i + 2] = true;
                current = Some(h.which);
                found_any = true;
            }
        }
    }

    // Levels: the count next to each level's words.
    for (li, lv) in levels.iter().enumerate() {
        if level_done[li] {
            continue;
        }
        // Before: "03 đồng chí hoàn thành tốt nhiệm vụ", "4 chi bộ HTXSNV".
        let mut before = None;
        let mut k = lv.start;
        while k > 0 {
            k -= 1;
            if used[k] {
                break;
            }
            if let Some(v) = is_count(&toks[k]) {
                before = Some((k, v));
                break;
            }
            if !filler(k) || lv.start - k > 8 {
                break;
            }
        }
        let mut pick = before;
        if pick.is_none() {
            // After: "hoàn thành xuất sắc nhiệm vụ 3 đồng chí", "HTXSNV: 5".
            let mut k = lv.end;
            while k < toks.len() && k - lv.end <= 4 {
                if used[k] || in_level(k) {
                    break;
                }
                if let Some(v) = is_count(&toks[k]) {
                    pick = Some((k, v));
                    break;
                }
                if !filler(k) {
                    break;
                }
                k += 1;
            }
        }
        let Some((k, v)) = pick else {
            continue;
        };
        // The figure: named between the count and the level, or just after the count, or the
        // last one named before.
        let (lo, hi) = if k < lv.start {
            (k, lv.start)
        } else {
            (lv.end, (k + 3).min(toks.len()))
        };
        let figure = (lo..hi)
            .find_map(&in_subject)
            .map(|h| h.which)
            .or_else(|| figure_before(k.min(lv.start), current));
        let Some(figure) = figure else {
            continue;
        };
        used[k] = true;
        current = Some(figure);
        found_any = true;
        push(
            figure,
            Measure::Level(cfg.levels[lv.which].id.clone()),
            v,
            ctx.year,
        );
    }

    // "tổng số đảng viên được đánh giá, xếp loại là 289 đồng chí", "trong tổng số 05 tổ
    // chức đảng", "289 đảng viên được đánh giá".
    if about_rating {
        for i in 0..toks.len().saturating_sub(1) {
            if !(word_is(&toks[i], "tong") && word_is(&toks[i + 1], "so")) {
                continue;
            }
            let window = (i + 2)..(i + 14).min(toks.len());
            let num = window
                .clone()
                .find(|k| !used[*k] && is_count(&toks[*k]).is_some());
            let subj = window.clone().find_map(&in_subject);
            if let (Some(k), Some(h)) = (num, subj) {
                if let Some(v) = is_count(&toks[k]) {
                    push(h.which, Measure::Rated, v, ctx.year);
                }
                used[k] = true;
                current = Some(h.which);
                found_any = true;
            }
        }
        for i in 0..toks.len() {
            let Some(v) = (!used[i]).then(|| is_count(&toks[i])).flatten() else {
                continue;
            };
            let Some(h) = in_subject(i + 1).filter(|h| h.start == i + 1) else {
                continue;
            };
            let rest = &toks[h.end..(h.end + 4).min(toks.len())];
            let rated = rest.windows(2).any(|w| {
                word_is(&w[0], "duoc") && (word_is(&w[1], "danh") || word_is(&w[1], "xep"))
            });
            if rated {
                push(h.which, Measure::Rated, v, ctx.year);
                used[i] = true;
                current = Some(h.which);
                found_any = true;
            }
        }
    }
    let _ = found_any;
    ctx.figure = current.or(first_subject).or(ctx.figure);
    if let Some(s) = subjects.last()
        && !found_any
    {
        ctx.figure = Some(s.which);
    }
}

/// A number in a table cell: digits with optional thousands dots, or None.
fn cell_number(s: &str) -> Option<u64> {
    let t = s.trim();
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let digits: String = t.chars().filter(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// A year cell: "2019", "Năm 2019".
fn cell_year(s: &str) -> Option<i32> {
    let f = fold(s);
    let rest = f.strip_prefix("nam ").unwrap_or(&f);
    let y: i32 = rest.trim().parse().ok()?;
    (1990..=2100).contains(&y).then_some(y)
}

fn match_in(text: &str, phrases: &Phrases) -> Option<usize> {
    let toks = tokenize(text);
    find_phrases(&toks, phrases).first().map(|h| h.which)
}

/// Reads a table laid out as years × levels (either way round), with the thing counted in a
/// row label, a group row, a column header or the caption.
pub(super) fn read_table(t: &Table, n: usize, cfg: &FigureConfig, out: &mut Vec<Value>) {
    let (figure_words, level_words) = Phrases::of(cfg);
    let width = t.width();
    if width < 2 || t.rows.len() < 2 {
        return;
    }
    // Header rows: those before the first row holding a number that is not a year.
    let is_data = |r: usize| {
        t.rows[r]
            .iter()
            .any(|c| !c.merged && cell_number(&c.text).is_some() && cell_year(&c.text).is_none())
    };
    let Some(first_data) = (0..t.rows.len()).find(|r| is_data(*r)) else {
        return;
    };
    let col_label = |c: usize| -> String {
        (0..first_data)
            .map(|r| t.text(r, c))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let caption = format!("{} {}", t.caption, t.name.clone().unwrap_or_default());
    let caption_figure = match_in(&caption, &figure_words);
    let caption_toks = tokenize(&caption);
    let caption_year = (0..caption_toks.len()).find_map(|i| year_at(&caption_toks, i).flatten());
    let mut group_figure: Option<usize> = None;
    for r in first_data..t.rows.len() {
        let row = &t.rows[r];
        let numeric: Vec<usize> = (0..width)
            .filter(|c| {
                !row[*c].merged
                    && cell_number(&row[*c].text).is_some()
                    && cell_year(&row[*c].text).is_none()
            })
            .collect();
        let label_cells: Vec<&str> = (0..width)
            .filter(|c| cell_number(&row[*c].text).is_none() || cell_year(&row[*c].text).is_some())
            .map(|c| row[c].text.as_str())
            .collect();
        let row_label = label_cells.join(" ");
        let row_figure = match_in(&row_label, &figure_words);
        let row_level = match_in(&row_label, &level_words);
        if row_figure.is_some() && row_level.is_none() {
            group_figure = row_figure;
        }
        if numeric.is_empty() {
            continue;
        }
        let row_year = (0..width)
            .filter(|c| !numeric.contains(c))
            .find_map(|c| cell_year(&row[c].text));
        for &c in &numeric {
            let Some(v) = cell_number(&row[c].text) else {
                continue;
            };
            let cl = col_label(c);
            let col_level = match_in(&cl, &level_words);
            let col_figure = match_in(&cl, &figure_words);
            let col_year = (0..first_data).find_map(|r| cell_year(t.text(r, c)));
            // A numbering column ("TT") holds numbers that count nothing.
            if matches!(fold(&cl).as_str(), "tt" | "stt" | "so tt" | "so thu tu") {
                continue;
            }
            // The caption's year serves only columns that say what they hold.
            let named_column = col_level.is_some() || col_figure.is_some();
            let year = col_year
                .or(row_year)
                .or(caption_year.filter(|_| named_column));
            let level = row_level.or(col_level);
            let measure = match level {
                Some(l) => Measure::Level(cfg.levels[l].id.clone()),
                None => {
                    let lab = fold(&format!("{row_label} {cl}"));
                    let has = |w: &str| !crate::vntext::find_words(&lab, w).is_empty();
                    if has("danh gia") || has("xep loai") || has("tong so") || has("tong cong") {
                        Measure::Rated
                    } else {
                        continue;
                    }
                }
            };
            let Some(year) = year else {
                continue;
            };
            let figure = row_figure
                .or(group_figure)
                .or(col_figure)
                .or(caption_figure);
            let Some(figure) = figure else {
                continue;
            };
            let Ok(value) = u32::try_from(v) else {
                continue;
            };
            out.push(Value {
                figure: cfg.figures[figure].id.clone(),
                year: Some(year),
                measure,
                value,
                origin: Origin::Table,
                source: format!(
                    "Bảng {}, dòng {} «{}», cột «{}»: {}",
                    n + 1,
                    r + 1,
                    row_label.trim(),
                    cl.trim(),
                    row[c].text.trim()
                ),
            });
        }
    }
}
