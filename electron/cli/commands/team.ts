import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Catalog } from '../../core/store/catalog';
import { UserError } from '../../core/util/errors';
import { addTeamSite, initTeam, joinTeam, teamStatus, type ServerLogin } from '../../core/team/join';
import { listTeamConflicts, resolveTeamConflict } from '../../core/team/conflicts';
import type { TeamSyncResult } from '../../core/team/sync';
import type { Command, CommandIO, ParsedArgs } from '../command';
import { numberOption } from '../command';
import { checkJobArgs } from '../check-args';
import { openBackend } from '../open-backend';
import { progressLines } from '../progress';

/**
 * The password: in the URL it is refused (it would land in shell history); PGPASSWORD or
 * ~/.pgpass are read by the client itself; else, at a terminal, it is asked for.
 */
async function login(args: ParsedArgs, io: CommandIO): Promise<ServerLogin> {
  const timeoutMs = timeoutOf(args);
  const url = args.values.url;
  if (typeof url !== 'string' || !url) throw new UserError('give the team server with --url postgres://USER@HOST:PORT/DATABASE', 'usage');
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UserError('--url must be postgres://USER@HOST:PORT/DATABASE', 'usage');
  }
  if (u.password) throw new UserError('leave the password out of --url: set PGPASSWORD, add it to ~/.pgpass, or type it when asked', 'usage');
  const pgpass = process.env.PGPASSFILE ?? path.join(os.homedir(), '.pgpass');
  if (process.env.PGPASSWORD !== undefined || fs.existsSync(pgpass) || !process.stdin.isTTY) return { url, timeoutMs };
  return { url, timeoutMs, password: await askPassword(`password for ${decodeURIComponent(u.username)} on ${u.host}: `, io) };
}

/** --timeout in ms, checked by the sync job's own schema for every subcommand. */
const timeoutOf = (args: ParsedArgs): number =>
  checkJobArgs('team-sync', { timeoutMs: numberOption(args, 'timeout', 15) * 1000 }, 'team', { timeoutMs: '--timeout' }).timeoutMs ?? 15_000;

function askPassword(prompt: string, io: CommandIO): Promise<string> {
  io.err(prompt);
  return new Promise((resolve) => {
    const stdin = process.stdin;
    stdin.setRawMode?.(true);
    let pw = '';
    const onData = (b: Buffer) => {
      for (const ch of b.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          stdin.setRawMode?.(false);
          stdin.off('data', onData);
          stdin.pause();
          resolve(pw);
          return;
        }
        if (ch === '\u0003') process.exit(130);
        pw = ch === '\u007f' ? pw.slice(0, -1) : pw + ch;
      }
    };
    stdin.on('data', onData);
    stdin.resume();
  });
}

const withCatalog = async <T>(args: ParsedArgs, fn: (c: Catalog) => Promise<T>): Promise<T> => {
  const c = Catalog.open(args.catalog, { mustExist: true });
  try {
    return await fn(c);
  } finally {
    c.close();
  }
};

function humanSync(r: TeamSyncResult): string {
  return [
    `site ${r.site}: pushed ${r.pushed.rows} rows in ${r.pushed.batches} batches (${r.pushed.bytes} bytes); pulled ${r.pulled.rows} rows in ${r.pulled.batches} pushes (${r.pulled.bytes} bytes)`,
    `pulled: ${r.pulled.added} added, ${r.pulled.duplicate} already here, ${r.pulled.conflicts} new conflicts`,
    ...r.renamed.map((x) => `individual ${x.id} is now ${x.code} (team code)`),
    ...(r.embedJob !== null ? [`${r.toEmbed} pulled annotations had no vector of this laptop's model: embed job ${r.embedJob}${'embedded' in r ? ` embedded ${(r as { embedded?: number }).embedded}` : ' queued'}`] : []),
    ...(r.resolvedByCurator ? [`${r.resolvedByCurator} conflicts resolved by the team's curator were applied`] : []),
    `open conflicts ${r.openConflicts}${r.openConflicts ? ': listed by caudal team conflicts; the team\'s curator resolves them (caudal team resolve)' : ''}; pending ${r.pending}`,
  ].join('\n');
}

/**
 * The sync job, then the embed job it queued for pulled annotations this laptop's model has no
 * vector of: the command returns when they are matchable. The sync stands if embedding fails.
 */
