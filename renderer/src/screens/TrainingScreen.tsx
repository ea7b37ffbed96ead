import { useEffect, useState } from 'react';
import { doneResult, type Estimate, type ModelEstimate, type ModelInfo, type TrainingEpoch, type TrainingEstimate } from '../../../electron/contract';
import { api } from '../api/bridge';
import { useAction, useRequest } from '../api/queries';
import { ModelMetrics } from '../components/ModelMetrics';
import { LineChart, type Series } from '../components/training/LineChart';
import { useTrainingForm } from '../stores/training-form';
import '../components/training/training.css';

const COLORS = ['#3fb4c8', '#f0b429', '#c678dd', '#46c46e', '#e5534b', '#61afef', '#d19a66', '#98c379'];
// What each K did on nyala-dev (bench/README.md): K = 2 re-identified later sightings of known animals
// best, K = 4 new individuals; neither won both, so the hint lets the reviewer pick by catalog.
const learnerHints: Record<number, string> = { 1: 'plain margin loss', 2: 'default, best for re-sightings of known animals', 4: 'best for new individuals' };

/**
 * The validation run and the final run each count epochs from 1, so each gets its own chart and
 * axis: joined on one axis a 100-epoch run read as 200 epochs.
 */
/** One run's losses: the final run, or the first cross-validation run (the other folds repeat its shape). */
function lossSeries(curve: TrainingEpoch[], phase: 'validate' | 'final'): Series[] {
  const run = curve.filter((e) => e.phase2 === phase && (phase === 'final' || e.task === 0));
  const learners = Math.max(0, ...run.map((e) => (e.phase === 'divide' ? e.learnerLoss.length : 0)));
  return [
    { name: 'loss', color: COLORS[phase === 'validate' ? 0 : 1], points: run.map((e) => [e.epoch, e.loss] as [number, number]) },
    ...Array.from({ length: learners }, (_, k) => ({
      name: `learner ${k + 1}`,
      color: COLORS[(k + 2) % COLORS.length],
      dashed: true,
      points: run.filter((e) => e.phase === 'divide' && e.learnerLoss[k] != null).map((e) => [e.epoch, e.learnerLoss[k]!] as [number, number]),
    })),
  ];
}
const fmt = (x: number | undefined) => (x === undefined ? '–' : x.toFixed(3));

/** Live per-epoch curve: the status request gives the saved points, events append the new ones. */
function useCurve(jobId: number | null, saved: TrainingEpoch[] | undefined): TrainingEpoch[] {
  const [live, setLive] = useState<TrainingEpoch[]>([]);
  useEffect(() => setLive([]), [jobId]);
  useEffect(
    () =>
      api().on('training.epoch', (e) => {
        if (e.jobId === jobId) setLive((l) => [...l, e.report]);
      }),
    [jobId],
  );
  const base = saved ?? [];
  const key = (e: TrainingEpoch) => `${e.task}:${e.epoch}`;
  const seen = new Set(base.map(key));
  return [...base, ...live.filter((e) => !seen.has(key(e)))];
}

const iv = (e: Estimate) => `${fmt(e.value)} [${fmt(e.lo)}, ${fmt(e.hi)}]`;
const signed = (e: Estimate) => `${e.value >= 0 ? '+' : ''}${fmt(e.value)} [${fmt(e.lo)}, ${fmt(e.hi)}]`;

/**
 * Before and after on the catalog's own confirmed individuals, cross-validated, each with its 95%
 * interval, the gain over the model it would replace, and whether activating it is recommended.
 */
