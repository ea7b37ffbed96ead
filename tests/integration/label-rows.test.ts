import fs from 'node:fs';
import path from 'node:path';
import { Backend } from '../../electron/core/api/backend';
import type { ImportReport } from '../../electron/contract';
import { RESULT_LIST_LIMIT } from '../../electron/contract';
import { runCaudal } from '../helpers/cli';
import { importInto, withCatalog } from '../helpers/import';
import { makePhoto } from '../helpers/photos';
import { tmpDir } from '../helpers/tmp';

describe('label rows that disagree, are malformed, or reach outside the folder', () => {
  it('a photo named as D-B and then D-C: the conflict is reported and D-C is not created', async () => {
    const dir = tmpDir();
    await makePhoto(path.join(dir, 'a.jpg'), { seed: 1 });
    await makePhoto(path.join(dir, 'b.jpg'), { seed: 2 });
    const csv = path.join(dir, 'labels.csv');
    fs.writeFileSync(csv, 'image,individual\na.jpg,D-B\na.jpg,D-C\nb.jpg,D-A\n');
    const file = path.join(tmpDir(), 'cat.sqlite');
    const r = await importInto(file, { paths: [dir], labels: csv });
    expect(r.failed).toEqual([{ file: `${csv}:3`, labelRow: 3, error: 'line 3: a.jpg is already identified as D-B; left as it is (the labels say D-C)' }]);
    expect(r.labels).toEqual({ rows: 3, identified: 2, individualsCreated: 2 });
    // and again from another file, against what the catalog already holds
    const csv2 = path.join(dir, 'more.csv');
    fs.writeFileSync(csv2, 'image,individual\nb.jpg,D-Z\n');
    const again = await importInto(file, { paths: [dir], labels: csv2 });
    // (the first CSV, in the same folder, is listed as not a photo)
    expect(again.failed.filter((f) => f.file.startsWith(csv2)).map((f) => f.error)).toEqual(['line 2: b.jpg is already identified as D-A; left as it is (the labels say D-Z)']);
    expect(again.labels).toEqual({ rows: 1, identified: 0, individualsCreated: 0 });
    withCatalog(file, (c) => expect(c.db.prepare('SELECT code FROM individuals ORDER BY code').pluck().all()).toEqual(['D-A', 'D-B']));
  });

  it('rows with too few or too many fields are reported by line and not used', async () => {
    const dir = tmpDir();
    for (const [i, n] of ['a', 'b', 'c'].entries()) await makePhoto(path.join(dir, `${n}.jpg`), { seed: 10 + i });
    const csv = path.join(dir, 'labels.csv');
    fs.writeFileSync(csv, 'image,individual,side\na.jpg,HW-1\nb.jpg,HW-2,left,oops\nc.jpg,HW-3,right\n');
    const file = path.join(tmpDir(), 'cat.sqlite');
    const r = await importInto(file, { paths: [dir], labels: csv });
    expect(r.failed).toEqual([
      { file: `${csv}:2`, labelRow: 2, error: 'line 2: 2 fields where the header has 3 (image,individual,side); row skipped' },
      { file: `${csv}:3`, labelRow: 3, error: 'line 3: 4 fields where the header has 3 (image,individual,side); row skipped' },
    ]);
    expect(r.imported).toBe(3);
    withCatalog(file, (c) => expect(c.db.prepare('SELECT code FROM individuals').pluck().all()).toEqual(['HW-3']));
  });

  it('a labels row reaching outside the import folder (../) is named in the summary', async () => {
    const root = tmpDir();
    const dir = path.join(root, 'survey');
    await makePhoto(path.join(dir, 'in.jpg'), { seed: 20 });
    const away = await makePhoto(path.join(root, 'private', 'away.jpg'), { seed: 21 });
    const csv = path.join(dir, 'labels.csv');
    fs.writeFileSync(csv, 'image,individual\nin.jpg,HW-1\n../private/away.jpg,HW-2\n');
    const file = path.join(tmpDir(), 'cat.sqlite');
    const r = await runCaudal('import', dir, '--labels', csv, '--catalog', file, '--json');
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out);
    expect(out).toMatchObject({ imported: 2, outside: [path.resolve(away)] });
    const human = await runCaudal('import', dir, '--labels', csv, '--catalog', path.join(tmpDir(), 'b.sqlite'));
    expect(human.out).toContain(`outside      1 photo(s) named by the labels file outside the given folders, imported:\n  ${path.resolve(away)}`);
  });

  it('a job result keeps counts and the first failures; the full list goes to a file', async () => {
    const dir = tmpDir();
    await makePhoto(path.join(dir, 'a.jpg'), { seed: 30 });
    const csv = path.join(dir, 'labels.csv');
    const n = 2500;
    fs.writeFileSync(csv, ['image,individual', ...Array.from({ length: n }, (_, i) => `missing-${i}.jpg,HW-${i}`)].join('\n'));
    const file = path.join(tmpDir(), 'cat.sqlite');
    const backend = new Backend(file);
    try {
      const r = await backend.jobs.run('import', { paths: [dir], labels: csv });
      expect(r.failed).toHaveLength(RESULT_LIST_LIMIT);
      expect(r.failed[0].error).toMatch(/^line 2: image missing-0\.jpg not found/);
      expect(r.truncated?.failed).toMatchObject({ total: n, shown: RESULT_LIST_LIMIT });
      const all = JSON.parse(fs.readFileSync(r.truncated!.failed.file, 'utf8'));
      expect(all).toHaveLength(n);
      expect(all[n - 1].error).toMatch(new RegExp(`^line ${n + 1}: image missing-${n - 1}\\.jpg not found`));
      expect(path.dirname(r.truncated!.failed.file)).toBe(path.join(backend.catalog.filesDir, 'jobs'));
      const stored = backend.catalog.db.prepare('SELECT length(result) FROM jobs').pluck().get() as number;
      expect(stored).toBeLessThan(30_000);
    } finally {
      await backend.close();
    }
    const cli = await runCaudal('import', dir, '--labels', csv, '--catalog', path.join(tmpDir(), 'b.sqlite'));
    expect(cli.out).toMatch(new RegExp(`failed       ${n} \\(the first ${RESULT_LIST_LIMIT} below; all of them in .*job-1-failed\\.json\\)`));
  });
});
