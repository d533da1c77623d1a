//! Staff corrections teach aliases: `assign` stores the sender's address and display name as
//! the unit's, the next mail from them is recognised, `units list` shows them, a new
//! `units import` keeps them and `units alias remove` forgets them.

use crate::support::{TestDir, baocao, json, mail, ok, report_docx};

/// A report mail from `from` with display name `name` (none when empty).
fn mail_from(from: &str, name: &str, id: &str, day: u32) -> Vec<u8> {
    let raw = mail(
        from,
        "Gửi báo cáo 809-CV/HU",
        &format!("Fri, {day} Jan 2023 09:00:00 +0700"),
        &format!("Fri, {day} Jan 2023 09:00:03 +0700"),
        "bao cao.docx",
        &report_docx(""),
        id,
    );
    let raw = String::from_utf8(raw).unwrap();
    let from_line = if name.is_empty() {
        format!("From: <{from}>")
    } else {
        format!("From: {name} <{from}>")
    };
    raw.replace(&format!("From: <{from}>"), &from_line)
        .into_bytes()
}

#[test]
fn assign_teaches_the_sender_address_and_name() {
    let t = TestDir::new();
    let data = t.join("data");
    let csv = t.join("units.csv");
    std::fs::write(
        &csv,
        "id,name,short_name,emails,kind\nloc-an,Đảng ủy xã Lộc An,Lộc An,a@x.vn,dang_bo_co_so\nloc-bao,Đảng ujy xã Lộc Bảo,Lộc Bảo,b@x.vn,dang_bo_co_so\n"
            .replace("ujy", "ủy"),
    )
    .unwrap();
    ok(baocao(
        &data,
        &["units", "import", &csv.display().to_string()],
    ));
    let dir = t.join("m1");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("1.eml"),
        mail_from("hoa.nt@yahoo.com", "Nguyễn Thị Hoa", "al-1", 20),
    )
    .unwrap();
    ok(baocao(&data, &["ingest", &dir.display().to_string()]));
    let msgs = json(baocao(&data, &["messages", "--json"]));
    assert_eq!(msgs[0]["unit"], serde_json::Value::Null);

    let out = ok(baocao(&data, &["assign", "al-1@mail.gmail.com", "loc-bao"]));
    assert!(
        out.contains(
            "Đã ghi nhớ: thư từ hoa.nt@yahoo.com từ nay được nhận là của Đảng ủy xã Lộc Bảo"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "Đã ghi nhớ tên người gửi \"Nguyễn Thị Hoa\" là tên khác của Đảng ủy xã Lộc Bảo"
        ),
        "{out}"
    );
    let list = ok(baocao(&data, &["units", "list"]));
    assert!(list.contains("hoa.nt@yahoo.com (đã học)"), "{list}");
    assert!(list.contains("Nguyễn Thị Hoa (đã học)"), "{list}");
    let learnt = json(baocao(&data, &["--json", "units", "alias", "list"]));
    assert_eq!(learnt.as_array().unwrap().len(), 2);
    assert_eq!(learnt[0]["unit_id"], "loc-bao");
    assert_eq!(learnt[0]["kind"], "address");
    assert_eq!(learnt[0]["value"], "hoa.nt@yahoo.com");
    assert_eq!(learnt[0]["message"], 1);

    // A new import of the registry keeps them.
    ok(baocao(
        &data,
        &["units", "import", &csv.display().to_string()],
    ));
    let units = json(baocao(&data, &["--json", "units", "list"]));
    assert_eq!(
        units[1]["aliases"],
        serde_json::json!(["hoa.nt@yahoo.com", "Nguyễn Thị Hoa"])
    );

    // Next mail: the same address, then the same name from another address.
    let dir = t.join("m2");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("2.eml"),
        mail_from("hoa.nt@yahoo.com", "", "al-2", 21),
    )
    .unwrap();
    std::fs::write(
        dir.join("3.eml"),
        mail_from("nthoa.1980@gmail.com", "Nguyen Thi Hoa", "al-3", 22),
    )
    .unwrap();
    ok(baocao(&data, &["ingest", &dir.display().to_string()]));
    let msgs = json(baocao(&data, &["messages", "--json"]));
    let by_id = |id: &str| {
        msgs.as_array()
            .unwrap()
            .iter()
            .find(|m| m["message_id"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(by_id("al-2@mail.gmail.com")["unit"], "loc-bao");
    assert_eq!(
        by_id("al-2@mail.gmail.com")["identified_by"],
        "sender_alias"
    );
    let text = ok(baocao(&data, &["messages"]));
    assert!(
        text.contains(
            "hoa.nt@yahoo.com → Đảng ủy xã Lộc Bảo (theo địa chỉ đã ghi nhớ khi cán bộ gán thư)"
        ),
        "{text}"
    );
    assert_eq!(by_id("al-3@mail.gmail.com")["unit"], "loc-bao");
    assert_eq!(by_id("al-3@mail.gmail.com")["identified_by"], "sender_name");

    // Forgotten: the address no longer says whose mail it is.
    let out = ok(baocao(
        &data,
        &["units", "alias", "remove", "HOA.NT@yahoo.com"],
    ));
    assert!(
        out.contains("Đã bỏ: thư từ hoa.nt@yahoo.com không còn được nhận là của đơn vị loc-bao"),
        "{out}"
    );
    let out = baocao(&data, &["units", "alias", "remove", "hoa.nt@yahoo.com"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("chưa ghi nhớ tên hay địa chỉ"));
    ok(baocao(
        &data,
        &[
            "units",
            "alias",
            "remove",
            "nguyen thi hoa",
            "--unit",
            "loc-bao",
        ],
    ));
    let dir = t.join("m3");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("4.eml"),
        mail_from("hoa.nt@yahoo.com", "", "al-4", 23),
    )
    .unwrap();
    ok(baocao(&data, &["ingest", &dir.display().to_string()]));
    let msgs = json(baocao(&data, &["messages", "--json"]));
    let m4 = msgs
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["message_id"] == "al-4@mail.gmail.com")
        .unwrap();
    assert_eq!(m4["unit"], serde_json::Value::Null);
    let list = ok(baocao(&data, &["units", "list"]));
    assert!(!list.contains("(đã học)"), "{list}");

    // Assigned again, it is learnt again, for the unit now named.
    let out = ok(baocao(&data, &["assign", "al-4@mail.gmail.com", "loc-an"]));
    assert!(
        out.contains(
            "Đã ghi nhớ: thư từ hoa.nt@yahoo.com từ nay được nhận là của Đảng ủy xã Lộc An"
        ),
        "{out}"
    );
    // Another unit's registered address is not taken from it.
    let dir = t.join("m4");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("5.eml"), mail_from("a@x.vn", "", "al-5", 24)).unwrap();
    ok(baocao(&data, &["ingest", &dir.display().to_string()]));
    let out = ok(baocao(&data, &["assign", "al-5@mail.gmail.com", "loc-bao"]));
    assert!(
        out.contains("Không ghi nhớ địa chỉ a@x.vn: đó là địa chỉ đăng ký của Đảng ủy xã Lộc An"),
        "{out}"
    );
}
