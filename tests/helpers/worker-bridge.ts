import type { CaudalBridge } from '../../electron/contract';
import { startWorker } from '../../electron/core/util/worker';

/** A CaudalBridge to a real Backend running in a worker thread (see backend-thread.ts). */
export async function workerBridge(catalogFile: string): Promise<{ bridge: CaudalBridge; close(): Promise<void> }> {
  const worker = startWorker(__dirname, 'backend-thread', { workerData: { file: catalogFile } });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Set<(event: string, payload: unknown) => void>();
  let next = 1;
  let closed: (() => void) | undefined;
  await new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (m) => {
      if (m.ready) resolve();
      else if (m.closed) closed?.();
      else if (m.event) for (const l of listeners) l(m.event, m.payload);
      else {
        const p = pending.get(m.id);
        pending.delete(m.id);
        if (m.error !== undefined) p?.reject(new Error(m.error));
        else p?.resolve(m.result);
      }
    });
  });
  const bridge: CaudalBridge = {
    request: (name, params) =>
      new Promise((resolve, reject) => {
        const id = next++;
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        worker.postMessage({ id, name, params });
      }),
    on: (event, listener) => {
      const l = (e: string, payload: unknown) => e === event && listener(payload as never);
      listeners.add(l);
      return () => listeners.delete(l);
    },
    mediaUrl: () => '',
    transport: 'ipc',
  };
  return {
    bridge,
    close: async () => {
      await new Promise<void>((resolve) => {
        closed = resolve;
        worker.postMessage({ close: true });
      });
      await worker.terminate();
    },
  };
}
