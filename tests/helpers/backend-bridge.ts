import type { CaudalBridge, EventName, Events } from '../../electron/contract';
import type { Backend } from '../../electron/core/api/backend';

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
