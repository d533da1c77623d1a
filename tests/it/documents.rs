//! The fixture corpus made by real producers (tests/fixtures/docs, see its README): every
//! form cell, every outline section marker, header field, unit and item is checked against
//! expected.json, which the generator wrote from its own data. Prints the accuracy report:
//! `cargo test --test it corpus -- --nocapture`.

use std::collections::BTreeMap;
use std::path::Path;

use baocao::config::{self, Config};
use baocao::documents::{self, DocLimits};
use baocao::message::{AutoMarks, Inbound, Part};
use baocao::recognise::Recogniser;
use serde_json::Value;

use crate::support::root;

fn setup() -> (Config, Recogniser) {
    let cfg = config::load(&root().join("config/baocao.toml")).unwrap();
    let units = config::parse_units_csv(
        &std::fs::read(root().join("config/units.csv")).unwrap(),
        Path::new("units.csv"),
    )
    .unwrap();
    (cfg.clone(), Recogniser::new(cfg, units))
}

/// A message from an unknown sender carrying one file, answering the request.
fn message_with(name: &str, bytes: Vec<u8>) -> Inbound {
    Inbound {
        message_id: Some("t@x".into()),
        from_addr: Some("someone@example.com".into()),
        from_name: None,
        subject: "Gửi văn bản theo Công văn 809-CV/HU".into(),
        body: String::new(),
        date: None,
        received: None,
        auto: AutoMarks::default(),
        attachments: vec![Part::from_file(name, bytes)],
        forwarded: Vec::new(),
        problems: Vec::new(),
    }
}

#[derive(Default)]
struct Score {
    ok: usize,
    total: usize,
    failures: Vec<String>,
}

impl Score {
    fn check(&mut self, good: bool, what: impl FnOnce() -> String) {
        self.total += 1;
        if good {
            self.ok += 1;
        } else {
            self.failures.push(what());
        }
    }
    fn share(&self) -> f64 {
        if self.total == 0 {
            100.0
        } else {
            100.0 * self.ok as f64 / self.total as f64
        }
    }
}

