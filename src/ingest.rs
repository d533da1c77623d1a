//! The ingest pipeline shared by every source: raw mail → archive + register → reading.
//!
//! Store first, read after. Worker threads hash each message (a message already archived costs
//! only that), parse its MIME structure and recognise what headers, subject and file names
//! say; one writer archives and records them in small batches ("received, not read yet"), each
//! batch's archive files flushed and renamed into place *before* the database transaction that
//! records them commits. Only then are the documents read — in worker processes with memory,
//! CPU and time budgets ([`crate::reader`]) — and each row updated with what they hold. A crash
//! at any point loses nothing and a rerun stores nothing twice; a message whose reading was
//! interrupted is read on the next run ([`read_stored`]). Scans and old formats, which need OCR
//! or LibreOffice, are read last, from their own queue ([`ReadingState::Slow`]).

mod newest;

use std::collections::HashSet;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};
use indicatif::{ProgressBar, ProgressStyle};

use crate::documents::{self, DocLimits, Document};
use crate::forms::Reading;
use crate::i18n::t;
use crate::message::{self, FileKind, Inbound};
use crate::reader::{Client, Failure, TempRoot};
use crate::recognise::{MailFinds, Recogniser};
use crate::source::Fetched;
use crate::store::{
    self, Flag, ForRegister, NewAttachment, NewMessage, ReadingState, Store, add_flag, sha256_hex,
};

/// Largest batch: messages, raw bytes, and time since its first message.
const BATCH_MESSAGES: usize = 200;
const BATCH_BYTES: usize = 16 << 20;
const BATCH_AGE: Duration = Duration::from_millis(500);
/// Readings recorded per transaction, and the longest one waits.
const UPDATE_ROWS: usize = 200;
const UPDATE_AGE: Duration = Duration::from_millis(500);
/// Committed messages waiting for the readers: each holds its raw bytes and decoded files, so
/// this bounds memory (a whole batch waiting took a 10,000-mail IMAP backfill to 147 MB).
const READ_QUEUE: usize = 64;

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
    /// Messages whose documents were read.
    pub read: usize,
    /// Messages set aside because a file crashed or exhausted its reader.
    pub quarantined: usize,
    /// Messages whose scans or old-format files wait for OCR or LibreOffice.
    pub slow: usize,
}

/// Where a message came from, for the second look at it.
#[derive(Debug, Clone)]
struct Meta {
    sha: String,
    size: u64,
    source: String,
    internal_date: Option<DateTime<FixedOffset>>,
    /// The hashes of its files, once the first look has taken them (in the order of
    /// `Inbound::all_parts`): the second look does not hash the same bytes again.
    part_shas: Vec<String>,
    /// Where the first look found units named in the mail's own fields.
    finds: MailFinds,
}

/// A message ready for the writer: the raw bytes, its register row, and the parsed message
/// whose documents are read once the row is committed.
struct Prepared {
    raw: Vec<u8>,
    row: NewMessage,
    meta: Meta,
    inbound: Option<Inbound>,
    /// Position in the source: a batch is written in source order whatever order the workers
    /// finish in, so "which of two messages came first" does not depend on thread timing.
    seq: usize,
    /// Already stored (same bytes): nothing to do but count it.
    known: bool,
}

/// A committed message whose documents are to be read.
struct ToRead {
    id: i64,
    meta: Meta,
    inbound: Inbound,
}

