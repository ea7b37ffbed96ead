import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import { useRequest } from '../api/queries';
import { formatDate } from '../components/format';
import { PhotoGrid } from '../components/PhotoGrid';
import { PhotoView } from '../components/PhotoView';
import { useEncounterBrowser } from '../stores/encounter-browser';

/**
 * Photos by encounter: the encounters down the left (virtualised), the chosen one's photos on the
 * right; opening a photo shows it with its boxes to draw and edit (the import issue's PhotoView).
 */
export function PhotosScreen() {
  const { encounterId, photoId, pick, open, filter, setFilter, loose } = useEncounterBrowser();
  const list = useRequest('encounters.list', { limit: 1000 });
  const all = list.data?.items ?? [];
  const items = filter === 'undated' ? all.filter((e) => !e.startTime) : all;
  const current = encounterId ?? items[0]?.id ?? null;
  const enc = items.find((e) => e.id === current);
  const scroller = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({ count: items.length, getScrollElement: () => scroller.current, estimateSize: () => 52, overscan: 8 });
  return (
    <div className="screen photos" data-testid="screen-photos">
      <h1>Photos &amp; encounters</h1>
      {filter === 'undated' && (
        <div className="notice small" data-testid="photos-filter-undated">
          <p>
            {items.length
              ? `Showing the ${items.length} encounter${items.length === 1 ? '' : 's'} without a date: exports leave their sightings out until they have one.`
              : 'Every encounter has a date.'}{' '}
            <button className="secondary small" onClick={() => setFilter('all')}>
              Show all encounters
            </button>
          </p>
          {loose.length > 0 && (
            <p data-testid="photos-loose">
              {loose.length === 1 ? 'One photo left out has' : `${loose.length} photos left out have`} no capture time and no encounter to take a date from:{' '}
              {loose.slice(0, 12).map((p, i) => (
                <span key={p.id}>
                  {i ? ', ' : ''}
                  <button className="link" onClick={() => open(p.id)}>
                    {p.name}
                  </button>
                </span>
              ))}
              {loose.length > 12 ? ` and ${loose.length - 12} more` : ''}
            </p>
          )}
        </div>
      )}
      <div className="photos-layout">
        <div className="enc-list" ref={scroller} data-testid="encounter-list">
          {filter === 'all' && list.data && list.data.total > items.length && (
            <p className="muted small">
              first {items.length} of {list.data.total}
            </p>
          )}
          <div style={{ height: v.getTotalSize(), position: 'relative' }}>
            {v.getVirtualItems().map((r) => {
              const e = items[r.index];
              return (
                <button key={e.id} className={`enc${e.id === current ? ' active' : ''}`} style={{ transform: `translateY(${r.start}px)` }} onClick={() => pick(e.id)} data-testid={`encounter-${e.id}`}>
                  <span>
                    <b>{e.code ?? `#${e.id}`}</b> <span className="muted small">{formatDate(e.startTime, true)}</span>
                  </span>
                  <span className="muted small">
                    {e.photos} photo{e.photos === 1 ? '' : 's'}
                    {e.location ? ` · ${e.location}` : ''}
                  </span>
                </button>
              );
            })}
          </div>
          {list.isSuccess && items.length === 0 && <p className="muted">{filter === 'undated' ? 'No encounter lacks a date.' : 'No encounters yet: import photos first.'}</p>}
        </div>
        <div className="enc-photos">
          {enc && photoId == null && (
            <div className="enc-head" data-testid="encounter-head">
              <b>{enc.code ?? `Encounter ${enc.id}`}</b>
              <span className="muted">
                {formatDate(enc.startTime, true)}
                {enc.endTime && enc.endTime.slice(0, 16) !== enc.startTime?.slice(0, 16) ? ` – ${enc.endTime.slice(11, 16)}` : ''}
                {enc.location ? ` · ${enc.location}` : ''}
                {enc.latitude != null && enc.longitude != null ? ` · ${enc.latitude.toFixed(4)}, ${enc.longitude.toFixed(4)}` : ''}
                {` · ${enc.photos} photo${enc.photos === 1 ? '' : 's'}`}
                {enc.observer ? ` · ${enc.observer}` : ''}
              </span>
              <span className="muted small">Open a photo to draw or edit its boxes.</span>
            </div>
          )}
          {photoId != null ? <PhotoView photoId={photoId} onClose={() => open(null)} /> : current != null ? <PhotoGrid encounterId={current} onOpen={open} /> : null}
        </div>
      </div>
    </div>
  );
}
