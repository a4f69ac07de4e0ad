-- Change counters for a process that follows the store (org.credo.engine.StoreFollower): a server
-- re-reads what it caches (the active policies, held records, tokens, parties, disputes, repairs)
-- when another process (a CLI command, another server) changed it. One row per topic, moved by
-- triggers in the changing transaction, so every writer moves it, whatever its code path, and the
-- follower sees the move exactly when the change is committed. Records need no counter: their
-- rows are numbered (MAX(seq)). Only tables written rarely carry triggers.
CREATE TABLE store_changes (
  topic TEXT PRIMARY KEY,
  n     INTEGER NOT NULL
);

INSERT INTO store_changes (topic, n) VALUES
  ('policies', 0),
  ('sources', 0),
  ('tokens', 0),
  ('parties', 0),
  ('disputes', 0),
  ('repairs', 0);

CREATE TRIGGER policy_activations_insert_changes AFTER INSERT ON policy_activations
BEGIN
  UPDATE store_changes SET n = n + 1 WHERE topic = 'policies';
END;

CREATE TRIGGER policy_activations_update_changes AFTER UPDATE ON policy_activations
BEGIN
  UPDATE store_changes SET n = n + 1 WHERE topic = 'policies';
END;

CREATE TRIGGER policy_activations_delete_changes AFTER DELETE ON policy_activations
BEGIN
  UPDATE store_changes SET n = n + 1 WHERE topic = 'policies';
END;

CREATE TRIGGER sources_insert_changes AFTER INSERT ON sources
BEGIN
  UPDATE store_changes SET n = n + 1 WHERE topic = 'sources';
END;

CREATE TRIGGER sources_update_changes AFTER UPDATE ON sources
BEGIN
  UPDATE store_changes SET n = n + 1 WHERE topic = 'sources';
END;

CREATE TRIGGER sources_delete_changes AFTER DELETE ON sources
BEGIN
  UPDATE store_changes SET n = n + 1 WHERE topic = 'sources';
END;

CREATE TRIGGER source_status_insert_changes AFTER INSERT ON source_status
BEGIN
  UPDATE store_changes SET n = n + 1 WHERE topic = 'sources';
END;

CREATE TRIGGER source_status_update_changes AFTER UPDATE ON source_status
BEGIN
  UPDATE store_changes SET n = n + 1 WHERE topic = 'sources';
END;

CREATE TRIGGER source_status_delete_changes AFTER DELETE ON source_status
BEGIN
  UPDATE store_changes SET n = n + 1 WHERE topic = 'sources';
END;

CREATE TRIGGER api_tokens_insert_changes AFTER INSERT ON api_tokens
BEGIN
  UPDATE store_changes SET n = n + 1 WHERE topic = 'tokens';
END;

CREATE TRIGGER api_tokens_update_changes AFTER UPDATE ON api_tokens
BEGIN
  UPDATE store_changes SET n = n + 1 WHERE topic = 'tokens';
END;

CREATE TRIGGER api_tokens_delete_changes AFTER DELETE ON api_tokens
BEGIN
  UPDATE store_changes SET n = n + 1 WHERE topic = 'tokens';
END;

CREATE TRIGGER parties_insert_changes AFTER INSERT ON parties
BEGIN
  UPDATE store_changes SET n = n + 1 WHERE topic = 'parties';
END;

CREATE TRIGGER parties_update_changes AFTER UPDATE ON parties
BEGIN
  UPDATE store_changes SET n = n + 1 WHERE topic = 'parties';
END;

CREATE TRIGGER parties_delete_changes AFTER DELETE ON parties
BEGIN
  UPDATE store_changes SET n = n + 1 WHERE topic = 'parties';
END;

CREATE TRIGGER disputes_insert_changes AFTER INSERT ON disputes
BEGIN
  UPDATE store_changes SET n = n + 1 WHERE topic = 'disputes';
END;

CREATE TRIGGER disputes_update_changes AFTER UPDATE ON disputes
BEGIN
  UPDATE store_changes SET n = n + 1 WHERE topic = 'disputes';
END;

CREATE TRIGGER disputes_delete_changes AFTER DELETE ON disputes
BEGIN
  UPDATE store_changes SET n = n + 1 WHERE topic = 'disputes';
END;

CREATE TRIGGER repairs_insert_changes AFTER INSERT ON repairs
BEGIN
  UPDATE store_changes SET n = n + 1 WHERE topic = 'repairs';
END;

CREATE TRIGGER repairs_update_changes AFTER UPDATE ON repairs
BEGIN
  UPDATE store_changes SET n = n + 1 WHERE topic = 'repairs';
END;

CREATE TRIGGER repairs_delete_changes AFTER DELETE ON repairs
BEGIN
  UPDATE store_changes SET n = n + 1 WHERE topic = 'repairs';
END;
