import { useRequest } from '../api/queries';
import { ModelMetrics } from './ModelMetrics';

/** The catalog at a glance: real counts from the open catalog. */
export function Summary() {
  const { data, error, isLoading } = useRequest('catalog.summary', {});
  const models = useRequest('models.list', {});
  if (isLoading) return <p className="muted">Opening catalog…</p>;
  if (error) return <p className="error">Could not read the catalog: {error.message}</p>;
  if (!data) return null;
  const active = models.data?.find((m) => m.active);
  const items: Array<[string, number | string, string]> = [
    ['individuals', data.individuals, 'Individuals'],
    ['photos', data.photos, 'Photos'],
    ['annotations', data.annotations, 'Annotations'],
    ['identified', data.identified, 'Identified'],
    ['encounters', data.encounters, 'Encounters'],
    ['embeddings', data.embeddings, 'Embeddings'],
  ];
  return (
    <section className="summary" data-testid="catalog-summary" aria-label="Catalog summary">
      <div className="summary-grid">
        {items.map(([key, value, label]) => (
          <div className="stat" key={key} data-testid={`count-${key}`}>
            <span className="stat-value">{value}</span>
            <span className="stat-label">{label}</span>
          </div>
        ))}
      </div>
      <p className="muted small" data-testid="catalog-file">
        {data.file} · schema v{data.schemaVersion} · model {data.activeModel ?? 'none yet'}
      </p>
      {active ? (
        <p className="muted small" data-testid="active-model-metrics">
          Active model {active.name}: <ModelMetrics model={active} />
        </p>
      ) : null}
    </section>
  );
}
