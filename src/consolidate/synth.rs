//! Synthesis of what units wrote under one heading: paragraphs that say the same thing are
//! written once with their count, near-identical ones once with the differing words attributed
//! ("riêng Đảng ủy xã Lộc An: …"), the rest kept with their unit's name.
//!
//! Paragraphs are compared folded (no diacritics, lower case) with each unit's own name
//! replaced by a placeholder, as sequences of words: two paragraphs are the same when the
//! sequences are equal, near-identical when their word-level edit distance is small.

use crate::vntext::{Folded, fold};

/// How close two paragraphs' words must be to count as the same text told differently.
const NEAR: f64 = 0.72;
/// A variant whose own words are more than this share of it is written whole.
const MOST: f64 = 0.6;

/// A paragraph several units wrote (or one unit alone).
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The units that wrote it (or a close variant), in the units' order.
    pub units: Vec<String>,
    /// The text, with a unit's own name replaced by "đơn vị" when several wrote it.
    pub text: String,
    /// Close variants: (units, their own words), each different from `text` only there.
    pub variants: Vec<(Vec<String>, String)>,
}

/// Removes a unit's references to its own annexes: "(chi tiết tại Biểu số 1 kèm theo)",
/// "Ý kiến cụ thể tại Biểu số 2, 3, 4 kèm theo." — the annexes are consolidated elsewhere.
pub fn strip_annex_refs(s: &str) -> String {
    let is_ref = |t: &str| {
        let f = fold(t);
        f.contains("kem theo") && (f.contains("bieu") || f.contains("phu luc"))
    };
    // Parenthesised references.
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('(') {
        let Some(close) = rest[open..].find(')') else {
            break;
        };
        let inner = &rest[open + 1..open + close];
        out.push_str(&rest[..open]);
        if is_ref(inner) {
            // Drop the space before it too.
            while out.ends_with(' ') {
                out.pop();
            }
        } else {
            out.push_str(&rest[open..=open + close]);
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    // Whole short sentences that only point at the annexes.
    let sentences = split_sentences(&out);
    let kept: Vec<&str> = sentences
        .iter()
        .filter(|t| !(is_ref(t) && t.split_whitespace().count() <= 16))
        .map(|t| t.trim())
        .collect();
    kept.join(" ").trim().to_string()
}

/// Cuts text into sentences at a full stop followed by a space and a capital letter.
pub fn split_sentences(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let b = s.as_bytes();
    for (i, c) in s.char_indices() {
        if c == '.' && b.get(i + 1) == Some(&b' ') {
            let next = s[i + 2..].chars().next();
            if next.is_some_and(|n| n.is_uppercase()) {
                out.push(&s[start..=i]);
                start = i + 2;
            }
        }
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// `text` with every occurrence of the unit's names replaced by `by` (matched folded, so
/// "đảng ủy xã lộc an" in lower case is found too).
pub fn replace_names(text: &str, names: &[String], by: &str) -> String {
    let mut s = text.to_string();
    for n in names {
        let needle = fold(n);
        if needle.is_empty() {
            continue;
        }
        loop {
            let f = Folded::new(&s);
            let Some(&pos) = f.find_words(&needle).first() else {
                break;
            };
            let orig = f.original(pos, pos + needle.len());
            if orig.is_empty() {
                break;
            }
            let Some(at) = s.find(&orig) else {
                break;
            };
            s.replace_range(at..at + orig.len(), by);
        }
    }
    s
}

/// The folded words of `s`, each as a hash (cheap to compare and copy).
fn words_of(s: &str) -> Vec<u64> {
    use std::hash::{Hash, Hasher};
    fold(s)
        .split(' ')
        .map(|w| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            w.hash(&mut h);
            h.finish()
        })
        .collect()
}

fn similarity(a: &[u64], b: &[u64]) -> f64 {
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 1.0;
    }
    let (a, b) = (a.to_vec(), b.to_vec());
    let d = strsim::generic_levenshtein(&a, &b);
    1.0 - d as f64 / longest as f64
}

/// The words of `b` (original spelling) not in a longest common word sequence with `a`,
/// as runs.
fn own_words(a: &str, b: &str) -> Vec<String> {
    let aw: Vec<&str> = a.split_whitespace().collect();
    let bw: Vec<&str> = b.split_whitespace().collect();
    let af: Vec<String> = aw.iter().map(|w| fold(w)).collect();
    let bf: Vec<String> = bw.iter().map(|w| fold(w)).collect();
    let (n, m) = (af.len(), bf.len());
    let mut l = vec![vec![0u16; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            l[i][j] = if af[i] == bf[j] {
                l[i + 1][j + 1] + 1
            } else {
                l[i + 1][j].max(l[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut runs = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    while j < m {
        if i < n && af[i] == bf[j] {
            if !cur.is_empty() {
                runs.push(cur.join(" "));
                cur.clear();
            }
            i += 1;
            j += 1;
        } else if i < n && l[i + 1][j] >= l[i][j + 1] {
            i += 1;
        } else {
            cur.push(bw[j]);
            j += 1;
        }
    }
    if !cur.is_empty() {
        runs.push(cur.join(" "));
    }
    runs.into_iter()
        .map(|r| r.trim_matches([',', ';', '.', ' ']).to_string())
        .filter(|r| !r.is_empty() && fold(r) != "don vi")
        .collect()
}

/// One paragraph of one unit.
struct Item {
    unit: String,
    /// As the unit wrote it (annex references dropped).
    original: String,
    /// With the unit's own names replaced by "đơn vị".
    text: String,
    key: Vec<u64>,
}

/// Groups the paragraphs `texts` (unit name, text with one paragraph per line) of one heading.
/// `names` gives, per unit name, the names it calls itself by (replaced before comparing).
pub fn synthesise(texts: &[(String, String)], names: &dyn Fn(&str) -> Vec<String>) -> Vec<Group> {
    let mut items: Vec<Item> = Vec::new();
    for (unit, text) in texts {
        let own = names(unit);
        let sentences: Vec<String> = text
            .lines()
            .map(strip_annex_refs)
            .flat_map(|l| {
                split_sentences(&l)
                    .into_iter()
                    .map(|s| s.trim().to_string())
                    .collect::<Vec<_>>()
            })
            .filter(|l| !l.is_empty())
            .collect();
        for line in sentences {
            let neutral = replace_names(&line, &own, "đơn vị");
            items.push(Item {
                unit: unit.clone(),
                key: words_of(&neutral),
                text: neutral,
                original: line,
            });
        }
    }
    // Clusters: indices of items; the first item is the seed.
    let mut clusters: Vec<Vec<usize>> = Vec::new();
    for (i, it) in items.iter().enumerate() {
        let best = clusters
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.iter().any(|&k| items[k].unit == it.unit))
            .map(|(ci, c)| (ci, similarity(&items[c[0]].key, &it.key)))
            .filter(|(_, s)| *s >= NEAR)
            .max_by(|a, b| a.1.total_cmp(&b.1));
        match best {
            Some((ci, _)) => clusters[ci].push(i),
            None => clusters.push(vec![i]),
        }
    }
    let mut out = Vec::new();
    for c in clusters {
        if c.len() == 1 {
            let it = &items[c[0]];
            // Alone, the unit's own name reads better than "đơn vị".
            out.push(Group {
                units: vec![it.unit.clone()],
                text: it.original.clone(),
                variants: Vec::new(),
            });
            continue;
        }
        // The representative: the text most members share word for word, else the one
        // closest to all others.
        let rep = *c
            .iter()
            .max_by(|&&a, &&b| {
                let score = |x: usize| {
                    c.iter()
                        .map(|&y| similarity(&items[x].key, &items[y].key))
                        .sum::<f64>()
                };
                score(a).total_cmp(&score(b))
            })
            .unwrap_or(&c[0]);
        let rep_text = items[rep].text.clone();
        let rep_words: Vec<&str> = rep_text.split_whitespace().collect();
        let mut units = Vec::new();
        let mut variants: Vec<(Vec<String>, String)> = Vec::new();
        // Members that differ from the representative only in numbers: their numbers are
        // listed, and the representative's differing numbers become "…".
        let mut masked = vec![false; rep_words.len()];
        let mut numeric_members: Vec<(usize, Vec<String>)> = Vec::new();
        for &k in &c {
            units.push(items[k].unit.clone());
            if items[k].key == items[rep].key {
                continue;
            }
            let own = own_words(&rep_text, &items[k].text);
            if own.is_empty() {
                continue;
            }
            if own.iter().all(|r| numeric(r)) {
                for i in unmatched(&items[k].text, &rep_text) {
                    if numeric(rep_words[i]) {
                        masked[i] = true;
                    }
                }
                numeric_members.push((k, own));
                continue;
            }
            let own_len: usize = own.iter().map(|r| r.split_whitespace().count()).sum();
            let total = items[k].text.split_whitespace().count().max(1);
            let said = if own_len as f64 / total as f64 > MOST {
                items[k].text.clone()
            } else {
                clauses_with(&items[k].text, &own)
            };
            match variants.iter_mut().find(|(_, t)| *t == said) {
                Some((us, _)) => us.push(items[k].unit.clone()),
                None => variants.push((vec![items[k].unit.clone()], said)),
            }
        }
        let mut text = rep_text.clone();
        if !numeric_members.is_empty() {
            // Each unit's numbers at the places masked in the text, so the lists line up
            // ("Lộc An 22, 1; Lộc Hòa 20, 1", not "Lộc Hòa 20" when one number equals the
            // representative's). A text of another length falls back to its own numbers.
            let at_masked = |text: &str| -> Option<Vec<String>> {
                let words: Vec<&str> = text.split_whitespace().collect();
                (words.len() == rep_words.len()).then(|| {
                    words
                        .iter()
                        .zip(&masked)
                        .filter(|(_, m)| **m)
                        .map(|(w, _)| w.trim_matches([',', ';', '.', '(', ')']).to_string())
                        .collect()
                })
            };
            // The units whose text is the representative's share its numbers.
            let same: Vec<String> = c
                .iter()
                .filter(|&&k| items[k].key == items[rep].key)
                .map(|&k| items[k].unit.clone())
                .collect();
            let mut numbers: Vec<(String, Vec<String>)> =
                vec![(same.join(", "), at_masked(&rep_text).unwrap_or_default())];
            for (k, own) in numeric_members {
                let listed = at_masked(&items[k].text).unwrap_or(own);
                numbers.push((items[k].unit.clone(), listed));
            }
            text = rep_words
                .iter()
                .zip(&masked)
                .map(|(w, m)| {
                    if *m {
                        // Keep the punctuation around a masked number.
                        let lead: String = w.chars().take_while(|c| !c.is_ascii_digit()).collect();
                        let tail: String = w
                            .chars()
                            .rev()
                            .take_while(|c| !c.is_ascii_digit() && *c != '%')
                            .collect::<Vec<_>>()
                            .into_iter()
                            .rev()
                            .collect();
                        format!("{lead}…{tail}")
                    } else {
                        w.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join(" ");
            variants.push((
                Vec::new(),
                format!(
                    "số liệu từng đơn vị: {}",
                    numbers
                        .iter()
                        .map(|(u, n)| format!("{u} {}", n.join(", ")))
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            ));
        }
        out.push(Group {
            units,
            text,
            variants,
        });
    }
    // A unit's own sentences read as one paragraph.
    let mut joined: Vec<Group> = Vec::new();
    for g in out {
        if g.units.len() == 1
            && let Some(prev) = joined
                .iter_mut()
                .find(|p| p.units == g.units && p.variants.is_empty())
        {
            prev.text.push(' ');
            prev.text.push_str(&g.text);
            continue;
        }
        joined.push(g);
    }
    joined
}

/// A run of words that is only numbers ("22/22", "94,6%);", "05").
fn numeric(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_digit())
        && s.split_whitespace().all(|w| {
            w.chars().any(|c| c.is_ascii_digit())
                && w.chars()
                    .all(|c| c.is_ascii_digit() || ",.;:/%()-".contains(c))
        })
}

/// Indices of the words of `b` outside a longest common word sequence with `a`.
fn unmatched(a: &str, b: &str) -> Vec<usize> {
    let af: Vec<String> = a.split_whitespace().map(fold).collect();
    let bf: Vec<String> = b.split_whitespace().map(fold).collect();
    let (n, m) = (af.len(), bf.len());
    let mut l = vec![vec![0u16; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            l[i][j] = if af[i] == bf[j] {
                l[i + 1][j + 1] + 1
            } else {
                l[i + 1][j].max(l[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while j < m {
        if i < n && af[i] == bf[j] {
            i += 1;
            j += 1;
        } else if i < n && l[i + 1][j] >= l[i][j + 1] {
            i += 1;
        } else {
            out.push(j);
            j += 1;
        }
    }
    out
}

/// The clauses (between , ; :) of `text` that hold one of `runs`, joined with " … ".
fn clauses_with(text: &str, runs: &[String]) -> String {
    let clauses: Vec<&str> = text
        .split([',', ';', ':'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    let mut picked: Vec<&str> = Vec::new();
    for r in runs {
        let f = fold(r);
        if let Some(c) = clauses.iter().find(|c| fold(c).contains(&f))
            && !picked.contains(c)
        {
            picked.push(c);
        }
    }
    if picked.is_empty() {
        return text.to_string();
    }
    picked.sort_by_key(|p| clauses.iter().position(|c| c == p));
    // A quotation inside the quoted clauses takes single quotes: “… ‘…’ …”, not “… “…” …”.
    let inner = picked.join(" … ").replace('“', "‘").replace('”', "’");
    format!("“… {inner} …”")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(u: &str) -> Vec<String> {
        vec![u.to_string()]
    }

    #[test]
    fn identical_texts_apart_from_the_unit_name_become_one() {
        let texts: Vec<(String, String)> = ["Đảng ủy xã Lộc An", "Đảng ủy xã Lộc Bắc", "Chi bộ X"]
            .iter()
            .map(|u| {
                (
                    u.to_string(),
                    format!(
                        "Kết quả đánh giá được thông báo công khai; {u} báo cáo Ban Tổ chức \
                         Huyện ủy (chi tiết tại Biểu số 1 kèm theo)."
                    ),
                )
            })
            .collect();
        let g = synthesise(&texts, &names);
        assert_eq!(g.len(), 1, "{g:#?}");
        assert_eq!(g[0].units.len(), 3);
        assert_eq!(
            g[0].text,
            "Kết quả đánh giá được thông báo công khai; đơn vị báo cáo Ban Tổ chức Huyện ủy."
        );
        assert!(g[0].variants.is_empty());
    }

    #[test]
    fn a_near_identical_text_is_merged_with_its_own_words_attributed() {
        let base = "Ngay sau khi có Quy định 132-QĐ/TW và Hướng dẫn 21-HD/BTCTW, Ban Thường vụ \
                    Đảng ủy đã tổ chức quán triệt đến cán bộ chủ chốt, bí thư chi bộ và đảng \
                    viên; đồng thời triển khai kịp thời các Quy định của Ban Thường vụ Tỉnh ủy.";
        let other = base.replace(
            "Ban Thường vụ Đảng ủy đã tổ chức quán triệt đến cán bộ chủ chốt, bí thư chi bộ và \
             đảng viên",
            "Chi ủy đã tổ chức quán triệt đến 100% đảng viên trong chi bộ",
        );
        let texts = vec![
            ("A".to_string(), base.to_string()),
            ("B".to_string(), base.to_string()),
            ("C".to_string(), other),
            (
                "D".to_string(),
                "Công khai kết quả xếp loại đảng viên tại bảng tin của thôn.".to_string(),
            ),
        ];
        let g = synthesise(&texts, &names);
        assert_eq!(g.len(), 2, "{g:#?}");
        assert_eq!(g[0].units, vec!["A", "B", "C"]);
        assert_eq!(g[0].text, base);
        assert_eq!(g[0].variants.len(), 1, "{g:#?}");
        assert_eq!(g[0].variants[0].0, vec!["C"]);
        assert!(
            g[0].variants[0].1.contains("Chi ủy") && g[0].variants[0].1.contains("100%"),
            "{:?}",
            g[0].variants
        );
        assert_eq!(g[1].units, vec!["D"]);
    }

    #[test]
    fn each_units_numbers_line_up_with_the_masked_places() {
        let t = |a: u32, b: u32| {
            format!(
                "Năm 2022, chi bộ có {a} đảng viên được đánh giá, trong đó {b} đồng chí \
                 hoàn thành xuất sắc nhiệm vụ và toàn bộ được thông báo công khai."
            )
        };
        let texts = vec![
            ("Lộc An".to_string(), t(22, 1)),
            ("Lộc Bắc".to_string(), t(22, 1)),
            // Same first number as the representative: it must still be listed.
            ("Lộc Hòa".to_string(), t(22, 3)),
            ("Lộc Nam".to_string(), t(201, 1)),
        ];
        let g = synthesise(&texts, &names);
        assert_eq!(g.len(), 1, "{g:#?}");
        assert_eq!(
            g[0].text,
            "Năm 2022, chi bộ có … đảng viên được đánh giá, trong đó … đồng chí hoàn thành \
             xuất sắc nhiệm vụ và toàn bộ được thông báo công khai."
        );
        assert_eq!(
            g[0].variants,
            vec![(
                Vec::<String>::new(),
                "số liệu từng đơn vị: Lộc An, Lộc Bắc 22, 1; Lộc Hòa 22, 3; Lộc Nam 201, 1"
                    .to_string()
            )]
        );
    }

    #[test]
    fn a_quotation_inside_an_attributed_clause_takes_single_quotes() {
        let said = clauses_with(
            "Đã quán triệt Quy định “về đánh giá cán bộ” đến 100% đảng viên, kịp thời",
            &["“về đánh giá cán bộ”".to_string()],
        );
        assert_eq!(
            said,
            "“… Đã quán triệt Quy định ‘về đánh giá cán bộ’ đến 100% đảng viên …”"
        );
    }

    #[test]
    fn annex_references_are_dropped() {
        assert_eq!(
            strip_annex_refs(
                "Đã ban hành 09 văn bản (chi tiết tại Biểu số 1 kèm theo). Đề nghị bỏ tiêu chí. \
                 Ý kiến cụ thể tại Biểu số 2, 3, 4 kèm theo."
            ),
            "Đã ban hành 09 văn bản. Đề nghị bỏ tiêu chí."
        );
        assert_eq!(
            strip_annex_refs("Không có (xem mục 2)."),
            "Không có (xem mục 2)."
        );
    }

    #[test]
    fn names_are_replaced_whatever_their_case() {
        assert_eq!(
            replace_names(
                "nhiệm vụ chính trị của đảng ủy xã Lộc An và Đảng ủy xã Lộc An",
                &["Đảng ủy xã Lộc An".to_string()],
                "đơn vị"
            ),
            "nhiệm vụ chính trị của đơn vị và đơn vị"
        );
    }
}
