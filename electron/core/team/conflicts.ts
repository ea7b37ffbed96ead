import type { TeamServerConflict } from '../../contract';
import type { Catalog } from '../store/catalog';
import type { TeamSyncStore } from '../store/team-sync';
import { openTeamServer, type TeamServer } from '../store/postgres/index';
import type { ServerLogin } from './join';

/**
 * Reports this laptop's open team conflicts to the server and applies those a curator has
 * resolved, each through the conflict's own resolution here (logged as the curator's decision,
 * at the time the curator chose). Returns how many were applied.
 */
export async function settleTeamConflicts(
  catalog: Catalog,
  local: TeamSyncStore,
  site: string,
  step: <T>(fn: (s: TeamServer) => Promise<T>) => Promise<T>,
): Promise<number> {
  const open = local.teamConflicts(site);
  if (!open.length) return 0;
  await step((s) => s.reportConflicts(site, open.map(({ key, kind, summary, options }) => ({ key, kind, summary, options }))));
  const resolved = await step((s) => s.conflicts({ keys: open.map((c) => c.key), state: 'resolved' }));
  const byKey = new Map(resolved.map((r) => [r.key, r]));
  let applied = 0;
  for (const c of open) {
    const team = byKey.get(c.key);
    const resolution = team?.choice != null ? c.here[team.choice] : undefined;
    const mine = resolution && catalog.store.bundles.conflict(c.conflictId);
    if (!team || !resolution || !mine || mine.state !== 'open') continue;
    catalog.store.bundles.resolveConflict(mine, resolution, undefined, `curator ${team.resolvedBy}`, team.resolvedAt!);
    applied++;
  }
  return applied;
}

/** The team's conflicts as the server holds them (any site or curator may read them). */
export async function listTeamConflicts(login: ServerLogin, state: 'open' | 'resolved' | 'all' = 'all'): Promise<TeamServerConflict[]> {
  const server = await openTeamServer(login.url, login);
  try {
    return await server.conflicts({ state });
  } finally {
    await server.close();
  }
}

/** Resolves a team conflict (by id or key) with one of its options; the server refuses a login that is not a curator. */
export async function resolveTeamConflict(login: ServerLogin, idOrKey: string, choice: string): Promise<TeamServerConflict> {
  const server = await openTeamServer(login.url, login);
  try {
    return await server.resolveConflict(idOrKey, choice);
  } finally {
    await server.close();
  }
}
