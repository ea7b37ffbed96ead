import type { CaudalBridge, EventName, Events } from '../../electron/contract';
import { Backend } from '../../electron/core/api/backend';
import { setBridge } from '../../renderer/src/api/bridge';

/** A renderer bridge answered by a real Backend on a real catalog, in-process (component tests). */
export function backendBridge(backend: Backend): CaudalBridge {
  return {
    transport: 'http',
    request: (name, params) => backend.request(name, params),
    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void) {
      return backend.onEvent((e, payload) => {
        if ((e as EventName) === event) listener(payload as Events[E]);
      });
    },
    mediaUrl: (kind, photoId) => `/media/${kind}/${photoId}`,
  };
}

/** A real Backend on `file`, installed as the renderer's bridge; `close` uninstalls and closes it. */
export async function bridgedBackend(file: string): Promise<{ backend: Backend; close(): Promise<void> }> {
  const backend = new Backend(file);
  setBridge(backendBridge(backend));
  return {
    backend,
    close: async () => {
      setBridge(undefined);
      await backend.close();
    },
  };
}
