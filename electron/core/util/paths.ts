import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

let cachedRoot: string | undefined;

/**
 * The folder holding Caudal's package.json. Code runs from TypeScript sources (tests), from
 * out/ (CLI, browser mode) and from inside an asar (packaged app), so it is found, not assumed.
 */
export function appRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if (JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'caudal') return (cachedRoot = dir);
      } catch {
        // not ours; keep walking up
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find Caudal's package.json above ${__dirname}`);
    dir = up;
  }
}

export const migrationsDir = (): string => path.join(appRoot(), 'migrations');
export const manifestsDir = (): string => path.join(appRoot(), 'models');

/** The same folder Electron's app.getPath('userData') gives for productName "Caudal". */
export function userDataDir(): string {
  if (process.env.CAUDAL_HOME) return process.env.CAUDAL_HOME;
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Caudal');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Caudal');
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Caudal');
}

/** Default catalog: shared by the desktop app and the CLI so both open the same file. */
export function defaultCatalogPath(): string {
  return process.env.CAUDAL_CATALOG ?? path.join(userDataDir(), 'catalog.sqlite');
}

/** The user's own model folder, searched after --models / CAUDAL_MODELS_DIR. */
export const userModelsDir = (): string => path.join(userDataDir(), 'models');

/**
 * The read-only material beside the checkout (pretrained backbone, labelled photo sets):
 * CAUDAL_SHARED_DIR, else `../shared` next to the app folder. Returns undefined when absent.
 */
export function sharedDir(): string | undefined {
  const candidates = [process.env.CAUDAL_SHARED_DIR, path.join(appRoot(), '..', 'shared')];
  for (const c of candidates) if (c && fs.existsSync(path.join(c, 'README.md'))) return path.resolve(c);
  return undefined;
}

/**
 * Models shipped inside the installer (electron-builder extraResources -> resources/models).
 * Electron's main sets CAUDAL_BUNDLED_MODELS before starting the backend thread; undefined when
 * not packaged.
 */
export function bundledModelsDir(): string | undefined {
  const dir = process.env.CAUDAL_BUNDLED_MODELS;
  return dir && fs.existsSync(dir) ? dir : undefined;
}
