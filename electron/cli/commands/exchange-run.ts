import fs from 'node:fs';
import path from 'node:path';
import type { JobInfo } from '../../contract';
import { openBackend } from '../open-backend';
import { UserError } from '../../core/util/errors';
import type { CommandIO, ParsedArgs } from '../command';

/** Runs one job on an existing catalog (or a new one, for a merge that starts a laptop's catalog from a bundle), with progress on stderr (stdout stays for the result). */
export async function runJobOnCatalog<R>(args: ParsedArgs, io: CommandIO, kind: string, params: unknown, create = false): Promise<R> {
  const file = path.resolve(args.catalog);
  if (!create && !fs.existsSync(file)) throw new UserError(`no catalog at ${file}`, 'not-found');
  const b = openBackend(file, io);
  let last = '';
  const onUpdate = (j: JobInfo) => {
    if (args.json || j.state !== 'running') return;
    const line = `${j.message ?? kind} ${j.progress}${j.total ? `/${j.total}` : ''}`;
    if (line !== last) io.err((last = line));
  };
  try {
    return await b.jobs.run<R>(kind, params, onUpdate);
  } finally {
    await b.close();
  }
}
