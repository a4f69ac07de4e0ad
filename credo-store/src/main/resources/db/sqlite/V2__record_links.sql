-- The row a record supersedes or retracts, resolved when the record is accepted, so that the
-- in-memory index is rebuilt from one scan without joining the table to itself.
ALTER TABLE records ADD COLUMN target_seq INTEGER;

UPDATE records SET target_seq = (
  SELECT t.seq FROM records t
   WHERE t.source_id = records.source_id
     AND t.record_id = COALESCE(records.supersedes, records.retracts))
 WHERE supersedes IS NOT NULL OR retracts IS NOT NULL;
