//! Which unit sent a message: its registered address first, then its name, short name or an
//! alias found in the subject, the file names or the body.
//!
//! Names are compared without diacritics or case ("DU xa Loc Thanh" finds "Đảng ủy xã Lộc
//! Thành"), but where the text itself carries diacritics they must agree, so "Lộc Thanh" (a
//! commune of another district) is not taken for "Lộc Thành". The longest matching name wins,
//! so "THPT Lộc Thành" beats "Lộc Thành".

use std::collections::HashMap;

use crate::config::Unit;
use crate::vntext::{Folded, fold, has_diacritics, same_with_marks};

#[derive(Debug, Clone)]
struct Phrase {
    folded: String,
    original: String,
    unit: usize,
}

/// Finds units in addresses and text. Built once per units registry.
#[derive(Debug, Clone)]
pub struct UnitMatcher {
    phrases: Vec<Phrase>,
    by_address: HashMap<String, usize>,
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
    /// Indexes `units`.
    pub fn new(units: &[Unit]) -> Self {
        let mut phrases = Vec::new();
        let mut by_address = HashMap::new();
        for (i, u) in units.iter().enumerate() {
            for e in &u.emails {
                by_address.insert(e.to_lowercase(), i);
            }
            let mut names = vec![u.name.clone(), u.short_name.clone()];
            names.extend(u.aliases.iter().cloned());
            for n in names {
                let f = fold(&n);
                // One short word ("An") would match all over ordinary text.
                if f.len() < 4 || !f.contains(' ') && f.len() < 6 {
                    continue;
                }
                if !phrases
                    .iter()
                    .any(|p: &Phrase| p.folded == f && p.unit == i)
                {
                    phrases.push(Phrase {
                        folded: f,
                        original: n,
                        unit: i,
                    });
                }
            }
        }
        phrases.sort_by_key(|p| std::cmp::Reverse(p.folded.len()));
        UnitMatcher {
            phrases,
            by_address,
        }
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
        let f = Folded::new(text);
        let mut best_len = 0;
        let mut best: Vec<usize> = Vec::new();
        for p in &self.phrases {
            if p.folded.len() < best_len {
                break;
            }
            for pos in f.find_words(&p.folded) {
                let span = f.original(pos, pos + p.folded.len());
                if has_diacritics(&span)
                    && has_diacritics(&p.original)
                    && !same_with_marks(&span, &p.original)
                {
                    continue;
                }
                best_len = p.folded.len();
                if !best.contains(&p.unit) {
                    best.push(p.unit);
                }
                break;
            }
        }
        match best.len() {
            0 => Found::None,
            1 => Found::One(best[0]),
            _ => Found::Ambiguous(best),
        }
    }
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
        assert_eq!(id(&m, &u, "Báo cáo của B’Lá").as_deref(), Some("bla"));
        assert!(matches!(m.find("Lộc Tân và Tân Lạc"), Found::Ambiguous(_)));
    }

    #[test]
    fn by_registered_address_any_case() {
        let u = units();
        let m = UnitMatcher::new(&u);
        assert_eq!(m.by_address("LOC-TAN@gmail.com"), Some(2));
        assert_eq!(m.by_address("someone@gmail.com"), None);
    }
}
