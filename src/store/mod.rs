//! The store: the register database (SQLite, WAL, versioned migrations) and the raw-mail
//! archive, from which attachments are read back when needed. Every SQL statement of the
//! program lives in this module.

pub mod accounts;
mod archive;
mod console;
mod error;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

pub use archive::{Archive, Staged, hex, sha256_hex};
pub use error::{Error, Result};

use crate::config::Unit;

const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_init.sql"),
    include_str!("migrations/0002_documents.sql"),
    include_str!("migrations/0003_imap.sql"),
    include_str!("migrations/0004_outbox.sql"),
    include_str!("migrations/0005_notify.sql"),
    include_str!("migrations/0006_reading.sql"),
    include_str!("migrations/0008_web.sql"),
];

/// How far the reading of a message's documents has come (store first, read after).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadingState {
    /// Archived and recorded; its documents are not read yet.
    Pending,
    /// Read, but a scan or an old format still waits for OCR or LibreOffice.
    Slow,
    /// Read (or nothing to read).
    #[default]
    Done,
    /// Reading crashed, ran out of memory or time too often: left for staff.
    Quarantined,
}

impl ReadingState {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            ReadingState::Pending => "pending",
            ReadingState::Slow => "slow",
            ReadingState::Done => "done",
            ReadingState::Quarantined => "quarantined",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "pending" => ReadingState::Pending,
            "slow" => ReadingState::Slow,
            "quarantined" => ReadingState::Quarantined,
            _ => ReadingState::Done,
        }
    }
}

/// Which messages [`Store::messages_page`] returns.
#[derive(Debug, Clone, Default)]
pub struct MessageFilter {
    /// Only rows with a larger id.
    pub after: Option<i64>,
    /// Only this unit.
    pub unit: Option<String>,
    /// Only this campaign.
    pub campaign: Option<String>,
    /// At most this many.
    pub limit: usize,
}

/// Flag of a message whose reading failed too often (crash, memory, time): left for staff.
pub const QUARANTINED: &str = "quarantined";

/// A read-only connection for hash look-ups ([`Store::hash_checker`]).
pub struct HashChecker {
    conn: Connection,
    path: PathBuf,
}

impl HashChecker {
    /// Whether a message with these raw bytes is stored.
    pub fn known(&self, sha: &str) -> Result<bool> {
        self.conn
            .prepare_cached("SELECT 1 FROM messages WHERE sha256 = ?1")
            .and_then(|mut st| st.exists([sha]))
            .map_err(|source| Error::Db {
                path: self.path.clone(),
                source,
            })
    }
}

/// What [`Store::insert_messages`] did.
#[derive(Debug, Clone, Default)]
pub struct Inserted {
    /// Row ids of the messages recorded.
    pub ids: Vec<i64>,
    /// Messages another writer had recorded first (same bytes): nothing written for them.
    pub already: usize,
    /// For each message of the batch, in order: its new row id, or None when it was already there.
    pub per_row: Vec<Option<i64>>,
}

/// A message ready to be recorded.
#[derive(Debug, Clone, Default)]
pub struct NewMessage {
    /// SHA-256 of the raw bytes.
    pub sha256: String,
    /// Raw size.
    pub size: u64,
    /// Where it came from.
    pub source: String,
    /// Message-ID header (or None).
    pub message_id: Option<String>,
    /// Sender address.
    pub from_addr: Option<String>,
    /// Sender name.
    pub from_name: Option<String>,
    /// Subject.
    pub subject: String,
    /// Start of the body text.
    pub body_excerpt: String,
    /// Date header, RFC 3339.
    pub date_header: Option<String>,
    /// The time that counts, RFC 3339.
    pub received_at: Option<String>,
    /// Same as unix seconds.
    pub received_ts: Option<i64>,
    /// Which clock gave `received_at`.
    pub received_from: Option<String>,
    /// Recognised unit.
    pub unit_id: Option<String>,
    /// How the unit was recognised.
    pub identified_by: Option<String>,
    /// Recognised campaign.
    pub campaign_id: Option<String>,
    /// How the campaign was recognised.
    pub campaign_by: Option<String>,
    /// Flag names.
    pub flags: Vec<String>,
    /// Plain-language problems.
    pub problems: Vec<String>,
    /// Why it could not be read as mail.
    pub error: Option<String>,
    /// Its attachments.
    pub attachments: Vec<NewAttachment>,
    /// A bounce: addresses it says are undeliverable, with the server's reason; recorded as
    /// bad addresses in the same transaction as the message.
    pub bounced: Vec<(String, String)>,
    /// How far its documents have been read.
    pub reading: ReadingState,
}

/// An attachment ready to be recorded.
#[derive(Debug, Clone, Default, Serialize)]
pub struct NewAttachment {
    /// Decoded file name.
    pub name: String,
    /// Path inside zips/forwards.
    pub path: String,
    /// Declared Content-Type.
    pub content_type: String,
    /// Detected kind.
    pub kind: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the content.
    pub sha256: String,
    /// Items it was classified as.
    pub items: Vec<String>,
    /// How the items were decided.
    pub item_by: Option<String>,
    /// Why it cannot be read.
    pub error: Option<String>,
    /// What was read from it (JSON of `forms::Reading`), for documents.
    pub document: Option<String>,
}

