import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Catalog } from '../../electron/core/store/catalog';
import { DEMO_REVIEWER } from '../../electron/core/demo/demo-job';
import type { DemoResult } from '../../electron/contract';
import { runCaudal } from '../helpers/cli';
import { sharedPath } from '../helpers/shared';
import { tmpDir } from '../helpers/tmp';

const cliMain = path.join(__dirname, '..', '..', 'electron', 'cli', 'main.ts');

/** The demo job's progress (0-1000) and the decisions made so far, read the way another process would. */
function demoState(file: string): { progress: number; decisions: number } {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return {
        progress: (db.prepare("SELECT progress FROM jobs WHERE kind = 'demo' ORDER BY id DESC LIMIT 1").pluck().get() as number | undefined) ?? -1,
        decisions: db.prepare('SELECT COUNT(*) FROM decisions').pluck().get() as number,
      };
    } finally {
      db.close();
    }
  } catch {
    return { progress: -1, decisions: 0 }; // not created (or not migrated) yet
  }
}

describe('caudal demo: crash safety', () => {
  beforeAll(() => {
    sharedPath('models', 'mobilenetv2-12-int8.onnx');
  });

  // Killed once a few review decisions are in, or once fine-tuning (720-960 of the progress) has begun.
  it.each([
    ['reviewing', (s: { progress: number; decisions: number }) => s.decisions >= 3],
    ['fine-tuning', (s: { progress: number; decisions: number }) => s.progress >= 730],
  ])('a demo killed while %s finishes when the same command runs again, without importing or deciding twice', async (stage, ready) => {
    const file = path.join(tmpDir('caudal-demo-'), 'demo.sqlite');
    const args = ['demo', '--catalog', file, '--individuals', '12', '--photos', '120', '--seed', '3', '--epochs', '150', '--json'];
    const script = `require(${JSON.stringify(cliMain)}).runCli(${JSON.stringify(args)})`;
    const child = spawn(process.execPath, ['-r', require.resolve('tsx/cjs'), '-e', script], { stdio: 'ignore' });
    let exitCode: number | null = null;
    const exited = new Promise((resolve) => child.on('exit', (code) => resolve((exitCode = code))));
    const deadline = Date.now() + 600_000; // a bound for a hang: the stage is reached in seconds on a quiet machine
    let at = demoState(file);
    while (!ready(at) && exitCode === null && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 5));
      at = demoState(file);
    }
    child.kill('SIGKILL');
    await exited;
    expect(exitCode, 'the demo ended before it could be killed').toBeNull();
    expect(ready(at)).toBe(true);
    const killed = demoState(file);

    const { code, out, err } = await runCaudal(...args);
    expect(code, err).toBe(0);
    expect(err).toMatch(/Resuming the interrupted demo/);
    const r = JSON.parse(out) as DemoResult;
    expect(r.photos).toBe(120);
    expect(r.review.decisions).toBe(r.split.review);
    expect(r.review.confirmed + r.review.created).toBe(r.review.decisions);
    expect(r.review.created).toBe(r.split.newcomers);
    if (stage === 'reviewing') expect(killed.decisions).toBeLessThan(r.split.review); // killed mid-review
    else expect(killed.progress).toBeLessThan(960); // killed mid-training
    expect(r.model.activated).toBe(true);

    const c = Catalog.open(file, { readonly: true });
    try {
      const db = c.db;
      expect(db.prepare('SELECT COUNT(*) FROM photos').pluck().get()).toBe(120);
      expect(db.prepare("SELECT state FROM jobs WHERE kind = 'demo'").pluck().all()).toEqual(['done']);
      // Every review item is decided exactly once, across the killed run and the resumed one.
      expect(db.prepare('SELECT COUNT(*) FROM decisions WHERE reviewer = ?').pluck().get(DEMO_REVIEWER)).toBe(r.review.decisions);
      expect(db.prepare('SELECT COUNT(*) FROM annotations WHERE individual_id IS NULL').pluck().get()).toBe(r.split.holdout);
      expect(db.prepare("SELECT id FROM models WHERE active = 1 AND kind = 'fine-tuned'").pluck().get()).toBe(r.after.model);
    } finally {
      c.close();
    }
  });
});
