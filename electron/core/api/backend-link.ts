import type { EventName, Events, MediaKind, Params, RequestName, Result } from '../../contract';
import type { MediaFile } from '../media/media';

/**
 * What a shell needs from the backend, wherever it runs: the in-process `Backend` (`caudal serve`,
 * CLI) and `BackendThread` (Electron, backend on a worker thread) both satisfy it.
 */
export interface BackendLink {
  request<N extends RequestName>(name: N, params: Params<N>): Promise<Result<N>>;
  media(kind: MediaKind, photoId: number): Promise<MediaFile>;
  onEvent(listener: <E extends EventName>(event: E, payload: Events[E]) => void): () => void;
  /** Stops or checkpoints running jobs, then closes the catalog. */
  close(): Promise<void>;
}
