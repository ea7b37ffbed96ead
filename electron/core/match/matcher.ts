import type { Candidate, MatchFilters, MatchResult } from '../../contract';
import { ExactTopK, type SearchOptions } from '../search/exact-topk';
import { createWithFallback, type Device } from '../vision/providers';
import { Gallery } from '../search/gallery';
import type { Store } from '../store';
import { rowMask, type RowFilter } from '../search/row-mask';
import { UserError } from '../util/errors';
import { fuseEncounter, type PhotoRanking } from './encounter-fusion';
import { calibrateOpenSet } from './open-set/calibrate';
import { FEATURE_TOP, type RankedIndividual } from './open-set/features';
import { OpenSetModel, type StoredOpenSet } from './open-set/model';
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
  newIndividual: MatchResult['newIndividual'];
}

/** When a changed catalog's open-set estimate is refitted (see Matcher.openSetModel). */
const REFIT_SHARE = 0.05;
const REFIT_MIN = 10;
const REFIT_MS = 60_000;

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
  /** The open-set estimate of the active model, and the confirmed identities it was fitted on. */
  private openSet: { value: OpenSetModel; modelId: string; identities: string; identified: number; at: number } | null = null;
  private identities: { version: number; modelId: string; key: string } | null = null;
  private refitting = false;
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
    private readonly store: Store,
    private readonly opts: MatcherOptions = {},
  ) {}

  /** The active model's gallery, current with the catalog (null when no model is active). */
  current(): Gallery | null {
    const active = this.store.models.active()?.id;
    if (!active) return (this.gallery = null);
    if (!this.gallery || this.gallery.modelId !== active) this.gallery = Gallery.load(this.store.embeddings, active);
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
        : this.store.annotations.unidentifiedEncounterMates(info.encounterId, annotationId, info.bodyPart).filter((id) => g.has(id));
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
      : this.store.decisions.rejectedIndividuals(annotationId);
  }

  private async matchGroupNow(queries: Array<{ vector: Float32Array; query: QueryInfo }>, top: number, filters: MatchFilters, rejected: number[]): Promise<VectorMatch> {
    if (queries.length === 1) return this.matchVectorNow(queries[0].vector, queries[0].query, top, filters, rejected);
    const g = this.current();
    if (!g) throw new UserError('no active model: embed the catalog first', 'no-model');
    // Deep per-photo lists, so the fused top is exact in all but the rarest cases (fuseEncounter).
    const depth = Math.max(200, top * 20);
    const photos: PhotoRanking[] = [];
    let firstBias: Float32Array | null = null;
    for (const { vector, query } of queries) {
      if (g.size > 0 && vector.length !== g.dim) throw new UserError(`query vector has ${vector.length} dimensions, the gallery ${g.dim}`, 'bad-request');
      const mask = rowMask(g, this.rowFilter(query, filters, rejected));
      firstBias ??= mask.bias;
      const ranked = await this.searchMasked(g, normalised(vector), mask, depth);
      photos.push({ ranked, complete: ranked.length < depth });
    }
    return this.result(g, fuseEncounter(photos), Math.max(1, Math.floor(top)), firstBias!);
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
      if (!this.store.annotations.exists(annotationId)) throw new UserError(`no annotation ${annotationId}`, 'not-found');
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
    const want = Math.max(1, Math.floor(top));
    const mask = rowMask(g, this.rowFilter(query, filters, rejected));
    // The estimate reads the first FEATURE_TOP individuals whatever `top` the caller shows.
    const ranked = await this.searchMasked(g, normalised(vector), mask, Math.max(want, FEATURE_TOP));
    return this.result(g, ranked, want, mask.bias);
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

  /**
   * The first `want` candidates (codes, names, evidence) of a ranking and the open-set estimate, which
   * reads the first FEATURE_TOP individuals and how many photos of each the mask (`bias`) let through.
   */
  private async result(g: Gallery, ranked: IndividualHit[], want: number, bias: Float32Array): Promise<VectorMatch> {
    const open = (await this.openSetModel(g)).estimate(withCounts(g, bias, ranked.slice(0, FEATURE_TOP)));
    const candidates: Candidate[] = ranked.slice(0, want).map((c, i) => {
      const ind = this.store.individuals.codeAndName(c.individualId) ?? { code: `#${c.individualId}`, name: null };
      return {
        rank: i + 1,
        individualId: c.individualId,
        code: ind.code,
        name: ind.name,
        score: c.score,
        ...(open.candidates[i] !== undefined ? { probability: open.candidates[i] } : {}),
        evidence: c.evidence.map((h) => ({ annotationId: h.annotationId, photoId: h.photoId, score: h.score })),
      };
    });
    return {
      modelId: g.modelId,
      candidates,
      newIndividual: {
        probability: open.probability,
        rank: Math.min(open.rank, candidates.length + 1),
        calibrated: open.calibrated,
        ...(open.note ? { note: open.note } : {}),
      },
    };
  }

  /**
   * The top individuals for one query. Top-k runs over annotations, so it over-fetches and, when
   * the hits hold fewer than `top` distinct individuals while more rows are searchable, searches
   * again with a larger k: exact, and rarely more than one pass.
   */
  async searchIndividuals(g: Gallery, q: Float32Array, f: RowFilter, top: number): Promise<IndividualHit[]> {
    return this.searchMasked(g, q, rowMask(g, f), top);
  }

  private async searchMasked(g: Gallery, q: Float32Array, { bias, allowed }: { bias: Float32Array; allowed: number }, top: number): Promise<IndividualHit[]> {
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

  /**
   * The open-set estimate fitted on this catalog's confirmed identities under the active model.
   * The first fit for a model is awaited. When identities change, the previous fit answers and a
   * refit is queued behind the current request, once the identified count moved by REFIT_SHARE
   * (at least REFIT_MIN photos) or REFIT_MS passed since the last fit: a refit reads hundreds of
   * full score rows, and refitting after every decision slowed an automatic review of nyala-dev
   * (590 decisions) by minutes. `fresh` waits for a fit of the identities as they are now.
   */
  async openSetModel(g: Gallery, fresh = false): Promise<OpenSetModel> {
    const key = this.identityKey(g);
    const m = this.openSet;
    if (m && m.modelId === g.modelId && m.identities === key) return m.value;
    if (m && m.modelId === g.modelId && !fresh) {
      const identified = Number(key.split(':')[0]);
      const due = Math.abs(identified - m.identified) >= Math.max(REFIT_MIN, REFIT_SHARE * m.identified) || Date.now() - m.at >= REFIT_MS;
      if (due && !this.refitting) {
        this.refitting = true;
        void this.exclusive(async () => {
          try {
            const cur = this.current();
            if (cur) await this.openSetModel(cur, true);
          } finally {
            this.refitting = false;
          }
        }).catch(() => undefined);
      }
      return m.value;
    }
    const stored = storedOpenSet(this.store.models.byId(g.modelId));
    let value = stored.model ?? (await calibrateGallery(g, await this.topk()));
    // Calibrated on the photos it was trained on, a trained model's estimate is over-confident
    // (bench/README.md, open-set): only the constant is kept.
    if (stored.trained && !stored.model) value = OpenSetModel.uninformed(value.prior, 'this model was trained before its estimate could be fitted on held-out photos; train again to get one');
    this.openSet = { value, modelId: g.modelId, identities: key, identified: Number(key.split(':')[0]), at: Date.now() };
    return value;
  }

  /** The up-to-date open-set estimate of the active model (null when no model is active): waits for a refit. */
  calibration(): Promise<OpenSetModel | null> {
    return this.exclusive(async () => {
      const g = this.current();
      return g ? this.openSetModel(g, true) : null;
    });
  }

  /** A digest of which annotation belongs to which individual (and its side and body part), recomputed only when the gallery changed. */
  private identityKey(g: Gallery): string {
    const c = this.identities;
    if (c && c.modelId === g.modelId && c.version === g.version) return c.key;
    let h1 = 0x811c9dc5;
    let h2 = 0;
    let identified = 0;
    for (let r = 0; r < g.size; r++) {
      if (g.individual[r] < 0) continue;
      identified++;
      // Order-free: rows move when others are deleted.
      const x = Math.imul(g.annotation[r] + 0x9e3779b9, 0x85ebca6b) ^ Math.imul(g.individual[r] + 1, 0xc2b2ae35) ^ (g.sideCode[r] << 8) ^ g.bodyPartCode[r];
      h1 = (h1 + Math.imul(x ^ (x >>> 15), 0x2c1b3c6d)) | 0;
      h2 = (h2 ^ Math.imul(x ^ (x >>> 13), 0x297a2d39)) | 0;
    }
    const key = `${identified}:${h1 >>> 0}:${h2 >>> 0}`;
    this.identities = { version: g.version, modelId: g.modelId, key };
    return key;
  }
}

/** Calibrates the open-set estimate on a gallery's identified rows (side and body part as the comparable group). */
export function calibrateGallery(g: Gallery, s: ExactTopK): Promise<OpenSetModel> {
  const n = g.size;
  const group = new Int32Array(n);
  for (let r = 0; r < n; r++) group[r] = (g.sideCode[r] << 16) | g.bodyPartCode[r];
  const q = new Float32Array(64 * Math.max(1, g.dim));
  return calibrateOpenSet({ size: n, individual: g.individual, encounter: g.encounter, group }, async (rows) => {
    const buf = rows.length * g.dim <= q.length ? q : new Float32Array(rows.length * g.dim);
    rows.forEach((r, i) => buf.set(g.vectors.subarray(r * g.dim, (r + 1) * g.dim), i * g.dim));
    return s.scores(g.vectors, n, g.dim, buf.subarray(0, rows.length * g.dim), rows.length);
  });
}

/** The searched individuals as the estimate reads them: their best scores and how many of their photos were searchable. */
function withCounts(g: Gallery, bias: Float32Array, ranked: IndividualHit[]): RankedIndividual[] {
  const count = new Map(ranked.map((c) => [c.individualId, 0]));
  for (let r = 0; r < g.size; r++) {
    if (bias[r] !== 0) continue;
    const n = count.get(g.individual[r]);
    if (n !== undefined) count.set(g.individual[r], n + 1);
  }
  return ranked.map((c) => ({ individualId: c.individualId, scores: c.evidence.map((e) => e.score), count: count.get(c.individualId) ?? 0 }));
}

function normalised(v: Float32Array): Float32Array {
  let ss = 0;
  for (let i = 0; i < v.length; i++) ss += v[i] * v[i];
  const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] * inv;
  return out;
}

const matchers = new WeakMap<Store, Matcher>();

/** The one matcher of an open catalog (its gallery stays in memory between requests). */
export function matcherFor(store: Store, opts?: MatcherOptions): Matcher {
  let m = matchers.get(store);
  if (!m) {
    m = new Matcher(store, opts);
    matchers.set(store, m);
  }
  return m;
}

/**
 * A trained model's open-set estimate, fitted when it was trained on its validation runs' held-out
 * photos (train-job.ts, openSetOfRun); null for the pretrained model (calibrated on the catalog) and
 * for trained ones stored before that (`trained`: only a constant then).
 */
function storedOpenSet(model: { kind: string; metrics: string | null } | null): { model: OpenSetModel | null; trained: boolean } {
  const stored = model?.metrics ? (JSON.parse(model.metrics) as { openSet?: StoredOpenSet }).openSet : undefined;
  return { model: stored ? OpenSetModel.fromJSON(stored) : null, trained: model?.kind === 'fine-tuned' };
}
