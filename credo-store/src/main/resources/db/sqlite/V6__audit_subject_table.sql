-- The audit log's index by subject becomes a table of its own (org.credo.audit.SqliteSubjectIndex).
-- Subject keys are random: an index row written with every entry dirtied a random page of the
-- index in every commit. A server now writes these rows in key-ordered sweeps, and
-- audit_subjects_indexed.below says from which seq on the table may still lack entries (readers
-- and a restarted server read that tail of the log itself). Readers take an entry only when the
-- key inside it (bytes 18-33 when byte 17 says 16) is the one they asked for.
-- Rows are grouped in generations of 2^20 seqs (gen = seq >> 20): sweeps write into the newest
-- generation only, so what they rewrite is bounded by a generation, not by the whole index.
CREATE TABLE audit_subjects (
  gen         INTEGER NOT NULL,
  subject_key BLOB NOT NULL,
  seq         INTEGER NOT NULL,
  PRIMARY KEY (gen, subject_key, seq)
) WITHOUT ROWID;

INSERT INTO audit_subjects (gen, subject_key, seq)
  SELECT seq >> 20, substr(entry, 18, 16), seq FROM audit_log
  WHERE substr(entry, 17, 1) = x'10'
  ORDER BY 1, 2, 3;

DROP INDEX audit_log_by_subject;

CREATE TABLE audit_subjects_indexed (
  id    INTEGER PRIMARY KEY CHECK (id = 1),
  below INTEGER NOT NULL
);

INSERT INTO audit_subjects_indexed (id, below) SELECT 1, COALESCE(MAX(seq), 0) + 1 FROM audit_log;
