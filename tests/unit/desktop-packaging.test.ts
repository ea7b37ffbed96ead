import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import { tmpDir } from '../helpers/tmp';

const root = path.join(__dirname, '../..');
const require = createRequire(__filename);
const abi = require('../../scripts/native-abi.cjs');

describe('build output (npm run build)', () => {
  it('has the main, worker, preload and renderer bundles', () => {
    for (const f of ['out/electron/main/main.js', 'out/electron/main/app.js', 'out/electron/core/api/backend-worker.js', 'out/electron/preload/preload.js', 'out/renderer/index.html', 'out/icon.png']) {
      expect(fs.existsSync(path.join(root, f)), `${f} (run npm run build)`).toBe(true);
    }
  });

  it('the sandboxed preload requires nothing but electron', () => {
    const js = fs.readFileSync(path.join(root, 'out/electron/preload/preload.js'), 'utf8');
    const required = [...js.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
    expect(required).toEqual(['electron']);
    expect(js).not.toMatch(/\bimport\s*\(|^\s*import\s/m);
    expect(js).toContain('exposeInMainWorld');
  });
});

describe('electron-builder configuration', () => {
  let config: any;
  beforeAll(async () => {
    const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
    const { DebugLogger } = require('builder-util/out/DebugLogger.js');
    config = await getConfig(root, null, null);
    // electron-builder's own schema check: an unknown or misplaced key fails here, not on a release machine.
    await validateConfiguration(config, new DebugLogger(false));
  });

  it('builds AppImage and deb, NSIS, and dmg', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.directories.buildResources).toBe('build');
  });

  it('unpacks every native module from the asar and checks the rebuilt ABI after packing', () => {
    for (const m of ['better-sqlite3', 'sharp', '@img', 'onnxruntime-node']) expect(config.asarUnpack).toContain(`**/node_modules/${m}/**`);
    expect(config.npmRebuild).toBe(true);
    // Only the target platform's onnxruntime binaries, and no platform-level `files` (which would make electron-builder pack everything).
    expect(config.files[0].filter).toContain('!**/node_modules/onnxruntime-node/bin/napi-v6/!(${platform})/**');
    for (const p of ['linux', 'win', 'mac']) expect(config[p].files, p).toBeUndefined();
    expect(fs.existsSync(path.join(root, config.afterPack))).toBe(true);
  });

  it('ships the fetched models as extra resources and the manifests in the app', () => {
    expect(config.extraResources).toEqual([{ from: '.build/models', to: 'models', filter: ['*.onnx'] }]);
    expect(config.files[0].filter).toEqual(expect.arrayContaining(['out/**/*', 'migrations/**/*', 'models/*.json']));
  });

  it('signs macOS with the hardened runtime and the entitlements Electron needs', () => {
    expect(config.mac.hardenedRuntime).toBe(true);
    const plist = fs.readFileSync(path.join(root, config.mac.entitlements), 'utf8');
    for (const key of ['com.apple.security.cs.allow-jit', 'com.apple.security.cs.allow-unsigned-executable-memory', 'com.apple.security.cs.disable-library-validation']) {
      expect(plist).toMatch(new RegExp(`<key>${key.replace(/\./g, '\\.')}</key>\\s*<true/>`));
    }
    expect(plist).not.toMatch(/device\.camera|device\.audio-input|network\.server/);
  });

  it('turns off the Electron fuses an attacker could use to run code as Node', () => {
    expect(config.electronFuses).toMatchObject({ runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false, onlyLoadAppFromAsar: true });
  });

  it('has icons rendered from the committed SVG', async () => {
    expect(fs.readFileSync(path.join(root, 'build/icon.svg'), 'utf8')).toContain('<svg');
    for (const [file, size] of [['build/icons/512x512.png', 512], ['build/icons/256x256.png', 256], ['build/icon.png', 512]] as const) {
      const meta = await sharp(path.join(root, file)).metadata();
      expect([meta.format, meta.width, meta.height], file).toEqual(['png', size, size]);
      expect(fs.statSync(path.join(root, file)).size).toBeLessThan(64 * 1024);
    }
  });
});

