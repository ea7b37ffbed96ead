import type { TeamStatusInfo } from '../../contract';
import type { Catalog } from '../store/catalog';
import { teamSyncStore, type TeamLink } from '../store/team-sync';
import { initTeamServer, openTeamServer, redactUrl, registerSite } from '../store/postgres/index';
import { UserError } from '../util/errors';

export interface ServerLogin {
  url: string;
  password?: string;
  timeoutMs?: number;
}

/** Creates or upgrades the team schema (as the database's owner). */
export const initTeam = (login: ServerLogin) => initTeamServer(login.url, login);

/** Registers a site's login role (as the owner); with curator, makes the role a curator instead. */
export const addTeamSite = (login: ServerLogin, site: string, role: string, curator = false) => registerSite(login.url, site, role, { ...login, curator });

/**
 * Links the catalog to the team as `site`: the login must be that site's role. The URL is stored
 * without its password. Every row the catalog holds is then pending for the first push.
 */
export async function joinTeam(catalog: Catalog, login: ServerLogin, site: string): Promise<TeamLink> {
  const local = teamSyncStore(catalog);
  const where = redactUrl(login.url);
  const before = local.link();
  if (before && (before.site !== site || before.serverUrl !== where))
    throw new UserError(`${catalog.file} is already linked to ${before.serverUrl} as site ${before.site}; a catalog belongs to one team site`, 'bad-request');
  const server = await openTeamServer(login.url, login);
  try {
    const mine = await server.mySite();
    if (mine !== site)
      throw new UserError(
        mine ? `the login in ${server.where} is the role of site ${mine}, not ${site}` : `site ${site} is not registered for this login on ${server.where}: the team's owner runs caudal team add-site --site ${site} --role <this login>`,
        'team-forbidden',
      );
  } finally {
    await server.close();
  }
  if (!before) local.join(where, site);
  return local.link()!;
}


/** What the Settings screen and `caudal team status` show; reads only this catalog (works offline). */
export function teamStatus(catalog: Catalog): TeamStatusInfo {
  const local = teamSyncStore(catalog);
  const link = local.link();
  return {
    linked: Boolean(link),
    serverUrl: link?.serverUrl ?? null,
    site: link?.site ?? null,
    lastSyncAt: link?.lastSyncAt ?? null,
    lastError: link?.lastError ?? null,
    pending: link ? local.pendingCount() : 0,
    openConflicts: local.openConflicts(),
    teamConflicts: link ? local.teamConflicts(link.site).map(({ conflictId, key, kind, summary, options }) => ({ conflictId, key, kind, summary, options })) : [],
  };
}
