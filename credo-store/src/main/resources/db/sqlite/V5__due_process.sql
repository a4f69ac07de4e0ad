-- Due process (issue #5): disputes, the notification outbox, source suspension and held records,
-- list repair applications and public red-list opt-ins. Subjects appear only as their pseudonym
-- key; where Credo must later name the subject to someone (a webhook, a public list) the raw
-- identifier is sealed with AES-GCM under the data key, bound to the pseudonym.
CREATE TABLE disputes (
  id             TEXT PRIMARY KEY,
  subject_key    BLOB NOT NULL,
  subject_sealed BLOB NOT NULL,
  record_seq     INTEGER NOT NULL,
  source_id      TEXT NOT NULL,
  record_id      TEXT NOT NULL,
  statement      TEXT NOT NULL,
  state          TEXT NOT NULL,
  opened_us      INTEGER NOT NULL,
  deadline_us    INTEGER NOT NULL,
  answered_us    INTEGER,
  answered_by    TEXT,
  reason         TEXT,
  result_seq     INTEGER
);

CREATE INDEX disputes_by_subject ON disputes (subject_key, opened_us);
CREATE INDEX disputes_by_state ON disputes (state, deadline_us);
-- One dispute per record (a correction or re-certification is a new record).
CREATE UNIQUE INDEX disputes_by_record ON disputes (record_seq);

CREATE TABLE dispute_events (
  dispute_id TEXT NOT NULL,
  at_us      INTEGER NOT NULL,
  state      TEXT NOT NULL,
  actor      TEXT NOT NULL,
  note       TEXT
);

CREATE INDEX dispute_events_by_dispute ON dispute_events (dispute_id, at_us);

CREATE TABLE notifications (
  seq             INTEGER PRIMARY KEY,
  subject_key     BLOB NOT NULL,
  recipient       BLOB NOT NULL,
  kind            TEXT NOT NULL,
  message         TEXT NOT NULL,
  details         TEXT,
  created_us      INTEGER NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_us INTEGER,
  delivered_us    INTEGER,
  last_error      TEXT
);

CREATE INDEX notifications_by_subject ON notifications (subject_key, seq);
CREATE INDEX notifications_due ON notifications (next_attempt_us);

CREATE TABLE source_status (
  source_id    TEXT PRIMARY KEY,
  suspended_us INTEGER,
  reason       TEXT
);

CREATE TABLE held_records (
  seq     INTEGER PRIMARY KEY,
  held_us INTEGER NOT NULL
);

CREATE TABLE repairs (
  id             TEXT PRIMARY KEY,
  subject_key    BLOB NOT NULL,
  subject_sealed BLOB NOT NULL,
  list_name      TEXT NOT NULL,
  basis          TEXT NOT NULL,
  evidence       TEXT NOT NULL,
  state          TEXT NOT NULL,
  opened_us      INTEGER NOT NULL,
  deadline_us    INTEGER NOT NULL,
  decided_us     INTEGER,
  decided_by     TEXT,
  reason         TEXT
);

CREATE INDEX repairs_by_subject ON repairs (subject_key, opened_us);
CREATE INDEX repairs_by_state ON repairs (state, deadline_us);
-- One waiting application per subject and list.
CREATE UNIQUE INDEX repairs_one_open ON repairs (subject_key, list_name) WHERE state = 'open';

CREATE TABLE list_publication (
  subject_key    BLOB NOT NULL,
  list_name      TEXT NOT NULL,
  subject_sealed BLOB NOT NULL,
  opted_in_us    INTEGER NOT NULL,
  PRIMARY KEY (subject_key, list_name)
);
