import fs from 'node:fs';
import type { SafeStorage } from 'electron';
import type { BackendLink } from '../core/api/backend-link';
import type { MainHandlers } from './ipc';

/**
 * The team password in the desktop app: encrypted with the OS keychain (Electron safeStorage) into
 * a file under userData, never into the catalog, a job's params or a log. `team.join` stores what
 * the person typed; `team.sync` adds the stored one before relaying to the backend, which keeps it
 * in memory for the sync job. Where no keychain is available the password is not stored: the
 * person types it again for the next sync.
 */
export function teamPasswordHandlers(backend: Pick<BackendLink, 'request'>, safeStorage: Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'>, file: string): MainHandlers {
  const load = (): string | undefined => {
    if (!fs.existsSync(file) || !safeStorage.isEncryptionAvailable()) return undefined;
    try {
      return safeStorage.decryptString(fs.readFileSync(file));
    } catch {
      return undefined; // another user's or another machine's keychain: ask again
    }
  };
  return {
    'team.join': async (p) => {
      const status = await backend.request('team.join', p);
      if (p.password && safeStorage.isEncryptionAvailable()) fs.writeFileSync(file, safeStorage.encryptString(p.password), { mode: 0o600 });
      return status;
    },
    'team.sync': (p) => backend.request('team.sync', { password: p.password || load() }),
  };
}
