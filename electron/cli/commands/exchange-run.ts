import fs from 'node:fs';
import path from 'node:path';
import { openBackend } from '../open-backend';
import { UserError } from '../../core/util/errors';
import type { JobKind, JobParams, JobResult } from '../../contract';
import type { CommandIO, ParsedArgs } from '../command';
import { progressLines } from '../progress';

/** Runs one job on an existing catalog (or a new one, for a merge that starts a laptop's catalog from a bundle), with progress on stderr (stdout stays for the result). */
export async function runJobOnCatalog<K extends JobKind>(args: ParsedArgs, io: CommandIO, kind: K, params: JobParams<K>, create = false): Promise<JobResult<K>> {
  const file = path.resolve(args.catalog);
  if (!create && !fs.existsSync(file)) throw new UserError(`no catalog at ${file}`, 'not-found');
  const b = openBackend(file, io);
  try {
    return await b.jobs.run(kind, params, progressLines(io, kind));
  } finally {
    await b.close();
  }
}
