import path from 'node:path';
import type pg from 'pg';
import { loadMigrations, latestVersion, type Migration } from '../migrate';
import { migrationsDir } from '../../util/paths';
import { UserError } from '../../util/errors';

/** The team schema's own numbered migrations (migrations/team/NNNN_name.sql). */
export const teamMigrations = (dir = path.join(migrationsDir(), 'team')): Migration[] => loadMigrations(dir);

/** The team schema's version on this server; 0 when it has none yet. */
export async function teamSchemaVersion(c: pg.Client): Promise<number> {
  const exists = await c.query("SELECT to_regclass('caudal_team.schema_version') IS NOT NULL AS ok");
  if (!exists.rows[0].ok) return 0;
  const r = await c.query('SELECT max(version) AS v FROM caudal_team.schema_version');
  return Number(r.rows[0].v ?? 0);
}

/** Refuses a server whose team schema is newer than this Caudal, or missing. */
export async function checkTeamSchema(c: pg.Client, where: string, migrations = teamMigrations()): Promise<number> {
  const found = await teamSchemaVersion(c);
  const known = latestVersion(migrations);
  if (found > known) throw new UserError(`the team server ${where} has team schema version ${found}, newer than this Caudal knows (${known}); update Caudal to sync with it. Nothing was changed.`, 'team-too-new');
  if (found === 0) throw new UserError(`the team server ${where} has no Caudal team schema: run caudal team init --url ... as its owner first`, 'team-not-initialised');
  if (found < known) throw new UserError(`the team server ${where} has team schema version ${found}, older than this Caudal (${known}): its owner runs caudal team init --url ... to upgrade it`, 'team-too-old');
  return found;
}

/** Creates or upgrades the team schema in one transaction: every pending migration or none. */
export async function applyTeamMigrations(c: pg.Client, where: string, migrations = teamMigrations()): Promise<{ from: number; to: number }> {
  const known = latestVersion(migrations);
  await c.query('BEGIN');
  try {
    // One initialiser at a time: a second `team init` waits, then finds the schema made.
    await c.query("SELECT pg_advisory_xact_lock(hashtext('caudal_team schema'))");
    const from = await teamSchemaVersion(c);
    if (from > known) throw new UserError(`the team server ${where} has team schema version ${from}, newer than this Caudal knows (${known}); update Caudal. Nothing was changed.`, 'team-too-new');
    for (const m of migrations.filter((x) => x.version > from)) {
      try {
        await c.query(m.sql);
      } catch (e) {
        throw new UserError(`team migration ${m.version}_${m.name} failed on ${where}: ${(e as Error).message}`, 'team-failed');
      }
    }
    if (from < known) await c.query('INSERT INTO caudal_team.schema_version (version) VALUES ($1)', [known]);
    await c.query('COMMIT');
    return { from, to: known };
  } catch (e) {
    await c.query('ROLLBACK').catch(() => {});
    throw e;
  }
}
