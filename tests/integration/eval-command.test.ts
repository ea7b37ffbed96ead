import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { runCli } from '../../electron/cli/main';
import { Catalog } from '../../electron/core/store/catalog';
import { ensurePretrained } from '../../electron/core/vision/models-table';
import { findManifest } from '../../electron/core/vision/manifest';
import { sharedPath, skipWithoutShared } from '../helpers/shared';
import { tmpDir } from '../helpers/tmp';

async function caudal(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');

/** A tiny labelled folder: 3 "individuals", each a distinct stripe pattern, 2 photos each. */
async function tinyDataset(): Promise<string> {
  const dir = tmpDir();
  const rows = ['image,individual,side,sighting'];
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 2; j++) {
      const w = 96;
      const px = Buffer.alloc(w * w * 3);
      for (let y = 0; y < w; y++) for (let x = 0; x < w; x++) px.fill(((x + j) >> (i + 2)) % 2 ? 230 : 20, (y * w + x) * 3, (y * w + x) * 3 + 3);
      const name = `ind${i}_${j}.png`;
      await sharp(px, { raw: { width: w, height: w, channels: 3 } }).png().toFile(path.join(dir, name));
      rows.push(`${name},IND${i},left,s${i}${j}`);
    }
  }
  fs.writeFileSync(path.join(dir, 'labels.csv'), rows.join('\n'));
  return dir;
}

/**
 * A labelled folder of `individuals` animals, `sightings` photos each: every animal a distinct
 * grid of coloured blobs (positions and colours from its own seed), each photo shifted a little.
 */
async function generatedPopulation(individuals: number, sightings: number): Promise<string> {
  const dir = tmpDir();
  const rows = ['image,individual,side,sighting'];
  for (let i = 0; i < individuals; i++) {
    const r = seeded(1000 + i);
    const blobs = Array.from({ length: 6 }, () => ({ x: 20 + r() * 88, y: 20 + r() * 88, rad: 8 + r() * 14, c: [r(), r(), r()].map((v) => Math.round(40 + 200 * v)) }));
    for (let j = 0; j < sightings; j++) {
      const w = 128;
      const dx = (j - 1) * 3;
      const px = Buffer.alloc(w * w * 3, 90);
      for (let y = 0; y < w; y++) {
        for (let x = 0; x < w; x++) {
          for (const b of blobs) if ((x - b.x - dx) ** 2 + (y - b.y) ** 2 < b.rad ** 2) px.set(b.c, (y * w + x) * 3);
        }
      }
      const name = `a${i}_${j}.png`;
      await sharp(px, { raw: { width: w, height: w, channels: 3 } }).png().toFile(path.join(dir, name));
      rows.push(`${name},A${i},left,a${i}s${j}`);
    }
  }
  fs.writeFileSync(path.join(dir, 'labels.csv'), rows.join('\n'));
  return dir;
}

function seeded(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

describe.skipIf(skipWithoutShared)('caudal eval --open-set', () => {
  it('reports MAP@5 with "new individual" as a label beside the closed-set figures, per seed', async () => {
    sharedPath('models', 'mobilenetv2-12-int8.onnx');
    const dataset = await generatedPopulation(16, 3);
    const r = await caudal('eval', '--dataset', dataset, '--open-set', '--new-share', '0.25', '--seeds', '1,2', '--json');
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out);
    expect(out).toMatchObject({ queries: 48, model: 'mobilenetv2-12-int8', openSet: { newShare: 0.25 } });
    expect(out.openSet.runs.map((x: { seed: number }) => x.seed)).toEqual([1, 2]);
    for (const run of out.openSet.runs) {
      // 4 of 16 animals left out, their 3 photos each are the "new" queries.
      expect(run).toMatchObject({ heldOut: 4, queries: 48, newQueries: 12 });
      expect(run.map5).toBeCloseTo((run.map5Known * 36 + run.map5New * 12) / 48, 10);
      // Distinct animals: the estimate, calibrated on the 12 kept ones, puts "new" first for the left-out photos.
      expect(run.calibrated).toBe(true);
      expect(run.map5New).toBeGreaterThan(0.9);
    }
    expect(out.openSet.map5).toBeCloseTo((out.openSet.runs[0].map5 + out.openSet.runs[1].map5) / 2, 10);

    const human = await caudal('eval', '--dataset', dataset, '--open-set', '--seeds', '3');
    expect(human.code, human.err).toBe(0);
    expect(human.out).toMatch(/^closed set: model mobilenetv2-12-int8: 48 queries, rank-1 [\d.]+, MAP@5/m);
    expect(human.out).toMatch(/^open set \(new individual as a label, 0\.3 of individuals new\): MAP@5 [\d.]+ over 1 seeds/m);
    expect(human.out).toMatch(/^  seed 3: 5 individuals left out, 48 queries \(15 new\): MAP@5/m);

    const bad = await caudal('eval', '--dataset', dataset, '--open-set', '--new-share', '1.5', '--json');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--new-share must be a number between 0 and 1 \(got 1\.5\)/);
    expect((await caudal('eval', '--dataset', dataset, '--new-share', '0.2')).err).toMatch(/--new-share and --seeds go with --open-set/);
  });
});

describe.skipIf(skipWithoutShared)('caudal eval with --catalog and --model', () => {
  it('takes the model from the catalog without changing it, and names what is missing', async () => {
    sharedPath('models', 'mobilenetv2-12-int8.onnx');
    const dataset = await tinyDataset();
    const user = path.join(tmpDir(), 'user.sqlite');
    const c = Catalog.open(user);
    ensurePretrained(c, findManifest());
    c.close();
    const before = sha(user);

    const r = await caudal('eval', '--dataset', dataset, '--catalog', user, '--json');
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out);
    expect(out).toMatchObject({ queries: 6, model: 'mobilenetv2-12-int8' });
    for (const k of ['rank1', 'map5', 'top5']) expect(out[k]).toBeGreaterThanOrEqual(0);
    expect(sha(user)).toBe(before);

    const bad = await caudal('eval', '--dataset', dataset, '--catalog', user, '--model', 'nope', '--json');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/no model 'nope' in .*user\.sqlite \(it has: mobilenetv2-12-int8\)/);
    expect(sha(user)).toBe(before);

    fs.appendFileSync(path.join(dataset, 'labels.csv'), '\nmissing.png,IND9,left,x');
    const missing = await caudal('eval', '--dataset', dataset, '--json');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/labels\.csv line 8: image missing\.png not found/);
    expect((await caudal('eval', '--json')).code).toBe(2);
  });
});
