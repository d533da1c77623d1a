//! The figures units state in their reports (rated per year and level: tổ chức đảng, đảng
//! viên, tập thể and cá nhân lãnh đạo, quản lý), read as data: each value keeps its unit, its
//! year and the sentence or table cell it came from; per unit the values are checked (levels
//! adding up to the total, no more rated than members, every year given) and against the
//! campaign's `[[rules]]`; across units they are totalled for the consolidated report.
//!
//! What is read, and the words that name it, come from the campaign file
//! ([`crate::config::FigureConfig`]); [`read::read_document`] works on any
//! [`crate::documents::Document`].

/// Reading figures out of one document (kept with the forms, so a file's figures are taken when
/// it is read and stored beside its reading).
pub use crate::forms::figures as read;
pub use crate::forms::figures::{Measure, Origin, StoredFigures, Value};

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::config::{Campaign, Config, FigureConfig, ItemKind};
use crate::documents::{self, DocLimits};
use crate::i18n::{Catalogue, Lang, arg};
use crate::store::{self, Store};

/// Why figures could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The register could not be read.
    #[error(transparent)]
    Store(#[from] store::Error),
}

/// What a check found wrong in one unit's figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagKind {
    /// The levels do not add up to the number rated.
    NotAddingUp,
    /// More rated than there are members.
    MoreThanMembers,
    /// A year the request covers is not given.
    YearMissing,
    /// The same figure is given twice with different numbers.
    Conflict,
    /// The text was read by OCR: numbers may be misread.
    Ocr,
    /// The report could not be read, so no figure is known.
    Unreadable,
}

/// A point to check in one unit's figures, worded for staff.
#[derive(Debug, Clone, Serialize)]
pub struct Flag {
    /// What kind.
    pub kind: FlagKind,
    /// The year, when it is about one.
    pub year: Option<i32>,
    /// The figure, when it is about one.
    pub figure: Option<String>,
    /// In Vietnamese.
    pub text: String,
}

/// A rule broken by one unit in one year.
#[derive(Debug, Clone, Serialize)]
pub struct Breach {
    /// Rule id.
    pub rule: String,
    /// Figure id.
    pub figure: String,
    /// Year.
    pub year: Option<i32>,
    /// The count at the rule's level.
    pub count: u32,
    /// The count at the level it is a share of.
    pub of: u32,
    /// The most allowed (`of` × percent), rounded down.
    pub allowed: u32,
    /// In Vietnamese.
    pub text: String,
}

/// One unit's figures.
#[derive(Debug, Clone, Serialize)]
pub struct UnitFigures {
    /// Unit id.
    pub unit_id: String,
    /// Unit name.
    pub unit: String,
    /// The report file read, if any.
    pub file: Option<String>,
    /// How its text was had (`native`, `converted`, `ocr`, `none`).
    pub text_source: Option<String>,
    /// Values, one per figure × year × measure (the first read wins).
    pub values: Vec<Value>,
    /// Points to check.
    pub flags: Vec<Flag>,
    /// Rules broken.
    pub breaches: Vec<Breach>,
}

impl UnitFigures {
    /// The value of `figure` in `year` for `measure`.
    pub fn get(&self, figure: &str, year: Option<i32>, measure: &Measure) -> Option<u32> {
        self.values
            .iter()
            .find(|v| v.figure == figure && v.year == year && &v.measure == measure)
            .map(|v| v.value)
    }
}

/// A sum over units.
#[derive(Debug, Clone, Serialize)]
pub struct Total {
    /// Figure id.
    pub figure: String,
    /// Year.
    pub year: i32,
    /// What is summed.
    pub measure: Measure,
    /// The sum.
    pub value: u32,
    /// How many units gave it.
    pub units: usize,
}

/// The figures of one campaign.
#[derive(Debug, Clone, Serialize)]
pub struct FigureReport {
    /// Campaign id.
    pub campaign: String,
    /// The campaign's figure settings (levels, figures, rules), for the writers.
    pub config: FigureConfig,
    /// Per unit that sent a report, in registry order.
    pub units: Vec<UnitFigures>,
    /// Sums per figure, year and measure, over units.
    pub totals: Vec<Total>,
    /// Years with any value, ascending.
    pub years: Vec<i32>,
}

impl FigureReport {
    /// The total of `figure` in `year` for `measure`.
    pub fn total(&self, figure: &str, year: i32, measure: &Measure) -> Option<&Total> {
        self.totals
            .iter()
            .find(|t| t.figure == figure && t.year == year && &t.measure == measure)
    }

