//! Aliases learnt from staff corrections: when staff assign a message to a unit, its sender's
//! address and the name it used become that unit's, so the same sender or name is recognised
//! next time. Each is recorded in `unit_aliases` (with the message that taught it) and copied
//! into the unit's `aliases`, which the recogniser reads with the registry; a new import of
//! the registry keeps them (a trigger of migration 0007 copies them back).

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::{Error, Result, Store, from_json, json};
use crate::i18n::t;
use crate::vntext::fold;

/// What kind of evidence an alias is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AliasKind {
    /// A sender address.
    Address,
    /// A name (the sender's display name).
    Name,
}

impl AliasKind {
    fn as_str(self) -> &'static str {
        match self {
            AliasKind::Address => "address",
            AliasKind::Name => "name",
        }
    }

    fn parse(s: &str) -> Self {
        if s == "address" {
            AliasKind::Address
        } else {
            AliasKind::Name
        }
    }
}

/// One alias taught by a staff correction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alias {
    /// The unit it names.
    pub unit_id: String,
    /// Address or name.
    pub kind: AliasKind,
    /// As written (an address in lowercase).
    pub value: String,
    /// The message whose correction taught it.
    pub message: Option<i64>,
    /// When.
    pub added_at: String,
}

/// What adding an alias did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AliasAdded {
    /// Newly recorded.
    Added,
    /// The unit already had it.
    Known,
    /// It belonged to another unit (this id) and now belongs to this one: the latest
    /// correction wins.
    Moved(String),
}

/// The compared form of an alias: an address in lowercase, a name folded.
fn alias_key(kind: AliasKind, value: &str) -> String {
    match kind {
        AliasKind::Address => format!("@{}", value.trim().to_lowercase()),
        AliasKind::Name => fold(value),
    }
}

impl Store {
    /// Records `value` as an alias of `unit`, learnt from message `message` at `at`.
    pub fn add_alias(
        &mut self,
        unit: &str,
        kind: AliasKind,
        value: &str,
        message: Option<i64>,
        at: &str,
    ) -> Result<AliasAdded> {
        let value = match kind {
            AliasKind::Address => value.trim().to_lowercase(),
            AliasKind::Name => crate::vntext::nfc(value.trim()),
        };
        let key = alias_key(kind, &value);
        if key.trim_start_matches('@').is_empty() {
            return Ok(AliasAdded::Known);
        }
        let path = self.db_path.clone();
        let db = |source| Error::Db {
            path: path.clone(),
            source,
        };
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(db)?;
        let before: Option<(String, String)> = tx
            .query_row(
                "SELECT unit_id, value FROM unit_aliases WHERE key = ?1",
                params![key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(db)?;
        let outcome = match &before {
            Some((u, _)) if u == unit => return Ok(AliasAdded::Known),
            Some((u, old)) => {
                drop_from_unit(&tx, u, kind, old).map_err(db)?;
                tx.execute("DELETE FROM unit_aliases WHERE key = ?1", params![key])
                    .map_err(db)?;
                AliasAdded::Moved(u.clone())
            }
            None => AliasAdded::Added,
        };
        // Already in the registry (its CSV aliases or, for an address, its emails): nothing
        // to learn.
        let registry: Option<(Vec<String>, Vec<String>)> = tx
            .query_row(
                "SELECT emails, aliases FROM units WHERE id = ?1",
                params![unit],
                |r| Ok((from_json(r, 0)?, from_json(r, 1)?)),
            )
            .optional()
            .map_err(db)?;
        let Some((emails, aliases)) = registry else {
            return Err(Error::NotFound(t!("store-no-unit", unit = unit)));
        };
        let mut aliases = aliases;
        let known = match kind {
            AliasKind::Address => emails
                .iter()
                .chain(&aliases)
                .any(|e| e.to_lowercase() == value),
            AliasKind::Name => aliases.iter().any(|a| fold(a) == key),
        };
        if known && before.is_none() {
            return Ok(AliasAdded::Known);
        }
        tx.execute(
            "INSERT INTO unit_aliases (unit_id, kind, value, key, message, added_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![unit, kind.as_str(), value, key, message, at],
        )
        .map_err(db)?;
        if !known {
            aliases.push(value.clone());
            tx.execute(
                "UPDATE units SET aliases = ?2 WHERE id = ?1",
                params![unit, json(&aliases)],
            )
            .map_err(db)?;
        }
        tx.execute(
            "INSERT INTO events (at, kind, message, detail) VALUES (?1, 'alias_add', ?2, ?3)",
            params![
                at,
                message,
                format!("unit={unit} {}={value}", kind.as_str())
            ],
        )
        .map_err(db)?;
        tx.commit().map_err(db)?;
        Ok(outcome)
    }

    /// Every alias taught by staff, by unit then value.
    pub fn aliases(&self) -> Result<Vec<Alias>> {
        let mut st = self
            .conn
            .prepare(
                "SELECT unit_id, kind, value, message, added_at FROM unit_aliases \
                 ORDER BY unit_id, kind, value",
            )
            .map_err(self.db())?;
        let rows = st
            .query_map([], |r| {
                Ok(Alias {
                    unit_id: r.get(0)?,
                    kind: AliasKind::parse(&r.get::<_, String>(1)?),
                    value: r.get(2)?,
                    message: r.get(3)?,
                    added_at: r.get(4)?,
                })
            })
            .map_err(self.db())?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.db())
    }

    /// Forgets the alias written `value` (an address, or a name compared without diacritics
    /// or case), of `unit` when given. Returns what was removed.
    pub fn remove_alias(
        &mut self,
        value: &str,
        unit: Option<&str>,
        at: &str,
    ) -> Result<Option<Alias>> {
        let found = self.aliases()?.into_iter().find(|a| {
            alias_key(a.kind, &a.value) == alias_key(a.kind, value)
                && unit.is_none_or(|u| u == a.unit_id)
        });
        let Some(a) = found else {
            return Ok(None);
        };
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
            "DELETE FROM unit_aliases WHERE key = ?1",
            params![alias_key(a.kind, &a.value)],
        )
        .map_err(db)?;
        drop_from_unit(&tx, &a.unit_id, a.kind, &a.value).map_err(db)?;
        tx.execute(
            "INSERT INTO events (at, kind, message, detail) VALUES (?1, 'alias_remove', ?2, ?3)",
            params![
                at,
                a.message,
                format!("unit={} {}={}", a.unit_id, a.kind.as_str(), a.value)
            ],
        )
        .map_err(db)?;
        tx.commit().map_err(db)?;
        Ok(Some(a))
    }
}

