import type { BackendCore, Handlers } from './backend-core';
import { catalogHandlers } from './catalog-handlers';
import { jobsHandlers } from './jobs-handlers';
import { matchingHandlers } from './matching-handlers';
import { demoHandlers } from './demo-handlers';
import { reviewHandlers } from './review-handlers';
import { trainingHandlers } from './training-handlers';
import { photosHandlers } from './photos-handlers';
import { systemHandlers } from './system-handlers';
import { exchangeHandlers } from './exchange-handlers';
import { embeddingHandlers } from './embedding-handlers';
import { sightingsHandlers } from './sightings-handlers';
import { teamHandlers } from './team-handlers';

export type { Handler, HandlerGroup, Handlers } from './backend-core';

/** Every request of the contract, answered; the mapped type makes a missing one a compile error. */
export function buildHandlers(backend: BackendCore): Handlers {
  return {
    ...catalogHandlers(backend),
    ...jobsHandlers(backend),
    ...matchingHandlers(backend),
    ...demoHandlers(backend),
    ...reviewHandlers(backend),
    ...trainingHandlers(backend),
    ...photosHandlers(backend),
    ...systemHandlers(backend),
    ...exchangeHandlers(backend),
    ...embeddingHandlers(backend),
    ...sightingsHandlers(backend),
    ...teamHandlers(backend),
  };
}