describe('native ABI check (the npm nodedir trap)', () => {
  const binary = path.join(root, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');

  it("reads a native module's NODE_MODULE_VERSION from the binary", () => {
    expect(abi.moduleAbi(binary)).toBe(Number(process.versions.modules));
    expect(abi.findBinaries(path.join(root, 'node_modules/better-sqlite3'))).toContain(binary);
  });

  it("knows Electron 41's ABI and fails loudly on a Node build, naming the file and the cause", () => {
    expect(abi.electronAbi('41.10.0')).toBe(145);
    expect(abi.electronVersion(root)).toBe('41.10.0');
    expect(() => abi.checkBinary(binary, 145, 'Electron 41.10.0')).toThrow(/better_sqlite3\.node is built for NODE_MODULE_VERSION 115, but Electron 41\.10\.0 needs 145[\s\S]*nodedir/);
    expect(abi.checkBinary(binary, Number(process.versions.modules), 'Node')).toBe(Number(process.versions.modules));
  });

  it('treats N-API modules (sharp, onnxruntime) as ABI-independent', () => {
    const ort = path.join(root, `node_modules/onnxruntime-node/bin/napi-v6/${process.platform}/${process.arch}/onnxruntime_binding.node`);
    expect(abi.moduleAbi(ort)).toBeNull();
  });
});

describe('model fetch build step', () => {
  const bytes = crypto.randomBytes(4096);
  const sha = crypto.createHash('sha256').update(bytes).digest('hex');
  let server: http.Server;
  let base: string;
  let served = 0;
  let tamper = false;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      served++;
      if (req.url === '/tiny.onnx') res.end(tamper ? Buffer.concat([bytes, Buffer.from('x')]) : bytes);
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const setup = (manifest: Record<string, unknown>) => {
    const dir = tmpDir();
    fs.mkdirSync(path.join(dir, 'models'));
    fs.writeFileSync(path.join(dir, 'models', 'tiny.json'), JSON.stringify(manifest));
    return { manifests: path.join(dir, 'models'), out: path.join(dir, 'out'), dir };
  };
  const fetchModels = async (o: Record<string, unknown>) => (await import('../../scripts/fetch-models.mjs' as string)).fetchModels({ log: () => {}, ...o });

  it('downloads, verifies the sha256, and keeps a verified file on the next run', async () => {
    const p = setup({ id: 'tiny', file: 'tiny.onnx', sha256: sha, url: `${base}/tiny.onnx` });
    served = 0;
    expect(await fetchModels(p)).toEqual([{ id: 'tiny', file: path.join(p.out, 'tiny.onnx'), source: `${base}/tiny.onnx` }]);
    expect(fs.readFileSync(path.join(p.out, 'tiny.onnx'))).toEqual(bytes);
    expect((await fetchModels(p))[0].source).toBe('cached');
    expect(served).toBe(1);
  });

  it('copies from an offline mirror (--from) when the file is there', async () => {
    const p = setup({ id: 'tiny', file: 'tiny.onnx', sha256: sha, url: `${base}/tiny.onnx` });
    const mirror = path.join(p.dir, 'mirror');
    fs.mkdirSync(mirror);
    fs.writeFileSync(path.join(mirror, 'tiny.onnx'), bytes);
    served = 0;
    expect((await fetchModels({ ...p, from: mirror }))[0].source).toBe(path.join(mirror, 'tiny.onnx'));
    expect(served).toBe(0);
  });

  it('rejects a file whose checksum does not match and leaves nothing behind', async () => {
    const p = setup({ id: 'tiny', file: 'tiny.onnx', sha256: sha, url: `${base}/tiny.onnx` });
    tamper = true;
    try {
      await expect(fetchModels(p)).rejects.toThrow(new RegExp(`tiny\\.onnx from .*: sha256 [0-9a-f]{64} does not match ${sha}`));
    } finally {
      tamper = false;
    }
    expect(fs.readdirSync(p.out)).toEqual([]);
  });

  it('names the manifest and field at fault', async () => {
    await expect(fetchModels(setup({ id: 'tiny', file: 'tiny.onnx', url: `${base}/tiny.onnx` }))).rejects.toThrow(/tiny\.json: field 'sha256' is missing/);
    await expect(fetchModels(setup({ id: 'x', file: '../evil.onnx', sha256: sha, url: `${base}/x` }))).rejects.toThrow(/field 'file' must be a bare file name/);
    await expect(fetchModels(setup({ id: 'x', file: 'x.onnx', sha256: sha, url: 'http://example.org/x.onnx' }))).rejects.toThrow(/field 'url' must be https/);
    const empty = tmpDir();
    await expect(fetchModels({ manifests: empty, out: path.join(empty, 'o') })).rejects.toThrow(/no model manifests/);
    await expect(fetchModels(setup({ id: 'tiny', file: 'missing.onnx', sha256: sha, url: `${base}/missing.onnx` }))).rejects.toThrow(/HTTP 404/);
  });
});
