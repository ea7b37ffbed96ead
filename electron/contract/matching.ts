import type { NameSet, RequestSpec } from './define';

/** What a query is matched against. Defaults are what a photo-ID reviewer expects. */
export interface MatchFilters {
  /** Only annotations of the query's side (default true; no effect when the query has no side). */
  sameSide?: boolean;
  /** Only annotations of the query's body part (default true). */
  sameBodyPart?: boolean;
  /** Explicit side / body part, overriding the query's. */
  side?: string;
  bodyPart?: string;
  /** ISO dates (inclusive) on the gallery photo's capture time. */
  from?: string;
  to?: string;
  /** Gallery photos (or their encounters) within `km` of a point. */
  near?: { lat: number; lon: number; km: number };
  /** Leave out individuals already rejected for this query (default true). */
  excludeRejected?: boolean;
  /** Leave out the query's own encounter (default true). */
  excludeOwnEncounter?: boolean;
}

export interface CandidateEvidence {
  annotationId: number;
  photoId: number;
  score: number;
}

export interface Candidate {
  rank: number;
  individualId: number;
  code: string;
  name: string | null;
  /** Cosine similarity of the best-matching gallery annotation. */
  score: number;
  /** Calibrated P(the query shows this individual), comparable with `newIndividual.probability`; absent when the catalog is too small to estimate. */
  probability?: number;
  /** Best-matching annotations of this individual, best first. */
  evidence: CandidateEvidence[];
}

export interface MatchResult {
  annotationId: number;
  modelId: string;
  candidates: Candidate[];
  /**
   * Estimated probability that the animal is not in the catalog, and its place in the list (1-based:
   * before the first candidate less probable than it). `calibrated` false: the catalog's prior,
   * with `note` saying why (e.g. not enough confirmed individuals to estimate).
   */
  newIndividual: { probability: number; rank: number; calibrated?: boolean; note?: string };
}

export interface MatchingRequests {
  /** `encounter`: query it together with the other unidentified annotations of its encounter (one animal). */
  'match.annotation': RequestSpec<{ annotationId: number; top?: number; filters?: MatchFilters; encounter?: boolean }, MatchResult>;
}

export const matchingRequestNames = {
  'match.annotation': true,
} as const satisfies NameSet<MatchingRequests>;
