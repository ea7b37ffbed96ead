import fs from 'node:fs';
import path from 'node:path';
import { Catalog } from '../../electron/core/store/catalog';
import { CancelledError } from '../../electron/core/jobs/runner';
import { runExport } from '../../electron/core/exchange/run-export';
import { noProgress, type Progress } from '../../electron/core/export/progress';
import { mergeBundle } from '../../electron/core/bundle/merge';
import { buildCatalog, catalogFingerprint } from '../helpers/fixture-catalog';
import { seasonA } from '../helpers/exchange-fixtures';
import { tmpDir } from '../helpers/tmp';

/** Cancels at the n-th cancellation point, as a person pressing Cancel mid-way would. */
const cancelAfter = (n: number): Progress => {
  let calls = 0;
  return {
    progress: () => {},
    throwIfCancelled: () => {
      if (++calls >= n) throw new CancelledError();
    },
  };
};

describe('cancelled exports and merges leave nothing half-done', () => {
  let dir: string;
  let bundle: string;
  beforeAll(async () => {
    dir = tmpDir();
    const a = await buildCatalog(path.join(dir, 'a.sqlite'), seasonA);
    bundle = path.join(dir, 'a.caudal');
    await runExport(a, 'bundle', bundle, {}, noProgress);
    await expect(runExport(a, 'bundle', path.join(dir, 'cancelled.caudal'), {}, cancelAfter(3))).rejects.toBeInstanceOf(CancelledError);
    await expect(runExport(a, 'dwca', path.join(dir, 'cancelled.zip'), {}, cancelAfter(2))).rejects.toBeInstanceOf(CancelledError);
    a.close();
  });

  it('a cancelled bundle or archive export leaves no file, not even a partial one', () => {
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('cancelled'))).toEqual([]);
  });

  it('a merge cancelled while copying photos removes the photos it copied and changes no row', async () => {
    const target = path.join(dir, 'empty.sqlite');
    Catalog.open(target).close();
    const before = catalogFingerprint(target);
    const c = Catalog.open(target);
    await expect(mergeBundle(c, bundle, cancelAfter(3))).rejects.toBeInstanceOf(CancelledError);
    c.close();
    expect(catalogFingerprint(target)).toEqual(before);
  });
});
