import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Catalog } from '../../electron/core/store/catalog';
import { runCli } from '../../electron/cli/main';
import { embedCatalog, embedImageFile } from '../../electron/core/vision/embed';
import { embedFromFeatures } from '../../electron/core/vision/embed-from-features';
import { fromBlob } from '../../electron/core/store/embeddings';
import { headFor, registerHeadKind, type ModelRow } from '../../electron/core/vision/heads';
import { SHIPPED_TEST_VIEWS, testViewIndex } from '../../electron/core/vision/views';
import { simpleMatch } from '../../electron/core/match/simple-match';
import { insertIndividual, insertPhoto, texturedJpeg } from '../helpers/catalog-rows';
import { tinyConvManifest, tinyConvModel } from '../helpers/tiny-models';
import { tmpDir } from '../helpers/tmp';
import { sharedPath } from '../helpers/shared';

const DIM = 2432;
const dir = tmpDir('caudal-embed-');
process.env.CAUDAL_HOME ??= path.join(dir, 'home'); // checksum cache and user model folder, per test run

beforeAll(() => {
  sharedPath('models', 'mobilenetv2-12-int8.onnx');
});

async function catalogWithPhotos(name: string, n: number, bodyPart = 'fluke'): Promise<{ file: string; annotations: number[]; photos: string[] }> {
  const file = path.join(dir, `${name}.sqlite`);
  const c = Catalog.open(file);
  const annotations: number[] = [];
  const photos: string[] = [];
  for (let i = 0; i < n; i++) {
    const photo = await texturedJpeg(path.join(dir, `${name}-${i}.jpg`), i + 1, 160, 120);
    photos.push(photo);
    annotations.push((await insertPhoto(c, photo, { box: { x: 20 + i, y: 10, w: 100, h: 80 }, bodyPart })).annotationId);
  }
  c.close();
  return { file, annotations, photos };
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

const unitNorm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

describe('embedding job', () => {
  it('caudal embed embeds every annotation on CPU, stores all views, and a second run embeds 0', async () => {
    const { file, annotations } = await catalogWithPhotos('cli', 5);
    const first = await cli(['embed', '--catalog', file, '--json']);
    expect(first.code).toBe(0);
    const r = JSON.parse(first.out);
    expect(r).toMatchObject({ embedded: 5, model: 'mobilenetv2-12-int8', executionProvider: 'cpu', failed: 0 });
    expect(typeof r.seconds).toBe('number');
    const c = Catalog.open(file);
    try {
      const model = c.db.prepare('SELECT * FROM models').get() as ModelRow;
      expect(model).toMatchObject({ id: 'mobilenetv2-12-int8', kind: 'pretrained', active: 1 });
      const views = c.db.prepare('SELECT annotation_id, view, dim FROM features ORDER BY annotation_id, view').all() as Array<{ annotation_id: number; view: number; dim: number }>;
      // training views 0-3, then the shipped test views (views.ts) the pretrained embedding averages
      const tests = SHIPPED_TEST_VIEWS.map(testViewIndex);
      expect(views).toEqual(annotations.flatMap((a) => [0, 1, 2, 3, ...tests].map((view) => ({ annotation_id: a, view, dim: DIM }))));
      const e = c.db.prepare('SELECT annotation_id, dim, vector FROM embeddings ORDER BY annotation_id').all() as Array<{ annotation_id: number; dim: number; vector: Buffer }>;
      expect(e).toHaveLength(5);
      for (const row of e) expect(unitNorm(fromBlob(row.vector))).toBeCloseTo(1, 5);
      // the pretrained embedding is the final layer's GeM block of the stored feature (the measured choice),
      // renormalised, averaged over the plain view and the test views
      expect(e[0].dim).toBe(1280);
      const mean = new Float32Array(1280);
      for (const view of [0, ...tests]) {
        const block = fromBlob(c.db.prepare('SELECT vector FROM features WHERE annotation_id = ? AND view = ?').pluck().get(e[0].annotation_id, view) as Buffer).slice(DIM - 1280);
        const norm = unitNorm(block);
        block.forEach((x, i) => (mean[i] += x / norm));
      }
      const norm = unitNorm(mean);
      fromBlob(e[0].vector).forEach((x, i) => expect(x).toBeCloseTo(mean[i] / norm, 6));
      // the views differ: mirror and augmentations are not copies of the plain crop
      const v = c.db.prepare('SELECT vector FROM features WHERE annotation_id = ? ORDER BY view').pluck().all(annotations[0]) as Buffer[];
      expect(new Set(v.map((b) => crypto.createHash('md5').update(b).digest('hex'))).size).toBe(4 + tests.length);
    } finally {
      c.close();
    }
    const second = await cli(['embed', '--catalog', file, '--json']);
    expect(JSON.parse(second.out)).toMatchObject({ embedded: 0, executionProvider: 'cpu' });
    // a moved box invalidates that annotation only
    const c2 = Catalog.open(file);
    c2.db.prepare('UPDATE annotations SET x = x + 5 WHERE id = ?').run(annotations[2]);
    c2.close();
    expect(JSON.parse((await cli(['embed', '--catalog', file, '--json'])).out).embedded).toBe(1);
    const bad = await cli(['embed', '--catalog', file, '--device', 'tpu']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--device must be one of/);
  });

  it('embeds what `caudal import` brought in (8 seals-dev full frames), and nothing on a second run', async () => {
    const root = sharedPath('datasets', 'seals-dev');
    const files = fs
      .readFileSync(path.join(root, 'labels.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1, 9)
      .map((l) => path.join(root, l.split(',')[0]));
    const file = path.join(dir, 'imported.sqlite');
    const imp = await cli(['import', ...files, '--catalog', file, '--json']);
    expect(imp.code, imp.err).toBe(0);
    const c = Catalog.open(file);
    const annotations = c.db.prepare('SELECT COUNT(*) FROM annotations').pluck().get() as number;
    c.close();
    expect(annotations).toBeGreaterThan(0);
    const first = JSON.parse((await cli(['embed', '--catalog', file, '--json'])).out);
    expect(first).toMatchObject({ embedded: annotations, executionProvider: 'cpu', failed: 0 });
    expect(JSON.parse((await cli(['embed', '--catalog', file, '--json'])).out).embedded).toBe(0);
  });

  it('is cancellable and resumes where it stopped; a missing photo is reported, not fatal', async () => {
    const { file, annotations, photos } = await catalogWithPhotos('resume', 6);
    fs.renameSync(photos[5], `${photos[5]}.away`);
    const c = Catalog.open(file);
    try {
      const abort = new AbortController();
      // Embeddings are written batch by batch with the features, so the progress count and the
      // catalog's "embedded" count are the same number at every step (the sidebar shows both).
      const seen: Array<[number, number | null, number]> = [];
      const embeddedNow = () => c.db.prepare('SELECT COUNT(*) FROM embeddings').pluck().get() as number;
      const first = await embedCatalog(c, {
        batchSize: 2,
        views: 2,
        signal: abort.signal,
        progress: (done, total) => {
          seen.push([done, total, embeddedNow()]);
          if (done >= 2) abort.abort();
        },
      });
      expect(seen[0]).toEqual([0, annotations.length, 0]);
      for (const [done, , embedded] of seen) expect(embedded).toBe(done);
      const stored = c.db.prepare('SELECT COUNT(DISTINCT annotation_id) FROM features').pluck().get() as number;
      expect(stored).toBeGreaterThanOrEqual(2);
      expect(stored).toBeLessThan(5);
      expect(first.embedded).toBe(stored);
      expect(embeddedNow()).toBe(stored);
      const second = await embedCatalog(c, { batchSize: 2, views: 2 });
      expect(second).toMatchObject({ embedded: 5 - stored, failed: 1 });
      expect(second.warnings.join('\n')).toContain(`${photos[5]} is missing`);
      expect(c.db.prepare('SELECT COUNT(*) FROM features').pluck().get()).toBe(5 * (2 + SHIPPED_TEST_VIEWS.length));
      fs.renameSync(`${photos[5]}.away`, photos[5]);
      expect((await embedCatalog(c, { views: 2 })).embedded).toBe(1);
      expect(c.db.prepare('SELECT COUNT(*) FROM embeddings').pluck().get()).toBe(annotations.length);
    } finally {
      c.close();
    }
  });

  it('re-embeds a new model from stored features without decoding a photo, and embeds a photo outside the catalog', async () => {
    const { file, annotations, photos } = await catalogWithPhotos('heads', 3, 'flank');
    const c = Catalog.open(file);
    try {
      c.store.settings.set('flipAverage', 'flank');
      await embedCatalog(c, { views: 2 });
      const plain = fromBlob(c.db.prepare('SELECT vector FROM features WHERE annotation_id = ? AND view = 0').pluck().get(annotations[0]) as Buffer);
      const mirror = fromBlob(c.db.prepare('SELECT vector FROM features WHERE annotation_id = ? AND view = 1').pluck().get(annotations[0]) as Buffer);
      const tests = SHIPPED_TEST_VIEWS.map((v) => fromBlob(c.db.prepare('SELECT vector FROM features WHERE annotation_id = ? AND view = ?').pluck().get(annotations[0], testViewIndex(v)) as Buffer));
      const stored = fromBlob(c.db.prepare('SELECT vector FROM embeddings WHERE annotation_id = ?').pluck().get(annotations[0]) as Buffer);
      // flank: the embedding is the normalised mean of the crop's, the mirror's and the test views'
      const pre = headFor(c.db.prepare('SELECT * FROM models').get() as ModelRow);
      const mean = new Float32Array(1280);
      for (const f of [plain, mirror, ...tests]) pre(f, 1, DIM).vectors.forEach((x, i) => (mean[i] += x));
      const n = unitNorm(mean);
      stored.forEach((x, i) => expect(x).toBeCloseTo(mean[i] / n, 6));

      // the same box of the same photo, embedded from outside the catalog, gives the stored vector
      const box = c.db.prepare('SELECT x, y, w, h FROM annotations WHERE id = ?').get(annotations[0]) as { x: number; y: number; w: number; h: number };
      const outside = await embedImageFile(c, photos[0], box, { bodyPart: 'flank' });
      expect(outside).toMatchObject({ model: 'mobilenetv2-12-int8', dim: 1280, executionProvider: 'cpu' });
      outside.vector.forEach((x, i) => expect(x).toBeCloseTo(stored[i], 5));

      // a trained head (registered by its kind) re-embeds from features, with every photo gone
      registerHeadKind('test-first16', () => (features, rows, dimIn) => {
        const out = new Float32Array(rows * 16);
        for (let r = 0; r < rows; r++) {
          let s = 0;
          for (let j = 0; j < 16; j++) s += features[r * dimIn + j] ** 2;
          for (let j = 0; j < 16; j++) out[r * 16 + j] = features[r * dimIn + j] / Math.sqrt(s);
        }
        return { vectors: out, dim: 16 };
      });
      c.db
        .prepare("INSERT INTO models(id, name, kind, parent_id, manifest, params) VALUES ('ft1', 'fine-tuned', 'fine-tuned', 'mobilenetv2-12-int8', '{}', ?)")
        .run(JSON.stringify({ head: { kind: 'test-first16' } }));
      for (const p of photos) fs.rmSync(p);
      expect(embedFromFeatures(c, 'ft1')).toBe(3);
      expect(c.db.prepare("SELECT dim FROM embeddings WHERE model_id = 'ft1'").pluck().all()).toEqual([16, 16, 16]);
      expect(embedFromFeatures(c, 'ft1')).toBe(0);
    } finally {
      c.close();
    }
  });

  it('runs on another backbone (a tiny conv net with its own manifest) unchanged: embed and search', async () => {
    const models = tmpDir('caudal-models-');
    const bytes = tinyConvModel();
    const manifest = tinyConvManifest(crypto.createHash('sha256').update(bytes).digest('hex'), bytes.length);
    fs.writeFileSync(path.join(models, manifest.file), bytes);
    fs.writeFileSync(path.join(models, 'tinyconv.json'), JSON.stringify(manifest));
    const { file, annotations, photos } = await catalogWithPhotos('tiny', 4);
    const c = Catalog.open(file);
    try {
      const ind = [insertIndividual(c, 'A'), insertIndividual(c, 'B')];
      annotations.forEach((a, i) => c.db.prepare('UPDATE annotations SET individual_id = ? WHERE id = ?').run(ind[i % 2], a));
      // a second photo of individual A: the first photo again, re-encoded
      const again = path.join(dir, 'tiny-again.jpg');
      fs.writeFileSync(again, fs.readFileSync(photos[0]));
      fs.appendFileSync(again, Buffer.from([0])); // different bytes (sha), same pixels
      const q = await insertPhoto(c, again, { box: { x: 20, y: 10, w: 100, h: 80 } });
      const r = await embedCatalog(c, { backbone: 'tinyconv-test', modelsDir: models, views: 2 });
      expect(r).toMatchObject({ embedded: 5, model: 'tinyconv-test', executionProvider: 'cpu' });
      expect(c.db.prepare('SELECT DISTINCT dim FROM embeddings').pluck().all()).toEqual([8 * 2 + 3]);
      const match = simpleMatch(c, q.annotationId, 2);
      expect(match.modelId).toBe('tinyconv-test');
      expect(match.candidates[0].individualId).toBe(ind[0]);
      expect(match.candidates[0].evidence[0].annotationId).toBe(annotations[0]);
      expect(match.candidates[0].score).toBeCloseTo(1, 5);
    } finally {
      c.close();
    }
  });
});
