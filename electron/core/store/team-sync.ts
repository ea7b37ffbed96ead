import Database from 'better-sqlite3';
import type { SqliteDb } from './sqlite';
import { applyMigrations, loadMigrations } from './migrate';
import { emptyBatch, type TeamBatch } from './team-rows';
import { newMergeContext, type MergeContext } from './bundle-merge/context';
import { mergeIndividuals } from './bundle-merge/individuals';
import { mergeAnnotations, mergeDecisions, mergeEncounters, mergeIndividualLinks, mergePhotos, mergeVectors } from './bundle-merge/rows';
import type { MergeResult } from '../../contract';
import { openTeamConflicts, type LocalTeamConflict } from './team-conflicts';

/**
 * The local side of a team sync: the link to the server, what is pending, the watermarks, and
 * applying a pulled push through the bundle merge's reconciliation. (A module of its own while the
 * other store modules are being filled; the lead folds it in.)
 */
export interface TeamLink {
  serverUrl: string;
  site: string;
  joinedAt: string;
  lastSyncAt: string | null;
  lastError: string | null;
}

type Kind = 'encounter' | 'photo' | 'individual' | 'annotation' | 'decision';

export interface PendingMark {
  mark: number;
  kind: Kind;
  localId: number;
}

/** Where a pushed annotation's crop comes from: the photo file and the box on it. */
export interface CropSource {
  annotationId: number;
  file: string;
  box: { x: number; y: number; w: number; h: number };
}

export interface PendingPush {
  batch: TeamBatch;
  marks: PendingMark[];
  crops: CropSource[];
}

export interface PulledResult {
  added: MergeResult['added'];
  duplicate: MergeResult['duplicate'];
  conflicts: MergeResult['conflicts'];
}

export interface TeamSyncStore {
  link(): TeamLink | null;
  /** Links the catalog and marks every own row pending, so the first push sends the catalog. */
  join(serverUrl: string, site: string): void;
  recordSync(at: string, error: string | null): void;
  /** Own rows not pushed yet (marks). */
  pendingCount(): number;
  /** Up to `limit` pending own rows, parents before children, with references as (site, id). */
  readPending(site: string, limit: number, model: string | null, filesDir: string): PendingPush;
  /** After the server committed a push: clears its marks and gives renamed individuals their team codes (a logged decision each). */
  pushed(marks: PendingMark[], renamed: Map<number, string>): void;
  watermarks(): Map<string, number>;
  /** Applies one pulled push and advances that site's watermark, in one transaction. */
  applyPull(site: string, seq: number, batch: TeamBatch, source: string, writeCrop: (annotationId: number, jpeg: Buffer) => void): PulledResult;
  openConflicts(): number;
  activeModel(): string | null;
  /** Open conflicts that pulls met, named as the team knows them. */
  teamConflicts(site: string): LocalTeamConflict[];
  /** Annotations pulled from other sites that have no vector of `model`. */
  pulledLackingEmbedding(model: string): number;
}

const KIND_ORDER = "CASE kind WHEN 'encounter' THEN 0 WHEN 'photo' THEN 1 WHEN 'individual' THEN 2 WHEN 'annotation' THEN 3 ELSE 4 END";

type Row = Record<string, any>;

