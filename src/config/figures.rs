//! The figures a campaign asks units to state (per year, per rating level) and the rules they
//! must keep, as validated data: `[figure-reading]`, `[[figure-levels]]`, `[[figures]]` and
//! `[[rules]]` of a campaign file. `figures` reads them from the reports; nothing about the
//! seed's four levels or its 20% rule lives in code.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::error::{Error, Result, line_of};
use crate::i18n::t;
use crate::vntext::fold;

/// `[figure-reading]`.
#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub(crate) struct RawFigureReading {
    pub years: Vec<i64>,
    pub ignore: Vec<String>,
}

/// One `[[figure-levels]]` or `[[figures]]` entry.
#[derive(Debug, Deserialize, Clone)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(crate) struct RawNamed {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub short: Option<String>,
    #[serde(default)]
    pub words: Vec<String>,
}

/// One `[[rules]]` entry.
#[derive(Debug, Deserialize, Clone)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(crate) struct RawRule {
    pub id: String,
    pub name: String,
    pub figures: Vec<String>,
    pub level: String,
    pub at_most_percent: f64,
    pub of_level: String,
}

/// A rating level ("Hoàn thành xuất sắc nhiệm vụ").
#[derive(Debug, Clone, Serialize)]
pub struct LevelSpec {
    /// Id used in JSON and rules ("htxs").
    pub id: String,
    /// Name shown to people.
    pub name: String,
    /// Abbreviation for table headers ("HTXSNV").
    pub short: String,
    /// Folded words that name it, longest first.
    pub words: Vec<String>,
}

/// A quantity units state per year and level ("Đảng viên").
#[derive(Debug, Clone, Serialize)]
pub struct FigureSpec {
    /// Id used in JSON and rules ("dang-vien").
    pub id: String,
    /// Name shown to people.
    pub name: String,
    /// Folded words that name what is counted, longest first.
    pub words: Vec<String>,
}

/// A rule the levels of a figure must keep, checked per unit and year: the count at `level`
/// is at most `at_most_percent` % of the count at `of_level`.
#[derive(Debug, Clone, Serialize)]
pub struct RuleSpec {
    /// Id.
    pub id: String,
    /// The rule in words, for staff.
    pub name: String,
    /// Figures it applies to.
    pub figures: Vec<String>,
    /// The level counted.
    pub level: String,
    /// The ceiling in percent.
    pub at_most_percent: f64,
    /// The level the ceiling is a share of.
    pub of_level: String,
}

/// Everything about figures a campaign declares.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FigureConfig {
    /// The years the request covers (a unit leaving one out is flagged).
    pub years: Vec<i32>,
    /// Folded words that mark a sentence as not about ratings (commendations, proposals).
    pub ignore: Vec<String>,
    /// Rating levels, best first.
    pub levels: Vec<LevelSpec>,
    /// The quantities.
    pub figures: Vec<FigureSpec>,
    /// Rules to check.
    pub rules: Vec<RuleSpec>,
}

impl FigureConfig {
    /// The level with this id.
    pub fn level(&self, id: &str) -> Option<&LevelSpec> {
        self.levels.iter().find(|l| l.id == id)
    }

    /// The figure with this id.
    pub fn figure(&self, id: &str) -> Option<&FigureSpec> {
        self.figures.iter().find(|f| f.id == id)
    }

    /// Whether the campaign asks for any figure.
    pub fn is_empty(&self) -> bool {
        self.figures.is_empty() || self.levels.is_empty()
    }
}

