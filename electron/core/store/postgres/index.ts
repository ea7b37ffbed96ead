import { connectServer, type ServerConnection, type ServerOptions } from './connect';
import { applyTeamMigrations, checkTeamSchema } from './migrate';
import { addSite, currentSite, grantCurator, listSites, takeSequence, teamActiveModel, type SiteInfo } from './sites';
import { nextSequence, readPush, rowsByKeys, writePush } from './changes';
import { listConflicts, reportConflicts, resolveConflict, type ConflictReport } from './conflicts';
import type { TeamServerConflict } from '../../../contract';
import type { ParentTable, TeamBatch, TeamKey } from '../team-rows';

export type { SiteInfo } from './sites';
export type { ConflictReport } from './conflicts';
export { redactUrl, serverError } from './connect';
import { serverError as toUserError } from './connect';

/**
 * The team catalog on PostgreSQL, as domain operations (the SQL is in this folder). The sync
 * engine (core/team) calls these and never writes SQL itself.
 */
export interface TeamServer {
  /** The URL without its password. */
  readonly where: string;
  /** The site this login writes as; null when the owner has not registered it. */
  mySite(): Promise<string | null>;
  sites(): Promise<SiteInfo[]>;
  /** Writes one push of `site` in one server transaction; returns its sequence number and the team codes given. */
  push(site: string, batch: TeamBatch): Promise<{ seq: number; renamed: Map<number, string> }>;
  /** The team's active model, set by the first proposal. */
  activeModel(proposal: string | null): Promise<string | null>;
  /** The next push of `site` after sequence `after`, or null when there is none yet. */
  nextPush(site: string, after: number): Promise<number | null>;
  /** One push's rows, with the rows they point at that `puller` (a site) may not hold. */
  readPush(site: string, seq: number, model: string | null, puller: string): Promise<TeamBatch>;
  /** Rows of a table by team key (the parents a puller found it lacks after all). */
  rows<T extends ParentTable>(table: T, keys: TeamKey[]): Promise<Array<TeamBatch[T][number]>>;
  /** Reports conflicts met by this site (one already reported stays as it is). */
  reportConflicts(site: string, reports: ConflictReport[]): Promise<void>;
  conflicts(opts?: { keys?: string[]; state?: 'open' | 'resolved' | 'all' }): Promise<TeamServerConflict[]>;
  /** Marks a team conflict (by id or key) resolved with one of its options: the curator's right only. */
  resolveConflict(idOrKey: string, choice: string): Promise<TeamServerConflict>;
  close(): Promise<void>;
}

/** Connects as a site (or curator) and checks the team schema's version. */
export async function openTeamServer(url: string, opts: ServerOptions = {}): Promise<TeamServer> {
  const conn = await connectServer(url, opts);
  try {
    await guard(conn, () => checkTeamSchema(conn.client, conn.where));
  } catch (e) {
    await conn.close();
    throw e;
  }
  return {
    where: conn.where,
    mySite: () => guard(conn, () => currentSite(conn.client)),
    sites: () => guard(conn, () => listSites(conn.client)),
    push: (site, batch) =>
      conn.transaction(async (c) => {
        const seq = await takeSequence(c, site);
        return { seq, renamed: await writePush(c, site, seq, batch) };
      }),
    activeModel: (proposal) => guard(conn, () => teamActiveModel(conn.client, proposal)),
    nextPush: (site, after) => guard(conn, () => nextSequence(conn.client, site, after)),
    // One snapshot: the push and the rows it points at are read as of one moment.
    readPush: (site, seq, model, puller) =>
      conn.transaction(async (c) => {
        await c.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
        return readPush(c, site, seq, model, puller);
      }),
    rows: <T extends ParentTable>(table: T, keys: TeamKey[]) => guard(conn, () => rowsByKeys<TeamBatch[T][number]>(conn.client, table, keys)),
    reportConflicts: (site, reports) => conn.transaction((c) => reportConflicts(c, site, reports)),
    conflicts: (opts) => guard(conn, () => listConflicts(conn.client, opts)),
    resolveConflict: (idOrKey, choice) => conn.transaction((c) => resolveConflict(c, idOrKey, choice)),
    close: () => conn.close(),
  };
}

/** Owner operations: create or upgrade the schema, register sites and curators. */
export async function initTeamServer(url: string, opts: ServerOptions = {}): Promise<{ from: number; to: number }> {
  const conn = await connectServer(url, opts);
  try {
    return await guard(conn, () => applyTeamMigrations(conn.client, conn.where));
  } finally {
    await conn.close();
  }
}

export async function registerSite(url: string, site: string, role: string, opts: ServerOptions & { curator?: boolean } = {}): Promise<void> {
  const conn = await connectServer(url, opts);
  try {
    await guard(conn, () => checkTeamSchema(conn.client, conn.where));
    await conn.transaction(async (c) => {
      if (opts.curator) await grantCurator(c, role);
      else await addSite(c, site, role);
    });
  } finally {
    await conn.close();
  }
}

async function guard<T>(conn: ServerConnection, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toUserError(e, conn.where);
  }
}