/// A recorded message.
#[derive(Debug, Clone, Serialize)]
pub struct MessageRow {
    /// Row id.
    pub id: i64,
    /// Raw hash.
    pub sha256: String,
    /// Message-ID.
    pub message_id: String,
    /// Archive path (relative).
    pub archive_path: String,
    /// Size.
    pub size: u64,
    /// Source.
    pub source: String,
    /// When baocao stored it.
    pub ingested_at: String,
    /// Sender address.
    pub from_addr: Option<String>,
    /// Sender name.
    pub from_name: Option<String>,
    /// Subject.
    pub subject: String,
    /// Body excerpt.
    pub body_excerpt: String,
    /// Date header.
    pub date_header: Option<String>,
    /// The time that counts.
    pub received_at: Option<String>,
    /// Same, unix seconds.
    pub received_ts: Option<i64>,
    /// Which clock.
    pub received_from: Option<String>,
    /// Unit.
    pub unit_id: Option<String>,
    /// How.
    pub identified_by: Option<String>,
    /// Campaign.
    pub campaign_id: Option<String>,
    /// How.
    pub campaign_by: Option<String>,
    /// Row this one duplicates by Message-ID.
    pub duplicate_of: Option<i64>,
    /// Flags.
    pub flags: Vec<String>,
    /// Problems.
    pub problems: Vec<String>,
    /// Read error.
    pub error: Option<String>,
    /// How far its documents have been read.
    pub reading: ReadingState,
    /// Attachments.
    pub attachments: Vec<NewAttachment>,
}

/// A mail in the outbox.
#[derive(Debug, Clone)]
pub struct OutboxMail {
    /// Row id (0 before queueing).
    pub id: i64,
    /// Idempotency key: the same key is never queued twice.
    pub key: String,
    /// Envelope sender.
    pub env_from: String,
    /// Envelope recipients.
    pub env_to: Vec<String>,
    /// Subject, for listings.
    pub subject: String,
    /// The whole formatted message.
    pub raw: Vec<u8>,
    /// Attempts so far.
    pub attempts: i64,
    /// What it is and whom it concerns.
    pub meta: OutboxMeta,
}

/// What an outgoing mail is about.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OutboxMeta {
    /// receipt | reminder | digest | draft | test | other.
    pub kind: String,
    /// The campaign it concerns.
    pub campaign_id: Option<String>,
    /// The unit it concerns.
    pub unit_id: Option<String>,
    /// Receipts: the message's sha256; reminders: JSON array of the missing item ids.
    pub about: Option<String>,
    /// Our Message-ID (without brackets).
    pub mail_id: Option<String>,
}

/// One outgoing mail as staff see it in a listing.
#[derive(Debug, Clone, Serialize)]
pub struct OutboxEntry {
    /// Row id.
    pub id: i64,
    /// Idempotency key.
    pub key: String,
    /// When it was queued.
    pub created_at: String,
    /// Recipients.
    pub to: Vec<String>,
    /// Subject (as encoded in the header).
    pub subject: String,
    /// queued | sending | sent | failed | uncertain | cancelled.
    pub status: String,
    /// Attempts so far.
    pub attempts: i64,
    /// The last error.
    pub last_error: Option<String>,
    /// The server's reply on success.
    pub reply: Option<String>,
    /// When it was sent.
    pub sent_at: Option<String>,
    /// What it is about.
    #[serde(flatten)]
    pub meta: OutboxMeta,
}

/// An address a bounce said is undeliverable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BadAddress {
    /// The address (lowercase).
    pub address: String,
    /// When the bounce arrived.
    pub at: String,
    /// Status and diagnostic from the bounce.
    pub reason: String,
    /// The bounce message's row id.
    pub message: Option<i64>,
}

/// A paper hand-in or staff confirmation.
#[derive(Debug, Clone, Serialize)]
pub struct Mark {
    /// Campaign.
    pub campaign_id: String,
    /// Unit.
    pub unit_id: String,
    /// Item.
    pub item_id: String,
    /// When (RFC 3339).
    pub at: String,
    /// Unix seconds.
    pub at_ts: i64,
    /// Staff note.
    pub note: String,
}

/// The data dir: register, archive and extracted files.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    db_path: PathBuf,
    root: PathBuf,
    archive: Archive,
}

