import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../../electron/server/serve';
import { artifactPath, launchChromium } from '../helpers/browser';
import { makePhoto } from '../helpers/photos';
import { serveCatalog } from '../helpers/serve';
import { tmpDir } from '../helpers/tmp';

/** The Import screen in Debian's Chromium through `caudal serve`, on a real catalog and real files. */
describe('Import screen in Chromium (browser mode)', () => {
  let server: RunningServer;
  let browser: Browser;
  let photos: string;

  beforeAll(async () => {
    photos = path.join(tmpDir(), 'SD card', 'DCIM');
    await makePhoto(path.join(photos, 'IMG_0001.JPG'), { width: 1200, height: 800, taken: '2024:08:01 10:00:00', offset: '+00:00', gps: { lat: 64.1, lon: -21.9 }, seed: 1 });
    await makePhoto(path.join(photos, 'IMG_0002.JPG'), { width: 1200, height: 800, taken: '2024:08:01 10:04:00', seed: 2 });
    await makePhoto(path.join(photos, 'sub', 'IMG_0003.png'), { format: 'png', width: 640, height: 480, seed: 3 });
    fs.writeFileSync(path.join(photos, 'broken.jpg'), 'not a jpeg');
    server = await serveCatalog(path.join(tmpDir(), 'catalog.sqlite'));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('imports a folder, shows the summary and the failures, and boxes an animal in the photo view', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    await page.getByTestId('nav-import').click();
    await page.getByTestId('import-paths').fill(photos);
    await page.getByTestId('import-start').click();
    await page.getByTestId('import-summary').waitFor();
    const stat = async (k: string) => (await page.getByTestId(`import-${k}`).locator('.stat-value').textContent())?.trim();
    expect(await stat('imported')).toBe('3');
    expect(await stat('withTime')).toBe('2');
    expect(await stat('withGps')).toBe('1');
    expect(await stat('encounters')).toBe('1');
    expect(await stat('failed')).toBe('1');
    expect(await page.getByTestId('import-failures').textContent()).toMatch(/broken\.jpg: not an image/);
    // Embedding starts by itself after the import (setting embedAfterImport), and the sidebar counts it live.
    await page.waitForFunction(() => document.querySelector('[data-testid=embedding-counts]')?.textContent === '3 / 3 embedded', null, { timeout: 600_000 });
    await page.waitForFunction(() => document.querySelector('[data-testid=embedding-start]')?.textContent === 'All embedded', null, { timeout: 600_000 });

    // The grid shows the thumbnails (served by id through the media route).
    const tile = page.locator('[data-testid=photo-grid] button[title="IMG_0001.JPG"]');
    await tile.waitFor();
    expect(await page.locator('[data-testid=photo-grid] img').count()).toBe(3);
    await tile.click();
    const surface = page.getByTestId('box-editor-surface');
    await surface.waitFor();
    await page.waitForFunction(() => {
      const img = document.querySelector('[data-testid=box-editor] img') as HTMLImageElement | null;
      return Boolean(img?.complete && img.naturalWidth > 0);
    });
    await surface.scrollIntoViewIfNeeded(); // below the species question on a new catalog
    const box = (await surface.boundingBox())!;
    // Drag from 25%,25% to 75%,75% of the shown photo: a box of half its size, in the middle.
    await page.mouse.move(box.x + box.width * 0.25, box.y + box.height * 0.25);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5, { steps: 4 });
    await page.mouse.move(box.x + box.width * 0.75, box.y + box.height * 0.75, { steps: 4 });
    await page.mouse.up();
    await page.locator('li.annotation').nth(1).waitFor();
    await page.screenshot({ path: artifactPath('import-photo-view.png') });

    const photoId = server.backend.catalog.db.prepare("SELECT id FROM photos WHERE original_name = 'IMG_0001.JPG'").pluck().get();
    const rows = server.backend.catalog.db.prepare('SELECT x, y, w, h FROM annotations WHERE photo_id = ? ORDER BY id').all(photoId) as Array<{ x: number; y: number; w: number; h: number }>;
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual({ x: 0, y: 0, w: 1200, h: 800 });
    expect(rows[1].x).toBeCloseTo(300, -1);
    expect(rows[1].y).toBeCloseTo(200, -1);
    expect(rows[1].w).toBeCloseTo(600, -1);
    expect(rows[1].h).toBeCloseTo(400, -1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says at once when a folder does not exist, and asks once which animal the catalog holds', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    await page.getByTestId('nav-import').click();
    const missing = path.join(path.dirname(photos), 'DCMI');
    await page.getByTestId('import-paths').fill(missing);
    await page.getByTestId('import-start').click();
    const error = page.getByTestId('import-error');
    await error.waitFor();
    expect(await error.textContent()).toBe(`no such file or folder: ${missing}`);
    expect(await page.getByTestId('import-status').count()).toBe(0); // no "0 of 0 files" left hanging
    expect(await page.getByTestId('catalog-species-form').isVisible()).toBe(true);
    await page.screenshot({ path: artifactPath('import-error.png') });

    await page.getByTestId('catalog-species-input').fill('Tragelaphus angasii');
    await page.getByTestId('catalog-bodypart-input').selectOption('flank');
    await page.getByTestId('catalog-species-save').click();
    await page.getByTestId('catalog-species').waitFor();
    expect(await page.getByTestId('catalog-species').textContent()).toContain('This catalog: Tragelaphus angasii, flank.');
    // The photos imported before it was said get the body part too.
    const parts = server.backend.catalog.db.prepare('SELECT DISTINCT body_part FROM annotations').pluck().all();
    expect(parts).toEqual(['flank']);
    expect(errors).toEqual([]);
    await page.close();
  });
});
