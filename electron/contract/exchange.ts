import type { NameSet, RequestSpec } from './define';
import type { JobInfoOf } from './jobs';

export type ExportKind = 'sightings' | 'dwca' | 'wildbook' | 'folders' | 'bundle';
export const exportKinds: readonly ExportKind[] = ['sightings', 'dwca', 'wildbook', 'folders', 'bundle'];

export interface ExportOptions {
  /** bundle: also pack cached thumbnails (rebuilt on demand otherwise). */
  thumbnails?: boolean;
  /** bundle: also pack photos the catalog only references (on by default: the other laptop lacks them). */
  originals?: boolean;
  /** dwca: public base URL of the photos; without it the photos travel inside the archive. */
  mediaBaseUrl?: string;
  /**
   * Create the output folder when it does not exist. Off by default: a mistyped path must not
   * quietly become a new folder (the app asks first, the CLI wants --mkdir).
   */
  mkdir?: boolean;
}

/** Something an export left out: `what` is the photo's file name; `photoId` lets the app open it. */
export interface ExportSkip {
  what: string;
  reason: string;
  photoId?: number;
  encounterId?: number | null;
  /** Why, as a key the app can act on: `no-date` (give its encounter a date), `missing-file`. */
  cause?: 'no-date' | 'missing-file';
}

/** What an export job returns (and `caudal export --json` prints). */
export interface ExportResult {
  kind: ExportKind;
  /** The file or folder written. */
  out: string;
  /** Main files inside `out` (or `out` itself), for "show me where it went". */
  files: string[];
  /** Rows written (occurrences, spreadsheet rows, individuals with a folder, bundle tables). */
  rows: number;
  photos: number;
  /** Things left out, with why (e.g. an occurrence without a date, a photo missing on disk). */
  skipped: ExportSkip[];
  /** What the person should know about what was written (e.g. no species set: no scientificName). */
  warnings?: string[];
  bytes?: number;
}

export interface MergeCounts {
  individuals: number;
  encounters: number;
  photos: number;
  annotations: number;
  decisions: number;
  models: number;
  embeddings: number;
  features: number;
}

/** What a merge or identity import returns (and `caudal merge --json` prints). */
export interface MergeResult {
  mergeId: number;
  source: string;
  added: MergeCounts;
  duplicate: MergeCounts;
  conflicts: { total: number; annotation: number; code: number; attribute: number };
  /** Identity imports: rows that named a photo this catalog does not hold. */
  unmatched?: number;
}

export type ConflictKind = 'annotation' | 'code' | 'attribute';
export type ConflictResolution = 'keep-local' | 'take-incoming' | 'same-animal' | 'different-animals';

export interface MergeConflict {
  id: number;
  mergeId: number;
  source: string;
  kind: ConflictKind;
  state: 'open' | 'resolved';
  annotationId: number | null;
  photoId: number | null;
  local: { individualId: number | null; code: string | null; value: string | null };
  incoming: { individualId: number | null; code: string | null; value: string | null };
  field: string | null;
  /** A sentence for the person, naming the photo and the codes. */
  summary: string;
  details: Record<string, unknown>;
  resolution: ConflictResolution | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  createdAt: string;
}

export interface ExchangeRequests {
  'export.start': RequestSpec<ExportJobParams, JobInfoOf<'export', ExportResult>>;
  'merge.start': RequestSpec<{ bundle: string }, JobInfoOf<'merge', MergeResult>>;
  /** Identities from a sightings CSV (Caudal's own) or a Wildbook export (.xlsx or .csv). */
  'identities.import': RequestSpec<IdentitiesImportParams, JobInfoOf<'identities-import', MergeResult>>;
  'conflicts.list': RequestSpec<{ state?: 'open' | 'resolved' | 'all' }, MergeConflict[]>;
  /** `newCode` renames the incoming individual when a code turned out to name two animals. */
  'conflicts.resolve': RequestSpec<{ id: number; resolution: ConflictResolution; newCode?: string }, MergeConflict>;
}

export const exchangeRequestNames = {
  'export.start': true,
  'merge.start': true,
  'identities.import': true,
  'conflicts.list': true,
  'conflicts.resolve': true,
} as const satisfies NameSet<ExchangeRequests>;

export interface ExportJobParams {
  kind: ExportKind;
  out: string;
  options?: ExportOptions;
}

export interface IdentitiesImportParams {
  file: string;
  format: 'sightings' | 'wildbook';
}
