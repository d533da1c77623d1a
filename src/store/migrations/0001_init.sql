-- The register's first schema. Times are RFC 3339 text with the offset they were read with,
-- plus a unix-seconds column where the register orders or compares them.

CREATE TABLE units (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    short_name  TEXT NOT NULL,
    emails      TEXT NOT NULL,          -- JSON array, lowercase
    kind        TEXT NOT NULL,
    aliases     TEXT NOT NULL           -- JSON array
);

CREATE TABLE messages (
    id              INTEGER PRIMARY KEY,
    sha256          TEXT NOT NULL UNIQUE,   -- of the raw bytes; the archive key
    message_id      TEXT NOT NULL,          -- header Message-ID, or "sha256:<hash>" when absent
    archive_path    TEXT NOT NULL,          -- relative to the data dir
    size            INTEGER NOT NULL,
    source          TEXT NOT NULL,          -- where it was read from (file path, imap folder/uid)
    ingested_at     TEXT NOT NULL,
    from_addr       TEXT,
    from_name       TEXT,
    subject         TEXT NOT NULL DEFAULT '',
    body_excerpt    TEXT NOT NULL DEFAULT '',
    date_header     TEXT,
    received_at     TEXT,
    received_ts     INTEGER,
    received_from   TEXT,                   -- which clock: received_header | date_header | forwarded_original | internal_date | ingest_time
    unit_id         TEXT,
    identified_by   TEXT,
    campaign_id     TEXT,
    campaign_by     TEXT,
    duplicate_of    INTEGER REFERENCES messages(id),   -- same Message-ID, different bytes
    flags           TEXT NOT NULL DEFAULT '[]',        -- JSON array of flag names
    problems        TEXT NOT NULL DEFAULT '[]',        -- JSON array of plain-language problems
    error           TEXT                               -- set when the message could not be read as mail
);
CREATE INDEX messages_by_message_id ON messages(message_id);
CREATE INDEX messages_by_campaign_unit ON messages(campaign_id, unit_id);

CREATE TABLE attachments (
    id            INTEGER PRIMARY KEY,
    message       INTEGER NOT NULL REFERENCES messages(id),
    idx           INTEGER NOT NULL,
    name          TEXT NOT NULL,
    path          TEXT NOT NULL,            -- inside zips / forwards: "a.zip/Bieu 1.xlsx"
    content_type  TEXT NOT NULL DEFAULT '',
    kind          TEXT NOT NULL,
    size          INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    items         TEXT NOT NULL DEFAULT '[]',   -- JSON array of item ids
    item_by       TEXT,
    error         TEXT,
    UNIQUE (message, idx)
);

-- Items handed in on paper or confirmed by staff.
CREATE TABLE marks (
    id          INTEGER PRIMARY KEY,
    campaign_id TEXT NOT NULL,
    unit_id     TEXT NOT NULL,
    item_id     TEXT NOT NULL,
    at          TEXT NOT NULL,
    at_ts       INTEGER NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    UNIQUE (campaign_id, unit_id, item_id)
);

-- What staff changed and when (assign, mark, units import).
CREATE TABLE events (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    kind     TEXT NOT NULL,
    message  INTEGER REFERENCES messages(id),
    detail   TEXT NOT NULL
);
