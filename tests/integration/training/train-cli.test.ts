import path from 'node:path';
import { runCaudal as cli } from '../../helpers/cli';
import { Catalog } from '../../../electron/core/store/catalog';
import { Backend } from '../../../electron/core/api/backend';
import { trainModel } from '../../../electron/core/training/train-job';
import { tmpDir } from '../../helpers/tmp';
import { syntheticSet } from '../../unit/training/synthetic';
import { loadFeatureSet } from '../../../electron/core/training/catalog-data';
import { getModelRow } from '../../../electron/core/training/model-store';
import { foldCount, foldsOf, foldSplit } from '../../../electron/core/training/folds';
import type { FeatureSet } from '../../../electron/core/training/dataset';
import { DEFAULT_FOLDS } from '../../../electron/core/training/run-training';
import { summarize } from '../../../electron/core/training/retrieval';
import { embedAll, embedModelRow, outcomes, type HeldOutMetrics } from '../../../electron/core/training/validate';
import { catalogFromFeatureSet } from './fixture';

describe('caudal train and caudal models on a catalog', () => {
  it('trains in a worker, validates on held-out data, stores and activates a better model, rolls back', async () => {
    const file = path.join(tmpDir(), 'cat.sqlite');
    catalogFromFeatureSet(file, syntheticSet(2)).close();

    const r = await cli('train', '--catalog', file, '--learners', '2', '--epochs', '80', '--dim', '16', '--seed', '3', '--folds', '2', '--json');
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out);
    expect(out).toMatchObject({ model: expect.any(String), before: { unseen: { rank1: expect.any(Number), map5: expect.any(Number) }, resight: expect.any(Object) }, after: expect.any(Object), seconds: expect.any(Number) });
    expect(out.after.unseen.rank1).toBeGreaterThan(out.before.unseen.rank1 + 0.15);
    expect(out.after.resight.rank1).toBeGreaterThan(out.before.resight.rank1 + 0.15);
    expect(out.activated).toBe(true);

    const c = Catalog.open(file);
    const row = c.db.prepare('SELECT kind, parent_id, active, length(weights) AS bytes, params FROM models WHERE id = ?').get(out.model) as { kind: string; parent_id: string; active: number; bytes: number; params: string };
    expect(row).toMatchObject({ kind: 'fine-tuned', parent_id: 'tiny-backbone', active: 1, bytes: (16 * 48 + 16) * 4 });
    expect(JSON.parse(row.params).head).toEqual({ kind: 'sliced-linear', dimIn: 48, dim: 16, slices: 2, flipAverage: false }); // flukes are handed: no mirror averaging
    expect(c.db.prepare('SELECT COUNT(*) FROM embeddings WHERE model_id = ? AND dim = 16').pluck().get(out.model)).toBe(320);
    // The open-set estimate fitted on the validation runs' held-out photos is stored with the model,
    // and on these well-separated individuals it beats a constant out of sample.
    const { openSet } = JSON.parse(c.db.prepare('SELECT metrics FROM models WHERE id = ?').pluck().get(out.model) as string);
    expect(openSet.query).not.toBeNull();
    expect(openSet.cv.brier).toBeLessThan(openSet.cv.constant);
    // no checkpoint file is left behind
    expect(c.db.prepare("SELECT COUNT(*) FROM jobs WHERE kind = 'train' AND state = 'done'").pluck().get()).toBe(1);
    c.close();

    const list = await cli('models', 'list', '--catalog', file, '--json');
    const models = JSON.parse(list.out);
    expect(models.map((m: { id: string; active: boolean }) => [m.id, m.active])).toEqual([
      ['tiny-backbone', false],
      [out.model, true],
    ]);
    const back = await cli('models', 'rollback', '--catalog', file, '--json');
    expect(back.code, back.err).toBe(0);
    expect(JSON.parse(back.out).model).toBe('tiny-backbone');
    const again = await cli('models', 'activate', out.model, '--catalog', file, '--json');
    expect(JSON.parse(again.out)).toMatchObject({ model: out.model, embedded: 320 });
    const bad = await cli('models', 'activate', 'nope', '--catalog', file, '--json');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("no model 'nope'");
  });

  it('keeps a model that is worse than the active one without activating it', async () => {
    const file = path.join(tmpDir(), 'cat.sqlite');
    catalogFromFeatureSet(file, syntheticSet(2)).close();
    const good = JSON.parse((await cli('train', '--catalog', file, '--learners', '1', '--epochs', '30', '--dim', '16', '--folds', '2', '--json')).out);
    expect(good.activated).toBe(true);
    // One epoch of training is far worse than the active model.
    const weak = await cli('train', '--catalog', file, '--learners', '1', '--epochs', '1', '--dim', '16', '--folds', '2', '--json');
    const w = JSON.parse(weak.out);
    expect(w.activated).toBe(false);
    expect(w.active.id).toBe(good.model);
    const c = Catalog.open(file);
    expect(c.db.prepare('SELECT id FROM models WHERE active = 1').pluck().get()).toBe(good.model);
    expect(c.db.prepare('SELECT COUNT(*) FROM models').pluck().get()).toBe(3);
    c.close();
  });

  it('cancels a running job at an epoch boundary and resumes it from its checkpoint', async () => {
    const file = path.join(tmpDir(), 'cat.sqlite');
    catalogFromFeatureSet(file, syntheticSet(2)).close();
    const b = new Backend(file);
    const epochs: number[] = [];
    b.onEvent((e, p) => {
      if (e === 'training.epoch') epochs.push((p as { report: { epoch: number } }).report.epoch);
    });
    const job = await b.request('training.start', { learners: 2, epochs: 400, dim: 16 });
    while (epochs.length < 3) await new Promise((r) => setTimeout(r, 20));
    b.request('training.cancel', { jobId: job.id });
    const final = await b.jobs.wait(job.id);
    expect(final.state).toBe('cancelled');
    const status = await b.request('training.status', {});
    const done = status.epochs.length;
    expect(done).toBeGreaterThanOrEqual(3);
    expect(done).toBeLessThan(400);
    expect(status.individuals).toBe(40);
    // Simulate a crash: mark it interrupted, then resume; the curve continues from the checkpoint.
    b.catalog.db.prepare("UPDATE jobs SET state = 'interrupted' WHERE id = ?").run(job.id);
    epochs.length = 0;
    b.jobs.resume(job.id);
    while (epochs.length < 1) await new Promise((r) => setTimeout(r, 20));
    b.jobs.cancel(job.id);
    await b.jobs.wait(job.id);
    expect(epochs[0]).toBeGreaterThanOrEqual(done);
    await b.close();
  });
});

