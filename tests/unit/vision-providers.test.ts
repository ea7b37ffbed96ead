import * as ort from 'onnxruntime-node';
import { availableProviders, createWithFallback, detectEnvironment, parseDevice, planProviders, type Provider } from '../../electron/core/vision/providers';
import { FeatureExtractor } from '../../electron/core/vision/extractor';
import { identityManifest, identityModel } from '../helpers/tiny-models';

describe('execution provider selection', () => {
  it('lists what the build offers: bundled ones, and non-bundled only when their library is installed', () => {
    const listed = [
      { name: 'cpu', bundled: true },
      { name: 'webgpu', bundled: true },
      { name: 'cuda', bundled: false },
      { name: 'dml', bundled: true },
    ];
    expect(availableProviders({ listed, libraryPresent: () => false })).toEqual(['dml', 'cpu']);
    expect(availableProviders({ listed, libraryPresent: (p) => p === 'cuda' })).toEqual(['cuda', 'dml', 'cpu']);
    expect(availableProviders({ listed: [], libraryPresent: () => true })).toEqual(['cpu']);
  });

  it('this machine offers CPU', () => {
    expect(availableProviders(detectEnvironment())).toContain('cpu');
  });

  it('auto tries CUDA, then DirectML, then CoreML, then CPU', () => {
    expect(planProviders('auto', ['cuda', 'dml', 'coreml', 'cpu']).tries).toEqual(['cuda', 'dml', 'coreml', 'cpu']);
    expect(planProviders('auto', ['coreml', 'cpu']).tries).toEqual(['coreml', 'cpu']);
    expect(planProviders('auto', ['cpu']).tries).toEqual(['cpu']);
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
    expect(() => parseDevice('gpu')).toThrow(/--device must be one of auto, cpu, cuda, dml, coreml; got 'gpu'/);
    expect(parseDevice('dml')).toBe('dml');
  });
});
