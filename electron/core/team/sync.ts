import fs from 'node:fs';
import path from 'node:path';
import type { Catalog } from '../store/catalog';
import type { TeamSyncResult } from '../../contract';
export type { TeamSyncResult };
import { teamSyncStore, type TeamSyncStore } from '../store/team-sync';
import { absentKeys, batchBytes, batchSize, completeParents, emptyBatch, type TeamBatch } from '../store/team-rows';
import { openTeamServer, redactUrl, type TeamServer } from '../store/postgres/index';
import { noProgress, type Progress } from '../export/progress';
import { UserError } from '../util/errors';
import { nowIso } from '../util/time';
import { teamCrop } from './crop';
import { settleTeamConflicts } from './conflicts';
import { teamCropFile } from '../media/team-crop-file';

export interface TeamSyncOptions {
  /** From the OS keychain (app); else PGPASSWORD or ~/.pgpass. */
  password?: string;
  /** Rows per push (one server transaction each). */
  batchRows?: number;
  timeoutMs?: number;
  /** Attempts per step when the connection drops (the step is reconnected and redone). */
  attempts?: number;
  progress?: Progress;
}


const sum = (c: object): number => (Object.values(c) as number[]).reduce((a, b) => a + b, 0);

/**
 * Push then pull. Push first, so this laptop's new individuals have their team codes before
 * another site's rows are reconciled against them. Each push is one server transaction and its
 * marks are cleared after it commits; each pulled push is applied, with its watermark, in one
 * SQLite transaction: a sync stopped anywhere is finished by running it again, with nothing
 * doubled or lost. A server that cannot be reached fails the sync with a message; the catalog
 * stays as it was and work goes on offline.
 */
export async function syncTeam(catalog: Catalog, opts: TeamSyncOptions = {}): Promise<TeamSyncResult> {
  const local = teamSyncStore(catalog);
  const link = local.link();
  if (!link) throw new UserError(`${catalog.file} is not linked to a team: run caudal team join --url ... --site NAME first`, 'team-not-joined');
  const p = opts.progress ?? noProgress;
  const conn = new Reconnecting(link.serverUrl, opts);
  const result: TeamSyncResult = {
    site: link.site,
    pushed: { batches: 0, rows: 0, bytes: 0 },
    pulled: { batches: 0, rows: 0, bytes: 0, added: 0, duplicate: 0, conflicts: 0 },
    renamed: [],
    openConflicts: 0,
    resolvedByCurator: 0,
    pending: 0,
    toEmbed: 0,
    embedJob: null,
  };
  try {
    p.progress(0, null, `connecting to ${conn.where}`);
    const mine = await conn.step((s) => s.mySite());
    if (mine !== link.site) throw new UserError(`the login in ${conn.where} writes as site ${mine ?? '(none)'}, but this catalog joined as ${link.site}`, 'team-forbidden');
    const model = await conn.step((s) => s.activeModel(local.activeModel()));
    await push(catalog, local, conn, link.site, model, opts.batchRows ?? 2000, p, result);
    await pull(catalog, local, conn, link.site, model, p, result);
    result.resolvedByCurator = await settleTeamConflicts(catalog, local, link.site, (fn) => conn.step(fn));
    local.recordSync(nowIso(), null);
  } catch (e) {
    local.recordSync(nowIso(), (e as Error).message);
    throw e;
  } finally {
    await conn.close();
  }
  result.openConflicts = local.openConflicts();
  result.pending = local.pendingCount();
  const mine = local.activeModel();
  result.toEmbed = mine ? local.pulledLackingEmbedding(mine) : 0;
  return result;
}

