-- What was read from each document attachment (header, forms, outline sections, problems),
-- as JSON written by the forms stage.
ALTER TABLE attachments ADD COLUMN document TEXT;
