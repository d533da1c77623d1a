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
use std::sync::Arc;

use crate::config::FigureConfig;
use crate::documents::{Document, Table};
use crate::vntext::{fold, fold_char_bytes, fold_vn_letter, is_letter, is_mark};

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
        FigureReader::new(cfg).take(doc)
    }

    /// These figures were read with the words of `cfg`.
    pub fn read_with(&self, cfg: &FigureConfig) -> bool {
        self.words == words_fingerprint(cfg)
    }
}

/// A campaign's figure words made ready once (their lexicon and fingerprint) for the figures
/// of many reports: building them for each report was a twentieth of reading its figures.
#[derive(Clone)]
pub struct FigureReader {
    cfg: FigureConfig,
    lex: Arc<Lexicon>,
    words: String,
}

impl std::fmt::Debug for FigureReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FigureReader")
            .field("words", &self.words)
            .finish_non_exhaustive()
    }
}

impl FigureReader {
    /// A reader with the words of `cfg`.
    pub fn new(cfg: &FigureConfig) -> Self {
        FigureReader {
            cfg: cfg.clone(),
            lex: Arc::new(Lexicon::new(cfg)),
            words: words_fingerprint(cfg),
        }
    }

    /// The figures of `doc`, as [`StoredFigures::take`] reads them.
    pub fn take(&self, doc: &Document) -> StoredFigures {
        StoredFigures {
            words: self.words.clone(),
            text_source: serde_json::to_value(doc.source)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string)),
            scanned: doc.scanned,
            values: read_with(doc, &self.cfg, &self.lex),
        }
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
#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok {
    /// A folded word, by its id in the [`Lexicon`] ([`OTHER`] for a word no phrase uses).
    Word(u32),
    /// A number: its value, followed by '%', part of "a/b".
    Num { value: u64, pct: bool, slash: bool },
    /// Punctuation that matters: , ; : ( ) / - %
    Punct(char),
}

/// The id of every word the reading never compares with anything.
const OTHER: u32 = 0;

/// Words that may stand between a count and the level it counts ("03 đồng chí được xếp loại
/// hoàn thành tốt nhiệm vụ"), besides the words naming what is counted.
const FILLER: &[&str] = &[
    "dong", "chi", "duoc", "xep", "loai", "danh", "gia", "dat", "la", "co", "muc", "so", "luong",
    "gom", "voi", "tu", "trong", "do", "truc", "thuoc", "ca", "nhan", "tap", "the", "xl", "dg",
];

/// The words the reading looks for by name.
#[derive(Debug, Clone, Copy)]
struct Keys {
    nam: u32,
    tu: u32,
    doan: u32,
    den: u32,
    toi: u32,
    tong: u32,
    so: u32,
    duoc: u32,
    danh: u32,
    xep: u32,
}

/// Every word a campaign's figure phrases, levels, ignored phrases and the reading's own
/// keywords use, each with a small id: a report's words are looked up while they are folded,
/// so tokenising allocates nothing per word (a String per word was most of the figure
/// reading's cost), and comparing words is comparing ids.
pub(super) struct Lexicon {
    words: Trie,
    /// By word id: the word is a [`FILLER`].
    filler: Vec<bool>,
    keys: Keys,
    figures: Phrases,
    levels: Phrases,
    /// The ignored phrases, as word ids.
    ignore: Vec<Vec<u32>>,
    /// By word id: some ignored phrase starts with the word.
    ignore_first: Vec<bool>,
}

