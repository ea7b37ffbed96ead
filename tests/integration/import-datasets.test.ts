import fs from 'node:fs';
import path from 'node:path';
import exifr from 'exifr';
import { runCli } from '../../electron/cli/main';
import { Catalog } from '../../electron/core/store/catalog';
import { renditionFile } from '../../electron/core/media/media';
import { sharedPath } from '../helpers/shared';
import { tmpDir } from '../helpers/tmp';

async function caudal(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

/** The shared real-photo sets, imported through the CLI in-process. */
describe('import of the shared datasets', () => {
  it('seals-dev: every photo with its EXIF capture time; importing again adds nothing', async () => {
    const images = sharedPath('datasets', 'seals-dev', 'images');
    const file = path.join(tmpDir(), 'seals.sqlite');
    const first = await caudal('import', images, '--catalog', file, '--json');
    expect(first.code, first.err).toBe(0);
    const r = JSON.parse(first.out);
    expect(Object.keys(r)).toEqual(['imported', 'duplicates', 'failed', 'withTime', 'withGps', 'encounters', 'labels', 'outside', 'proposed']);
    // 100 files; Fetida/left/DSCN3284.jpg and Helix/left/DSCN3284.jpg are the same bytes: one photo.
    expect(r.imported + r.duplicates).toBe(100);
    expect(r.imported).toBe(99);
    expect(r.failed).toEqual([]);
    expect(r.encounters).toBeGreaterThan(0);

    const c = Catalog.open(file);
    try {
      const photos = c.db.prepare('SELECT id, sha256, path, taken_at, width, height FROM photos').all() as Array<{ id: number; sha256: string; path: string; taken_at: string | null; width: number; height: number }>;
      expect(photos).toHaveLength(99);
      // Capture time on every photo whose EXIF carries one, judged file by file.
      let dated = 0;
      for (const p of photos) {
        const tags = await exifr.parse(p.path, { pick: ['DateTimeOriginal', 'CreateDate'] });
        const has = Boolean(tags?.DateTimeOriginal ?? tags?.CreateDate);
        expect(p.taken_at !== null, p.path).toBe(has);
        if (has) dated++;
        expect(fs.existsSync(renditionFile(c, p.sha256, 'thumb'))).toBe(true);
        expect(fs.existsSync(renditionFile(c, p.sha256, 'preview'))).toBe(true);
      }
      expect(r.withTime).toBe(dated);
      expect(dated).toBe(98);
      // Proposed boxes are off by default: every photo keeps its whole frame (tests/integration/box-proposals.test.ts turns them on).
      const ann = c.db.prepare("SELECT COUNT(*) FROM annotations a JOIN photos p ON p.id = a.photo_id WHERE a.source = 'frame' AND a.x = 0 AND a.y = 0 AND a.w = p.width AND a.h = p.height").pluck().get();
      expect(ann).toBe(99);
      expect(r.proposed).toBe(0);
      expect(c.db.prepare('SELECT COUNT(*) FROM photos WHERE taken_at IS NOT NULL AND encounter_id IS NULL').pluck().get()).toBe(0);
    } finally {
      c.close();
    }

    const again = await caudal('import', images, '--catalog', file, '--json');
    expect(again.code, again.err).toBe(0);
    expect(JSON.parse(again.out)).toEqual({ imported: 0, duplicates: 100, failed: [], withTime: 0, withGps: 0, encounters: 0, labels: null, outside: [], proposed: 0 });
  });

  it('nyala-dev labels.csv: 179 individuals and 1,205 confirmed annotations', async () => {
    const csv = sharedPath('datasets', 'nyala-dev', 'labels.csv');
    const file = path.join(tmpDir(), 'nyala.sqlite');
    // No PATH: the labels name the photos (relative to the CSV's folder).
    const r = await caudal('import', '--labels', csv, '--catalog', file, '--json');
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ imported: 1205, duplicates: 0, failed: [], withTime: 0 });
    const c = Catalog.open(file);
    try {
      const one = (sql: string) => c.db.prepare(sql).pluck().get();
      expect(one('SELECT COUNT(*) FROM individuals')).toBe(179);
      expect(one('SELECT COUNT(*) FROM annotations WHERE individual_id IS NOT NULL')).toBe(1205);
      expect(one("SELECT COUNT(*) FROM annotations WHERE identified_by = 'import:labels.csv' AND side IN ('left', 'right')")).toBe(1205);
      expect(one("SELECT COUNT(*) FROM decisions WHERE decision = 'confirm'")).toBe(1205);
      // No capture times: the sightings make the encounters, one per sighting value.
      const sightings = new Set(fs.readFileSync(csv, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[3]));
      expect(one('SELECT COUNT(*) FROM encounters')).toBe(sightings.size);
      expect(one('SELECT COUNT(*) FROM photos WHERE encounter_id IS NULL')).toBe(0);
      const row = c.db.prepare("SELECT i.code, a.side, e.code AS sighting FROM photos p JOIN annotations a ON a.photo_id = p.id JOIN individuals i ON i.id = a.individual_id JOIN encounters e ON e.id = p.encounter_id WHERE p.path LIKE '%/images/60/630_leftphoto.jpg'").get();
      expect(row).toEqual({ code: 'nyala-60', side: 'left', sighting: 's630' });
    } finally {
      c.close();
    }
  });
});
