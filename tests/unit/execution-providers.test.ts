import fs from 'node:fs';
import path from 'node:path';
import { onnx } from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { chooseProviders, ortBinDir, usableProviders, withProviderFallback } from '../../electron/core/vision/execution-providers';
import { tmpDir } from '../helpers/tmp';

// The expected CUDA load failure below is logged by onnxruntime at error level; keep the output clean.
ort.env.logLevel = 'fatal';

/** A one-node graph (Relu) built in the test: enough to prove a session runs on the chosen providers. */
function reluModel(): Uint8Array {
  const t = { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimValue: 3 }] } } };
  return onnx.ModelProto.encode(
    onnx.ModelProto.create({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 13 }],
      graph: { name: 'relu', node: [{ opType: 'Relu', input: ['x'], output: ['y'] }], input: [{ name: 'x', type: t }], output: [{ name: 'y', type: t }] },
    }),
  ).finish();
}

describe('execution providers', () => {
  it('prefers the platform GPU provider when usable and always ends with cpu', () => {
    expect(chooseProviders('auto', ['cpu', 'cuda'], 'linux')).toEqual(['cuda', 'cpu']);
    expect(chooseProviders('auto', ['cpu'], 'linux')).toEqual(['cpu']);
    expect(chooseProviders('auto', ['cpu', 'dml', 'webgpu'], 'win32')).toEqual(['dml', 'cpu']);
    expect(chooseProviders('gpu', ['cpu', 'coreml'], 'darwin')).toEqual(['coreml', 'cpu']);
    expect(chooseProviders('cpu', ['cpu', 'cuda'], 'linux')).toEqual(['cpu']);
    expect(chooseProviders('webgpu', ['cpu', 'webgpu'], 'linux')).toEqual(['webgpu', 'cpu']);
    expect(chooseProviders('cuda', ['cpu', 'dml'], 'win32')).toEqual(['cpu']); // asked for, not in this build
  });

  it('counts CUDA usable only when its provider libraries were fetched', () => {
    const bin = tmpDir();
    const backends = [
      { name: 'cpu', bundled: true },
      { name: 'cuda', bundled: false },
      { name: 'tensorrt', bundled: false },
    ];
    expect(usableProviders(backends, bin, 'linux')).toEqual(['cpu']);
    fs.writeFileSync(path.join(bin, 'libonnxruntime_providers_cuda.so'), '');
    expect(usableProviders(backends, bin, 'linux')).toEqual(['cpu']); // the shared bridge is missing too
    fs.writeFileSync(path.join(bin, 'libonnxruntime_providers_shared.so'), '');
    expect(usableProviders(backends, bin, 'linux')).toEqual(['cpu', 'cuda']);
  });

  it('reports what this install can load', () => {
    const usable = usableProviders(ort.listSupportedBackends(), ortBinDir());
    expect(usable).toContain('cpu');
    expect(fs.existsSync(path.join(ortBinDir(), 'onnxruntime_binding.node'))).toBe(true);
  });

  it('falls back to the CPU when a GPU provider cannot load, and says why', async () => {
    const model = reluModel();
    // CUDA's provider libraries are not installed here (ONNXRUNTIME_NODE_INSTALL=skip), so asking for it fails for real.
    const r = await withProviderFallback(['cuda', 'cpu'], (providers) => ort.InferenceSession.create(model, { executionProviders: providers, logSeverityLevel: 4 }));
    expect(r.providers).toEqual(['cpu']);
    expect(r.fallbackReason).toMatch(/^cuda failed: /);
    const out = await r.session.run({ x: new ort.Tensor('float32', Float32Array.from([-2, 0, 3]), [3]) });
    expect(Array.from(out.y.data as Float32Array)).toEqual([0, 0, 3]);
    const cpu = await withProviderFallback(['cpu'], (providers) => ort.InferenceSession.create(model, { executionProviders: providers, logSeverityLevel: 4 }));
    expect(cpu.fallbackReason).toBeUndefined();
  });
});
