import Database from 'better-sqlite3';
import type { SqliteDb } from './sqlite';
import { applyMigrations, loadMigrations } from './migrate';
import { statementCache } from './statements';
import { emptyBatch, type ParentTable, type TeamBatch, type TeamKey } from './team-rows';
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
  /** Clears the marks of rows that came from another site (theirs to push); once per sync. */
  dropForeignPending(): void;
  /** Up to `limit` pending own rows, parents before children, with references as (site, id). */
  readPending(site: string, limit: number, model: string | null, filesDir: string): PendingPush;
  /** After the server committed a push: clears its marks and gives renamed individuals their team codes (a logged decision each). */
  pushed(marks: PendingMark[], renamed: Map<number, string>): void;
  watermarks(): Map<string, number>;
  /** This catalog's copies of team rows (by team key; `site` is this catalog's), as the team holds them; keys it lacks are left out. */
  copies<T extends ParentTable>(table: T, keys: TeamKey[], site: string): Array<TeamBatch[T][number]>;
  /** Applies one pulled push and advances that site's watermark, in one transaction. */
  applyPull(site: string, seq: number, batch: TeamBatch, source: string, writeCrop: (annotationId: number, jpeg: Buffer) => void): PulledResult;
  openConflicts(): number;
  activeModel(): string | null;
  /** Open conflicts that pulls met, named as the team knows them. */
  teamConflicts(site: string): LocalTeamConflict[];
  /** Annotations pulled from other sites that have no vector of `model`. */
  pulledLackingEmbedding(model: string): number;
}

/** Push order: parents before the rows that point at them. */
const KINDS: Kind[] = ['encounter', 'photo', 'individual', 'annotation', 'decision'];
const TABLE_OF: Record<Kind, string> = { encounter: 'encounters', photo: 'photos', individual: 'individuals', annotation: 'annotations', decision: 'decisions' };
const KIND_OF: Record<ParentTable, Exclude<Kind, 'decision'>> = { encounters: 'encounter', photos: 'photo', individuals: 'individual', annotations: 'annotation' };

type Row = Record<string, any>;

