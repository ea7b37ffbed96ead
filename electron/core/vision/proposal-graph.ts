import type { onnx } from 'onnx-proto';
import { UserError } from '../util/errors';
import { initializerValues } from './initializer-values';
import { proposerClasses, type ModelManifest, type ProposerSpec } from './manifest';
import { encodeModel, floatTensor, floatValue, node } from './onnx-build';
import { readModelGraph } from './feature-graph';

export const CAM_OUTPUT = 'caudal_cam';

/**
 * The classifier rows of `classes` as a 1x1 convolution [K, C, 1, 1], dequantised per class
 * (the int8 model quantises its classifier per output column). The bias is left out: it shifts
 * a class's whole map, and only the map's shape is used.
 */
function classWeights(g: onnx.IGraphProto, spec: ProposerSpec): { w: Float32Array; channels: number } {
  const { weight, scale, zeroPoint, layout } = spec.classifier;
  const { dims, values } = initializerValues(g, weight);
  if (dims.length !== 2) throw new Error(`classifier weight '${weight}' has dims ${dims.join('x')}, not a matrix`);
  const [channels, classes] = layout === 'in-out' ? dims : [dims[1], dims[0]];
  const perClass = (name: string | undefined, dflt: number) => {
    if (!name) return () => dflt;
    const v = initializerValues(g, name).values;
    return (k: number) => (v.length === 1 ? v[0] : v[k]);
  };
  const s = perClass(scale, 1);
  const z = perClass(zeroPoint, 0);
  const wanted = proposerClasses(spec);
  const w = new Float32Array(wanted.length * channels);
  wanted.forEach((k, r) => {
    if (k >= classes) throw new Error(`proposer class ${k} is beyond the classifier's ${classes} classes`);
    for (let c = 0; c < channels; c++) {
      const q = layout === 'in-out' ? values[c * classes + k] : values[k * channels + c];
      w[r * channels + c] = (q - z(k)) * s(k);
    }
  });
  return { w, channels };
}

/**
 * The manifest's backbone cut at its last feature map, with one class-activation map per
 * proposer class as the only output ([N, K, h, w]). The input takes any height and width, so a
 * full frame runs at its own aspect ratio.
 */
export function buildProposalGraph(manifest: ModelManifest, source?: Uint8Array | string): Uint8Array {
  const spec = manifest.proposer;
  if (!spec) throw new UserError(`model '${manifest.id}': its manifest has no proposer`, 'bad-manifest');
  const { m, g } = readModelGraph(manifest, source);
  const produced = new Set([...g.input.map((i) => i.name), ...g.initializer.map((i) => i.name), ...g.node.flatMap((n) => n.output)]);
  for (const name of [spec.tensor, ...(spec.dequantize ? [spec.dequantize.scale, spec.dequantize.zeroPoint] : [])]) {
    if (!produced.has(name)) throw new UserError(`model '${manifest.id}': proposer names tensor '${name}', which the graph does not have`, 'bad-manifest');
  }
  let weights;
  try {
    weights = classWeights(g, spec);
  } catch (e) {
    throw new UserError(`model '${manifest.id}': proposer: ${(e as Error).message}`, 'bad-manifest');
  }
  g.input = g.input.filter((i) => i.name === manifest.input.name || !g.initializer.some((t) => t.name === i.name));
  const input = g.input.find((i) => i.name === manifest.input.name);
  if (!input) throw new UserError(`model '${manifest.id}': manifest input.name '${manifest.input.name}' is not an input of the graph`, 'bad-manifest');
  input.type = floatValue(manifest.input.name, ['N', 3, 'H', 'W']).type as onnx.TypeProto;
  g.valueInfo = [];
  let src = spec.tensor;
  if (spec.dequantize) {
    src = 'caudal_cam_deq';
    g.node.push(node('DequantizeLinear', [spec.tensor, spec.dequantize.scale, spec.dequantize.zeroPoint], [src]) as onnx.NodeProto);
  }
  const k = proposerClasses(spec).length;
  g.initializer.push(floatTensor('caudal_cam_w', [k, weights.channels, 1, 1], weights.w) as onnx.TensorProto);
  g.node.push(node('Conv', [src, 'caudal_cam_w'], [CAM_OUTPUT], { kernel_shape: [1, 1] }) as onnx.NodeProto);
  g.output = [floatValue(CAM_OUTPUT, ['N', k, 'h', 'w']) as onnx.ValueInfoProto];
  return encodeModel(m);
}
