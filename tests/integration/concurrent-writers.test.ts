import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { makePhoto } from '../helpers/photos';
import { withCatalog } from '../helpers/import';
import { tmpDir } from '../helpers/tmp';

const cliMain = path.join(__dirname, '..', '..', 'electron', 'cli', 'main.ts');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `caudal ARGV` as a real child process (its own SQLite connection, its own pid). */
function caudal(...argv: string[]): { child: ChildProcess; done: Promise<{ code: number | null; out: string; err: string }>; err: () => string } {
  const script = `require(${JSON.stringify(cliMain)}).runCli(${JSON.stringify(argv)}).then((c) => { process.exitCode = c; })`;
  const child = spawn(process.execPath, ['-r', require.resolve('tsx/cjs'), '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const done = new Promise<{ code: number | null; out: string; err: string }>((resolve) => child.on('exit', (code) => resolve({ code, out, err })));
  return { child, done, err: () => err };
}

/** Reads without waiting: null while the file is not there or not migrated yet. */
function query<T>(file: string, sql: string): T | null {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 0 });
    try {
      return db.prepare(sql).get() as T;
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

/** True when no process holds the write lock right now (tried with a zero timeout). */
function writeLockFree(file: string): boolean {
  const db = new Database(file, { fileMustExist: true, timeout: 0 });
  try {
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
    return true;
  } catch {
    return false;
  } finally {
    db.close();
  }
}

async function photoFolder(n: number): Promise<string> {
  const dir = tmpDir();
  for (let i = 0; i < n; i++) await makePhoto(path.join(dir, `IMG_${String(i).padStart(4, '0')}.jpg`), { width: 640, height: 480, seed: i });
  return dir;
}

describe('one catalog, two processes writing', () => {
  const n = 24;
  let photos: string;
  beforeAll(async () => {
    photos = await photoFolder(n);
  });

  it('two importers started together on a new catalog both finish, and every photo is in once', async () => {
    const file = path.join(tmpDir(), 'new.sqlite');
    const [a, b] = [caudal('import', photos, '--catalog', file, '--json'), caudal('import', photos, '--catalog', file, '--json')];
    const [ra, rb] = await Promise.all([a.done, b.done]);
    for (const r of [ra, rb]) {
      expect(r.err).not.toMatch(/database is locked|SQLITE_BUSY|migration .* failed/);
      expect(r.code, r.err).toBe(0);
    }
    const [ja, jb] = [JSON.parse(ra.out), JSON.parse(rb.out)];
    expect(ja.imported + jb.imported).toBe(n);
    expect(ja.imported + ja.duplicates).toBe(n);
    expect(jb.imported + jb.duplicates).toBe(n);
    withCatalog(file, (c) => {
      expect(c.db.prepare('SELECT COUNT(*) FROM photos').pluck().get()).toBe(n);
      expect(c.db.prepare('SELECT COUNT(*) FROM annotations').pluck().get()).toBe(n);
      expect(c.db.prepare("SELECT COUNT(*) FROM jobs WHERE state = 'done'").pluck().get()).toBe(2);
    });
  });

  it('an importer that finds another running waits, saying for whom, and then finishes', async () => {
    const file = path.join(tmpDir(), 'cat.sqlite');
    const a = caudal('import', photos, '--catalog', file, '--json');
    const deadline = Date.now() + 90_000;
    while (!query<{ id: number }>(file, "SELECT id FROM jobs WHERE state = 'running'") && Date.now() < deadline) await sleep(20);
    // Freeze A between two of its transactions, so B meets a running job and no held lock.
    for (;;) {
      a.child.kill('SIGSTOP');
      await sleep(50);
      if (writeLockFree(file)) break;
      a.child.kill('SIGCONT');
      await sleep(10);
    }
    const b = caudal('import', photos, '--catalog', file, '--json');
    try {
      while (!/the catalog is busy/.test(b.err()) && Date.now() < deadline) await sleep(50);
      expect(b.err()).toContain(`the catalog is busy with import (job 1, process ${a.child.pid}), waiting`);
      // B has not started while A holds the catalog
      expect(query<{ state: string }>(file, 'SELECT state FROM jobs WHERE id = 2')?.state).toBe('queued');
    } finally {
      a.child.kill('SIGCONT');
    }
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expect(ra.code, ra.err).toBe(0);
    expect(rb.code, rb.err).toBe(0);
    expect(rb.err).not.toMatch(/database is locked|SQLITE_BUSY/);
    expect(JSON.parse(ra.out)).toMatchObject({ imported: n, duplicates: 0, failed: [] });
    expect(JSON.parse(rb.out)).toMatchObject({ imported: 0, duplicates: n, failed: [] });
    withCatalog(file, (c) => expect(c.db.prepare('SELECT COUNT(*) FROM photos').pluck().get()).toBe(n));
  });
});
