//! Annex forms as data: what a form's table looks like (headers, groups and rows, or a grid of
//! rows × columns), so one generic recogniser (`crate::forms`) reads every campaign's forms.

use std::path::Path;

use serde::Serialize;

use super::error::{Error, Result, line_of};
use super::raw::{RawForm, RawGroup};
use crate::i18n::t;
use crate::vntext::fold;

/// A group of rows ("1 Tổ chức đảng"), possibly inside another group.
#[derive(Debug, Clone, Serialize)]
pub struct GroupSpec {
    /// Number as printed ("1", "I"), if any.
    pub number: Option<String>,
    /// Label as in the template.
    pub label: String,
    /// Folded label.
    pub folded: String,
    /// Outer groups' labels then this one, joined with " / ".
    pub path: String,
    /// Nesting depth (0 = top).
    pub depth: usize,
}

/// One row to be marked.
#[derive(Debug, Clone, Serialize)]
pub struct RowSpec {
    /// Index of its group in [`Checklist::groups`].
    pub group: usize,
    /// Label as in the template.
    pub label: String,
    /// Folded label.
    pub folded: String,
}

/// A table of rows with two mark columns ("Phù hợp" / "Chưa phù hợp") and a proposal column.
#[derive(Debug, Clone, Serialize)]
pub struct Checklist {
    /// Folded header of the label column.
    pub label_header: Vec<String>,
    /// Folded header of the "yes" mark column.
    pub yes_header: Vec<String>,
    /// Folded header of the "no" mark column.
    pub no_header: Vec<String>,
    /// Folded header of the proposal column.
    pub proposal_header: Vec<String>,
    /// Groups, outer before inner, in template order.
    pub groups: Vec<GroupSpec>,
    /// Rows in template order.
    pub rows: Vec<RowSpec>,
}

/// A grid: rows × columns, each row split into sub-rows (Biểu 1: content × year, each with
/// "Thể loại văn bản" and "Ngày ban hành").
#[derive(Debug, Clone, Serialize)]
pub struct Grid {
    /// Folded header of the row-label column.
    pub label_header: Vec<String>,
    /// Column labels as in the template.
    pub columns: Vec<String>,
    /// Sub-row labels as in the template.
    pub sub_rows: Vec<String>,
    /// Which sub-row must hold dates.
    pub date_sub_row: Option<usize>,
    /// Row labels as in the template.
    pub rows: Vec<String>,
}

/// The shape of a form.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FormKind {
    /// Rows with marks.
    Checklist(Checklist),
    /// Rows × columns of values.
    Grid(Grid),
}

/// One annex form of a campaign.
#[derive(Debug, Clone, Serialize)]
pub struct FormSpec {
    /// The required item it fulfils.
    pub item: String,
    /// Folded title words.
    pub title: Vec<String>,
    /// The title as written (the longest of the `title` entries), for the drafts.
    pub heading: String,
    /// Its shape.
    pub kind: FormKind,
}

fn folded(v: &[String]) -> Vec<String> {
    v.iter()
        .map(|s| fold(s))
        .filter(|s| !s.is_empty())
        .collect()
}

fn flatten(
    g: &RawGroup,
    parent: Option<&str>,
    depth: usize,
    groups: &mut Vec<GroupSpec>,
    rows: &mut Vec<RowSpec>,
) {
    let path = match parent {
        Some(p) => format!("{p} / {}", g.label),
        None => g.label.clone(),
    };
    groups.push(GroupSpec {
        number: g.number.clone(),
        label: g.label.clone(),
        folded: fold(&g.label),
        path: path.clone(),
        depth,
    });
    let idx = groups.len() - 1;
    for r in &g.rows {
        rows.push(RowSpec {
            group: idx,
            label: r.clone(),
            folded: fold(r),
        });
    }
    for c in &g.groups {
        flatten(c, Some(&path), depth + 1, groups, rows);
    }
}

impl FormSpec {
    pub(crate) fn from_raw(r: RawForm, items: &[String], src: &str, file: &Path) -> Result<Self> {
        let needle = format!("item = \"{}\"", r.item);
        let bad = |msg: String, fix: String| Error::invalid(file, line_of(src, &needle), msg, fix);
        if !items.contains(&r.item) {
            return Err(bad(
                t!("cfg-form-item", item = r.item.as_str()),
                t!("cfg-form-item-fix"),
            ));
        }
        let kind = match r.kind.as_str() {
            "checklist" => {
                let mut groups = Vec::new();
                let mut rows = Vec::new();
                for g in &r.groups {
                    flatten(g, None, 0, &mut groups, &mut rows);
                }
                if r.yes_header.is_empty() || r.no_header.is_empty() || rows.is_empty() {
                    return Err(bad(
                        t!("cfg-form-checklist", item = r.item.as_str()),
                        t!("cfg-form-checklist-fix"),
                    ));
                }
                FormKind::Checklist(Checklist {
                    label_header: folded(&r.label_header),
                    yes_header: folded(&r.yes_header),
                    no_header: folded(&r.no_header),
                    proposal_header: folded(&r.proposal_header),
                    groups,
                    rows,
                })
            }
            "grid" => {
                if r.columns.is_empty() || r.rows.is_empty() {
                    return Err(bad(
                        t!("cfg-form-grid", item = r.item.as_str()),
                        t!("cfg-form-grid-fix"),
                    ));
                }
                let date_sub_row = match &r.date_sub_row {
                    None => None,
                    Some(d) => Some(r.sub_rows.iter().position(|s| s == d).ok_or_else(|| {
                        bad(
                            t!("cfg-form-date-sub-row", value = d.as_str()),
                            t!("cfg-form-date-sub-row-fix"),
                        )
                    })?),
                };
                FormKind::Grid(Grid {
                    label_header: folded(&r.label_header),
                    columns: r.columns,
                    sub_rows: r.sub_rows,
                    date_sub_row,
                    rows: r.rows,
                })
            }
            k => {
                return Err(bad(t!("cfg-form-kind", kind = k), t!("cfg-form-kind-fix")));
            }
        };
        let heading = r
            .title
            .iter()
            .max_by_key(|t| t.chars().count())
            .cloned()
            .unwrap_or_default();
        Ok(FormSpec {
            item: r.item,
            title: folded(&r.title),
            heading,
            kind,
        })
    }
}
