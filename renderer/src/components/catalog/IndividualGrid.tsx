import { useQueries } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import type { IndividualListItem } from '../../../../electron/contract';
import { api } from '../../api/bridge';
import { CropImage } from '../CropImage';
import { formatDate } from '../format';

const PAGE = 120;
const CARD_W = 212;
const ROW_H = 178;

/**
 * Every individual as a card, virtualised: only the rows on screen exist in the DOM, and only
 * the pages of 120 they need are asked of SQLite, so 10k individuals scroll like 10.
 */
export function IndividualGrid({ search, onOpen }: { search: string; onOpen(id: number): void }) {
  const scroller = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(1000);
  useEffect(() => {
    const el = scroller.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(([e]) => setWidth(e.contentRect.width));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const cols = Math.max(1, Math.floor(width / CARD_W));
  const first = useQueries({
    queries: [{ queryKey: ['individuals.list', { search, offset: 0, limit: PAGE }], queryFn: () => api().request('individuals.list', { search, offset: 0, limit: PAGE }) }],
  })[0];
  const total = first.data?.total ?? 0;
  const rows = Math.ceil(total / cols);
  const v = useVirtualizer({ count: rows, getScrollElement: () => scroller.current, estimateSize: () => ROW_H, overscan: 3 });
  const vItems = v.getVirtualItems();
  const pagesNeeded = new Set<number>();
  for (const r of vItems) {
    pagesNeeded.add(Math.floor((r.index * cols) / PAGE));
    pagesNeeded.add(Math.floor(((r.index + 1) * cols - 1) / PAGE));
  }
  const pages = useQueries({
    queries: [...pagesNeeded].map((p) => ({
      queryKey: ['individuals.list', { search, offset: p * PAGE, limit: PAGE }],
      queryFn: () => api().request('individuals.list', { search, offset: p * PAGE, limit: PAGE }),
      staleTime: 30_000,
    })),
  });
  const byIndex = (i: number): IndividualListItem | undefined => {
    const p = Math.floor(i / PAGE);
    const page = [...pagesNeeded].indexOf(p);
    return pages[page]?.data?.items[i - p * PAGE];
  };
  return (
    <div className="grid-scroller" ref={scroller} data-testid="individual-grid" data-total={total}>
      {first.isSuccess && total === 0 && <p className="muted">{search ? `No individual matches “${search}”.` : 'No individuals yet: review some photos first.'}</p>}
      <div style={{ height: v.getTotalSize(), position: 'relative' }}>
        {vItems.map((r) => (
          <div key={r.key} className="grid-row" style={{ transform: `translateY(${r.start}px)`, height: ROW_H }}>
            {Array.from({ length: cols }, (_, c) => {
              const i = r.index * cols + c;
              if (i >= total) return null;
              const ind = byIndex(i);
              return ind ? (
                <button key={i} className="ind-card" data-testid={`individual-${ind.code}`} onClick={() => onOpen(ind.id)} title={`Open ${ind.code}`}>
                  {ind.cover ? <CropImage view={ind.cover} width={196} height={96} alt={ind.code} /> : <span className="crop empty-crop" style={{ width: 196, height: 96 }} />}
                  <span className="ind-line">
                    <b>{ind.code}</b> <span className="ind-name">{ind.name ?? ''}</span>
                  </span>
                  <span className="ind-meta muted small">
                    {ind.sightings} sighting{ind.sightings === 1 ? '' : 's'} · {ind.photos} photo{ind.photos === 1 ? '' : 's'}
                  </span>
                  <span className="ind-meta muted small">last seen {formatDate(ind.lastSeen)}</span>
                </button>
              ) : (
                <div key={i} className="ind-card skeleton" />
              );
            })}
          </div>
        ))}
      </div>
    </div>
  );
}
