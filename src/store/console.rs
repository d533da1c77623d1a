//! Queries of the web console that the rest of the program does not need.

use std::collections::HashMap;

use rusqlite::params;

use super::readings::WHOLE;
use super::{MessageRow, NewAttachment, ReadingState, Result, Store, from_json};

impl Store {
    /// Messages a person must look at, oldest first: unknown unit or campaign, mail that could
    /// not be read, reading given up, or a file that could not be opened and that staff have
    /// not decided about. Duplicates are left out (their original is listed).
    pub fn messages_needing_attention(&self) -> Result<Vec<MessageRow>> {
        self.query_messages(
            "duplicate_of IS NULL AND (unit_id IS NULL OR campaign_id IS NULL OR error IS NOT NULL
               OR reading = 'quarantined'
               OR EXISTS (SELECT 1 FROM attachments a WHERE a.message = messages.id
                          AND a.error IS NOT NULL AND (a.item_by IS NULL OR a.item_by <> 'staff')))",
            &[],
        )
    }
}

impl Store {
    /// The rows [`crate::register::compute`] needs for `campaign`, and only the columns it
    /// reads: sender and subject only of mail whose unit is unknown, no body, no
    /// attachment paths; in two queries instead of one per message. Each file's `document` is
    /// only what the register reads of its stored reading (see [`super::ForRegister`]). The
    /// matrix over a register of 10,000 messages is a page staff open all day. Never write
    /// these rows back.
    pub fn campaign_register_rows(&self, campaign: &str) -> Result<Vec<MessageRow>> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT id, message_id, received_at, received_ts, unit_id, campaign_id,
                    NULLIF(problems, '[]'), reading, NULLIF(flags, '[]')
                 FROM messages INDEXED BY messages_register
                 WHERE campaign_id = ?1 AND duplicate_of IS NULL AND error IS NULL",
            )
            .map_err(self.db())?;
        let rows = st
            .query_map([campaign], |r| {
                Ok(MessageRow {
                    id: r.get(0)?,
                    sha256: String::new(),
                    message_id: r.get(1)?,
                    archive_path: String::new(),
                    size: 0,
                    source: String::new(),
                    ingested_at: String::new(),
                    from_addr: None,
                    from_name: None,
                    subject: String::new(),
                    body_excerpt: String::new(),
                    date_header: None,
                    received_at: r.get(2)?,
                    received_ts: r.get(3)?,
                    received_from: None,
                    unit_id: r.get(4)?,
                    identified_by: None,
                    campaign_id: r.get(5)?,
                    campaign_by: None,
                    duplicate_of: None,
                    // "cần kiểm tra" is read from the flags.
                    flags: match r.get::<_, Option<String>>(8)? {
                        Some(_) => from_json(r, 8)?,
                        None => Vec::new(),
                    },
                    problems: match r.get::<_, Option<String>>(6)? {
                        Some(_) => from_json(r, 6)?,
                        None => Vec::new(),
                    },
                    error: None,
                    reading: ReadingState::parse(&r.get::<_, String>(7)?),
                    attachments: Vec::new(),
                })
            })
            .map_err(self.db())?;
        let mut out = rows
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.db())?;
        // The order of `campaign_messages`. Sorted here rather than by SQLite, which would
        // copy every row into a temporary b-tree: the index gives them almost in this order.
        out.sort_by_key(|m| (m.received_ts.is_none(), m.received_ts, m.id));
        let at: HashMap<i64, usize> = out.iter().enumerate().map(|(i, m)| (m.id, i)).collect();
        // Sender and subject only where the register lists the mail as of no known unit.
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT id, from_addr, subject FROM messages
                 WHERE campaign_id = ?1 AND unit_id IS NULL AND duplicate_of IS NULL AND error IS NULL",
            )
            .map_err(self.db())?;
        let mut rows = st.query([campaign]).map_err(self.db())?;
        while let Some(r) = rows.next().map_err(self.db())? {
            let id: i64 = r.get(0).map_err(self.db())?;
            if let Some(&i) = at.get(&id) {
                out[i].from_addr = r.get(1).map_err(self.db())?;
                out[i].subject = r.get(2).map_err(self.db())?;
            }
        }
        // In the messages' order (the covering index), each message's files from their own
        // covering index: no sort of every file of the campaign, and of each file's stored
        // reading only what the register reads (the whole reading where that is not known).
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT a.message, a.idx, a.name, a.sha256, a.items, a.item_by, a.error,
                    a.register_problems
                 FROM messages m INDEXED BY messages_register
                 JOIN attachments a INDEXED BY attachments_register ON a.message = m.id
                 WHERE m.campaign_id = ?1 AND m.duplicate_of IS NULL AND m.error IS NULL",
            )
            .map_err(self.db())?;
        let mut whole = self
            .conn
            .prepare_cached("SELECT document FROM attachments WHERE message = ?1 AND idx = ?2")
            .map_err(self.db())?;
        let mut rows = st.query([campaign]).map_err(self.db())?;
        let mut idx_of: Vec<Vec<i64>> = vec![Vec::new(); out.len()];
        while let Some(r) = rows.next().map_err(self.db())? {
            let id: i64 = r.get(0).map_err(self.db())?;
            let Some(&i) = at.get(&id) else { continue };
            let a = (|| {
                Ok::<_, rusqlite::Error>(NewAttachment {
                    name: r.get(2)?,
                    sha256: r.get(3)?,
                    items: from_json(r, 4)?,
                    item_by: r.get(5)?,
                    error: r.get(6)?,
                    document: r.get(7)?,
                    ..NewAttachment::default()
                })
            })()
            .map_err(self.db())?;
            let idx: i64 = r.get(1).map_err(self.db())?;
            let mut a = a;
            if a.document.as_deref() == Some(WHOLE) {
                a.document = whole
                    .query_row(params![id, idx], |r| r.get(0))
                    .map_err(self.db())?;
            }
            out[i].attachments.push(a);
            idx_of[i].push(idx);
        }
        // The files of a message in the order it carried them, whatever order SQLite chose.
        for (m, idx) in out.iter_mut().zip(idx_of) {
            if idx.is_sorted() {
                continue;
            }
            let mut both: Vec<_> = idx
                .into_iter()
                .zip(std::mem::take(&mut m.attachments))
                .collect();
            both.sort_by_key(|(i, _)| *i);
            m.attachments = both.into_iter().map(|(_, a)| a).collect();
        }
        Ok(out)
    }
}

