import path from 'node:path';
import type { BrowserWindowConstructorOptions } from 'electron';

/** The renderer is untrusted content (it shows photos from anywhere): lock it down. */
export function secureWebPreferences(preloadPath: string): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
  return {
    preload: preloadPath,
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
  };
}

/** Where scripts/build.mjs writes the bundled preload. */
export const preloadPath = (outDir: string): string => path.join(outDir, 'electron', 'preload', 'preload.js');

/** Size and position come from the saved window state (already fitted to today's screens). */
export function windowOptions(outDir: string, bounds?: { x?: number; y?: number; width: number; height: number }): BrowserWindowConstructorOptions {
  return {
    width: bounds?.width ?? 1360,
    height: bounds?.height ?? 860,
    x: bounds?.x,
    y: bounds?.y,
    minWidth: 900,
    minHeight: 600,
    title: 'Caudal',
    backgroundColor: '#0f1720',
    show: false,
    // The Linux taskbar/AppImage icon; Windows and macOS take theirs from the installer.
    icon: path.join(outDir, 'icon.png'),
    webPreferences: secureWebPreferences(preloadPath(outDir)),
  };
}
