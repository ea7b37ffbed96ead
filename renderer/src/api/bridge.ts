import type { CaudalBridge } from '../../../electron/contract';
import { createHttpBridge } from './http-bridge';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in browser mode. */
    caudal?: CaudalBridge;
  }
}

let bridge: CaudalBridge | undefined;

/** The one client every screen uses; which transport is behind it is decided here only. */
export function api(): CaudalBridge {
  if (!bridge) bridge = window.caudal ?? createHttpBridge();
  return bridge;
}

/** Tests inject a bridge (e.g. one backed by a real catalog) before rendering. */
export function setBridge(b: CaudalBridge | undefined): void {
  bridge = b;
}
