-- Aliases staff taught baocao by correcting a message (`baocao assign`): the sender's address
-- or the name the mail used, recognised as that unit next time. They are kept apart from the
-- registry so that a new `units import` keeps them, and copied into units.aliases (a JSON
-- array), which everything that reads the registry already uses.

CREATE TABLE unit_aliases (
    id        INTEGER PRIMARY KEY,
    unit_id   TEXT NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('address', 'name')),
    value     TEXT NOT NULL,          -- as written (an address lowercase)
    key       TEXT NOT NULL UNIQUE,   -- compared form: the address, or the folded name
    message   INTEGER,                -- the message whose correction taught it
    added_at  TEXT NOT NULL
);

-- A registry imported again gets back each unit's aliases from staff corrections.
CREATE TRIGGER unit_aliases_after_units_insert AFTER INSERT ON units
WHEN EXISTS (SELECT 1 FROM unit_aliases WHERE unit_id = NEW.id)
BEGIN
    UPDATE units SET aliases = (
        SELECT json_group_array(v) FROM (
            SELECT value AS v FROM json_each(NEW.aliases)
            UNION ALL
            SELECT a.value FROM unit_aliases a
            WHERE a.unit_id = NEW.id
              AND a.value NOT IN (SELECT value FROM json_each(NEW.aliases))
        )
    ) WHERE id = NEW.id;
END;
