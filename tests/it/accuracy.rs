//! Accuracy per class on the demo corpus (demo/mail, golden file EXPECTED.json written from
//! the generator's scenarios): units, campaigns, the time that counts, items per file, form
//! cells per unit and form, and the reminder list at both moments of the golden status.
//! Printed with `cargo test --test it accuracy -- --nocapture`; every class must be 100 %.
//! The second corpus has its own table (corpus2.rs).
//!
//! `BAOCAO_ACCURACY_BIN=/path/to/baocao` measures another build (e.g. the branch start):
//! print only.

use std::collections::BTreeMap;
use std::process::Command;

use serde_json::Value;

use crate::support::{TestDir, root};

fn run(bin: &str, args: &[&str]) -> Value {
    let out = Command::new(bin).args(args).output().expect("run baocao");
    assert!(
        out.status.success(),
        "baocao {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or(Value::Null)
}

#[derive(Default)]
struct Class {
    right: usize,
    total: usize,
    wrong: Vec<String>,
}

impl Class {
    fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        self.total += 1;
        if ok {
            self.right += 1;
        } else {
            self.wrong.push(what());
        }
    }
}

/// (group, row, proposal) of the rows marked "Chưa phù hợp", sorted.
fn not_fitting(rows: &[Value]) -> Vec<(String, String, String)> {
    let mut v: Vec<(String, String, String)> = rows
        .iter()
        .filter(|r| r["mark"] == "chua_phu_hop")
        .map(|r| {
            let g = r["group"].as_str().unwrap_or("");
            (
                g.rsplit(" / ").next().unwrap_or("").to_string(),
                r["label"].as_str().unwrap_or("").to_string(),
                r["proposal"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn demo_corpus_accuracy_per_class() {
    let exp: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("demo/mail/EXPECTED.json")).unwrap(),
    )
    .unwrap();
    let bin = std::env::var("BAOCAO_ACCURACY_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_baocao").to_string());
    let t = TestDir::new();
    let dir = t.join("demo").display().to_string();
    run(&bin, &["demo", "--json", "--data", &dir]);
    let cfg = t.join("demo/config/baocao.toml").display().to_string();
    let msgs = run(&bin, &["--config", &cfg, "messages", "--json"]);
    let msgs = msgs.as_array().cloned().unwrap_or_default();
    let mut classes: BTreeMap<&str, Class> = BTreeMap::new();

    for e in exp["messages"].as_array().unwrap() {
        let file = e["file"].as_str().unwrap_or("?");
        let Some(m) = msgs.iter().find(|m| m["source"] == format!("demo/{file}")) else {
            for c in ["units", "campaigns", "times", "items"] {
                classes
                    .entry(c)
                    .or_default()
                    .check(false, || format!("{file}: not stored"));
            }
            continue;
        };
        classes
            .entry("units")
            .or_default()
            .check(m["unit"] == e["unit"], || {
                format!("{file}: want {} got {}", e["unit"], m["unit"])
            });
        classes
            .entry("campaigns")
            .or_default()
            .check(m["campaign"] == "809-CV-HU", || {
                format!("{file}: got {}", m["campaign"])
            });
        classes.entry("times").or_default().check(
            m["received_at"] == e["effective_received_at"],
            || {
                format!(
                    "{file}: want {} got {}",
                    e["effective_received_at"], m["received_at"]
                )
            },
        );
        for ea in e["attachments"].as_array().unwrap() {
            let name = ea["name"].as_str().unwrap_or("");
            if name.ends_with(".eml") {
                continue; // a forwarded message is opened, not listed as a file
            }
            let got = m["attachments"].as_array().and_then(|a| {
                a.iter().find(|a| {
                    if name.contains('/') {
                        a["path"] == name
                    } else {
                        a["name"] == name
                    }
                })
            });
            classes.entry("items").or_default().check(
                got.is_some_and(|a| a["items"] == ea["items"]),
                || {
                    format!(
                        "{file} {name}: want {} got {}",
                        ea["items"],
                        got.map(|a| a["items"].clone()).unwrap_or(Value::Null)
                    )
                },
            );
        }
    }
    // The unidentifiable mail stays unassigned.
    for f in exp["unassigned"].as_array().into_iter().flatten() {
        let f = f.as_str().unwrap_or("");
        let m = msgs.iter().find(|m| m["source"] == format!("demo/{f}"));
        classes
            .entry("units")
            .or_default()
            .check(m.is_some_and(|m| m["unit"].is_null()), || {
                format!("{f}: want no unit, got {:?}", m.map(|m| &m["unit"]))
            });
    }

    // Form cells: each unit's checklist rows and Biểu 1 cells as of the golden moment.
    let forms = run(
        &bin,
        &[
            "--config",
            &cfg,
            "--now",
            "2023-02-02T08:00:00+07:00",
            "forms",
            "--json",
        ],
    );
    for (unit, fs) in exp["forms"].as_object().unwrap() {
        let gu = forms
            .as_array()
            .and_then(|a| a.iter().find(|u| u["unit"] == *unit));
        for (item, ef) in fs.as_object().unwrap() {
            let gf = gu.and_then(|u| {
                u["forms"]
                    .as_array()
                    .and_then(|a| a.iter().find(|f| f["item"] == *item))
            });
            let cls = classes.entry("form cells").or_default();
            if let Some(n) = ef["criterion_rows"].as_u64() {
                let rows = gf
                    .and_then(|f| f["rows"].as_array().cloned())
                    .unwrap_or_default();
                let mut want: Vec<(String, String, String)> = ef["chua_phu_hop"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|r| {
                        (
                            r["group"].as_str().unwrap_or("").to_string(),
                            r["row"].as_str().unwrap_or("").to_string(),
                            r["proposal"].as_str().unwrap_or("").to_string(),
                        )
                    })
                    .collect();
                want.sort();
                let have = not_fitting(&rows);
                let fitting = rows.iter().filter(|r| r["mark"] == "phu_hop").count();
                cls.check(
                    rows.len() as u64 == n && have == want && fitting + want.len() == n as usize,
                    || format!("{unit} {item}: {} rows, not fitting {have:?}", rows.len()),
                );
            }
            for er in ef["rows"].as_array().into_iter().flatten() {
                let label = er["label"].as_str().unwrap_or("").trim_end_matches(" (*)");
                for (year, v) in er["cells"].as_object().into_iter().flatten() {
                    for (sub, key) in [("Thể loại văn bản", "type"), ("Ngày ban hành", "date")]
                    {
                        let cell = gf
                            .and_then(|f| f["cells"].as_array())
                            .and_then(|cells| {
                                cells.iter().find(|c| {
                                    c["row"].as_str().unwrap_or("").starts_with(
                                        &label[..label.floor_char_boundary(30.min(label.len()))],
                                    ) && c["column"] == *year
                                        && c["sub_row"] == sub
                                })
                            })
                            .map(|c| c["value"].clone())
                            .unwrap_or(Value::Null);
                        cls.check(cell == v[key], || {
                            format!(
                                "{unit} {item} {label} {year} {sub}: want {} got {cell}",
                                v[key]
                            )
                        });
                    }
                }
            }
        }
    }

    // The reminder list at each golden moment: every unit that still misses an item.
    let mut reminders_exact = Vec::new();
    for snap in exp["status"].as_array().unwrap() {
        let as_of = snap["as_of"].as_str().unwrap();
        let listed = snap["units"].as_object().unwrap();
        let st = run(
            &bin,
            &["--config", &cfg, "--now", as_of, "status", "--json"],
        );
        let mut want: Vec<String> = st["units"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|u| u["id"].as_str())
            .filter(|id| {
                listed
                    .get(*id)
                    .is_none_or(|eu| !eu["missing"].as_array().is_some_and(|m| m.is_empty()))
            })
            .map(str::to_string)
            .collect();
        want.sort();
        let plans = run(
            &bin,
            &[
                "--config",
                &cfg,
                "--now",
                as_of,
                "remind",
                "--dry-run",
                "--json",
            ],
        );
        let mut got: Vec<String> = plans
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p["unit_id"].as_str().map(str::to_string))
            .collect();
        got.sort();
        let extra: Vec<&String> = got.iter().filter(|g| !want.contains(g)).collect();
        let lacking: Vec<&String> = want.iter().filter(|w| !got.contains(w)).collect();
        reminders_exact.push((
            as_of.to_string(),
            got.len(),
            extra.is_empty() && lacking.is_empty(),
            format!("extra {extra:?}, not reminded {lacking:?}"),
        ));
    }

    println!("demo corpus ({bin}):");
    let mut failing = Vec::new();
    for (name, c) in &classes {
        println!(
            "  {name:<12} {:>3}/{:<3} {:>5.1} %",
            c.right,
            c.total,
            100.0 * c.right as f64 / c.total.max(1) as f64
        );
        for w in &c.wrong {
            println!("      {w}");
        }
        if c.right != c.total {
            failing.push(*name);
        }
    }
    for (as_of, n, exact, diff) in &reminders_exact {
        println!(
            "  reminders    {as_of}: {n} units, {}",
            if *exact {
                "exact".to_string()
            } else {
                format!("WRONG: {diff}")
            }
        );
    }
    if std::env::var("BAOCAO_ACCURACY_BIN").is_ok() {
        return;
    }
    assert!(failing.is_empty(), "classes below 100 %: {failing:?}");
    assert!(
        reminders_exact.iter().all(|r| r.2),
        "reminder lists differ: {:?}",
        reminders_exact
    );
    assert!(classes["form cells"].total > 300);
}
