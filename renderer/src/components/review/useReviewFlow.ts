import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useCallback, useEffect } from 'react';
import type { DecideParams, ReviewItem } from '../../../../electron/contract';
import { api } from '../../api/bridge';
import { useRequest } from '../../api/queries';
import { useEncounterMatching } from '../../stores/encounter-matching';
import { useReviewSession } from '../../stores/review-session';
import { defaultSelection, entriesOf, type Entry } from './entries';

export const QUEUE_PAGE = 200;
// Ten candidates: keys 1-9 and 0 select them by rank.
export const TOP = 10;
// A ranking stays good for minutes: decisions that change one refetch it explicitly (reject, undo).
const ITEM_FRESH_MS = 300_000;
const PREFETCH_DELAY_MS = 50;
// Two queries ahead: a reviewer who decides at once lands on a query whose prefetch began a whole
// screen earlier (bench/review.bench.ts: with one ahead, back-to-back decisions waited on it).
const PREFETCH_AHEAD = 2;
// Side filter and encounter matching are part of the request, so each mode keeps its own cached ranking.
const itemParams = (annotationId: number, anySide: boolean, encounter: boolean) => ({ annotationId, top: TOP, ...(anySide ? { anySide } : {}), ...(encounter ? { encounter } : {}) });
const itemKey = (annotationId: number, anySide: boolean, encounter: boolean) => ['review.item', itemParams(annotationId, anySide, encounter)] as const;

const preloading = new Set<HTMLImageElement>();
const inFlight = new Set<number>();
let chain: Promise<unknown> = Promise.resolve();

/** Requests that change the catalog go one after another, in the order the keys were pressed. */
function serial<T>(f: () => Promise<T>): Promise<T> {
  const p = chain.then(f, f);
  chain = p.catch(() => undefined);
  return p;
}

/** Warms the browser's image cache so the next screen draws without waiting for the network. */
function preloadImages(item: ReviewItem): void {
  const b = api();
  const urls = [b.mediaUrl('preview', item.query.photoId)];
  item.candidates.forEach((c, i) => {
    urls.push(b.mediaUrl('thumb', c.best.photoId));
    if (i < 2) urls.push(b.mediaUrl('preview', c.best.photoId));
    for (const o of c.others) urls.push(b.mediaUrl('thumb', o.photoId));
  });
  for (const u of urls) {
    // Held until loaded: an unreferenced Image may be collected and its load dropped.
    const img = new Image();
    preloading.add(img);
    img.src = u;
    // Decoded now, not when the screen needs it.
    img.decode().then(
      () => preloading.delete(img),
      () => preloading.delete(img),
    );
  }
}

function prefetchItem(qc: QueryClient, annotationId: number, anySide: boolean, encounter: boolean): void {
  void qc
    .fetchQuery({ queryKey: itemKey(annotationId, anySide, encounter), queryFn: () => api().request('review.item', itemParams(annotationId, anySide, encounter)), staleTime: ITEM_FRESH_MS })
    .then(preloadImages)
    .catch(() => undefined);
}

