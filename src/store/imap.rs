//! How far each IMAP folder was read.

use rusqlite::{OptionalExtension, params};

use super::{Result, Store};

/// How far an IMAP folder was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FolderState {
    /// The folder's UIDVALIDITY when it was read.
    pub uidvalidity: u32,
    /// The highest UID stored and flagged.
    pub last_uid: u32,
}

impl Store {
    /// Where `folder` of `account` was read up to: `(uidvalidity, last_uid)`.
    pub fn imap_state(&self, account: &str, folder: &str) -> Result<Option<FolderState>> {
        self.conn
            .query_row(
                "SELECT uidvalidity, last_uid FROM imap_state WHERE account = ?1 AND folder = ?2",
                params![account, folder],
                |r| {
                    Ok(FolderState {
                        uidvalidity: r.get(0)?,
                        last_uid: r.get(1)?,
                    })
                },
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
}
