import { isMainThread } from 'node:worker_threads';
import type { RuntimeInfo, SystemRequests } from '../../contract';
import { getSetting } from '../catalog/settings';
import { chooseProviders, deviceSettings, ortBinDir, usableProviders, type DeviceSetting } from '../vision/execution-providers';
import type { BackendCore } from './backend-core';
import type { HandlerGroup } from './backend-core';
import { logDir } from '../util/log';

/** Loads the three native modules where the backend runs and reports them. */
async function runtimeInfo(b: BackendCore): Promise<RuntimeInfo> {
  const sharp = (await import('sharp')).default;
  const ort = await import('onnxruntime-node');
  const sqlite = b.catalog.store.engineVersion();
  const usable = usableProviders(ort.listSupportedBackends(), ortBinDir());
  const device = String(getSetting(b.catalog, 'device'));
  const setting: DeviceSetting = (deviceSettings as readonly string[]).includes(device) ? (device as DeviceSetting) : 'auto';
  return {
    thread: isMainThread ? 'main' : 'worker',
    node: process.versions.node,
    abi: process.versions.modules,
    electron: process.versions.electron ?? null,
    sqlite,
    sharp: sharp.versions.sharp,
    onnxruntime: ort.env.versions.node ?? 'loaded',
    providers: { usable, chosen: chooseProviders(setting, usable) },
  };
}

/**
 * The backend has no windows, so it cannot open native dialogs: browser mode (and the CLI) answer
 * `native: false` and the UI falls back to a typed path. Electron's main process answers the
 * dialog requests itself before they reach the backend; `system.runtime` always runs here.
 */
export function systemHandlers(b: BackendCore): HandlerGroup<keyof SystemRequests> {
  const noDialog = () => ({ path: null, native: false });
  return {
    'system.capabilities': () => ({ shell: 'browser', nativeDialogs: false, platform: process.platform }),
    'system.runtime': () => runtimeInfo(b),
    'system.pickFolder': noDialog,
    'system.pickFile': noDialog,
    'system.pickSaveFile': noDialog,
    // Browser mode cannot open a folder on the machine running `caudal serve`: it shows the path.
    'system.openLogFolder': () => ({ path: logDir(), opened: false }),
  };
}
