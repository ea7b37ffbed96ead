import type { IpcMain, WebContents } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL, isRequestName, requestNames, type RequestName } from '../contract';
import type { Backend } from '../core/api/backend';
import { UserError } from '../core/util/errors';

/**
 * One IPC channel for every contract request. The name is checked against the contract and
 * the sender must be our own window's page, so a frame that somehow loads elsewhere gets nothing.
 */
export function registerIpc(ipcMain: IpcMain, backend: Backend, isTrustedSender: (wc: WebContents, url: string) => boolean): RequestName[] {
  const missing = (Object.keys(requestNames) as RequestName[]).filter((n) => typeof backend.handlers[n] !== 'function');
  if (missing.length) throw new Error(`contract requests without a handler: ${missing.join(', ')}`);
  ipcMain.handle(IPC_REQUEST_CHANNEL, async (event, name: unknown, params: unknown) => {
    if (!isTrustedSender(event.sender, event.senderFrame?.url ?? '')) {
      return { ok: false, error: { message: 'request from an untrusted frame', code: 'forbidden' } };
    }
    if (!isRequestName(name)) return { ok: false, error: { message: `unknown request '${String(name)}'`, code: 'bad-request' } };
    try {
      return { ok: true, result: (await backend.request(name, (params ?? {}) as never)) ?? null };
    } catch (e) {
      const user = e instanceof UserError;
      return { ok: false, error: { message: (e as Error).message, code: user ? e.code : 'internal' } };
    }
  });
  return Object.keys(requestNames) as RequestName[];
}

/** Forwards backend events to a window. */
export function forwardEvents(backend: Backend, target: () => WebContents | undefined): () => void {
  return backend.onEvent((event, payload) => {
    const wc = target();
    if (wc && !wc.isDestroyed()) wc.send(IPC_EVENT_CHANNEL, { event, payload });
  });
}
