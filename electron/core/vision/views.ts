import type { ViewSpec } from './preprocess';

/**
 * The views stored per annotation. View 0 is the plain crop (what search embeds), view 1 its
 * mirror image (test-time flip averaging), views 2.. cheap augmentations for training: a
 * random sub-window of the margin crop and a colour change, seeded by annotation and view so a
 * re-run computes the same features.
 */
export const PLAIN_VIEW = 0;
export const MIRROR_VIEW = 1;
export const DEFAULT_VIEWS = 4;

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    // xorshift32: tiny, deterministic, good enough for augmentation parameters
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

export function viewSpec(view: number, annotationId: number): ViewSpec {
  if (view === PLAIN_VIEW) return {};
  if (view === MIRROR_VIEW) return { mirror: true };
  const r = rng(annotationId * 7919 + view * 104729);
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
