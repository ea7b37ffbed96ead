import { haversineKm } from '../util/geo';
import type { Gallery } from './gallery';

/** The match-against set, resolved: undefined means "any". */
export interface RowFilter {
  side?: string | null;
  bodyPart?: string;
  /** ISO date/time, inclusive, compared with the photo's taken_at_utc text. */
  from?: string;
  to?: string;
  near?: { lat: number; lon: number; km: number };
  excludeIndividuals?: ReadonlySet<number>;
  excludeEncounter?: number | null;
  excludeAnnotations?: ReadonlySet<number>;
  /** Only identified rows can be candidates (default true). */
  identifiedOnly?: boolean;
}

/**
 * The bias vector the search graph adds to scores: 0 keeps a row, -Infinity drops it. Masking
 * before the top-k (rather than filtering hits after it) keeps results exact however selective
 * the filter is.
 */
export function rowMask(g: Gallery, f: RowFilter): { bias: Float32Array; allowed: number } {
  const n = g.size;
  const bias = new Float32Array(n);
  const side = f.side === undefined ? undefined : g.codeOf(f.side);
  const part = f.bodyPart === undefined ? undefined : g.codeOf(f.bodyPart);
  const identifiedOnly = f.identifiedOnly !== false;
  const exInd = f.excludeIndividuals && f.excludeIndividuals.size ? f.excludeIndividuals : undefined;
  const exAnn = f.excludeAnnotations && f.excludeAnnotations.size ? f.excludeAnnotations : undefined;
  const exEnc = f.excludeEncounter ?? -1;
  let allowed = 0;
  for (let r = 0; r < n; r++) {
    let ok =
      (!identifiedOnly || g.individual[r] >= 0) &&
      (side === undefined || g.sideCode[r] === side) &&
      (part === undefined || g.bodyPartCode[r] === part) &&
      (exEnc < 0 || g.encounter[r] !== exEnc) &&
      (!exInd || !exInd.has(g.individual[r])) &&
      (!exAnn || !exAnn.has(g.annotation[r]));
    if (ok && (f.from || f.to)) {
      const t = g.takenAt[r];
      ok = t != null && (!f.from || t >= f.from) && (!f.to || t.slice(0, f.to.length) <= f.to);
    }
    if (ok && f.near) {
      const la = g.lat[r];
      const lo = g.lon[r];
      ok = !Number.isNaN(la) && !Number.isNaN(lo) && haversineKm(f.near.lat, f.near.lon, la, lo) <= f.near.km;
    }
    if (ok) allowed++;
    else bias[r] = -Infinity;
  }
  return { bias, allowed };
}
