import fs from 'node:fs';
import path from 'node:path';
import { openBackend } from '../open-backend';
import { checkJobArgs } from '../check-args';
import { UserError } from '../../core/util/errors';
import type { JobKind, JobParams, JobResult } from '../../contract';
import type { CommandIO, ParsedArgs } from '../command';
import { progressLines } from '../progress';

export interface JobRun {
  /** The command, for the usage message of a bad argument. */
  command: string;
  /** Params fields as the person typed them, where not `--kebab-of-the-field` (`{ bundle: 'BUNDLE' }`). */
  names?: Record<string, string>;
  /** A merge may start a laptop's catalog from a bundle: the catalog need not exist. */
  create?: boolean;
}

/**
 * Runs one job on an existing catalog (or a new one, see `create`), with progress on stderr
 * (stdout stays for the result). The params are checked with the job's schema first: a bad one
 * is a usage error naming its flag, before the catalog is opened or made.
 */
export async function runJobOnCatalog<K extends JobKind>(args: ParsedArgs, io: CommandIO, kind: K, params: JobParams<K>, how: JobRun): Promise<JobResult<K>> {
  const checked = checkJobArgs(kind, params, how.command, how.names);
  const file = path.resolve(args.catalog);
  if (!how.create && !fs.existsSync(file)) throw new UserError(`no catalog at ${file}`, 'not-found');
  const b = openBackend(file, io);
  try {
    return await b.jobs.run(kind, checked, progressLines(io, kind));
  } finally {
    await b.close();
  }
}
