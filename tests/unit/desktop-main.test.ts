import fs from 'node:fs';
import path from 'node:path';
import { IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL, MEDIA_SCHEME, requestNames, reviewShortcuts } from '../../electron/contract';
import type { Desktop } from '../../electron/main/app';
import { secureWebPreferences } from '../../electron/main/window-options';
import { FakeBrowserWindow, FakeWebContents, type FakeElectron } from '../helpers/fake-electron';
import { tmpDir } from '../helpers/tmp';

vi.mock('electron', async () => (await import('../helpers/fake-electron')).makeFakeElectron());

const outDir = path.join(__dirname, '../../out');

/**
 * Electron's main process, driven through a stand-in for the electron module, with the real
 * backend thread on a real catalog: what CI can verify without an Electron binary.
 */
describe('desktop main process (electron stand-in, real backend thread)', () => {
  let E: FakeElectron;
  let desktop: Desktop;
  let home: string;
  let catalogFile: string;
  let win: FakeBrowserWindow;
  const savedHome = process.env.CAUDAL_HOME;

  const trusted = () => ({ sender: win.webContents, senderFrame: { url: win.webContents.mainFrame.url } });
  const invoke = (name: string, params: unknown = {}, event: unknown = trusted()) => E.ipcMain.handlers.get(IPC_REQUEST_CHANNEL)!(event, name, params);

  beforeAll(async () => {
    home = tmpDir();
    process.env.CAUDAL_HOME = home;
    catalogFile = path.join(home, 'catalog.sqlite');
    fs.writeFileSync(path.join(home, 'window-state.json'), JSON.stringify({ x: 200, y: 150, width: 1200, height: 800, maximized: true }));
    E = (await import('electron')) as unknown as FakeElectron;
    const { runDesktop } = await import('../../electron/main/app');
    desktop = runDesktop({ outDir, catalogFile });
    const r = await desktop.ready;
    expect(r).not.toBeNull();
    win = FakeBrowserWindow.instances[0];
  });

  afterAll(async () => {
    if (savedHome === undefined) delete process.env.CAUDAL_HOME;
    else process.env.CAUDAL_HOME = savedHome;
  });

  it('sandboxes every renderer and registers both schemes as privileged before ready', () => {
    expect(E.app.enableSandbox).toHaveBeenCalled();
    const schemes = Object.fromEntries(E.protocol.privileged.map((s) => [s.scheme, s.privileges]));
    expect(schemes['caudal-app']).toMatchObject({ standard: true, secure: true });
    expect(schemes[MEDIA_SCHEME]).toMatchObject({ standard: true, secure: true });
    expect(E.app.getPath('userData')).toBe(home);
  });

  it('opens one window with locked-down web preferences and our bundled preload', () => {
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    const wp = win.options.webPreferences;
    // The locked-down set itself is pinned in desktop-protocols.test.ts; here: main's window gets exactly it.
    expect(wp).toEqual(secureWebPreferences(path.join(outDir, 'electron', 'preload', 'preload.js')));
    expect(fs.existsSync(wp.preload), 'run `npm run build` first').toBe(true);
    expect(win.loadedUrl).toBe('caudal-app://app/index.html');
    expect(win.options.show).toBe(false);
  });

  it('restores the saved size, position and maximised state', () => {
    expect(win.options).toMatchObject({ x: 200, y: 150, width: 1200, height: 800 });
    win.emit('ready-to-show');
    expect(win.shown).toBe(true);
    expect(win.maximized).toBe(true);
  });

  it('relays requests to the backend thread and passes error codes back', async () => {
    const summary = await invoke('catalog.summary');
    expect(summary).toMatchObject({ ok: true, result: { file: path.resolve(catalogFile), photos: 0 } });
    expect(await invoke('jobs.get', { id: 77 })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await invoke('system.runtime')).toMatchObject({ ok: true, result: { thread: 'worker' } });
    expect(await invoke('nope.nothing')).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('refuses requests from any other page or from a subframe', async () => {
    const evil = { sender: win.webContents, senderFrame: { url: 'https://example.org/' } };
    expect(await invoke('catalog.summary', {}, evil)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const file = { sender: win.webContents, senderFrame: { url: 'file:///tmp/index.html' } };
    expect(await invoke('catalog.summary', {}, file)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const sub = { sender: win.webContents, senderFrame: { url: 'caudal-app://app/other.html' } };
    expect(await invoke('catalog.summary', {}, sub)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // Even if the main frame itself ended up elsewhere (navigation is denied, but defence in depth).
    const away = new FakeWebContents();
    away.mainFrame.url = 'https://example.org/';
    expect(await invoke('catalog.summary', {}, { sender: away, senderFrame: { url: 'https://example.org/' } })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('answers the dialog requests with native dialogs in main', async () => {
    expect(await invoke('system.capabilities')).toMatchObject({ ok: true, result: { shell: 'electron', nativeDialogs: true } });
    expect(await invoke('system.pickFolder', { title: 'Photos' })).toEqual({ ok: true, result: { path: '/data/flukes-2026', native: true } });
    const [parent, opts] = E.dialog.showOpenDialog.mock.calls.at(-1)!;
    expect(parent).toBe(win);
    expect(opts.properties).toContain('openDirectory');
    E.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] });
    expect(await invoke('system.pickFile', {})).toEqual({ ok: true, result: { path: null, native: true } });
    expect(await invoke('system.pickSaveFile', { defaultPath: 'export.csv', filters: [{ name: 'CSV', extensions: ['csv'] }] })).toEqual({
      ok: true,
      result: { path: '/data/export.csv', native: true },
    });
    expect(E.dialog.showSaveDialog.mock.calls.at(-1)![1]).toMatchObject({ defaultPath: 'export.csv', filters: [{ name: 'CSV', extensions: ['csv'] }] });
  });

  it('forwards backend events to the window', async () => {
    win.webContents.sent.length = 0;
    await invoke('settings.set', { key: 'reviewer', value: 'Ana' });
    await vi.waitFor(() =>
      expect(win.webContents.sent).toContainEqual({ channel: IPC_EVENT_CHANNEL, msg: { event: 'catalog.changed', payload: { topics: ['settings'] } } }),
    );
  });

  it('installs a menu whose review items send the review shortcuts to the renderer', async () => {
    const menu = E.Menu.current as Array<{ label?: string; submenu?: any[] }>;
    const review = menu.find((m) => m.label === 'Review')!.submenu!;
    expect(review.map((i) => i.id)).toEqual(reviewShortcuts.map((s) => s.command));
    win.webContents.sent.length = 0;
    for (const s of reviewShortcuts) {
      const item = review.find((i) => i.id === s.command);
      expect(item.accelerator).toBe(s.key);
      expect(item.registerAccelerator).toBe(false); // shown, but the key stays with the page
      item.click();
    }
    expect(win.webContents.sent.map((m) => m.msg)).toEqual(reviewShortcuts.map((s) => ({ event: 'menu.command', payload: { command: s.command } })));
  });

  it('File > Import Photo Folder opens the folder dialog and sends the chosen folder', async () => {
    const file = (E.Menu.current as any[]).find((m) => m.label === 'File').submenu as any[];
    const item = file.find((i) => i.id === 'import.folder');
    win.webContents.sent.length = 0;
    await item.click();
    expect(win.webContents.sent).toEqual([{ channel: IPC_EVENT_CHANNEL, msg: { event: 'menu.command', payload: { command: 'import.folder', path: '/data/flukes-2026' } } }]);
    E.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] });
    await item.click();
    expect(win.webContents.sent).toHaveLength(1);
  });

  it('serves the renderer and media only through the custom protocols', async () => {
    const app = E.protocol.handlers.get('caudal-app')!;
    const index = await app({ url: 'caudal-app://app/index.html' });
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await app({ url: 'caudal-app://app/../../package.json' })).status).not.toBe(200);
    const media = E.protocol.handlers.get(MEDIA_SCHEME)!;
    expect((await media({ url: `${MEDIA_SCHEME}://media/thumb/..%2F..%2Fcatalog.sqlite` })).status).toBe(403);
    expect((await media({ url: `${MEDIA_SCHEME}://media/thumb/12` })).status).toBe(404); // a valid id, but no such photo
  });

  it('blocks remote requests, downloads and permissions on the session', () => {
    const ses = E.session.defaultSession;
    const before = ses.webRequest.onBeforeRequest.mock.calls[0][0];
    const cancelled = (url: string) => {
      let r: { cancel: boolean } | undefined;
      before({ url }, (x: { cancel: boolean }) => (r = x));
      return r!.cancel;
    };
    expect(cancelled('https://tiles.example.org/a.png')).toBe(true);
    expect(cancelled('http://127.0.0.1:8080/')).toBe(true);
    expect(cancelled('ws://example.org/')).toBe(true);
    expect(cancelled('file:///etc/passwd')).toBe(true);
    expect(cancelled('caudal-app://app/assets/index.js')).toBe(false);
    expect(cancelled(`${MEDIA_SCHEME}://media/thumb/1`)).toBe(false);
    expect(cancelled('data:image/png;base64,AAAA')).toBe(false);

    const headers = ses.webRequest.onHeadersReceived.mock.calls[0][0];
    let out: any;
    headers({ responseHeaders: { 'X-A': ['1'] } }, (r: any) => (out = r));
    expect(out.responseHeaders['Content-Security-Policy'][0]).toContain("default-src 'none'");

    const perm = ses.setPermissionRequestHandler.mock.calls[0][0];
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const cb = vi.fn();
      perm({}, p, cb);
      expect(cb).toHaveBeenCalledWith(false);
    }
    expect(ses.setPermissionCheckHandler.mock.calls[0][0]()).toBe(false);
    expect(ses.setDevicePermissionHandler.mock.calls[0][0]()).toBe(false);
    const dl = { preventDefault: vi.fn() };
    ses.emit('will-download', dl);
    expect(dl.preventDefault).toHaveBeenCalled();
  });

  it('denies navigation, redirects, webviews and new windows in every web contents', () => {
    const wc = new FakeWebContents();
    wc.url = 'caudal-app://app/index.html';
    E.app.emit('web-contents-created', {}, wc);
    const ev = () => ({ preventDefault: vi.fn() });
    const nav = ev();
    wc.emit('will-navigate', nav, 'https://evil.example/');
    expect(nav.preventDefault).toHaveBeenCalled();
    const frame = Object.assign(ev(), { isMainFrame: false });
    wc.emit('will-frame-navigate', frame);
    expect(frame.preventDefault).toHaveBeenCalled();
    const redirect = ev();
    wc.emit('will-redirect', redirect);
    expect(redirect.preventDefault).toHaveBeenCalled();
    const webview = ev();
    wc.emit('will-attach-webview', webview);
    expect(webview.preventDefault).toHaveBeenCalled();
    expect(wc.windowOpenHandler!({ url: 'https://www.gbif.org/' })).toEqual({ action: 'deny' });
    expect(E.shell.openExternal).toHaveBeenCalledWith('https://www.gbif.org/');
    E.shell.openExternal.mockClear();
    expect(wc.windowOpenHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(wc.windowOpenHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(E.shell.openExternal).not.toHaveBeenCalled();
  });

  it('quits cleanly: saves the window state, closes the catalog, then quits', async () => {
    const wal = `${catalogFile}-wal`;
    expect(fs.existsSync(wal)).toBe(true);
    win.bounds = { x: 300, y: 220, width: 1100, height: 700 };
    win.maximized = false;
    win.emit('move');
    const seenAtQuit: Array<{ state: unknown; walExists: boolean }> = [];
    E.app.quit.mockImplementation(() => {
      seenAtQuit.push({ state: JSON.parse(fs.readFileSync(path.join(home, 'window-state.json'), 'utf8')), walExists: fs.existsSync(wal) });
    });
    const first = { preventDefault: vi.fn() };
    E.app.emit('before-quit', first);
    expect(first.preventDefault).toHaveBeenCalled(); // held until the steps are done
    const again = { preventDefault: vi.fn() };
    E.app.emit('before-quit', again); // a second Cmd+Q while closing waits too
    expect(again.preventDefault).toHaveBeenCalled();
    await desktop.quitDone;
    expect(seenAtQuit).toEqual([{ state: { x: 300, y: 220, width: 1100, height: 700, maximized: false }, walExists: false }]);
    const final = { preventDefault: vi.fn() };
    E.app.emit('before-quit', final);
    expect(final.preventDefault).not.toHaveBeenCalled();
    expect(await invoke('catalog.summary')).toMatchObject({ ok: false, error: { code: 'backend-stopped' } });
  });

  it('a second instance quits at once without opening a window or the catalog', async () => {
    const { runDesktop } = await import('../../electron/main/app');
    E.app.singleInstance = false;
    E.app.quit.mockReset();
    const d = runDesktop({ outDir, catalogFile: path.join(home, 'other.sqlite') });
    expect(await d.ready).toBeNull();
    expect(E.app.quit).toHaveBeenCalled();
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    expect(fs.existsSync(path.join(home, 'other.sqlite'))).toBe(false);
  });
});

describe('request routing', () => {
  it('routes every contract request: dialogs in main, everything else to the backend thread', async () => {
    const { requestRoutes, registerIpc } = await import('../../electron/main/ipc');
    const { dialogHandlers } = await import('../../electron/main/dialogs');
    const relayed: string[] = [];
    const link = { request: async (name: string) => void relayed.push(name) } as never;
    const dialog = { showOpenDialog: vi.fn(async () => ({ canceled: true, filePaths: [] })), showSaveDialog: vi.fn(async () => ({ canceled: true, filePath: '' })) };
    const routes = requestRoutes(link, dialogHandlers(dialog as never, () => undefined));
    const handle = vi.fn();
    const registered = registerIpc({ handle } as never, routes, () => true);
    expect(handle).toHaveBeenCalledTimes(1);
    const all = Object.keys(requestNames).sort();
    expect([...registered].sort()).toEqual(all);
    for (const name of all) await routes.get(name as never)!({});
    const local = ['system.capabilities', 'system.openLogFolder', 'system.pickFile', 'system.pickFolder', 'system.pickSaveFile'];
    expect(relayed.sort()).toEqual(all.filter((n) => !local.includes(n)));
    expect(() => registerIpc({ handle } as never, new Map(), () => true)).toThrow(/without a route: .*catalog\.summary/);
  });

  it('answers a request whose params do not fit the contract with a bad-request reply naming the field, before any route runs', async () => {
    const { registerIpc } = await import('../../electron/main/ipc');
    const called: unknown[] = [];
    const routes = new Map(Object.keys(requestNames).map((n) => [n as never, async (p: unknown) => void called.push(p)]));
    const handle = vi.fn();
    registerIpc({ handle } as never, routes, () => true);
    const listener = handle.mock.calls[0][1] as (event: unknown, name: unknown, params: unknown) => Promise<unknown>;
    const event = { sender: {}, senderFrame: { url: 'caudal-app://app/index.html' } };
    const bad = await listener(event, 'annotations.create', { photoId: 3, box: { x: 0, y: 0, w: 'wide', h: 10 } });
    expect(bad).toEqual({ ok: false, error: { message: expect.stringMatching(/annotations\.create: box\.w/), code: 'bad-request', field: 'box.w' } });
    expect(await listener(event, 'jobs.get', { id: -1 })).toMatchObject({ ok: false, error: { code: 'bad-request', field: 'id' } });
    expect(called).toEqual([]);
    expect(await listener(event, 'jobs.get', { id: 7 })).toEqual({ ok: true, result: null });
    expect(called).toEqual([{ id: 7 }]);
  });
});

describe('clean quit sequence', () => {
  const fakeApp = () => {
    const { EventEmitter } = require('node:events') as typeof import('node:events');
    return Object.assign(new EventEmitter(), { quit: vi.fn() });
  };

  it('runs the steps in order, one at a time, and quits only after the last', async () => {
    const { installCleanQuit } = await import('../../electron/main/quit');
    const app = fakeApp();
    const order: string[] = [];
    const step = (name: string, ms: number) => ({ name, run: () => new Promise<void>((r) => setTimeout(() => (order.push(name), r()), ms)) });
    app.quit.mockImplementation(() => order.push('quit'));
    const { done } = installCleanQuit(app, [step('window state', 20), step('stop jobs, close catalog', 5)]);
    app.emit('before-quit', { preventDefault: vi.fn() });
    await done;
    expect(order).toEqual(['window state', 'stop jobs, close catalog', 'quit']);
  });

  it('still quits when a step fails or hangs, and says why', async () => {
    const { installCleanQuit } = await import('../../electron/main/quit');
    const app = fakeApp();
    const log = vi.fn();
    const { done } = installCleanQuit(
      app,
      [
        { name: 'broken', run: () => Promise.reject(new Error('disk full')) },
        { name: 'stuck', run: () => new Promise<void>(() => {}) },
      ],
      { timeoutMs: 50, log },
    );
    app.emit('before-quit', { preventDefault: vi.fn() });
    await done;
    expect(app.quit).toHaveBeenCalledTimes(1);
    expect(log.mock.calls.map((c) => c[0])).toEqual(['quit: broken failed: disk full', 'quit: gave up waiting after 50 ms']);
  });
});
