/** An augmented view of a crop: a sub-window of the margin crop (fractions), a mirror, a colour change. */
export interface ViewSpec {
  mirror?: boolean;
  window?: { left: number; top: number; width: number; height: number };
  colour?: { brightness: number; saturation: number };
}

/**
 * The views stored per annotation. View 0 is the plain crop (what search embeds), view 1 its
 * mirror image (test-time flip averaging), views 2.. cheap augmentations for training: a
 * random sub-window of the margin crop and a colour change, seeded by annotation and view so a
 * re-run computes the same features.
 */
export const PLAIN_VIEW = 0;
export const MIRROR_VIEW = 1;
export const DEFAULT_VIEWS = 4;

/** xorshift32 in [0, 1): tiny, deterministic, good enough for augmentation parameters. */
export function viewRng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

export function viewSpec(view: number, annotationId: number): ViewSpec {
  if (view === PLAIN_VIEW) return {};
  if (view >= TEST_VIEW_BASE) return testViewSpec(view);
  if (view === MIRROR_VIEW) return { mirror: true };
  const r = viewRng(annotationId * 7919 + view * 104729);
  const scale = 0.8 + 0.2 * r();
  const aspect = 0.9 + 0.2 * r();
  const width = Math.min(1, scale * Math.sqrt(aspect));
  const height = Math.min(1, scale / Math.sqrt(aspect));
  return {
    window: { left: (1 - width) * r(), top: (1 - height) * r(), width, height },
    colour: { brightness: 0.8 + 0.4 * r(), saturation: 0.7 + 0.6 * r() },
    mirror: false,
  };
}

export function viewSpecs(count: number, annotationId: number): ViewSpec[] {
  return Array.from({ length: Math.max(1, count) }, (_, v) => viewSpec(v, annotationId));
}

/**
 * Deterministic views for test-time averaging (the same for every photo, so a photo's embedding
 * never depends on its annotation id): sub-windows of the margin crop, never mirrored.
 */
export const TEST_VIEWS: Record<string, ViewSpec> = {
  centre90: { window: { left: 0.05, top: 0.05, width: 0.9, height: 0.9 } },
  centre80: { window: { left: 0.1, top: 0.1, width: 0.8, height: 0.8 } },
  tl90: { window: { left: 0, top: 0, width: 0.9, height: 0.9 } },
  tr90: { window: { left: 0.1, top: 0, width: 0.9, height: 0.9 } },
  bl90: { window: { left: 0, top: 0.1, width: 0.9, height: 0.9 } },
  br90: { window: { left: 0.1, top: 0.1, width: 0.9, height: 0.9 } },
  tl80: { window: { left: 0, top: 0, width: 0.8, height: 0.8 } },
  tr80: { window: { left: 0.2, top: 0, width: 0.8, height: 0.8 } },
  bl80: { window: { left: 0, top: 0.2, width: 0.8, height: 0.8 } },
  br80: { window: { left: 0.2, top: 0.2, width: 0.8, height: 0.8 } },
};

/**
 * The test views the bundled backbone's pretrained embedding averages with the plain view (its
 * manifest's `embedding.views`), chosen by cross-validation in bench/accuracy.bench.ts.
 */
export const SHIPPED_TEST_VIEWS: string[] = ['centre90', 'tl90', 'tr90', 'bl90', 'br90'];

/**
 * Stored test views live at view TEST_VIEW_BASE + their place in TEST_VIEWS (append only, so a
 * stored index keeps its meaning), apart from the training views 0..N-1 (`--views N`).
 */
export const TEST_VIEW_BASE = 100;
const TEST_VIEW_NAMES = Object.keys(TEST_VIEWS);

export function testViewIndex(name: string): number {
  const k = TEST_VIEW_NAMES.indexOf(name);
  if (k < 0) throw new Error(`unknown test view '${name}' (known: ${TEST_VIEW_NAMES.join(', ')})`);
  return TEST_VIEW_BASE + k;
}

export function testViewSpec(view: number): ViewSpec {
  const name = TEST_VIEW_NAMES[view - TEST_VIEW_BASE];
  if (!name) throw new Error(`view ${view} is no test view`);
  return TEST_VIEWS[name];
}
