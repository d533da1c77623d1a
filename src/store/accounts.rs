//! The web console's part of the register: staff accounts (argon2 hashes), sessions (only a
//! hash of each token is stored), the audit log of changes made in the console, and deadline
//! extensions granted there (merged over the campaign files' `[extensions]`).

use chrono::{DateTime, FixedOffset};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::{Error, Result, Store, sha256_hex};

/// What an account may do in the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// "xem": read only.
    Xem,
    /// "sua": read and change.
    Sua,
}

impl Role {
    /// The stored word (also what `--role` takes).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Xem => "xem",
            Role::Sua => "sua",
        }
    }

    /// The role named `s` ("xem" or "sua").
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "xem" => Some(Role::Xem),
            "sua" => Some(Role::Sua),
            _ => None,
        }
    }
}

/// A staff account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    /// Login name.
    pub name: String,
    /// What it may do.
    pub role: Role,
    /// When it was created (RFC 3339).
    pub created_at: String,
}

/// A live session found by its token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    /// The account.
    pub user: String,
    /// Its role now (a role changed meanwhile applies at once).
    pub role: Role,
    /// The token every form of this session must carry.
    pub csrf: String,
}

/// One change recorded in the audit log.
#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    /// Row id.
    pub id: i64,
    /// When (RFC 3339).
    pub at: String,
    /// Which account (or "cli" for the command line).
    pub who: String,
    /// What was done (a short Vietnamese phrase).
    pub what: String,
    /// What it was done to (message, unit, address…).
    pub target: String,
    /// The state before, as staff read it.
    pub before: Option<String>,
    /// The state after.
    pub after: Option<String>,
}

/// A deadline extension granted in the console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Grant {
    /// Campaign id.
    pub campaign_id: String,
    /// Unit id.
    pub unit_id: String,
    /// The unit's own deadline.
    pub until: DateTime<FixedOffset>,
    /// Who granted it.
    pub granted_by: String,
    /// When.
    pub granted_at: String,
}

impl Store {
    /// Creates or replaces account `name` with this password hash and role. Returns true if
    /// it was new.
    pub fn put_user(&mut self, name: &str, hash: &str, role: Role, at: &str) -> Result<bool> {
        let existed = self.user(name)?.is_some();
        self.conn
            .execute(
                "INSERT INTO web_users (name, hash, role, created_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (name) DO UPDATE SET hash = ?2, role = ?3",
                params![name, hash, role.as_str(), at],
            )
            .map_err(self.db())?;
        Ok(!existed)
    }

    /// Changes the password hash of `name` and ends its sessions. False if there is no such
    /// account.
    pub fn set_password(&mut self, name: &str, hash: &str) -> Result<bool> {
        let tx = self.conn.transaction().map_err(|source| Error::Db {
            path: self.db_path.clone(),
            source,
        })?;
        let n = tx
            .execute(
                "UPDATE web_users SET hash = ?2 WHERE name = ?1",
                params![name, hash],
            )
            .and_then(|n| {
                tx.execute("DELETE FROM web_sessions WHERE user = ?1", [name])?;
                Ok(n)
            })
            .map_err(|source| Error::Db {
                path: self.db_path.clone(),
                source,
            })?;
        tx.commit().map_err(|source| Error::Db {
            path: self.db_path.clone(),
            source,
        })?;
        Ok(n > 0)
    }

    /// Removes account `name` and its sessions. False if there was none.
    pub fn remove_user(&mut self, name: &str) -> Result<bool> {
        let n = self
            .conn
            .execute("DELETE FROM web_users WHERE name = ?1", [name])
            .map_err(self.db())?;
        Ok(n > 0)
    }

    /// The account `name`.
    pub fn user(&self, name: &str) -> Result<Option<User>> {
        self.conn
            .query_row(
                "SELECT name, role, created_at FROM web_users WHERE name = ?1",
                [name],
                |r| {
                    Ok(User {
                        name: r.get(0)?,
                        role: Role::parse(&r.get::<_, String>(1)?).unwrap_or(Role::Xem),
                        created_at: r.get(2)?,
                    })
                },
            )
            .optional()
            .map_err(self.db())
    }