export function sqliteTeamSyncStore(db: SqliteDb): TeamSyncStore {
  const q = <T>(sql: string) => {
    let s: Database.Statement | undefined;
    return () => (s ??= db.prepare(sql)) as Database.Statement<unknown[], T>;
  };
  const originOf = q<{ site: string; remote_id: number }>('SELECT site, remote_id FROM team_origin WHERE kind = ? AND local_id = ?');
  const ref = (kind: Kind, id: number | null, mySite: string): { site: string | null; id: number | null } => {
    if (id === null) return { site: null, id: null };
    const o = originOf().get(kind, id);
    return o ? { site: o.site, id: o.remote_id } : { site: mySite, id };
  };

  return {
    link() {
      const r = db.prepare('SELECT server_url, site, joined_at, last_sync_at, last_error FROM team_link WHERE id = 1').get() as Row | undefined;
      return r ? { serverUrl: r.server_url, site: r.site, joinedAt: r.joined_at, lastSyncAt: r.last_sync_at, lastError: r.last_error } : null;
    },
    join(serverUrl, site) {
      db.transaction(() => {
        db.prepare('INSERT INTO team_link (id, server_url, site) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET server_url = excluded.server_url, site = excluded.site').run(serverUrl, site);
        for (const [kind, table] of [['encounter', 'encounters'], ['photo', 'photos'], ['individual', 'individuals'], ['annotation', 'annotations'], ['decision', 'decisions']] as const) {
          db.prepare(`INSERT OR REPLACE INTO team_pending (kind, local_id) SELECT ?, id FROM ${table} WHERE id NOT IN (SELECT local_id FROM team_origin WHERE kind = ?) ORDER BY id`).run(kind, kind);
        }
      })();
    },
    recordSync(at, error) {
      if (error === null) db.prepare('UPDATE team_link SET last_sync_at = ?, last_error = NULL WHERE id = 1').run(at);
      else db.prepare('UPDATE team_link SET last_error = ? WHERE id = 1').run(error);
    },
    pendingCount() {
      return db.prepare('SELECT count(*) FROM team_pending p WHERE NOT EXISTS (SELECT 1 FROM team_origin o WHERE o.kind = p.kind AND o.local_id = p.local_id)').pluck().get() as number;
    },
    readPending(site, limit, model, filesDir) {
      // Rows that came from another site are that site's to push.
      db.prepare('DELETE FROM team_pending WHERE EXISTS (SELECT 1 FROM team_origin o WHERE o.kind = team_pending.kind AND o.local_id = team_pending.local_id)').run();
      const marks = (db.prepare(`SELECT rowid AS mark, kind, local_id AS localId FROM team_pending ORDER BY ${KIND_ORDER}, rowid LIMIT ?`).all(limit) as PendingMark[]);
      const batch = emptyBatch();
      const crops: CropSource[] = [];
      const get = (table: string, id: number) => db.prepare(`SELECT * FROM ${table} WHERE id = ?`).get(id) as Row | undefined;
      const embedding = db.prepare('SELECT dim, vector, created_at FROM embeddings WHERE annotation_id = ? AND model_id = ?');
      for (const m of marks) {
        if (m.kind === 'encounter') {
          const e = get('encounters', m.localId);
          if (e) batch.encounters.push({ site, id: e.id, code: e.code, start_time: e.start_time, end_time: e.end_time, latitude: e.latitude, longitude: e.longitude, location: e.location, observer: e.observer, platform: e.platform, notes: e.notes, created_at: e.created_at });
        } else if (m.kind === 'photo') {
          const p = get('photos', m.localId);
          if (!p) continue;
          const enc = ref('encounter', p.encounter_id, site);
          batch.photos.push({ site, id: p.id, sha256: p.sha256, original_name: p.original_name, file_size: p.file_size, width: p.width, height: p.height, taken_at: p.taken_at, taken_at_utc: p.taken_at_utc, latitude: p.latitude, longitude: p.longitude, camera_make: p.camera_make, camera_model: p.camera_model, encounter_site: enc.site, encounter_id: enc.id, created_at: p.created_at });
        } else if (m.kind === 'individual') {
          const i = get('individuals', m.localId);
          if (!i) continue;
          const into = ref('individual', i.merged_into, site);
          batch.individuals.push({ site, id: i.id, code: i.code, name: i.name, sex: i.sex, notes: i.notes, created_at: i.created_at, updated_at: i.updated_at, merged_into_site: into.site, merged_into_id: into.id });
        } else if (m.kind === 'annotation') {
          const a = get('annotations', m.localId);
          if (!a) continue;
          const photo = ref('photo', a.photo_id, site);
          const ind = ref('individual', a.individual_id, site);
          batch.annotations.push({ site, id: a.id, photo_site: photo.site!, photo_id: photo.id!, x: a.x, y: a.y, w: a.w, h: a.h, body_part: a.body_part, side: a.side, quality: a.quality, source: a.source, individual_site: ind.site, individual_id: ind.id, identified_by: a.identified_by, identified_at: a.identified_at, created_at: a.created_at, crop: null });
          const p = get('photos', a.photo_id)!;
          crops.push({ annotationId: a.id, file: p.copied ? `${filesDir}/${p.path}` : p.path, box: { x: a.x, y: a.y, w: a.w, h: a.h } });
          const e = model ? (embedding.get(a.id, model) as Row | undefined) : undefined;
          if (e) batch.embeddings.push({ site, annotation_id: a.id, model_id: model!, dim: e.dim, vector: e.vector, created_at: e.created_at });
        } else {
          const d = get('decisions', m.localId);
          if (!d) continue;
          const ann = ref('annotation', d.annotation_id, site);
          const ind = ref('individual', d.individual_id, site);
          batch.decisions.push({ site, id: d.id, annotation_site: ann.site!, annotation_id: ann.id!, individual_site: ind.site, individual_id: ind.id, decision: d.decision, reviewer: d.reviewer, model_id: d.model_id, rank: d.rank, score: d.score, details: d.details, created_at: d.created_at, undone_at: d.undone_at });
        }
      }
      return { batch, marks, crops };
    },
    pushed(marks, renamed) {
      db.transaction(() => {
        const clear = db.prepare('DELETE FROM team_pending WHERE rowid = ? AND kind = ? AND local_id = ?');
        for (const m of marks) clear.run(m.mark, m.kind, m.localId);
        for (const [id, code] of renamed) renameToTeamCode(db, id, code);
      })();
    },
    watermarks() {
      const rows = db.prepare('SELECT site, seq FROM team_watermarks').all() as Array<{ site: string; seq: number }>;
      return new Map(rows.map((r) => [r.site, r.seq]));
    },
    applyPull(site, seq, batch, source, writeCrop) {
      // Vectors of a model this catalog does not hold cannot be stored here (the crop is re-embedded instead).
      const known = new Set(db.prepare('SELECT id FROM models').pluck().all() as string[]);
      const staging = stagingCatalog({ ...batch, embeddings: batch.embeddings.filter((e) => known.has(e.model_id)) });
      try {
        return db.transaction((): PulledResult => {
          const pendingBefore = (db.prepare('SELECT COALESCE(MAX(rowid), 0) FROM team_pending').pluck().get() as number) ?? 0;
          const maxId = (table: string) => (db.prepare(`SELECT COALESCE(MAX(id), 0) FROM ${table}`).pluck().get() as number) ?? 0;
          const before = { individual: maxId('individuals'), encounter: maxId('encounters'), photo: maxId('photos'), annotation: maxId('annotations'), decision: maxId('decisions') };
          const mergeId = Number(db.prepare("INSERT INTO merges (source, kind, source_catalog) VALUES (?, 'bundle', ?)").run(source, `team:${site}`).lastInsertRowid);
          const ctx: MergeContext = newMergeContext(db, staging.db, mergeId);
          mergeIndividuals(ctx);
          mergeEncounters(ctx);
          // A pulled photo's file stays on the laptop that took it: here it is marked missing, and its crop is shown.
          mergePhotos(ctx, new Map(), () => true);
          mergeAnnotations(ctx);
          mergeVectors(ctx);
          const decisionsBefore = maxId('decisions');
          mergeDecisions(ctx);
          mergeIndividualLinks(ctx, new Set([...ctx.individuals.values()].filter((id) => id > before.individual)));
          const origin = db.prepare('INSERT OR IGNORE INTO team_origin (kind, local_id, site, remote_id) VALUES (?, ?, ?, ?)');
          const mapIds = db.prepare('INSERT OR IGNORE INTO merge_ids (merge_id, kind, source_id, target_id) VALUES (?, ?, ?, ?)');
          for (const [kind, map] of [['individual', ctx.individuals], ['encounter', ctx.encounters], ['photo', ctx.photos], ['annotation', ctx.annotations]] as const) {
            for (const [sid, local] of map) {
              mapIds.run(mergeId, kind, sid, local);
              const key = staging.keys[kind][sid - 1];
              if (local > before[kind]) origin.run(kind, local, key.site, key.id);
            }
          }
          // Decisions are matched by content; the ones this pull added are the other site's.
          const added = db.prepare('SELECT id, annotation_id, decision, created_at, reviewer FROM decisions WHERE id > ? ORDER BY id').all(decisionsBefore) as Row[];
          const byContent = new Map(batch.decisions.map((d) => [`${d.decision}\u0000${d.created_at}\u0000${d.reviewer}`, d]));
          for (const d of added) {
            const src = byContent.get(`${d.decision}\u0000${d.created_at}\u0000${d.reviewer}`);
            if (src) origin.run('decision', d.id, src.site, src.id);
          }
          for (const a of batch.annotations) {
            const local = ctx.annotations.get(staging.ids.annotation.get(`${a.site}\u0000${a.id}`) ?? -1);
            if (local !== undefined && a.crop) writeCrop(local, a.crop);
          }
          // What the merge wrote here is not this site's news: it is not pushed back.
          db.prepare('DELETE FROM team_pending WHERE rowid > ?').run(pendingBefore);
          db.prepare('INSERT INTO team_watermarks (site, seq) VALUES (?, ?) ON CONFLICT(site) DO UPDATE SET seq = max(seq, excluded.seq)').run(site, seq);
          const counts = { added: ctx.added, duplicate: ctx.duplicate, conflicts: ctx.conflicts };
          db.prepare('UPDATE merges SET counts = ? WHERE id = ?').run(JSON.stringify(counts), mergeId);
          return counts;
        })();
      } finally {
        staging.db.close();
      }
    },
    openConflicts() {
      return db.prepare("SELECT count(*) FROM merge_conflicts WHERE state = 'open'").pluck().get() as number;
    },
    activeModel() {
      return (db.prepare('SELECT id FROM models WHERE active = 1').pluck().get() as string | undefined) ?? null;
    },
    teamConflicts: (site) => openTeamConflicts(db, site),
    pulledLackingEmbedding(model) {
      return db
        .prepare("SELECT count(*) FROM team_origin o WHERE o.kind = 'annotation' AND NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.annotation_id = o.local_id AND e.model_id = ?)")
        .pluck()
        .get(model) as number;
    },
  };
}

