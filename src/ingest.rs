//! The ingest pipeline shared by every source: raw mail → archive + register.
//!
//! Three stages run side by side so parsing stays off the I/O path: the source reads raw
//! messages, worker threads hash, parse and recognise them, and one writer archives and
//! records them in batches. For each batch the archive files are flushed and renamed into
//! place *before* the database transaction that records them commits, so a crash at any
//! point loses nothing and a rerun stores nothing twice (dedupe by content hash, then by
//! Message-ID).

use std::collections::HashSet;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use indicatif::{ProgressBar, ProgressStyle};

use crate::documents::{self, DocLimits, Document};
use crate::message;
use crate::recognise::Recogniser;
use crate::source::Fetched;
use crate::store::{self, NewAttachment, NewMessage, Store, sha256_hex};

/// Largest batch: messages, and raw bytes.
const BATCH_MESSAGES: usize = 400;
const BATCH_BYTES: usize = 24 << 20;

/// What an ingest run did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Messages read from the source.
    pub seen: usize,
    /// Newly stored.
    pub stored: usize,
    /// Already stored (same bytes), skipped.
    pub duplicates: usize,
    /// Stored, but could not be read as mail (listed with their error).
    pub unreadable: usize,
    /// Row ids of the newly stored messages.
    pub new_ids: Vec<i64>,
}

/// A message ready for the writer: the raw bytes and its register row.
struct Prepared {
    raw: Vec<u8>,
    row: NewMessage,
    /// Position in the source: a batch is written in source order whatever order the workers
    /// finish in, so "which of two messages came first" does not depend on thread timing.
    seq: usize,
}

/// Flag of a message whose reading hit a bug (a caught panic): it is read again on every full
/// pass until that succeeds, so an upgrade that fixes the bug fixes the register too.
pub const INTERNAL_ERROR: &str = "internal_error";

/// Hashes, parses and recognises one message. Never panics: a bug in a parser becomes an
/// error recorded on the message, which is still archived.
fn prepare(f: Fetched, rec: &Recogniser, now: DateTime<FixedOffset>) -> Prepared {
    let sha = sha256_hex(&f.raw);
    let result = std::panic::catch_unwind(AssertUnwindSafe(|| build_row(&f, &sha, rec, now)));
    match result {
        Ok(row) => Prepared {
            raw: f.raw,
            row,
            seq: 0,
        },
        Err(p) => {
            let what = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let row = NewMessage {
                sha256: sha,
                size: f.raw.len() as u64,
                source: f.origin.clone(),
                received_at: Some(now.to_rfc3339()),
                received_ts: Some(now.timestamp()),
                received_from: Some("ingest_time".into()),
                error: Some(format!(
                    "lỗi nội bộ khi đọc thư này ({what}); thư vẫn được lưu — xin báo cho người quản trị"
                )),
                flags: vec![INTERNAL_ERROR.into()],
                ..Default::default()
            };
            Prepared {
                raw: f.raw,
                row,
                seq: 0,
            }
        }
    }
}