/// Where a connection stands in the database's history: two equal stamps taken on the same
/// connection ([`Store::serial`]) mean nothing was committed in between, by it or by anyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChangeStamp {
    /// SQLite's `data_version`: moves when another connection (or process) commits.
    data_version: i64,
    /// Rows this connection changed since it was opened (its own commits do not move the above).
    own_changes: u64,
}

impl Store {
    /// A number no other connection opened by this process has: a [`ChangeStamp`] is only
    /// comparable with another of the same connection.
    pub fn serial(&self) -> u64 {
        self.serial
    }

    /// Where this connection stands now; see [`ChangeStamp`].
    pub fn change_stamp(&self) -> Result<ChangeStamp> {
        let data_version = self
            .conn
            .pragma_query_value(None, "data_version", |r| r.get(0))
            .map_err(self.db())?;
        Ok(ChangeStamp {
            data_version,
            own_changes: self.conn.total_changes(),
        })
    }
}

impl Store {
    /// Lets this connection keep up to `kib` KiB of database pages in memory. The console's
    /// pooled connections read the whole campaign on every matrix page: with the default 2 MB
    /// cache, a large register is read again from the operating system each time.
    pub fn set_cache_kib(&self, kib: i64) -> Result<()> {
        self.conn
            .pragma_update(None, "cache_size", -kib)
            .map_err(self.db())
    }
}

#[cfg(test)]
mod tests {
    use super::super::{NewMessage, Store};

    #[test]
    fn the_register_rows_carry_the_flags_that_make_an_item_to_check() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut s = Store::open(dir.path()).expect("open");
        let m = NewMessage {
            sha256: "ef".repeat(32),
            campaign_id: Some("809-CV-HU".into()),
            unit_id: Some("loc-an".into()),
            received_at: Some("2023-01-27T09:00:00+07:00".into()),
            received_ts: Some(1_674_784_800),
            flags: vec![crate::store::Flag::FormUnrecognised("bieu2".into())],
            ..Default::default()
        };
        s.insert_messages(&[m], "2023-01-27T09:00:01+07:00")
            .expect("insert");
        let rows = s.campaign_register_rows("809-CV-HU").expect("rows");
        assert_eq!(rows.len(), 1);
        assert_eq!(
            rows[0].flags,
            [crate::store::Flag::FormUnrecognised("bieu2".into())]
        );
    }

    #[test]
    fn the_change_stamp_moves_with_every_commit_by_this_connection_or_another() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut page = Store::open(dir.path()).expect("open");
        let mut other = Store::open(dir.path()).expect("open");
        assert_ne!(page.serial(), other.serial());
        let first = page.change_stamp().expect("stamp");
        assert_eq!(page.change_stamp().expect("stamp"), first);
        let m = |n: u8| NewMessage {
            sha256: format!("{n:02x}").repeat(32),
            campaign_id: Some("809-CV-HU".into()),
            received_ts: Some(1_674_784_800),
            ..Default::default()
        };
        other
            .insert_messages(&[m(1)], "2023-01-27T09:00:01+07:00")
            .expect("insert");
        let after_other = page.change_stamp().expect("stamp");
        assert_ne!(after_other, first);
        page.insert_messages(&[m(2)], "2023-01-27T09:00:02+07:00")
            .expect("insert");
        assert_ne!(page.change_stamp().expect("stamp"), after_other);
    }

    #[test]
    fn a_poll_that_finds_nothing_new_commits_nothing_the_console_would_see() {
        // The folder state is written after every poll; SQLite leaves a row rewritten with
        // the same values untouched, so the console's kept register rows stay valid.
        let dir = tempfile::tempdir().expect("tempdir");
        let page = Store::open(dir.path()).expect("open");
        let mut poll = Store::open(dir.path()).expect("open");
        poll.set_imap_state("vp", "INBOX", 7, 41).expect("state");
        let before = page.change_stamp().expect("stamp");
        poll.set_imap_state("vp", "INBOX", 7, 41).expect("state");
        assert_eq!(page.change_stamp().expect("stamp"), before);
        poll.set_imap_state("vp", "INBOX", 7, 42).expect("state");
        assert_ne!(page.change_stamp().expect("stamp"), before);
        let st = poll
            .imap_state("vp", "INBOX")
            .expect("read")
            .expect("a state");
        assert_eq!((st.uidvalidity, st.last_uid), (7, 42));
    }
}
