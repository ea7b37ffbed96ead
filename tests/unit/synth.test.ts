import fs from 'node:fs';
import path from 'node:path';
import exifr from 'exifr';
import sharp from 'sharp';
import { generateSynth } from '../../electron/core/synth/generate';
import { makeIndividual, TEX_X0, TEX_X1, TEX_Y0, TEX_Y1, type Individual } from '../../electron/core/synth/individual';
import { planSynth } from '../../electron/core/synth/plan';
import { forward } from '../../electron/core/synth/render';
import { makeScene } from '../../electron/core/synth/scene';
import { encodePhoto } from '../../electron/core/synth/photo';
import { runCli } from '../../electron/cli/main';
import { readExif } from '../../electron/core/import/exif';
import { tmpDir } from '../helpers/tmp';

const readTree = (dir: string): Map<string, Buffer> => {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name !== 'synth.json') out.set(path.relative(dir, p), fs.readFileSync(p));
    }
  };
  walk(dir);
  return out;
};

const parseLabels = (file: string) => {
  const [header, ...rows] = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
  return { header, rows: rows.map((r) => r.split(',')) };
};

describe('synthetic fluke generator', () => {
  const base = tmpDir('caudal-synth-');
  const a = path.join(base, 'a');
  let first: Awaited<ReturnType<typeof generateSynth>>;

  beforeAll(async () => {
    first = await generateSynth({ individuals: 4, photos: 14, seed: 11, out: a, workers: 0 });
  });

  it('is deterministic for a seed, on worker threads too, and differs for another seed', async () => {
    const again = path.join(base, 'again');
    await generateSynth({ individuals: 4, photos: 14, seed: 11, out: again, workers: 2 });
    const t1 = readTree(a);
    const t2 = readTree(again);
    expect([...t1.keys()].sort()).toEqual([...t2.keys()].sort());
    expect(t1.size).toBe(15); // 14 photos + labels.csv
    for (const [k, v] of t1) expect(v.equals(t2.get(k)!), k).toBe(true);
    const other = path.join(base, 'other');
    await generateSynth({ individuals: 4, photos: 14, seed: 12, out: other, workers: 0 });
    const t3 = readTree(other);
    const jpegs = [...t1.keys()].filter((k) => k.endsWith('.jpg'));
    const same = jpegs.filter((k) => t3.get(k)?.equals(t1.get(k)!)).length;
    expect(same).toBe(0);
  });

  it('writes labels.csv in the import format with re-sightings on different days', () => {
    const { header, rows } = parseLabels(first.labels);
    expect(header).toBe('image,individual,side,sighting');
    expect(rows).toHaveLength(14);
    const bySighting = new Map<string, Set<string>>();
    const daysByIndividual = new Map<string, Set<string>>();
    for (const [image, individual, side, sighting] of rows) {
      expect(fs.existsSync(path.join(a, image)), image).toBe(true);
      expect(individual).toMatch(/^SYN-\d{5}$/);
      expect(side).toBe('ventral');
      expect(sighting).toMatch(/^S\d{6}$/);
      bySighting.set(sighting, (bySighting.get(sighting) ?? new Set()).add(`${individual} ${image.split('/')[1]}`));
      daysByIndividual.set(individual, (daysByIndividual.get(individual) ?? new Set()).add(image.split('/')[1]));
    }
    // A sighting is one animal on one day; every individual with 2+ photos is seen on 2+ days.
    for (const v of bySighting.values()) expect(v.size).toBe(1);
    expect(daysByIndividual.size).toBe(4);
    for (const days of daysByIndividual.values()) expect(days.size).toBeGreaterThanOrEqual(2);
  });

  it('writes EXIF that exifr reads: local time with offset, GPS on the survey area, camera', async () => {
    const { rows } = parseLabels(first.labels);
    let previous = '';
    for (const [image] of rows.slice(0, 6)) {
      const file = path.join(a, image);
      const meta = await sharp(file).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 480, 320]);
      const tags = await exifr.parse(file, { tiff: true, exif: true, gps: true, reviveValues: false });
      expect(tags.DateTimeOriginal).toMatch(/^\d{4}:\d\d:\d\d \d\d:\d\d:\d\d$/);
      expect(tags.DateTimeOriginal.slice(0, 10).replace(/:/g, '-')).toBe(image.split('/')[1]);
      expect(tags.OffsetTimeOriginal).toBe('-04:00');
      expect(tags.Make).toBeTruthy();
      expect(tags.Model).toBeTruthy();
      expect(tags.latitude).toBeGreaterThan(41);
      expect(tags.latitude).toBeLessThan(43.5);
      expect(tags.longitude).toBeGreaterThan(-71.5);
      expect(tags.longitude).toBeLessThan(-69);
      // What the import itself reads from the file.
      const buf = fs.readFileSync(file);
      const seen = await readExif(meta.exif, buf, 'jpeg');
      expect(seen.takenAt).toBe(`${tags.DateTimeOriginal.slice(0, 10).replace(/:/g, '-')}T${tags.DateTimeOriginal.slice(11)}-04:00`);
      expect(seen.takenAtUtc).toMatch(/Z$/);
      expect(seen.latitude).toBeCloseTo(tags.latitude, 6);
      expect(seen.longitude).toBeCloseTo(tags.longitude, 6);
      expect([seen.make, seen.model]).toEqual([tags.Make, tags.Model]);
      // Files are named in capture order.
      expect(`${tags.DateTimeOriginal}`.localeCompare(previous)).toBeGreaterThanOrEqual(0);
      previous = tags.DateTimeOriginal;
    }
  });

  it('plans every photo and refuses impossible requests with the option named', () => {
    const plan = planSynth({ individuals: 30, photos: 200, seed: 3 });
    expect(plan.photos).toHaveLength(200);
    expect(new Set(plan.photos.map((p) => p.individual)).size).toBe(30);
    expect(new Set(plan.photos.map((p) => p.file)).size).toBe(200);
    expect(() => planSynth({ individuals: 10, photos: 5, seed: 1 })).toThrow(/--photos/);
    expect(() => planSynth({ individuals: 0, photos: 5, seed: 1 })).toThrow(/--individuals/);
  });

  it('draws individuals that differ from each other, identically every time', () => {
    const inds = [0, 1, 2, 3, 4].map((i) => makeIndividual(5, i));
    expect(makeIndividual(5, 2).texture.albedo).toEqual(inds[2].texture.albedo);
    for (let i = 0; i < inds.length; i++) {
      for (let j = i + 1; j < inds.length; j++) {
        const { albedo: x, cover: cx } = inds[i].texture;
        const { albedo: y, cover: cy } = inds[j].texture;
        let pattern = 0;
        let outline = 0;
        let n = 0;
        for (let k = 0; k < x.length; k++) {
          if (cx[k] > 0.99 && cy[k] > 0.99) {
            pattern += Math.abs(x[k] - y[k]);
            n++;
          } else if ((cx[k] > 0.5) !== (cy[k] > 0.5)) outline++;
        }
        expect(pattern / n, `pattern ${i} vs ${j}`).toBeGreaterThan(0.1);
        expect(outline, `outline ${i} vs ${j}`).toBeGreaterThan(200);
      }
    }
  });

  it("keeps an individual recognisable through its photos' nuisance (pose, light, sea, blur)", async () => {
    // Looking back through each photo's known pose at the fluke, the pattern must correlate best
    // with its own individual's texture: identity survives the nuisance.
    const inds = [0, 1, 2, 3, 4, 5].map((i) => makeIndividual(21, i));
    const exif = { dateTimeOriginal: '2024:07:01 10:00:00', offset: '-04:00', lat: 42.2, lon: -70.3, make: 'Canon', model: 'EOS R7' };
    let correct = 0;
    let trials = 0;
    for (const ind of inds) {
      for (let p = 0; p < 3; p++) {
        const photoIndex = ind.index * 10 + p;
        const jpeg = await encodePhoto(21, photoIndex, ind, 480, 320, exif);
        const { data } = await sharp(jpeg).greyscale().raw().toBuffer({ resolveWithObject: true });
        const scene = makeScene(21, photoIndex, 480, 320);
        const scores = inds.map((other) => lookBack(data, scene, other, ind));
        const best = scores.indexOf(Math.max(...scores));
        trials++;
        if (best === ind.index) correct++;
      }
    }
    expect(correct / trials).toBeGreaterThanOrEqual(0.8);
  });

  it('runs as `caudal synth --json` and refuses a folder it did not make', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
    const dir = path.join(base, 'cli');
    expect(await runCli(['synth', '--out', dir, '--individuals', '2', '--photos', '4', '--seed', '9', '--workers', '0', '--json'], io)).toBe(0);
    const r = JSON.parse(out.join(''));
    expect(r).toMatchObject({ photos: 4, individuals: 2, width: 480, height: 320 });
    expect(r.photosPerSecond).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(dir, 'labels.csv'))).toBe(true);
    const foreign = path.join(base, 'foreign');
    fs.mkdirSync(foreign);
    fs.writeFileSync(path.join(foreign, 'precious.jpg'), 'x');
    expect(await runCli(['synth', '--out', foreign, '--photos', '4', '--individuals', '2'], io)).toBe(2);
    expect(err.join('\n')).toMatch(/not empty/);
    expect(fs.readFileSync(path.join(foreign, 'precious.jpg'), 'utf8')).toBe('x');
    expect(await runCli(['synth', '--out', dir, '--size', 'big'], io)).toBe(2);
    expect(err.join('\n')).toMatch(/--size/);
  });
});