/// Removes an alias from the unit's `aliases` array.
fn drop_from_unit(
    tx: &rusqlite::Transaction<'_>,
    unit: &str,
    kind: AliasKind,
    value: &str,
) -> rusqlite::Result<()> {
    let current: Option<Vec<String>> = tx
        .query_row(
            "SELECT aliases FROM units WHERE id = ?1",
            params![unit],
            |r| from_json(r, 0),
        )
        .optional()?;
    let Some(mut aliases) = current else {
        return Ok(());
    };
    let key = alias_key(kind, value);
    aliases.retain(|a| alias_key(kind, a) != key);
    tx.execute(
        "UPDATE units SET aliases = ?2 WHERE id = ?1",
        params![unit, json(&aliases)],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Unit;

    fn unit(id: &str, name: &str, aliases: &[&str]) -> Unit {
        Unit {
            id: id.into(),
            name: name.into(),
            short_name: name.into(),
            emails: vec![format!("{id}@gmail.com")],
            kind: "dang_bo_co_so".into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
        }
    }

    fn aliases_of(s: &Store, id: &str) -> Vec<String> {
        s.units()
            .unwrap()
            .into_iter()
            .find(|u| u.id == id)
            .unwrap()
            .aliases
    }

    #[test]
    fn aliases_are_added_moved_removed_and_survive_an_import() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(dir.path()).unwrap();
        let units = vec![
            unit("loc-an", "Đảng ủy xã Lộc An", &["ĐU Lộc An"]),
            unit("loc-bac", "Đảng ủy xã Lộc Bắc", &[]),
        ];
        s.replace_units(&units, "t0").unwrap();
        let at = "2023-01-20T08:00:00+07:00";
        assert_eq!(
            s.add_alias(
                "loc-an",
                AliasKind::Address,
                "KeToan.LocAn@Gmail.com",
                None,
                at
            )
            .unwrap(),
            AliasAdded::Added
        );
        assert_eq!(
            s.add_alias("loc-an", AliasKind::Name, "Văn phòng Lộc An", None, at)
                .unwrap(),
            AliasAdded::Added
        );
        // Already known: the registry's own alias and email, or added before.
        for (k, v) in [
            (AliasKind::Name, "du loc an"),
            (AliasKind::Address, "loc-an@gmail.com"),
            (AliasKind::Address, "ketoan.locan@gmail.com"),
        ] {
            assert_eq!(
                s.add_alias("loc-an", k, v, None, at).unwrap(),
                AliasAdded::Known
            );
        }
        assert_eq!(
            aliases_of(&s, "loc-an"),
            ["ĐU Lộc An", "ketoan.locan@gmail.com", "Văn phòng Lộc An"]
        );
        // A unit's registry imported again keeps what staff taught.
        s.replace_units(&units, "t1").unwrap();
        assert_eq!(
            aliases_of(&s, "loc-an"),
            ["ĐU Lộc An", "ketoan.locan@gmail.com", "Văn phòng Lộc An"]
        );
        // The latest correction wins: the address moves to Lộc Bắc.
        assert_eq!(
            s.add_alias(
                "loc-bac",
                AliasKind::Address,
                "ketoan.locan@gmail.com",
                None,
                at
            )
            .unwrap(),
            AliasAdded::Moved("loc-an".into())
        );
        assert_eq!(aliases_of(&s, "loc-an"), ["ĐU Lộc An", "Văn phòng Lộc An"]);
        assert_eq!(aliases_of(&s, "loc-bac"), ["ketoan.locan@gmail.com"]);
        // Removed by its name written without diacritics.
        let gone = s
            .remove_alias("van phong loc an", None, at)
            .unwrap()
            .unwrap();
        assert_eq!(gone.unit_id, "loc-an");

        assert_eq!(aliases_of(&s, "loc-an"), ["ĐU Lộc An"]);
        assert_eq!(s.remove_alias("van phong loc an", None, at).unwrap(), None);
        assert_eq!(
            s.remove_alias("ketoan.locan@gmail.com", Some("loc-an"), at)
                .unwrap(),
            None
        );
        let left = s.aliases().unwrap();
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].unit_id, "loc-bac");
        assert!(matches!(
            s.add_alias("khong-co", AliasKind::Name, "X Y", None, at),
            Err(Error::NotFound(_))
        ));
    }
}
