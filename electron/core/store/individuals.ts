import type { SqliteDb } from './sqlite';
import { lazyStatements } from './statements';

/** Individuals: the known animals, their codes and names, and which annotations show each. */
export interface IndividualStore {
  /** An individual's code and name, or null when there is no such individual. */
  codeAndName(id: number): { code: string; name: string | null } | null;
  /** Every individual's id by its code. */
  idsByCode(): Map<string, number>;
}

export function sqliteIndividualStore(db: SqliteDb): IndividualStore {
  const s = lazyStatements(db, {
    codeAndName: 'SELECT code, name FROM individuals WHERE id = ?',
    idsByCode: 'SELECT code, id FROM individuals',
  });
  return {
    codeAndName: (id) => (s.codeAndName().get(id) as { code: string; name: string | null } | undefined) ?? null,
    idsByCode: () => new Map((s.idsByCode().all() as Array<{ code: string; id: number }>).map((r) => [r.code, r.id])),
  };
}
