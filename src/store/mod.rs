//! The store: the register database (SQLite, WAL, versioned migrations) and the raw-mail
//! archive, from which attachments are read back when needed. Every SQL statement of the
//! program lives in this module, one file per family of tables; this file opens the database
//! and brings its schema up to date.

pub mod accounts;
pub mod aliases;
mod archive;
mod console;
mod error;
mod events;
mod imap;
mod messages;
mod outbox;
mod readings;
mod units;
mod vocab;

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use serde::Serialize;

pub use archive::{Archive, Staged, hex, sha256_hex};
pub use console::{ChangeStamp, RegisterUpdate, register_order};
pub use error::{Error, Result};
pub use events::{Event, ScheduleDone};
pub use imap::FolderState;
pub use messages::{HashChecker, Inserted, MessageFilter, MessageRow, NewMessage};
pub use outbox::{BadAddress, OutboxEntry, OutboxMail, OutboxMeta};
pub use readings::{ForRegister, NewAttachment, ReadingState, ReadingToCut};
pub use units::Mark;
pub use vocab::{EventKind, Flag, OutboxKey, OutboxKind, OutboxStatus, ReminderWhen, add_flag};

const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_init.sql"),
    include_str!("migrations/0002_documents.sql"),
    include_str!("migrations/0003_imap.sql"),
    include_str!("migrations/0004_outbox.sql"),
    include_str!("migrations/0005_notify.sql"),
    include_str!("migrations/0006_reading.sql"),
    include_str!("migrations/0007_aliases.sql"),
    include_str!("migrations/0008_web.sql"),
    include_str!("migrations/0009_register_flags.sql"),
    include_str!("migrations/0010_register_problems.sql"),
    include_str!("migrations/0011_register_changes.sql"),
];

/// The data dir: register, archive and extracted files.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    db_path: PathBuf,
    root: PathBuf,
    archive: Archive,
    /// Tells this connection from every other opened by the process (see [`Store::serial`]).
    serial: u64,
}

/// The serial number of the next connection opened.
static NEXT_SERIAL: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

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
        // The store has more cached statements than rusqlite keeps by default (16): an ingest
        // cycling through more than that would parse its SQL again for every message.
        conn.set_prepared_statement_cache_capacity(64);
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
        // Temporary files in memory: an UPDATE that fires the register's triggers inside a
        // batch's transaction keeps a statement journal, which SQLite otherwise writes to a
        // file in /var/tmp (25,000 small writes per 1,000 mails ingested, a third of the
        // system time on a real disk). Nothing durable lives there.
        conn.pragma_update(None, "temp_store", "MEMORY")
            .map_err(db)?;
        let mut store = Store {
            conn,
            db_path: db_path.clone(),
            root: data_dir.to_path_buf(),
            archive: Archive::open(data_dir.join("archive"))?,
            serial: NEXT_SERIAL.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
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

/// A list or map as stored in a TEXT column.
fn json<T: Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

/// Column `idx` of `r`, a JSON list written by [`json`]: a row baocao cannot read back is an
/// error naming the column, never an empty list in silence.
fn from_json<T: serde::de::DeserializeOwned>(
    r: &rusqlite::Row<'_>,
    idx: usize,
) -> rusqlite::Result<T> {
    let text: String = r.get(idx)?;
    serde_json::from_str(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, Box::new(e))
    })
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
            flags: vec![super::Flag::Bounce],
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
        s.log_event(
            "2023-01-27T08:00:00+07:00",
            super::EventKind::PollFailed,
            "login refused",
        )
        .expect("log");
        assert_eq!(
            s.mailbox_problem().expect("query"),
            Some(super::Event {
                at: "2023-01-27T08:00:00+07:00".to_string(),
                detail: "login refused".to_string()
            })
        );
        s.log_event(
            "2023-01-27T08:05:00+07:00",
            super::EventKind::PollRecovered,
            "ok",
        )
        .expect("log");
        assert_eq!(s.mailbox_problem().expect("query"), None);
    }

    #[test]
    fn a_register_of_the_previous_version_has_its_readings_marked_whole() {
        let dir = tempfile::tempdir().expect("tempdir");
        {
            let c = rusqlite::Connection::open(dir.path().join("baocao.sqlite")).expect("db");
            for sql in &super::MIGRATIONS[..9] {
                c.execute_batch(sql).expect("migration");
            }
            c.pragma_update(None, "user_version", 9).expect("version");
            c.execute_batch(
                "INSERT INTO messages (id, sha256, message_id, archive_path, size, source, ingested_at)
                     VALUES (1, 'ab', 'm1', 'a', 1, 's', 't');
                 INSERT INTO attachments (message, idx, name, path, kind, size, sha256, document)
                     VALUES (1, 0, 'BC.docx', 'BC.docx', 'docx', 1, 'x', '{\"problems\": []}'),
                            (1, 1, 'Anh.jpg', 'Anh.jpg', 'image', 1, 'y', NULL);",
            )
            .expect("rows");
        }
        let s = Store::open(dir.path()).expect("open");
        let marked: Vec<Option<String>> = s
            .conn
            .prepare("SELECT register_problems FROM attachments ORDER BY idx")
            .expect("query")
            .query_map([], |r| r.get(0))
            .expect("rows")
            .collect::<rusqlite::Result<_>>()
            .expect("rows");
        assert_eq!(marked, [Some(super::readings::WHOLE.to_string()), None]);
        let cut = s.readings_to_cut(0, 10).expect("to cut");
        assert_eq!(cut.len(), 1);
        assert_eq!(cut[0].attachment.name, "BC.docx");
        assert_eq!(
            cut[0].attachment.document.as_deref(),
            Some("{\"problems\": []}")
        );
    }
}
