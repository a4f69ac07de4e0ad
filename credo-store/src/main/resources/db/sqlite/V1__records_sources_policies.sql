-- Credo embedded store (SQLite). Raw subject identifiers are never stored: subject_key is a
-- keyed hash (HMAC-SHA-256, first 16 bytes) under a key kept outside the database.
CREATE TABLE store_meta (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE sources (
  id            TEXT PRIMARY KEY,
  type_prefixes TEXT NOT NULL,
  registered_us INTEGER NOT NULL
);

CREATE TABLE subjects (
  subject_key   BLOB PRIMARY KEY,
  kind          INTEGER NOT NULL,
  personal_data BLOB
);

CREATE TABLE records (
  seq          INTEGER PRIMARY KEY,
  source_id    TEXT NOT NULL,
  record_id    TEXT NOT NULL,
  subject_key  BLOB NOT NULL,
  subject_kind INTEGER NOT NULL,
  type         TEXT NOT NULL,
  occurred_us  INTEGER NOT NULL,
  learned_us   INTEGER NOT NULL,
  attributes   TEXT,
  evidence     TEXT,
  supersedes   TEXT,
  retracts     TEXT,
  UNIQUE (source_id, record_id)
);

CREATE INDEX records_by_subject ON records (subject_key);

CREATE TABLE policies (
  policy_id TEXT NOT NULL,
  version   INTEGER NOT NULL,
  yaml      TEXT NOT NULL,
  saved_us  INTEGER NOT NULL,
  PRIMARY KEY (policy_id, version)
);

CREATE TABLE policy_activations (
  seq          INTEGER PRIMARY KEY,
  policy_id    TEXT NOT NULL,
  version      INTEGER NOT NULL,
  activated_us INTEGER NOT NULL,
  FOREIGN KEY (policy_id, version) REFERENCES policies (policy_id, version)
);
