import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Catalog } from '../store/catalog';
import type { JobStateExtra } from '../store/jobs';
import { RESULT_LIST_LIMIT, type JobInfoOf, type JobKinds, type JobState, type TruncatedList } from '../../contract';
import { nowIso } from '../util/time';
import { busyError, UserError } from '../util/errors';
import { log } from '../util/log';
import { processAlive } from '../util/process-alive';

export interface JobContext<P = unknown> {
  readonly jobId: number;
  readonly params: P;
  readonly signal: AbortSignal;
  /** Cheap to call per item: events and database writes are throttled here. */
  progress(done: number, total?: number | null, message?: string): void;
  /** Saved with the job so a resumed run can skip finished work. */
  checkpoint(data: unknown): void;
  readonly previousCheckpoint: unknown;
  throwIfCancelled(): void;
}

/** What a runner runs: kind -> params and result (the app's is the contract's `JobKinds`; tests declare their own). */
export type JobMap<M> = { [K in keyof M]: { params: unknown; result: unknown } };
type KindOf<M extends JobMap<M>> = keyof M & string;
/** A job of one kind of M, or any of them (a union to narrow by `kind`). */
export type InfoOf<M extends JobMap<M>, K extends KindOf<M> = KindOf<M>> = { [X in K]: JobInfoOf<X, M[X]['result']> }[K];
/** The work of one kind, given the runner's context for one job. */
export type RunHandler<P, R> = (ctx: JobContext<P>) => Promise<R>;

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

/**
 * Long work as jobs whose state lives in the catalog: one runs at a time (the machine has few
 * cores and jobs contend for them), progress is throttled, cancel is cooperative, and a job
 * that was running when the process died is marked `interrupted` on the next open, ready to resume.
 */
export class JobRunner<M extends JobMap<M> = JobKinds> {
  private handlers = new Map<string, RunHandler<unknown, unknown>>();
  private checks = new Map<string, (params: unknown) => unknown>();
  private queue: number[] = [];
  private running: { id: number; abort: AbortController } | null = null;
  private waiters = new Map<number, Array<(info: InfoOf<M>) => void>>();

  constructor(
    private readonly catalog: Catalog,
    private readonly onUpdate: (info: InfoOf<M>) => void = () => {},
    private readonly throttleMs = 200,
    private readonly claimPollMs = 500,
  ) {
    const stale = catalog.store.jobs
      .unfinished()
      .filter((j) => !ownerAlive(j.owner))
      .map((j) => j.id);
    for (const id of stale) catalog.store.jobs.markInterrupted(id, nowIso());
  }

  /** `check` parses a kind's params when a job is queued (throwing on bad ones); what it returns is what the job is given and saved with. */
  register<K extends KindOf<M>>(kind: K, handler: RunHandler<M[K]['params'], M[K]['result']>, check?: (params: unknown) => M[K]['params']): void {
    this.handlers.set(kind, handler as RunHandler<unknown, unknown>);
    if (check) this.checks.set(kind, check);
  }

  // The database boundary: a row's kind and result are what this runner's handlers wrote.
  get(id: number): InfoOf<M> {
    const job = this.catalog.store.jobs.get(id);
    if (!job) throw new UserError(`no job ${id}`, 'not-found');
    return job as unknown as InfoOf<M>;
  }

  /** The job, checked to be of this kind (a typed view for the caller that knows what it started). */
  getOf<K extends KindOf<M>>(id: number, kind: K): InfoOf<M, K> {
    const info = this.get(id);
    if (info.kind !== kind) throw new UserError(`job ${id} is a ${info.kind} job, not ${kind}`, 'bad-request');
    return info as InfoOf<M, K>;
  }

  list(limit = 50): Array<InfoOf<M>> {
    return this.catalog.store.jobs.latest(limit) as unknown as Array<InfoOf<M>>;
  }

  /** Queues a job and returns at once. */
  start<K extends KindOf<M>>(kind: K, params: M[K]['params']): InfoOf<M, K> {
    if (!this.handlers.has(kind)) throw new UserError(`unknown job kind '${kind}'`, 'bad-request');
    const checked = this.checks.get(kind)?.(params) ?? params;
    const id = this.catalog.store.jobs.enqueue(kind, checked, nowIso(), OWNER);
    this.enqueue(id);
    return this.getOf(id, kind);
  }

  /** Queues a job and resolves with its result (rejects with its error). For the CLI and tests. */
  async run<K extends KindOf<M>>(kind: K, params: M[K]['params'], onUpdate?: (info: InfoOf<M>) => void): Promise<M[K]['result']> {
    const info = this.start(kind, params);
    return this.awaitResult(info.id, kind, onUpdate);
  }

