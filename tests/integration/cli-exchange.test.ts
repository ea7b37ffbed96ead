import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../../electron/cli/main';
import { buildCatalog, catalogFingerprint } from '../helpers/fixture-catalog';
import { seasonA } from '../helpers/exchange-fixtures';
import { tmpDir } from '../helpers/tmp';

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('caudal export / merge / conflicts (CLI, in-process)', () => {
  let dir: string;
  let a: string;
  beforeAll(async () => {
    dir = tmpDir();
    a = path.join(dir, 'a.sqlite');
    (await buildCatalog(a, seasonA)).close();
  });

  it('exports every kind as a job and prints the result shape with --json', async () => {
    for (const [kind, out] of [['sightings', 's.csv'], ['dwca', 'dwca.zip'], ['wildbook', 'wb'], ['folders', 'ind'], ['bundle', 'a.caudal']] as const) {
      const r = await cli('export', kind, '--catalog', a, '--out', path.join(dir, out), '--json');
      expect(r.code, r.stderr).toBe(0);
      const res = JSON.parse(r.stdout);
      expect(res).toMatchObject({ kind, out: path.join(dir, out), files: expect.any(Array), rows: expect.any(Number), photos: expect.any(Number), skipped: expect.any(Array) });
      for (const f of res.files) expect(fs.existsSync(f)).toBe(true);
    }
    const human = await cli('export', 'sightings', '--catalog', a, '--out', path.join(dir, 's2.csv'));
    expect(human.stdout).toMatch(/^sightings: 6 rows, 5 photos -> /);
  });

  it('merges a bundle and prints added/duplicate/conflict counts', async () => {
    const b = path.join(dir, 'b.sqlite');
    (await buildCatalog(b, { models: false })).close();
    const r = await cli('merge', path.join(dir, 'a.caudal'), '--catalog', b, '--json');
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res).toEqual({
      mergeId: expect.any(Number),
      source: path.join(dir, 'a.caudal'),
      added: { individuals: 4, encounters: 2, photos: 6, annotations: 7, decisions: 8, models: 2, embeddings: 7, features: 7 },
      duplicate: { individuals: 0, encounters: 0, photos: 0, annotations: 0, decisions: 0, models: 0, embeddings: 0, features: 0 },
      conflicts: { total: 0, annotation: 0, code: 0, attribute: 0 },
    });
    const human = await cli('merge', path.join(dir, 'a.caudal'), '--catalog', b);
    expect(human.stdout).toMatch(/duplicate {2}individuals 4, encounters 2, photos 6/);
    expect(human.stdout).toMatch(/conflicts {2}0 \(annotation 0, code 0, attribute 0\)/);
    const list = await cli('conflicts', '--catalog', b, '--json');
    expect(JSON.parse(list.stdout)).toEqual([]);
    // a new laptop: merging into a catalog file that does not exist yet creates it from the bundle
    const fresh = path.join(dir, 'new laptop', 'catalog.sqlite');
    const first = await cli('merge', path.join(dir, 'a.caudal'), '--catalog', fresh, '--json');
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout).added.photos).toBe(6);
  });

  it('fails cleanly on bad input, leaving the catalog data untouched', async () => {
    const junk = path.join(dir, 'junk.caudal');
    fs.writeFileSync(junk, 'PK not really');
    const before = catalogFingerprint(a).counts;
    const r = await cli('merge', junk, '--catalog', a, '--json');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/caudal merge: .*junk.caudal is not a complete zip archive/);
    expect(catalogFingerprint(a).counts).toEqual(before);
    expect((await cli('export', 'pdf', '--catalog', a, '--out', 'x')).code).toBe(2);
    expect((await cli('export', 'dwca', '--catalog', a)).stderr).toMatch(/--out PATH is required/);
    expect((await cli('merge', 'x.caudal', '--catalog', a)).stderr).toMatch(/no bundle at .*x.caudal/);
    expect((await cli('export', 'sightings', '--catalog', path.join(dir, 'none.sqlite'), '--out', path.join(dir, 'n.csv'))).stderr).toMatch(/no catalog at/);
  });
});
