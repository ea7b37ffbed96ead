import * as ort from 'onnxruntime-node';
import { onnx } from 'onnx-proto';
import type { Gemm } from './gemm';

function gemmGraph(transA: number, transB: number): Uint8Array {
  const dims = (n: string) => ({ dim: [{ dimParam: `${n}0` }, { dimParam: `${n}1` }] });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'gemm',
      node: [
        {
          opType: 'Gemm',
          input: ['A', 'B'],
          output: ['C'],
          attribute: [
            { name: 'transA', type: onnx.AttributeProto.AttributeType.INT, i: transA },
            { name: 'transB', type: onnx.AttributeProto.AttributeType.INT, i: transB },
          ],
        },
      ],
      input: ['A', 'B'].map((name) => ({ name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: dims(name) } } })),
      output: [{ name: 'C', type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT } } }],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** The training step's products through onnxruntime (MLAS kernels), one thread: deterministic and leaves a core free. */
export async function ortGemm(threads = 1): Promise<Gemm> {
  const opts: ort.InferenceSession.SessionOptions = { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential' };
  const fwd = await ort.InferenceSession.create(gemmGraph(0, 1), opts);
  const bwd = await ort.InferenceSession.create(gemmGraph(1, 0), opts);
  return {
    name: 'onnxruntime',
    async xwT(x, n, k, W, r0, rows) {
      const w = W.subarray(r0 * k, (r0 + rows) * k);
      const r = await fwd.run({ A: new ort.Tensor('float32', x, [n, k]), B: new ort.Tensor('float32', w, [rows, k]) });
      return r.C.data as Float32Array;
    },
    async gTx(g, n, rows, x, k) {
      const r = await bwd.run({ A: new ort.Tensor('float32', g, [n, rows]), B: new ort.Tensor('float32', x, [n, k]) });
      return r.C.data as Float32Array;
    },
    async dispose() {
      await fwd.release();
      await bwd.release();
    },
  };
}
