import { parentPort, workerData } from 'node:worker_threads';
import { Backend } from '../../electron/core/api/backend';

/**
 * A real Backend on its own thread (as it is in its own process under Electron), answering
 * bridge messages. DOM component tests use it: their jsdom realm has typed-array globals that
 * native modules reject, and a worker thread starts from a clean Node realm.
 */
const backend = new Backend((workerData as { file: string }).file);
backend.onEvent((event, payload) => parentPort!.postMessage({ event, payload }));
parentPort!.on('message', async (m: { id: number; name: string; params: unknown } | { close: true }) => {
  if ('close' in m) {
    await backend.close();
    parentPort!.postMessage({ closed: true });
    return;
  }
  try {
    const result = await backend.request(m.name as never, m.params as never);
    parentPort!.postMessage({ id: m.id, result });
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: (e as Error).message });
  }
});
parentPort!.postMessage({ ready: true });
