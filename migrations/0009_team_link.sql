-- A catalog linked to a team server (caudal team join). The server URL is kept without its
-- password: the password lives in the OS keychain (app) or PGPASSWORD/~/.pgpass (CLI).
CREATE TABLE team_link (
  id          INTEGER PRIMARY KEY CHECK (id = 1), -- one link per catalog
  server_url  TEXT NOT NULL,
  site        TEXT NOT NULL,
  joined_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  last_sync_at TEXT,
  last_error  TEXT
);

-- How far this catalog has pulled each other site's rows: the highest per-site sequence applied.
-- Advanced in the same SQLite transaction that applies the pulled rows.
CREATE TABLE team_watermarks (
  site TEXT PRIMARY KEY,
  seq  INTEGER NOT NULL
) WITHOUT ROWID;

-- Rows that came from another site: (kind, local id) <-> (site, that site's id). A row without an
-- entry here is this site's own, and is what push sends.
CREATE TABLE team_origin (
  kind      TEXT NOT NULL CHECK (kind IN ('individual', 'annotation', 'photo', 'encounter', 'decision')),
  local_id  INTEGER NOT NULL,
  site      TEXT NOT NULL,
  remote_id INTEGER NOT NULL,
  PRIMARY KEY (kind, local_id),
  UNIQUE (kind, site, remote_id)
) WITHOUT ROWID;

-- Own rows changed since they were last pushed. INSERT OR REPLACE gives a changed row a new rowid,
-- so a push clears only the marks it read (rowid <= what it saw): an edit made while a push runs
-- stays pending. Marked only while the catalog is linked.
CREATE TABLE team_pending (
  kind     TEXT NOT NULL,
  local_id INTEGER NOT NULL,
  UNIQUE (kind, local_id)
);

CREATE TRIGGER team_photo_added AFTER INSERT ON photos WHEN EXISTS (SELECT 1 FROM team_link)
BEGIN INSERT OR REPLACE INTO team_pending(kind, local_id) VALUES ('photo', NEW.id); END;
CREATE TRIGGER team_photo_changed AFTER UPDATE ON photos WHEN EXISTS (SELECT 1 FROM team_link)
BEGIN INSERT OR REPLACE INTO team_pending(kind, local_id) VALUES ('photo', NEW.id); END;
CREATE TRIGGER team_encounter_added AFTER INSERT ON encounters WHEN EXISTS (SELECT 1 FROM team_link)
BEGIN INSERT OR REPLACE INTO team_pending(kind, local_id) VALUES ('encounter', NEW.id); END;
CREATE TRIGGER team_encounter_changed AFTER UPDATE ON encounters WHEN EXISTS (SELECT 1 FROM team_link)
BEGIN INSERT OR REPLACE INTO team_pending(kind, local_id) VALUES ('encounter', NEW.id); END;
CREATE TRIGGER team_individual_added AFTER INSERT ON individuals WHEN EXISTS (SELECT 1 FROM team_link)
BEGIN INSERT OR REPLACE INTO team_pending(kind, local_id) VALUES ('individual', NEW.id); END;
CREATE TRIGGER team_individual_changed AFTER UPDATE ON individuals WHEN EXISTS (SELECT 1 FROM team_link)
BEGIN INSERT OR REPLACE INTO team_pending(kind, local_id) VALUES ('individual', NEW.id); END;
CREATE TRIGGER team_annotation_added AFTER INSERT ON annotations WHEN EXISTS (SELECT 1 FROM team_link)
BEGIN INSERT OR REPLACE INTO team_pending(kind, local_id) VALUES ('annotation', NEW.id); END;
CREATE TRIGGER team_annotation_changed AFTER UPDATE ON annotations WHEN EXISTS (SELECT 1 FROM team_link)
BEGIN INSERT OR REPLACE INTO team_pending(kind, local_id) VALUES ('annotation', NEW.id); END;
-- A new embedding travels with its annotation.
CREATE TRIGGER team_embedding_added AFTER INSERT ON embeddings WHEN EXISTS (SELECT 1 FROM team_link)
BEGIN INSERT OR REPLACE INTO team_pending(kind, local_id) VALUES ('annotation', NEW.annotation_id); END;
CREATE TRIGGER team_decision_added AFTER INSERT ON decisions WHEN EXISTS (SELECT 1 FROM team_link)
BEGIN INSERT OR REPLACE INTO team_pending(kind, local_id) VALUES ('decision', NEW.id); END;
CREATE TRIGGER team_decision_undone AFTER UPDATE OF undone_at ON decisions WHEN EXISTS (SELECT 1 FROM team_link)
BEGIN INSERT OR REPLACE INTO team_pending(kind, local_id) VALUES ('decision', NEW.id); END;
