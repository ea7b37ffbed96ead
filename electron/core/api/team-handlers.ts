import type { TeamRequests } from '../../contract';
import { joinTeam, teamStatus } from '../team/join';
import { rememberTeamPassword } from '../team/session-password';
import { resolveTeamConflict } from '../team/conflicts';
import { UserError } from '../util/errors';
import type { BackendCore, HandlerGroup } from './backend-core';

export function teamHandlers(b: BackendCore): HandlerGroup<keyof TeamRequests> {
  return {
    'team.status': () => teamStatus(b.catalog),
    'team.join': async ({ url, site, password }) => {
      if (typeof url !== 'string' || !url.trim()) throw new UserError('give the team server URL (postgres://USER@HOST:PORT/DATABASE)', 'bad-request');
      if (typeof site !== 'string' || !site.trim()) throw new UserError('give this laptop\'s site name', 'bad-request');
      await joinTeam(b.catalog, { url: url.trim(), password }, site.trim());
      rememberTeamPassword(b.catalog, password);
      b.emit('catalog.changed', { topics: ['team'] });
      return teamStatus(b.catalog);
    },
    'team.sync': ({ password }) => {
      rememberTeamPassword(b.catalog, password);
      return b.jobs.start('team-sync', {});
    },
    // The curator's login is typed for this one request and kept nowhere: it is not this site's.
    'team.resolve': async ({ url, password, conflict, choice }) => {
      const r = await resolveTeamConflict({ url: url.trim(), password }, conflict, choice);
      b.emit('catalog.changed', { topics: ['team'] });
      return r;
    },
  };
}
