import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, screen, session, shell, type WebContents } from 'electron';
import { BackendThread } from '../core/api/backend-thread';
import type { BackendLink } from '../core/api/backend-link';
import { contentSecurityPolicy } from '../core/security/csp';
import { userDataDir } from '../core/util/paths';
import { appIndexUrl, appSchemePrivileges, APP_HOST, APP_SCHEME, registerAppProtocol } from './app-protocol';
import { dialogHandlers } from './dialogs';
import { teamPasswordHandlers } from './team-password';
import { hardenApp } from './harden';
import { forwardEvents, registerIpc, requestRoutes, sendEvent } from './ipc';
import { mediaSchemePrivileges, registerMediaProtocol } from './media-protocol';
import { menuTemplate } from './menu';
import { installCleanQuit } from './quit';
import { windowOptions } from './window-options';
import { loadWindowState, trackWindowState, type Rect } from './window-state';

export interface DesktopOptions {
  /** The build output folder holding electron/ and renderer/ (default: two levels above this file). */
  outDir?: string;
  catalogFile?: string;
}

export interface Desktop {
  /** Resolves once the window exists and the backend thread has opened the catalog. */
  ready: Promise<{ win: BrowserWindow; backend: BackendLink } | null>;
  /** Resolves when the clean-quit steps have run. */
  quitDone: Promise<void>;
}

/** Only our own bundle, in the main frame, may talk to the backend. */
export const isTrustedSender = (wc: WebContents, url: string): boolean =>
  url.startsWith(`${APP_SCHEME}://${APP_HOST}/`) && (!wc.mainFrame || wc.mainFrame.url === url);

function workAreas(): Rect[] {
  const primary = screen.getPrimaryDisplay();
  return [primary, ...screen.getAllDisplays().filter((d) => d.id !== primary.id)].map((d) => d.workArea);
}

/**
 * The desktop shell. Main stays light: it owns the window, menus, dialogs and the two custom
 * protocols; the catalog, jobs and inference live on the backend thread, reached by message.
 */
export function runDesktop(opts: DesktopOptions = {}): Desktop {
  const outDir = opts.outDir ?? path.join(__dirname, '..', '..');
  const rendererDir = path.join(outDir, 'renderer');
  const csp = contentSecurityPolicy('electron');

  app.enableSandbox();
  protocol.registerSchemesAsPrivileged([appSchemePrivileges, mediaSchemePrivileges]);
  // The same folder as the CLI's, whatever name `electron .` would derive from package.json.
  app.setPath('userData', userDataDir());

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return { ready: Promise.resolve(null), quitDone: Promise.resolve() };
  }

  let win: BrowserWindow | undefined;
  let tracker: { flush(): void } | undefined;
  let backendStart: Promise<BackendThread> | undefined;

  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });

  const { done: quitDone } = installCleanQuit(app, [
    { name: 'save the window state', run: () => tracker?.flush() },
    {
      name: 'stop jobs and close the catalog',
      run: async () => {
        const backend = await backendStart?.catch(() => undefined);
        await backend?.close();
      },
    },
  ]);
  app.on('window-all-closed', () => app.quit());

  const ready = app.whenReady().then(async () => {
    const catalogFile = opts.catalogFile ?? process.env.CAUDAL_CATALOG ?? path.join(app.getPath('userData'), 'catalog.sqlite');
    // Models shipped with the installer; the backend thread inherits the environment.
    if (app.isPackaged) process.env.CAUDAL_BUNDLED_MODELS ??= path.join(process.resourcesPath, 'models');
    backendStart = BackendThread.start(catalogFile);
    // Requests wait for the thread; the window can appear meanwhile.
    const lazy: Pick<BackendLink, 'request' | 'media' | 'onEvent'> = {
      request: async (name, params) => (await backendStart!).request(name, params),
      media: async (kind, id) => (await backendStart!).media(kind, id),
      onEvent: () => () => {},
    };

    hardenApp(app, session.defaultSession, csp, (url) => void shell.openExternal(url));
    registerAppProtocol(protocol, rendererDir, csp);
    registerMediaProtocol(protocol, lazy);
    const teamPasswordFile = path.join(app.getPath('userData'), 'team-password.bin');
    const routes = requestRoutes(lazy, { ...dialogHandlers(dialog, () => win, (p) => shell.openPath(p)), ...teamPasswordHandlers(lazy, safeStorage, teamPasswordFile) });
    registerIpc(ipcMain, routes, isTrustedSender);

    const stateFile = path.join(app.getPath('userData'), 'window-state.json');
    const state = loadWindowState(stateFile, workAreas());
    win = new BrowserWindow(windowOptions(outDir, state));
    tracker = trackWindowState(win, stateFile);
    const w = win;
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        menuTemplate({
          platform: process.platform,
          devTools: !app.isPackaged,
          send: (payload) => sendEvent(w.webContents, 'menu.command', payload),
          pickFolder: async () => {
            const r = await dialog.showOpenDialog(w, { title: 'Import photo folder', properties: ['openDirectory'] });
            return r.canceled ? null : (r.filePaths[0] ?? null);
          },
        }),
      ),
    );
    win.once('ready-to-show', () => {
      if (state.maximized) w.maximize();
      w.show();
    });
    void win.loadURL(appIndexUrl);

    try {
      const backend = await backendStart;
      forwardEvents(backend, () => (w.isDestroyed() ? undefined : w.webContents));
      backend.onUnexpectedStop((reason) => {
        // Requests now fail with 'backend-stopped' rather than hang; say so once and quit
        // (the running job is marked interrupted and resumes on the next start).
        dialog.showErrorBox('Caudal stopped working', `${reason}\n\nStart Caudal again; an interrupted job can be resumed.`);
        app.quit();
      });
      return { win, backend };
    } catch (e) {
      dialog.showErrorBox('Caudal cannot open its catalog', `${(e as Error).message}\n\n${catalogFile}`);
      app.quit();
      return null;
    }
  });
  return { ready, quitDone };
}
