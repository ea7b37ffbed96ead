import os from 'node:os';
import * as ort from 'onnxruntime-node';
import { buildFeatureGraph, type FeatureGraph } from './feature-graph';
import type { ModelManifest } from './manifest';
import { locateWeights } from './weights';
import { availableProviders, createWithFallback, type Device, type Provider } from './providers';

export interface ExtractorOptions {
  device?: Device;
  /** --models DIR */
  modelsDir?: string;
  /** The model bytes, for graphs built in memory (tests, other backbones); default: the manifest's weights. */
  modelBytes?: Uint8Array;
  /** Injected for tests: which providers exist. */
  available?: Provider[];
}

/**
 * One inference session over a backbone with its feature output exposed: images in (NCHW
 * float32, preprocessed), stored backbone features out. Reports the provider it really runs on.
 */
export class FeatureExtractor {
  private constructor(
    readonly manifest: ModelManifest,
    readonly graph: FeatureGraph,
    private readonly session: ort.InferenceSession,
    readonly provider: Provider,
    readonly warnings: string[],
  ) {}

  get dim(): number {
    return this.graph.dim;
  }

  static async open(manifest: ModelManifest, opts: ExtractorOptions = {}): Promise<FeatureExtractor> {
    const graph = buildFeatureGraph(manifest, opts.modelBytes ?? locateWeights(manifest, opts.modelsDir));
    const threads = Math.max(1, os.availableParallelism());
    const chosen = await createWithFallback(
      opts.device ?? 'auto',
      (p) =>
        ort.InferenceSession.create(graph.bytes, {
          // After a GPU provider, CPU takes the operators the GPU provider does not implement.
          executionProviders: p === 'cpu' ? ['cpu'] : [p, 'cpu'],
          graphOptimizationLevel: 'all',
          intraOpNumThreads: threads,
          interOpNumThreads: 1,
          // A GPU provider that cannot start is reported once, as our warning, not as a native error dump.
          logSeverityLevel: p === 'cpu' ? 2 : 4,
        }),
      opts.available ?? availableProviders(),
    );
    return new FeatureExtractor(manifest, graph, chosen.session, chosen.provider, chosen.warnings);
  }

  /** `n` images packed in `input` ([n,3,H,W]); returns n rows of `dim` floats. */
  async run(input: Float32Array, n: number): Promise<Float32Array> {
    const { width, height, name } = this.manifest.input;
    const tensor = new ort.Tensor('float32', input.subarray(0, n * 3 * width * height), [n, 3, height, width]);
    const out = await this.session.run({ [name]: tensor });
    const t = out[this.graph.output];
    const data = t.data as Float32Array;
    if (data.length !== n * this.dim) {
      throw new Error(`model '${this.manifest.id}' produced ${data.length / n} features per image; its manifest declares ${this.dim}`);
    }
    return data;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
