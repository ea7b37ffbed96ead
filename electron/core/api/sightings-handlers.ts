import type { SightingsRequests } from '../../contract';
import { listSightings } from '../encounters/sightings';
import type { BackendCore } from './backend-core';
import type { HandlerGroup } from './backend-core';

export function sightingsHandlers(b: BackendCore): HandlerGroup<keyof SightingsRequests> {
  return {
    'sightings.list': (filter) => listSightings(b.catalog, filter ?? {}),
  };
}
