//! The units registry and paper hand-ins (marks).

use rusqlite::params;
use serde::Serialize;

use super::{Error, Result, Store, from_json, json};
use crate::config::Unit;

/// A paper hand-in or staff confirmation.
#[derive(Debug, Clone, Serialize)]
pub struct Mark {
    /// Campaign.
    pub campaign_id: String,
    /// Unit.
    pub unit_id: String,
    /// Item.
    pub item_id: String,
    /// When (RFC 3339).
    pub at: String,
    /// Unix seconds.
    pub at_ts: i64,
    /// Staff note.
    pub note: String,
}

impl Store {
    /// Replaces the units registry.
    pub fn replace_units(&mut self, units: &[Unit], at: &str) -> Result<()> {
        let path = self.db_path.clone();
        let db = |source| Error::Db {
            path: path.clone(),
            source,
        };
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(db)?;
        tx.execute("DELETE FROM units", []).map_err(db)?;
        {
            let mut st = tx
                .prepare("INSERT INTO units (id, name, short_name, emails, kind, aliases) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                .map_err(db)?;
            for u in units {
                st.execute(params![
                    u.id,
                    u.name,
                    u.short_name,
                    json(&u.emails),
                    u.kind,
                    json(&u.aliases)
                ])
                .map_err(db)?;
            }
        }
        tx.execute(
            "INSERT INTO events (at, kind, message, detail) VALUES (?1, 'units_import', NULL, ?2)",
            params![at, format!("{} units", units.len())],
        )
        .map_err(db)?;
        tx.commit().map_err(db)
    }

    /// The units registry, by id.
    pub fn units(&self) -> Result<Vec<Unit>> {
        let mut st = self
            .conn
            .prepare("SELECT id, name, short_name, emails, kind, aliases FROM units ORDER BY rowid")
            .map_err(self.db())?;
        let rows = st
            .query_map([], |r| {
                Ok(Unit {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    short_name: r.get(2)?,
                    emails: from_json(r, 3)?,
                    kind: r.get(4)?,
                    aliases: from_json(r, 5)?,
                })
            })
            .map_err(self.db())?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.db())
    }

    /// Records (or replaces) a paper hand-in.
    pub fn mark(&mut self, m: &Mark) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO marks (campaign_id, unit_id, item_id, at, at_ts, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (campaign_id, unit_id, item_id) DO UPDATE SET at = ?4, at_ts = ?5, note = ?6",
                params![m.campaign_id, m.unit_id, m.item_id, m.at, m.at_ts, m.note],
            )
            .and_then(|_| {
                self.conn.execute(
                    "INSERT INTO events (at, kind, message, detail) VALUES (?1, 'mark', NULL, ?2)",
                    params![m.at, format!("{} {} {} {}", m.campaign_id, m.unit_id, m.item_id, m.note)],
                )
            })
            .map_err(self.db())?;
        Ok(())
    }

    /// Paper hand-ins of a campaign.
    pub fn marks(&self, campaign: &str) -> Result<Vec<Mark>> {
        let mut st = self
            .conn
            .prepare("SELECT campaign_id, unit_id, item_id, at, at_ts, note FROM marks WHERE campaign_id = ?1")
            .map_err(self.db())?;
        let rows = st
            .query_map([campaign], |r| {
                Ok(Mark {
                    campaign_id: r.get(0)?,
                    unit_id: r.get(1)?,
                    item_id: r.get(2)?,
                    at: r.get(3)?,
                    at_ts: r.get(4)?,
                    note: r.get(5)?,
                })
            })
            .map_err(self.db())?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.db())
    }
}
