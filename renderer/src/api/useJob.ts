import { useEffect, useState } from 'react';
import type { JobInfo } from '../../../electron/contract';
import { api } from './bridge';

const final = (j: JobInfo | null) => j !== null && (j.state === 'done' || j.state === 'failed' || j.state === 'cancelled');

/**
 * A job's live state, kept current by `job.updated` events; while it is unfinished it is also
 * re-read every second, because an event sent before the browser-mode socket (re)connected is lost.
 */
export function useJob(id: number | null, pollMs = 1000): JobInfo | null {
  const [job, setJob] = useState<JobInfo | null>(null);
  useEffect(() => {
    setJob(null);
    if (id === null) return;
    let alive = true;
    let latest: JobInfo | null = null;
    const accept = (info: JobInfo) => {
      if (!alive || info.id !== id) return;
      // never step back from a final state to an older in-flight one
      if (final(latest) && !final(info)) return;
      latest = info;
      setJob(info);
    };
    const off = api().on('job.updated', accept);
    const poll = () => {
      if (!final(latest)) void api().request('jobs.get', { id }).then(accept, () => {});
    };
    poll();
    const timer = setInterval(poll, pollMs);
    return () => {
      alive = false;
      clearInterval(timer);
      off();
    };
  }, [id, pollMs]);
  return job;
}