impl Store {
    /// Opens (creating) the store in `data_dir` and brings the schema up to date.
    pub fn open(data_dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(data_dir).map_err(|source| Error::Io {
            action: "cannot create the data folder",
            path: data_dir.to_path_buf(),
            source,
        })?;
        let db_path = data_dir.join("baocao.sqlite");
        let db = |source| Error::Db {
            path: db_path.clone(),
            source,
        };
        let conn = Connection::open(&db_path).map_err(db)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(db)?;
        // Switching a new database to WAL needs it to itself, and SQLite answers "locked" at
        // once rather than waiting: two processes opening a fresh data folder together (the
        // daemon starting while staff run a command) try again for the busy timeout.
        let started = std::time::Instant::now();
        loop {
            match conn
                .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0))
            {
                Ok(_) => break,
                Err(rusqlite::Error::SqliteFailure(e, _))
                    if matches!(
                        e.code,
                        rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                    ) && started.elapsed() < std::time::Duration::from_secs(10) =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                Err(e) => return Err(db(e)),
            }
        }
        // FULL: a committed batch survives power loss, which the IMAP flag step relies on.
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(db)?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(db)?;
        let mut store = Store {
            conn,
            db_path: db_path.clone(),
            root: data_dir.to_path_buf(),
            archive: Archive::open(data_dir.join("archive"))?,
        };
        store.migrate()?;
        Ok(store)
    }

    fn db(&self) -> impl Fn(rusqlite::Error) -> Error + '_ {
        move |source| Error::Db {
            path: self.db_path.clone(),
            source,
        }
    }

    fn migrate(&mut self) -> Result<()> {
        let version: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(self.db())?;
        let known = MIGRATIONS.len() as i64;
        if version > known {
            return Err(Error::TooNew {
                path: self.db_path.clone(),
                found: version,
                known,
            });
        }
        if version == known {
            return Ok(());
        }
        // Two processes may open a new data folder at once (the daemon and a command typed
        // meanwhile): take the write lock first, then read the version again under it.
        let db = |source| Error::Db {
            path: self.db_path.clone(),
            source,
        };
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(db)?;
        let version: i64 = tx
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(db)?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            tx.execute_batch(sql)
                .and_then(|_| tx.pragma_update(None, "user_version", (i + 1) as i64))
                .map_err(db)?;
        }
        tx.commit().map_err(db)
    }

    /// The data dir.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The raw-mail archive.
    pub fn archive(&self) -> &Archive {
        &self.archive
    }

    // ---- units ----

    /// Replaces the units registry.
    pub fn replace_units(&mut self, units: &[Unit], at: &str) -> Result<()> {
        let path = self.db_path.clone();
        let db = |source| Error::Db {
            path: path.clone(),
            source,
        };
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(db)?;
        tx.execute("DELETE FROM units", []).map_err(db)?;
        {
            let mut st = tx
                .prepare("INSERT INTO units (id, name, short_name, emails, kind, aliases) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                .map_err(db)?;
            for u in units {
                st.execute(params![
                    u.id,
                    u.name,
                    u.short_name,
                    json(&u.emails),
                    u.kind,
                    json(&u.aliases)
                ])
                .map_err(db)?;
            }
        }
        tx.execute(
            "INSERT INTO events (at, kind, message, detail) VALUES (?1, 'units_import', NULL, ?2)",
            params![at, format!("{} units", units.len())],
        )
        .map_err(db)?;
        tx.commit().map_err(db)
    }

    /// The units registry, by id.
    pub fn units(&self) -> Result<Vec<Unit>> {
        let mut st = self
            .conn
            .prepare("SELECT id, name, short_name, emails, kind, aliases FROM units ORDER BY rowid")
            .map_err(self.db())?;
        let rows = st
            .query_map([], |r| {
                Ok(Unit {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    short_name: r.get(2)?,
                    emails: from_json(&r.get::<_, String>(3)?),
                    kind: r.get(4)?,
                    aliases: from_json(&r.get::<_, String>(5)?),
                })
            })
            .map_err(self.db())?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.db())
    }

    // ---- messages ----

    /// Which of these raw hashes are already recorded.
    pub fn known_hashes(&self, shas: &[&str]) -> Result<HashSet<String>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT 1 FROM messages WHERE sha256 = ?1")
            .map_err(self.db())?;
        let mut out = HashSet::new();
        for s in shas {
            if st.exists([s]).map_err(self.db())? {
                out.insert((*s).to_string());
            }
        }
        Ok(out)
    }

    /// A read-only connection that answers "is this raw hash stored?" from another thread, so
    /// mail already archived costs only its hashing (no parsing, no reading).
    pub fn hash_checker(&self) -> Result<HashChecker> {
        let conn = Connection::open_with_flags(
            &self.db_path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(self.db())?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(self.db())?;
        Ok(HashChecker {
            conn,
            path: self.db_path.clone(),
        })
    }

    /// Sets message `id` aside for staff: its reading failed too often. The reason is added to
    /// its problems and the `quarantined` flag set.
    pub fn quarantine(&mut self, id: i64, reason: &str) -> Result<()> {
        let Some(m) = self.message(id)? else {
            return Ok(());
        };
        let mut flags = m.flags;
        if !flags.iter().any(|f| f == QUARANTINED) {
            flags.push(QUARANTINED.into());
        }
        let mut problems = m.problems;
        problems.push(reason.to_string());
        self.conn
            .execute(
                "UPDATE messages SET reading = 'quarantined', flags = ?2, problems = ?3 WHERE id = ?1",
                params![id, json(&flags), json(&problems)],
            )
            .map_err(self.db())?;
        Ok(())
    }

    /// The first recorded message with this Message-ID.
    pub fn message_by_header_id(&self, message_id: &str) -> Result<Option<i64>> {
        self.conn
            .prepare_cached("SELECT id FROM messages WHERE message_id = ?1 ORDER BY id LIMIT 1")
            .and_then(|mut st| st.query_row([message_id], |r| r.get(0)).optional())
            .map_err(self.db())
    }

    /// Records a batch of messages in one transaction; their archive files must already be
    /// committed. Returns the row ids. A message whose Message-ID is already recorded with
    /// other bytes is stored with `duplicate_of` set.
    pub fn insert_messages(&mut self, batch: &[NewMessage], ingested_at: &str) -> Result<Inserted> {
        let path = self.db_path.clone();
        let db = |source| Error::Db {
            path: path.clone(),
            source,
        };
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(db)?;
        let mut out = Inserted::default();
        {
            let mut find = tx
                .prepare_cached("SELECT id FROM messages WHERE message_id = ?1 ORDER BY id LIMIT 1")
                .map_err(db)?;
            let mut ins = tx
                .prepare_cached(
                    "INSERT INTO messages (sha256, message_id, archive_path, size, source, ingested_at,
                        from_addr, from_name, subject, body_excerpt, date_header, received_at, received_ts,
                        received_from, unit_id, identified_by, campaign_id, campaign_by, duplicate_of,
                        flags, problems, error, reading)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                        ?18, ?19, ?20, ?21, ?22, ?23)
                     ON CONFLICT (sha256) DO NOTHING",
                )
                .map_err(db)?;
            for m in batch {
                let mid = m
                    .message_id
                    .clone()
                    .unwrap_or_else(|| format!("sha256:{}", m.sha256));
                let dup: Option<i64> = find
                    .query_row([&mid], |r| r.get(0))
                    .optional()
                    .map_err(db)?;
                let mut flags = m.flags.clone();
                if dup.is_some() {
                    flags.push("duplicate_message_id".into());
                }
                let n = ins
                    .execute(params![
                        m.sha256,
                        mid,
                        Archive::relative_path(&m.sha256),
                        m.size as i64,
                        m.source,
                        ingested_at,
                        m.from_addr,
                        m.from_name,
                        m.subject,
                        m.body_excerpt,
                        m.date_header,
                        m.received_at,
                        m.received_ts,
                        m.received_from,
                        m.unit_id,
                        m.identified_by,
                        m.campaign_id,
                        m.campaign_by,
                        dup,
                        json(&flags),
                        json(&m.problems),
                        m.error,
                        m.reading.as_str(),
                    ])
                    .map_err(db)?;
                if n == 0 {
                    // Another process stored the same bytes between our check and this insert.
                    out.already += 1;
                    out.per_row.push(None);
                    continue;
                }
                let id = tx.last_insert_rowid();
                for (i, a) in m.attachments.iter().enumerate() {
                    insert_attachment(&tx, id, i, a, &json(&a.items), a.item_by.as_deref())
                        .map_err(db)?;
                }
                insert_bad_addresses(&tx, id, m, ingested_at).map_err(db)?;
                out.ids.push(id);
                out.per_row.push(Some(id));
            }
        }
        tx.commit().map_err(db)?;
        Ok(out)
    }

    /// Every message, oldest arrival first, with attachments.
    pub fn messages(&self) -> Result<Vec<MessageRow>> {
        self.query_messages("1 = 1", &[])
    }

    /// Messages recorded for a campaign (duplicates excluded).
    pub fn campaign_messages(&self, campaign: &str) -> Result<Vec<MessageRow>> {
        self.query_messages(
            "campaign_id = ?1 AND duplicate_of IS NULL AND error IS NULL",
            &[&campaign],
        )
    }

    /// One message by Message-ID (with or without angle brackets), row id, or hash prefix.
    pub fn find_message(&self, key: &str) -> Result<MessageRow> {
        let k = key.trim().trim_matches(['<', '>']);
        let by_mid = self.query_messages("message_id = ?1", &[&k])?;
        if let Some(m) = by_mid.into_iter().next() {
            return Ok(m);
        }
        if let Ok(id) = k.parse::<i64>()
            && let Some(m) = self.query_messages("id = ?1", &[&id])?.into_iter().next()
        {
            return Ok(m);
        }
        if k.len() >= 8 && k.chars().all(|c| c.is_ascii_hexdigit()) {
            let pat = format!("{}%", k.to_ascii_lowercase());
            let mut v = self.query_messages("sha256 LIKE ?1", &[&pat])?;
            if v.len() == 1
                && let Some(m) = v.pop()
            {
                return Ok(m);
            }
        }
        Err(Error::NotFound(format!(
            "no message {key:?} in the register; `baocao messages` lists their Message-IDs"
        )))
    }

    /// One page of messages in row-id order (the ids `assign` and the console take), after
    /// `filter.after`, at most `filter.limit`: memory stays flat however large the register.
    pub fn messages_page(&self, filter: &MessageFilter) -> Result<Vec<MessageRow>> {
        let after = filter.after.unwrap_or(0);
        let limit = i64::try_from(filter.limit).unwrap_or(i64::MAX);
        self.query_messages_in(
            "id > ?1 AND (?2 IS NULL OR unit_id = ?2) AND (?3 IS NULL OR campaign_id = ?3)",
            "id LIMIT ?4",
            &[&after, &filter.unit, &filter.campaign, &limit],
        )
    }

    fn query_messages(&self, cond: &str, args: &[&dyn rusqlite::ToSql]) -> Result<Vec<MessageRow>> {
        self.query_messages_in(cond, "received_ts IS NULL, received_ts, id", args)
    }

    fn query_messages_in(
        &self,
        cond: &str,
        order: &str,
        args: &[&dyn rusqlite::ToSql],
    ) -> Result<Vec<MessageRow>> {
        let sql = format!(
            "SELECT id, sha256, message_id, archive_path, size, source, ingested_at, from_addr, from_name,
                subject, body_excerpt, date_header, received_at, received_ts, received_from, unit_id,
                identified_by, campaign_id, campaign_by, duplicate_of, flags, problems, error, reading
             FROM messages WHERE {cond} ORDER BY {order}"
        );
        let mut st = self.conn.prepare(&sql).map_err(self.db())?;
        let rows = st
            .query_map(args, |r| {
                Ok(MessageRow {
                    id: r.get(0)?,
                    sha256: r.get(1)?,
                    message_id: r.get(2)?,
                    archive_path: r.get(3)?,
                    size: r.get::<_, i64>(4)? as u64,
                    source: r.get(5)?,
                    ingested_at: r.get(6)?,
                    from_addr: r.get(7)?,
                    from_name: r.get(8)?,
                    subject: r.get(9)?,
                    body_excerpt: r.get(10)?,
                    date_header: r.get(11)?,
                    received_at: r.get(12)?,
                    received_ts: r.get(13)?,
                    received_from: r.get(14)?,
                    unit_id: r.get(15)?,
                    identified_by: r.get(16)?,
                    campaign_id: r.get(17)?,
                    campaign_by: r.get(18)?,
                    duplicate_of: r.get(19)?,
                    flags: from_json(&r.get::<_, String>(20)?),
                    problems: from_json(&r.get::<_, String>(21)?),
                    error: r.get(22)?,
                    reading: ReadingState::parse(&r.get::<_, String>(23)?),
                    attachments: Vec::new(),
                })
            })
            .map_err(self.db())?;
        let mut out = rows
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.db())?;
        let mut att = self
            .conn
            .prepare_cached(
                "SELECT name, path, content_type, kind, size, sha256, items, item_by, error, document
                 FROM attachments WHERE message = ?1 ORDER BY idx",
            )
            .map_err(self.db())?;
        for m in &mut out {
            let rows = att
                .query_map([m.id], |r| {
                    Ok(NewAttachment {
                        name: r.get(0)?,
                        path: r.get(1)?,
                        content_type: r.get(2)?,
                        kind: r.get(3)?,
                        size: r.get::<_, i64>(4)? as u64,
                        sha256: r.get(5)?,
                        items: from_json(&r.get::<_, String>(6)?),
                        item_by: r.get(7)?,
                        error: r.get(8)?,
                        document: r.get(9)?,
                    })
                })
                .map_err(self.db())?;
            m.attachments = rows
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(self.db())?;
        }
        Ok(out)
    }

    /// Staff decision: this message is from `unit` (and, if given, answers `campaign`).
    pub fn assign(&mut self, id: i64, unit: &str, campaign: Option<&str>, at: &str) -> Result<()> {
        let path = self.db_path.clone();
        let db = |source| Error::Db {
            path: path.clone(),
            source,
        };
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(db)?;
        tx.execute(
            "UPDATE messages SET unit_id = ?2, identified_by = 'staff' WHERE id = ?1",
            params![id, unit],
        )
        .map_err(db)?;
        if let Some(c) = campaign {
            tx.execute(
                "UPDATE messages SET campaign_id = ?2, campaign_by = 'staff' WHERE id = ?1",
                params![id, c],
            )
            .map_err(db)?;
        }
        tx.execute(
            "INSERT INTO events (at, kind, message, detail) VALUES (?1, 'assign', ?2, ?3)",
            params![
                at,
                id,
                format!("unit={unit} campaign={}", campaign.unwrap_or("-"))
            ],
        )
        .map_err(db)?;
        tx.commit().map_err(db)
    }

    /// The message with row id `id`.
    pub fn message(&self, id: i64) -> Result<Option<MessageRow>> {
        Ok(self.query_messages("id = ?1", &[&id])?.into_iter().next())
    }

    /// Messages carrying `flag`, oldest first.
    pub fn messages_flagged(&self, flag: &str) -> Result<Vec<MessageRow>> {
        let pattern = format!("%{}%", json(&flag));
        self.query_messages("flags LIKE ?1", &[&pattern])
    }

    /// Replaces what was read from message `id` (after a successful re-read): sender, subject,
    /// times, recognition, attachments. Staff decisions (unit, campaign, an attachment's
    /// items) are kept; the message's identity (hash, Message-ID, archive) never changes.
    pub fn replace_reading(&mut self, id: i64, m: &NewMessage, at: &str) -> Result<()> {
        let path = self.db_path.clone();
        let db = |source| Error::Db {
            path: path.clone(),
            source,
        };
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(db)?;
        update_reading(&tx, id, m, at).map_err(db)?;
        tx.execute(
            "INSERT INTO events (at, kind, message, detail) VALUES (?1, 'reread', ?2, ?3)",
            params![at, id, "read again successfully after an internal error"],
        )
        .map_err(db)?;
        tx.commit().map_err(db)
    }

    /// Records what the reading of these messages found (one transaction): like
    /// [`Store::replace_reading`], with each row's new [`ReadingState`].
    pub fn record_readings(&mut self, batch: &[(i64, NewMessage)], at: &str) -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let path = self.db_path.clone();
        let db = |source| Error::Db {
            path: path.clone(),
            source,
        };
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(db)?;
        for (id, m) in batch {
            update_reading(&tx, *id, m, at).map_err(db)?;
        }
        tx.commit().map_err(db)
    }

    /// Messages whose reading is in `state`, oldest first: (row id, read attempts so far).
    pub fn messages_in_reading(&self, state: ReadingState) -> Result<Vec<(i64, u32)>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT id, read_attempts FROM messages WHERE reading = ?1 ORDER BY id")
            .map_err(self.db())?;
        let rows = st
            .query_map([state.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(self.db())?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.db())
    }

    /// Counts one more reading attempt of message `id` that the reader did not survive; called
    /// before a retry, so a reader that takes the whole process down still moves towards
    /// quarantine.
    pub fn count_read_attempt(&mut self, id: i64) -> Result<u32> {
        self.conn
            .query_row(
                "UPDATE messages SET read_attempts = read_attempts + 1 WHERE id = ?1
                 RETURNING read_attempts",
                [id],
                |r| r.get(0),
            )
            .map_err(self.db())
    }

    /// Staff decision: the attachments of message `id` at these indexes are these items.
    pub fn set_attachment_items(&mut self, id: i64, idx: usize, items: &[String]) -> Result<()> {
        self.conn
            .execute(
                "UPDATE attachments SET items = ?3, item_by = 'staff' WHERE message = ?1 AND idx = ?2",
                params![id, idx as i64, json(items)],
            )
            .map_err(self.db())?;
        Ok(())
    }

    /// Records (or replaces) a paper hand-in.
    pub fn mark(&mut self, m: &Mark) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO marks (campaign_id, unit_id, item_id, at, at_ts, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (campaign_id, unit_id, item_id) DO UPDATE SET at = ?4, at_ts = ?5, note = ?6",
                params![m.campaign_id, m.unit_id, m.item_id, m.at, m.at_ts, m.note],
            )
            .and_then(|_| {
                self.conn.execute(
                    "INSERT INTO events (at, kind, message, detail) VALUES (?1, 'mark', NULL, ?2)",
                    params![m.at, format!("{} {} {} {}", m.campaign_id, m.unit_id, m.item_id, m.note)],
                )
            })
            .map_err(self.db())?;
        Ok(())
    }

    /// Paper hand-ins of a campaign.
    pub fn marks(&self, campaign: &str) -> Result<Vec<Mark>> {
        let mut st = self
            .conn
            .prepare("SELECT campaign_id, unit_id, item_id, at, at_ts, note FROM marks WHERE campaign_id = ?1")
            .map_err(self.db())?;
        let rows = st
            .query_map([campaign], |r| {
                Ok(Mark {
                    campaign_id: r.get(0)?,
                    unit_id: r.get(1)?,
                    item_id: r.get(2)?,
                    at: r.get(3)?,
                    at_ts: r.get(4)?,
                    note: r.get(5)?,
                })
            })
            .map_err(self.db())?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.db())
    }

    /// Where `folder` of `account` was read up to: `(uidvalidity, last_uid)`.
    pub fn imap_state(&self, account: &str, folder: &str) -> Result<Option<(u32, u32)>> {
        self.conn
            .query_row(
                "SELECT uidvalidity, last_uid FROM imap_state WHERE account = ?1 AND folder = ?2",
                params![account, folder],
                |r| Ok((r.get::<_, i64>(0)? as u32, r.get::<_, i64>(1)? as u32)),
            )
            .optional()
            .map_err(self.db())
    }

    /// Records that `folder` was read (stored and flagged) up to `last_uid`.
    pub fn set_imap_state(
        &mut self,
        account: &str,
        folder: &str,
        uidvalidity: u32,
        last_uid: u32,
    ) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO imap_state (account, folder, uidvalidity, last_uid) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (account, folder) DO UPDATE SET uidvalidity = ?3, last_uid = ?4",
                params![account, folder, i64::from(uidvalidity), i64::from(last_uid)],
            )
            .map_err(self.db())?;
        Ok(())
    }

    /// Records something staff should know that happened to the mailbox or the register.
    pub fn log_event(&mut self, at: &str, kind: &str, detail: &str) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO events (at, kind, message, detail) VALUES (?1, ?2, NULL, ?3)",
                params![at, kind, detail],
            )
            .map_err(self.db())?;
        Ok(())
    }

    /// Marks a queued mail as not to be sent (a reminder whose unit completed meanwhile).
    pub fn outbox_cancel(&mut self, id: i64, why: &str, at: &str) -> Result<()> {
        self.conn
            .execute(
                "UPDATE outbox SET status = 'cancelled', last_error = ?2, sent_at = NULL, reply = ?3
                 WHERE id = ?1 AND status IN ('queued', 'sending')",
                params![id, why, format!("cancelled at {at}")],
            )
            .map_err(self.db())?;
        Ok(())
    }

    /// Outgoing mail, oldest first, optionally only of one kind / campaign / unit.
    pub fn outbox_entries(
        &self,
        kind: Option<&str>,
        campaign: Option<&str>,
        unit: Option<&str>,
    ) -> Result<Vec<OutboxEntry>> {
        let mut st = self
            .conn
            .prepare(
                "SELECT id, key, created_at, env_to, subject, status, attempts, last_error, reply, sent_at,
                    kind, campaign_id, unit_id, about, mail_id
                 FROM outbox
                 WHERE (?1 IS NULL OR kind = ?1) AND (?2 IS NULL OR campaign_id = ?2) AND (?3 IS NULL OR unit_id = ?3)
                 ORDER BY id",
            )
            .map_err(self.db())?;
        let rows = st
            .query_map(params![kind, campaign, unit], |r| {
                Ok(OutboxEntry {
                    id: r.get(0)?,
                    key: r.get(1)?,
                    created_at: r.get(2)?,
                    to: from_json(&r.get::<_, String>(3)?),
                    subject: r.get(4)?,
                    status: r.get(5)?,
                    attempts: r.get(6)?,
                    last_error: r.get(7)?,
                    reply: r.get(8)?,
                    sent_at: r.get(9)?,
                    meta: outbox_meta(r, 10)?,
                })
            })
            .map_err(self.db())?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.db())
    }

    /// Records an undeliverable address (the newest bounce wins).
    pub fn add_bad_address(&mut self, b: &BadAddress) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO bad_addresses (address, at, reason, message) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (address) DO UPDATE SET at = ?2, reason = ?3, message = ?4",
                params![b.address.to_lowercase(), b.at, b.reason, b.message],
            )
            .map_err(self.db())?;
        Ok(())
    }

    /// Forgets a bad address (staff fixed it, or it works again).
    pub fn remove_bad_address(&mut self, address: &str) -> Result<bool> {
        let n = self
            .conn
            .execute(
                "DELETE FROM bad_addresses WHERE address = ?1",
                [address.to_lowercase()],
            )
            .map_err(self.db())?;
        Ok(n > 0)
    }

    /// Every address known to be undeliverable.
    pub fn bad_addresses(&self) -> Result<Vec<BadAddress>> {
        let mut st = self
            .conn
            .prepare("SELECT address, at, reason, message FROM bad_addresses ORDER BY address")
            .map_err(self.db())?;
        let rows = st
            .query_map([], |r| {
                Ok(BadAddress {
                    address: r.get(0)?,
                    at: r.get(1)?,
                    reason: r.get(2)?,
                    message: r.get(3)?,
                })
            })
            .map_err(self.db())?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.db())
    }

    /// The addresses a bounce received by `now` said are undeliverable: the register is as of
    /// `--now`, and so is what it knows of addresses.
    pub fn bad_addresses_at(
        &self,
        now: chrono::DateTime<chrono::FixedOffset>,
    ) -> Result<Vec<BadAddress>> {
        Ok(self
            .bad_addresses()?
            .into_iter()
            .filter(|b| chrono::DateTime::parse_from_rfc3339(&b.at).map_or(true, |t| t <= now))
            .collect())
    }

    /// How far schedule `name` was carried out: `(at, unix seconds)`.
    pub fn schedule_done(&self, name: &str) -> Result<Option<(String, i64)>> {
        self.conn
            .query_row(
                "SELECT done_at, done_ts FROM schedule_state WHERE name = ?1",
                [name],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(self.db())
    }

    /// Records that schedule `name` was carried out up to `at`.
    pub fn set_schedule_done(&mut self, name: &str, at: &str, ts: i64) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO schedule_state (name, done_at, done_ts) VALUES (?1, ?2, ?3)
                 ON CONFLICT (name) DO UPDATE SET done_at = ?2, done_ts = ?3",
                params![name, at, ts],
            )
            .map_err(self.db())?;
        Ok(())
    }

    /// The mailbox problem staff must see: the last poll failure, unless a poll succeeded
    /// after it. `(at, detail)`.
    pub fn mailbox_problem(&self) -> Result<Option<(String, String)>> {
        self.conn
            .query_row(
                "SELECT kind, at, detail FROM events WHERE kind IN ('poll_failed', 'poll_recovered')
                 ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map(|o| o.and_then(|(k, at, d)| (k == "poll_failed").then_some((at, d))))
            .map_err(self.db())
    }

    /// Events of one kind, oldest first: `(at, detail)`.
    pub fn events(&self, kind: &str) -> Result<Vec<(String, String)>> {
        let mut st = self
            .conn
            .prepare("SELECT at, detail FROM events WHERE kind = ?1 ORDER BY id")
            .map_err(self.db())?;
        let rows = st
            .query_map([kind], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(self.db())?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.db())
    }

    /// Queues a mail unless one with the same key exists. Returns true if it was queued now.
    pub fn outbox_queue(&mut self, m: &OutboxMail, at: &str) -> Result<bool> {
        let n = self
            .conn
            .execute(
                "INSERT INTO outbox (key, created_at, env_from, env_to, subject, raw, status,
                    kind, campaign_id, unit_id, about, mail_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'queued', ?7, ?8, ?9, ?10, ?11)
                 ON CONFLICT (key) DO NOTHING",
                params![
                    m.key,
                    at,
                    m.env_from,
                    json(&m.env_to),
                    m.subject,
                    m.raw,
                    if m.meta.kind.is_empty() {
                        "other"
                    } else {
                        m.meta.kind.as_str()
                    },
                    m.meta.campaign_id,
                    m.meta.unit_id,
                    m.meta.about,
                    m.meta.mail_id,
                ],
            )
            .map_err(self.db())?;
        Ok(n == 1)
    }

    /// Mails due for sending at `now_ts`; rows a crash left "sending" become "uncertain".
    pub fn outbox_due(&mut self, now_ts: i64) -> Result<Vec<OutboxMail>> {
        self.conn
            .execute(
                "UPDATE outbox SET status = 'uncertain', last_error = 'baocao stopped while sending; check whether it arrived before sending again' WHERE status = 'sending'",
                [],
            )
            .map_err(self.db())?;
        let mut st = self
            .conn
            .prepare(
                "SELECT id, key, env_from, env_to, subject, raw, attempts, kind, campaign_id, unit_id, about, mail_id
                 FROM outbox WHERE status = 'queued' AND next_try_ts <= ?1 ORDER BY id",
            )
            .map_err(self.db())?;
        let rows = st
            .query_map([now_ts], |r| {
                Ok(OutboxMail {
                    id: r.get(0)?,
                    key: r.get(1)?,
                    env_from: r.get(2)?,
                    env_to: from_json(&r.get::<_, String>(3)?),
                    subject: r.get(4)?,
                    raw: r.get(5)?,
                    attempts: r.get(6)?,
                    meta: outbox_meta(r, 7)?,
                })
            })
            .map_err(self.db())?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.db())
    }

    /// Marks a mail as being sent (committed before the first byte goes out).
    pub fn outbox_sending(&mut self, id: i64) -> Result<()> {
        self.conn
            .execute("UPDATE outbox SET status = 'sending' WHERE id = ?1", [id])
            .map_err(self.db())?;
        Ok(())
    }

    /// Records that a mail was written to a file instead of sent (the demo): status `written`.
    pub fn outbox_written(&mut self, id: i64, path: &str, at: &str) -> Result<()> {
        self.conn
            .execute(
                "UPDATE outbox SET status = 'written', reply = ?2, sent_at = ?3, attempts = attempts + 1, last_error = NULL WHERE id = ?1",
                params![id, path, at],
            )
            .map_err(self.db())?;
        Ok(())
    }

    /// Records the outcome of one attempt.
    pub fn outbox_result(
        &mut self,
        id: i64,
        outcome: std::result::Result<String, (String, Option<i64>)>,
        at: &str,
    ) -> Result<()> {
        match outcome {
            Ok(reply) => self.conn.execute(
                "UPDATE outbox SET status = 'sent', reply = ?2, sent_at = ?3, attempts = attempts + 1, last_error = NULL WHERE id = ?1",
                params![id, reply, at],
            ),
            Err((err, Some(next))) => self.conn.execute(
                "UPDATE outbox SET status = 'queued', last_error = ?2, next_try_ts = ?3, attempts = attempts + 1 WHERE id = ?1",
                params![id, err, next],
            ),
            Err((err, None)) => self.conn.execute(
                "UPDATE outbox SET status = 'failed', last_error = ?2, attempts = attempts + 1 WHERE id = ?1",
                params![id, err],
            ),
        }
        .map_err(self.db())?;
        Ok(())
    }

    /// Quick consistency check used by tests and `check`: SQLite's own check plus every
    /// recorded message having its archive file.
    pub fn verify(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let ok: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(self.db())?;
        if ok != "ok" {
            problems.push(format!("database: {ok}"));
        }
        let mut st = self
            .conn
            .prepare("SELECT sha256 FROM messages")
            .map_err(self.db())?;
        let shas = st
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(self.db())?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.db())?;
        for s in shas {
            match self.archive.read(&s) {
                Ok(b) if sha256_hex(&b) == s => {}
                Ok(_) => problems.push(format!("archive file of {s} does not match its hash")),
                Err(e) => problems.push(e.to_string()),
            }
        }
        Ok(problems)
    }
}

