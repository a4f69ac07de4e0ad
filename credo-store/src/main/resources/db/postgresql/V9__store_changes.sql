-- Change counters for a process that follows the store (org.credo.engine.StoreFollower): a server
-- re-reads what it caches (the active policies, held records, tokens, parties, disputes, repairs)
-- when another process (a CLI command, another server) changed it. One row per topic, moved by
-- triggers in the changing transaction, so every writer moves it, whatever its code path, and the
-- follower sees the move exactly when the change is committed. Records need no counter: their
-- rows are numbered (MAX(seq)). Only tables written rarely carry triggers.
CREATE TABLE store_changes (
  topic TEXT PRIMARY KEY,
  n     BIGINT NOT NULL
);

INSERT INTO store_changes (topic, n) VALUES
  ('policies', 0),
  ('sources', 0),
  ('tokens', 0),
  ('parties', 0),
  ('disputes', 0),
  ('repairs', 0);

-- One statement moves a counter once, whatever the rows it touched (SQLite has row triggers only).
CREATE FUNCTION store_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE store_changes SET n = n + 1 WHERE topic = TG_ARGV[0];
  RETURN NULL;
END
$$;

CREATE TRIGGER policy_activations_changes AFTER INSERT OR UPDATE OR DELETE ON policy_activations
  FOR EACH STATEMENT EXECUTE PROCEDURE store_changed('policies');

CREATE TRIGGER sources_changes AFTER INSERT OR UPDATE OR DELETE ON sources
  FOR EACH STATEMENT EXECUTE PROCEDURE store_changed('sources');

CREATE TRIGGER source_status_changes AFTER INSERT OR UPDATE OR DELETE ON source_status
  FOR EACH STATEMENT EXECUTE PROCEDURE store_changed('sources');

CREATE TRIGGER api_tokens_changes AFTER INSERT OR UPDATE OR DELETE ON api_tokens
  FOR EACH STATEMENT EXECUTE PROCEDURE store_changed('tokens');

CREATE TRIGGER parties_changes AFTER INSERT OR UPDATE OR DELETE ON parties
  FOR EACH STATEMENT EXECUTE PROCEDURE store_changed('parties');

CREATE TRIGGER disputes_changes AFTER INSERT OR UPDATE OR DELETE ON disputes
  FOR EACH STATEMENT EXECUTE PROCEDURE store_changed('disputes');

CREATE TRIGGER repairs_changes AFTER INSERT OR UPDATE OR DELETE ON repairs
  FOR EACH STATEMENT EXECUTE PROCEDURE store_changed('repairs');
