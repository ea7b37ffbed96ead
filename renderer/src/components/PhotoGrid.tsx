import { useState } from 'react';
import { api } from '../api/bridge';
import { useRequest } from '../api/queries';

export interface PhotoGridProps {
  /** Only this encounter's photos (null: photos outside any encounter; undefined: all). */
  encounterId?: number | null;
  pageSize?: number;
  onOpen?(photoId: number): void;
  /** Photos ticked for a group action; with it, each tile gets a tick box. */
  selected?: ReadonlySet<number>;
  onToggle?(photoId: number): void;
}

/** Thumbnails in capture order, a page at a time. */
export function PhotoGrid({ encounterId, pageSize = 60, onOpen, selected, onToggle }: PhotoGridProps) {
  const [page, setPage] = useState(0);
  const { data, error } = useRequest('photos.list', { encounterId, offset: page * pageSize, limit: pageSize });
  if (error) return <p className="error">Could not list photos: {error.message}</p>;
  if (!data) return null;
  const pages = Math.max(1, Math.ceil(data.total / pageSize));
  return (
    <div className="photo-grid-wrap">
      <div className="photo-grid" data-testid="photo-grid">
        {data.items.map((p) => (
          <div key={p.id} className={`photo-cell${selected?.has(p.id) ? ' ticked' : ''}`}>
            <button className={p.missing ? 'photo-tile missing' : 'photo-tile'} title={p.originalName} data-testid={`photo-${p.id}`} onClick={() => onOpen?.(p.id)}>
              <img src={api().mediaUrl('thumb', p.id)} alt={p.originalName} loading="lazy" />
              <span className="photo-tile-meta">
                {p.annotations === 0 ? 'no box' : p.annotations > 1 ? `${p.annotations} boxes` : ''}
                {p.identified ? ` · ${p.identified} ID` : ''}
              </span>
            </button>
            {onToggle ? (
              <input type="checkbox" className="photo-tick" aria-label={`Select ${p.originalName}`} checked={Boolean(selected?.has(p.id))} onChange={() => onToggle(p.id)} data-testid={`tick-${p.id}`} />
            ) : null}
          </div>
        ))}
      </div>
      {pages > 1 ? (
        <div className="pager">
          <button className="secondary" disabled={page === 0} onClick={() => setPage(page - 1)}>
            Previous
          </button>
          <span className="muted small">
            {page + 1} / {pages} ({data.total} photos)
          </span>
          <button className="secondary" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>
            Next
          </button>
        </div>
      ) : null}
    </div>
  );
}
