//! `baocao demo` on the bundled sample mailbox: the register must say exactly what the sample
//! mail says. The golden file demo/mail/EXPECTED.json was written from the scenarios used to
//! generate the mail (scripts/fixtures/make_demo_mail.py), not from baocao's output.

use serde_json::Value;

use crate::support::{TestDir, baocao_raw, json, ok, root};

fn expected() -> Value {
    let s = std::fs::read_to_string(root().join("demo/mail/EXPECTED.json")).unwrap();
    serde_json::from_str(&s).unwrap()
}

fn unit<'a>(st: &'a Value, id: &str) -> &'a Value {
    st["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == id)
        .unwrap_or_else(|| panic!("unit {id} not in status"))
}

fn run_demo(t: &TestDir, extra: &[&str]) -> Value {
    let dir = t.join("demo");
    let mut args = vec!["demo", "--json", "--data"];
    let d = dir.display().to_string();
    args.push(&d);
    args.extend_from_slice(extra);
    json(baocao_raw(&args))
}

#[test]
fn demo_prints_the_register_and_next_steps() {
    let t = TestDir::new();
    let dir = t.join("demo");
    let out = ok(baocao_raw(&["demo", "--data", &dir.display().to_string()]));
    assert!(out.contains("Công văn 809-CV/HU"), "{out}");
    assert!(out.contains("Đảng ủy xã Lộc Thành"), "{out}");
    assert!(
        out.contains("6 đủ và đúng hạn, 1 đủ nhưng nộp muộn"),
        "{out}"
    );
    assert!(out.contains("Thử tiếp:"), "{out}");
    // A second run replaces the old demo folder instead of failing or doubling.
    let again = ok(baocao_raw(&["demo", "--data", &dir.display().to_string()]));
    assert_eq!(out, again);
    // The commands it suggests work on the folder it made.
    let cfg = dir.join("config/baocao.toml").display().to_string();
    let msgs = json(baocao_raw(&[
        "--config", &cfg, "messages", "--json", "--body",
    ]));
    assert_eq!(msgs.as_array().unwrap().len(), 14);
    // The mail it wrote carries the demo's time in the office's zone, a Message-ID in the
    // office's domain and the mark of machine-made mail; the outbox says written, not sent.
    let written: Vec<std::path::PathBuf> = std::fs::read_dir(dir.join("thu-gui"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert!(!written.is_empty());
    for f in &written {
        let raw = std::fs::read_to_string(f).unwrap();
        assert!(
            raw.contains("Date: Thu, 2 Feb 2023 08:00:00 +0700"),
            "{raw}"
        );
        assert!(raw.contains("Auto-Submitted: auto-generated"), "{raw}");
        let mid = raw
            .lines()
            .find(|l| l.starts_with("Message-ID:"))
            .unwrap_or_default();
        assert!(mid.contains(".baocao@") && !mid.contains("@vm>"), "{mid}");
    }
    let outbox = json(baocao_raw(&["--config", &cfg, "outbox", "--json"]));
    assert!(
        outbox
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["status"] == "written"),
        "{outbox}"
    );
    // A folder that is not a demo folder is left alone.
    let other = t.join("other");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("keep.txt"), "x").unwrap();
    let refused = baocao_raw(&["demo", "--data", &other.display().to_string()]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(other.join("keep.txt").exists());
}

#[test]
fn every_sample_message_is_recognised_as_expected() {
    let t = TestDir::new();
    run_demo(&t, &[]);
    let cfg = t.join("demo/config/baocao.toml").display().to_string();
    let msgs = json(baocao_raw(&[
        "--config", &cfg, "messages", "--json", "--body",
    ]));
    let exp = expected();
    let mut checked = 0;
    for e in exp["messages"].as_array().unwrap() {
        let file = e["file"].as_str().unwrap();
        let m = msgs
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["source"] == format!("demo/{file}"))
            .unwrap_or_else(|| panic!("{file} not stored"));
        assert_eq!(m["unit"], e["unit"], "{file}: unit");
        if !e["identified_by"].is_null() {
            assert_eq!(
                m["identified_by"], e["identified_by"],
                "{file}: identified_by"
            );
        }
        assert_eq!(m["campaign"], "809-CV-HU", "{file}: campaign");
        assert_eq!(
            m["received_at"], e["effective_received_at"],
            "{file}: the time that counts"
        );
        for ea in e["attachments"].as_array().unwrap() {
            let name = ea["name"].as_str().unwrap();
            if name.ends_with(".eml") {
                continue; // forwarded messages are opened, not listed as files
            }
            let a = m["attachments"]
                .as_array()
                .unwrap()
                .iter()
                .find(|a| {
                    if name.contains('/') {
                        a["path"] == name
                    } else {
                        a["name"] == name
                    }
                })
                .unwrap_or_else(|| panic!("{file}: attachment {name} missing in {m}"));
            assert_eq!(a["items"], ea["items"], "{file}: items of {name}");
            checked += 1;
        }
    }
    assert!(checked >= 30, "only {checked} attachments checked");
    // HTML-only mail (Outlook) is read as text.
    let gd = msgs
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["source"] == "demo/06-phong-gd.eml")
        .unwrap();
    let body = gd["body"].as_str().unwrap();
    assert!(
        !body.contains('<') && body.contains("Phòng Giáo dục"),
        "{body}"
    );
    // windows-1258 subject and names come out as NFC Vietnamese.
    let duc = msgs
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["source"] == "demo/14-loc-duc-cp1258.eml")
        .unwrap();
    assert_eq!(duc["subject"], "Đảng ủy xã Lộc Đức gửi báo cáo 132");
    assert_eq!(duc["attachments"][1]["name"], "Biểu số 1.xlsx");
}

