import type { SqliteDb } from './sqlite';
import { lazyStatements } from './statements';

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
  /** Whole-frame, unidentified annotations alone on a present photo (of one import when given) that no proposal has looked at. */
  proposalCandidates(importId?: number): ProposalCandidate[];
  /**
   * Replaces a candidate's whole-frame box with a proposed one (source 'proposed'), only while it is
   * still the unidentified whole frame it was when read; false when it changed meanwhile.
   */
  placeProposedBox(c: ProposalCandidate, box: { x: number; y: number; w: number; h: number; score: number }): boolean;
  /** Records that a frame was looked at and nothing was proposed (`score`: the best the proposer saw). */
  declineProposal(id: number, score: number): void;
  count(): number;
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

export function sqliteAnnotationStore(db: SqliteDb): AnnotationStore {
  const s = lazyStatements(db, {
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
    proposalCandidates: (importId) => s.candidates().all(importId ?? null, importId ?? null) as ProposalCandidate[],
    placeProposedBox: (c, box) => s.place().run({ id: c.id, x: box.x, y: box.y, w: box.w, h: box.h, score: box.score, x0: c.x, y0: c.y, w0: c.w, h0: c.h }).changes > 0,
    declineProposal: (id, score) => {
      s.decline().run(score, id);
    },
    count: () => s.count().pluck().get() as number,
    identifiedCount: () => s.identified().pluck().get() as number,
    exists: (id) => s.exists().get(id) !== undefined,
    unidentifiedEncounterMates: (encounterId, exceptId, bodyPart) => s.mates().pluck().all(encounterId, exceptId, bodyPart) as number[],
    idsOfPhotoSha256: (sha256) => s.bySha().pluck().all(sha256) as number[],
    withPhotoPaths: () => s.withPaths().all() as Array<{ id: number; individualId: number | null; path: string }>,
  };
}
