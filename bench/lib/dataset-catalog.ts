import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../electron/cli/main';
import { Catalog } from '../../electron/core/store/catalog';
import { sharedDir } from '../../electron/core/util/paths';

const quiet = { out: () => {}, err: (t: string) => process.stderr.write(t) };

/**
 * A catalog of one shared dataset (`nyala-dev`, `seals-dev`) built with the real import and embed
 * commands, cached in the temp folder (CAUDAL_BENCH_TMP, else the OS's) and reused while it is
 * complete. CAUDAL_BENCH_NYALA / CAUDAL_BENCH_SEALS name an already built one instead.
 */
export async function datasetCatalog(dataset: 'nyala-dev' | 'seals-dev', bodyPart: string): Promise<string> {
  const short = dataset.replace(/-dev$/, '');
  const given = process.env[`CAUDAL_BENCH_${short.toUpperCase()}`];
  if (given) return given;
  const dir = process.env.CAUDAL_BENCH_TMP ?? os.tmpdir();
  const file = path.join(dir, `caudal-bench-${short}.sqlite`);
  if (fs.existsSync(file) && fs.existsSync(`${file}.ready`)) return file;
  for (const f of fs.readdirSync(dir)) if (f.startsWith(`caudal-bench-${short}.sqlite`)) fs.rmSync(path.join(dir, f), { recursive: true, force: true });
  const shared = sharedDir();
  if (!shared) throw new Error('set CAUDAL_SHARED_DIR to the shared folder');
  const ds = path.join(shared, 'datasets', dataset);
  const c = Catalog.open(file);
  c.store.settings.set('bodyPart', bodyPart);
  c.close();
  const t = Date.now();
  if ((await runCli(['import', path.join(ds, 'images'), '--labels', path.join(ds, 'labels.csv'), '--catalog', file, '--json'], quiet)) !== 0) throw new Error(`import of ${dataset} failed`);
  if ((await runCli(['embed', '--catalog', file, '--json'], quiet)) !== 0) throw new Error(`embed of ${dataset} failed`);
  console.log(`built the ${dataset} catalog (import + embed) in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  fs.writeFileSync(`${file}.ready`, '');
  return file;
}
