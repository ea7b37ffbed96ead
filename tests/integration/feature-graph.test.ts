import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { onnx } from 'onnx-proto';
import { buildFeatureGraph, FEATURE_OUTPUT } from '../../electron/core/vision/feature-graph';
import { FeatureExtractor } from '../../electron/core/vision/extractor';
import { findManifest } from '../../electron/core/vision/manifest';
import { encodeModel, floatTensor, floatValue, node } from '../../electron/core/vision/onnx-build';
import { preprocess } from '../../electron/core/vision/preprocess';
import { sharedPath } from '../helpers/shared';
import { tmpDir } from '../helpers/tmp';

process.env.CAUDAL_HOME ??= path.join(tmpDir('caudal-fg-'), 'home');

describe('the feature graph (real backbone, edited with onnx-proto)', () => {
  it('exposes the pooled blocks of five layers, each L2-normalised, as one output', async () => {
    const m = findManifest();
    const g = buildFeatureGraph(m);
    expect(g.output).toBe(FEATURE_OUTPUT);
    expect(g.dim).toBe(2432);
    expect(g.blocks.map((b) => [b.tensor, b.offset, b.length])).toEqual([
      ['426_quantized', 0, 96],
      ['591_quantized', 96, 576],
      ['452_quantized', 672, 160],
      ['624_quantized', 832, 320],
      ['627', 1152, 1280],
    ]);
    expect(g.model.graph!.output!.map((o) => o.name)).toEqual([FEATURE_OUTPUT]); // the classifier is gone
    const ex = await FeatureExtractor.open(m, { device: 'cpu' });
    const x = await preprocess(sharedPath('datasets', 'nyala-dev', 'images/60/630_leftphoto.jpg'), m);
    const f = await ex.run(x, 1);
    for (const b of g.blocks) {
      const norm = Math.sqrt(f.subarray(b.offset, b.offset + b.length).reduce((s, v) => s + v * v, 0));
      expect(norm).toBeCloseTo(1, 4);
    }
    await ex.release();
  });

  it('takes a head appended to it, giving one self-contained ONNX file whose output is the head of the feature', async () => {
    const m = findManifest();
    const g = buildFeatureGraph(m);
    const dimOut = 16;
    const w = Array.from({ length: g.dim * dimOut }, (_, i) => Math.cos(i * 0.37) * 0.05);
    const graph = g.model.graph as onnx.GraphProto;
    graph.initializer.push(floatTensor('head_w', [g.dim, dimOut], w) as onnx.TensorProto);
    graph.node.push(node('MatMul', [FEATURE_OUTPUT, 'head_w'], ['head_z']) as onnx.NodeProto, node('LpNormalization', ['head_z'], ['embedding'], { axis: 1, p: 2 }) as onnx.NodeProto);
    graph.output = [floatValue('embedding', ['N', dimOut]) as onnx.ValueInfoProto];
    const session = await ort.InferenceSession.create(encodeModel(g.model));
    const x = await preprocess(sharedPath('datasets', 'nyala-dev', 'images/60/630_leftphoto.jpg'), m);
    const out = (await session.run({ input: new ort.Tensor('float32', x, [1, 3, 224, 224]) })).embedding.data as Float32Array;
    const ex = await FeatureExtractor.open(m, { device: 'cpu' });
    const f = await ex.run(x, 1);
    const z = Array.from({ length: dimOut }, (_, j) => f.reduce((s, v, i) => s + v * w[i * dimOut + j], 0));
    const n = Math.sqrt(z.reduce((s, v) => s + v * v, 0));
    z.forEach((v, j) => expect(out[j]).toBeCloseTo(v / n, 4));
    await ex.release();
    await session.release();
  });
});