    /// Every account, by name.
    pub fn users(&self) -> Result<Vec<User>> {
        let mut st = self
            .conn
            .prepare("SELECT name, role, created_at FROM web_users ORDER BY name")
            .map_err(self.db())?;
        let rows = st
            .query_map([], |r| {
                Ok(User {
                    name: r.get(0)?,
                    role: Role::parse(&r.get::<_, String>(1)?).unwrap_or(Role::Xem),
                    created_at: r.get(2)?,
                })
            })
            .map_err(self.db())?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.db())
    }

    /// The stored password hash of `name` (PHC string), to verify a login against.
    pub fn password_hash(&self, name: &str) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT hash FROM web_users WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()
            .map_err(self.db())
    }

    /// Opens a session for `user`: stores the hash of `token` with its CSRF token until
    /// `expires_ts`; expired sessions are swept at the same time.
    pub fn open_session(
        &mut self,
        token: &str,
        user: &str,
        csrf: &str,
        now_ts: i64,
        expires_ts: i64,
    ) -> Result<()> {
        self.conn
            .execute("DELETE FROM web_sessions WHERE expires_ts <= ?1", [now_ts])
            .and_then(|_| {
                self.conn.execute(
                    "INSERT INTO web_sessions (token_hash, user, csrf, created_ts, expires_ts)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![sha256_hex(token.as_bytes()), user, csrf, now_ts, expires_ts],
                )
            })
            .map_err(self.db())?;
        Ok(())
    }

    /// The live session of `token` at `now_ts`, if any.
    pub fn session(&self, token: &str, now_ts: i64) -> Result<Option<SessionInfo>> {
        self.conn
            .prepare_cached(
                "SELECT s.user, u.role, s.csrf FROM web_sessions s JOIN web_users u ON u.name = s.user
                 WHERE s.token_hash = ?1 AND s.expires_ts > ?2",
            )
            .and_then(|mut st| {
                st.query_row(params![sha256_hex(token.as_bytes()), now_ts], |r| {
                    Ok(SessionInfo {
                        user: r.get(0)?,
                        role: Role::parse(&r.get::<_, String>(1)?).unwrap_or(Role::Xem),
                        csrf: r.get(2)?,
                    })
                })
                .optional()
            })
            .map_err(self.db())
    }

    /// Ends the session of `token`.
    pub fn close_session(&mut self, token: &str) -> Result<()> {
        self.conn
            .execute(
                "DELETE FROM web_sessions WHERE token_hash = ?1",
                [sha256_hex(token.as_bytes())],
            )
            .map_err(self.db())?;
        Ok(())
    }

    /// Records a change in the audit log.
    pub fn audit(
        &mut self,
        at: &str,
        who: &str,
        what: &str,
        target: &str,
        before: Option<&str>,
        after: Option<&str>,
    ) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO audit (at, who, what, target, before, after) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![at, who, what, target, before, after],
            )
            .map_err(self.db())?;
        Ok(())
    }

    /// The newest `limit` audit entries, newest first.
    pub fn audit_log(&self, limit: usize) -> Result<Vec<AuditEntry>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut st = self
            .conn
            .prepare(
                "SELECT id, at, who, what, target, before, after FROM audit ORDER BY id DESC LIMIT ?1",
            )
            .map_err(self.db())?;
        let rows = st
            .query_map([limit], |r| {
                Ok(AuditEntry {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    who: r.get(2)?,
                    what: r.get(3)?,
                    target: r.get(4)?,
                    before: r.get(5)?,
                    after: r.get(6)?,
                })
            })
            .map_err(self.db())?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.db())
    }

    /// Records (or replaces) a unit's own deadline for a campaign.
    pub fn grant_extension(&mut self, g: &Grant) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO granted_extensions (campaign_id, unit_id, until, granted_by, granted_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (campaign_id, unit_id) DO UPDATE SET until = ?3, granted_by = ?4, granted_at = ?5",
                params![g.campaign_id, g.unit_id, g.until.to_rfc3339(), g.granted_by, g.granted_at],
            )
            .map_err(self.db())?;
        Ok(())
    }

    /// Every extension granted in the console.
    pub fn granted_extensions(&self) -> Result<Vec<Grant>> {
        let mut st = self
            .conn
            .prepare(
                "SELECT campaign_id, unit_id, until, granted_by, granted_at FROM granted_extensions
                 ORDER BY campaign_id, unit_id",
            )
            .map_err(self.db())?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })
            .map_err(self.db())?;
        let mut out = Vec::new();
        for row in rows {
            let (campaign_id, unit_id, until, granted_by, granted_at) = row.map_err(self.db())?;
            // A row this program wrote always parses; anything else is skipped, not fatal.
            if let Ok(until) = DateTime::parse_from_rfc3339(&until) {
                out.push(Grant {
                    campaign_id,
                    unit_id,
                    until,
                    granted_by,
                    granted_at,
                });
            }
        }
        Ok(out)
    }

    /// `config` with the extensions granted in the console put over the campaign files'
    /// `[extensions]`. This is the one place campaigns meet the store's extensions: the
    /// command line, the daemon's scheduler and the console all take their config from here.
    pub fn with_extensions(&self, config: &crate::config::Config) -> Result<crate::config::Config> {
        let mut c = config.clone();
        c.merge_extensions(
            self.granted_extensions()?
                .into_iter()
                .map(|g| (g.campaign_id, g.unit_id, g.until)),
        );
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_are_found_by_token_only_until_they_expire_and_die_with_the_password() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut s = Store::open(dir.path()).expect("store");
        assert!(
            s.put_user("lan", "$argon2id$x", Role::Sua, "2026-01-01T00:00:00+07:00")
                .expect("put")
        );
        s.open_session("tok", "lan", "csrf1", 100, 200)
            .expect("open");
        let got = s.session("tok", 150).expect("query");
        assert_eq!(
            got,
            Some(SessionInfo {
                user: "lan".into(),
                role: Role::Sua,
                csrf: "csrf1".into()
            })
        );
        assert_eq!(s.session("tok", 200).expect("query"), None);
        assert_eq!(s.session("other", 150).expect("query"), None);
        assert!(s.set_password("lan", "$argon2id$y").expect("passwd"));
        assert_eq!(s.session("tok", 150).expect("query"), None);
        assert!(!s.set_password("nobody", "h").expect("passwd"));
    }

    #[test]
    fn a_granted_extension_goes_over_the_campaign_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut s = Store::open(dir.path()).expect("store");
        let until = DateTime::parse_from_rfc3339("2023-02-10T17:00:00+07:00").expect("time");
        s.grant_extension(&Grant {
            campaign_id: "c1".into(),
            unit_id: "u1".into(),
            until,
            granted_by: "lan".into(),
            granted_at: "2023-02-01T08:00:00+07:00".into(),
        })
        .expect("grant");
        let g = s.granted_extensions().expect("list");
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].until, until);
        assert_eq!(g[0].unit_id, "u1");
    }
}
