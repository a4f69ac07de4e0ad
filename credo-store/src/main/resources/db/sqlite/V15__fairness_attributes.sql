-- Fairness attributes (SPEC §4.9): what a subject's identifier says about its age band, sex and
-- region, derived at intake only to measure fairness, sealed under the fairness key (its own file,
-- credo-fairness.key) and bound to the subject's pseudonym. Read by the fairness report alone:
-- never by a policy, a decision, an export or the streaming job.
CREATE TABLE fairness_attributes (
  subject_key BLOB PRIMARY KEY,
  sealed      BLOB NOT NULL
);
