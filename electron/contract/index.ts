/**
 * The one contract between the UI and the backend. Main (IPC), the preload, the browser-mode
 * server and the renderer's client all import it; nothing here may import Node or DOM code.
 * A feature adds its own file (requests, names, events) and one line in each list below.
 */
import type { RequestSpec } from './define';
import { catalogRequestNames, type CatalogRequests } from './catalog';
import { jobsRequestNames, type JobsEvents, type JobsRequests, type TopicOf } from './job-kinds';
import { matchingRequestNames, type MatchingRequests } from './matching';
import { demoRequestNames, type DemoRequests } from './demo';
import { reviewRequestNames, type ReviewRequests } from './review';
import { trainingRequestNames, type TrainingEvents, type TrainingRequests } from './training';
import { photosRequestNames, type PhotosRequests } from './photos';
import { systemRequestNames, type SystemEvents, type SystemRequests } from './system';
import { exchangeRequestNames, type ExchangeRequests } from './exchange';
import { embeddingRequestNames, type EmbeddingRequests } from './embedding';
import { sightingsRequestNames, type SightingsRequests } from './sightings';
import { teamRequestNames, type TeamRequests } from './team';

export * from './define';
export * from './catalog';
export * from './jobs';
export * from './job-kinds';
export * from './matching';
export * from './review';
export * from './training';
export * from './photos';
export * from './system';
export * from './demo';
export * from './exchange';
export * from './embedding';
export * from './sightings';
export * from './team';

export interface Requests
  extends CatalogRequests,
    JobsRequests,
    MatchingRequests,
    ReviewRequests,
    PhotosRequests,
    SystemRequests,
    ExchangeRequests,
    EmbeddingRequests,
    SightingsRequests,
    TrainingRequests,
    DemoRequests,
    TeamRequests {}

export interface Events extends JobsEvents, SystemEvents, TrainingEvents {
  /** Something in the catalog changed: screens showing `topics` refetch. */
  'catalog.changed': { topics: CatalogTopic[] };
}

export type RequestName = keyof Requests;
export type EventName = keyof Events;
/** A 'catalog.changed' topic: a request name, a request group (its prefix) or '*'. */
export type CatalogTopic = TopicOf<RequestName>;
export type Params<N extends RequestName> = Requests[N] extends RequestSpec<infer P, unknown> ? P : never;
export type Result<N extends RequestName> = Requests[N] extends RequestSpec<unknown, infer R> ? R : never;

export const requestNames: Readonly<Record<RequestName, true>> = {
  ...catalogRequestNames,
  ...jobsRequestNames,
  ...matchingRequestNames,
  ...demoRequestNames,
  ...reviewRequestNames,
  ...trainingRequestNames,
  ...photosRequestNames,
  ...systemRequestNames,
  ...exchangeRequestNames,
  ...embeddingRequestNames,
  ...sightingsRequestNames,
  ...teamRequestNames,
};

export const isRequestName = (n: unknown): n is RequestName =>
  typeof n === 'string' && Object.prototype.hasOwnProperty.call(requestNames, n);

/** The object the preload exposes as `window.caudal` and the browser bridge imitates. */
export interface CaudalBridge {
  request<N extends RequestName>(name: N, params: Params<N>): Promise<Result<N>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
  /** URL of a catalog image: kind `thumb` (grid), `preview` (large) or `full`; ids only, never paths. */
  mediaUrl(kind: MediaKind, photoId: number): string;
  transport: 'ipc' | 'http';
}

export type MediaKind = 'thumb' | 'preview' | 'full';
export const mediaKinds: readonly MediaKind[] = ['thumb', 'preview', 'full'];
export const IPC_REQUEST_CHANNEL = 'caudal:request';
export const IPC_EVENT_CHANNEL = 'caudal:event';
export const MEDIA_SCHEME = 'caudal-media';
