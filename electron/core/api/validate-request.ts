import type { JobParams, Params, RequestName } from '../../contract';
import { checkSchema, jobParamSchemas, requestSchemas } from '../../contract/schemas';
import { RequestError, UsageError } from '../util/errors';

/** A request's params checked against the contract's schema: the parsed params, or a RequestError naming the field. */
export function validateRequest<N extends RequestName>(name: N, params: unknown): Params<N> {
  const r = checkSchema(requestSchemas[name] as never, params ?? {});
  if (!r.ok) throw new RequestError(name, r.problem.field, r.problem.message);
  return r.value as Params<N>;
}

/** Job params a command built from its arguments, checked the same way before the job starts (a usage error, exit status 2). */
export function validateJobParams<K extends keyof typeof jobParamSchemas>(kind: K, params: unknown, what: string = kind): JobParams<K> {
  const r = checkSchema(jobParamSchemas[kind] as never, params ?? {});
  if (!r.ok) throw new UsageError(`--${r.problem.field}: ${r.problem.message} (${what})`, r.problem.field);
  return r.value as JobParams<K>;
}
