import type { Statement } from 'better-sqlite3';
import { addConflict, type MergeContext } from './context';

type Row = Record<string, any>;

const statements = new WeakMap<MergeContext['t'], Map<string, { cols: string[]; stmt: Statement<unknown[]> }>>();

/** Inserts a row of the other side into the same table here, by column name (one prepared statement per table). */
function insertRow(ctx: MergeContext, table: string, row: Row, skip: string[] = ['id']): number {
  let cache = statements.get(ctx.t);
  if (!cache) statements.set(ctx.t, (cache = new Map()));
  const key = `${table}|${skip.join(',')}|${Object.keys(row).sort().join(',')}`;
  let entry = cache.get(key);
  if (!entry) {
    const cols = (ctx.t.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name).filter((c) => !skip.includes(c) && c in row);
    entry = { cols, stmt: ctx.t.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`) };
    cache.set(key, entry);
  }
  return Number(entry.stmt.run(...entry.cols.map((c) => row[c])).lastInsertRowid);
}

export function mergeSettings(ctx: MergeContext): void {
  // Only keys this catalog has never set: its own choices are never overwritten.
  const ins = ctx.t.prepare('INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)');
  for (const r of ctx.s.prepare('SELECT key, value FROM settings').all() as Row[]) ins.run(r.key, r.value);
}

/** Models by id (ids name a model for good); parents first; never changes which model is active here. */
export function mergeModels(ctx: MergeContext): void {
  let pending = ctx.s.prepare('SELECT * FROM models ORDER BY created_at, id').all() as Row[];
  let hasActive = Boolean(ctx.t.prepare('SELECT 1 FROM models WHERE active = 1').get());
  const exists = (id: string) => Boolean(ctx.t.prepare('SELECT 1 FROM models WHERE id = ?').get(id));
  while (pending.length) {
    const next: Row[] = [];
    for (const m of pending) {
      if (exists(m.id)) {
        ctx.duplicate.models++;
        continue;
      }
      if (m.parent_id && !exists(m.parent_id) && pending.some((x) => x.id === m.parent_id)) {
        next.push(m);
        continue;
      }
      const active = m.active && !hasActive ? 1 : 0;
      if (active) hasActive = true;
      insertRow(ctx, 'models', { ...m, active }, []);
      ctx.added.models++;
    }
    if (next.length === pending.length) throw new Error('the bundle\'s models have a parent cycle');
    pending = next;
  }
}

/** Encounters by code; without a code, by a photo both sides hold; else added. */
export function mergeEncounters(ctx: MergeContext): void {
  for (const e of ctx.s.prepare('SELECT * FROM encounters ORDER BY id').all() as Row[]) {
    let local: number | undefined;
    if (e.code !== null) local = ctx.t.prepare('SELECT id FROM encounters WHERE code = ?').pluck().get(e.code) as number | undefined;
    else {
      local = ctx.t
        .prepare('SELECT tp.encounter_id FROM photos tp WHERE tp.encounter_id IS NOT NULL AND tp.sha256 IN (SELECT value FROM json_each(?)) LIMIT 1')
        .pluck()
        .get(JSON.stringify(ctx.s.prepare('SELECT sha256 FROM photos WHERE encounter_id = ?').pluck().all(e.id))) as number | undefined;
    }
    if (local !== undefined) {
      ctx.encounters.set(e.id, local);
      ctx.duplicate.encounters++;
    } else {
      ctx.encounters.set(e.id, insertRow(ctx, 'encounters', e));
      ctx.added.encounters++;
    }
  }
}

/** Photos by content hash. `staged` holds where a new photo's file was placed in this catalog. */
export function mergePhotos(ctx: MergeContext, staged: Map<string, string>, missing: (p: Row) => boolean): void {
  const bySha = ctx.t.prepare('SELECT id, encounter_id FROM photos WHERE sha256 = ?');
  for (const p of ctx.s.prepare('SELECT * FROM photos ORDER BY id').all() as Row[]) {
    const local = bySha.get(p.sha256) as Row | undefined;
    const enc = p.encounter_id !== null ? (ctx.encounters.get(p.encounter_id) ?? null) : null;
    const placed = staged.get(p.sha256);
    if (local) {
      ctx.photos.set(p.id, local.id);
      ctx.duplicate.photos++;
      if (local.encounter_id === null && enc !== null) ctx.t.prepare('UPDATE photos SET encounter_id = ? WHERE id = ?').run(enc, local.id);
      // this catalog had lost the file and the bundle brought it back
      if (placed) ctx.t.prepare('UPDATE photos SET path = ?, copied = 1, missing = 0 WHERE id = ?').run(placed, local.id);
      continue;
    }
    const row = placed ? { ...p, path: placed, copied: 1, missing: 0 } : { ...p, missing: missing(p) ? 1 : p.missing };
    ctx.photos.set(p.id, insertRow(ctx, 'photos', { ...row, encounter_id: enc, import_id: null }));
    ctx.added.photos++;
  }
}

const iou = (a: Row, b: Row): number => {
  const ix = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  const inter = ix * iy;
  return inter / (a.w * a.h + b.w * b.h - inter);
};
export const sameBox = (a: Row, b: Row): boolean => a.x === b.x && a.y === b.y && a.w === b.w && a.h === b.h;

/** Follows merged_into so "identified as" compares the animals, not superseded rows. */
const mergedInto = new WeakMap<MergeContext['t'], Statement<unknown[]>>();

export function finalIndividual(db: MergeContext['t'], id: number | null): number | null {
  let stmt = mergedInto.get(db);
  if (!stmt) mergedInto.set(db, (stmt = db.prepare('SELECT merged_into FROM individuals WHERE id = ?').pluck()));
  let cur = id;
  for (let hops = 0; cur !== null && hops < 100; hops++) {
    const next = stmt.get(cur) as number | null | undefined;
    if (next === null || next === undefined) return cur;
    cur = next;
  }
  return cur;
}

/**
 * Annotations on a photo both sides hold are the same when they were created together (same
 * created_at: one travelled by bundle) or their boxes overlap by IoU >= 0.5 on the same body
 * part. The same region identified as two different animals becomes an 'annotation' conflict:
 * this catalog keeps its identification until a person decides.
 */
export function mergeAnnotations(ctx: MergeContext): void {
  const taken = new Set<number>();
  const onPhoto = ctx.t.prepare('SELECT * FROM annotations WHERE photo_id = ? ORDER BY id');
  for (const a of ctx.s.prepare('SELECT * FROM annotations ORDER BY id').all() as Row[]) {
    const photo = ctx.photos.get(a.photo_id)!;
    const incoming = a.individual_id !== null ? ctx.individuals.get(a.individual_id)! : null;
    const candidates = (onPhoto.all(photo) as Row[]).filter((c) => !taken.has(c.id));
    const match =
      candidates.find((c) => c.created_at === a.created_at && c.body_part === a.body_part) ??
      candidates.find((c) => c.body_part === a.body_part && iou(c, a) >= 0.5);
    if (!match) {
      const id = insertRow(ctx, 'annotations', { ...a, photo_id: photo, individual_id: incoming });
      ctx.annotations.set(a.id, id);
      ctx.sameCrop.add(a.id);
      taken.add(id);
      ctx.added.annotations++;
      continue;
    }
    taken.add(match.id);
    ctx.annotations.set(a.id, match.id);
    if (sameBox(match, a)) ctx.sameCrop.add(a.id);
    ctx.duplicate.annotations++;
    if (incoming === null) continue;
    if (match.individual_id === null) {
      ctx.t.prepare('UPDATE annotations SET individual_id = ?, identified_by = ?, identified_at = ? WHERE id = ?').run(incoming, a.identified_by, a.identified_at, match.id);
      continue;
    }
    if (finalIndividual(ctx.t, match.individual_id) === finalIndividual(ctx.t, incoming)) continue;
    const seen = ctx.t.prepare("SELECT 1 FROM merge_conflicts WHERE kind = 'annotation' AND annotation_id = ? AND incoming_individual_id = ?").get(match.id, incoming);
    if (seen) continue;
    const code = (id: number) => ctx.t.prepare('SELECT code FROM individuals WHERE id = ?').pluck().get(id) as string;
    addConflict(ctx, {
      kind: 'annotation',
      annotation_id: match.id,
      local_individual_id: match.individual_id,
      incoming_individual_id: incoming,
      incoming_code: code(incoming),
      details: { incomingIdentifiedBy: a.identified_by, incomingIdentifiedAt: a.identified_at, localIdentifiedBy: match.identified_by, localIdentifiedAt: match.identified_at },
    });
  }
}

/** Embeddings and features of crops identical on both sides (a moved box made them stale). */
export function mergeVectors(ctx: MergeContext): void {
  const emb = ctx.t.prepare('INSERT OR IGNORE INTO embeddings (annotation_id, model_id, dim, vector, created_at) VALUES (?, ?, ?, ?, ?)');
  for (const e of ctx.s.prepare('SELECT * FROM embeddings').iterate() as Iterable<Row>) {
    if (!ctx.sameCrop.has(e.annotation_id)) continue;
    const r = emb.run(ctx.annotations.get(e.annotation_id), e.model_id, e.dim, e.vector, e.created_at);
    if (r.changes) ctx.added.embeddings++;
    else ctx.duplicate.embeddings++;
  }
  const feat = ctx.t.prepare('INSERT OR IGNORE INTO features (annotation_id, backbone_id, view, dim, vector) VALUES (?, ?, ?, ?, ?)');
  for (const f of ctx.s.prepare('SELECT * FROM features').iterate() as Iterable<Row>) {
    if (!ctx.sameCrop.has(f.annotation_id)) continue;
    const r = feat.run(ctx.annotations.get(f.annotation_id), f.backbone_id, f.view, f.dim, f.vector);
    if (r.changes) ctx.added.features++;
    else ctx.duplicate.features++;
  }
}

/**
 * The other side's review log, appended with ids mapped to this catalog. A decision already
 * here (same annotation, individual, decision, reviewer and time) is not repeated; an undo made on the other
 * side since is carried over (the log allows setting undone_at once).
 */
export function mergeDecisions(ctx: MergeContext): void {
  const find = ctx.t.prepare('SELECT id, undone_at FROM decisions WHERE annotation_id = ? AND decision = ? AND created_at = ? AND reviewer IS ? AND individual_id IS ?');
  for (const d of ctx.s.prepare('SELECT * FROM decisions ORDER BY id').all() as Row[]) {
    const annotation = ctx.annotations.get(d.annotation_id)!;
    const individual = d.individual_id !== null ? ctx.individuals.get(d.individual_id)! : null;
    const existing = find.get(annotation, d.decision, d.created_at, d.reviewer, individual) as Row | undefined;
    if (existing) {
      ctx.duplicate.decisions++;
      if (d.undone_at && !existing.undone_at) ctx.t.prepare('UPDATE decisions SET undone_at = ? WHERE id = ?').run(d.undone_at, existing.id);
      continue;
    }
    insertRow(ctx, 'decisions', { ...d, annotation_id: annotation, individual_id: individual });
    ctx.added.decisions++;
  }
}

/** merged_into links among individuals this merge added. */
export function mergeIndividualLinks(ctx: MergeContext, addedIds: Set<number>): void {
  for (const i of ctx.s.prepare('SELECT id, merged_into FROM individuals WHERE merged_into IS NOT NULL').all() as Row[]) {
    const mine = ctx.individuals.get(i.id)!;
    if (!addedIds.has(mine)) continue;
    ctx.t.prepare('UPDATE individuals SET merged_into = ? WHERE id = ? AND merged_into IS NULL').run(ctx.individuals.get(i.merged_into), mine);
  }
}
