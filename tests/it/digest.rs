//! `baocao digest` on the demo data: the digest must name exactly the units that the register
//! says are late or missing at that moment, link every case that needs a person to its page
//! in the web console (no commands, no unit ids in staff mail), and carry a well-formed,
//! coloured HTML part.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::support::{TestDir, baocao_raw, json, ok};

/// The demo's data folder and config at `dir/demo`.
fn demo(t: &TestDir) -> String {
    let dir = t.join("demo");
    ok(baocao_raw(&["demo", "--data", &dir.display().to_string()]));
    dir.join("config/baocao.toml").display().to_string()
}

/// Unit names listed in the text section headed `head` ("CÒN THIẾU (3):" …), one per line
/// as "  - Name: …".
fn names_in(text: &str, head: &str) -> BTreeSet<String> {
    let lines: Vec<&str> = text.lines().skip_while(|l| !l.starts_with(head)).collect();
    assert!(!lines.is_empty(), "no section {head} in:\n{text}");
    let count: usize = lines[0]
        .rsplit_once('(')
        .and_then(|(_, n)| n.trim_end_matches("):").parse().ok())
        .unwrap_or_else(|| panic!("no count in {:?}", lines[0]));
    let ids: BTreeSet<String> = lines[1..]
        .iter()
        .take_while(|l| !l.trim().is_empty())
        .filter(|l| l.starts_with("  - "))
        .map(|l| {
            let name = l.trim_start_matches("  - ").split(": ").next().unwrap();
            assert!(!name.contains('('), "a unit id in staff mail: {l}");
            name.to_string()
        })
        .collect();
    assert_eq!(ids.len(), count, "{head}: the count says {count}");
    ids
}

fn status_sets(st: &Value) -> (BTreeSet<String>, BTreeSet<String>, BTreeSet<String>) {
    let mut late = BTreeSet::new();
    let mut partial = BTreeSet::new();
    let mut missing = BTreeSet::new();
    for u in st["units"].as_array().unwrap() {
        let id = u["name"].as_str().unwrap().to_string();
        match u["status"].as_str().unwrap() {
            "partial" => {
                partial.insert(id.clone());
            }
            "missing" => {
                missing.insert(id.clone());
            }
            _ => {}
        }
        if u["items"]
            .as_object()
            .unwrap()
            .values()
            .any(|i| i["late"] == true)
        {
            late.insert(id);
        }
    }
    (late, partial, missing)
}

/// Checks that `html` is well-formed (every tag closed, in order) with quick-xml.
fn assert_well_formed(html: &str) {
    use quick_xml::events::Event;
    let mut r = quick_xml::Reader::from_str(html);
    let mut stack: Vec<String> = Vec::new();
    let mut elements = 0;
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) => {
                stack.push(e.name().0.to_string());
                elements += 1;
            }
            Ok(Event::End(e)) => {
                let name = e.name().0.to_string();
                assert_eq!(
                    stack.pop().as_deref(),
                    Some(name.as_str()),
                    "misnested </{name}>"
                );
            }
            Ok(Event::Empty(_)) => elements += 1,
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("HTML is not well-formed at {}: {e}", r.buffer_position()),
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
    assert!(elements > 100, "only {elements} elements");
}

