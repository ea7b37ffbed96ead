import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import { useRequest } from '../api/queries';
import { EncounterEditor } from '../components/encounters/EncounterEditor';
import { UnsortedPhotos } from '../components/encounters/UnsortedPhotos';
import { formatDate } from '../components/format';
import { PhotoGrid } from '../components/PhotoGrid';
import { PhotoView } from '../components/PhotoView';
import { useEncounterBrowser } from '../stores/encounter-browser';

/**
 * Photos by encounter: the encounters down the left (virtualised, with the unsorted photos on
 * top), the chosen one's photos on the right; opening a photo shows it with its boxes to draw
 * and edit. Encounters are edited here (date, place, notes), one or several ticked at once.
 */
export function PhotosScreen() {
  const { encounterId, photoId, pick, open, ticked, tick, clearTicks, editing, edit, filter, setFilter, loose } = useEncounterBrowser();
  const list = useRequest('encounters.list', { limit: 1000 });
  const unsorted = useRequest('photos.list', { encounterId: null, limit: 1 });
  const all = list.data?.items ?? [];
  const items = filter === 'undated' ? all.filter((e) => !e.startTime) : all;
  const unsortedTotal = unsorted.data?.total ?? 0;
  const current = encounterId === 'unsorted' ? (unsortedTotal ? 'unsorted' : (items[0]?.id ?? null)) : (encounterId ?? items[0]?.id ?? (unsortedTotal ? 'unsorted' : null));
  const enc = items.find((e) => e.id === current);
  const tickedEncs = items.filter((e) => ticked.includes(e.id));
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
          {unsortedTotal > 0 && (
            <button className={`enc-unsorted${current === 'unsorted' ? ' active' : ''}`} onClick={() => pick('unsorted')} data-testid="encounter-unsorted">
              <b>Unsorted photos</b> <span className="muted small">{unsortedTotal} without an encounter</span>
            </button>
          )}
          {filter === 'all' && list.data && list.data.total > items.length && (
            <p className="muted small">
              first {items.length} of {list.data.total}
            </p>
          )}
          <div style={{ height: v.getTotalSize(), position: 'relative' }}>
            {v.getVirtualItems().map((r) => {
              const e = items[r.index];
              return (
                <div key={e.id} className={`enc${e.id === current ? ' active' : ''}`} style={{ transform: `translateY(${r.start}px)` }}>
                  <input type="checkbox" checked={ticked.includes(e.id)} onChange={() => tick(e.id)} aria-label={`Tick ${e.code ?? `encounter ${e.id}`} to edit several`} data-testid={`encounter-tick-${e.id}`} />
                  <button onClick={() => pick(e.id)} data-testid={`encounter-${e.id}`}>
                    <span>
                      <b>{e.code ?? `#${e.id}`}</b> <span className="muted small">{formatDate(e.startTime, true)}</span>
                    </span>
                    <span className="muted small">
                      {e.photos} photo{e.photos === 1 ? '' : 's'}
                      {e.location ? ` · ${e.location}` : ''}
                      {e.latitude == null ? ' · no place' : ''}
                    </span>
                  </button>
                </div>
              );
            })}
          </div>
          {list.isSuccess && items.length === 0 && unsortedTotal === 0 && <p className="muted">{filter === 'undated' ? 'No encounter lacks a date.' : 'No encounters yet: import photos first.'}</p>}
        </div>
        <div className="enc-photos">
          {tickedEncs.length > 0 && !editing && (
            <div className="enc-ticked" data-testid="encounters-ticked">
              {tickedEncs.length} encounter{tickedEncs.length === 1 ? '' : 's'} ticked
              <button className="primary small" onClick={() => edit(true)} data-testid="edit-ticked">
                Edit {tickedEncs.length === 1 ? 'it' : 'them together'}
              </button>
              <button className="secondary small" onClick={clearTicks}>
                Clear
              </button>
            </div>
          )}
          {editing && (tickedEncs.length || enc) ? (
            <EncounterEditor
              key={(tickedEncs.length ? tickedEncs : [enc!]).map((e) => e.id).join(',')}
              encounters={tickedEncs.length ? tickedEncs : [enc!]}
              onDone={() => {
                edit(false);
                clearTicks();
              }}
            />
          ) : photoId != null ? (
            <PhotoView photoId={photoId} onClose={() => open(null)} />
          ) : current === 'unsorted' ? (
            <UnsortedPhotos total={unsortedTotal} encounters={items} onOpen={open} onGrouped={(id) => pick(id)} />
          ) : enc ? (
            <>
              <div className="enc-head" data-testid="encounter-head">
                <b>{enc.code ?? `Encounter ${enc.id}`}</b>
                <span className="muted">
                  {formatDate(enc.startTime, true)}
                  {enc.startTime && /([+-]\d{2}:\d{2}|Z)$/.test(enc.startTime) ? ` (UTC${enc.startTime.endsWith('Z') ? '+00:00' : enc.startTime.slice(-6)})` : ''}
                  {enc.endTime && enc.endTime.slice(0, 16) !== enc.startTime?.slice(0, 16) ? ` – ${enc.endTime.slice(11, 16)}` : ''}
                  {enc.location ? ` · ${enc.location}` : ''}
                  {enc.latitude != null && enc.longitude != null ? ` · ${enc.latitude.toFixed(4)}, ${enc.longitude.toFixed(4)}` : ' · no place'}
                  {` · ${enc.photos} photo${enc.photos === 1 ? '' : 's'}`}
                  {enc.observer ? ` · ${enc.observer}` : ''}
                </span>
                <button className="secondary small" onClick={() => edit(true)} data-testid="encounter-edit">
                  Edit date, place, notes
                </button>
              </div>
              {enc.notes ? <p className="enc-notes small">{enc.notes}</p> : null}
              <PhotoGrid encounterId={enc.id} onOpen={open} />
            </>
          ) : null}
        </div>
      </div>
    </div>
  );
}