fn usable_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Folded, non-empty, longest first (so "không hoàn thành nhiệm vụ" wins over "hoàn thành
/// nhiệm vụ" where both match).
fn folded_words(words: &[String], name: &str, short: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = words
        .iter()
        .map(String::as_str)
        .chain(std::iter::once(name))
        .chain(short)
        .map(fold)
        .filter(|w| !w.is_empty())
        .collect();
    out.sort_by_key(|w| std::cmp::Reverse(w.len()));
    out.dedup();
    out
}

/// Validates the figure sections of a campaign file.
pub(crate) fn validate(
    reading: RawFigureReading,
    levels: Vec<RawNamed>,
    figures: Vec<RawNamed>,
    rules: Vec<RawRule>,
    src: &str,
    file: &Path,
) -> Result<FigureConfig> {
    let bad = |needle: &str, msg: String, fix: String| {
        Error::invalid(file, line_of(src, needle), msg, fix)
    };
    let mut years = Vec::new();
    for y in reading.years {
        let Some(y) = i32::try_from(y).ok().filter(|y| (1945..=2200).contains(y)) else {
            return Err(bad(
                "years",
                t!("cfg-fig-year", year = y.to_string()),
                t!("cfg-fig-year-fix"),
            ));
        };
        if !years.contains(&y) {
            years.push(y);
        }
    }
    let ignore = reading
        .ignore
        .iter()
        .map(|w| fold(w))
        .filter(|w| !w.is_empty())
        .collect();
    let mut out_levels: Vec<LevelSpec> = Vec::new();
    for l in levels {
        let needle = format!("\"{}\"", l.id);
        if !usable_id(&l.id) {
            return Err(bad(
                "[[figure-levels]]",
                t!("cfg-fig-level-id", id = l.id.as_str()),
                t!("cfg-fig-level-id-fix"),
            ));
        }
        if out_levels.iter().any(|x| x.id == l.id) {
            return Err(bad(
                &needle,
                t!("cfg-fig-level-twice", id = l.id.as_str()),
                t!("cfg-fig-level-twice-fix"),
            ));
        }
        let short = l
            .short
            .clone()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| l.name.clone());
        out_levels.push(LevelSpec {
            words: folded_words(&l.words, &l.name, l.short.as_deref()),
            id: l.id,
            name: l.name,
            short,
        });
    }
    let mut out_figures: Vec<FigureSpec> = Vec::new();
    for f in figures {
        let needle = format!("\"{}\"", f.id);
        if !usable_id(&f.id) {
            return Err(bad(
                "[[figures]]",
                t!("cfg-fig-figure-id", id = f.id.as_str()),
                t!("cfg-fig-figure-id-fix"),
            ));
        }
        if out_figures.iter().any(|x| x.id == f.id) {
            return Err(bad(
                &needle,
                t!("cfg-fig-figure-twice", id = f.id.as_str()),
                t!("cfg-fig-figure-twice-fix"),
            ));
        }
        if out_levels.is_empty() {
            return Err(bad(
                "[[figures]]",
                t!("cfg-fig-no-levels"),
                t!("cfg-fig-no-levels-fix"),
            ));
        }
        out_figures.push(FigureSpec {
            words: folded_words(&f.words, &f.name, f.short.as_deref()),
            id: f.id,
            name: f.name,
        });
    }
    let mut out_rules: Vec<RuleSpec> = Vec::new();
    for r in rules {
        let needle = format!("\"{}\"", r.id);
        if out_rules.iter().any(|x| x.id == r.id) {
            return Err(bad(
                &needle,
                t!("cfg-rule-twice", id = r.id.as_str()),
                t!("cfg-rule-twice-fix"),
            ));
        }
        for l in [&r.level, &r.of_level] {
            if !out_levels.iter().any(|x| &x.id == l) {
                return Err(bad(
                    &format!("\"{l}\""),
                    t!("cfg-rule-level", id = r.id.as_str(), level = l.as_str()),
                    t!("cfg-rule-level-fix"),
                ));
            }
        }
        if r.figures.is_empty() {
            return Err(bad(
                &needle,
                t!("cfg-rule-no-figure", id = r.id.as_str()),
                t!("cfg-rule-no-figure-fix"),
            ));
        }
        for f in &r.figures {
            if !out_figures.iter().any(|x| &x.id == f) {
                return Err(bad(
                    &format!("\"{f}\""),
                    t!("cfg-rule-figure", id = r.id.as_str(), figure = f.as_str()),
                    t!("cfg-rule-figure-fix"),
                ));
            }
        }
        if !(r.at_most_percent > 0.0 && r.at_most_percent <= 100.0) {
            return Err(bad(
                "at-most-percent",
                t!(
                    "cfg-rule-percent",
                    id = r.id.as_str(),
                    value = r.at_most_percent.to_string()
                ),
                t!("cfg-rule-percent-fix"),
            ));
        }
        out_rules.push(RuleSpec {
            id: r.id,
            name: r.name,
            figures: r.figures,
            level: r.level,
            at_most_percent: r.at_most_percent,
            of_level: r.of_level,
        });
    }
    Ok(FigureConfig {
        years,
        ignore,
        levels: out_levels,
        figures: out_figures,
        rules: out_rules,
    })
}