export function sqliteTeamSyncStore(db: SqliteDb): TeamSyncStore {
  // The store's one statement cache (statements.ts), typed by the row each statement reads.
  const cache = statementCache(db);
  const q = <T>(sql: string) => () => cache(sql) as unknown as Database.Statement<unknown[], T>;
  const originOf = q<{ site: string; remote_id: number }>('SELECT site, remote_id FROM team_origin WHERE kind = ? AND local_id = ?');
  const ref = (kind: Kind, id: number | null, mySite: string): { site: string | null; id: number | null } => {
    if (id === null) return { site: null, id: null };
    const o = originOf().get(kind, id);
    return o ? { site: o.site, id: o.remote_id } : { site: mySite, id };
  };

  const localOf = q<{ local_id: number }>('SELECT local_id FROM team_origin WHERE kind = ? AND site = ? AND remote_id = ?');
  const pendingOf = q<PendingMark>('SELECT rowid AS mark, kind, local_id AS localId FROM team_pending WHERE kind = ? ORDER BY local_id LIMIT ?');
  const embeddingOf = q<Row>('SELECT dim, vector, created_at FROM embeddings WHERE annotation_id = ? AND model_id = ?');
  const byId = Object.fromEntries(KINDS.map((k) => [k, q<Row>(`SELECT * FROM ${TABLE_OF[k]} WHERE id = ?`)])) as Record<Kind, () => Database.Statement<unknown[], Row>>;
  const rowOf = (kind: Kind, id: number) => byId[kind]().get(id) as Row | undefined;
  // A local row as the team holds it: keyed, and pointing at its parents, by team keys.
  const key = (kind: Kind, id: number, site: string) => ref(kind, id, site) as { site: string; id: number };
  const toTeam = {
    encounter: (e: Row, site: string): TeamBatch['encounters'][number] => ({ ...key('encounter', e.id, site), code: e.code, start_time: e.start_time, end_time: e.end_time, latitude: e.latitude, longitude: e.longitude, location: e.location, observer: e.observer, platform: e.platform, notes: e.notes, created_at: e.created_at }),
    photo: (p: Row, site: string): TeamBatch['photos'][number] => {
      const enc = ref('encounter', p.encounter_id, site);
      return { ...key('photo', p.id, site), sha256: p.sha256, original_name: p.original_name, file_size: p.file_size, width: p.width, height: p.height, taken_at: p.taken_at, taken_at_utc: p.taken_at_utc, latitude: p.latitude, longitude: p.longitude, camera_make: p.camera_make, camera_model: p.camera_model, encounter_site: enc.site, encounter_id: enc.id, created_at: p.created_at };
    },
    individual: (i: Row, site: string): TeamBatch['individuals'][number] => {
      const into = ref('individual', i.merged_into, site);
      return { ...key('individual', i.id, site), code: i.code, name: i.name, sex: i.sex, notes: i.notes, created_at: i.created_at, updated_at: i.updated_at, merged_into_site: into.site, merged_into_id: into.id };
    },
    annotation: (a: Row, site: string): TeamBatch['annotations'][number] => {
      const photo = ref('photo', a.photo_id, site);
      const ind = ref('individual', a.individual_id, site);
      return { ...key('annotation', a.id, site), photo_site: photo.site!, photo_id: photo.id!, x: a.x, y: a.y, w: a.w, h: a.h, body_part: a.body_part, side: a.side, quality: a.quality, source: a.source, individual_site: ind.site, individual_id: ind.id, identified_by: a.identified_by, identified_at: a.identified_at, created_at: a.created_at, crop: null };
    },
    decision: (d: Row, site: string): TeamBatch['decisions'][number] => {
      const ann = ref('annotation', d.annotation_id, site);
      const ind = ref('individual', d.individual_id, site);
      return { ...key('decision', d.id, site), annotation_site: ann.site!, annotation_id: ann.id!, individual_site: ind.site, individual_id: ind.id, decision: d.decision, reviewer: d.reviewer, model_id: d.model_id, rank: d.rank, score: d.score, details: d.details, created_at: d.created_at, undone_at: d.undone_at };
    },
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
    dropForeignPending() {
      // Rows that came from another site are that site's to push (one pass per sync, not per batch).
      db.prepare('DELETE FROM team_pending WHERE EXISTS (SELECT 1 FROM team_origin o WHERE o.kind = team_pending.kind AND o.local_id = team_pending.local_id)').run();
    },
    readPending(site, limit, model, filesDir) {
      // Kind by kind, parents first, each through the (kind, local_id) index: a batch costs its own
      // rows, not a sort of everything still pending.
      const marks: PendingMark[] = [];
      for (const kind of KINDS) {
        if (marks.length >= limit) break;
        marks.push(...(pendingOf().all(kind, limit - marks.length) as PendingMark[]));
      }
      const batch = emptyBatch();
      const crops: CropSource[] = [];
      const embedding = embeddingOf();
      for (const m of marks) {
        const row = rowOf(m.kind, m.localId);
        if (!row) continue;
        if (m.kind === 'encounter') batch.encounters.push(toTeam.encounter(row, site));
        else if (m.kind === 'photo') batch.photos.push(toTeam.photo(row, site));
        else if (m.kind === 'individual') batch.individuals.push(toTeam.individual(row, site));
        else if (m.kind === 'annotation') {
          batch.annotations.push(toTeam.annotation(row, site));
          const p = rowOf('photo', row.photo_id)!;
          crops.push({ annotationId: row.id, file: p.copied ? `${filesDir}/${p.path}` : p.path, box: { x: row.x, y: row.y, w: row.w, h: row.h } });
          const e = model ? (embedding.get(row.id, model) as Row | undefined) : undefined;
          if (e) batch.embeddings.push({ site, annotation_id: row.id, model_id: model!, dim: e.dim, vector: e.vector, created_at: e.created_at });
        } else batch.decisions.push(toTeam.decision(row, site));
      }
      return { batch, marks, crops };
    },
    copies(table, keys, site) {
      const kind = KIND_OF[table];
      const out: unknown[] = [];
      for (const k of keys) {
        const localId = k.site === site ? (originOf().get(kind, k.id) ? undefined : k.id) : (localOf().get(kind, k.site, k.id) as { local_id: number } | undefined)?.local_id;
        const row = localId === undefined ? undefined : rowOf(kind, localId);
        if (row) out.push(toTeam[kind](row, site));
      }
      return out as never;
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
      // Through the (model_id, annotation_id) index, not the primary key: the table's leaf pages hold
      // the vectors, and walking them took 3-4 s at 100k annotations against 44 ms for the index.
      return db
        .prepare("SELECT count(*) FROM team_origin o WHERE o.kind = 'annotation' AND NOT EXISTS (SELECT 1 FROM embeddings e INDEXED BY embeddings_model WHERE e.model_id = ? AND e.annotation_id = o.local_id)")
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
