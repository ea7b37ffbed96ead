import fs from 'node:fs';
import path from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread from a module next to the caller. Compiled code (CLI, app) runs the
 * `.js`; from TypeScript sources (tests) the `.ts` runs through tsx, so tests exercise the very
 * same worker code without a build.
 */
export function startWorker(dir: string, name: string, options: WorkerOptions = {}): Worker {
  // sharp's documentation: on glibc Linux the main thread must load sharp before any worker
  // does, so its shared libraries stay mapped until every thread has exited; otherwise a worker
  // that loaded it can crash the process when it ends (seen here as a Node assertion under load).
  require('sharp');
  const js = path.join(dir, `${name}.js`);
  if (fs.existsSync(js)) return new Worker(js, options);
  const ts = path.join(dir, `${name}.ts`);
  if (!fs.existsSync(ts)) throw new Error(`no worker module ${name} in ${dir}`);
  // The module loads in a later task, not inside the eval'd boot script: Node 20 aborts the whole
  // process (an assertion in DecorateErrorStack) when a worker is terminated while an eval'd script
  // is still running, e.g. while it loads native modules. Messages sent meanwhile wait on the port.
  const boot = `require('tsx/cjs'); setImmediate(() => require(${JSON.stringify(ts)}));`;
  return new Worker(boot, { ...options, eval: true });
}
