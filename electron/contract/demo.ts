import type { NameSet, RequestSpec } from './define';
import type { JobInfoOf } from './jobs';

/** What `caudal demo` and "Try with sample data" run (job kind 'demo'). */
export interface DemoParams {
  /** A labelled folder (labels.csv: image,individual[,side][,sighting]); default: generated flukes. */
  dataset?: string;
  /** Size of the generated set (ignored with `dataset`). */
  individuals?: number;
  photos?: number;
  seed?: number;
  /** Fine-tuning: epochs and divide-and-conquer learners. */
  epochs?: number;
  learners?: number;
}

/** Retrieval of the held-out (latest) sightings against the catalog: the evaluation protocol's metrics. */
export interface DemoMetrics {
  model: string;
  queries: number;
  rank1: number;
  map5: number;
  top5: number;
}

export interface DemoResult {
  catalog: string;
  dataset: string;
  synthetic: boolean;
  photos: number;
  individuals: number;
  split: { catalog: number; review: number; holdout: number; newcomers: number };
  review: { decisions: number; confirmed: number; created: number; rank1: number; top5: number; reviewer: string };
  before: DemoMetrics;
  after: DemoMetrics;
  improved: boolean;
  model: { id: string; activated: boolean };
  /** Seconds per stage. */
  timings: Record<string, number>;
  seconds: number;
  /** How to look at the result. */
  open: string;
}

export interface DemoRequests {
  /** Starts the whole loop on sample data in the open (empty) catalog, as a job with progress. */
  'demo.start': RequestSpec<DemoParams, JobInfoOf<'demo', DemoResult>>;
}

export const demoRequestNames = {
  'demo.start': true,
} as const satisfies NameSet<DemoRequests>;
