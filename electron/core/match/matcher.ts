import type Database from 'better-sqlite3';
import type { Candidate, MatchFilters, MatchResult } from '../../contract';
import { ExactTopK, type SearchOptions } from '../search/exact-topk';
import { createWithFallback, type Device } from '../vision/providers';
import { Gallery } from '../search/gallery';
import { rowMask, type RowFilter } from '../search/row-mask';
import { UserError } from '../util/errors';
import { fuseEncounter, type PhotoRanking } from './encounter-fusion';
import { NewIndividualModel } from './new-individual';
import { rankIndividuals, type Aggregation, type Hit, type IndividualHit } from './rank-individuals';

/** What the query is, when it is not (yet) a catalogued annotation. */
export interface QueryInfo {
  side?: string | null;
  bodyPart?: string;
  encounterId?: number | null;
  /** Never match a query against itself. */
  annotationId?: number;
}

export interface VectorMatch {
  modelId: string;
  candidates: Candidate[];
  newIndividual: { probability: number; rank: number };
}

const CALIBRATION_SAMPLES = 300;

export interface MatcherOptions extends SearchOptions {
  /** Used when `provider` is not given: the device setting ('auto', 'cpu', 'cuda', ...). */
  device?: Device;
  aggregation?: Aggregation;
}

/**
 * Matching over the active model's in-memory gallery: the handler of 'match.annotation',
 * `caudal match` and anything else that asks "who is this?" for an annotation or a vector.
 * One per open catalog (see `matcherFor`); every call first applies what changed in the catalog.
 */
export class Matcher {
  private gallery: Gallery | null = null;
  private searcher: Promise<ExactTopK> | null = null;
  private model: { value: NewIndividualModel; identified: number; modelId: string } | null = null;
  /**
   * One match at a time: a search reads the matrix on onnxruntime's threads while the event loop
   * is free, and a refresh for the next request would move rows under it.
   */
  private queue: Promise<unknown> = Promise.resolve();

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  constructor(
    private readonly db: Database.Database,
    private readonly opts: MatcherOptions = {},
  ) {}

  /** The active model's gallery, current with the catalog (null when no model is active). */
  current(): Gallery | null {
    const active = this.db.prepare('SELECT id FROM models WHERE active = 1').pluck().get() as string | undefined;
    if (!active) return (this.gallery = null);
    if (!this.gallery || this.gallery.modelId !== active) this.gallery = Gallery.load(this.db, active);
    else this.gallery.refresh();
    return this.gallery;
  }

  /**
   * The search session, on the embeddings' device: an explicit provider, else the catalog's
   * device setting resolved like the embedding engine does (GPU first, CPU fallback).
   */
  topk(): Promise<ExactTopK> {
    const { device, ...opts } = this.opts;
    this.searcher ??= opts.provider
      ? ExactTopK.create(opts)
      : createWithFallback(device ?? 'auto', (provider) => ExactTopK.create({ ...opts, provider })).then((c) => c.session);
    return this.searcher;
  }

  /**
   * `encounter`: the annotation is queried together with the other unidentified annotations of its
   * encounter of the same body part, as one animal (encounter-fusion.ts); alone when it has none.
   */
  matchAnnotation(annotationId: number, top = 10, filters: MatchFilters = {}, opts: { encounter?: boolean } = {}): Promise<MatchResult> {
    return this.exclusive(() => (opts.encounter ? this.matchEncounterNow(annotationId, top, filters) : this.matchAnnotationNow(annotationId, top, filters)));
  }

  /** Matches several vectors known to show one animal (an encounter) as one query; see fuseEncounter. */
  matchGroup(queries: Array<{ vector: Float32Array; query: QueryInfo }>, top = 10, filters: MatchFilters = {}): Promise<VectorMatch> {
    return this.exclusive(() => this.matchGroupNow(queries, top, filters, []));
  }

  private async matchEncounterNow(annotationId: number, top: number, filters: MatchFilters): Promise<MatchResult> {
    const g = this.current();
    const row = g?.rowIndex(annotationId);
    if (!g || row === undefined) return this.matchAnnotationNow(annotationId, top, filters);
    const info = g.info(row);
    const mates =
      info.encounterId === null
        ? []
        : (this.db
            .prepare(
              `SELECT a.id FROM annotations a JOIN photos p ON p.id = a.photo_id
               WHERE p.encounter_id = ? AND a.id != ? AND a.individual_id IS NULL AND a.body_part = ? ORDER BY a.id`,
            )
            .pluck()
            .all(info.encounterId, annotationId, info.bodyPart) as number[]).filter((id) => g.has(id));
    if (!mates.length) return this.matchAnnotationNow(annotationId, top, filters);
    const rejected = this.rejectedFor(annotationId, filters);
    const queries = [annotationId, ...mates].map((id) => {
      const i = g.info(g.rowIndex(id)!);
      return { vector: g.vectorOf(id)!, query: { side: i.side, bodyPart: i.bodyPart, encounterId: i.encounterId, annotationId: id } };
    });
    return { annotationId, ...(await this.matchGroupNow(queries, top, filters, rejected)) };
  }