fn panic_text(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

fn internal_error_row(meta: &Meta, now: DateTime<FixedOffset>, what: &str) -> NewMessage {
    NewMessage {
        sha256: meta.sha.clone(),
        size: meta.size,
        source: meta.source.clone(),
        received_at: Some(now.to_rfc3339()),
        received_ts: Some(now.timestamp()),
        received_from: Some("ingest_time".into()),
        error: Some(t!("prob-internal", what = what)),
        flags: vec![Flag::InternalError],
        ..Default::default()
    }
}

/// Hashes, parses and recognises one message from what it says outside its documents. Never
/// panics: a bug in a parser becomes an error recorded on the message, which is still archived.
fn prepare(
    f: Fetched,
    rec: &Recogniser,
    now: DateTime<FixedOffset>,
    known: Option<&store::HashChecker>,
) -> Prepared {
    let mut meta = Meta {
        sha: sha256_hex(&f.raw),
        size: f.raw.len() as u64,
        source: f.origin.clone(),
        internal_date: f.internal_date,
        part_shas: Vec::new(),
        finds: MailFinds::default(),
    };
    if known.is_some_and(|k| k.known(&meta.sha).unwrap_or(false)) {
        return Prepared {
            raw: f.raw,
            row: NewMessage {
                sha256: meta.sha.clone(),
                source: meta.source.clone(),
                ..Default::default()
            },
            meta,
            inbound: None,
            seq: 0,
            known: true,
        };
    }
    let result =
        std::panic::catch_unwind(AssertUnwindSafe(|| quick_row(&f.raw, &mut meta, rec, now)));
    let (row, inbound) = match result {
        Ok(r) => r,
        Err(p) => (internal_error_row(&meta, now, &panic_text(&*p)), None),
    };
    Prepared {
        raw: f.raw,
        row,
        meta,
        inbound,
        seq: 0,
        known: false,
    }
}

/// Whether the message has documents to read.
fn has_documents(inb: &Inbound) -> bool {
    inb.all_parts()
        .iter()
        .any(|p| p.kind.is_document() && p.error.is_none())
}

/// The register row from headers, subject, body and file names; the documents are not opened.
fn quick_row(
    raw: &[u8],
    meta: &mut Meta,
    rec: &Recogniser,
    now: DateTime<FixedOffset>,
) -> (NewMessage, Option<Inbound>) {
    let inb = match message::parse(raw, &rec.config().limits) {
        Ok(m) => m,
        Err(e) => {
            let tz = rec.config().timezone;
            let (t, how) = meta
                .internal_date
                .map(|t| (t, "internal_date"))
                .unwrap_or((now, "ingest_time"));
            let row = NewMessage {
                sha256: meta.sha.clone(),
                size: meta.size,
                source: meta.source.clone(),
                received_at: Some(t.with_timezone(&tz).fixed_offset().to_rfc3339()),
                received_ts: Some(t.timestamp()),
                received_from: Some(how.into()),
                error: Some(e.to_string()),
                ..Default::default()
            };
            return (row, None);
        }
    };
    let docs: Vec<Option<Document>> = vec![None; inb.all_parts().len()];
    let mut finds = MailFinds::default();
    let (mut row, _) = fill_row(raw, meta, &inb, &docs, rec, now, &mut finds);
    meta.finds = finds;
    if has_documents(&inb) {
        row.reading = ReadingState::Pending;
    }
    (row, Some(inb))
}

/// Where the figures of a message's reports go.
#[derive(Clone, Copy)]
enum FiguresTo<'a> {
    /// Taken now and stored with the reading.
    Row,
    /// Offered to the run's newest reports as the message stored under this id (see
    /// [`newest`]); taken when the run ends.
    Newest(&'a newest::NewestReports, i64),
}

/// Reads the documents of a committed message (in a worker) and recognises it again with what
/// they hold. `slow` allows OCR and LibreOffice.
#[allow(clippy::too_many_arguments)]
fn read_message(
    client: &mut Client,
    raw: &[u8],
    meta: &Meta,
    inb: &Inbound,
    rec: &Recogniser,
    now: DateTime<FixedOffset>,
    slow: bool,
    figures: FiguresTo<'_>,
) -> NewMessage {
    let limits = DocLimits {
        slow_tools: slow,
        ..DocLimits::default()
    };
    let budget = rec.config().limits.reader();
    let deadline = Instant::now() + Duration::from_secs(budget.message_seconds);
    let parts = inb.all_parts();
    let mut docs: Vec<Option<Document>> = Vec::with_capacity(parts.len());
    let mut failed: Vec<(usize, Failure)> = Vec::new();
    let mut deferred = false;
    for (i, p) in parts.iter().enumerate() {
        if !(p.kind.is_document() && p.error.is_none()) {
            docs.push(None);
            continue;
        }
        let mut result = Err(Failure::Time);
        for _ in 0..=budget.retries {
            if Instant::now() >= deadline {
                result = Err(Failure::Time);
                break;
            }
            result = client.read(p, &limits, deadline);
            if result.is_ok() {
                break;
            }
        }
        match result {
            Ok(d) if d.deferred => {
                deferred = true;
                docs.push(None);
            }
            Ok(d) => docs.push(Some(d)),
            Err(f) => {
                failed.push((i, f));
                docs.push(None);
            }
        }
    }
    let (mut row, reports) = fill_row(raw, meta, inb, &docs, rec, now, &mut meta.finds.clone());
    unreadable_is_not_delivered(&mut row, &parts, &docs);
    let later = match figures {
        FiguresTo::Newest(newest, id) => newest.offer(&row, id, &reports, &mut docs),
        FiguresTo::Row => false,
    };
    if !later {
        take_figures(&mut row, &reports, &docs, rec);
    }
    for (i, f) in &failed {
        let text = f.text();
        if let Some(a) = row.attachments.get_mut(*i) {
            row.problems.push(format!("{:?}: {text}", a.name));
            a.error = Some(text);
        }
    }
    row.reading = if !failed.is_empty() {
        add_flag(&mut row.flags, Flag::Quarantined);
        ReadingState::Quarantined
    } else if deferred {
        ReadingState::Slow
    } else {
        ReadingState::Done
    };
    row
}

/// Takes the figures of the report files `reports` of `row` (indices into its attachments and
/// `docs`) and puts them beside their readings.
fn take_figures(
    row: &mut NewMessage,
    reports: &[usize],
    docs: &[Option<Document>],
    rec: &Recogniser,
) {
    let Some(campaign) = row.campaign_id.as_deref() else {
        return;
    };
    for &i in reports {
        let (Some(Some(doc)), Some(a)) = (docs.get(i), row.attachments.get_mut(i)) else {
            continue;
        };
        a.figures = rec
            .take_figures(campaign, doc)
            .and_then(|f| serde_json::to_string(&f).ok());
    }
}

/// A file read to nothing is not a delivered item: a picture named .docx, a document without
/// a word of text, a scan where OCR found nothing. It stays listed, with the item its name
/// suggests, as a problem for staff (who can accept it with `assign --file … --item …`).
fn unreadable_is_not_delivered(
    row: &mut NewMessage,
    parts: &[&message::Part],
    docs: &[Option<Document>],
) {
    for (i, (p, d)) in parts.iter().zip(docs).enumerate() {
        let Some(d) = d else { continue };
        let Some(a) = row.attachments.get_mut(i) else {
            continue;
        };
        if a.error.is_some() || p.inline {
            continue;
        }
        let ext = std::path::Path::new(&p.name)
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        let office_name = matches!(
            ext.as_str(),
            "doc" | "docx" | "xls" | "xlsx" | "pdf" | "odt" | "ods"
        );
        let why = if office_name
            && matches!(p.kind, FileKind::Image | FileKind::Empty | FileKind::Other)
        {
            Some(t!(
                "prob-named-but",
                ext = ext.as_str(),
                kind = kind_words(p.kind)
            ))
        } else if !d.has_text() {
            Some(if d.scanned {
                t!("prob-scan-no-text")
            } else {
                t!("prob-no-text")
            })
        } else {
            None
        };
        if let Some(why) = why {
            row.problems.push(t!(
                "prob-not-counted",
                file = p.name.as_str(),
                why = why.as_str()
            ));
            a.error = Some(why);
        }
    }
}

fn kind_words(k: FileKind) -> String {
    match k {
        FileKind::Image => t!("prob-kind-image"),
        FileKind::Empty => t!("prob-kind-empty"),
        _ => t!("prob-kind-other"),
    }
}

/// The register row of a parsed message, from `docs` (None: not read, or not a document).
fn fill_row(
    raw: &[u8],
    meta: &Meta,
    inb: &Inbound,
    docs: &[Option<Document>],
    rec: &Recogniser,
    now: DateTime<FixedOffset>,
    finds: &mut MailFinds,
) -> (NewMessage, Vec<usize>) {
    let tz = rec.config().timezone;
    let local = |t: DateTime<FixedOffset>| t.with_timezone(&tz).fixed_offset();
    let mut row = NewMessage {
        sha256: meta.sha.clone(),
        size: meta.size,
        source: meta.source.clone(),
        ..Default::default()
    };
    let header_arrival = inb.arrival();
    let mut r = rec.recognise_again(
        inb,
        meta.internal_date.or(header_arrival.map(|(t, _)| t)),
        docs,
        finds,
    );
    // The receipt time that counts, from the most to the least trusted clock; a time no
    // server could have written (after today, or years before any request) is passed over.
    let candidates = [
        r.original_arrival.map(|t| (t, "forwarded_original")),
        meta.internal_date.map(|t| (t, "internal_date")),
        header_arrival,
    ];
    let earliest = rec
        .config()
        .campaigns
        .iter()
        .map(|c| c.issued)
        .min()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc().timestamp() - 3 * 366 * 86_400)
        .unwrap_or(946_684_800);
    let latest = chrono::Utc::now().timestamp().max(now.timestamp()) + 86_400;
    let plausible = |t: &DateTime<FixedOffset>| (earliest..=latest).contains(&t.timestamp());
    let mut implausible: Vec<DateTime<FixedOffset>> = Vec::new();
    let mut chosen = None;
    for c in candidates.into_iter().flatten() {
        if plausible(&c.0) {
            chosen = Some(c);
            break;
        }
        implausible.push(c.0);
    }
    let (t, how) = chosen.unwrap_or((now, "ingest_time"));
    row.message_id = inb.message_id.clone();
    row.from_addr = inb.from_addr.clone();
    row.from_name = inb.from_name.clone();
    row.subject = inb.subject.clone();
    // The first 2,000 characters, cut at a character boundary rather than pushed one by one.
    let end = inb
        .body
        .char_indices()
        .nth(2000)
        .map_or(inb.body.len(), |(i, _)| i);
    row.body_excerpt = inb.body[..end].to_string();
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
        row.flags.push(Flag::AutoSubmitted);
    }
    if inb.auto.bulk || inb.auto.list {
        row.flags.push(Flag::ListOrBulk);
    }
    if docs.iter().flatten().any(|d| {
        d.problems
            .iter()
            .any(|p| p == documents::INTERNAL_ERROR_TEXT)
    }) {
        row.flags.push(Flag::InternalError);
    }
    row.problems = inb.problems.clone();
    row.problems.extend(r.problems.iter().cloned());
    if let Some(bad) = implausible.first() {
        row.flags.push(Flag::ImplausibleTime);
        row.problems.push(t!(
            "prob-implausible-time",
            said = bad.with_timezone(&tz).format("%d/%m/%Y %H:%M").to_string(),
            used = local(t).format("%d/%m/%Y %H:%M").to_string()
        ));
    }
    // Without a sender, a name in the subject, file names or body is a claim anyone can make:
    // only the document's own issuer line identifies the unit.
    if inb.from_addr.is_none()
        && matches!(
            row.identified_by.as_deref(),
            Some("subject" | "sender_name" | "filename" | "body")
        )
    {
        row.unit_id = None;
        row.identified_by = None;
        row.problems.push(t!("prob-no-sender"));
    }
    let mut reports = Vec::new();
    for (i, p) in inb.all_parts().into_iter().enumerate() {
        // Taken, not cloned: a report's reading holds its outline's text.
        let items = r.parts.get_mut(i).map(std::mem::take).unwrap_or_default();
        if items.report {
            reports.push(i);
        }
        row.attachments.push(NewAttachment {
            name: p.name.clone(),
            path: p.path.clone(),
            content_type: p.content_type.clone(),
            kind: p.kind.as_str().into(),
            size: p.bytes.len() as u64,
            sha256: meta
                .part_shas
                .get(i)
                .cloned()
                .unwrap_or_else(|| sha256_hex(&p.bytes)),
            items: items.items,
            item_by: items.by,
            error: p.error.clone(),
            document: items
                .reading
                .as_ref()
                .and_then(|rd| serde_json::to_string(rd).ok()),
            for_register: items
                .reading
                .as_ref()
                .map_or(ForRegister::Nothing, Reading::register_part),
            figures: None,
        });
        if let Some(mark) = items.reading.as_ref().and_then(|rd| rd.secret.as_ref()) {
            add_flag(&mut row.flags, Flag::SecretDocument);
            row.problems.push(t!(
                "prob-secret",
                file = p.name.as_str(),
                mark = mark.as_str()
            ));
        }
    }
    if let Some(b) = message::bounce::detect(raw) {
        mark_bounce(&mut row, b, inb.problems.clone());
    }
    (row, reports)
}

