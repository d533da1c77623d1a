//! What was read from a message's documents: the reading state, attachments, re-reads and quarantine.

use super::messages::insert_bad_addresses;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::vocab::{Flag, add_flag};
use super::{Error, NewMessage, Result, Store, json};

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

    pub(super) fn parse(s: &str) -> Self {
        match s {
            "pending" => ReadingState::Pending,
            "slow" => ReadingState::Slow,
            "quarantined" => ReadingState::Quarantined,
            _ => ReadingState::Done,
        }
    }
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
    /// What the register reads of `document`, stored beside it (see [`ForRegister`]). Left
    /// at its default, the register reads the whole of `document`: the same status, slower.
    #[serde(skip)]
    pub for_register: ForRegister,
    /// The figures read from it when it is a report (JSON of `figures::StoredFigures`),
    /// stored beside its reading so pages show them without reading the archive again.
    #[serde(skip)]
    pub figures: Option<String>,
}

/// What the register's status reads of a file's stored reading: its problems. Kept in a
/// column of its own so the console's matrix does not parse every file's whole reading.
/// Cut from the reading by `forms::Reading::for_register`; the store does not look inside.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ForRegister {
    /// The whole stored reading: one this version cannot read back (the register reports
    /// it), or one not cut yet.
    #[default]
    Whole,
    /// Nothing: no stored reading, or one without a problem the register reports.
    Nothing,
    /// A reading (JSON of `forms::Reading`) holding only what the register reads.
    Part(String),
}

/// The value of column `register_problems` standing for [`ForRegister::Whole`].
pub(super) const WHOLE: &str = "=";

impl ForRegister {
    /// The column's value for a file whose stored reading is `document`.
    fn column<'a>(&'a self, document: Option<&str>) -> Option<&'a str> {
        match self {
            ForRegister::Whole => document.map(|_| WHOLE),
            ForRegister::Nothing => None,
            ForRegister::Part(p) => Some(p),
        }
    }
}

/// A file whose stored reading the register still reads whole (see
/// [`Store::readings_to_cut`]).
#[derive(Debug, Clone)]
pub struct ReadingToCut {
    /// Row id of the attachment.
    pub id: i64,
    /// The file, with its name and stored reading.
    pub attachment: NewAttachment,
}

impl Store {
    /// Sets message `id` aside for staff: its reading failed too often. The reason is added to
    /// its problems and the `quarantined` flag set.
    pub fn quarantine(&mut self, id: i64, reason: &str) -> Result<()> {
        let Some(m) = self.message(id)? else {
            return Ok(());
        };
        let mut flags = m.flags;
        add_flag(&mut flags, Flag::Quarantined);
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

    /// Row ids of the messages whose reading is in `state`, oldest first.
    pub fn messages_in_reading(&self, state: ReadingState) -> Result<Vec<i64>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT id FROM messages WHERE reading = ?1 ORDER BY id")
            .map_err(self.db())?;
        let rows = st
            .query_map([state.as_str()], |r| r.get(0))
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
}

/// The reading of message `id` replaced: sender, subject, times, recognition, attachments and
/// the reading state. Staff decisions (unit, campaign, an attachment's items) are kept.
fn update_reading(
    tx: &rusqlite::Transaction<'_>,
    id: i64,
    m: &NewMessage,
    at: &str,
) -> rusqlite::Result<()> {
    // Every statement here runs once per message read: they are prepared once per
    // connection, not parsed again each time.
    // What the store decided at insert (a Message-ID seen before with other bytes) stays.
    let dup: Option<i64> = tx
        .prepare_cached("SELECT duplicate_of FROM messages WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?
        .flatten();
    let mut flags = m.flags.clone();
    if dup.is_some() {
        add_flag(&mut flags, Flag::DuplicateMessageId);
    }
    tx.prepare_cached(
        "UPDATE messages SET from_addr = ?2, from_name = ?3, subject = ?4, body_excerpt = ?5,
            date_header = ?6, received_at = ?7, received_ts = ?8, received_from = ?9,
            unit_id = CASE WHEN identified_by = 'staff' THEN unit_id ELSE ?10 END,
            identified_by = CASE WHEN identified_by = 'staff' THEN identified_by ELSE ?11 END,
            campaign_id = CASE WHEN campaign_by = 'staff' THEN campaign_id ELSE ?12 END,
            campaign_by = CASE WHEN campaign_by = 'staff' THEN campaign_by ELSE ?13 END,
            flags = ?14, problems = ?15, error = ?16, reading = ?17
         WHERE id = ?1",
    )?
    .execute(params![
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
    ])?;
    // Staff item decisions survive by attachment position.
    let staff: Vec<(i64, String)> = {
        let mut st = tx.prepare_cached(
            "SELECT idx, items FROM attachments WHERE message = ?1 AND item_by = 'staff'",
        )?;
        let rows = st.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()?
    };
    tx.prepare_cached("DELETE FROM attachments WHERE message = ?1")?
        .execute([id])?;
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
pub(super) fn insert_attachment(
    conn: &Connection,
    id: i64,
    idx: usize,
    a: &NewAttachment,
    items: &str,
    item_by: Option<&str>,
) -> rusqlite::Result<usize> {
    conn.prepare_cached(
        "INSERT INTO attachments (message, idx, name, path, content_type, kind,
            size, sha256, items, item_by, error, document, register_problems, figures)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
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
        a.for_register.column(a.document.as_deref()),
        a.figures,
    ])
}

impl Store {
    /// The figures stored for part `path` of the message archived under `sha` (JSON of
    /// `figures::StoredFigures`); None when none were taken.
    pub fn stored_figures(&self, sha: &str, path: &str) -> Result<Option<String>> {
        self.conn
            .prepare_cached(
                "SELECT a.figures FROM messages m JOIN attachments a ON a.message = m.id
                 WHERE m.sha256 = ?1 AND a.path = ?2 AND a.figures IS NOT NULL",
            )
            .and_then(|mut st| st.query_row(params![sha, path], |r| r.get(0)).optional())
            .map_err(self.db())
    }

