//! Inline fixtures for the pure core's unit tests: a small office (two units, a request with a
//! report and one form) built from TOML in the test, so a test says what it relies on and does
//! not reach the shipped configuration on disk.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

use crate::config::{Config, Unit};
use crate::register::Outstanding;
use crate::store::{MessageRow, NewAttachment, OutboxEntry, OutboxKey, OutboxMeta, OutboxStatus};

/// The office's main configuration, as `baocao.toml` would hold it.
pub const OFFICE: &str = r#"
timezone = "Asia/Ho_Chi_Minh"
holidays = ["2023-01-23", "2023-01-24"]
[office]
name = "Huyện ủy Thử"
addresses = ["vanphong@huyenuy.vn"]
[staff]
recipients = ["bantochuc@huyenuy.vn"]
[digest]
cron = "30 7 * * 1-5"
"#;

/// A request: report and Biểu số 1, due Monday 30/01/2023, reminders 2 and 1 days before at
/// 08:00 on working days, an overdue notice every 2 days until 03/02.
pub const CAMPAIGN: &str = r#"
id = "12-CV-HU"
number = "12-CV/HU"
title = "Báo cáo thử"
issuer = "Huyện ủy Thử"
issued = 2023-01-10
deadline = 2023-01-30
consolidation-deadline = 2023-02-03
units = "all"
keywords = ["12-CV/HU"]

[[items]]
id = "report"
name = "Báo cáo"
kind = "report"
keywords = ["báo cáo"]

[[items]]
id = "bieu1"
name = "Biểu số 1"
kind = "form"
number = 1
keywords = ["Biểu số 1", "Biểu 1"]

[reminders]
days-before = [2, 1]
at = "08:00"
overdue-every-days = 2
working-days-only = true
min-interval-hours = 20
max-per-unit = 3
"#;

/// The office with the request, `extra` appended to the campaign's TOML (an `[extensions]`
/// table, other reminder settings …).
pub fn config(extra: &str) -> Config {
    config_with("", extra)
}

/// [`config`] with `office` appended to the main file (a `[mailbox]` …).
pub fn config_with(office: &str, extra: &str) -> Config {
    let dir = PathBuf::from("/nonexistent/baocao-test");
    let campaign = format!("{CAMPAIGN}\n{extra}");
    crate::config::from_sources(
        &dir.join("baocao.toml"),
        &format!("{OFFICE}\n{office}"),
        &dir,
        &[(dir.join("campaigns/12-CV-HU.toml"), campaign)],
    )
    .expect("the test config is valid")
}

/// Two units: Xã An Phú (two addresses) and Xã Bình Lợi (one).
pub fn units() -> Vec<Unit> {
    let csv = "id,name,short_name,emails,kind\n\
               an-phu,Đảng ủy xã An Phú,An Phú,dangUy.anphu@gmail.com;vp.anphu@gmail.com,xa\n\
               binh-loi,Đảng ủy xã Bình Lợi,Bình Lợi,binhloi@gmail.com,xa\n";
    crate::config::parse_units_csv(csv.as_bytes(), Path::new("units.csv")).expect("units")
}

/// A time in the office zone, "2023-01-27 08:00".
pub fn at(local: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(&format!("{}:00+07:00", local.replace(' ', "T")))
        .expect("a time like 2023-01-27 08:00")
}

/// A unit that misses `missing`, reachable at `addresses`.
pub fn outstanding(unit: &str, missing: &[&str], addresses: &[&str]) -> Outstanding {
    Outstanding {
        unit_id: unit.into(),
        unit_name: unit.into(),
        addresses: addresses.iter().map(|s| s.to_string()).collect(),
        bad_addresses: Vec::new(),
        missing: missing.iter().map(|s| s.to_string()).collect(),
        deadline: "2023-01-30T23:59:59+07:00".into(),
    }
}

/// A reminder already in the outbox for `unit`, queued at `created`.
pub fn reminder_sent(unit: &str, key: &str, created: &str, status: OutboxStatus) -> OutboxEntry {
    OutboxEntry {
        id: 1,
        key: OutboxKey::parse(key),
        created_at: at(created).to_rfc3339(),
        to: vec![format!("{unit}@example.vn")],
        subject: "Nhắc nộp".into(),
        status,
        attempts: 1,
        last_error: None,
        reply: None,
        sent_at: None,
        meta: OutboxMeta {
            kind: crate::store::OutboxKind::Reminder,
            campaign_id: Some("12-CV-HU".into()),
            unit_id: Some(unit.into()),
            about: None,
            mail_id: None,
        },
    }
}

/// A recorded mail from `unit` for the test campaign received at `received`, carrying one
/// attachment per `(file name, items)`.
pub fn mail(id: i64, unit: &str, received: &str, files: &[(&str, &[&str])]) -> MessageRow {
    let t = at(received);
    MessageRow {
        id,
        sha256: format!("{id:064x}"),
        message_id: format!("m{id}@{unit}.example"),
        archive_path: String::new(),
        size: 1000,
        source: "test".into(),
        ingested_at: t.to_rfc3339(),
        from_addr: Some(format!("{unit}@example.vn")),
        from_name: None,
        subject: "Gửi báo cáo theo Công văn 12-CV/HU".into(),
        body_excerpt: String::new(),
        date_header: Some(t.to_rfc3339()),
        received_at: Some(t.to_rfc3339()),
        received_ts: Some(t.timestamp()),
        received_from: Some("date".into()),
        unit_id: Some(unit.into()),
        identified_by: Some("address".into()),
        campaign_id: Some("12-CV-HU".into()),
        campaign_by: Some("number".into()),
        duplicate_of: None,
        flags: Vec::new(),
        problems: Vec::new(),
        error: None,
        reading: crate::store::ReadingState::Done,
        attachments: files
            .iter()
            .map(|(name, items)| NewAttachment {
                name: name.to_string(),
                kind: "docx".into(),
                // Different files have different bytes: the register tells versions apart so.
                sha256: crate::store::sha256_hex(format!("{id}/{name}").as_bytes()),
                items: items.iter().map(|s| s.to_string()).collect(),
                item_by: Some("name".into()),
                ..NewAttachment::default()
            })
            .collect(),
    }
}
