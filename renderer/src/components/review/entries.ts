import type { CandidateView, ReviewItem } from '../../../../electron/contract';

export type Entry =
  | { kind: 'candidate'; candidate: CandidateView }
  | { kind: 'new'; probability: number; rank: number; calibrated: boolean; note?: string };

/**
 * The list as shown: candidates by rank, with "new individual" at the rank its calibrated
 * probability earns against the candidates' (the matcher's `newIndividual.rank`).
 */
export function entriesOf(item: ReviewItem | undefined): Entry[] {
  if (!item) return [];
  const list: Entry[] = [...item.candidates].sort((a, b) => a.rank - b.rank).map((candidate) => ({ kind: 'candidate', candidate }));
  const n = item.match?.newIndividual;
  const newRank = n?.rank ?? 1;
  const at = Math.max(0, Math.min(list.length, newRank - 1));
  list.splice(at, 0, { kind: 'new', probability: n?.probability ?? 1, rank: newRank, calibrated: n?.calibrated ?? false, note: n?.note });
  return list;
}

/** New individual's own key: it is never reached by a number, so a number always means a candidate's rank. */
export const NEW_KEY = 'N';

/** The key of an entry: a candidate's rank (1-9, then 0 for the 10th), N for a new individual. */
export function keyOf(e: Entry): string {
  if (e.kind === 'new') return NEW_KEY;
  const r = e.candidate.rank;
  return r <= 9 ? String(r) : r === 10 ? '0' : '';
}

/** The entry a number key selects: the candidate of that rank (0 = rank 10), or -1. */
export function indexOfKey(entries: Entry[], key: string): number {
  const rank = key === '0' ? 10 : Number(key);
  return entries.findIndex((e) => e.kind === 'candidate' && e.candidate.rank === rank);
}

/** What is selected until the reviewer chooses: the best candidate, never "new individual" (null: no candidate). */
export function defaultSelection(entries: Entry[]): number | null {
  const i = entries.findIndex((e) => e.kind === 'candidate');
  return i < 0 ? null : i;
}
