import type { SqliteDb } from './sqlite';
import { statementCache } from './statements';

/**
 * A `models` row: how a model turns stored backbone features into its embedding (`params`, JSON),
 * its head weights, and what training measured (`metrics`, JSON). The heads (vision/heads.ts) read
 * it as it is stored.
 */
export interface ModelRow {
  id: string;
  name: string;
  kind: 'pretrained' | 'fine-tuned';
  parent_id: string | null;
  manifest: string;
  weights: Buffer | null;
  params: string | null;
  metrics: string | null;
  active: number;
}

/** A model row with the time it was added (listings, copies into another catalog). */
export type StoredModel = ModelRow & { created_at: string };

/** A fine-tuned model to add: it inherits its parent's manifest. */
export interface NewFineTuned {
  id: string;
  name: string;
  parentId: string;
  weights: Buffer;
  /** JSON text, as stored. */
  params: string;
  metrics: string;
}

/** Models: the bundled and trained embedding models, which one is active, their recipes and estimates. */
export interface ModelStore {
  /** The model search and embedding use (at most one), or null before the first embedding. */
  active(): StoredModel | null;
  byId(id: string): StoredModel | null;
  exists(id: string): boolean;
  /** Every model, oldest first. */
  list(): StoredModel[];
  /** `base`, or `base-2`, `base-3`, ... : the first id no model has. */
  unusedId(base: string): string;
  /** The manifest (parsed JSON) a pretrained model was created from, or null when there is no such pretrained model. */
  pretrainedManifest(id: string): unknown;
  /** Adds a pretrained model unless it is there, and makes it active when no model is. One transaction. */
  ensurePretrained(m: { id: string; name: string; manifest: string; params: string }): void;
  addFineTuned(m: NewFineTuned): void;
  /** A model row exactly as another catalog holds it (id and time kept); nothing when the id is taken. */
  copyIn(m: StoredModel): void;
  /** Makes `id` the active model (the flag moves; no vectors are touched). */
  setActive(id: string): void;
}

export function sqliteModelStore(db: SqliteDb): ModelStore {
  const stmts = statementCache(db).named({
    active: 'SELECT * FROM models WHERE active = 1',
    byId: 'SELECT * FROM models WHERE id = ?',
    exists: 'SELECT 1 FROM models WHERE id = ?',
    list: 'SELECT * FROM models ORDER BY created_at, id',
    manifest: "SELECT manifest FROM models WHERE id = ? AND kind = 'pretrained'",
    insertPretrained: `INSERT INTO models(id, name, kind, manifest, params) VALUES (?, ?, 'pretrained', ?, ?) ON CONFLICT(id) DO NOTHING`,
    insertFineTuned: "INSERT INTO models(id, name, kind, parent_id, manifest, weights, params, metrics) SELECT ?, ?, 'fine-tuned', id, manifest, ?, ?, ? FROM models WHERE id = ?",
    copyIn: `INSERT OR IGNORE INTO models(id, name, kind, parent_id, manifest, weights, params, metrics, created_at)
             VALUES (@id, @name, @kind, @parent_id, @manifest, @weights, @params, @metrics, @created_at)`,
    // Two statements: the unique index on active = 1 is checked row by row.
    deactivate: 'UPDATE models SET active = 0 WHERE active = 1 AND id != ?',
    activate: 'UPDATE models SET active = 1 WHERE id = ?',
  });
  const store: ModelStore = {
    active: () => (stmts.active().get() as StoredModel | undefined) ?? null,
    byId: (id) => (stmts.byId().get(id) as StoredModel | undefined) ?? null,
    exists: (id) => stmts.exists().get(id) !== undefined,
    list: () => stmts.list().all() as StoredModel[],
    unusedId: (base) => {
      let id = base;
      for (let i = 2; store.exists(id); i++) id = `${base}-${i}`;
      return id;
    },
    pretrainedManifest: (id) => {
      const row = stmts.manifest().get(id) as { manifest: string } | undefined;
      return row ? JSON.parse(row.manifest) : null;
    },
    ensurePretrained: (m) =>
      db.transaction(() => {
        stmts.insertPretrained().run(m.id, m.name, m.manifest, m.params);
        if (!stmts.active().get()) stmts.activate().run(m.id);
      })(),
    addFineTuned: (m) => {
      stmts.insertFineTuned().run(m.id, m.name, m.weights, m.params, m.metrics, m.parentId);
    },
    copyIn: (m) => {
      const { active: _active, ...row } = m;
      stmts.copyIn().run(row);
    },
    setActive: (id) => {
      stmts.deactivate().run(id);
      stmts.activate().run(id);
    },
  };
  return store;
}
