import fs from 'node:fs';
import path from 'node:path';
import { manifestsDir } from '../util/paths';
import { UserError } from '../util/errors';
import { modelDirs } from './model-dirs';
import { TEST_VIEWS } from './views';

export type ResizeMode = 'squash' | 'letterbox' | 'crop';
/** gem: generalised mean (p from `pooling.gemP`); avg: global average; meanstd: mean and standard deviation per channel; none: the tensor as it is, flattened. */
export type Pooling = 'gem' | 'avg' | 'meanstd' | 'none';

export interface FeatureTensor {
  /** A tensor of the graph: [N,C,H,W] for the poolings, anything for `none`. */
  tensor: string;
  /** For int8 graphs: the scale and zero-point tensors that dequantise it. */
  dequantize?: { scale: string; zeroPoint: string };
  /** C, or for `none` the flattened size per image. */
  channels: number;
  pooling: Pooling;
}

/** Everything Caudal needs to run an ONNX image backbone; documented in models/README.md. */
export interface ModelManifest {
  id: string;
  name: string;
  file: string;
  sha256: string;
  size: number;
  url?: string;
  licence?: string;
  input: { name: string; layout: 'NCHW'; channels: 'RGB' | 'BGR'; width: number; height: number };
  preprocess: {
    resize: ResizeMode;
    kernel?: 'nearest' | 'linear' | 'cubic' | 'lanczos3';
    /** Extra context around the annotation box, as a fraction of its width/height on each side. */
    margin: number;
    /** Pixel values are divided by this first (255 gives [0,1]). */
    scale: number;
    mean: [number, number, number];
    std: [number, number, number];
  };
  features: FeatureTensor[];
  pooling?: { gemP?: number; normalizeBlocks?: boolean };
  /**
   * The pretrained model's own embedding: which feature tensors it uses (default: all of the stored
   * feature), and which test views (views.ts TEST_VIEWS) it averages with the plain one (default none).
   */
  embedding?: { tensors?: string[]; views?: string[] };
  /** Where the animal is in a full frame: class-activation maps of the backbone's own classifier (box-proposal.ts). */
  proposer?: ProposerSpec;
}

/**
 * A backbone's classifier read as a box proposer: the last feature map [N,C,h,w] times the
 * classifier weights of `classes` gives one class-activation map per class.
 */
export interface ProposerSpec {
  tensor: string;
  dequantize?: { scale: string; zeroPoint: string };
  /** Initializer names: the weight matrix (int8 with scale and zero point per output class, or float) and its layout. */
  classifier: { weight: string; scale?: string; zeroPoint?: string; layout: 'in-out' | 'out-in' };
  /** Output classes whose maps mark the animal: indices, or an inclusive range (ImageNet's animals are 0-397). */
  classes: number[] | { from: number; to: number };
  /** Long side of the frame, in pixels, when the proposer runs (a multiple of the backbone's stride). */
  size: number;
}

/** The proposer's class indices, a range spelled out. */
export function proposerClasses(spec: ProposerSpec): number[] {
  const c = spec.classes;
  return Array.isArray(c) ? c : Array.from({ length: c.to - c.from + 1 }, (_, i) => c.from + i);
}

