import type { Annotation, AnnotationSource, AnnotationView, Box } from '../../contract';
import type { SqliteDb } from './sqlite';
import { statementCache } from './statements';

/** An unidentified whole-frame annotation alone on its photo, which a proposed box may replace. */
export interface ProposalCandidate {
  id: number;
  x: number;
  y: number;
  w: number;
  h: number;
  width: number;
  height: number;
  path: string;
  copied: number;
}

/** Annotations: the boxed animal in a photo (box, side/body part, source: drawn, whole frame, proposed). */
export interface AnnotationStore {
  byId(id: number): Annotation | undefined;
  ofPhoto(photoId: number): Annotation[];
  /** A person's new box; returns its id. */
  create(a: { photoId: number; box: Box; bodyPart: string; side: string | null; quality: number | null }): number;
  /** Writes the box and fields as given (a moved box drops its embeddings through a schema trigger). */
  update(id: number, a: { box: Box; source: AnnotationSource; bodyPart: string; side: string | null; quality: number | null }): void;
  /** From now on a person's box, never replaced by Caudal. */
  markPersons(id: number): void;
  delete(id: number): void;
  /** Annotations imported before the catalog knew its body part get it. */
  giveBodyPartWhereMissing(bodyPart: string): void;
  /** Who the annotation is identified as, by whom and when; undefined when there is no such annotation. */
  identity(id: number): AnnotationIdentity | undefined;
  /** Gives the annotation to an individual, stamped with who (a reviewer, a labels file) and when (default: now). */
  identify(id: number, individualId: number, by: string | null, at?: string): void;
  /** Puts an identity back exactly as it was (undo). */
  restoreIdentity(id: number, identity: AnnotationIdentity): void;
  /** The annotations of an individual, by id. */
  idsOfIndividual(individualId: number): number[];
  countOfIndividual(individualId: number): number;
  count(): number;
  countIdentified(): number;
  view(id: number): AnnotationView | undefined;
  views(ids: number[]): Map<number, AnnotationView>;
  /** An individual's photos, newest first, without `exceptId`; all of them when `limit` is not given. */
  viewsOfIndividual(individualId: number, exceptId?: number, limit?: number): AnnotationView[];
  /** Unidentified annotations of the same body part in an encounter, besides `exceptId`. */
  countUnidentifiedInEncounter(encounterId: number, exceptId: number, bodyPart: string): number;
  /** Review queue counts: identified, unidentified, unidentified and skipped (a skip not undone). */
  queueCounts(): { done: number; left: number; skipped: number };
  /** The unidentified annotations in encounter order (encounters in time, photos in capture order), skipped ones last. */
  queuePage(offset: number, limit: number): Array<AnnotationView & { skipped: boolean }>;
  /** Every unidentified annotation in encounter order, with whether it was skipped. */
  queueAll(): Array<{ id: number; skipped: boolean }>;
  queueViews(ids: number[]): Map<number, AnnotationView & { skipped: boolean }>;
  /** A box Caudal placed or a labels file gave (`frame`: the whole photo; `person`: a given box); returns its id. */
  createPlaced(a: { photoId: number; box: Box; bodyPart: string; source: AnnotationSource }): number;
  hasAnyOnPhoto(photoId: number): boolean;
  /** The boxes of a photo with their identity and side, by id (to match label rows against). */
  boxesOfPhoto(photoId: number): Array<Box & { id: number; individualId: number | null; side: string | null }>;
  setSide(id: number, side: string): void;
  /**
   * Every identified annotation with what an export writes about it, in capture order, with the
   * latest standing review decision's model and score. Photo GPS wins over the encounter's position.
   */
  identifiedForExport(): IdentifiedAnnotation[];
  /** Whole-frame, unidentified annotations alone on a present photo (of one import when given) that no proposal has looked at. */
  proposalCandidates(importId?: number): ProposalCandidate[];
  /**
   * Replaces a candidate's whole-frame box with a proposed one (source 'proposed'), only while it is
   * still the unidentified whole frame it was when read; false when it changed meanwhile.
   */
  placeProposedBox(c: ProposalCandidate, box: { x: number; y: number; w: number; h: number; score: number }): boolean;
  /** Records that a frame was looked at and nothing was proposed (`score`: the best the proposer saw). */
  declineProposal(id: number, score: number): void;
  /** Annotations given an individual. */
  identifiedCount(): number;
  exists(id: number): boolean;
  /** The other unidentified annotations of an encounter with the same body part, by id. */
  unidentifiedEncounterMates(encounterId: number, exceptId: number, bodyPart: string): number[];
  /** The annotations of the photo with these bytes (sha256, hex), by id. */
  idsOfPhotoSha256(sha256: string): number[];
  /** Every annotation with its individual (null: none) and photo path, in capture order. */
  withPhotoPaths(): Array<{ id: number; individualId: number | null; path: string }>;
}

