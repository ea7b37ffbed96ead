import type { JobKind, JobParams, JobResult } from '../../contract';
import type { JobHandler, KindContext } from '../jobs/context';
import type { JobContext } from '../jobs/runner';

/**
 * Runs another job kind's handler inside the demo job: the runner runs one job at a time, so
 * the demo cannot queue an import and wait for it; it calls the same handler directly, with a
 * context that maps its progress into the demo's slice [from, to] (per mille) and shares the
 * demo's cancel signal. The sub-steps are themselves idempotent (import skips known photos,
 * embedding skips embedded annotations), so re-running an interrupted demo picks up where it was.
 */
export function subContext<P>(parent: JobContext<unknown>, params: P, from: number, to: number, label: string): JobContext<P> {
  return {
    jobId: parent.jobId,
    params,
    signal: parent.signal,
    previousCheckpoint: undefined,
    progress(done, total, message) {
      const frac = total ? Math.min(1, Math.max(0, done / total)) : 0;
      parent.progress(Math.round(from + (to - from) * frac), 1000, message ? `${label}: ${message}` : label);
    },
    checkpoint() {
      // The demo restarts a step from the top; each step skips its finished work by itself.
    },
    throwIfCancelled: () => parent.throwIfCancelled(),
  };
}

export function runSub<K extends JobKind>(handler: JobHandler<K>, parent: KindContext<'demo'>, params: JobParams<K>, from: number, to: number, label: string): Promise<JobResult<K>> {
  parent.progress(from, 1000, label);
  const { store, catalog, emit, changed, request, onEvent } = parent;
  return handler({ ...subContext(parent, params, from, to, label), store, catalog, emit, changed, request, onEvent });
}
