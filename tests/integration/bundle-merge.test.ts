import fs from 'node:fs';
import path from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { Catalog } from '../../electron/core/store/catalog';
import { runExport } from '../../electron/core/exchange/run-export';
import { noProgress } from '../../electron/core/export/progress';
import { mergeBundle } from '../../electron/core/bundle/merge';
import { listConflicts, resolveConflict } from '../../electron/core/bundle/conflicts';
import { identifiedRows } from '../../electron/core/export/identified';
import { buildCatalog, catalogFingerprint, T0, type FixtureSpec } from '../helpers/fixture-catalog';
import { seasonA } from '../helpers/exchange-fixtures';
import { tmpDir } from '../helpers/tmp';
import { snapshot } from '../helpers/catalog-snapshot';

describe('catalog bundles and merging', () => {
  let dir: string;
  let bundleA: string;
  beforeAll(async () => {
    dir = tmpDir();
    const a = await buildCatalog(path.join(dir, 'a.sqlite'), seasonA);
    bundleA = path.join(dir, 'a.caudal');
    const r = await runExport(a, 'bundle', bundleA, { thumbnails: true }, noProgress);
    expect(r.photos).toBe(6);
    a.close();
  });

  it('a bundle merged into an empty catalog reproduces every individual, photo, annotation, decision and model', async () => {
    const a = Catalog.open(path.join(dir, 'a.sqlite'));
    const b = Catalog.open(path.join(dir, 'empty.sqlite'));
    const r = await mergeBundle(b, bundleA, noProgress);
    expect(r.conflicts.total).toBe(0);
    expect(r.added).toEqual({ individuals: 4, encounters: 2, photos: 6, annotations: 7, decisions: 8, models: 2, embeddings: 7, features: 7 });
    const sa = snapshot(a);
    const sb = snapshot(b);
    for (const t of Object.keys(sa) as Array<keyof typeof sa>) expect(sb[t], t).toEqual(sa[t]);
    // the referenced original travelled in the bundle and is now a copied photo with its bytes
    const ext = b.db.prepare("SELECT path, copied, missing FROM photos WHERE original_name = 'IMG_0003.JPG'").get() as any;
    expect(ext).toMatchObject({ copied: 1, missing: 0 });
    const original = a.db.prepare("SELECT path FROM photos WHERE original_name = 'IMG_0003.JPG'").pluck().get() as string;
    expect(fs.readFileSync(path.join(b.filesDir, ext.path))).toEqual(fs.readFileSync(original));
    for (const p of b.db.prepare('SELECT path FROM photos WHERE copied = 1').pluck().all() as string[]) expect(fs.existsSync(path.join(b.filesDir, p))).toBe(true);
    // copied photos keep their place in the catalog folder
    const copiedA = a.db.prepare('SELECT sha256, path FROM photos WHERE copied = 1 ORDER BY sha256').all();
    const inB = b.db.prepare('SELECT sha256, path FROM photos WHERE sha256 IN (SELECT value FROM json_each(?)) ORDER BY sha256').all(JSON.stringify(copiedA.map((x: any) => x.sha256)));
    expect(inB).toEqual(copiedA);
    // the id map translates the other side's ids (as decision details name them)
    const aId = a.db.prepare("SELECT id FROM individuals WHERE code = 'ID-0003'").pluck().get();
    const bId = b.db.prepare("SELECT id FROM individuals WHERE code = 'ID-0003'").pluck().get();
    expect(b.db.prepare("SELECT target_id FROM merge_ids WHERE merge_id = ? AND kind = 'individual' AND source_id = ?").pluck().get(r.mergeId, aId)).toBe(bId);
    // exports of both catalogs agree, including the occurrence ids
    expect(identifiedRows(b).map((x) => x.occurrenceId)).toEqual(identifiedRows(a).map((x) => x.occurrenceId));

    // a photo this catalog lost on disk comes back from the bundle
    const lost = b.db.prepare("SELECT id, path FROM photos WHERE original_name = 'IMG_0001.JPG'").get() as { id: number; path: string };
    fs.rmSync(path.join(b.filesDir, lost.path));
    b.db.prepare('UPDATE photos SET missing = 1 WHERE id = ?').run(lost.id);

    // merging the same bundle again adds nothing and raises nothing
    const again = await mergeBundle(b, bundleA, noProgress);
    expect(Object.values(again.added).every((n) => n === 0)).toBe(true);
    expect(again.conflicts.total).toBe(0);
    expect(again.duplicate.photos).toBe(6);
    const back = b.db.prepare('SELECT path, missing FROM photos WHERE id = ?').get(lost.id) as { path: string; missing: number };
    expect(back.missing).toBe(0);
    expect(fs.existsSync(path.join(b.filesDir, back.path))).toBe(true);
    expect(snapshot(b).decisions).toEqual(sa.decisions);
    a.close();
    b.close();
  });

  it('two catalogs with overlapping and conflicting identities report exactly the planted conflicts', async () => {
    // C shares A's history for ID-0001, ID-0003, ID-0004 (same created_at), and diverged:
    //  - photo 2's first box is ID-0003 in C but ID-0001 in A            -> 1 annotation conflict
    //  - ID-0002 was created independently in C, on other photos          -> 1 code conflict
    //  - ID-0004 is recorded male in C, female in A                       -> 1 attribute conflict
    //  - ID-0003's name is only set in C (A has none)                     -> filled in, no conflict
    //  - ID-0009 and photos 7, 8 exist only in C                          -> added
    const specC: FixtureSpec = {
      settings: { reviewer: 'ben', species: 'Megaptera novaeangliae' },
      decisionAt: '2026-01-21T10:00:00.000Z',
      individuals: [
        { code: 'ID-0001', name: 'Salt, "the" Ñandú', sex: 'female' },
        { code: 'ID-0002', createdAt: '2026-01-20T12:00:00.000Z' },
        { code: 'ID-0003', name: 'Pebble' },
        { code: 'ID-0004', sex: 'male' },
        { code: 'ID-0009', createdAt: '2026-01-20T12:30:00.000Z' },
      ],
      encounters: [{ code: 'S-2026-001', start: '2026-01-10T10:00:00+02:00', lat: -33.9, lon: 18.4, location: 'Bahía, north', observer: 'Ana Pérez' }],
      photos: [
        { seed: 1, encounter: 'S-2026-001', annotations: [{ code: 'ID-0001', createdAt: '2026-02-01T00:00:00.000Z' }] },
        { seed: 2, encounter: 'S-2026-001', annotations: [{ code: 'ID-0003', box: [1, 1, 30, 20], createdAt: '2026-02-01T00:00:01.000Z' }] },
        { seed: 7, annotations: [{ code: 'ID-0002' }] },
        { seed: 8, annotations: [{ code: 'ID-0009' }] },
        { seed: 4, takenAt: '2026-01-12T07:45:00+02:00', annotations: [{ code: 'ID-0004', createdAt: '2026-02-01T00:00:02.000Z' }] },
      ],
    };
    const cfile = path.join(dir, 'c.sqlite');
    const c = await buildCatalog(cfile, specC);
    const bundleC = path.join(dir, 'c.caudal');
    await runExport(c, 'bundle', bundleC, {}, noProgress);
    c.close();

    // merge C into a fresh copy of A
    const a2 = Catalog.open(path.join(dir, 'a2.sqlite'));
    await mergeBundle(a2, bundleA, noProgress);
    const before = snapshot(a2);
    const r = await mergeBundle(a2, bundleC, noProgress);
    expect(r.conflicts).toEqual({ total: 3, annotation: 1, code: 1, attribute: 1 });
    expect(r.added.individuals).toBe(2); // ID-0009, and C's ID-0002 under a provisional code
    expect(r.added.photos).toBe(2);
    expect(r.duplicate.photos).toBe(3);

    const open = listConflicts(a2);
    expect(open.map((x) => x.kind).sort()).toEqual(['annotation', 'attribute', 'code']);
    const ann = open.find((x) => x.kind === 'annotation')!;
    expect(ann.local.code).toBe('ID-0001');
    expect(ann.incoming.code).toBe('ID-0003');
    expect(ann.summary).toMatch(/IMG_0002.JPG is identified as ID-0001 here and as ID-0003/);
    const code = open.find((x) => x.kind === 'code')!;
    expect(code.local.code).toBe('ID-0002');
    expect(code.incoming.code).toMatch(/^ID-0002~m\d+$/);
    expect(code.details).toMatchObject({ localPhotos: 2, incomingPhotos: 1, bestSimilarity: { model: 'ft-1', cosine: expect.any(Number) } });
    const attr = open.find((x) => x.kind === 'attribute')!;
    expect([attr.field, attr.local.value, attr.incoming.value]).toEqual(['sex', 'female', 'male']);

    // nothing of A was overwritten: A's identifications and attributes stand, its log is intact
    const after = snapshot(a2);
    const annA = (s: typeof before) => s.annotations.filter((x: any) => before.annotations.some((y: any) => y.sha256 === x.sha256 && y.created_at === x.created_at));
    expect(annA(after)).toEqual(before.annotations);
    expect(after.individuals.find((x: any) => x.code === 'ID-0004')).toMatchObject({ sex: 'female' });
    expect(after.individuals.find((x: any) => x.code === 'ID-0003')).toMatchObject({ name: 'Pebble' });
    for (const d of before.decisions) expect(after.decisions).toContainEqual(d);
    // and C's log is there too, mapped onto A's rows
    expect(after.decisions.length).toBe(before.decisions.length + 5);
    expect(after.settings.find((s: any) => s.key === 'reviewer')).toEqual({ key: 'reviewer', value: '"ana"' });

    // the same merge again raises nothing new
    const again = await mergeBundle(a2, bundleC, noProgress);
    expect(again.conflicts.total).toBe(0);
    expect(again.added.individuals).toBe(0);

    // a person resolves them
    a2.store.settings.set('reviewer', 'carla');
    const photoAnn = ann.annotationId!;
    resolveConflict(a2, ann.id, 'take-incoming');
    expect(a2.db.prepare('SELECT i.code FROM annotations a JOIN individuals i ON i.id = a.individual_id WHERE a.id = ?').pluck().get(photoAnn)).toBe('ID-0003');
    expect(a2.db.prepare("SELECT details FROM decisions WHERE annotation_id = ? AND reviewer = 'carla'").pluck().get(photoAnn)).toBe(JSON.stringify({ conflict: ann.id, previous: ann.local.individualId }));
    resolveConflict(a2, code.id, 'same-animal');
    expect(a2.db.prepare('SELECT COUNT(*) FROM annotations WHERE individual_id = ?').pluck().get(code.incoming.individualId)).toBe(0);
    expect(a2.db.prepare('SELECT merged_into FROM individuals WHERE id = ?').pluck().get(code.incoming.individualId)).toBe(code.local.individualId);
    expect(() => resolveConflict(a2, attr.id, 'same-animal')).toThrow(/keep-local or take-incoming/);
    resolveConflict(a2, attr.id, 'keep-local');
    expect(listConflicts(a2)).toEqual([]);
    expect(listConflicts(a2, 'all').every((x) => x.state === 'resolved' && x.resolvedBy === 'carla')).toBe(true);
    a2.close();
  });

  describe('bad bundles leave the catalog untouched', () => {
    let target: string;
    beforeAll(async () => {
      target = path.join(dir, 'target.sqlite');
      (await buildCatalog(target, { ...seasonA, photos: seasonA.photos!.slice(0, 2), settings: { reviewer: 'zoe' } })).close();
    });

    const remade = (mutate: (files: Record<string, Uint8Array>) => void): string => {
      const files = unzipSync(new Uint8Array(fs.readFileSync(bundleA)));
      mutate(files);
      const f = path.join(dir, `mutated-${Math.random().toString(36).slice(2)}.caudal`);
      fs.writeFileSync(f, zipSync(files));
      return f;
    };

    const cases: Array<[string, () => string, RegExp]> = [
      ['a truncated bundle', () => {
        const f = path.join(dir, 'truncated.caudal');
        const buf = fs.readFileSync(bundleA);
        fs.writeFileSync(f, buf.subarray(0, Math.floor(buf.length * 0.6)));
        return f;
      }, /not a complete zip archive \(truncated/],
      ['a file that is not a zip', () => {
        const f = path.join(dir, 'notes.caudal');
        fs.writeFileSync(f, 'just some text, not a bundle at all');
        return f;
      }, /not a complete zip archive/],
      ['a foreign zip', () => {
        const f = path.join(dir, 'foreign.zip');
        fs.writeFileSync(f, zipSync({ 'readme.txt': strToU8('hello') }));
        return f;
      }, /is not a Caudal bundle \(no manifest.json\)/],
      ['a bundle from a newer schema', () => remade((files) => {
        const m = JSON.parse(Buffer.from(files['manifest.json']).toString('utf8'));
        files['manifest.json'] = strToU8(JSON.stringify({ ...m, schemaVersion: 999 }));
      }), /schema version 999, newer than this Caudal knows .* The catalog was not changed/],
      ['a bundle whose manifest understates its database\'s schema', () => remade((files) => {
        const tmp = path.join(dir, `newer-${Math.random().toString(36).slice(2)}.sqlite`);
        fs.writeFileSync(tmp, files['catalog.sqlite']);
        const Database = require('better-sqlite3');
        const db = new Database(tmp);
        db.pragma('user_version = 999');
        db.close();
        const bytes = fs.readFileSync(tmp);
        files['catalog.sqlite'] = new Uint8Array(bytes);
        const m = JSON.parse(Buffer.from(files['manifest.json']).toString('utf8'));
        m.database.sha256 = require('node:crypto').createHash('sha256').update(bytes).digest('hex');
        files['manifest.json'] = strToU8(JSON.stringify(m));
      }), /holds a catalog newer than this Caudal knows; update Caudal to merge it. The catalog was not changed./],
      ['a bundle whose database was altered', () => remade((files) => {
        const db = Buffer.from(files['catalog.sqlite']);
        db[db.length - 10] ^= 0xff;
        files['catalog.sqlite'] = new Uint8Array(db);
      }), /damaged: its database does not match/],
    ];

    for (const [what, make, message] of cases) {
      it(`refuses ${what} with a clear message`, async () => {
        const bad = make();
        const before = catalogFingerprint(target);
        const c = Catalog.open(target);
        await expect(mergeBundle(c, bad, noProgress)).rejects.toThrow(message);
        c.close();
        expect(catalogFingerprint(target)).toEqual(before);
      });
    }

    it('rolls back completely when the merge fails half-way', async () => {
      const before = catalogFingerprint(target);
      // a decision pointing at an individual missing from the bundle's own database
      const bad = remade((files) => {
        const tmp = path.join(dir, 'half.sqlite');
        fs.writeFileSync(tmp, files['catalog.sqlite']);
        const Database = require('better-sqlite3');
        const db = new Database(tmp);
        db.pragma('foreign_keys = OFF');
        db.prepare("INSERT INTO decisions (annotation_id, individual_id, decision, created_at) VALUES (999999, NULL, 'skip', ?)").run(T0);
        db.close();
        const bytes = fs.readFileSync(tmp);
        files['catalog.sqlite'] = new Uint8Array(bytes);
        const m = JSON.parse(Buffer.from(files['manifest.json']).toString('utf8'));
        m.database.sha256 = require('node:crypto').createHash('sha256').update(bytes).digest('hex');
        files['manifest.json'] = strToU8(JSON.stringify(m));
      });
      const c = Catalog.open(target);
      const err = await mergeBundle(c, bad, noProgress).then(() => null, (e: Error) => e);
      c.close();
      expect(err?.message).toMatch(/failed and was rolled back; the catalog was not changed \(NOT NULL constraint failed: decisions.annotation_id\)/);
      expect(catalogFingerprint(target)).toEqual(before);
    });
  });
});
