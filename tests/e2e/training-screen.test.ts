import path from 'node:path';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../../electron/server/serve';
import { catalogFromFeatureSet } from '../integration/training/fixture';
import { syntheticSet } from '../unit/training/synthetic';
import { artifactPath, launchChromium } from '../helpers/browser';
import { serveCatalog } from '../helpers/serve';
import { tmpDir } from '../helpers/tmp';

/** The Training screen in Chromium: the K choice is readable in full and survives a run; each run has its own chart. */
describe('Training screen in Chromium (browser mode)', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    const file = path.join(tmpDir(), 'train.sqlite');
    catalogFromFeatureSet(file, syntheticSet(3)).close();
    server = await serveCatalog(file);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('keeps K through a run and shows the validation and final runs on their own axes', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}#/training`);
    const select = page.getByTestId('training-learners');
    await select.waitFor();
    // The selected option's text fits the control (it was cut at 90 px).
    for (const k of ['1', '2', '4']) {
      await select.selectOption(k);
      const fits = await select.evaluate((el: HTMLSelectElement) => {
        const probe = document.createElement('span');
        probe.style.font = getComputedStyle(el).font;
        probe.textContent = el.selectedOptions[0].textContent;
        document.body.append(probe);
        const w = probe.getBoundingClientRect().width;
        probe.remove();
        return w <= el.clientWidth;
      });
      expect(fits, `K = ${k}`).toBe(true);
    }
    await select.selectOption('4');
    await page.getByTestId('training-epochs').fill('40');
    await page.getByTestId('training-start').click();
    await page.getByTestId('training-compare').waitFor({ timeout: 90_000 });
    expect(await select.inputValue()).toBe('4');
    const points = (run: string) => page.locator(`[data-testid=chart-loss-${run}] polyline[data-series="loss"]`).getAttribute('points');
    expect((await points('validate'))!.split(' ')).toHaveLength(40);
    expect((await points('final'))!.split(' ')).toHaveLength(40);
    const model = server.backend.catalog.db.prepare("SELECT params FROM models WHERE kind = 'fine-tuned' ORDER BY created_at DESC LIMIT 1").pluck().get() as string;
    expect(JSON.parse(model).head.slices).toBe(4);
    await page.screenshot({ path: artifactPath('training-screen.png'), fullPage: true });
    // Leaving the screen and coming back keeps the choice.
    await page.getByTestId('nav-catalog').click();
    await page.getByTestId('nav-training').click();
    expect(await page.getByTestId('training-learners').inputValue()).toBe('4');
    expect(errors).toEqual([]);
    await page.close();
  });
});
