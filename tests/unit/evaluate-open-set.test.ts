import { evaluateOpenSet } from '../../electron/core/match/evaluate-open-set';
import type { LabelledItem } from '../../electron/core/match/evaluate';
import { rng } from '../helpers/synthetic-catalog';

/** Individuals x sightings with similarities: `same` within an individual, `other` between, plus noise. */
function population(individuals: number, sightings: number, same: number, other: number, noise: number, seed = 1) {
  const r = rng(seed);
  const items: LabelledItem[] = [];
  for (let i = 0; i < individuals; i++) for (let s = 0; s < sightings; s++) items.push({ individual: `I${i}`, side: 'left', sighting: `I${i}-s${s}` });
  const n = items.length;
  const sim = new Float32Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      const v = a === b ? 1 : (items[a].individual === items[b].individual ? same : other) + noise * (r() - 0.5);
      sim[a * n + b] = v;
      sim[b * n + a] = v;
    }
  }
  return { items, sim };
}

describe('open-set evaluation (new individual as a label)', () => {
  it('scores 1 when identities are unmistakable: "new" first for left-out animals, after the right one for the others', async () => {
    const { items, sim } = population(20, 3, 0.9, 0.3, 0.1);
    const r = await evaluateOpenSet(items, sim, 0.3, [1, 2, 3]);
    expect(r.runs.map((x) => x.seed)).toEqual([1, 2, 3]);
    for (const run of r.runs) {
      expect(run).toMatchObject({ heldOut: 6, queries: 60, newQueries: 18, calibrated: true });
      expect(run.map5).toBe(1);
    }
    expect(r.map5).toBe(1);
  });

  it('drops below 1 when animals look alike, and counts a lone sighting of a kept animal as new', async () => {
    const { items, sim } = population(30, 3, 0.55, 0.5, 0.2, 4);
    // One more animal seen once: kept or not, the gallery never holds another photo of it.
    items.push({ individual: 'LONE', side: 'left', sighting: 'lone' });
    const n = items.length;
    const grown = new Float32Array(n * n);
    for (let a = 0; a < n - 1; a++) for (let b = 0; b < n - 1; b++) grown[a * n + b] = sim[a * (n - 1) + b];
    for (let a = 0; a < n; a++) {
      grown[a * n + n - 1] = a === n - 1 ? 1 : 0.5;
      grown[(n - 1) * n + a] = grown[a * n + n - 1];
    }
    const r = await evaluateOpenSet(items, grown, 0.3, [7]);
    const run = r.runs[0];
    expect(run.heldOut).toBe(Math.round(31 * 0.3));
    // Left-out animals' 3 photos each, plus the lone sighting when it was kept.
    expect([run.heldOut * 3, run.heldOut * 3 + 1]).toContain(run.newQueries);
    expect(run.map5).toBeLessThan(0.9);
    expect(run.map5).toBeGreaterThan(0);
  });

  it('reports every scored query: its answer\'s place and "new"\'s, adding up to the run\'s MAP@5', async () => {
    const { items, sim } = population(30, 3, 0.55, 0.5, 0.2, 5);
    const qs: Array<{ seed: number; isNew: boolean; answerRank: number; newRank: number; ap: number }> = [];
    const r = await evaluateOpenSet(items, sim, 0.3, [2, 3], (q) => qs.push(q));
    for (const run of r.runs) {
      const mine = qs.filter((q) => q.seed === run.seed);
      expect(mine).toHaveLength(run.queries);
      expect(mine.filter((q) => q.isNew)).toHaveLength(run.newQueries);
      expect(mine.reduce((t, q) => t + q.ap, 0) / mine.length).toBeCloseTo(run.map5, 12);
      for (const q of mine) {
        // The answer's place in the list that holds "new" at newRank.
        const place = q.isNew ? q.newRank : q.answerRank === 0 ? Infinity : q.answerRank + (q.newRank <= q.answerRank ? 1 : 0);
        expect(q.ap).toBeCloseTo(place <= 5 ? 1 / place : 0, 12);
      }
    }
  });

  it('refuses a share outside (0, 1)', async () => {
    const { items, sim } = population(4, 2, 0.9, 0.3, 0.1);
    await expect(evaluateOpenSet(items, sim, 1, [1])).rejects.toThrow(/between 0 and 1/);
  });
});
