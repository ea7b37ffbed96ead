/**
 * An error meant for the person: the message names the file or field at fault. The CLI prints
 * it without a stack trace and both transports pass `code` through to the UI. Its code decides
 * the exit status, HTTP status and IPC reply, in one place: util/error-map.ts.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly code: string = 'bad-input',
    /** The request field or argument at fault, when there is one (e.g. `box.w`, `--epochs`). */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** A request or argument that does not fit its schema (code 'bad-request', HTTP 400). */
export class RequestError extends UserError {
  constructor(what: string, field: string, problem: string) {
    super(`${what}: ${field}: ${problem}`, 'bad-request', field);
    this.name = 'RequestError';
  }
}

/** Wrong use of a command (code 'usage', exit status 2). */
export class UsageError extends UserError {
  constructor(message: string, field?: string) {
    super(message, 'usage', field);
    this.name = 'UsageError';
  }
}

/**
 * SQLite's "database is locked" (another process held the write lock past the busy timeout), said
 * as what it means; null for any other error.
 */
export function busyError(e: unknown): UserError | null {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !(code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))) return null;
  return new UserError('the catalog is busy: another Caudal process (the app, caudal serve or a command) kept it locked too long; this step changed nothing, run it again', 'busy');
}

/** A file-system error in plain words (no errno codes), for messages that name the path themselves. */
export function errText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const reasons: Record<string, string> = {
    ENOENT: 'no such file or folder',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'the disk is read-only',
    ENOSPC: 'the disk is full',
    ENOTDIR: 'a file stands where a folder is expected',
    EISDIR: 'is a folder',
    EEXIST: 'already exists',
    EIO: 'input/output error (damaged card?)',
  };
  return (err.code && reasons[err.code]) ?? err.message ?? String(e);
}
