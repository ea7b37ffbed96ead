import path from 'node:path';
import type { Browser } from 'playwright-core';
import { Catalog } from '../../electron/core/store/catalog';
import { DEMO_REVIEWER } from '../../electron/core/demo/demo-job';
import type { RunningServer } from '../../electron/server/serve';
import { artifactPath, launchChromium } from '../helpers/browser';
import { serveCatalog } from '../helpers/serve';
import { sharedPath } from '../helpers/shared';
import { tmpDir } from '../helpers/tmp';

/**
 * First run in Debian's Chromium through `caudal serve`: an empty catalog offers "Try with sample
 * data", which runs the whole loop as a job with progress and lands in Review with candidates.
 * Small generated set (CAUDAL_DEMO_SIZE) so the loop takes seconds, with the real backbone.
 */
describe('first run: Try with sample data', () => {
  let server: RunningServer;
  let browser: Browser;
  let file: string;
  const previousSize = process.env.CAUDAL_DEMO_SIZE;

  beforeAll(async () => {
    sharedPath('models', 'mobilenetv2-12-int8.onnx');
    process.env.CAUDAL_DEMO_SIZE = '10x80';
    file = path.join(tmpDir(), 'first-run.sqlite');
    Catalog.open(file).close();
    server = await serveCatalog(file);
    browser = await launchChromium();
  });

  afterAll(async () => {
    if (previousSize === undefined) delete process.env.CAUDAL_DEMO_SIZE;
    else process.env.CAUDAL_DEMO_SIZE = previousSize;
    await browser?.close();
    await server?.close();
  });

  it('runs the loop with progress and opens Review on real candidates', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    await page.getByTestId('first-run').waitFor();
    await page.screenshot({ path: artifactPath('first-run-empty.png') });
    await page.getByTestId('first-run-start').click();
    await page.getByTestId('first-run-progress').waitFor();
    await page.screenshot({ path: artifactPath('first-run-progress.png') });
    await page.waitForURL(/#\/review/, { timeout: 600_000 });
    await page.getByTestId('review-query').waitFor();
    await page.getByTestId('candidate-1').waitFor();
    await page.screenshot({ path: artifactPath('first-run-review.png') });
    expect(errors).toEqual([]);
    await page.close();

    const c = Catalog.open(file, { readonly: true });
    try {
      const db = c.db;
      const demo = db.prepare("SELECT state, result FROM jobs WHERE kind = 'demo'").get() as { state: string; result: string };
      expect(demo.state).toBe('done');
      const result = JSON.parse(demo.result);
      expect(result.synthetic).toBe(true);
      expect(result.photos).toBe(80);
      const decisions = db.prepare("SELECT decision, COUNT(*) AS n FROM decisions WHERE reviewer = ? GROUP BY decision").all(DEMO_REVIEWER) as Array<{ decision: string; n: number }>;
      expect(decisions.find((d) => d.decision === 'confirm')?.n).toBeGreaterThan(0);
      expect(db.prepare('SELECT kind FROM models WHERE active = 1').pluck().get()).toBe('fine-tuned');
      const left = db.prepare('SELECT COUNT(*) FROM annotations WHERE individual_id IS NULL').pluck().get() as number;
      expect(left).toBe(result.split.holdout);
      expect(left).toBeGreaterThan(0);
    } finally {
      c.close();
    }
  });
});