impl Lexicon {
    /// The lexicon of `cfg`.
    pub(super) fn new<'a>(cfg: &'a FigureConfig) -> Self {
        let mut ids: WordMap<&'a str, u32> = WordMap::default();
        let mut id_of = |w: &'a str| {
            let next = ids.len() as u32 + 1;
            *ids.entry(w).or_insert(next)
        };
        let keys = Keys {
            nam: id_of("nam"),
            tu: id_of("tu"),
            doan: id_of("doan"),
            den: id_of("den"),
            toi: id_of("toi"),
            tong: id_of("tong"),
            so: id_of("so"),
            duoc: id_of("duoc"),
            danh: id_of("danh"),
            xep: id_of("xep"),
        };
        let filler_ids: Vec<u32> = FILLER.iter().map(|w| id_of(w)).collect();
        let mut phrases = |lists: &mut dyn Iterator<Item = &'a [String]>| {
            let mut by_first: Vec<Vec<(usize, Vec<u32>)>> = Vec::new();
            for (which, words) in lists.enumerate() {
                for w in words {
                    let parts: Vec<u32> = w.split(' ').map(&mut id_of).collect();
                    if let Some(&first) = parts.first() {
                        let at = first as usize;
                        if by_first.len() <= at {
                            by_first.resize_with(at + 1, Vec::new);
                        }
                        by_first[at].push((which, parts));
                    }
                }
            }
            Phrases { by_first }
        };
        let figures = phrases(&mut cfg.figures.iter().map(|f| f.words.as_slice()));
        let levels = phrases(&mut cfg.levels.iter().map(|l| l.words.as_slice()));
        let ignore: Vec<Vec<u32>> = cfg
            .ignore
            .iter()
            .filter(|w| !w.is_empty())
            .map(|w| w.split(' ').map(&mut id_of).collect())
            .collect();
        let mut filler = vec![false; ids.len() + 1];
        for id in filler_ids {
            filler[id as usize] = true;
        }
        let mut ignore_first = vec![false; ids.len() + 1];
        for w in &ignore {
            if let Some(&first) = w.first() {
                ignore_first[first as usize] = true;
            }
        }
        Lexicon {
            words: Trie::new(&ids),
            filler,
            keys,
            figures,
            levels,
            ignore,
            ignore_first,
        }
    }

    fn is_filler(&self, id: u32) -> bool {
        self.filler.get(id as usize).copied().unwrap_or(false)
    }

    /// Cuts `s` into `out` (cleared first).
    fn tokenize_into(&self, s: &str, out: &mut Vec<Tok>) {
        out.clear();
        let b = s.as_bytes();
        let n = b.len();
        let mut i = 0;
        while i < n {
            let c = b[i];
            if c.is_ascii_digit() {
                let mut value: u64 = 0;
                let mut j = i;
                let add = |d: u8, value: &mut u64| {
                    // Too long for u64: as the old `parse` did, the value is u64::MAX.
                    *value = value
                        .checked_mul(10)
                        .and_then(|v| v.checked_add(u64::from(d - b'0')))
                        .unwrap_or(u64::MAX);
                };
                loop {
                    while j < n && b[j].is_ascii_digit() {
                        add(b[j], &mut value);
                        j += 1;
                    }
                    // "1.234" is a thousand-separated number; "16,5" a decimal (its value is
                    // the integer part: only percentages have one).
                    if j + 1 < n && (b[j] == b'.' || b[j] == b',') && b[j + 1].is_ascii_digit() {
                        let run = b[j + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
                        if b[j] == b'.' && run == 3 {
                            j += 1;
                            continue;
                        }
                        if b[j] == b',' && run <= 2 {
                            j += 1 + run;
                        }
                    }
                    break;
                }
                let mut rest = b[j..].iter().skip_while(|c| **c == b' ');
                let next = rest.next().copied();
                let pct = next == Some(b'%');
                let slash_after = next == Some(b'/')
                    && rest
                        .next()
                        .is_some_and(|c| c.is_ascii_digit() || *c == b' ');
                let slash_before = matches!(out.last(), Some(Tok::Punct('/')));
                out.push(Tok::Num {
                    value,
                    pct,
                    slash: slash_after || slash_before,
                });
                i = j;
                continue;
            }
            let ch = if c < 0x80 {
                c as char
            } else {
                s[i..].chars().next().unwrap_or(char::REPLACEMENT_CHARACTER)
            };
            if is_letter(ch) {
                // One pass cuts the word, folds it and walks the trie. ASCII letters and
                // Vietnamese letters are stepped from their bytes; anything else is decoded.
                let mut j = i;
                let mut node = self.words.root();
                let mut folded = false;
                while j < n {
                    if b[j] < 0x80 {
                        if !b[j].is_ascii_alphabetic() {
                            break;
                        }
                        folded = true;
                        node = self.words.step(node, b[j]);
                        j += 1;
                        continue;
                    }
                    if let Some((x, len)) = fold_vn_letter(&b[j..]) {
                        folded = true;
                        node = self.words.step(node, x);
                        j += len;
                        continue;
                    }
                    let d = s[j..].chars().next().unwrap_or(char::REPLACEMENT_CHARACTER);
                    if is_letter(d) {
                        fold_char_bytes(d, |x| {
                            folded = true;
                            node = self.words.step(node, x);
                        });
                    } else if !is_mark(d) {
                        break;
                    }
                    j += d.len_utf8();
                }
                if folded {
                    out.push(Tok::Word(self.words.word(node)));
                }
                i = j;
            } else {
                if matches!(ch, ',' | ';' | ':' | '(' | ')' | '/' | '%' | '-' | '–') {
                    out.push(Tok::Punct(if ch == '–' { '-' } else { ch }));
                }
                i += ch.len_utf8();
            }
        }
    }

    fn tokenize(&self, s: &str) -> Vec<Tok> {
        let mut out = Vec::new();
        self.tokenize_into(s, &mut out);
        out
    }
}

