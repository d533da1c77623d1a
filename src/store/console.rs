//! Queries of the web console that the rest of the program does not need.

use std::collections::HashMap;

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
    /// attachment paths; in two queries instead of one per message. The matrix over a register
    /// of 10,000 messages is a page staff open all day. Never write these rows back.
    pub fn campaign_register_rows(&self, campaign: &str) -> Result<Vec<MessageRow>> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT id, message_id, received_at, received_ts, unit_id, campaign_id,
                    NULLIF(problems, '[]'), reading, NULLIF(flags, '[]')
                 FROM messages INDEXED BY messages_register
                 WHERE campaign_id = ?1 AND duplicate_of IS NULL AND error IS NULL
                 ORDER BY received_ts IS NULL, received_ts, id",
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
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT a.message, a.name, a.sha256, a.items, a.item_by, a.error, a.document
                 FROM attachments a JOIN messages m ON m.id = a.message
                 WHERE m.campaign_id = ?1 AND m.duplicate_of IS NULL AND m.error IS NULL
                 ORDER BY a.message, a.idx",
            )
            .map_err(self.db())?;
        let mut rows = st.query([campaign]).map_err(self.db())?;
        while let Some(r) = rows.next().map_err(self.db())? {
            let id: i64 = r.get(0).map_err(self.db())?;
            let Some(&i) = at.get(&id) else { continue };
            let a = (|| {
                Ok::<_, rusqlite::Error>(NewAttachment {
                    name: r.get(1)?,
                    sha256: r.get(2)?,
                    items: from_json(r, 3)?,
                    item_by: r.get(4)?,
                    error: r.get(5)?,
                    document: r.get(6)?,
                    ..NewAttachment::default()
                })
            })()
            .map_err(self.db())?;
            out[i].attachments.push(a);
        }
        Ok(out)
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
}