/** A pushed individual's code was taken on the team: it takes the team code, and the rename is logged. */
function renameToTeamCode(db: SqliteDb, id: number, code: string): void {
  const prev = db.prepare('SELECT code FROM individuals WHERE id = ?').pluck().get(id) as string | undefined;
  if (prev === undefined || prev === code) return;
  if (db.prepare('SELECT 1 FROM individuals WHERE code = ? AND id != ?').get(code, id)) throw new Error(`team code ${code} for ${prev} is already used by another individual in this catalog`);
  db.prepare("UPDATE individuals SET code = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?").run(code, id);
  // The log is per annotation (as for any rename); an individual without photos has nothing to attach it to.
  const first = db.prepare('SELECT id FROM annotations WHERE individual_id = ? ORDER BY id LIMIT 1').pluck().get(id) as number | undefined;
  if (first === undefined) return;
  db.prepare("INSERT INTO decisions (annotation_id, individual_id, decision, reviewer, details) VALUES (?, ?, 'rename', 'caudal team sync', ?)").run(
    first,
    id,
    JSON.stringify({ individualId: id, prevCode: prev, code, reason: 'team code given on push' }),
  );
}

interface Staging {
  db: Database.Database;
  /** kind -> staging id - 1 -> (site, id) on the server. */
  keys: Record<'individual' | 'encounter' | 'photo' | 'annotation', Array<{ site: string; id: number }>>;
  ids: Record<'individual' | 'encounter' | 'photo' | 'annotation', Map<string, number>>;
}

