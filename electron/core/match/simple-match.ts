import type { Candidate, MatchFilters, MatchResult } from '../../contract';
import type { Catalog } from '../store/catalog';
import { UserError } from '../util/errors';
import { haversineKm } from '../util/geo';

/**
 * Brute-force matching straight from the database: cosine over the active model's vectors,
 * best score per individual. The foundation's reference implementation; the search index
 * (electron/core/search) replaces it for speed and must agree with it.
 */
export function simpleMatch(catalog: Catalog, annotationId: number, top = 10, filters: MatchFilters = {}): MatchResult {
  const db = catalog.db;
  const modelId = db.prepare('SELECT id FROM models WHERE active = 1').pluck().get() as string | undefined;
  if (!modelId) throw new UserError('no active model: embed the catalog first', 'no-model');
  const q = db
    .prepare(
      `SELECT a.id, a.side, a.body_part, p.encounter_id, e.vector FROM annotations a JOIN photos p ON p.id = a.photo_id
       LEFT JOIN embeddings e ON e.annotation_id = a.id AND e.model_id = ? WHERE a.id = ?`,
    )
    .get(modelId, annotationId) as { id: number; side: string | null; body_part: string; encounter_id: number | null; vector: Buffer | null } | undefined;
  if (!q) throw new UserError(`no annotation ${annotationId}`, 'not-found');
  if (!q.vector) throw new UserError(`annotation ${annotationId} has no embedding for model ${modelId}`, 'not-embedded');
  const qv = toFloats(q.vector);
  const side = filters.side ?? (filters.sameSide === false ? undefined : q.side ?? undefined);
  const bodyPart = filters.bodyPart ?? (filters.sameBodyPart === false ? undefined : q.body_part);
  const rejected = new Set(
    filters.excludeRejected === false
      ? []
      : (db.prepare("SELECT individual_id FROM decisions WHERE annotation_id = ? AND decision = 'reject' AND undone_at IS NULL").pluck().all(annotationId) as number[]),
  );
  const rows = db
    .prepare(
      `SELECT a.id, a.individual_id, a.side, a.body_part, p.id AS photo_id, p.encounter_id, p.taken_at_utc, p.latitude, p.longitude, e.vector
       FROM embeddings e JOIN annotations a ON a.id = e.annotation_id JOIN photos p ON p.id = a.photo_id
       WHERE e.model_id = ? AND a.individual_id IS NOT NULL AND a.id != ?`,
    )
    .all(modelId, annotationId) as Array<{
    id: number;
    individual_id: number;
    side: string | null;
    body_part: string;
    photo_id: number;
    encounter_id: number | null;
    taken_at_utc: string | null;
    latitude: number | null;
    longitude: number | null;
    vector: Buffer;
  }>;
  const best = new Map<number, { score: number; evidence: Array<{ annotationId: number; photoId: number; score: number }> }>();
  for (const r of rows) {
    if (side && r.side !== side) continue;
    if (bodyPart && r.body_part !== bodyPart) continue;
    if (rejected.has(r.individual_id)) continue;
    if (filters.excludeOwnEncounter !== false && q.encounter_id != null && r.encounter_id === q.encounter_id) continue;
    if (filters.from && (!r.taken_at_utc || r.taken_at_utc < filters.from)) continue;
    if (filters.to && (!r.taken_at_utc || r.taken_at_utc.slice(0, filters.to.length) > filters.to)) continue;
    if (filters.near && (r.latitude == null || r.longitude == null || haversineKm(filters.near.lat, filters.near.lon, r.latitude, r.longitude) > filters.near.km)) continue;
    const v = toFloats(r.vector);
    let s = 0;
    for (let i = 0; i < v.length; i++) s += v[i] * qv[i];
    const cur = best.get(r.individual_id) ?? { score: -Infinity, evidence: [] };
    cur.evidence.push({ annotationId: r.id, photoId: r.photo_id, score: s });
    if (s > cur.score) cur.score = s;
    best.set(r.individual_id, cur);
  }
  const ranked = [...best.entries()].sort((a, b) => b[1].score - a[1].score || a[0] - b[0]).slice(0, top);
  const info = db.prepare('SELECT code, name FROM individuals WHERE id = ?');
  const candidates: Candidate[] = ranked.map(([individualId, b], i) => {
    const ind = info.get(individualId) as { code: string; name: string | null };
    return {
      rank: i + 1,
      individualId,
      code: ind.code,
      name: ind.name,
      score: b.score,
      evidence: b.evidence.sort((x, y) => y.score - x.score).slice(0, 3),
    };
  });
  return { annotationId, modelId, candidates, newIndividual: { probability: candidates.length ? 0 : 1, rank: candidates.length + 1 } };
}

export function toFloats(b: Buffer): Float32Array {
  // Copy: a Buffer from SQLite may not be 4-byte aligned.
  const out = new Float32Array(b.byteLength / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}

