-- Caudal catalog schema, version 1.
-- Times are ISO 8601 text. `*_at` columns written by Caudal are UTC ('...Z'); a photo's
-- taken_at keeps the camera's local time with its UTC offset when the camera recorded one,
-- and taken_at_utc (when the offset is known, else the local time as-is) orders photos.
-- Boxes are in pixels of the photo as displayed (EXIF orientation applied), full resolution.

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL -- JSON
) WITHOUT ROWID;

CREATE TABLE individuals (
  id          INTEGER PRIMARY KEY,
  code        TEXT NOT NULL UNIQUE,
  name        TEXT,
  sex         TEXT CHECK (sex IN ('female', 'male', 'unknown')),
  notes       TEXT,
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  merged_into INTEGER REFERENCES individuals(id)
);

CREATE TABLE jobs (
  id          INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled', 'interrupted')),
  progress    INTEGER NOT NULL DEFAULT 0,
  total       INTEGER,
  message     TEXT,
  params      TEXT NOT NULL DEFAULT '{}', -- JSON
  checkpoint  TEXT,                       -- JSON: what a resumed run needs
  result      TEXT,                       -- JSON
  error       TEXT,
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  started_at  TEXT,
  updated_at  TEXT,
  finished_at TEXT
);
CREATE INDEX jobs_state ON jobs(state);

