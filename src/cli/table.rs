//! Plain-text tables for the terminal, padded by characters (Vietnamese text is NFC, one
//! column per character).

/// Renders `rows` under `headers` with a rule below the header.
pub(crate) fn render(headers: &[&str], rows: &[Vec<String>]) -> String {
    let n = headers.len();
    let mut w: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate().take(n) {
            w[i] = w[i].max(c.chars().count());
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
                s.extend(std::iter::repeat_n(
                    ' ',
                    w[i].saturating_sub(c.chars().count()),
                ));
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
}
