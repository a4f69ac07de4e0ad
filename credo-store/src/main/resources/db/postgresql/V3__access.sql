-- Access to the HTTP API (issue #4): tokens, relying parties, consents and the inquiry log.
-- Subjects appear only as their pseudonym key, as in the records table. Token secrets are kept
-- only as SHA-256 hashes: a token is 32 random bytes, so a plain hash cannot be brute-forced.
CREATE TABLE api_tokens (
  id         TEXT PRIMARY KEY,
  token_hash BYTEA NOT NULL UNIQUE,
  role       TEXT NOT NULL,
  scope      TEXT,
  created_us BIGINT NOT NULL,
  expires_us BIGINT,
  revoked_us BIGINT
);

CREATE TABLE parties (
  id            TEXT PRIMARY KEY,
  purposes      TEXT NOT NULL,
  registered_us BIGINT NOT NULL
);

CREATE TABLE consents (
  id          TEXT PRIMARY KEY,
  subject_key BYTEA NOT NULL,
  party_id    TEXT NOT NULL,
  purpose     TEXT NOT NULL,
  granted_us  BIGINT NOT NULL,
  until_us    BIGINT NOT NULL,
  revoked_us  BIGINT
);

CREATE INDEX consents_by_subject ON consents (subject_key, party_id, purpose);

CREATE TABLE inquiries (
  seq            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subject_key    BYTEA NOT NULL,
  party_id       TEXT NOT NULL,
  purpose        TEXT NOT NULL,
  outcome        TEXT NOT NULL,
  policy_id      TEXT,
  policy_version BIGINT,
  decision_id    TEXT NOT NULL,
  at_us          BIGINT NOT NULL
);

CREATE INDEX inquiries_by_subject ON inquiries (subject_key, seq);
