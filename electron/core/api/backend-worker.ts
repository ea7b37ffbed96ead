import { parentPort, workerData } from 'node:worker_threads';
import type { ContractError, RequestName } from '../../contract';
import { mapError } from '../util/error-map';
import { Backend } from './backend';
import type { BackendWorkerData, FromWorker, ToWorker } from './backend-messages';

/**
 * The backend's own thread: it owns the catalog (better-sqlite3), sharp and onnxruntime, runs the
 * jobs, and answers the messages `BackendThread` relays from Electron's main thread, which
 * therefore never waits on SQLite, image decoding, inference or training.
 */
const port = parentPort!;
const post = (msg: FromWorker) => port.postMessage(msg);
const asError = (e: unknown): ContractError => mapError(e, 'backend thread').reply;

let backend: Backend;
try {
  backend = new Backend((workerData as BackendWorkerData).catalogFile);
} catch (e) {
  // Reported as a message, not rethrown: a rethrow would also surface as an 'error' event on the
  // Worker after the starter has already rejected and stopped listening, i.e. as an uncaught
  // exception in the app's main process.
  post({ t: 'fatal', error: asError(e) });
  port.close();
  process.exit(1);
}

backend.onEvent((event, payload) => post({ t: 'event', event, payload }));

port.on('message', async (msg: ToWorker) => {
  try {
    if (msg.t === 'request') {
      const result = await backend.request(msg.name as RequestName, msg.params as never);
      post({ t: 'reply', id: msg.id, ok: true, result: result ?? null });
    } else if (msg.t === 'media') {
      post({ t: 'media', id: msg.id, ok: true, media: await backend.media(msg.kind, msg.photoId) });
    } else if (msg.t === 'close') {
      await backend.close();
      post({ t: 'reply', id: msg.id, ok: true, result: null });
      port.close();
    }
  } catch (e) {
    post({ t: 'reply', id: msg.id, ok: false, error: asError(e) });
  }
});

post({ t: 'ready' });
