import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../electron/core/store/catalog';
import { setSetting } from '../../electron/core/catalog/settings';
import { importPhotos } from '../../electron/core/import/import';
import { acceptAnnotation, annotationsOfPhoto, createAnnotation, updateAnnotation } from '../../electron/core/photos/annotations';
import { BoxProposer } from '../../electron/core/vision/box-proposer';
import { boxFromMap } from '../../electron/core/vision/cam-box';
import { ensurePretrained } from '../../electron/core/vision/models-table';
import { proposeAnnotationBoxes } from '../../electron/core/vision/propose-annotations';
import { tinyCamManifest, tinyCamModel } from '../helpers/tiny-models';
import { tmpDir } from '../helpers/tmp';

const bytes = tinyCamModel();
const manifest = tinyCamManifest(crypto.createHash('sha256').update(bytes).digest('hex'), bytes.length);
const RED = { x: 200, y: 64, w: 80, h: 64 };

/** A grey 320x240 JPEG with a red rectangle at `box` (and a seed-dependent grey, so bytes differ). */
async function redObjectPhoto(file: string, box: { x: number; y: number; w: number; h: number } | null, seed = 0): Promise<string> {
  const [width, height] = [320, 240];
  const raw = Buffer.alloc(width * height * 3, 110 + seed);
  if (box) {
    for (let y = box.y; y < box.y + box.h; y++) {
      for (let x = box.x; x < box.x + box.w; x++) raw.set([230, 30, 30], (y * width + x) * 3);
    }
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 95 }).toFile(file);
  return file;
}

function iou(a: { x: number; y: number; w: number; h: number }, b: { x: number; y: number; w: number; h: number }): number {
  const ix = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  return (ix * iy) / (a.w * a.h + b.w * b.h - ix * iy);
}

let modelsDir: string;
const prevModels = process.env.CAUDAL_MODELS_DIR;
beforeAll(() => {
  modelsDir = tmpDir();
  fs.writeFileSync(path.join(modelsDir, manifest.file), bytes);
  fs.writeFileSync(path.join(modelsDir, `${manifest.id}.json`), JSON.stringify(manifest));
  process.env.CAUDAL_MODELS_DIR = modelsDir;
});
afterAll(() => {
  if (prevModels === undefined) delete process.env.CAUDAL_MODELS_DIR;
  else process.env.CAUDAL_MODELS_DIR = prevModels;
});

/** A catalog whose active backbone is the tiny CAM model. */
function tinyCatalog(dir: string): Catalog {
  const c = Catalog.open(path.join(dir, 'c.sqlite'));
  ensurePretrained(c, manifest);
  setSetting(c, 'proposeBoxes', true);
  return c;
}

describe('box proposer (class-activation maps through onnxruntime)', () => {
  it('boxes the generated object of a photo', async () => {
    const file = await redObjectPhoto(path.join(tmpDir(), 'red.jpg'), RED);
    const proposer = await BoxProposer.open(manifest, { modelBytes: bytes });
    try {
      const maps = await proposer.maps(file);
      // 320x240 at a long side of 256, rounded to the stride: 256x192 in, 32x24 cells of 8 px out.
      expect([maps.k, maps.w, maps.h, maps.width, maps.height]).toEqual([1, 32, 24, 320, 240]);
      const box = await proposer.propose(file);
      expect(box).not.toBeNull();
      expect(iou(box!, RED)).toBeGreaterThan(0.7);
      expect(box!.score).toBeGreaterThan(0.5);
    } finally {
      await proposer.release();
    }
  });

  it('keeps the strongest region, not the span of every bright patch', () => {
    // Two blobs on an 8x8 map: a strong 2x2 one top-left, a weak 1x1 one bottom-right.
    const map = new Float32Array(64);
    for (const [x, y] of [[1, 1], [2, 1], [1, 2], [2, 2]]) map[y * 8 + x] = 1;
    map[6 * 8 + 6] = 0.6;
    const box = boxFromMap(map, 8, 8, 80, 80, 0.5)!;
    expect(box.x + box.w).toBeLessThan(40);
    expect(box.y + box.h).toBeLessThan(40);
    expect(boxFromMap(new Float32Array(64).fill(3), 8, 8, 80, 80, 0.5)).toBeNull();
  });
});

