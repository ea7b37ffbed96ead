import type { ModelInfo } from '../../../electron/contract';

const fmt = (x: number) => x.toFixed(3);

/**
 * A model's held-out retrieval, the same four numbers wherever a model is shown: rank-1 and MAP@5
 * on individuals the run never saw, and on later sightings of those it trained on.
 */
export function ModelMetrics({ model, compact = false }: { model: Pick<ModelInfo, 'id' | 'kind' | 'heldOut'>; compact?: boolean }) {
  const h = model.heldOut;
  if (!h) {
    return (
      <span className="muted small" data-testid="model-metrics" data-measured="no">
        {model.kind === 'pretrained' ? 'not measured yet: a training run measures it' : 'no held-out measurement'}
      </span>
    );
  }
  const { unseen, resight } = h.metrics;
  const source = h.run === model.id ? 'held-out validation' : `measured by run ${h.run} before training`;
  return (
    <span className="small" data-testid="model-metrics" data-measured="yes" title={`${source}: ${unseen.queries} unseen and ${resight.queries} later-sighting queries`}>
      unseen rank-1 <strong>{fmt(unseen.rank1)}</strong>
      {compact ? null : <> · MAP@5 {fmt(unseen.map5)}</>} · later sightings rank-1 <strong>{fmt(resight.rank1)}</strong>
      {compact ? null : <> · MAP@5 {fmt(resight.map5)}</>}
    </span>
  );
}
