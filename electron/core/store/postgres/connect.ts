import pg from 'pg';
import { UserError } from '../../util/errors';

export interface ServerOptions {
  /** Given by the app (from the OS keychain); else pg reads PGPASSWORD or ~/.pgpass. */
  password?: string;
  /** Connecting, and each statement, give up after this long: a dropped link fails clearly. */
  timeoutMs?: number;
}

/** The URL as stored and shown: user, host, port and database, never the password. */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UserError(`not a PostgreSQL URL: ${JSON.stringify(url.replace(/:[^:@/]*@/, ':***@'))} (expected postgres://USER@HOST:PORT/DATABASE)`, 'usage');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') throw new UserError(`not a PostgreSQL URL: ${u.protocol}// (expected postgres://USER@HOST:PORT/DATABASE)`, 'usage');
  u.password = '';
  return u.toString();
}

/** What went wrong talking to the server, in words a person can act on; `where` names the server. */
export function serverError(e: unknown, where: string): UserError {
  if (e instanceof UserError) return e;
  const err = e as { code?: string; message?: string };
  const code = err.code ?? '';
  if (code === '28P01' || code === '28000') return new UserError(`the team server ${where} refused the login: wrong user or password (${err.message})`, 'team-auth');
  if (code === '42501') return new UserError(`the team server ${where} refused: ${err.message}`, 'team-forbidden');
  if (code === '3D000') return new UserError(`the team server ${where} has no such database (${err.message})`, 'team-unreachable');
  // Nothing listening, or no such host: the server is down or the address wrong; trying again at once would not help.
  if (['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code))
    return new UserError(`the team server ${where} cannot be reached (${err.message ?? code}); work goes on offline, sync again later`, 'team-down');
  // A slow or dropped link: the step is worth another try.
  if (['ETIMEDOUT', 'ECONNRESET', 'EPIPE', '57P01', '57P03', '08006', '08003'].includes(code) || /timeout|terminated|Connection terminated/i.test(err.message ?? ''))
    return new UserError(`the team server ${where} cannot be reached (${err.message ?? code}); work goes on offline, sync again later`, 'team-unreachable');
  if (/password/i.test(err.message ?? '')) return new UserError(`the team server ${where} needs a password: set PGPASSWORD, add it to ~/.pgpass, or give it when asked (${err.message})`, 'team-auth');
  return new UserError(`the team server ${where} failed: ${err.message ?? String(e)}`, 'team-failed');
}

/** An open connection to a team server. */
export interface ServerConnection {
  readonly client: pg.Client;
  /** The URL without its password. */
  readonly where: string;
  /** Runs fn in one server transaction: all of it commits or none. */
  transaction<T>(fn: (c: pg.Client) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function connectServer(url: string, opts: ServerOptions = {}): Promise<ServerConnection> {
  const where = redactUrl(url);
  const timeout = opts.timeoutMs ?? 15_000;
  // pg lets the connection string's (absent) password win over a `password` option: put it in the URL.
  const withPassword = new URL(url);
  if (opts.password !== undefined) withPassword.password = encodeURIComponent(opts.password);
  const client = new pg.Client({
    connectionString: withPassword.toString(),
    connectionTimeoutMillis: timeout,
    query_timeout: timeout,
    statement_timeout: timeout,
    application_name: 'caudal',
  });
  // A link that drops while idle must not crash the process: the next query fails instead.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (e) {
    await client.end().catch(() => {});
    throw serverError(e, where);
  }
  return {
    client,
    where,
    async transaction<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
      try {
        await client.query('BEGIN');
        const out = await fn(client);
        await client.query('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw serverError(e, where);
      }
    },
    close: () => client.end().catch(() => {}),
  };
}
