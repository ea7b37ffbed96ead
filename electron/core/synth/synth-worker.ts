import { parentPort, workerData } from 'node:worker_threads';
import { ItemRenderer, type RenderSetup } from './render-items';
import type { PlannedPhoto } from './plan';

/**
 * One generator thread: draws the chunks of photos the main thread hands it, one at a time.
 * (sharp's thread count is left alone: it is process-wide, and the app's backend shares it.)
 */
const renderer = new ItemRenderer(workerData as RenderSetup);
let queue = Promise.resolve();

parentPort?.on('message', (msg: { id: number; items: PlannedPhoto[] }) => {
  queue = queue.then(async () => {
    try {
      await renderer.render(msg.items);
      parentPort?.postMessage({ id: msg.id, done: msg.items.length });
    } catch (e) {
      parentPort?.postMessage({ id: msg.id, error: String((e as Error)?.stack ?? e) });
    }
  });
});
