import type { DecisionInfo, DecisionKind } from '../../contract';
import type { SqliteDb } from './sqlite';
import { statementCache } from './statements';

export interface NewDecisionRow {
  annotationId: number;
  individualId: number | null;
  decision: DecisionKind;
  reviewer: string | null;
  modelId: string | null;
  rank: number | null;
  score: number | null;
  /** What undo needs: `prev` (the annotation before), `created`, `group`, `from`, ... */
  details: Record<string, unknown>;
  /** When it was decided (default: now); a labels file gives its import's time. */
  createdAt?: string;
}

/** Decisions: the append-only log of what a person confirmed, rejected, declared new or renamed. */
export interface DecisionStore {
  /** Appends to the log (the table refuses edits); returns the new entry's id. */
  log(d: NewDecisionRow): number;
  byId(id: number): DecisionInfo | undefined;
  /** The newest decision not undone. */
  newestLive(): DecisionInfo | undefined;
  /** The decisions of one group (a merge logs one per photo) not undone, newest first. */
  liveInGroup(group: string): DecisionInfo[];
  /** The newest 300 decisions that concern an individual (given, created, merged from, renamed, taken from). */
  aboutIndividual(individualId: number): DecisionInfo[];
  /** Ids of live decisions after `afterId` that changed the annotation's individual. */
  laterAssignments(annotationId: number, afterId: number): number[];
  markUndone(id: number): void;
  countFor(annotationId: number): number;
  /** The individuals a person rejected for an annotation (decisions not undone). */
  rejectedIndividuals(annotationId: number): number[];
}

interface DecisionRow {
  id: number;
  annotation_id: number;
  individual_id: number | null;
  decision: DecisionKind;
  reviewer: string | null;
  model_id: string | null;
  rank: number | null;
  score: number | null;
  details: string | null;
  created_at: string;
  undone_at: string | null;
  code: string | null;
}

const SELECT = `SELECT d.*, COALESCE(i.code, json_extract(d.details, '$.created.code')) AS code
  FROM decisions d LEFT JOIN individuals i ON i.id = d.individual_id`;

const CHANGES_ASSIGNMENT = "('confirm', 'new', 'merge', 'split', 'unassign')";

function toInfo(r: DecisionRow): DecisionInfo {
  return {
    id: r.id,
    annotationId: r.annotation_id,
    individualId: r.individual_id,
    individualCode: r.code,
    decision: r.decision,
    reviewer: r.reviewer,
    modelId: r.model_id,
    rank: r.rank,
    score: r.score,
    details: r.details ? JSON.parse(r.details) : null,
    createdAt: r.created_at,
    undoneAt: r.undone_at,
  };
}

export function sqliteDecisionStore(db: SqliteDb): DecisionStore {
  const q = statementCache(db);
  const read = (where: string, ...args: unknown[]) => (q(`${SELECT} WHERE ${where}`).all(...args) as DecisionRow[]).map(toInfo);
  const s = q.named({
    rejected: "SELECT individual_id FROM decisions WHERE annotation_id = ? AND decision = 'reject' AND undone_at IS NULL AND individual_id IS NOT NULL",
  });
  return {
    log(d) {
      if (d.createdAt !== undefined) {
        return Number(
          q(
            `INSERT INTO decisions(annotation_id, individual_id, decision, reviewer, model_id, rank, score, details, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          ).run(d.annotationId, d.individualId, d.decision, d.reviewer, d.modelId, d.rank, d.score, JSON.stringify(d.details), d.createdAt).lastInsertRowid,
        );
      }
      const r = q(
        `INSERT INTO decisions(annotation_id, individual_id, decision, reviewer, model_id, rank, score, details)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(d.annotationId, d.individualId, d.decision, d.reviewer, d.modelId, d.rank, d.score, JSON.stringify(d.details));
      return Number(r.lastInsertRowid);
    },
    byId: (id) => read('d.id = ?', id)[0],
    newestLive: () => read('d.undone_at IS NULL ORDER BY d.id DESC LIMIT 1')[0],
    liveInGroup: (group) => read("json_extract(d.details, '$.group') = ? AND d.undone_at IS NULL ORDER BY d.id DESC", group),
    aboutIndividual: (id) =>
      read(
        `(d.individual_id = @id OR json_extract(d.details, '$.created.id') = @id OR json_extract(d.details, '$.from') = @id
          OR json_extract(d.details, '$.individualId') = @id OR json_extract(d.details, '$.prev.individual_id') = @id)
         ORDER BY d.id DESC LIMIT 300`,
        { id },
      ),
    laterAssignments: (annotationId, afterId) =>
      q(`SELECT id FROM decisions WHERE annotation_id = ? AND id > ? AND undone_at IS NULL AND decision IN ${CHANGES_ASSIGNMENT}`)
        .pluck()
        .all(annotationId, afterId) as number[],
    markUndone(id) {
      q("UPDATE decisions SET undone_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?").run(id);
    },
    countFor: (annotationId) => q('SELECT COUNT(*) FROM decisions WHERE annotation_id = ?').pluck().get(annotationId) as number,
    rejectedIndividuals: (annotationId) => s.rejected().pluck().all(annotationId) as number[],
  };
}
