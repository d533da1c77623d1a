//! `baocao status`: the register for one campaign as a table or JSON.

use anyhow::Result;

use super::table::{day_month, render};
use super::{Ctx, print_json};
use crate::i18n::{self, t};
use crate::register::{self, State, Status};

/// Prints the status of `campaign` at the context's "now".
pub(crate) fn execute(ctx: &Ctx, campaign: Option<&str>) -> Result<()> {
    let c = ctx.campaign(campaign)?;
    let store = ctx.open_store()?;
    let st = register::status(&store, &ctx.config, c, ctx.now())?;
    if ctx.json {
        return print_json(&st);
    }
    print!("{}", render_status(ctx, &st));
    if let Some(crate::store::Event { at, detail }) = store.mailbox_problem()? {
        println!(
            "\n{}",
            t!(
                "status-mailbox-problem",
                at = i18n::when_text(&at, &ctx.config.timezone),
                detail = detail
            )
        );
    }
    Ok(())
}

/// The status table with its heading and summary lines, as people read it.
pub(crate) fn render_status(ctx: &Ctx, st: &Status) -> String {
    let c = ctx.config.campaign(&st.campaign);
    let mut out = String::new();
    let title: String = st.title.chars().take(90).collect();
    let ellipsis = if st.title.chars().count() > 90 {
        "…"
    } else {
        ""
    };
    let tz = ctx.config.timezone;
    out.push_str(&t!(
        "status-title",
        number = st.number.as_str(),
        title = format!("{title}{ellipsis}")
    ));
    out.push('\n');
    out.push_str(&t!(
        "status-as-of",
        deadline = i18n::when_text(&st.deadline, &tz),
        at = i18n::when_text(&st.as_of, &tz)
    ));
    out.push_str("\n\n");
    let unit_col = t!("col-unit");
    let state_col = t!("col-status");
    let mut headers = vec!["#", unit_col.as_str()];
    let names: Vec<String> = c
        .map(|c| c.items.iter().map(|i| i.name.clone()).collect())
        .unwrap_or_default();
    headers.extend(names.iter().map(String::as_str));
    headers.push(state_col.as_str());
    let rows: Vec<Vec<String>> = st
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let mut r = vec![(i + 1).to_string(), u.name.clone()];
            for (id, item) in &u.items.0 {
                r.push(match item {
                    None if u.to_check.contains(id) => t!("cell-to-check"),
                    None if u.unreadable.contains(id) => t!("cell-unreadable"),
                    None => "—".into(),
                    Some(s) if s.source == "paper" => {
                        t!("cell-paper", day = day_month(&s.received_at))
                    }
                    Some(s) if s.late => t!("cell-late", day = day_month(&s.received_at)),
                    Some(s) => t!("cell-on-time", day = day_month(&s.received_at)),
                });
            }
            r.push(match u.status {
                State::CompleteOnTime => t!("state-complete-on-time"),
                State::CompleteLate => t!("state-complete-late"),
                State::Partial => t!("state-partial"),
                State::Missing => t!("state-missing"),
            });
            r
        })
        .collect();
    out.push_str(&render(&headers, &rows));
    out.push('\n');
    out.push_str(&t!(
        "status-totals",
        total = st.units.len(),
        on_time = st.count(State::CompleteOnTime),
        late = st.count(State::CompleteLate),
        partial = st.count(State::Partial),
        missing = st.count(State::Missing)
    ));
    out.push('\n');
    let with_problems: Vec<_> = st.units.iter().filter(|u| !u.problems.is_empty()).collect();
    if !with_problems.is_empty() {
        out.push('\n');
        out.push_str(&t!("status-to-review"));
        out.push('\n');
        for u in with_problems {
            for p in &u.problems {
                out.push_str(&format!("  - {}: {p}\n", u.name));
            }
        }
    }
    if !st.unidentified.is_empty() {
        out.push('\n');
        out.push_str(&t!("status-unidentified", count = st.unidentified.len()));
        out.push('\n');
        for m in &st.unidentified {
            let line = t!(
                "status-unidentified-mail",
                at = m
                    .received_at
                    .as_deref()
                    .map(|t| i18n::when_text(t, &tz))
                    .unwrap_or_default(),
                from = m.from.as_deref().unwrap_or("?"),
                subject = m.subject.as_str(),
                id = m.message_id.as_str()
            );
            out.push_str(&format!("  - {line}\n"));
        }
        out.push_str(&format!("    {}\n", t!("status-assign-hint")));
    }
    out
}
