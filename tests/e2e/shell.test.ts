import path from 'node:path';
import type { Browser } from 'playwright-core';
import { Catalog } from '../../electron/core/store/catalog';
import type { RunningServer } from '../../electron/server/serve';
import { artifactPath, launchChromium } from '../helpers/browser';
import { serveCatalog } from '../helpers/serve';
import { tmpDir } from '../helpers/tmp';

/** The first screen, in Debian's Chromium, through `caudal serve`, on a real catalog file. */
describe('app shell in Chromium (browser mode)', () => {
  let server: RunningServer;
  let browser: Browser;
  let file: string;

  beforeAll(async () => {
    file = path.join(tmpDir(), 'shell.sqlite');
    const c = Catalog.open(file);
    const ins = c.db.prepare('INSERT INTO individuals(code) VALUES (?)');
    for (let i = 1; i <= 3; i++) ins.run(`HW-000${i}`);
    const photo = c.db.prepare("INSERT INTO photos(sha256, path, original_name, width, height) VALUES (?, '/nowhere.jpg', 'n.jpg', 100, 80)");
    const ann = c.db.prepare('INSERT INTO annotations(photo_id, x, y, w, h, individual_id) VALUES (?, 0, 0, 100, 80, ?)');
    for (let i = 0; i < 5; i++) ann.run(photo.run(`sha-${i}`).lastInsertRowid, i < 2 ? 1 : null);
    c.close();
    server = await serveCatalog(file);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows navigation and the real counts from the SQLite file', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    for (const s of ['catalog', 'import', 'review', 'training', 'export', 'settings']) {
      await expect(page.getByTestId(`nav-${s}`).isVisible()).resolves.toBe(true);
    }
    await page.getByTestId('count-individuals').waitFor();
    const value = async (k: string) => (await page.getByTestId(`count-${k}`).locator('.stat-value').textContent())?.trim();
    expect(await value('individuals')).toBe('3');
    expect(await value('photos')).toBe('5');
    expect(await value('annotations')).toBe('5');
    expect(await value('identified')).toBe('2');
    await page.screenshot({ path: artifactPath('shell-catalog.png') });
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('screen-settings').waitFor();
    expect(page.url()).toContain('#/settings');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('refuses requests without the token or from another origin', async () => {
    const base = server.url.split('?')[0];
    const noToken = await fetch(base);
    expect(noToken.status).toBe(401);
    const api = `${base}api/request`;
    const body = JSON.stringify({ name: 'catalog.summary', params: {} });
    expect((await fetch(api, { method: 'POST', body })).status).toBe(401);
    const withToken = await fetch(api, { method: 'POST', body, headers: { 'x-caudal-token': server.token } });
    expect(withToken.status).toBe(200);
    expect((await withToken.json()).result.individuals).toBe(3);
    const evil = await fetch(api, { method: 'POST', body, headers: { 'x-caudal-token': server.token, Origin: 'http://evil.example' } });
    expect(evil.status).toBe(403);
    const unknown = await fetch(api, { method: 'POST', body: JSON.stringify({ name: 'fs.readFile', params: {} }), headers: { 'x-caudal-token': server.token } });
    expect(unknown.status).toBe(404);
    for (const bad of ['media/full/..%2F..%2Fetc%2Fpasswd', 'media/thumb/abc', 'media/full/%2Fetc%2Fpasswd', 'media/disk/1']) {
      const r = await fetch(`${base}${bad}`, { headers: { 'x-caudal-token': server.token } });
      expect(r.status, bad).toBe(403);
    }
  });
});
