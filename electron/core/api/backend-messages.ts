import type { ContractError, EventName, MediaKind } from '../../contract';
import type { MediaFile } from '../media/media';

/** Messages between `BackendThread` (caller) and `backend-worker` (the thread owning the catalog). */
export type ToWorker =
  | { t: 'request'; id: number; name: string; params: unknown }
  | { t: 'media'; id: number; kind: MediaKind; photoId: number }
  | { t: 'close'; id: number };

export type FromWorker =
  | { t: 'ready' }
  | { t: 'fatal'; error: ContractError }
  | { t: 'reply'; id: number; ok: true; result: unknown }
  | { t: 'reply'; id: number; ok: false; error: ContractError }
  | { t: 'media'; id: number; ok: true; media: MediaFile }
  | { t: 'event'; event: EventName; payload: unknown };

export interface BackendWorkerData {
  catalogFile: string;
}