#[test]
fn corpus_every_cell_unit_and_item() {
    let (_cfg, rec) = setup();
    let exp: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/fixtures/docs/expected.json")).unwrap(),
    )
    .unwrap();
    let mut cells = Score::default();
    let mut units = Score::default();
    let mut items = Score::default();
    let mut other = Score::default();
    let files = exp["files"].as_array().unwrap();
    assert!(files.len() >= 14);
    for f in files {
        let file = f["file"].as_str().unwrap();
        let bytes = std::fs::read(root().join("tests/fixtures/docs").join(file)).unwrap();
        let name = file.rsplit('/').next().unwrap();
        let msg = message_with(name, bytes);
        let part = &msg.attachments[0];
        let doc = documents::extract(part, &DocLimits::default());
        let text = doc.text();
        let r = rec.recognise(&msg, None, &[Some(doc)]);
        let unit = r.unit.as_ref().map(|d| d.id.as_str());
        units.check(unit == f["unit"].as_str(), || {
            format!("{file}: unit {unit:?}, expected {}", f["unit"])
        });
        let mut got: Vec<&str> = r.parts[0].items.iter().map(String::as_str).collect();
        got.sort_unstable();
        let mut want: Vec<&str> = f["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        want.sort_unstable();
        items.check(got == want, || {
            format!("{file}: items {got:?}, expected {want:?}")
        });
        let reading = r.parts[0].reading.clone().unwrap_or_default();
        other.check(
            reading.secret.is_some() == f["secret"].as_bool().unwrap_or(false),
            || format!("{file}: secret {:?}", reading.secret),
        );
        other.check(
            reading.scanned == f["scanned"].as_bool().unwrap_or(false),
            || format!("{file}: scanned {}", reading.scanned),
        );
        for phrase in f["text_contains"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            other.check(text.contains(phrase), || {
                format!("{file}: text lacks {phrase:?}")
            });
        }
        // Header fields that the document has.
        if let Some(h) = f["header"].as_object() {
            let got = serde_json::to_value(reading.header.clone().unwrap_or_default()).unwrap();
            for (k, v) in h {
                if v.is_null() {
                    continue;
                }
                let key = if k == "type" { "doc_type" } else { k.as_str() };
                other.check(got[key] == *v, || {
                    format!("{file}: header {k} = {}, expected {v}", got[key])
                });
            }
        }
        // Outline sections: each marker phrase in its own section.
        for (id, phrase) in f["sections"].as_object().into_iter().flatten() {
            let phrase = phrase.as_str().unwrap();
            let found = reading
                .sections
                .iter()
                .find(|s| s.text.contains(phrase) || s.heading.contains(phrase))
                .map(|s| s.id.as_str());
            // A parent's intro may sit in the parent or (when the report puts no text before its
            // first sub-heading) nowhere else: require the exact section.
            other.check(found == Some(id.as_str()), || {
                format!("{file}: section phrase {phrase:?} found in {found:?}, expected {id}")
            });
        }
        // Forms, cell by cell.
        for ef in f["forms"].as_array().into_iter().flatten() {
            let item = ef["item"].as_str().unwrap();
            let Some(gf) = reading.forms.iter().find(|g| g.item == item) else {
                let n = ef["rows"].as_array().map(Vec::len).unwrap_or(0) * 2
                    + ef["cells"].as_array().map(Vec::len).unwrap_or(0);
                for _ in 0..n {
                    cells.check(false, || format!("{file}: form {item} not found"));
                }
                continue;
            };
            for er in ef["rows"].as_array().into_iter().flatten() {
                let g = gf.rows.iter().find(|g| {
                    g.group == er["group"].as_str().unwrap()
                        && g.label == er["label"].as_str().unwrap()
                        && gf
                            .rows
                            .iter()
                            .filter(|x| x.group == g.group && x.label == g.label)
                            .count()
                            == 1
                });
                // Repeated labels: compare in order.
                let same: Vec<_> = gf
                    .rows
                    .iter()
                    .filter(|x| {
                        x.group == er["group"].as_str().unwrap()
                            && x.label == er["label"].as_str().unwrap()
                    })
                    .collect();
                let nth = ef["rows"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .take_while(|x| !std::ptr::eq(*x, er))
                    .filter(|x| x["group"] == er["group"] && x["label"] == er["label"])
                    .count();
                let g = g.or(same.get(nth).copied());
                let mark = g.map(|g| serde_json::to_value(g.mark).unwrap());
                cells.check(mark.as_ref() == Some(&er["mark"]), || {
                    format!(
                        "{file}: {item} {} / {}: mark {mark:?}, expected {}",
                        er["group"], er["label"], er["mark"]
                    )
                });
                let prop = g.map(|g| g.proposal.as_str());
                cells.check(prop == er["proposal"].as_str(), || {
                    format!("{file}: {item} {}: proposal {prop:?}", er["label"])
                });
            }
            let mut want_cells: BTreeMap<(String, String, String), String> = BTreeMap::new();
            for c in ef["cells"].as_array().into_iter().flatten() {
                want_cells.insert(
                    (
                        c["row"].as_str().unwrap().into(),
                        c["sub_row"].as_str().unwrap().into(),
                        c["column"].as_str().unwrap().into(),
                    ),
                    c["value"].as_str().unwrap().into(),
                );
            }
            let got_cells: BTreeMap<(String, String, String), String> = gf
                .cells
                .iter()
                .map(|c| {
                    (
                        (c.row.clone(), c.sub_row.clone(), c.column.clone()),
                        c.value.clone(),
                    )
                })
                .collect();
            for (k, v) in &want_cells {
                let g = got_cells.get(k);
                cells.check(g == Some(v), || {
                    format!("{file}: {item} {k:?} = {g:?}, expected {v:?}")
                });
            }
            for k in got_cells.keys().filter(|k| !want_cells.contains_key(*k)) {
                cells.check(false, || {
                    format!("{file}: {item} read a cell that is not there: {k:?}")
                });
            }
            // Problems by kind and place.
            let mut want_p: Vec<String> = ef["problems"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect();
            want_p.sort();
            let mut got_p: Vec<String> = gf
                .problems
                .iter()
                .filter(|p| p.kind != baocao::forms::FormProblemKind::MissingRow)
                .map(|p| format!("{}:{}", p.kind, p.at))
                .collect();
            got_p.sort();
            other.check(got_p == want_p, || {
                format!("{file}: {item} problems {got_p:?}, expected {want_p:?}")
            });
        }
    }
    println!(
        "accuracy over {} fixture files: form cells {:.1}% ({}/{}), units {:.1}% ({}/{}), items {:.1}% ({}/{}), other checks {:.1}% ({}/{})",
        files.len(),
        cells.share(),
        cells.ok,
        cells.total,
        units.share(),
        units.ok,
        units.total,
        items.share(),
        items.ok,
        items.total,
        other.share(),
        other.ok,
        other.total,
    );
    let all: Vec<&String> = cells
        .failures
        .iter()
        .chain(&units.failures)
        .chain(&items.failures)
        .chain(&other.failures)
        .collect();
    assert!(
        all.is_empty(),
        "{} failures:\n{}",
        all.len(),
        all.iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        for (n, b) in entries {
            z.start_file(*n, zip::write::SimpleFileOptions::default())
                .unwrap();
            z.write_all(b).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

#[test]
fn hostile_documents_are_flagged_never_panic_hang_or_exhaust_memory() {
    let nested = format!(
        "%PDF-1.4\n1 0 obj\n{}{}\nendobj\ntrailer<</Root 1 0 R>>\n%%EOF",
        "[".repeat(200_000),
        "]".repeat(200_000)
    );
    let laughs = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol9;&lol9;&lol9;</w:t></w:r></w:p></w:body></w:document>"#;
    let real =
        std::fs::read(root().join("tests/fixtures/docs/xlsx/bieu-2-3-one-sheet.xlsx")).unwrap();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty.docx", Vec::new()),
        ("empty.xlsx", Vec::new()),
        ("empty.pdf", Vec::new()),
        ("truncated.xlsx", real[..real.len() / 3].to_vec()),
        ("bomb.docx", zip_of(&[("word/document.xml", &vec![b' '; 210 << 20])])),
        ("laughs.docx", zip_of(&[("word/document.xml", laughs.as_bytes())])),
        (
            "loop.pdf",
            b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[2 0 R 3 0 R]/Count 2>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/Kids[2 0 R]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF".to_vec(),
        ),
        ("nested.pdf", nested.into_bytes()),
        ("garbage.xls", [&[0xD0u8, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1][..], &[0x41u8; 4000][..]].concat()),
        ("garbage.doc", [&[0xD0u8, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1][..], &[0x42u8; 4000][..]].concat()),
        ("not-a-zip.docx", b"PK\x03\x04 this is not really a zip".to_vec()),
    ];
    for (name, bytes) in cases {
        let part = Part::from_file(name, bytes);
        let (tx, rx) = std::sync::mpsc::channel();
        let handle = std::thread::spawn(move || {
            let d = documents::extract(&part, &DocLimits::default());
            let _ = tx.send(d);
        });
        let doc = rx
            .recv_timeout(std::time::Duration::from_secs(120))
            .unwrap_or_else(|_| panic!("{name}: reading did not finish"));
        handle.join().unwrap_or_else(|_| panic!("{name}: panicked"));
        let text: usize = doc.text().len();
        assert!(text < 1 << 20, "{name}: {text} bytes of text");
        match name {
            "laughs.docx" => assert!(!doc.text().contains("lollol"), "{name}: entities expanded"),
            _ => assert!(
                !doc.problems.is_empty(),
                "{name}: no problem recorded: {:?}",
                doc
            ),
        }
        if name == "bomb.docx" {
            assert!(doc.problems[0].contains("bom zip"), "{:?}", doc.problems);
        }
    }
}