/// The addresses bounce `m` (row `id`) says are undeliverable; the newest bounce wins.
fn insert_bad_addresses(
    conn: &Connection,
    id: i64,
    m: &NewMessage,
    fallback_at: &str,
) -> rusqlite::Result<()> {
    for (addr, reason) in &m.bounced {
        conn.prepare_cached(
            "INSERT INTO bad_addresses (address, at, reason, message) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (address) DO UPDATE SET at = ?2, reason = ?3, message = ?4",
        )?
        .execute(params![
            addr.to_lowercase(),
            m.received_at.as_deref().unwrap_or(fallback_at),
            reason,
            id
        ])?;
    }
    Ok(())
}

/// The reading of message `id` replaced: sender, subject, times, recognition, attachments and
/// the reading state. Staff decisions (unit, campaign, an attachment's items) are kept.
fn update_reading(
    tx: &rusqlite::Transaction<'_>,
    id: i64,
    m: &NewMessage,
    at: &str,
) -> rusqlite::Result<()> {
    // What the store decided at insert (a Message-ID seen before with other bytes) stays.
    let dup: Option<i64> = tx
        .query_row(
            "SELECT duplicate_of FROM messages WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    let mut flags = m.flags.clone();
    if dup.is_some() && !flags.iter().any(|f| f == "duplicate_message_id") {
        flags.push("duplicate_message_id".into());
    }
    tx.execute(
        "UPDATE messages SET from_addr = ?2, from_name = ?3, subject = ?4, body_excerpt = ?5,
            date_header = ?6, received_at = ?7, received_ts = ?8, received_from = ?9,
            unit_id = CASE WHEN identified_by = 'staff' THEN unit_id ELSE ?10 END,
            identified_by = CASE WHEN identified_by = 'staff' THEN identified_by ELSE ?11 END,
            campaign_id = CASE WHEN campaign_by = 'staff' THEN campaign_id ELSE ?12 END,
            campaign_by = CASE WHEN campaign_by = 'staff' THEN campaign_by ELSE ?13 END,
            flags = ?14, problems = ?15, error = ?16, reading = ?17
         WHERE id = ?1",
        params![
            id,
            m.from_addr,
            m.from_name,
            m.subject,
            m.body_excerpt,
            m.date_header,
            m.received_at,
            m.received_ts,
            m.received_from,
            m.unit_id,
            m.identified_by,
            m.campaign_id,
            m.campaign_by,
            json(&flags),
            json(&m.problems),
            m.error,
            m.reading.as_str(),
        ],
    )?;
    // Staff item decisions survive by attachment position.
    let staff: Vec<(i64, String)> = {
        let mut st = tx.prepare_cached(
            "SELECT idx, items FROM attachments WHERE message = ?1 AND item_by = 'staff'",
        )?;
        let rows = st.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()?
    };
    tx.execute("DELETE FROM attachments WHERE message = ?1", [id])?;
    for (i, a) in m.attachments.iter().enumerate() {
        match staff.iter().find(|(idx, _)| *idx == i as i64) {
            Some((_, items)) => insert_attachment(tx, id, i, a, items, Some("staff"))?,
            None => insert_attachment(tx, id, i, a, &json(&a.items), a.item_by.as_deref())?,
        };
    }
    // A bounce that could only be read now still marks its addresses.
    insert_bad_addresses(tx, id, m, at)
}

/// One attachment row of message `id`, with its items (JSON) and who decided them.
fn insert_attachment(
    conn: &Connection,
    id: i64,
    idx: usize,
    a: &NewAttachment,
    items: &str,
    item_by: Option<&str>,
) -> rusqlite::Result<usize> {
    conn.prepare_cached(
        "INSERT INTO attachments (message, idx, name, path, content_type, kind,
            size, sha256, items, item_by, error, document)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        id,
        idx as i64,
        a.name,
        a.path,
        a.content_type,
        a.kind,
        a.size as i64,
        a.sha256,
        items,
        item_by,
        a.error,
        a.document,
    ])
}

