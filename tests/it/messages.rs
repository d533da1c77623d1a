//! `baocao messages` pages and streams: limits, the next page, filters, bodies on demand, and
//! a reader that stops reading.

use std::io::Read;
use std::process::{Command, Stdio};

use crate::support::{TestDir, baocao, json, mail, ok, report_docx};

fn ids(v: &serde_json::Value) -> Vec<i64> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|m| m["id"].as_i64().expect("id"))
        .collect()
}

#[test]
fn messages_come_in_pages_with_filters_and_without_bodies_unless_asked() {
    let t = TestDir::new();
    let mails = t.join("mails");
    std::fs::create_dir_all(&mails).expect("mkdir");
    for i in 0..25 {
        let (from, subject) = if i % 5 == 0 {
            (
                "dangUyLocAn@gmail.com",
                "Đảng ủy xã Lộc An gửi báo cáo 809-CV/HU",
            )
        } else {
            ("someone@example.vn", "Báo cáo 809-CV/HU")
        };
        let raw = mail(
            from,
            subject,
            "Fri, 27 Jan 2023 09:00:00 +0700",
            &format!("Fri, 27 Jan 2023 09:{i:02}:00 +0700"),
            "BC 132.docx",
            &report_docx("x"),
            &format!("page-{i}"),
        );
        std::fs::write(mails.join(format!("{i:02}.eml")), raw).expect("write");
    }
    let data = t.join("data");
    ok(baocao(&data, &["ingest", &mails.display().to_string()]));
    let all = json(baocao(&data, &["--json", "messages"]));
    let all_ids = ids(&all);
    assert_eq!(all_ids.len(), 25);
    assert!(
        all.as_array()
            .expect("array")
            .iter()
            .all(|m| m.get("body").is_none())
    );
    let first = json(baocao(&data, &["--json", "messages", "--limit", "10"]));
    assert_eq!(ids(&first), all_ids[..10]);
    let after = all_ids[9].to_string();
    let second = json(baocao(
        &data,
        &["--json", "messages", "--limit", "10", "--after", &after],
    ));
    assert_eq!(ids(&second), all_ids[10..20]);
    let loc_an = json(baocao(&data, &["--json", "messages", "--unit", "loc-an"]));
    assert_eq!(ids(&loc_an).len(), 5);
    assert!(
        loc_an
            .as_array()
            .expect("array")
            .iter()
            .all(|m| m["unit"] == "loc-an")
    );
    let with_body = json(baocao(
        &data,
        &["--json", "messages", "--limit", "1", "--body"],
    ));
    assert!(
        with_body[0]["body"]
            .as_str()
            .is_some_and(|b| b.contains("Kính gửi"))
    );
    // The number in brackets is the one the other commands take.
    let text = ok(baocao(&data, &["messages", "--limit", "3"]));
    assert!(text.contains(&format!("[{}]", all_ids[0])), "{text}");
    assert!(text.contains(&format!("--after {}", all_ids[2])), "{text}");
    // A reader that stops after one line: a quiet end, exit 0.
    for _ in 0..5 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_baocao"))
            .arg("--config")
            .arg(crate::support::shipped_config())
            .arg("--data")
            .arg(&data)
            .arg("messages")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        let mut first_byte = [0u8; 1];
        child
            .stdout
            .take()
            .expect("stdout")
            .read_exact(&mut first_byte)
            .expect("read");
        // stdout is closed here.
        let out = child.wait_with_output().expect("wait");
        assert!(
            out.status.success(),
            "{:?} {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
