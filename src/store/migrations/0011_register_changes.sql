-- The console keeps each campaign's register rows between pages. Any commit (a session opened,
-- a reminder queued) used to throw them all away, and reading 10,000 messages again took most
-- of a matrix page. Every change to what those rows hold now takes the next number of one
-- counter and stamps its message with it (`message_changes`), so a page reads again only the
-- messages stamped after the rows it keeps.
CREATE TABLE register_changes (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    -- The last number given.
    seq   INTEGER NOT NULL,
    -- The last change that cannot be followed message by message (a message deleted): rows
    -- kept from before it are read again whole.
    reset INTEGER NOT NULL
);
INSERT INTO register_changes (id, seq, reset) VALUES (1, 0, 0);

-- The number of each message's last change. A table of its own: stamping the messages' rows
-- would rewrite each (its body text) once more per file stored with it.
CREATE TABLE message_changes (
    message INTEGER PRIMARY KEY,
    seq     INTEGER NOT NULL
);
CREATE INDEX message_changes_seq ON message_changes (seq);

-- A stamp is deleted and inserted again rather than upserted: an INSERT in a trigger takes the
-- conflict policy of the statement that fired it (INSERT OR IGNORE would skip a REPLACE).
CREATE TRIGGER messages_changed_insert AFTER INSERT ON messages BEGIN
    UPDATE register_changes SET seq = seq + 1;
    DELETE FROM message_changes WHERE message = NEW.id;
    INSERT INTO message_changes (message, seq) SELECT NEW.id, seq FROM register_changes;
END;

-- Only the columns the register reads, and only when a value really changed: reading a message
-- again writes every column, mostly with the values it had.
CREATE TRIGGER messages_changed_update AFTER UPDATE OF
    message_id, received_at, received_ts, from_addr, subject, unit_id, campaign_id,
    duplicate_of, flags, problems, error, reading
ON messages
WHEN OLD.message_id IS NOT NEW.message_id OR OLD.received_at IS NOT NEW.received_at
    OR OLD.received_ts IS NOT NEW.received_ts OR OLD.from_addr IS NOT NEW.from_addr
    OR OLD.subject IS NOT NEW.subject OR OLD.unit_id IS NOT NEW.unit_id
    OR OLD.campaign_id IS NOT NEW.campaign_id OR OLD.duplicate_of IS NOT NEW.duplicate_of
    OR OLD.flags IS NOT NEW.flags OR OLD.problems IS NOT NEW.problems
    OR OLD.error IS NOT NEW.error OR OLD.reading IS NOT NEW.reading
BEGIN
    UPDATE register_changes SET seq = seq + 1;
    DELETE FROM message_changes WHERE message = NEW.id;
    INSERT INTO message_changes (message, seq) SELECT NEW.id, seq FROM register_changes;
END;

CREATE TRIGGER messages_changed_delete AFTER DELETE ON messages BEGIN
    UPDATE register_changes SET seq = seq + 1, reset = seq + 1;
    DELETE FROM message_changes WHERE message = OLD.id;
END;

CREATE TRIGGER attachments_changed_insert AFTER INSERT ON attachments BEGIN
    UPDATE register_changes SET seq = seq + 1;
    DELETE FROM message_changes WHERE message = NEW.message;
    INSERT INTO message_changes (message, seq) SELECT NEW.message, seq FROM register_changes;
END;

CREATE TRIGGER attachments_changed_update AFTER UPDATE OF
    message, idx, name, sha256, items, item_by, error, document, register_problems
ON attachments
WHEN OLD.message IS NOT NEW.message OR OLD.idx IS NOT NEW.idx OR OLD.name IS NOT NEW.name
    OR OLD.sha256 IS NOT NEW.sha256 OR OLD.items IS NOT NEW.items
    OR OLD.item_by IS NOT NEW.item_by OR OLD.error IS NOT NEW.error
    OR OLD.document IS NOT NEW.document OR OLD.register_problems IS NOT NEW.register_problems
BEGIN
    UPDATE register_changes SET seq = seq + 1;
    DELETE FROM message_changes WHERE message = OLD.message;
    INSERT INTO message_changes (message, seq) SELECT OLD.message, seq FROM register_changes;
    DELETE FROM message_changes WHERE message = NEW.message;
    INSERT INTO message_changes (message, seq) SELECT NEW.message, seq FROM register_changes;
END;

CREATE TRIGGER attachments_changed_delete AFTER DELETE ON attachments BEGIN
    UPDATE register_changes SET seq = seq + 1;
    DELETE FROM message_changes WHERE message = OLD.message;
    INSERT INTO message_changes (message, seq) SELECT OLD.message, seq FROM register_changes;
END;

-- The figures read from a report (JSON of `figures::StoredFigures`), taken when the file is read
-- so the console does not open the archived mail again to show them. NULL: not taken yet (a
-- file read by an earlier version): taken on the first page that shows them.
ALTER TABLE attachments ADD COLUMN figures TEXT;
