import type { NameSet, RequestSpec } from './define';
import type { JobInfo } from './jobs';

/** The `device` setting's values (see electron/core/vision/execution-providers.ts). */
export type DeviceChoice = 'auto' | 'cpu' | 'gpu' | 'cuda' | 'dml' | 'coreml' | 'webgpu';
export type ProviderName = 'cpu' | 'cuda' | 'dml' | 'coreml' | 'webgpu';

export interface EmbeddingStatus {
  /** The `device` setting. */
  device: DeviceChoice;
  /** The execution provider embeddings run on: the one last used in this session, else the one a run would start on. */
  provider: ProviderName;
  providerSource: 'used' | 'planned';
  /** Providers this onnxruntime build and machine offer, best first (CPU always). */
  available: ProviderName[];
  /** E.g. a GPU provider that failed and fell back to CPU. */
  warnings: string[];
  /** The active model (null before the first embedding run). */
  model: string | null;
  /** Annotations with a vector for the active model, of all annotations. */
  embedded: number;
  total: number;
  /** The embed job queued or running, if any. */
  job: JobInfo | null;
}

export interface EmbeddingRequests {
  'embedding.status': RequestSpec<Record<string, never>, EmbeddingStatus>;
  /** Starts the embed job (features, then the active model's vectors, for annotations lacking them). */
  'embedding.start': RequestSpec<{ device?: DeviceChoice; views?: number }, JobInfo>;
}

export const embeddingRequestNames = {
  'embedding.status': true,
  'embedding.start': true,
} as const satisfies NameSet<EmbeddingRequests>;
