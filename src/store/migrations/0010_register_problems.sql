-- What the register reads of each file's stored reading (its problems), kept beside it: the
-- console's matrix computes the status of every file of a campaign, and parsing every stored
-- reading (kilobytes of rows and sections each) for a few problems took most of its time.
-- NULL: nothing for the register (or no reading). '=': the register reads the whole reading,
-- for a reading this version cannot read back (reported as such) and for rows stored before
-- this column, until the program's next start cuts them (see Store::readings_to_cut).
ALTER TABLE attachments ADD COLUMN register_problems TEXT;
UPDATE attachments SET register_problems = '=' WHERE document IS NOT NULL;
-- The console reads each campaign's files from this index alone, never the stored readings.
CREATE INDEX attachments_register ON attachments (
    message, idx, name, sha256, items, item_by, error, register_problems
);
-- The rows still read whole, found at every start without a scan of every stored reading.
CREATE INDEX attachments_whole ON attachments (id) WHERE register_problems = '=';
