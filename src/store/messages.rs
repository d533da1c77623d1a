//! Messages: recording a batch, looking rows up, paging, and staff assignments.

use super::readings::insert_attachment;
use std::collections::HashSet;
use std::path::PathBuf;

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::{Archive, Error, Flag, NewAttachment, ReadingState, Result, Store, from_json, json};
use crate::i18n::t;

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
    pub flags: Vec<Flag>,
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
    pub flags: Vec<Flag>,
    /// Problems.
    pub problems: Vec<String>,
    /// Read error.
    pub error: Option<String>,
    /// How far its documents have been read.
    pub reading: ReadingState,
    /// Attachments.
    pub attachments: Vec<NewAttachment>,
}

impl Store {
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
    pub fn insert_messages<'m>(
        &mut self,
        batch: impl IntoIterator<Item = &'m NewMessage>,
        ingested_at: &str,
    ) -> Result<Inserted> {
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
                    flags.push(Flag::DuplicateMessageId);
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
        Err(Error::NotFound(t!("store-no-message", key = key)))
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

    pub(super) fn query_messages(
        &self,
        cond: &str,
        args: &[&dyn rusqlite::ToSql],
    ) -> Result<Vec<MessageRow>> {
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
                    flags: from_json(r, 20)?,
                    problems: from_json(r, 21)?,
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
                        items: from_json(r, 6)?,
                        item_by: r.get(7)?,
                        error: r.get(8)?,
                        document: r.get(9)?,
                        for_register: Default::default(),
                        figures: None,
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
    pub fn messages_flagged(&self, flag: &Flag) -> Result<Vec<MessageRow>> {
        let pattern = format!("%{}%", json(flag));
        self.query_messages("flags LIKE ?1", &[&pattern])
    }
}

/// The addresses bounce `m` (row `id`) says are undeliverable; the newest bounce wins.
pub(super) fn insert_bad_addresses(
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
