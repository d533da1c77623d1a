//! Splits a report into the request's outline sections (Đề cương: I–IV and their numbered
//! sub-items) by finding the heading paragraphs, so each unit's text for each section can be
//! placed under that heading in the consolidated draft.

use serde::Serialize;

use crate::config::Section as OutlineSection;
use crate::documents::Document;
use crate::vntext::fold;

/// The text a report wrote under one outline heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Section {
    /// Outline id ("I", "II.3").
    pub id: String,
    /// The heading as the unit wrote it.
    pub heading: String,
    /// The text under it, up to the next recognised heading.
    pub text: String,
}

/// Strips the numbering a heading starts with: "I.", "2.1.", "a)", "-".
fn strip_numbering(s: &str) -> &str {
    let t = s.trim_start();
    let end = t
        .char_indices()
        .find(|(_, c)| {
            !(c.is_ascii_digit() || matches!(c, 'I' | 'V' | 'X' | '.' | ')' | ' ' | '-' | '–'))
        })
        .map(|(i, _)| i)
        .unwrap_or(t.len());
    // Only treat the prefix as numbering if it really is one ("I." not "Ia").
    let prefix = &t[..end];
    let roman = prefix.trim().trim_end_matches(['-', '–', '.', ')']);
    let is_roman = !roman.is_empty() && roman.chars().all(|c| matches!(c, 'I' | 'V' | 'X'));
    if prefix
        .chars()
        .any(|c| c.is_ascii_digit() || matches!(c, '.' | ')'))
        || is_roman && prefix.ends_with(' ')
    {
        &t[end..]
    } else {
        t
    }
}

fn flat(
    outline: &[OutlineSection],
    parent: Option<usize>,
    out: &mut Vec<(String, String, Option<usize>)>,
) {
    for s in outline {
        out.push((s.id.clone(), fold(&s.title), parent));
        let me = out.len() - 1;
        flat(&s.children, Some(me), out);
    }
}

/// A paragraph prepared for heading matching: folded without its numbering.
struct Candidate {
    folded: String,
    looks_like_heading: bool,
}

impl Candidate {
    fn new(para: &crate::documents::Paragraph) -> Self {
        let stripped = strip_numbering(&para.text);
        // A heading is numbered, bold or styled as a heading; plain sentences that merely
        // start with the same words are body text.
        Candidate {
            looks_like_heading: stripped.len() != para.text.trim_start().len()
                || para.bold
                || para.level.is_some(),
            folded: fold(stripped),
        }
    }
}

fn heading_matches(c: &Candidate, title: &str) -> bool {
    let p = &c.folded;
    // Headings are short: never compare long body paragraphs character by character.
    if p.is_empty() || title.is_empty() || p.len() > title.len() + 60 {
        return false;
    }
    if p == title {
        return true;
    }
    // The distance is computed once, and only when the lengths allow the lower bar.
    let similarity = super::similarity(p, title, 0.8);
    if similarity.is_some_and(|s| s >= 0.9) {
        return true;
    }
    if !c.looks_like_heading {
        return false;
    }
    p.starts_with(title)
        || (title.len() > 25 && title.starts_with(p.as_str()) && p.len() * 10 >= title.len() * 6)
        || similarity.is_some_and(|s| s >= 0.8)
}

/// The report's text per outline section, in document order. Sections with no heading in the
/// report are absent. The body stops at "Nơi nhận" or the signature.
pub fn split_sections(doc: &Document, outline: &[OutlineSection]) -> Vec<Section> {
    let mut flat_outline = Vec::new();
    flat(outline, None, &mut flat_outline);
    let mut out: Vec<Section> = Vec::new();
    let mut current: Option<usize> = None; // index into flat_outline
    // Headings are short; longer paragraphs are body text and need no matching.
    let longest = flat_outline
        .iter()
        .map(|(_, t, _)| t.len())
        .max()
        .unwrap_or(0);
    for p in &doc.paragraphs {
        let text = p.text.trim();
        if text.len() > 2 * longest + 80 {
            if let Some(s) = out.last_mut() {
                if !s.text.is_empty() {
                    s.text.push('\n');
                }
                s.text.push_str(text);
            }
            continue;
        }
        let f = fold(text);
        if f.starts_with("noi nhan")
            || f.starts_with("t m ")
            || f.starts_with("k t ")
            || f.starts_with("t l ")
        {
            break;
        }
        // Candidates: children of the current section's top-level ancestor first, then any
        // top-level section; a sub-heading "1." is only taken inside its parent.
        let top = current.map(|mut i| {
            while let Some(p) = flat_outline[i].2 {
                i = p;
            }
            i
        });
        let cand = Candidate::new(p);
        let hit = flat_outline
            .iter()
            .enumerate()
            .find(|(i, (_, title, parent))| {
                let allowed = match parent {
                    None => true,
                    Some(_) => {
                        let mut a = *i;
                        while let Some(p) = flat_outline[a].2 {
                            a = p;
                        }
                        Some(a) == top
                    }
                };
                allowed && heading_matches(&cand, title)
            });
        match hit {
            Some((i, (id, _, _))) => {
                current = Some(i);
                out.push(Section {
                    id: id.clone(),
                    heading: text.to_string(),
                    text: String::new(),
                });
            }
            None => {
                if let Some(s) = out.last_mut() {
                    if !s.text.is_empty() {
                        s.text.push('\n');
                    }
                    s.text.push_str(text);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::FileKind;

    fn doc(lines: &[&str]) -> Document {
        Document::from_lines(FileKind::Text, lines)
    }

    fn outline() -> Vec<OutlineSection> {
        let s = |id: &str, t: &str, c: Vec<OutlineSection>| OutlineSection {
            id: id.into(),
            title: t.into(),
            children: c,
        };
        vec![
            s(
                "I",
                "TÌNH HÌNH, KẾT QUẢ THỰC HIỆN",
                vec![s("I.1", "Công tác lãnh đạo, chỉ đạo", vec![])],
            ),
            s(
                "II",
                "TỔ CHỨC THỰC HIỆN",
                vec![s("II.1", "Thời điểm kiểm điểm", vec![])],
            ),
        ]
    }

    #[test]
    fn splits_by_headings() {
        let d = doc(&[
            "BÁO CÁO",
            "I. TÌNH HÌNH, KẾT QUẢ THỰC HIỆN",
            "1. Công tác lãnh đạo, chỉ đạo",
            "Đảng ủy đã ban hành kế hoạch.",
            "Công tác lãnh đạo, chỉ đạo được quan tâm trong cả năm và nhiều nội dung khác nữa.",
            "II- TỔ CHỨC THỰC HIỆN",
            "1. Thời điểm kiểm điểm",
            "Tháng 12 hằng năm.",
            "Nơi nhận:",
            "- Lưu",
        ]);
        let s = split_sections(&d, &outline());
        let ids: Vec<&str> = s.iter().map(|x| x.id.as_str()).collect();
        assert_eq!(ids, ["I", "I.1", "II", "II.1"]);
        assert!(s[1].text.contains("ban hành kế hoạch"));
        assert!(s[1].text.contains("được quan tâm"));
        assert_eq!(s[3].text, "Tháng 12 hằng năm.");
    }
}
