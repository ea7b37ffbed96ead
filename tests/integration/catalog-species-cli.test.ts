import fs from 'node:fs';
import path from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { Catalog } from '../../electron/core/store/catalog';
import { runCaudal } from '../helpers/cli';
import { sharedPath } from '../helpers/shared';
import { tmpDir } from '../helpers/tmp';

/**
 * A non-whale catalog through the CLI, as a biologist would run it: nyala antelope (flank, no
 * EXIF dates) from ../shared. Nothing whale-specific may reach its exports, exports that write
 * nothing exit non-zero and say why by file name, and a failed import exits non-zero.
 */
describe('a nyala catalog through the CLI: species, body part, exports and exit codes', () => {
  let dir: string;
  let csv: string;
  let images: string[];

  beforeAll(() => {
    dir = tmpDir();
    const labels = sharedPath('datasets', 'nyala-dev', 'labels.csv');
    const root = path.dirname(labels);
    // 24 labelled photos, named by absolute path in a CSV of our own (the CSV's folder is not theirs).
    const rows = fs.readFileSync(labels, 'utf8').trim().split('\n').slice(1, 25);
    images = rows.map((r) => path.join(root, r.split(',')[0]));
    csv = path.join(dir, 'nyala-labels.csv');
    fs.writeFileSync(csv, ['image,individual,side,sighting', ...rows.map((r) => [path.join(root, r.split(',')[0]), ...r.split(',').slice(1)].join(','))].join('\n'));
  });

  const allText = (zip: string) =>
    Object.entries(unzipSync(fs.readFileSync(zip)))
      .filter(([n]) => /\.(txt|xml)$/.test(n))
      .map(([n, b]) => `${n}\n${strFromU8(b)}`)
      .join('\n');

  it('asks nothing of the whale defaults: unset species and body part stay unset, exports say so and guess nothing', async () => {
    const file = path.join(dir, 'unset.sqlite');
    const imp = await runCaudal('import', '--labels', csv, '--catalog', file);
    expect(imp.code, imp.err).toBe(0);
    expect(imp.err).toMatch(/no body part yet/);
    expect(imp.err).toMatch(/no species yet/);
    const c = Catalog.open(file);
    expect(c.db.prepare('SELECT DISTINCT body_part FROM annotations').pluck().all()).toEqual(['']);
    // Give the photos dates, so the archive has occurrences to carry a (missing) scientific name.
    c.db.prepare("UPDATE photos SET taken_at = '2024-05-0' || (1 + id % 9) || 'T10:00:00+02:00'").run();
    c.close();

    const sightings = path.join(dir, 'unset-sightings.csv');
    expect((await runCaudal('export', 'sightings', '--out', sightings, '--catalog', file)).code).toBe(0);
    const text = fs.readFileSync(sightings, 'utf8');
    expect(text).not.toMatch(/fluke|Megaptera/i);

    const dwca = path.join(dir, 'unset-dwca.zip');
    const r = await runCaudal('export', 'dwca', '--out', dwca, '--catalog', file, '--json');
    expect(r.code, r.err).toBe(0);
    const result = JSON.parse(r.out);
    expect(result.rows).toBe(24);
    expect(result.warnings).toEqual([expect.stringMatching(/no species set, so no scientific name was written/)]);
    const archive = allText(dwca);
    expect(archive).not.toMatch(/Megaptera|fluke|humpback/i);
    expect(archive).not.toContain('taxonomicCoverage');
    const occ = strFromU8(unzipSync(fs.readFileSync(dwca))['occurrence.txt']).trim().split('\n');
    const col = occ[0].split('\t').indexOf('scientificName');
    expect(new Set(occ.slice(1).map((l) => l.split('\t')[col]))).toEqual(new Set(['']));

    const wb = await runCaudal('export', 'wildbook', '--out', path.join(dir, 'unset-wildbook'), '--catalog', file);
    expect(wb.code, wb.err).toBe(0);
    expect(wb.out).toMatch(/warning: this catalog has no species set/);
  });

  it('keeps the species and body part it was given, writes them to every export, and gives the body part to photos that had none', async () => {
    const file = path.join(dir, 'nyala.sqlite');
    // First the photos alone, then the labels: the labels are applied to photos already in the catalog.
    const first = await runCaudal('import', ...images.slice(0, 12), '--catalog', file, '--json');
    expect(first.code, first.err).toBe(0);
    const set = await runCaudal('settings', '--species', 'Tragelaphus angasii', '--body-part', 'Flank', '--catalog', file, '--json');
    expect(set.code, set.err).toBe(0);
    expect(JSON.parse(set.out)).toMatchObject({ species: 'Tragelaphus angasii', bodyPart: 'flank' });
    const again = await runCaudal('import', '--labels', csv, '--catalog', file);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(/^imported +12 photos/m);
    expect(again.out).toMatch(/^duplicates +12 /m);
    expect(again.out).toMatch(/^labels +24 rows: 24 identities applied \(\d+ new individuals\), 0 rows refused$/m);
    expect(again.out).toMatch(/^failed +0 files$/m);
    expect(again.err).not.toMatch(/no body part yet|no species yet/);
    const c = Catalog.open(file);
    expect(c.db.prepare('SELECT DISTINCT body_part FROM annotations').pluck().all()).toEqual(['flank']);
    c.close();

    const info = await runCaudal('info', '--catalog', file);
    expect(info.out).toMatch(/species +Tragelaphus angasii/);
    expect(info.out).toMatch(/body part +flank/);

    const sightings = path.join(dir, 'sightings.csv');
    expect((await runCaudal('export', 'sightings', '--out', sightings, '--catalog', file)).code).toBe(0);
    const lines = fs.readFileSync(sightings, 'utf8').replace(/^\ufeff/, '').trim().split('\n');
    const part = lines[0].split(',').indexOf('body_part');
    expect(new Set(lines.slice(1).map((l) => l.split(',')[part]))).toEqual(new Set(['flank']));
  });

  it('a Darwin Core export of undated photos writes nothing, exits 1 and names the photo files; dated, it carries the species', async () => {
    const file = path.join(dir, 'nyala.sqlite');
    const dwca = path.join(dir, 'nyala-dwca.zip');
    const r = await runCaudal('export', 'dwca', '--out', dwca, '--catalog', file);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/nothing was exported: all 24 left out \(no date for eventDate/);
    expect(r.out).toMatch(/^skipped 24:$/m);
    expect(r.out).toMatch(/24 x no date for eventDate/);
    expect(r.out).not.toMatch(/urn:caudal/);
    const json = JSON.parse((await runCaudal('export', 'dwca', '--out', dwca, '--catalog', file, '--json')).out);
    expect(json.skipped).toHaveLength(24);
    expect(json.skipped[0]).toMatchObject({ cause: 'no-date', photoId: expect.any(Number), encounterId: expect.any(Number) });
    expect(new Set(json.skipped.map((s: { what: string }) => s.what))).toEqual(new Set(images.map((i) => path.basename(i))));
    expect(r.out).toContain(json.skipped[0].what);

    const c = Catalog.open(file);
    c.db.prepare("UPDATE encounters SET start_time = '2024-05-01T09:00:00+02:00'").run();
    c.close();
    const dated = await runCaudal('export', 'dwca', '--out', dwca, '--catalog', file, '--json');
    expect(dated.code, dated.err).toBe(0);
    expect(JSON.parse(dated.out)).toMatchObject({ rows: 24, skipped: [], warnings: [] });
    const archive = allText(dwca);
    expect(archive).toContain('<taxonRankValue>Tragelaphus angasii</taxonRankValue>');
    expect(archive).not.toMatch(/Megaptera|fluke|humpback/i);
  });

  it('refuses to export into a folder that does not exist unless --mkdir, and says why a place cannot be written in words', async () => {
    const file = path.join(dir, 'nyala.sqlite');
    const out = path.join(dir, 'no', 'such', 'sightings.csv');
    const refused = await runCaudal('export', 'sightings', '--out', out, '--catalog', file);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`the folder ${path.dirname(out)} does not exist (create it, or pass --mkdir)`);
    expect(fs.existsSync(path.join(dir, 'no'))).toBe(false);
    const made = await runCaudal('export', 'sightings', '--out', out, '--mkdir', '--catalog', file);
    expect(made.code, made.err).toBe(0);
    expect(fs.existsSync(out)).toBe(true);

    // /sys refuses writes even to root; the message is words, not an errno code.
    const denied = await runCaudal('export', 'sightings', '--out', '/sys/caudal-sightings.csv', '--catalog', file);
    expect(denied.code).toBe(1);
    expect(denied.err).toMatch(/cannot write.*\/sys.*: permission denied/);
    expect(denied.err).not.toMatch(/EACCES|errno|open '/);
    const underFile = await runCaudal('export', 'sightings', '--out', path.join(sightingsFile(dir), 'x.csv'), '--catalog', file);
    expect(underFile.code).toBe(1);
    expect(underFile.err).toMatch(/part of that path is a file, not a folder/);
  });

  it('an import of a path that does not exist exits 1, and progress is printed on piped output', async () => {
    const file = path.join(dir, 'nyala.sqlite');
    const missing = path.join(dir, 'no-such-card');
    const r = await runCaudal('import', missing, '--catalog', file, '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ imported: 0, failed: [{ file: missing, error: 'cannot open: no such file or folder' }] });
    expect(r.err).toContain(`the import failed: ${missing}: cannot open: no such file or folder`);

    // runCaudal's stderr is not a terminal: a line per stage and the last count, to stderr only.
    const fresh = path.join(dir, 'progress.sqlite');
    const ok = await runCaudal('import', ...images.slice(0, 5), '--catalog', fresh, '--json');
    expect(ok.code, ok.err).toBe(0);
    expect(ok.err).toMatch(/import: 5\/5 \(100%\)/);
    expect(() => JSON.parse(ok.out)).not.toThrow();
  });
});

function sightingsFile(dir: string): string {
  return path.join(dir, 'sightings.csv');
}