fn build_row(f: &Fetched, sha: &str, rec: &Recogniser, now: DateTime<FixedOffset>) -> NewMessage {
    let tz = rec.config().timezone;
    let local = |t: DateTime<FixedOffset>| t.with_timezone(&tz).fixed_offset();
    let mut row = NewMessage {
        sha256: sha.to_string(),
        size: f.raw.len() as u64,
        source: f.origin.clone(),
        ..Default::default()
    };
    let inb = match message::parse(&f.raw, &rec.config().limits) {
        Ok(m) => m,
        Err(e) => {
            let (t, how) = f
                .internal_date
                .map(|t| (t, "internal_date"))
                .unwrap_or((now, "ingest_time"));
            row.received_at = Some(local(t).to_rfc3339());
            row.received_ts = Some(t.timestamp());
            row.received_from = Some(how.into());
            row.error = Some(e.to_string());
            return row;
        }
    };
    let header_arrival = inb.arrival();
    let limits = DocLimits::default();
    let docs: Vec<Option<Document>> = inb
        .all_parts()
        .iter()
        .map(|p| {
            (p.kind.is_document() && p.error.is_none()).then(|| documents::extract(p, &limits))
        })
        .collect();
    let r = rec.recognise(
        &inb,
        f.internal_date.or(header_arrival.map(|(t, _)| t)),
        &docs,
    );
    let (t, how) = r
        .original_arrival
        .map(|t| (t, "forwarded_original"))
        .or(f.internal_date.map(|t| (t, "internal_date")))
        .or(header_arrival)
        .unwrap_or((now, "ingest_time"));
    row.message_id = inb.message_id.clone();
    row.from_addr = inb.from_addr.clone();
    row.from_name = inb.from_name.clone();
    row.subject = inb.subject.clone();
    row.body_excerpt = inb.body.chars().take(2000).collect();
    row.date_header = inb.date.map(|d| d.to_rfc3339());
    row.received_at = Some(local(t).to_rfc3339());
    row.received_ts = Some(t.timestamp());
    row.received_from = Some(how.into());
    row.unit_id = r.unit.as_ref().map(|d| d.id.clone());
    row.identified_by = r.unit.as_ref().map(|d| d.by.clone());
    row.campaign_id = r.campaign.as_ref().map(|d| d.id.clone());
    row.campaign_by = r.campaign.as_ref().map(|d| d.by.clone());
    row.flags = r.flags.clone();
    if inb.auto.auto_submitted {
        row.flags.push("auto_submitted".into());
    }
    if inb.auto.bulk || inb.auto.list {
        row.flags.push("list_or_bulk".into());
    }
    if docs.iter().flatten().any(|d| {
        d.problems
            .iter()
            .any(|p| p == documents::INTERNAL_ERROR_TEXT)
    }) {
        row.flags.push(INTERNAL_ERROR.into());
    }
    row.problems = inb.problems.clone();
    row.problems.extend(r.problems.iter().cloned());
    for (i, p) in inb.all_parts().into_iter().enumerate() {
        let items = r.parts.get(i).cloned().unwrap_or_default();
        row.attachments.push(NewAttachment {
            name: p.name.clone(),
            path: p.path.clone(),
            content_type: p.content_type.clone(),
            kind: p.kind.as_str().into(),
            size: p.bytes.len() as u64,
            sha256: sha256_hex(&p.bytes),
            items: items.items,
            item_by: items.by,
            error: p.error.clone(),
            document: items
                .reading
                .as_ref()
                .and_then(|rd| serde_json::to_string(rd).ok()),
        });
        if let Some(mark) = items.reading.as_ref().and_then(|rd| rd.secret.as_ref()) {
            if !row.flags.iter().any(|f| f == "secret_document") {
                row.flags.push("secret_document".into());
            }
            row.problems.push(format!(
                "{:?} có dấu {mark:?}: tài liệu mật không được gửi qua thư điện tử thông thường — xử lý theo quy định về tài liệu mật",
                p.name
            ));
        }
    }
    if let Some(b) = message::bounce::detect(&f.raw) {
        mark_bounce(&mut row, b, inb.problems.clone());
    }
    row
}

/// Flag of a delivery-status notification (bounce).
pub const BOUNCE: &str = "bounce";

/// A bounce is the mail server's, not a unit's: whatever recognition found (a unit named in
/// the quoted reminder, the campaign's keywords) must not count as a submission.
fn mark_bounce(row: &mut NewMessage, b: message::bounce::Bounce, mut problems: Vec<String>) {
    row.flags.push(BOUNCE.into());
    row.unit_id = None;
    row.identified_by = None;
    row.campaign_id = None;
    row.campaign_by = None;
    for a in &mut row.attachments {
        a.items.clear();
        a.item_by = None;
    }
    let about = b
        .original_message_id
        .as_deref()
        .map(|id| format!(" (thư gốc Message-ID {id})"))
        .unwrap_or_default();
    for (addr, reason) in &b.failed {
        problems.push(format!(
            "thư báo không gửi được: thư gửi tới {addr} bị trả lại{about} — {reason}. Địa chỉ này được ghi là hỏng và không được gửi tới nữa; sửa địa chỉ trong danh sách đơn vị (units.csv, rồi baocao units import) và chạy: baocao addresses ok {addr}"
        ));
    }
    for (addr, reason) in &b.delayed {
        problems.push(format!(
            "thư báo chậm chuyển: thư gửi tới {addr} chưa đến nơi{about}, máy chủ vẫn đang thử lại — {reason}. Chưa cần làm gì"
        ));
    }
    if b.failed.is_empty() && b.delayed.is_empty() {
        problems.push(format!(
            "thư báo không gửi được{about}, nhưng không đọc ra địa chỉ nào bị lỗi; mở thư để xem"
        ));
    }
    row.problems = problems;
    row.bounced = b.failed;
}

