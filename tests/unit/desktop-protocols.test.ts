import fs from 'node:fs';
import path from 'node:path';
import { MEDIA_SCHEME } from '../../electron/contract';
import { contentSecurityPolicy } from '../../electron/core/security/csp';
import { handleAppRequest } from '../../electron/main/app-protocol';
import { handleMediaRequest } from '../../electron/main/media-protocol';
import { secureWebPreferences } from '../../electron/main/window-options';
import { UserError } from '../../electron/core/util/errors';
import { tmpDir } from '../helpers/tmp';

const directives = (csp: string) => new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));

describe('Content-Security-Policy', () => {
  for (const mode of ['electron', 'http'] as const) {
    it(`${mode}: only our own script, nothing remote, no frames, plugins, forms or base tricks`, () => {
      const csp = contentSecurityPolicy(mode);
      const d = directives(csp);
      expect(d.get('default-src')).toEqual(["'none'"]);
      expect(d.get('script-src')).toEqual(["'self'"]);
      expect(d.get('object-src')).toEqual(["'none'"]);
      expect(d.get('frame-src')).toEqual(["'none'"]);
      expect(d.get('frame-ancestors')).toEqual(["'none'"]);
      expect(d.get('base-uri')).toEqual(["'none'"]);
      expect(d.get('form-action')).toEqual(["'none'"]);
      expect(csp).not.toMatch(/unsafe-eval|wasm-unsafe|https?:|wss:|(^|\s)(\*|ws:|data:\S*\*)(\s|;|$)/);
      for (const [k, v] of d) if (k !== 'img-src') expect(v, k).not.toContain('data:');
      // 'unsafe-inline' only for styles (React style attributes), never scripts.
      expect([...d].filter(([, v]) => v.includes("'unsafe-inline'")).map(([k]) => k)).toEqual(['style-src']);
    });
  }

  it('electron: images from our media scheme, connections to nothing but ourselves', () => {
    const d = directives(contentSecurityPolicy('electron'));
    expect(d.get('img-src')).toContain(`${MEDIA_SCHEME}:`);
    expect(d.get('connect-src')).toEqual(["'self'"]);
  });

  it('http: the event socket on loopback only', () => {
    const d = directives(contentSecurityPolicy('http'));
    expect(d.get('connect-src')).toEqual(["'self'", 'ws://127.0.0.1:*', 'ws://localhost:*']);
  });
});