#[test]
fn demo_register_matches_the_expected_status_at_both_moments() {
    let exp = expected();
    for snap in exp["status"].as_array().unwrap() {
        let t = TestDir::new();
        let as_of = snap["as_of"].as_str().unwrap();
        let st = run_demo(&t, &["--now", as_of]);
        assert_eq!(st["as_of"], as_of);
        assert_eq!(st["deadline"], "2023-01-30T23:59:59+07:00");
        for (id, eu) in snap["units"].as_object().unwrap() {
            let u = unit(&st, id);
            assert_eq!(u["status"], eu["status"], "{as_of} {id}");
            assert_eq!(u["missing"], eu["missing"], "{as_of} {id}");
            for (item, ei) in eu["items"].as_object().unwrap() {
                if ei.is_null() {
                    assert!(u["items"][item].is_null(), "{as_of} {id} {item}");
                } else {
                    assert_eq!(
                        u["items"][item]["received_at"], ei["received_at"],
                        "{as_of} {id} {item}"
                    );
                    assert_eq!(u["items"][item]["late"], ei["late"], "{as_of} {id} {item}");
                }
            }
        }
        // Every other unit sent nothing.
        let listed = snap["units"].as_object().unwrap();
        for u in st["units"].as_array().unwrap() {
            if !listed.contains_key(u["id"].as_str().unwrap()) {
                assert_eq!(u["status"], "missing", "{as_of} {}", u["id"]);
            }
        }
        assert_eq!(st["units"].as_array().unwrap().len(), 40);
    }
}

