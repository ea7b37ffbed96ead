import { useState } from 'react';
import type { SightingsFilter } from '../../../electron/contract';
import { useRequest } from '../api/queries';
import { formatDate } from '../components/format';
import { SightingsMap } from '../components/map/SightingsMap';
import { useCatalogBrowser } from '../stores/catalog-browser';
import { useNavigation } from '../stores/navigation';

/**
 * Every sighting of the catalog on the offline map, filtered by dates, individual and encounter;
 * an individual's movements are drawn as its track. Clicking a marker's individual in the list
 * opens its page.
 */
export function MapScreen() {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [code, setCode] = useState('');
  const [encounterId, setEncounterId] = useState('');
  const found = useRequest('individuals.list', { search: code.trim(), limit: 20 }, { enabled: code.trim().length > 0 });
  const individual = found.data?.items.find((i) => i.code.toLowerCase() === code.trim().toLowerCase());
  const encounters = useRequest('encounters.list', { limit: 1000 });
  const filter: SightingsFilter = {
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(individual ? { individualId: individual.id } : {}),
    ...(encounterId ? { encounterId: Number(encounterId) } : {}),
  };
  const sightings = useRequest('sightings.list', filter, { staleTime: 0, enabled: !code.trim() || Boolean(individual) || found.isSuccess });
  const openIndividual = useCatalogBrowser((s) => s.open);
  const go = useNavigation((s) => s.go);
  const unknownCode = code.trim() && found.isSuccess && !individual;
  const items = unknownCode ? [] : sightings.data?.items ?? [];
  return (
    <div className="screen map-screen" data-testid="screen-map">
      <h1>Map</h1>
      <form className="map-filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          From <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="map-from" />
        </label>
        <label>
          To <input type="date" value={to} onChange={(e) => setTo(e.target.value)} data-testid="map-to" />
        </label>
        <label>
          Individual{' '}
          <input list="map-individuals" value={code} onChange={(e) => setCode(e.target.value)} placeholder="all" data-testid="map-individual" />
          <datalist id="map-individuals">{found.data?.items.map((i) => <option key={i.id} value={i.code}>{i.name ?? ''}</option>)}</datalist>
        </label>
        <label>
          Encounter{' '}
          <select value={encounterId} onChange={(e) => setEncounterId(e.target.value)} data-testid="map-encounter">
            <option value="">all</option>
            {encounters.data?.items.map((e) => (
              <option key={e.id} value={e.id}>
                {e.code ?? `#${e.id}`} · {formatDate(e.startTime)}
              </option>
            ))}
          </select>
        </label>
        {(from || to || code || encounterId) && (
          <button
            type="button"
            className="secondary small"
            onClick={() => {
              setFrom('');
              setTo('');
              setCode('');
              setEncounterId('');
            }}
          >
            Clear filters
          </button>
        )}
      </form>
      {unknownCode ? <p className="error small">No individual with code “{code.trim()}”.</p> : null}
      {sightings.error ? <p className="error">{sightings.error.message}</p> : null}
      <SightingsMap sightings={items} tracks={Boolean(individual)} testId="catalog-map" />
      <p className="muted small" data-testid="map-counts">
        {items.length} sightings of {new Set(items.map((s) => s.individualId)).size} individuals
        {sightings.data?.withoutPlace && !unknownCode ? ` · ${sightings.data.withoutPlace} without a place (give their encounters one in Photos)` : ''}
        {sightings.data?.undated && !unknownCode ? ` · ${sightings.data.undated} undated` : ''}
      </p>
      {individual && (
        <button
          className="link"
          onClick={() => {
            openIndividual(individual.id);
            go('catalog');
          }}
        >
          Open {individual.code}’s page
        </button>
      )}
    </div>
  );
}
