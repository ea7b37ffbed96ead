import fs from 'node:fs';
import type { onnx } from 'onnx-proto';
import { UserError } from '../util/errors';
import { featureDim, type FeatureTensor, type ModelManifest } from './manifest';
import { decodeModel, encodeModel, floatTensor, floatValue, node } from './onnx-build';
import { locateWeights } from './weights';

export const FEATURE_OUTPUT = 'caudal_features';

export interface FeatureGraph {
  /** The edited model: its only output is FEATURE_OUTPUT, [N, dim] float32. */
  model: onnx.ModelProto;
  bytes: Uint8Array;
  output: string;
  dim: number;
  /** Where each pooled block lies in the feature vector, in order. */
  blocks: Array<{ tensor: string; stat: 'gem' | 'avg' | 'mean' | 'std' | 'none'; offset: number; length: number }>;
}

/**
 * Pools one feature tensor to [N, C] (or [N, 2C] for mean+std), appending nodes to `nodes`.
 * Returns the pooled output names, one per block.
 */
function poolTensor(f: FeatureTensor, k: number, src: string, gemP: number, nodes: onnx.INodeProto[], inits: onnx.ITensorProto[]): Array<{ name: string; stat: FeatureGraph['blocks'][number]['stat'] }> {
  const t = (s: string) => `caudal_f${k}_${s}`;
  const flat = (x: string, out: string) => nodes.push(node('Flatten', [x], [out], { axis: 1 }));
  switch (f.pooling) {
    case 'none':
      flat(src, t('none'));
      return [{ name: t('none'), stat: 'none' }];
    case 'avg':
      nodes.push(node('GlobalAveragePool', [src], [t('gap')]));
      flat(t('gap'), t('avg'));
      return [{ name: t('avg'), stat: 'avg' }];
    case 'gem':
      // GeM: (mean of max(x, eps)^p)^(1/p). Residual-add tensors can be negative; the clamp keeps the power real.
      inits.push(floatTensor(t('eps'), [], [1e-6]), floatTensor(t('p'), [], [gemP]), floatTensor(t('invp'), [], [1 / gemP]));
      nodes.push(
        node('Max', [src, t('eps')], [t('clamped')]),
        node('Pow', [t('clamped'), t('p')], [t('pow')]),
        node('GlobalAveragePool', [t('pow')], [t('gap')]),
        node('Pow', [t('gap'), t('invp')], [t('gem4')]),
      );
      flat(t('gem4'), t('gem'));
      return [{ name: t('gem'), stat: 'gem' }];
    case 'meanstd':
      inits.push(floatTensor(t('eps'), [], [1e-6]));
      nodes.push(
        node('GlobalAveragePool', [src], [t('m4')]),
        node('Mul', [src, src], [t('sq')]),
        node('GlobalAveragePool', [t('sq')], [t('m2')]),
        node('Mul', [t('m4'), t('m4')], [t('msq')]),
        node('Sub', [t('m2'), t('msq')], [t('var0')]),
        node('Relu', [t('var0')], [t('var')]),
        node('Add', [t('var'), t('eps')], [t('vareps')]),
        node('Sqrt', [t('vareps')], [t('s4')]),
      );
      flat(t('m4'), t('mean'));
      flat(t('s4'), t('std'));
      return [
        { name: t('mean'), stat: 'mean' },
        { name: t('std'), stat: 'std' },
      ];
  }
}

/** A model's ONNX graph, decoded from `source` (bytes or a path; default: the manifest's weights), to be edited. */
export function readModelGraph(manifest: ModelManifest, source?: Uint8Array | string): { m: onnx.ModelProto; g: onnx.GraphProto } {
  const bytes = source instanceof Uint8Array ? source : fs.readFileSync(source ?? locateWeights(manifest));
  const m = decodeModel(bytes);
  const g = m.graph as onnx.GraphProto | null;
  if (!g) throw new UserError(`model '${manifest.id}': the file holds no graph`, 'bad-model');
  return { m, g };
}

/**
 * The manifest's backbone with its feature tensors exposed: each named tensor is dequantised
 * when it is int8, pooled, optionally L2-normalised per block (so no layer dominates the
 * cosine by scale alone), and the blocks concatenated into one output. One session.run then
 * gives the stored backbone feature. The training code appends its head to `model` to export
 * a single self-contained ONNX file.
 */
export function buildFeatureGraph(manifest: ModelManifest, source?: Uint8Array | string): FeatureGraph {
  const { m, g } = readModelGraph(manifest, source);
  if (!g.input.some((i) => i.name === manifest.input.name)) {
    throw new UserError(`model '${manifest.id}': manifest input.name '${manifest.input.name}' is not an input of the graph (it has ${g.input.map((i) => i.name).join(', ')})`, 'bad-manifest');
  }
  const produced = new Set<string | null | undefined>([...g.input.map((i) => i.name), ...g.initializer.map((i) => i.name), ...g.node.flatMap((n) => n.output)]);
  g.input = g.input.filter((i) => i.name === manifest.input.name || !g.initializer.some((t) => t.name === i.name));
  // The input takes the manifest's size with any batch (a fully convolutional backbone runs at
  // other resolutions too); stale intermediate shape hints are dropped and re-inferred.
  const input = g.input.find((i) => i.name === manifest.input.name)!;
  input.type = floatValue(manifest.input.name, ['N', 3, manifest.input.height, manifest.input.width]).type as onnx.TypeProto;
  g.valueInfo = [];
  const gemP = manifest.pooling?.gemP ?? 3;
  const normalize = manifest.pooling?.normalizeBlocks ?? false;
  const nodes: onnx.INodeProto[] = [];
  const inits: onnx.ITensorProto[] = [];
  const parts: string[] = [];
  const blocks: FeatureGraph['blocks'] = [];
  let offset = 0;
  manifest.features.forEach((f, k) => {
    for (const name of [f.tensor, ...(f.dequantize ? [f.dequantize.scale, f.dequantize.zeroPoint] : [])]) {
      if (!produced.has(name)) throw new UserError(`model '${manifest.id}': features[${k}] names tensor '${name}', which the graph does not have`, 'bad-manifest');
    }
    let src = f.tensor;
    if (f.dequantize) {
      src = `caudal_f${k}_deq`;
      nodes.push(node('DequantizeLinear', [f.tensor, f.dequantize.scale, f.dequantize.zeroPoint], [src]));
    }
    for (const b of poolTensor(f, k, src, gemP, nodes, inits)) {
      let out = b.name;
      if (normalize) {
        out = `${b.name}_l2`;
        nodes.push(node('LpNormalization', [b.name], [out], { axis: 1, p: 2 }));
      }
      parts.push(out);
      blocks.push({ tensor: f.tensor, stat: b.stat, offset, length: f.channels });
      offset += f.channels;
    }
  });
  const dim = featureDim(manifest);
  if (parts.length === 1) nodes.push(node('Identity', parts, [FEATURE_OUTPUT]));
  else nodes.push(node('Concat', parts, [FEATURE_OUTPUT], { axis: 1 }));
  g.node.push(...(nodes as onnx.NodeProto[]));
  g.initializer.push(...(inits as onnx.TensorProto[]));
  // Only the feature is an output, so the runtime prunes the classifier.
  g.output = [floatValue(FEATURE_OUTPUT, ['N', dim]) as onnx.ValueInfoProto];
  return { model: m, bytes: encodeModel(m), output: FEATURE_OUTPUT, dim, blocks };
}
