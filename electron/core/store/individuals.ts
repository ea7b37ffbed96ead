import type { IndividualListItem, IndividualPage } from '../../contract';
import type { SqliteDb } from './sqlite';
import { statementCache } from './statements';

export interface IndividualRef {
  id: number;
  code: string;
  name: string | null;
  mergedInto: number | null;
}

/** A row of the individuals list, its cover photo as an annotation id. */
export type IndividualListRow = Omit<IndividualListItem, 'cover'> & { cover: number | null };

/** Individuals: the known animals, their codes and names, and which annotations show each. */
export interface IndividualStore {
  byId(id: number): IndividualRef | undefined;
  /** A new individual with this code; returns its id. */
  create(code: string): number;
  /** Every code handed out with this prefix, including those of individuals created and then undone (the decision log keeps them). */
  codesWithPrefix(prefix: string): string[];
  /** Renames, stamping the change time. */
  rename(id: number, name: string | null): void;
  /** Puts back a name as it was (undo). */
  restoreName(id: number, name: string | null): void;
  /** Marks `id` merged into `into` (null: not merged), stamping the change time. */
  setMergedInto(id: number, into: number | null): void;
  /** Whether an annotation, a decision or a merged individual refers to it. */
  isReferenced(id: number): boolean;
  delete(id: number): void;
  /** Live (not merged) individuals in code order whose code or name matches `like` (a LIKE pattern, `\` escapes). */
  page(like: string, offset: number, limit: number): { total: number; items: IndividualListRow[] };
  /** The individual as its page shows it, with the merge target's code. */
  pageHeader(id: number): IndividualPage['individual'] | undefined;
  /** The individual's sightings (an encounter, or a photo outside any), by start. */
  encountersOf(id: number): IndividualPage['encounters'];
  /** Individuals not merged into another. */
  countLive(): number;
  /** The individual with this code; an individual merged away stands for the one it joined. */
  liveIdOfCode(code: string): number | null;
  /** Creates an individual with this code unless one exists; true when created. */
  createIfAbsent(code: string): boolean;
  /** Every individual with what exports write (code, name, sex) and whom it was merged into. */
  all(): Array<IndividualRef & { sex: string | null }>;
  /** An individual's code and name, or null when there is no such individual. */
  codeAndName(id: number): { code: string; name: string | null } | null;
  /** Every individual's id by its code. */
  idsByCode(): Map<string, number>;
}

