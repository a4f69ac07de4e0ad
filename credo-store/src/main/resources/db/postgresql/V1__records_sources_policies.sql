-- Credo server store (PostgreSQL). Raw subject identifiers are never stored: subject_key is a
-- keyed hash (HMAC-SHA-256, first 16 bytes) under a key kept outside the database.
CREATE TABLE store_meta (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE sources (
  id            TEXT PRIMARY KEY,
  type_prefixes TEXT NOT NULL,
  registered_us BIGINT NOT NULL
);

CREATE TABLE subjects (
  subject_key   BYTEA PRIMARY KEY,
  kind          BIGINT NOT NULL,
  personal_data BYTEA
);

CREATE TABLE records (
  seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source_id    TEXT NOT NULL,
  record_id    TEXT NOT NULL,
  subject_key  BYTEA NOT NULL,
  subject_kind BIGINT NOT NULL,
  type         TEXT NOT NULL,
  occurred_us  BIGINT NOT NULL,
  learned_us   BIGINT NOT NULL,
  attributes   TEXT,
  evidence     TEXT,
  supersedes   TEXT,
  retracts     TEXT,
  UNIQUE (source_id, record_id)
);

CREATE INDEX records_by_subject ON records (subject_key);

CREATE TABLE policies (
  policy_id TEXT NOT NULL,
  version   BIGINT NOT NULL,
  yaml      TEXT NOT NULL,
  saved_us  BIGINT NOT NULL,
  PRIMARY KEY (policy_id, version)
);

CREATE TABLE policy_activations (
  seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  policy_id    TEXT NOT NULL,
  version      BIGINT NOT NULL,
  activated_us BIGINT NOT NULL,
  FOREIGN KEY (policy_id, version) REFERENCES policies (policy_id, version)
);
