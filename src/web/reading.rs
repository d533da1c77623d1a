//! What was read from a unit's files, as the unit and message pages show it: each form as the
//! table it was read into, the report's outline sections with the start of their text, and
//! the figures taken from the report. Built from the reading stored with each attachment
//! ([`crate::forms::Reading::stored`]) and from [`crate::figures`], the same sources as
//! `baocao forms`, `baocao inspect` and `baocao figures`.

use minijinja::context;

use crate::config::{Campaign, FigureConfig, ItemKind};
use crate::figures::{Measure, UnitFigures};
use crate::forms::{FormRead, Mark, Reading};
use crate::i18n::{count, t};
use crate::store::NewAttachment;

/// How much of a section's text is shown under its heading.
const EXCERPT_CHARS: usize = 240;

/// The start of `text`, cut at a word where it is long.
fn excerpt(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= EXCERPT_CHARS {
        return text;
    }
    let cut: String = text.chars().take(EXCERPT_CHARS).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{cut} …")
}

/// One form as a table: its header cells and its rows, as read.
fn form_table(f: &FormRead, campaign: Option<&Campaign>) -> minijinja::Value {
    let name = campaign
        .and_then(|c| c.item(&f.item))
        .map(|i| i.name.clone())
        .unwrap_or_else(|| f.item.clone());
    let (head, rows): (Vec<String>, Vec<Vec<String>>) = if f.rows.is_empty() {
        // A grid: one row per template row (and sub-row), one column per template column.
        // Only non-empty cells are stored: a column first seen on a later row goes after the
        // column before it on that row, so the years stay in the template's order.
        let mut columns: Vec<&str> = Vec::new();
        let mut lines: Vec<(&str, &str)> = Vec::new();
        let mut before: Option<&str> = None;
        for c in &f.cells {
            let line = (c.row.as_str(), c.sub_row.as_str());
            if lines.last() != Some(&line) {
                before = None;
            }
            if !columns.contains(&c.column.as_str()) {
                let at = before
                    .and_then(|b| columns.iter().position(|x| *x == b))
                    .map_or(0, |i| i + 1);
                columns.insert(at, &c.column);
            }
            before = Some(&c.column);
            if !lines.contains(&line) {
                lines.push(line);
            }
        }
        let mut head = vec![String::new()];
        head.extend(columns.iter().map(|c| c.to_string()));
        let rows = lines
            .iter()
            .map(|&(row, sub)| {
                let mut out = vec![if sub.is_empty() {
                    row.to_string()
                } else {
                    format!("{row} / {sub}")
                }];
                out.extend(columns.iter().map(|&col| {
                    f.cells
                        .iter()
                        .find(|c| c.row == row && c.sub_row == sub && c.column == col)
                        .map(|c| c.value.clone())
                        .unwrap_or_default()
                }));
                out
            })
            .collect();
        (head, rows)
    } else {
        let tick = |yes: bool| if yes { "✓" } else { "" }.to_string();
        let head = vec![
            t!("web-form-col-group"),
            t!("web-form-col-content"),
            t!("web-form-col-fit"),
            t!("web-form-col-unfit"),
            t!("web-form-col-proposal"),
        ];
        let rows = f
            .rows
            .iter()
            .map(|r| {
                vec![
                    r.group.clone(),
                    r.label.clone(),
                    tick(matches!(r.mark, Some(Mark::PhuHop | Mark::Both))),
                    tick(matches!(r.mark, Some(Mark::ChuaPhuHop | Mark::Both))),
                    r.proposal.clone(),
                ]
            })
            .collect();
        (head, rows)
    };
    let problems: Vec<String> = f.problems.iter().map(|p| p.message.clone()).collect();
    let size = if f.rows.is_empty() {
        t!("web-form-cells", count = count(f.cells.len()))
    } else {
        t!("web-form-rows", count = count(f.rows.len()))
    };
    context! {
        item => &f.item,
        name => name,
        size => size,
        location => &f.location,
        head => head,
        rows => rows,
        problems => problems,
    }
}

/// The request's heading of outline section `id`, at any depth.
fn outline_title<'a>(outline: &'a [crate::config::Section], id: &str) -> Option<&'a str> {
    outline.iter().find_map(|o| {
        if o.id == id {
            Some(o.title.as_str())
        } else {
            outline_title(&o.children, id)
        }
    })
}