function Compare({ estimate, activated, model }: { estimate: TrainingEstimate; activated: boolean; model: string }) {
  const rows: Array<[string, (m: ModelEstimate) => Estimate]> = [
    ['Unseen individuals: rank-1', (m) => m.unseen.rank1],
    ['Unseen individuals: MAP@5', (m) => m.unseen.map5],
    ['Later sightings: rank-1', (m) => m.resight.rank1],
    ['Later sightings: MAP@5', (m) => m.resight.map5],
  ];
  const ref = estimate.reference;
  const showActive = ref.source !== 'pretrained' && ref.estimate;
  const gain = estimate.gain ?? estimate.gainOverPretrained;
  const over = estimate.gain && ref.source === 'retrained' ? `active (${ref.id})` : 'pretrained';
  const q = estimate.candidate;
  return (
    <>
      <table className="compare" data-testid="training-compare">
        <thead>
          <tr>
            <th>On your confirmed individuals</th>
            <th>Pretrained</th>
            {showActive ? <th>Active ({ref.id}){ref.source === 'stored' ? ', own estimate' : ''}</th> : null}
            <th>New model</th>
            <th>Gain over {over}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, f]) => (
            <tr key={label}>
              <td>{label}</td>
              <td>{iv(f(estimate.pretrained))}</td>
              {showActive ? <td>{iv(f(ref.estimate!))}</td> : null}
              <td>{iv(f(estimate.candidate))}</td>
              <td className={f(gain).lo > 0 ? 'better' : f(gain).hi < 0 ? 'worse' : ''}>{signed(f(gain))}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small" data-testid="training-estimate-basis">
        {estimate.folds}-fold cross-validation over individuals{estimate.folds < estimate.foldsPlanned ? ` (${estimate.foldsPlanned} planned; the time budget allowed ${estimate.folds})` : ''}: each fold&apos;s individuals are new to
        its run ({q.unseen.queries} queries, {q.unseen.individuals} individuals), and the later sightings of others are matched against the rest of the catalog ({q.resight.queries}{' '}
        queries, {q.resight.individuals} individuals). Brackets: 95% interval, resampling individuals.
      </p>
      <p className={estimate.recommend ? 'recommend yes' : 'recommend no'} data-testid="training-recommendation">
        <strong>{estimate.recommend ? 'Recommended: activate it.' : 'Not recommended.'}</strong> {estimate.reason}.{' '}
        {activated ? `Model ${model} is now active.` : `Model ${model} was kept, not activated; activate it below if you want it anyway.`}
      </p>
    </>
  );
}

