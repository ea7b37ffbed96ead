import type { BaseWindow, Dialog, OpenDialogOptions } from 'electron';
import type { FileFilter, PickResult, SystemRequests } from '../contract';
import type { MainHandlers } from './ipc';
import fs from 'node:fs';
import { logDir } from '../core/util/log';

type Opts = { title?: string; defaultPath?: string; filters?: FileFilter[] };

/**
 * The `system.*` requests in Electron: native dialogs opened by main, modal to the window. The
 * renderer gets a path string and passes it to import/export requests like a typed one.
 * (`system.runtime` is not here: it describes the backend thread, so it is relayed there.)
 */
export function dialogHandlers(
  dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>,
  parent: () => BaseWindow | undefined,
  /** Electron's shell.openPath: '' when it opened, else why not. */
  openPath: (folder: string) => Promise<string> = async () => 'no file manager here',
): MainHandlers {
  const open = async (properties: OpenDialogOptions['properties'], o: Opts): Promise<PickResult> => {
    const options: OpenDialogOptions = { title: o.title, defaultPath: o.defaultPath, filters: o.filters, properties };
    const win = parent();
    const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return { path: r.canceled || !r.filePaths.length ? null : r.filePaths[0], native: true };
  };
  const handlers: { [N in Exclude<keyof SystemRequests, 'system.runtime'>]: NonNullable<MainHandlers[N]> } = {
    'system.capabilities': () => ({ shell: 'electron', nativeDialogs: true, platform: process.platform }),
    'system.pickFolder': (o) => open(['openDirectory', 'createDirectory'], o),
    'system.pickFile': (o) => open(['openFile'], o),
    'system.pickSaveFile': async (o) => {
      const options = { title: o.title, defaultPath: o.defaultPath, filters: o.filters };
      const win = parent();
      const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      return { path: r.canceled || !r.filePath ? null : r.filePath, native: true };
    },
    'system.openLogFolder': async () => {
      fs.mkdirSync(logDir(), { recursive: true });
      return { path: logDir(), opened: (await openPath(logDir())) === '' };
    },
  };
  return handlers;
}
