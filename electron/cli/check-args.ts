import type { z } from 'zod';
import type { JobKind, JobParams } from '../contract';
import { checkSchema, jobParamSchemas } from '../contract/schemas';
import { UsageError } from '../core/util/errors';

/** A params field as the flag (or positional) a person typed: `batchSize` is `--batch-size` unless `names` says otherwise. */
const flagOf = (field: string, names: Record<string, string>): string =>
  names[field] ?? names[field.split('.')[0]] ?? `--${field.split('.').pop()!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/**
 * Params a command built from its arguments, checked with the contract's own schema (the one
 * IPC and HTTP requests and queued jobs go through) before the command opens anything: a bad
 * value is a usage error (exit status 2) naming the flag, and the catalog is left as it was.
 */
export function checkArgs<T>(schema: z.ZodType<T>, params: unknown, command: string, names: Record<string, string> = {}): T {
  const r = checkSchema(schema, params);
  if (r.ok) return r.value;
  const flag = flagOf(r.problem.field, names);
  throw new UsageError(`${flag}: ${r.problem.message} (see caudal ${command} --help)`, flag);
}

/** A job's params built by a command, checked with the job kind's schema. */
export const checkJobArgs = <K extends JobKind>(kind: K, params: JobParams<K>, command: string, names: Record<string, string> = {}): JobParams<K> =>
  checkArgs(jobParamSchemas[kind] as unknown as z.ZodType<JobParams<K>>, params, command, names);
