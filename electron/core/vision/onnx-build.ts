import { onnx } from 'onnx-proto';

/**
 * Small builders over onnx-proto, for editing graphs at load time (feature outputs, trained
 * heads) and for the tiny graphs the tests build.
 */
export type Attr = number | number[] | string | { floats: number[] } | { float: number };

function attribute(name: string, v: Attr): onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'number') return { name, type: T.INT, i: v };
  if (typeof v === 'string') return { name, type: T.STRING, s: Buffer.from(v) };
  if (Array.isArray(v)) return { name, type: T.INTS, ints: v };
  if ('floats' in v) return { name, type: T.FLOATS, floats: v.floats };
  return { name, type: T.FLOAT, f: v.float };
}

export function node(opType: string, inputs: string[], outputs: string[], attrs: Record<string, Attr> = {}, name?: string): onnx.INodeProto {
  return {
    opType,
    input: inputs,
    output: outputs,
    name: name ?? `caudal_${opType}_${outputs[0]}`,
    attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
  };
}

export function floatTensor(name: string, dims: number[], values: ArrayLike<number>): onnx.ITensorProto {
  return { name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(Float32Array.from(values).buffer) };
}

export function int64Tensor(name: string, dims: number[], values: number[]): onnx.ITensorProto {
  return { name, dims, dataType: onnx.TensorProto.DataType.INT64, rawData: new Uint8Array(BigInt64Array.from(values.map(BigInt)).buffer) };
}

/** dims: numbers, or strings for symbolic ones (e.g. 'N' for the batch). */
export function floatValue(name: string, dims: Array<number | string>): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

export function model(graph: onnx.IGraphProto, opset = 12): onnx.IModelProto {
  return { irVersion: 7, producerName: 'caudal', opsetImport: [{ domain: '', version: opset }], graph };
}

export const encodeModel = (m: onnx.IModelProto): Uint8Array => onnx.ModelProto.encode(onnx.ModelProto.create(m)).finish();
export const decodeModel = (bytes: Uint8Array): onnx.ModelProto => onnx.ModelProto.decode(bytes);
