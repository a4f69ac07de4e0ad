-- The records' index by subject becomes a table of its own, written by a server in key-ordered
-- sweeps as the audit log's is (V6, org.credo.store.SubjectKeyIndex): records_by_subject took a
-- random page of the index in every commit for every record. record_subjects_indexed.below says
-- from which seq on the table may still lack records; readers take a row only when the record it
-- names is about the subject asked for.
CREATE TABLE record_subjects (
  gen         INTEGER NOT NULL,
  subject_key BLOB NOT NULL,
  seq         INTEGER NOT NULL,
  PRIMARY KEY (gen, subject_key, seq)
) WITHOUT ROWID;

INSERT INTO record_subjects (gen, subject_key, seq)
  SELECT seq >> 20, subject_key, seq FROM records
  ORDER BY 1, 2, 3;

DROP INDEX IF EXISTS records_by_subject;

CREATE TABLE record_subjects_indexed (
  id    INTEGER PRIMARY KEY CHECK (id = 1),
  below INTEGER NOT NULL
);

INSERT INTO record_subjects_indexed (id, below) SELECT 1, COALESCE(MAX(seq), 0) + 1 FROM records;