/// A bounce is the mail server's, not a unit's: whatever recognition found (a unit named in
/// the quoted reminder, the campaign's keywords) must not count as a submission.
fn mark_bounce(row: &mut NewMessage, b: message::bounce::Bounce, mut problems: Vec<String>) {
    row.flags.push(Flag::Bounce);
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
        .map(|id| t!("prob-bounce-about", id = id))
        .unwrap_or_default();
    for (addr, reason) in &b.failed {
        problems.push(t!(
            "prob-bounce-failed",
            addr = addr.as_str(),
            about = about.as_str(),
            reason = reason.as_str()
        ));
    }
    for (addr, reason) in &b.delayed {
        problems.push(t!(
            "prob-bounce-delayed",
            addr = addr.as_str(),
            about = about.as_str(),
            reason = reason.as_str()
        ));
    }
    if b.failed.is_empty() && b.delayed.is_empty() {
        problems.push(t!("prob-bounce-unknown", about = about.as_str()));
    }
    row.problems = problems;
    row.bounced = b.failed;
}

/// Runs the pipeline over messages produced by `produce`, which is called on its own thread
/// with a sink that returns false when the pipeline wants it to stop; then reads what waits for
/// the slow tools (OCR, LibreOffice), so every document is read when it returns.
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
    let mut report = run_with_commits(store, Arc::clone(&rec), now, progress, produce, |_, _| {
        Ok(())
    })?;
    let later = finish_reading(store, &rec, now)?;
    report.read += later.read;
    report.quarantined += later.quarantined;
    report.slow = report.slow.saturating_sub(later.read + later.quarantined);
    Ok(report)
}

