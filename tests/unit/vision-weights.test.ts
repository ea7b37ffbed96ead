import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { cachedSha256, locateWeights } from '../../electron/core/vision/weights';
import { fetchModel } from '../../electron/core/vision/fetch-models';
import { findManifest, readManifest, validateManifest, featureDim } from '../../electron/core/vision/manifest';
import { tinyConvManifest, tinyConvModel } from '../helpers/tiny-models';
import { tmpDir } from '../helpers/tmp';

const home = tmpDir('caudal-home-');
const prevHome = process.env.CAUDAL_HOME;
beforeAll(() => {
  process.env.CAUDAL_HOME = home; // the user's model folder and checksum cache live here
});
afterAll(() => {
  if (prevHome === undefined) delete process.env.CAUDAL_HOME;
  else process.env.CAUDAL_HOME = prevHome;
});

const bytes = tinyConvModel();
const sha = crypto.createHash('sha256').update(bytes).digest('hex');
const manifest = tinyConvManifest(sha, bytes.length);

describe('model weights', () => {
  it('the shipped manifest is valid and names the shared backbone', () => {
    const m = readManifest(path.join(__dirname, '..', '..', 'models', 'mobilenetv2-12-int8.json'));
    expect(m.sha256).toBe('83530ad811bc31d2b60a5599a21265a5057608c9b044b4ee758cc22f2309f54f');
    expect(m.size).toBe(3655640);
    expect(featureDim(m)).toBe(96 + 576 + 160 + 320 + 1280);
    expect(findManifest('mobilenetv2-12-int8').id).toBe(m.id);
  });

  it('a hand-written manifest with a bad field is refused, naming it', () => {
    expect(() => validateManifest({ ...manifest, preprocess: { ...manifest.preprocess, resize: 'stretch' } }, 'x.json')).toThrow(/x\.json: preprocess\.resize must be/);
    expect(() => validateManifest({ ...manifest, sha256: 'abc' }, 'x.json')).toThrow(/sha256 must be 64/);
  });

  it('looks in --models, then the user folder, and refuses a wrong checksum', () => {
    const first = tmpDir('caudal-models-');
    const user = path.join(home, 'models');
    fs.mkdirSync(user, { recursive: true });
    fs.writeFileSync(path.join(user, manifest.file), bytes);
    expect(locateWeights(manifest, first)).toBe(path.join(user, manifest.file));
    fs.writeFileSync(path.join(first, manifest.file), Buffer.from('corrupted download'));
    expect(() => locateWeights(manifest, first)).toThrow(new RegExp(`${manifest.file} is not the model 'tinyconv-test': its sha256 is [0-9a-f]{64}, the manifest expects ${sha}`));
    fs.rmSync(path.join(first, manifest.file));
    fs.rmSync(path.join(user, manifest.file));
    expect(() => locateWeights(manifest, first)).toThrow(/not installed.*put it at .*tinyconv\.onnx/);
  });

  it('caches a verified checksum by size and mtime, and re-hashes a rewritten file', () => {
    const d = tmpDir('caudal-cache-');
    const f = path.join(d, 'w.bin');
    fs.writeFileSync(f, 'aaaa');
    const a = cachedSha256(f);
    const cache = JSON.parse(fs.readFileSync(path.join(home, 'model-checksums.json'), 'utf8'));
    expect(cache[f].sha256).toBe(a);
    // A cached entry is trusted while size and mtime match (proved by planting a marker)...
    cache[f].sha256 = 'cached-marker';
    fs.writeFileSync(path.join(home, 'model-checksums.json'), JSON.stringify(cache));
    expect(cachedSha256(f)).toBe('cached-marker');
    // ...and a rewrite (new mtime) is hashed again.
    fs.writeFileSync(f, 'bbbb');
    fs.utimesSync(f, new Date(), new Date(Date.now() + 5000));
    expect(cachedSha256(f)).toBe(crypto.createHash('sha256').update('bbbb').digest('hex'));
  });

  it('fetch-models: verifies the download; offline it says where to put the file', async () => {
    const dest = tmpDir('caudal-fetch-');
    const withUrl = { ...manifest, url: 'https://example.invalid/tinyconv.onnx' };
    const offline = (async () => {
      throw new Error('getaddrinfo ENOTFOUND example.invalid');
    }) as unknown as typeof fetch;
    await expect(fetchModel(withUrl, { modelsDir: dest, fetchImpl: offline })).rejects.toThrow(
      new RegExp(`could not download.*ENOTFOUND.*put it at ${path.join(dest, 'tinyconv.onnx').replace(/\//g, '\\/')}`),
    );
    const wrong = (async () => new Response(new Uint8Array([1, 2, 3]))) as unknown as typeof fetch;
    await expect(fetchModel(withUrl, { modelsDir: dest, fetchImpl: wrong })).rejects.toThrow(/has sha256 .* expected .*nothing was saved/);
    expect(fs.existsSync(path.join(dest, 'tinyconv.onnx'))).toBe(false);
    const good = (async () => new Response(Buffer.from(bytes))) as unknown as typeof fetch;
    expect(await fetchModel(withUrl, { modelsDir: dest, fetchImpl: good })).toEqual({ id: 'tinyconv-test', file: path.join(dest, 'tinyconv.onnx'), status: 'downloaded' });
    expect(await fetchModel(withUrl, { modelsDir: dest, fetchImpl: offline })).toMatchObject({ status: 'present' });
  });
});
