import os from 'node:os';
import path from 'node:path';
import { serveCatalog } from '../helpers/serve';
import { runCaudal } from '../helpers/cli';
import { tmpDir } from '../helpers/tmp';
import type { RunningServer } from '../../electron/server/serve';
import { Catalog } from '../../electron/core/store/catalog';
import { Backend } from '../../electron/core/api/backend';

describe('requests are checked against the contract at every boundary', () => {
  let server: RunningServer;
  let file: string;
  beforeAll(async () => {
    file = path.join(tmpDir(), 'catalog.sqlite');
    Catalog.open(file).close();
    server = await serveCatalog(file);
  });
  afterAll(() => server?.close());

  it('answers a bad field over HTTP (`caudal serve`) with 400, naming the field; a good request still works', async () => {
    const api = `${server.url.split('?')[0]}api/request`;
    const post = (name: string, params: unknown) =>
      fetch(api, { method: 'POST', body: JSON.stringify({ name, params }), headers: { 'x-caudal-token': server.token } });
    const bad = await post('review.decide', { annotationId: 4, action: 'maybe' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ ok: false, error: { code: 'bad-request', field: 'action', message: expect.stringMatching(/^review\.decide: action: /) } });
    const wrongType = await post('photos.list', { limit: 'ten' });
    expect(wrongType.status).toBe(400);
    expect((await wrongType.json()).error.field).toBe('limit');
    const missing = await post('jobs.get', { id: 99 });
    expect(missing.status).toBe(404);
    const ok = await post('photos.list', { limit: 10 });
    expect(ok.status).toBe(200);
    expect((await ok.json()).result.total).toBe(0);
  });

  it("answers a job's bad params over HTTP with 400 naming the field (the export job's own schema)", async () => {
    const api = `${server.url.split('?')[0]}api/request`;
    const r = await fetch(api, {
      method: 'POST',
      body: JSON.stringify({ name: 'export.start', params: { kind: 'dwca', out: path.join(tmpDir(), 'x.zip'), options: { mediaBaseUrl: 'photos/' } } }),
      headers: { 'x-caudal-token': server.token },
    });
    expect(r.status).toBe(400);
    expect((await r.json()).error).toMatchObject({ code: 'bad-request', field: 'options.mediaBaseUrl' });
  });

  it('checks every job kind\'s params when it is queued, whoever asks: nothing is queued for a bad one', async () => {
    const backend = new Backend(path.join(tmpDir(), 'jobs.sqlite'));
    try {
      expect(() => backend.jobs.start('embed', { views: 0 })).toThrow(expect.objectContaining({ code: 'bad-request', field: 'views' }));
      // A request that skipped the transport's check (the backend called in-process) still meets the job's schema.
      await expect(backend.request('merge.start', { bundle: '  ' })).rejects.toMatchObject({ code: 'bad-request', field: 'bundle' });
      expect(() => backend.jobs.start('team-sync', { timeoutMs: -1 })).toThrow(/team-sync job: timeoutMs: /);
      expect(backend.jobs.list()).toEqual([]);
    } finally {
      await backend.close();
    }
  });

  it('refuses a bad `caudal train` argument with a usage message naming it (exit status 2), before opening the catalog', async () => {
    const r = await runCaudal('train', '--folds', '1', '--catalog', path.join(tmpDir(), 'never-made.sqlite'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^caudal train: --folds: .*>=2/);
  });

  it('`caudal train` refuses while another process is training this catalog, as the app does', async () => {
    const c = Catalog.open(file);
    // The test runner's parent process stands in for the app: alive, not us.
    c.db.prepare("INSERT INTO jobs(kind, state, params, owner) VALUES ('train', 'running', '{}', ?)").run(`${os.hostname()}:${process.ppid}`);
    c.close();
    const r = await runCaudal('train', '--epochs', '2', '--catalog', file);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/training job \d+ is already running/);
  });

  it('says where the log is in `caudal --help`', async () => {
    const r = await runCaudal('--help');
    expect(r.out).toContain(`Log file: ${path.join(process.env.CAUDAL_LOG_DIR!, 'caudal.log')}`);
  });
});
