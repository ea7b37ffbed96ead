import type { JobKind, JobParams, Params, RequestName } from '../../contract';
import { checkSchema, jobParamSchemas, requestSchemas } from '../../contract/schemas';
import { RequestError } from '../util/errors';

/** A request's params checked against the contract's schema: the parsed params, or a RequestError naming the field. */
export function validateRequest<N extends RequestName>(name: N, params: unknown): Params<N> {
  const r = checkSchema(requestSchemas[name] as never, params ?? {});
  if (!r.ok) throw new RequestError(name, r.problem.field, r.problem.message);
  return r.value as Params<N>;
}

/** A path a person typed into the app, without the spaces around it (anything else as it is, for the schema to judge). */
export const trimmed = <T>(v: T): T => (typeof v === 'string' ? (v.trim() as T) : v);

/** A job's params checked the same way when it is queued: the parsed params, or a RequestError naming the field. */
export function validateJobParams<K extends JobKind>(kind: K, params: unknown): JobParams<K> {
  const r = checkSchema(jobParamSchemas[kind] as never, params ?? {});
  if (!r.ok) throw new RequestError(`${kind} job`, r.problem.field, r.problem.message);
  return r.value as JobParams<K>;
}
