import type { MatchingRequests } from '../../contract';
import { getSetting } from '../catalog/settings';
import { matcherFor } from '../match/matcher';
import { parseDevice } from '../vision/providers';
import type { Backend } from './backend';
import type { HandlerGroup } from './handlers';

export function matchingHandlers(b: Backend): HandlerGroup<keyof MatchingRequests> {
  return {
    // Search runs where the embeddings run: the catalog's device setting, GPU first when there is one.
    'match.annotation': ({ annotationId, top, filters }) =>
      matcherFor(b.catalog.db, { device: parseDevice(getSetting(b.catalog, 'device'), "setting 'device'") }).matchAnnotation(annotationId, top, filters),
  };
}