/**
 * Correlation between the photo, sampled where the pose puts each texel of the photographed
 * individual's fluke, and the texture of `candidate` (both z-scored over the lobes).
 */
function lookBack(grey: Buffer, scene: ReturnType<typeof makeScene>, candidate: Individual, photographed: Individual): number {
  const t = photographed.texture;
  const c = candidate.texture;
  const xs: number[] = [];
  const ys: number[] = [];
  for (let row = 2; row < t.height; row += 3) {
    for (let col = 2; col < t.width; col += 3) {
      const k = row * t.width + col;
      if (t.cover[k] < 1 || c.cover[k] < 1 || t.albedo[k] < 0.02) continue;
      const x = TEX_X0 + ((col + 0.5) * (TEX_X1 - TEX_X0)) / t.width;
      const y = TEX_Y1 - ((row + 0.5) * (TEX_Y1 - TEX_Y0)) / t.height;
      if (y < -0.1) continue; // the lobes, not the tail stock (which may be under water)
      const [px, py] = forward(scene, x, y);
      const ix = Math.round(px);
      const iy = Math.round(py);
      if (ix < 0 || iy < 0 || ix >= 480 || iy >= 320) continue;
      xs.push(grey[iy * 480 + ix]);
      ys.push(c.albedo[k]);
    }
  }
  return pearson(xs, ys);
}

function pearson(a: number[], b: number[]): number {
  const n = a.length;
  if (n < 10) return -1;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb || 1);
}
