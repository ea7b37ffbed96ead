import crypto from 'node:crypto';
import fs from 'node:fs';
import type { MatchFilters } from '../../contract';
import type { Catalog } from '../store/catalog';
import { UserError } from '../util/errors';
import type { Device } from '../vision/providers';
import { searchDevice } from './search-device';
import { matcherFor } from './matcher';

/** Embeds a photo that is not in the catalog (whole frame), without adding it. */
export type EmbedPhoto = (catalog: Catalog, file: string) => Promise<Float32Array>;

export interface PhotoMatch {
  photo: string;
  candidates: Array<{ individual: string; score: number; annotation: number }>;
  newIndividual: number;
}

export interface MatchPhotosOptions {
  top?: number;
  /** The query's side / body part for a new photo; for a catalogued one they override its own. */
  side?: string;
  bodyPart?: string;
  filters?: MatchFilters;
  /** Where search runs (default: the catalog's device setting through 'auto'). */
  device?: Device;
  /** The photos show one animal (one encounter): matched together, one result (encounter-fusion.ts). */
  encounter?: boolean;
  /** With `encounter`: the side of each photo, in order (e.g. left and right flanks). */
  sides?: string[];
}

/**
 * `caudal match`: each photo is either already catalogued (same sha256; matched as its first
 * embedded annotation, never against itself) or new (embedded on the fly, nothing written).
 */
export async function matchPhotos(catalog: Catalog, files: string[], opts: MatchPhotosOptions, embed: EmbedPhoto): Promise<PhotoMatch[]> {
  const matcher = matcherFor(catalog.store, { device: opts.device ?? searchDevice(catalog) });
  const top = opts.top ?? 10;
  const filters: MatchFilters = { ...opts.filters, ...(opts.side ? { side: opts.side } : {}), ...(opts.bodyPart ? { bodyPart: opts.bodyPart } : {}) };
  if (opts.encounter) return [await matchEncounter(catalog, files, opts, embed)];
  const out: PhotoMatch[] = [];
  for (const file of files) {
    if (!fs.existsSync(file)) throw new UserError(`no such photo: ${file}`, 'not-found');
    const sha = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    const g = matcher.current();
    if (!g) throw new UserError('no active model: embed the catalog first (caudal embed)', 'no-model');
    const known = catalog.store.annotations.idsOfPhotoSha256(sha);
    const annotation = known.find((id) => g.has(id));
    let result;
    if (annotation !== undefined) {
      result = await matcher.matchAnnotation(annotation, top, filters);
    } else {
      if (known.length) throw new UserError(`${file} is in the catalog but not embedded for model ${g.modelId}: run caudal embed first`, 'not-embedded');
      const vector = await embed(catalog, file);
      result = await matcher.matchVector(vector, { side: opts.side ?? null, bodyPart: opts.bodyPart }, top, filters);
    }
    out.push({
      photo: file,
      candidates: result.candidates.map((c) => ({ individual: c.code, score: c.score, annotation: c.evidence[0].annotationId })),
      newIndividual: result.newIndividual.probability,
    });
  }
  return out;
}

/** The given photos queried together as one animal: catalogued ones by their embedding, new ones embedded. */
async function matchEncounter(catalog: Catalog, files: string[], opts: MatchPhotosOptions, embed: EmbedPhoto): Promise<PhotoMatch> {
  if (opts.sides && opts.sides.length !== files.length) throw new UserError(`--side lists ${opts.sides.length} sides for ${files.length} photos: give one per photo, in order`, 'usage');
  const matcher = matcherFor(catalog.store, { device: opts.device ?? searchDevice(catalog) });
  const g = matcher.current();
  if (!g) throw new UserError('no active model: embed the catalog first (caudal embed)', 'no-model');
  const queries = [];
  for (const [k, file] of files.entries()) {
    if (!fs.existsSync(file)) throw new UserError(`no such photo: ${file}`, 'not-found');
    const sha = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    const known = catalog.store.annotations.idsOfPhotoSha256(sha);
    const annotation = known.find((id) => g.has(id));
    const side = opts.sides?.[k] ?? opts.side ?? null;
    if (annotation !== undefined) {
      const info = g.info(g.rowIndex(annotation)!);
      queries.push({ vector: g.vectorOf(annotation)!, query: { side: side ?? info.side, bodyPart: opts.bodyPart ?? info.bodyPart, encounterId: info.encounterId, annotationId: annotation } });
    } else {
      if (known.length) throw new UserError(`${file} is in the catalog but not embedded for model ${g.modelId}: run caudal embed first`, 'not-embedded');
      queries.push({ vector: await embed(catalog, file), query: { side, bodyPart: opts.bodyPart } });
    }
  }
  // Per-photo sides come from the queries; explicit filters other than side still apply to all.
  const { side: _side, ...filters } = { ...opts.filters, ...(opts.bodyPart ? { bodyPart: opts.bodyPart } : {}) };
  const result = await matcher.matchGroup(queries, opts.top ?? 10, filters);
  return {
    photo: files.join(' + '),
    candidates: result.candidates.map((c) => ({ individual: c.code, score: c.score, annotation: c.evidence[0].annotationId })),
    newIndividual: result.newIndividual.probability,
  };
}
