-- Where each mailbox folder was read up to: UIDVALIDITY and the last UID stored and flagged.
CREATE TABLE imap_state (
    account      TEXT NOT NULL,
    folder       TEXT NOT NULL,
    uidvalidity  INTEGER NOT NULL,
    last_uid     INTEGER NOT NULL,
    PRIMARY KEY (account, folder)
);