let emptyImage: Buffer | undefined;

/** An empty, migrated catalog as bytes: made once per process, so each pulled batch copies it instead of reading and applying every migration again. */
function emptyCatalogImage(): Buffer {
  if (!emptyImage) {
    const t = new Database(':memory:');
    try {
      applyMigrations(t, 'team staging', loadMigrations());
      emptyImage = t.serialize();
    } finally {
      t.close();
    }
  }
  return emptyImage;
}

/**
 * A pulled push as a catalog of its own (in memory, the same schema), so the bundle merge's
 * reconciliation applies to it unchanged. Staging ids are 1..n per table, in batch order; a row
 * whose parent is absent is left out.
 */
function stagingCatalog(b: TeamBatch): Staging {
  const s = new Database(emptyCatalogImage());
  s.pragma('foreign_keys = OFF');
  const keys: Staging['keys'] = { individual: [], encounter: [], photo: [], annotation: [] };
  const ids: Staging['ids'] = { individual: new Map(), encounter: new Map(), photo: new Map(), annotation: new Map() };
  const k = (site: string | null, id: number | null) => (site === null || id === null ? '' : `${site}\u0000${id}`);
  const put = (kind: keyof Staging['keys'], site: string, id: number): number | null => {
    if (ids[kind].has(k(site, id))) return null;
    keys[kind].push({ site, id });
    ids[kind].set(k(site, id), keys[kind].length);
    return keys[kind].length;
  };
  const idOf = (kind: keyof Staging['keys'], site: string | null, id: number | null) => ids[kind].get(k(site, id)) ?? null;
  const ins = (table: string, row: Row) => {
    const cols = Object.keys(row);
    s.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...cols.map((c) => row[c]));
  };
  for (const e of b.encounters) {
    const id = put('encounter', e.site, e.id);
    if (id) ins('encounters', { id, code: e.code, start_time: e.start_time, end_time: e.end_time, latitude: e.latitude, longitude: e.longitude, location: e.location, observer: e.observer, platform: e.platform, notes: e.notes, created_at: e.created_at });
  }
  for (const p of b.photos) {
    const id = put('photo', p.site, p.id);
    if (id) ins('photos', { id, sha256: p.sha256, path: `team:${p.site}/${p.original_name}`, original_name: p.original_name, file_size: p.file_size, width: p.width, height: p.height, taken_at: p.taken_at, taken_at_utc: p.taken_at_utc, latitude: p.latitude, longitude: p.longitude, camera_make: p.camera_make, camera_model: p.camera_model, encounter_id: idOf('encounter', p.encounter_site, p.encounter_id), copied: 0, missing: 1, created_at: p.created_at });
  }
  for (const i of b.individuals) {
    const id = put('individual', i.site, i.id);
    if (id) ins('individuals', { id, code: i.code, name: i.name, sex: i.sex, notes: i.notes, created_at: i.created_at, updated_at: i.updated_at });
  }
  for (const i of b.individuals) {
    const into = idOf('individual', i.merged_into_site, i.merged_into_id);
    if (into) s.prepare('UPDATE individuals SET merged_into = ? WHERE id = ?').run(into, idOf('individual', i.site, i.id));
  }
  for (const a of b.annotations) {
    const photo = idOf('photo', a.photo_site, a.photo_id);
    if (!photo || ids.annotation.has(k(a.site, a.id))) continue;
    const id = put('annotation', a.site, a.id)!;
    ins('annotations', { id, photo_id: photo, x: a.x, y: a.y, w: a.w, h: a.h, body_part: a.body_part, side: a.side, quality: a.quality, individual_id: idOf('individual', a.individual_site, a.individual_id), identified_by: a.identified_by, identified_at: a.identified_at, created_at: a.created_at, source: a.source });
  }
  for (const e of b.embeddings) {
    const ann = idOf('annotation', e.site, e.annotation_id);
    if (ann) ins('embeddings', { annotation_id: ann, model_id: e.model_id, dim: e.dim, vector: e.vector, created_at: e.created_at });
  }
  let n = 0;
  for (const d of b.decisions) {
    const ann = idOf('annotation', d.annotation_site, d.annotation_id);
    if (!ann) continue;
    ins('decisions', { id: ++n, annotation_id: ann, individual_id: idOf('individual', d.individual_site, d.individual_id), decision: d.decision, reviewer: d.reviewer, model_id: d.model_id, rank: d.rank, score: d.score, details: d.details, created_at: d.created_at, undone_at: d.undone_at });
  }
  return { db: s, keys, ids };
}

const perCatalog = new WeakMap<object, TeamSyncStore>();

/** The team-sync store of a catalog (made once per catalog). */
export function teamSyncStore(catalog: { db: SqliteDb }): TeamSyncStore {
  let s = perCatalog.get(catalog);
  if (!s) perCatalog.set(catalog, (s = sqliteTeamSyncStore(catalog.db)));
  return s;
}
