import type { SightingsRequests } from '../../contract';
import { listSightings } from '../encounters/sightings';
import type { Backend } from './backend';
import type { HandlerGroup } from './handlers';

export function sightingsHandlers(b: Backend): HandlerGroup<keyof SightingsRequests> {
  return {
    'sightings.list': (filter) => listSightings(b.catalog, filter ?? {}),
  };
}
