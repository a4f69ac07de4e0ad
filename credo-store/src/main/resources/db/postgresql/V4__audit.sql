-- The tamper-evident audit log (issue #5): every write and read of subject data, hash-chained.
-- Each entry keeps its own hash and its predecessor's, so ranges of the chain verify on their own
-- and only the joins between ranges are checked at the end. Subjects appear only as their
-- pseudonym key; the detail text never holds a raw identifier or a name.
CREATE TABLE audit_log (
  seq         BIGINT PRIMARY KEY,
  at_us       BIGINT NOT NULL,
  actor       TEXT NOT NULL,
  action      TEXT NOT NULL,
  subject_key BYTEA,
  detail      TEXT NOT NULL,
  prev_hash   BYTEA NOT NULL,
  hash        BYTEA NOT NULL
);

CREATE INDEX audit_log_by_subject ON audit_log (subject_key, seq) WHERE subject_key IS NOT NULL;

-- Signed heads of the chain: the Ed25519 signature covers (seq, head hash, time).
CREATE TABLE audit_checkpoints (
  seq       BIGINT PRIMARY KEY,
  head_hash BYTEA NOT NULL,
  at_us     BIGINT NOT NULL,
  key_id    TEXT NOT NULL,
  signature BYTEA NOT NULL
);
