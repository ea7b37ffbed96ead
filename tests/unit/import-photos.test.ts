import fs from 'node:fs';
import path from 'node:path';
import { Catalog } from '../../electron/core/store/catalog';
import { exifTime } from '../../electron/core/import/exif';
import { MAX_INPUT_PIXELS } from '../../electron/core/import/inspect';
import { renditionFile } from '../../electron/core/media/media';
import { checkMissing } from '../../electron/core/photos/missing';
import { importInto, withCatalog } from '../helpers/import';
import { makeBombJpeg, makePhoto } from '../helpers/photos';
import { tmpDir } from '../helpers/tmp';
import sharp from 'sharp';

type PhotoRow = Record<string, unknown> & { id: number; path: string; sha256: string; copied: number; original_name: string };
const photos = (c: Catalog) => c.db.prepare('SELECT * FROM photos ORDER BY id').all() as PhotoRow[];
const byName = (c: Catalog, name: string) => c.db.prepare('SELECT * FROM photos WHERE original_name = ?').get(name) as PhotoRow;

describe('photo import: metadata', () => {
  it('reads capture time with offset, GPS, camera and orientation from real EXIF (JPEG, PNG, WebP) and TIFF sizes', async () => {
    const dir = tmpDir();
    await makePhoto(path.join(dir, 'a.jpg'), {
      width: 300, height: 200, taken: '2024:06:01 10:15:30', offset: '+02:00', gps: { lat: -33.5, lon: 18.25 }, make: 'Canon', model: 'EOS R5', orientation: 6,
    });
    await makePhoto(path.join(dir, 'b.png'), { format: 'png', taken: '2024:06:01 11:00:00', make: 'Nikon', seed: 1 });
    await makePhoto(path.join(dir, 'c.webp'), { format: 'webp', taken: '2023:12:31 23:59:59', offset: '-05:00', seed: 2 });
    await makePhoto(path.join(dir, 'd.tif'), { format: 'tiff', width: 64, height: 48, seed: 3 });
    const file = path.join(tmpDir(), 'cat.sqlite');
    const r = await importInto(file, { paths: [dir] });
    expect(r).toMatchObject({ imported: 4, duplicates: 0, failed: [], withTime: 3, withGps: 1 });
    withCatalog(file, (c) => {
      const a = byName(c, 'a.jpg');
      expect(a).toMatchObject({ taken_at: '2024-06-01T10:15:30+02:00', taken_at_utc: '2024-06-01T08:15:30Z', camera_make: 'Canon', camera_model: 'EOS R5', orientation: 6 });
      // As displayed: orientation 6 turns the 300 x 200 sensor image upright, 200 x 300.
      expect([a.width, a.height]).toEqual([200, 300]);
      expect(a.latitude as number).toBeCloseTo(-33.5, 4);
      expect(a.longitude as number).toBeCloseTo(18.25, 4);
      expect(byName(c, 'b.png')).toMatchObject({ taken_at: '2024-06-01T11:00:00', taken_at_utc: '2024-06-01T11:00:00', camera_make: 'Nikon' });
      expect(byName(c, 'c.webp')).toMatchObject({ taken_at: '2023-12-31T23:59:59-05:00', taken_at_utc: '2024-01-01T04:59:59Z' });
      expect(byName(c, 'd.tif')).toMatchObject({ width: 64, height: 48, taken_at: null });
      // One whole-image annotation per photo, body part from the settings.
      const ann = c.db.prepare('SELECT a.* FROM annotations a WHERE photo_id = ?').all(a.id) as Array<Record<string, unknown>>;
      expect(ann).toEqual([expect.objectContaining({ x: 0, y: 0, w: 200, h: 300, body_part: '', individual_id: null })]);
      expect(c.db.prepare('SELECT COUNT(*) FROM annotations').pluck().get()).toBe(4);
    });
    // The preview is upright too: its long side is vertical.
    const meta = await withCatalog(file, (c) => sharp(renditionFile(c, byName(c, 'a.jpg').sha256, 'preview')).metadata());
    expect([meta.width, meta.height]).toEqual([200, 300]);
  });

  it('turns EXIF times into ISO local and UTC, refusing clocks never set', () => {
    expect(exifTime('2024:02:29 23:30:00', '5', '-01:30')).toEqual({ local: '2024-02-29T23:30:00.500-01:30', utc: '2024-03-01T01:00:00.500Z' });
    expect(exifTime('2024:02:29 23:30:00', null, null)).toEqual({ local: '2024-02-29T23:30:00', utc: '2024-02-29T23:30:00' });
    expect(exifTime('0000:00:00 00:00:00', null, null)).toBeNull();
    expect(exifTime('    :  :     :  :  ', null, null)).toBeNull();
  });
});

