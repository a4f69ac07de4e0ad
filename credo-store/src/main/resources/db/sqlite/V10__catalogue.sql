-- The record-type catalogue (SPEC §1): every version's text, and every activation with who approved
-- it and why. The active catalogue is the one activated last. An activation moves the 'policies'
-- change counter, so a following server re-reads its policies and the catalogue together.
CREATE TABLE catalogues (
  name     TEXT NOT NULL,
  version  INTEGER NOT NULL,
  yaml     TEXT NOT NULL,
  saved_us INTEGER NOT NULL,
  PRIMARY KEY (name, version)
);

CREATE TABLE catalogue_activations (
  seq          INTEGER PRIMARY KEY,
  name         TEXT NOT NULL,
  version      INTEGER NOT NULL,
  activated_us INTEGER NOT NULL,
  approved_by  TEXT NOT NULL,
  reason       TEXT NOT NULL,
  FOREIGN KEY (name, version) REFERENCES catalogues (name, version)
);

CREATE TRIGGER catalogue_activations_insert_changes AFTER INSERT ON catalogue_activations
BEGIN
  UPDATE store_changes SET n = n + 1 WHERE topic = 'policies';
END;
