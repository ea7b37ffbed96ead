import fs from 'node:fs';
import { onnx } from 'onnx-proto';
import type { Catalog } from '../store/catalog';
import type { ModelRow } from '../vision/heads';
import { UserError } from '../util/errors';
import { decodeWeights, encodeWeights, headParams, HEAD_KIND, type SlicedLinearHead } from '../vision/sliced-linear-head';
import { getModelRow } from './model-store';
import { buildFeatureGraph } from '../vision/feature-graph';
import { backboneOf, manifestOf } from '../vision/models-table';

/**
 * The backbone's feature graph (ONNX bytes; first input the image tensor, first output the stored
 * feature [N, dimIn]), from the embedding engine. Tests substitute a tiny graph.
 */
export type FeatureGraphBuilder = (catalog: Catalog, backbone: ModelRow) => Promise<Uint8Array> | Uint8Array;
let featureGraph: FeatureGraphBuilder = (catalog, backbone) => buildFeatureGraph(manifestOf(catalog, backbone.id)).bytes;
export function setFeatureGraphBuilder(b: FeatureGraphBuilder): FeatureGraphBuilder {
  const prev = featureGraph;
  featureGraph = b;
  return prev;
}

const META = 'caudal.model';
const A = onnx.AttributeProto.AttributeType;
const F = onnx.TensorProto.DataType;

const tensor = (name: string, dims: number[], data: Float32Array | number[], type: 'f' | 'i' = 'f') =>
  onnx.TensorProto.create(
    type === 'f'
      ? { name, dims, dataType: F.FLOAT, rawData: new Uint8Array(Float32Array.from(data).buffer) }
      : { name, dims, dataType: F.INT64, int64Data: (data as number[]).map((v) => v) },
  );
const node = (opType: string, input: string[], output: string[], attribute: onnx.IAttributeProto[] = []) => onnx.NodeProto.create({ opType, input, output, attribute });
const ints = (name: string, v: number[]) => ({ name, type: A.INTS, ints: v });
const int = (name: string, v: number) => ({ name, type: A.INT, i: v });

/**
 * Appends the head to a feature graph: l2norm -> Gemm -> per-slice l2norm -> gain, and when the
 * head flip-averages, runs the backbone on the image and its mirror (one batch) and averages.
 * The result has one input (the image) and one output, `embedding` [N, dim].
 */
export function appendHead(featureBytes: Uint8Array, head: SlicedLinearHead, W: Float32Array, b: Float32Array, meta: Record<string, string>): Uint8Array {
  const model = onnx.ModelProto.decode(featureBytes);
  const g = model.graph!;
  const opset = Number(model.opsetImport?.find((o) => !o.domain)?.version ?? 12);
  const inName = g.input![0].name!;
  let feat = g.output![0].name!;
  const pre: onnx.INodeProto[] = [];
  const post: onnx.INodeProto[] = [];
  const init: onnx.ITensorProto[] = [];
  const ds = head.dim / head.slices;
  if (head.flipAverage) {
    // The graph's input becomes `image`; the backbone sees [image; mirror(image)] as one batch.
    const image = onnx.ValueInfoProto.create({ ...g.input![0], name: 'caudal_image' });
    g.input![0] = image;
    init.push(tensor('caudal_flip_starts', [1], [-1], 'i'), tensor('caudal_flip_ends', [1], [-(2 ** 53)], 'i'), tensor('caudal_flip_axes', [1], [3], 'i'), tensor('caudal_flip_steps', [1], [-1], 'i'));
    pre.push(node('Slice', ['caudal_image', 'caudal_flip_starts', 'caudal_flip_ends', 'caudal_flip_axes', 'caudal_flip_steps'], ['caudal_mirror']));
    pre.push(node('Concat', ['caudal_image', 'caudal_mirror'], [inName], [int('axis', 0)]));
  }
  init.push(tensor('caudal_head_W', [head.dim, head.dimIn], W), tensor('caudal_head_b', [head.dim], b));
  init.push(tensor('caudal_shape_slices', [3], [0, head.slices, ds], 'i'), tensor('caudal_shape_flat', [2], [0, head.dim], 'i'));
  init.push(tensor('caudal_gain', [], [1 / Math.sqrt(head.slices)]));
  post.push(node('Flatten', [feat], ['caudal_feat'], [int('axis', 1)]));
  let input = 'caudal_feat';
  if (head.inputRanges) {
    // The blocks of the stored feature the head reads, as in selectRanges.
    const parts = head.inputRanges.map(([off, len], i) => {
      init.push(tensor(`caudal_sel${i}_starts`, [1], [off], 'i'), tensor(`caudal_sel${i}_ends`, [1], [off + len], 'i'), tensor(`caudal_sel${i}_axes`, [1], [1], 'i'));
      post.push(node('Slice', ['caudal_feat', `caudal_sel${i}_starts`, `caudal_sel${i}_ends`, `caudal_sel${i}_axes`], [`caudal_sel${i}`]));
      return `caudal_sel${i}`;
    });
    if (parts.length === 1) input = parts[0];
    else {
      post.push(node('Concat', parts, ['caudal_sel'], [int('axis', 1)]));
      input = 'caudal_sel';
    }
  }
  post.push(node('LpNormalization', [input], ['caudal_x'], [int('axis', 1), int('p', 2)]));
  post.push(node('Gemm', ['caudal_x', 'caudal_head_W', 'caudal_head_b'], ['caudal_z'], [int('transB', 1)]));
  post.push(node('Reshape', ['caudal_z', 'caudal_shape_slices'], ['caudal_zs']));
  post.push(node('LpNormalization', ['caudal_zs'], ['caudal_es'], [int('axis', 2), int('p', 2)]));
  post.push(node('Reshape', ['caudal_es', 'caudal_shape_flat'], ['caudal_ef']));
  feat = 'caudal_ef';
  if (head.flipAverage) {
    post.push(node('Mul', ['caudal_ef', 'caudal_gain'], ['caudal_eg']));
    init.push(tensor('caudal_shape_pair', [3], [2, -1, head.dim], 'i'));
    post.push(node('Reshape', ['caudal_eg', 'caudal_shape_pair'], ['caudal_pair']));
    if (opset >= 13) {
      init.push(tensor('caudal_axis0', [1], [0], 'i'));
      post.push(node('ReduceSum', ['caudal_pair', 'caudal_axis0'], ['caudal_sum'], [int('keepdims', 0)]));
    } else post.push(node('ReduceSum', ['caudal_pair'], ['caudal_sum'], [ints('axes', [0]), int('keepdims', 0)]));
    post.push(node('LpNormalization', ['caudal_sum'], ['embedding'], [int('axis', 1), int('p', 2)]));
  } else post.push(node('Mul', ['caudal_ef', 'caudal_gain'], ['embedding']));
  g.node = [...pre, ...g.node!, ...post];
  g.initializer = [...(g.initializer ?? []), ...init];
  g.output = [onnx.ValueInfoProto.create({ name: 'embedding', type: { tensorType: { elemType: F.FLOAT, shape: { dim: [{ dimParam: 'N' }, { dimValue: head.dim }] } } } })];
  model.metadataProps = [...(model.metadataProps ?? []).filter((p) => !p.key?.startsWith('caudal.')), ...Object.entries(meta).map(([key, value]) => ({ key, value }))];
  return onnx.ModelProto.encode(model).finish();
}

