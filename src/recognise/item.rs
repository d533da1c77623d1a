//! Which required item a file is, from its name (and, for files named "Scan_0128.pdf", from the
//! subject). Lists such as "Bieu 2,3,4" or "Biểu 1-4" name several forms at once; otherwise
//! each item's keywords are matched as whole words. A form beats the report when both match
//! ("Bieu mau bao cao 2").
//!
//! This is the first, name-only pass; the documents stage can later confirm or correct it
//! from what the file actually holds.

use crate::config::{Campaign, ItemKind};
use crate::vntext::{Folded, fold};

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Num(u32),
    Dash,
    Comma,
}

fn tokens(s: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut num = String::new();
    let flush = |word: &mut String, num: &mut String, out: &mut Vec<Tok>| {
        if !word.is_empty() {
            out.push(Tok::Word(fold(word)));
            word.clear();
        }
        if !num.is_empty() {
            // Anything too long to be a form number ("20230128") is just a word.
            match num.parse::<u32>() {
                Ok(n) if num.len() <= 3 => out.push(Tok::Num(n)),
                _ => out.push(Tok::Word(num.clone())),
            }
            num.clear();
        }
    };
    for c in s.chars() {
        if c.is_ascii_digit() {
            if !word.is_empty() {
                flush(&mut word, &mut num, &mut out);
            }
            num.push(c);
        } else if c.is_alphabetic() {
            if !num.is_empty() {
                flush(&mut word, &mut num, &mut out);
            }
            word.push(c);
        } else {
            flush(&mut word, &mut num, &mut out);
            match c {
                '-' | '–' | '—' => out.push(Tok::Dash),
                ',' | ';' | '+' | '&' => out.push(Tok::Comma),
                _ => {}
            }
        }
    }
    flush(&mut word, &mut num, &mut out);
    out
}

/// Form numbers listed after a list word: "Bieu 2,3,4" → [2, 3, 4]; "Biểu số 1-4" → [1..4].
fn listed_numbers(s: &str, list_words: &[String]) -> Vec<u32> {
    let toks = tokens(s);
    let mut words: Vec<Vec<String>> = list_words
        .iter()
        .map(|w| w.split(' ').map(str::to_string).collect())
        .collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let mut nums = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let Some(lw) = words.iter().find(|w| {
            w.iter()
                .enumerate()
                .all(|(k, x)| matches!(toks.get(i + k), Some(Tok::Word(t)) if t == x))
        }) else {
            i += 1;
            continue;
        };
        let mut j = i + lw.len();
        let mut last: Option<u32> = None;
        loop {
            match toks.get(j) {
                Some(Tok::Num(n)) => {
                    nums.push(*n);
                    last = Some(*n);
                    j += 1;
                }
                Some(Tok::Comma) if last.is_some() => j += 1,
                Some(Tok::Word(w)) if last.is_some() && (w == "va" || w == "and") => j += 1,
                Some(t) if last.is_some() && (*t == Tok::Dash || *t == Tok::Word("den".into())) => {
                    match (last, toks.get(j + 1)) {
                        (Some(a), Some(Tok::Num(b))) if *b > a && b - a <= 20 => {
                            nums.extend(a + 1..=*b);
                            last = Some(*b);
                            j += 2;
                        }
                        _ => break,
                    }
                }
                _ => break,
            }
        }
        i = j.max(i + 1);
    }
    nums.sort_unstable();
    nums.dedup();
    nums
}

/// The items a file name (or a subject) names, in campaign order.
pub fn classify(text: &str, campaign: &Campaign) -> Vec<String> {
    let listed = listed_numbers(text, &campaign.form_list_words);
    let mut forms: Vec<String> = campaign
        .items
        .iter()
        .filter(|i| i.number.is_some_and(|n| listed.contains(&n)))
        .map(|i| i.id.clone())
        .collect();
    let f = Folded::new(text);
    let mut others = Vec::new();
    for it in &campaign.items {
        if forms.contains(&it.id) {
            continue;
        }
        if it.keywords.iter().any(|k| !f.find_words(k).is_empty()) {
            if it.kind == ItemKind::Form {
                forms.push(it.id.clone());
            } else {
                others.push(it.id.clone());
            }
        }
    }
    let chosen = if forms.is_empty() { others } else { forms };
    campaign
        .items
        .iter()
        .filter(|i| chosen.contains(&i.id))
        .map(|i| i.id.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn campaign() -> Campaign {
        let cfg =
            crate::config::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("config/baocao.toml"))
                .unwrap();
        cfg.campaign("809-CV-HU").unwrap().clone()
    }

    #[test]
    fn names_from_real_mail() {
        let c = campaign();
        let cases: &[(&str, &[&str])] = &[
            ("BC 132 - DU xa Loc Thanh.docx", &["report"]),
            (
                "Bieu 1,2,3,4 Loc Thanh.xlsx",
                &["bieu1", "bieu2", "bieu3", "bieu4"],
            ),
            ("Bieu 2,3,4 Loc An.xlsx", &["bieu2", "bieu3", "bieu4"]),
            (
                "Bieu 1-4 Quan su.xlsx",
                &["bieu1", "bieu2", "bieu3", "bieu4"],
            ),
            ("Biểu số 2.xlsx", &["bieu2"]),
            ("Bieu so 3.xlsx", &["bieu3"]),
            ("bieu2.xlsx", &["bieu2"]),
            ("Báo cáo 132 - Đảng ủy xã Lộc An.docx", &["report"]),
            ("bao cao (1).docx", &["report"]),
            ("Scan_20230128.pdf", &[]),
            ("Biểu số 2 và 3 Lộc Nam.xls", &["bieu2", "bieu3"]),
            (
                "Đảng ủy xã Lộc Nam gửi Biểu số 2 (Quy định 132)",
                &["bieu2"],
            ),
        ];
        for (name, want) in cases {
            assert_eq!(classify(name, &c), *want, "{name}");
        }
    }
}
