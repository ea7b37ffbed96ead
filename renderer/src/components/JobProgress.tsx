import type { JobInfo } from '../../../electron/contract';

/** A progress bar and the job's message; the error in words when it failed. */
export function JobProgress({ job, testId }: { job: JobInfo | null; testId: string }) {
  if (!job) return null;
  const pct = job.total ? Math.round((100 * job.progress) / job.total) : null;
  return (
    <div className="job" data-testid={testId} data-state={job.state}>
      {(job.state === 'running' || job.state === 'queued') && (
        <>
          <progress max={100} value={pct ?? undefined} aria-label="progress" />
          <span className="muted small">
            {job.message ?? job.state}
            {job.total ? ` ${job.progress}/${job.total}` : ''}
          </span>
        </>
      )}
      {job.state === 'failed' && <p className="error" role="alert">{job.error}</p>}
      {job.state === 'cancelled' && <p className="muted">Cancelled.</p>}
    </div>
  );
}
