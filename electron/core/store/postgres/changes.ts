import type pg from 'pg';
import { completeParents, emptyBatch, type ParentTable, type TeamBatch, type TeamKey } from '../team-rows';

/**
 * The team tables, one spec per aggregate: their key and columns (as in migrations/team). Push
 * upserts a site's own rows stamped with one sequence number; pull reads one push of a site and
 * the rows it points at. Row-level security on the server refuses another site's rows.
 */
interface Spec {
  table: keyof TeamBatch;
  key: string[];
  cols: string[];
}

const SPECS: Spec[] = [
  { table: 'encounters', key: ['site', 'id'], cols: ['code', 'start_time', 'end_time', 'latitude', 'longitude', 'location', 'observer', 'platform', 'notes', 'created_at'] },
  { table: 'photos', key: ['site', 'id'], cols: ['sha256', 'original_name', 'file_size', 'width', 'height', 'taken_at', 'taken_at_utc', 'latitude', 'longitude', 'camera_make', 'camera_model', 'encounter_site', 'encounter_id', 'created_at'] },
  { table: 'individuals', key: ['site', 'id'], cols: ['code', 'name', 'sex', 'notes', 'created_at', 'updated_at', 'merged_into_site', 'merged_into_id'] },
  { table: 'annotations', key: ['site', 'id'], cols: ['photo_site', 'photo_id', 'x', 'y', 'w', 'h', 'body_part', 'side', 'quality', 'source', 'individual_site', 'individual_id', 'identified_by', 'identified_at', 'created_at', 'crop'] },
  { table: 'embeddings', key: ['site', 'annotation_id', 'model_id'], cols: ['dim', 'vector', 'created_at'] },
  { table: 'decisions', key: ['site', 'id'], cols: ['annotation_site', 'annotation_id', 'individual_site', 'individual_id', 'decision', 'reviewer', 'model_id', 'rank', 'score', 'details', 'created_at', 'undone_at'] },
];

const INT_COLS = new Set(['id', 'photo_id', 'encounter_id', 'individual_id', 'annotation_id', 'merged_into_id', 'file_size']);

/** pg returns bigint as text: ids are small enough for numbers. */
function fromServer<T>(row: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (k === 'seq') continue;
    out[k] = INT_COLS.has(k) && v !== null ? Number(v) : v;
  }
  return out as T;
}

const CHUNK = 500;

async function upsert(c: pg.Client, spec: Spec, rows: Array<Record<string, any>>, seq: number): Promise<void> {
  const all = [...spec.key, 'seq', ...spec.cols];
  const update = ['seq', ...spec.cols].map((col) => `${col} = EXCLUDED.${col}`).join(', ');
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    const params: unknown[] = [];
    const values = part.map((r) => `(${all.map((col) => (params.push(col === 'seq' ? seq : r[col]), `$${params.length}`)).join(', ')})`);
    await c.query(`INSERT INTO caudal_team.${spec.table} (${all.join(', ')}) VALUES ${values.join(', ')} ON CONFLICT (${spec.key.join(', ')}) DO UPDATE SET ${update}`, params);
  }
}

/**
 * Gives each of this push's individuals without a code of its own on the server a team code:
 * the site's code when no other site uses it, else the code with the site's name after it.
 * Returns the local id -> team code of those whose code changed.
 */
async function claimCodes(c: pg.Client, site: string, rows: TeamBatch['individuals']): Promise<Map<number, string>> {
  const renamed = new Map<number, string>();
  for (const r of rows) {
    let code = r.code;
    for (let n = 1; ; n++) {
      const held = await c.query<{ site: string; id: string }>('SELECT site, id FROM caudal_team.individuals WHERE code = $1', [code]);
      const owner = held.rows[0];
      if (!owner || (owner.site === site && Number(owner.id) === r.id)) break;
      code = n === 1 ? `${r.code}-${site}` : `${r.code}-${site}-${n}`;
    }
    if (code !== r.code) {
      renamed.set(r.id, code);
      r.code = code;
    }
  }
  return renamed;
}

/** Writes one push inside the caller's transaction; returns the individuals renamed to team codes. */
export async function writePush(c: pg.Client, site: string, seq: number, batch: TeamBatch): Promise<Map<number, string>> {
  const individuals = batch.individuals.map((r) => ({ ...r }));
  const renamed = await claimCodes(c, site, individuals);
  for (const spec of SPECS) await upsert(c, spec, spec.table === 'individuals' ? individuals : batch[spec.table], seq);
  return renamed;
}

/** The first sequence number of `site` after `after` that holds rows; null when none. */
export async function nextSequence(c: pg.Client, site: string, after: number): Promise<number | null> {
  const parts = SPECS.map((s) => `SELECT min(seq) AS s FROM caudal_team.${s.table} WHERE site = $1 AND seq > $2`).join(' UNION ALL ');
  const r = await c.query<{ s: string | null }>(`SELECT min(s) AS s FROM (${parts}) x`, [site, after]);
  return r.rows[0].s === null ? null : Number(r.rows[0].s);
}

/**
 * Rows of `table` by team key. A parent annotation comes without its crop: the crop travelled
 * with the push that sent it. With `skip`, rows the puller surely holds are left out: its own
 * site's, and those of the pulled site sent in an earlier push (pulls go in sequence order).
 */
export async function rowsByKeys<T>(c: pg.Client, table: ParentTable, keys: TeamKey[], skip?: { puller: string; site: string; seq: number }): Promise<T[]> {
  if (!keys.length) return [];
  const spec = SPECS.find((x) => x.table === table)!;
  const cols = [...spec.key, ...spec.cols].map((col) => (col === 'crop' ? 'NULL::bytea AS crop' : `t.${col}`)).join(', ');
  const params: unknown[] = [keys.map((k) => k.site), keys.map((k) => k.id)];
  let where = '';
  if (skip) {
    params.push(skip.puller, skip.site, skip.seq);
    where = ' WHERE NOT (t.site = $3 OR (t.site = $4 AND t.seq < $5))';
  }
  const r = await c.query(`SELECT ${cols} FROM caudal_team.${table} t JOIN unnest($1::text[], $2::bigint[]) AS k(site, id) ON t.site = k.site AND t.id = k.id${where}`, params);
  return r.rows.map((row) => fromServer<T>(row));
}

/**
 * The rows one push of `site` wrote (as they are now), with the rows they point at that the
 * puller may lack (whichever site made them), so the batch can be reconciled on its own; the
 * puller fills in the parents it holds itself. Embeddings only of the model named.
 */
export async function readPush(c: pg.Client, site: string, seq: number, model: string | null, puller: string): Promise<TeamBatch> {
  const b = emptyBatch();
  for (const spec of SPECS) {
    if (spec.table === 'embeddings' && !model) continue;
    const extra = spec.table === 'embeddings' ? ' AND model_id = $3' : '';
    const r = await c.query(`SELECT * FROM caudal_team.${spec.table} WHERE site = $1 AND seq = $2${extra}`, spec.table === 'embeddings' ? [site, seq, model] : [site, seq]);
    (b[spec.table] as unknown[]) = r.rows.map((row) => fromServer(row));
  }
  await completeParents(b, (table, keys) => rowsByKeys(c, table, keys, { puller, site, seq }));
  return b;
}
