import type { DemoMetrics, DemoResult } from '../../contract';
import type { JobServices } from '../jobs/context';

/** The requests the automatic review makes, as a person's would go (the backend, or a job's services). */
type Requester = Pick<JobServices, 'request'>;
import { metricsCountingMisses } from './metrics';

/** A catalog annotation with the individual its label says it is. */
export interface LabelledAnnotation {
  id: number;
  individual: string;
  /** Already identified (a resumed run). */
  done: boolean;
}

/** What an automatic review counted: decisions, and how often the truth ranked first / in the top 5. */
export type ReviewTally = Omit<DemoResult['review'], 'reviewer'>;

/**
 * Reviews annotations in capture order as a person would, knowing the answer: the matcher's
 * candidates are shown; the true individual is confirmed where the catalog has it (its rank in
 * the list is logged with the decision; a person finds it by search when the list misses it),
 * and a new individual is declared where it does not. `codeToId` learns the new individuals.
 */
export async function autoReview(
  b: Requester,
  items: LabelledAnnotation[],
  codeToId: Map<string, number>,
  opts: {
    signal?: AbortSignal;
    progress?(done: number, total: number): void;
    top?: number;
    /** Tallies of an earlier, interrupted pass (its decisions are in the catalog: those items are done). */
    start?: ReviewTally;
    /** After each decision, with the tallies so far (the demo checkpoints them). */
    onDecision?(tally: ReviewTally): void;
  } = {},
): Promise<ReviewTally> {
  const out: ReviewTally = { decisions: 0, confirmed: 0, created: 0, rank1: 0, top5: 0, ...opts.start };
  let k = 0;
  for (const q of items) {
    if (opts.signal?.aborted) break;
    opts.progress?.(++k, items.length);
    if (q.done) continue;
    // The same requests as the review screen: its candidates, then its decision.
    const m = await b.request('match.annotation', { annotationId: q.id, top: opts.top ?? 20 });
    const known = codeToId.get(q.individual);
    if (known !== undefined) {
      const i = m.candidates.findIndex((c) => c.individualId === known);
      // The decision logs the place shown (which counts the "new individual" entry); the tallies count individuals only.
      const rank = i >= 0 ? i + 1 : undefined;
      const shown = i >= 0 ? m.candidates[i] : undefined;
      await b.request('review.decide', { annotationId: q.id, action: 'confirm', individualId: known, rank: shown?.rank, score: shown?.score, modelId: m.modelId });
      out.confirmed++;
      if (rank === 1) out.rank1++;
      if (rank !== undefined && rank <= 5) out.top5++;
    } else {
      const r = await b.request('review.decide', { annotationId: q.id, action: 'new', rank: m.newIndividual.rank, modelId: m.modelId });
      if (!r.individual) throw new Error(`review.decide 'new' for annotation ${q.id} returned no individual`);
      codeToId.set(q.individual, r.individual.id);
      out.created++;
    }
    out.decisions++;
    opts.onDecision?.({ ...out });
  }
  return out;
}

/**
 * The evaluation protocol's metrics for queries against the catalog as it stands (the match
 * request leaves out each query's own encounter): the true individual's rank in the candidate
 * list. Queries whose individual the catalog does not hold are skipped.
 */
export async function scoreQueries(
  b: Requester,
  items: LabelledAnnotation[],
  codeToId: Map<string, number>,
  opts: { signal?: AbortSignal; progress?(done: number, total: number): void } = {},
): Promise<DemoMetrics> {
  const ranks: Array<number | null> = [];
  let model = '';
  let k = 0;
  for (const q of items) {
    if (opts.signal?.aborted) break;
    opts.progress?.(++k, items.length);
    const known = codeToId.get(q.individual);
    if (known === undefined) continue;
    const m = await b.request('match.annotation', { annotationId: q.id, top: 50 });
    model = m.modelId;
    // Rank among individuals (the "new individual" entry, placed among them for the reviewer, is not one).
    const i = m.candidates.findIndex((c) => c.individualId === known);
    ranks.push(i >= 0 ? i + 1 : null);
  }
  return metricsCountingMisses(model, ranks);
}
