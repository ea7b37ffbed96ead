import type { NameSet, RequestSpec } from './define';
import type { Candidate, MatchResult } from './matching';
import type { Box } from './photos';

/** One annotation as the screens draw it: enough to crop its box out of any rendition. */
export interface AnnotationView {
  annotationId: number;
  photoId: number;
  /** Full-resolution size of the photo as displayed; the box is in these pixels. */
  width: number;
  height: number;
  box: Box;
  bodyPart: string;
  side: string | null;
  takenAt: string | null;
  encounterId: number | null;
  encounterCode: string | null;
  originalName: string;
}

export type QueueOrder = 'encounter' | 'confidence';

export interface ReviewQueue {
  items: Array<AnnotationView & { skipped: boolean; bestScore: number | null }>;
  /** Annotations with an individual / still without one (skipped included) / skipped. */
  done: number;
  left: number;
  skipped: number;
  offset: number;
  order: QueueOrder;
}

/** A match candidate as the review screen draws it: the match's fields, its evidence as crops. */
export interface CandidateView extends Omit<Candidate, 'evidence'> {
  /** The gallery annotation that matched best. */
  best: AnnotationView;
  /** The individual's other photos, newest first. */
  others: AnnotationView[];
  /** Photos of the individual in the catalog. */
  photoCount: number;
}

export interface ReviewItem {
  query: AnnotationView;
  individualId: number | null;
  match: Omit<MatchResult, 'candidates'> | null;
  candidates: CandidateView[];
  /** Why there are no candidates (no model, not embedded yet), for the person. */
  matchError: string | null;
  /** Other unidentified annotations of the query's encounter (same body part) that encounter matching would add. */
  encounterMates: number;
  /** Whether these candidates come from the whole encounter queried together. */
  encounter: boolean;
}

export type DecisionKind = 'confirm' | 'reject' | 'new' | 'skip' | 'unassign' | 'merge' | 'split' | 'rename';

export interface DecisionInfo {
  id: number;
  annotationId: number;
  individualId: number | null;
  individualCode: string | null;
  decision: DecisionKind;
  reviewer: string | null;
  modelId: string | null;
  rank: number | null;
  score: number | null;
  details: Record<string, unknown> | null;
  createdAt: string;
  undoneAt: string | null;
}

export interface DecideParams {
  annotationId: number;
  action: 'confirm' | 'reject' | 'new' | 'skip';
  /** The candidate confirmed or rejected. */
  individualId?: number;
  /** Where the candidate (or the "new individual" choice) stood in the list shown, and its score. */
  rank?: number;
  score?: number;
  modelId?: string;
}

export interface DecideResult {
  decision: DecisionInfo;
  /** The individual the annotation now belongs to (confirm, new). */
  individual: { id: number; code: string } | null;
}

export interface IndividualListItem {
  id: number;
  code: string;
  name: string | null;
  /** The representative photo: best quality, then newest. */
  cover: AnnotationView | null;
  photos: number;
  /** Distinct encounters (photos without one count singly). */
  sightings: number;
  lastSeen: string | null;
}

export interface IndividualPage {
  individual: { id: number; code: string; name: string | null; sex: string | null; notes: string | null; createdAt: string; mergedInto: number | null; mergedIntoCode: string | null };
  photos: AnnotationView[];
  encounters: Array<{ encounterId: number | null; code: string | null; start: string | null; location: string | null; photos: number }>;
  history: DecisionInfo[];
}

export interface ReviewRequests {
  /** Unidentified annotations in review order, a page at a time, with the counts. */
  'review.queue': RequestSpec<{ offset?: number; limit?: number }, ReviewQueue>;
  /** Everything the workbench shows for one query: the query, its ranked candidates with their photos. */
  /** `anySide`: candidates of every side and body part (default: the query's only); `encounter`: the query's encounter matched as one animal. */
  'review.item': RequestSpec<{ annotationId: number; top?: number; anySide?: boolean; encounter?: boolean }, ReviewItem>;
  'review.decide': RequestSpec<DecideParams, DecideResult>;
  /** Undoes a decision (default: the latest one not yet undone) and everything logged with it. */
  'review.undo': RequestSpec<{ decisionId?: number }, { undone: DecisionInfo[] }>;
  'individuals.list': RequestSpec<{ search?: string; offset?: number; limit?: number }, { total: number; offset: number; items: IndividualListItem[] }>;
  'individuals.get': RequestSpec<{ id: number }, IndividualPage>;
  'individuals.rename': RequestSpec<{ id: number; name: string }, { decision: DecisionInfo | null }>;
  /** Moves every photo of `sourceId` to `targetId`; the source is kept, marked merged_into. */
  'individuals.merge': RequestSpec<{ sourceId: number; targetId: number }, { decisions: DecisionInfo[] }>;
  /** Moves one annotation out to another individual, or to a new one when `toIndividualId` is absent. */
  'individuals.split': RequestSpec<{ annotationId: number; toIndividualId?: number }, DecideResult>;
}

export const reviewRequestNames = {
  'review.queue': true,
  'review.item': true,
  'review.decide': true,
  'review.undo': true,
  'individuals.list': true,
  'individuals.get': true,
  'individuals.rename': true,
  'individuals.merge': true,
  'individuals.split': true,
} as const satisfies NameSet<ReviewRequests>;