/// The five `OutboxMeta` columns (kind, campaign_id, unit_id, about, mail_id) from `at` on.
fn outbox_meta(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<OutboxMeta> {
    Ok(OutboxMeta {
        kind: r.get(at)?,
        campaign_id: r.get(at + 1)?,
        unit_id: r.get(at + 2)?,
        about: r.get(at + 3)?,
        mail_id: r.get(at + 4)?,
    })
}

fn json<T: Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

fn from_json<T: serde::de::DeserializeOwned + Default>(s: &str) -> T {
    serde_json::from_str(s).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::Store;

    #[test]
    fn an_address_is_bad_only_from_the_bounce_on() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut s = Store::open(dir.path()).expect("open");
        let bounce = super::NewMessage {
            sha256: "cd".repeat(32),
            received_at: Some("2023-02-05T10:00:00+07:00".into()),
            bounced: vec![("danguylocngai@gmail.com".into(), "5.1.1".into())],
            ..Default::default()
        };
        s.insert_messages(&[bounce], "2023-02-05T10:00:01+07:00")
            .expect("insert");
        let at = |t: &str| chrono::DateTime::parse_from_rfc3339(t).expect("time");
        assert!(
            s.bad_addresses_at(at("2023-02-01T08:00:00+07:00"))
                .expect("bad")
                .is_empty()
        );
        assert_eq!(
            s.bad_addresses_at(at("2023-02-06T08:00:00+07:00"))
                .expect("bad")
                .len(),
            1
        );
    }

    #[test]
    fn a_bounce_read_only_on_a_second_try_still_marks_its_address() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut s = Store::open(dir.path()).expect("open");
        let first = super::NewMessage {
            sha256: "ab".repeat(32),
            error: Some("internal error while reading this message".into()),
            ..Default::default()
        };
        let ids = s
            .insert_messages(&[first], "2023-01-27T08:00:00+07:00")
            .expect("insert")
            .ids;
        assert!(s.bad_addresses().expect("bad").is_empty());
        let reread = super::NewMessage {
            sha256: "ab".repeat(32),
            flags: vec!["bounce".into()],
            bounced: vec![("Unit01@Example.vn".into(), "5.1.1 no such user".into())],
            ..Default::default()
        };
        s.replace_reading(ids[0], &reread, "2023-01-27T09:00:00+07:00")
            .expect("replace");
        let bad = s.bad_addresses().expect("bad");
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].address, "unit01@example.vn");
        assert_eq!(bad[0].message, Some(ids[0]));
    }

    #[test]
    fn a_mailbox_problem_shows_until_a_poll_succeeds() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut s = Store::open(dir.path()).expect("open");
        assert_eq!(s.mailbox_problem().expect("query"), None);
        s.log_event("2023-01-27T08:00:00+07:00", "poll_failed", "login refused")
            .expect("log");
        assert_eq!(
            s.mailbox_problem().expect("query"),
            Some((
                "2023-01-27T08:00:00+07:00".to_string(),
                "login refused".to_string()
            ))
        );
        s.log_event("2023-01-27T08:05:00+07:00", "poll_recovered", "ok")
            .expect("log");
        assert_eq!(s.mailbox_problem().expect("query"), None);
    }
}
