import fs from 'node:fs';
import path from 'node:path';
import { Catalog } from '../../electron/core/store/catalog';
import { embedCatalog, embedImageFile } from '../../electron/core/vision/embed';
import { FeatureExtractor } from '../../electron/core/vision/extractor';
import { fromBlob } from '../../electron/core/store/embeddings';
import { findManifest } from '../../electron/core/vision/manifest';
import { preprocess } from '../../electron/core/vision/preprocess';
import { insertPhoto } from '../helpers/catalog-rows';
import { sharedPath } from '../helpers/shared';
import { tmpDir } from '../helpers/tmp';

const dir = tmpDir('caudal-backbone-');
process.env.CAUDAL_HOME ??= path.join(dir, 'home');

/** Twelve nyala photos of different individuals (a subset keeps the test to seconds). */
function nyalaSubset(n = 12): string[] {
  const root = sharedPath('datasets', 'nyala-dev');
  const seen = new Set<string>();
  const out: string[] = [];
  for (const line of fs.readFileSync(path.join(root, 'labels.csv'), 'utf8').trim().split('\n').slice(1)) {
    const [image, individual] = line.split(',');
    if (seen.has(individual)) continue;
    seen.add(individual);
    out.push(path.join(root, image));
    if (out.length === n) break;
  }
  return out;
}

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i], 0);

describe('the real backbone (shared mobilenetv2-12-int8)', () => {
  it('gives the same features for the same photo, in any batch and any session', async () => {
    const m = findManifest();
    const photos = nyalaSubset(3);
    const x = await Promise.all(photos.map((p) => preprocess(p, m)));
    const per = x[0].length;
    const batch = new Float32Array(per * 3);
    x.forEach((t, i) => batch.set(t, i * per));
    const a = await FeatureExtractor.open(m, { device: 'cpu' });
    const b = await FeatureExtractor.open(m, { device: 'cpu' });
    const one = await a.run(x[1], 1);
    const three = await b.run(batch, 3);
    expect(Array.from(three.slice(a.dim, 2 * a.dim))).toEqual(Array.from(one));
    expect(Array.from(await a.run(x[1], 1))).toEqual(Array.from(one));
    expect(one.length).toBe(2432);
    expect(one.every(Number.isFinite)).toBe(true);
    await a.release();
    await b.release();
  });

  it('a photo is nearer its own crop than any other photo', async () => {
    const photos = nyalaSubset(12);
    const file = path.join(dir, 'nyala.sqlite');
    const c = Catalog.open(file);
    try {
      const ids: number[] = [];
      for (const p of photos) ids.push((await insertPhoto(c, p)).annotationId);
      expect((await embedCatalog(c, { views: 2 })).embedded).toBe(12);
      const vectors = ids.map((id) => fromBlob(c.db.prepare('SELECT vector FROM embeddings WHERE annotation_id = ?').pluck().get(id) as Buffer));
      for (let i = 0; i < photos.length; i++) {
        const { width, height } = c.db.prepare('SELECT width, height FROM photos p JOIN annotations a ON a.photo_id = p.id WHERE a.id = ?').get(ids[i]) as { width: number; height: number };
        // the central 70% of the photo, off-centre a little
        const crop = { x: width * 0.1, y: height * 0.2, w: width * 0.7, h: height * 0.7 };
        const q = (await embedImageFile(c, photos[i], crop)).vector;
        const scores = vectors.map((v) => dot(q, v));
        const best = scores.indexOf(Math.max(...scores));
        expect(best, `photo ${path.basename(photos[i])}: scores ${scores.map((s) => s.toFixed(3)).join(' ')}`).toBe(i);
      }
    } finally {
      c.close();
    }
  });
});
