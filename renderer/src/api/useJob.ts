import { useEffect, useState } from 'react';
import type { JobInfo } from '../../../electron/contract';
import { api } from './bridge';

/** A job's live state: fetched once, then kept current by `job.updated` events. */
export function useJob(id: number | null): JobInfo | null {
  const [job, setJob] = useState<JobInfo | null>(null);
  useEffect(() => {
    setJob(null);
    if (id === null) return;
    let alive = true;
    const off = api().on('job.updated', (info) => {
      if (info.id === id && alive) setJob(info);
    });
    void api()
      .request('jobs.get', { id })
      .then((info) => {
        // an event may already have brought a newer state
        if (alive) setJob((cur) => (cur && cur.state !== 'queued' && info.state === 'queued' ? cur : info));
      });
    return () => {
      alive = false;
      off();
    };
  }, [id]);
  return job;
}
