/**
 * What a team sync carries: one laptop's rows as the team server holds them. Every row is keyed by
 * the site that made it and that site's own row id; references name (site, id) of their target,
 * which may be another site's row. Field names are the server's columns (declared once, here).
 */
export interface TeamEncounter {
  site: string; id: number;
  code: string | null; start_time: string | null; end_time: string | null; latitude: number | null; longitude: number | null;
  location: string | null; observer: string | null; platform: string | null; notes: string | null; created_at: string;
}

export interface TeamPhoto {
  site: string; id: number;
  sha256: string; original_name: string; file_size: number | null; width: number; height: number;
  taken_at: string | null; taken_at_utc: string | null; latitude: number | null; longitude: number | null;
  camera_make: string | null; camera_model: string | null; encounter_site: string | null; encounter_id: number | null; created_at: string;
}

export interface TeamIndividual {
  site: string; id: number;
  code: string; name: string | null; sex: string | null; notes: string | null; created_at: string; updated_at: string;
  merged_into_site: string | null; merged_into_id: number | null;
}

export interface TeamAnnotation {
  site: string; id: number;
  photo_site: string; photo_id: number; x: number; y: number; w: number; h: number;
  body_part: string; side: string | null; quality: number | null; source: string;
  individual_site: string | null; individual_id: number | null; identified_by: string | null; identified_at: string | null; created_at: string;
  /** JPEG of the region, long side at most 512 px; null when the photo file was not at hand. */
  crop: Buffer | null;
}

export interface TeamEmbedding {
  site: string; annotation_id: number; model_id: string; dim: number; vector: Buffer; created_at: string;
}

export interface TeamDecision {
  site: string; id: number;
  annotation_site: string; annotation_id: number; individual_site: string | null; individual_id: number | null;
  decision: string; reviewer: string | null; model_id: string | null; rank: number | null; score: number | null;
  details: string | null; created_at: string; undone_at: string | null;
}

/** One push (a server transaction) or the rows of one pulled push, parents included. */
export interface TeamBatch {
  encounters: TeamEncounter[];
  photos: TeamPhoto[];
  individuals: TeamIndividual[];
  annotations: TeamAnnotation[];
  embeddings: TeamEmbedding[];
  decisions: TeamDecision[];
}

export const emptyBatch = (): TeamBatch => ({ encounters: [], photos: [], individuals: [], annotations: [], embeddings: [], decisions: [] });

export const batchSize = (b: TeamBatch): number =>
  b.encounters.length + b.photos.length + b.individuals.length + b.annotations.length + b.embeddings.length + b.decisions.length;

/** Bytes a batch puts on the wire, roughly: the JSON of its fields plus its binary columns. */
export function batchBytes(b: TeamBatch): number {
  let n = 0;
  for (const rows of Object.values(b) as Array<Array<Record<string, unknown>>>) {
    for (const r of rows) {
      for (const v of Object.values(r)) n += Buffer.isBuffer(v) ? v.length : v === null ? 4 : String(v).length + 2;
    }
  }
  return n;
}

/** A row's team key: the site that made it and that site's id. */
export interface TeamKey {
  site: string;
  id: number;
}

export type ParentTable = 'annotations' | 'photos' | 'encounters' | 'individuals';

export const teamKeyOf = (site: string | null, id: number | null): TeamKey | null => (site !== null && id !== null ? { site, id: Number(id) } : null);

/**
 * How a batch's rows point at their parents, in the order a batch is completed: decisions name
 * annotations, annotations photos, photos encounters, annotations and decisions individuals, and
 * individuals the one they were merged into.
 */
const PARENT_STEPS: Array<{ table: ParentTable; refs: (b: TeamBatch) => Array<TeamKey | null> }> = [
  { table: 'annotations', refs: (b) => b.decisions.map((d) => teamKeyOf(d.annotation_site, d.annotation_id)) },
  { table: 'photos', refs: (b) => b.annotations.map((a) => teamKeyOf(a.photo_site, a.photo_id)) },
  { table: 'encounters', refs: (b) => b.photos.map((p) => teamKeyOf(p.encounter_site, p.encounter_id)) },
  { table: 'individuals', refs: (b) => [...b.annotations.map((a) => teamKeyOf(a.individual_site, a.individual_id)), ...b.decisions.map((d) => teamKeyOf(d.individual_site, d.individual_id))] },
  { table: 'individuals', refs: (b) => b.individuals.map((i) => teamKeyOf(i.merged_into_site, i.merged_into_id)) },
];

/** The keys not among `have` (each once). */
export function absentKeys(keys: Array<TeamKey | null>, have: TeamKey[]): TeamKey[] {
  const seen = new Set(have.map((h) => `${h.site}\u0000${h.id}`));
  const out: TeamKey[] = [];
  for (const k of keys) {
    if (!k) continue;
    const s = `${k.site}\u0000${k.id}`;
    if (seen.has(s)) continue;
    seen.add(s);
    out.push(k);
  }
  return out;
}

type ParentRow<T extends ParentTable> = TeamBatch[T][number];

/**
 * Adds the parents a batch's rows point at and it lacks, step by step, so the batch can be
 * reconciled on its own. `fetch` returns the rows it has of the keys asked (the server's, or the
 * pulling laptop's own copies); a key it lacks stays absent.
 */
export async function completeParents(b: TeamBatch, fetch: <T extends ParentTable>(table: T, keys: TeamKey[]) => Promise<Array<ParentRow<T>>>): Promise<void> {
  for (const step of PARENT_STEPS) {
    const keys = absentKeys(step.refs(b), b[step.table]);
    if (keys.length) (b[step.table] as Array<ParentRow<typeof step.table>>).push(...(await fetch(step.table, keys)));
  }
}
