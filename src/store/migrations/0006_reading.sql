-- Store first, read after: a message is recorded as soon as it is archived ("received, not read
-- yet"); its documents are read afterwards, in a worker process, and the row is updated.
-- pending: documents not read yet | slow: read, but a scan or an old format still waits for OCR
-- or LibreOffice | done | quarantined: reading failed too often (crash, memory, time), staff see it.
ALTER TABLE messages ADD COLUMN reading TEXT NOT NULL DEFAULT 'done';
-- Reading attempts that ended in a crashed, killed or timed-out reader.
ALTER TABLE messages ADD COLUMN read_attempts INTEGER NOT NULL DEFAULT 0;
CREATE INDEX messages_reading ON messages (reading) WHERE reading <> 'done';
-- Paths were written one level short ("archive/ab/<sha>.eml"); the files are in archive/ab/cd/.
UPDATE messages SET archive_path = 'archive/' || substr(sha256, 1, 2) || '/' || substr(sha256, 3, 2) || '/' || sha256 || '.eml';