function Models({ models }: { models: ModelInfo[] }) {
  const activate = useAction('models.activate', ['models', 'training']);
  const rollback = useAction('models.rollback', ['models', 'training']);
  const err = activate.error ?? rollback.error;
  return (
    <section>
      <h2>Models</h2>
      <table className="models" data-testid="models-table">
        <thead>
          <tr>
            <th>Model</th>
            <th>Kind</th>
            <th>Learners</th>
            <th>Held-out retrieval</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {models.map((m) => {
            const head = (m.params as { head?: { slices?: number } } | null)?.head;
            return (
              <tr key={m.id} data-model={m.id}>
                <td>
                  {m.name} <span className="muted small">{m.id}</span>
                </td>
                <td>{m.kind}</td>
                <td>{head?.slices ?? '–'}</td>
                <td>
                  <ModelMetrics model={m} compact />
                </td>
                <td>
                  {m.active ? (
                    <strong>active</strong>
                  ) : (
                    <button className="secondary" disabled={activate.isPending} onClick={() => activate.mutate({ id: m.id })}>
                      Activate
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <button className="secondary" disabled={rollback.isPending} onClick={() => rollback.mutate({})} data-testid="models-rollback">
        Roll back to the previous model
      </button>
      {err ? <p className="error">{err.message}</p> : null}
    </section>
  );
}

export function TrainingScreen() {
  const status = useRequest('training.status', {}, { refetchInterval: (q) => (q.state.data?.job?.state === 'running' ? 3000 : false) });
  const models = useRequest('models.list', {});
  const start = useAction('training.start', ['training', 'jobs']);
  const cancel = useAction('training.cancel', ['training', 'jobs']);
  // The form lives in a store, so K and the epochs stay as chosen through a run and across screens.
  const { learners, epochs, setLearners, setEpochs } = useTrainingForm();
  const [job, setJob] = useState(status.data?.job ?? null);
  useEffect(() => setJob(status.data?.job ?? null), [status.data?.job]);
  useEffect(
    () =>
      api().on('job.updated', (j) => {
        if (j.kind !== 'train') return;
        setJob(j);
        if (j.state !== 'running' && j.state !== 'queued') {
          void status.refetch();
          void models.refetch();
        }
      }),
    [status, models],
  );
  const curve = useCurve(job?.id ?? null, status.data?.epochs);
  const running = job?.state === 'running' || job?.state === 'queued';
  const s = status.data;
  const result = doneResult(job, 'train');

  const withMetrics = curve.filter((e) => e.metrics && e.phase2 === 'validate' && e.task === 0);
  const metric = [
    { name: 'unseen rank-1', color: COLORS[0], points: withMetrics.map((e) => [e.epoch, e.metrics!.unseen.rank1] as [number, number]) },
    { name: 'unseen MAP@5', color: COLORS[2], dashed: true, points: withMetrics.map((e) => [e.epoch, e.metrics!.unseen.map5] as [number, number]) },
    { name: 're-sighting rank-1', color: COLORS[1], points: withMetrics.map((e) => [e.epoch, e.metrics!.resight.rank1] as [number, number]) },
    { name: 're-sighting MAP@5', color: COLORS[4], dashed: true, points: withMetrics.map((e) => [e.epoch, e.metrics!.resight.map5] as [number, number]) },
  ];

  return (
    <div className="screen" data-testid="screen-training">
      <h1>Training</h1>
      <div className="summary-grid">
        <div className="stat">
          <span className="stat-value" data-testid="training-individuals">{s?.individuals ?? '…'}</span>
          <span className="stat-label">confirmed individuals</span>
        </div>
        <div className="stat">
          <span className="stat-value">{s?.annotations ?? '…'}</span>
          <span className="stat-label">confirmed photos with features</span>
        </div>
        <div className="stat">
          <span className="stat-value">{s?.withoutFeatures ?? '…'}</span>
          <span className="stat-label">confirmed, not yet embedded</span>
        </div>
        <div className="stat">
          <span className="stat-value small">{s?.activeModel ?? '(none)'}</span>
          <span className="stat-label">active model</span>
        </div>
      </div>

      <form
        className="training-form"
        onSubmit={(e) => {
          e.preventDefault();
          start.mutate({ learners, epochs }, { onSuccess: (j) => setJob(j) });
        }}
      >
        <label>
          Learners (K)
          <select className="learners" value={learners} onChange={(e) => setLearners(Number(e.target.value))} data-testid="training-learners">
            {[1, 2, 4, 8].map((k) => (
              <option key={k} value={k}>
                {learnerHints[k] ? `${k}: ${learnerHints[k]}` : k}
              </option>
            ))}
          </select>
        </label>
        <label>
          Epochs
          <input type="number" min={1} max={2000} value={epochs} onChange={(e) => setEpochs(Number(e.target.value))} data-testid="training-epochs" />
        </label>
        {running ? (
          <button type="button" className="secondary" onClick={() => job && cancel.mutate({ jobId: job.id })} data-testid="training-cancel">
            Cancel
          </button>
        ) : (
          <button type="submit" className="primary" disabled={!s || s.individuals < 4 || start.isPending} data-testid="training-start">
            Start training
          </button>
        )}
        {job ? (
          <span className="muted small" data-testid="training-state">
            job {job.id}: {job.state}
            {job.message ? ` — ${job.message}` : ''}
          </span>
        ) : null}
      </form>
      {running && job?.total ? <progress className="training" max={job.total} value={job.progress} /> : null}
      {start.error ? <p className="error">{start.error.message}</p> : null}
      {job?.state === 'failed' ? <p className="error">{job.error}</p> : null}

      <div className="training-grid">
        <LineChart title="Validation run (first fold): margin loss (dashed: each learner on its cluster)" series={lossSeries(curve, 'validate')} xLabel="epoch of the validation run" testId="chart-loss-validate" />
        <LineChart title="Final run (all data): margin loss" series={lossSeries(curve, 'final')} xLabel="epoch of the final run" testId="chart-loss-final" />
        <LineChart title="Held-out retrieval during the first fold's run" series={metric} xLabel="epoch" yMin={0} testId="chart-metrics" />
      </div>

      {result?.estimate ? (
        <section>
          <h2>Before and after</h2>
          <Compare estimate={result.estimate} activated={result.activated} model={result.model} />
        </section>
      ) : null}
      <Models models={models.data ?? []} />
    </div>
  );
}