describe('proposed annotations at import (real SQLite catalog)', () => {
  it('gives a whole-frame photo a proposed box, counts it, and declines a photo where nothing stands out', async () => {
    const dir = tmpDir();
    const photos = path.join(dir, 'photos');
    await redObjectPhoto(path.join(photos, 'a.jpg'), RED);
    await redObjectPhoto(path.join(photos, 'b.jpg'), null, 5);
    const c = tinyCatalog(dir);
    try {
      const report = await importPhotos(c, { paths: [photos] });
      expect(report.imported).toBe(2);
      expect(report.proposed).toBe(1);
      expect(report.proposalsUnavailable).toBeNull();
      const byName = (n: string) => annotationsOfPhoto(c, c.db.prepare('SELECT id FROM photos WHERE original_name = ?').pluck().get(n) as number);
      const [a] = byName('a.jpg');
      expect(a.source).toBe('proposed');
      expect(iou(a, RED)).toBeGreaterThan(0.7);
      const [b] = byName('b.jpg');
      expect(b).toMatchObject({ source: 'frame', x: 0, y: 0, w: 320, h: 240 });
      // Looked at once: running the proposer again changes nothing.
      expect(await proposeAnnotationBoxes(c)).toEqual({ proposed: 0, declined: 0, unavailable: null });
    } finally {
      c.close();
    }
  });

  it('never replaces a box a person drew, moved or accepted, nor the frame of a photo a person identified', async () => {
    const dir = tmpDir();
    const photos = path.join(dir, 'photos');
    for (const [i, n] of ['drawn', 'moved', 'accepted', 'labelled', 'named'].entries()) await redObjectPhoto(path.join(photos, `${n}.jpg`), RED, i);
    fs.writeFileSync(path.join(dir, 'labels.csv'), `image,individual,x,y,w,h\nphotos/labelled.jpg,SEAL-1,10,10,100,100\nphotos/named.jpg,SEAL-2,,,,\n`);
    const c = tinyCatalog(dir);
    try {
      setSetting(c, 'proposeBoxes', false);
      const off = await importPhotos(c, { paths: [photos], labels: path.join(dir, 'labels.csv') });
      expect(off.proposed).toBe(0);
      const id = (n: string) => c.db.prepare('SELECT id FROM photos WHERE original_name = ?').pluck().get(`${n}.jpg`) as number;
      const only = (n: string) => {
        const list = annotationsOfPhoto(c, id(n));
        expect(list).toHaveLength(1);
        return list[0];
      };
      expect(only('drawn').source).toBe('frame');
      // A person draws a second box on one photo, moves the frame of another, accepts the frame of a third.
      createAnnotation(c, { photoId: id('drawn'), box: { x: 5, y: 5, w: 50, h: 50 } });
      const moved = updateAnnotation(c, { id: only('moved').id, box: { x: 1, y: 2, w: 300, h: 200 } });
      expect(moved.source).toBe('person');
      expect(acceptAnnotation(c, only('accepted').id).source).toBe('person');
      expect(only('labelled')).toMatchObject({ source: 'person', x: 10, y: 10, w: 100, h: 100, individualCode: 'SEAL-1' });

      setSetting(c, 'proposeBoxes', true);
      expect((await proposeAnnotationBoxes(c)).proposed).toBe(0);
      expect(annotationsOfPhoto(c, id('drawn')).map((a) => a.source).sort()).toEqual(['frame', 'person']);
      expect(only('moved')).toMatchObject({ source: 'person', x: 1, y: 2, w: 300, h: 200 });
      expect(only('accepted')).toMatchObject({ source: 'person', x: 0, y: 0, w: 320, h: 240 });
      expect(only('labelled')).toMatchObject({ source: 'person', x: 10, y: 10, w: 100, h: 100 });
      expect(only('named')).toMatchObject({ source: 'frame', x: 0, y: 0, w: 320, h: 240, individualCode: 'SEAL-2' });
    } finally {
      c.close();
    }
  });

  it('accepting or moving a proposed box makes it a person\'s box; editing its side does not', async () => {
    const dir = tmpDir();
    const photos = path.join(dir, 'photos');
    await redObjectPhoto(path.join(photos, 'x.jpg'), RED, 1);
    await redObjectPhoto(path.join(photos, 'y.jpg'), RED, 2);
    const c = tinyCatalog(dir);
    try {
      expect((await importPhotos(c, { paths: [photos] })).proposed).toBe(2);
      const [x, y] = (c.db.prepare("SELECT id FROM annotations WHERE source = 'proposed' ORDER BY id").pluck().all() as number[]);
      expect(updateAnnotation(c, { id: x, side: 'left' }).source).toBe('proposed');
      const accepted = acceptAnnotation(c, x);
      expect(accepted).toMatchObject({ source: 'person', side: 'left' });
      const before = c.db.prepare('SELECT x, y, w, h FROM annotations WHERE id = ?').get(y) as object;
      const movedBox = { x: 150, y: 40, w: 150, h: 120 };
      expect(updateAnnotation(c, { id: y, box: movedBox })).toMatchObject({ source: 'person', ...movedBox });
      expect(before).not.toEqual(movedBox);
    } finally {
      c.close();
    }
  });
});
