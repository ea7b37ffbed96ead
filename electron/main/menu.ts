import type { MenuItemConstructorOptions } from 'electron';
import { reviewShortcuts, type MenuCommand, type SystemEvents } from '../contract';

export interface MenuDeps {
  platform: NodeJS.Platform;
  /** Sends `menu.command` to the window. */
  send(payload: SystemEvents['menu.command']): void;
  /** Opens the native folder dialog; resolves null when cancelled. */
  pickFolder(): Promise<string | null>;
  /** Developer tools only in unpackaged runs. */
  devTools: boolean;
}

/**
 * The native menu. Review items show the review screen's single-key shortcuts but do not grab
 * the keys (registerAccelerator: false on Windows/Linux; label only on macOS, whose menus would
 * otherwise swallow them), so typing in a text field is never hijacked; choosing an item sends
 * the same command the key would.
 */
export function menuTemplate(d: MenuDeps): MenuItemConstructorOptions[] {
  const mac = d.platform === 'darwin';
  const cmd = (command: MenuCommand) => () => d.send({ command });
  const nav = (label: string, command: MenuCommand, accelerator: string): MenuItemConstructorOptions => ({ label, accelerator, click: cmd(command) });

  const review: MenuItemConstructorOptions[] = reviewShortcuts.map((s) =>
    mac
      ? { id: s.command, label: `${s.label}\t${s.key}`, click: cmd(s.command) }
      : { id: s.command, label: s.label, accelerator: s.key, registerAccelerator: false, click: cmd(s.command) },
  );

  const file: MenuItemConstructorOptions[] = [
    {
      id: 'import.folder',
      label: 'Import Photo Folder…',
      accelerator: 'CmdOrCtrl+I',
      click: async () => {
        const folder = await d.pickFolder();
        if (folder) d.send({ command: 'import.folder', path: folder });
      },
    },
    { id: 'export.open', label: 'Export…', accelerator: 'CmdOrCtrl+E', click: cmd('export.open') },
    ...(mac ? [] : [{ type: 'separator' } as const, nav('Settings', 'navigate.settings', 'CmdOrCtrl+,'), { type: 'separator' } as const, { role: 'quit' } as const]),
  ];

  const view: MenuItemConstructorOptions[] = [
    nav('Catalog', 'navigate.catalog', 'CmdOrCtrl+1'),
    nav('Import', 'navigate.import', 'CmdOrCtrl+2'),
    nav('Review', 'navigate.review', 'CmdOrCtrl+3'),
    nav('Training', 'navigate.training', 'CmdOrCtrl+4'),
    nav('Export', 'navigate.export', 'CmdOrCtrl+5'),
    { type: 'separator' },
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { role: 'togglefullscreen' },
    ...(d.devTools ? [{ type: 'separator' } as const, { role: 'toggleDevTools' } as const] : []),
  ];

  return [
    ...(mac
      ? [
          {
            label: 'Caudal',
            submenu: [
              { role: 'about' },
              { type: 'separator' },
              nav('Settings…', 'navigate.settings', 'Cmd+,'),
              { type: 'separator' },
              { role: 'hide' },
              { role: 'hideOthers' },
              { role: 'unhide' },
              { type: 'separator' },
              { role: 'quit' },
            ],
          } satisfies MenuItemConstructorOptions,
        ]
      : []),
    { label: 'File', submenu: file },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { label: 'Review', submenu: review },
    { role: 'windowMenu' },
  ];
}
