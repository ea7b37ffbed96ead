import type { CandidateView, ReviewItem } from '../../../../electron/contract';

export type Entry = { kind: 'candidate'; candidate: CandidateView } | { kind: 'new'; probability: number; rank: number };

/** The list as shown: candidates by rank, with "new individual" at the rank the matcher gave it. */
export function entriesOf(item: ReviewItem | undefined): Entry[] {
  if (!item) return [];
  const list: Entry[] = [...item.candidates].sort((a, b) => a.rank - b.rank).map((candidate) => ({ kind: 'candidate', candidate }));
  const newRank = item.match?.newIndividual.rank ?? 1;
  const at = Math.max(0, Math.min(list.length, newRank - 1));
  list.splice(at, 0, { kind: 'new', probability: item.match?.newIndividual.probability ?? 1, rank: newRank });
  return list;
}
