import type { NameSet, RequestSpec } from './define';
import type { JobInfoOf } from './jobs';

/** The `device` setting's values (see electron/core/vision/execution-providers.ts). */
export type DeviceChoice = 'auto' | 'cpu' | 'gpu' | 'cuda' | 'dml' | 'coreml' | 'webgpu';
export type ProviderName = 'cpu' | 'cuda' | 'dml' | 'coreml' | 'webgpu';

/**
 * The one list of device choices: the sidebar and the Settings screen both offer exactly these,
 * and the backend accepts exactly these. `provider` is the onnxruntime provider a choice needs
 * (absent: it picks among what is available).
 */
export const deviceChoices: ReadonlyArray<{ value: DeviceChoice; label: string; provider?: ProviderName }> = [
  { value: 'auto', label: 'Automatic' },
  { value: 'cpu', label: 'CPU', provider: 'cpu' },
  { value: 'gpu', label: 'Any GPU' },
  { value: 'cuda', label: 'CUDA (NVIDIA GPU)', provider: 'cuda' },
  { value: 'dml', label: 'DirectML (Windows GPU)', provider: 'dml' },
  { value: 'coreml', label: 'Core ML (macOS)', provider: 'coreml' },
  { value: 'webgpu', label: 'WebGPU (experimental)', provider: 'webgpu' },
];

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
  job: JobInfoOf<'embed', EmbedResult> | null;
}

export interface EmbeddingRequests {
  'embedding.status': RequestSpec<Record<string, never>, EmbeddingStatus>;
  /** Starts the embed job (features, then the active model's vectors, for annotations lacking them). */
  'embedding.start': RequestSpec<{ device?: DeviceChoice; views?: number }, JobInfoOf<'embed', EmbedResult>>;
}

export const embeddingRequestNames = {
  'embedding.status': true,
  'embedding.start': true,
} as const satisfies NameSet<EmbeddingRequests>;

/** Job kind 'embed': features and the active model's vectors for the annotations lacking them. */
export interface EmbedJobParams {
  device?: DeviceChoice;
  views?: number;
  batchSize?: number;
  modelsDir?: string;
  backbone?: string;
}

export interface EmbedResult {
  embedded: number;
  model: string;
  executionProvider: ProviderName;
  seconds: number;
  /** Annotations whose photo could not be read (missing, unreadable); they stay unembedded. */
  failed: number;
  warnings: string[];
}
