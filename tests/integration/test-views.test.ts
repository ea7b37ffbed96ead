import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Catalog } from '../../electron/core/store/catalog';
import { embedCatalog, embedImageFile } from '../../electron/core/vision/embed';
import { fromBlob } from '../../electron/core/store/embeddings';
import { findManifest, type ModelManifest } from '../../electron/core/vision/manifest';
import { ensurePretrained } from '../../electron/core/vision/models-table';
import { preprocess, type Box } from '../../electron/core/vision/preprocess';
import type { ViewSpec } from '../../electron/core/vision/views';
import { TEST_VIEWS, testViewIndex } from '../../electron/core/vision/views';
import { insertPhoto, texturedJpeg } from '../helpers/catalog-rows';
import { identityManifest, identityModel } from '../helpers/tiny-models';
import { tmpDir } from '../helpers/tmp';

const dir = tmpDir('caudal-test-views-');
process.env.CAUDAL_HOME ??= path.join(dir, 'home');
const VIEWS = ['centre90', 'tl90'];

/** An Identity backbone (its feature is the network input itself), with and without test views. */
function models(): { dir: string; manifest: ModelManifest } {
  const models = tmpDir('caudal-tta-models-');
  const bytes = identityModel(8, 8);
  const base = identityManifest(8, 8);
  const manifest: ModelManifest = { ...base, id: 'identity-tta', sha256: crypto.createHash('sha256').update(bytes).digest('hex'), size: bytes.length, embedding: { views: VIEWS } };
  fs.writeFileSync(path.join(models, manifest.file), bytes);
  fs.writeFileSync(path.join(models, 'identity-tta.json'), JSON.stringify(manifest));
  return { dir: models, manifest };
}

const unit = (v: Float32Array) => {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};

/** What the embedding must be: the normalised mean of the normalised network inputs of the views. */
async function expected(m: ModelManifest, file: string, box: Box | undefined, views: ViewSpec[]): Promise<Float32Array> {
  const sum = new Float32Array(3 * 8 * 8);
  for (const v of views) unit(await preprocess(file, m, box, v)).forEach((x, i) => (sum[i] += x));
  return unit(sum);
}

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => Math.max(s, Math.abs(x - b[i])), 0);

describe('test-time views', () => {
  it('a photo outside the catalog is embedded as the mean of its plain view and the model\'s test views', async () => {
    const { dir: modelsDir, manifest } = models();
    const photo = await texturedJpeg(path.join(dir, 'one.jpg'), 3, 80, 60);
    const c = Catalog.open(path.join(dir, 'one.sqlite'));
    try {
      ensurePretrained(c, findManifest('identity-tta', modelsDir));
      const got = (await embedImageFile(c, photo, undefined, { modelsDir })).vector;
      const want = await expected(manifest, photo, undefined, [{}, ...VIEWS.map((v) => TEST_VIEWS[v])]);
      expect(maxDiff(got, want)).toBeLessThan(1e-5);
      // and the views matter: the plain view alone is another vector
      expect(maxDiff(got, unit(await preprocess(photo, manifest)))).toBeGreaterThan(1e-3);
    } finally {
      c.close();
    }
  });

  it('caudal embed stores the test views beside the training views and embeds with them', async () => {
    const { dir: modelsDir, manifest } = models();
    const c = Catalog.open(path.join(dir, 'new.sqlite'));
    try {
      const photo = await texturedJpeg(path.join(dir, 'two.jpg'), 5, 90, 70);
      const box = { x: 10, y: 8, w: 60, h: 50 };
      const { annotationId } = await insertPhoto(c, photo, { box });
      expect((await embedCatalog(c, { backbone: 'identity-tta', modelsDir, views: 2 })).embedded).toBe(1);
      expect(c.db.prepare('SELECT view FROM features WHERE annotation_id = ? ORDER BY view').pluck().all(annotationId)).toEqual([0, 1, ...VIEWS.map(testViewIndex)]);
      const stored = fromBlob(c.db.prepare('SELECT vector FROM embeddings WHERE annotation_id = ?').pluck().get(annotationId) as Buffer);
      expect(maxDiff(stored, await expected(manifest, photo, box, [{}, ...VIEWS.map((v) => TEST_VIEWS[v])]))).toBeLessThan(1e-5);
    } finally {
      c.close();
    }
  });

  it('a catalog whose pretrained model predates the test views keeps embedding the plain view only (no mix)', async () => {
    const { dir: modelsDir, manifest } = models();
    const c = Catalog.open(path.join(dir, 'old.sqlite'));
    try {
      // The model row as an older Caudal wrote it: the same backbone, no test views in its params.
      const { embedding: _views, ...older } = manifest;
      ensurePretrained(c, older);
      const photo = await texturedJpeg(path.join(dir, 'three.jpg'), 7, 90, 70);
      const box = { x: 5, y: 5, w: 70, h: 50 };
      const { annotationId } = await insertPhoto(c, photo, { box });
      await embedCatalog(c, { modelsDir, views: 2 });
      expect(c.db.prepare('SELECT view FROM features WHERE annotation_id = ? ORDER BY view').pluck().all(annotationId)).toEqual([0, 1]);
      const stored = fromBlob(c.db.prepare('SELECT vector FROM embeddings WHERE annotation_id = ?').pluck().get(annotationId) as Buffer);
      expect(maxDiff(stored, unit(await preprocess(photo, manifest, box)))).toBeLessThan(1e-5);
    } finally {
      c.close();
    }
  });
});
