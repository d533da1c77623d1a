//! The register computed from inline mail: on time, late, a corrected version, an extension, a
//! paper hand-in, and the clock (`--now`) deciding what has arrived.

use super::{State, compute};
use crate::store::Mark;
use crate::testkit::{self, at, mail};

fn both() -> [&'static str; 2] {
    ["report", "bieu1"]
}

#[test]
fn complete_before_the_deadline_is_on_time_and_nothing_is_missing() {
    let cfg = testkit::config("");
    let c = cfg.campaign("12-CV-HU").expect("campaign");
    let msgs = [mail(
        1,
        "an-phu",
        "2023-01-27 10:00",
        &[("Bao cao.docx", &["report"]), ("Bieu 1.xlsx", &["bieu1"])],
    )];
    let st = compute(
        c,
        &testkit::units(),
        &msgs,
        &[],
        at("2023-02-02 08:00"),
        cfg.timezone,
    );
    let an = st.unit("an-phu").expect("an-phu");
    assert_eq!(an.status, State::CompleteOnTime);
    assert!(an.missing.is_empty());
    let bl = st.unit("binh-loi").expect("binh-loi");
    assert_eq!(bl.status, State::Missing);
    assert_eq!(bl.missing, both());
}

#[test]
fn an_item_first_received_after_the_deadline_makes_the_unit_late() {
    let cfg = testkit::config("");
    let c = cfg.campaign("12-CV-HU").expect("campaign");
    let msgs = [
        mail(
            1,
            "binh-loi",
            "2023-01-29 10:00",
            &[("BC.docx", &["report"])],
        ),
        mail(
            2,
            "binh-loi",
            "2023-01-31 09:00",
            &[("Bieu1.xlsx", &["bieu1"])],
        ),
    ];
    let st = compute(
        c,
        &testkit::units(),
        &msgs,
        &[],
        at("2023-02-02 08:00"),
        cfg.timezone,
    );
    let bl = st.unit("binh-loi").expect("binh-loi");
    assert_eq!(bl.status, State::CompleteLate);
    let late: Vec<(&str, bool)> = bl
        .items
        .0
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_ref().is_some_and(|s| s.late)))
        .collect();
    assert_eq!(late, [("report", false), ("bieu1", true)]);
    // As of before the second mail, the unit is partial and misses the form only.
    let before = compute(
        c,
        &testkit::units(),
        &msgs,
        &[],
        at("2023-01-30 08:00"),
        cfg.timezone,
    );
    let bl = before.unit("binh-loi").expect("binh-loi");
    assert_eq!(bl.status, State::Partial);
    assert_eq!(bl.missing, ["bieu1"]);
}

#[test]
fn a_corrected_version_counts_but_the_first_receipt_decides_lateness() {
    let cfg = testkit::config("");
    let c = cfg.campaign("12-CV-HU").expect("campaign");
    let msgs = [
        mail(
            1,
            "an-phu",
            "2023-01-27 10:00",
            &[("BC.docx", &["report"]), ("B1.xlsx", &["bieu1"])],
        ),
        mail(
            2,
            "an-phu",
            "2023-01-31 15:00",
            &[("BC sua.docx", &["report"])],
        ),
    ];
    let st = compute(
        c,
        &testkit::units(),
        &msgs,
        &[],
        at("2023-02-02 08:00"),
        cfg.timezone,
    );
    let an = st.unit("an-phu").expect("an-phu");
    assert_eq!(an.status, State::CompleteOnTime);
    let report = an.items.0[0].1.as_ref().expect("report received");
    assert_eq!(report.versions, 2);
    assert!(!report.late);
    assert_eq!(report.message_id, "m2@an-phu.example");
    assert_eq!(report.source_file.as_deref(), Some("BC sua.docx"));
    assert_eq!(report.received_at, "2023-01-27T10:00:00+07:00");
    assert_eq!(report.updated_at, "2023-01-31T15:00:00+07:00");
}

#[test]
fn an_extension_moves_the_units_own_deadline() {
    let cfg = testkit::config("[extensions]\nbinh-loi = 2023-02-02\n");
    let c = cfg.campaign("12-CV-HU").expect("campaign");
    let msgs = [mail(
        1,
        "binh-loi",
        "2023-02-01 16:00",
        &[("BC.docx", &["report"]), ("B1.xlsx", &["bieu1"])],
    )];
    let st = compute(
        c,
        &testkit::units(),
        &msgs,
        &[],
        at("2023-02-03 08:00"),
        cfg.timezone,
    );
    assert_eq!(
        st.unit("binh-loi").expect("unit").status,
        State::CompleteOnTime
    );
    // The same mail from a unit without an extension is late.
    let mut other = msgs[0].clone();
    other.unit_id = Some("an-phu".into());
    let st = compute(
        c,
        &testkit::units(),
        &[other],
        &[],
        at("2023-02-03 08:00"),
        cfg.timezone,
    );
    assert_eq!(st.unit("an-phu").expect("unit").status, State::CompleteLate);
}

