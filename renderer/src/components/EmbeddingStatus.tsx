import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../api/bridge';
import { useAction, useRequest } from '../api/queries';
import { DevicePicker } from './DevicePicker';

const providerNames: Record<string, string> = { cpu: 'CPU', cuda: 'CUDA GPU', dml: 'DirectML GPU', coreml: 'Core ML', webgpu: 'WebGPU' };

/**
 * Where embeddings stand: the execution provider in use (or the one a run would pick), how
 * many annotations have a vector for the active model, a running job's progress, a button to
 * embed what is missing, and the `device` setting.
 */
export function EmbeddingStatus() {
  const qc = useQueryClient();
  const status = useRequest('embedding.status', {});
  const start = useAction('embedding.start', ['embedding']);

  // Job progress arrives as events; refetch the status with each embed job update.
  useEffect(
    () =>
      api().on('job.updated', (job) => {
        if (job.kind === 'embed') void qc.invalidateQueries({ queryKey: ['embedding.status'] });
      }),
    [qc],
  );

  const s = status.data;
  if (status.error) return <div className="embedding-status error small">Embeddings: {status.error.message}</div>;
  if (!s) return <div className="embedding-status muted small">Embeddings…</div>;
  const job = s.job;
  const running = Boolean(job);
  const missing = s.total - s.embedded;
  const pct = job && job.total ? Math.round((100 * job.progress) / job.total) : null;
  return (
    <section className="embedding-status" data-testid="embedding-status" aria-label="Embeddings">
      <div className="embedding-row">
        <span className={`provider-badge ${s.provider === 'cpu' ? '' : 'gpu'}`} data-testid="embedding-provider" title={s.providerSource === 'used' ? 'execution provider in use' : 'execution provider a run will use'}>
          {providerNames[s.provider] ?? s.provider}
        </span>
        <span className="muted small">{s.providerSource === 'used' ? 'in use' : 'ready'}</span>
      </div>
      <div className="small" data-testid="embedding-counts">
        {s.embedded} / {s.total} embedded
      </div>
      {running && (
        <div className="embedding-progress" data-testid="embedding-progress">
          <progress max={job!.total ?? undefined} value={job!.progress} />
          <span className="muted small">{pct === null ? job!.state : `${pct}%`}</span>
        </div>
      )}
      {s.warnings.map((w) => (
        <div key={w} className="small warning" role="status">
          {w}
        </div>
      ))}
      {start.error && <div className="small error">{start.error.message}</div>}
      <button className="secondary small" data-testid="embedding-start" disabled={running || missing === 0 || start.isPending} onClick={() => start.mutate({})}>
        {running ? 'Embedding…' : missing === 0 ? 'All embedded' : `Embed ${missing}`}
      </button>
      <label className="small muted embedding-device">
        Device{' '}
        <DevicePicker testId="embedding-device" disabled={running} />
      </label>
    </section>
  );
}