/** One self-contained ONNX file: the backbone's feature graph with the model's head appended. */
export async function exportModel(catalog: Catalog, id: string, out: string): Promise<{ model: string; file: string; bytes: number }> {
  const model = getModelRow(catalog, id);
  if (model.kind !== 'fine-tuned') throw new UserError(`model ${id} is the backbone itself; export a fine-tuned model`, 'bad-request');
  const head = headParams(model);
  if (head?.kind !== HEAD_KIND) throw new UserError(`model ${id} has head kind '${head?.kind}', which export does not know`, 'unsupported');
  const backbone = getModelRow(catalog, backboneOf(catalog, model));
  const { W, b } = decodeWeights(model.weights!, head);
  const meta = { [META]: JSON.stringify({ id: model.id, name: model.name, parentId: model.parent_id, params: JSON.parse(model.params ?? '{}'), metrics: JSON.parse(model.metrics ?? 'null') }) };
  const bytes = appendHead(await featureGraph(catalog, backbone), head, W, b, meta);
  fs.writeFileSync(out, bytes);
  return { model: id, file: out, bytes: bytes.length };
}

/** Adds an exported model to this catalog; its backbone must be here (same id) for stored features to fit. */
export function importModel(catalog: Catalog, file: string): { model: string; parentId: string } {
  if (!fs.existsSync(file)) throw new UserError(`no file ${file}`, 'not-found');
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(fs.readFileSync(file));
  } catch (e) {
    throw new UserError(`${file} is not an ONNX file (${(e as Error).message})`, 'bad-input');
  }
  const raw = model.metadataProps?.find((p) => p.key === META)?.value;
  if (!raw) throw new UserError(`${file} is not a Caudal model export (no ${META} metadata)`, 'bad-input');
  const m = JSON.parse(raw) as { id: string; name: string; parentId: string; params: { head: SlicedLinearHead }; metrics: unknown };
  if (!catalog.store.models.exists(m.parentId)) throw new UserError(`${file} was trained on backbone '${m.parentId}', which this catalog does not have: embed with it first`, 'bad-input');
  const find = (n: string) => model.graph?.initializer?.find((t) => t.name === n);
  const w = find('caudal_head_W');
  const b = find('caudal_head_b');
  if (!w?.rawData || !b?.rawData) throw new UserError(`${file} has no head weights`, 'bad-input');
  const f32 = (u: Uint8Array) => {
    const a = new Float32Array(u.byteLength / 4);
    new Uint8Array(a.buffer).set(u);
    return a;
  };
  const weights = encodeWeights(f32(w.rawData), f32(b.rawData));
  decodeWeights(weights, m.params.head); // size check
  const id = catalog.store.models.unusedId(m.id);
  catalog.store.models.addFineTuned({ id, name: m.name, parentId: m.parentId, weights, params: JSON.stringify(m.params), metrics: JSON.stringify(m.metrics) });
  return { model: id, parentId: m.parentId };
}
