import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Catalog } from '../../electron/core/store/catalog';
import { CancelledError, JobRunner } from '../../electron/core/jobs/runner';
import type { InfoOf } from '../../electron/core/jobs/runner';
import { tmpDir } from '../helpers/tmp';
import { logFile } from '../../electron/core/util/log';

type JobInfo = InfoOf<TestKinds>;

const tick = () => new Promise((r) => setImmediate(r));

/** This file's own job kinds: the runner is typed by whichever registry it runs. */
interface TestKinds {
  count: { params: Record<string, never>; result: { counted: number } };
  busy: { params: Record<string, never>; result: null };
  long: { params: Record<string, never>; result: never };
  steps: { params: { upTo: number }; result: { finished: number } };
  bad: { params: Record<string, never>; result: never };
}

describe('job runner', () => {
  let file: string;
  beforeEach(() => {
    file = path.join(tmpDir(), 'jobs.sqlite');
  });

  it('runs a job to completion, storing progress and result in the catalog', async () => {
    const c = Catalog.open(file);
    const updates: JobInfo[] = [];
    const jobs = new JobRunner<TestKinds>(c, (i) => updates.push(i), 0);
    jobs.register('count', async (ctx) => {
      for (let i = 1; i <= 5; i++) {
        ctx.progress(i, 5, `item ${i}`);
        await tick();
      }
      return { counted: 5 };
    });
    const result = await jobs.run('count', {});
    expect(result).toEqual({ counted: 5 });
    const row = c.db.prepare('SELECT state, progress, total, result FROM jobs').get();
    expect(row).toEqual({ state: 'done', progress: 5, total: 5, result: '{"counted":5}' });
    expect(updates.map((u) => u.state)).toContain('running');
    expect(updates.at(-1)!.state).toBe('done');
    c.close();
  });

  it('throttles progress events', async () => {
    const c = Catalog.open(file);
    const updates: JobInfo[] = [];
    const jobs = new JobRunner<TestKinds>(c, (i) => updates.push(i), 10_000);
    jobs.register('busy', async (ctx) => {
      for (let i = 0; i < 1000; i++) ctx.progress(i, 1000);
      return null;
    });
    await jobs.run('busy', {});
    // queued + running + first progress + final flush + done, not 1000
    expect(updates.length).toBeLessThan(10);
    expect(c.db.prepare('SELECT progress FROM jobs').pluck().get()).toBe(999);
    c.close();
  });

  it('cancels a running job cooperatively', async () => {
    const c = Catalog.open(file);
    const jobs = new JobRunner<TestKinds>(c, () => {}, 0);
    let seen = 0;
    jobs.register('long', async (ctx) => {
      for (;;) {
        ctx.throwIfCancelled();
        seen++;
        await tick();
      }
    });
    const info = jobs.start('long', {});
    await tick();
    await tick();
    jobs.cancel(info.id);
    await expect(jobs.awaitResult(info.id, 'long')).rejects.toBeInstanceOf(CancelledError);
    expect(jobs.get(info.id).state).toBe('cancelled');
    expect(seen).toBeGreaterThan(0);
    c.close();
  });

  it('marks a job that was running when the process died as interrupted, and resumes it from its checkpoint', async () => {
    const c1 = Catalog.open(file);
    const j1 = new JobRunner<TestKinds>(c1, () => {}, 0);
    j1.register('steps', async (ctx) => {
      ctx.checkpoint({ done: 3 });
      return new Promise<never>(() => {}); // never finishes: the "crash" below abandons it
    });
    const started = j1.start('steps', { upTo: 6 });
    await tick();
    c1.close(); // the process goes away mid-job

    const c2 = Catalog.open(file);
    const j2 = new JobRunner<TestKinds>(c2, () => {}, 0);
    expect(j2.get(started.id).state).toBe('interrupted');
    expect(j2.interrupted('steps').map((j) => j.id)).toEqual([started.id]);
    const resumedFrom: unknown[] = [];
    j2.register('steps', async (ctx) => {
      resumedFrom.push(ctx.previousCheckpoint);
      return { finished: ctx.params.upTo };
    });
    j2.resume(started.id);
    await expect(j2.awaitResult(started.id, 'steps')).resolves.toEqual({ finished: 6 });
    expect(resumedFrom).toEqual([{ done: 3 }]);
    c2.close();
  });

  it('records a failure with its message', async () => {
    const c = Catalog.open(file);
    const jobs = new JobRunner<TestKinds>(c, () => {}, 0);
    jobs.register('bad', async () => {
      throw new Error('photo /x/y.jpg is truncated');
    });
    await expect(jobs.run('bad', {})).rejects.toThrow(/truncated/);
    expect(c.db.prepare('SELECT state, error FROM jobs').get()).toEqual({ state: 'failed', error: 'photo /x/y.jpg is truncated' });
    // The stack stays with the job and in the log, for a bug report.
    const { id, error_stack } = c.db.prepare('SELECT id, error_stack FROM jobs').get() as { id: number; error_stack: string };
    expect(error_stack).toMatch(/^Error: photo \/x\/y\.jpg is truncated\n\s+at .*jobs\.test\.ts/);
    const lines = fs.readFileSync(logFile(), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { job?: number; err?: { stack: string }; msg: string });
    const logged = lines.filter((l) => l.job === id && l.msg.includes('truncated')).at(-1);
    expect(logged?.err?.stack).toContain('jobs.test.ts');
    c.close();
  });
});

describe('job runner across processes', () => {
  it('leaves a job that a live process is running alone, and marks a dead process\'s job interrupted', () => {
    const file = path.join(tmpDir(), 'owners.sqlite');
    const c = Catalog.open(file);
    const ins = c.db.prepare("INSERT INTO jobs(kind, state, owner) VALUES ('import', 'running', ?)");
    const hostname = os.hostname();
    // The parent of this test process is alive; pid 2^22+1 is beyond Linux's pid range.
    const alive = Number(ins.run(`${hostname}:${process.ppid}`).lastInsertRowid);
    const dead = Number(ins.run(`${hostname}:${2 ** 22 + 1}`).lastInsertRowid);
    const unknown = Number(ins.run(null).lastInsertRowid);
    const jobs = new JobRunner(c, () => {}, 0);
    expect(jobs.get(alive).state).toBe('running');
    expect(jobs.get(dead).state).toBe('interrupted');
    expect(jobs.get(unknown).state).toBe('interrupted');
    c.close();
  });
});
