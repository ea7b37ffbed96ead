import { onnx } from 'onnx-proto';

const T = onnx.TensorProto.DataType;

/** The values of a graph initializer as floats (FLOAT, INT8, UINT8 or INT32), whatever field holds them. */
export function initializerValues(graph: onnx.IGraphProto, name: string): { dims: number[]; values: Float32Array } {
  const t = graph.initializer?.find((i) => i.name === name);
  if (!t) throw new Error(`the graph has no initializer '${name}'`);
  const dims = (t.dims ?? []).map(Number);
  const n = dims.reduce((a, b) => a * b, 1);
  const raw = t.rawData && t.rawData.length ? t.rawData : null;
  const out = new Float32Array(n);
  if (t.dataType === T.FLOAT) {
    if (raw) out.set(new Float32Array(Uint8Array.from(raw).buffer));
    else out.set(t.floatData ?? []);
  } else if (t.dataType === T.INT8 || t.dataType === T.UINT8) {
    if (raw) out.set(t.dataType === T.INT8 ? new Int8Array(Uint8Array.from(raw).buffer) : raw);
    else out.set((t.int32Data ?? []).map((v) => (t.dataType === T.INT8 ? (v << 24) >> 24 : v)));
  } else if (t.dataType === T.INT32) {
    if (raw) out.set(new Int32Array(Uint8Array.from(raw).buffer));
    else out.set(t.int32Data ?? []);
  } else {
    throw new Error(`initializer '${name}' has data type ${t.dataType}, which is not read here`);
  }
  if (out.length !== n) throw new Error(`initializer '${name}' holds ${out.length} values for dims ${dims.join('x')}`);
  return { dims, values: out };
}
