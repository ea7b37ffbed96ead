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
    // gbif/ does not exist: asked first, made only when the person says so.
    const ask = page.getByTestId('export-mkdir');
    await ask.waitFor();
    expect(await ask.textContent()).toContain(`The folder ${path.join(dir, 'gbif')} does not exist`);
    expect(fs.existsSync(path.join(dir, 'gbif'))).toBe(false);
    await page.getByTestId('export-mkdir-yes').click();
    const result = page.getByTestId('export-result');
    await result.waitFor();
    expect(await result.textContent()).toContain(`Wrote 5 rows and 4 photos to ${out}`);
    expect(fs.existsSync(out)).toBe(true);
    // One identified photo has no date anywhere: the screen says how many, why, which file, and where to fix it.
    const skipped = page.getByTestId('export-skipped');
    const text = (await skipped.textContent()) ?? '';
    expect(text).toContain('1 of 6 left out.');
    expect(text).toMatch(/1 × no date for eventDate: the photo has no capture time and its encounter no date/);
    expect(text).toMatch(/\.(JPG|jpg)/);
    expect(text).not.toContain('urn:caudal');
    expect(await page.getByTestId('export-warning').count()).toBe(0); // a humpback catalog that named its species
    await page.screenshot({ path: artifactPath('export-screen.png'), fullPage: true });
    const name = /(IMG_\d+\.JPG)/.exec(text)![1];
    // Its photo belongs to no encounter: the way to fix it is to open that photo in Photos.
    expect(await page.getByTestId('export-fix-undated').textContent()).toBe('Find this photo in Photos');
    await page.getByTestId('export-fix-undated').click();
    const filtered = page.getByTestId('photos-filter-undated');
    await filtered.waitFor();
    expect(await filtered.textContent()).toContain('Every encounter has a date.');
    expect(await page.getByTestId('photos-loose').textContent()).toContain(`One photo left out has no capture time and no encounter to take a date from: ${name}`);
    await page.getByTestId('photos-loose').getByText(name).click();
    await page.getByTestId('photo-view').waitFor();
    await page.screenshot({ path: artifactPath('export-fix-undated-photos.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