  private rejectedFor(annotationId: number, filters: MatchFilters): number[] {
    return filters.excludeRejected === false
      ? []
      : (this.db
          .prepare("SELECT individual_id FROM decisions WHERE annotation_id = ? AND decision = 'reject' AND undone_at IS NULL AND individual_id IS NOT NULL")
          .pluck()
          .all(annotationId) as number[]);
  }

  private async matchGroupNow(queries: Array<{ vector: Float32Array; query: QueryInfo }>, top: number, filters: MatchFilters, rejected: number[]): Promise<VectorMatch> {
    if (queries.length === 1) return this.matchVectorNow(queries[0].vector, queries[0].query, top, filters, rejected);
    const g = this.current();
    if (!g) throw new UserError('no active model: embed the catalog first', 'no-model');
    // Deep per-photo lists, so the fused top is exact in all but the rarest cases (fuseEncounter).
    const depth = Math.max(200, top * 20);
    const photos: PhotoRanking[] = [];
    for (const { vector, query } of queries) {
      if (g.size > 0 && vector.length !== g.dim) throw new UserError(`query vector has ${vector.length} dimensions, the gallery ${g.dim}`, 'bad-request');
      const ranked = await this.searchIndividuals(g, normalised(vector), this.rowFilter(query, filters, rejected), depth);
      photos.push({ ranked, complete: ranked.length < depth });
    }
    return this.result(g, fuseEncounter(photos).slice(0, Math.max(1, Math.floor(top))));
  }

  /** Matches a vector (normalised here) against the gallery under `filters`, relative to `query`. */
  matchVector(vector: Float32Array, query: QueryInfo, top = 10, filters: MatchFilters = {}, rejected: number[] = []): Promise<VectorMatch> {
    return this.exclusive(() => this.matchVectorNow(vector, query, top, filters, rejected));
  }

  private async matchAnnotationNow(annotationId: number, top: number, filters: MatchFilters): Promise<MatchResult> {
    const g = this.current();
    if (!g) throw new UserError('no active model: embed the catalog first', 'no-model');
    const row = g.rowIndex(annotationId);
    if (row === undefined) {
      const exists = this.db.prepare('SELECT 1 FROM annotations WHERE id = ?').get(annotationId);
      if (!exists) throw new UserError(`no annotation ${annotationId}`, 'not-found');
      throw new UserError(`annotation ${annotationId} has no embedding for model ${g.modelId}`, 'not-embedded');
    }
    const info = g.info(row);
    const rejected = this.rejectedFor(annotationId, filters);
    const r = await this.matchVectorNow(g.vectorOf(annotationId)!, { side: info.side, bodyPart: info.bodyPart, encounterId: info.encounterId, annotationId }, top, filters, rejected);
    return { annotationId, ...r };
  }

  private async matchVectorNow(vector: Float32Array, query: QueryInfo, top: number, filters: MatchFilters, rejected: number[]): Promise<VectorMatch> {
    const g = this.current();
    if (!g) throw new UserError('no active model: embed the catalog first', 'no-model');
    if (g.size > 0 && vector.length !== g.dim) throw new UserError(`query vector has ${vector.length} dimensions, the gallery ${g.dim}`, 'bad-request');
    const ranked = await this.searchIndividuals(g, normalised(vector), this.rowFilter(query, filters, rejected), Math.max(1, Math.floor(top)));
    return this.result(g, ranked);
  }

  private rowFilter(query: QueryInfo, filters: MatchFilters, rejected: number[]): RowFilter {
    return {
      side: filters.side ?? (filters.sameSide === false ? undefined : query.side ?? undefined),
      bodyPart: filters.bodyPart ?? (filters.sameBodyPart === false ? undefined : query.bodyPart),
      from: filters.from,
      to: filters.to,
      near: filters.near,
      excludeIndividuals: new Set(rejected),
      excludeEncounter: filters.excludeOwnEncounter === false ? null : query.encounterId ?? null,
      excludeAnnotations: query.annotationId !== undefined ? new Set([query.annotationId]) : undefined,
    };
  }

  /** Candidates (codes, names, evidence) and the new-individual estimate for a ranking. */
  private async result(g: Gallery, ranked: IndividualHit[]): Promise<VectorMatch> {
    const nim = await this.newIndividualModel(g);
    const info = this.db.prepare('SELECT code, name FROM individuals WHERE id = ?');
    const candidates: Candidate[] = ranked.map((c, i) => {
      const ind = (info.get(c.individualId) as { code: string; name: string | null } | undefined) ?? { code: `#${c.individualId}`, name: null };
      return {
        rank: i + 1,
        individualId: c.individualId,
        code: ind.code,
        name: ind.name,
        score: c.score,
        evidence: c.evidence.map((h) => ({ annotationId: h.annotationId, photoId: h.photoId, score: h.score })),
      };
    });
    return {
      modelId: g.modelId,
      candidates,
      newIndividual: { probability: nim.probability(candidates[0]?.score), rank: nim.rank(candidates.map((c) => c.score)) },
    };
  }

