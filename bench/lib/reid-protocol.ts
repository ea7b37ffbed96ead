import fs from 'node:fs';
import path from 'node:path';
import type { RetrievalMetrics } from '../../electron/core/training/retrieval';

/** One labelled photo of a dataset in ../shared/datasets (labels.csv: image,individual,side[,sighting]). */
export interface Labelled {
  file: string;
  image: string;
  individual: string;
  side: string;
  sighting: string | null;
}

export function readLabels(dir: string): Labelled[] {
  const [head, ...lines] = fs.readFileSync(path.join(dir, 'labels.csv'), 'utf8').trim().split('\n');
  const cols = head.split(',');
  return lines.map((l) => {
    const v = l.split(',');
    const get = (k: string) => v[cols.indexOf(k)] ?? '';
    return { file: path.join(dir, get('image')), image: get('image'), individual: get('individual'), side: get('side'), sighting: cols.includes('sighting') ? get('sighting') : null };
  });
}

/** Split by individual (a stable hash), so evaluation individuals are never seen in training. */
export function heldOut(individual: string): boolean {
  let h = 2166136261;
  for (const ch of individual) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return (h >>> 0) % 2 === 1;
}


/**
 * The protocol of ../shared/datasets/README.md: every photo is a query; the gallery is every
 * other photo of the same side, minus the query's own sighting; individuals are ranked by
 * their best-scoring gallery photo; queries whose individual has no gallery photo are skipped.
 * `sim(i, j)` is the similarity of photos i and j; `subset` restricts queries and gallery.
 */
export function evaluate(labels: Labelled[], sim: (i: number, j: number) => number, subset?: (l: Labelled) => boolean): RetrievalMetrics {
  const idx = labels.map((_, i) => i).filter((i) => !subset || subset(labels[i]));
  let r1 = 0;
  let map = 0;
  let t5 = 0;
  let n = 0;
  for (const q of idx) {
    const lq = labels[q];
    const best = new Map<string, number>();
    for (const g of idx) {
      if (g === q) continue;
      const lg = labels[g];
      if (lq.side && lg.side !== lq.side) continue;
      if (lq.sighting && lg.sighting === lq.sighting) continue;
      const s = sim(q, g);
      const b = best.get(lg.individual);
      if (b === undefined || s > b) best.set(lg.individual, s);
    }
    const own = best.get(lq.individual);
    if (own === undefined) continue;
    let rank = 1;
    for (const [ind, s] of best) if (ind !== lq.individual && s > own) rank++;
    n++;
    if (rank === 1) r1++;
    if (rank <= 5) {
      t5++;
      map += 1 / rank;
    }
  }
  return { rank1: r1 / n, map5: map / n, top5: t5 / n, queries: n };
}

export const fmt = (s: RetrievalMetrics): string => `rank-1 ${s.rank1.toFixed(3)}  MAP@5 ${s.map5.toFixed(3)}  top-5 ${s.top5.toFixed(3)}  (${s.queries} q)`;
