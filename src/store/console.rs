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
        self.register_rows_where(campaign, None)
    }

    /// What changed in the rows of [`Store::campaign_register_rows`] since the register's
    /// change counter stood at `since` (see [`RegisterUpdate`]); all of them when `since` is
    /// None, when a change cannot be followed message by message, or when so many messages
    /// changed that reading them one by one would be slower. Read in one transaction, so the
    /// rows are those of the number returned.
    pub fn campaign_register_update(
        &self,
        campaign: &str,
        since: Option<i64>,
    ) -> Result<RegisterUpdate> {
        let tx = self.conn.unchecked_transaction().map_err(self.db())?;
        let (seq, reset): (i64, i64) = tx
            .query_row(
                "SELECT seq, reset FROM register_changes WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(self.db())?;
        let whole = |store: &Store| {
            Ok(RegisterUpdate {
                seq,
                whole: true,
                changed: Vec::new(),
                rows: store.register_rows_where(campaign, None)?,
            })
        };
        let Some(since) = since.filter(|s| *s >= reset && *s <= seq) else {
            return whole(self);
        };
        if since == seq {
            return Ok(RegisterUpdate {
                seq,
                whole: false,
                changed: Vec::new(),
                rows: Vec::new(),
            });
        }
        let changed: Vec<i64> = {
            let mut st = self
                .conn
                .prepare_cached("SELECT message FROM message_changes WHERE seq > ?1 LIMIT ?2")
                .map_err(self.db())?;
            let rows = st
                .query_map(params![since, MOST_CHANGED as i64 + 1], |r| r.get(0))
                .map_err(self.db())?;
            rows.collect::<rusqlite::Result<_>>().map_err(self.db())?
        };
        if changed.len() > MOST_CHANGED {
            return whole(self);
        }
        let rows = self.register_rows_where(campaign, Some(&changed))?;
        Ok(RegisterUpdate {
            seq,
            whole: false,
            changed,
            rows,
        })
    }

    /// The register rows of `campaign`, or only those of the messages `ids` among them.
    fn register_rows_where(&self, campaign: &str, ids: Option<&[i64]>) -> Result<Vec<MessageRow>> {
        // The messages by id where only a few are wanted; otherwise the whole campaign from
        // the covering indexes.
        let ids_json = ids.map(|i| serde_json::Value::from(i.to_vec()).to_string());
        let (index, only) = match ids {
            None => ("INDEXED BY messages_register", ""),
            // By row id: NOT INDEXED keeps SQLite from scanning the campaign's index instead.
            Some(_) => ("NOT INDEXED", "AND id IN (SELECT value FROM json_each(?2))"),
        };
        let args: Vec<&dyn rusqlite::ToSql> = match &ids_json {
            None => vec![&campaign],
            Some(j) => vec![&campaign, j],
        };
        let mut st = self
            .conn
            .prepare_cached(&format!(
                "SELECT id, message_id, received_at, received_ts, unit_id, campaign_id,
                    NULLIF(problems, '[]'), reading, NULLIF(flags, '[]')
                 FROM messages {index}
                 WHERE campaign_id = ?1 AND duplicate_of IS NULL AND error IS NULL {only}"
            ))
            .map_err(self.db())?;
        let rows = st
            .query_map(args.as_slice(), |r| {
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
        out.sort_by_key(register_order);
        let at: HashMap<i64, usize> = out.iter().enumerate().map(|(i, m)| (m.id, i)).collect();
        // Sender and subject only where the register lists the mail as of no known unit.
        let mut st = self
            .conn
            .prepare_cached(&format!(
                "SELECT id, from_addr, subject FROM messages {}
                 WHERE campaign_id = ?1 AND unit_id IS NULL AND duplicate_of IS NULL
                    AND error IS NULL {only}",
                if ids.is_some() { index } else { "" }
            ))
            .map_err(self.db())?;
        let mut rows = st.query(args.as_slice()).map_err(self.db())?;
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
            .prepare_cached(&format!(
                "SELECT a.message, a.idx, a.name, a.sha256, a.items, a.item_by, a.error,
                    a.register_problems
                 FROM messages m {index}
                 JOIN attachments a INDEXED BY attachments_register ON a.message = m.id
                 WHERE m.campaign_id = ?1 AND m.duplicate_of IS NULL AND m.error IS NULL {}",
                only.replace("id IN", "m.id IN")
            ))
            .map_err(self.db())?;
        let mut whole = self
            .conn
            .prepare_cached("SELECT document FROM attachments WHERE message = ?1 AND idx = ?2")
            .map_err(self.db())?;
        let mut rows = st.query(args.as_slice()).map_err(self.db())?;
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

/// More messages changed than this since the rows a caller keeps: reading the whole campaign
/// again is about as quick as reading them one by one.
const MOST_CHANGED: usize = 2_000;

/// The order of the rows of [`Store::campaign_register_rows`] (that of `campaign_messages`):
/// by receipt, those of unknown receipt last, then by row id.
pub fn register_order(m: &MessageRow) -> (bool, Option<i64>, i64) {
    (m.received_ts.is_none(), m.received_ts, m.id)
}

/// What [`Store::campaign_register_update`] read.
#[derive(Debug, Clone)]
pub struct RegisterUpdate {
    /// The register's change counter these rows are of.
    pub seq: i64,
    /// `rows` are all the campaign's rows (kept rows are to be dropped).
    pub whole: bool,
    /// Otherwise: the messages that changed, in any campaign. Kept rows of these are out of
    /// date; those still in the campaign are in `rows`.
    pub changed: Vec<i64>,
    /// The rows read, in [`register_order`].
    pub rows: Vec<MessageRow>,
}

impl RegisterUpdate {
    /// Applies this update to `kept`, the rows of the same campaign as read before (in
    /// [`register_order`]): afterwards they are those a full read would give now.
    pub fn apply(self, kept: &mut Vec<MessageRow>) {
        if self.whole {
            *kept = self.rows;
            return;
        }
        if self.changed.is_empty() {
            return;
        }
        let changed: std::collections::HashSet<i64> = self.changed.into_iter().collect();
        kept.retain(|m| !changed.contains(&m.id));
        kept.extend(self.rows);
        // Nearly sorted already: the new rows are mostly the latest mail.
        kept.sort_by_key(register_order);
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
    fn the_rows_kept_and_brought_up_to_date_equal_the_rows_read_afresh() {
        use super::super::NewAttachment;
        let dir = tempfile::tempdir().expect("tempdir");
        let mut other = Store::open(dir.path()).expect("open");
        let page = Store::open(dir.path()).expect("open");
        let m = |n: u8, unit: Option<&str>, campaign: &str, ts: i64| NewMessage {
            sha256: format!("{n:02x}").repeat(32),
            message_id: Some(format!("m{n}@x")),
            campaign_id: Some(campaign.into()),
            unit_id: unit.map(str::to_string),
            from_addr: Some(format!("a{n}@x.vn")),
            subject: format!("Báo cáo {n}"),
            received_ts: Some(ts),
            attachments: vec![NewAttachment {
                name: format!("Bieu {n}.xlsx"),
                sha256: format!("{n:02x}").repeat(32),
                items: vec!["bieu1".into()],
                ..Default::default()
            }],
            ..Default::default()
        };
        other
            .insert_messages(
                &[
                    m(1, Some("loc-an"), "809-CV-HU", 300),
                    m(2, None, "809-CV-HU", 100),
                    m(3, Some("loc-nam"), "809-CV-HU", 200),
                    m(4, Some("loc-nam"), "khac", 50),
                ],
                "t",
            )
            .expect("insert");
        let first = page
            .campaign_register_update("809-CV-HU", None)
            .expect("read");
        assert!(first.whole);
        let mut kept = first.rows.clone();
        let mut seq = first.seq;
        let id = |n: u8| {
            other
                .messages()
                .expect("messages")
                .into_iter()
                .find(|x| x.message_id == format!("m{n}@x"))
                .expect("message")
                .id
        };
        let (id1, id2, id4) = (id(1), id(2), id(4));
        let same = |kept: &[super::MessageRow]| {
            let fresh = Store::open(dir.path())
                .expect("open")
                .campaign_register_rows("809-CV-HU")
                .expect("rows");
            assert_eq!(format!("{kept:?}"), format!("{fresh:?}"));
        };
        // A commit the register does not read: nothing to read again.
        let before = page.change_stamp().expect("stamp");
        other.set_imap_state("vp", "INBOX", 7, 41).expect("commit");
        assert_ne!(page.change_stamp().expect("stamp"), before);
        let u = page
            .campaign_register_update("809-CV-HU", Some(seq))
            .expect("update");
        assert!(!u.whole && u.changed.is_empty() && u.rows.is_empty());
        // A message assigned, a file's item decided by staff, a message brought in from
        // another campaign, a new message: each time only those messages are read again.
        type Change = Box<dyn Fn(&mut Store)>;
        let changes: Vec<Change> = vec![
            Box::new(move |s: &mut Store| s.assign(id2, "loc-ngai", None, "t").expect("assign")),
            Box::new(move |s: &mut Store| {
                s.set_attachment_items(id1, 0, &["bieu2".into()])
                    .expect("items")
            }),
            Box::new(move |s: &mut Store| {
                s.assign(id4, "loc-nam", Some("809-CV-HU"), "t")
                    .expect("assign")
            }),
            Box::new(move |s: &mut Store| {
                s.insert_messages(&[m(5, Some("loc-an"), "809-CV-HU", 150)], "t")
                    .expect("insert");
            }),
            Box::new(move |s: &mut Store| {
                s.assign(id1, "loc-an", Some("khac"), "t").expect("assign")
            }),
        ];
        for change in changes {
            change(&mut other);
            let u = page
                .campaign_register_update("809-CV-HU", Some(seq))
                .expect("update");
            assert!(!u.whole);
            assert_eq!(u.changed.len(), 1, "{:?}", u.changed);
            assert!(u.seq > seq);
            seq = u.seq;
            u.apply(&mut kept);
            same(&kept);
        }
        // Rows of a counter the register never had are read whole.
        let u = page
            .campaign_register_update("809-CV-HU", Some(seq + 100))
            .expect("update");
        assert!(u.whole);
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