/// Reads what an interrupted run left unread, then what waits for OCR or LibreOffice.
pub fn finish_reading(
    store: &mut Store,
    rec: &Recogniser,
    now: DateTime<FixedOffset>,
) -> store::Result<Report> {
    let mut r = read_stored(store, rec, now, ReadingState::Pending)?;
    let slow = read_stored(store, rec, now, ReadingState::Slow)?;
    r.read += slow.read;
    r.quarantined += slow.quarantined;
    Ok(r)
}

/// The readers' temporary folder under the data folder (swept of a crashed run's leftovers).
pub fn temp_root(store: &Store) -> store::Result<TempRoot> {
    TempRoot::open(store.root()).map_err(|source| store::Error::Io {
        action: "cannot create the readers' temporary folder",
        path: store.root().join("tmp"),
        source,
    })
}

/// Readings waiting to be recorded, written in one transaction when enough have come or the
/// oldest has waited long enough.
struct Updates {
    rows: Vec<(i64, NewMessage)>,
    since: Option<Instant>,
}

impl Updates {
    fn push(&mut self, u: (i64, NewMessage)) {
        self.since.get_or_insert_with(Instant::now);
        self.rows.push(u);
    }

    fn due(&self) -> bool {
        self.rows.len() >= UPDATE_ROWS || self.since.is_some_and(|t| t.elapsed() >= UPDATE_AGE)
    }

    fn flush(
        &mut self,
        store: &mut Store,
        now: DateTime<FixedOffset>,
        report: &mut Report,
    ) -> store::Result<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        store.record_readings(&self.rows, &now.to_rfc3339())?;
        for (_, r) in &self.rows {
            match r.reading {
                ReadingState::Quarantined => report.quarantined += 1,
                ReadingState::Slow => report.slow += 1,
                _ => report.read += 1,
            }
        }
        self.rows.clear();
        self.since = None;
        Ok(())
    }
}

