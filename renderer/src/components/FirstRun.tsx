import { useEffect, useState } from 'react';
import { doneResult, type JobInfo } from '../../../electron/contract';
import { api } from '../api/bridge';
import { useRequest } from '../api/queries';
import { useNavigation } from '../stores/navigation';

/**
 * An empty catalog's welcome: "Try with sample data" runs the whole loop (generated humpback
 * flukes: import, embed, match, automatic review, fine-tuning) as one job with progress, then
 * opens the Review screen on the latest sightings it left unidentified.
 */
export function FirstRun() {
  const summary = useRequest('catalog.summary', {});
  const jobs = useRequest('jobs.list', { limit: 20 });
  const go = useNavigation((s) => s.go);
  const [job, setJob] = useState<JobInfo | null>(null);
  const [startError, setStartError] = useState<string | null>(null);

  // A demo already running (the window was reloaded) is shown, not started twice.
  useEffect(() => {
    if (!job && jobs.data) {
      const running = jobs.data.find((j) => j.kind === 'demo' && (j.state === 'running' || j.state === 'queued'));
      if (running) setJob(running);
    }
  }, [job, jobs.data]);

  useEffect(() => {
    if (!job) return;
    return api().on('job.updated', (info) => {
      if (info.id !== job.id) return;
      setJob(info);
      if (info.state === 'done') go('review');
    });
  }, [job?.id, go]);

  // A sample run cut short by closing the app is offered again where it stopped.
  const interrupted = !job ? jobs.data?.find((j) => j.kind === 'demo' && j.state === 'interrupted') : undefined;
  const empty = summary.data && summary.data.photos === 0;
  if (!empty && !job && !interrupted) return null;

  const start = async () => {
    setStartError(null);
    try {
      setJob(await api().request('demo.start', {}));
    } catch (e) {
      setStartError((e as Error).message);
    }
  };
  const resume = async (id: number) => {
    setStartError(null);
    try {
      setJob(await api().request('jobs.resume', { id }));
    } catch (e) {
      setStartError((e as Error).message);
    }
  };
  const running = job && (job.state === 'queued' || job.state === 'running');
  const result = doneResult(job, 'demo');

  return (
    <section className="stat" data-testid="first-run" aria-label="Getting started" style={{ marginTop: 16, gap: 10, maxWidth: 640 }}>
      <strong>{interrupted ? 'The sample run was interrupted.' : 'This catalog is empty.'}</strong>
      <span className="muted">
        Try Caudal on sample data: a set of generated humpback fluke photos is imported, matched with the pretrained model,
        reviewed automatically, used to fine-tune the model, and matched again. The latest sightings are left for you in Review.
        The photos are synthetic: they show how Caudal works, not how accurate it is on real whales.
      </span>
      {!job && interrupted && (
        <div>
          <button className="primary" data-testid="first-run-resume" onClick={() => resume(interrupted.id)}>
            Resume the sample run
          </button>
        </div>
      )}
      {!job && !interrupted && (
        <div>
          <button className="primary" data-testid="first-run-start" onClick={start}>
            Try with sample data
          </button>
        </div>
      )}
      {running && (
        <div data-testid="first-run-progress">
          <progress max={1000} value={job.progress} style={{ width: '100%' }} aria-label="Sample data progress" />
          <span className="muted small">{job.message ?? 'starting…'}</span>
        </div>
      )}
      {result && (
        <span data-testid="first-run-done">
          Done: MAP@5 on the latest sightings went from {result.before.map5.toFixed(2)} to {result.after.map5.toFixed(2)} after fine-tuning.{' '}
          <button className="secondary" onClick={() => go('review')}>
            Open Review
          </button>
        </span>
      )}
      {(job?.state === 'failed' || job?.state === 'cancelled' || startError) && (
        <span className="error" data-testid="first-run-error">
          The sample run {job?.state === 'cancelled' ? 'was cancelled' : `failed: ${job?.error ?? startError}`}
        </span>
      )}
      {running && (
        <div>
          <button className="secondary" onClick={() => void api().request('jobs.cancel', { id: job.id })}>
            Cancel
          </button>
        </div>
      )}
    </section>
  );
}
