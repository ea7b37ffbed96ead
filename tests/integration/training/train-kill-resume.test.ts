import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { runCaudal } from '../../helpers/cli';
import { withCatalog } from '../../helpers/import';
import { tmpDir } from '../../helpers/tmp';
import { syntheticSet } from '../../unit/training/synthetic';
import { catalogFromFeatureSet } from './fixture';

/** Epochs per phase: enough that the run is still going when it is killed. */
const E = 60;
const cliMain = path.join(__dirname, '..', '..', '..', 'electron', 'cli', 'main.ts');

/** Epochs the killed run had reported, from its job row (null before the first). */
function epochsDone(file: string): number | null {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 0 });
    try {
      const c = db.prepare("SELECT checkpoint FROM jobs WHERE kind = 'train'").pluck().get() as string | undefined;
      return c ? (JSON.parse(c).epochs as unknown[]).length : null;
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

describe('caudal train: killed part-way', () => {
  it('the same command resumes from the last checkpoint ("resuming at epoch N") and leaves no checkpoint behind', async () => {
    const file = path.join(tmpDir(), 'cat.sqlite');
    catalogFromFeatureSet(file, syntheticSet(2)).close();
    const argv = ['train', '--catalog', file, '--learners', '2', '--epochs', String(E), '--dim', '16', '--seed', '4', '--folds', '2', '--json'];
    const script = `require(${JSON.stringify(cliMain)}).runCli(${JSON.stringify(argv)})`;
    const child = spawn(process.execPath, ['-r', require.resolve('tsx/cjs'), '-e', script], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const deadline = Date.now() + 90_000;
    let seen: number | null = null;
    while (((seen = epochsDone(file)) ?? 0) < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGKILL');
    await exited;
    expect(seen).toBeGreaterThanOrEqual(5);
    const ckptDir = `${file}.files/training`;
    const leftByKill = fs.readdirSync(ckptDir).filter((f) => f.endsWith('.ckpt'));
    expect(leftByKill).toEqual(['job-1.ckpt']);
    const killedAt = epochsDone(file)!;
    expect(killedAt).toBeLessThan(3 * E); // it was killed mid-run (2 cross-validation runs, then the final run)

    const r = await runCaudal(...argv);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('resuming interrupted training (job 1)');
    const m = /resuming at epoch (\d+) of the (?:validation run \(fold (\d+)\/2\)|(final) run)/.exec(r.err);
    expect(m, r.err).not.toBeNull();
    const resumedAt = Number(m![1]) + (m![3] ? 2 * E : (Number(m![2]) - 1) * E);
    // from the last checkpoint written (the file and the job row are written one after the other)
    expect(Math.abs(resumedAt - killedAt)).toBeLessThanOrEqual(1);
    expect(JSON.parse(r.out)).toMatchObject({ model: expect.any(String), activated: expect.any(Boolean) });
    withCatalog(file, (c) => {
      expect(c.db.prepare("SELECT id, state FROM jobs WHERE kind = 'train'").all()).toEqual([{ id: 1, state: 'done' }]);
      // one curve: no epoch twice, none missing
      const epochs = (JSON.parse(c.db.prepare('SELECT checkpoint FROM jobs WHERE id = 1').pluck().get() as string).epochs as Array<{ phase2: string; epoch: number }>).map((e) => `${e.phase2}:${e.epoch}`);
      const run = (phase: string) => Array.from({ length: E }, (_, i) => `${phase}:${i + 1}`);
      expect(epochs).toEqual([...run('validate'), ...run('validate'), ...run('final')]);
    });
    expect(fs.readdirSync(ckptDir)).toEqual([]);
  });

  it('a successful run removes checkpoints no job can resume, and keeps those that can', async () => {
    const file = path.join(tmpDir(), 'cat.sqlite');
    catalogFromFeatureSet(file, syntheticSet(2)).close();
    const dir = `${file}.files/training`;
    fs.mkdirSync(dir, { recursive: true });
    withCatalog(file, (c) => {
      const add = (state: string, f: string) => c.db.prepare("INSERT INTO jobs(kind, state, params, checkpoint, updated_at) VALUES ('train', ?, '{}', ?, '2026-01-01')").run(state, JSON.stringify({ file: path.join(dir, f), epochs: [] }));
      add('cancelled', 'job-1.ckpt');
      add('interrupted', 'job-2.ckpt');
    });
    for (const f of ['job-1.ckpt', 'job-2.ckpt', 'job-77.ckpt', 'job-78.ckpt.tmp']) fs.writeFileSync(path.join(dir, f), 'x');
    const r = await runCaudal('train', '--catalog', file, '--learners', '1', '--epochs', '2', '--dim', '16', '--json');
    expect(r.code, r.err).toBe(0);
    expect(fs.readdirSync(dir)).toEqual(['job-2.ckpt']);
  });
});
