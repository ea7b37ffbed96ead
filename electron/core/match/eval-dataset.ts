import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Catalog } from '../store/catalog';
import { ExactTopK } from '../search/exact-topk';
import { UserError } from '../util/errors';
import { embedImageFile } from '../vision/embed';
import { ensurePretrained } from '../vision/models-table';
import { findManifest } from '../vision/manifest';
import type { Device } from '../vision/providers';
import { evaluate, type EvalMetrics } from './evaluate';
import { evaluateOpenSet, type OpenSetReport } from './evaluate-open-set';
import { readLabels } from './labels';

export interface EvalReport extends EvalMetrics {
  model: string;
  /** With `openSet`: MAP@5 with "new individual" as a label, per seed. */
  openSet?: OpenSetReport;
}

export interface EvalDatasetOptions {
  dataset: string;
  /** A model id: one of `catalog`'s models, or a pretrained backbone manifest id. */
  model?: string;
  /** Only supplies trained models; opened read-only, never changed. */
  catalog?: string;
  device?: Device;
  modelsDir?: string;
  progress?: (done: number, total: number) => void;
  /** Also score the open-set protocol: this share of individuals left out as new, over these seeds. */
  openSet?: { newShare: number; seeds: number[] };
}

/**
 * `caudal eval`: every labelled photo (whole frame, as the dataset README's baseline) embedded by
 * the chosen model inside a throw-away catalog, then scored with the protocol (evaluate.ts).
 */
export async function evalDataset(opts: EvalDatasetOptions): Promise<EvalReport> {
  const items = readLabels(opts.dataset);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'caudal-eval-'));
  const catalog = Catalog.open(path.join(tmp, 'eval.sqlite'));
  try {
    if (opts.catalog) copyModel(opts.catalog, catalog, opts.model);
    else if (opts.model) {
      ensurePretrained(catalog, findManifest(opts.model, opts.modelsDir));
      activate(catalog.db, opts.model);
    }
    // Identical files (the same bytes under two labels) are embedded once.
    const byFile = new Map<string, Float32Array>();
    let model = '';
    let provider = 'cpu';
    for (const [i, it] of items.entries()) {
      if (!byFile.has(it.file)) {
        const e = await embedImageFile(catalog, it.file, undefined, { device: opts.device, modelsDir: opts.modelsDir });
        byFile.set(it.file, e.vector);
        model = e.model;
        provider = e.executionProvider;
      }
      opts.progress?.(i + 1, items.length);
    }
    const dim = byFile.values().next().value!.length;
    const vectors = new Float32Array(items.length * dim);
    items.forEach((it, i) => vectors.set(byFile.get(it.file)!, i * dim));
    // Cosine matrix on the embeddings' execution provider (vectors are L2-normalised by the head).
    const search = await ExactTopK.create({ provider });
    try {
      const scores = await search.scores(vectors, items.length, dim, vectors, items.length);
      const { ranks: _ranks, ...metrics } = evaluate(items, scores);
      if (!opts.openSet) return { ...metrics, model };
      return { ...metrics, model, openSet: await evaluateOpenSet(items, scores, opts.openSet.newShare, opts.openSet.seeds) };
    } finally {
      await search.release();
    }
  } finally {
    catalog.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

const MODEL_COLUMNS = 'id, name, kind, parent_id, manifest, weights, params, metrics, created_at';

/** Copies a model and its ancestors from the user's catalog (read-only) into the evaluation catalog, active. */
function copyModel(sourceFile: string, target: Catalog, modelId?: string): void {
  if (!fs.existsSync(sourceFile)) throw new UserError(`no catalog at ${sourceFile}`, 'not-found');
  const src = new Database(sourceFile, { readonly: true, fileMustExist: true });
  try {
    let id = modelId ?? (src.prepare('SELECT id FROM models WHERE active = 1').pluck().get() as string | undefined);
    if (!id) throw new UserError(`${sourceFile} has no active model: pass --model ID`, 'no-model');
    const chain: Array<Record<string, unknown>> = [];
    for (let cur: string | null = id; cur && chain.length < 32; ) {
      const row = src.prepare(`SELECT ${MODEL_COLUMNS} FROM models WHERE id = ?`).get(cur) as Record<string, unknown> | undefined;
      if (!row) {
        const known = src.prepare('SELECT id FROM models ORDER BY created_at').pluck().all() as string[];
        throw new UserError(`no model '${cur}' in ${sourceFile} (it has: ${known.join(', ') || 'none'})`, 'not-found');
      }
      chain.unshift(row);
      cur = row.parent_id as string | null;
    }
    const ins = target.db.prepare(`INSERT OR IGNORE INTO models(${MODEL_COLUMNS}) VALUES (@id, @name, @kind, @parent_id, @manifest, @weights, @params, @metrics, @created_at)`);
    target.db.transaction(() => {
      for (const row of chain) ins.run(row);
      activate(target.db, id!);
    })();
  } finally {
    src.close();
  }
}

/** Two statements: the unique index on active = 1 is checked row by row. */
function activate(db: Database.Database, id: string): void {
  db.prepare('UPDATE models SET active = 0 WHERE active = 1 AND id != ?').run(id);
  db.prepare('UPDATE models SET active = 1 WHERE id = ?').run(id);
}
