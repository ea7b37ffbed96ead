import os from 'node:os';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { UserError } from '../util/errors';
import { boxFromMap, combineCams, type ProposedBox } from './cam-box';
import type { ModelManifest } from './manifest';
import { normaliseTables } from './preprocess';
import { buildProposalGraph, CAM_OUTPUT } from './proposal-graph';
import { locateWeights } from './weights';

/**
 * Where the activation map is cut, as a fraction of its range: the loosest cut measured on
 * seals-dev, where tighter boxes matched worse (bench/boxes.bench.ts; no cut beat the whole
 * frame there, see bench/README.md).
 */
export const DEFAULT_CAM_THRESHOLD = 0.35;

/** The backbone's stride: input sides are rounded to a multiple of it so no edge pixels are dropped. */
const STRIDE = 32;

export interface CamMaps {
  /** [K, h, w] */
  cams: Float32Array;
  k: number;
  h: number;
  w: number;
  /** The frame as displayed (EXIF orientation applied). */
  width: number;
  height: number;
}

/** One onnxruntime session over a backbone's class-activation maps: a full frame in, a box around the animal out. */
export class BoxProposer {
  private constructor(
    readonly manifest: ModelManifest,
    private readonly session: ort.InferenceSession,
  ) {}

  static async open(manifest: ModelManifest, opts: { modelsDir?: string; modelBytes?: Uint8Array } = {}): Promise<BoxProposer> {
    const graph = buildProposalGraph(manifest, opts.modelBytes ?? locateWeights(manifest, opts.modelsDir));
    // A proposal is one image at a time beside the embedding job: CPU, as many threads as cores.
    const session = await ort.InferenceSession.create(graph, {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      intraOpNumThreads: Math.max(1, os.availableParallelism()),
      interOpNumThreads: 1,
    });
    return new BoxProposer(manifest, session);
  }

  /** The class-activation maps of a photo, run at the proposer's size with the photo's aspect ratio. */
  async maps(source: string | Buffer): Promise<CamMaps> {
    const name = typeof source === 'string' ? source : 'image';
    const size = this.manifest.proposer!.size;
    let rgb: Buffer;
    let info: { width: number; height: number };
    let width: number;
    let height: number;
    try {
      const img = sharp(source, { failOn: 'error' });
      const meta = await img.metadata();
      const swap = (meta.orientation ?? 1) >= 5;
      width = swap ? meta.height! : meta.width!;
      height = swap ? meta.width! : meta.height!;
      const scale = size / Math.max(width, height);
      const side = (v: number) => Math.max(STRIDE, Math.round((v * scale) / STRIDE) * STRIDE);
      ({ data: rgb, info } = await img
        .rotate()
        .resize(side(width), side(height), { fit: 'fill', kernel: this.manifest.preprocess.kernel ?? 'lanczos3' })
        .removeAlpha()
        .toColourspace('srgb')
        .raw()
        .toBuffer({ resolveWithObject: true }));
    } catch (e) {
      throw new UserError(`cannot decode ${name}: ${(e as Error).message}`, 'bad-image');
    }
    const hw = info.width * info.height;
    const tables = normaliseTables(this.manifest);
    const order = this.manifest.input.channels === 'BGR' ? [2, 1, 0] : [0, 1, 2];
    const input = new Float32Array(3 * hw);
    for (let c = 0; c < 3; c++) for (let i = 0; i < hw; i++) input[c * hw + i] = tables[c][rgb[i * 3 + order[c]]];
    const out = await this.session.run({ [this.manifest.input.name]: new ort.Tensor('float32', input, [1, 3, info.height, info.width]) });
    const t = out[CAM_OUTPUT];
    const [, k, h, w] = t.dims as number[];
    return { cams: t.data as Float32Array, k, h, w, width, height };
  }

  /** The proposed box of a photo, or null when its map is flat. */
  async propose(source: string | Buffer, threshold = DEFAULT_CAM_THRESHOLD): Promise<ProposedBox | null> {
    const m = await this.maps(source);
    return boxFromMaps(m, threshold);
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

export function boxFromMaps(m: CamMaps, threshold = DEFAULT_CAM_THRESHOLD): ProposedBox | null {
  return boxFromMap(combineCams(m.cams, m.k, m.h, m.w), m.h, m.w, m.width, m.height, threshold);
}
