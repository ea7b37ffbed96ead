import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Catalog } from '../store/catalog';
import { RESULT_LIST_LIMIT, type JobInfo, type JobState, type TruncatedList } from '../../contract';
import { nowIso } from '../util/time';
import { busyError, UserError } from '../util/errors';
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

export type JobHandler<P = any, R = unknown> = (ctx: JobContext<P>) => Promise<R>;

interface JobRow {
  id: number;
  kind: string;
  state: JobState;
  progress: number;
  total: number | null;
  message: string | null;
  params: string;
  checkpoint: string | null;
  result: string | null;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

const toInfo = (r: JobRow): JobInfo => ({
  id: r.id,
  kind: r.kind,
  state: r.state,
  progress: r.progress,
  total: r.total,
  message: r.message,
  error: r.error,
  result: r.result ? JSON.parse(r.result) : null,
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
});

/**
 * Long work as jobs whose state lives in the catalog: one runs at a time (the machine has few
 * cores and jobs contend for them), progress is throttled, cancel is cooperative, and a job
 * that was running when the process died is marked `interrupted` on the next open, ready to resume.
 */
export class JobRunner {
  private handlers = new Map<string, JobHandler>();
  private queue: number[] = [];
  private running: { id: number; abort: AbortController } | null = null;
  private waiters = new Map<number, Array<(info: JobInfo) => void>>();

  constructor(
    private readonly catalog: Catalog,
    private readonly onUpdate: (info: JobInfo) => void = () => {},
    private readonly throttleMs = 200,
    private readonly claimPollMs = 500,
  ) {
    const stale = (catalog.db.prepare("SELECT id, owner FROM jobs WHERE state IN ('running', 'queued')").all() as Array<{ id: number; owner: string | null }>)
      .filter((j) => !ownerAlive(j.owner))
      .map((j) => j.id);
    const mark = catalog.db.prepare("UPDATE jobs SET state = 'interrupted', updated_at = ? WHERE id = ?");
    for (const id of stale) mark.run(nowIso(), id);
  }

  register<P, R>(kind: string, handler: JobHandler<P, R>): void {
    this.handlers.set(kind, handler as JobHandler);
  }

  get(id: number): JobInfo {
    const row = this.catalog.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    if (!row) throw new UserError(`no job ${id}`, 'not-found');
    return toInfo(row);
  }

  list(limit = 50): JobInfo[] {
    return (this.catalog.db.prepare('SELECT * FROM jobs ORDER BY id DESC LIMIT ?').all(limit) as JobRow[]).map(toInfo);
  }

  /** Queues a job and returns at once. */
  start(kind: string, params: unknown = {}): JobInfo {
    if (!this.handlers.has(kind)) throw new UserError(`unknown job kind '${kind}'`, 'bad-request');
    const { lastInsertRowid } = this.catalog.db
      .prepare("INSERT INTO jobs(kind, state, params, updated_at, owner) VALUES (?, 'queued', ?, ?, ?)")
      .run(kind, JSON.stringify(params ?? {}), nowIso(), OWNER);
    const id = Number(lastInsertRowid);
    this.enqueue(id);
    return this.get(id);
  }

  /** Queues a job and resolves with its result (rejects with its error). For the CLI and tests. */
  async run<R>(kind: string, params: unknown = {}, onUpdate?: (info: JobInfo) => void): Promise<R> {
    const info = this.start(kind, params);
    return this.awaitResult<R>(info.id, onUpdate);
  }

  async awaitResult<R>(id: number, onUpdate?: (info: JobInfo) => void): Promise<R> {
    const final = await this.wait(id, onUpdate);
    if (final.state === 'done') return final.result as R;
    if (final.state === 'cancelled') throw new CancelledError();
    throw new UserError(final.error ?? `job ${id} ${final.state}`, 'job-failed');
  }