/** The review session's data and decisions: queue, current query, next-query prefetch, actions. */
export function useReviewFlow() {
  const qc = useQueryClient();
  const s = useReviewSession();
  const queue = useRequest('review.queue', { offset: 0, limit: QUEUE_PAGE });
  const items = (queue.data?.items ?? []).filter((i) => !s.done.includes(i.annotationId));
  const currentId = s.currentId != null && !s.done.includes(s.currentId) ? s.currentId : (items[0]?.annotationId ?? null);
  const encounter = useEncounterMatching((e) => e.on);
  const item = useRequest('review.item', itemParams(currentId ?? 0, s.anySide, encounter), { enabled: currentId != null, staleTime: ITEM_FRESH_MS });
  const shown = item.data && item.data.query.annotationId === currentId ? item.data : undefined;
  const entries = entriesOf(shown);
  const selected = s.selected != null && entries.length ? Math.min(s.selected, entries.length - 1) : defaultSelection(entries);
  const index = items.findIndex((i) => i.annotationId === currentId);
  // Everything still to identify: the queue's count, less what this session decided before the queue was read again.
  const decidedOnPage = (queue.data?.items ?? []).filter((i) => s.done.includes(i.annotationId)).length;
  const remaining = queue.data ? Math.max(0, queue.data.left - decidedOnPage) : 0;
  const neighbour = useCallback(
    (step: 1 | -1): number | null => {
      if (items.length === 0) return null;
      if (index < 0) return items[0].annotationId;
      const n = items[index + step];
      if (n) return n.annotationId;
      // Past the end: go round to the skipped ones (they wait at the end) or the start.
      const other = items.find((i) => i.annotationId !== currentId);
      return step === 1 ? (other?.annotationId ?? null) : null;
    },
    [items, index, currentId],
  );
  const nextId = neighbour(1);
  const aheadIds = [nextId, ...items.slice(index + 2, index + 1 + PREFETCH_AHEAD).map((i) => i.annotationId)]
    .filter((id): id is number => id != null && id !== currentId)
    .join(',');

  // The next queries' rankings and images load while the reviewer looks at this one; started a
  // moment after this screen is up, so the matcher does not compete with drawing it.
  useEffect(() => {
    if (!shown || !aheadIds) return;
    const t = setTimeout(() => {
      for (const id of aheadIds.split(',')) prefetchItem(qc, Number(id), s.anySide, encounter);
    }, PREFETCH_DELAY_MS);
    return () => clearTimeout(t);
  }, [shown, aheadIds, qc, s.anySide, encounter]);

  /**
   * Decisions advance at once to the (prefetched) next query and are sent in order behind the
   * screen; a refused one brings its query back with the reason. One decision per query at a time.
   */
  const decide = async (p: Omit<DecideParams, 'annotationId' | 'modelId'>, advance: boolean) => {
    if (currentId == null || !shown || inFlight.has(currentId)) return null;
    const id = currentId;
    const params: DecideParams = { ...p, annotationId: id, modelId: shown.match?.modelId };
    inFlight.add(id);
    if (advance) {
      if (p.action !== 'skip') s.markDone(id);
      s.show(nextId === id ? null : nextId);
    }
    try {
      return await serial(() => api().request('review.decide', params));
    } catch (e) {
      if (advance) {
        s.unmarkDone(id);
        s.show(id);
      }
      s.say({ kind: 'error', text: (e as Error).message });
      return null;
    } finally {
      inFlight.delete(id);
    }
  };

  const photo = shown?.query.originalName ?? '';
  const actions = {
    /** Confirms what the reviewer selected; "new individual" only when they selected it themselves. */
    confirm: async (entry: Entry | undefined) => {
      if (!entry) {
        if (shown) s.say({ kind: 'warn', text: 'Nothing selected: choose a candidate (1–9, 0) or press N for a new individual.' });
        return;
      }
      if (entry.kind === 'new') return actions.newIndividual();
      const c = entry.candidate;
      const r = await decide({ action: 'confirm', individualId: c.individualId, rank: c.rank, score: c.score }, true);
      if (r) s.say({ kind: 'ok', text: `${photo} → ${c.code}${c.name ? ` (${c.name})` : ''} confirmed. Ctrl+Z undoes.` });
    },
    reject: async (entry: Entry | undefined) => {
      if (!entry || entry.kind !== 'candidate' || currentId == null) return;
      const c = entry.candidate;
      const r = await decide({ action: 'reject', individualId: c.individualId, rank: c.rank, score: c.score }, false);
      if (r) {
        await qc.invalidateQueries({ queryKey: ['review.item', { annotationId: currentId }] });
        s.say({ kind: 'warn', text: `${c.code} rejected for ${photo}.` });
      }
    },
    newIndividual: async () => {
      const r = await decide({ action: 'new', rank: shown?.match?.newIndividual.rank, score: shown?.match?.newIndividual.probability }, true);
      if (r?.individual) s.say({ kind: 'ok', text: `${photo} → new individual ${r.individual.code}. Ctrl+Z undoes.` });
    },
    skip: async () => {
      const r = await decide({ action: 'skip' }, true);
      if (r) s.say({ kind: 'warn', text: `${photo} skipped: it waits at the end of the queue.` });
    },
    undo: async () => {
      if (s.busy) return;
      s.setBusy(true);
      try {
        const { undone } = await serial(() => api().request('review.undo', {}));
        const first = undone[0];
        s.unmarkDone(first.annotationId);
        await qc.invalidateQueries({ predicate: (q) => String(q.queryKey[0]).startsWith('review.') || q.queryKey[0] === 'catalog.summary' });
        if (['confirm', 'new', 'skip', 'reject'].includes(first.decision)) s.show(first.annotationId);
        s.say({ kind: 'ok', text: `Undid ${first.decision}${first.individualCode ? ` ${first.individualCode}` : ''}.` });
      } catch (e) {
        s.say({ kind: 'error', text: (e as Error).message });
      } finally {
        s.setBusy(false);
      }
    },
    move: (step: 1 | -1) => {
      const id = neighbour(step);
      if (id != null) s.show(id);
    },
  };

  return { queue, items, index, remaining, currentId, item, shown, entries, selected, actions };
}
