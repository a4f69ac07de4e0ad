-- The serving store (SPEC §6): what the streaming job last computed for each subject, written by
-- its sink and read by `credo serve --serving`. Subjects appear only as their pseudonym (hex), the
-- key of their records on credo.records; the bodies are the wire JSON of the embedded API without
-- the subject. A row is replaced only by one at the same or a later instant (as_ms), so a replay
-- after a failure writes the same rows again and never goes back in time.
CREATE TABLE serving_scores (
  subject_key TEXT NOT NULL,
  policy      TEXT NOT NULL,
  as_ms       BIGINT NOT NULL,
  body        TEXT NOT NULL,
  PRIMARY KEY (subject_key, policy)
);

CREATE TABLE serving_lists (
  subject_key TEXT NOT NULL,
  policy      TEXT NOT NULL,
  as_ms       BIGINT NOT NULL,
  body        TEXT NOT NULL,
  PRIMARY KEY (subject_key, policy)
);

CREATE TABLE serving_decisions (
  subject_key TEXT NOT NULL,
  policy      TEXT NOT NULL,
  purpose     TEXT NOT NULL,
  as_ms       BIGINT NOT NULL,
  body        TEXT NOT NULL,
  PRIMARY KEY (subject_key, policy, purpose)
);

-- The records the job holds for each subject, for their report in serving mode: the wire JSON
-- without the subject's identifier and without free-text evidence; deleted when the job forgets
-- the subject (retention).
CREATE TABLE serving_records (
  subject_key TEXT NOT NULL,
  record_key  TEXT NOT NULL,
  as_ms       BIGINT NOT NULL,
  body        TEXT NOT NULL,
  PRIMARY KEY (subject_key, record_key)
);