describe('photo import: bad input', () => {
  it('imports every good photo and reports every bad file with its reason, changing nothing already there', async () => {
    const file = path.join(tmpDir(), 'cat.sqlite');
    const before = tmpDir();
    await makePhoto(path.join(before, 'old.jpg'), { taken: '2020:01:01 08:00:00', seed: 9 });
    await importInto(file, { paths: [before] });
    const snapshot = () =>
      withCatalog(file, (c) => JSON.stringify([photos(c).filter((p) => p.original_name === 'old.jpg'), c.db.prepare('SELECT * FROM annotations WHERE photo_id = 1').all(), c.db.prepare('SELECT * FROM encounters').all()]));
    const was = snapshot();

    const dir = tmpDir();
    await makePhoto(path.join(dir, 'good 1.jpg'), { seed: 1 });
    await makePhoto(path.join(dir, 'Ålesund – fjord', 'hval ñ 🐋 2.jpg'), { seed: 2 });
    await makePhoto(path.join(dir, 'deep', 'er', 'good3.png'), { format: 'png', seed: 3 });
    fs.writeFileSync(path.join(dir, 'zero.jpg'), '');
    fs.writeFileSync(path.join(dir, 'text.jpg'), 'this is not a photo at all, just words\n'.repeat(20));
    const whole = fs.readFileSync(await makePhoto(path.join(tmpDir(), 'big.jpg'), { width: 800, height: 600, seed: 4 }));
    fs.writeFileSync(path.join(dir, 'truncated.jpg'), whole.subarray(0, Math.floor(whole.length / 2)));
    await makeBombJpeg(path.join(dir, 'bomb.jpg'), 30000, 30000);
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'field notes');
    fs.symlinkSync(path.join(dir, 'nowhere.jpg'), path.join(dir, 'dangling.jpg'));
    fs.writeFileSync(path.join(dir, '._good 1.jpg'), 'AppleDouble shadow file'); // macOS litter: passed over silently
    const unreadable = path.join(dir, 'locked.jpg');
    await makePhoto(unreadable, { seed: 5 });
    fs.chmodSync(unreadable, 0);
    const asRoot = process.getuid?.() === 0;

    const r = await importInto(file, { paths: [dir, path.join(dir, 'no such folder')] });
    const reasons = Object.fromEntries(r.failed.map((f) => [path.basename(f.file), f.error]));
    expect(reasons['zero.jpg']).toMatch(/empty file/);
    expect(reasons['text.jpg']).toMatch(/not an image/);
    expect(reasons['truncated.jpg']).toMatch(/damaged or truncated/);
    expect(reasons['bomb.jpg']).toMatch(/30000 x 30000 = 900 MP exceeds the 150 MP limit/);
    expect(reasons['notes.txt']).toMatch(/skipped: not a photo Caudal reads \(\.txt\)/);
    expect(reasons['dangling.jpg']).toMatch(/broken link/);
    expect(reasons['no such folder']).toMatch(/no such file or folder/);
    if (!asRoot) expect(reasons['locked.jpg']).toMatch(/permission denied/); // root reads anything
    expect(reasons['._good 1.jpg']).toBeUndefined();
    expect(r.imported).toBe(asRoot ? 4 : 3);
    expect(r.failed).toHaveLength(asRoot ? 7 : 8);
    expect(MAX_INPUT_PIXELS).toBe(150_000_000);
    withCatalog(file, (c) => {
      const names = photos(c).map((p) => p.original_name);
      expect(names).toEqual(expect.arrayContaining(['old.jpg', 'good 1.jpg', 'hval ñ 🐋 2.jpg', 'good3.png']));
      expect(byName(c, 'hval ñ 🐋 2.jpg').path).toBe(path.join(dir, 'Ålesund – fjord', 'hval ñ 🐋 2.jpg'));
      // No half-imported photo: each committed one has its annotation and renditions.
      for (const p of photos(c)) {
        expect(c.db.prepare('SELECT COUNT(*) FROM annotations WHERE photo_id = ?').pluck().get(p.id)).toBe(1);
        expect(fs.existsSync(renditionFile(c, p.sha256, 'thumb'))).toBe(true);
      }
    });
    expect(snapshot()).toBe(was);
  });
});

