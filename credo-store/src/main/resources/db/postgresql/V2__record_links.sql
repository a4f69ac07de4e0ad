-- The row a record supersedes or retracts, resolved when the record is accepted, so that the
-- in-memory index is rebuilt from one scan without joining the table to itself.
ALTER TABLE records ADD COLUMN target_seq BIGINT;

UPDATE records r SET target_seq = t.seq
  FROM records t
 WHERE (r.supersedes IS NOT NULL OR r.retracts IS NOT NULL)
   AND t.source_id = r.source_id
   AND t.record_id = COALESCE(r.supersedes, r.retracts);
