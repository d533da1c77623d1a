//! Plain-text tables for the terminal, padded by display width (a combining mark takes no
//! column, a wide character two).

use unicode_width::UnicodeWidthStr as _;

/// Renders `rows` under `headers` with a rule below the header.
pub(crate) fn render(headers: &[&str], rows: &[Vec<String>]) -> String {
    let n = headers.len();
    let mut w: Vec<usize> = headers.iter().map(|h| h.width()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate().take(n) {
            w[i] = w[i].max(c.width());
        }
    }
    let line = |cells: Vec<&str>| -> String {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                s.push_str("  ");
            }
            s.push_str(c);
            if i + 1 < n {
                s.extend(std::iter::repeat_n(' ', w[i].saturating_sub(c.width())));
            }
        }
        s.trim_end().to_string()
    };
    let mut out = line(headers.to_vec());
    out.push('\n');
    let rule: Vec<String> = w.iter().map(|&x| "─".repeat(x)).collect();
    out.push_str(&line(rule.iter().map(String::as_str).collect()));
    out.push('\n');
    for r in rows {
        out.push_str(&line(r.iter().map(String::as_str).collect()));
        out.push('\n');
    }
    out
}

/// "25/01" from an RFC 3339 time (already in the office time zone).
pub(crate) fn day_month(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| t.format("%d/%m").to_string())
        .unwrap_or_else(|_| rfc3339.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn pads_by_characters() {
        let t = super::render(&["Đơn vị", "X"], &[vec!["Lộc Thành".into(), "✓".into()]]);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[0], "Đơn vị     X");
        assert_eq!(lines[2], "Lộc Thành  ✓");
    }

    use super::render;
    use unicode_width::UnicodeWidthStr as _;

    #[test]
    fn columns_line_up_by_display_width_even_with_combining_marks() {
        // "Lộc An" decomposed (a unit name pasted from an old system) is 6 columns, 8 chars.
        let decomposed = "Lo\u{323}\u{302}c An";
        assert_eq!(decomposed.chars().count(), 8);
        let t = render(
            &["Đơn vị", "Trạng thái"],
            &[
                vec![decomposed.to_string(), "Đủ".into()],
                vec!["Lộc Bảo".into(), "Thiếu".into()],
            ],
        );
        let lines: Vec<&str> = t.lines().collect();
        let col = |l: &str, word: &str| l[..l.find(word).expect("word")].width();
        assert_eq!(col(lines[2], "Đủ"), col(lines[3], "Thiếu"), "{t}");
        assert_eq!(col(lines[0], "Trạng"), col(lines[3], "Thiếu"), "{t}");
    }
}