describe('photo import: identity', () => {
  it('adds nothing on re-import or for the same bytes under another name, and re-links a moved file', async () => {
    const dir = tmpDir();
    const a = await makePhoto(path.join(dir, 'a.jpg'), { seed: 1 });
    await makePhoto(path.join(dir, 'b.jpg'), { seed: 2 });
    const file = path.join(tmpDir(), 'cat.sqlite');
    expect(await importInto(file, { paths: [dir] })).toMatchObject({ imported: 2, duplicates: 0 });
    expect(await importInto(file, { paths: [dir] })).toMatchObject({ imported: 0, duplicates: 2, relinked: 0, encounters: 0 });
    const copyDir = tmpDir();
    fs.copyFileSync(a, path.join(copyDir, 'renamed copy.jpg'));
    expect(await importInto(file, { paths: [copyDir] })).toMatchObject({ imported: 0, duplicates: 1, relinked: 0 });
    withCatalog(file, (c) => expect(byName(c, 'a.jpg').path).toBe(a)); // the original path still exists: kept

    // Move a.jpg away: the check flags it (and deletes nothing); importing it from its new place re-links it.
    const moved = path.join(tmpDir(), 'moved', 'a-moved.jpg');
    fs.mkdirSync(path.dirname(moved));
    fs.renameSync(a, moved);
    const annotationsBefore = withCatalog(file, (c) => c.db.prepare('SELECT * FROM annotations ORDER BY id').all());
    expect(withCatalog(file, (c) => checkMissing(c))).toEqual({ checked: 2, missing: 1 });
    withCatalog(file, (c) => expect(byName(c, 'a.jpg').missing).toBe(1));
    const r = await importInto(file, { paths: [path.dirname(moved)] });
    expect(r).toMatchObject({ imported: 0, duplicates: 1, relinked: 1 });
    withCatalog(file, (c) => {
      const p = c.db.prepare('SELECT * FROM photos WHERE path = ?').get(moved) as PhotoRow;
      expect(p).toMatchObject({ original_name: 'a-moved.jpg', missing: 0 });
      expect(c.db.prepare('SELECT COUNT(*) FROM photos').pluck().get()).toBe(2);
      expect(c.db.prepare('SELECT * FROM annotations ORDER BY id').all()).toEqual(annotationsBefore);
      expect(checkMissing(c)).toEqual({ checked: 2, missing: 0 });
    });
  });

  it('--copy puts the originals into the catalog media folder under a relative path', async () => {
    const dir = tmpDir();
    const src = await makePhoto(path.join(dir, 'card', 'IMG_0001.JPG'), { seed: 7 });
    const file = path.join(tmpDir(), 'cat.sqlite');
    expect(await importInto(file, { paths: [dir], copy: true })).toMatchObject({ imported: 1 });
    const p = withCatalog(file, (c) => ({ ...photos(c)[0], filesDir: c.filesDir }));
    expect(p.copied).toBe(1);
    expect(p.path).toMatch(/^media\/[0-9a-f]{2}\/[0-9a-f]{64}\.jpg$/);
    expect(p.original_name).toBe('IMG_0001.JPG');
    expect(fs.readFileSync(path.join(p.filesDir, p.path)).equals(fs.readFileSync(src))).toBe(true);
    fs.rmSync(path.join(dir, 'card'), { recursive: true }); // the card goes back into the camera
    expect(withCatalog(file, (c) => checkMissing(c))).toEqual({ checked: 1, missing: 0 });
  });
});
