// Bundle export and merge throughput on the shared seals-dev photos (100 full-frame JPEGs,
// 27 MB), against copying the same bytes with fs.copyFileSync plus a VACUUM INTO: the least any
// "move the catalog" could cost. Prints seconds, MB/s and the ratios.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Catalog } from '../electron/core/store/catalog';
import { exportBundle } from '../electron/core/bundle/export-bundle';
import { mergeBundle } from '../electron/core/bundle/merge';
import { noProgress } from '../electron/core/export/progress';
import { sharedDir } from '../electron/core/util/paths';

const shared = sharedDir();
if (!shared) throw new Error('set CAUDAL_SHARED_DIR to the shared folder');
const root = path.join(shared, 'datasets', 'seals-dev');
const labels = fs.readFileSync(path.join(root, 'labels.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caudal-bench-bundle-'));

async function main() {
  const src = Catalog.open(path.join(dir, 'src.sqlite'));
  const ind = new Map<string, number>();
  let bytes = 0;
  let photos = 0;
  src.db.transaction(() => {
    for (const [image, who, side] of labels) {
      const data = fs.readFileSync(path.join(root, image));
      const sha = crypto.createHash('sha256').update(data).digest('hex');
      if (src.db.prepare('SELECT 1 FROM photos WHERE sha256 = ?').get(sha)) continue; // the set holds a few byte-identical copies
      const rel = `media/${sha.slice(0, 2)}/${sha}.jpg`;
      fs.mkdirSync(path.join(src.filesDir, path.dirname(rel)), { recursive: true });
      fs.writeFileSync(path.join(src.filesDir, rel), data);
      bytes += data.length;
      photos++;
      if (!ind.has(who)) ind.set(who, Number(src.db.prepare('INSERT INTO individuals (code) VALUES (?)').run(who).lastInsertRowid));
      const p = src.db.prepare('INSERT INTO photos (sha256, path, original_name, width, height, copied) VALUES (?, ?, ?, 100, 100, 1)').run(sha, rel, path.basename(image)).lastInsertRowid;
      const a = src.db.prepare("INSERT INTO annotations (photo_id, x, y, w, h, side, individual_id, identified_by) VALUES (?, 0, 0, 100, 100, ?, ?, 'bench')").run(p, side, ind.get(who)).lastInsertRowid;
      src.db.prepare("INSERT INTO decisions (annotation_id, individual_id, decision, reviewer) VALUES (?, ?, 'confirm', 'bench')").run(a, ind.get(who));
    }
  })();
  const mb = bytes / 1e6;
  const time = async (f: () => unknown) => {
    const t = process.hrtime.bigint();
    await f();
    return Number(process.hrtime.bigint() - t) / 1e9;
  };

  const copyDir = path.join(dir, 'plain-copy');
  const tCopy = await time(() => {
    src.db.prepare('VACUUM INTO ?').run(path.join(dir, 'plain.sqlite'));
    for (const rel of src.db.prepare('SELECT path FROM photos').pluck().all() as string[]) {
      fs.mkdirSync(path.join(copyDir, path.dirname(rel)), { recursive: true });
      fs.copyFileSync(path.join(src.filesDir, rel), path.join(copyDir, rel));
    }
  });
  const bundle = path.join(dir, 'seals.caudal');
  const tExport = await time(() => exportBundle(src, bundle, {}, noProgress));
  const empty = Catalog.open(path.join(dir, 'empty.sqlite'));
  const tMerge = await time(() => mergeBundle(empty, bundle, noProgress));
  const tRemerge = await time(() => mergeBundle(empty, bundle, noProgress));
  const row = (name: string, s: number) => console.log(`${name.padEnd(34)} ${s.toFixed(3)} s  ${(mb / s).toFixed(1).padStart(6)} MB/s  ${(s / tCopy).toFixed(2)}x plain copy`);
  console.log(`${photos} photos, ${mb.toFixed(1)} MB; bundle ${(fs.statSync(bundle).size / 1e6).toFixed(1)} MB`);
  row('plain copy (VACUUM INTO + copyFile)', tCopy);
  row('export bundle', tExport);
  row('merge into an empty catalog', tMerge);
  row('merge again (all duplicates)', tRemerge);
  src.close();
  empty.close();

  // Rows at scale, no media: 5,000 photos/annotations/decisions with 512-d embeddings and features.
  const N = 5000;
  const big = Catalog.open(path.join(dir, 'rows.sqlite'));
  big.db.prepare("INSERT INTO models (id, name, kind, manifest) VALUES ('m', 'm', 'pretrained', '{}')").run();
  const vec = Buffer.from(new Float32Array(512).fill(0.1).buffer);
  big.db.transaction(() => {
    const ids = Array.from({ length: 500 }, (_, k) => Number(big.db.prepare('INSERT INTO individuals (code) VALUES (?)').run(`ID-${k}`).lastInsertRowid));
    for (let i = 0; i < N; i++) {
      const indId = ids[i % 500];
      const p = big.db.prepare("INSERT INTO photos (sha256, path, original_name, width, height) VALUES (?, '/nowhere', 'x.jpg', 100, 100)").run(crypto.createHash('sha256').update(String(i)).digest('hex')).lastInsertRowid;
      const a = big.db.prepare('INSERT INTO annotations (photo_id, x, y, w, h, individual_id) VALUES (?, 0, 0, 10, 10, ?)').run(p, indId).lastInsertRowid;
      big.db.prepare("INSERT INTO embeddings (annotation_id, model_id, dim, vector) VALUES (?, 'm', 512, ?)").run(a, vec);
      big.db.prepare("INSERT INTO features (annotation_id, backbone_id, view, dim, vector) VALUES (?, 'm', 0, 512, ?)").run(a, vec);
      big.db.prepare("INSERT INTO decisions (annotation_id, individual_id, decision, reviewer) VALUES (?, ?, 'confirm', 'bench')").run(a, indId);
    }
  })();
  const rowsBundle = path.join(dir, 'rows.caudal');
  const tVac = await time(() => big.db.prepare('VACUUM INTO ?').run(path.join(dir, 'rows-copy.sqlite')));
  const tRowsExport = await time(() => exportBundle(big, rowsBundle, { originals: false }, noProgress));
  const into = Catalog.open(path.join(dir, 'rows-into.sqlite'));
  const tRowsMerge = await time(() => mergeBundle(into, rowsBundle, noProgress));
  const tRowsAgain = await time(() => mergeBundle(into, rowsBundle, noProgress));
  const rrow = (name: string, s: number) => console.log(`${name.padEnd(34)} ${s.toFixed(3)} s  ${Math.round(N / s).toString().padStart(7)} photos/s  ${(s / tVac).toFixed(1)}x VACUUM INTO`);
  console.log(`\n${N} photos + annotations + decisions + 512-d embeddings and features, no media`);
  rrow('VACUUM INTO (copy of the rows)', tVac);
  rrow('export bundle', tRowsExport);
  rrow('merge into an empty catalog', tRowsMerge);
  rrow('merge again (all duplicates)', tRowsAgain);
  big.close();
  into.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
void main();