    /// Every breach with its unit's name.
    pub fn breaches(&self) -> impl Iterator<Item = (&str, &Breach)> {
        self.units
            .iter()
            .flat_map(|u| u.breaches.iter().map(move |b| (u.unit.as_str(), b)))
    }

    /// Every flag with its unit's name.
    pub fn flags(&self) -> impl Iterator<Item = (&str, &Flag)> {
        self.units
            .iter()
            .flat_map(|u| u.flags.iter().map(move |f| (u.unit.as_str(), f)))
    }
}

/// The catalogue the notes and breaches are written from: they end up in the drafts, which are
/// Vietnamese documents whatever the run's language.
fn vi() -> &'static Catalogue {
    Catalogue::of(Lang::Vi)
}

fn year_text(y: Option<i32>) -> String {
    match y {
        Some(y) => vi().text("figures-year", &[("year", arg(y))]),
        None => vi().text("figures-no-year", &[]),
    }
}

/// Keeps the first value per figure × year × measure, checks the rest, applies the rules.
pub fn analyse(unit_id: &str, unit: &str, read: Vec<Value>, cfg: &FigureConfig) -> UnitFigures {
    let name = |id: &str| {
        cfg.figure(id)
            .map(|f| f.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let mut values: Vec<Value> = Vec::new();
    let mut flags = Vec::new();
    for v in read {
        match values
            .iter()
            .find(|x| x.figure == v.figure && x.year == v.year && x.measure == v.measure)
        {
            None => values.push(v),
            Some(x) if x.value == v.value => {}
            Some(x) => {
                let what = match &v.measure {
                    Measure::Rated => vi().text("figures-measure-rated", &[]),
                    Measure::Members => vi().text("figures-measure-members", &[]),
                    Measure::Level(l) => cfg
                        .level(l)
                        .map(|l| vi().text("figures-measure-level", &[("level", arg(&l.short))]))
                        .unwrap_or_default(),
                };
                let text = vi().text(
                    "figures-conflict",
                    &[
                        ("figure", arg(name(&v.figure))),
                        ("year", arg(year_text(v.year))),
                        ("measure", arg(what)),
                        ("first", arg(x.value)),
                        ("second", arg(v.value)),
                    ],
                );
                if !flags.iter().any(|f: &Flag| f.text == text) {
                    flags.push(Flag {
                        kind: FlagKind::Conflict,
                        year: v.year,
                        figure: Some(v.figure.clone()),
                        text,
                    });
                }
            }
        }
    }
    let mut keys: Vec<(String, Option<i32>)> =
        values.iter().map(|v| (v.figure.clone(), v.year)).collect();
    keys.sort();
    keys.dedup();
    let get = |f: &str, y: Option<i32>, m: &Measure| {
        values
            .iter()
            .find(|v| v.figure == f && v.year == y && &v.measure == m)
            .map(|v| v.value)
    };
    for (f, y) in &keys {
        let levels: Vec<u32> = cfg
            .levels
            .iter()
            .filter_map(|l| get(f, *y, &Measure::Level(l.id.clone())))
            .collect();
        let rated = get(f, *y, &Measure::Rated);
        if let Some(r) = rated
            && levels.len() >= 2
        {
            let sum: u32 = levels.iter().sum();
            if sum != r {
                flags.push(Flag {
                    kind: FlagKind::NotAddingUp,
                    year: *y,
                    figure: Some(f.clone()),
                    text: vi().text(
                        "figures-not-adding-up",
                        &[
                            ("figure", arg(name(f))),
                            ("year", arg(year_text(*y))),
                            ("sum", arg(sum)),
                            ("rated", arg(r)),
                        ],
                    ),
                });
            }
        }
        let members = get(f, *y, &Measure::Members).or_else(|| {
            // Membership stated without a year ("hiện có") is today's: compare it with the
            // latest year only.
            let latest = keys
                .iter()
                .filter(|(g, _)| g == f)
                .filter_map(|(_, y)| *y)
                .max();
            (*y == latest)
                .then(|| get(f, None, &Measure::Members))
                .flatten()
        });
        let counted = rated.or_else(|| (!levels.is_empty()).then(|| levels.iter().sum()));
        if let (Some(r), Some(m)) = (counted, members)
            && r > m
            && y.is_some()
        {
            flags.push(Flag {
                kind: FlagKind::MoreThanMembers,
                year: *y,
                figure: Some(f.clone()),
                text: vi().text(
                    "figures-more-than-members",
                    &[
                        ("figure", arg(name(f))),
                        ("year", arg(year_text(*y))),
                        ("rated", arg(r)),
                        ("members", arg(m)),
                    ],
                ),
            });
        }
    }
    let years_given: Vec<i32> = values
        .iter()
        .filter(|v| matches!(v.measure, Measure::Level(_)))
        .filter_map(|v| v.year)
        .collect();
    if !years_given.is_empty() {
        let missing: Vec<String> = cfg
            .years
            .iter()
            .filter(|y| !years_given.contains(y))
            .map(|y| y.to_string())
            .collect();
        if !missing.is_empty() {
            flags.push(Flag {
                kind: FlagKind::YearMissing,
                year: None,
                figure: None,
                text: vi().text(
                    "figures-year-missing",
                    &[("years", arg(missing.join(", ")))],
                ),
            });
        }
    }
    let mut breaches = Vec::new();
    for rule in &cfg.rules {
        for f in &rule.figures {
            for (g, y) in keys.iter().filter(|(g, _)| g == f) {
                let (Some(count), Some(of)) = (
                    get(g, *y, &Measure::Level(rule.level.clone())),
                    get(g, *y, &Measure::Level(rule.of_level.clone())),
                ) else {
                    continue;
                };
                let allowed = (f64::from(of) * rule.at_most_percent / 100.0).floor() as u32;
                if count > allowed {
                    let short = |l: &str| {
                        cfg.level(l)
                            .map(|l| l.short.clone())
                            .unwrap_or_else(|| l.to_string())
                    };
                    breaches.push(Breach {
                        rule: rule.id.clone(),
                        figure: g.clone(),
                        year: *y,
                        count,
                        of,
                        allowed,
                        text: vi().text(
                            "figures-breach",
                            &[
                                ("figure", arg(name(g))),
                                ("year", arg(year_text(*y))),
                                ("count", arg(count)),
                                ("level", arg(short(&rule.level))),
                                ("of", arg(of)),
                                ("of_level", arg(short(&rule.of_level))),
                                ("allowed", arg(allowed)),
                                ("percent", arg(rule.at_most_percent)),
                            ],
                        ),
                    });
                }
            }
        }
    }
    UnitFigures {
        unit_id: unit_id.to_string(),
        unit: unit.to_string(),
        file: None,
        text_source: None,
        values,
        flags,
        breaches,
    }
}

/// Sums the units' values per figure, year and measure (values without a year are not summed).
pub fn totals(units: &[UnitFigures]) -> Vec<Total> {
    let mut sums: BTreeMap<(String, i32, Measure), (u32, usize)> = BTreeMap::new();
    for u in units {
        for v in &u.values {
            let Some(y) = v.year else { continue };
            let e = sums
                .entry((v.figure.clone(), y, v.measure.clone()))
                .or_insert((0, 0));
            e.0 = e.0.saturating_add(v.value);
            e.1 += 1;
        }
    }
    sums.into_iter()
        .map(|((figure, year, measure), (value, units))| Total {
            figure,
            year,
            measure,
            value,
            units,
        })
        .collect()
}

/// Builds the report from per-unit figures.
pub fn report(campaign: &Campaign, units: Vec<UnitFigures>) -> FigureReport {
    let totals = totals(&units);
    let mut years: Vec<i32> = totals.iter().map(|t| t.year).collect();
    years.sort_unstable();
    years.dedup();
    FigureReport {
        campaign: campaign.id.clone(),
        config: campaign.figures.clone(),
        units,
        totals,
        years,
    }
}

/// The report file that counts per unit at `as_of`: (message hash, part path), the latest.
fn report_files(
    store: &Store,
    campaign: &Campaign,
    as_of: i64,
) -> Result<HashMap<String, (String, String)>, Error> {
    let report_items: Vec<&str> = campaign
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Report)
        .map(|i| i.id.as_str())
        .collect();
    // The version that counts is the register's (`register::item_versions`).
    let msgs = store.campaign_messages(&campaign.id)?;
    let versions = crate::register::item_versions(&campaign.id, &msgs, as_of);
    let mut out = HashMap::new();
    for (unit, item) in versions.by_item.keys() {
        if !report_items.contains(&item.as_str()) {
            continue;
        }
        let Some(v) = versions.current(unit, item) else {
            continue;
        };
        if let Some(a) = v.files.iter().rev().find(|a| a.error.is_none()) {
            out.insert(unit.clone(), (v.msg.sha256.clone(), a.path.clone()));
        }
    }
    Ok(out)
}

/// Reads the figures of every unit of `campaign` (or of `only`) from the report that counts at
/// `as_of`, read again from the archive.
pub fn collect(
    store: &Store,
    config: &Config,
    campaign: &Campaign,
    as_of: DateTime<FixedOffset>,
    only: Option<&str>,
) -> Result<FigureReport, Error> {
    let files = report_files(store, campaign, as_of.timestamp())?;
    let mut units = Vec::new();
    if campaign.figures.is_empty() {
        return Ok(report(campaign, units));
    }
    for u in store.units()? {
        if !campaign.applies_to(&u.kind) || only.is_some_and(|o| o != u.id) {
            continue;
        }
        let Some((sha, path)) = files.get(&u.id) else {
            continue;
        };
        units.push(read_file(
            store, config, campaign, &u.id, &u.name, sha, path,
        ));
    }
    Ok(report(campaign, units))
}

/// The figures of one file: part `path` of the message archived under `sha`, checked as one
/// unit's (`unit_id`, named `unit`) report. The figures taken when the file was read are used
/// (stored beside its reading); a file read by an earlier version, or with other figure words
/// than the campaign's now, is read again from the archive once and its figures stored.
pub fn read_file(
    store: &Store,
    config: &Config,
    campaign: &Campaign,
    unit_id: &str,
    unit: &str,
    sha: &str,
    path: &str,
) -> UnitFigures {
    let cfg = &campaign.figures;
    let kept = match store.stored_figures(sha, path) {
        Ok(kept) => kept
            .and_then(|j| serde_json::from_str::<StoredFigures>(&j).ok())
            .filter(|f| f.read_with(cfg)),
        Err(e) => {
            tracing::warn!(error = %e, path, "stored figures could not be read");
            None
        }
    };
    let figures = kept.or_else(|| {
        let taken = reread(store, config, sha, path).map(|d| StoredFigures::take(&d, cfg));
        if let Some(f) = &taken
            && let Ok(json) = serde_json::to_string(f)
            && let Err(e) = store.store_figures(sha, path, &json)
        {
            // Shown all the same; read again next time.
            tracing::warn!(error = %e, path, "figures read again could not be stored");
        }
        taken
    });
    checked(campaign, unit_id, unit, path, figures.as_ref())
}

/// Part `path` of the message archived under `sha`, read again from the archive in a reader
/// worker with the configured budgets, as at ingest: this runs inside the daemon's console,
/// which a file that stops a reader must not stop.
fn reread(store: &Store, config: &Config, sha: &str, path: &str) -> Option<documents::Document> {
    let raw = store.archive().read(sha).ok()?;
    let msg = crate::message::parse(&raw, &config.limits).ok()?;
    let part = msg.all_parts().into_iter().find(|p| p.path == path)?;
    let temp = crate::ingest::temp_root(store).ok()?;
    let budget = config.limits.reader();
    let deadline = Instant::now() + Duration::from_secs(budget.message_seconds);
    let mut client = crate::reader::Client::new(Some(&temp), budget);
    client.read(part, &DocLimits::default(), deadline).ok()
}

/// The figures `read` from the report `path` checked as one unit's; None: the report could
/// not be read.
pub fn checked(
    campaign: &Campaign,
    unit_id: &str,
    unit: &str,
    path: &str,
    read: Option<&StoredFigures>,
) -> UnitFigures {
    let values = read.map(|r| r.values.clone()).unwrap_or_default();
    let mut uf = analyse(unit_id, unit, values, &campaign.figures);
    uf.file = Some(path.to_string());
    match read {
        None => uf.flags.push(Flag {
            kind: FlagKind::Unreadable,
            year: None,
            figure: None,
            text: vi().text("figures-unreadable", &[("path", arg(path))]),
        }),
        Some(r) => {
            uf.text_source = r.text_source.clone();
            let ocr = r.text_source.as_deref() == Some(OCR);
            if ocr && !uf.values.is_empty() {
                uf.flags.push(Flag {
                    kind: FlagKind::Ocr,
                    year: None,
                    figure: None,
                    text: vi().text("figures-ocr", &[]),
                });
            }
            if r.scanned && !ocr {
                uf.flags.push(Flag {
                    kind: FlagKind::Unreadable,
                    year: None,
                    figure: None,
                    text: vi().text("figures-scan-no-text", &[]),
                });
            }
        }
    }
    uf
}

/// How [`documents::TextSource::Ocr`] is written in [`StoredFigures::text_source`].
const OCR: &str = "ocr";

#[cfg(test)]
pub(crate) mod tests;