    /// Stores `figures` for part `path` of the message archived under `sha`: taken again
    /// from the archive for a file read before they were stored with its reading. Takes
    /// `&self`: pages that only read the register store them on the way.
    pub fn store_figures(&self, sha: &str, path: &str, figures: &str) -> Result<()> {
        self.conn
            .execute(
                "UPDATE attachments SET figures = ?3
                 WHERE path = ?2 AND message = (SELECT id FROM messages WHERE sha256 = ?1)",
                params![sha, path, figures],
            )
            .map(|_| ())
            .map_err(self.db())
    }

    /// [`Store::store_figures`] for each (message hash, part path, figures JSON), in one
    /// transaction: an ingest stores the figures of its newest reports when it ends.
    pub fn store_figures_all(&mut self, rows: &[(String, String, String)]) -> Result<()> {
        if rows.is_empty() {
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
        {
            let mut st = tx
                .prepare_cached(
                    "UPDATE attachments SET figures = ?3
                     WHERE path = ?2 AND message = (SELECT id FROM messages WHERE sha256 = ?1)",
                )
                .map_err(db)?;
            for (sha, part, figures) in rows {
                st.execute(params![sha, part, figures]).map_err(db)?;
            }
        }
        tx.commit().map_err(db)
    }
}

impl Store {
    /// Up to `limit` files, after row id `after`, whose stored reading the register still
    /// reads whole: rows stored before the register's part was kept apart, and readings this
    /// version cannot read back (those stay whole).
    pub fn readings_to_cut(&self, after: i64, limit: usize) -> Result<Vec<ReadingToCut>> {
        let mut st = self
            .conn
            .prepare_cached(
                // '=' is WHOLE, written out: SQLite uses the partial index only for the very
                // condition it was made with.
                "SELECT id, name, document FROM attachments INDEXED BY attachments_whole
                 WHERE register_problems = '=' AND document IS NOT NULL AND id > ?1
                 ORDER BY id LIMIT ?2",
            )
            .map_err(self.db())?;
        let rows = st
            .query_map(params![after, limit as i64], |r| {
                Ok(ReadingToCut {
                    id: r.get(0)?,
                    attachment: NewAttachment {
                        name: r.get(1)?,
                        document: r.get(2)?,
                        ..NewAttachment::default()
                    },
                })
            })
            .map_err(self.db())?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.db())
    }

    /// Records what the register reads of each file's stored reading (attachment row id and
    /// part), in one transaction. Rows whose reading changed meanwhile are left alone.
    pub fn set_for_register(&mut self, cut: &[(i64, ForRegister)]) -> Result<()> {
        let path = self.db_path.clone();
        let db = |source| Error::Db {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(db)?;
        {
            let mut st = tx
                .prepare_cached(
                    "UPDATE attachments SET register_problems = ?2
                     WHERE id = ?1 AND register_problems = ?3",
                )
                .map_err(db)?;
            for (id, part) in cut {
                if *part == ForRegister::Whole {
                    continue;
                }
                st.execute(params![id, part.column(Some("")), WHOLE])
                    .map_err(db)?;
            }
        }
        tx.commit().map_err(db)
    }
}
