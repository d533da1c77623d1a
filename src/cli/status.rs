//! `baocao status`: the register for one campaign as a table or JSON.

use anyhow::Result;

use super::table::{day_month, full_time, render};
use super::{Ctx, print_json};
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
            "\nCẢNH BÁO: đọc hộp thư bị lỗi từ {at}: {detail}\nbaocao tự thử lại; thư chưa đọc được vẫn nằm trên máy chủ và sẽ được đọc khi hết lỗi."
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
    out.push_str(&format!("Công văn {} — {title}{ellipsis}\n", st.number));
    out.push_str(&format!(
        "Hạn nộp: {} · Tình hình tính đến: {}\n\n",
        full_time(&st.deadline),
        full_time(&st.as_of)
    ));
    let mut headers = vec!["#", "Đơn vị"];
    let names: Vec<String> = c
        .map(|c| c.items.iter().map(|i| i.name.clone()).collect())
        .unwrap_or_default();
    headers.extend(names.iter().map(String::as_str));
    headers.push("Tình trạng");
    let rows: Vec<Vec<String>> = st
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let mut r = vec![(i + 1).to_string(), u.name.clone()];
            for (id, item) in &u.items.0 {
                r.push(match item {
                    None if u.to_check.contains(id) => "? cần kiểm tra".into(),
                    None if u.unreadable.contains(id) => "✗ tệp hỏng".into(),
                    None => "—".into(),
                    Some(s) if s.source == "paper" => format!("giấy {}", day_month(&s.received_at)),
                    Some(s) if s.late => format!("✓ {} muộn", day_month(&s.received_at)),
                    Some(s) => format!("✓ {}", day_month(&s.received_at)),
                });
            }
            r.push(u.status.label().into());
            r
        })
        .collect();
    out.push_str(&render(&headers, &rows));
    out.push_str(&format!(
        "\nTổng số {} đơn vị: {} đủ và đúng hạn, {} đủ nhưng nộp muộn, {} còn thiếu, {} chưa gửi.\n",
        st.units.len(),
        st.count(State::CompleteOnTime),
        st.count(State::CompleteLate),
        st.count(State::Partial),
        st.count(State::Missing)
    ));
    let with_problems: Vec<_> = st.units.iter().filter(|u| !u.problems.is_empty()).collect();
    if !with_problems.is_empty() {
        out.push_str("\nCần xem lại:\n");
        for u in with_problems {
            for p in &u.problems {
                out.push_str(&format!("  - {}: {p}\n", u.name));
            }
        }
    }
    if !st.unidentified.is_empty() {
        out.push_str(&format!(
            "\nThư chưa rõ của đơn vị nào ({}):\n",
            st.unidentified.len()
        ));
        for m in &st.unidentified {
            out.push_str(&format!(
                "  - {} từ {} «{}» — Message-ID {}\n",
                m.received_at.as_deref().map(full_time).unwrap_or_default(),
                m.from.as_deref().unwrap_or("?"),
                m.subject,
                m.message_id
            ));
        }
        out.push_str("    Gán đơn vị: baocao assign MESSAGE-ID MA-DON-VI\n");
    }
    out
}
