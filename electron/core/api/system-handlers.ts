import type { SystemRequests } from '../../contract';
import type { HandlerGroup } from './handlers';

/**
 * The backend has no windows, so it cannot open native dialogs: browser mode (and the CLI) answer
 * `native: false` and the UI falls back to a typed path. Electron's main process answers these
 * requests itself with real dialogs before they ever reach the backend.
 */
export function systemHandlers(): HandlerGroup<keyof SystemRequests> {
  const noDialog = () => ({ path: null, native: false });
  return {
    'system.capabilities': () => ({ shell: 'browser', nativeDialogs: false, platform: process.platform }),
    'system.pickFolder': noDialog,
    'system.pickFile': noDialog,
    'system.pickSaveFile': noDialog,
  };
}
