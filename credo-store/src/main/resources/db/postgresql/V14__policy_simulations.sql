-- Policy simulations (SPEC §5, `credo policy simulate`): the what-if report of a candidate policy
-- against the active (or a named) version, kept so that an activation can name the simulation it
-- rests on. The candidate is identified by the SHA-256 of its text; the report by the SHA-256 of
-- its JSON, which the audit log carries too. No subject appears here but by pseudonym (hex) in the
-- report's sample.
CREATE TABLE policy_simulations (
  id            TEXT PRIMARY KEY,
  at_us         BIGINT NOT NULL,
  actor         TEXT NOT NULL,
  policy        TEXT NOT NULL,
  version       INTEGER NOT NULL,
  text_sha256   TEXT NOT NULL,
  against       TEXT,
  report_sha256 TEXT NOT NULL,
  report        TEXT NOT NULL
);

CREATE INDEX policy_simulations_by_text ON policy_simulations (text_sha256, at_us);
