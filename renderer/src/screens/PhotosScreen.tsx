import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import { api } from '../api/bridge';
import { useRequest } from '../api/queries';
import { formatDate } from '../components/format';
import { useEncounterBrowser } from '../stores/encounter-browser';

/** Photos by encounter: the encounters down the left, the chosen one's photos with their boxes. */
export function PhotosScreen() {
  const { encounterId, pick } = useEncounterBrowser();
  const list = useRequest('encounters.list', { limit: 1000 });
  const items = list.data?.items ?? [];
  const current = encounterId ?? items[0]?.id ?? null;
  const photos = useRequest('encounters.photos', { encounterId: current }, { enabled: current != null });
  const scroller = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({ count: items.length, getScrollElement: () => scroller.current, estimateSize: () => 52, overscan: 8 });
  return (
    <div className="screen photos" data-testid="screen-photos">
      <h1>Photos &amp; encounters</h1>
      <div className="photos-layout">
        <div className="enc-list" ref={scroller} data-testid="encounter-list">
          {list.data && list.data.total > items.length && <p className="muted small">newest {items.length} of {list.data.total}</p>}
          <div style={{ height: v.getTotalSize(), position: 'relative' }}>
            {v.getVirtualItems().map((r) => {
              const e = items[r.index];
              return (
                <button key={e.id} className={`enc${e.id === current ? ' active' : ''}`} style={{ transform: `translateY(${r.start}px)` }} onClick={() => pick(e.id)}>
                  <span>
                    <b>{e.code ?? `#${e.id}`}</b> <span className="muted small">{formatDate(e.start, true)}</span>
                  </span>
                  <span className="muted small">
                    {e.photos} photos · {e.unidentified ? <span className="warn">{e.unidentified} to review</span> : 'all identified'}
                    {e.location ? ` · ${e.location}` : ''}
                  </span>
                </button>
              );
            })}
          </div>
          {list.isSuccess && items.length === 0 && <p className="muted">No encounters yet: import photos first.</p>}
        </div>
        <div className="enc-photos">
          {photos.data?.map((p) => {
            const scale = 280 / p.width;
            return (
              <figure key={p.photoId} className="enc-photo">
                <div className="boxed" style={{ width: 280, height: p.height * scale }}>
                  <img src={api().mediaUrl('thumb', p.photoId)} alt={p.originalName} width={280} height={p.height * scale} />
                  {p.annotations.map((a) => (
                    <div
                      key={a.annotationId}
                      className={`box${a.individualId ? ' identified' : ''}`}
                      style={{ left: a.box.x * scale, top: a.box.y * scale, width: a.box.w * scale, height: a.box.h * scale }}
                    >
                      <span>{a.code ?? 'unidentified'}</span>
                    </div>
                  ))}
                </div>
                <figcaption className="small muted">
                  {p.originalName} · {formatDate(p.takenAt, true)}
                </figcaption>
              </figure>
            );
          })}
        </div>
      </div>
    </div>
  );
}