describe('window security options', () => {
  it('isolate the page from Node and Electron', () => {
    const wp = secureWebPreferences('/app/preload.js');
    expect(wp).toEqual({
      preload: '/app/preload.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    });
  });
});

/** Nothing an image response holds may run, load or frame anything. */
function expectMediaCsp(csp: string | null): void {
  const d = directives(csp ?? '');
  expect(d.get('default-src')).toEqual(["'none'"]);
  expect(d.has('sandbox')).toBe(true);
  expect(d.get('frame-ancestors')).toEqual(["'none'"]);
  expect(d.has('script-src')).toBe(false);
}

describe('media protocol', () => {
  let photo: string;
  const calls: Array<[string, number]> = [];
  const link = {
    media: async (kind: string, id: number) => {
      calls.push([kind, id]);
      if (id === 7) return { file: photo, mime: 'image/jpeg' };
      throw new UserError(`no photo ${id}`, 'not-found');
    },
  };

  beforeAll(() => {
    photo = path.join(tmpDir(), 'p.jpg');
    fs.writeFileSync(photo, Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
  });

  it('serves a catalog id', async () => {
    const res = await handleMediaRequest(link as never, `${MEDIA_SCHEME}://media/thumb/7`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('access-control-allow-origin')).toBe('caudal-app://app');
    expectMediaCsp(res.headers.get('content-security-policy'));
    expect(Buffer.from(await res.arrayBuffer())).toEqual(Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
    expect((await handleMediaRequest(link as never, `${MEDIA_SCHEME}://media/full/8`)).status).toBe(404);
  });

  const refused = [
    `${MEDIA_SCHEME}://media/thumb/../../../etc/passwd`,
    `${MEDIA_SCHEME}://media/../etc/passwd`,
    `${MEDIA_SCHEME}://media/thumb/%2e%2e/%2e%2e/etc/passwd`,
    `${MEDIA_SCHEME}://media/thumb/..%2F..%2Fetc%2Fpasswd`,
    `${MEDIA_SCHEME}://media/thumb/7%2F..`,
    `${MEDIA_SCHEME}://media/thumb/7%2f`,
    `${MEDIA_SCHEME}://media/thumb/..%5C..%5Cwindows`,
    `${MEDIA_SCHEME}://media//etc/passwd`,
    `${MEDIA_SCHEME}://media/etc/passwd`,
    `${MEDIA_SCHEME}://media/C:/Windows/win.ini`,
    `${MEDIA_SCHEME}://media/thumb//tmp/p.jpg`,
    `${MEDIA_SCHEME}://media/thumb/7?path=/etc/passwd`,
    `${MEDIA_SCHEME}://media/thumb/7?`,
    `${MEDIA_SCHEME}://media/thumb/7#../../x`,
    `${MEDIA_SCHEME}://evil.example/thumb/7`,
    `${MEDIA_SCHEME}://media.evil/thumb/7`,
    `${MEDIA_SCHEME}://user:pw@media/thumb/7`,
    `${MEDIA_SCHEME}://media:8080/thumb/7`,
    `${MEDIA_SCHEME}://media/thumb/7.jpg`,
    `${MEDIA_SCHEME}://media/thumb/0`,
    `${MEDIA_SCHEME}://media/thumb/-7`,
    `${MEDIA_SCHEME}://media/thumb/07`,
    `${MEDIA_SCHEME}://media/thumb/1e3`,
    `${MEDIA_SCHEME}://media/thumb/%37`,
    `${MEDIA_SCHEME}://media/raw/7`,
    `${MEDIA_SCHEME}://media/thumb/7/extra`,
    `${MEDIA_SCHEME}://media/thumb/99999999999999999999`,
    'file:///etc/passwd',
    'https://media/thumb/7',
  ];
  it.each(refused)('refuses %s without asking the backend', async (url) => {
    calls.length = 0;
    const res = await handleMediaRequest(link as never, url);
    expect([400, 403]).toContain(res.status);
    expect(calls).toEqual([]);
  });
});

describe('app protocol (the renderer bundle)', () => {
  let dir: string;
  const csp = contentSecurityPolicy('electron');
  beforeAll(() => {
    const root = tmpDir();
    dir = path.join(root, 'renderer');
    fs.mkdirSync(path.join(dir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Caudal</title>');
    fs.writeFileSync(path.join(dir, 'assets', 'index.js'), 'console.log(1)');
    fs.writeFileSync(path.join(root, 'secret.txt'), 'field notes');
    fs.writeFileSync(path.join(root, 'secret.js'), 'leak()');
  });

  it('serves the bundle with the CSP on every response', async () => {
    for (const [url, type] of [
      ['caudal-app://app/index.html', 'text/html'],
      ['caudal-app://app/', 'text/html'],
      ['caudal-app://app/assets/index.js', 'text/javascript'],
    ]) {
      const res = handleAppRequest(dir, url, csp);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type')).toContain(type);
      expect(res.headers.get('content-security-policy')).toBe(csp);
    }
  });

  it.each([
    'caudal-app://app/../secret.js',
    'caudal-app://app/%2e%2e/secret.js',
    'caudal-app://app/assets/..%2F..%2Fsecret.js',
    'caudal-app://app/..%5Csecret.js',
    'caudal-app://app/%00index.html',
    'caudal-app://app/%E0%A4%A',
    'caudal-app://evil/index.html',
    'caudal-app://user@app/index.html',
    'file:///etc/passwd',
  ])('never serves anything outside the renderer folder: %s', async (url) => {
    const res = handleAppRequest(dir, url, csp);
    expect(res.status).not.toBe(200);
    expect(await res.text()).not.toMatch(/leak|field notes/);
  });

  it('serves only known file types', () => {
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'x');
    expect(handleAppRequest(dir, 'caudal-app://app/notes.txt', csp).status).toBe(404);
    expect(handleAppRequest(dir, 'caudal-app://app/missing.js', csp).status).toBe(404);
  });
});