async function syncThenEmbed(args: ParsedArgs, io: CommandIO, timeoutMs: number | undefined): Promise<TeamSyncResult & { embedded?: number }> {
  // The job kind's schema, as a queued job's params are checked (a bad --timeout is a usage error).
  const params = checkJobArgs('team-sync', { timeoutMs }, 'team', { timeoutMs: '--timeout' });
  const b = openBackend(path.resolve(args.catalog), io);
  try {
    const r: TeamSyncResult & { embedded?: number } = await b.jobs.run('team-sync', params, progressLines(io, 'team-sync'));
    if (r.embedJob !== null) {
      try {
        r.embedded = (await b.jobs.awaitResult(r.embedJob, 'embed', progressLines(io, 'embed'))).embedded;
      } catch (e) {
        io.err(`embedding the ${r.toEmbed} pulled annotations failed (${(e as Error).message}); the sync itself is done: run caudal embed --catalog ${args.catalog} to retry`);
      }
    }
    return r;
  } finally {
    await b.close();
  }
}

export const teamCommand: Command = {
  name: 'team',
  summary: 'Team catalog on a PostgreSQL server: init (owner), add-site (owner), join, sync, status, conflicts, resolve (curator).',
  usage:
    'team init|add-site|join|sync|status|conflicts|resolve [--url postgres://USER@HOST:PORT/DB] [--site NAME] [--role ROLE] [--curator] [--conflict ID|KEY --choose VALUE] [--catalog FILE] [--json]',
  options: {
    url: { type: 'string', description: 'the team server (no password: PGPASSWORD, ~/.pgpass or a prompt)', valueName: 'URL' },
    site: { type: 'string', description: 'this laptop\'s site name (join, add-site)', valueName: 'NAME' },
    role: { type: 'string', description: 'the site\'s login role (add-site)', valueName: 'ROLE' },
    curator: { type: 'boolean', description: 'add-site: make ROLE a curator (resolves conflicts) instead of a site' },
    timeout: { type: 'string', description: 'seconds to wait for the server per step (default 15)', valueName: 'S' },
    conflict: { type: 'string', description: 'resolve: the team conflict, by id or key (caudal team conflicts)', valueName: 'ID' },
    choose: { type: 'string', description: 'resolve: one of the conflict\'s options (an individual\'s site/id, same-animal, different-animals, or a value)', valueName: 'VALUE' },
    state: { type: 'string', description: 'conflicts --url: open, resolved or all (default open)', valueName: 'STATE' },
  },
  async run(args, io) {
    const sub = args.positionals[0];
    timeoutOf(args); // a bad --timeout is said before anything is opened or asked
    const str = (k: string) => {
      const v = args.values[k];
      if (typeof v !== 'string' || !v) throw new UserError(`team ${sub} needs --${k}`, 'usage');
      return v;
    };
    switch (sub) {
      case 'init': {
        const r = await initTeam(await login(args, io));
        return { schemaVersion: r.to, upgradedFrom: r.from };
      }
      case 'add-site': {
        const curator = Boolean(args.values.curator);
        await addTeamSite(await login(args, io), curator ? '' : str('site'), str('role'), curator);
        return { added: curator ? `curator ${str('role')}` : `site ${str('site')} (role ${str('role')})` };
      }
      case 'join':
        return withCatalog(args, async (c) => joinTeam(c, await login(args, io), str('site')));
      case 'sync':
      {
        const link = await withCatalog(args, async (c) => teamStatus(c));
        if (!link.linked) throw new UserError(`${path.resolve(args.catalog)} is not linked to a team: run caudal team join --url ... --site NAME first`, 'team-not-joined');
        const pw = await login({ ...args, values: { ...args.values, url: link.serverUrl! } }, io);
        // A typed password reaches the client through this process's environment only: never a job's params (they are saved in the catalog).
        if (pw.password !== undefined) process.env.PGPASSWORD = pw.password;
        return syncThenEmbed(args, io, pw.timeoutMs);
      }
      case 'status':
        return withCatalog(args, async (c) => teamStatus(c));
      case 'conflicts': {
        // With --url: the team's list on the server (what the curator works from); else this catalog's, offline.
        if (args.values.url === undefined) return withCatalog(args, async (c) => teamStatus(c).teamConflicts);
        const state = (args.values.state as string | undefined) ?? 'open';
        if (!['open', 'resolved', 'all'].includes(state)) throw new UserError(`--state is open, resolved or all, not '${state}'`, 'usage');
        return listTeamConflicts(await login(args, io), state as 'open' | 'resolved' | 'all');
      }
      case 'resolve':
        return resolveTeamConflict(await login(args, io), str('conflict'), str('choose'));
      default:
        throw new UserError(`team needs one of init, add-site, join, sync, status, conflicts, resolve (got ${sub ? `'${sub}'` : 'nothing'})`, 'usage');
    }
  },
  human(r: unknown) {
    if (r && typeof r === 'object' && 'pushed' in r) return humanSync(r as TeamSyncResult);
    return JSON.stringify(r, null, 2);
  },
};