/// What was read from attachment `a`: None when it is not a document that was read. A reading
/// this version cannot read back is said so, not hidden.
pub fn file_reading(a: &NewAttachment, campaign: Option<&Campaign>) -> Option<minijinja::Value> {
    let r = match Reading::stored(a) {
        Ok(Some(r)) => r,
        Ok(None) => return None,
        Err(_) => {
            return Some(context! {
                broken => t!("web-read-broken"),
            });
        }
    };
    let forms: Vec<minijinja::Value> = r.forms.iter().map(|f| form_table(f, campaign)).collect();
    let sections: Vec<minijinja::Value> = r
        .sections
        .iter()
        .map(|s| {
            // The request's heading, where the unit worded its own differently.
            let title = campaign
                .and_then(|c| outline_title(&c.outline, &s.id))
                .filter(|t| !crate::vntext::fold(&s.heading).contains(&crate::vntext::fold(t)));
            context! {
                id => &s.id,
                heading => &s.heading,
                title => title,
                excerpt => excerpt(&s.text),
            }
        })
        .collect();
    Some(context! {
        source => match r.source.as_str() {
            "native" => t!("web-read-native"),
            "converted" => t!("web-read-converted"),
            "ocr" => t!("web-read-ocr"),
            _ => t!("web-read-no-text"),
        },
        scanned => r.scanned,
        problems => &r.problems,
        forms => forms,
        sections => sections,
        empty => r.forms.is_empty() && r.sections.is_empty(),
    })
}

/// Whether `a` is a campaign's report (the file figures are read from).
pub fn is_report(a: &NewAttachment, campaign: &Campaign) -> bool {
    a.items.iter().any(|it| {
        campaign
            .item(it)
            .is_some_and(|i| i.kind == ItemKind::Report)
    })
}

/// The figures of one report as a table (year × measure, one column per level), with the
/// points to check and the rules broken; each number carries the sentence it came from.
pub fn figures_table(uf: &UnitFigures, cfg: &FigureConfig) -> minijinja::Value {
    let mut keys: Vec<(Option<i32>, usize)> = Vec::new();
    for v in &uf.values {
        if v.measure == Measure::Members {
            continue;
        }
        if let Some(fi) = cfg.figures.iter().position(|f| f.id == v.figure)
            && !keys.contains(&(v.year, fi))
        {
            keys.push((v.year, fi));
        }
    }
    keys.sort();
    let mut head = vec![
        t!("web-fig-col-year"),
        t!("web-fig-col-figure"),
        t!("web-fig-col-rated"),
    ];
    head.extend(cfg.levels.iter().map(|l| l.short.clone()));
    let rows: Vec<minijinja::Value> = keys
        .into_iter()
        .filter_map(|(year, fi)| {
            let f = cfg.figures.get(fi)?;
            let cell = |m: Measure| {
                let v = uf
                    .values
                    .iter()
                    .find(|v| v.figure == f.id && v.year == year && v.measure == m);
                context! {
                    value => v.map(|v| v.value.to_string()).unwrap_or_else(|| "–".into()),
                    source => v.map(|v| v.source.clone()),
                }
            };
            let mut cells = vec![cell(Measure::Rated)];
            cells.extend(
                cfg.levels
                    .iter()
                    .map(|l| cell(Measure::Level(l.id.clone()))),
            );
            Some(context! {
                year => year.map(|y| y.to_string()).unwrap_or_else(|| "?".into()),
                figure => &f.name,
                cells => cells,
            })
        })
        .collect();
    let notes: Vec<String> = uf
        .breaches
        .iter()
        .map(|b| b.text.clone())
        .chain(uf.flags.iter().map(|f| f.text.clone()))
        .collect();
    context! {
        file => &uf.file,
        head => head,
        rows => rows,
        notes => notes,
    }
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn a_long_section_is_cut_at_a_word_and_a_short_one_kept_whole() {
        assert_eq!(excerpt("Đảng ủy đã\n lãnh đạo."), "Đảng ủy đã lãnh đạo.");
        let long = "Đảng ủy đã lãnh đạo, chỉ đạo thực hiện nghiêm túc. ".repeat(20);
        let e = excerpt(&long);
        assert!(e.ends_with(" …"), "{e}");
        assert!(e.chars().count() <= super::EXCERPT_CHARS + 2, "{e}");
        assert!(long.starts_with(e.trim_end_matches(" …")), "{e}");
    }
}
