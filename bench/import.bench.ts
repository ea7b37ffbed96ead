/**
 * Import speed against its ceiling, measured in the same run:
 *   caudal   importPhotos() into a fresh catalog: read + sha256, header + EXIF, preview and
 *            thumbnail, commit (photo, annotation), encounter grouping.
 *   ceiling  sharp alone making the same two renditions from the same files with the same
 *            number of files in flight (preview from the original with shrink-on-load, thumbnail
 *            from the preview): the decode/encode work no importer can avoid.
 * Photos are generated: camera-sized (12 MP) JPEGs with EXIF. Run: npx tsx bench/import.bench.ts [count] [megapixels]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { Catalog } from '../electron/core/store/catalog';
import { importPhotos } from '../electron/core/import/import';

const COUNT = Number(process.argv[2] ?? 16);
const MP = Number(process.argv[3] ?? 12);
const ROUNDS = 3;

async function makePhotos(dir: string): Promise<string[]> {
  const width = Math.round(Math.sqrt((MP * 1e6 * 4) / 3));
  const height = Math.round((width * 3) / 4);
  const files: string[] = [];
  for (let i = 0; i < COUNT; i++) {
    // Smooth random structure plus grain: compresses like a photo (a few MB), unlike a flat test card.
    const sw = 400;
    const sh = 300;
    const raw = Buffer.alloc(sw * sh * 3);
    for (let k = 0; k < raw.length; k++) raw[k] = (Math.random() * 256) | 0;
    const grain = await sharp(raw, { raw: { width: sw, height: sh, channels: 3 } }).resize(width, height, { kernel: 'cubic' }).raw().toBuffer();
    for (let k = 0; k < grain.length; k += 7) grain[k] = Math.min(255, grain[k] + ((Math.random() * 24) | 0));
    const file = path.join(dir, `DSC_${String(i).padStart(4, '0')}.JPG`);
    await sharp(grain, { raw: { width, height, channels: 3 } })
      .withExif({ IFD0: { Make: 'NIKON CORPORATION', Model: 'NIKON D7500' }, IFD2: { DateTimeOriginal: `2024:08:01 10:${String(i % 60).padStart(2, '0')}:00`, OffsetTimeOriginal: '+01:00' } })
      .jpeg({ quality: 92 })
      .toFile(file);
    files.push(file);
  }
  return files;
}

async function ceiling(files: string[], out: string, inFlight: number): Promise<number> {
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  const t = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      const preview = await sharp(files[i]).rotate().resize(1600, 1600, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 88 }).toBuffer();
      await fs.promises.writeFile(path.join(out, `${i}.preview.jpg`), preview);
      await sharp(preview).resize(256, 256, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 78 }).toFile(path.join(out, `${i}.thumb.jpg`));
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return performance.now() - t;
}

async function caudal(dir: string, work: string): Promise<number> {
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  const catalog = Catalog.open(path.join(work, 'bench.sqlite'));
  try {
    const t = performance.now();
    const r = await importPhotos(catalog, { paths: [dir] });
    const ms = performance.now() - t;
    if (r.imported !== COUNT || r.failed.length) throw new Error(`bench import went wrong: ${JSON.stringify(r)}`);
    return ms;
  } finally {
    catalog.close();
  }
}

async function main() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'caudal-bench-import-'));
  try {
    const dir = path.join(root, 'card');
    fs.mkdirSync(dir);
    const t0 = performance.now();
    const files = await makePhotos(dir);
    const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
    for (const f of files) fs.readFileSync(f); // both contenders start from a warm page cache
    const inFlight = Math.max(2, Math.min(6, os.availableParallelism() + 1));
    console.log(`import bench: ${COUNT} JPEGs of ${MP} MP (${(bytes / COUNT / 1e6).toFixed(1)} MB each), generated in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${os.availableParallelism()} cores, ${inFlight} files in flight`);
    let best = { ceiling: Infinity, caudal: Infinity };
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate the order so neither side always runs on the busier half of a shared machine.
      const c1 = round % 2 ? await caudal(dir, path.join(root, 'cat')) : await ceiling(files, path.join(root, 'ceil'), inFlight);
      const c2 = round % 2 ? await ceiling(files, path.join(root, 'ceil'), inFlight) : await caudal(dir, path.join(root, 'cat'));
      const [ceil, imp] = round % 2 ? [c2, c1] : [c1, c2];
      best = { ceiling: Math.min(best.ceiling, ceil), caudal: Math.min(best.caudal, imp) };
      console.log(`  round ${round + 1}: sharp alone ${(COUNT / (ceil / 1000)).toFixed(2)} photos/s, caudal import ${(COUNT / (imp / 1000)).toFixed(2)} photos/s`);
    }
    const ceilRate = COUNT / (best.ceiling / 1000);
    const rate = COUNT / (best.caudal / 1000);
    console.log(`sharp alone (ceiling): ${ceilRate.toFixed(2)} photos/s`);
    console.log(`caudal import:         ${rate.toFixed(2)} photos/s`);
    console.log(`ratio: ${((rate / ceilRate) * 100).toFixed(1)}% of the ceiling (aim >= 80%)`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

void main();
