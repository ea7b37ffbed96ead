import type { DecisionInfo, DecisionKind } from '../../contract';
import type { Catalog } from '../store/catalog';
import { getSetting } from '../catalog/settings';

export interface NewDecision {
  annotationId: number;
  individualId: number | null;
  decision: DecisionKind;
  modelId?: string | null;
  rank?: number | null;
  score?: number | null;
  /** What undo needs: `prev` (the annotation before), `created`, `group`, `from`, ... */
  details: Record<string, unknown>;
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

export const reviewerOf = (catalog: Catalog): string | null => getSetting(catalog, 'reviewer') || null;

export const activeModelId = (catalog: Catalog): string | null =>
  (catalog.db.prepare('SELECT id FROM models WHERE active = 1').pluck().get() as string | undefined) ?? null;

/** Appends to the log (the table refuses edits); returns the new row's id. */
export function logDecision(catalog: Catalog, d: NewDecision): number {
  const r = catalog.db
    .prepare(
      `INSERT INTO decisions(annotation_id, individual_id, decision, reviewer, model_id, rank, score, details)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(d.annotationId, d.individualId, d.decision, reviewerOf(catalog), d.modelId ?? null, d.rank ?? null, d.score ?? null, JSON.stringify(d.details));
  return Number(r.lastInsertRowid);
}

const SELECT = `SELECT d.*, COALESCE(i.code, json_extract(d.details, '$.created.code')) AS code
  FROM decisions d LEFT JOIN individuals i ON i.id = d.individual_id`;

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

export function readDecisions(catalog: Catalog, where: string, ...args: unknown[]): DecisionInfo[] {
  return (catalog.db.prepare(`${SELECT} WHERE ${where}`).all(...args) as DecisionRow[]).map(toInfo);
}

export function readDecision(catalog: Catalog, id: number): DecisionInfo {
  const [d] = readDecisions(catalog, 'd.id = ?', id);
  return d;
}
