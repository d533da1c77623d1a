-- The web console: staff accounts, their sessions, the audit log of every change made in the
-- console, and the deadline extensions granted there. IF NOT EXISTS: this file may be applied
-- as a different version number while parallel branches are merged.
CREATE TABLE IF NOT EXISTS web_users (
    name        TEXT PRIMARY KEY,
    hash        TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('xem', 'sua')),
    created_at  TEXT NOT NULL
);

-- Only a hash of the token is kept: a copy of the database does not open sessions.
CREATE TABLE IF NOT EXISTS web_sessions (
    token_hash  TEXT PRIMARY KEY,
    user        TEXT NOT NULL REFERENCES web_users (name) ON DELETE CASCADE,
    csrf        TEXT NOT NULL,
    created_ts  INTEGER NOT NULL,
    expires_ts  INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS web_sessions_user ON web_sessions (user);

CREATE TABLE IF NOT EXISTS audit (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    who     TEXT NOT NULL,
    what    TEXT NOT NULL,
    target  TEXT NOT NULL DEFAULT '',
    before  TEXT,
    after   TEXT
);

CREATE TABLE IF NOT EXISTS granted_extensions (
    campaign_id TEXT NOT NULL,
    unit_id     TEXT NOT NULL,
    until       TEXT NOT NULL,
    granted_by  TEXT NOT NULL,
    granted_at  TEXT NOT NULL,
    PRIMARY KEY (campaign_id, unit_id)
);

-- The console's matrix reads a whole campaign on every page: this index holds every column
-- of that read, so the messages' large rows (their body text) are not touched.
CREATE INDEX IF NOT EXISTS messages_register ON messages (
    campaign_id, received_ts, duplicate_of, error, unit_id, reading, message_id, received_at, problems
);
