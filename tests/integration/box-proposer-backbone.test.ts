import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { BoxProposer } from '../../electron/core/vision/box-proposer';
import { findManifest } from '../../electron/core/vision/manifest';
import { preprocess } from '../../electron/core/vision/preprocess';
import { locateWeights } from '../../electron/core/vision/weights';
import { sharedPath } from '../helpers/shared';
import { tmpDir } from '../helpers/tmp';

const dir = tmpDir('caudal-proposer-');
process.env.CAUDAL_HOME ??= path.join(dir, 'home');

function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let [sa, sb] = [0, 0];
  for (let i = 0; i < n; i++) [sa, sb] = [sa + a[i], sb + b[i]];
  const [ma, mb] = [sa / n, sb / n];
  let [ab, aa, bb] = [0, 0, 0];
  for (let i = 0; i < n; i++) [ab, aa, bb] = [ab + (a[i] - ma) * (b[i] - mb), aa + (a[i] - ma) ** 2, bb + (b[i] - mb) ** 2];
  return ab / Math.sqrt(aa * bb);
}

describe('the shipped proposer on the real backbone (shared mobilenetv2-12-int8)', () => {
  it('reads the int8 classifier right: its maps, pooled, are the network\'s own class scores', async () => {
    const base = findManifest();
    // A seal photo squashed to the network's 224x224, so both graphs see exactly the same pixels.
    const photo = sharedPath('datasets', 'seals-dev', 'images', 'Batmina', 'left', 'DSC_0012m.jpg');
    const square = await sharp(photo).rotate().resize(224, 224, { fit: 'fill' }).png().toBuffer();
    const all = Array.from({ length: 1000 }, (_, i) => i);
    const proposer = await BoxProposer.open({ ...base, proposer: { ...base.proposer!, classes: all, size: 224 } });
    const maps = await proposer.maps(square);
    await proposer.release();
    expect([maps.k, maps.h, maps.w]).toEqual([1000, 7, 7]);
    const pooled = all.map((k) => maps.cams.subarray(k * 49, (k + 1) * 49).reduce((s, v) => s + v, 0) / 49);

    const session = await ort.InferenceSession.create(fs.readFileSync(locateWeights(base)));
    const input = await preprocess(square, base);
    const out = await session.run({ [base.input.name]: new ort.Tensor('float32', input, [1, 3, 224, 224]) });
    await session.release();
    const logits = out[session.outputNames[0]].data as Float32Array;
    // The original graph quantises its activations and adds a bias; the shape of the scores must agree.
    expect(pearson(pooled, logits)).toBeGreaterThan(0.95);
    const argmax = (v: ArrayLike<number>) => Array.from(v).reduce((b, x, i, arr) => (x > arr[b] ? i : b), 0);
    expect(argmax(pooled)).toBe(argmax(logits));
  });

  it('boxes part of a seals-dev full frame, inside the frame', async () => {
    const proposer = await BoxProposer.open(findManifest());
    try {
      const photo = sharedPath('datasets', 'seals-dev', 'images', 'Batmina', 'left', 'DSC_0012m.jpg');
      const box = (await proposer.propose(photo))!;
      const { width, height } = await sharp(photo).metadata();
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.x + box.w).toBeLessThanOrEqual(width! + 1e-6);
      expect(box.y + box.h).toBeLessThanOrEqual(height! + 1e-6);
      expect((box.w * box.h) / (width! * height!)).toBeLessThan(0.6);
    } finally {
      await proposer.release();
    }
  });
});
