//! The outbox (receipts, reminders, digests, drafts) and the addresses bounces said are bad.

use rusqlite::params;
use serde::Serialize;

use super::{OutboxKey, OutboxKind, OutboxStatus, Result, Store, from_json, json};

/// A mail in the outbox.
#[derive(Debug, Clone)]
pub struct OutboxMail {
    /// Row id (0 before queueing).
    pub id: i64,
    /// Idempotency key: the same key is never queued twice.
    pub key: OutboxKey,
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
    /// What it is.
    pub kind: OutboxKind,
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
    pub key: OutboxKey,
    /// When it was queued.
    pub created_at: String,
    /// Recipients.
    pub to: Vec<String>,
    /// Subject (as encoded in the header).
    pub subject: String,
    /// Where it stands.
    pub status: OutboxStatus,
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

impl Store {
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
        kind: Option<OutboxKind>,
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
                    to: from_json(r, 3)?,
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
                    m.meta.kind,
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
                    env_to: from_json(r, 3)?,
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
