import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * A throwaway PostgreSQL cluster for one test file: initdb into a temp folder (no fsync: the data
 * is thrown away), started on a free loopback port with password authentication, removed after.
 * The Debian binaries live in /usr/lib/postgresql/<major>/bin; CI installs them (.ci/run), so
 * there these tests run. Elsewhere `postgresBin()` is null and the tests say they were skipped.
 */
export function postgresBin(): string | null {
  const fromEnv = process.env.CAUDAL_PG_BIN;
  if (fromEnv && fs.existsSync(path.join(fromEnv, 'initdb'))) return fromEnv;
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return null;
  const majors = fs.readdirSync(root).filter((d) => Number(d) >= 15 && fs.existsSync(path.join(root, d, 'bin', 'initdb')));
  majors.sort((a, b) => Number(b) - Number(a));
  return majors.length ? path.join(root, majors[0], 'bin') : null;
}

export const POSTGRES_SKIP_REASON = 'PostgreSQL 15+ binaries not found (apt-get install postgresql, or set CAUDAL_PG_BIN): team-catalog tests skipped';

export interface TestCluster {
  port: number;
  /** The superuser's URL (password included) for a database. */
  adminUrl(db?: string): string;
  /** A URL for `user` on `db`, password included when given. */
  url(user: string, password?: string, db?: string): string;
  /** Runs SQL as the superuser (tests may inspect or prepare the server directly). */
  sql<T extends pg.QueryResultRow = pg.QueryResultRow>(text: string, params?: unknown[], db?: string): Promise<T[]>;
  createDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

const ADMIN = 'caudal_admin';
const ADMIN_PASSWORD = 'admin-secret';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** initdb refuses to run as root: the cluster then belongs to the postgres system user. */
function asOwner(cmd: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

export async function startCluster(bin = postgresBin()): Promise<TestCluster> {
  if (!bin) throw new Error(POSTGRES_SKIP_REASON);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caudal-pg-'));
  const data = path.join(dir, 'data');
  const pwfile = path.join(dir, 'pw');
  fs.writeFileSync(pwfile, ADMIN_PASSWORD);
  if (process.getuid?.() === 0) execFileSync('chown', ['-R', 'postgres', dir]);
  const [c1, a1] = asOwner(path.join(bin, 'initdb'), ['-D', data, '--no-sync', '-U', ADMIN, `--pwfile=${pwfile}`, '-A', 'scram-sha-256', '-E', 'UTF8', '--locale=C']);
  execFileSync(c1, a1, { stdio: 'pipe' });
  const port = await freePort();
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=40`;
  const [c2, a2] = asOwner(path.join(bin, 'pg_ctl'), ['-D', data, '-o', opts, '-l', path.join(dir, 'log'), '-w', '-s', 'start']);
  execFileSync(c2, a2, { stdio: 'pipe' });
  const url = (user: string, password?: string, db = 'postgres') =>
    `postgres://${encodeURIComponent(user)}${password !== undefined ? `:${encodeURIComponent(password)}` : ''}@127.0.0.1:${port}/${db}`;
  const adminUrl = (db = 'postgres') => url(ADMIN, ADMIN_PASSWORD, db);
  const sql = async <T extends pg.QueryResultRow>(text: string, params: unknown[] = [], db = 'postgres'): Promise<T[]> => {
    const client = new pg.Client({ connectionString: adminUrl(db) });
    await client.connect();
    try {
      return (await client.query<T>(text, params)).rows;
    } finally {
      await client.end();
    }
  };
  let stopped = false;
  return {
    port,
    adminUrl,
    url,
    sql,
    createDatabase: async (name) => {
      await sql(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      const [c3, a3] = asOwner(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', '-s', 'stop']);
      await new Promise<void>((resolve) => spawn(c3, a3, { stdio: 'ignore' }).on('exit', () => resolve()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