  wait(id: number, onUpdate?: (info: JobInfo) => void): Promise<JobInfo> {
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

  cancel(id: number): JobInfo {
    const job = this.get(id);
    if (this.running?.id === id) this.running.abort.abort();
    else if (job.state === 'queued' || job.state === 'interrupted') {
      this.queue = this.queue.filter((q) => q !== id);
      this.setState(id, 'cancelled', { finished_at: nowIso() });
    }
    return this.get(id);
  }

  resume(id: number): JobInfo {
    const job = this.get(id);
    if (job.state !== 'interrupted' && job.state !== 'failed') {
      throw new UserError(`job ${id} is ${job.state}; only interrupted or failed jobs resume`, 'bad-request');
    }
    this.setState(id, 'queued', { error: null, finished_at: null, owner: OWNER });
    this.enqueue(id);
    return this.get(id);
  }

  /** Interrupted jobs of a kind (for "resume your import?" prompts and the CLI). */
  interrupted(kind?: string): JobInfo[] {
    const rows = this.catalog.db
      .prepare("SELECT * FROM jobs WHERE state = 'interrupted' AND (? IS NULL OR kind = ?) ORDER BY id")
      .all(kind ?? null, kind ?? null) as JobRow[];
    return rows.map(toInfo);
  }

  /** The newest interrupted job of `kind` whose params `same` accepts: running the same command again resumes it. */
  interruptedLike(kind: string, same: (params: unknown) => boolean): number | null {
    const rows = this.catalog.db.prepare("SELECT id, params FROM jobs WHERE state = 'interrupted' AND kind = ? ORDER BY id DESC").all(kind) as Array<{ id: number; params: string }>;
    return rows.find((r) => same(JSON.parse(r.params)))?.id ?? null;
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
    const db = this.catalog.db;
    const others = db.prepare("SELECT id, kind, owner FROM jobs WHERE state = 'running' AND id != ? AND owner IS NOT NULL AND owner != ?");
    const tryClaim = db.transaction((): { id: number; kind: string; owner: string } | null => {
      const busy = (others.all(id, OWNER) as Array<{ id: number; kind: string; owner: string }>).find((j) => ownerAlive(j.owner));
      if (busy) return busy;
      db.prepare("UPDATE jobs SET state = 'running', started_at = ?, updated_at = ?, owner = ? WHERE id = ?").run(nowIso(), nowIso(), OWNER, id);
      return null;
    });
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
        db.prepare("UPDATE jobs SET message = ?, updated_at = ? WHERE id = ?").run(busyMessage(busy), nowIso(), id);
        this.emit(id);
      }
      await new Promise((r) => setTimeout(r, this.claimPollMs));
    }
  }

  private async execute(id: number): Promise<void> {
    const row = this.catalog.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow;
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
      this.catalog.db
        .prepare('UPDATE jobs SET progress = ?, total = COALESCE(?, total), message = COALESCE(?, message), updated_at = ? WHERE id = ?')
        .run(p.done, p.total ?? null, p.message ?? null, nowIso(), id);
      this.emit(id);
    };
    const ctx: JobContext = {
      jobId: id,
      params: JSON.parse(row.params),
      signal: abort.signal,
      previousCheckpoint: row.checkpoint ? JSON.parse(row.checkpoint) : undefined,
      progress: (done, total, message) => {
        pending = { done, total, message };
        const t = Date.now();
        if (t - lastEmit >= this.throttleMs) {
          lastEmit = t;
          flush();
        }
      },
      checkpoint: (data) => {
        this.catalog.db.prepare('UPDATE jobs SET checkpoint = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(data), nowIso(), id);
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
      else this.setState(id, 'failed', { error: (busyError(e) ?? (e as Error)).message ?? String(e), finished_at: nowIso() });
    } finally {
      this.running = null;
    }
  }

  private setState(id: number, state: JobState, extra: Record<string, string | null> = {}): void {
    const cols = Object.keys(extra);
    const sets = ['state = ?', 'updated_at = ?', ...cols.map((c) => `${c} = ?`)].join(', ');
    if (this.catalog.db.open) {
      this.catalog.db.prepare(`UPDATE jobs SET ${sets} WHERE id = ?`).run(state, nowIso(), ...cols.map((c) => extra[c]), id);
      this.emit(id);
    }
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
