import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../../electron/server/serve';
import { artifactPath, launchChromium } from '../helpers/browser';
import { serveCatalog } from '../helpers/serve';
import { buildCatalog } from '../helpers/fixture-catalog';
import { seasonA } from '../helpers/exchange-fixtures';
import { tmpDir } from '../helpers/tmp';

/** The Export screen in Chromium through `caudal serve`: a real job, its events over the WebSocket. */
describe('Export screen in Chromium (browser mode)', () => {
  let server: RunningServer;
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    dir = tmpDir();
    const file = path.join(dir, 'a.sqlite');
    (await buildCatalog(file, seasonA)).close();
    server = await serveCatalog(file);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('exports a Darwin Core Archive and shows where it went', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    await page.getByTestId('nav-export').click();
    await page.getByTestId('export-kind-dwca').check();
    const out = path.join(dir, 'gbif', 'dwca.zip');
    await page.getByTestId('export-out').fill(out);
    await page.getByTestId('export-go').click();
    const result = page.getByTestId('export-result');
    await result.waitFor({ timeout: 20_000 });
    expect(await result.textContent()).toContain(`Wrote 5 rows and 4 photos to ${out}`);
    expect(fs.existsSync(out)).toBe(true);
    await page.screenshot({ path: artifactPath('export-screen.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