/** An identified annotation as exports read it; `individualId` is as stored (maybe merged away since). */
export interface IdentifiedAnnotation {
  annotationId: number;
  /** The annotation's creation time, part of its occurrence id. */
  createdAt: string;
  individualId: number;
  encounterId: number | null;
  encounterCode: string | null;
  takenAt: string | null;
  latitude: number | null;
  longitude: number | null;
  location: string | null;
  observer: string | null;
  photoId: number;
  photoSha256: string;
  photoName: string;
  photoPath: string;
  photoCopied: number;
  x: number;
  y: number;
  w: number;
  h: number;
  bodyPart: string;
  side: string | null;
  quality: number | null;
  identifiedBy: string | null;
  identifiedAt: string | null;
  modelId: string | null;
  score: number | null;
}

/** An annotation's identity, as the decision log keeps it (`prev`) for undo: snake_case, as stored. */
export interface AnnotationIdentity {
  individual_id: number | null;
  identified_by: string | null;
  identified_at: string | null;
}

/** The columns every annotation view needs; queries add their own WHERE / ORDER BY. */
const VIEW = `SELECT a.id AS annotationId, a.photo_id AS photoId, p.width, p.height, a.x, a.y, a.w, a.h,
  a.body_part AS bodyPart, a.side, p.taken_at AS takenAt, p.encounter_id AS encounterId, e.code AS encounterCode,
  p.original_name AS originalName
  FROM annotations a JOIN photos p ON p.id = a.photo_id LEFT JOIN encounters e ON e.id = p.encounter_id`;

/** A row of VIEW: the view with its box as flat columns. */
type AnnotationViewRow = Omit<AnnotationView, 'box'> & Box;

function toView(r: AnnotationViewRow): AnnotationView {
  // Field by field: queries select extra columns (e.g. the queue's `skipped`) that are not the view's.
  return {
    annotationId: r.annotationId,
    photoId: r.photoId,
    width: r.width,
    height: r.height,
    box: { x: r.x, y: r.y, w: r.w, h: r.h },
    bodyPart: r.bodyPart,
    side: r.side,
    takenAt: r.takenAt,
    encounterId: r.encounterId,
    encounterCode: r.encounterCode,
    originalName: r.originalName,
  };
}

/** A skip counts until it is undone or the annotation is identified. */
const SKIPPED = `EXISTS (SELECT 1 FROM decisions d WHERE d.annotation_id = a.id AND d.decision = 'skip' AND d.undone_at IS NULL)`;
const QUEUE_VIEW = VIEW.replace('SELECT ', `SELECT ${SKIPPED} AS skipped, `);
const TIME_ORDER = `COALESCE(e.start_time, p.taken_at_utc), p.encounter_id, p.taken_at_utc, a.id`;

const SELECT = `SELECT a.id, a.photo_id, a.x, a.y, a.w, a.h, a.source, a.body_part, a.side, a.quality, a.individual_id, i.code AS individual_code,
  a.identified_by, a.identified_at FROM annotations a LEFT JOIN individuals i ON i.id = a.individual_id`;

