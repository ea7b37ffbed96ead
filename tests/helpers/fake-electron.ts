import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

/**
 * A stand-in for the `electron` module (no Electron binary can be downloaded on CI). It records
 * what main asks of Electron and lets tests fire Electron's events; it does no work of its own, so
 * every assertion is about main's code. Use with `vi.mock('electron', () => fakeElectron())`.
 */
export class FakeWebContents extends EventEmitter {
  sent: Array<{ channel: string; msg: unknown }> = [];
  windowOpenHandler?: (d: { url: string }) => { action: string };
  url = '';
  mainFrame = { url: '' };
  send(channel: string, msg: unknown) {
    this.sent.push({ channel, msg });
  }
  isDestroyed() {
    return false;
  }
  getURL() {
    return this.url;
  }
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
    this.windowOpenHandler = h;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  webContents = new FakeWebContents();
  loadedUrl?: string;
  shown = false;
  maximized = false;
  bounds: { x: number; y: number; width: number; height: number };
  constructor(readonly options: Record<string, any>) {
    super();
    this.bounds = { x: options.x ?? 100, y: options.y ?? 100, width: options.width, height: options.height };
    FakeBrowserWindow.instances.push(this);
  }
  async loadURL(url: string) {
    this.loadedUrl = url;
    this.webContents.url = url;
    this.webContents.mainFrame.url = url;
  }
  show() {
    this.shown = true;
  }
  maximize() {
    this.maximized = true;
  }
  isMaximized() {
    return this.maximized;
  }
  isMinimized() {
    return false;
  }
  restore() {}
  focus() {}
  isDestroyed() {
    return false;
  }
  getNormalBounds() {
    return this.bounds;
  }
}

export function makeFakeElectron() {
  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    paths: new Map<string, string>(),
    singleInstance: true,
    quit: vi.fn(),
    enableSandbox: vi.fn(),
    ready: Promise.resolve(),
    whenReady() {
      return this.ready;
    },
    requestSingleInstanceLock() {
      return this.singleInstance;
    },
    setPath(name: string, p: string) {
      this.paths.set(name, p);
    },
    getPath(name: string) {
      const p = this.paths.get(name);
      if (!p) throw new Error(`no path ${name}`);
      return p;
    },
  });
  const webRequest = { onHeadersReceived: vi.fn(), onBeforeRequest: vi.fn() };
  const defaultSession = Object.assign(new EventEmitter(), {
    webRequest,
    setPermissionRequestHandler: vi.fn(),
    setPermissionCheckHandler: vi.fn(),
    setDevicePermissionHandler: vi.fn(),
  });
  const handlers = new Map<string, (...a: any[]) => any>();
  const protocols = new Map<string, (req: { url: string }) => Promise<Response> | Response>();
  return {
    app,
    BrowserWindow: FakeBrowserWindow,
    ipcMain: { handlers, handle: vi.fn((ch: string, fn: (...a: any[]) => any) => handlers.set(ch, fn)) },
    protocol: {
      privileged: [] as Array<{ scheme: string; privileges: Record<string, boolean> }>,
      handlers: protocols,
      registerSchemesAsPrivileged: vi.fn(function (this: any, s: any[]) {
        this.privileged.push(...s);
      }),
      handle: vi.fn((scheme: string, fn: (req: { url: string }) => Promise<Response>) => protocols.set(scheme, fn)),
    },
    session: { defaultSession },
    dialog: {
      showOpenDialog: vi.fn(async (..._a: any[]) => ({ canceled: false, filePaths: ['/data/flukes-2026'] })),
      showSaveDialog: vi.fn(async (..._a: any[]) => ({ canceled: false, filePath: '/data/export.csv' })),
      showErrorBox: vi.fn(),
    },
    Menu: { current: null as any, buildFromTemplate: vi.fn((t: any) => t), setApplicationMenu: vi.fn(function (this: any, m: any) {
      this.current = m;
    }) },
    screen: {
      displays: [{ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1040 } }],
      getPrimaryDisplay() {
        return this.displays[0];
      },
      getAllDisplays() {
        return this.displays;
      },
    },
    shell: { openExternal: vi.fn(async () => {}) },
    // Stands in for the OS keychain: reversible, but never the plain bytes.
    safeStorage: {
      available: true,
      isEncryptionAvailable() {
        return this.available;
      },
      encryptString: (s: string) => Buffer.from(`enc:${Buffer.from(s, 'utf8').toString('base64')}`),
      decryptString: (b: Buffer) => {
        const t = b.toString('utf8');
        if (!t.startsWith('enc:')) throw new Error('not ours');
        return Buffer.from(t.slice(4), 'base64').toString('utf8');
      },
    },
  };
}

export type FakeElectron = ReturnType<typeof makeFakeElectron>;
