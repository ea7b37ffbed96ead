import type { ConflictResolution, MergeConflict } from '../../contract';
import type { Catalog } from '../store/catalog';
import { getSetting } from '../catalog/settings';
import { UserError } from '../util/errors';
import { nowIso } from '../util/time';

export function listConflicts(catalog: Catalog, state: 'open' | 'resolved' | 'all' = 'open'): MergeConflict[] {
  return catalog.store.bundles.conflicts(state);
}

export function getConflict(catalog: Catalog, id: number): MergeConflict {
  const c = catalog.store.bundles.conflict(id);
  if (!c) throw new UserError(`no conflict ${id}`, 'not-found');
  return c;
}

const allowed: Record<MergeConflict['kind'], ConflictResolution[]> = {
  annotation: ['keep-local', 'take-incoming'],
  code: ['same-animal', 'different-animals'],
  attribute: ['keep-local', 'take-incoming'],
};

/**
 * Applies a person's decision. Every change to an identification is logged in the decision log
 * (with the conflict id in details, so it can be traced and undone like any review decision).
 */
export function resolveConflict(catalog: Catalog, id: number, resolution: ConflictResolution, newCode?: string): MergeConflict {
  const c = getConflict(catalog, id);
  if (c.state === 'resolved') throw new UserError(`conflict ${id} is already resolved (${c.resolution})`, 'bad-request');
  if (!allowed[c.kind].includes(resolution)) throw new UserError(`a '${c.kind}' conflict is resolved with ${allowed[c.kind].join(' or ')}, not '${resolution}'`, 'bad-request');
  catalog.store.bundles.resolveConflict(c, resolution, newCode, getSetting(catalog, 'reviewer') || null, nowIso());
  return getConflict(catalog, id);
}
