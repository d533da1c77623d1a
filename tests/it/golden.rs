//! Golden JSON for every malformed-mail fixture: what the parser makes of each one (sender,
//! subject, times, attachments with kind and error, forwards, problems) is compared with
//! `tests/fixtures/eml/malformed/<name>.golden.json`. A change of behaviour shows as a diff of
//! that file; `BAOCAO_BLESS=1` rewrites them after a change that was meant.

use std::path::Path;

use baocao::config::Limits;
use baocao::message::{Inbound, parse};
use serde_json::{Value, json};

fn summary(m: &Inbound) -> Value {
    json!({
        "message_id": m.message_id,
        "from": m.from_addr,
        "from_name": m.from_name,
        "subject": m.subject,
        "body_chars": m.body.chars().count(),
        "date": m.date.map(|d| d.to_rfc3339()),
        "received": m.received.map(|d| d.to_rfc3339()),
        "auto": {
            "auto_submitted": m.auto.auto_submitted,
            "bulk": m.auto.bulk,
            "list": m.auto.list,
            "delivery_report": m.auto.delivery_report,
        },
        "attachments": m.attachments.iter().map(|p| json!({
            "name": p.name,
            "path": p.path,
            "kind": p.kind.as_str(),
            "bytes": p.bytes.len(),
            "error": p.error,
            "inline": p.inline,
        })).collect::<Vec<_>>(),
        "forwarded": m.forwarded.iter().map(summary).collect::<Vec<_>>(),
        "problems": m.problems,
    })
}

#[test]
fn every_malformed_fixture_parses_as_its_golden_file_says() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/eml/malformed");
    let bless = std::env::var_os("BAOCAO_BLESS").is_some();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .collect();
    names.sort();
    assert!(names.len() >= 30, "only {} fixtures", names.len());
    let mut differ = Vec::new();
    for path in &names {
        let raw = std::fs::read(path).expect("read fixture");
        let got = match parse(&raw, &Limits::default()) {
            Ok(m) => json!({ "parsed": summary(&m) }),
            Err(e) => json!({ "refused": e.to_string() }),
        };
        let golden = path.with_extension("golden.json");
        let text = serde_json::to_string_pretty(&got).expect("json") + "\n";
        if bless {
            std::fs::write(&golden, &text).expect("write golden");
            continue;
        }
        let want = std::fs::read_to_string(&golden).unwrap_or_default();
        if want != text {
            differ.push(format!(
                "{}:\n--- expected\n{want}\n--- got\n{text}",
                golden.display()
            ));
        }
    }
    assert!(
        differ.is_empty(),
        "{} of {} fixtures parse differently from their golden files (BAOCAO_BLESS=1 rewrites them when the change is meant):\n{}",
        differ.len(),
        names.len(),
        differ.join("\n")
    );
}