/**
 * A catalog whose pretrained model matches on part of its stored feature (the first 20 of 48
 * dimensions), as the shipped backbone does (its final layer only); with its features and model row.
 */
function catalogWithBlocksBackbone() {
  const file = path.join(tmpDir(), 'cat.sqlite');
  const c = catalogFromFeatureSet(file, syntheticSet(2));
  try {
    c.db.prepare("UPDATE models SET params = ? WHERE id = 'tiny-backbone'").run(JSON.stringify({ head: { kind: 'blocks', ranges: [[0, 20]] } }));
    return { file, set: loadFeatureSet(c, 'tiny-backbone'), backbone: getModelRow(c, 'tiny-backbone') };
  } finally {
    c.close();
  }
}

/** A model's held-out metrics pooled over the job's default folds, computed here from the fold definitions. */
function pooledOverFolds(set: FeatureSet, e: { emb: Float32Array; dim: number }): HeldOutMetrics {
  const folds = foldsOf(set, foldCount(set, DEFAULT_FOLDS));
  const splits = folds.map((_, f) => foldSplit(set, folds, f));
  return {
    unseen: summarize(splits.flatMap((s) => outcomes(set, e.emb, e.dim, s.unseen))),
    resight: summarize(splits.flatMap((s) => outcomes(set, e.emb, e.dim, s.resight))),
  };
}