#[test]
fn a_paper_hand_in_counts_from_its_own_date() {
    let cfg = testkit::config("");
    let c = cfg.campaign("12-CV-HU").expect("campaign");
    let msgs = [mail(
        1,
        "binh-loi",
        "2023-01-27 10:00",
        &[("BC.docx", &["report"])],
    )];
    let mark = Mark {
        campaign_id: "12-CV-HU".into(),
        unit_id: "binh-loi".into(),
        item_id: "bieu1".into(),
        at: at("2023-01-30 09:00").to_rfc3339(),
        at_ts: at("2023-01-30 09:00").timestamp(),
        note: "nộp bản giấy".into(),
    };
    let st = compute(
        c,
        &testkit::units(),
        &msgs,
        std::slice::from_ref(&mark),
        at("2023-02-02 08:00"),
        cfg.timezone,
    );
    let bl = st.unit("binh-loi").expect("unit");
    assert_eq!(bl.status, State::CompleteOnTime);
    let form = bl.items.0[1].1.as_ref().expect("bieu1 counted");
    assert_eq!(form.source, "paper");
    // Before the paper arrived it does not count.
    let st = compute(
        c,
        &testkit::units(),
        &msgs,
        &[mark],
        at("2023-01-29 08:00"),
        cfg.timezone,
    );
    assert_eq!(st.unit("binh-loi").expect("unit").missing, ["bieu1"]);
}

#[test]
fn the_lean_readings_give_the_same_status_as_the_whole_ones() {
    use crate::forms::{FormProblem, FormProblemKind, FormRead, FormRow, Reading, Section};
    let cfg = testkit::config("");
    let c = cfg.campaign("12-CV-HU").expect("campaign");
    let problem = |kind, message: &str| FormProblem {
        kind,
        at: "Đảng viên".into(),
        message: message.into(),
    };
    let full = Reading {
        problems: vec!["bản scan, cần đối chiếu".into()],
        forms: vec![FormRead {
            item: "bieu1".into(),
            location: "sheet Biểu 1".into(),
            rows: vec![FormRow {
                group: "Về kiểm điểm".into(),
                label: "Đảng viên".into(),
                mark: None,
                proposal: String::new(),
            }],
            cells: Vec::new(),
            problems: vec![
                problem(FormProblemKind::None, "dòng Đảng viên chưa đánh dấu"),
                problem(FormProblemKind::MissingRow, "thiếu dòng Chi bộ"),
            ],
        }],
        sections: vec![Section {
            id: "I".into(),
            heading: "I. Kết quả".into(),
            text: "Đảng ủy đã lãnh đạo. ".repeat(50),
        }],
        ..Reading::default()
    };
    let clean = Reading {
        sections: full.sections.clone(),
        ..Reading::default()
    };
    let mut msgs = vec![
        mail(
            1,
            "an-phu",
            "2023-01-27 10:00",
            &[("Bao cao.docx", &["report"]), ("Bieu 1.xlsx", &["bieu1"])],
        ),
        mail(
            2,
            "binh-loi",
            "2023-01-28 10:00",
            &[("Bieu 1.xlsx", &["bieu1"])],
        ),
    ];
    msgs[0].attachments[0].document = serde_json::to_string(&clean).ok();
    msgs[0].attachments[1].document = serde_json::to_string(&full).ok();
    // Written by no version of this program: reported the same way from either.
    msgs[1].attachments[0].document = Some("{\"forms\": 3".into());
    let mut lean = msgs.clone();
    super::keep_what_compute_reads(&mut lean);
    assert_eq!(lean[0].attachments[0].document, None);
    let kept = lean[0].attachments[1].document.clone().unwrap_or_default();
    assert!(
        kept.len() < serde_json::to_string(&full).unwrap_or_default().len() / 2,
        "{kept}"
    );
    assert!(
        !kept.contains("Chi bộ") && kept.contains("chưa đánh dấu"),
        "{kept}"
    );
    assert_eq!(
        lean[1].attachments[0].document,
        msgs[1].attachments[0].document
    );
    let status = |m: &[crate::store::MessageRow]| {
        let st = compute(
            c,
            &testkit::units(),
            m,
            &[],
            at("2023-02-02 08:00"),
            cfg.timezone,
        );
        serde_json::to_value(&st).unwrap_or_default()
    };
    let whole = status(&msgs);
    assert_eq!(status(&lean), whole);
    let an = &whole["units"][0];
    assert_eq!(an["id"], "an-phu");
    let problems = an["problems"].to_string();
    assert!(
        problems.contains("chưa đánh dấu") && problems.contains("bản scan"),
        "{problems}"
    );
    assert!(
        whole["units"][1]["problems"]
            .to_string()
            .contains("không đọc lại được"),
        "{whole}"
    );
}