  async awaitResult<K extends KindOf<M>>(id: number, kind: K, onUpdate?: (info: InfoOf<M>) => void): Promise<M[K]['result']> {
    this.getOf(id, kind);
    const final = (await this.wait(id, onUpdate)) as InfoOf<M, K>;
    if (final.state === 'done') return final.result as M[K]['result'];
    if (final.state === 'cancelled') throw new CancelledError();
    throw new UserError(final.error ?? `job ${id} ${final.state}`, 'job-failed');
  }

  wait(id: number, onUpdate?: (info: InfoOf<M>) => void): Promise<InfoOf<M>> {
    const now = this.get(id);
    if (isFinal(now.state)) return Promise.resolve(now);
    return new Promise((resolve) => {
      const list = this.waiters.get(id) ?? [];
      list.push((info) => {
        onUpdate?.(info);
        if (isFinal(info.state)) resolve(info);
      });
      this.waiters.set(id, list);
    });
  }

  cancel(id: number): InfoOf<M> {
    const job = this.get(id);
    if (this.running?.id === id) this.running.abort.abort();
    else if (job.state === 'queued' || job.state === 'interrupted') {
      this.queue = this.queue.filter((q) => q !== id);
      this.setState(id, 'cancelled', { finished_at: nowIso() });
    }
    return this.get(id);
  }

  resume(id: number): InfoOf<M> {
    const job = this.get(id);
    if (job.state !== 'interrupted' && job.state !== 'failed') {
      throw new UserError(`job ${id} is ${job.state}; only interrupted or failed jobs resume`, 'bad-request');
    }
    this.setState(id, 'queued', { error: null, finished_at: null, owner: OWNER });
    this.enqueue(id);
    return this.get(id);
  }

  /** Interrupted jobs of a kind (for "resume your import?" prompts and the CLI). */
  interrupted(kind?: KindOf<M>): Array<InfoOf<M>> {
    return this.catalog.store.jobs.interrupted(kind) as unknown as Array<InfoOf<M>>;
  }

  /** The newest interrupted job of `kind` whose params `same` accepts: running the same command again resumes it. */
  interruptedLike<K extends KindOf<M>>(kind: K, same: (params: M[K]['params']) => boolean): number | null {
    return this.catalog.store.jobs.interruptedParams(kind).find((r) => same(r.params as M[K]['params']))?.id ?? null;
  }

  /** Stops the running job at its next checkpoint and waits for it (clean quit). */
  async shutdown(): Promise<void> {
    this.queue = [];
    const r = this.running;
    if (!r) return;
    r.abort.abort();
    await this.wait(r.id);
  }

  private enqueue(id: number): void {
    this.queue.push(id);
    this.emit(id);
    if (!this.running) void this.pump();
  }

  private async pump(): Promise<void> {
    while (!this.running && this.queue.length) {
      const id = this.queue.shift()!;
      await this.execute(id);
    }
  }

  /**
   * The lock protocol every process shares (app, `caudal serve`, CLI): a job runs only while no
   * other live process has one running on this catalog. The check and the claim are one write
   * transaction, so two processes cannot both pass; a waiting job says who it waits for.
   */
  private async claim(id: number, abort: AbortController): Promise<boolean> {
    const jobs = this.catalog.store.jobs;
    const tryClaim = () => jobs.claim(id, OWNER, nowIso(), ownerAlive);
    let told = -1;
    for (;;) {
      if (abort.signal.aborted) return false;
      let busy;
      try {
        busy = tryClaim();
      } catch (e) {
        // Another process held the write lock past the busy timeout: ask again, never fail for it.
        if (!busyError(e)) throw e;
        await new Promise((r) => setTimeout(r, this.claimPollMs));
        continue;
      }
      if (!busy) return true;
      if (busy.id !== told) {
        told = busy.id;
        jobs.setMessage(id, busyMessage(busy), nowIso());
        this.emit(id);
      }
      await new Promise((r) => setTimeout(r, this.claimPollMs));
    }
  }