#[test]
fn rules_on_which_time_and_version_count() {
    let t = TestDir::new();
    let st = run_demo(&t, &[]);
    // Date header says 30/01 22:00; the office received it 31/01 08:05.
    assert_eq!(unit(&st, "quan-su")["status"], "complete_late");
    // Corrected resubmission after the deadline: on time, content replaced.
    let rep = &unit(&st, "thpt-loc-thanh")["items"]["report"];
    assert_eq!(rep["versions"], 2);
    assert_eq!(rep["late"], false);
    assert!(
        rep["source_file"].as_str().unwrap().contains("(sua)"),
        "{rep}"
    );
    assert!(
        rep["updated_at"]
            .as_str()
            .unwrap()
            .starts_with("2023-02-01"),
        "{rep}"
    );
    // Forwarded by staff on 02/02: the original's receipt on 29/01 counts.
    assert!(
        unit(&st, "tan-lac")["items"]["report"]["received_at"]
            .as_str()
            .unwrap()
            .starts_with("2023-01-29T17:20")
    );
    // An identical resend on 31/01 is not a new version.
    let bac = &unit(&st, "loc-bac")["items"]["report"];
    assert_eq!(bac["versions"], 1);
    assert!(
        bac["updated_at"]
            .as_str()
            .unwrap()
            .starts_with("2023-01-24"),
        "{bac}"
    );
    // A damaged file is named as a problem.
    let nam = unit(&st, "loc-nam");
    assert_eq!(nam["unreadable"], serde_json::json!(["bieu2"]));
    assert!(
        nam["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p.as_str().unwrap().contains("Bieu 2 Loc Nam.xlsx"))
    );
    assert_eq!(st["unidentified"].as_array().unwrap().len(), 1);
}

#[test]
fn demo_forms_say_what_the_units_wrote() {
    let t = TestDir::new();
    run_demo(&t, &[]);
    let cfg = t.join("demo/config/baocao.toml").display().to_string();
    let got = json(baocao_raw(&[
        "--config",
        &cfg,
        "--now",
        "2023-02-02T08:00:00+07:00",
        "forms",
        "--json",
    ]));
    let exp = expected();
    let mut checked = 0;
    for (unit, forms) in exp["forms"].as_object().unwrap() {
        let gu = got
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["unit"] == *unit)
            .unwrap_or_else(|| panic!("{unit}: no forms"));
        for (item, ef) in forms.as_object().unwrap() {
            let gf = gu["forms"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["item"] == *item)
                .unwrap_or_else(|| panic!("{unit} {item} not read"));
            if let Some(n) = ef["criterion_rows"].as_u64() {
                let rows = gf["rows"].as_array().unwrap();
                assert_eq!(rows.len() as u64, n, "{unit} {item}");
                let mut want: Vec<(String, String, String)> = ef["chua_phu_hop"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| {
                        (
                            r["group"].as_str().unwrap().to_string(),
                            r["row"].as_str().unwrap().to_string(),
                            r["proposal"].as_str().unwrap_or("").to_string(),
                        )
                    })
                    .collect();
                let mut have: Vec<(String, String, String)> = rows
                    .iter()
                    .filter(|r| r["mark"] == "chua_phu_hop")
                    .map(|r| {
                        let g = r["group"].as_str().unwrap();
                        (
                            g.rsplit(" / ").next().unwrap().to_string(),
                            r["label"].as_str().unwrap().to_string(),
                            r["proposal"].as_str().unwrap().to_string(),
                        )
                    })
                    .collect();
                want.sort();
                have.sort();
                assert_eq!(have, want, "{unit} {item}");
                // Every other row is marked Phù hợp.
                assert_eq!(
                    rows.iter().filter(|r| r["mark"] == "phu_hop").count() + want.len(),
                    n as usize,
                    "{unit} {item}"
                );
                checked += rows.len();
            }
            for er in ef["rows"].as_array().into_iter().flatten() {
                let label = er["label"].as_str().unwrap().trim_end_matches(" (*)");
                for (year, v) in er["cells"].as_object().unwrap() {
                    for (sub, key) in [("Thể loại văn bản", "type"), ("Ngày ban hành", "date")]
                    {
                        let cell = gf["cells"].as_array().unwrap().iter().find(|c| {
                            c["row"]
                                .as_str()
                                .unwrap()
                                .starts_with(&label[..label.len().min(30)])
                                && c["column"] == *year
                                && c["sub_row"] == sub
                        });
                        assert_eq!(
                            cell.map(|c| c["value"].clone()).unwrap_or(Value::Null),
                            v[key],
                            "{unit} {item} {label} {year} {sub}"
                        );
                        checked += 1;
                    }
                }
            }
        }
    }
    assert!(checked > 300, "only {checked} values checked");
}
