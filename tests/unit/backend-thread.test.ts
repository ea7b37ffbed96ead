import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { Catalog } from '../../electron/core/store/catalog';
import { BackendThread } from '../../electron/core/api/backend-thread';
import type { EventName } from '../../electron/contract';
import { tmpDir } from '../helpers/tmp';

/** The desktop backend on its worker thread: natives load there, and the relay is faithful. */
describe('BackendThread (backend on a worker thread)', () => {
  let dir: string;
  let file: string;
  let photoId: number;
  let thread: BackendThread;

  beforeAll(async () => {
    dir = tmpDir();
    file = path.join(dir, 'cat.sqlite');
    const jpg = path.join(dir, 'whale.jpg');
    await sharp({ create: { width: 640, height: 480, channels: 3, background: '#2b6f8a' } }).jpeg().toFile(jpg);
    const c = Catalog.open(file);
    photoId = Number(
      c.db.prepare("INSERT INTO photos(sha256, path, original_name, width, height) VALUES ('abc123', ?, 'whale.jpg', 640, 480)").run(jpg).lastInsertRowid,
    );
    c.close();
    thread = await BackendThread.start(file);
  });

  afterAll(async () => {
    await thread?.close().catch(() => {});
  });

  it('loads better-sqlite3, sharp and onnxruntime-node on the worker thread', async () => {
    const rt = await thread.request('system.runtime', {});
    expect(rt.thread).toBe('worker');
    expect(rt.sqlite).toMatch(/^3\.\d+/);
    expect(rt.sharp).toMatch(/^\d+\.\d+/);
    expect(rt.onnxruntime).toBe('1.30.0');
    expect(rt.providers.usable).toContain('cpu');
    // No CUDA provider libraries are installed here (ONNXRUNTIME_NODE_INSTALL=skip).
    expect(rt.providers.usable).not.toContain('cuda');
    expect(rt.providers.chosen).toEqual(['cpu']);
  });

  it('relays requests and their results', async () => {
    const s = await thread.request('catalog.summary', {});
    expect(s.photos).toBe(1);
    expect(s.file).toBe(path.resolve(file));
  });

  it('relays errors with their codes', async () => {
    await expect(thread.request('jobs.get', { id: 424242 })).rejects.toMatchObject({ code: 'not-found', message: expect.stringContaining('424242') });
    await expect(thread.request('settings.set', { key: 'nope', value: 1 })).rejects.toMatchObject({ code: 'bad-request', message: expect.stringContaining("'nope'") });
    await expect(thread.request('no.such' as never, {} as never)).rejects.toMatchObject({ code: 'bad-request' });
    // Params that cannot cross a thread boundary are refused cleanly, not thrown synchronously.
    await expect(thread.request('settings.get', { f: () => 1 } as never)).rejects.toMatchObject({ code: 'bad-request' });
  });

  it('relays events emitted on the worker', async () => {
    const got: Array<[EventName, unknown]> = [];
    const off = thread.onEvent((event, payload) => got.push([event, payload]));
    const settings = await thread.request('settings.set', { key: 'reviewer', value: 'Ana' });
    expect(settings.reviewer).toBe('Ana');
    await new Promise((r) => setTimeout(r, 50));
    off();
    expect(got).toContainEqual(['catalog.changed', { topics: ['settings'] }]);
  });

  it('resolves media ids to files, making renditions with sharp on the worker', async () => {
    const media = await thread.media('thumb', photoId);
    expect(media.mime).toBe('image/jpeg');
    const meta = await sharp(media.file).metadata();
    expect(Math.max(meta.width!, meta.height!)).toBe(256);
    await expect(thread.media('thumb', 999)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('refuses to start on a file that is not a catalog, with the catalog’s error code', async () => {
    const bogus = path.join(dir, 'notes.sqlite');
    fs.writeFileSync(bogus, 'these are field notes, not a database');
    await expect(BackendThread.start(bogus)).rejects.toMatchObject({ code: 'not-a-catalog' });
    expect(fs.readFileSync(bogus, 'utf8')).toBe('these are field notes, not a database');
  });

  it('reports a failed start once: nothing from the dying thread escapes as an uncaught error', async () => {
    // The dying thread's 'error' event used to race the rejection and, under load, reach the parent
    // as an uncaught exception (vitest reports those, failing the run).
    const bogus = path.join(dir, 'notes-again.sqlite');
    fs.writeFileSync(bogus, 'still not a database');
    const starts = Array.from({ length: 16 }, () => BackendThread.start(bogus).then(() => 'started', (e: { code?: string }) => e.code));
    expect(await Promise.all(starts)).toEqual(Array(16).fill('not-a-catalog'));
    await new Promise((r) => setTimeout(r, 200));
  });

  it('fails later calls instead of hanging, and tells the shell once, when the thread dies unexpectedly', async () => {
    const other = await BackendThread.start(path.join(dir, 'crash.sqlite'));
    const reasons: string[] = [];
    other.onUnexpectedStop((r) => reasons.push(r));
    // Stands in for a native crash or an out-of-memory kill of the worker.
    await (other as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    await expect(other.request('catalog.summary', {})).rejects.toMatchObject({ code: 'backend-stopped' });
    expect(reasons).toEqual([expect.stringMatching(/exited/)]);
    await other.close(); // closing a dead thread resolves at once
  });

  it('closes the catalog cleanly (WAL checkpointed) and then refuses requests', async () => {
    await thread.request('catalog.summary', {});
    expect(fs.existsSync(`${file}-wal`)).toBe(true);
    const reasons: string[] = [];
    thread.onUnexpectedStop((r) => reasons.push(r));
    await thread.close();
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    expect(reasons).toEqual([]); // an asked-for stop is not a crash
    await expect(thread.request('catalog.summary', {})).rejects.toMatchObject({ code: 'backend-stopped' });
  });
});

describe('system requests in browser mode (in-process backend, as `caudal serve` runs it)', () => {
  it('have no native dialogs, so the UI falls back to a typed path', async () => {
    const { Backend } = await import('../../electron/core/api/backend');
    const b = new Backend(path.join(tmpDir(), 'web.sqlite'));
    try {
      expect(await b.request('system.capabilities', {})).toEqual({ shell: 'browser', nativeDialogs: false, platform: process.platform });
      for (const name of ['system.pickFolder', 'system.pickFile', 'system.pickSaveFile'] as const) {
        expect(await b.request(name, {})).toEqual({ path: null, native: false });
      }
      expect(await b.request('system.runtime', {})).toMatchObject({ thread: 'main', abi: process.versions.modules, electron: null });
    } finally {
      await b.close();
    }
  });
});