  private async execute(id: number): Promise<void> {
    const row = this.catalog.store.jobs.startOf(id)!;
    const handler = this.handlers.get(row.kind)!;
    const abort = new AbortController();
    this.running = { id, abort };
    if (!(await this.claim(id, abort))) {
      this.setState(id, 'cancelled', { finished_at: nowIso() });
      this.running = null;
      return;
    }
    this.emit(id);

    let lastEmit = 0;
    let pending: { done: number; total?: number | null; message?: string } | null = null;
    const flush = () => {
      if (!pending) return;
      const p = pending;
      pending = null;
      this.catalog.store.jobs.setProgress(id, p.done, p.total ?? null, p.message ?? null, nowIso());
      this.emit(id);
    };
    const ctx: JobContext = {
      jobId: id,
      params: row.params,
      signal: abort.signal,
      previousCheckpoint: row.checkpoint,
      progress: (done, total, message) => {
        pending = { done, total, message };
        const t = Date.now();
        if (t - lastEmit >= this.throttleMs) {
          lastEmit = t;
          flush();
        }
      },
      checkpoint: (data) => {
        this.catalog.store.jobs.setCheckpoint(id, data, nowIso());
      },
      throwIfCancelled: () => {
        if (abort.signal.aborted) throw new CancelledError();
      },
    };
    try {
      const result = await handler(ctx);
      flush();
      if (abort.signal.aborted) throw new CancelledError();
      this.setState(id, 'done', { result: JSON.stringify(boundLists(this.catalog, id, result ?? null)), finished_at: nowIso() });
    } catch (e) {
      flush();
      if (e instanceof CancelledError || abort.signal.aborted) this.setState(id, 'cancelled', { finished_at: nowIso() });
      else this.fail(id, row.kind, e);
    } finally {
      this.running = null;
    }
  }

  /** A failed job keeps its message (for people) and its stack (in the jobs table and the log, for a bug report). */
  private fail(id: number, kind: string, e: unknown): void {
    const err = e instanceof Error ? e : new Error(String(e));
    const message = busyError(e)?.message ?? err.message ?? String(e);
    const stack = err.stack ?? null;
    log().error({ job: id, kind, err }, `job ${id} (${kind}) failed: ${message}`);
    if (this.catalog.store.jobs.recordFailure(id, message, stack, nowIso())) this.emit(id);
  }

  private setState(id: number, state: JobState, extra: JobStateExtra = {}): void {
    if (this.catalog.store.jobs.setState(id, state, nowIso(), extra)) this.emit(id);
  }

  private emit(id: number): void {
    const info = this.get(id);
    this.onUpdate(info);
    const ws = this.waiters.get(id);
    if (ws) {
      for (const w of ws) w(info);
      if (isFinal(info.state)) this.waiters.delete(id);
    }
  }
}

const OWNER = `${os.hostname()}:${process.pid}`;

/** What a job waiting for another process's job says (the CLI prints it; the app shows it). */
export const BUSY_PREFIX = 'the catalog is busy with';
const busyMessage = (j: { id: number; kind: string; owner: string }) =>
  `${BUSY_PREFIX} ${j.kind} (job ${j.id}, process ${j.owner.slice(j.owner.lastIndexOf(':') + 1)}), waiting`;

/** A job belongs to a live process when that process (on this host) still exists and is not us. */
function ownerAlive(owner: string | null): boolean {
  if (!owner) return false;
  const i = owner.lastIndexOf(':');
  const host = owner.slice(0, i);
  const pid = Number(owner.slice(i + 1));
  return host === os.hostname() && Number.isInteger(pid) && pid !== process.pid && processAlive(pid);
}

/**
 * A result is a summary: every list in it is cut to its first RESULT_LIST_LIMIT entries and the
 * whole list is written beside the catalog (`<files>/jobs/job-<id>-<key>.json`). 100k failed rows
 * once grew a catalog from 0.2 MB to 16.5 MB through this one column.
 */
function boundLists(catalog: Catalog, id: number, result: unknown): unknown {
  if (!result || typeof result !== 'object' || Array.isArray(result)) return result;
  const out: Record<string, unknown> = { ...(result as Record<string, unknown>) };
  const truncated: Record<string, TruncatedList> = {};
  for (const [key, value] of Object.entries(out)) {
    if (!Array.isArray(value) || value.length <= RESULT_LIST_LIMIT) continue;
    const file = path.join(catalog.dir('jobs'), `job-${id}-${key}.json`);
    fs.writeFileSync(file, JSON.stringify(value, null, 1));
    out[key] = value.slice(0, RESULT_LIST_LIMIT);
    truncated[key] = { total: value.length, shown: RESULT_LIST_LIMIT, file };
  }
  if (Object.keys(truncated).length) out.truncated = truncated;
  return out;
}

const isFinal = (s: JobState): boolean => s === 'done' || s === 'failed' || s === 'cancelled';
