//! The event log staff see, and how far each schedule was carried out.

use rusqlite::{OptionalExtension, params};

use serde::Serialize;

use super::{EventKind, Result, Store};

/// Something that happened, as recorded in the event log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    /// When (RFC 3339).
    pub at: String,
    /// What, in words.
    pub detail: String,
}

/// How far a schedule was carried out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScheduleDone {
    /// Up to when (RFC 3339).
    pub at: String,
    /// The same, unix seconds.
    pub ts: i64,
}

impl Store {
    /// Records something staff should know that happened to the mailbox or the register.
    pub fn log_event(&mut self, at: &str, kind: EventKind, detail: &str) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO events (at, kind, message, detail) VALUES (?1, ?2, NULL, ?3)",
                params![at, kind, detail],
            )
            .map_err(self.db())?;
        Ok(())
    }

    /// How far schedule `name` was carried out: `(at, unix seconds)`.
    pub fn schedule_done(&self, name: &str) -> Result<Option<ScheduleDone>> {
        self.conn
            .query_row(
                "SELECT done_at, done_ts FROM schedule_state WHERE name = ?1",
                [name],
                |r| {
                    Ok(ScheduleDone {
                        at: r.get(0)?,
                        ts: r.get(1)?,
                    })
                },
            )
            .optional()
            .map_err(self.db())
    }

    /// Records that schedule `name` was carried out up to `at`.
    pub fn set_schedule_done(&mut self, name: &str, at: &str, ts: i64) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO schedule_state (name, done_at, done_ts) VALUES (?1, ?2, ?3)
                 ON CONFLICT (name) DO UPDATE SET done_at = ?2, done_ts = ?3",
                params![name, at, ts],
            )
            .map_err(self.db())?;
        Ok(())
    }

    /// The mailbox problem staff must see: the last poll failure, unless a poll succeeded
    /// after it. `(at, detail)`.
    pub fn mailbox_problem(&self) -> Result<Option<Event>> {
        self.conn
            .query_row(
                "SELECT kind, at, detail FROM events WHERE kind IN ('poll_failed', 'poll_recovered')
                 ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get::<_, EventKind>(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map(|o| {
                o.and_then(|(k, at, detail)| {
                    (k == EventKind::PollFailed).then_some(Event { at, detail })
                })
            })
            .map_err(self.db())
    }

    /// The configuration change staff must hear of: files changed since the daemon started,
    /// unless it was started again after.
    pub fn config_pending(&self) -> Result<Option<Event>> {
        self.conn
            .query_row(
                "SELECT kind, at, detail FROM events WHERE kind IN ('config_changed', 'daemon_started')
                 ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get::<_, EventKind>(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map(|o| {
                o.and_then(|(k, at, detail)| {
                    (k == EventKind::ConfigChanged).then_some(Event { at, detail })
                })
            })
            .map_err(self.db())
    }

    /// Events of one kind, oldest first: `(at, detail)`.
    pub fn events(&self, kind: EventKind) -> Result<Vec<Event>> {
        let mut st = self
            .conn
            .prepare("SELECT at, detail FROM events WHERE kind = ?1 ORDER BY id")
            .map_err(self.db())?;
        let rows = st
            .query_map([kind.as_str()], |r| {
                Ok(Event {
                    at: r.get(0)?,
                    detail: r.get(1)?,
                })
            })
            .map_err(self.db())?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.db())
    }
}
