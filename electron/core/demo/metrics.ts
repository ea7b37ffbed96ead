import type { DemoMetrics } from '../../contract';

/**
 * rank-1, MAP@5 and top-5 from the true individual's rank per query; a null rank (the true
 * individual is not in the list) is a miss and counts as a query, rounded to 3 decimals for display.
 */
export function metricsCountingMisses(model: string, ranks: Array<number | null>): DemoMetrics {
  const n = ranks.length;
  let r1 = 0;
  let m5 = 0;
  let t5 = 0;
  for (const r of ranks) {
    if (r === null) continue;
    if (r === 1) r1++;
    if (r <= 5) {
      t5++;
      m5 += 1 / r;
    }
  }
  const round = (v: number) => Math.round((n ? v / n : 0) * 1000) / 1000;
  return { model, queries: n, rank1: round(r1), map5: round(m5), top5: round(t5) };
}
