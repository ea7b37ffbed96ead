import { onnx } from 'onnx-proto';

/**
 * The search graph: scores = Q · Gᵀ + bias, then TopK along the gallery axis.
 * Q [B, D] queries, G [N, D] gallery rows (L2-normalised, so the product is cosine similarity),
 * bias [N] is 0 for searchable rows and -Infinity for rows a filter leaves out (masking before
 * the search keeps top-k exact under filters), k [1] int64.
 * Every dimension is symbolic, so one session serves every gallery size and batch.
 */
export function topKGraphBytes(): Uint8Array {
  const F = onnx.TensorProto.DataType.FLOAT;
  const I64 = onnx.TensorProto.DataType.INT64;
  const tensor = (name: string, elemType: number, dims: string[]) =>
    onnx.ValueInfoProto.create({
      name,
      type: { tensorType: { elemType, shape: { dim: dims.map((d) => ({ dimParam: d })) } } },
    });
  const graph = onnx.GraphProto.create({
    name: 'caudal_topk',
    node: [
      onnx.NodeProto.create({
        opType: 'Gemm',
        input: ['queries', 'gallery', 'bias'],
        output: ['scores'],
        attribute: [onnx.AttributeProto.create({ name: 'transB', type: onnx.AttributeProto.AttributeType.INT, i: 1 })],
      }),
      onnx.NodeProto.create({
        opType: 'TopK',
        input: ['scores', 'k'],
        output: ['values', 'indices'],
        attribute: [
          onnx.AttributeProto.create({ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: -1 }),
          onnx.AttributeProto.create({ name: 'largest', type: onnx.AttributeProto.AttributeType.INT, i: 1 }),
          onnx.AttributeProto.create({ name: 'sorted', type: onnx.AttributeProto.AttributeType.INT, i: 1 }),
        ],
      }),
    ],
    input: [tensor('queries', F, ['B', 'D']), tensor('gallery', F, ['N', 'D']), tensor('bias', F, ['N']), tensor('k', I64, ['one'])],
    output: [tensor('values', F, ['B', 'K']), tensor('indices', I64, ['B', 'K'])],
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'caudal',
    opsetImport: [{ domain: '', version: 13 }],
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}

/** scores = Q · Gᵀ only: calibration scans whole score rows. */
export function scoresGraphBytes(): Uint8Array {
  const F = onnx.TensorProto.DataType.FLOAT;
  const tensor = (name: string, dims: string[]) =>
    onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: F, shape: { dim: dims.map((d) => ({ dimParam: d })) } } } });
  const graph = onnx.GraphProto.create({
    name: 'caudal_scores',
    node: [
      onnx.NodeProto.create({
        opType: 'Gemm',
        input: ['queries', 'gallery'],
        output: ['scores'],
        attribute: [onnx.AttributeProto.create({ name: 'transB', type: onnx.AttributeProto.AttributeType.INT, i: 1 })],
      }),
    ],
    input: [tensor('queries', ['B', 'D']), tensor('gallery', ['N', 'D'])],
    output: [tensor('scores', ['B', 'N'])],
  });
  return onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 8, producerName: 'caudal', opsetImport: [{ domain: '', version: 13 }], graph })).finish();
}
