import fs from 'node:fs';
import path from 'node:path';
import { Catalog } from '../../electron/core/store/catalog';
import { runExport } from '../../electron/core/exchange/run-export';
import { noProgress } from '../../electron/core/export/progress';
import { importIdentities } from '../../electron/core/bundle/import-identities';
import { listConflicts } from '../../electron/core/bundle/conflicts';
import { WILDBOOK_SHEET } from '../../electron/core/export/wildbook';
import { buildCatalog, catalogFingerprint, type FixtureSpec } from '../helpers/fixture-catalog';
import { seasonA } from '../helpers/exchange-fixtures';
import { tmpDir } from '../helpers/tmp';

/** seasonA's photos and boxes, nobody identified yet: the catalog of a lab receiving identities. */
const unidentified = (): FixtureSpec => ({
  ...seasonA,
  individuals: [],
  photos: seasonA.photos!.map((p) => ({ ...p, annotations: (p.annotations ?? [{}]).map((a) => ({ box: a.box })) })),
});

const identities = (c: Catalog) =>
  c.db.prepare('SELECT p.original_name AS photo, a.x, i.code FROM annotations a JOIN photos p ON p.id = a.photo_id LEFT JOIN individuals i ON i.id = a.individual_id ORDER BY p.original_name, a.x').all();

describe('importing identities', () => {
  let dir: string;
  let csv: string;
  let wildbookDir: string;
  let expected: unknown[];
  beforeAll(async () => {
    dir = tmpDir();
    const a = await buildCatalog(path.join(dir, 'a.sqlite'), seasonA);
    csv = path.join(dir, 'sightings.csv');
    wildbookDir = path.join(dir, 'wb');
    await runExport(a, 'sightings', csv, {}, noProgress);
    await runExport(a, 'wildbook', wildbookDir, {}, noProgress);
    expected = identities(a);
    a.close();
  });

  it('from the sightings CSV: identifies every annotation, logs decisions, then finds only duplicates', async () => {
    const u = await buildCatalog(path.join(dir, 'u.sqlite'), unidentified());
    const r = await importIdentities(u, csv, 'sightings');
    expect(r.added.individuals).toBe(4);
    expect(r.added.decisions).toBe(6);
    expect(r.unmatched).toBe(0);
    expect(r.conflicts.total).toBe(0);
    expect(identities(u)).toEqual(expected);
    expect(u.db.prepare("SELECT COUNT(*) FROM decisions WHERE decision = 'confirm' AND reviewer = 'ana' AND json_extract(details, '$.source') = 'sightings-csv'").pluck().get()).toBe(6);
    const again = await importIdentities(u, csv, 'sightings');
    expect(again.added).toMatchObject({ individuals: 0, decisions: 0 });
    expect(again.duplicate.annotations).toBe(6);
    u.close();
  });

  it('a disagreeing identity becomes a conflict, the catalog keeps its own', async () => {
    const spec = unidentified();
    spec.individuals = [{ code: 'ID-0002' }];
    spec.photos![0] = { ...spec.photos![0], annotations: [{ code: 'ID-0002' }] };
    const u = await buildCatalog(path.join(dir, 'u2.sqlite'), spec);
    const r = await importIdentities(u, csv, 'sightings');
    expect(r.conflicts).toEqual({ total: 1, annotation: 1, code: 0, attribute: 0 });
    const [c] = listConflicts(u);
    expect([c.local.code, c.incoming.code]).toEqual(['ID-0002', 'ID-0001']);
    expect(c.summary).toMatch(/IMG_0001.JPG is identified as ID-0002 here and as ID-0001 in .*sightings.csv/);
    u.close();
  });

  it('from a Wildbook spreadsheet: photos found by name, ambiguous multi-box photos left unmatched', async () => {
    const u = await buildCatalog(path.join(dir, 'u3.sqlite'), unidentified());
    const r = await importIdentities(u, path.join(wildbookDir, WILDBOOK_SHEET), 'wildbook');
    // photo 2 holds two boxes and Wildbook rows carry no box: both of its claims stay unmatched
    expect(r.unmatched).toBe(2);
    expect(r.added.decisions).toBe(4);
    const got = identities(u) as Array<{ photo: string; code: string | null }>;
    expect(got.filter((x) => x.photo !== 'IMG_0002.JPG')).toEqual((expected as typeof got).filter((x) => x.photo !== 'IMG_0002.JPG'));
    u.close();
  });

  it('a CSV with bad rows names them and leaves the catalog untouched', async () => {
    const file = path.join(dir, 'u4.sqlite');
    (await buildCatalog(file, unidentified())).close();
    const lines = fs.readFileSync(csv, 'utf8').split('\r\n');
    lines[2] = lines[2].replace(/\.JPG,[0-9a-f]{64}/, '.JPG,not-a-hash');
    lines[3] = `${lines[3]},extra`;
    const dated = lines.findIndex((l, i) => i >= 4 && /,2026-01-1\dT[^,]+\+02:00,/.test(l));
    lines[dated] = lines[dated].replace(/,2026-01-1\dT[^,]+\+02:00,/, ',12/01/2026 07:41,');
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, lines.join('\r\n'));
    const before = catalogFingerprint(file);
    const c = Catalog.open(file);
    await expect(importIdentities(c, bad, 'sightings')).rejects.toThrow(new RegExp(`bad.csv: 3 bad rows; nothing was imported:\n  line 3: photo_sha256 'not-a-hash' is not a sha256\n  line 4: 22 fields, the header has 21\n  line ${dated + 1}: date_time '12/01/2026 07:41' is not an ISO 8601 time`));
    fs.writeFileSync(bad, 'photo,who\r\nx.jpg,ID-1\r\n');
    await expect(importIdentities(c, bad, 'sightings')).rejects.toThrow(/bad.csv has no 'photo_sha256' column/);
    fs.writeFileSync(bad, 'a,"broken\r\n');
    await expect(importIdentities(c, bad, 'sightings')).rejects.toThrow(/bad.csv: line 1: a quoted field is never closed/);
    const notXlsx = path.join(dir, 'fake.xlsx');
    fs.writeFileSync(notXlsx, 'plain text');
    await expect(importIdentities(c, notXlsx, 'wildbook')).rejects.toThrow(/fake.xlsx cannot be read as a Wildbook spreadsheet/);
    c.close();
    expect(catalogFingerprint(file)).toEqual(before);
  });
});
