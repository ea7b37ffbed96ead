import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { runCli } from '../../electron/cli/main';
import { Backend } from '../../electron/core/api/backend';
import type { ImportReport, JobInfo } from '../../electron/contract';
import { renditionFile } from '../../electron/core/media/media';
import { withCatalog } from '../helpers/import';
import { makePhoto } from '../helpers/photos';
import { tmpDir } from '../helpers/tmp';

const cliMain = path.join(__dirname, '..', '..', 'electron', 'cli', 'main.ts');

async function photoFolder(n: number, size = { width: 1200, height: 900 }): Promise<string> {
  const dir = tmpDir();
  for (let i = 0; i < n; i++) await makePhoto(path.join(dir, `IMG_${String(i).padStart(4, '0')}.jpg`), { ...size, taken: `2024:08:01 10:${String(i % 60).padStart(2, '0')}:00`, seed: i });
  return dir;
}

const countPhotos = (file: string): number => {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return db.prepare('SELECT COUNT(*) FROM photos').pluck().get() as number;
    } finally {
      db.close();
    }
  } catch {
    return 0; // not created (or not migrated) yet
  }
};

describe('import: crash safety', () => {
  it('a killed import leaves only whole photos, and running it again finishes the rest (counted once)', async () => {
    const n = 40;
    const dir = await photoFolder(n);
    const file = path.join(tmpDir(), 'cat.sqlite');
    const script = `require(${JSON.stringify(cliMain)}).runCli(['import', ${JSON.stringify(dir)}, '--catalog', ${JSON.stringify(file)}, '--json'])`;
    const child = spawn(process.execPath, ['-r', require.resolve('tsx/cjs'), '-e', script], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    let seen = 0;
    const deadline = Date.now() + 600_000; // a bound for a hang, not a speed target
    while ((seen = countPhotos(file)) < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    await exited;
    const atKill = countPhotos(file);
    expect(seen).toBeGreaterThanOrEqual(5);
    expect(atKill).toBeLessThan(n); // killed mid-import

    withCatalog(file, (c) => {
      // Whatever was committed is whole: its annotation and thumbnails are there.
      const rows = c.db.prepare('SELECT p.sha256, (SELECT COUNT(*) FROM annotations a WHERE a.photo_id = p.id) AS ann FROM photos p').all() as Array<{ sha256: string; ann: number }>;
      for (const r of rows) {
        expect(r.ann).toBe(1);
        expect(fs.existsSync(renditionFile(c, r.sha256, 'thumb'))).toBe(true);
      }
    });

    let out = '';
    let err = '';
    const code = await runCli(['import', dir, '--catalog', file, '--json'], { out: (t) => (out += t), err: (t) => (err += t) });
    expect(code, err).toBe(0);
    expect(err).toMatch(/resuming interrupted import \(job 1\)/);
    expect(JSON.parse(out)).toMatchObject({ imported: n, duplicates: 0, failed: [], withTime: n });
    withCatalog(file, (c) => {
      expect(c.db.prepare('SELECT COUNT(*) FROM photos').pluck().get()).toBe(n);
      expect(c.db.prepare('SELECT COUNT(*) FROM annotations').pluck().get()).toBe(n);
      expect(c.db.prepare('SELECT COUNT(DISTINCT import_id) FROM photos').pluck().get()).toBe(1);
      expect(c.db.prepare("SELECT state FROM jobs WHERE id = 1").pluck().get()).toBe('done');
    });
  });

  it('runs as a job with progress and the current file; cancel stops it and the same import started again finishes it', async () => {
    // Enough photos that the import cannot finish between its first progress event and the cancel.
    const n = 60;
    const dir = await photoFolder(n, { width: 640, height: 480 });
    const backend = new Backend(path.join(tmpDir(), 'cat.sqlite'));
    try {
      const updates: JobInfo[] = [];
      const changed: string[][] = [];
      backend.onEvent((event, payload) => {
        if (event === 'job.updated') updates.push(payload as JobInfo);
        if (event === 'catalog.changed') changed.push((payload as { topics: string[] }).topics);
      });
      const job = await backend.request('import.start', { paths: [dir] });
      expect(job.kind).toBe('import');
      // Cancel as soon as photos start coming in (the first progress event is never throttled).
      await new Promise<void>((resolve) => {
        const off = backend.onEvent((event, payload) => {
          const info = payload as JobInfo;
          if (event === 'job.updated' && info.id === job.id && info.progress >= 1) {
            off();
            backend.jobs.cancel(job.id);
            resolve();
          }
        });
      });
      const stopped = await backend.jobs.wait(job.id);
      expect(stopped.state).toBe('cancelled');
      const partial = backend.catalog.db.prepare('SELECT COUNT(*) FROM photos').pluck().get() as number;
      expect(partial).toBeGreaterThan(0);
      expect(partial).toBeLessThan(n);
      expect(updates.some((u) => u.state === 'running' && u.total === n && /IMG_\d{4}\.jpg$/.test(u.message ?? ''))).toBe(true);

      // A cancelled job is not resumable by the runner; the same import started again finishes the rest.
      const again = await backend.jobs.run('import', { paths: [dir] });
      expect(again.imported + partial).toBe(n);
      expect(again.duplicates).toBe(partial);
      expect(backend.catalog.db.prepare('SELECT COUNT(*) FROM photos').pluck().get()).toBe(n);
      expect(changed.some((t) => t.includes('photos') && t.includes('encounters'))).toBe(true);
    } finally {
      await backend.close();
    }
  });
});
