//! Where raw mail comes from. Every source yields [`Fetched`] messages — raw bytes plus where
//! they came from — into the same pipeline (`crate::ingest`).

pub mod imap;
pub mod local;

use chrono::{DateTime, FixedOffset};

/// One raw message from a source.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The message exactly as received.
    pub raw: Vec<u8>,
    /// Where it came from (file path, "mbox-file#3", "imap:INBOX/uidvalidity/uid").
    pub origin: String,
    /// The server's receipt time when the source knows it (IMAP INTERNALDATE).
    pub internal_date: Option<DateTime<FixedOffset>>,
}
