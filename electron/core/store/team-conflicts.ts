import type { ConflictResolution, TeamConflictOption, TeamLocalConflict } from '../../contract';
import type { SqliteDb } from './sqlite';

/** A team conflict as this catalog holds it, with what each of its options means here. */
export interface LocalTeamConflict extends TeamLocalConflict {
  /** Option value -> the resolution that applies it to this catalog. */
  here: Record<string, ConflictResolution>;
}

interface Row {
  id: number;
  kind: TeamLocalConflict['kind'];
  local_individual_id: number | null;
  incoming_individual_id: number | null;
  field: string | null;
  local_value: string | null;
  incoming_value: string | null;
  sha256: string | null;
  photo_name: string | null;
  local_code: string | null;
  incoming_code: string | null;
}

const SAME: TeamConflictOption[] = [
  { value: 'same-animal', label: 'the same animal' },
  { value: 'different-animals', label: 'different animals' },
];

/**
 * The open conflicts that pulls from the team met in this catalog. Each is named by a key built
 * from what every laptop shares (photo sha256, the team keys site/id of the individuals, the
 * values), so the laptops that meet one conflict, each from its own side, name it alike.
 */
export function openTeamConflicts(db: SqliteDb, mySite: string): LocalTeamConflict[] {
  const origin = db.prepare("SELECT site || '/' || remote_id FROM team_origin WHERE kind = 'individual' AND local_id = ?").pluck();
  const teamKey = (id: number | null): string => (id === null ? '' : ((origin.get(id) as string | undefined) ?? `${mySite}/${id}`));
  const rows = db
    .prepare(
      `SELECT c.id, c.kind, c.local_individual_id, c.incoming_individual_id, c.field, c.local_value, c.incoming_value,
              p.sha256, p.original_name AS photo_name, li.code AS local_code, COALESCE(ii.code, c.incoming_code) AS incoming_code
         FROM merge_conflicts c JOIN merges m ON m.id = c.merge_id
         LEFT JOIN annotations a ON a.id = c.annotation_id LEFT JOIN photos p ON p.id = a.photo_id
         LEFT JOIN individuals li ON li.id = c.local_individual_id LEFT JOIN individuals ii ON ii.id = c.incoming_individual_id
        WHERE c.state = 'open' AND m.source_catalog LIKE 'team:%' ORDER BY c.id`,
    )
    .all() as Row[];
  const out: LocalTeamConflict[] = [];
  for (const r of rows) {
    const local = teamKey(r.local_individual_id);
    const incoming = teamKey(r.incoming_individual_id);
    const pair = [local, incoming].sort().join('+');
    if (r.kind === 'annotation') {
      const options = [
        { value: local, label: r.local_code ?? local },
        { value: incoming, label: r.incoming_code ?? incoming },
      ].sort((x, y) => x.value.localeCompare(y.value));
      out.push({
        conflictId: r.id,
        key: `annotation/${r.sha256}/${pair}`,
        kind: 'annotation',
        summary: `Photo ${r.photo_name} is identified as ${options[0].label} and as ${options[1].label} by different sites: which animal is it?`,
        options,
        here: { [local]: 'keep-local', [incoming]: 'take-incoming' },
      });
    } else if (r.kind === 'code') {
      const codes = [r.local_code, r.incoming_code].sort().join(' and ');
      out.push({
        conflictId: r.id,
        key: `code/${pair}`,
        kind: 'code',
        summary: `${codes} were created separately by different sites under one code, with no photo in common: the same animal?`,
        options: SAME,
        here: { 'same-animal': 'same-animal', 'different-animals': 'different-animals' },
      });
    } else {
      const lv = r.local_value ?? '';
      const iv = r.incoming_value ?? '';
      const values = [lv, iv].sort();
      out.push({
        conflictId: r.id,
        key: `attribute/${local}/${r.field}/${values.join('+')}`,
        kind: 'attribute',
        summary: `${r.local_code}: ${r.field} is '${values[0]}' at one site and '${values[1]}' at another: which is right?`,
        options: values.map((v) => ({ value: v, label: v === '' ? '(none)' : v })),
        here: { [lv]: 'keep-local', [iv]: 'take-incoming' },
      });
    }
  }
  return out;
}