/// [`run`] without the slow pass, calling `committed` on the writer thread after each batch is
/// durably stored, with the origins of every message of the batch (new and already stored
/// alike). The IMAP poll uses it to flag messages on the server as soon as they are safe, before
/// their documents are read. An error from `committed` stops the run like a store error.
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
    let temp = temp_root(store)?;
    let checkers = (0..workers)
        .map(|_| store.hash_checker())
        .collect::<store::Result<Vec<_>>>()?;
    let reader_limits = rec.config().limits.reader();
    let (raw_tx, raw_rx) = crossbeam_channel::bounded::<(usize, Fetched)>(workers * 4);
    let (done_tx, done_rx) = crossbeam_channel::bounded::<Prepared>(workers * 4);
    // One batch may wait while another is written: parsing goes on during the fsyncs.
    let (batch_tx, batch_rx) = crossbeam_channel::bounded::<Vec<Prepared>>(1);
    // Committed messages wait for the readers here, enough of them for the writer to go on to
    // archive and commit the next batch (its flushes to disk take tens of milliseconds) while
    // they read; with room for four only, the readers sat idle through every flush.
    // Likewise the readings wait here while the writer flushes the last ones.
    let (read_tx, read_rx) = crossbeam_channel::bounded::<(ToRead, Vec<u8>)>(READ_QUEUE);
    let (update_tx, update_rx) = crossbeam_channel::bounded::<(i64, NewMessage)>(UPDATE_ROWS);
    let mut report = Report::default();
    let newest = newest::NewestReports::default();
    let result = std::thread::scope(|s| {
        // Reborrowed: the writer takes it for the run, and the figures are stored after.
        let store: &mut Store = &mut *store;
        s.spawn(move || {
            let mut seq = 0usize;
            let mut sink = |f: Fetched| {
                seq += 1;
                raw_tx.send((seq, f)).is_ok()
            };
            produce(&mut sink);
        });
        for checker in checkers {
            let rx = raw_rx.clone();
            let tx = done_tx.clone();
            let rec = Arc::clone(&rec);
            s.spawn(move || {
                for (seq, f) in rx {
                    let mut p = prepare(f, &rec, now, Some(&checker));
                    p.seq = seq;
                    if tx.send(p).is_err() {
                        break;
                    }
                }
            });
        }
        drop(raw_rx);
        drop(done_tx);
        for _ in 0..workers {
            let rx = read_rx.clone();
            let tx = update_tx.clone();
            let rec = Arc::clone(&rec);
            let newest = &newest;
            let mut client = Client::new(Some(&temp), reader_limits.clone());
            s.spawn(move || {
                for (t, raw) in rx {
                    let row = std::panic::catch_unwind(AssertUnwindSafe(|| {
                        read_message(
                            &mut client,
                            &raw,
                            &t.meta,
                            &t.inbound,
                            &rec,
                            now,
                            false,
                            FiguresTo::Newest(newest, t.id),
                        )
                    }))
                    .unwrap_or_else(|p| internal_error_row(&t.meta, now, &panic_text(&*p)));
                    if tx.send((t.id, row)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(read_rx);
        drop(update_tx);
        let report = &mut report;
        let writer = s.spawn(move || -> store::Result<()> {
            // On error, dropping the channels stops the collector, the readers and the workers.
            let mut updates = Updates {
                rows: Vec::new(),
                since: None,
            };
            let tick = crossbeam_channel::tick(UPDATE_AGE);
            let mut batches_open = true;
            let mut read_tx = Some(read_tx);
            loop {
                if batches_open {
                    crossbeam_channel::select! {
                        recv(batch_rx) -> b => match b {
                            Ok(batch) => {
                                let origins: Vec<String> =
                                    batch.iter().map(|p| p.row.source.clone()).collect();
                                let to_read = write_batch(store, batch, now, report)?;
                                committed(store, origins)?;
                                let Some(tx) = read_tx.as_ref() else { continue };
                                for item in to_read {
                                    // Hand each message to the readers, recording their results
                                    // while they are busy so neither side waits for the other.
                                    let mut item = item;
                                    loop {
                                        match tx.try_send(item) {
                                            Ok(()) => break,
                                            Err(crossbeam_channel::TrySendError::Disconnected(_)) => break,
                                            Err(crossbeam_channel::TrySendError::Full(back)) => {
                                                item = back;
                                                if let Ok(u) = update_rx.recv_timeout(Duration::from_millis(20)) {
                                                    updates.push(u);
                                                }
                                                if updates.due() {
                                                    updates.flush(store, now, report)?;
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                            Err(_) => {
                                batches_open = false;
                                read_tx = None;
                            }
                        },
                        recv(update_rx) -> u => {
                            if let Ok(u) = u {
                                updates.push(u);
                            }
                        },
                        recv(tick) -> _ => {},
                    }
                } else {
                    crossbeam_channel::select! {
                        recv(update_rx) -> u => match u {
                            Ok(u) => updates.push(u),
                            Err(_) => break,
                        },
                        recv(tick) -> _ => {},
                    }
                }
                if updates.due() {
                    updates.flush(store, now, report)?;
                }
            }
            drop(read_tx);
            updates.flush(store, now, report)
        });
        let mut batch: Vec<Prepared> = Vec::new();
        let mut bytes = 0usize;
        let mut seen = 0usize;
        let mut started: Option<Instant> = None;
        loop {
            let next = match started {
                // A small batch is written once it has waited long enough: what arrives
                // slowly (IMAP, a big backfill's first messages) shows at once.
                Some(t) => done_rx.recv_timeout(BATCH_AGE.saturating_sub(t.elapsed())),
                None => done_rx
                    .recv()
                    .map_err(|_| crossbeam_channel::RecvTimeoutError::Disconnected),
            };
            let closed = match next {
                Ok(p) => {
                    progress.inc(p.raw.len() as u64);
                    seen += 1;
                    bytes += p.raw.len();
                    started.get_or_insert_with(Instant::now);
                    batch.push(p);
                    false
                }
                Err(crossbeam_channel::RecvTimeoutError::Timeout) => false,
                Err(crossbeam_channel::RecvTimeoutError::Disconnected) => true,
            };
            let aged = started.is_some_and(|t| t.elapsed() >= BATCH_AGE);
            if !batch.is_empty()
                && (closed || aged || batch.len() >= BATCH_MESSAGES || bytes >= BATCH_BYTES)
            {
                batch.sort_unstable_by_key(|p| p.seq);
                if batch_tx.send(std::mem::take(&mut batch)).is_err() {
                    break;
                }
                bytes = 0;
                started = None;
            }
            if closed {
                break;
            }
        }
        drop(batch_tx);
        drop(done_rx);
        let r = writer
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (seen, r)
    });
    drop(temp);
    let (seen, result) = result;
    report.seen = seen;
    // Also after a failure: what was read and recorded gets its figures. A failure here costs
    // only a reading of those reports from the archive when they are first shown.
    if let Err(e) = newest.store(store, &rec) {
        tracing::warn!(error = %e, "figures of the newest reports could not be stored");
    }
    result.map(|_| report)
}

/// Archives and records a batch; returns the new messages whose documents are to be read.
fn write_batch(
    store: &mut Store,
    batch: Vec<Prepared>,
    now: DateTime<FixedOffset>,
    report: &mut Report,
) -> store::Result<Vec<(ToRead, Vec<u8>)>> {
    if batch.is_empty() {
        return Ok(Vec::new());
    }
    let shas: Vec<&str> = batch
        .iter()
        .filter(|p| !p.known)
        .map(|p| p.row.sha256.as_str())
        .collect();
    let known = store.known_hashes(&shas)?;
    let mut fresh: Vec<Prepared> = Vec::with_capacity(batch.len());
    let mut in_batch: HashSet<String> = HashSet::new();
    for p in batch {
        if p.known || known.contains(&p.row.sha256) || !in_batch.insert(p.row.sha256.clone()) {
            report.duplicates += 1;
        } else {
            fresh.push(p);
        }
    }
    let mut staged = Vec::new();
    for p in &fresh {
        staged.push(store.archive().stage(&p.row.sha256, &p.raw)?);
    }
    store.archive().commit(staged)?;
    let inserted = store.insert_messages(fresh.iter().map(|p| &p.row), &now.to_rfc3339())?;
    // Another process may have stored some of these meanwhile: they count as already stored.
    report.duplicates += inserted.already;
    report.stored += inserted.ids.len();
    report.new_ids.extend(&inserted.ids);
    let mut to_read = Vec::new();
    for (p, id) in fresh.into_iter().zip(inserted.per_row) {
        let Some(id) = id else { continue };
        if p.row.error.is_some() {
            report.unreadable += 1;
        }
        if let (Some(inbound), ReadingState::Pending) = (p.inbound, p.row.reading) {
            to_read.push((
                ToRead {
                    id,
                    meta: Meta {
                        part_shas: p.row.attachments.iter().map(|a| a.sha256.clone()).collect(),
                        ..p.meta
                    },
                    inbound,
                },
                p.raw,
            ));
        }
    }
    Ok(to_read)
}

/// Reads the documents of every stored message in `state` (from the archive): [`Pending`]
/// ones an interrupted run left, or [`Slow`] ones with OCR and LibreOffice allowed, a few at a
/// time ([`crate::config::Limits::slow_readers`]). A message that a run did not survive reading
/// too often is quarantined instead of being tried for ever.
///
/// [`Pending`]: ReadingState::Pending
/// [`Slow`]: ReadingState::Slow
pub fn read_stored(
    store: &mut Store,
    rec: &Recogniser,
    now: DateTime<FixedOffset>,
    state: ReadingState,
) -> store::Result<Report> {
    let mut report = Report::default();
    let waiting = store.messages_in_reading(state)?;
    if waiting.is_empty() {
        return Ok(report);
    }
    let limits = rec.config().limits.reader();
    let mut jobs: Vec<(i64, Meta)> = Vec::new();
    for id in waiting {
        let Some(m) = store.message(id)? else {
            continue;
        };
        let internal_date = (m.received_from.as_deref() == Some("internal_date"))
            .then(|| {
                m.received_at
                    .as_deref()
                    .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            })
            .flatten();
        jobs.push((
            id,
            Meta {
                sha: m.sha256,
                size: m.size,
                source: m.source,
                internal_date,
                part_shas: Vec::new(),
                finds: MailFinds::default(),
            },
        ));
    }
    let threads = if state == ReadingState::Slow {
        rec.config().limits.slow_readers as usize
    } else {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2)
            .clamp(1, 8)
    };
    let slow = state == ReadingState::Slow;
    let temp = temp_root(store)?;
    let archive = store.archive().clone();
    // Jobs are handed over one at a time, as readers become free: a message's attempt is
    // counted only when its reading really begins.
    let (job_tx, job_rx) = crossbeam_channel::bounded::<(i64, Meta)>(threads);
    let (tx, rx) = crossbeam_channel::bounded::<(i64, Option<NewMessage>)>(threads * 2);
    let result = std::thread::scope(|s| -> store::Result<()> {
        for _ in 0..threads {
            let rx = job_rx.clone();
            let tx = tx.clone();
            let archive = archive.clone();
            let mut client = Client::new(Some(&temp), limits.clone());
            s.spawn(move || {
                for (id, meta) in rx {
                    let row = archive.read(&meta.sha).ok().and_then(|raw| {
                        std::panic::catch_unwind(AssertUnwindSafe(|| {
                            let inb = message::parse(&raw, &rec.config().limits).ok()?;
                            Some(read_message(
                                &mut client,
                                &raw,
                                &meta,
                                &inb,
                                rec,
                                now,
                                slow,
                                FiguresTo::Row,
                            ))
                        }))
                        .unwrap_or_else(|p| Some(internal_error_row(&meta, now, &panic_text(&*p))))
                    });
                    if tx.send((id, row)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        drop(job_rx);
        let mut updates = Updates {
            rows: Vec::new(),
            since: None,
        };
        let mut jobs = jobs.into_iter().peekable();
        let mut job_tx = Some(job_tx);
        let mut in_flight = 0usize;
        loop {
            while let Some(sender) = job_tx.as_ref()
                && !sender.is_full()
            {
                let Some((id, meta)) = jobs.next() else {
                    // Everything handed over: the readers end when their queue is empty.
                    job_tx = None;
                    break;
                };
                if state == ReadingState::Pending {
                    // Counted before reading: if reading this message takes the whole process
                    // down, the count survives and the message is eventually set aside.
                    let attempts = store.count_read_attempt(id)?;
                    if attempts > limits.retries + 4 {
                        store.quarantine(id, &t!("prob-quarantined"))?;
                        report.quarantined += 1;
                        continue;
                    }
                }
                if sender.send((id, meta)).is_err() {
                    break;
                }
                in_flight += 1;
            }
            if in_flight == 0 {
                if jobs.peek().is_none() {
                    break;
                }
                continue;
            }
            let Ok((id, row)) = rx.recv() else { break };
            in_flight -= 1;
            match row {
                Some(row) => updates.push((id, row)),
                // Not readable as mail any more (it was when stored): nothing more to read.
                None => updates
                    .flush(store, now, &mut report)
                    .and_then(|_| store.quarantine(id, &t!("prob-archive-unreadable")))?,
            }
            // Slow readings are few and long: each is recorded as soon as it is done.
            if slow || updates.due() {
                updates.flush(store, now, &mut report)?;
            }
        }
        drop(job_tx);
        updates.flush(store, now, &mut report)
    });
    result?;
    Ok(report)
}

/// Reads again every stored message whose reading hit an internal error, from the archive,
/// and replaces its register row when the reading now succeeds (staff decisions on the unit
/// and campaign are kept). Returns how many were read successfully this time.
pub fn reread_failed(
    store: &mut Store,
    rec: &Recogniser,
    now: DateTime<FixedOffset>,
) -> store::Result<usize> {
    let flagged = store.messages_flagged(&Flag::InternalError)?;
    if flagged.is_empty() {
        return Ok(0);
    }
    let temp = temp_root(store)?;
    let mut client = Client::new(Some(&temp), rec.config().limits.reader());
    let mut fixed = 0;
    for m in flagged {
        let raw = store.archive().read(&m.sha256)?;
        let internal_date = (m.received_from.as_deref() == Some("internal_date"))
            .then(|| {
                m.received_at
                    .as_deref()
                    .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            })
            .flatten();
        let mut meta = Meta {
            sha: m.sha256.clone(),
            size: raw.len() as u64,
            source: m.source.clone(),
            internal_date,
            part_shas: Vec::new(),
            finds: MailFinds::default(),
        };
        let row = std::panic::catch_unwind(AssertUnwindSafe(|| {
            let (quick, inb) = quick_row(&raw, &mut meta, rec, now);
            match inb {
                Some(inb) if quick.reading == ReadingState::Pending => read_message(
                    &mut client,
                    &raw,
                    &meta,
                    &inb,
                    rec,
                    now,
                    true,
                    FiguresTo::Row,
                ),
                _ => quick,
            }
        }))
        .unwrap_or_else(|p| internal_error_row(&meta, now, &panic_text(&*p)));
        if row.flags.contains(&Flag::InternalError) {
            continue;
        }
        store.replace_reading(m.id, &row, &now.to_rfc3339())?;
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
        ProgressStyle::with_template(&t!("ingest-progress"))
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    pb
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A store with the shipped units and a recogniser over the shipped config.
    fn setup() -> (tempfile::TempDir, Store, Arc<Recogniser>) {
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
        (dir, store, rec)
    }

    fn ingest_one(store: &mut Store, rec: &Arc<Recogniser>, raw: &[u8]) -> store::MessageRow {
        let now = DateTime::parse_from_rfc3339("2023-01-28T08:00:00+07:00").expect("time");
        let raw = raw.to_vec();
        let r = run(
            store,
            Arc::clone(rec),
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
        store.message(r.new_ids[0]).expect("q").expect("row")
    }

    /// One run over the demo mail: the figures of each unit's newest distinct report are
    /// stored with its reading; a report superseded in the same run (THPT Lộc Thanh's first
    /// report, corrected a week later) and an identical resend (Lộc Bắc's) get none, since
    /// nothing shows their figures (the console reads them from the archive if one ever counts).
    #[test]
    fn figures_are_stored_for_each_units_newest_report_of_the_run() {
        let (_dir, mut store, rec) = setup();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("demo/mail");
        let mut files: Vec<_> = std::fs::read_dir(&root)
            .expect("demo mail")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        files.sort();
        let now = DateTime::parse_from_rfc3339("2023-02-03T08:00:00+07:00").expect("time");
        run(
            &mut store,
            Arc::clone(&rec),
            now,
            &ProgressBar::hidden(),
            |sink| {
                for f in &files {
                    sink(Fetched {
                        raw: std::fs::read(f).expect("read"),
                        origin: f.display().to_string(),
                        internal_date: None,
                    });
                }
            },
        )
        .expect("ingest");
        let messages = store.messages().expect("messages");
        let figures_of = |file: &str| -> Vec<bool> {
            let m = messages
                .iter()
                .find(|m| m.source.ends_with(file))
                .unwrap_or_else(|| panic!("{file} stored"));
            m.attachments
                .iter()
                .filter(|a| a.items.iter().any(|i| i == "report"))
                .map(|a| {
                    store
                        .stored_figures(&m.sha256, &a.path)
                        .expect("db")
                        .is_some_and(|f| f.contains("\"values\""))
                })
                .collect()
        };
        assert_eq!(figures_of("07-thpt-loc-thanh.eml"), vec![false]);
        assert_eq!(figures_of("08-thpt-loc-thanh-sua.eml"), vec![true]);
        assert_eq!(figures_of("10-loc-bac.eml"), vec![true]);
        assert_eq!(figures_of("11-loc-bac-resend.eml"), vec![false]);
        for file in ["01-loc-thanh.eml", "02-loc-an.eml", "05-quan-su-late.eml"] {
            assert_eq!(figures_of(file), vec![true], "{file}");
        }
        // Two report files in one mail: the .docx is the unit's newest read report; the scan
        // waits for OCR, and its figures are taken when it is read.
        assert_eq!(figures_of("06-phong-gd.eml").len(), 2);
        assert!(figures_of("06-phong-gd.eml").contains(&true));
        // Without a known unit there is no "newest of its unit": taken at once.
        assert_eq!(figures_of("12-unidentifiable.eml"), vec![true]);
    }

    #[test]
    fn a_receipt_time_no_server_could_write_is_flagged_and_passed_over() {
        let (_d, mut store, rec) = setup();
        let m = ingest_one(
            &mut store,
            &rec,
            b"Received: from x by mx.huyenuy.test; Sat, 27 Jan 2091 09:00:00 +0700\r\n\
Received: from y by relay.example; Fri, 27 Jan 2023 09:00:00 +0700\r\n\
From: <dangUyLocAn@gmail.com>\r\nSubject: bao cao\r\nMessage-ID: <future-1@example>\r\n\
Date: Fri, 27 Jan 2023 09:00:00 +0700\r\n\r\nKinh gui.\r\n",
        );
        assert!(m.flags.contains(&Flag::ImplausibleTime), "{m:?}");
        assert!(
            m.problems.iter().any(|p| p.contains("27/01/2091")),
            "{:?}",
            m.problems
        );
        assert_ne!(m.received_at.as_deref(), Some("2091-01-27T09:00:00+07:00"));
        assert!(m.received_ts.is_some_and(|t| t < 4_000_000_000));
    }

    #[test]
    fn the_body_excerpt_keeps_the_first_two_thousand_characters_whole() {
        let (_d, mut store, rec) = setup();
        // Three bytes a character in UTF-8: a cut by bytes would split one.
        let body = "ệ".repeat(1999) + "ab" + &"ữ".repeat(500);
        let raw = format!(
            "From: <dangUyLocAn@gmail.com>\r\nSubject: dai\r\nMessage-ID: <long-1@example>\r\n\
Date: Fri, 27 Jan 2023 09:00:00 +0700\r\nContent-Type: text/plain; charset=utf-8\r\n\
Content-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n"
        );
        let m = ingest_one(&mut store, &rec, raw.as_bytes());
        assert_eq!(m.body_excerpt.chars().count(), 2000);
        assert_eq!(m.body_excerpt, "ệ".repeat(1999) + "a");
    }

    #[test]
    fn a_mail_without_a_sender_is_not_attributed_by_its_subject() {
        let (_d, mut store, rec) = setup();
        let m = ingest_one(
            &mut store,
            &rec,
            "Subject: Đảng ủy xã Lộc An gửi báo cáo\r\nMessage-ID: <nofrom-1@example>\r\n\
Date: Fri, 27 Jan 2023 09:00:00 +0700\r\n\r\nKinh gui.\r\n"
                .as_bytes(),
        );
        assert_eq!(m.unit_id, None, "{m:?}");
        assert!(
            m.problems.iter().any(|p| p.contains("From")),
            "{:?}",
            m.problems
        );
        // With a sender, the same subject names the unit.
        let m = ingest_one(
            &mut store,
            &rec,
            "From: <someone@example.vn>\r\nSubject: Đảng ủy xã Lộc An gửi báo cáo\r\n\
Message-ID: <withfrom-1@example>\r\nDate: Fri, 27 Jan 2023 09:00:00 +0700\r\n\r\nKinh gui.\r\n"
                .as_bytes(),
        );
        assert_eq!(m.unit_id.as_deref(), Some("loc-an"));
    }

    #[test]
    fn a_message_that_hit_an_internal_error_is_read_again_and_replaced() {
        let (_dir, mut store, rec) = setup();
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
            flags: vec![Flag::InternalError],
            ..Default::default()
        };
        store
            .replace_reading(id, &broken, "2023-01-28T08:00:00+07:00")
            .expect("break");
        assert_eq!(
            store
                .messages_flagged(&Flag::InternalError)
                .expect("q")
                .len(),
            1
        );
        assert_eq!(reread_failed(&mut store, &rec, now).expect("reread"), 1);
        let again = store.find_message("reread-1@example").expect("row");
        assert_eq!(again.error, None);
        assert_eq!(again.subject, good.subject);
        assert_eq!(again.unit_id.as_deref(), Some("loc-an"));
        assert!(
            store
                .messages_flagged(&Flag::InternalError)
                .expect("q")
                .is_empty()
        );
        // Nothing left to do on the next pass.
        assert_eq!(reread_failed(&mut store, &rec, now).expect("reread"), 0);
    }
}
