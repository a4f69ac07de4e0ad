-- The subject indexes (V6 for the audit log, V7 for the records) hold one row for each subject and
-- sweep, not one for each entry: a row's seqs are a blob of 8-byte big-endian numbers, and
-- last_seq (the highest of them when the row was written) tells the rows of one (gen,
-- subject_key) apart. An import of 10 M records wrote 10 M index rows, 18 % of its writer's time
-- and most of the pages its checkpoints copied; a sweep now writes one row for each subject whose
-- entries wait. org.credo.store.SubjectKeyIndex reads and writes them.
CREATE TABLE record_subject_packs (
  gen         INTEGER NOT NULL,
  subject_key BLOB NOT NULL,
  last_seq    INTEGER NOT NULL,
  seqs        BLOB NOT NULL,
  PRIMARY KEY (gen, subject_key, last_seq)
) WITHOUT ROWID;

INSERT INTO record_subject_packs (gen, subject_key, last_seq, seqs)
  SELECT gen, subject_key, MAX(seq), unhex(group_concat(printf('%016x', seq), '' ORDER BY seq))
  FROM record_subjects
  GROUP BY gen, subject_key;

DROP TABLE record_subjects;

CREATE TABLE audit_subject_packs (
  gen         INTEGER NOT NULL,
  subject_key BLOB NOT NULL,
  last_seq    INTEGER NOT NULL,
  seqs        BLOB NOT NULL,
  PRIMARY KEY (gen, subject_key, last_seq)
) WITHOUT ROWID;

INSERT INTO audit_subject_packs (gen, subject_key, last_seq, seqs)
  SELECT gen, subject_key, MAX(seq), unhex(group_concat(printf('%016x', seq), '' ORDER BY seq))
  FROM audit_subjects
  GROUP BY gen, subject_key;

DROP TABLE audit_subjects;
