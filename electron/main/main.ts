import path from 'node:path';
import fs from 'node:fs';
import { app, BrowserWindow, ipcMain, protocol, session, shell, type WebContents } from 'electron';
import { Backend } from '../core/api/backend';
import { contentSecurityPolicy } from '../core/security/csp';
import { defaultCatalogPath } from '../core/util/paths';
import { forwardEvents, registerIpc } from './ipc';
import { mediaSchemePrivileges, registerMediaProtocol } from './media-protocol';
import { windowOptions } from './window-options';
import { hardenApp } from './harden';

// out/electron/main -> out/
const outDir = path.join(__dirname, '..', '..');
const rendererIndex = path.join(outDir, 'renderer', 'index.html');

protocol.registerSchemesAsPrivileged([mediaSchemePrivileges]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let win: BrowserWindow | undefined;
  let backend: Backend | undefined;

  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  const isTrustedSender = (_wc: WebContents, url: string) => url.startsWith('file://') && decodeURI(new URL(url).pathname).endsWith('/renderer/index.html');

  app.whenReady().then(() => {
    const catalogFile = process.env.CAUDAL_CATALOG ?? path.join(app.getPath('userData'), 'catalog.sqlite');
    fs.mkdirSync(path.dirname(catalogFile), { recursive: true });
    backend = new Backend(catalogFile ?? defaultCatalogPath());
    hardenApp(app, session.defaultSession, contentSecurityPolicy('electron'), (url) => void shell.openExternal(url));
    registerMediaProtocol(protocol, backend);
    registerIpc(ipcMain, backend, isTrustedSender);
    win = new BrowserWindow(windowOptions(outDir));
    forwardEvents(backend, () => win?.webContents);
    win.once('ready-to-show', () => win?.show());
    void win.loadFile(rendererIndex);
  });

  let quitting = false;
  app.on('before-quit', (e) => {
    if (quitting || !backend) return;
    // Let the running job stop at its next checkpoint and the catalog close cleanly.
    e.preventDefault();
    quitting = true;
    void backend.close().finally(() => app.quit());
  });

  app.on('window-all-closed', () => app.quit());
}
