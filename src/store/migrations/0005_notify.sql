-- What each outgoing mail is about, so reminders can be counted per unit, cancelled when the
-- unit has completed meanwhile, and listed per unit ("who was reminded when, to which
-- addresses").
ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'other';  -- receipt | reminder | digest | draft | test | other
ALTER TABLE outbox ADD COLUMN campaign_id TEXT;
ALTER TABLE outbox ADD COLUMN unit_id TEXT;
ALTER TABLE outbox ADD COLUMN about TEXT;      -- receipts: the message's sha256; reminders: JSON of the missing items
ALTER TABLE outbox ADD COLUMN mail_id TEXT;    -- our Message-ID, to tie a bounce to what bounced
CREATE INDEX outbox_unit ON outbox (kind, campaign_id, unit_id);

-- Addresses a delivery-status notification said are undeliverable; later mail skips them.
CREATE TABLE bad_addresses (
    address  TEXT PRIMARY KEY,              -- lowercase
    at       TEXT NOT NULL,
    reason   TEXT NOT NULL,                 -- the DSN's status and diagnostic
    message  INTEGER REFERENCES messages(id)
);

-- How far each schedule (a campaign's reminder plan, the digest) has been carried out, so a
-- slot missed while the daemon was down is caught up once on start.
CREATE TABLE schedule_state (
    name     TEXT PRIMARY KEY,
    done_at  TEXT NOT NULL,
    done_ts  INTEGER NOT NULL
);
