import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { onnx } from 'onnx-proto';
import { runCli } from '../../../electron/cli/main';
import { Catalog } from '../../../electron/core/store/catalog';
import { LinearHead } from '../../../electron/core/training/head';
import { HEAD_KIND } from '../../../electron/core/vision/sliced-linear-head';
import { setFeatureGraphBuilder } from '../../../electron/core/training/model-onnx';
import { activateModel, saveModel } from '../../../electron/core/training/model-store';
import { Rng } from '../../../electron/core/training/random';
import { tmpDir } from '../../helpers/tmp';

// A stand-in backbone: image [N,3,4,4] -> Relu(Flatten) = a 48-d feature. Real ONNX, real onnxruntime.
function tinyBackbone(): Uint8Array {
  const F = onnx.TensorProto.DataType.FLOAT;
  const m = onnx.ModelProto.create({
    irVersion: 7,
    opsetImport: [{ domain: '', version: 12 }],
    graph: {
      name: 'tiny',
      node: [
        { opType: 'Flatten', input: ['input'], output: ['flat'], attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }] },
        { opType: 'Relu', input: ['flat'], output: ['feat'] },
      ],
      input: [{ name: 'input', type: { tensorType: { elemType: F, shape: { dim: [{ dimParam: 'N' }, { dimValue: 3 }, { dimValue: 4 }, { dimValue: 4 }] } } } }],
      output: [{ name: 'feat', type: { tensorType: { elemType: F, shape: { dim: [{ dimParam: 'N' }, { dimValue: 48 }] } } } }],
    },
  });
  return onnx.ModelProto.encode(m).finish();
}

const mirror = (x: Float32Array) => {
  const out = new Float32Array(x.length);
  for (let c = 0; c < 3; c++) for (let y = 0; y < 4; y++) for (let xx = 0; xx < 4; xx++) out[c * 16 + y * 4 + xx] = x[c * 16 + y * 4 + (3 - xx)];
  return out;
};

describe('model export as one ONNX file', () => {
  // A head on the whole stored feature, and one reading two ranges of it (as a head started from the
  // pretrained model reads the blocks that model matches on).
  it.each([
    { reads: 'the whole feature', inputRanges: undefined, dimIn: 48 },
    { reads: 'two ranges of the feature', inputRanges: [[4, 12], [30, 8]] as Array<[number, number]>, dimIn: 20 },
  ])('reading $reads, gives the same embedding as the catalog path (flip-averaged), and imports into another catalog', async ({ inputRanges, dimIn }) => {
    const dir = tmpDir();
    const file = path.join(dir, 'a.sqlite');
    const c = Catalog.open(file);
    const backbone = tinyBackbone();
    const session = await ort.InferenceSession.create(backbone);
    const feat = async (x: Float32Array) => (await session.run({ input: new ort.Tensor('float32', x, [1, 3, 4, 4]) })).feat.data as Float32Array;
    const rng = new Rng(1);
    const images: Float32Array[] = [];
    c.db.prepare("INSERT INTO models(id, name, kind, manifest, active) VALUES ('tiny', 'Tiny', 'pretrained', '{}', 1)").run();
    for (let i = 0; i < 6; i++) {
      const x = Float32Array.from({ length: 48 }, () => rng.normal());
      images.push(x);
      const p = c.db.prepare('INSERT INTO photos(sha256, path, original_name, width, height) VALUES (?, ?, ?, 4, 4)').run(`s${i}`, `/p${i}`, `p${i}`).lastInsertRowid;
      const a = c.db.prepare("INSERT INTO annotations(photo_id, x, y, w, h, body_part) VALUES (?, 0, 0, 4, 4, 'flank')").run(p).lastInsertRowid;
      for (const [v, img] of [
        [0, x],
        [1, mirror(x)],
      ] as const)
        c.db.prepare("INSERT INTO features(annotation_id, backbone_id, view, dim, vector) VALUES (?, 'tiny', ?, 48, ?)").run(a, v, Buffer.from((await feat(img)).slice().buffer));
    }
    const head = LinearHead.init(dimIn, 8, 2, rng);
    const { W, b } = head.folded();
    const id = saveModel(c, { parentId: 'tiny', head: { kind: HEAD_KIND, dimIn, dim: 8, slices: 2, flipAverage: true, ...(inputRanges ? { inputRanges } : {}) }, W, b, train: {}, metrics: { note: 'test' } });
    c.store.settings.set('flipAverage', 'flank');
    expect(activateModel(c, id).embedded).toBe(6);
    c.close();

    const restore = setFeatureGraphBuilder(() => backbone);
    try {
      const out = path.join(dir, 'model.onnx');
      const io = { out: () => {}, err: (t: string) => console.error(t) };
      expect(await runCli(['models', 'export', id, '--out', out, '--catalog', file, '--json'], io)).toBe(0);
      const exported = await ort.InferenceSession.create(out);
      expect(exported.inputNames).toEqual(['caudal_image']);
      const batch = new Float32Array(6 * 48);
      images.forEach((x, i) => batch.set(x, i * 48));
      const e = (await exported.run({ caudal_image: new ort.Tensor('float32', batch, [6, 3, 4, 4]) })).embedding;
      expect(e.dims).toEqual([6, 8]);
      const c2 = Catalog.open(file);
      const stored = c2.db.prepare('SELECT vector FROM embeddings WHERE model_id = ? ORDER BY annotation_id').pluck().all(id) as Buffer[];
      c2.close();
      stored.forEach((buf, i) => {
        const v = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
        for (let j = 0; j < 8; j++) expect((e.data as Float32Array)[i * 8 + j]).toBeCloseTo(v[j], 5);
      });

      // Another catalog with the same backbone takes the file in, weights and all.
      const other = path.join(dir, 'b.sqlite');
      const cb = Catalog.open(other);
      cb.db.prepare("INSERT INTO models(id, name, kind, manifest, active) VALUES ('tiny', 'Tiny', 'pretrained', '{}', 1)").run();
      cb.close();
      const lines: string[] = [];
      expect(await runCli(['models', 'import', out, '--catalog', other, '--json'], { out: (t) => lines.push(t), err: () => {} })).toBe(0);
      expect(JSON.parse(lines[0])).toEqual({ model: id, parentId: 'tiny' });
      const cc = Catalog.open(other);
      const row = cc.db.prepare('SELECT weights, parent_id FROM models WHERE id = ?').get(id) as { weights: Buffer; parent_id: string };
      expect(row.parent_id).toBe('tiny');
      expect(row.weights.byteLength).toBe((8 * dimIn + 8) * 4);
      cc.close();
      // A catalog without that backbone refuses it, naming the backbone.
      const errs: string[] = [];
      expect(await runCli(['models', 'import', out, '--catalog', path.join(dir, 'c.sqlite'), '--json'], { out: () => {}, err: (t) => errs.push(t) })).toBe(1);
      expect(errs.join('')).toContain("backbone 'tiny'");
      expect(fs.statSync(out).size).toBeGreaterThan(1000);
    } finally {
      setFeatureGraphBuilder(restore);
    }
  });
});
