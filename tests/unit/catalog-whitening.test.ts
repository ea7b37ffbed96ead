import { Matcher } from '../../electron/core/match/matcher';
import { simpleMatch } from '../../electron/core/match/simple-match';
import { ensureWhitening, fitSample, fitTransform, SEARCH_WHITENING, transformFor, whiteningDue, whitenRows } from '../../electron/core/search/catalog-whitening';
import { addEmbedding, rng, syntheticCatalog, type SynthRow } from '../helpers/synthetic-catalog';

const DIM = 24;

/**
 * Photos whose identity lives in small directions while three large directions carry a nuisance
 * shared by nobody in particular (light, background): plain cosine ranks by the nuisance, a
 * whitening fitted on the catalog (no labels) flattens it.
 */
function nuisanceRows(individuals: number, photos: number, seed: number, offset = 0): SynthRow[] {
  const r = rng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const ids = Array.from({ length: individuals }, () => Array.from({ length: DIM }, () => gauss() * 0.25));
  const rows: SynthRow[] = [];
  for (let k = 0; k < individuals; k++) {
    for (let p = 0; p < photos; p++) {
      const v = ids[k].map((x, j) => x + gauss() * 0.06 + (j < 3 ? gauss() * 3 : 0));
      rows.push({ individual: `ID-${offset + k}`, vector: v, encounter: `E-${offset + k}-${p}` });
    }
  }
  return rows;
}

function rank1(catalog: ReturnType<typeof syntheticCatalog>['catalog'], annotations: number[], individualOf: (a: number) => string): number {
  let hits = 0;
  for (const a of annotations) if (simpleMatch(catalog, a, 1).candidates[0]?.code === individualOf(a)) hits++;
  return hits / annotations.length;
}