async function push(catalog: Catalog, local: TeamSyncStore, conn: Reconnecting, site: string, model: string | null, rows: number, p: Progress, r: TeamSyncResult): Promise<void> {
  local.dropForeignPending();
  const total = local.pendingCount();
  for (;;) {
    p.throwIfCancelled();
    const { batch, marks, crops } = local.readPending(site, rows, model, catalog.filesDir);
    if (!marks.length) return;
    const byId = new Map(batch.annotations.map((a) => [a.id, a]));
    for (const c of crops) byId.get(c.annotationId)!.crop = await teamCrop(c).catch(() => null);
    const { renamed } = await conn.step((s) => s.push(site, batch));
    local.pushed(marks, renamed);
    for (const [id, code] of renamed) r.renamed.push({ id, code });
    r.pushed.batches++;
    r.pushed.rows += batchSize(batch);
    r.pushed.bytes += batchBytes(batch);
    p.progress(Math.min(total, r.pushed.rows), total, `pushed ${r.pushed.rows} rows`);
  }
}

async function pull(catalog: Catalog, local: TeamSyncStore, conn: Reconnecting, site: string, model: string | null, p: Progress, r: TeamSyncResult): Promise<void> {
  const sites = (await conn.step((s) => s.sites())).filter((s) => s.name !== site);
  const marks = local.watermarks();
  const total = sites.reduce((a, s) => a + Math.max(0, s.lastSeq - (marks.get(s.name) ?? 0)), 0);
  let done = 0;
  // Every pulled crop lands in one folder: made once per sync, not per crop.
  if (total > 0) fs.mkdirSync(path.dirname(teamCropFile(catalog, 0)), { recursive: true });
  for (const other of sites) {
    let after = marks.get(other.name) ?? 0;
    for (;;) {
      p.throwIfCancelled();
      const seq = await conn.step((s) => s.nextPush(other.name, after));
      if (seq === null) break;
      const batch: TeamBatch = await conn.step((s) => s.readPush(other.name, seq, model, site));
      // What came over the wire: the push, its parents this laptop may lack, and any it lacked after all.
      let rows = batchSize(batch);
      let bytes = batchBytes(batch);
      // The parents this laptop holds are not sent again: its own copies stand in.
      await completeParents(batch, async (table, keys) => {
        const here = local.copies(table, keys, site);
        const rest = absentKeys(keys, here);
        if (!rest.length) return here;
        const fetched = await conn.step((s) => s.rows(table, rest));
        rows += fetched.length;
        bytes += batchBytes({ ...emptyBatch(), [table]: fetched });
        return [...here, ...fetched];
      });
      const counts = local.applyPull(other.name, seq, batch, `team ${conn.where} site ${other.name} push ${seq}`, (id, jpeg) => {
        fs.writeFileSync(teamCropFile(catalog, id), jpeg);
      });
      after = seq;
      r.pulled.batches++;
      r.pulled.rows += rows;
      r.pulled.bytes += bytes;
      r.pulled.added += sum(counts.added);
      r.pulled.duplicate += sum(counts.duplicate);
      r.pulled.conflicts += counts.conflicts.total;
      p.progress(++done, Math.max(total, done), `pulled ${other.name} push ${seq}`);
    }
  }
}

/** One server connection, opened again when a step fails on a dropped link (the steps are idempotent). */
class Reconnecting {
  private server: TeamServer | null = null;
  readonly where: string;

  constructor(
    private readonly url: string,
    private readonly opts: TeamSyncOptions,
  ) {
    this.where = redactUrl(url);
  }

  async step<T>(fn: (s: TeamServer) => Promise<T>): Promise<T> {
    const attempts = this.opts.attempts ?? 3;
    for (let i = 1; ; i++) {
      try {
        this.server ??= await openTeamServer(this.url, { password: this.opts.password, timeoutMs: this.opts.timeoutMs });
        (this as { where: string }).where = this.server.where;
        return await fn(this.server);
      } catch (e) {
        const dropped = e instanceof UserError && e.code === 'team-unreachable';
        if (this.server) await this.server.close().catch(() => {});
        this.server = null;
        if (!dropped || i >= attempts) {
          if (dropped) throw new UserError(`${e.message} (tried ${i} times)`, e.code);
          throw e;
        }
        await new Promise((res) => setTimeout(res, 250 * 2 ** i));
      }
    }
  }

  async close(): Promise<void> {
    await this.server?.close();
  }
}