  /**
   * The top individuals for one query. Top-k runs over annotations, so it over-fetches and, when
   * the hits hold fewer than `top` distinct individuals while more rows are searchable, searches
   * again with a larger k: exact, and rarely more than one pass.
   */
  async searchIndividuals(g: Gallery, q: Float32Array, f: RowFilter, top: number): Promise<IndividualHit[]> {
    const { bias, allowed } = rowMask(g, f);
    if (allowed === 0) return [];
    const s = await this.topk();
    let k = Math.min(allowed, Math.max(64, top * 8));
    for (;;) {
      const res = await s.search(g.vectors, g.size, g.dim, q, 1, k, bias, allowed);
      const hits: Hit[] = [];
      for (let i = 0; i < res.k; i++) {
        const r = res.rows[i];
        hits.push({ individualId: g.individual[r], annotationId: g.annotation[r], photoId: g.photo[r], score: res.scores[i] });
      }
      const ranked = rankIndividuals(hits, this.opts.aggregation ?? 'best');
      // 'mean2' needs each listed individual's second hit too: one more pass when in doubt.
      if (ranked.length >= top + (this.opts.aggregation === 'mean2' ? 1 : 0) || res.k >= allowed) return ranked.slice(0, top);
      k = Math.min(allowed, k * 4);
    }
  }

  /** Leave-one-out calibration of the "new individual" estimate, redone when identities grew or shrank by 10 %. */
  async newIndividualModel(g: Gallery): Promise<NewIndividualModel> {
    let identified = 0;
    for (let r = 0; r < g.size; r++) if (g.individual[r] >= 0) identified++;
    const m = this.model;
    if (m && m.modelId === g.modelId && Math.abs(identified - m.identified) <= Math.max(20, 0.1 * m.identified)) return m.value;
    const value = await calibrateNewIndividual(g, await this.topk());
    this.model = { value, identified, modelId: g.modelId };
    return value;
  }
}

/** Leave-one-out score samples over (up to CALIBRATION_SAMPLES) identified gallery rows. */
export async function calibrateNewIndividual(g: Gallery, s: ExactTopK, samples = CALIBRATION_SAMPLES): Promise<NewIndividualModel> {
  const ids: number[] = [];
  const individuals = new Set<number>();
  for (let r = 0; r < g.size; r++) {
    if (g.individual[r] >= 0) {
      ids.push(r);
      individuals.add(g.individual[r]);
    }
  }
  if (ids.length === 0) return NewIndividualModel.uninformed(1);
  const step = Math.max(1, ids.length / samples);
  const picked: number[] = [];
  for (let i = 0; i < ids.length && picked.length < samples; i += step) picked.push(ids[Math.floor(i)]);
  const inCatalog: number[] = [];
  const absent: number[] = [];
  // Full score rows: keep a batch's output near 64 MB however large the gallery.
  const batch = Math.max(1, Math.min(64, Math.floor(16_000_000 / Math.max(1, g.size))));
  const q = new Float32Array(batch * g.dim);
  for (let b0 = 0; b0 < picked.length; b0 += batch) {
    const rows = picked.slice(b0, b0 + batch);
    rows.forEach((r, i) => q.set(g.vectors.subarray(r * g.dim, (r + 1) * g.dim), i * g.dim));
    const scores = await s.scores(g.vectors, g.size, g.dim, q, rows.length);
    rows.forEach((qr, i) => {
      let bestTrue = -Infinity;
      let bestFalse = -Infinity;
      const ind = g.individual[qr];
      const enc = g.encounter[qr];
      const o = i * g.size;
      for (let r = 0; r < g.size; r++) {
        if (r === qr || g.individual[r] < 0) continue;
        if (enc >= 0 && g.encounter[r] === enc) continue;
        if (g.sideCode[r] !== g.sideCode[qr] || g.bodyPartCode[r] !== g.bodyPartCode[qr]) continue;
        const sc = scores[o + r];
        if (g.individual[r] === ind) {
          if (sc > bestTrue) bestTrue = sc;
        } else if (sc > bestFalse) bestFalse = sc;
      }
      if (bestFalse > -Infinity) absent.push(bestFalse);
      if (bestTrue > -Infinity) inCatalog.push(Math.max(bestTrue, bestFalse));
    });
  }
  return NewIndividualModel.fit({ inCatalog, absent, prior: individuals.size / ids.length });
}

function normalised(v: Float32Array): Float32Array {
  let ss = 0;
  for (let i = 0; i < v.length; i++) ss += v[i] * v[i];
  const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] * inv;
  return out;
}

const matchers = new WeakMap<Database.Database, Matcher>();

/** The one matcher of an open catalog (its gallery stays in memory between requests). */
export function matcherFor(db: Database.Database, opts?: MatcherOptions): Matcher {
  let m = matchers.get(db);
  if (!m) {
    m = new Matcher(db, opts);
    matchers.set(db, m);
  }
  return m;
}
