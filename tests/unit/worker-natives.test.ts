import path from 'node:path';
import { once } from 'node:events';
import { startWorker } from '../../electron/core/util/worker';

describe('worker threads', () => {
  it('load better-sqlite3, sharp and onnxruntime-node off the main thread', async () => {
    const w = startWorker(path.join(__dirname, '../../electron/core/util'), 'probe-worker');
    const [msg] = await once(w, 'message');
    await w.terminate();
    expect(msg.ok, msg.error).toBe(true);
    expect(msg.sqlite).toMatch(/^3\./);
    expect(msg.image).toBe('4x4');
    expect(msg.backends).toContain('cpu');
  });
});
