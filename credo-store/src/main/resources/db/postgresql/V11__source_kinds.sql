-- What kind of body a source is (court, bank, utility, police, …): the catalogue names, for each
-- record type, the kinds of source that may submit it. Sources registered before kinds have none,
-- and are held only to the record types they were registered for.
ALTER TABLE sources ADD COLUMN kind TEXT;