/// Runs the pipeline over messages produced by `produce`, which is called on its own thread
/// with a sink that returns false when the pipeline wants it to stop.
pub fn run<P>(
    store: &mut Store,
    rec: Arc<Recogniser>,
    now: DateTime<FixedOffset>,
    progress: &ProgressBar,
    produce: P,
) -> store::Result<Report>
where
    P: FnOnce(&mut dyn FnMut(Fetched) -> bool) + Send,
{
    run_with_commits(store, rec, now, progress, produce, |_, _| Ok(()))
}

/// [`run`], calling `committed` on the writer thread after each batch is durably stored, with
/// the origins of every message of the batch (new and already stored alike). The IMAP poll uses
/// it to flag messages on the server only once they are safe. An error from `committed` stops
/// the run like a store error.
pub fn run_with_commits<P, C>(
    store: &mut Store,
    rec: Arc<Recogniser>,
    now: DateTime<FixedOffset>,
    progress: &ProgressBar,
    produce: P,
    mut committed: C,
) -> store::Result<Report>
where
    P: FnOnce(&mut dyn FnMut(Fetched) -> bool) + Send,
    C: FnMut(&mut Store, Vec<String>) -> store::Result<()> + Send,
{
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(1, 8);
    let (raw_tx, raw_rx) = crossbeam_channel::bounded::<(usize, Fetched)>(workers * 8);
    let (done_tx, done_rx) = crossbeam_channel::bounded::<Prepared>(workers * 8);
    // One batch may wait while another is written: parsing goes on during the fsyncs.
    let (batch_tx, batch_rx) = crossbeam_channel::bounded::<Vec<Prepared>>(1);
    let mut report = Report::default();
    let result = std::thread::scope(|s| {
        s.spawn(move || {
            let mut seq = 0usize;
            let mut sink = |f: Fetched| {
                seq += 1;
                raw_tx.send((seq, f)).is_ok()
            };
            produce(&mut sink);
        });
        for _ in 0..workers {
            let rx = raw_rx.clone();
            let tx = done_tx.clone();
            let rec = Arc::clone(&rec);
            s.spawn(move || {
                for (seq, f) in rx {
                    let mut p = prepare(f, &rec, now);
                    p.seq = seq;
                    if tx.send(p).is_err() {
                        break;
                    }
                }
            });
        }
        drop(raw_rx);
        drop(done_tx);
        let report = &mut report;
        let writer = s.spawn(move || -> store::Result<()> {
            // On error, dropping `batch_rx` stops the collector, which stops the workers and
            // the reader in turn.
            for batch in batch_rx {
                let origins: Vec<String> = batch.iter().map(|p| p.row.source.clone()).collect();
                write_batch(store, batch, now, report)?;
                committed(store, origins)?;
            }
            Ok(())
        });
        let mut batch: Vec<Prepared> = Vec::new();
        let mut bytes = 0usize;
        let mut seen = 0usize;
        for p in done_rx.iter() {
            progress.inc(p.raw.len() as u64);
            seen += 1;
            bytes += p.raw.len();
            batch.push(p);
            if batch.len() >= BATCH_MESSAGES || bytes >= BATCH_BYTES {
                batch.sort_unstable_by_key(|p| p.seq);
                if batch_tx.send(std::mem::take(&mut batch)).is_err() {
                    break;
                }
                bytes = 0;
            }
        }
        if !batch.is_empty() {
            batch.sort_unstable_by_key(|p| p.seq);
            let _ = batch_tx.send(batch);
        }
        drop(batch_tx);
        drop(done_rx);
        let r = writer
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (seen, r)
    });
    let (seen, result) = result;
    report.seen = seen;
    result.map(|_| report)
}

fn write_batch(
    store: &mut Store,
    batch: Vec<Prepared>,
    now: DateTime<FixedOffset>,
    report: &mut Report,
) -> store::Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    let shas: Vec<&str> = batch.iter().map(|p| p.row.sha256.as_str()).collect();
    let known = store.known_hashes(&shas)?;
    let mut fresh: Vec<Prepared> = Vec::with_capacity(batch.len());
    let mut in_batch: HashSet<String> = HashSet::new();
    for p in batch {
        if known.contains(&p.row.sha256) || !in_batch.insert(p.row.sha256.clone()) {
            report.duplicates += 1;
        } else {
            fresh.push(p);
        }
    }
    let mut staged = Vec::new();
    for p in &fresh {
        if let Some(s) = store.archive().stage(&p.row.sha256, &p.raw)? {
            staged.push(s);
        }
    }
    store.archive().commit(staged)?;
    let rows: Vec<NewMessage> = fresh.into_iter().map(|p| p.row).collect();
    report.unreadable += rows.iter().filter(|r| r.error.is_some()).count();
    let ids = store.insert_messages(&rows, &now.to_rfc3339())?;
    report.stored += ids.len();
    report.new_ids.extend(ids);
    Ok(())
}

