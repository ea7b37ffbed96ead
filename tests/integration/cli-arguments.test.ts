import fs from 'node:fs';
import path from 'node:path';
import { runCaudal } from '../helpers/cli';
import { buildCatalog, catalogFingerprint } from '../helpers/fixture-catalog';
import { tmpDir } from '../helpers/tmp';
import { Catalog } from '../../electron/core/store/catalog';

const jobCount = (file: string) => {
  const c = Catalog.open(file, { mustExist: true });
  try {
    return c.store.jobs.latest(1000).length;
  } finally {
    c.close();
  }
};

describe("every command family checks its arguments with the contract's schemas before touching the catalog", () => {
  let dir: string;
  let a: string;
  beforeAll(async () => {
    dir = tmpDir();
    a = path.join(dir, 'a.sqlite');
    (await buildCatalog(a, { models: false })).close();
  });

  // [family, argv, the flag the message must name]
  const cases: Array<[string, string[], string]> = [
    ['import', ['import'], 'PATH'],
    ['import', ['import', '.', '--labels', ''], '--labels'],
    ['embed', ['embed', '--views', '0'], '--views'],
    ['embed', ['embed', '--batch-size', '1.5'], '--batch-size'],
    ['train', ['train', '--budget=-5'], '--budget'],
    ['export', ['export', 'dwca', '--out', 'x.zip', '--media-base-url', 'photos/'], '--media-base-url'],
    ['import-identities', ['import-identities', 'ids.csv', '--format', 'xml'], '--format'],
    ['team', ['team', 'sync', '--timeout', '0'], '--timeout'],
    ['conflicts', ['conflicts', '--resolve', 'first', '--as', 'keep-local'], '--resolve'],
    ['conflicts', ['conflicts', '--resolve', '1', '--as', 'maybe'], '--as'],
  ];

  it.each(cases)('%s %j: exit status 2, the flag named, the catalog unchanged, no job queued', async (family, argv, flag) => {
    const before = catalogFingerprint(a);
    const jobs = jobCount(a);
    const r = await runCaudal(...argv, '--catalog', a);
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(new RegExp(`^caudal ${family}: ${flag}: .+ \\(see caudal ${family} --help\\)`));
    expect(catalogFingerprint(a)).toEqual(before);
    expect(jobCount(a)).toBe(jobs);
  });

  it('a bad demo argument is refused before the demo catalog is made', async () => {
    const fresh = path.join(dir, 'demo.sqlite');
    const r = await runCaudal('demo', '--learners', '0', '--catalog', fresh);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^caudal demo: --learners: .*>=1/);
    expect(fs.existsSync(fresh)).toBe(false);
  });

  it('the checks pass good arguments through: conflicts --resolve on a conflict that does not exist is not a usage error', async () => {
    const r = await runCaudal('conflicts', '--resolve', '99', '--as', 'keep-local', '--catalog', a);
    expect(r.code).toBe(1);
    expect(r.err).not.toMatch(/--help/);
  });
});
