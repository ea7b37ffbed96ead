import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Catalog } from '../store/catalog';
import type { StoredModel } from '../store/models';
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
      catalog.store.models.setActive(opts.model);
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

/** Copies a model and its ancestors from the user's catalog (read-only) into the evaluation catalog, active. */
function copyModel(sourceFile: string, target: Catalog, modelId?: string): void {
  if (!fs.existsSync(sourceFile)) throw new UserError(`no catalog at ${sourceFile}`, 'not-found');
  const src = Catalog.open(sourceFile, { readonly: true, mustExist: true });
  try {
    const models = src.store.models;
    const id = modelId ?? models.active()?.id;
    if (!id) throw new UserError(`${sourceFile} has no active model: pass --model ID`, 'no-model');
    const chain: StoredModel[] = [];
    for (let cur: string | null = id; cur && chain.length < 32; ) {
      const row = models.byId(cur);
      if (!row) {
        const known = models.list().map((m) => m.id);
        throw new UserError(`no model '${cur}' in ${sourceFile} (it has: ${known.join(', ') || 'none'})`, 'not-found');
      }
      chain.unshift(row);
      cur = row.parent_id;
    }
    target.store.transaction(() => {
      for (const row of chain) target.store.models.copyIn(row);
      target.store.models.setActive(id);
    });
  } finally {
    src.close();
  }
}
