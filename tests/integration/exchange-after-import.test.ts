import fs from 'node:fs';
import path from 'node:path';
import { Catalog } from '../../electron/core/store/catalog';
import { importPhotos } from '../../electron/core/import/import';
import { runExport } from '../../electron/core/exchange/run-export';
import { noProgress } from '../../electron/core/export/progress';
import { mergeBundle } from '../../electron/core/bundle/merge';
import { BundleZip } from '../../electron/core/bundle/bundle-zip';
import { snapshot } from '../helpers/catalog-snapshot';
import { makePhoto } from '../helpers/photos';
import { tmpDir } from '../helpers/tmp';

/** Catalogs made by the real photo import (EXIF, encounters, labels), moved by bundle and exported. */
describe('exchange on catalogs built by the photo import', () => {
  let dir: string;
  let cat: Catalog;
  beforeAll(async () => {
    dir = tmpDir();
    const photos = path.join(dir, 'card');
    const rows = ['image,individual,side,sighting'];
    for (let i = 0; i < 6; i++) {
      const name = `DSC_${100 + i}.jpg`;
      await makePhoto(path.join(photos, name), { seed: i + 1, width: 160, height: 120, taken: `2026:03:0${1 + (i >> 1)} 09:1${i}:00`, offset: '-03:00', gps: { lat: -42.5 - i / 100, lon: -64.1 }, make: 'Nikon' });
      rows.push(`${name},${i < 4 ? `EG-${i % 2}` : ''},${i % 2 ? 'left' : 'right'},S${i >> 1}`);
    }
    fs.writeFileSync(path.join(photos, 'labels.csv'), rows.join('\n'));
    cat = Catalog.open(path.join(dir, 'imported.sqlite'));
    cat.store.settings.set('species', 'Eubalaena australis');
    const report = await importPhotos(cat, { paths: [photos], labels: path.join(photos, 'labels.csv'), copy: true });
    expect(report).toMatchObject({ imported: 6 });
  });
  afterAll(() => cat.close());

  it('a bundle of an imported catalog reproduces it in an empty one', async () => {
    const bundle = path.join(dir, 'imported.caudal');
    const r = await runExport(cat, 'bundle', bundle, { thumbnails: true }, noProgress);
    expect(r.photos).toBe(6);
    const zip = await BundleZip.open(bundle);
    expect([...zip.entries.keys()].some((n) => n.startsWith('thumbs/'))).toBe(true);
    zip.close();
    const empty = Catalog.open(path.join(dir, 'empty.sqlite'));
    const m = await mergeBundle(empty, bundle, noProgress);
    expect(m.conflicts.total).toBe(0);
    expect(m.added.photos).toBe(6);
    const a = snapshot(cat);
    const b = snapshot(empty);
    for (const t of Object.keys(a) as Array<keyof typeof a>) expect(b[t], t).toEqual(a[t]);
    // copied originals and cached thumbnails landed where the catalog looks for them
    for (const p of empty.db.prepare('SELECT path FROM photos').pluck().all() as string[]) expect(fs.existsSync(path.join(empty.filesDir, p))).toBe(true);
    expect(fs.existsSync(path.join(empty.filesDir, 'thumbs'))).toBe(true);
    empty.close();
  });

  it('Darwin Core records keep the camera offset in eventDate and the species from settings', async () => {
    const out = path.join(dir, 'dwca.zip');
    const r = await runExport(cat, 'dwca', out, {}, noProgress);
    expect(r.rows).toBe(4);
    const zip = await BundleZip.open(out);
    const [header, ...lines] = (await zip.read('occurrence.txt')).toString('utf8').trim().split('\n').map((l) => l.split('\t'));
    zip.close();
    const col = (n: string) => lines.map((l) => l[header.indexOf(n)]);
    expect(col('eventDate').every((d) => /^2026-03-0\dT09:1\d:00(\.000)?-03:00$/.test(d))).toBe(true);
    expect(new Set(col('scientificName'))).toEqual(new Set(['Eubalaena australis']));
    expect(col('decimalLatitude').every((v) => Number(v) < -42.4 && Number(v) > -42.6)).toBe(true);
    expect(new Set(col('organismID'))).toEqual(new Set(['EG-0', 'EG-1']));
  });
});
