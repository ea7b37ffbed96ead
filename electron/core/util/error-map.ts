import type { ContractError } from '../../contract';
import { busyError, UserError } from './errors';
import { log } from './log';

/**
 * The one place an error becomes what a shell says: the CLI's exit status, the HTTP status of
 * browser mode, and the reply of an IPC request all come from here, by the error's code. An
 * error that is not a UserError is a bug: it is logged with its stack and reported as 'internal'.
 */
export interface MappedError {
  reply: ContractError;
  status: number;
  exitCode: number;
  /** A person's error (said plainly, no stack) as opposed to a bug. */
  user: boolean;
}

const STATUS: Record<string, number> = {
  usage: 400,
  'bad-request': 400,
  'bad-input': 400,
  'not-found': 404,
  forbidden: 403,
  busy: 409,
  'not-empty': 409,
  'catalog-too-new': 409,
  'backend-stopped': 503,
  internal: 500,
};

export function mapError(caught: unknown, where = 'request'): MappedError {
  const e = busyError(caught) ?? caught;
  if (e instanceof UserError) {
    return {
      reply: { message: e.message, code: e.code, ...(e.field ? { field: e.field } : {}) },
      status: STATUS[e.code] ?? 400,
      exitCode: e.code === 'usage' ? 2 : 1,
      user: true,
    };
  }
  const err = e instanceof Error ? e : new Error(String(e));
  log().error({ err, where }, err.message);
  return { reply: { message: err.message, code: 'internal' }, status: 500, exitCode: 1, user: false };
}