function expectMetrics(got: { unseen: { rank1: number; map5: number }; resight: { rank1: number; map5: number } }, want: HeldOutMetrics) {
  for (const p of ['unseen', 'resight'] as const) {
    expect(got[p].rank1).toBeCloseTo(want[p].rank1, 9);
    expect(got[p].map5).toBeCloseTo(want[p].map5, 9);
  }
}

describe('trainModel (the programmatic entry point)', () => {
  it('runs the train job on a backend and streams epochs', async () => {
    const file = path.join(tmpDir(), 'cat.sqlite');
    catalogFromFeatureSet(file, syntheticSet(2)).close();
    const b = new Backend(file);
    const seen: string[] = [];
    const r = await trainModel(b, { learners: 2, epochs: 4, dim: 16, activate: 'never', folds: 2 }, (e) => seen.push(`${e.phase2}:${e.fold ?? '-'}:${e.epoch}`));
    expect(seen).toEqual(['validate:0:1', 'validate:0:2', 'validate:0:3', 'validate:0:4', 'validate:1:1', 'validate:1:2', 'validate:1:3', 'validate:1:4', 'final:-:1', 'final:-:2', 'final:-:3', 'final:-:4']);
    expect(r.estimate).toMatchObject({ folds: 2, foldsPlanned: 2, reference: { id: 'tiny-backbone', source: 'pretrained' } });
    expect(r.activated).toBe(false);
    expect(b.catalog.db.prepare('SELECT active FROM models WHERE id = ?').pluck().get(r.model)).toBe(0);
    await b.close();
  });

  it("measures 'before' with the pretrained model as search uses it (its own head), not the whole stored feature", async () => {
    const { file, set, backbone } = catalogWithBlocksBackbone();
    const shipped = pooledOverFolds(set, embedModelRow(set, backbone));
    const wholeFeature = pooledOverFolds(set, await embedAll(set, null, true));
    expect(shipped.unseen.rank1).not.toBe(wholeFeature.unseen.rank1); // the test tells the two apart

    const b = new Backend(file);
    const r = await trainModel(b, { learners: 2, epochs: 4, dim: 16, seed: 5, activate: 'never' });
    expectMetrics(r.before, shipped);
    expect(r.active!.id).toBe('tiny-backbone');
    expectMetrics(r.active!.metrics, shipped);
    await b.close();
  });

  it('starts from the pretrained model when asked: reads its blocks, as wide as they are, beats it, and activates', async () => {
    const { file, set, backbone } = catalogWithBlocksBackbone();
    const shipped = pooledOverFolds(set, embedModelRow(set, backbone));

    const r = await cli('train', '--catalog', file, '--start', 'pretrained', '--learners', '2', '--epochs', '100', '--seed', '2', '--activate', 'always', '--json');
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out);
    // 'before' is the pretrained model's own ranking, and the head's starting point.
    expectMetrics(out.before, shipped);
    expect(out.after.resight.rank1).toBeGreaterThan(out.before.resight.rank1);
    const cat = Catalog.open(file);
    const row = cat.db.prepare('SELECT params, length(weights) AS bytes, active FROM models WHERE id = ?').get(out.model) as { params: string; bytes: number; active: number };
    const params = JSON.parse(row.params);
    expect(params.head).toEqual({ kind: 'sliced-linear', dimIn: 20, dim: 20, slices: 2, flipAverage: false, inputRanges: [[0, 20]] });
    expect(params.train).toMatchObject({ start: 'pretrained', lr: 1e-4, epochs: 100, dim: 20 });
    expect(row.bytes).toBe((20 * 20 + 20) * 4);
    expect(row.active).toBe(1);
    // Activation embedded every annotation from its stored 48-d features through the 20-d head.
    expect(cat.db.prepare('SELECT COUNT(*) FROM embeddings WHERE model_id = ? AND dim = 20').pluck().get(out.model)).toBe(320);
    cat.close();

    const bad = await cli('train', '--catalog', file, '--start', 'middle', '--json');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--start must be random or pretrained');
  });
});
