import type { SqliteDb } from '../sqlite';
import { addConflict, type MergeContext } from './context';

interface IndividualRow {
  id: number;
  code: string;
  name: string | null;
  sex: string | null;
  notes: string | null;
  created_at: string;
  updated_at: string;
  merged_into: number | null;
}

/** Photo content hashes in which each individual code is identified. */
function photosByCode(db: SqliteDb): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const rows = db
    .prepare('SELECT i.code, p.sha256 FROM annotations a JOIN individuals i ON i.id = a.individual_id JOIN photos p ON p.id = a.photo_id')
    .all() as Array<{ code: string; sha256: string }>;
  for (const r of rows) {
    const set = out.get(r.code) ?? new Set<string>();
    set.add(r.sha256);
    out.set(r.code, set);
  }
  return out;
}

function vectorsOf(db: SqliteDb, individualId: number): Map<string, Float32Array[]> {
  const out = new Map<string, Float32Array[]>();
  const rows = db
    .prepare('SELECT e.model_id, e.vector FROM embeddings e JOIN annotations a ON a.id = e.annotation_id WHERE a.individual_id = ?')
    .all(individualId) as Array<{ model_id: string; vector: Buffer }>;
  for (const r of rows) {
    const v = new Float32Array(r.vector.buffer.slice(r.vector.byteOffset, r.vector.byteOffset + r.vector.byteLength));
    out.set(r.model_id, [...(out.get(r.model_id) ?? []), v]);
  }
  return out;
}

/** Best cosine similarity between the two sides' embeddings under a model both hold: shown as evidence only. */
function bestSimilarity(t: SqliteDb, localId: number, s: SqliteDb, incomingId: number): { model: string; cosine: number } | null {
  const mine = vectorsOf(t, localId);
  const theirs = vectorsOf(s, incomingId);
  let best: { model: string; cosine: number } | null = null;
  const norm = (v: Float32Array) => Math.sqrt(v.reduce((a, x) => a + x * x, 0)) || 1;
  for (const [model, vs] of theirs) {
    for (const a of mine.get(model) ?? []) {
      for (const b of vs) {
        if (a.length !== b.length) continue;
        let dot = 0;
        for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
        const cos = dot / (norm(a) * norm(b));
        if (!best || cos > best.cosine) best = { model, cosine: Math.round(cos * 1000) / 1000 };
      }
    }
  }
  return best;
}

function provisionalCode(t: SqliteDb, code: string, mergeId: number): string {
  for (let n = 0; ; n++) {
    const c = `${code}~m${mergeId}${n ? `-${n}` : ''}`;
    if (!t.prepare('SELECT 1 FROM individuals WHERE code = ?').get(c)) return c;
  }
}

/**
 * Maps the bundle's individuals onto this catalog's, by code. A shared code is taken to mean the
 * same animal only on positive evidence:
 *   - shared lineage: the individual row was created once and travelled by bundle (same code
 *     and same created_at, to the millisecond), or
 *   - a shared photo: at least one photo (same sha256) is identified as that code on both sides.
 * Otherwise the two rows were created independently (two laptops both numbering from ID-0001,
 * say), and with no photo in common nothing shows that they are one animal. Low embedding
 * similarity could not prove that they are two animals either (flukes change, photos vary), so it
 * is only shown as evidence: the incoming individual is added under a provisional code and a
 * 'code' conflict asks a person. Two animals are never fused silently; a person fuses them with
 * one click ('same-animal') when they are one.
 */
export function mergeIndividuals(ctx: MergeContext): void {
  const { s, t } = ctx;
  const localPhotos = photosByCode(t);
  const incomingPhotos = photosByCode(s);
  const insert = t.prepare('INSERT INTO individuals (code, name, sex, notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)');
  for (const si of s.prepare('SELECT * FROM individuals ORDER BY id').all() as IndividualRow[]) {
    // A code conflict from an earlier merge of the same individual: reuse its outcome.
    const prior = t
      .prepare("SELECT local_individual_id, incoming_individual_id, state, resolution FROM merge_conflicts WHERE kind = 'code' AND incoming_code = ? AND incoming_created_at = ? ORDER BY id LIMIT 1")
      .get(si.code, si.created_at) as { local_individual_id: number; incoming_individual_id: number; state: string; resolution: string | null } | undefined;
    if (prior) {
      ctx.individuals.set(si.id, prior.resolution === 'same-animal' ? prior.local_individual_id : prior.incoming_individual_id);
      ctx.duplicate.individuals++;
      continue;
    }
    const local = t.prepare('SELECT * FROM individuals WHERE code = ?').get(si.code) as IndividualRow | undefined;
    if (!local) {
      const r = insert.run(si.code, si.name, si.sex, si.notes, si.created_at, si.updated_at);
      ctx.individuals.set(si.id, Number(r.lastInsertRowid));
      ctx.added.individuals++;
      continue;
    }
    const mine = localPhotos.get(si.code) ?? new Set<string>();
    const theirs = incomingPhotos.get(si.code) ?? new Set<string>();
    const shared = [...theirs].filter((h) => mine.has(h)).length;
    if (local.created_at === si.created_at || shared > 0) {
      ctx.individuals.set(si.id, local.id);
      ctx.duplicate.individuals++;
      reconcileAttributes(ctx, local, si);
      continue;
    }
    const code = provisionalCode(t, si.code, ctx.mergeId);
    const newId = Number(insert.run(code, si.name, si.sex, si.notes, si.created_at, si.updated_at).lastInsertRowid);
    ctx.individuals.set(si.id, newId);
    ctx.added.individuals++;
    addConflict(ctx, {
      kind: 'code',
      local_individual_id: local.id,
      incoming_individual_id: newId,
      incoming_code: si.code,
      incoming_created_at: si.created_at,
      details: {
        reason: 'same code created independently on both sides, with no photo identified as it on both',
        provisionalCode: code,
        localPhotos: mine.size,
        incomingPhotos: theirs.size,
        localCreatedAt: local.created_at,
        incomingCreatedAt: si.created_at,
        bestSimilarity: bestSimilarity(t, local.id, s, si.id),
      },
    });
  }
}

/** Fills what this side left empty; a value both sides hold differently becomes an 'attribute' conflict. */
function reconcileAttributes(ctx: MergeContext, local: IndividualRow, incoming: IndividualRow): void {
  for (const field of ['name', 'sex', 'notes'] as const) {
    const lv = local[field];
    const iv = incoming[field];
    const empty = (v: string | null) => v === null || v === '' || (field === 'sex' && v === 'unknown');
    if (empty(iv) || iv === lv) continue;
    if (empty(lv)) {
      ctx.t.prepare(`UPDATE individuals SET ${field} = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?`).run(iv, local.id);
      continue;
    }
    const seen = ctx.t
      .prepare("SELECT 1 FROM merge_conflicts WHERE kind = 'attribute' AND local_individual_id = ? AND field = ? AND incoming_value = ?")
      .get(local.id, field, iv);
    if (seen) continue;
    addConflict(ctx, { kind: 'attribute', local_individual_id: local.id, incoming_code: incoming.code, field, local_value: lv, incoming_value: iv, details: {} });
  }
}
