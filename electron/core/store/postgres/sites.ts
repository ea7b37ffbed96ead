import pg from 'pg';
import { UserError } from '../../util/errors';

/** Sites: which login role writes as which site, and each site's last push sequence. */
export interface SiteInfo {
  name: string;
  role: string;
  lastSeq: number;
}

/** Registers a site for a login role (the owner does this once per laptop or boat). */
export async function addSite(c: pg.Client, name: string, role: string): Promise<void> {
  const exists = await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  if (!exists.rowCount) throw new UserError(`no role ${role} on the server: create it first (CREATE ROLE ${role} LOGIN PASSWORD '...')`, 'not-found');
  await c.query('INSERT INTO caudal_team.sites (name, role) VALUES ($1, $2)', [name, role]).catch((e: { code?: string; message: string }) => {
    if (e.code === '23505') throw new UserError(`site ${name} or role ${role} is already registered`, 'bad-request');
    if (e.code === '23514') throw new UserError(`site name '${name}' must be letters, digits, '.', '_' or '-' (at most 63)`, 'usage');
    throw e;
  });
  await c.query(`GRANT caudal_site TO ${pg.escapeIdentifier(role)}`);
}

export async function grantCurator(c: pg.Client, role: string): Promise<void> {
  await c.query(`GRANT caudal_curator TO ${pg.escapeIdentifier(role)}`);
}

/** The site the connected role writes as; null when the role has none. */
export async function currentSite(c: pg.Client): Promise<string | null> {
  const r = await c.query<{ name: string }>('SELECT name FROM caudal_team.sites WHERE role = current_user');
  return r.rows[0]?.name ?? null;
}

export async function listSites(c: pg.Client): Promise<SiteInfo[]> {
  const r = await c.query<{ name: string; role: string; last_seq: string }>('SELECT name, role, last_seq FROM caudal_team.sites ORDER BY name');
  return r.rows.map((x) => ({ name: x.name, role: x.role, lastSeq: Number(x.last_seq) }));
}

/**
 * The next sequence number of this role's site, inside the caller's transaction. The row lock it
 * takes orders one site's pushes, so a site's sequence numbers commit in order and a pull past a
 * watermark never misses a push that committed late.
 */
export async function takeSequence(c: pg.Client, site: string): Promise<number> {
  const r = await c.query<{ last_seq: string }>('UPDATE caudal_team.sites SET last_seq = last_seq + 1 WHERE name = $1 AND role = current_user RETURNING last_seq', [site]);
  if (!r.rowCount) throw new UserError(`this login is not the role of site ${site} on the team server`, 'team-forbidden');
  return Number(r.rows[0].last_seq);
}

/** The team's active model: the first site to push embeddings names it. */
export async function teamActiveModel(c: pg.Client, proposal: string | null): Promise<string | null> {
  if (proposal) await c.query("INSERT INTO caudal_team.settings (key, value) VALUES ('active_model', $1) ON CONFLICT (key) DO NOTHING", [proposal]);
  const r = await c.query<{ value: string }>("SELECT value FROM caudal_team.settings WHERE key = 'active_model'");
  return r.rows[0]?.value ?? null;
}
