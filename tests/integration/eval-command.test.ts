import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { runCli } from '../../electron/cli/main';
import { Catalog } from '../../electron/core/catalog/catalog';
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