/// The lexicon's words as a trie over their folded bytes: a word is looked up while it is
/// folded, one table step per byte. Rows are stored at their offset in `next` (a step is one
/// add and one load, no multiply), an ASCII capital shares its small letter's column, and the
/// last column of a row holds the id of the word ending there.
struct Trie {
    /// Each byte's column in a row; 0 for a byte no word has (its entry is always the dead row).
    class: [u16; 256],
    /// Columns per row: one per byte class, then the word id.
    width: usize,
    /// Row offset × column → offset of the next row; row 0 is dead (no word goes on, and its
    /// word id is [`OTHER`]), row 1 is the root.
    next: Vec<u32>,
}

impl Trie {
    /// Offset of the root row (row 1) in a trie of row `width`.
    fn root(&self) -> u32 {
        self.width as u32
    }

    fn new(ids: &WordMap<&str, u32>) -> Trie {
        let mut class = [0u16; 256];
        let mut classes = 1usize;
        for w in ids.keys() {
            for b in w.bytes() {
                if class[usize::from(b)] == 0 {
                    class[usize::from(b)] = classes as u16;
                    classes += 1;
                }
            }
        }
        // The words are folded (small letters): a capital steps as its small letter.
        for b in b'A'..=b'Z' {
            class[usize::from(b)] = class[usize::from(b.to_ascii_lowercase())];
        }
        let width = classes + 1;
        let mut next = vec![0u32; 2 * width];
        for (w, &id) in ids {
            let mut row = width;
            for b in w.bytes() {
                let at = row + usize::from(class[usize::from(b)]);
                if next[at] == 0 {
                    next[at] = next.len() as u32;
                    next.resize(next.len() + width, 0);
                }
                row = next[at] as usize;
            }
            next[row + width - 1] = id;
        }
        Trie { class, width, next }
    }

    #[inline]
    fn step(&self, row: u32, b: u8) -> u32 {
        let at = row as usize + usize::from(self.class[usize::from(b)]);
        self.next.get(at).copied().unwrap_or(0)
    }

    fn word(&self, row: u32) -> u32 {
        self.next
            .get(row as usize + self.width - 1)
            .copied()
            .unwrap_or(OTHER)
    }
}

/// A phrase found in the tokens: which one (index into the list) and its token span.
#[derive(Debug, Clone, Copy)]
struct Hit {
    which: usize,
    start: usize,
    end: usize,
}

/// A phrase list cut into word ids once and indexed by the id of its first word: a report has
/// hundreds of clauses, and trying every phrase at every token was half of an ingest's CPU.
struct Phrases {
    by_first: Vec<Vec<(usize, Vec<u32>)>>,
}

/// A map keyed by short words, looked up once per word of a report: foldhash, not SipHash
/// (the keys are the campaign's own words, not an attacker's).
type WordMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// Where the phrases occur in `toks`, longest first and never overlapping.
fn find_phrases(toks: &[Tok], phrases: &Phrases) -> Vec<Hit> {
    let mut hits = Vec::new();
    find_phrases_into(toks, phrases, &mut PhraseBufs::default(), &mut hits);
    hits
}

/// Room [`find_phrases_into`] works in, kept from clause to clause.
#[derive(Default)]
struct PhraseBufs {
    /// (which, start, len)
    cands: Vec<(usize, usize, usize)>,
    taken: Vec<bool>,
}

