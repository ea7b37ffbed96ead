import path from 'node:path';
import { buildCatalog } from '../helpers/fixture-catalog';
import { seasonA } from '../helpers/exchange-fixtures';
import { serveCatalog } from '../helpers/serve';
import { tmpDir } from '../helpers/tmp';

describe('caudal serve: the media route', () => {
  it('answers an image with a restrictive Content-Security-Policy of its own', async () => {
    const file = path.join(tmpDir(), 'cat.sqlite');
    const c = await buildCatalog(file, seasonA);
    const id = c.db.prepare('SELECT id FROM photos ORDER BY id LIMIT 1').pluck().get() as number;
    c.close();
    const server = await serveCatalog(file);
    try {
      for (const kind of ['thumb', 'full']) {
        const res = await fetch(`http://127.0.0.1:${server.port}/media/${kind}/${id}`, { headers: { 'x-caudal-token': server.token } });
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('image/jpeg');
        const csp = new Map((res.headers.get('content-security-policy') ?? '').split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
        expect(csp.get('default-src')).toEqual(["'none'"]);
        expect(csp.has('sandbox')).toBe(true);
        expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
        expect(csp.has('script-src')).toBe(false);
        expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(100);
      }
      const missing = await fetch(`http://127.0.0.1:${server.port}/media/thumb/99999`, { headers: { 'x-caudal-token': server.token } });
      expect(missing.status).toBe(404);
      expect(missing.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    } finally {
      await server.close();
    }
  });
});
