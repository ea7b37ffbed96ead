import path from 'node:path';
import { Backend } from '../../electron/core/api/backend';
import { buildReviewCatalog, type ReviewFixture } from '../helpers/review-fixture';
import { tmpDir } from '../helpers/tmp';

/** The review backend on a real catalog, ranked by the real matcher over constructed embeddings. */
describe('review backend', () => {
  let fx: ReviewFixture;
  let b: Backend;

  beforeAll(async () => {
    fx = await buildReviewCatalog(path.join(tmpDir(), 'review.sqlite'), { individuals: 6, photosPerIndividual: 2, queries: 4, newQueries: 2 });
  });
  beforeEach(() => {
    b = new Backend(fx.file);
    b.catalog.db.exec('SAVEPOINT t');
  });
  afterEach(async () => {
    b.catalog.db.exec('ROLLBACK TO t; RELEASE t');
    await b.close();
  });

  const ann = (id: number) =>
    b.catalog.db.prepare('SELECT individual_id, identified_by, identified_at FROM annotations WHERE id = ?').get(id) as Record<string, unknown>;

  it('queues the unidentified annotations in encounter order with counts', async () => {
    const q = await b.request('review.queue', { limit: 3 });
    expect(q.done).toBe(12);
    expect(q.left).toBe(6);
    expect(q.items.map((i) => i.annotationId)).toEqual(fx.queries.slice(0, 3).map((x) => x.annotationId));
    const rest = await b.request('review.queue', { offset: 3, limit: 10 });
    expect(rest.items.map((i) => i.annotationId)).toEqual(fx.queries.slice(3).map((x) => x.annotationId));
  });

  it('ranks the true individual first and shows its photos', async () => {
    const [q] = fx.queries;
    const item = await b.request('review.item', { annotationId: q.annotationId });
    expect(item.candidates[0].individualId).toBe(q.truth);
    expect(item.candidates[0].best.box.w).toBeGreaterThan(0);
    expect(item.candidates[0].others).toHaveLength(1);
    expect(item.candidates[0].photoCount).toBe(2);
    expect(item.candidates[0].score).toBeGreaterThan(item.candidates[1].score);
  });

  it('confirm, reject, new and skip are logged with reviewer, model, rank and score; undo restores exactly', async () => {
    await b.request('settings.set', { key: 'reviewer', value: 'Ana Rodrigues' });
    const [q1, q2, q3] = fx.queries;
    const before = ann(q1.annotationId);
    const c = await b.request('review.decide', { annotationId: q1.annotationId, action: 'confirm', individualId: q1.truth!, rank: 1, score: 0.93 });
    expect(c.decision).toMatchObject({ decision: 'confirm', reviewer: 'Ana Rodrigues', modelId: fx.modelId, rank: 1, score: 0.93 });
    expect(ann(q1.annotationId)).toMatchObject({ individual_id: q1.truth, identified_by: 'Ana Rodrigues' });
    expect((await b.request('review.queue', {})).left).toBe(5);
    await b.request('review.undo', {});
    expect(ann(q1.annotationId)).toEqual(before);

    // A rejected candidate leaves the list for that query.
    const wrong = fx.individuals.find((i) => i.id !== q2.truth)!.id;
    await b.request('review.decide', { annotationId: q2.annotationId, action: 'reject', individualId: wrong, rank: 2 });
    const item = await b.request('review.item', { annotationId: q2.annotationId });
    expect(item.candidates.map((x) => x.individualId)).not.toContain(wrong);

    // New individuals get the next zero-padded code; an undone code is never handed out again.
    await b.request('settings.set', { key: 'codePrefix', value: 'MN-' });
    const n1 = await b.request('review.decide', { annotationId: q3.annotationId, action: 'new', rank: 3 });
    expect(n1.individual!.code).toBe('MN-0001');
    const [undone] = (await b.request('review.undo', {})).undone;
    expect(undone.undoneAt).not.toBeNull();
    expect(b.catalog.db.prepare('SELECT COUNT(*) FROM individuals WHERE id = ?').pluck().get(n1.individual!.id)).toBe(0);
    expect(ann(q3.annotationId)).toMatchObject({ individual_id: null, identified_by: null, identified_at: null });
    const n2 = await b.request('review.decide', { annotationId: q3.annotationId, action: 'new' });
    expect(n2.individual!.code).toBe('MN-0002');

    // Skipped queries go to the end of the queue.
    const q4 = fx.queries[3];
    await b.request('review.decide', { annotationId: q4.annotationId, action: 'skip' });
    const queue = await b.request('review.queue', {});
    expect(queue.items.at(-1)).toMatchObject({ annotationId: q4.annotationId, skipped: true });
    expect(queue.skipped).toBe(1);

    const log = b.catalog.db.prepare('SELECT decision, undone_at IS NOT NULL AS undone FROM decisions ORDER BY id').all();
    expect(log).toEqual([
      { decision: 'confirm', undone: 1 },
      { decision: 'reject', undone: 0 },
      { decision: 'new', undone: 1 },
      { decision: 'new', undone: 0 },
      { decision: 'skip', undone: 0 },
    ]);
    expect(() => b.catalog.db.prepare('DELETE FROM decisions').run()).toThrow(/append-only/);
  });

  it('refuses to undo out of order and names bad input', async () => {
    const [q1] = fx.queries;
    const first = await b.request('review.decide', { annotationId: q1.annotationId, action: 'confirm', individualId: fx.individuals[0].id });
    await b.request('review.decide', { annotationId: q1.annotationId, action: 'confirm', individualId: fx.individuals[1].id });
    await expect(b.request('review.undo', { decisionId: first.decision.id })).rejects.toThrow(/changed again later/);
    await expect(b.request('review.decide', { annotationId: q1.annotationId, action: 'confirm' })).rejects.toThrow(/individualId/);
    await expect(b.request('review.decide', { annotationId: 999999, action: 'skip' })).rejects.toThrow(/no annotation 999999/);
  });

  it('lists, searches, renames, merges (with undo) and splits individuals', async () => {
    const list = await b.request('individuals.list', { limit: 4 });
    expect(list.total).toBe(6);
    expect(list.items[0]).toMatchObject({ code: 'HW-0001', name: 'Salt', photos: 2, sightings: 2 });
    expect(list.items[0].cover?.photoId).toBeGreaterThan(0);
    expect((await b.request('individuals.list', { search: 'pepp' })).items.map((i) => i.code)).toEqual(['HW-0002']);
    expect((await b.request('individuals.list', { search: 'hw-0003' })).items.map((i) => i.code)).toEqual(['HW-0003']);

    const [a, c] = fx.individuals;
    await b.request('individuals.rename', { id: a.id, name: 'Salty' });
    expect((await b.request('individuals.get', { id: a.id })).individual.name).toBe('Salty');

    const photosOfC = b.catalog.db.prepare('SELECT id FROM annotations WHERE individual_id = ?').pluck().all(c.id);
    const merged = await b.request('individuals.merge', { sourceId: c.id, targetId: a.id });
    expect(merged.decisions).toHaveLength(2);
    const page = await b.request('individuals.get', { id: a.id });
    expect(page.photos).toHaveLength(4);
    expect(page.history.map((h) => h.decision)).toEqual(['merge', 'merge', 'rename']);
    expect((await b.request('individuals.list', {})).total).toBe(5);
    const undone = await b.request('review.undo', {});
    expect(undone.undone).toHaveLength(2);
    expect(b.catalog.db.prepare('SELECT id FROM annotations WHERE individual_id = ?').pluck().all(c.id)).toEqual(photosOfC);
    expect(b.catalog.db.prepare('SELECT merged_into FROM individuals WHERE id = ?').pluck().get(c.id)).toBeNull();

    const split = await b.request('individuals.split', { annotationId: photosOfC[0] as number });
    expect(split.individual!.code).toBe('ID-0001');
    expect((await b.request('individuals.get', { id: c.id })).photos).toHaveLength(1);
    await b.request('review.undo', {});
    expect((await b.request('individuals.get', { id: c.id })).photos).toHaveLength(2);
    await b.request('review.undo', {}); // the rename
    expect((await b.request('individuals.get', { id: a.id })).individual.name).toBe('Salt');
  });

  it('orders by match confidence when the setting says so', async () => {
    await b.request('settings.set', { key: 'queueOrder', value: 'confidence' });
    const q = await b.request('review.queue', {});
    const scores = q.items.map((i) => i.bestScore!);
    expect(scores).toEqual([...scores].sort((x, y) => y - x));
    // the two animals not in the catalog score lowest
    expect(new Set(q.items.slice(-2).map((i) => i.annotationId))).toEqual(new Set(fx.queries.slice(-2).map((x) => x.annotationId)));
  });

  it('hands out the next code after the highest with the prefix, zero-padded, whatever else exists', async () => {
    const ins = b.catalog.db.prepare('INSERT INTO individuals(code) VALUES (?)');
    for (const code of ['ID-0009', 'ID-12', 'IDX-0500', 'ID-A7', 'id-0400']) ins.run(code);
    const [q] = fx.queries;
    const r = await b.request('review.decide', { annotationId: q.annotationId, action: 'new' });
    expect(r.individual!.code).toBe('ID-0013');
    await b.request('settings.set', { key: 'codePrefix', value: 'Mn' });
    const r2 = await b.request('individuals.split', { annotationId: q.annotationId });
    expect(r2.individual!.code).toBe('Mn0001');
  });
});