/** [offset, length] of each stored-feature block belonging to the given tensors, in feature order. */
export function featureRanges(m: ModelManifest, tensors: string[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let o = 0;
  for (const f of m.features) {
    const len = f.channels * (f.pooling === 'meanstd' ? 2 : 1);
    if (tensors.includes(f.tensor)) out.push([o, len]);
    o += len;
  }
  return out;
}

/** Width of the stored backbone feature: the pooled blocks, concatenated. */
export function featureDim(m: ModelManifest): number {
  return m.features.reduce((s, f) => s + f.channels * (f.pooling === 'meanstd' ? 2 : 1), 0);
}

function fail(source: string, field: string, why: string): never {
  throw new UserError(`model manifest ${source}: ${field} ${why}`, 'bad-manifest');
}

/** Checks a parsed manifest field by field so a hand-written one fails with the field named. */
export function validateManifest(raw: unknown, source: string): ModelManifest {
  const m = raw as Partial<ModelManifest>;
  if (!m || typeof m !== 'object') fail(source, 'the file', 'is not a JSON object');
  for (const k of ['id', 'name', 'file', 'sha256'] as const) if (typeof m[k] !== 'string' || !m[k]) fail(source, k, 'must be a non-empty string');
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(m.id!)) fail(source, 'id', 'may hold only letters, digits, dot, dash and underscore');
  if (!/^[0-9a-f]{64}$/.test(m.sha256!)) fail(source, 'sha256', 'must be 64 lower-case hex digits');
  if (typeof m.size !== 'number' || m.size <= 0) fail(source, 'size', 'must be the file size in bytes');
  const i = m.input;
  if (!i || typeof i.name !== 'string') fail(source, 'input.name', 'is required');
  if (i.layout !== 'NCHW') fail(source, 'input.layout', "must be 'NCHW'");
  if (i.channels !== 'RGB' && i.channels !== 'BGR') fail(source, 'input.channels', "must be 'RGB' or 'BGR'");
  for (const k of ['width', 'height'] as const) if (!Number.isInteger(i[k]) || i[k] <= 0) fail(source, `input.${k}`, 'must be a positive integer');
  const p = m.preprocess;
  if (!p) fail(source, 'preprocess', 'is required');
  if (!['squash', 'letterbox', 'crop'].includes(p.resize)) fail(source, 'preprocess.resize', "must be 'squash', 'letterbox' or 'crop'");
  if (typeof p.margin !== 'number' || p.margin < 0 || p.margin > 1) fail(source, 'preprocess.margin', 'must be a number from 0 to 1');
  if (typeof p.scale !== 'number' || p.scale <= 0) fail(source, 'preprocess.scale', 'must be a positive number');
  for (const k of ['mean', 'std'] as const) {
    if (!Array.isArray(p[k]) || p[k].length !== 3 || p[k].some((v) => typeof v !== 'number')) fail(source, `preprocess.${k}`, 'must be three numbers');
  }
  if (p.std.some((v) => v === 0)) fail(source, 'preprocess.std', 'must not contain 0');
  if (!Array.isArray(m.features) || m.features.length === 0) fail(source, 'features', 'must list at least one tensor');
  m.features.forEach((f, k) => {
    if (typeof f.tensor !== 'string' || !f.tensor) fail(source, `features[${k}].tensor`, 'is required');
    if (!Number.isInteger(f.channels) || f.channels <= 0) fail(source, `features[${k}].channels`, 'must be a positive integer');
    if (!['gem', 'avg', 'meanstd', 'none'].includes(f.pooling)) fail(source, `features[${k}].pooling`, "must be 'gem', 'avg', 'meanstd' or 'none'");
  });
  if (m.embedding !== undefined) {
    const { tensors, views } = m.embedding;
    if (tensors !== undefined) {
      if (!Array.isArray(tensors) || tensors.length === 0) fail(source, 'embedding.tensors', 'must list feature tensors');
      for (const t of tensors) if (!m.features.some((f) => f.tensor === t)) fail(source, 'embedding.tensors', `names '${t}', which is not in features`);
    }
    if (views !== undefined) {
      if (!Array.isArray(views)) fail(source, 'embedding.views', 'must list test views');
      for (const v of views) if (!Object.hasOwn(TEST_VIEWS, v)) fail(source, 'embedding.views', `names '${v}'; known test views: ${Object.keys(TEST_VIEWS).join(', ')}`);
    }
  }
  if (m.proposer !== undefined) {
    const q = m.proposer;
    if (typeof q.tensor !== 'string' || !q.tensor) fail(source, 'proposer.tensor', 'is required');
    if (!q.classifier || typeof q.classifier.weight !== 'string') fail(source, 'proposer.classifier.weight', 'is required');
    if (q.classifier.layout !== 'in-out' && q.classifier.layout !== 'out-in') fail(source, 'proposer.classifier.layout', "must be 'in-out' or 'out-in'");
    const c = q.classes as unknown;
    const range = c && typeof c === 'object' && !Array.isArray(c) ? (c as { from: unknown; to: unknown }) : null;
    const listOk = Array.isArray(c) && c.length > 0 && c.every((k) => Number.isInteger(k) && k >= 0);
    const rangeOk = range !== null && Number.isInteger(range.from) && Number.isInteger(range.to) && (range.from as number) >= 0 && (range.to as number) >= (range.from as number);
    if (!listOk && !rangeOk) fail(source, 'proposer.classes', 'must list class indices or give a range { "from": I, "to": J }');
    if (!Number.isInteger(q.size) || q.size < 32) fail(source, 'proposer.size', 'must be an integer of at least 32');
  }
  return m as ModelManifest;
}

export function readManifest(file: string): ModelManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UserError(`cannot read model manifest ${file}: ${(e as Error).message}`, 'bad-manifest');
  }
  return validateManifest(raw, file);
}

/**
 * Every manifest Caudal can see: the user's folders first (a user's manifest overrides a
 * built-in one of the same id), then the ones shipped in the app's `models/`.
 */
export function listManifests(modelsDir?: string): Array<{ manifest: ModelManifest; source: string }> {
  const seen = new Map<string, { manifest: ModelManifest; source: string }>();
  for (const dir of [...modelDirs(modelsDir), manifestsDir()]) {
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
      const source = path.join(dir, name);
      const manifest = readManifest(source);
      if (!seen.has(manifest.id)) seen.set(manifest.id, { manifest, source });
    }
  }
  return [...seen.values()];
}

export const DEFAULT_BACKBONE = 'mobilenetv2-12-int8';

export function findManifest(id: string = DEFAULT_BACKBONE, modelsDir?: string): ModelManifest {
  const hit = listManifests(modelsDir).find((m) => m.manifest.id === id);
  if (!hit) throw new UserError(`no model manifest with id '${id}' (looked in ${[...modelDirs(modelsDir), manifestsDir()].join(', ')})`, 'no-model');
  return hit.manifest;
}
