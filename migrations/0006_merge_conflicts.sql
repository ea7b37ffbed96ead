-- Merging a bundle (or importing identities) never overwrites a catalog's own identifications.
-- What cannot be reconciled automatically is written here for a person to resolve in the app.
--   kind 'annotation': the same photo region is identified as different individuals on the two sides
--   kind 'code':       one individual code names what may be different animals (see bundle/merge-individuals.ts)
--   kind 'attribute':  the same individual has a different sex/name recorded on the two sides
CREATE TABLE merges (
  id          INTEGER PRIMARY KEY,
  source      TEXT NOT NULL,           -- bundle or file path as given
  kind        TEXT NOT NULL CHECK (kind IN ('bundle', 'sightings-csv', 'wildbook')),
  source_catalog TEXT,                 -- the bundle's catalog identity (manifest), when known
  job_id      INTEGER REFERENCES jobs(id),
  counts      TEXT NOT NULL DEFAULT '{}', -- JSON: added / duplicate / conflict counts
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE merge_conflicts (
  id                     INTEGER PRIMARY KEY,
  merge_id               INTEGER NOT NULL REFERENCES merges(id),
  kind                   TEXT NOT NULL CHECK (kind IN ('annotation', 'code', 'attribute')),
  annotation_id          INTEGER REFERENCES annotations(id),
  local_individual_id    INTEGER REFERENCES individuals(id),
  incoming_individual_id INTEGER REFERENCES individuals(id),
  incoming_code          TEXT,          -- the individual code as the other side wrote it
  incoming_created_at    TEXT,          -- with incoming_code: the other side's individual, so a re-merge finds it again
  field                  TEXT,          -- kind 'attribute': which field
  local_value            TEXT,
  incoming_value         TEXT,
  details                TEXT NOT NULL DEFAULT '{}', -- JSON: evidence shown to the person
  state                  TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'resolved')),
  resolution             TEXT,          -- keep-local | take-incoming | same-animal | different-animals
  resolved_by            TEXT,
  resolved_at            TEXT,
  created_at             TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX merge_conflicts_state ON merge_conflicts(state);
CREATE INDEX merge_conflicts_incoming ON merge_conflicts(incoming_code, incoming_created_at);

-- Which row of this catalog each merged row of the other side became. Decisions are copied
-- verbatim (the log is append-only) and their `details` may name the other side's row ids
-- (e.g. the previous individual, for undo): this map translates them.
CREATE TABLE merge_ids (
  merge_id  INTEGER NOT NULL REFERENCES merges(id),
  kind      TEXT NOT NULL CHECK (kind IN ('individual', 'annotation', 'photo', 'encounter')),
  source_id INTEGER NOT NULL,
  target_id INTEGER NOT NULL,
  PRIMARY KEY (merge_id, kind, source_id)
) WITHOUT ROWID;