#[test]
fn the_problems_stored_beside_each_reading_give_the_same_status_as_the_readings() {
    use crate::forms::{FormProblem, FormProblemKind, FormRead, Reading, Section};
    use crate::store::{ForRegister, NewAttachment, NewMessage, Store};
    let cfg = testkit::config("");
    let c = cfg.campaign("12-CV-HU").expect("campaign");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(dir.path()).expect("open");
    let sections = vec![Section {
        id: "I".into(),
        heading: "I. Kết quả".into(),
        text: "Đảng ủy đã lãnh đạo. ".repeat(50),
    }];
    let problem = |kind, message: &str| FormProblem {
        kind,
        at: "Đảng viên".into(),
        message: message.into(),
    };
    let with_problems = serde_json::to_string(&Reading {
        problems: vec!["bản scan, cần đối chiếu".into()],
        forms: vec![FormRead {
            item: "bieu1".into(),
            location: "sheet Biểu 1".into(),
            rows: Vec::new(),
            cells: Vec::new(),
            problems: vec![
                problem(FormProblemKind::None, "dòng Đảng viên chưa đánh dấu"),
                problem(FormProblemKind::MissingRow, "thiếu dòng Chi bộ"),
            ],
        }],
        sections: sections.clone(),
        ..Reading::default()
    })
    .expect("json");
    let clean = serde_json::to_string(&Reading {
        sections,
        ..Reading::default()
    })
    .expect("json");
    // `cut`: stored as ingest stores it; otherwise as rows stored before the problems were
    // kept apart (the register reads the whole reading).
    let file = |name: &str, item: &str, document: &str, cut: bool| {
        let mut a = NewAttachment {
            name: name.into(),
            kind: "docx".into(),
            sha256: crate::store::sha256_hex(format!("{name}{document}").as_bytes()),
            items: vec![item.into()],
            item_by: Some("content".into()),
            document: Some(document.into()),
            ..NewAttachment::default()
        };
        if cut {
            a.for_register = Reading::for_register(&a);
        }
        a
    };
    let message = |n: u8, unit: &str, received: &str, files: Vec<NewAttachment>| NewMessage {
        sha256: format!("{n:02x}").repeat(32),
        message_id: Some(format!("m{n}@{unit}.example")),
        received_at: Some(at(received).to_rfc3339()),
        received_ts: Some(at(received).timestamp()),
        unit_id: Some(unit.into()),
        campaign_id: Some("12-CV-HU".into()),
        attachments: files,
        ..NewMessage::default()
    };
    // Written by no version of this program: reported the same way from either.
    let broken = "{\"forms\": 3";
    store
        .insert_messages(
            &[
                message(
                    1,
                    "an-phu",
                    "2023-01-27 10:00",
                    vec![
                        file("Bao cao.docx", "report", &clean, true),
                        file("Bieu 1.xlsx", "bieu1", &with_problems, true),
                    ],
                ),
                message(
                    2,
                    "binh-loi",
                    "2023-01-28 10:00",
                    vec![file("Bieu 1.xlsx", "bieu1", broken, true)],
                ),
                message(
                    3,
                    "binh-loi",
                    "2023-01-29 10:00",
                    vec![file("Bao cao.docx", "report", &with_problems, false)],
                ),
            ],
            "2023-01-29T10:00:00+07:00",
        )
        .expect("insert");
    let status = |m: &[crate::store::MessageRow]| {
        let st = compute(
            c,
            &testkit::units(),
            m,
            &[],
            at("2023-02-02 08:00"),
            cfg.timezone,
        );
        serde_json::to_value(&st).unwrap_or_default()
    };
    let whole = status(&store.campaign_messages("12-CV-HU").expect("messages"));
    let problems = whole["units"].to_string();
    for said in ["chưa đánh dấu", "bản scan", "không đọc lại được"] {
        assert!(problems.contains(said), "{said}: {problems}");
    }
    assert!(!problems.contains("thiếu dòng Chi bộ"), "{problems}");
    let documents = |store: &Store| {
        store
            .campaign_register_rows("12-CV-HU")
            .expect("rows")
            .iter()
            .flat_map(|m| m.attachments.iter().map(|a| a.document.clone()))
            .collect::<Vec<_>>()
    };
    let rows = store.campaign_register_rows("12-CV-HU").expect("rows");
    assert_eq!(status(&rows), whole);
    let before = documents(&store);
    assert_eq!(
        before[0], None,
        "a clean reading gives the register nothing"
    );
    let part = before[1].clone().unwrap_or_default();
    assert!(
        part.contains("chưa đánh dấu") && !part.contains("Chi bộ") && part.len() < clean.len(),
        "{part}"
    );
    assert_eq!(before[2].as_deref(), Some(broken));
    assert_eq!(before[3].as_deref(), Some(with_problems.as_str()));
    // Cut at start: the row stored whole is cut, the broken reading stays whole.
    assert_eq!(
        crate::forms::cut_stored_readings(&mut store).expect("cut"),
        1
    );
    let after = documents(&store);
    assert_eq!(after[..3], before[..3]);
    assert_eq!(after[3], before[1]);
    let rows = store.campaign_register_rows("12-CV-HU").expect("rows");
    assert_eq!(status(&rows), whole);
    assert_eq!(
        crate::forms::cut_stored_readings(&mut store).expect("cut"),
        0
    );
    assert_eq!(
        Reading::for_register(&file("x.docx", "report", broken, false)),
        ForRegister::Whole
    );
}