/// Reads again every stored message whose reading hit an internal error, from the archive,
/// and replaces its register row when the reading now succeeds (staff decisions on the unit
/// and campaign are kept). Returns how many were read successfully this time.
pub fn reread_failed(
    store: &mut Store,
    rec: &Recogniser,
    now: DateTime<FixedOffset>,
) -> store::Result<usize> {
    let mut fixed = 0;
    for m in store.messages_flagged(INTERNAL_ERROR)? {
        let raw = store.archive().read(&m.sha256)?;
        let internal_date = (m.received_from.as_deref() == Some("internal_date"))
            .then(|| {
                m.received_at
                    .as_deref()
                    .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            })
            .flatten();
        let p = prepare(
            Fetched {
                raw,
                origin: m.source.clone(),
                internal_date,
            },
            rec,
            now,
        );
        if p.row.flags.iter().any(|f| f == INTERNAL_ERROR) {
            continue;
        }
        store.replace_reading(m.id, &p.row, &now.to_rfc3339())?;
        fixed += 1;
    }
    Ok(fixed)
}

/// A progress bar over `total` bytes, drawn only on a terminal and only for big inputs.
pub fn progress_bar(total: u64, show: bool) -> ProgressBar {
    if !show || total < 8 << 20 {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new(total);
    pb.set_style(
        ProgressStyle::with_template(
            "{spinner} Đang nhập thư [{bar:30}] {bytes}/{total_bytes} · {elapsed} (còn {eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    pb
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_that_hit_an_internal_error_is_read_again_and_replaced() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let config = crate::config::load(&root.join("config/baocao.toml")).expect("config");
        let dir = tempfile::tempdir().expect("tempdir");
        let mut store = Store::open(dir.path()).expect("store");
        let csv = root.join("config/units.csv");
        let units = crate::config::parse_units_csv(&std::fs::read(&csv).expect("read"), &csv)
            .expect("units");
        store
            .replace_units(&units, "2023-01-01T00:00:00+07:00")
            .expect("units");
        let rec = Arc::new(Recogniser::new(config, store.units().expect("units")));
        let now = DateTime::parse_from_rfc3339("2023-01-28T08:00:00+07:00").expect("time");
        let raw = b"From: Dang uy xa Loc An <dangUyLocAn@gmail.com>\r\nTo: vanphong@huyenuy.test\r\n\
Subject: =?UTF-8?Q?=C4=90=E1=BA=A3ng_=E1=BB=A7y_x=C3=A3_L=E1=BB=99c_An_g=E1=BB=ADi_b=C3=A1o_c=C3=A1o?=\r\n\
Message-ID: <reread-1@example>\r\nDate: Fri, 27 Jan 2023 09:00:00 +0700\r\n\r\nKinh gui.\r\n"
            .to_vec();
        let r = run(
            &mut store,
            Arc::clone(&rec),
            now,
            &ProgressBar::hidden(),
            |sink| {
                sink(Fetched {
                    raw,
                    origin: "test".into(),
                    internal_date: None,
                });
            },
        )
        .expect("ingest");
        let id = r.new_ids[0];
        let good = store.find_message("reread-1@example").expect("row");
        assert_eq!(good.unit_id.as_deref(), Some("loc-an"));
        // As if the reading had panicked: the row says so and holds nothing useful.
        let broken = NewMessage {
            sha256: good.sha256.clone(),
            error: Some("internal error while reading this message (boom)".into()),
            flags: vec![INTERNAL_ERROR.into()],
            ..Default::default()
        };
        store
            .replace_reading(id, &broken, "2023-01-28T08:00:00+07:00")
            .expect("break");
        assert_eq!(store.messages_flagged(INTERNAL_ERROR).expect("q").len(), 1);
        assert_eq!(reread_failed(&mut store, &rec, now).expect("reread"), 1);
        let again = store.find_message("reread-1@example").expect("row");
        assert_eq!(again.error, None);
        assert_eq!(again.subject, good.subject);
        assert_eq!(again.unit_id.as_deref(), Some("loc-an"));
        assert!(
            store
                .messages_flagged(INTERNAL_ERROR)
                .expect("q")
                .is_empty()
        );
        // Nothing left to do on the next pass.
        assert_eq!(reread_failed(&mut store, &rec, now).expect("reread"), 0);
    }
}
