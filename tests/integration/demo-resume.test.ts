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

  type State = { progress: number; decisions: number };

  /** Runs the demo in a child process and SIGKILLs it as soon as `ready` holds; returns the state it left. */
  async function runUntilKilled(args: string[], file: string, ready: (s: State) => boolean): Promise<State> {
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
    return demoState(file);
  }

  // One chain, so the photos are imported and embedded once: killed while reviewing (a few decisions
  // in), killed again while fine-tuning (720-960 of the progress), then run to the end.
  it('a demo killed while reviewing, then while fine-tuning, finishes when the same command runs again, without importing or deciding twice', async () => {
    const file = path.join(tmpDir('caudal-demo-'), 'demo.sqlite');
    const args = ['demo', '--catalog', file, '--individuals', '12', '--photos', '120', '--seed', '3', '--epochs', '150', '--json'];
    const killedReviewing = await runUntilKilled(args, file, (s) => s.decisions >= 3);
    const killedTraining = await runUntilKilled(args, file, (s) => s.progress >= 730);

    const { code, out, err } = await runCaudal(...args);
    expect(code, err).toBe(0);
    expect(err).toMatch(/Resuming the interrupted demo/);
    const r = JSON.parse(out) as DemoResult;
    expect(r.photos).toBe(120);
    expect(r.review.decisions).toBe(r.split.review);
    expect(r.review.confirmed + r.review.created).toBe(r.review.decisions);
    expect(r.review.created).toBe(r.split.newcomers);
    expect(killedReviewing.decisions).toBeLessThan(r.split.review); // killed mid-review
    expect(killedReviewing.progress).toBeLessThan(730);
    expect(killedTraining.progress).toBeLessThan(960); // killed mid-training
    expect(killedTraining.decisions).toBeGreaterThan(killedReviewing.decisions); // the resumed run finished the review
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
