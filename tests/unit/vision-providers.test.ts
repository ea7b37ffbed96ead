import * as ort from 'onnxruntime-node';
import { availableProviders, createWithFallback, detectUsable, parseDevice, planProviders, type Provider } from '../../electron/core/vision/providers';
import { FeatureExtractor } from '../../electron/core/vision/extractor';
import { identityManifest, identityModel } from '../helpers/tiny-models';

// The expected CUDA load failure below is logged by onnxruntime at error level; our warning is what the user sees.
ort.env.logLevel = 'fatal';

describe('execution provider selection', () => {
  it('offers what onnxruntime can load, best first, CPU always', () => {
    // (which providers a build can load, bundled or installed, is execution-providers.test.ts's subject)
    expect(availableProviders(['cpu', 'webgpu', 'dml'])).toEqual(['dml', 'webgpu', 'cpu']);
    expect(availableProviders(['cuda', 'tensorrt', 'cpu'])).toEqual(['cuda', 'cpu']);
    expect(availableProviders([])).toEqual(['cpu']);
  });

  it('this machine offers CPU', () => {
    expect(availableProviders(detectUsable())).toContain('cpu');
  });

  it('auto tries CUDA, then DirectML, then CoreML, then CPU', () => {
    expect(planProviders('auto', ['cuda', 'dml', 'coreml', 'cpu']).tries).toEqual(['cuda', 'dml', 'coreml', 'cpu']);
    expect(planProviders('auto', ['coreml', 'cpu']).tries).toEqual(['coreml', 'cpu']);
    expect(planProviders('auto', ['cpu']).tries).toEqual(['cpu']);
  });

  it("'gpu' is auto that warns when there is no GPU provider; WebGPU is only used when asked for", () => {
    expect(planProviders('gpu', ['dml', 'cpu'])).toEqual({ tries: ['dml', 'cpu'], warnings: [] });
    expect(planProviders('gpu', ['cpu']).warnings[0]).toMatch(/no GPU provider.*CPU/);
    expect(planProviders('auto', ['webgpu', 'cpu']).tries).toEqual(['cpu']);
    expect(planProviders('webgpu', ['webgpu', 'cpu']).tries).toEqual(['webgpu', 'cpu']);
  });

  it('a forced provider is tried first; one this build lacks falls back to CPU with a warning', () => {
    expect(planProviders('cuda', ['cuda', 'cpu'])).toEqual({ tries: ['cuda', 'cpu'], warnings: [] });
    expect(planProviders('cpu', ['cuda', 'cpu']).tries).toEqual(['cpu']);
    const p = planProviders('coreml', ['cpu']);
    expect(p.tries).toEqual(['cpu']);
    expect(p.warnings[0]).toMatch(/coreml.*not available.*CPU/);
  });

  it('a GPU provider that fails to start falls back with a visible warning, reporting the provider really used', async () => {
    const tried: Provider[] = [];
    const create = async (p: Provider) => {
      tried.push(p);
      if (p === 'cuda') throw new Error('CUDA driver version is insufficient\nstack...');
      if (p === 'dml') throw new Error('no DirectX 12 device');
      return `session on ${p}`;
    };
    const r = await createWithFallback('auto', create, ['cuda', 'dml', 'cpu']);
    expect(tried).toEqual(['cuda', 'dml', 'cpu']);
    expect(r.provider).toBe('cpu');
    expect(r.session).toBe('session on cpu');
    expect(r.warnings).toEqual([
      "execution provider 'cuda' failed (CUDA driver version is insufficient); falling back",
      "execution provider 'dml' failed (no DirectX 12 device); falling back",
    ]);
    const ok = await createWithFallback('auto', async (p) => p, ['cuda', 'cpu']);
    expect(ok).toEqual({ session: 'cuda', provider: 'cuda', warnings: [] });
  });

  it('a CPU failure is not hidden', async () => {
    await expect(createWithFallback('cpu', async () => Promise.reject(new Error('bad model')), ['cpu'])).rejects.toThrow('bad model');
  });

  it('really falls back from a provider onnxruntime cannot create here', async () => {
    // Pretend the build offers CUDA: this machine has none, so onnxruntime refuses it and CPU runs.
    const m = identityManifest(4, 4);
    const ex = await FeatureExtractor.open(m, { modelBytes: identityModel(4, 4), device: 'cuda', available: ['cuda', 'cpu'] });
    expect(ex.provider).toBe('cpu');
    expect(ex.warnings.join(' ')).toMatch(/'cuda' failed/);
    await ex.release();
    expect(ort.listSupportedBackends().some((b) => b.name === 'cpu')).toBe(true);
  });

  it('rejects an unknown device, naming the field', () => {
    expect(() => parseDevice('tpu')).toThrow(/--device must be one of auto, cpu, gpu, cuda, dml, coreml, webgpu; got 'tpu'/);
    expect(parseDevice('dml')).toBe('dml');
  });
});
