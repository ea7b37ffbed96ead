-- The search whitening of a model (electron/core/search/catalog-whitening.ts): fitted without labels on
-- the catalog's own embeddings of that model, then applied to gallery and query vectors alike. Derived
-- data: deleting a row only means it is fitted again. `projection` is out_dim x in_dim float32, each
-- row already divided by the square root of its shrunk variance; `mean` is in_dim float32.
CREATE TABLE search_whitening (
  model_id   TEXT PRIMARY KEY REFERENCES models(id) ON DELETE CASCADE,
  in_dim     INTEGER NOT NULL CHECK (in_dim > 0),
  out_dim    INTEGER NOT NULL CHECK (out_dim > 0),
  rows       INTEGER NOT NULL,  -- the model's embeddings in the catalog when it was fitted
  fit_rows   INTEGER NOT NULL,  -- how many of them the fit read
  mean       BLOB NOT NULL,
  projection BLOB NOT NULL,
  fitted_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
