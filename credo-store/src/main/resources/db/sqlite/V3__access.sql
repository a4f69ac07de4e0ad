-- Access to the HTTP API (issue #4): tokens, relying parties, consents and the inquiry log.
-- Subjects appear only as their pseudonym key, as in the records table. Token secrets are kept
-- only as SHA-256 hashes: a token is 32 random bytes, so a plain hash cannot be brute-forced.
CREATE TABLE api_tokens (
  id         TEXT PRIMARY KEY,
  token_hash BLOB NOT NULL UNIQUE,
  role       TEXT NOT NULL,
  scope      TEXT,
  created_us INTEGER NOT NULL,
  expires_us INTEGER,
  revoked_us INTEGER
);

CREATE TABLE parties (
  id            TEXT PRIMARY KEY,
  purposes      TEXT NOT NULL,
  registered_us INTEGER NOT NULL
);

CREATE TABLE consents (
  id          TEXT PRIMARY KEY,
  subject_key BLOB NOT NULL,
  party_id    TEXT NOT NULL,
  purpose     TEXT NOT NULL,
  granted_us  INTEGER NOT NULL,
  until_us    INTEGER NOT NULL,
  revoked_us  INTEGER
);

CREATE INDEX consents_by_subject ON consents (subject_key, party_id, purpose);

CREATE TABLE inquiries (
  seq            INTEGER PRIMARY KEY,
  subject_key    BLOB NOT NULL,
  party_id       TEXT NOT NULL,
  purpose        TEXT NOT NULL,
  outcome        TEXT NOT NULL,
  policy_id      TEXT,
  policy_version INTEGER,
  decision_id    TEXT NOT NULL,
  at_us          INTEGER NOT NULL
);

CREATE INDEX inquiries_by_subject ON inquiries (subject_key, seq);