#[test]
fn dry_run_names_exactly_the_late_and_missing_units_of_the_register() {
    let t = TestDir::new();
    let cfg = demo(&t);
    for now in ["2023-01-28T08:00:00+07:00", "2023-02-02T08:00:00+07:00"] {
        let st = json(baocao_raw(&[
            "--config", &cfg, "--now", now, "status", "--json",
        ]));
        let (late, partial, missing) = status_sets(&st);
        let out = ok(baocao_raw(&[
            "--config",
            &cfg,
            "--now",
            now,
            "digest",
            "--dry-run",
        ]));
        assert!(out.starts_with("Subject: Tình hình nhận báo cáo "), "{out}");
        assert_eq!(names_in(&out, "NỘP MUỘN ("), late, "{now}: late");
        assert_eq!(names_in(&out, "CÒN THIẾU ("), partial, "{now}: partial");
        assert_eq!(names_in(&out, "CHƯA GỬI ("), missing, "{now}: missing");
        assert!(
            !out.contains("→ baocao"),
            "{now}: a command in staff mail:\n{out}"
        );
        // Each partial unit's line says what it misses, by the campaign's item names.
        for u in st["units"].as_array().unwrap() {
            if u["status"] == "partial" {
                let line = out
                    .lines()
                    .find(|l| l.contains(&format!("{}: thiếu", u["name"].as_str().unwrap())))
                    .unwrap();
                for m in u["missing"].as_array().unwrap() {
                    let name = match m.as_str().unwrap() {
                        "report" => "Báo cáo".to_string(),
                        b => format!("Biểu số {}", b.trim_start_matches("bieu")),
                    };
                    assert!(line.contains(&name), "{line} lacks {name}");
                }
            }
        }
        // Every unidentified mail of the register is there with the link to its page, by the
        // number `baocao messages` shows.
        let msgs = json(baocao_raw(&[
            "--config", &cfg, "--now", now, "messages", "--json",
        ]));
        for u in st["unidentified"].as_array().unwrap() {
            let id = msgs
                .as_array()
                .unwrap()
                .iter()
                .find(|m| m["message_id"] == u["message_id"])
                .map(|m| m["id"].as_i64().unwrap())
                .unwrap();
            let link = format!("→ http://127.0.0.1:8080/thu/{id}");
            assert!(out.contains(&link), "{now}: no {link} in\n{out}");
        }
        if now.starts_with("2023-02-02") {
            assert_eq!(st["unidentified"].as_array().unwrap().len(), 1);
            // The damaged workbook of Lộc Nam, with the link to its mail's page.
            let line = out
                .lines()
                .position(|l| l.contains("«Bieu 2 Loc Nam.xlsx» của Đảng ủy xã Lộc Nam"))
                .unwrap_or_else(|| panic!("no damaged file in\n{out}"));
            assert!(
                out.lines()
                    .nth(line + 1)
                    .unwrap()
                    .trim()
                    .starts_with("→ http://127.0.0.1:8080/thu/"),
                "{out}"
            );
        } else {
            assert!(st["unidentified"].as_array().unwrap().is_empty());
        }
    }
}

#[test]
fn the_html_part_is_well_formed_and_coloured() {
    let t = TestDir::new();
    let cfg = demo(&t);
    let d = json(baocao_raw(&[
        "--config",
        &cfg,
        "--now",
        "2023-02-02T08:00:00+07:00",
        "--json",
        "digest",
        "--dry-run",
    ]));
    let html = d["html"].as_str().unwrap();
    assert_well_formed(html);
    let text = d["text"].as_str().unwrap();
    assert!(d["subject"].as_str().unwrap().contains("việc cần xử lý"));
    assert!(text.contains("CẦN XỬ LÝ"));
    // One matrix row per unit; on time green, late amber, missing red.
    assert!(html.matches("<tr>").count() > 40, "a row per unit");
    let cell = |bg: &str| format!("<td bgcolor=\"{bg}\" style=\"background:{bg};");
    assert!(
        html.matches(&cell("#c6efce")).count() >= 5 * 8,
        "green cells"
    );
    assert!(
        html.matches(&cell("#ffeb9c")).count() >= 5,
        "amber cells (Quân sự)"
    );
    assert!(
        html.matches(&cell("#ffc7ce")).count() >= 5 * 30,
        "red cells"
    );
    assert!(html.contains("Đảng bộ Quân sự huyện"));
    assert!(html.contains("border-collapse:collapse"));
    // Nothing the page needs lives outside it.
    assert!(!html.contains("<link") && !html.contains("<script") && !html.contains("<style"));
}

#[test]
fn sending_needs_smtp_and_says_how_to_see_it_instead() {
    let t = TestDir::new();
    let cfg = demo(&t);
    let out = baocao_raw(&["--config", &cfg, "digest"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("[smtp]") && err.contains("--dry-run"), "{err}");
    let out = baocao_raw(&[
        "--config",
        &cfg,
        "digest",
        "--dry-run",
        "--campaign",
        "nope",
    ]);
    assert_eq!(out.status.code(), Some(2));
}
