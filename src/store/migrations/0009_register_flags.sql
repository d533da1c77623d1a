-- The console's matrix reads the register from this covering index; "cần kiểm tra" comes from
-- the messages' flags, so they are in it too.
DROP INDEX IF EXISTS messages_register;
CREATE INDEX messages_register ON messages (
    campaign_id, received_ts, duplicate_of, error, unit_id, reading, message_id, received_at, problems, flags
);
