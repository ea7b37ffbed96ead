import type pg from 'pg';
import type { TeamConflictOption, TeamServerConflict } from '../../../contract';
import { UserError } from '../../util/errors';

/** A conflict as a site reports it: the same key on every laptop that meets it. */
export interface ConflictReport {
  key: string;
  kind: TeamServerConflict['kind'];
  summary: string;
  options: TeamConflictOption[];
}

interface Row {
  id: string;
  key: string;
  kind: TeamServerConflict['kind'];
  summary: string;
  options: TeamConflictOption[];
  reported_by: string;
  reported_at: Date;
  state: TeamServerConflict['state'];
  choice: string | null;
  resolved_by: string | null;
  resolved_at: Date | null;
}

const toConflict = (r: Row): TeamServerConflict => ({
  id: Number(r.id),
  key: r.key,
  kind: r.kind,
  summary: r.summary,
  options: r.options,
  reportedBy: r.reported_by,
  reportedAt: r.reported_at.toISOString(),
  state: r.state,
  choice: r.choice,
  resolvedBy: r.resolved_by,
  resolvedAt: r.resolved_at ? r.resolved_at.toISOString() : null,
});

/** Reports conflicts as `site`; one already reported (by any site) is left as it is. */
export async function reportConflicts(c: pg.Client, site: string, reports: ConflictReport[]): Promise<void> {
  for (const r of reports) {
    await c.query('INSERT INTO caudal_team.conflicts (key, kind, summary, options, reported_by) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key) DO NOTHING', [
      r.key,
      r.kind,
      r.summary,
      JSON.stringify(r.options),
      site,
    ]);
  }
}

/** The team's conflicts: all, or those with the keys given. */
export async function listConflicts(c: pg.Client, opts: { keys?: string[]; state?: 'open' | 'resolved' | 'all' } = {}): Promise<TeamServerConflict[]> {
  const state = opts.state ?? 'all';
  const r = await c.query<Row>(
    `SELECT * FROM caudal_team.conflicts WHERE ($1::text[] IS NULL OR key = ANY($1)) AND ($2 = 'all' OR state = $2) ORDER BY id`,
    [opts.keys ?? null, state],
  );
  return r.rows.map(toConflict);
}

/**
 * Marks a conflict resolved with one of its options. Only a curator may: the server gives sites
 * no right to change a conflict, and its trigger checks the choice and stamps the curator's role.
 */
export async function resolveConflict(c: pg.Client, idOrKey: string, choice: string): Promise<TeamServerConflict> {
  const byId = /^\d+$/.test(idOrKey);
  const found = await c.query<Row>(`SELECT * FROM caudal_team.conflicts WHERE ${byId ? 'id = $1::bigint' : 'key = $1'}`, [idOrKey]);
  const row = found.rows[0];
  if (!row) throw new UserError(`the team has no conflict ${idOrKey}`, 'not-found');
  if (row.state === 'resolved') throw new UserError(`team conflict ${row.id} is already resolved (${row.choice}, by ${row.resolved_by})`, 'bad-request');
  if (!row.options.some((o) => o.value === choice))
    throw new UserError(`team conflict ${row.id} is resolved with one of ${row.options.map((o) => `'${o.value}' (${o.label})`).join(', ')}, not '${choice}'`, 'bad-request');
  try {
    const r = await c.query<Row>("UPDATE caudal_team.conflicts SET state = 'resolved', choice = $2 WHERE id = $1 AND state = 'open' RETURNING *", [row.id, choice]);
    if (!r.rowCount) throw new UserError(`team conflict ${row.id} was resolved meanwhile`, 'bad-request');
    return toConflict(r.rows[0]);
  } catch (e) {
    if ((e as { code?: string }).code === '42501')
      throw new UserError(`only the team's curator resolves conflicts: this login is not a curator (the owner runs caudal team add-site --role ROLE --curator) (${(e as Error).message})`, 'team-forbidden');
    throw e;
  }
}
