import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Catalog } from '../../electron/core/store/catalog';
import type { RunningServer } from '../../electron/server/serve';
import { artifactPath, launchChromium } from '../helpers/browser';
import { buildReviewCatalog, type ReviewFixture } from '../helpers/review-fixture';
import { serveCatalog } from '../helpers/serve';
import { tmpDir } from '../helpers/tmp';

/**
 * A whole queue reviewed with the keyboard only, in Debian's Chromium through `caudal serve`,
 * then the database checked; and a screenshot of every screen for people to look at.
 */
describe('review workbench in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let fx: ReviewFixture;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    fx = await buildReviewCatalog(path.join(tmpDir(), 'e2e-review.sqlite'), { individuals: 8, photosPerIndividual: 3, queries: 5, newQueries: 2 });
    const c = Catalog.open(fx.file);
    c.store.settings.set('reviewer', 'Jo Field');
    c.close();
    server = await serveCatalog(fx.file);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => errors.push(e.message));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const q = (i: number) => fx.queries[i].annotationId;
  const showing = (id: number) => page.locator(`[data-testid="review-query"][data-annotation-id="${id}"] img[data-loaded="1"]`).waitFor();
  const candidatesReady = async () => {
    await page.getByTestId('candidate-1').waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid^="candidate-"] img')].every((i) => (i as HTMLImageElement).complete));
  };
  /** The key shown on an entry: a candidate's rank (0 for the 10th), N for a new individual. */
  const keyOf = async (testId: string) => (await page.getByTestId(testId).locator('.cand-key').textContent()) ?? '';
  const confirmFirst = async () => {
    await page.keyboard.press(await keyOf('candidate-1'));
    await page.keyboard.press('Enter');
  };
  const firstCandidate = () => page.getByTestId('candidate-1').getAttribute('data-individual-id').then(Number);

  it('reviews the queue by keyboard only: confirm, reject, new, skip, undo', async () => {
    await page.goto(`${server.url}#/review`);
    await showing(q(0));
    await candidatesReady();
    expect(await page.getByTestId('review-progress').textContent()).toContain('7 left');
    expect(await firstCandidate()).toBe(fx.queries[0].truth);
    await page.screenshot({ path: artifactPath('review-workbench.png') });

    // Keys are ranks wherever "new individual" is placed; it has N.
    expect(await keyOf('candidate-1')).toBe('1');
    expect(await keyOf('candidate-2')).toBe('2');
    expect(await keyOf('candidate-new')).toBe('N');

    // 1: select the first candidate and confirm it.
    await confirmFirst();
    await showing(q(1));
    await candidatesReady();

    // 2: reject the second candidate (wrong animal), it leaves the list; then confirm the first.
    const second = Number(await page.getByTestId('candidate-2').getAttribute('data-individual-id'));
    await page.keyboard.press(await keyOf('candidate-2'));
    await page.keyboard.press('x');
    await page.waitForFunction((id) => !document.querySelector(`[data-individual-id="${id}"]`), second);
    // Compare tools by key: zoom, flip, brighter; then the help overlay.
    await page.keyboard.press('+');
    await page.keyboard.press('h');
    await page.keyboard.press(']');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('.');
    await page.locator('[data-testid="review-compare"] .viewer-label', { hasText: 'photo 2/' }).waitFor();
    await page.screenshot({ path: artifactPath('review-compare-tools.png') });
    await page.keyboard.press('?');
    await page.getByTestId('shortcut-help').waitFor();
    await page.screenshot({ path: artifactPath('review-shortcuts.png') });
    await page.keyboard.press('Escape');
    await page.keyboard.press('z');
    await confirmFirst();
    await showing(q(2));

    // 3: skip; it comes back at the end.
    await page.keyboard.press('s');
    await showing(q(3));
    await candidatesReady();

    // 4: confirm, undo (back to 4, restored), confirm again.
    await confirmFirst();
    await showing(q(4));
    await page.keyboard.press('Control+z');
    await showing(q(3));
    await page.waitForFunction(() => document.querySelector('[data-testid="review-status"]')?.textContent?.startsWith('Undid'));
    await candidatesReady();
    await confirmFirst();
    await showing(q(4));
    await candidatesReady();
    await confirmFirst();

    // 6, 7: animals not in the catalog become new individuals.
    await showing(q(5));
    await candidatesReady();
    await page.keyboard.press('n');
    await showing(q(6));
    await page.getByTestId('candidate-new').waitFor();
    await page.keyboard.press('n');

    // The skipped one is back; confirm it and the queue is done.
    await showing(q(2));
    await candidatesReady();
    expect(await firstCandidate()).toBe(fx.queries[2].truth);
    await confirmFirst();
    await page.getByTestId('review-empty').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="review-progress"]')?.getAttribute('data-left') === '0');
    await page.screenshot({ path: artifactPath('review-done.png') });

    const c = Catalog.open(fx.file, { mustExist: true });
    try {
      const ann = c.db.prepare('SELECT a.individual_id, a.identified_by, i.code FROM annotations a LEFT JOIN individuals i ON i.id = a.individual_id WHERE a.id = ?');
      for (const i of [0, 1, 2, 3, 4]) expect(ann.get(q(i)), `query ${i}`).toMatchObject({ individual_id: fx.queries[i].truth, identified_by: 'Jo Field' });
      expect((ann.get(q(5)) as { code: string }).code).toBe('ID-0001');
      expect((ann.get(q(6)) as { code: string }).code).toBe('ID-0002');
      const log = c.db
        .prepare('SELECT annotation_id AS a, decision, individual_id AS ind, reviewer, model_id AS model, rank, undone_at IS NOT NULL AS undone FROM decisions ORDER BY id')
        .all() as Array<Record<string, unknown>>;
      expect(log.map((d) => [d.a, d.decision, d.undone])).toEqual([
        [q(0), 'confirm', 0],
        [q(1), 'reject', 0],
        [q(1), 'confirm', 0],
        [q(2), 'skip', 0],
        [q(3), 'confirm', 1],
        [q(3), 'confirm', 0],
        [q(4), 'confirm', 0],
        [q(5), 'new', 0],
        [q(6), 'new', 0],
        [q(2), 'confirm', 0],
      ]);
      expect(log[1].ind).toBe(second);
      expect(log.every((d) => d.reviewer === 'Jo Field' && d.model === fx.modelId)).toBe(true);
      expect(log[0].rank).toBe(1);
    } finally {
      c.close();
    }
    expect(errors).toEqual([]);
  });

  it('catalog grid, individual page, photos and settings render real data', async () => {
    await page.getByTestId('nav-catalog').click();
    await page.getByTestId('individual-HW-0001').waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="individual-grid"] img')].every((i) => (i as HTMLImageElement).complete));
    expect(await page.getByTestId('individual-grid').getAttribute('data-total')).toBe('10');
    await page.screenshot({ path: artifactPath('catalog-grid.png') });
    await page.getByTestId('individual-search').fill('salt');
    await page.waitForFunction(() => document.querySelector('[data-testid="individual-grid"]')?.getAttribute('data-total') === '1');
    await page.getByTestId('individual-HW-0001').click();
    await page.getByTestId('individual-page').waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="individual-page"] img')].every((i) => (i as HTMLImageElement).complete));
    expect(await page.getByTestId('history').textContent()).toContain('Jo Field');
    await page.screenshot({ path: artifactPath('catalog-individual.png') });

    // Merge HW-0001 into HW-0008 from its page, then undo the merge.
    await page.getByTestId('merge-input').fill('HW-0008');
    await page.locator('button', { hasText: /^Merge$/ }).and(page.locator(':enabled')).click();
    await page.getByTestId('individual-message').filter({ hasText: 'merged into HW-0008' }).waitFor();
    const merged = Catalog.open(fx.file, { mustExist: true });
    const mergedInto = merged.db.prepare("SELECT merged_into FROM individuals WHERE code = 'HW-0001'").pluck().get();
    merged.close();
    expect(mergedInto).toBe(fx.individuals[7].id);
    await page.screenshot({ path: artifactPath('catalog-merged.png') });
    await page.getByTestId('individual-message').locator('button', { hasText: 'Undo' }).click();
    await page.getByTestId('individual-message').filter({ hasText: 'Undone.' }).waitFor();
    const after = Catalog.open(fx.file, { mustExist: true });
    expect(after.db.prepare("SELECT merged_into FROM individuals WHERE code = 'HW-0001'").pluck().get()).toBeNull();
    expect(after.db.prepare("SELECT COUNT(*) FROM annotations a JOIN individuals i ON i.id = a.individual_id WHERE i.code = 'HW-0001'").pluck().get()).toBe(4);
    after.close();

    await page.getByTestId('nav-photos').click();
    await page.getByTestId('encounter-list').waitFor();
    await page.getByTestId('photo-grid').locator('img').first().waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="photo-grid"] img')].every((i) => (i as HTMLImageElement).complete));
    await page.screenshot({ path: artifactPath('photos-encounters.png') });
    await page.getByTestId('photo-grid').locator('button').first().click();
    await page.getByTestId('photo-view').waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="photo-view"] img')].every((i) => (i as HTMLImageElement).complete));
    await page.screenshot({ path: artifactPath('photos-box-editor.png') });

    await page.getByTestId('nav-settings').click();
    await page.getByTestId('setting-reviewer').waitFor();
    expect(await page.getByTestId('setting-reviewer').inputValue()).toBe('Jo Field');
    await page.getByTestId('setting-queueOrder').selectOption('confidence');
    await page.locator('.setting .ok').waitFor();
    await page.screenshot({ path: artifactPath('settings.png') });
    const c = Catalog.open(fx.file, { mustExist: true });
    expect(c.store.settings.get('queueOrder', '')).toBe('confidence');
    c.close();
    expect(errors).toEqual([]);
  });
});
