import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { Catalog } from '../../../electron/core/store/catalog';
import { manifestOf } from '../../../electron/core/vision/models-table';
import { preprocess } from '../../../electron/core/vision/preprocess';
import { runCaudal as cli } from '../../helpers/cli';
import { sharedPath } from '../../helpers/shared';
import { tmpDir } from '../../helpers/tmp';

// A subset of nyala-dev (5 individuals, about 35 photos) keeps this under a minute on 2 cores.
describe('fine-tuning on a catalog built from real photos', () => {
  it('imports, embeds, trains, activates, and exports an ONNX file that reproduces the catalog embedding', async () => {
    const ds = sharedPath('datasets', 'nyala-dev');
    const lines = fs.readFileSync(path.join(ds, 'labels.csv'), 'utf8').trim().split('\n');
    const chosen = new Set([...new Set(lines.slice(1).map((l) => l.split(',')[1]))].slice(0, 5));
    const rows = lines.slice(1).filter((l) => chosen.has(l.split(',')[1]));
    const dir = tmpDir();
    const csv = path.join(dir, 'labels.csv');
    fs.writeFileSync(csv, [lines[0], ...rows.map((l) => l.replace(/^[^,]+/, (img) => path.join(ds, img)))].join('\n'));
    const file = path.join(dir, 'nyala.sqlite');
    const c0 = Catalog.open(file);
    c0.store.settings.set('bodyPart', 'flank');
    c0.close();
    expect((await cli('import', ...rows.map((l) => path.join(ds, l.split(',')[0])), '--labels', csv, '--catalog', file, '--json')).code).toBe(0);
    const emb = await cli('embed', '--catalog', file, '--views', '2', '--json');
    expect(emb.code, emb.err).toBe(0);

    const r = await cli('train', '--catalog', file, '--learners', '2', '--epochs', '15', '--dim', '32', '--activate', 'always', '--json');
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.after.unseen.rank1).toBeGreaterThanOrEqual(0);
    // The estimate on the user's own individuals: folds over individuals (5 individuals: 2 folds of 2),
    // every individual queried, each number with a 95% interval around it, and a recommendation with its reason.
    expect(out.estimate).toMatchObject({ folds: 2, foldsPlanned: 2, reference: { id: 'mobilenetv2-12-int8', source: 'pretrained' } });
    expect(out.estimate.candidate.unseen.individuals).toBe(5);
    expect(out.estimate.candidate.unseen.queries).toBe(out.estimate.pretrained.unseen.queries);
    for (const m of [out.estimate.pretrained, out.estimate.candidate, out.estimate.gainOverPretrained])
      for (const e of [m.unseen.rank1, m.unseen.map5, m.resight.rank1, m.resight.map5, m.score]) {
        expect(e.lo).toBeLessThanOrEqual(e.value);
        expect(e.hi).toBeGreaterThanOrEqual(e.value);
      }
    expect(out.after.unseen.rank1).toBe(out.estimate.candidate.unseen.rank1.value);
    expect(out.recommended).toBe(out.estimate.gainOverPretrained.score.lo > 0);
    expect(out.reason).toMatch(/gain over the pretrained model/);
    const c = Catalog.open(file);
    const annotations = c.db.prepare('SELECT COUNT(*) FROM annotations').pluck().get() as number;
    expect(annotations).toBe(rows.length);
    expect(c.db.prepare('SELECT COUNT(*) FROM embeddings WHERE model_id = ? AND dim = 32').pluck().get(out.model)).toBe(annotations);
    const first = c.db.prepare('SELECT a.id, p.path, e.vector FROM annotations a JOIN photos p ON p.id = a.photo_id JOIN embeddings e ON e.annotation_id = a.id AND e.model_id = ? ORDER BY a.id LIMIT 1').get(out.model) as { id: number; path: string; vector: Buffer };
    const manifest = manifestOf(c, 'mobilenetv2-12-int8');
    const box = c.db.prepare('SELECT x, y, w, h FROM annotations WHERE id = ?').get(first.id) as { x: number; y: number; w: number; h: number };
    c.close();

    const onnxFile = path.join(dir, 'model.onnx');
    const ex = await cli('models', 'export', out.model, '--out', onnxFile, '--catalog', file, '--json');
    expect(ex.code, ex.err).toBe(0);
    const session = await ort.InferenceSession.create(onnxFile);
    const tensor = await preprocess(first.path, manifest, box);
    const e = (await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', tensor, [1, 3, manifest.input.height, manifest.input.width]) })).embedding.data as Float32Array;
    const stored = new Float32Array(first.vector.buffer.slice(first.vector.byteOffset, first.vector.byteOffset + first.vector.byteLength));
    let cos = 0;
    for (let j = 0; j < 32; j++) cos += e[j] * stored[j];
    // The catalog's mirror view is rendered by sharp, the file mirrors the tensor: equal up to resampling.
    expect(cos).toBeGreaterThan(0.995);
  });
});
