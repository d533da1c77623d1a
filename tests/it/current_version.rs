//! One rule decides which message counts for an item: `status`, `forms` and the drafts name
//! the same one. An identical resend is not a new version (the first copy stands); a
//! different later version replaces it.

use crate::support::{TestDir, baocao, json, mail, ok, root};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(root().join("tests/fixtures/docs/xlsx").join(name)).unwrap()
}

fn status_item(data: &std::path::Path, now: &str, unit: &str, item: &str) -> serde_json::Value {
    let st = json(baocao(data, &["--now", now, "status", "--json"]));
    st["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == unit)
        .unwrap()["items"][item]
        .clone()
}

fn forms_item(data: &std::path::Path, now: &str, unit: &str, item: &str) -> serde_json::Value {
    let f = json(baocao(
        data,
        &["--now", now, "forms", "--unit", unit, "--json"],
    ));
    f[0]["forms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["item"] == item)
        .cloned()
        .unwrap_or(serde_json::Value::Null)
}

#[test]
fn status_and_forms_agree_on_the_current_version() {
    let t = TestDir::new();
    let data = t.join("data");
    let dir = t.join("mail");
    std::fs::create_dir_all(&dir).unwrap();
    let first = fixture("bieu-2-3-one-sheet.xlsx");
    let other = fixture("bieu-1-4-loc-thanh.xlsx");
    let send = [
        (
            "v1",
            "Fri, 27 Jan 2023 09:00:00 +0700",
            &first,
            "Bieu 2-3.xlsx",
        ),
        // The same file again an hour later: a resend, not a version.
        (
            "v1-again",
            "Fri, 27 Jan 2023 10:00:00 +0700",
            &first,
            "Bieu 2-3.xlsx",
        ),
        // A different file the next day: the new version.
        (
            "v2",
            "Sat, 28 Jan 2023 09:00:00 +0700",
            &other,
            "Bieu 1-4.xlsx",
        ),
    ];
    for (id, at, bytes, name) in send {
        let m = mail(
            "dangUyLocAn@gmail.com",
            "Gửi biểu 809-CV/HU",
            at,
            at,
            name,
            bytes,
            id,
        );
        std::fs::write(dir.join(format!("{id}.eml")), m).unwrap();
    }
    ok(baocao(&data, &["ingest", &dir.display().to_string()]));

    // After the resend: both name the first copy.
    let now = "2023-01-27T12:00:00+07:00";
    let st = status_item(&data, now, "loc-an", "bieu2");
    let fm = forms_item(&data, now, "loc-an", "bieu2");
    assert_eq!(st["message_id"], "v1@mail.gmail.com");
    assert_eq!(st["versions"], 1);
    assert_eq!(fm["message_id"], st["message_id"], "{fm}");
    assert_eq!(fm["file"], "Bieu 2-3.xlsx");

    // After the new version: both name it; the first receipt still decides the time.
    let now = "2023-02-02T08:00:00+07:00";
    for item in ["bieu2", "bieu3"] {
        let st = status_item(&data, now, "loc-an", item);
        let fm = forms_item(&data, now, "loc-an", item);
        assert_eq!(st["message_id"], "v2@mail.gmail.com", "{item}");
        assert_eq!(st["versions"], 2, "{item}");
        assert_eq!(st["received_at"], "2023-01-27T09:00:00+07:00", "{item}");
        assert_eq!(fm["message_id"], st["message_id"], "{item}: {fm}");
    }
    // An item only the new version carries.
    let st = status_item(&data, now, "loc-an", "bieu1");
    let fm = forms_item(&data, now, "loc-an", "bieu1");
    assert_eq!(st["message_id"], "v2@mail.gmail.com");
    assert_eq!(fm["message_id"], "v2@mail.gmail.com");
}