describe('search whitening fitted on the catalog', () => {
  it('leaves unit vectors and flattens the largest directions', () => {
    const rows = nuisanceRows(40, 10, 1);
    const n = rows.length;
    const flat = new Float32Array(n * DIM);
    rows.forEach((row, i) => flat.set(row.vector as number[], i * DIM));
    const t = fitTransform(flat, DIM, [...Array(n).keys()]);
    expect(t.outDim).toBe(DIM);
    const w = whitenRows(t, flat, n);
    for (let i = 0; i < n; i++) expect(Math.hypot(...w.subarray(i * t.outDim, (i + 1) * t.outDim))).toBeCloseTo(1, 5);
    // Largest over median variance along the axes (the principal directions here, raw and whitened).
    const spread = (x: Float32Array, d: number) => {
      const col = (j: number) => Array.from({ length: n }, (_, i) => x[i * d + j]);
      const vars = Array.from({ length: d }, (_, j) => {
        const c = col(j);
        const m = c.reduce((a, b) => a + b, 0) / n;
        return c.reduce((a, b) => a + (b - m) ** 2, 0) / n;
      });
      return Math.max(...vars) / vars.sort((a, b) => a - b)[Math.floor(d / 2)];
    };
    expect(spread(flat, DIM)).toBeGreaterThan(50);
    expect(spread(w, t.outDim)).toBeLessThan(spread(flat, DIM) / 4);
  });

  it('fits nothing below the minimum and samples the same rows every time', () => {
    expect(transformFor(new Float32Array(10 * 4), 10, 4)).toBeNull();
    const keys = Array.from({ length: 5000 }, (_, i) => i * 7 + 3);
    const a = fitSample(keys, 1000);
    expect(a).toEqual(fitSample(keys, 1000));
    expect(new Set(a).size).toBe(1000);
    expect(a.every((i) => i >= 0 && i < keys.length)).toBe(true);
    // Spread over the catalog, not its first rows.
    expect(Math.max(...a)).toBeGreaterThan(4000);
    expect(fitSample(keys.slice(0, 10), 1000)).toEqual([...Array(10).keys()]);
  });

  it('refits when the catalog grew or shrank past the factor, drops the fit below the minimum', () => {
    const { minRows, refitGrowth } = SEARCH_WHITENING;
    const stamp = { rows: 1000, fittedAt: 'x' };
    expect(whiteningDue(null, minRows - 1)).toBe('keep');
    expect(whiteningDue(null, minRows)).toBe('fit');
    expect(whiteningDue(stamp, 1000 * refitGrowth)).toBe('keep');
    expect(whiteningDue(stamp, 1000 * refitGrowth + 1)).toBe('fit');
    expect(whiteningDue(stamp, Math.floor(1000 / refitGrowth) - 1)).toBe('fit');
    expect(whiteningDue(stamp, minRows - 1)).toBe('drop');
  });

  it('makes the matcher rank by identity where plain cosine ranks by the nuisance, and the reference matcher agrees', async () => {
    const individuals = Math.ceil(SEARCH_WHITENING.minRows / 10) + 5;
    const rows = nuisanceRows(individuals, 10, 2);
    const { catalog, annotationIds } = syntheticCatalog(rows);
    const codeOf = new Map(annotationIds.map((a, i) => [a, rows[i].individual!]));
    const queries = annotationIds.filter((_, i) => i % 7 === 0);
    const plain = rank1(catalog, queries, (a) => codeOf.get(a)!);

    const m = new Matcher(catalog.store, { provider: 'cpu' });
    expect(m.whitening()).toEqual(catalog.store.whitening.stamp('synthetic'));
    expect(m.whitening()!.rows).toBe(annotationIds.length);
    let hits = 0;
    for (const a of queries) {
      const r = await m.matchAnnotation(a, 5);
      if (r.candidates[0].code === codeOf.get(a)) hits++;
      // The reference reads the stored fit and ranks alike.
      expect(simpleMatch(catalog, a, 5).candidates.map((c) => c.code)).toEqual(r.candidates.map((c) => c.code));
    }
    const whitened = hits / queries.length;
    expect(plain).toBeLessThan(0.5);
    expect(whitened).toBeGreaterThan(plain + 0.3);

    // A photo from outside the catalog (a model vector) is whitened like the rows.
    const outside = await m.matchVector(Float32Array.from(rows[3].vector as number[]), { bodyPart: 'fluke' }, 3);
    expect(outside.candidates[0].score).toBeCloseTo((await m.matchAnnotation(annotationIds[3], 3)).candidates[0].score, -1);
    await expect(m.matchVector(new Float32Array(DIM + 1), { bodyPart: 'fluke' }, 3)).rejects.toThrow(/dimensions/);
    catalog.close();
  });

  it('whitens rows added later with the same fit (through onnxruntime for many rows), and refits once the catalog grew past the factor', async () => {
    const base = nuisanceRows(Math.ceil(SEARCH_WHITENING.minRows / 10), 10, 3);
    const { catalog, annotationIds } = syntheticCatalog(base);
    // loopBelow 0: every whitening of many rows and every search goes through onnxruntime.
    const m = new Matcher(catalog.store, { provider: 'cpu', loopBelow: 0 });
    await m.matchAnnotation(annotationIds[0], 3);
    const first = m.whitening()!;
    expect(first.rows).toBe(annotationIds.length);

    // A few more photos: same fit, new rows whitened as they arrive.
    const photo = catalog.db.prepare('SELECT photo_id FROM annotations WHERE id = ?').pluck().get(annotationIds[0]) as number;
    const addRows = (count: number, seed: number) => {
      const extra = nuisanceRows(count, 1, seed, 10_000 + seed * 1000);
      const ins = catalog.db.prepare("INSERT INTO annotations(photo_id, x, y, w, h, body_part) VALUES (?, 0, 0, 5, 5, 'fluke')");
      return extra.map((r) => {
        const id = Number(ins.run(photo).lastInsertRowid);
        addEmbedding(catalog, id, r.vector);
        return id;
      });
    };
    const same = async (a: number) => {
      const got = await m.matchAnnotation(a, 40);
      const want = simpleMatch(catalog, a, 40);
      expect(got.candidates.map((c) => c.code)).toEqual(want.candidates.map((c) => c.code));
      got.candidates.forEach((c, i) => expect(c.score).toBeCloseTo(want.candidates[i].score, 4));
    };
    const added = addRows(10, 1);
    await same(added[0]);
    await same(annotationIds[5]);
    // Deleted rows: the gallery moves its last rows into their places; the whitened rows follow.
    for (const a of annotationIds.slice(1, 4)) catalog.db.prepare('DELETE FROM embeddings WHERE annotation_id = ?').run(a);
    await same(annotationIds[6]);
    await same(added[1]);
    expect(m.whitening()).toEqual(first);

    const many = addRows(Math.ceil(annotationIds.length * SEARCH_WHITENING.refitGrowth), 2);
    await same(many[0]);
    await same(annotationIds[7]);
    const after = m.whitening()!;
    expect(after.rows).toBeGreaterThan(first.rows * SEARCH_WHITENING.refitGrowth);
    expect(ensureWhitening(catalog.store, 'synthetic')).toEqual(after);
    catalog.close();
  });

  it('never whitens a fine-tuned model (its head learnt its metric; not measured with whitening)', () => {
    const { catalog } = syntheticCatalog(nuisanceRows(Math.ceil(SEARCH_WHITENING.minRows / 10), 10, 4));
    catalog.db.prepare("UPDATE models SET kind = 'fine-tuned', parent_id = NULL").run();
    expect(ensureWhitening(catalog.store, 'synthetic')).toBeNull();
    expect(new Matcher(catalog.store, { provider: 'cpu' }).whitening()).toBeNull();
    catalog.close();
  });
});