export function sqliteIndividualStore(db: SqliteDb): IndividualStore {
  const q = statementCache(db);
  const where = `i.merged_into IS NULL AND (@like = '%%' OR i.code LIKE @like ESCAPE '\\' OR i.name LIKE @like ESCAPE '\\')`;
  const s = q.named({
    codeAndName: 'SELECT code, name FROM individuals WHERE id = ?',
    idsByCode: 'SELECT code, id FROM individuals',
  });
  return {
    byId(id) {
      const r = q('SELECT id, code, name, merged_into FROM individuals WHERE id = ?').get(id) as
        | { id: number; code: string; name: string | null; merged_into: number | null }
        | undefined;
      return r && { id: r.id, code: r.code, name: r.name, mergedInto: r.merged_into };
    },
    create: (code) => Number(q('INSERT INTO individuals(code) VALUES (?)').run(code).lastInsertRowid),
    codesWithPrefix: (prefix) =>
      q(
        `SELECT code FROM individuals WHERE substr(code, 1, length(@prefix)) = @prefix
         UNION ALL SELECT json_extract(details, '$.created.code') FROM decisions
         WHERE json_extract(details, '$.created.code') IS NOT NULL AND substr(json_extract(details, '$.created.code'), 1, length(@prefix)) = @prefix`,
      )
        .pluck()
        .all({ prefix }) as string[],
    rename(id, name) {
      q("UPDATE individuals SET name = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?").run(name, id);
    },
    restoreName(id, name) {
      q('UPDATE individuals SET name = ? WHERE id = ?').run(name, id);
    },
    setMergedInto(id, into) {
      q("UPDATE individuals SET merged_into = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?").run(into, id);
    },
    isReferenced: (id) =>
      Boolean(
        q('SELECT 1 FROM annotations WHERE individual_id = ? LIMIT 1').get(id) ??
          q('SELECT 1 FROM decisions WHERE individual_id = ? LIMIT 1').get(id) ??
          q('SELECT 1 FROM individuals WHERE merged_into = ? LIMIT 1').get(id),
      ),
    delete(id) {
      q('DELETE FROM individuals WHERE id = ?').run(id);
    },
    page(like, offset, limit) {
      const total = q(`SELECT COUNT(*) FROM individuals i WHERE ${where}`).pluck().get({ like }) as number;
      const items = q(
        `SELECT i.id, i.code, i.name,
          (SELECT COUNT(*) FROM annotations a WHERE a.individual_id = i.id) AS photos,
          (SELECT COUNT(DISTINCT COALESCE('e' || p.encounter_id, 'p' || p.id)) FROM annotations a JOIN photos p ON p.id = a.photo_id WHERE a.individual_id = i.id) AS sightings,
          (SELECT MAX(COALESCE(p.taken_at, p.taken_at_utc)) FROM annotations a JOIN photos p ON p.id = a.photo_id WHERE a.individual_id = i.id) AS lastSeen,
          (SELECT a.id FROM annotations a JOIN photos p ON p.id = a.photo_id WHERE a.individual_id = i.id
            ORDER BY COALESCE(a.quality, 0) DESC, p.taken_at_utc DESC, a.id DESC LIMIT 1) AS cover
         FROM individuals i WHERE ${where} ORDER BY i.code LIMIT @limit OFFSET @offset`,
      ).all({ like, limit, offset }) as IndividualListRow[];
      return { total, items };
    },
    pageHeader: (id) =>
      q(
        `SELECT i.id, i.code, i.name, i.sex, i.notes, i.created_at AS createdAt, i.merged_into AS mergedInto, m.code AS mergedIntoCode
         FROM individuals i LEFT JOIN individuals m ON m.id = i.merged_into WHERE i.id = ?`,
      ).get(id) as IndividualPage['individual'] | undefined,
    encountersOf: (id) =>
      q(
        `SELECT p.encounter_id AS encounterId, e.code, COALESCE(e.start_time, MIN(p.taken_at)) AS start, e.location, COUNT(*) AS photos
         FROM annotations a JOIN photos p ON p.id = a.photo_id LEFT JOIN encounters e ON e.id = p.encounter_id
         WHERE a.individual_id = ? GROUP BY COALESCE('e' || p.encounter_id, 'p' || p.id) ORDER BY start`,
      ).all(id) as IndividualPage['encounters'],
    countLive: () => q('SELECT COUNT(*) FROM individuals WHERE merged_into IS NULL').pluck().get() as number,
    liveIdOfCode(code) {
      type Link = { id: number; merged_into: number | null };
      let row = q('SELECT id, merged_into FROM individuals WHERE code = ?').get(code) as Link | undefined;
      for (let hops = 0; row && row.merged_into !== null && hops < 100; hops++) {
        row = q('SELECT id, merged_into FROM individuals WHERE id = ?').get(row.merged_into) as Link;
      }
      return row?.id ?? null;
    },
    all: () => q('SELECT id, code, name, sex, merged_into AS mergedInto FROM individuals').all() as Array<IndividualRef & { sex: string | null }>,
    createIfAbsent: (code) => q('INSERT INTO individuals(code) VALUES (?) ON CONFLICT(code) DO NOTHING').run(code).changes > 0,
    codeAndName: (id) => (s.codeAndName().get(id) as { code: string; name: string | null } | undefined) ?? null,
    idsByCode: () => new Map((s.idsByCode().all() as Array<{ code: string; id: number }>).map((r) => [r.code, r.id])),
  };
}
