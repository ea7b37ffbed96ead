import type { JobInfo, JobState } from '../../contract';
import type { SqliteDb } from './sqlite';
import { statementCache } from './statements';

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

// The database boundary: a row's kind and result are what the runner's handlers wrote.
const toInfo = (r: JobRow): JobInfo =>
  ({
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
  }) as JobInfo;

/** A job as the runner starts it: its kind, params and the checkpoint a resumed run continues from. */
export interface JobStart {
  kind: string;
  params: unknown;
  checkpoint: unknown;
}

/** Columns a state change may set besides the state (JSON text for result). */
export type JobStateExtra = Partial<Record<'result' | 'error' | 'finished_at' | 'owner', string | null>>;

/** Another process's running job (owner = host:pid). */
export interface RunningJob {
  id: number;
  kind: string;
  owner: string;
}

/** Jobs: long work (import, embed, train, export) with its state, progress and checkpoints, so it resumes. */
export interface JobStore {
  get(id: number): JobInfo | null;
  /** Newest first. */
  latest(limit: number): JobInfo[];
  /** Queued or running jobs and their owners (to find those whose process died). */
  unfinished(): Array<{ id: number; owner: string | null }>;
  markInterrupted(id: number, at: string): void;
  /** A new queued job; returns its id. */
  enqueue(kind: string, params: unknown, at: string, owner: string): number;
  startOf(id: number): JobStart | null;
  interrupted(kind?: string): JobInfo[];
  /** Interrupted jobs of a kind with their params, newest first. */
  interruptedParams(kind: string): Array<{ id: number; params: unknown }>;
  /**
   * The check-and-claim every process shares, in one write transaction: when no running job of
   * another owner is `alive`, job `id` becomes running under `owner` and null is returned; else the
   * live job it waits for.
   */
  claim(id: number, owner: string, at: string, alive: (owner: string) => boolean): RunningJob | null;
  setMessage(id: number, message: string, at: string): void;
  /** total and message keep their old value when null. */
  setProgress(id: number, done: number, total: number | null, message: string | null, at: string): void;
  setCheckpoint(id: number, data: unknown, at: string): void;
  /** The checkpoint a job saved (parsed), or null. */
  checkpointOf(id: number): unknown;
  /** Checkpoints of jobs of a kind that can still resume (interrupted, failed, queued, running). */
  resumableCheckpoints(kind: string): unknown[];
  /** False when the catalog is already closed (nothing written). */
  setState(id: number, state: JobState, at: string, extra?: JobStateExtra): boolean;
  /** Marks a job failed with the message a person reads and the stack a bug report needs; false when the catalog is closed. */
  recordFailure(id: number, message: string, stack: string | null, at: string): boolean;
}

const EXTRA_COLUMNS = new Set(['result', 'error', 'finished_at', 'owner']);

export function sqliteJobStore(db: SqliteDb): JobStore {
  const s = statementCache(db).named({
    get: 'SELECT * FROM jobs WHERE id = ?',
    latest: 'SELECT * FROM jobs ORDER BY id DESC LIMIT ?',
    unfinished: "SELECT id, owner FROM jobs WHERE state IN ('running', 'queued')",
    markInterrupted: "UPDATE jobs SET state = 'interrupted', updated_at = ? WHERE id = ?",
    enqueue: "INSERT INTO jobs(kind, state, params, updated_at, owner) VALUES (?, 'queued', ?, ?, ?)",
    interrupted: "SELECT * FROM jobs WHERE state = 'interrupted' AND (? IS NULL OR kind = ?) ORDER BY id",
    interruptedParams: "SELECT id, params FROM jobs WHERE state = 'interrupted' AND kind = ? ORDER BY id DESC",
    others: "SELECT id, kind, owner FROM jobs WHERE state = 'running' AND id != ? AND owner IS NOT NULL AND owner != ?",
    run: "UPDATE jobs SET state = 'running', started_at = ?, updated_at = ?, owner = ? WHERE id = ?",
    message: 'UPDATE jobs SET message = ?, updated_at = ? WHERE id = ?',
    progress: 'UPDATE jobs SET progress = ?, total = COALESCE(?, total), message = COALESCE(?, message), updated_at = ? WHERE id = ?',
    checkpoint: 'UPDATE jobs SET checkpoint = ?, updated_at = ? WHERE id = ?',
    checkpointOf: 'SELECT checkpoint FROM jobs WHERE id = ?',
    fail: "UPDATE jobs SET state = 'failed', error = ?, error_stack = ?, finished_at = ?, updated_at = ? WHERE id = ?",
    resumable: "SELECT checkpoint FROM jobs WHERE kind = ? AND state IN ('interrupted', 'failed', 'queued', 'running') AND checkpoint IS NOT NULL",
  });
  const claim = db.transaction((id: number, owner: string, at: string, alive: (owner: string) => boolean): RunningJob | null => {
    const busy = (s.others().all(id, owner) as RunningJob[]).find((j) => alive(j.owner));
    if (busy) return busy;
    s.run().run(at, at, owner, id);
    return null;
  });
  return {
    get: (id) => {
      const row = s.get().get(id) as JobRow | undefined;
      return row ? toInfo(row) : null;
    },
    latest: (limit) => (s.latest().all(limit) as JobRow[]).map(toInfo),
    unfinished: () => s.unfinished().all() as Array<{ id: number; owner: string | null }>,
    markInterrupted: (id, at) => {
      s.markInterrupted().run(at, id);
    },
    enqueue: (kind, params, at, owner) => Number(s.enqueue().run(kind, JSON.stringify(params ?? {}), at, owner).lastInsertRowid),
    startOf: (id) => {
      const row = s.get().get(id) as JobRow | undefined;
      return row ? { kind: row.kind, params: JSON.parse(row.params), checkpoint: row.checkpoint ? JSON.parse(row.checkpoint) : undefined } : null;
    },
    interrupted: (kind) => (s.interrupted().all(kind ?? null, kind ?? null) as JobRow[]).map(toInfo),
    interruptedParams: (kind) => (s.interruptedParams().all(kind) as Array<{ id: number; params: string }>).map((r) => ({ id: r.id, params: JSON.parse(r.params) })),
    claim: (id, owner, at, alive) => claim(id, owner, at, alive),
    setMessage: (id, message, at) => {
      s.message().run(message, at, id);
    },
    setProgress: (id, done, total, message, at) => {
      s.progress().run(done, total, message, at, id);
    },
    setCheckpoint: (id, data, at) => {
      s.checkpoint().run(JSON.stringify(data), at, id);
    },
    checkpointOf: (id) => {
      const raw = s.checkpointOf().pluck().get(id) as string | null | undefined;
      return raw ? JSON.parse(raw) : null;
    },
    resumableCheckpoints: (kind) => (s.resumable().pluck().all(kind) as string[]).map((c) => JSON.parse(c)),
    setState: (id, state, at, extra = {}) => {
      if (!db.open) return false;
      const cols = Object.keys(extra).filter((c) => EXTRA_COLUMNS.has(c)) as Array<keyof JobStateExtra>;
      const sets = ['state = ?', 'updated_at = ?', ...cols.map((c) => `${c} = ?`)].join(', ');
      db.prepare(`UPDATE jobs SET ${sets} WHERE id = ?`).run(state, at, ...cols.map((c) => extra[c]), id);
      return true;
    },
    recordFailure: (id, message, stack, at) => {
      if (!db.open) return false;
      s.fail().run(message, stack, at, at, id);
      return true;
    },
  };
}