/// [`find_phrases`] into `hits` (cleared first), with reused buffers.
fn find_phrases_into(toks: &[Tok], phrases: &Phrases, bufs: &mut PhraseBufs, hits: &mut Vec<Hit>) {
    hits.clear();
    let cands = &mut bufs.cands;
    cands.clear();
    for start in 0..toks.len() {
        let Some(Tok::Word(first)) = toks.get(start) else {
            continue;
        };
        let Some(list) = phrases.by_first.get(*first as usize) else {
            continue;
        };
        for (which, parts) in list {
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
    if cands.is_empty() {
        return;
    }
    cands.sort_by_key(|(_, start, len)| (std::cmp::Reverse(*len), *start));
    let taken = &mut bufs.taken;
    taken.clear();
    taken.resize(toks.len(), false);
    for &(which, start, len) in cands.iter() {
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

fn word_is(t: &Tok, w: u32) -> bool {
    *t == Tok::Word(w)
}

/// The state carried from clause to clause: the year and the thing counted last named.
#[derive(Debug, Clone, Default)]
pub(super) struct Context {
    year: Option<i32>,
    figure: Option<usize>,
}

/// Reads every figure out of `doc`.
pub fn read_document(doc: &Document, cfg: &FigureConfig) -> Vec<Value> {
    read_with(doc, cfg, &Lexicon::new(cfg))
}

/// [`read_document`] with the lexicon of `cfg` made already.
fn read_with(doc: &Document, cfg: &FigureConfig, lex: &Lexicon) -> Vec<Value> {
    let mut out = Vec::new();
    let mut ctx = Context::default();
    let mut scratch = Scratch::default();
    for p in &doc.paragraphs {
        read_paragraph(&p.text, cfg, lex, &mut ctx, &mut scratch, &mut out);
    }
    for (n, t) in doc.tables.iter().enumerate() {
        read_table(t, n, cfg, lex, &mut out);
    }
    out
}

/// Buffers reused from sentence to sentence, and the clauses not read yet.
#[derive(Default)]
pub(super) struct Scratch<'d> {
    toks: Vec<Tok>,
    pending: Vec<&'d str>,
    clause: ClauseBufs,
}

/// What reading one clause needs room for: a report has hundreds of clauses, and allocating
/// these afresh for each was a sixth of the figure reading.
#[derive(Default)]
struct ClauseBufs {
    year_tok: Vec<bool>,
    used: Vec<bool>,
    level_done: Vec<bool>,
    folded: Vec<u32>,
    subjects: Vec<Hit>,
    levels: Vec<Hit>,
    phrases: PhraseBufs,
}

/// Cuts a paragraph into sentences: at a full stop followed by a space and a capital letter
/// (or a digit-free new start), and at line breaks.
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    text.lines().flat_map(|line| {
        // The marks are ASCII: they are found with memchr, and only the letter after one is
        // decoded.
        let b = line.as_bytes();
        let (mut start, mut i, mut rest_given) = (0, 0, false);
        std::iter::from_fn(move || {
            while let Some(found) = b
                .get(i..)
                .and_then(|r| memchr::memchr3(b'.', b'!', b'?', r))
            {
                let at = i + found;
                i = at + 1;
                if b.get(at + 1) == Some(&b' ')
                    && line[at + 2..]
                        .chars()
                        .next()
                        .is_some_and(char::is_uppercase)
                {
                    let sentence = &line[start..=at];
                    start = at + 2;
                    return Some(sentence);
                }
            }
            if !rest_given && start < line.len() {
                rest_given = true;
                return Some(&line[start..]);
            }
            None
        })
        .map(str::trim)
        .filter(|s| !s.is_empty())
    })
}

/// Reads the sentences of one paragraph, carrying `ctx` across them.
pub(super) fn read_paragraph<'d>(
    text: &'d str,
    cfg: &FigureConfig,
    lex: &Lexicon,
    ctx: &mut Context,
    scratch: &mut Scratch<'d>,
    out: &mut Vec<Value>,
) {
    for sentence in sentences(text) {
        // Clauses end at ';' — a "trong đó" list stays in the clause of its total. (A ';' is
        // always a token of its own, so cutting the text gives the clauses' tokens.)
        for clause in sentence.split(';') {
            // A clause without a digit has no number: all it can do is name the thing later
            // clauses count. Most of a report's prose is such clauses; they are read only
            // when a clause with numbers follows, and then from the last one back to the
            // first that names something.
            if !clause.bytes().any(|b| b.is_ascii_digit()) {
                scratch.pending.push(clause);
                continue;
            }
            settle(lex, ctx, scratch);
            lex.tokenize_into(clause, &mut scratch.toks);
            read_clause(
                &scratch.toks,
                sentence,
                cfg,
                lex,
                ctx,
                out,
                &mut scratch.clause,
            );
        }
    }
}

/// What the clauses without numbers since the last clause read leave in `ctx`: the thing the
/// last of them to name one named (see `read_clause`).
fn settle(lex: &Lexicon, ctx: &mut Context, scratch: &mut Scratch) {
    while let Some(clause) = scratch.pending.pop() {
        lex.tokenize_into(clause, &mut scratch.toks);
        let bufs = &mut scratch.clause;
        find_phrases_into(
            &scratch.toks,
            &lex.figures,
            &mut bufs.phrases,
            &mut bufs.subjects,
        );
        if let Some(s) = bufs.subjects.last() {
            ctx.figure = Some(s.which);
            scratch.pending.clear();
            return;
        }
    }
}

/// A year in the clause at token `i` (a four-digit number read as a year): preceded by "năm",
/// or the clause's first token. Ranges ("từ năm 2018 đến nay", "2018 - 2022") give None and
/// clear the year.
fn year_at(toks: &[Tok], i: usize, k: &Keys) -> Option<Option<i32>> {
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
    let after_nam = i > 0 && word_is(&toks[i - 1], k.nam);
    if !after_nam && i != 0 {
        return None;
    }
    let range_before = i >= 2 && (word_is(&toks[i - 2], k.tu) || word_is(&toks[i - 2], k.doan));
    let range_after = toks
        .get(i + 1)
        .is_some_and(|t| word_is(t, k.den) || *t == Tok::Punct('-') || word_is(t, k.toi));
    if range_before || range_after {
        return Some(None);
    }
    Some(Some(value as i32))
}

fn read_clause(
    toks: &[Tok],
    sentence: &str,
    cfg: &FigureConfig,
    lex: &Lexicon,
    ctx: &mut Context,
    out: &mut Vec<Value>,
    bufs: &mut ClauseBufs,
) {
    let (figure_words, level_words, k) = (&lex.figures, &lex.levels, &lex.keys);
    let ClauseBufs {
        year_tok,
        used,
        level_done,
        folded,
        subjects,
        levels,
        phrases,
    } = bufs;
    // Clauses without a number never come here (see `read_paragraph` and `settle`).
    if toks.is_empty() {
        return;
    }
    year_tok.clear();
    year_tok.resize(toks.len(), false);
    for (i, is_year) in year_tok.iter_mut().enumerate() {
        if let Some(y) = year_at(toks, i, k) {
            *is_year = true;
            ctx.year = y;
        }
    }
    find_phrases_into(toks, figure_words, phrases, subjects);
    find_phrases_into(toks, level_words, phrases, levels);
    let (subjects, levels, year_tok) = (&*subjects, &*levels, &*year_tok);
    folded.clear();
    folded.extend(toks.iter().filter_map(|t| match t {
        Tok::Word(w) => Some(*w),
        _ => None,
    }));
    let folded = &*folded;
    // An ignored phrase is its words one after another among the clause's words (numbers and
    // punctuation left out), compared word by word: joining the clause and searching the text
    // for each phrase was 8 % of an ingest.
    // Only where an ignored phrase can start are the phrases compared (trying each phrase at
    // every word was a twentieth of the figure reading).
    let ignored = folded.iter().enumerate().any(|(i, f)| {
        lex.ignore_first.get(*f as usize).copied().unwrap_or(false)
            && lex
                .ignore
                .iter()
                .any(|w| folded.get(i..i + w.len()) == Some(w.as_slice()))
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
        Tok::Word(w) => lex.is_filler(*w) || in_subject(i).is_some(),
        Tok::Punct(':') | Tok::Punct('(') | Tok::Punct(')') => true,
        _ => false,
    };
    used.clear();
    used.extend_from_slice(year_tok);
    level_done.clear();
    level_done.resize(levels.len(), false);
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
    let about_rating = folded.iter().any(|w| *w == k.danh || *w == k.xep) || !levels.is_empty();
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
            if !(word_is(&toks[i], k.tong) && word_is(&toks[i + 1], k.so)) {
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
                word_is(&w[0], k.duoc) && (word_is(&w[1], k.danh) || word_is(&w[1], k.xep))
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

fn match_in(text: &str, lex: &Lexicon, phrases: &Phrases) -> Option<usize> {
    let toks = lex.tokenize(text);
    find_phrases(&toks, phrases).first().map(|h| h.which)
}

/// Reads a table laid out as years × levels (either way round), with the thing counted in a
/// row label, a group row, a column header or the caption.
pub(super) fn read_table(
    t: &Table,
    n: usize,
    cfg: &FigureConfig,
    lex: &Lexicon,
    out: &mut Vec<Value>,
) {
    let (figure_words, level_words) = (&lex.figures, &lex.levels);
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
    let caption_figure = match_in(&caption, lex, figure_words);
    let caption_toks = lex.tokenize(&caption);
    let caption_year =
        (0..caption_toks.len()).find_map(|i| year_at(&caption_toks, i, &lex.keys).flatten());
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
        let row_figure = match_in(&row_label, lex, figure_words);
        let row_level = match_in(&row_label, lex, level_words);
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
            let col_level = match_in(&cl, lex, level_words);
            let col_figure = match_in(&cl, lex, figure_words);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon_cfg() -> FigureConfig {
        crate::figures::tests::seed_config()
    }

    #[test]
    fn one_reader_reads_many_reports_as_each_would_be_read_alone() {
        let cfg = lexicon_cfg();
        let reader = FigureReader::new(&cfg);
        let reports = [
            [
                "Năm 2022, tổng số đảng viên được đánh giá là 120 đồng chí.",
                "Trong đó: 20 đồng chí hoàn thành xuất sắc nhiệm vụ, 90 hoàn thành tốt nhiệm vụ.",
            ],
            [
                "Năm 2021 có 15 tổ chức cơ sở đảng được xếp loại.",
                "Không có nội dung số liệu.",
            ],
        ];
        let mut read = 0;
        for lines in reports {
            let doc = Document::from_lines(crate::message::FileKind::Docx, &lines);
            let alone = StoredFigures::take(&doc, &cfg);
            assert_eq!(reader.take(&doc), alone);
            read += alone.values.len();
        }
        assert!(read > 0, "the reports hold figures");
    }

    #[test]
    fn the_trie_gives_each_lexicon_word_its_id_and_every_other_word_none() {
        let cfg = lexicon_cfg();
        let lex = Lexicon::new(&cfg);
        let k = lex.keys;
        // Precomposed, decomposed (combining marks) and capitals fold to the same word.
        let toks = lex.tokenize("Năm NĂM na\u{306}m nam");
        assert_eq!(toks, vec![Tok::Word(k.nam); 4]);
        // A prefix or an extension of a lexicon word is another word.
        let toks = lex.tokenize("na namm tổng số xyz");
        assert_eq!(
            toks,
            vec![
                Tok::Word(OTHER),
                Tok::Word(OTHER),
                Tok::Word(k.tong),
                Tok::Word(k.so),
                Tok::Word(OTHER)
            ]
        );
        assert!(lex.is_filler(k.duoc) && !lex.is_filler(k.nam) && !lex.is_filler(OTHER));
    }

    #[test]
    fn numbers_keep_thousands_drop_decimals_and_saturate() {
        let cfg = lexicon_cfg();
        let lex = Lexicon::new(&cfg);
        let nums: Vec<(u64, bool, bool)> = lex
            .tokenize("1.234 người, 16,5 %, 3/18 chi bộ, 99999999999999999999999 x")
            .into_iter()
            .filter_map(|t| match t {
                Tok::Num { value, pct, slash } => Some((value, pct, slash)),
                _ => None,
            })
            .collect();
        assert_eq!(
            nums,
            vec![
                (1234, false, false),
                (16, true, false),
                (3, false, true),
                (18, false, true),
                (u64::MAX, false, false)
            ]
        );
    }

    #[test]
    fn sentences_end_at_a_stop_before_a_capital_and_at_line_breaks() {
        let got: Vec<&str> =
            sentences("Có 3 chi bộ. Năm 2020: 5 đảng viên. tiếp theo\n  Dòng hai  ").collect();
        assert_eq!(
            got,
            vec![
                "Có 3 chi bộ.",
                "Năm 2020: 5 đảng viên. tiếp theo",
                "Dòng hai"
            ]
        );
    }
}
