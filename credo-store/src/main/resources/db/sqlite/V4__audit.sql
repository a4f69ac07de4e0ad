-- The tamper-evident audit log (issue #5): every write and read of subject data, hash-chained.
-- An entry's hash covers its fields and the previous entry's hash (the previous row's hash
-- column), so any range of the chain verifies on its own from the row before it. Subjects appear
-- only as their pseudonym key; the detail text never holds a raw identifier or a name.
-- entry is the entry's canonical binary form (seq, time, actor, action, subject key, detail;
-- see org.credo.audit.ChainHash), which is what the hash covers, and the only column
-- verification needs to read. A subject's entries are found through an index on the subject key
-- inside it (bytes 18-33 when byte 17 says 16), so no second copy of the key can disagree.
CREATE TABLE audit_log (
  seq   INTEGER PRIMARY KEY,
  entry BLOB NOT NULL,
  hash  BLOB NOT NULL
);

CREATE INDEX audit_log_by_subject ON audit_log (substr(entry, 18, 16), seq)
  WHERE substr(entry, 17, 1) = x'10';

-- Signed heads of the chain: the Ed25519 signature covers (seq, head hash, time).
CREATE TABLE audit_checkpoints (
  seq       INTEGER PRIMARY KEY,
  head_hash BLOB NOT NULL,
  at_us     INTEGER NOT NULL,
  key_id    TEXT NOT NULL,
  signature BLOB NOT NULL
);