CREATE TABLE imports (
  id          INTEGER PRIMARY KEY,
  source      TEXT NOT NULL, -- JSON array of the paths given
  job_id      INTEGER REFERENCES jobs(id),
  started_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  finished_at TEXT,
  imported    INTEGER NOT NULL DEFAULT 0,
  duplicates  INTEGER NOT NULL DEFAULT 0,
  failed      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE encounters (
  id         INTEGER PRIMARY KEY,
  code       TEXT UNIQUE, -- an external encounter or sighting id (e.g. a labels.csv `sighting`)
  start_time TEXT,
  end_time   TEXT,
  latitude   REAL CHECK (latitude IS NULL OR latitude BETWEEN -90 AND 90),
  longitude  REAL CHECK (longitude IS NULL OR longitude BETWEEN -180 AND 180),
  location   TEXT,
  observer   TEXT,
  platform   TEXT,
  notes      TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX encounters_start ON encounters(start_time);

CREATE TABLE photos (
  id            INTEGER PRIMARY KEY,
  sha256        TEXT NOT NULL UNIQUE,
  path          TEXT NOT NULL,           -- absolute, or relative to the catalog folder when copied
  original_name TEXT NOT NULL,
  file_size     INTEGER,
  width         INTEGER NOT NULL,        -- as displayed (orientation applied)
  height        INTEGER NOT NULL,
  orientation   INTEGER,                 -- EXIF orientation 1-8 of the file
  taken_at      TEXT,                    -- local time, with offset when known
  taken_at_utc  TEXT,                    -- for ordering
  latitude      REAL CHECK (latitude IS NULL OR latitude BETWEEN -90 AND 90),
  longitude     REAL CHECK (longitude IS NULL OR longitude BETWEEN -180 AND 180),
  camera_make   TEXT,
  camera_model  TEXT,
  encounter_id  INTEGER REFERENCES encounters(id) ON DELETE SET NULL,
  import_id     INTEGER REFERENCES imports(id) ON DELETE SET NULL,
  copied        INTEGER NOT NULL DEFAULT 0 CHECK (copied IN (0, 1)),
  missing       INTEGER NOT NULL DEFAULT 0 CHECK (missing IN (0, 1)),
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX photos_encounter ON photos(encounter_id);
CREATE INDEX photos_taken ON photos(taken_at_utc);

CREATE TABLE annotations (
  id            INTEGER PRIMARY KEY,
  photo_id      INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
  x             REAL NOT NULL CHECK (x >= 0),
  y             REAL NOT NULL CHECK (y >= 0),
  w             REAL NOT NULL CHECK (w > 0),
  h             REAL NOT NULL CHECK (h > 0),
  body_part     TEXT NOT NULL DEFAULT 'fluke', -- fluke, dorsal, flank, head, ...
  side          TEXT,                          -- left, right, ventral, dorsal; NULL when not applicable
  quality       INTEGER CHECK (quality IS NULL OR quality BETWEEN 1 AND 5),
  individual_id INTEGER REFERENCES individuals(id),
  identified_by TEXT,
  identified_at TEXT,
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX annotations_photo ON annotations(photo_id);
CREATE INDEX annotations_individual ON annotations(individual_id);

CREATE TABLE models (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('pretrained', 'fine-tuned')),
  parent_id  TEXT REFERENCES models(id),
  manifest   TEXT NOT NULL, -- JSON
  weights    BLOB,          -- trained head weights (fine-tuned models)
  params     TEXT,          -- JSON hyper-parameters
  metrics    TEXT,          -- JSON
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  active     INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1))
);
CREATE UNIQUE INDEX models_one_active ON models(active) WHERE active = 1;

-- The vector that search uses, per (annotation, model): float32 little-endian.
CREATE TABLE embeddings (
  annotation_id INTEGER NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
  model_id      TEXT NOT NULL REFERENCES models(id) ON DELETE CASCADE,
  dim           INTEGER NOT NULL,
  vector        BLOB NOT NULL,
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (annotation_id, model_id)
) WITHOUT ROWID;
CREATE INDEX embeddings_model ON embeddings(model_id);

-- Backbone features per (annotation, backbone, view): view 0 is the plain crop, others are
-- augmented views (mirror, crops, colour). A trained head re-embeds the catalog from these
-- without decoding a photo, and training never decodes photos either.
CREATE TABLE features (
  annotation_id INTEGER NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
  backbone_id   TEXT NOT NULL,
  view          INTEGER NOT NULL DEFAULT 0,
  dim           INTEGER NOT NULL,
  vector        BLOB NOT NULL,
  PRIMARY KEY (annotation_id, backbone_id, view)
) WITHOUT ROWID;

-- A moved box is a different crop: what was computed from the old one is stale.
CREATE TRIGGER annotations_box_moved AFTER UPDATE OF x, y, w, h ON annotations
WHEN OLD.x IS NOT NEW.x OR OLD.y IS NOT NEW.y OR OLD.w IS NOT NEW.w OR OLD.h IS NOT NEW.h
BEGIN
  DELETE FROM embeddings WHERE annotation_id = NEW.id;
  DELETE FROM features WHERE annotation_id = NEW.id;
END;

-- The review log is append-only: a decision is never edited or deleted, only marked undone.
CREATE TABLE decisions (
  id            INTEGER PRIMARY KEY,
  annotation_id INTEGER NOT NULL REFERENCES annotations(id),
  individual_id INTEGER REFERENCES individuals(id),
  decision      TEXT NOT NULL CHECK (decision IN ('confirm', 'reject', 'new', 'skip', 'unassign', 'merge', 'split', 'rename')),
  reviewer      TEXT,
  model_id      TEXT,
  rank          INTEGER,
  score         REAL,
  details       TEXT, -- JSON: what undo needs (e.g. the previous individual)
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  undone_at     TEXT
);
CREATE INDEX decisions_annotation ON decisions(annotation_id);

CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN
  SELECT RAISE(ABORT, 'the decision log is append-only');
END;

CREATE TRIGGER decisions_only_undo BEFORE UPDATE ON decisions
WHEN NEW.id IS NOT OLD.id OR NEW.annotation_id IS NOT OLD.annotation_id
  OR NEW.individual_id IS NOT OLD.individual_id OR NEW.decision IS NOT OLD.decision
  OR NEW.reviewer IS NOT OLD.reviewer OR NEW.model_id IS NOT OLD.model_id
  OR NEW.rank IS NOT OLD.rank OR NEW.score IS NOT OLD.score OR NEW.details IS NOT OLD.details
  OR NEW.created_at IS NOT OLD.created_at OR OLD.undone_at IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'the decision log is append-only: only undone_at may be set, once');
END;