type AnnotationRow = {
  id: number;
  photo_id: number;
  x: number;
  y: number;
  w: number;
  h: number;
  source: AnnotationSource;
  body_part: string;
  side: string | null;
  quality: number | null;
  individual_id: number | null;
  individual_code: string | null;
  identified_by: string | null;
  identified_at: string | null;
};

const toAnnotation = (r: AnnotationRow): Annotation => ({
  id: r.id,
  photoId: r.photo_id,
  x: r.x,
  y: r.y,
  w: r.w,
  h: r.h,
  source: r.source,
  bodyPart: r.body_part,
  side: r.side,
  quality: r.quality,
  individualId: r.individual_id,
  individualCode: r.individual_code,
  identifiedBy: r.identified_by,
  identifiedAt: r.identified_at,
});

export function sqliteAnnotationStore(db: SqliteDb): AnnotationStore {
  const q = statementCache(db);
  const s = q.named({
    candidates: `SELECT a.id, a.x, a.y, a.w, a.h, p.width, p.height, p.path, p.copied FROM annotations a JOIN photos p ON p.id = a.photo_id
       WHERE a.source = 'frame' AND a.proposal_score IS NULL AND a.individual_id IS NULL AND p.missing = 0 AND (? IS NULL OR p.import_id = ?)
         AND NOT EXISTS (SELECT 1 FROM annotations o WHERE o.photo_id = a.photo_id AND o.id != a.id)
       ORDER BY p.id`,
    place: `UPDATE annotations SET x = @x, y = @y, w = @w, h = @h, source = 'proposed', proposal_score = @score
       WHERE id = @id AND source = 'frame' AND individual_id IS NULL AND x = @x0 AND y = @y0 AND w = @w0 AND h = @h0`,
    decline: "UPDATE annotations SET proposal_score = ? WHERE id = ? AND source = 'frame'",
    count: 'SELECT COUNT(*) FROM annotations',
    identified: 'SELECT COUNT(*) FROM annotations WHERE individual_id IS NOT NULL',
    exists: 'SELECT 1 FROM annotations WHERE id = ?',
    mates: `SELECT a.id FROM annotations a JOIN photos p ON p.id = a.photo_id
       WHERE p.encounter_id = ? AND a.id != ? AND a.individual_id IS NULL AND a.body_part = ? ORDER BY a.id`,
    bySha: 'SELECT a.id FROM photos p JOIN annotations a ON a.photo_id = p.id WHERE p.sha256 = ? ORDER BY a.id',
    withPaths: 'SELECT a.id AS id, a.individual_id AS individualId, p.path AS path FROM annotations a JOIN photos p ON p.id = a.photo_id ORDER BY p.taken_at_utc, p.id, a.id',
  });
  return {
    byId(id) {
      const r = q(`${SELECT} WHERE a.id = ?`).get(id) as AnnotationRow | undefined;
      return r && toAnnotation(r);
    },
    ofPhoto(photoId) {
      return (q(`${SELECT} WHERE a.photo_id = ? ORDER BY a.id`).all(photoId) as AnnotationRow[]).map(toAnnotation);
    },
    create(a) {
      return Number(
        q('INSERT INTO annotations(photo_id, x, y, w, h, body_part, side, quality) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
          a.photoId, a.box.x, a.box.y, a.box.w, a.box.h, a.bodyPart, a.side, a.quality,
        ).lastInsertRowid,
      );
    },
    update(id, a) {
      q('UPDATE annotations SET x = ?, y = ?, w = ?, h = ?, source = ?, body_part = ?, side = ?, quality = ? WHERE id = ?').run(
        a.box.x, a.box.y, a.box.w, a.box.h, a.source, a.bodyPart, a.side, a.quality, id,
      );
    },
    markPersons(id) {
      q("UPDATE annotations SET source = 'person' WHERE id = ?").run(id);
    },
    delete(id) {
      q('DELETE FROM annotations WHERE id = ?').run(id);
    },
    giveBodyPartWhereMissing(bodyPart) {
      q("UPDATE annotations SET body_part = ? WHERE body_part = ''").run(bodyPart);
    },
    identity: (id) => q('SELECT individual_id, identified_by, identified_at FROM annotations WHERE id = ?').get(id) as AnnotationIdentity | undefined,
    identify(id, individualId, by, at) {
      if (at === undefined) q("UPDATE annotations SET individual_id = ?, identified_by = ?, identified_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?").run(individualId, by, id);
      else q('UPDATE annotations SET individual_id = ?, identified_by = ?, identified_at = ? WHERE id = ?').run(individualId, by, at, id);
    },
    restoreIdentity(id, prev) {
      q('UPDATE annotations SET individual_id = ?, identified_by = ?, identified_at = ? WHERE id = ?').run(prev.individual_id, prev.identified_by, prev.identified_at, id);
    },
    idsOfIndividual: (individualId) => q('SELECT id FROM annotations WHERE individual_id = ? ORDER BY id').pluck().all(individualId) as number[],
    countOfIndividual: (individualId) => q('SELECT COUNT(*) FROM annotations WHERE individual_id = ?').pluck().get(individualId) as number,
    count: () => q('SELECT COUNT(*) FROM annotations').pluck().get() as number,
    countIdentified: () => q('SELECT COUNT(*) FROM annotations WHERE individual_id IS NOT NULL').pluck().get() as number,
    view(id) {
      const r = q(`${VIEW} WHERE a.id = ?`).get(id) as AnnotationViewRow | undefined;
      return r && toView(r);
    },
    views(ids) {
      const out = new Map<number, AnnotationView>();
      if (ids.length === 0) return out;
      const rows = q(`${VIEW} WHERE a.id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as AnnotationViewRow[];
      for (const r of rows) out.set(r.annotationId, toView(r));
      return out;
    },
    viewsOfIndividual(individualId, exceptId, limit) {
      const rows =
        exceptId === undefined
          ? q(`${VIEW} WHERE a.individual_id = ? ORDER BY p.taken_at_utc DESC, a.id DESC`).all(individualId)
          : q(`${VIEW} WHERE a.individual_id = ? AND a.id != ? ORDER BY p.taken_at_utc DESC, a.id DESC LIMIT ?`).all(individualId, exceptId, limit ?? -1);
      return (rows as AnnotationViewRow[]).map(toView);
    },
    countUnidentifiedInEncounter: (encounterId, exceptId, bodyPart) =>
      q('SELECT COUNT(*) FROM annotations a JOIN photos p ON p.id = a.photo_id WHERE p.encounter_id = ? AND a.id != ? AND a.individual_id IS NULL AND a.body_part = ?')
        .pluck()
        .get(encounterId, exceptId, bodyPart) as number,
    queueCounts: () => ({
      done: q('SELECT COUNT(*) FROM annotations WHERE individual_id IS NOT NULL').pluck().get() as number,
      left: q('SELECT COUNT(*) FROM annotations WHERE individual_id IS NULL').pluck().get() as number,
      skipped: q(`SELECT COUNT(*) FROM annotations a WHERE a.individual_id IS NULL AND ${SKIPPED}`).pluck().get() as number,
    }),
    queuePage: (offset, limit) =>
      (q(`${QUEUE_VIEW} WHERE a.individual_id IS NULL ORDER BY skipped, ${TIME_ORDER} LIMIT ? OFFSET ?`).all(limit, offset) as Array<AnnotationViewRow & { skipped: number }>).map(
        (r) => ({ ...toView(r), skipped: Boolean(r.skipped) }),
      ),
    queueAll: () =>
      (
        q(`SELECT a.id, ${SKIPPED} AS skipped FROM annotations a JOIN photos p ON p.id = a.photo_id LEFT JOIN encounters e ON e.id = p.encounter_id
          WHERE a.individual_id IS NULL ORDER BY ${TIME_ORDER}`).all() as Array<{ id: number; skipped: number }>
      ).map((r) => ({ id: r.id, skipped: Boolean(r.skipped) })),
    queueViews(ids) {
      const rows = q(`${QUEUE_VIEW} WHERE a.id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as Array<AnnotationViewRow & { skipped: number }>;
      return new Map(rows.map((r) => [r.annotationId, { ...toView(r), skipped: Boolean(r.skipped) }]));
    },
    createPlaced: (a) =>
      Number(
        q('INSERT INTO annotations(photo_id, x, y, w, h, body_part, source) VALUES (?, ?, ?, ?, ?, ?, ?)').run(a.photoId, a.box.x, a.box.y, a.box.w, a.box.h, a.bodyPart, a.source)
          .lastInsertRowid,
      ),
    hasAnyOnPhoto: (photoId) => Boolean(q('SELECT 1 FROM annotations WHERE photo_id = ?').get(photoId)),
    boxesOfPhoto: (photoId) =>
      q('SELECT id, x, y, w, h, individual_id AS individualId, side FROM annotations WHERE photo_id = ? ORDER BY id').all(photoId) as Array<
        Box & { id: number; individualId: number | null; side: string | null }
      >,
    setSide(id, side) {
      q('UPDATE annotations SET side = ? WHERE id = ?').run(side, id);
    },
    identifiedForExport: () =>
      q(
        `SELECT a.id AS annotationId, a.created_at AS createdAt, a.individual_id AS individualId,
                e.id AS encounterId, e.code AS encounterCode,
                COALESCE(p.taken_at, e.start_time) AS takenAt,
                CASE WHEN p.latitude IS NOT NULL AND p.longitude IS NOT NULL THEN p.latitude ELSE e.latitude END AS latitude,
                CASE WHEN p.latitude IS NOT NULL AND p.longitude IS NOT NULL THEN p.longitude ELSE e.longitude END AS longitude,
                e.location AS location, e.observer AS observer,
                p.id AS photoId, p.sha256 AS photoSha256, p.original_name AS photoName, p.path AS photoPath, p.copied AS photoCopied,
                a.x, a.y, a.w, a.h, a.body_part AS bodyPart, a.side, a.quality,
                a.identified_by AS identifiedBy, a.identified_at AS identifiedAt,
                (SELECT d.model_id FROM decisions d WHERE d.annotation_id = a.id AND d.undone_at IS NULL
                   AND d.decision IN ('confirm', 'new') ORDER BY d.created_at DESC, d.id DESC LIMIT 1) AS modelId,
                (SELECT d.score FROM decisions d WHERE d.annotation_id = a.id AND d.undone_at IS NULL
                   AND d.decision IN ('confirm', 'new') ORDER BY d.created_at DESC, d.id DESC LIMIT 1) AS score
           FROM annotations a
           JOIN photos p ON p.id = a.photo_id
           LEFT JOIN encounters e ON e.id = p.encounter_id
          WHERE a.individual_id IS NOT NULL
          ORDER BY COALESCE(p.taken_at_utc, e.start_time), p.sha256, a.created_at, a.x, a.y, a.id`,
      ).all() as IdentifiedAnnotation[],
    proposalCandidates: (importId) => s.candidates().all(importId ?? null, importId ?? null) as ProposalCandidate[],
    placeProposedBox: (c, box) => s.place().run({ id: c.id, x: box.x, y: box.y, w: box.w, h: box.h, score: box.score, x0: c.x, y0: c.y, w0: c.w, h0: c.h }).changes > 0,
    declineProposal: (id, score) => {
      s.decline().run(score, id);
    },
    identifiedCount: () => s.identified().pluck().get() as number,
    exists: (id) => s.exists().get(id) !== undefined,
    unidentifiedEncounterMates: (encounterId, exceptId, bodyPart) => s.mates().pluck().all(encounterId, exceptId, bodyPart) as number[],
    idsOfPhotoSha256: (sha256) => s.bySha().pluck().all(sha256) as number[],
    withPhotoPaths: () => s.withPaths().all() as Array<{ id: number; individualId: number | null; path: string }>,
  };
}
