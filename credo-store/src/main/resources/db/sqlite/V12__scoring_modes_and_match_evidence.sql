-- Score-free mode (SPEC §4.6): a subject may opt out of being scored, and back in. Each change is
-- kept with its instant, so that a replay as known at T uses the mode in effect at T. Subjects
-- appear only as their pseudonym key.
CREATE TABLE scoring_modes (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  subject_key BLOB NOT NULL,
  mode        TEXT NOT NULL,
  at_us       INTEGER NOT NULL,
  actor       TEXT NOT NULL
);

CREATE INDEX scoring_modes_by_subject ON scoring_modes (subject_key, at_us);

-- Match evidence: how each record's subject was matched at intake — which identifier check it
-- passed (prc_resident_id, uscc, national_id); never a name. Records stored before have none.
ALTER TABLE records ADD COLUMN match_check TEXT;
