//! Queries of the web console that the rest of the program does not need.

use super::{MessageRow, Result, Store};

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
