-- Mail baocao sends (receipts, reminders, digests, drafts). A row is written before sending,
-- with a key that makes a second queueing of the same mail a no-op; it is marked sending,
-- then sent (with the server's reply) or failed. A row left "sending" by a crash is never
-- resent automatically: it becomes "uncertain" for staff to check (at most once).
CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY,
    key          TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    env_from     TEXT NOT NULL,
    env_to       TEXT NOT NULL,          -- JSON array
    subject      TEXT NOT NULL,
    raw          BLOB NOT NULL,
    status       TEXT NOT NULL,          -- queued | sending | sent | failed | uncertain
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_try_ts  INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    reply        TEXT,
    sent_at      TEXT
);
