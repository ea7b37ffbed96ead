import type { IpcMain, WebContents } from 'electron';
import {
  IPC_EVENT_CHANNEL,
  IPC_REQUEST_CHANNEL,
  isRequestName,
  requestNames,
  type Params,
  type RequestName,
  type Result,
} from '../contract';
import type { BackendLink } from '../core/api/backend-link';
import { mapError } from '../core/util/error-map';
import { validateRequest } from '../core/api/validate-request';

export type MainHandler<N extends RequestName> = (params: Params<N>) => Promise<Result<N>> | Result<N>;
export type MainHandlers = { [N in RequestName]?: MainHandler<N> };
export type Route = (params: unknown) => Promise<unknown>;

/**
 * Where each contract request goes: the few that need a window (native dialogs) are answered in
 * main; every other one is relayed to the backend thread. Every request name gets a route.
 */
export function requestRoutes(backend: Pick<BackendLink, 'request'>, local: MainHandlers): Map<RequestName, Route> {
  const routes = new Map<RequestName, Route>();
  for (const name of Object.keys(requestNames) as RequestName[]) {
    const own = local[name] as ((p: unknown) => unknown) | undefined;
    routes.set(name, own ? async (p) => own(p) : (p) => backend.request(name, p as never));
  }
  return routes;
}

/**
 * One IPC channel for every contract request. The name is checked against the contract and the
 * sender must be our own page's main frame, so a frame that somehow loads elsewhere gets nothing.
 * Returns the names it serves; throws at start-up if any contract request lacks a route.
 */
export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle'>,
  routes: Map<RequestName, Route>,
  isTrustedSender: (wc: WebContents, url: string) => boolean,
): RequestName[] {
  const missing = (Object.keys(requestNames) as RequestName[]).filter((n) => !routes.has(n));
  if (missing.length) throw new Error(`contract requests without a route: ${missing.join(', ')}`);
  ipcMain.handle(IPC_REQUEST_CHANNEL, async (event, name: unknown, params: unknown) => {
    if (!isTrustedSender(event.sender, event.senderFrame?.url ?? '')) {
      return { ok: false, error: { message: 'request from an untrusted frame', code: 'forbidden' } };
    }
    if (!isRequestName(name)) return { ok: false, error: { message: `unknown request '${String(name)}'`, code: 'bad-request' } };
    try {
      return { ok: true, result: (await routes.get(name)!(validateRequest(name, params))) ?? null };
    } catch (e) {
      return { ok: false, error: mapError(e, `ipc ${name}`).reply };
    }
  });
  return [...routes.keys()];
}

/** Forwards backend events (and main's own, e.g. menu commands) to the window. */
export function sendEvent(target: WebContents | undefined, event: string, payload: unknown): void {
  if (target && !target.isDestroyed()) target.send(IPC_EVENT_CHANNEL, { event, payload });
}

export function forwardEvents(backend: Pick<BackendLink, 'onEvent'>, target: () => WebContents | undefined): () => void {
  return backend.onEvent((event, payload) => sendEvent(target(), event, payload));
}
